"""The Fava extension under the name compounds' ledgers declare.

``main.beancount`` says ``1970-01-01 custom "fava-extension" "commonfund.fava_ext"`` (as ``commonfund init``
writes it); the extension itself lives in :mod:`commonfund.web.fava_ext`. Fava takes every
``FavaExtensionBase`` subclass of the module it imports, so this name keeps existing ledgers loading.
"""

from __future__ import annotations

from commonfund.web.fava_ext import CommonFund

__all__ = ["CommonFund"]
