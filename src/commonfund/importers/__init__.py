"""Bank statement importers: one declarative engine, bank formats as data (``importers/profiles/*.toml``).

Pipeline: :mod:`.read` (bytes → grids) → :mod:`.recognise` (profile, header, account number) →
:mod:`.normalise` (rows → :class:`~.normalise.StatementLine`) → :mod:`.extract` (lines → entries with
``import_id``, categorised by :mod:`.categorise`) → :mod:`.ledger` (month files, index, checked, atomic).
:mod:`.importing` runs it for ``commonfund import``; :mod:`.gulp` exposes it to beangulp and Fava.
"""

from __future__ import annotations

from commonfund.importers.gulp import ProfileImporter, importers_for
from commonfund.importers.importing import ImportReport, import_statements, read_statement

__all__ = ["ImportReport", "ProfileImporter", "import_statements", "importers_for", "read_statement"]
