"""Issue 28, point 12: completion -- IDs with what they are (zsh and fish show it, bash
completes a name to its ID), every ID after `edit`, an ID typed once not offered again,
`payroll pay` only months run and unpaid. Through each shell's own protocol: bash's
COMP_WORDS/COMP_CWORD with the checked-in script, zsh sourcing _officecli with its
completion builtins stubbed to print, fish's `complete -C`."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def world(cli, tmp_path, office):
    cli("customer", "add", "Ξενοδοχείο Αιγαίο")
    cli("customer", "add", "Μαρία Παπαδοπούλου")
    cli("product", "add", "MUG", "--name", "Κούπα", "--price", "10", "--cost", "4")
    cli("stock", "receive", "MUG", "10", "--cost", "4")
    cli("order", "add", "--customer", "1", "MUG:1")
    cli("order", "add", "--customer", "2", "MUG:1")
    cli(
        "employee",
        "add",
        "Νίκος Αλεξίου",
        "--office",
        "back",
        "--department",
        "warehouse",
        "--title",
        "x",
        "--salary",
        "1000",
        "--start",
        "2026-09-01",
    )
    cli("payroll", "run", "2026-09")
    cli("payroll", "run", "2026-10")
    cli("payroll", "pay", "2026-09")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    exe = bindir / "officecli"
    exe.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m officecli "$@"\n')
    exe.chmod(0o755)
    return {
        "PATH": f"{bindir}:{os.environ['PATH']}",
        "PYTHONPATH": str(REPO),
        "OFFICECLI_ROOT": str(office),
        "OFFICECLI_NOW": os.environ["OFFICECLI_NOW"],
        "OFFICECLI_USER": "tester",
        "HOME": str(tmp_path),
        "LC_ALL": "C.UTF-8",
    }


def bash(env, line: str) -> list[str]:
    words = shlex.split(line) + ([""] if line.endswith(" ") else [])
    script = (
        f"source {shlex.quote(str(REPO / 'completions' / 'officecli.bash'))}\n"
        f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)})\nCOMP_CWORD={len(words) - 1}\n"
        "_officecli_completion officecli\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
    )
    res = subprocess.run(["bash", "--norc", "-c", script], capture_output=True, text=True, env=env)
    assert res.returncode == 0, res.stderr
    return [w for w in res.stdout.splitlines() if w]


def test_bash_ids_names_and_no_repeats(world):
    assert bash(world, "officecli order show ") == ["ORD-A-0001", "ORD-A-0002"]
    assert bash(world, "officecli order show ORD-A-0001 ") == ["ORD-A-0002"]  # not again
    assert bash(world, "officecli order show 1 ") == ["ORD-A-0002"]  # a number names it too
    assert bash(world, "officecli order add --customer ξενο") == ["CUS-A-0001"]  # a name to its ID
    assert bash(world, "officecli order list --customer μαρ") == ["CUS-A-0002"]


def test_bash_edit_offers_every_kind(world):
    got = bash(world, "officecli edit ")
    assert {"CUS-A-0001", "ORD-A-0002", "MUG"} <= set(got)
    assert bash(world, "officecli edit CUS") == ["CUS-A-0001", "CUS-A-0002"]


def test_bash_payroll_months(world):
    assert bash(world, "officecli payroll pay ") == ["2026-10"]  # run, not paid
    assert bash(world, "officecli payroll show ") == ["2026-10", "2026-09"]  # run
    assert "2026-11" in bash(world, "officecli payroll run ")  # this month may be run


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed (.ci/run installs it)")
def test_zsh_shows_descriptions(world):
    script = (
        "compdef() { :; }\n"
        '_describe() { print -l -- "${(@P)3}"; }\n'
        'compadd() { print -l -- "${(@P)${@[-1]}}"; }\n'
        f"source {shlex.quote(str(REPO / 'completions' / '_officecli'))}\n"
        "words=(officecli order show ''); CURRENT=4\n_officecli_completion\n"
    )
    res = subprocess.run(["zsh", "-f", "-c", script], capture_output=True, text=True, env=world)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert "ORD-A-0001:open · Ξενοδοχείο Αιγαίο" in lines
    assert "ORD-A-0002:open · Μαρία Παπαδοπούλου" in lines


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed (.ci/run installs it)")
def test_fish_shows_descriptions(world):
    script = (
        f"source {shlex.quote(str(REPO / 'completions' / 'officecli.fish'))}\n"
        "complete -C 'officecli customer show '\n"
    )
    res = subprocess.run(["fish", "--no-config", "-c", script], capture_output=True, text=True, env=world)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == ["CUS-A-0001\tΞενοδοχείο Αιγαίο", "CUS-A-0002\tΜαρία Παπαδοπούλου"]
