"""Light path look-ups that must not import the validation stack (they run inside every ledger load)."""

from __future__ import annotations

from pathlib import Path

from commonfund.io import cache

CONFIG_NAME = "compound.toml"
DEFAULT_REGISTER = "households.csv"


def outputs_folder(root: Path) -> Path:
    """Where commonfund writes what it makes of a compound (disclosures, the auditor's workbook, the demo's
    outputs) unless told otherwise: ``<compound>-out/`` beside the compound folder, never inside it (a file
    there would change the books' fingerprint or be read as part of the books)."""
    return root.parent / f"{root.name}-out"


def register_path(config_path: Path) -> Path | None:
    """The register file a config names (without validating the rest of the config), or None if unreadable.

    The full validation (:func:`commonfund.compound.config.load_config`) runs in ``commonfund check`` and wherever
    the config's settings are used; the plugin only needs the register's path. The name a config text
    gives is kept by the text's content (in this process and in :mod:`commonfund.io.cache`), so a load does
    not parse the TOML again.
    """
    try:
        raw = config_path.read_bytes()
    except OSError:
        return None
    name = _REGISTER_NAMES.get(raw)
    if name is None:
        key = cache.content_key("register-name", raw)
        found = cache.read_blobs("register-name", key)
        if found and len(found) == 1 and isinstance(found[0], str):
            name = found[0]
        else:
            name = _register_name(raw)
            cache.write_blobs("register-name", key, [name])
        if len(_REGISTER_NAMES) > 64:
            _REGISTER_NAMES.clear()
        _REGISTER_NAMES[raw] = name
    return config_path.parent / name if name else None


def _register_name(raw: bytes) -> str:
    """The ``register`` of a config text, ``""`` if the text is not a TOML config naming one."""
    import tomllib

    try:
        found = tomllib.loads(raw.decode("utf-8")).get("register", DEFAULT_REGISTER)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return ""
    return found if isinstance(found, str) and found else ""


# The register name each config text gives ("" for none): a load asks twice, Fava on every reload.
_REGISTER_NAMES: dict[bytes, str] = {}
