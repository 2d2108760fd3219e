"""Reading and recognising statement files: encodings, workbooks, headers found by name, bad input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from commonfund.core.errors import InputError
from commonfund.importers import read_statement
from commonfund.importers.profiles import load_profiles, shipped_profiles
from commonfund.importers.read import read_grids
from commonfund.synth.writers import xlsx_bytes

FIXTURES = Path(__file__).resolve().parents[2] / "importers" / "fixtures"
GENERIC = ("说明：维修资金明细\n日期,摘要,收入,支出,余额,对方户名\n2024/1/5,续交,100.00,,100.00,张三\n"
           "2024/1/6,维修,,40.00,60.00,某公司\n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(GENERIC.encode(encoding))
    statement = read_statement(path, load_profiles())
    assert statement.profile_name == "generic"
    assert [str(line.amount) for line in statement.lines] == ["100.00", "-40.00"]
    assert statement.lines[0].counterparty == "张三"


def test_unexpected_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(GENERIC.encode("gbk") + b"\x80\xff\xfe\x81")
    with pytest.raises(InputError, match=r"s\.csv: is not a text export in UTF-8, UTF-16 or GBK/GB18030"):
        read_statement(path, load_profiles())


def test_csv_that_is_really_an_ole_workbook() -> None:
    path = FIXTURES / "icbc-corporate" / "layout-d-really-xls.csv"
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    assert read_statement(path, load_profiles()).profile_name == "icbc-corporate"


def test_truncated_xlsx(tmp_path: Path) -> None:
    data = xlsx_bytes([["日期", "收入", "支出"], ["2024-01-01", "1", ""]])
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"cut\.xlsx: is not a readable Excel workbook \(truncated or damaged"):
        read_grids(path)


def test_every_sheet_is_read(tmp_path: Path) -> None:
    data = xlsx_bytes([["封面"]])
    raw = io.BytesIO(data)
    assert zipfile.ZipFile(raw).testzip() is None
    grids = read_grids(FIXTURES / "wechat" / "personal-2026.xlsx")
    assert len(grids) == 1 and grids[0].rows[0][0] == "微信支付账单明细"


def test_unrecognised_file_names_profiles_and_what_to_put(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("流水\n记账日,币别,发生数,结余,说明\n2024-01-01,人民币,5.00,5.00,x\n", "utf-8")
    with pytest.raises(InputError) as caught:
        read_statement(path, load_profiles())
    message = str(caught.value)
    assert "odd.csv: no statement profile recognises this file (tried abc-corporate, abc-debit, alipay" in message
    assert "row 2: 记账日, 币别, 发生数, 结余, 说明" in message
    assert "generic.toml" in message and "[columns]" in message


def test_forced_unknown_profile(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(GENERIC, "utf-8")
    with pytest.raises(InputError, match="no statement profile named 'nope'"):
        read_statement(path, load_profiles(), "nope")


def test_profiles_found_from_the_package_and_a_compound(tmp_path: Path) -> None:
    assert (shipped_profiles() / "icbc-corporate.toml").is_file()
    local = tmp_path / "importers"
    local.mkdir()
    text = (shipped_profiles() / "generic.toml").read_text("utf-8")
    (local / "hzbank.toml").write_text(text.replace('name = "generic"', 'name = "hzbank"')
                                       .replace("priority = -1", "priority = 5"), "utf-8")
    profiles = load_profiles(tmp_path)
    assert "hzbank" in profiles and "icbc-corporate" in profiles
    path = tmp_path / "s.csv"
    path.write_text(GENERIC, "utf-8")
    assert read_statement(path, profiles).profile_name == "hzbank"


def test_bad_profile_key_is_named(tmp_path: Path) -> None:
    local = tmp_path / "importers"
    local.mkdir()
    (local / "bad.toml").write_text('name = "bad"\ntitle = "x"\nbank = "X"\n[columns]\ndate = ["日期"]\ncolour = 1\n',
                                    "utf-8")
    with pytest.raises(InputError, match=r"bad\.toml: columns\.colour: unknown key"):
        load_profiles(tmp_path)


# ── Files named .xls/.xlsx that are really text (bank portals do this): read by their content.
HTML = ("<html><head><meta charset=\"gbk\"></head><body><table><tr><td colspan=\"3\">说明：维修资金明细</td></tr>"
        "<tr><th>日期</th><th>摘要</th><th>收入</th><th>支出</th><th>余额</th><th>对方户名</th></tr>"
        "<tr><td>2024/1/5</td><td>续交</td><td>100.00</td><td></td><td>100.00</td><td>张三</td></tr>"
        "<tr><td>2024/1/6</td><td>维修</td><td></td><td>40.00</td><td>60.00</td><td>某公司&amp;分公司</td></tr>"
        "</table></body></html>")


@pytest.mark.parametrize("suffix", [".xls", ".xlsx"])
@pytest.mark.parametrize(("kind", "data"), [
    ("csv", GENERIC.encode("gbk")),
    ("tsv", GENERIC.replace(",", "\t").encode("utf-8")),
    ("html", HTML.encode("gbk")),
])
def test_workbook_name_with_text_inside_is_read_by_content(tmp_path: Path, suffix: str, kind: str,
                                                           data: bytes) -> None:
    path = tmp_path / f"statement{suffix}"
    path.write_bytes(data)
    statement = read_statement(path, load_profiles())
    assert statement.profile_name == "generic"
    assert [str(line.amount) for line in statement.lines] == ["100.00", "-40.00"]
    assert statement.lines[1].counterparty == ("某公司&分公司" if kind == "html" else "某公司")


def test_workbook_name_with_neither_workbook_nor_text_inside(tmp_path: Path) -> None:
    path = tmp_path / "s.xls"
    path.write_bytes(b"\x80\xff\xfe\x81" * 50)
    with pytest.raises(InputError, match=r"s\.xls: is named \.xls but is neither an Excel workbook nor a text or HTML"):
        read_statement(path, load_profiles())


def test_excel_safe_cells_are_unwrapped_in_the_header_too(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    rows = [line.split(",") for line in GENERIC.splitlines()]
    path.write_text("\n".join(",".join(f'"=""{c}"""' if c else "" for c in row) for row in rows) + "\n", "utf-8")
    assert path.read_text("utf-8").splitlines()[1].startswith('"=""日期""","=""摘要"""')
    statement = read_statement(path, load_profiles())
    assert statement.profile_name == "generic" and statement.lines[0].counterparty == "张三"


def test_generic_takes_the_first_non_empty_candidate_column(tmp_path: Path) -> None:
    # A BoCom-like export: 摘要 empty on most lines, the kind of line in 交易类型; the counterparty in 对手信息.
    path = tmp_path / "s.csv"
    path.write_text("日期,交易类型,摘要,收入,支出,余额,对手信息\n"
                    "2024-01-20,存款利息,,4.56,,104.56,\n"
                    "2024-01-21,转账支出,路灯维修,,4.56,100.00,上海园林市政工程有限公司6222001234567890\n", "utf-8")
    statement = read_statement(path, load_profiles())
    assert statement.profile_name == "generic"
    assert [(line.summary, line.counterparty) for line in statement.lines] == [
        ("存款利息", ""), ("路灯维修", "上海园林市政工程有限公司6222001234567890")]
    from commonfund.importers.categorise import Categoriser

    interest = Categoriser("MaintenanceFund", ())(statement.lines[0])
    assert interest.account == "Income:MaintenanceFund:Interest-利息" and not interest.uncategorised


@pytest.mark.parametrize(("days", "row", "around"), [
    # oldest first, row 4 (2024-01-27) between 01-01 and 01-20
    (["2024-01-01", "2024-01-01", "2024-01-27", "2024-01-20", "2024-01-23"], 4,
     "the file runs oldest first and row 3 is dated 2024-01-01 and row 5 is dated 2024-01-20"),
    # oldest first, the first line is a year late
    (["2025-01-01", "2024-02-02", "2024-03-03", "2024-04-04"], 2,
     "the file runs oldest first and row 3 is dated 2024-02-02"),
    # newest first, row 5 (2024-03-30) belongs before row 3
    (["2024-04-04", "2024-03-03", "2024-02-02", "2024-03-30", "2024-01-01"], 5,
     "the file runs newest first and row 4 is dated 2024-02-02 and row 6 is dated 2024-01-01"),
])
def test_a_line_out_of_date_order_is_named(tmp_path: Path, days: list[str], row: int, around: str) -> None:
    path = tmp_path / "s.csv"
    body = "".join(f"{day},x,1.00,,{n + 1}.00,\n" for n, day in enumerate(days))
    path.write_text("日期,摘要,收入,支出,余额,对方户名\n" + body, "utf-8")
    with pytest.raises(InputError) as caught:
        read_statement(path, load_profiles())
    assert str(caught.value).startswith(f"{path}:{row}: this line (dated {days[row - 2]}) is out of order: {around};")
