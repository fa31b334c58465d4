#!/usr/bin/env python3
"""Before/after on one machine at one time: the same commands, old code and this
tree, run alternately (old, new, old, new, ...) with a warm cache, so a change
in the machine's load hits both alike.

    git archive HEAD officecli | tar -x -C /tmp/head
    python bench/compare_warm.py /tmp/head OLD_TREE NEW_TREE

OLD_TREE and NEW_TREE are two copies of the same records folder (each code
keeps its own cache in it); e.g. copies of a company made by bench_daily's
make_company(). Prints medians of 5 and the ratio new/old.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BASE_ENV, NOW

COMMANDS = [
    ["report", "daily"],
    ["order", "list"],
    ["complaint", "list"],
    ["order", "trace", "1005"],
    ["customer", "show", "1008"],
    ["--version"],
    ["order", "--help"],
]


def main() -> None:
    old_code, old_tree, new_tree = sys.argv[1:4]
    base = dict(BASE_ENV, OFFICECLI_NOW=NOW, OFFICECLI_USER="bench")
    old = dict(base, PYTHONPATH=old_code, OFFICECLI_ROOT=old_tree)
    new = dict(base, OFFICECLI_ROOT=new_tree)
    here = str(Path(__file__).resolve().parent.parent)
    away = tempfile.gettempdir()  # not the repository: else ./officecli wins over PYTHONPATH

    def run(env, args, cwd) -> float:
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "officecli", *args],
            env=env,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            check=True,
        )
        return time.perf_counter() - t

    print(f"{'warm cache, interleaved':<28} {'old s':>8} {'new s':>8} {'new/old':>8}")
    for args in COMMANDS:
        run(old, args, away), run(new, args, here)
        a, b = [], []
        for _ in range(5):
            a.append(run(old, args, away))
            b.append(run(new, args, here))
        ma, mb = statistics.median(a), statistics.median(b)
        print(f"{' '.join(args):<28} {ma:8.3f} {mb:8.3f} {mb / ma:8.2f}")


if __name__ == "__main__":
    main()
