"""The crontab recipe of docs/CRON.md, line by line: silent when all is well.

Each schedule line's command runs with /bin/sh as cron runs it (cron's `\\%`
is a plain `%`), with the recipe's variables, against a healthy office on the
real clock: exit 0, nothing on stdout, nothing on stderr. The lines are read
from the doc, so the test fails when the doc and the behaviour part ways.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "CRON.md"


def recipe() -> tuple[dict[str, str], list[str]]:
    block = re.search(r"```crontab\n(.*?)```", DOC.read_text("utf-8"), re.S).group(1)
    env, commands = {}, []
    for line in block.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"([A-Z_]+)=(.*)", line)
        if m:
            env[m.group(1)] = m.group(2)
            continue
        fields = line.split(None, 5)
        assert len(fields) == 6, f"not a crontab line: {line!r}"
        commands.append(fields[5].replace("\\%", "%"))
    return env, commands


ENV, COMMANDS = recipe()


@pytest.fixture(scope="module")
def healthy(tmp_path_factory):
    """A small office on the real clock: a product in stock, an employee, this month's payroll run."""
    root = tmp_path_factory.mktemp("cron") / "office"
    bindir = tmp_path_factory.mktemp("bin")
    shim = bindir / "officecli"
    shim.write_text(f'#!/bin/sh\nexec {sys.executable} -m officecli "$@"\n')
    shim.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OFFICECLI_")}
    env.update(PATH=f"{bindir}{os.pathsep}{env['PATH']}", PYTHONPATH=str(REPO), OFFICECLI_USER="cron")

    def run(*args):
        res = subprocess.run(["officecli", *args], env=env, capture_output=True, text=True)
        assert res.returncode == 0, res.stderr

    run("init", str(root), "--name", "Cron shop", "--site", "A")
    env["OFFICECLI_ROOT"] = str(root)
    run(
        "product",
        "add",
        "MUG-01",
        "--name",
        "Κούπα",
        "--price",
        "12.50",
        "--cost",
        "4.10",
        "--reorder-level",
        "2",
    )
    run("stock", "receive", "MUG-01", "40", "--cost", "4.10")
    run(
        "employee",
        "add",
        "Κώστας",
        "--office",
        "back",
        "--department",
        "warehouse",
        "--title",
        "Packer",
        "--salary",
        "1050.00",
        "--start",
        date.today().replace(day=1).isoformat(),
    )
    run("payroll", "run", date.today().strftime("%Y-%m"))
    return env


def test_the_recipe_has_the_cron_jobs_the_readme_promises():
    joined = "\n".join(COMMANDS)
    for job in (
        "complaint escalate",
        "quote expire",
        "doctor",
        "ledger check",
        "stock low --check",
        "payroll run",
    ):
        assert job in joined
    assert "OFFICECLI_ROOT" in ENV


@pytest.mark.parametrize("command", COMMANDS)
def test_each_line_prints_nothing_when_all_is_well(healthy, command):
    env = {**healthy, **{k: v for k, v in ENV.items() if k != "OFFICECLI_ROOT"}}
    res = subprocess.run(["/bin/sh", "-c", command], env=env, capture_output=True, text=True)
    assert (res.returncode, res.stdout, res.stderr) == (0, "", ""), command


def test_a_problem_is_not_silent(healthy):
    """The same doctor line speaks (and exits 1) when something is wrong: cron mails it."""
    stray = Path(healthy["OFFICECLI_ROOT"]) / "front" / "stray.txt"
    stray.write_text("x")
    try:
        command = next(c for c in COMMANDS if c.endswith("doctor"))
        res = subprocess.run(["/bin/sh", "-c", command], env=healthy, capture_output=True, text=True)
        assert res.returncode == 1 and "stray.txt" in res.stdout and "problem" in res.stderr
    finally:
        stray.unlink()
