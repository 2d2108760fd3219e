"""Typesetting the disclosures: figures → JSON → Typst template (``reports/``) → PDF bytes.

* Fonts: Noto Sans SC and Noto Serif SC from the pip package ``pylopdf-fonts-zh-cn`` (SIL Open Font
  License 1.1), found through :mod:`importlib`; system fonts are ignored, so the PDF looks the same on
  every machine and the font is always embedded (Typst subsets it).
* Trust: the ledger fingerprint (:func:`commonfund.compound.fingerprint.fingerprint`) is printed in every page's
  footer and in a verification box with a QR code (kind, period, fingerprint), and stored in the PDF's
  metadata — Keywords ``ledger-sha256=<hex>`` and Subject — so ``commonfund fingerprint --verify`` can
  read it back (:func:`fingerprint_of_pdf`).
* Privacy: the figures are already masked (:mod:`.privacy`); nothing here adds personal data.

The template folder is ``$COMMONFUND_REPORTS`` if set, else the templates shipped in the package
(``commonfund/disclosure/templates``, found with :mod:`importlib.resources`; in the repository that folder is a
link to the top-level ``reports/``, where users read and copy them).
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, date, datetime, timedelta
from importlib import import_module, resources
from pathlib import Path
from typing import Any, Literal, NamedTuple, cast

from commonfund.compound.fingerprint import fingerprint as ledger_fingerprint
from commonfund.compound.model import Compound
from commonfund.core.errors import InputError

from .base import jsonable
from .figures import Figures, figures_json

TEMPLATES = {"common-revenue": "common-revenue.typ", "maintenance-fund": "maintenance-fund.typ"}
FONT_PACKAGE = "pylopdf_fonts_zh_cn"
KEYWORD = "ledger-sha256="
_HEX = re.compile(r"ledger-sha256[=:]([0-9a-f]{64})")


class Rendered(NamedTuple):
    """A typeset disclosure.

    Attributes:
      pdf: The PDF bytes.
      fingerprint: The ledger fingerprint printed in it.
      figures: The JSON the template was filled with (masked figures and meta).
    """

    pdf: bytes
    fingerprint: str
    figures: dict[str, Any]


def reports_dir() -> Path:
    """The folder of the Typst templates: ``$COMMONFUND_REPORTS``, else the package's ``templates``."""
    override = os.environ.get("COMMONFUND_REPORTS")
    if override:
        return Path(override)
    folder = resources.files("commonfund.disclosure").joinpath("templates")
    if not isinstance(folder, Path) or not folder.is_dir():
        raise InputError(str(folder), "the disclosure templates are missing: reinstall commonfund")
    return folder.resolve()


def font_dir() -> Path:
    """The folder holding Noto Sans SC / Noto Serif SC (OFL 1.1) of the pip package pylopdf-fonts-zh-cn."""
    package = import_module(FONT_PACKAGE)
    return Path(package.sans_path()).parent


def qr_svg(text: str) -> str:
    """A QR code of *text* as SVG (path-based, scales cleanly)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=1,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    return str(image.to_string(encoding="unicode"))


def qr_payload(kind: str, period: str, fingerprint: str, slug: str, url: str = "") -> str:
    """What the QR code carries: ``commonfund:disclosure?kind=…&period=…&compound=…&ledger-sha256=…``, or
    the same query on *url* (where the committee publishes its disclosures) when the compound gives one."""
    query = f"kind={kind}&period={period}&compound={slug}&{KEYWORD}{fingerprint}"
    if url:
        return f"{url}{'&' if '?' in url else '?'}{query}"
    return f"commonfund:disclosure?{query}"


def document_input(figures: Figures, compound: Compound, fingerprint: str, made: date) -> dict[str, Any]:
    """The JSON a template reads: ``{"figures": …, "meta": {fingerprint, made, compound slug, names}}``."""
    from .objections import objection_summary
    from .periods import parse_period

    data = figures_json(figures)
    days = compound.config.policy.posting_days
    url = compound.config.disclosure_url
    meta = {
        "fingerprint": fingerprint,
        "made": made.isoformat(),
        "objection_from": made.isoformat(),
        "objection_to": (made + timedelta(days=days - 1)).isoformat(),
        "objection_days": days,
        "contact": compound.config.contact
        or f"{compound.config.display_committee}或{compound.config.name}业主监督委员会",
        "slug": compound.config.slug,
        "supervisors": f"{compound.config.name}业主监督委员会",
        "qr": qr_payload(data["kind"], data["period"]["label"], fingerprint, compound.config.slug, url),
        **({"url": url} if url else {}),
    }
    document: dict[str, Any] = {"figures": data, "meta": meta}
    objections = objection_summary(compound, data["kind"], parse_period(data["period"]["label"]))
    if objections is not None:
        document["objections"] = jsonable(objections)
    return document


LAYOUTS = {"pdf": "a4", "png": "phone", "html": "html"}
"""Output format → the templates' ``sys.inputs.layout``: A4 pages, one long phone page (长图), or HTML."""
PHONE_PPI = 180
"""The phone page is 6 in wide: 180 ppi makes the long image 1,080 px wide."""


def typeset(document: dict[str, Any], templates: Path | None = None, fmt: str = "pdf",
            layout: str | None = None) -> bytes:
    """Compile the template of ``document["figures"]["kind"]`` with *document* as its data; the bytes of a
    PDF, a PNG long image (``png``) or an HTML page (``html``; see :mod:`.phone` for the finishing).
    *layout* overrides the format's layout (a PDF of the phone layout shows, as text, what the PNG draws)."""
    import typst

    templates = templates or reports_dir()
    kind = document["figures"]["kind"]
    template = templates / TEMPLATES[kind]
    if not template.is_file():
        raise InputError(template, "disclosure template not found (set COMMONFUND_REPORTS to the reports/ folder)")
    made = date.fromisoformat(document["meta"]["made"])
    out = typst.compile(
        str(template), root=str(templates), font_paths=[str(font_dir())], ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(document, ensure_ascii=False), "qr": qr_svg(document["meta"]["qr"]),
                    "layout": layout or LAYOUTS[fmt]},
        timestamp=datetime(made.year, made.month, made.day, tzinfo=UTC),
        format=cast(Literal["pdf", "png", "html"], fmt), ppi=PHONE_PPI if fmt == "png" else None,
    )
    if isinstance(out, list):  # a multi-page PNG: the phone layout is one page, so this is a template bug
        raise ValueError(f"the {fmt} layout of {kind} made {len(out)} pages; expected one long page")
    return bytes(out)


def render(figures: Figures, compound: Compound, made: date, fingerprint: str | None = None) -> Rendered:
    """Typeset *figures* of *compound* as a PDF made on *made* (fingerprint computed if not given)."""
    digest = fingerprint or ledger_fingerprint(compound.root)
    document = document_input(figures, compound, digest, made)
    return Rendered(typeset(document), digest, document)


def fingerprint_of_pdf(pdf: bytes) -> str | None:
    """The ledger fingerprint stored in a disclosure PDF's metadata (Keywords/Subject/XMP), or None."""
    match = _HEX.search(pdf.decode("latin-1"))
    return match.group(1) if match else None
