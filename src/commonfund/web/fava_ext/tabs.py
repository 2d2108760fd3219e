"""The commonfund pages in Fava: one extension report, one tab per page (``?tab=``).

A tab is a key, its Chinese title and the template that draws it (``templates/<template>``, rendered inside
``CommonFund.html`` with the ``extension`` object); the first tab is the landing page. To add a page, add a
:class:`Tab` here and its template.
"""

from __future__ import annotations

from typing import NamedTuple


class Tab(NamedTuple):
    """One page of the extension.

    Attributes:
      key: The ``tab`` URL parameter.
      title: The Chinese title shown on the tab.
      template: Its own template file, or "" when ``CommonFund.html`` draws it.
    """

    key: str
    title: str
    template: str = ""


TABS = (
    Tab("overview", "总览", "overview.html"),
    Tab("findings", "审计发现"),
    Tab("resolutions", "业主大会决议"),
    Tab("households", "分户账"),
    Tab("authority", "分户账核对", "authority.html"),
    Tab("disclosures", "公示"),
    Tab("objections", "异议"),
)
TAB_KEYS = tuple(tab.key for tab in TABS)
TEMPLATES = {tab.key: tab.template for tab in TABS if tab.template}
