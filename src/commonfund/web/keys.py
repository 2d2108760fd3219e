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
WHO_CAN_EDIT_ZH = "账簿只能由业委会财务在自己的电脑上用 commonfund serve --edit 打开后修改或导入。"
READ_ONLY_ZH = "这些账簿在此只读：可以查看，不能修改，也不能导入。" + WHO_CAN_EDIT_ZH
"""What a refused write says (HTTP 401 in read-only mode, :func:`commonfund.web.serve.install_error_pages`), and
what the extension's script shows on Fava's editor and import pages."""
