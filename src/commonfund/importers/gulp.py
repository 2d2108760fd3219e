"""The same profiles as ``beangulp`` importers, for beangulp's CLI and Fava's import page.

``importers_for(compound_root)`` returns one :class:`ProfileImporter` per profile, bound to the
compound's config (bank accounts, rules). An importer identifies a file only when its profile is the
best fit for it, so exactly one importer claims each statement. Duplicates are marked by ``import_id``
(``cmp``/``deduplicate``), not by beangulp's fuzzy heuristic. A line no rule categorises gets the account
learned from the books (:mod:`.suggest`), as with ``commonfund import``: the same step, the same default.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import beangulp
from beancount.core import data

from commonfund.compound.config import CONFIG_NAME, CompoundConfig, load_config
from commonfund.core.errors import InputError
from commonfund.importers.extract import BANK_IMPORT_ID, IMPORT_ID, choose_bank_account, extract
from commonfund.importers.migrating import match_movements, unlinked
from commonfund.importers.normalise import Statement, normalise
from commonfund.importers.profiles import Profile, load_profiles
from commonfund.importers.read import read_grids
from commonfund.importers.recognise import recognise


class ProfileImporter(beangulp.Importer):  # type: ignore[misc]
    """A beangulp importer driven by one statement profile and one compound's config."""

    def __init__(self, profile: Profile, profiles: dict[str, Profile], config: CompoundConfig,
                 root: Path | None = None) -> None:
        self.profile = profile
        self.profiles = profiles
        self.config = config
        self.root = root
        self._cache: dict[tuple[str, float], Statement | None] = {}

    @property
    def name(self) -> str:
        return f"commonfund.{self.profile.name}"

    def _statement(self, filepath: str) -> Statement | None:
        path = Path(filepath)
        key = (str(path.resolve()), path.stat().st_mtime)
        if key not in self._cache:
            try:
                grids = read_grids(path)
                layout = recognise(path, grids, self.profiles.values())
                self._cache[key] = normalise(path, layout) if layout.profile.name == self.profile.name else None
            except InputError:
                self._cache[key] = None
        return self._cache[key]

    def identify(self, filepath: str) -> bool:
        statement = self._statement(filepath)
        if statement is None:
            return False
        try:
            choose_bank_account(statement, self.config)
        except InputError:
            return False
        return True

    def account(self, filepath: str) -> data.Account:
        statement = self._statement(filepath)
        assert statement is not None
        return choose_bank_account(statement, self.config).account

    def date(self, filepath: str) -> datetime.date | None:
        statement = self._statement(filepath)
        return statement.lines[-1].date if statement else None

    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        statement = self._statement(filepath)
        if statement is None:
            return []
        bank = choose_bank_account(statement, self.config)
        opened = {e.account for e in existing if isinstance(e, data.Open)} or None
        suggest = None
        if self.root is not None and existing:
            from commonfund.importers.suggest import load_suggester, wanted

            try:
                suggester = load_suggester(self.root, existing, self.config)
            except InputError:  # the books' files cannot be fingerprinted: Fava shows that error; no suggestions
                suggester = None
            if suggester is not None and wanted(None, suggester.lines):
                suggest = suggester.categoriser(bank.fund, opened)
        result = extract(statement, bank, self.config, opened, suggest=suggest)
        return [*result.transactions, *result.balances]

    def deduplicate(self, entries: data.Entries, existing: data.Entries) -> None:
        """Mark as duplicates the lines the books already hold: the same money movement — same account,
        ``import_id``, date and amount — never a line that only shares its serial (importers/README.md); and a
        line that is the same money as a migrated cash-book entry (:func:`~.migrating.match_movements`, the rule
        ``commonfund import`` links by — this page cannot rewrite the migrated file, so it leaves the line out)."""
        known: set[tuple[str, str, datetime.date, object]] = set()
        for e in existing:
            if not isinstance(e, data.Transaction):
                continue
            for p in e.postings:
                ident = (p.meta or {}).get(IMPORT_ID) or e.meta.get(IMPORT_ID)
                if ident is not None and p.units is not None:
                    known.add((p.account, str(ident), e.date, p.units.number))
            linked = e.meta.get(BANK_IMPORT_ID)
            if linked is not None and e.postings and e.postings[0].units is not None:
                known.add((e.postings[0].account, str(linked), e.date, e.postings[0].units.number))
        balances = {(e.account, e.date): e for e in existing if isinstance(e, data.Balance)}
        for entry in entries:
            if isinstance(entry, data.Transaction):
                first = entry.postings[0]
                number = first.units.number if first.units is not None else None
                if (first.account, str(entry.meta[IMPORT_ID]), entry.date, number) in known:
                    entry.meta["__duplicate__"] = True
            elif isinstance(entry, data.Balance) and (entry.account, entry.date) in balances:
                entry.meta["__duplicate__"] = balances[(entry.account, entry.date)]
        fresh = [e for e in entries if isinstance(e, data.Transaction) and not e.meta.get("__duplicate__")]
        for account in sorted({e.postings[0].account for e in fresh}):
            lines = [e for e in fresh if e.postings[0].account == account]
            for i in match_movements(lines, unlinked(existing, account)):
                lines[i].meta["__duplicate__"] = True


def importers_for(compound_root: str | Path) -> list[beangulp.Importer]:
    """One importer per statement profile (shipped and the compound's own), bound to its compound.toml."""
    root = Path(compound_root)
    if root.is_file():
        root = root.parent
    config = load_config(root / CONFIG_NAME)
    profiles = load_profiles(root)
    return [ProfileImporter(profile, profiles, config, root) for profile in profiles.values()]
