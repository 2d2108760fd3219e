"""Small charts for the 总览 page as inline SVG, drawn on the server from figures already computed.

No script and no external request: the SVG is part of the page, so it shows the same in every browser
and in a screenshot. Colours follow what Chinese readers expect: red (红) for money coming in, green (绿)
for money going out; transfers between funds in lighter shades of the same, so they read as movements,
not as income or spending. Every bar and point carries a ``<title>`` with the exact amount (¥, to the fen).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date

from markupsafe import Markup, escape

from commonfund.core.money import format_cny

RED = "#d7263d"
RED_LIGHT = "#f29aa5"
GREEN = "#1e8c45"
GREEN_LIGHT = "#8fd0a6"
LINE = "#2f5f98"
AXIS = "#8a8a8a"
FONT = 'font-family="sans-serif" font-size="11"'


def axis_label(fen: float) -> str:
    """A tick label: ``¥356万`` from ten thousand yuan up, else ``¥5,000``."""
    yuan = fen / 100
    if abs(yuan) >= 10_000:
        value = yuan / 10_000
        return f"{'-' if value < 0 else ''}¥{abs(value):,.{0 if abs(value) >= 100 or value == int(value) else 1}f}万"
    return f"{'-' if yuan < 0 else ''}¥{abs(yuan):,.0f}"


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round tick values covering ``[low, high]`` (about *count* steps of 1, 2 or 5 × 10ⁿ)."""
    if high <= low:  # nothing to show: ¥0–¥100 (in fen), so the axis labels stay distinct whole yuan
        high = low + 10_000
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value < high + step * 0.999:
        ticks.append(value)
        value += step
    return ticks


def _frame(width: int, height: int, body: str, label: str) -> Markup:
    return Markup(
        f'<svg class="cf-chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" style="max-width:{width}px">{body}</svg>')


def _month_label(month: date) -> str:
    return f"{month.year}年{month.month}月"


def balance_chart(months: Sequence[date], balances: Sequence[int], label: str) -> Markup:
    """Month-end balances as a line with dots (y axis from the lowest to the highest balance, ticks in ¥)."""
    width, height, left, right, top, bottom = 640, 200, 64, 24, 10, 26
    if not months:
        return Markup("")
    low, high = float(min(0, *balances)), float(max(0, *balances))
    if low == high:
        high = low + 10_000
    ticks = nice_ticks(low, high)
    low, high = ticks[0], ticks[-1]
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + (plot_w * i / (len(months) - 1) if len(months) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - low) / (high - low))

    parts = [_grid(ticks, y, left, width - right)]
    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(balances))
    parts.append(f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    for i, (month, value) in enumerate(zip(months, balances, strict=True)):
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="2.5" fill="{LINE}" '
                     f'data-month="{month:%Y-%m}" data-fen="{value}">'
                     f'<title>{_month_label(month)}末 {format_cny(value, fen=True)}</title></circle>')
    parts.append(_month_ticks(months, x, height - 8))
    return _frame(width, height, "".join(parts), label)


def monthly_chart(months: Sequence[date], series: Sequence[tuple[str, str, Sequence[int], int]], label: str) -> Markup:
    """Bars per month around a zero line: each of *series* is ``(name, colour, fen per month, sign)``; sign
    +1 stacks upwards (money in), -1 downwards (money out)."""
    width, height, left, right, top, bottom = 640, 220, 64, 24, 10, 26
    if not months:
        return Markup("")
    up = [sum(values[i] for _, _, values, sign in series if sign > 0) for i in range(len(months))]
    down = [sum(values[i] for _, _, values, sign in series if sign < 0) for i in range(len(months))]
    ticks = nice_ticks(-max(down, default=0), max(up, default=0))
    low, high = ticks[0], ticks[-1]
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / len(months)

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - low) / (high - low))

    parts = [_grid(ticks, y, left, width - right)]
    for i, month in enumerate(months):
        above = below = 0
        for name, colour, values, sign in series:
            value = values[i]
            if value <= 0:
                continue
            if sign > 0:
                y0, y1 = y(above + value), y(above)
                above += value
            else:
                y0, y1 = y(-below), y(-below - value)
                below += value
            parts.append(
                f'<rect x="{left + slot * i + slot * 0.15:.1f}" y="{y0:.1f}" width="{slot * 0.7:.1f}" '
                f'height="{max(y1 - y0, 0.5):.1f}" fill="{colour}" data-month="{month:%Y-%m}" '
                f'data-series="{escape(name)}" data-fen="{value}">'
                f'<title>{_month_label(month)} {escape(name)} {format_cny(value, fen=True)}</title></rect>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="{AXIS}"/>')
    parts.append(_month_ticks(months, lambda i: left + slot * (i + 0.5), height - 8))
    return _frame(width, height, "".join(parts), label)


def bar_list(lines: Sequence[tuple[str, int]], colour: str, label: str) -> Markup:
    """Horizontal bars, one per ``(label, fen)`` line, longest first, the amount written beside each."""
    lines = sorted((line for line in lines if line[1] > 0), key=lambda line: -line[1])
    if not lines:
        return Markup("")
    width, row, left, amount_w = 640, 22, 150, 130
    height = row * len(lines) + 4
    most = max(fen for _, fen in lines)
    parts = []
    for i, (name, fen) in enumerate(lines):
        y = 2 + row * i
        bar = (width - left - amount_w) * fen / most
        parts.append(
            f'<text x="{left - 6}" y="{y + row * 0.68:.1f}" text-anchor="end" {FONT}>{escape(name)}</text>'
            f'<rect x="{left}" y="{y + 3}" width="{max(bar, 1):.1f}" height="{row - 7}" fill="{colour}" '
            f'data-line="{escape(name)}" data-fen="{fen}">'
            f'<title>{escape(name)} {format_cny(fen, fen=True)}</title></rect>'
            f'<text x="{left + bar + 6:.1f}" y="{y + row * 0.68:.1f}" {FONT}>{format_cny(fen, fen=True)}</text>')
    return _frame(width, height, "".join(parts), label)


def _grid(ticks: Sequence[float], y: Callable[[float], float], x0: float, x1: float) -> str:
    out = []
    for tick in ticks:
        ty = y(tick)
        out.append(f'<line x1="{x0}" x2="{x1}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#e3e3e3"/>'
                   f'<text x="{x0 - 4}" y="{ty + 4:.1f}" text-anchor="end" fill="{AXIS}" {FONT}>'
                   f'{axis_label(tick)}</text>')
    return "".join(out)


def _month_ticks(months: Sequence[date], x: Callable[[int], float], baseline: float) -> str:
    step = max(1, math.ceil(len(months) / 8))
    out = []
    for i, month in enumerate(months):
        if i % step and i != len(months) - 1:
            continue
        text = f"{month.year}.{month.month}" if i == 0 or month.month == 1 or step > 1 else f"{month.month}月"
        out.append(f'<text x="{x(i):.1f}" y="{baseline}" text-anchor="middle" fill="{AXIS}" {FONT}>{text}</text>')
    return "".join(out)
