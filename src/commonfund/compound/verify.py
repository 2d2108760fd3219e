"""Was this document made from the current books? Read the fingerprint a disclosure PDF or an auditor
workbook carries and compare it with :func:`commonfund.compound.fingerprint.fingerprint` of the compound.

Where a document carries its fingerprint (DOMAIN §6, §7):

* a PDF (公示): the document metadata (keywords, subject, title, a ``/Fingerprint`` key) and the text
  printed on every page, after 指纹 / fingerprint / SHA-256 (read with PDFium);
* an auditor workbook (xlsx): the cover sheet 封面 (a cell next to a 指纹/fingerprint label, or any cell
  holding 64 hex digits), and the workbook's document properties (keywords, subject, description);
* a long phone image (PNG 长图): its text chunks (``Keywords``: ``ledger-sha256=<hex>``, the QR payload
  in ``Description``) and the QR code printed on it, decoded from the pixels;
* a phone page (HTML): its ``<meta>`` tags (``ledger-sha256``, keywords, description) and the printed text.

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
        head = path.read_bytes()[:16]
    except FileNotFoundError:
        raise InputError(path, "document not found") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from None
    if head.startswith(b"%PDF"):
        found = _pdf_fingerprints(path)
    elif head.startswith(b"PK\x03\x04"):
        found = _xlsx_fingerprints(path)
    elif head.startswith(PNG_SIGNATURE):
        found = _png_fingerprints(path)
    elif head.lstrip().lower().startswith((b"<!doctype", b"<html")):
        found = _html_fingerprints(path)
    else:
        raise InputError(path, "is neither a PDF, an xlsx workbook, a PNG image nor an HTML page")
    distinct = {value.lower() for value, _ in found}
    if not distinct:
        raise InputError(path, "carries no ledger fingerprint (64 hex digits labelled 指纹/fingerprint)")
    if len(distinct) > 1:
        raise InputError(path, f"carries {len(distinct)} different fingerprints ({', '.join(sorted(distinct))})")
    value, where = found[0]
    return value.lower(), where


PDF_METADATA_KEYS = ("Title", "Subject", "Keywords", "Fingerprint", "Author", "Creator", "Producer")
"""The document-information keys read for a fingerprint (``Fingerprint`` is not a standard key, but some
tools write one)."""


def _pdf_fingerprints(path: Path) -> list[tuple[str, str]]:
    """The fingerprints in a PDF's metadata and printed on its pages, read with PDFium (pypdfium2): about a
    second for a 3,000-household disclosure of some 70 pages, where pdfminer's layout analysis took half a
    minute."""
    try:
        import pypdfium2

        pdf = pypdfium2.PdfDocument(path)
    except Exception as exc:  # PdfiumError for a damaged file, OSError for an unreadable one
        raise InputError(path, f"is not a readable PDF ({type(exc).__name__})") from None
    try:
        found = [(value, f"PDF metadata /{key}") for key in PDF_METADATA_KEYS
                 for value in _HEX.findall(pdf.get_metadata_value(key))]
        for number in range(len(pdf)):
            page = pdf[number]
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
            finally:
                textpage.close()
                page.close()
            found.extend((value, f"page {number + 1}") for value in labelled_fingerprints(text))
    except Exception as exc:  # a damaged page surfaces only when it is read
        raise InputError(path, f"is not a readable PDF ({type(exc).__name__})") from None
    finally:
        pdf.close()
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


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_KEYED = re.compile(r"ledger-sha256[=:]\s*([0-9a-fA-F]{64})(?![0-9a-fA-F])")
_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'(name|content)\s*=\s*"([^"]*)"', re.IGNORECASE)


def png_texts(png: bytes) -> dict[str, str]:
    """The ``tEXt``/``iTXt`` chunks of *png* (key → text); ValueError if it is not a readable PNG."""
    if not png.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG")
    out: dict[str, str] = {}
    position = len(PNG_SIGNATURE)
    while position + 8 <= len(png):
        length = int.from_bytes(png[position:position + 4], "big")
        kind = png[position + 4:position + 8]
        body = png[position + 8:position + 8 + length]
        if len(body) != length:
            raise ValueError("truncated PNG")
        if kind == b"tEXt" and b"\0" in body:
            key, _, value = body.partition(b"\0")
            out[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt" and b"\0" in body:
            key, _, rest = body.partition(b"\0")
            out[key.decode("latin-1")] = rest[2:].split(b"\0", 2)[-1].decode("utf-8", "replace")
        elif kind == b"IEND":
            break
        position += 12 + length
    return out


def qr_texts(png: bytes) -> list[str]:
    """The texts of the QR codes in an image (decoded with zxing-cpp)."""
    import zxingcpp
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        return [result.text for result in zxingcpp.read_barcodes(image.convert("L"))]


def _png_fingerprints(path: Path) -> list[tuple[str, str]]:
    png = path.read_bytes()
    try:
        texts = png_texts(png)
        codes = qr_texts(png)
    except Exception as exc:  # Pillow and the chunk reader raise many types for a damaged file
        raise InputError(path, f"is not a readable PNG image ({type(exc).__name__})") from None
    found = [(value, f"PNG text chunk {key}") for key, text in texts.items() for value in _KEYED.findall(text)]
    found += [(value, "QR code") for text in codes for value in _KEYED.findall(text)]
    return found


def html_text(page: str) -> str:
    """The visible text of an HTML page: tags, scripts, styles, inline SVG and data URLs dropped, entities
    decoded."""
    import html

    body = re.split(r"<body\b[^>]*>", page, maxsplit=1)[-1]
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", body, flags=re.DOTALL | re.IGNORECASE)
    body = re.sub(r'"data:[^"]*"', '""', body)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _html_fingerprints(path: Path) -> list[tuple[str, str]]:
    try:
        page = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(path, "is not a UTF-8 HTML page") from None
    head = page.split("<body", 1)[0]
    found: list[tuple[str, str]] = []
    for tag in _META.findall(head):
        attrs = {k.lower(): v for k, v in _ATTR.findall(tag)}
        name, content = attrs.get("name", ""), attrs.get("content", "")
        values = _HEX.findall(content) if name == "ledger-sha256" else _KEYED.findall(content)
        found.extend((value, f"HTML <meta name={name}>") for value in values)
    found.extend((value, "HTML text") for value in labelled_fingerprints(html_text(page)))
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
