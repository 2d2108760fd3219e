"""The 总览's inline SVG charts: amounts in their titles to the fen, red in and green out, ticks in ¥/万."""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

from commonfund.web.fava_ext import charts


def test_axis_labels_read_as_chinese_readers_write_money() -> None:
    assert charts.axis_label(0) == "¥0"
    assert charts.axis_label(500_000) == "¥5,000"
    assert charts.axis_label(100_000_000) == "¥100万"
    assert charts.axis_label(-25_000_000) == "-¥25万"
    assert charts.axis_label(1_500_000) == "¥1.5万"


def test_ticks_cover_the_range_in_round_steps() -> None:
    ticks = charts.nice_ticks(-30_000, 412_345)
    assert ticks[0] <= -30_000 and ticks[-1] >= 412_345
    steps = {round(b - a) for a, b in pairwise(ticks)}
    assert len(steps) == 1 and str(steps.pop()).lstrip("125").strip("0") == ""


def test_a_month_chart_without_any_money_has_distinct_axis_labels() -> None:
    """A fund with no movement yet (a new compound): the axis reads ¥0 … ¥100, not ¥0, ¥0, ¥1."""
    import re

    svg = str(charts.monthly_chart([date(2025, 7, 1), date(2025, 8, 1)], [
        ("收入", charts.RED, [0, 0], 1), ("支出", charts.GREEN, [0, 0], -1)], "测试"))
    labels = re.findall(r">(-?¥[^<]*)</text>", svg)
    assert len(labels) >= 2 and len(set(labels)) == len(labels), labels


def test_monthly_chart_draws_each_amount_with_its_colour_and_exact_title() -> None:
    months = [date(2025, 1, 1), date(2025, 2, 1)]
    svg = str(charts.monthly_chart(months, [
        ("收入", charts.RED, [12_345, 0], 1), ("支出", charts.GREEN, [0, 678_90], -1)], "测试"))
    bars = re.findall(r'<rect[^>]*fill="([^"]+)"[^>]*data-series="([^"]+)" data-fen="(\d+)">'
                      r'<title>([^<]+)</title>', svg)
    assert bars == [(charts.RED, "收入", "12345", "2025年1月 收入 ¥123.45"),
                    (charts.GREEN, "支出", "67890", "2025年2月 支出 ¥678.90")]
    assert charts.monthly_chart([], [], "空") == ""


def test_balance_chart_has_a_point_per_month() -> None:
    months = [date(2024, m, 1) for m in range(1, 13)]
    svg = str(charts.balance_chart(months, [100_00 * m for m in range(1, 13)], "余额"))
    assert svg.count("<circle") == 12 and "2024年12月末 ¥1,200.00" in svg


def test_bar_list_escapes_labels_and_skips_zero_lines() -> None:
    svg = str(charts.bar_list([("<停车>", 500), ("空", 0)], charts.RED, "收入"))
    assert "&lt;停车&gt;" in svg and "<停车>" not in svg and 'data-line="空"' not in svg
