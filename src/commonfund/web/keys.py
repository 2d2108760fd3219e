"""What ``commonfund serve`` and the Fava extension agree on: the extension's names and the Flask config keys.

Both :mod:`commonfund.web.serve` (which starts Fava) and :mod:`commonfund.web.fava_ext` (which Fava loads) read
them from here, so the extension does not import the server.
"""

from __future__ import annotations

EXTENSION_MODULE = "commonfund.fava_ext"
"""The module ledgers declare: ``custom "fava-extension" "commonfund.fava_ext"``."""
EXTENSION_CLASS = "CommonFund"
EDIT_KEY = "COMMONFUND_EDIT"
"""Flask config key: True when ``commonfund serve --edit`` allows writes (and configures the import page)."""
ROOT_KEY = "COMMONFUND_ROOT"
"""Flask config key: the compound folder being served."""
