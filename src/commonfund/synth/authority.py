"""The authority's per-household list (维修资金管理中心分户账) of a generated compound, with planted differences.

:func:`write_authority_list` loads a compound written by :func:`commonfund.synth.generator.synth_compound`,
takes every household's sub-ledger at a date (:func:`commonfund.books.subledger.compute_subledgers`) and
writes it the way a city centre's export looks: a merged title row, the date (截至…) and 单位：元, the
header 序号 | 房屋坐落 | 业主姓名 | 建筑面积（㎡） | 交存金额 | 使用/分摊金额 | 利息/增值收益 | 余额, the units
spelled five ways (``3栋2单元1502室``, ``3-2-1502``, ``03-02-1502``, ``3号楼2单元1502``, the full address with
the road in front), and a 合计 row. As xlsx (openpyxl) or as CSV the way WPS saves it (GBK, CRLF).

Planted, and returned (the causes :mod:`commonfund.books.authority` must find, no more, no fewer):

* ``area`` — one household's 建筑面积 differs from the register, and its deposit with it;
* ``apportionment_missing_list`` — one household's share of one apportioned repair is missing from its uses;
* ``interest`` — a pair of households whose interest the centre split differently (one more, one less).

Same compound, same seed: same bytes.
"""

from __future__ import annotations

import io
import json
import random
from datetime import date
from pathlib import Path
from typing import Any

from commonfund.books.subledger import compute_subledgers, unit_history
from commonfund.compound.model import load_compound
from commonfund.core.errors import InputError
from commonfund.core.money import ledger_number, to_fen
from commonfund.io.atomic import write_bytes
from commonfund.synth.writers import _deterministic_zip, csv_bytes

HEADER = ("序号", "房屋坐落", "业主姓名", "建筑面积（㎡）", "交存金额（元）", "使用/分摊金额（元）",
          "利息/增值收益（元）", "余额（元）")


def spell(style: int, building: str, entrance: str, room: str, address: str) -> str:
    """A unit written in one of the five ways city lists write it."""
    b, e = int(building), int(entrance or 1)
    return (f"{b}栋{e}单元{room}室", f"{b}-{e}-{room}", f"{b:02d}-{e:02d}-{room}", f"{b}号楼{e}单元{room}",
            f"{address}{b}号楼{e}单元{room}室")[style % 5]


def write_authority_list(root: Path, out: Path, as_of: date | None = None, seed: int = 1) -> list[dict[str, str]]:
    """Write the authority's list of the compound at *root* to *out* (``.xlsx`` or ``.csv``); return what was
    planted: ``{"unit", "cause", "detail"}`` per household that must differ."""
    compound = load_compound(root)
    if as_of is None:
        meta = root / "synth.json"
        year = json.loads(meta.read_text("utf-8"))["last_year"] if meta.is_file() else \
            max(t.date for t in compound.transactions).year
        as_of = date(year, 12, 31)
    rng = random.Random(seed)
    register = compound.register
    ledgers = compute_subledgers(compound, as_of)
    households = register.households
    n = len(households)
    deposits = (ledgers.deposits + ledgers.top_ups).tolist()
    uses, income, balance = ledgers.uses.tolist(), ledgers.income.tolist(), ledgers.balance.tolist()
    areas = list(register.columns.area_centi)
    planted: list[dict[str, str]] = []
    eligible = [i for i in range(n) if uses[i] > 0 and income[i] > 2000 and not ledgers.developer[i]]
    if len(eligible) < 4:
        raise InputError(out, "the compound needs at least four households with uses and income to plant the "
                              "differences (generate more households or years)")
    area_at, missed_at, plus_at, minus_at = rng.sample(eligible, 4)

    delta = rng.choice((137, -86, 212, -154))  # 0.01 ㎡
    extra = int(ledgers.first_deposit[area_at]) * delta // areas[area_at]
    areas[area_at] += delta
    deposits[area_at] += extra
    balance[area_at] += extra
    planted.append({"unit": households[area_at].unit, "cause": "area",
                    "detail": f"建筑面积 {ledger_number(areas[area_at])} ㎡（名册 {households[area_at].area}），"
                              "交存随之"
                              f"{'多' if extra > 0 else '少'} {ledger_number(abs(extra))}"})

    rows = [r for r in unit_history(compound, households[missed_at].unit, as_of) if r.category == "uses"]
    shares = [-to_fen(r.amount) for r in rows]
    unique = [r for r, s in zip(rows, shares, strict=True) if shares.count(s) == 1 and s > 0]
    missed = rng.choice(unique or rows)
    share = -to_fen(missed.amount)
    uses[missed_at] -= share
    balance[missed_at] += share
    planted.append({"unit": households[missed_at].unit, "cause": "apportionment_missing_list",
                    "detail": f"{missed.date} {missed.text}：本户分摊 {ledger_number(share)}"})

    moved = rng.randint(150, min(1500, income[minus_at] // 2))
    for at, sign in ((plus_at, 1), (minus_at, -1)):
        income[at] += sign * moved
        balance[at] += sign * moved
        planted.append({"unit": households[at].unit, "cause": "interest",
                        "detail": f"利息{'多' if sign > 0 else '少'}分 {ledger_number(moved)}"})

    address = compound.config.address
    body: list[list[Any]] = []
    for i, household in enumerate(households):
        room = household.unit.rsplit("-", 1)[-1]
        body.append([i + 1, spell(rng.randrange(5), household.building, household.entrance, room, address),
                     household.owner_name, areas[i], deposits[i], uses[i], income[i], balance[i]])
    totals = ["合计", "", "", sum(areas), sum(deposits), sum(uses), sum(income), sum(balance)]
    title = f"{compound.config.name}住宅专项维修资金分户账"
    dated = f"截至{as_of.year}年{as_of.month}月{as_of.day}日"
    if out.suffix.lower() == ".csv":
        def text(row: list[Any]) -> list[str]:
            return [str(row[0]), row[1], row[2], ledger_number(row[3]), *(ledger_number(v) for v in row[4:])]
        lines = [[title], [dated, "", "", "", "", "", "", "单位：元"], list(HEADER), *(text(r) for r in body),
                 ["合计", "", "", *(ledger_number(v) for v in totals[3:])]]
        write_bytes(out, csv_bytes(lines, "gbk"))
    else:
        write_bytes(out, _xlsx(title, dated, body, totals))
    return planted


def _xlsx(title: str, dated: str, body: list[list[Any]], totals: list[Any]) -> bytes:
    from decimal import Decimal

    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "分户账"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append([dated, None, None, None, None, None, None, "单位：元"])
    ws.append(list(HEADER))
    for row in [*body, totals]:
        ws.append([*row[:3], *(Decimal(v) / 100 if isinstance(v, int) else v for v in row[3:])])
    for column, width in zip("ABCDEFGH", (6, 44, 10, 12, 14, 16, 16, 14), strict=True):
        ws.column_dimensions[column].width = width
    raw = io.BytesIO()
    book.save(raw)
    return _deterministic_zip(raw.getvalue())
