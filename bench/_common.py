"""Shared by the benches: timing with medians, and a fast writer of record files.

Record files are written with ``records.dump`` (the exact text officecli
writes) straight into their folders: making 20,000 files through one
``Office.change()`` would time the journal, not the reading we measure.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

EXE = [sys.executable, "-m", "officecli"]
NOW = "2026-11-26T09:00:00+02:00"
# Byte-compiled modules, as an installed tool has them: this machine sets
# PYTHONDONTWRITEBYTECODE, which would time compiling officecli on every run.
BASE_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
BASE_ENV["PYTHONPYCACHEPREFIX"] = os.path.join(os.environ.get("TMPDIR", "/tmp"), "officecli-bench-pycache")


def timed(argv, env=None, runs=5, before=None, stdout=subprocess.DEVNULL) -> float:
    """Median wall time of ``runs`` runs (``before`` runs untimed before each)."""
    env = env or BASE_ENV
    subprocess.run(argv, stdout=subprocess.DEVNULL, env=env)  # untimed: byte-compiles once
    out = []
    for _ in range(runs):
        if before:
            before()
        t = time.perf_counter()
        subprocess.run(argv, check=True, stdout=stdout, env=env)
        out.append(time.perf_counter() - t)
    return statistics.median(out)


class Writer:
    """Writes record files of any kind, the way office.create would lay them out."""

    def __init__(self, root: Path):
        from officecli.office.workflows import kind

        self.root = Path(root)
        self.kind = kind
        self.count = 0

    def write(self, kind_name: str, state: str, data: dict) -> str:
        from officecli.office import records

        k = self.kind(kind_name)
        when = str(data.get(k.dated) or data.get("created") or NOW)
        folder = k.folder(state, when[:4], when[5:7])
        key = str(data[k.key])
        rel = f"{folder}/{key}.yaml"
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(records.dump(k, data), encoding="utf-8")
        self.count += 1
        return rel


def history(*steps) -> list[dict]:
    """[(at, by, action, from, to, note), ...] as history entries."""
    out = []
    for at, by, action, frm, to, note in steps:
        entry = {"at": at, "by": by, "action": action}
        if frm:
            entry["from"] = frm
        if to:
            entry["to"] = to
        if note:
            entry["note"] = note
        out.append(entry)
    return out


def env_for(root: Path) -> dict:
    return {**BASE_ENV, "OFFICECLI_ROOT": str(root), "OFFICECLI_NOW": NOW, "OFFICECLI_USER": "bench"}


def table(rows, title: str) -> None:
    print(f"\n{title}")
    print(f"{'measure':<58} {'median s':>9} {'ratio':>8}  peer")
    for name, t, r, peer in rows:
        ratio = f"{r:8.2f}" if r is not None else " " * 8
        print(f"{name:<58} {t:>9.3f} {ratio}  {peer}")


def drop_cache(root: Path) -> None:
    """A cold cache: delete it (the folder of shards, and the single file of old versions)."""
    import shutil

    shutil.rmtree(Path(root) / ".officecli" / "cache", ignore_errors=True)
    (Path(root) / ".officecli" / "cache.marshal").unlink(missing_ok=True)


def keep_state(root: Path) -> None:
    """$BENCH_STATE_DIR=1: make .officecli/ up front, as a write would. (Before 0.1.x
    the cache was saved only where that folder existed, so a fresh clone never got one.)"""
    if os.environ.get("BENCH_STATE_DIR"):
        (Path(root) / ".officecli").mkdir(exist_ok=True)
