"""The house rules, checked by the tools that .ci/run runs too.

pyproject.toml holds the rules: import-linter's contracts (cli -> office rooms ->
office kernel -> store, the rooms over each other, no circle anywhere), ruff's
lint set and format, mypy over the store and the office kernel. Each test runs
the real tool on the real tree; the last ones plant a violation in a copy of the
tree and show that the contracts catch it, so a contract that checks nothing
cannot pass here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHECKED = ["officecli", "tests", "bench", "scripts", "setup.py"]


def tool(name: str, *args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    exe = BIN / name if (BIN / name).exists() else shutil.which(name)
    assert exe, f"{name} is not installed (pip install '.[test]')"
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def said(res: subprocess.CompletedProcess) -> str:
    return (res.stdout + res.stderr)[-4000:]


def test_import_contracts_are_kept():
    res = tool("lint-imports", "--no-cache")
    assert res.returncode == 0, said(res)
    assert "0 broken" in res.stdout, said(res)


def test_ruff_finds_nothing():
    res = tool("ruff", "check", "--no-cache", *CHECKED)
    assert res.returncode == 0, said(res)


def test_the_code_is_formatted():
    res = tool("ruff", "format", "--no-cache", "--check", *CHECKED)
    assert res.returncode == 0, said(res)


def test_mypy_passes_over_the_store_and_the_kernel():
    res = tool("mypy", "--no-incremental")
    assert res.returncode == 0, said(res)
    assert "Success" in res.stdout, said(res)


@pytest.fixture()
def copy(tmp_path):
    """The package and its contracts in a folder of their own, to plant a violation in."""
    shutil.copytree(REPO / "officecli", tmp_path / "officecli", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.parametrize(
    "where, line, contract",
    [
        # the store knows no office word
        ("officecli/store/ids.py", "from officecli.office import money", "Three layers"),
        # the rules print nothing and know no click
        (
            "officecli/office/front/orders.py",
            "import click",
            "The store knows no office words, the rules no click",
        ),
        # the books know nothing of invoices' customers: a room below imports one above
        (
            "officecli/office/books/ledger.py",
            "from officecli.office.front import orders",
            "office/: the rooms over the kernel",
        ),
        # the kernel imports no room, not even inside a function
        (
            "officecli/office/core.py",
            "def _late():\n    from officecli.office.people import hr\n",
            "office/: the rooms over the kernel",
        ),
        # two rooms on one layer stay independent
        (
            "officecli/office/back/stock.py",
            "from officecli.office.people import hr",
            "office/: the rooms over the kernel",
        ),
        # a circle between two kernel modules (each may use the other, but not both)
        (
            "officecli/office/money.py",
            "def _late():\n    from officecli.office import records\n",
            "No circle among the modules",
        ),
    ],
)
def test_a_planted_violation_breaks_its_contract(copy, where, line, contract):
    path = copy / where
    path.write_text(path.read_text("utf-8") + "\n" + line + "\n", "utf-8")
    res = tool("lint-imports", "--no-cache", cwd=copy)
    assert res.returncode != 0, said(res)
    broken = res.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, said(res)


def _room_layers() -> list[list[str]]:
    """The office contract's layers, top first, each a list of its sibling names."""
    import tomllib

    contracts = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"][
        "contracts"
    ]
    office = next(c for c in contracts if c.get("containers") == ["officecli.office"])
    return [[name.strip() for name in layer.replace("|", ":").split(":")] for layer in office["layers"]]


def test_every_module_of_office_is_in_a_room_or_in_the_kernel():
    """A module added to office/ and to no layer would escape the rooms' contract."""
    named = {name for layer in _room_layers() for name in layer}
    here = {
        p.stem if p.is_file() else p.name
        for p in (REPO / "officecli" / "office").iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").exists()
    }
    assert here == named, (
        f"in office/ but in no layer: {sorted(here - named)}; named but gone: {sorted(named - here)}"
    )


def test_events_reach_only_rooms_their_emitters_may_import():
    """events.py names its subscribers as strings (imported when the event fires), which
    lint-imports cannot see: each subscriber must sit in a room that every module
    emitting the event may import, so the arrow the string hides obeys the contracts."""
    import re

    from officecli.office.events import SUBSCRIBERS

    layers = _room_layers()
    depth = {name: i for i, layer in enumerate(layers) for name in layer}

    def room(module: str) -> str:
        return module.split(".")[2]

    office = REPO / "officecli" / "office"
    for event, targets in SUBSCRIBERS.items():
        emitters = [
            p
            for p in office.rglob("*.py")
            if re.search(rf"\.emit\(\s*\"{re.escape(event)}\"", p.read_text("utf-8"))
        ]
        assert emitters, f"{event}: nothing emits it"
        for target in targets:
            module = target.partition(":")[0]
            for path in emitters:
                rel = path.relative_to(office).parts
                emitter_room = rel[0] if len(rel) > 1 else path.stem
                assert depth[room(module)] > depth[emitter_room], (
                    f"{event}: {path.relative_to(REPO)} ({emitter_room}) may not import {module}"
                )
