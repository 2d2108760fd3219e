"""Learned categorisation (importers/suggest.py): suggestions from the books for lines no rule categorises."""

from __future__ import annotations

import tomllib
import zlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import SMALL_CONFIG

from commonfund.audit.findings import run_audit
from commonfund.cli import main
from commonfund.compound.config import CONFIG_NAME, CategoryRule, load_config
from commonfund.compound.model import load_compound
from commonfund.importers.importing import import_statements
from commonfund.importers.ledger import read_books
from commonfund.importers.suggest import (
    THRESHOLD,
    Suggester,
    evaluate,
    examples_of,
    load_suggester,
    party_key,
    propose_rules,
    resolutions_of,
)
from commonfund.synth.generator import synth_compound
from commonfund.synth.writers import SynthLine, icbc_csv

CR = "Assets:CommonRevenue:Bank-共有收益户"
CM = "Assets:Committee:Bank-工作经费户"
COMMITTEE_BANK = """
[[bank_accounts]]
account = "Assets:Committee:Bank-工作经费户"
bank = "ABC"
last_digits = "9012"
fund = "Committee"
profile = "abc-corporate"
"""
# What the books of 2024 hold each month: (day, bank, payee, narration, amount, account). 6 × 12 = 72 lines.
MONTHLY = (
    (10, CR, "上海锦华物业服务有限公司", "{m}月停车费", "3000.00", "Income:CommonRevenue:Parking-停车"),
    (15, CR, "丰巢网络技术有限公司", "快递柜场地费", "1200.00", "Income:CommonRevenue:Lockers-快递柜"),
    (20, CR, "城市梯媒广告传播有限公司", "电梯广告费", "800.00", "Income:CommonRevenue:Advertising-广告"),
    (25, CR, "上海市浦东新区税务局", "代扣税费", "-150.00", "Expenses:CommonRevenue:Tax-税费"),
    (5, CM, "得力办公用品商行", "办公用品", "-200.00", "Expenses:Committee:Office-办公费"),
    (27, CM, "张伟", "{m}月委员津贴", "-500.00", "Expenses:Committee:Allowance-津贴"),
)
OPENING = f"""
2024-01-01 * "期初" "工作经费期初余额"
  {CM}  20000.00 CNY
  Equity:Committee:Opening-期初  -20000.00 CNY
"""


def history(months: int = 12) -> str:
    out = [OPENING]
    for month in range(1, months + 1):
        for day, bank, payee, narration, amount, account in MONTHLY:
            payee = "锦华物业" if payee.startswith("上海锦华") and month % 2 else payee
            out.append(f'2024-{month:02d}-{day:02d} * "{payee}" "{narration.format(m=month)}"\n'
                       f"  {bank}  {amount} CNY\n  {account}  {-Decimal(amount)} CNY\n")
    return "\n".join(out)


CR_BALANCE = 12 * Decimal("4850.00")
# January 2025 on the common-revenue account: (day, amount, counterparty, summary)
JANUARY = [
    ("2025-01-10", "3100.00", "锦华物业管理有限公司第二分公司", "临停收入"),
    ("2025-01-15", "1200.00", "丰巢科技", "1月快递柜场地费"),
    ("2025-01-20", "800.00", "城市梯媒广告传播有限公司", "电梯广告费"),
    ("2025-01-22", "-180.00", "得力办公用品商行", "办公用品"),
    ("2025-01-25", "-150.00", "上海市浦东新区税务局", "代扣税费"),
    ("2025-01-26", "88.00", "某某商贸有限公司", "来源不明"),
]
VENUE_RULE = '\n[[rules]]\ncounterparty = "梯媒"\naccount = "Income:CommonRevenue:Venue-场地"\n'


def statement(path: Path, items: list[tuple[str, str, str, str]], opening: Decimal = CR_BALANCE) -> Path:
    balance, out = opening, []
    for n, (day, amount, party, summary) in enumerate(items):
        balance += Decimal(amount)
        account = f"62{zlib.crc32(party.encode('utf-8')) % 10**14:014d}"
        out.append(SynthLine(date.fromisoformat(day), f"10:00:{n:02d}", Decimal(amount), balance, "", party,
                             account, summary, summary))
    path.write_bytes(icbc_csv(out, "1001020300005678"))
    return path


@pytest.fixture
def compound(make_compound):  # type: ignore[no-untyped-def]
    return make_compound(history(), config=SMALL_CONFIG + COMMITTEE_BANK + VENUE_RULE)


def by_payee(root: Path) -> dict[str, object]:
    books = load_compound(root)
    assert books.errors == [], [e.message for e in books.errors]
    return {t.payee: t for t in books.transactions if "import_id" in t.meta}


def test_party_key_reduces_name_variants_to_one_core() -> None:
    names = ("上海锦华物业服务有限公司", "锦华物业", "上海锦华物业管理有限公司第二分公司", "锦华物业服务有限公司")
    assert {party_key(n) for n in names} == {"锦华物业"}
    assert party_key("深圳市丰巢网络技术有限公司上海分公司") == party_key("丰巢网络技术有限公司") == "丰巢"
    assert party_key("中国铁塔股份有限公司上海市分公司") == party_key("铁塔公司")
    assert party_key("张伟") == "张伟"
    assert party_key("上海市政管网工程有限公司") == "市政管网"  # 上海 + 市政, not 上海市 + 政
    assert party_key("银行") == party_key("微信支付") == ""  # the bank, a platform: no counterparty


def test_import_suggests_flags_and_counts(compound: Path, tmp_path: Path) -> None:
    report = import_statements(compound, [statement(tmp_path / "jan.csv", JANUARY)])
    assert report.suggesting
    [file] = report.files
    txns = by_payee(compound)
    parking = txns["锦华物业管理有限公司第二分公司"]
    assert parking.flag == "!"  # type: ignore[attr-defined]
    assert parking.postings[1].account == "Income:CommonRevenue:Parking-停车"  # type: ignore[attr-defined]
    assert parking.meta["suggested"] == "Income:CommonRevenue:Parking-停车"  # type: ignore[attr-defined]
    assert THRESHOLD <= parking.meta["confidence"] <= 1  # type: ignore[attr-defined]
    assert txns["丰巢科技"].postings[1].account == "Income:CommonRevenue:Lockers-快递柜"  # type: ignore[attr-defined]
    assert txns["上海市浦东新区税务局"].postings[1].account == "Expenses:CommonRevenue:Tax-税费"  # type: ignore
    unknown = txns["某某商贸有限公司"]
    assert unknown.postings[1].account == "Income:CommonRevenue:Uncategorized-待分类"  # type: ignore[attr-defined]
    assert "suggested" not in unknown.meta  # type: ignore[attr-defined]
    suggested = [t for t in txns.values() if "suggested" in t.meta]  # type: ignore[attr-defined]
    assert file.suggested == len(suggested) == 3
    assert file.uncategorised == 2  # 某某商贸, and 得力 (a Committee counterparty on the common-revenue account)


def test_rule_beats_suggestion(compound: Path, tmp_path: Path) -> None:
    import_statements(compound, [statement(tmp_path / "jan.csv", JANUARY)])
    ads = by_payee(compound)["城市梯媒广告传播有限公司"]
    # the books booked 梯媒 to 广告 twelve times, but the rule of compound.toml says 场地: the rule wins
    assert ads.postings[1].account == "Income:CommonRevenue:Venue-场地"  # type: ignore[attr-defined]
    assert ads.flag == "*" and "suggested" not in ads.meta  # type: ignore[attr-defined]


def test_no_suggestion_crosses_funds(compound: Path, tmp_path: Path) -> None:
    import_statements(compound, [statement(tmp_path / "jan.csv", JANUARY)])
    office = by_payee(compound)["得力办公用品商行"]
    # 得力 is booked to Expenses:Committee:Office twelve times, from the Committee's account; on the common
    # revenue account it gets no Committee account
    assert office.postings[1].account == "Expenses:CommonRevenue:Uncategorized-待分类"  # type: ignore[attr-defined]
    config = load_config(compound / CONFIG_NAME)
    suggester = Suggester.from_examples(examples_of(read_books(compound / "main.beancount").entries,
                                                    {b.account: b.fund for b in config.bank_accounts}), {})
    ranked = suggester.rank("CommonRevenue", "out", "得力办公用品商行", "", "办公用品", Decimal("180"))
    assert all(label.split(":")[1] == "CommonRevenue" for label, _, _ in ranked)
    assert suggester.suggest("Committee", "out", "得力办公用品商行", "", "办公用品", Decimal("180"),
                             date(2025, 1, 22)).account == "Expenses:Committee:Office-办公费"  # type: ignore


def test_no_suggest_and_summary(compound: Path, tmp_path: Path) -> None:
    file = statement(tmp_path / "jan.csv", JANUARY)
    result = CliRunner().invoke(main, ["import", str(compound), str(file), "--no-suggest", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "suggested" not in result.output and "5 uncategorised" in result.output
    result = CliRunner().invoke(main, ["import", str(compound), str(file)])
    assert result.exit_code == 0, result.output
    assert "2 uncategorised, 3 suggested" in result.output
    assert "total: 6 new, 0 duplicates skipped, 2 uncategorised (待分类), 3 suggested" in result.output


def test_suggestions_are_deterministic(compound: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = statement(tmp_path / "jan.csv", JANUARY)
    texts = []
    for n in range(3):  # a cold cache, a warm one, another cold one
        monkeypatch.setenv("COMMONFUND_CACHE", str(tmp_path / f"cache-{n // 2}"))
        texts.append(import_statements(compound, [file], dry_run=True).text())
    assert texts[0] == texts[1] == texts[2]
    assert texts[0].count('suggested: "') == 3


def test_cache_rebuilt_only_when_the_books_change(compound: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMONFUND_CACHE", str(tmp_path / "cache"))
    config = load_config(compound / CONFIG_NAME)

    def load() -> Suggester:
        return load_suggester(compound, read_books(compound / "main.beancount").entries, config)

    first, second = load(), load()
    assert (first.cached, second.cached) == (False, True)
    assert second.lines == first.lines == 72
    assert second.rank("CommonRevenue", "in", "锦华物业", "", "临停收入", Decimal(3000)) == \
        first.rank("CommonRevenue", "in", "锦华物业", "", "临停收入", Decimal(3000))
    books = compound / "books" / "books.beancount"
    books.write_text(books.read_text("utf-8") + '\n2024-12-30 * "锦华物业" "停车费"\n'
                     f"  {CR}  10.00 CNY\n  Income:CommonRevenue:Parking-停车  -10.00 CNY\n", "utf-8")
    third = load()
    assert not third.cached and third.lines == 73
    assert load().cached


def test_check_clean_and_audit_counts_unconfirmed_suggestions(compound: Path, tmp_path: Path) -> None:
    import_statements(compound, [statement(tmp_path / "jan.csv", JANUARY)])
    result = CliRunner().invoke(main, ["check", str(compound)])
    assert result.exit_code == 0, result.output
    books = load_compound(compound)
    [finding] = run_audit(books, only=["suggested_unconfirmed"])
    assert finding.severity == "warning" and finding.rule == "待确认的建议分类"
    assert "3 笔导入流水" in finding.message_zh and len(finding.entries) == 3
    assert finding.amount == Decimal("4450.00")  # 3100 + 1200 + 150
    # the treasurer confirms them (! → *): no finding, and they become examples for the next import
    for path in (compound / "imports").rglob("2025-01*.beancount"):
        path.write_text(path.read_text("utf-8").replace("2025-01-10 !", "2025-01-10 *")
                        .replace("2025-01-15 !", "2025-01-15 *").replace("2025-01-25 !", "2025-01-25 *"), "utf-8")
    assert run_audit(load_compound(compound), only=["suggested_unconfirmed"]) == []
    config = load_config(compound / CONFIG_NAME)
    examples = examples_of(read_books(compound / "main.beancount").entries,
                           {b.account: b.fund for b in config.bank_accounts})
    assert len(examples) == 76  # and the line the rule booked


def test_suggests_resolution_and_apportion_where_the_books_show_them(make_compound) -> None:  # type: ignore[no-untyped-def]
    mf = "Assets:MaintenanceFund:Bank-维修资金专户"
    repair = "Expenses:MaintenanceFund:Repair-维修:Elevator-电梯"
    lines = [f'2024-01-02 * "首期" "首期维修资金"\n  {mf}  500000.00 CNY\n'
             "  Income:MaintenanceFund:Deposit-首期交存  -500000.00 CNY\n    apportion: \"first-deposit\"\n"]
    lines += [f'2024-{m:02d}-05 * "上海申安电梯工程有限公司" "电梯维保分期"\n  resolution: "R-1"\n'
              f"  {repair}  1000.00 CNY\n    apportion: \"building:1\"\n  {mf}  -1000.00 CNY\n" for m in range(2, 12)]
    root = make_compound("\n".join(lines), files={"resolutions.beancount": (
        '2024-01-05 custom "resolution" "R-1" "5" "1号楼电梯维保"\n  voted_area: 400.00\n  voted_count: 3\n'
        "  agree_area: 400.00\n  agree_count: 3\n  valid_until: 2025-06-30\n")})
    config = load_config(root / CONFIG_NAME)
    entries = read_books(root / "main.beancount").entries
    suggester = Suggester.from_examples(examples_of(entries, {b.account: b.fund for b in config.bank_accounts}),
                                        resolutions_of(entries))
    found = suggester.suggest("MaintenanceFund", "out", "申安电梯", "", "电梯维保分期款", Decimal(1000),
                              date(2025, 1, 5))
    assert found is not None and found.account == repair
    assert (found.resolution, found.apportion) == ("R-1", "building:1")
    later = suggester.suggest("MaintenanceFund", "out", "申安电梯", "", "电梯维保分期款", Decimal(1000),
                              date(2025, 7, 5))
    assert later is not None and (later.resolution, later.apportion) == ("", "")  # R-1 no longer valid


def test_rules_learn_proposes_rules_to_paste(compound: Path) -> None:
    result = CliRunner().invoke(main, ["rules", str(compound), "--learn"])
    assert result.exit_code == 0, result.output
    proposed = tomllib.loads(result.stdout)["rules"]
    rules = {r["counterparty"]: r for r in proposed}
    # 梯媒 has a rule already; the others are proposed, with their core name as the pattern
    assert set(rules) == {"锦华物业", "丰巢", "浦东新区税务局", "得力办公用品", "张伟"}
    assert rules["锦华物业"] == {"counterparty": "锦华物业", "direction": "in",
                                 "account": "Income:CommonRevenue:Parking-停车"}
    assert "# 上海锦华物业服务有限公司、锦华物业: 12 lines 2024-01-10 … 2024-12-10" in result.stdout
    for rule in proposed:
        CategoryRule.model_validate(rule)
    # pasted into compound.toml, they categorise the January lines, and nothing more is proposed for them
    config = compound / CONFIG_NAME
    config.write_text(config.read_text("utf-8") + "\n" + result.stdout, "utf-8")
    assert propose_rules(read_books(compound / "main.beancount").entries, load_config(config)) == []


def test_evaluation_on_generated_books_with_name_variants(tmp_path: Path) -> None:
    root = synth_compound(tmp_path / "noisy", 120, 3, seed=5, variants=True)
    books = read_books(root / "main.beancount")
    result = evaluate(books.entries, load_config(root / CONFIG_NAME))
    assert result.test > 100 and result.seen > 100
    assert result.seen_right / result.seen >= 0.95, result.summary()
    assert result.suggested_right >= 0.9 * result.suggested, result.summary()
    assert 'name_variants' in (root / "synth.json").read_text("utf-8")
    text = "".join(p.read_text("utf-8") for p in (root / "books").glob("*.beancount"))
    assert "锦华物业管理有限公司第二分公司" in text and "临停收入" in text


def test_fava_import_page_uses_the_same_step(compound: Path, tmp_path: Path) -> None:
    from beancount.core import data

    from commonfund.importers import importers_for

    path = str(statement(tmp_path / "jan.csv", JANUARY))
    importer = next(imp for imp in importers_for(compound) if imp.identify(path))
    existing = load_compound(compound).entries  # what Fava passes: the loaded books
    txns = [e for e in importer.extract(path, existing) if isinstance(e, data.Transaction)]
    cli = [e for e in import_statements(compound, [path], dry_run=True).entries if isinstance(e, data.Transaction)]
    assert [(t.flag, t.postings[1].account, t.meta.get("suggested"), t.meta.get("confidence")) for t in txns] == \
        [(t.flag, t.postings[1].account, t.meta.get("suggested"), t.meta.get("confidence")) for t in cli]
    assert sum("suggested" in t.meta for t in txns) == 3


def test_nothing_is_learned_when_the_rules_categorise_every_line(compound: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("COMMONFUND_CACHE", str(cache))
    report = import_statements(compound, [statement(tmp_path / "ads.csv", [JANUARY[2]])], dry_run=True)
    assert report.files[0].new == 1 and not report.suggesting
    assert not (cache / "suggest").exists()  # the books were not even fingerprinted
    report = import_statements(compound, [statement(tmp_path / "jan.csv", JANUARY)], dry_run=True)
    assert report.suggesting and len(list((cache / "suggest").iterdir())) == 1
