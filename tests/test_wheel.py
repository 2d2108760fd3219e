"""commonfund works installed from its wheel, far from the repository: what ships is the package.

The wheel is built from a copy of the project's files (so the repository gets no ``build/``), installed with
``--no-deps`` into a fresh virtual environment outside the repository whose dependencies come from this
environment's site-packages (a ``.pth`` line: offline and quick, and never the editable install's finder).
Every command then runs from a folder outside the repository, with an audit hook that records any file opened
under the repository's ``src/``, ``importers/``, ``reports/``, ``payouts/`` or ``ledgers/``: there must be none.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import pytest
from tests.conftest import REPO, SMALL_REGISTER

pytestmark = pytest.mark.slow

FIXTURE = REPO / "importers" / "fixtures" / "icbc-corporate" / "layout-a.csv"
WATCHED = ("src", "importers", "reports", "ledgers", "payouts")
SITECUSTOMIZE = '''\
import os, sys
_roots = tuple(r for r in os.environ.get("COMMONFUND_WATCHED", "").split(os.pathsep) if r)
def _hook(event, args):
    # written at once (not at exit): a Dask worker process may end without running atexit handlers
    if event == "open" and _roots and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.abspath(os.fsdecode(args[0]))
        if path.startswith(_roots):
            with open(os.environ["COMMONFUND_WATCH_LOG"], "a", encoding="utf-8") as log:
                log.write(path + "\\n")
if _roots:
    sys.addaudithook(_hook)
'''


def copy_project(target: Path) -> Path:
    """The files a wheel is built from, links kept as links (the package's links to importers/ and reports/)."""
    target.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(REPO / name, target / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "fixtures")
    shutil.copytree(REPO / "src", target / "src", symlinks=True, ignore=ignore)
    shutil.copytree(REPO / "importers", target / "importers", symlinks=True, ignore=ignore)
    shutil.copytree(REPO / "reports", target / "reports", symlinks=True, ignore=ignore)
    shutil.copytree(REPO / "payouts", target / "payouts", symlinks=True, ignore=ignore)
    return target


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def test_the_wheel_installed_elsewhere_inits_imports_discloses_and_exports(tmp_path: Path) -> None:
    started = time.perf_counter()
    project = copy_project(tmp_path / "project")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w",
        tmp_path / "dist", project, cwd=tmp_path)
    [wheel] = (tmp_path / "dist").glob("commonfund-*.whl")
    shipped = zipfile.ZipFile(wheel).namelist()
    assert "commonfund/importers/bank_profiles/icbc-corporate.toml" in shipped
    assert "commonfund/importers/cashbook_layouts/ledger-detail.toml" in shipped
    assert "commonfund/disclosure/templates/maintenance-fund.typ" in shipped
    assert "commonfund/disclosure/templates/lib.typ" in shipped
    assert "commonfund/books/bank_layouts/generic.toml" in shipped

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "--quiet", wheel,
        cwd=tmp_path)
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                    cwd=tmp_path).stdout.strip())
    (site / "_commonfund_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, "utf-8")

    work = tmp_path / "work"
    work.mkdir()
    log = tmp_path / "opened-in-repository.txt"
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "COMMONFUND_REPORTS")}
    env.update(COMMONFUND_CACHE=str(tmp_path / "cache"), COMMONFUND_WATCH_LOG=str(log),
               COMMONFUND_WATCHED=os.pathsep.join(str(REPO / name) + os.sep for name in WATCHED),
               PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}")

    where = json.loads(run(python, "-c", "import commonfund, json, sys; "
                           "print(json.dumps([commonfund.__file__, sys.path]))", cwd=work, env=env).stdout)
    assert Path(where[0]).is_relative_to(venv), where[0]
    assert not any(entry and Path(entry).resolve() in (REPO, REPO / "src") for entry in where[1]), where[1]

    # the watch is live: reading a file of the repository's package is recorded
    run(python, "-c", f"open({str(REPO / 'src' / 'commonfund' / '__init__.py')!r}).close()", cwd=work, env=env)
    assert log.read_text("utf-8").strip() == str(REPO / "src" / "commonfund" / "__init__.py")
    log.unlink()

    (work / "业主名册.csv").write_text(SMALL_REGISTER, "utf-8")
    shutil.copy2(FIXTURE, work / "工行流水.csv")
    commonfund = venv / "bin" / "commonfund"
    run(commonfund, "init", "books", "--name", "测试小区", "--households", "业主名册.csv", "--start", "2024-01-01",
        cwd=work, env=env)
    # the statement starts from 100,000.00 on the account: the treasurer books the balance carried over first
    (work / "books" / "books" / "carried-over.beancount").write_text(
        '2024-01-01 * "共有收益户期初余额" "balance carried over"\n'
        "  Assets:CommonRevenue:Bank-共有收益户  100000.00 CNY\n"
        "  Equity:CommonRevenue:Opening-期初  -100000.00 CNY\n", "utf-8")
    imported = run(commonfund, "import", "books", "工行流水.csv", cwd=work, env=env)
    assert "icbc-corporate" in imported.stdout + imported.stderr
    run(commonfund, "check", "books", cwd=work, env=env)
    run(commonfund, "disclose", "books", "--kind", "common-revenue", "--period", "2024Q1", "-o", "共有收益公示.pdf",
        cwd=work, env=env)
    run(commonfund, "disclose", "books", "--kind", "maintenance-fund", "--period", "2024", "-o", "维修资金公示.pdf",
        cwd=work, env=env)
    run(commonfund, "export", "books", "--year", "2024", "-o", "审计资料-2024.xlsx", cwd=work, env=env)
    layouts = run(python, "-c", "from commonfund.books.bank_layouts import load_layouts; print(sorted(load_layouts()))",
                  cwd=work, env=env)
    assert "'generic'" in layouts.stdout and "'icbc-batch'" in layouts.stdout

    # the district roll-up on a LocalCluster of 2 workers: its worker processes run the venv's Python, so the
    # summaries are computed by the wheel's code (docs/district.md: what each worker of a cluster needs)
    shutil.copytree(work / "books", work / "district" / "a", symlinks=True)
    shutil.copytree(work / "books", work / "district" / "b", symlinks=True)
    rolled = run(commonfund, "district", "district", "--workers", "2", "-o", "街道汇总.xlsx", cwd=work, env=env)
    assert "2 recomputed" in rolled.stderr and "2 compounds, 0 with problems" in rolled.stderr, rolled.stderr
    assert zipfile.ZipFile(work / "街道汇总.xlsx").testzip() is None

    for name in ("共有收益公示.pdf", "维修资金公示.pdf"):
        assert (work / name).read_bytes().startswith(b"%PDF"), name
    assert zipfile.ZipFile(work / "审计资料-2024.xlsx").testzip() is None
    assert list((work / "books" / "imports").rglob("*.beancount"))
    assert not log.exists(), log.read_text("utf-8")
    assert time.perf_counter() - started < 300
