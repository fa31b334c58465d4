#!/usr/bin/env python3
"""Linear time on any input (issue 22): customer import and the records merge driver.

* ``officecli customer import FILE --dry-run`` of N rows (default 100,000) into a new
  company, against the csv module reading the same file (``python -c`` with
  ``csv.reader``): both are linear, so the ratio stays flat as N grows; a quadratic
  importer's ratio grows with N (before issue 22: 1.6 s for 100 rows, 195 s for 2,000).
* ``officecli merge-file BASE OURS THEIRS`` of one record of K fields (default
  100,000), each side changing one field and adding one, against PyYAML's C loader
  reading the three files (``yaml.load(..., CSafeLoader)``): before issue 22 a
  20,000-key record took 73 s (a list scanned once per key).

Each is timed at N/10 and N, officecli and its peer alternately, and the medians and
the ratios printed; nothing is asserted.

    python bench/bench_linear.py                # 100,000 rows and keys, 3 runs each
    python bench/bench_linear.py 20000 5
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import BASE_ENV, EXE, NOW

PEER_CSV = "import csv,sys; sum(1 for _ in csv.reader(open(sys.argv[1], encoding='utf-8')))"
PEER_YAML = (
    "import sys,yaml; [yaml.load(open(p, encoding='utf-8'), Loader=yaml.CSafeLoader) for p in sys.argv[1:]]"
)


def _time(argv, env) -> float:
    t = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - t


def _pair(ours, peer, env, runs, before=lambda: None) -> tuple[float, float]:
    before()
    subprocess.run(ours, stdout=subprocess.DEVNULL, env=env)  # untimed: byte-compiles once
    a, b = [], []
    for _ in range(runs):
        before()
        a.append(_time(ours, env))
        b.append(_time(peer, env))
    return statistics.median(a), statistics.median(b)


def _growth(label: str, small: tuple[float, float], big: tuple[float, float]) -> None:
    print(
        f"  {label} x10 input: officecli x{big[0] / small[0]:.1f}, peer x{big[1] / small[1]:.1f} "
        "(linear: about x10 once start-up is small beside the work; quadratic: x100)"
    )


def rows_file(folder: Path, n: int) -> Path:
    path = folder / f"customers-{n}.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("name,email,phone,address\n")
        for i in range(n):
            fh.write(f'Πελάτης {i},c{i}@example.gr,+30 210 {i:07d},"Οδός {i}, Αθήνα"\n')
    return path


def record_files(folder: Path, k: int) -> list[Path]:
    fields = "".join(f"f{i}: value {i}\n" for i in range(k))
    history = "history:\n- at: '2026-01-01T09:00:00+02:00'\n  by: x\n  action: add\n  to: active\n"
    base = f"id: CUS-A-0001\nname: Μαρία\n{fields}{history}"
    ours = base.replace("f10: value 10\n", "f10: ours\n").replace("history:\n", "only_ours: 1\nhistory:\n")
    theirs = base.replace(f"f{k - 10}: value {k - 10}\n", f"f{k - 10}: theirs\nonly_theirs: 2\n")
    out = []
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        out.append(folder / f"{name}-{k}.yaml")
        out[-1].write_text(text, encoding="utf-8")
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    env = dict(BASE_ENV, OFFICECLI_NOW=NOW, OFFICECLI_USER="bench")
    with tempfile.TemporaryDirectory(prefix="officecli-linear-") as tmp:
        folder = Path(tmp)
        root = folder / "office"
        subprocess.run(
            [*EXE, "init", str(root), "--site", "A"], check=True, stdout=subprocess.DEVNULL, env=env
        )
        print(f"{'what':<44} {'officecli':>10} {'peer':>10} {'ratio':>8}")
        times = []
        for size in (n // 10, n):
            csv_file = rows_file(folder, size)
            ours = [*EXE, "--root", str(root), "customer", "import", str(csv_file), "--dry-run"]
            a, b = _pair(ours, [sys.executable, "-c", PEER_CSV, str(csv_file)], env, runs)
            times.append((a, b))
            print(f"{f'customer import --dry-run, {size:,} rows':<44} {a:>9.2f}s {b:>9.3f}s {a / b:>8.1f}")
        _growth("import", *times)
        times = []
        for size in (n // 10, n):
            files = record_files(folder, size)
            scratch = folder / "merged.yaml"

            def fresh(files=files, scratch=scratch):
                scratch.write_bytes(files[1].read_bytes())  # the driver writes into OURS

            argv = [*EXE, "merge-file", str(files[0]), str(scratch), str(files[2]), "x.yaml"]
            a, b = _pair(argv, [sys.executable, "-c", PEER_YAML, *map(str, files)], env, runs, fresh)
            times.append((a, b))
            print(f"{f'merge-file, one record of {size:,} fields':<44} {a:>9.2f}s {b:>9.3f}s {a / b:>8.1f}")
        _growth("merge-file", *times)


if __name__ == "__main__":
    main()
