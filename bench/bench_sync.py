#!/usr/bin/env python3
"""officecli sync against a plain git pull of the same commits.

Two clones of one company (a bare remote; site A made by ``officecli init``
inside git, site B by ``git clone`` + ``officecli site set B``), each with
N new records (half customers, half open orders; written with officecli's own
record writer, then committed in one commit per site). Site B pushes; site A
then merges B's commit, timed two ways, alternating runs, from the same
starting point each time (``git reset --hard`` to A's commit):

* ``officecli sync --no-push``  (fetch, merge with the records settings and
  driver, check what the merge brought, commit the merge)
* ``git pull --no-rebase --no-edit``  (fetch, merge, commit)

Prints the medians and their ratio.

    python bench/bench_sync.py              # 1,000 records per site, 5 runs each
    python bench/bench_sync.py 2000 7
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import BASE_ENV, NOW, Writer

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = dict(
            BASE_ENV,
            HOME=str(tmp / "home"),
            GIT_CONFIG_NOSYSTEM="1",
            OFFICECLI_NOW=NOW,
            PYTHONPATH=str(REPO),
            OFFICECLI_USER="bench",
        )
        env.pop("OFFICECLI_SITE", None)
        (tmp / "home").mkdir()

        def sh(cwd, *argv):
            subprocess.run(argv, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)

        def git(cwd, *args):
            sh(cwd, "git", *args)

        def officecli(cwd, *args):
            sh(cwd, sys.executable, "-m", "officecli", *args)

        for key, value in (
            ("user.name", "Bench"),
            ("user.email", "bench@example.gr"),
            ("init.defaultBranch", "main"),
            ("commit.gpgsign", "false"),
        ):
            git(tmp, "config", "--global", key, value)
        git(tmp, "init", "-q", "--bare", "remote.git")
        a, b = tmp / "a", tmp / "b"
        git(tmp, "init", "-q", "a")
        officecli(a, "init", ".", "--name", "Bench", "--site", "A", "--site-name", "Athens")
        git(a, "remote", "add", "origin", str(tmp / "remote.git"))
        git(a, "push", "-q", "-u", "origin", "main")
        git(tmp, "clone", "-q", "remote.git", "b")
        officecli(b, "site", "set", "B", "--name", "Thessaloniki")
        officecli(b, "sync")
        officecli(a, "sync")
        t = time.perf_counter()
        for root, site in ((a, "A"), (b, "B")):
            _records(root, site, n)
            git(root, "add", "-A")
            git(root, "commit", "-qm", f"{n} records at site {site}")
        made = time.perf_counter() - t
        git(b, "push", "-q", "origin", "main")
        start = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=a, env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
        commands = {
            "officecli sync --no-push": [sys.executable, "-m", "officecli", "sync", "--no-push"],
            "git pull --no-rebase": ["git", "pull", "-q", "--no-rebase", "--no-edit", "origin", "main"],
        }
        times: dict[str, list[float]] = {k: [] for k in commands}
        for i in range(runs + 1):  # the first round is untimed (warm-up)
            for name, argv in commands.items():
                git(a, "reset", "-q", "--hard", start)
                t = time.perf_counter()
                sh(a, *argv)
                took = time.perf_counter() - t
                if i:
                    times[name].append(took)
                merged = subprocess.run(
                    ["git", "rev-list", "--count", "HEAD"], cwd=a, env=env, capture_output=True, text=True
                ).stdout.strip()
                assert int(merged) >= 4, f"{name} did not merge"
        sync = statistics.median(times["officecli sync --no-push"])
        pull = statistics.median(times["git pull --no-rebase"])
        print(
            f"{n} new records at each of two sites (made and committed in {made:.1f} s); "
            f"medians of {runs} alternating runs:"
        )
        print(f"  officecli sync --no-push   {sync * 1000:8.0f} ms")
        print(f"  git pull --no-rebase       {pull * 1000:8.0f} ms")
        print(f"  ratio sync / pull          {sync / pull:8.2f}")


def _records(root: Path, site: str, n: int) -> None:
    """n/2 customers and n/2 open orders, as officecli writes them."""
    w = Writer(root)
    half = n // 2
    for i in range(1, half + 1):
        w.write(
            "customer",
            _first_state("customer"),
            {
                "id": f"CUS-{site}-{i:04d}",
                "name": f"Πελάτης {site}{i}",
                "email": f"c{site}{i}@example.gr",
                "created": NOW,
                "history": [{"at": NOW, "by": "bench", "action": "add", "to": _first_state("customer")}],
            },
        )
    for i in range(1, n - half + 1):
        w.write(
            "order",
            "open",
            {
                "id": f"ORD-{site}-{i:04d}",
                "customer": f"CUS-{site}-{(i - 1) % half + 1:04d}",
                "created": NOW,
                "lines": [{"sku": "MUG-01", "qty": 1, "price": "12.50", "vat": "24"}],
                "history": [{"at": NOW, "by": "bench", "action": "add", "to": "open"}],
            },
        )


def _first_state(kind_name: str) -> str:
    from officecli.office.workflows import kind

    return next(iter(kind(kind_name).states))


if __name__ == "__main__":
    os.environ.pop("OFFICECLI_SITE", None)
    main()
