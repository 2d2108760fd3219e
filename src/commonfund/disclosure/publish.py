"""Writing a disclosure PDF for a compound: figures → typeset → atomic write.

This is what ``commonfund disclose`` and the demo call. The default file is
``<compound>-out/<slug>-<kind>-<period>.pdf`` beside the compound folder (made if missing; the folder the
demo and ``export`` write into too). Books with integrity errors are not disclosed:
a notice must not be made from malformed books.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from commonfund.compound.model import Compound
from commonfund.compound.paths import outputs_folder
from commonfund.core.errors import InputError
from commonfund.core.labels import FREQUENCY_ZH
from commonfund.core.program import command_line
from commonfund.io.atomic import write_bytes

from .base import books_end, books_start
from .figures import KINDS, disclosure_figures
from .periods import FREQUENCY_KIND, Period, last_complete_period, parse_period, period_containing
from .phone import FORMATS, render_phone
from .render import render


class Published(NamedTuple):
    """A written disclosure.

    Attributes:
      path: The file written (PDF, PNG or HTML).
      kind, period: What it discloses.
      fingerprint: The ledger fingerprint printed in it.
      size: The file's size in bytes.
      document: The JSON the PDF was typeset from (masked figures and meta).
    """

    path: Path
    kind: str
    period: Period
    fingerprint: str
    size: int
    document: dict[str, Any]


def default_period(compound: Compound, kind: str) -> Period:
    """The last complete period of the policy's frequency for *kind*, by the last date in the books."""
    policy = compound.config.policy
    frequency = policy.common_revenue_disclosure if kind == "common-revenue" else policy.maintenance_fund_disclosure
    end = books_end(compound)
    if end is None:
        raise InputError(compound.root, "账簿中没有任何记账记录，请用 --period 指定公示期间")
    kind_of_period = FREQUENCY_KIND[frequency]
    period = last_complete_period(end, kind_of_period)
    start = books_start(compound)
    if start is not None and period.end <= start:
        current = period_containing(end, kind_of_period)
        raise InputError(compound.root, f"账簿自 {start} 起、最后一笔记录在 {end}，还没有已结束的公示期间"
                                        f"（{FREQUENCY_ZH[frequency]}公示）；请用 --period 指定，"
                                        f"例如 --period {current.label}（{current.label_zh}，至今）")
    return period


def default_output(compound: Compound, kind: str, period: Period, fmt: str = "pdf") -> Path:
    """``<root>-out/<slug>-<kind>-<period>.pdf`` (``.png``, ``.html``): the compound's outputs folder
    (:func:`commonfund.compound.paths.outputs_folder`), which the write creates if it is missing."""
    return outputs_folder(compound.root) / f"{compound.config.slug}-{kind}-{period.label}.{fmt}"


def publish(compound: Compound, kind: str, period: str | Period | None = None, output: Path | None = None,
            made: date | None = None, fmt: str = "pdf") -> Published:
    """Compute, typeset and atomically write disclosure *kind* for *period* (default: the last complete
    one); *made* is the date printed as 编制日期 (default today); *fmt* is ``pdf`` (A4), ``png`` (the long
    phone image) or ``html`` (one self-contained page, :mod:`.phone`). Raises :class:`InputError` for an
    unknown kind or format, a bad period, a period before the books start, or books with integrity errors."""
    if fmt not in FORMATS:
        raise InputError("--format", f"{fmt!r} is not one of {', '.join(FORMATS)}")
    if kind not in KINDS:
        raise InputError("--kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    if compound.errors:
        first = compound.errors[0]
        source = getattr(first, "source", None) or {}
        where = f"{source.get('filename', '?')}:{source.get('lineno', 0)}"
        raise InputError(compound.main, f"账簿有 {len(compound.errors)} 个错误，请先修正后再公示"
                                        f"（运行 {command_line('check', compound.root)} 查看）; first: {where}: "
                                        f"{first.message}")
    resolved = parse_period(period) if period is not None else default_period(compound, kind)
    figures = disclosure_figures(compound, kind, resolved)
    if fmt == "pdf":
        rendered = render(figures, compound, made or date.today())
    else:
        rendered = render_phone(figures, compound, made or date.today(), fmt)
    path = output or default_output(compound, kind, resolved, fmt=fmt)
    write_bytes(path, rendered.pdf)
    return Published(path, kind, resolved, rendered.fingerprint, len(rendered.pdf), rendered.figures)
