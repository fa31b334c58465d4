"""Completion through bash's own protocol (COMP_WORDS/COMP_CWORD and the checked-in
completions/officecli.bash): SKUs (and SKU:QTY), employees, tags, departments, accounts,
payroll months, and IDs only in the states the step accepts (workflows.yaml)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def world(cli):
    cli("product", "add", "MUG-01", "--name", "Κούπα", "--price", "12.50")
    cli("product", "add", "MUG-02", "--name", "Κούπα 2", "--price", "12.50")
    cli("product", "add", "VASE-01", "--name", "Βάζο", "--price", "30")
    cli("stock", "receive", "MUG-01", "50", "--cost", "4.00")
    cli("customer", "add", "Μαρία", "--tag", "retail", "--tag", "vip")
    cli("customer", "add", "Νίκος", "--tag", "horeca")
    for _ in range(3):
        cli("order", "add", "--customer", "1", "MUG-01:1")
    cli("order", "forward", "2")  # ORD 1, 3 open; 2 inbox
    cli(
        "employee",
        "add",
        "Νίκος Βλάχος",
        "--office",
        "back",
        "--department",
        "product",
        "--title",
        "x",
        "--salary",
        "1500",
    )
    cli(
        "employee",
        "add",
        "Δήμητρα Σταύρου",
        "--office",
        "back",
        "--department",
        "warehouse",
        "--title",
        "x",
        "--salary",
        "1500",
    )
    cli("complaint", "add", "--customer", "1", "x")
    cli("complaint", "add", "--customer", "1", "y")
    cli("complaint", "forward", "1")  # CMP 1 inbox, 2 new


def complete(office, tmp_path, line: str) -> list[str]:
    """What bash offers for ``line`` (its last word is being completed; '' after a space)."""
    bindir = tmp_path / "bin"
    bindir.mkdir(exist_ok=True)
    exe = bindir / "officecli"
    exe.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m officecli "$@"\n')
    exe.chmod(0o755)
    words = shlex.split(line) + ([""] if line.endswith(" ") else [])
    script = (
        f"source {shlex.quote(str(REPO / 'completions' / 'officecli.bash'))}\n"
        f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)})\n"
        f"COMP_CWORD={len(words) - 1}\n"
        "_officecli_completion officecli\n"
        "printf '%s\\n' \"${COMPREPLY[@]}\"\n"
    )
    env = {
        "PATH": f"{bindir}:{os.environ['PATH']}",
        "PYTHONPATH": str(REPO),
        "OFFICECLI_ROOT": str(office),
        "OFFICECLI_NOW": os.environ["OFFICECLI_NOW"],
        "HOME": str(tmp_path),
        "LC_ALL": "C.UTF-8",
    }
    res = subprocess.run(["bash", "--norc", "-c", script], capture_output=True, text=True, env=env)
    assert res.returncode == 0, res.stderr
    return [w for w in res.stdout.splitlines() if w]


@pytest.mark.parametrize(
    "line, want",
    [
        ("officecli order forward ", ["ORD-A-0001", "ORD-A-0003"]),  # open only
        ("officecli order ship ", ["ORD-A-0002"]),  # inbox only
        ("officecli order unforward ", ["ORD-A-0002"]),
        ("officecli order cancel ", ["ORD-A-0001", "ORD-A-0002", "ORD-A-0003"]),
        ("officecli complaint take ", ["CMP-A-0001"]),
        ("officecli complaint forward ", ["CMP-A-0002"]),
        ("officecli order add --customer 1 MUG", ["MUG-01:", "MUG-02:"]),  # SKU:QTY
        ("officecli order add --customer 1 v", ["VASE-01:"]),
        ("officecli order add --customer 1 VASE-01:", ["VASE-01:1"]),  # after SKU:
        ("officecli order edit 1 --add MUG-0", ["MUG-01:", "MUG-02:"]),
        ("officecli order edit 1 --remove VA", ["VASE-01"]),
        ("officecli stock receive MU", ["MUG-01", "MUG-02"]),
        ("officecli complaint take 1 --by EMP", ["EMP-A-0001", "EMP-A-0002"]),
        ("officecli complaint take 1 --by δημ", ["Δήμητρα Σταύρου"]),
        ("officecli complaint assign 1 --to ", ["EMP-A-0001", "EMP-A-0002"]),
        ("officecli complaint list --assignee νικ", ["Νίκος Βλάχος"]),
        ("officecli customer list --tag ", ["horeca", "retail", "vip"]),
        ("officecli customer edit 1 --add-tag v", ["vip"]),
        ("officecli employee add X --department wa", ["warehouse"]),
        (
            "officecli employee list --department ",
            ["accounting", "hr", "marketing", "product", "sales", "service", "warehouse"],
        ),
        ("officecli ledger register Assets:B", ["Assets:Bank"]),
        (
            "officecli ledger balance Liabilities:P",
            ["Liabilities:Payable", "Liabilities:Payroll", "Liabilities:PayrollTax"],
        ),
        ("officecli payroll run 2026", ["2026-11", "2026-10", "2026-09"]),
    ],
)
def test_bash_completes(office, tmp_path, world, line, want):
    assert complete(office, tmp_path, line) == want
