"""Shared helpers of the robustness tests: a copy of the sample company, real processes.

The sample company (records/, built from officecli/cli/sample/) has orders, invoices,
complaints and employees in every state, so every multi-file command has real
work to do in a copy of it. Commands run as real processes (``python -m officecli``)
with a fixed clock; checks that only read may run in-process (same code, less start-up).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "records"
NOW = "2026-12-01T10:00:00+02:00"  # after everything in the sample; December may be run


def copy_sample(dest: Path) -> Path:
    shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns(".officecli", ".git"))
    return dest


def environ(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("OFFICECLI_CRASH_AT", "OFFICECLI_ROOT", "OFFICECLI_LOCK_TIMEOUT")
    }
    env.update({"OFFICECLI_NOW": NOW, "OFFICECLI_USER": "robust", "NO_COLOR": "1", "PYTHONPATH": str(REPO)})
    env.update(extra)
    return env


def officecli(root: Path, *args: str, timeout: float = 120, **extra: str) -> subprocess.CompletedProcess:
    """Run officecli as its own process; ``extra`` are environment variables."""
    return subprocess.run(
        [sys.executable, "-m", "officecli", "--root", str(root), *map(str, args)],
        capture_output=True,
        text=True,
        env=environ(**extra),
        cwd=REPO,
        timeout=timeout,
    )


def inproc(root: Path, *args: str, now: str = NOW):
    """Run officecli in this process (for read-only checks: same code, no start-up cost)."""
    from officecli.cli import cli

    return CliRunner().invoke(
        cli,
        ["--root", str(root), *map(str, args)],
        env={"OFFICECLI_NOW": now, "OFFICECLI_USER": "robust"},
        catch_exceptions=False,
    )


def assert_healthy(root: Path, now: str = NOW) -> None:
    """doctor and ledger check both exit 0, and no temp file or transaction is left."""
    res = inproc(root, "doctor", now=now)
    assert res.exit_code == 0, f"doctor: {res.output}"
    res = inproc(root, "ledger", "check", now=now)
    assert res.exit_code == 0, f"ledger check: {res.output}"
    txns = root / ".officecli" / "txn"
    assert not txns.exists() or not any(txns.iterdir()), "a transaction folder is left"
    assert not [p for p in root.rglob("*") if ".tmp-" in p.name], "a temp file is left"


def numbers(root: Path, prefix: str) -> list[int]:
    """The numbers of every record file named PREFIX-A-NNNN anywhere in the tree."""
    return sorted(int(p.stem.rsplit("-", 1)[1]) for p in root.rglob(f"{prefix}-A-*.yaml"))
