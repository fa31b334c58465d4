#!/usr/bin/env python3
"""officecli sync and customer import, each against a peer measured in the same run.

Two clones of one company (a bare remote; site A made by ``officecli init``
inside git, site B by ``git clone`` + ``officecli site set B``). Records are
written with officecli's own record writer and committed in one commit per
site. Timed from the same starting point each run (``git reset --hard``),
alternating, untimed warm-up first; medians and ratios printed:

* **merge**: N new records at each site (half customers, half open orders);
  A merges B's commit: ``officecli sync --no-push`` against ``git pull
  --no-rebase`` (goal: ratio <= 1.5).
* **fast-forward**: only B has F new records; A takes them: ``officecli sync
  --no-push`` against ``git pull --ff-only`` (goal: ratio <= 1.5).
* **import**: ``officecli customer import`` of R rows (CSV) into a fresh copy
  of A, against the same R record files copied with one ``cp -r`` and against
  one ``yaml.CSafeLoader`` pass reading them back: the cost of a record
  written, not of Python starting.

    python bench/bench_sync.py                  # merge 2,000 / ff 8,900 / import 3,000, 3 runs
    python bench/bench_sync.py --merge 200 --ff 500 --import 300 --runs 3   # quick
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
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--merge", type=int, default=2000, help="new records at each site (0: skip)")
    ap.add_argument("--ff", type=int, default=8900, help="new records at one site (0: skip)")
    ap.add_argument("--import", dest="rows", type=int, default=3000, help="customer rows (0: skip)")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(Path(tmp))
        if args.merge:
            bench.merge(args.merge, args.runs)
        if args.ff:
            bench.fast_forward(args.ff, args.runs)
        if args.rows:
            bench.import_rows(args.rows, args.runs)


class Bench:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.env = dict(
            BASE_ENV,
            HOME=str(tmp / "home"),
            GIT_CONFIG_NOSYSTEM="1",
            OFFICECLI_NOW=NOW,
            PYTHONPATH=str(REPO),
            OFFICECLI_USER="bench",
        )
        self.env.pop("OFFICECLI_SITE", None)
        (tmp / "home").mkdir()
        for key, value in (
            ("user.name", "Bench"),
            ("user.email", "bench@example.gr"),
            ("init.defaultBranch", "main"),
            ("commit.gpgsign", "false"),
            ("gc.auto", "0"),  # no repacking in the middle of one command's run and not the other's
            ("maintenance.auto", "false"),
        ):
            self.git(tmp, "config", "--global", key, value)
        self.n = 0

    def sh(self, cwd, *argv):
        subprocess.run(argv, cwd=cwd, env=self.env, check=True, stdout=subprocess.DEVNULL)

    def git(self, cwd, *args):
        self.sh(cwd, "git", *args)

    def out(self, cwd, *args) -> str:
        return subprocess.run(
            ["git", *args], cwd=cwd, env=self.env, capture_output=True, text=True, check=True
        ).stdout.strip()

    def officecli(self, cwd, *args):
        self.sh(cwd, sys.executable, "-m", "officecli", *args)

    def company(self) -> tuple[Path, Path]:
        self.n += 1
        tmp = self.tmp / f"c{self.n}"
        tmp.mkdir()
        a, b = tmp / "a", tmp / "b"
        self.git(tmp, "init", "-q", "--bare", "remote.git")
        self.git(tmp, "init", "-q", "a")
        self.officecli(a, "init", ".", "--name", "Bench", "--site", "A", "--site-name", "Athens")
        self.git(a, "remote", "add", "origin", str(tmp / "remote.git"))
        self.git(a, "push", "-q", "-u", "origin", "main")
        self.git(tmp, "clone", "-q", "remote.git", "b")
        self.officecli(b, "site", "set", "B", "--name", "Thessaloniki")
        self.officecli(b, "sync")
        self.officecli(a, "sync")
        return a, b

    def race(self, a: Path, commands: dict[str, list[str]], runs: int, check) -> dict[str, float]:
        start = self.out(a, "rev-parse", "HEAD")
        times: dict[str, list[float]] = {k: [] for k in commands}
        for i in range(runs + 1):  # the first round is untimed (warm-up)
            for name, argv in commands.items():
                self.git(a, "reset", "-q", "--hard", start)
                t = time.perf_counter()
                self.sh(a, *argv)
                took = time.perf_counter() - t
                if i:
                    times[name].append(took)
                check(name)
        return {k: statistics.median(v) for k, v in times.items()}

    def merge(self, n: int, runs: int) -> None:
        a, b = self.company()
        for root, site in ((a, "A"), (b, "B")):
            _records(root, site, n)
            self.git(root, "add", "-A")
            self.git(root, "commit", "-qm", f"{n} records at site {site}")
        self.git(b, "push", "-q", "origin", "main")

        def merged(name):
            assert len(self.out(a, "log", "-1", "--format=%P").split()) == 2, f"{name} did not merge"

        med = self.race(
            a,
            {
                "officecli sync --no-push": [sys.executable, "-m", "officecli", "sync", "--no-push"],
                "git pull --no-rebase": ["git", "pull", "-q", "--no-rebase", "--no-edit", "origin", "main"],
            },
            runs,
            merged,
        )
        _show(f"merge: {n} new records at each of two sites", med, runs)

    def fast_forward(self, n: int, runs: int) -> None:
        a, b = self.company()
        _records(b, "B", n)
        self.git(b, "add", "-A")
        self.git(b, "commit", "-qm", f"{n} records at site B")
        self.git(b, "push", "-q", "origin", "main")
        theirs = self.out(b, "rev-parse", "HEAD")

        def forwarded(name):
            assert self.out(a, "rev-parse", "HEAD") == theirs, f"{name} did not fast-forward"

        med = self.race(
            a,
            {
                "officecli sync --no-push": [sys.executable, "-m", "officecli", "sync", "--no-push"],
                "git pull --ff-only": ["git", "pull", "-q", "--ff-only", "origin", "main"],
            },
            runs,
            forwarded,
        )
        _show(f"fast-forward: {n} new records from one site", med, runs)

    def import_rows(self, n: int, runs: int) -> None:
        import csv
        import shutil

        a, _ = self.company()
        src = self.tmp / "customers.csv"
        with open(src, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["name", "email", "phone"])
            for i in range(n):
                w.writerow([f"Πελάτης {i}", f"c{i}@example.gr", f"+30 210 {i:07d}"])
        self.officecli(a, "customer", "import", str(src))  # the files the peers copy and read
        made = a / "front" / "customers"
        assert len(list(made.glob("*.yaml"))) >= n
        reader = (
            "import sys, yaml, pathlib\n"
            "for p in pathlib.Path(sys.argv[1]).rglob('*.yaml'):\n"
            "    yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)\n"
        )
        times: dict[str, list[float]] = {
            "customer import": [],
            "cp -r (same files)": [],
            "CSafeLoader pass": [],
        }
        for i in range(runs + 1):
            fresh = self.tmp / f"import{i}"
            shutil.copytree(a, fresh, symlinks=True, ignore=shutil.ignore_patterns("customers"))
            for name, argv, cwd in (
                (
                    "customer import",
                    [sys.executable, "-m", "officecli", "customer", "import", str(src)],
                    fresh,
                ),
                ("cp -r (same files)", ["cp", "-r", str(made), str(self.tmp / f"copy{i}")], self.tmp),
                ("CSafeLoader pass", [sys.executable, "-c", reader, str(made)], self.tmp),
            ):
                t = time.perf_counter()
                self.sh(cwd, *argv)
                if i:
                    times[name].append(time.perf_counter() - t)
            shutil.rmtree(fresh)
        _show(f"import: {n} customer rows", {k: statistics.median(v) for k, v in times.items()}, runs)


def _show(title: str, med: dict[str, float], runs: int) -> None:
    names = list(med)
    print(f"{title}; medians of {runs} alternating runs:")
    for name in names:
        print(f"  {name:<28} {med[name] * 1000:9.0f} ms")
    for peer in names[1:]:
        print(f"  ratio {names[0]} / {peer}: {med[names[0]] / med[peer]:.2f}")
    sys.stdout.flush()


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
