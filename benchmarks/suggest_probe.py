"""Learned categorisation (issue 19): what the suggestion step adds to an import, and how right it is.

``suggest_step``: learning from the books with a cold cache (the books changed since the last import, as after
every import) and suggesting for every line of the month's statement, beyond the load — the import reads the
books anyway. The warm figure (cache hit: the same books imported into again) is beside it.

``suggest_accuracy`` and ``suggest_left``: on the demo compound and on generated compounds with noisy names
(``commonfund synth --name-variants``), learn from the first 75% of the months of the books and suggest for the
last 25% (:func:`commonfund.importers.suggest.evaluate`): top-1 accuracy for counterparties seen before and for
new ones; of the lines no rule categorises, how many get a suggestion (and how many of those are right) and how
many stay on 待分类.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.registry import Clock, Figures, Unavailable, measure

EVAL_COMPOUNDS = (  # (label, households, years, seed, name variants)
    ("demo", 3237, 2, 20250101, False),
    ("demo+variants", 3237, 2, 20250101, True),
    ("1000x5+variants", 1000, 5, 3, True),
)


@measure("suggest_step", "import: learning categories from the books (cold cache) + suggesting a month's lines, "
         "beyond the load", basis="beyond-load", target=0.3, heavy=True)
def suggest_step(workload: dict[str, Any]) -> Figures:
    if not workload.get("statement"):
        raise Unavailable(workload.get("statement_note") or "no statement to import")
    from commonfund.compound.config import CONFIG_NAME, load_config
    from commonfund.importers.extract import choose_bank_account
    from commonfund.importers.importing import read_statement
    from commonfund.importers.ledger import read_books
    from commonfund.importers.profiles import load_profiles

    root = Path(workload["compound"])
    books = read_books(root / "main.beancount")
    config = load_config(root / CONFIG_NAME)
    statement = read_statement(Path(workload["statement"]), load_profiles(root))
    bank = choose_bank_account(statement, config)
    with tempfile.TemporaryDirectory() as cache:
        os.environ["COMMONFUND_CACHE"] = cache
        with Clock() as cold:
            from commonfund.importers.suggest import load_suggester

            suggester = load_suggester(root, books.entries, config)
            suggest = suggester.categoriser(bank.fund, books.open_accounts)
            found = [suggest(line) for line in statement.lines]
        with Clock() as warm:
            again = load_suggester(root, books.entries, config)
            again_suggest = again.categoriser(bank.fund, books.open_accounts)
            for line in statement.lines:
                again_suggest(line)
    assert again.cached and not suggester.cached
    return cold.figures(warm_seconds=round(warm.cpu, 4), lines=len(statement.lines),
                        suggested=sum(f is not None for f in found), examples=suggester.lines,
                        summary=f"warm (cache hit) {warm.cpu * 1000:.1f} ms; {suggester.lines} booked lines learned "
                                f"from; every one of the {len(statement.lines)} lines asked (the import asks only "
                                "for those no rule categorises)")


def _evaluations(work: Path) -> list[tuple[str, Any]]:
    from commonfund.compound.config import CONFIG_NAME, load_config
    from commonfund.importers.ledger import read_books
    from commonfund.importers.suggest import evaluate
    from commonfund.synth.generator import synth_compound

    out = []
    for label, households, years, seed, variants in EVAL_COMPOUNDS:
        root = work / f"suggest-eval-{label}"
        if not (root / "main.beancount").exists():
            synth_compound(root, households, years, seed, variants=variants, name="锦绣花园")
        books = read_books(root / "main.beancount")
        out.append((label, evaluate(books.entries, load_config(root / CONFIG_NAME))))
    return out


@measure("suggest_accuracy", "suggestions: top-1 accuracy on the last 25% of the months, learned from the first "
         "75% (seen / unseen counterparties)", basis="reference", heavy=True, scope="once")
def suggest_accuracy(workload: dict[str, Any]) -> Figures:
    with Clock() as clock:
        results = _evaluations(Path(workload["work"]))
    seen = sum(r.seen for _, r in results)
    seen_right = sum(r.seen_right for _, r in results)
    unseen = sum(r.unseen for _, r in results)
    unseen_right = sum(r.unseen_right for _, r in results)
    return clock.figures(
        figure=f"seen {seen_right / seen:.1%}, unseen {unseen_right / unseen:.1%}" if seen and unseen else "—",
        summary="; ".join(f"{label}: seen {r.share(r.seen_right, r.seen)} ({r.seen_right}/{r.seen}; new spellings "
                          f"{r.respelled_right}/{r.respelled}), unseen {r.share(r.unseen_right, r.unseen)} "
                          f"({r.unseen_right}/{r.unseen})" for label, r in results))


@measure("suggest_left", "suggestions: lines no rule categorises that stay on 待分类 (last 25% of the months)",
         basis="reference", heavy=True, scope="once")
def suggest_left(workload: dict[str, Any]) -> Figures:
    with Clock() as clock:
        results = _evaluations(Path(workload["work"]))
    no_rule = sum(r.suggested + r.left for _, r in results)
    left = sum(r.left for _, r in results)
    return clock.figures(
        figure=f"{left} of {no_rule} left on 待分类",
        summary="; ".join(f"{label}: of {r.suggested + r.left} lines no rule categorises, {r.suggested} suggested "
                          f"({r.suggested_right} right), {r.left} left on 待分类 ({r.by_rule} by rules)"
                          for label, r in results))
