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
        raw = config_path.read_bytes()
    except OSError:
        return None
    name = _REGISTER_NAMES.get(raw)
    if name is None:
        try:
            found = tomllib.loads(raw.decode("utf-8")).get("register", DEFAULT_REGISTER)
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            found = None
        name = found if isinstance(found, str) and found else ""
        if len(_REGISTER_NAMES) > 64:
            _REGISTER_NAMES.clear()
        _REGISTER_NAMES[raw] = name
    return config_path.parent / name if name else None


# The register name each config text gives ("" for none): a load asks twice, Fava on every reload.
_REGISTER_NAMES: dict[bytes, str] = {}
