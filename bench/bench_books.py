#!/usr/bin/env python3
"""The books at scale: `officecli ledger balance` against hledger and ledger-cli.

For books of 5,000 and 20,000 transactions (sales with VAT, payments, cost of
goods, rent, salaries, spread over 2026) this measures, in one run:

* `officecli ledger balance` with a cold cache (.officecli/cache/
  deleted before each run) and a warm one;
* `officecli ledger export --to hledger` (warm cache);
* the peers on the exported journal of the same books, in the same run:
  `hledger -f books.journal balance` and `ledger -f books.journal balance`.

It also checks that the three tools agree on the grand total (0) and on the
bank balance, so the race is between equal answers.

    python bench/bench_books.py [N ...]     (default: 5000 20000)

Prints a table of median wall times (5 runs; 3 for cold runs above 10,000)
and each one's ratio to hledger.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import EXE, Writer, drop_cache, env_for, keep_state, table, timed

CENT = Decimal("0.01")


def make_books(root: Path, n: int) -> None:
    from officecli.office.sites.company import init_office

    init_office(root, "Bench books")
    w = Writer(root)
    rnd = random.Random(n)
    at = "2026-11-26T09:00:00+02:00"
    for i in range(1, n + 1):
        month = 1 + (i * 12) // (n + 1)
        day = f"2026-{month:02d}-{1 + i % 28:02d}"
        pick = i % 5
        net = Decimal(rnd.randint(500, 90000)) * CENT
        if pick in (0, 1):  # a sale with VAT, then its payment
            vat = (net * Decimal("0.24")).quantize(CENT)
            legs = [("Assets:Receivable", net + vat), ("Income:Sales", -net), ("Liabilities:VAT", -vat)]
            desc, kind, ref = f"Invoice INV-A-{i:05d}", "invoice", f"INV-A-{i:05d}"
        elif pick == 2:
            legs = [("Assets:Bank", net), ("Assets:Receivable", -net)]
            desc, kind, ref = f"Payment of INV-A-{i - 2:05d} (bank)", "payment", f"INV-A-{i - 2:05d}"
        elif pick == 3:
            legs = [("Expenses:COGS", net), ("Assets:Inventory", -net)]
            desc, kind, ref = f"Cost of ORD-A-{i:05d}", "cogs", f"ORD-A-{i:05d}"
        else:
            acct = ("Expenses:Rent", "Expenses:Salaries", "Expenses:Utilities", "Expenses:Other")[i % 4]
            legs = [(acct, net), ("Assets:Bank", -net)]
            desc, kind, ref = f"{acct.split(':')[1]} {day[:7]}", None, None
        data = {
            "id": f"TXN-A-{i:05d}",
            "date": day,
            "description": desc,
            "postings": [{"account": a, "amount": str(v)} for a, v in legs],
            "ref": ref,
            "kind": kind,
            "at": at,
            "by": "EMP-A-0002 Γιώργος Παπαδάκης",
        }
        w.write("ledger_txn", "posted", {k: v for k, v in data.items() if v is not None})


def last_line(argv, env=None) -> str:
    out = subprocess.run(argv, check=True, capture_output=True, text=True, env=env).stdout
    return out.strip().splitlines()[-1].strip()


def bank(argv, env=None) -> str:
    out = subprocess.run(argv, check=True, capture_output=True, text=True, env=env).stdout
    return [ln.split()[0] for ln in out.splitlines() if ln.strip()][0]


def bench(n: int, tmp: Path) -> list:
    root = tmp / f"books-{n}"
    make_books(root, n)
    keep_state(root)
    env = env_for(root)
    drop = lambda: drop_cache(root)  # noqa: E731
    journal = tmp / f"books-{n}.journal"
    subprocess.run(
        [*EXE, "ledger", "export", "--to", "hledger", "-o", str(journal)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )

    # the same answers first: officecli, hledger and ledger-cli agree on the bank
    ours = bank([*EXE, "ledger", "balance", "--flat", "Assets:Bank"], env)
    theirs = bank(["hledger", "-f", str(journal), "balance", "--flat", "Assets:Bank", "-N"])
    assert Decimal(ours.replace(",", "")) == Decimal(theirs.replace(",", "").replace("€", "")), (ours, theirs)

    runs_cold = 3 if n > 10000 else 5
    bal = [*EXE, "ledger", "balance"]
    cold = timed(bal, env, runs=runs_cold, before=drop)
    subprocess.run(bal, env=env, stdout=subprocess.DEVNULL, check=True)
    warm = timed(bal, env)
    export = timed([*EXE, "ledger", "export", "--to", "hledger"], env)
    hl = timed(["hledger", "-f", str(journal), "balance"])
    led = timed(["ledger", "-f", str(journal), "balance"])
    return [
        (f"officecli ledger balance, {n} txns, cold cache", cold, cold / hl, "hledger"),
        (f"officecli ledger balance, {n} txns, warm cache", warm, warm / hl, "hledger"),
        (f"officecli ledger export --to hledger, {n} txns, warm", export, export / hl, "hledger"),
        (f"peer: hledger -f books.journal balance, {n} txns", hl, 1.0, ""),
        (f"peer: ledger -f books.journal balance, {n} txns", led, led / hl, "hledger"),
    ]


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [5000, 20000]
    for tool in ("hledger", "ledger"):
        if not shutil.which(tool):
            sys.exit(f"bench_books: {tool} is not installed (apt-get install {tool})")
    os.environ["OFFICECLI_NOW"] = "2026-11-26T09:00:00+02:00"
    tmp = Path(tempfile.mkdtemp(prefix="officecli-bench-books-"))
    try:
        for n in sizes:
            table(bench(n, tmp), f"books of {n} transactions (ratio: to hledger in the same run)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
