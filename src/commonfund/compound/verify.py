"""Was this document made from the current books? Read the fingerprint a disclosure PDF or an auditor
workbook carries and compare it with :func:`commonfund.compound.fingerprint.fingerprint` of the compound.

Where a document carries its fingerprint (DOMAIN §6, §7):

* a PDF (公示): the document metadata (keywords, subject, a ``/Fingerprint`` key, or the XMP packet) and
  the printed text, on a line that says 指纹 / fingerprint / SHA-256;
* an auditor workbook (xlsx): the cover sheet 封面 (a cell next to a 指纹/fingerprint label, or any cell
  holding 64 hex digits), and the workbook's document properties (keywords, subject, description).

A document that carries two *different* fingerprints, or none, is unreadable for this purpose.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import NamedTuple

from commonfund.compound.fingerprint import fingerprint
from commonfund.core.errors import InputError

_HEX = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])")
_LABEL = re.compile(r"指纹|fingerprint|sha-?256", re.IGNORECASE)
COVER_SHEETS = ("封面", "Cover", "cover")


class Verdict(NamedTuple):
    """The outcome of checking a document against the books.

    Attributes:
      document: The document checked.
      carried: The fingerprint the document carries (lower-case hex).
      where: Where in the document it was found (e.g. ``PDF metadata /Keywords``, ``封面!B4``).
      current: The fingerprint of the books now.
      matches: Whether they are equal.
    """

    document: Path
    carried: str
    where: str
    current: str
    matches: bool


def verify_document(document: str | Path, ledger: str | Path) -> Verdict:
    """Compare the fingerprint *document* carries with the current fingerprint of the books at *ledger*.

    Raises :class:`InputError` if the document cannot be read or carries no (or conflicting) fingerprint.
    """
    document = Path(document)
    carried, where = read_fingerprint(document)
    current = fingerprint(ledger)
    return Verdict(document, carried, where, current, carried == current)


def read_fingerprint(document: str | Path) -> tuple[str, str]:
    """``(fingerprint, where)`` carried by a PDF or xlsx document; :class:`InputError` if there is none."""
    path = Path(document)
    try:
        head = path.read_bytes()[:8]
    except FileNotFoundError:
        raise InputError(path, "document not found") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from None
    if head.startswith(b"%PDF"):
        found = _pdf_fingerprints(path)
    elif head.startswith(b"PK\x03\x04"):
        found = _xlsx_fingerprints(path)
    else:
        raise InputError(path, "is neither a PDF nor an xlsx workbook")
    distinct = {value.lower() for value, _ in found}
    if not distinct:
        raise InputError(path, "carries no ledger fingerprint (64 hex digits labelled 指纹/fingerprint)")
    if len(distinct) > 1:
        raise InputError(path, f"carries {len(distinct)} different fingerprints ({', '.join(sorted(distinct))})")
    value, where = found[0]
    return value.lower(), where


def _pdf_fingerprints(path: Path) -> list[tuple[str, str]]:
    try:
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            found = [(value, f"PDF metadata /{key}") for key, text in (pdf.metadata or {}).items()
                     for value in _HEX.findall(_text(text))]
            for number, page in enumerate(pdf.pages, start=1):
                found.extend((value, f"page {number}") for value in labelled_fingerprints(page.extract_text() or ""))
    except Exception as exc:  # pdfminer raises many types for a damaged file
        raise InputError(path, f"is not a readable PDF ({type(exc).__name__})") from None
    return found


def _xlsx_fingerprints(path: Path) -> list[tuple[str, str]]:
    try:
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types (BadZipFile, KeyError, XML errors…) for a damaged file
        raise InputError(path, f"is not a readable xlsx workbook ({type(exc).__name__})") from None
    try:
        props = workbook.properties
        found = [(value, f"workbook property {key}") for key in ("keywords", "subject", "description", "title")
                 for value in _HEX.findall(_text(getattr(props, key, None)))]
        for name in workbook.sheetnames:
            if name not in COVER_SHEETS:
                continue
            for row in workbook[name].iter_rows():
                for cell in row:
                    for value in _HEX.findall(_text(cell.value)):
                        found.append((value, f"{name}!{getattr(cell, 'coordinate', '?')}"))
    except Exception as exc:  # a damaged sheet part surfaces only while iterating
        raise InputError(path, f"is not a readable xlsx workbook ({type(exc).__name__})") from None
    finally:
        workbook.close()
    return found


def labelled_fingerprints(text: str) -> list[str]:
    """The 64-hex values that follow a 指纹/fingerprint/SHA-256 label in printed *text* (within a few lines;
    a value wrapped over two lines is joined)."""
    found: list[str] = []
    for label in _LABEL.finditer(text):
        window = text[label.end():label.end() + 200]
        values = _HEX.findall(window) or _HEX.findall(re.sub(r"\s+", "", window))
        found.extend(values[:1])
    return found


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)
