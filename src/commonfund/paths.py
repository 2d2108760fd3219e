"""Light path look-ups that must not import the validation stack (they run inside every ledger load)."""

from __future__ import annotations

import tomllib
from pathlib import Path

CONFIG_NAME = "compound.toml"
DEFAULT_REGISTER = "households.csv"


def register_path(config_path: Path) -> Path | None:
    """The register file a config names (without validating the rest of the config), or None if unreadable.

    The full validation (:func:`commonfund.config.load_config`) runs in ``commonfund check`` and wherever
    the config's settings are used; the plugin only needs the register's path.
    """
    try:
        data = tomllib.loads(config_path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    name = data.get("register", DEFAULT_REGISTER)
    return config_path.parent / name if isinstance(name, str) and name else None
