"""commonfund's pages in Fava (业委会账务): 总览, 审计发现, 业主大会决议, 分户账, 公示, 异议.

Declared in a compound's ``main.beancount`` with ``1970-01-01 custom "fava-extension" "commonfund.fava_ext"``
and served by ``commonfund serve``. A thin adapter (STYLE §9): it builds a
:class:`~commonfund.compound.model.Compound` from the books Fava already loaded, asks the page modules
(``overview_view``, ``findings_view``, ``resolutions_view``, ``households_view``, ``disclosures_view``) for a
page's records (each computed once per load of the books, see
:class:`~commonfund.web.fava_ext.loaded.ViewCache`) and renders ``templates/CommonFund.html``. Downloads are
GET endpoints that write only into the cache folder outside the ledger (:func:`commonfund.io.cache.cache_dir`);
nothing here changes the books, on any request.

Fava's options for a lay reader (:data:`SUPERVISOR_OPTIONS`: land on the 总览, show income and equity as
positive amounts) apply unless the ledger sets the option itself. A JavaScript module
(``CommonFund.js``) takes the editor and import entries out of Fava's sidebar when the books are served
read-only, and says so in Chinese on those pages.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar, cast

from fava.ext import FavaExtensionBase, extension_endpoint
from flask import current_app, g, has_app_context, jsonify, request, send_file
from flask.wrappers import Response

from commonfund.compound.fingerprint import fingerprint as books_fingerprint
from commonfund.compound.model import Compound
from commonfund.core.errors import InputError
from commonfund.core.labels import CATEGORY_ZH, scope_zh
from commonfund.io.cache import cache_dir
from commonfund.web.fava_ext import (
    authority_view,
    disclosures_view,
    downloads,
    households_view,
    links,
    objections_view,
    overview_view,
    resolutions_view,
    tabs,
)
from commonfund.web.fava_ext.findings_view import FindingsPage, findings_page
from commonfund.web.fava_ext.importing import configure_import
from commonfund.web.fava_ext.loaded import ViewCache
from commonfund.web.keys import EDIT_KEY, EXTENSION_CLASS, READ_ONLY_ZH, WHO_CAN_EDIT_ZH

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def get_endpoint(name: str) -> Callable[[F], F]:
    """``@extension_endpoint(name, ["GET"])`` with a type: served at ``extension/CommonFund/<name>``."""
    return cast(Callable[[F], F], extension_endpoint(name, ["GET"]))


log = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUPERVISOR_OPTIONS: dict[str, tuple[str, Any]] = {
    "default-page": ("default_page", f"extension/{EXTENSION_CLASS}/"),
    "invert-income-liabilities-equity": ("invert_income_liabilities_equity", True),
}
"""Fava options for a lay supervisory committee, applied when the ledger does not set them itself:
land on the 总览 page; show income, liabilities and equity as positive amounts in the income statement and
the balance sheet (Fava's ``invert-income-liabilities-equity``; the journal keeps Beancount's signs)."""


def editing() -> bool:
    """Whether ``commonfund serve --edit`` started this Fava (writes allowed, import page configured)."""
    return has_app_context() and bool(current_app.config.get(EDIT_KEY))


class CommonFund(FavaExtensionBase):
    """业委会账务: the supervisory committee's pages over a compound's books."""

    report_title = "业委会账务"
    has_js_module = True

    def __init__(self, ledger: Any, config: str | None = None) -> None:
        super().__init__(ledger, config)
        self.cache = ViewCache(ledger.beancount_file_path)
        self.links = links
        self.tabs = tabs.TABS

    # -- the books, once per load --------------------------------------------------------------------------

    def after_load_file(self) -> None:
        self.cache.clear()
        apply_supervisor_options(self.ledger)
        if editing():
            configure_import(self.ledger, self.cache.main.parent, cache_dir())
        threading.Thread(target=self.warm, name="commonfund-warm", daemon=True).start()

    def warm(self) -> None:
        """Compute the whole-ledger views right after a load, so the first visitor does not wait for them."""
        entries = self.ledger.all_entries
        views: list[tuple[Hashable, Callable[[Compound], object]]] = [
            (("findings", None, None), lambda c: findings_page(c, None, None)),
            (("overview", None), lambda c: overview_view.overview_page(c, None)),
            ("resolutions", resolutions_view.resolutions_page),
            (("subledgers", None), lambda c: households_view.subledger_summary(c, None)),
        ]
        try:
            for key, compute in views:
                with self.cache.lock:  # a reload swaps the entries before it clears the cache (under this lock)
                    if self.ledger.all_entries is not entries:
                        return  # reloaded meanwhile: that load warms its own views
                    self.view(key, compute)
        except Exception:  # the page that needs the view shows the problem when asked (see problem())
            log.debug("commonfund: warming the views failed", exc_info=True)

    def compound(self) -> Compound:
        """The compound over the books Fava loaded (no second load)."""
        ledger = self.ledger
        return self.cache.compound(ledger.all_entries, ledger.load_errors, cast(dict[str, Any], ledger.options))

    def view(self, key: Hashable, compute: Callable[[Compound], T]) -> T:
        """A page's records for this load of the books, computed the first time they are asked for."""
        return self.cache.get(self.ledger.all_entries, key, lambda: compute(self.compound()))

    def problem(self) -> str:
        """Why the pages cannot be shown (e.g. a broken compound.toml), as one sentence, or ""."""
        try:
            self.compound()
        except InputError as exc:
            return str(exc)
        return ""

    # -- the request ---------------------------------------------------------------------------------------

    def tab(self) -> str:
        """The page asked for (``?tab=``), the overview by default."""
        key = request.args.get("tab", "")
        return key if key in tabs.TAB_KEYS else tabs.TAB_KEYS[0]

    def tab_template(self) -> str:
        """The template of the page asked for, or "" when ``CommonFund.html`` draws it."""
        return tabs.TEMPLATES.get(self.tab(), "")

    def url(self, **params: str | int | None) -> str:
        """A link to this extension's page keeping Fava's filters (time, account, filter)."""
        return "./" + links.carried(request.args, **params)

    def period(self) -> tuple[date | None, date | None]:
        """The inclusive period of Fava's time filter, or (None, None) without one."""
        date_range = g.filtered.date_range
        if date_range is None:
            return None, None
        return date_range.begin, date_range.end_inclusive

    # -- pages ---------------------------------------------------------------------------------------------

    def overview(self) -> overview_view.OverviewPage:
        """The 总览 through the end of Fava's time filter."""
        as_of = self.period()[1]
        return self.view(("overview", as_of), lambda c: overview_view.overview_page(c, as_of))

    def findings(self) -> FindingsPage:
        start, end = self.period()
        return self.view(("findings", start, end), lambda c: findings_page(c, start, end))

    def severity(self) -> str:
        """The severity the findings page is narrowed to (``?severity=``), or "" for all."""
        key = request.args.get("severity", "")
        return key if key in FindingsPage.severities else ""

    @staticmethod
    def page_number() -> int:
        """The page of a long list asked for (``?page=``, from 1); 1 if absent or not a number."""
        value = request.args.get("page", "")
        return int(value) if value.isdigit() and int(value) > 0 else 1

    @staticmethod
    def yuan(fen: int) -> str:
        """Integer fen as ``¥1,234.56``."""
        from commonfund.core.money import format_cny

        return format_cny(fen, fen=True)

    def resolutions(self) -> tuple[resolutions_view.ResolutionRow, ...]:
        return self.view("resolutions", resolutions_view.resolutions_page)

    def households(self) -> households_view.HouseholdsPage:
        """The sub-ledgers at the end of Fava's time filter; the unit of ``?unit=`` if given."""
        as_of = self.period()[1]
        summary = self.view(("subledgers", as_of), lambda c: households_view.subledger_summary(c, as_of))
        unit = request.args.get("unit", "").strip()
        if not unit:
            return summary
        view = self.view(("unit", unit, as_of), lambda c: households_view.unit_view(c, unit, as_of))
        return replace(summary, unit=view, unknown="" if view else unit)

    @staticmethod
    def category_zh(category: str) -> str:
        """The Chinese name of a sub-ledger column."""
        return CATEGORY_ZH.get(category, category)

    @staticmethod
    def scope_zh(scope: str) -> str:
        """An apportion scope in Chinese."""
        return scope_zh(scope)

    def authority(self) -> authority_view.AuthorityPage:
        """The 分户账核对 page: the 维修资金管理中心's list on file (the view cache starts afresh when another list
        is put on file, see :mod:`commonfund.web.fava_ext.loaded`)."""
        return self.view("authority", authority_view.authority_page)

    def disclosures(self) -> disclosures_view.DisclosuresPage:
        kind, period = request.args.get("kind", ""), request.args.get("period", "").strip()
        return self.view(("disclosures", kind, period), lambda c: disclosures_view.disclosures_page(c, kind, period))

    def objections(self) -> objections_view.ObjectionsPage:
        """The 异议 page as of the end of Fava's time filter."""
        as_of = self.period()[1]
        return self.view(("objections", as_of), lambda c: objections_view.objections_page(c, as_of))

    def fingerprint(self) -> str:
        """The ledger fingerprint of the books Fava loaded (computed once per load)."""
        return self.view("fingerprint", lambda c: books_fingerprint(c.root))

    def ledger_errors(self) -> int:
        """Number of integrity errors in the books (shown as a banner linking to Fava's errors page)."""
        return len(self.ledger.load_errors)

    # -- endpoints (GET only; they write nothing into the ledger folder) ----------------------------------

    @get_endpoint("mode")
    def mode(self) -> Response:
        """Whether the books are served read-only, and what to say about it (read by ``CommonFund.js``)."""
        return jsonify({"read_only": not editing(), "message": READ_ONLY_ZH,
                        "editor": "只读：这里可以查看账簿原文，但不能保存。" + WHO_CAN_EDIT_ZH})

    @get_endpoint("findings.json")
    def findings_json(self) -> Response:
        """The findings shown on the 审计发现 page, as JSON (honours Fava's time filter)."""
        page = self.findings()
        return jsonify({
            "start": page.start.isoformat() if page.start else None,
            "end": page.end.isoformat() if page.end else None,
            "counts": page.counts,
            "findings": [finding.as_dict() for finding in page.findings],
        })

    @get_endpoint("units.json")
    def units_json(self) -> Response:
        """Door numbers for the 分户账 search box (``?q=`` what was typed): a few at a time, so the page does
        not carry every unit of a 10,000-household register."""
        units = self.view("units", lambda c: c.register.units)
        found, more = households_view.units_matching(units, request.args.get("q", ""))
        return jsonify({"units": found, "more": more})

    @get_endpoint("disclosure.pdf")
    def disclosure_pdf(self) -> Response:
        """The disclosure PDF (``?kind=&period=``), typeset on demand, cached by ledger fingerprint."""
        from commonfund.disclosure.figures import KINDS

        kind, period = request.args.get("kind", ""), request.args.get("period", "")
        if kind not in KINDS:
            choices = "，或 ".join(f"{key}（{title}）" for key, title in KINDS.items())
            return _bad_request(f"公示类别（kind）须为 {choices}；收到的是 {kind!r}")
        return self._download(lambda c: downloads.disclosure_pdf(
            c, kind, period, self.fingerprint(), date.today(), cache_dir()), "application/pdf")

    @get_endpoint("payout.xlsx")
    def payout_xlsx(self) -> Response:
        """The payout list of a dividend or subsidy (``?target=`` resolution id): names owners, for the bank."""
        target = request.args.get("target", "")
        return self._download(lambda c: downloads.payout_file(c, target, self.fingerprint(), cache_dir()), XLSX)

    @get_endpoint("workbook.xlsx")
    def workbook_xlsx(self) -> Response:
        """The auditor's workbook of ``?year=`` (journal, trial balance, sub-ledgers, findings…)."""
        text = request.args.get("year", "")
        if not text.isdigit():
            return _bad_request(f"年份（year）须是 2025 这样的公历年份；收到的是 {text!r}")
        return self._download(lambda c: downloads.auditor_workbook(c, int(text), self.fingerprint(), cache_dir()),
                              XLSX)

    def years(self) -> list[int]:
        """The calendar years the books hold transactions in, newest first (for the workbook links)."""
        return self.view("years", lambda c: sorted({t.date.year for t in c.transactions}, reverse=True))

    def _download(self, make: Callable[[Compound], Path], mimetype: str) -> Response:
        """Send the file *make* produces, or the user error as one plain-text sentence (HTTP 400)."""
        try:
            path = make(self.compound())
        except InputError as exc:
            return _bad_request(f"无法生成这个文件：{exc.message}")
        return send_file(path, mimetype=mimetype, as_attachment=True, download_name=path.name)


def _bad_request(sentence: str) -> Response:
    """A download refused for its parameters: one plain-text sentence (HTTP 400)."""
    return Response(sentence + "\n", status=400, mimetype="text/plain")


def apply_supervisor_options(ledger: Any) -> None:
    """Set :data:`SUPERVISOR_OPTIONS` on a loaded Fava ledger, except those its own ``fava-option`` entries set."""
    own = {str(entry.values[0].value) for entry in ledger.all_entries_by_type.Custom
           if entry.type == "fava-option" and entry.values}
    for name, (attribute, value) in SUPERVISOR_OPTIONS.items():
        if name not in own:
            setattr(ledger.fava_options, attribute, value)
