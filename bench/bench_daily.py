#!/usr/bin/env python3
"""A busy company: the daily reading commands against a bare YAML pass.

Builds, from a copy of the sample company (records/), a company of ~2,000
customers, ~5,000 orders in every state (with their invoices, payments,
ledger entries and stock moves) and ~1,000 complaints in every state; then
measures, in one run:

* `report daily`, `order list`, `complaint list`, `order trace N`,
  `customer show N`, each with a cold cache (.officecli/cache/
  deleted before each run) and a warm one, against the peer: a plain
  script that parses every record file of the tree once with PyYAML's C
  loader (the least any tool over these YAML files must do without a cache);
* `officecli --version` and `officecli order --help` start-up against the
  peer `python -c "import click"`.

    python bench/bench_daily.py [CUSTOMERS ORDERS COMPLAINTS]   (default 2000 5000 1000)

Prints a table of median wall times over 5 runs and the ratios.
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
from _common import EXE, NOW, Writer, drop_cache, env_for, history, keep_state, table, timed

SAMPLE = Path(__file__).resolve().parent.parent / "records"
PEER = r"""
import os, sys, yaml
n = 0
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs[:] = [d for d in dirs if not d.startswith(".")]
    for name in files:
        if name.endswith(".yaml"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                yaml.load(f, Loader=yaml.CSafeLoader)
            n += 1
print(n)
"""
PRODUCTS = [
    ("BOOK-KER", "22.00", "6", "Βιβλίο: Η τέχνη του τροχού"),
    ("BOWL-MIL", "9.80", "24", "Μπολ Μήλος"),
    ("JUG-LIN", "26.00", "24", "Κανάτα Λίνδος 1L"),
    ("MUG-AEG", "12.50", "24", "Κούπα Αιγαίο 350ml"),
    ("MUG-SAN", "11.00", "24", "Κούπα Σαντορίνη λευκή"),
    ("PLT-OLV", "18.00", "24", "Πιάτο Ελιά 27cm"),
    ("VASE-AMF", "64.00", "24", "Βάζο Αμφορέας"),
    ("VASE-KNS", "38.50", "24", "Βάζο Κνωσός μικρό"),
]
FRONT = "EMP-A-0006 Σοφία Δήμου"
BACK = "EMP-A-0003 Ελένη Μάρκου"
BOOKS = "EMP-A-0002 Γιώργος Παπαδάκης"
C = Decimal("0.01")
FIRST = 1001  # generated IDs start here, after the sample's own


def stamp(day: int, hour: int) -> str:
    """Day 0 is 2026-11-26 (the bench's today), day 1 the day before, ..."""
    from datetime import date, timedelta

    d = date(2026, 11, 26) - timedelta(days=day)
    return f"{d.isoformat()}T{hour:02d}:00:00+02:00"


def make_company(root: Path, n_cust: int, n_ord: int, n_cmp: int) -> dict:
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns(".officecli", ".git"))
    w = Writer(root)
    rnd = random.Random(42)
    for i in range(FIRST, FIRST + n_cust):
        w.write(
            "customer",
            "active",
            {
                "id": f"CUS-A-{i:04d}",
                "name": f"Πελάτης {i}",
                "email": f"c{i}@example.gr",
                "phone": f"+30 210 {i:07d}",
                "tags": ["retail"] if i % 3 else ["wholesale"],
                "created": stamp(200 - i % 200, 9),
                "history": history((stamp(200 - i % 200, 9), FRONT, "add", None, "active", None)),
            },
        )
    states = ["open", "inbox", "shipped", "invoiced", "closed", "closed", "cancelled"]
    inv_n = txn_n = mov_n = FIRST
    for i in range(FIRST, FIRST + n_ord):
        oid = f"ORD-A-{i:04d}"
        state = states[i % len(states)]
        age = rnd.randint(0, 120)
        lines = []
        for sku, price, vat, name in rnd.sample(PRODUCTS, rnd.randint(1, 4)):
            lines.append({"sku": sku, "name": name, "qty": rnd.randint(1, 6), "price": price, "vat": vat})
        steps = [(stamp(age, 9), FRONT, "add", None, "open", None)]
        data = {
            "id": oid,
            "customer": f"CUS-A-{FIRST + rnd.randrange(n_cust):04d}",
            "lines": lines,
            "created": stamp(age, 9),
        }
        if state == "cancelled":
            steps.append((stamp(age, 11), FRONT, "cancel", "open", "cancelled", "customer changed mind"))
        if state in ("inbox", "shipped", "invoiced", "closed"):
            steps.append((stamp(age, 10), FRONT, "forward", "open", "inbox", None))
        if state in ("shipped", "invoiced", "closed"):
            steps.append((stamp(age, 12), BACK, "ship", "inbox", "shipped", f"ACS {i}"))
            for line in lines:
                w.write(
                    "stock_move",
                    "posted",
                    {
                        "id": f"MOV-A-{mov_n:04d}",
                        "date": stamp(age, 12)[:10],
                        "sku": line["sku"],
                        "qty": -line["qty"],
                        "reason": "ship",
                        "unit_cost": "5.00",
                        "ref": oid,
                        "at": stamp(age, 12),
                        "by": BACK,
                    },
                )
                mov_n += 1
            cogs = sum(Decimal("5.00") * line["qty"] for line in lines)
            w.write(
                "ledger_txn",
                "posted",
                {
                    "id": f"TXN-A-{txn_n:04d}",
                    "date": stamp(age, 12)[:10],
                    "description": f"Cost of {oid}",
                    "postings": [
                        {"account": "Expenses:COGS", "amount": str(cogs)},
                        {"account": "Assets:Inventory", "amount": str(-cogs)},
                    ],
                    "ref": oid,
                    "kind": "cogs",
                    "at": stamp(age, 12),
                    "by": BACK,
                },
            )
            txn_n += 1
        if state in ("invoiced", "closed"):
            inv = f"INV-A-{inv_n:04d}"
            inv_n += 1
            data["invoice"] = inv
            steps.append((stamp(max(age - 1, 0), 10), BOOKS, "invoice", "shipped", "invoiced", inv))
            net = sum((Decimal(ln["price"]) * ln["qty"] for ln in lines), Decimal("0"))
            vat = {}
            for ln in lines:
                v = vat.setdefault(ln["vat"], {"net": Decimal("0")})
                v["net"] += Decimal(ln["price"]) * ln["qty"]
            for rate, v in vat.items():
                v["vat"] = (v["net"] * Decimal(rate) / 100).quantize(C)
            gross = net + sum(v["vat"] for v in vat.values())
            inv_steps = [(stamp(max(age - 1, 0), 10), BOOKS, "issue", None, "open", f"for order {oid}")]
            day = stamp(max(age - 1, 0), 10)[:10]
            w.write(
                "ledger_txn",
                "posted",
                {
                    "id": f"TXN-A-{txn_n:04d}",
                    "date": day,
                    "description": f"Invoice {inv}",
                    "postings": [
                        {"account": "Assets:Receivable", "amount": str(gross)},
                        {"account": "Income:Sales", "amount": str(-net)},
                        {"account": "Liabilities:VAT", "amount": str(net - gross)},
                    ],
                    "ref": inv,
                    "kind": "invoice",
                    "at": stamp(max(age - 1, 0), 10),
                    "by": BOOKS,
                },
            )
            txn_n += 1
            if state == "closed":
                pay = f"TXN-A-{txn_n:04d}"
                w.write(
                    "ledger_txn",
                    "posted",
                    {
                        "id": pay,
                        "date": stamp(max(age - 2, 0), 11)[:10],
                        "description": f"Payment of {inv} (bank)",
                        "postings": [
                            {"account": "Assets:Bank", "amount": str(gross)},
                            {"account": "Assets:Receivable", "amount": str(-gross)},
                        ],
                        "ref": inv,
                        "kind": "payment",
                        "at": stamp(max(age - 2, 0), 11),
                        "by": BOOKS,
                    },
                )
                txn_n += 1
                inv_steps.append(
                    (stamp(max(age - 2, 0), 11), BOOKS, "pay", "open", "paid", f"paid in full ({pay})")
                )
                steps.append(
                    (stamp(max(age - 2, 0), 11), BOOKS, "close", "invoiced", "closed", f"{inv} paid")
                )
            w.write(
                "invoice",
                "paid" if state == "closed" else "open",
                {
                    "id": inv,
                    "series": "A",
                    "order": oid,
                    "customer": data["customer"],
                    "date": day,
                    "due": "2026-12-26",
                    "currency": "EUR",
                    "lines": [
                        dict(ln, net=str((Decimal(ln["price"]) * ln["qty"]).quantize(C))) for ln in lines
                    ],
                    "net": str(net.quantize(C)),
                    "vat": {
                        r: {"net": str(v["net"].quantize(C)), "vat": str(v["vat"])} for r, v in vat.items()
                    },
                    "gross": str(gross.quantize(C)),
                    "created": stamp(max(age - 1, 0), 10),
                    "history": history(*inv_steps),
                },
            )
        data["history"] = history(*steps)
        w.write("order", state, data)
    cstates = ["new", "inbox", "working", "waiting", "answered", "closed"]
    for i in range(FIRST, FIRST + n_cmp):
        state = cstates[i % len(cstates)]
        age = rnd.randint(0, 30)
        steps = [(stamp(age, 9), FRONT, "add", None, "new", None)]
        order = FIRST + rnd.randrange(n_ord)
        if state != "new":
            steps.append((stamp(age, 10), FRONT, "forward", "new", "inbox", None))
        if state in ("working", "waiting", "answered", "closed"):
            steps.append((stamp(age, 11), BACK, "take", "inbox", "working", f"assigned to {BACK}"))
        if state == "waiting":
            steps.append((stamp(age, 12), BACK, "wait", "working", "waiting", "photo asked"))
        if state in ("answered", "closed"):
            steps.append((stamp(age, 13), BACK, "resolve", "working", "answered", None))
        if state == "closed":
            steps.append((stamp(age, 14), FRONT, "close", "answered", "closed", None))
        data = {
            "id": f"CMP-A-{i:04d}",
            "customer": f"CUS-A-{FIRST + rnd.randrange(n_cust):04d}",
            "order": f"ORD-A-{order:04d}",
            "channel": "email",
            "text": f"Παράπονο {i}: σπασμένο κομμάτι",
            "due": {
                "forward": stamp(age, 13),
                "first_response": stamp(age - 1, 9),
                "resolution": stamp(age - 3, 9),
            },
            "created": stamp(age, 9),
            "history": history(*steps),
        }
        if state not in ("new", "inbox"):
            data.update(assignee="Ελένη Μάρκου", assignee_id="EMP-A-0003")
        if state in ("answered", "closed"):
            data["resolution"] = "Στάλθηκε νέο κομμάτι"
        w.write("complaint", state, data)
    return {"files": w.count, "order": f"{FIRST + 4:04d}", "customer": f"{FIRST + 7:04d}"}


def main() -> None:
    n_cust, n_ord, n_cmp = (int(a) for a in (sys.argv[1:4] if len(sys.argv) > 3 else (2000, 5000, 1000)))
    os.environ["OFFICECLI_NOW"] = NOW
    tmp = Path(tempfile.mkdtemp(prefix="officecli-bench-daily-"))
    try:
        root = tmp / "records"
        info = make_company(root, n_cust, n_ord, n_cmp)
        keep_state(root)
        env = env_for(root)
        drop = lambda: drop_cache(root)  # noqa: E731
        peer = timed([sys.executable, "-c", PEER, str(root)])
        commands = [
            ("report daily", ["report", "daily"]),
            ("order list", ["order", "list"]),
            ("complaint list", ["complaint", "list"]),
            (f"order trace {info['order']}", ["order", "trace", info["order"]]),
            (f"customer show {info['customer']}", ["customer", "show", info["customer"]]),
        ]
        rows = []
        for name, args in commands:
            argv = [*EXE, *args]
            cold = timed(argv, env, before=drop)
            subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
            warm = timed(argv, env)
            rows.append((f"{name}, cold cache", cold, cold / peer, "yaml pass"))
            rows.append((f"{name}, warm cache", warm, warm / peer, "yaml pass"))
        rows.append((f"peer: PyYAML C loader over all {info['files']}+ files", peer, 1.0, ""))
        bare = timed([sys.executable, "-c", "import click"])
        for name, args in (
            ("officecli --version", ["--version"]),
            ("officecli order --help", ["order", "--help"]),
        ):
            t = timed([*EXE, *args], env)
            rows.append((name, t, t / bare, "import click"))
        rows.append(("peer: python -c 'import click'", bare, 1.0, ""))
        table(
            rows,
            f"a company of {n_cust} customers, {n_ord} orders, {n_cmp} complaints "
            f"({info['files']} generated files)",
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
