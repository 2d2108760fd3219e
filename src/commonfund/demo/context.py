"""What the demo's steps share: the demo compound's parameters and the context each step receives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

DEMO_HOUSEHOLDS = 3237
DEMO_YEARS = 2
DEMO_SEED = 20250101
DEMO_NAME = "锦绣花园"
DEMO_STATEMENT_MONTHS = 3
DEFAULT_OUT = Path("ledgers/demo")


@dataclass
class DemoContext:
    """What demo steps share: the compound folder, where outputs go, and a way to report progress."""

    root: Path
    outputs: Path
    say: Callable[[str], None]
    serve: bool = True
    host: str = "127.0.0.1"
    port: int = 5000
    results: dict[str, str] = field(default_factory=dict)


Step = Callable[[DemoContext], None]
