"""``commonfund serve``: Fava on a compound's books, with commonfund's pages, read-only unless asked.

The supervisory committee (业主监督委员会) browses the books on a laptop or the LAN: Fava's own balance
sheet, income statement and journal in Chinese, plus the pages of :mod:`commonfund.web.fava_ext`. By
default Fava runs in its read-only mode (every request other than GET is answered 401, with a Chinese
sentence saying the books are read-only here and who can change them), and the extension changes
nothing on GET, so nothing a visitor clicks can change the books. ``edit=True`` is for the treasurer on
their own machine: Fava's editor works, and Fava's import page uses the compound's bank-statement
importers. The printed URL is the 总览 (overview) page, where ``/`` also leads.

A request Fava cannot answer because of its parameters (a statement link without its entry, a query
download without a query) is a 400 with a Chinese sentence, never a server error.

The app is Fava's own (:func:`fava.application.create_app`) served by cheroot, as ``fava`` itself does.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from commonfund.compound.model import locate
from commonfund.compound.paths import CONFIG_NAME
from commonfund.core.errors import InputError
from commonfund.web.keys import EDIT_KEY, EXTENSION_CLASS, EXTENSION_MODULE, ROOT_KEY

if TYPE_CHECKING:
    from flask import Flask
    from flask.wrappers import Response



@dataclass(frozen=True)
class Served:
    """Where a served compound can be opened.

    Attributes:
      base: ``http://host:port``.
      slug: Fava's slug of the ledger (from its title).
      edit: Whether writes are allowed (``--edit``).
    """

    base: str
    slug: str
    edit: bool

    @property
    def url(self) -> str:
        """Where the supervisory committee starts: the 总览 (overview) page."""
        return self.pages_url

    @property
    def ledger_url(self) -> str:
        """Fava's own root of this ledger (redirects to its default page, the 总览)."""
        return f"{self.base}/{self.slug}/"

    @property
    def pages_url(self) -> str:
        """The commonfund pages (审计发现, 决议, 分户账, 公示)."""
        return f"{self.base}/{self.slug}/extension/{EXTENSION_CLASS}/"


def _refusal(message: str, status: int) -> Response:
    """A refused request as Fava's frontend reads it (JSON ``{"error": …}``), or as a page: inside Fava's own
    layout (sidebar and all) when a ledger is being served, else a bare page."""
    from flask import g, jsonify, render_template, request
    from flask.wrappers import Response
    from markupsafe import Markup, escape

    if "/api/" in request.path or request.accept_mimetypes.best == "application/json" or request.is_json:
        response = jsonify({"error": message})
    elif getattr(g, "ledger", None) is not None and request.method == "GET":
        text = Markup(f'<p class="error" id="commonfund-refusal">{escape(message)}</p>')
        response = Response(render_template("_layout.html", page_title="无法打开", content=text), mimetype="text/html")
    else:
        response = Response(f"<!doctype html><meta charset=utf-8><title>{escape(message[:20])}</title>"
                            f"<p>{escape(message)}</p>", mimetype="text/html")
    response.status_code = status
    return response


def _reason_zh(error: Exception) -> str:
    """Why Fava could not answer, in Chinese, from the kind of its error."""
    from fava.core import EntryNotFoundForHashError, StatementNotFoundError
    from fava.core.filters import FilterError
    from fava.core.query_shell import FavaShellError

    if isinstance(error, FilterError):
        return "页面顶部的筛选条件无法识别（时间可写 2025、2025-06、2025Q1 或 2025-01-01 - 2025-06-30）"
    if isinstance(error, (StatementNotFoundError, EntryNotFoundForHashError)):
        return "链接所指的分录或单据不存在（链接的参数不全或有误）"
    if isinstance(error, FavaShellError):
        return "查询语句为空或有误"
    return "链接的参数不全或有误"


def install_error_pages(app: Flask) -> None:
    """Chinese answers in place of Fava's bare ones: a refused write (401, read-only mode) says who can change
    the books; a request Fava cannot answer for its parameters is a 400 naming what was wrong, not a 500."""
    from fava.helpers import FavaAPIError

    from commonfund.web.keys import READ_ONLY_ZH

    def unauthorized(error: Exception) -> Response:
        return _refusal(READ_ONLY_ZH, 401)

    def bad_request(error: FavaAPIError) -> Response:
        return _refusal(f"无法完成这个请求：{_reason_zh(error)}（Fava：{error.message}）", 400)

    def not_found(error: Exception) -> Response:
        return _refusal("没有这个页面（链接有误或已失效）。请从左侧栏或“业委会账务”的总览进入。", 404)

    app.register_error_handler(401, unauthorized)
    app.register_error_handler(404, not_found)
    app.register_error_handler(FavaAPIError, bad_request)


def fava_app(path: str | Path, *, edit: bool = False) -> Flask:
    """Fava's Flask app for a compound, its ledger loaded, read-only unless *edit*.

    Raises :class:`InputError` if the folder is not a compound or its ``main.beancount`` does not
    declare the commonfund extension (older compounds: add the line ``scaffold.main_text`` writes).
    """
    from fava.application import create_app

    from commonfund.compound.config import load_config

    root, main = locate(path)
    load_config(root / CONFIG_NAME)  # a broken config is one sentence here, not a page of errors later
    if EXTENSION_MODULE not in main.read_text("utf-8"):
        raise InputError(main, f'does not declare the commonfund pages; add: 1970-01-01 custom "fava-extension" '
                               f'"{EXTENSION_MODULE}"')
    app = create_app([str(main)], read_only=not edit)
    install_error_pages(app)
    app.config[EDIT_KEY] = edit
    app.config[ROOT_KEY] = root
    with app.app_context():
        app.config["LEDGERS"].ledgers  # noqa: B018 - load now, so the printed URL answers at once
    return app


def ledger_slug(app: Flask) -> str:
    """The slug under which Fava serves the (single) ledger."""
    with app.app_context():
        return str(app.config["LEDGERS"].first_slug())


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C, so a supervisor's stop also shuts the server down cleanly."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        previous: Any = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve(
    path: str | Path, *, host: str = "127.0.0.1", port: int = 5000, edit: bool = False,
    say: Callable[[str], None] = print, ready: Callable[[Served], None] | None = None,
) -> Served:
    """Serve a compound with Fava until Ctrl-C (or SIGTERM); return where it was served.

    *port* 0 picks a free port. *say* receives the URLs once the server listens; *ready* (for tests and
    the demo) receives the :class:`Served` at the same moment.
    """
    from cheroot.wsgi import Server

    app = fava_app(path, edit=edit)
    slug = ledger_slug(app)
    server = Server((host, port), app, numthreads=8)
    try:
        server.prepare()
    except OSError as exc:
        raise InputError(f"{host}:{port}", f"cannot listen here ({exc.strerror or exc}); is the port in use? "
                                           "choose another with --port") from None
    bound_host, bound_port = server.bind_addr[:2]
    served = Served(f"http://{_display_host(bound_host)}:{bound_port}", slug, edit)
    mode = "可编辑 (edit mode: writes allowed)" if edit else "只读 (read-only: every write is refused)"
    with _sigterm_as_interrupt():  # before the URL is printed: a stop may follow at once
        try:
            say(f"Fava: {served.url}")
            lan = lan_address() if bound_host in ("0.0.0.0", "::") else None
            if lan is not None:
                say(f"局域网内其他电脑打开 (from the LAN): "
                    f"{Served(f'http://{_display_host(lan)}:{bound_port}', slug, edit).url}")
            say("（总览；Fava 的损益表、资产负债表、日记账在左侧栏）")
            say(f"{mode}; Ctrl-C 停止")
            if ready is not None:
                ready(served)
            server.serve()
        except KeyboardInterrupt:
            say("stopping Fava (Ctrl-C)")
        finally:
            server.stop()
    return served


def lan_address() -> str | None:
    """This machine's address on its local network (the one its default route uses), or None without one.
    A UDP socket "connected" to an outside address sends nothing; it only picks the interface."""
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1 (RFC 5737): never routed anywhere
            address = str(probe.getsockname()[0])
    except OSError:
        return None
    return None if address.startswith(("0.", "127.")) else address


def _display_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host

