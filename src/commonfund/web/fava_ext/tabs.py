"""The commonfund pages in Fava: one extension report, one tab per page (``?tab=``)."""

from __future__ import annotations

from typing import NamedTuple


class Tab(NamedTuple):
    """One page of the extension.

    Attributes:
      key: The ``tab`` URL parameter.
      title: The Chinese title shown on the tab.
    """

    key: str
    title: str


TABS = (
    Tab("findings", "审计发现"),
    Tab("resolutions", "业主大会决议"),
    Tab("households", "分户账"),
    Tab("disclosures", "公示"),
)
TAB_KEYS = tuple(tab.key for tab in TABS)
