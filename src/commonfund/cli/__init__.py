"""The ``commonfund`` command line: a thin click shell over library functions.

Each command lives in its own module under :mod:`commonfund.cli` and is registered here by name; a
command parses arguments, calls the library, prints, and exits non-zero on errors. User errors
(:class:`~commonfund.core.errors.InputError`) print one sentence and exit 2; ledger errors exit 1.
"""

from __future__ import annotations

import importlib
import os

# commonfund's arrays are integer fen (no matrix products): OpenBLAS's worker threads, started when numpy is
# imported below, would only spin idle for ~0.1 s of CPU on every command. A user's own setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import click

from commonfund import __version__

# Command modules; each defines a click command or group named `command`.
COMMANDS = (
    "init", "check", "fingerprint", "synth", "demo", "importcmd", "votes", "policy", "audit", "subledger", "payout",
    "disclose", "export", "statements", "serve", "district", "funds", "opening", "reconcile", "migrate",
    "rules",
)


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(super().list_commands(ctx))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="commonfund")
def main() -> None:
    """commonfund — 业委会账簿: the books of an owners' committee, with the law's rules checked on every load."""


for _name in COMMANDS:
    _module = importlib.import_module(f"commonfund.cli.{_name}")
    main.add_command(_module.command)
    if hasattr(_module, "contracts_command"):
        main.add_command(_module.contracts_command)
