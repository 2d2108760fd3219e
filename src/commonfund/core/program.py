"""How to run commonfund from here: the command lines commonfund prints must work exactly as printed.

After ``make demo`` the ``commonfund`` script lives in ``.venv/bin/``, which is not on the PATH until the shell
activates the environment; a printed ``commonfund serve …`` would then fail with "command not found". So every
command commonfund prints starts with :func:`program`: ``commonfund`` when that name on the PATH is this
installation's script, else the script's path as it can be typed from the current folder.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

SCRIPT = "commonfund"


def program() -> str:
    """``commonfund``, ``.venv/bin/commonfund`` (relative to the current folder when inside it), or the
    interpreter with ``-m commonfund`` when there is no script (an embedded interpreter)."""
    script = Path(sys.executable).with_name(SCRIPT)
    if not script.is_file():
        return f"{shlex.quote(sys.executable)} -m commonfund"
    found = shutil.which(SCRIPT)
    if found and os.path.samefile(found, script):
        return SCRIPT
    try:
        return shlex.quote(str(script.absolute().relative_to(Path.cwd())))
    except ValueError:
        return shlex.quote(str(script))


def command_line(*args: str | os.PathLike[str]) -> str:
    """The command line that runs commonfund with *args* from the current folder (arguments quoted as needed)."""
    return " ".join([program(), *(shlex.quote(os.fspath(arg)) for arg in args)])
