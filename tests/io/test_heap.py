"""Freezing the long-lived heap while books load: balanced, nesting-safe, also when a command fails."""

from __future__ import annotations

import gc

import pytest
from click.testing import CliRunner
from tests.conftest import CompoundFactory

from commonfund.cli import main
from commonfund.io.gcfreeze import long_lived_heap_frozen


def test_blocks_freeze_once_and_unfreeze_even_on_error() -> None:
    assert gc.get_freeze_count() == 0
    with long_lived_heap_frozen():
        frozen = gc.get_freeze_count()
        assert frozen > 0
        young = [[n] for n in range(5000)]  # new container objects: a second freeze would take them in
        with long_lived_heap_frozen():
            # Frozen objects may be freed meanwhile (other threads), so the count can only drop — unless
            # the nested block froze again, which would add the 5,000 young lists.
            assert gc.get_freeze_count() < frozen + len(young)
        assert gc.get_freeze_count() < frozen + len(young)
    assert gc.get_freeze_count() == 0
    with pytest.raises(RuntimeError), long_lived_heap_frozen():
        raise RuntimeError
    assert gc.get_freeze_count() == 0


def test_check_leaves_the_collector_as_it_found_it(make_compound: CompoundFactory, tmp_path: object) -> None:
    root = make_compound()
    runner = CliRunner()
    assert runner.invoke(main, ["check", str(root)]).exit_code == 0
    assert gc.get_freeze_count() == 0
    (root / "households.csv").write_text("unit,building\n", "utf-8")  # unusable register: exit 2
    assert runner.invoke(main, ["check", str(root)]).exit_code == 2
    assert gc.get_freeze_count() == 0
