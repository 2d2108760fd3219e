"""Files the commonfund pages offer for download, made on demand into the cache folder.

A disclosure PDF is typeset from the same figures the page previews; it is cached under the ledger
fingerprint (SHA-256 of the books it was made from) and the date made, so asking twice costs one
typesetting, and changed books can never be served an old PDF. Payout lists (which name owners, for the
bank) are written the same way. Everything goes to :func:`commonfund.io.cache.cache_dir` — never into the
ledger folder — with atomic writes, so a GET request changes nothing a user keeps.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from commonfund.compound.model import Compound
from commonfund.core.errors import InputError
from commonfund.io import atomic

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(text: str) -> str:
    """A file-name-safe version of *text* (ASCII letters, digits, ``.``, ``_``, ``-``)."""
    return _SAFE.sub("_", text).strip("._") or "file"


def fingerprint_folder(cache: Path, fingerprint: str) -> Path:
    return cache / "downloads" / fingerprint[:32]


def disclosure_pdf(compound: Compound, kind: str, period: str, fingerprint: str, made: date, cache: Path) -> Path:
    """The disclosure PDF of *kind* for *period*, made on *made* (from the cache if already made).

    Raises :class:`InputError` for books with integrity errors (a notice is never made from malformed
    books), an unknown kind or a bad period.
    """
    from commonfund.disclosure.figures import KINDS, disclosure_figures
    from commonfund.disclosure.periods import parse_period
    from commonfund.disclosure.render import render

    if kind not in KINDS:
        raise InputError("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    if compound.errors:
        raise InputError(compound.main, f"账簿有 {len(compound.errors)} 个完整性错误，请先修正后再公示")
    resolved = parse_period(period)
    path = fingerprint_folder(cache, fingerprint) / f"{compound.config.slug}-{kind}-{resolved.label}-{made}.pdf"
    if not path.is_file():
        figures = disclosure_figures(compound, kind, resolved)
        rendered = render(figures, compound, made, fingerprint)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_bytes(path, rendered.pdf)
    return path


def payout_file(compound: Compound, target: str, fingerprint: str, cache: Path) -> Path:
    """The payout list (xlsx) of the distribution(s) *target* names (a resolution id, ^link or file:line)."""
    from commonfund.books.payout import payout_list, write_payout

    path = fingerprint_folder(cache, fingerprint) / f"{compound.config.slug}-payout-{safe_name(target)}.xlsx"
    if not path.is_file():
        payout = payout_list(compound, target)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_payout(payout, path)
    return path


def auditor_workbook(compound: Compound, year: int, fingerprint: str, cache: Path) -> Path:
    """The third-party auditor's workbook (审计资料包) of calendar *year* (DOMAIN §7).

    Raises :class:`InputError` for books with integrity errors or a year without transactions.
    """
    from commonfund.export import export_workbook

    if compound.errors:
        raise InputError(compound.main, f"账簿有 {len(compound.errors)} 个完整性错误，请先修正后再导出审计资料")
    if not any(t.date.year == year for t in compound.transactions):
        raise InputError("year", f"{year} 年没有任何记账记录")
    from commonfund.compound.authority import stored_list

    listed = stored_list(compound.root)  # the sheet 分户账核对 comes from the list on file, outside the books
    tag = f"-{listed.sha256[:12]}-{listed.as_of}" if listed else ""
    path = fingerprint_folder(cache, fingerprint) / f"{compound.config.slug}-{year}-audit{tag}.xlsx"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        export_workbook(compound, year, path)
    return path
