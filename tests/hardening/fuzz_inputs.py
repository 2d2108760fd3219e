"""Hypothesis strategies for the user files commonfund reads: household registers, ballot files and
compound configs — as raw bytes, as near-valid tables with damaged cells (CSV in several encodings, real
xlsx workbooks, truncated or bit-flipped), and as line-level mutations of a valid config.

Each strategy draws ``(suffix, bytes)``; the tests write the bytes to a file with that suffix.
"""

from __future__ import annotations

import csv
import io
import json
import re
import struct
import zipfile
from datetime import date, datetime

import openpyxl
from hypothesis import strategies as st

from commonfund.register.model import COLUMNS

NASTY_CELLS = [
    "", " ", "\u3000", "\t", "0", "1", "-1", "-0", "0.00", "0.001", "1e3", "1E-2", "NaN", "nan", "Infinity", "-inf",
    "1,000.00", "1,2,3", "99999999999.99", "999999999999.99", "1e999999999", "１２３", "١٢٣", "1_000", "12.345",
    " 12 ", "是", "否", "√", "yes", "no", "TRUE", "None", "null", "N/A", "—", "3-2-1502", "1-1-101", "A2", "1-",
    "-1-101", "registered", "测绘", "合同", "登记", "2024-01-01", "2024-02-30", "2099-12-31", "0001-01-01",
    "=HYPERLINK(\"http://x\",\"y\")", "=1+1", "+1", "@SUM(A1)", "-2+3", "\x00", "\ufeff", "\ud7ff", "张伟",
    "欧阳娜娜", "13800000001", "110101199001011234", "a\nb", "\"", "'", ",", "x" * 300, "9" * 5000,
]
"""Cell values known to trip parsers: numbers in odd notations, huge values, control characters, formulas."""


def truncated_xls() -> bytes:
    """An .xls (OLE compound file) cut short after its FAT sector: its directory sector is missing.

    Found by the long statement fuzz run: calamine panics on it (``PanicException``, a BaseException that
    ``except Exception`` does not catch), which reached the user as a traceback."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)  # version 3, 512-byte sectors
    struct.pack_into("<II", header, 44, 1, 1)  # one FAT sector; the directory starts in sector 1
    struct.pack_into("<IIIII", header, 56, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    for k in range(109):
        struct.pack_into("<I", header, 76 + 4 * k, 0 if k == 0 else 0xFFFFFFFF)
    fat = bytearray(b"\xff" * 512)
    struct.pack_into("<III", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE, 0xFFFFFFFE)
    return bytes(header) + bytes(fat) + bytes(300)


def cell() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NASTY_CELLS), st.text(max_size=12),
                     st.from_regex(r"-?[0-9]{1,14}(\.[0-9]{1,4})?", fullmatch=True))


@st.composite
def register_table(draw: st.DrawFn) -> list[list[str]]:
    """A register as rows of cells: a valid-looking one with some columns dropped/renamed/shuffled and
    some cells replaced by nasty values."""
    keys = list(COLUMNS)
    dropped = draw(st.sets(st.sampled_from(keys), max_size=3)) if draw(st.integers(0, 3)) == 0 else set()
    keys = [k for k in keys if k not in dropped]
    keys = draw(st.permutations(keys))
    header = [draw(st.sampled_from(COLUMNS[k])) for k in keys]
    if draw(st.integers(0, 4)) == 0:  # an extra column the register does not know
        position = draw(st.integers(0, len(header)))
        header.insert(position, draw(st.text(max_size=6)))
        keys.insert(position, "junk")
    rows = [header]
    units: list[str] = []
    for number in range(draw(st.integers(0, 8))):
        building = draw(st.sampled_from(["1", "2", "A2", "10"]))
        entrance = draw(st.sampled_from(["1", "2", ""]))
        room = draw(st.sampled_from(["101", "102", "1502", str(number + 201)]))
        unit = f"{building}-{entrance}-{room}" if entrance else f"{building}-{room}"
        if units and draw(st.integers(0, 9)) == 0:
            unit = draw(st.sampled_from(units))  # a duplicate
        units.append(unit)
        sold = draw(st.sampled_from(["是", "否", "1", "0", ""]))
        valid = {
            "unit": unit, "building": building, "entrance": entrance, "floor": room[:-2] or "1",
            "area": draw(st.from_regex(r"[1-9][0-9]{1,2}\.[0-9]{2}", fullmatch=True)),
            "area_source": draw(st.sampled_from(["registered", "surveyed", "contract", "登记", "测绘", "合同", ""])),
            "owner_id": draw(st.sampled_from(["O1", "O2", "O3", "DEVELOPER"] if sold != "否" else ["", "DEVELOPER"])),
            "owner_name": draw(st.sampled_from(["张伟", "李娜", "欧阳娜娜"] if sold != "否" else ["", "锦绣置业"])),
            "first_deposit": draw(st.from_regex(r"[0-9]{1,5}\.[0-9]{2}", fullmatch=True)),
            "sold": sold, "delivered": sold, "phone": draw(st.sampled_from(["", "13800000001"])), "junk": "",
        }
        row = [valid.get(k, "") for k in keys]
        if row and draw(st.integers(0, 5)) == 0:
            row[draw(st.integers(0, len(row) - 1))] = draw(cell())
        if draw(st.integers(0, 19)) == 0:
            row = row[: draw(st.integers(0, len(row)))]  # a short row
        rows.append(row)
    return rows


@st.composite
def ballot_table(draw: st.DrawFn, units: list[str]) -> list[list[str]]:
    """A ballot file ``unit,vote,date`` over *units* (the register's), damaged in places."""
    header = [draw(st.sampled_from(["unit", "房号"])), draw(st.sampled_from(["vote", "表决意见"])),
              draw(st.sampled_from(["date", "日期"]))]
    if draw(st.integers(0, 9)) == 0:
        header = draw(st.permutations(header))[: draw(st.integers(0, 3))]
    units = units if draw(st.integers(0, 3)) else units[:-1]  # mostly owners only
    rows = [header]
    unique = draw(st.integers(0, 4)) > 0  # mostly one ballot per unit; sometimes a unit votes twice
    for unit in draw(st.lists(st.sampled_from(units), max_size=len(units) + 2, unique=unique)):
        row = [unit, draw(st.sampled_from(["agree", "同意", "against", "反对", "abstain", "弃权"])),
               draw(st.sampled_from(["2025-03-01", "2025-03-02", "2024-12-31", ""]))]
        if draw(st.integers(0, 19)) == 0:
            row[draw(st.integers(0, 2))] = draw(cell())
        rows.append(row)
    return rows


def csv_bytes(rows: list[list[str]], encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    try:
        return out.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return out.getvalue().encode("utf-8", "surrogatepass")


def xlsx_bytes(rows: list[list[str]], typed: bool) -> bytes:
    """A real workbook; with *typed*, numbers, dates and booleans are stored as such (as Excel would)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([_typed(value) if typed else _safe(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return deterministic_zip(buffer.getvalue())


def deterministic_zip(content: bytes) -> bytes:
    """The same workbook with fixed timestamps (openpyxl stamps the time of saving), so that Hypothesis
    sees the same bytes for the same draws."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", b"2025-01-01T00:00:00Z", data)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0)), data,
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _safe(value: str) -> str:
    # openpyxl refuses control characters; strip them (the CSV variants keep them)
    return "".join(ch for ch in value if ch >= " " or ch in "\t\n")[:32767]


def _typed(value: str) -> object:
    text = _safe(value)
    for kind in (int, float):
        try:
            number = kind(text)
        except ValueError:
            continue
        if isinstance(number, float) and number != number:
            return text
        return number if abs(number) < 1e300 else text
    if text in ("是", "否"):
        return text == "是"
    try:
        return datetime.combine(date.fromisoformat(text), datetime.min.time())
    except ValueError:
        return text


@st.composite
def damage(draw: st.DrawFn, content: bytes) -> bytes:
    """*content* unchanged, truncated, bit-flipped, or with random bytes spliced in."""
    how = draw(st.sampled_from(["none", "none", "none", "none", "truncate", "flip", "splice"]))
    if how == "none" or not content:
        return content
    if how == "truncate":
        return content[: draw(st.integers(0, len(content) - 1))]
    if how == "flip":
        buffer = bytearray(content)
        for _ in range(draw(st.integers(1, 4))):
            buffer[draw(st.integers(0, len(buffer) - 1))] ^= draw(st.integers(1, 255))
        return bytes(buffer)
    start = draw(st.integers(0, len(content)))
    return content[:start] + draw(st.binary(max_size=32)) + content[start + draw(st.integers(0, 32)):]


@st.composite
def table_file(draw: st.DrawFn, table: st.SearchStrategy[list[list[str]]]) -> tuple[str, bytes]:
    """``(suffix, bytes)``: random bytes, or *table* as CSV (some encoding) or xlsx, perhaps damaged."""
    form = draw(st.sampled_from(["csv", "csv", "csv", "xlsx", "bytes"]))
    if form == "bytes":
        magic = draw(st.sampled_from([b"", b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf",
                                      truncated_xls()]))
        return draw(st.sampled_from([".csv", ".xlsx", ".xls"])), draw(damage(magic + draw(st.binary(max_size=400))))
    rows = draw(table)
    if form == "csv":
        encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "gb18030", "utf-16", "big5",
                                         "latin-1"]))
        return ".csv", draw(damage(csv_bytes(rows, encoding)))
    return ".xlsx", draw(damage(xlsx_bytes(rows, typed=draw(st.booleans()))))


TOML_VALUES = st.one_of(
    st.text(max_size=16).map(json.dumps),
    st.integers().map(str),
    st.sampled_from(["nan", "inf", "-inf", "1e400", "0.1", "-5", "true", "false", "2024-01-01", "1979-05-27T07:32:00Z",
                     "[]", "[1, 2]", '["a"]', "{}", '{ x = 1 }', '"1/0"', '"2/1"', '"-1/2"', '"1/2"', '"3/10"',
                     '"(["', '"Assets:MaintenanceFund:Bank-x"', '"Assets:Cash"', '"MaintenanceFund"', '""',
                     '"households.csv"', '"../../etc/passwd"', '"/dev/zero"', '"books"', '"x"', "'''\nmulti\n'''"]),
)
CONFIG_KEYS = ["name", "slug", "register", "start", "address", "currency", "committee_name", "property_company",
               "property_staff", "account", "bank", "last_digits", "fund", "profile", "unit", "role",
               "single_payment_limit", "split_payment_days", "sweep", "sweep_share", "sweep_comparison",
               "top_up_threshold", "disclosure_days", "counterparty", "summary", "direction", "unknown_key", "名称"]
TABLES = ["[[committee]]", "[[supervisors]]", "[[bank_accounts]]", "[approval]", "[policy]", "[[rules]]",
          "[policy.x]", "[[name]]", "[approval]\n[approval]", "[bogus]"]


@st.composite
def config_text(draw: st.DrawFn, base: str) -> tuple[str, bytes]:
    """``(".toml", bytes)``: *base* (a valid compound.toml) with lines deleted, duplicated, revalued or
    inserted, or raw byte damage, or random bytes."""
    form = draw(st.sampled_from(["lines", "lines", "lines", "bytes", "damage"]))
    if form == "bytes":
        return ".toml", draw(st.binary(max_size=300))
    lines = base.splitlines()
    if form == "lines":
        for _ in range(draw(st.integers(1, 4))):
            op = draw(st.sampled_from(["delete", "duplicate", "revalue", "insert", "table"]))
            at = draw(st.integers(0, max(len(lines) - 1, 0)))
            if op == "delete" and lines:
                del lines[at]
            elif op == "duplicate" and lines:
                lines.insert(at, lines[at])
            elif op == "revalue" and lines and "=" in lines[at]:
                lines[at] = lines[at].split("=", 1)[0] + "= " + draw(TOML_VALUES)
            elif op == "insert":
                lines.insert(at, f"{draw(st.sampled_from(CONFIG_KEYS))} = {draw(TOML_VALUES)}")
            else:
                lines.insert(at, draw(st.sampled_from(TABLES)))
        return ".toml", ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    return ".toml", draw(damage(base.encode("utf-8")))
