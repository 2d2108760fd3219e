"""``commonfund serve``: Fava on a compound's books, with commonfund's pages, read-only unless asked.

The supervisory committee (业主监督委员会) browses the books on a laptop or the LAN: Fava's own balance
sheet, income statement and journal in Chinese, plus the pages of :mod:`commonfund.web.fava_ext`. By
default Fava runs in its read-only mode (every request other than GET is answered 401), and the
extension changes nothing on GET, so nothing a visitor clicks can change the books. ``edit=True`` is
for the treasurer on their own machine: Fava's editor works, and Fava's import page uses the
compound's bank-statement importers.

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
        """Fava's start page for this ledger."""
        return f"{self.base}/{self.slug}/"

    @property
    def pages_url(self) -> str:
        """The commonfund pages (审计发现, 决议, 分户账, 公示)."""
        return f"{self.base}/{self.slug}/extension/{EXTENSION_CLASS}/"


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
            say(f"commonfund 页面: {served.pages_url}")
            say(f"{mode}; Ctrl-C 停止")
            if ready is not None:
                ready(served)
            server.serve()
        except KeyboardInterrupt:
            say("stopping Fava (Ctrl-C)")
        finally:
            server.stop()
    return served


def _display_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host

