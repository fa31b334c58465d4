#!/usr/bin/env python3
"""Reading is fast because of the stat-keyed cache; start-up is fast because of lazy imports.

Measures, in one run on this machine, ratios against peers measured alongside:

* listing N orders (`officecli --format ids order list`) with a cold cache and a warm
  cache, against the peer: a plain script that parses every order file with
  PyYAML's C loader (the least any YAML-file tool must do without a cache);
* `officecli --version` start-up, against the peer `python -c "import click"`.

    python bench/bench_read.py [N]        (default N = 2000)

Prints a table of median wall times over 5 runs and the ratios.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PEER = r"""
import sys, glob, yaml
n = 0
for p in glob.glob(sys.argv[1] + "/**/ORD-*.yaml", recursive=True):
    with open(p, encoding="utf-8") as f:
        yaml.load(f, Loader=yaml.CSafeLoader)
    n += 1
print(n)
"""


def timed(argv, env=None, runs=5, before=None) -> float:
    out = []
    for _ in range(runs):
        if before:
            before()
        t = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
        out.append(time.perf_counter() - t)
    return statistics.median(out)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    from officecli.office.core import Office
    from officecli.office.sites.company import init_office

    tmp = Path(tempfile.mkdtemp(prefix="officecli-bench-"))
    try:
        root = tmp / "records"
        os.environ["OFFICECLI_NOW"] = "2026-11-02T09:00:00+02:00"
        init_office(root, "Bench")
        o = Office(root, "bench")
        with o.change():
            cus = o.create("customer", {"id": o.new_id("customer"), "name": "Μαρία"})
            for i in range(n):
                o.create(
                    "order",
                    {
                        "id": f"ORD-A-{i + 1:05d}",
                        "customer": cus.id,
                        "lines": [
                            {"sku": "MUG-01", "name": "Κούπα", "qty": 2, "price": "12.50", "vat": "24"}
                        ],
                    },
                )
        env = {**os.environ, "OFFICECLI_ROOT": str(root)}
        cache = root / ".officecli" / "cache"
        exe = [sys.executable, "-m", "officecli"]
        drop = lambda: shutil.rmtree(cache, ignore_errors=True)  # noqa: E731
        cold = timed([*exe, "--format", "ids", "order", "list"], env, before=drop)
        subprocess.run([*exe, "--format", "ids", "order", "list"], env=env, stdout=subprocess.DEVNULL)
        warm = timed([*exe, "--format", "ids", "order", "list"], env)
        peer = timed([sys.executable, "-c", PEER, str(root)])
        start = timed([*exe, "--version"])
        bare = timed([sys.executable, "-c", "import click"])
        rows = [
            (f"order list, {n} orders, cold cache", cold, cold / peer),
            (f"order list, {n} orders, warm cache", warm, warm / peer),
            (f"peer: PyYAML C loader over {n} files", peer, 1.0),
            ("officecli --version", start, start / bare),
            ("peer: python -c 'import click'", bare, 1.0),
        ]
        print(f"{'measure':<44} {'median s':>9} {'ratio to peer':>14}")
        for name, t, r in rows:
            print(f"{name:<44} {t:>9.3f} {r:>14.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
