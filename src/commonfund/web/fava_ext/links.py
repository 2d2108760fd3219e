"""Relative links from the commonfund pages into Fava's own pages (editor, journal) and back.

The pages live at ``/<slug>/extension/CommonFund/``; Fava's reports at ``/<slug>/<report>/``. Links are
relative (``../../editor/…``) because Fava's ``url_for`` clashes with the keyword ``endpoint`` inside
extensions, and relative links work behind any URL prefix. Fava's global filters (time, account,
advanced filter) travel along so a page opened from a filtered view stays filtered.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from urllib.parse import urlencode

FILTER_PARAMS = ("time", "account", "filter")


def carried(args: Mapping[str, str], **extra: str | int | None) -> str:
    """A query string with Fava's filters from *args* and the *extra* parameters (None drops a key)."""
    params: dict[str, str] = {key: args[key] for key in FILTER_PARAMS if args.get(key)}
    for key, value in extra.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else ""


def editor(filename: str, lineno: int) -> str:
    """Fava's editor at a file and line (the source of an entry)."""
    return "../../editor/" + "?" + urlencode({"file_path": filename, "line": lineno})


def journal_day(day: date) -> str:
    """Fava's journal showing the entries of one day."""
    return "../../journal/" + "?" + urlencode({"time": day.isoformat()})


def journal_filter(text: str, time: str = "") -> str:
    """Fava's journal with an advanced filter (e.g. ``resolution:"R-2025-02"``)."""
    params = {"filter": text}
    if time:
        params["time"] = time
    return "../../journal/" + "?" + urlencode(params)


def account(name: str) -> str:
    """Fava's account page."""
    return f"../../account/{name}/"
