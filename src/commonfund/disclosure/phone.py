"""Disclosures for phones (手机版公示): the long image (长图) forwarded in WeChat groups and one self-contained
HTML page, typeset from the same Typst templates, figures and fingerprint as the A4 PDF.

* ``png``: the templates' ``phone`` layout — one page 6 in wide, as long as it needs — rendered by Typst at
  180 ppi, so 1,080 px wide. The per-household table is left to the PDF (the image says so). The ledger
  fingerprint is printed, carried by the QR code, and stored in PNG ``tEXt`` chunks (``Keywords``:
  ``ledger-sha256=<hex>``), which ``commonfund fingerprint --verify`` reads.
* ``html``: Typst's HTML export of the templates' ``html`` layout (real text and tables; the chart and the
  QR code are inline SVG images), finished here with a ``<meta name="ledger-sha256">`` tag, a small style
  sheet for narrow screens, a subset of Noto Sans SC (SIL OFL 1.1) embedded as a data URL (only the
  characters the page uses), and a few lines of script for the search box of the per-household table.
  Nothing is fetched from anywhere: every resource is inside the file.

Privacy is the PDF's: the same masked figures, unit numbers only.
"""

from __future__ import annotations

import base64
import io
import struct
import zlib
from datetime import date
from typing import Any

from commonfund.compound.model import Compound
from commonfund.compound.verify import html_text

from .figures import Figures
from .render import KEYWORD, Rendered, document_input, font_dir, typeset

FORMATS = ("pdf", "png", "html")
SUFFIX = {"pdf": ".pdf", "png": ".png", "html": ".html"}
FONT_FAMILY = "CF Noto Sans SC"

STYLE = """
body{font-family:"%(family)s",sans-serif;max-width:760px;margin:0 auto;padding:12px 14px 28px;font-size:15px;
line-height:1.65;color:#1d1d1d;background:#fff;-webkit-text-size-adjust:100%%}
p,li,.trust,footer{overflow-wrap:anywhere}
header{text-align:center;border-bottom:2px solid #333;margin-bottom:10px}
h1{font-size:21px;line-height:1.35;margin:8px 0}
header p{margin:2px 0;color:#444;font-size:14px}
h2{font-size:17px;margin:22px 0 8px;padding-bottom:3px;border-bottom:1px solid #999}
h3{font-size:15px;margin:14px 0 6px}
table{border-collapse:collapse;width:100%%;font-size:13px;margin:6px 0 12px}
th,td{border:1px solid #b8b8b8;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#e8e8e8;font-weight:normal}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
#households{overflow-x:auto;max-height:70vh;overflow-y:auto;border:1px solid #ddd}
#households table{margin:0;font-size:12.5px}
#households td,#households th{white-space:nowrap}
#households tr.hit td{background:#fff0c2}
.search{position:sticky;top:0;background:#fff;padding:8px 0;display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.search input{font:inherit;font-size:16px;flex:1;min-width:12em;padding:6px 8px;border:1px solid #888;border-radius:4px}
.trust{border:1px solid #aaa;border-radius:6px;padding:4px 12px 12px;margin-top:20px;font-size:13px}
.trust img{display:block;margin:10px auto;width:160px;height:auto}
code,footer{word-break:break-all}
footer{margin-top:18px;font-size:12px;color:#666}
svg{max-width:100%%;height:auto}
"""

SCRIPT = """
(function(){
  document.querySelectorAll('td').forEach(function(td){
    if(/^-?¥[\\d,]+\\.\\d\\d$/.test(td.textContent.trim()))td.className+=' num';});
  var box=document.getElementById('unit-search');if(!box)return;
  var rows=[].slice.call(document.querySelectorAll('#households tbody tr'));
  var count=document.getElementById('unit-count');
  box.addEventListener('input',function(){
    var q=box.value.replace(/\\s+/g,''),n=0;
    rows.forEach(function(r){var u=r.cells[0].textContent.trim(),show=!q||u.indexOf(q)>=0||u==='合计';
      r.style.display=show?'':'none';r.className=(q&&u===q)?'hit':'';if(show&&u!=='合计')n++;});
    count.textContent=q?('找到 '+n+' 户'):'';});
})();
"""


def render_phone(figures: Figures, compound: Compound, made: date, fmt: str,
                 fingerprint: str | None = None) -> Rendered:
    """Typeset *figures* as a long PNG image (``png``) or a self-contained HTML page (``html``); the
    :class:`~.render.Rendered` record carries the file's bytes in its ``pdf`` field."""
    from commonfund.compound.fingerprint import fingerprint as ledger_fingerprint

    digest = fingerprint or ledger_fingerprint(compound.root)
    document = document_input(figures, compound, digest, made)
    raw = typeset(document, fmt=fmt)
    if fmt == "png":
        finished = png_with_fingerprint(raw, document)
    else:
        finished = finish_html(raw.decode("utf-8"), document).encode("utf-8")
    return Rendered(finished, digest, document)


# ── PNG ───────────────────────────────────────────────────────────────────────────────────────────────────
def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_text(key: str, value: str) -> bytes:
    """A PNG ``tEXt`` chunk (Latin-1 text) or, for other text, an ``iTXt`` chunk (UTF-8)."""
    try:
        return _chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1"))
    except UnicodeEncodeError:
        return _chunk(b"iTXt", key.encode("latin-1") + b"\0\0\0\0\0" + value.encode("utf-8"))


def png_with_fingerprint(png: bytes, document: dict[str, Any]) -> bytes:
    """*png* with text chunks after its header: Title, Keywords (``ledger-sha256=<hex>``), Description."""
    if not png.startswith(b"\x89PNG\r\n\x1a\n") or png[12:16] != b"IHDR":
        raise ValueError("Typst did not return a PNG")
    f, meta = document["figures"], document["meta"]
    end_of_header = 8 + 12 + struct.unpack(">I", png[8:12])[0]
    chunks = (
        png_text("Title", f"{f['compound']} {f['title']} {f['period']['label_zh']}"),
        png_text("Keywords",
                 f"commonfund kind={f['kind']} period={f['period']['label']} {KEYWORD}{meta['fingerprint']}"),
        png_text("Description", meta["qr"]),
        png_text("Software", "commonfund (Typst)"),
    )
    return png[:end_of_header] + b"".join(chunks) + png[end_of_header:]


# ── HTML ──────────────────────────────────────────────────────────────────────────────────────────────────
def font_subset(text: str) -> bytes:
    """Noto Sans SC reduced to the characters of *text* (plus ASCII), as WOFF (zlib): a few hundred KB at most
    instead of 8 MB."""
    from fontTools import subset

    chars = sorted({ord(c) for c in text if not c.isspace()} | set(range(0x20, 0x7F)))
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(font_dir() / "NotoSansSC-Regular.otf"), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=chars)
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return out.getvalue()


def finish_html(page: str, document: dict[str, Any]) -> str:
    """Typst's HTML with the fingerprint meta tag, the style sheet and embedded font, and the search script."""
    fingerprint = document["meta"]["fingerprint"]
    font = base64.b64encode(font_subset(html_text(page) + "找到户查询本房号")).decode("ascii")
    style = (f'@font-face{{font-family:"{FONT_FAMILY}";src:url(data:font/woff;base64,{font}) format("woff");'
             "font-display:block}" + STYLE % {"family": FONT_FAMILY})
    head = (f'<meta name="ledger-sha256" content="{fingerprint}">'
            f'<meta name="generator" content="commonfund (Typst)"><style>{style}</style>')
    page = page.replace('<html lang="en">', '<html lang="zh-CN">', 1)
    if "</head>" not in page or "</body>" not in page:
        raise ValueError("Typst's HTML has no head or body")
    page = page.replace("</head>", head + "</head>", 1)
    return page.replace("</body>", f"<script>{SCRIPT}</script></body>", 1)
