"""officecli in shell pipelines: a closed pipe, text and IDs from stdin, several IDs.

Real subprocesses through bash with `set -o pipefail`: a reader that stops
early (`head -1`, `true`) leaves officecli quiet and its exit status 0.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import load

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def sh(tmp_path):
    """sh("officecli ... | head -1") -> CompletedProcess, on a copy of the sample company."""
    root = tmp_path / "records"
    shutil.copytree(REPO / "records", root)
    bindir = tmp_path / "bin"
    bindir.mkdir()
    shim = bindir / "officecli"
    shim.write_text(f'#!/bin/sh\nexec {sys.executable} -m officecli "$@"\n')
    shim.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OFFICECLI_")}
    env.update(
        PATH=f"{bindir}{os.pathsep}{env['PATH']}",
        PYTHONPATH=str(REPO),
        OFFICECLI_ROOT=str(root),
        OFFICECLI_USER="tester",
        OFFICECLI_NOW="2026-11-27T10:00:00+02:00",
    )

    def run(script: str, input: str | None = None):
        return subprocess.run(
            ["bash", "-c", "set -o pipefail; " + script], env=env, input=input, capture_output=True, text=True
        )

    run.root = root
    return run


@pytest.mark.parametrize(
    "pipeline",
    [
        "officecli order trace 1 | head -1",
        "officecli stock list | head -3",
        "officecli --format json order list --all | head -1",
        "officecli stock moves | true",  # the reader is gone before officecli writes
        "officecli --format jsonl ledger register | true",
    ],
)
def test_a_closed_pipe_ends_quietly_with_exit_0(sh, pipeline):
    res = sh(pipeline)
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""


def test_text_from_stdin(sh):
    res = sh("echo 'Η λαβή ράγισε στο πλύσιμο' | officecli --format ids complaint add --customer 1 -")
    assert res.returncode == 0, res.stderr
    ident = res.stdout.strip()
    shown = json.loads(sh(f"officecli --format json complaint show {ident}").stdout)[0]
    assert shown["text"] == "Η λαβή ράγισε στο πλύσιμο"
    res = sh("printf 'πρώτη γραμμή\\nδεύτερη' | officecli order cancel 13 --note -")
    assert res.returncode == 0, res.stderr
    rec = load(sh.root, "archive/orders/cancelled/2026/ORD-A-0013.yaml")
    assert rec["history"][-1]["note"] == "πρώτη γραμμή\nδεύτερη"


def test_several_ids_one_refused_each_reported_the_others_done(sh):
    open_ids = sh("officecli --format ids order list --state open").stdout.split()
    assert len(open_ids) >= 1
    res = sh(f"officecli order forward {open_ids[0]} 1")  # ORD-A-0001 is closed: refused
    assert res.returncode == 1
    assert f"{open_ids[0]}  forwarded" in res.stdout
    assert "ORD-A-0001" in res.stderr and "1 of 2 refused" in res.stderr
    assert json.loads(sh(f"officecli --format json order show {open_ids[0]}").stdout)[0]["state"] == "inbox"


def test_ids_from_stdin_and_machine_output_of_a_change(sh):
    res = sh(
        "officecli --format ids complaint list --state new | officecli --format json complaint forward -"
    )
    assert res.returncode == 0, res.stderr
    touched = json.loads(res.stdout)
    assert touched and all(set(t) == {"id", "kind", "state", "path"} for t in touched)
    assert all(t["state"] == "inbox" and t["path"].startswith("back/complaints/inbox/") for t in touched)
    res = sh("printf '1\\n\\n2\\n' | officecli --format json customer show -")
    assert [r["id"] for r in json.loads(res.stdout)] == ["CUS-A-0001", "CUS-A-0002"]


def test_several_ids_from_stdin_with_a_failure_still_exit_1(sh):
    res = sh("printf 'ORD-A-0001\\nORD-A-0999\\n' | officecli order ship -")
    assert res.returncode == 1
    assert res.stderr.count("officecli:") == 3  # each refusal, then the count
