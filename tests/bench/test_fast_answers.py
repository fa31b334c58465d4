"""The answers of the commands made faster for issue 26 (item 3) stay what the records say.

`customer show`'s money on account now comes from the ledger months' summaries (a per-day,
per-customer sum of Liabilities:CustomerCredit), invoice listings of some states or one
customer sum the ledger for those invoices only, `order invoice` parses the series' last
invoice alone, and the table policy measures each column once. Each is held here to the
answer read from the files alone (``Office.read_files_only``: no cache, no summaries: the
code path the summaries replace), on a copy of the sample company and on a tiny bench
company, both with money on account; and the commands print the same with a cold cache,
a warm one, and right after a write.
"""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from officecli.office.books import advances, invoices
from officecli.office.core import Office
from officecli.terminal import table_policy
from tests.robust.support import copy_sample, environ

REPO = Path(__file__).resolve().parents[2]
BENCH_NOW = "2026-11-26T09:00:00+02:00"
SAMPLE_NOW = "2026-12-01T10:00:00+02:00"


def run(root: Path, now: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "officecli", "--root", str(root), *args],
        env=environ(OFFICECLI_NOW=now, COLUMNS="100"),
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, f"officecli {' '.join(args)}: {done.stderr}"
    return done.stdout


def with_money_on_account(root: Path, now: str) -> Path:
    """Two customers pay on account (one twice, one on an earlier day) and one invoice is
    paid from it: the summaries have CustomerCredit postings to sum."""
    day = date.fromisoformat(now[:10])
    custs = [line.split()[0] for line in run(root, now, "--format", "ids", "customer", "list").split()][:3]
    run(root, now, "customer", "pay", custs[0], "150.00", "--date", str(day - timedelta(days=40)))
    run(root, now, "customer", "pay", custs[0], "20.00", "--method", "cash")
    run(root, now, "customer", "pay", custs[1], "35.50", "--date", str(day - timedelta(days=3)))
    return root


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return with_money_on_account(copy_sample(tmp_path_factory.mktemp("sample") / "records"), SAMPLE_NOW)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tiny") / "company"
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "gen"), str(root), "--size", "tiny", "--seed", "7"],
        env=environ(OFFICECLI_NOW=BENCH_NOW),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return with_money_on_account(root, BENCH_NOW)


def answers(root: Path, now: str, monkeypatch, files_only: bool) -> dict:
    monkeypatch.setenv("OFFICECLI_NOW", now)
    office = Office.open(str(root))
    if files_only:
        office.read_files_only()
    today = office.today()
    custs = sorted({str(r.data.get("customer")) for r in office.records("invoice")})
    return {
        "held": advances.held(office),
        "held by day": {
            d: advances.held(office, today - timedelta(days=d)) for d in (0, 2, 3, 4, 39, 40, 41)
        },
        "on account": {c: advances.available(office, c) for c in custs},
        "open": invoices.listing(office, ("open",)),
        "paid or credited": invoices.listing(office, ("paid", "credited")),
        "overdue": invoices.listing(office, ("open",), overdue=True),
        "by customer": {c: invoices.listing(office, customer=c) for c in custs[:5]},
        "all": invoices.listing(office),
    }


@pytest.mark.parametrize("company", ["sample", "tiny"])
def test_the_summaries_answer_as_the_files_do(company, request, monkeypatch):
    root = request.getfixturevalue(company)
    now = SAMPLE_NOW if company == "sample" else BENCH_NOW
    run(root, now, "ledger", "balance")  # the summaries are in the cache
    fast = answers(root, now, monkeypatch, files_only=False)
    slow = answers(root, now, monkeypatch, files_only=True)
    assert fast == slow
    assert fast["held"] and any(v for v in fast["held by day"].values())  # there was money to find
    assert fast["held by day"][41] != fast["held"]  # ... and a day before some of it
    assert fast["open"] and fast["by customer"]


COMMANDS = [
    ("customer", "show", "{cust}"),
    ("--format", "json", "customer", "show", "{cust}"),
    ("report", "daily"),
    ("--format", "json", "report", "daily"),
    ("invoice", "list", "--state", "open"),
    ("invoice", "list", "--customer", "{cust}"),
    ("order", "list", "--state", "closed"),
    ("report", "aged", "receivables"),
]


@pytest.mark.parametrize("company", ["sample", "tiny"])
def test_cold_warm_and_after_a_write_print_the_same(company, request, tmp_path):
    import shutil

    src = request.getfixturevalue(company)
    root = tmp_path / "co"
    shutil.copytree(src, root, ignore=shutil.ignore_patterns(".officecli"))
    now = SAMPLE_NOW if company == "sample" else BENCH_NOW
    cust = run(root, now, "--format", "ids", "customer", "list").split()[0]
    argvs = [tuple(a.format(cust=cust) for a in argv) for argv in COMMANDS]
    cold = {argv: run(root, now, *argv) for argv in argvs}  # no cache: each computes it
    warm = {argv: run(root, now, *argv) for argv in argvs}
    assert warm == cold
    run(root, now, "customer", "pay", cust, "12.00")  # one write: one ledger month changes
    after = {argv: run(root, now, *argv) for argv in argvs}
    assert after != cold  # the payment shows ...
    shutil.rmtree(root / ".officecli" / "cache")
    assert after == {argv: run(root, now, *argv) for argv in argvs}  # ... as the files say


def test_order_invoice_dates_after_the_last_invoice(tiny, tmp_path):
    """`order invoice` reads the series' last invoice alone: a new one is numbered next and
    never dated before it (the cache holds the same record; the file is what is read)."""
    import shutil

    root = tmp_path / "co"
    shutil.copytree(tiny, root, ignore=shutil.ignore_patterns(".officecli"))
    ids = run(root, BENCH_NOW, "--format", "ids", "invoice", "list").split()
    last = max(ids, key=lambda i: int(i.rsplit("-", 1)[1]))
    cust = run(root, BENCH_NOW, "--format", "ids", "customer", "list").split()[0]
    order = run(root, BENCH_NOW, "--format", "ids", "order", "add", "--customer", cust, "MUG-AEG:1").split()[
        -1
    ]
    run(root, BENCH_NOW, "order", "forward", order)
    run(root, BENCH_NOW, "order", "ship", order)
    run(root, BENCH_NOW, "order", "invoice", order)
    now_ids = run(root, BENCH_NOW, "--format", "ids", "invoice", "list").split()
    (new,) = set(now_ids) - set(ids)
    assert int(new.rsplit("-", 1)[1]) == int(last.rsplit("-", 1)[1]) + 1
    run(root, BENCH_NOW, "doctor")


# -- the table policy: measured once per column, the same table as measured every time ----


def policy_measuring_every_time(headers, rows, align, limit):
    """The policy before the change (terminal.table_policy as it was), the oracle."""
    from officecli import terminal as t

    headers, align = list(headers), list(align)
    rows = [[t._short_stamp(" ".join(c.split()) if ("\n" in c or "\r" in c) else c) for c in r] for r in rows]
    if not limit or not rows:
        return headers, rows, align
    keep = list(range(len(headers)))

    def natural(i):
        return max([len(headers[i]) + t.HEADER_PAD] + [len(r[i]) for r in rows])

    def too_wide(soft=0):
        ws = []
        for i in keep:
            w = natural(i)
            if soft and t._cuttable(headers[i], [r[i] for r in rows]):
                w = min(w, max(soft, t._floor(headers[i], [r[i] for r in rows])))
            ws.append(w)
        return t._total(ws) > limit

    if too_wide():
        keep = [i for i in keep if i == 0 or any(r[i].strip() not in ("", "0.00") for r in rows)]
    if too_wide():
        for i in keep:
            col = [r[i] for r in rows if r[i]]
            if col and ("ACCOUNT" in headers[i].upper() or all(t._ACCOUNT.match(c) for c in col)):
                for r in rows:
                    r[i] = t.abbreviate_account(r[i]) if t._ACCOUNT.match(r[i]) else r[i]
    for name in t.DROP:
        if not too_wide(0 if name in t.DROP_FIRST else t.SOFT):
            if name in t.DROP_FIRST:
                continue
            break
        keep = [
            i
            for i in keep
            if headers[i].lower().replace("_", " ") != name or (i == 0 and headers[i].lower() != "date")
        ]
    headers = [headers[i] for i in keep]
    rows = [[r[i] for i in keep] for r in rows]
    align = [align[i] for i in keep]
    headers, rows = t.fit(headers, rows, limit)
    return headers, rows, align


CELLS = {
    "id": lambda r: f"ORD-A-{r.randint(1, 99999):04d}",
    "account": lambda r: r.choice(
        ["Assets:Bank", "Liabilities:CustomerCredit:Long name", "Expenses:COGS", ""]
    ),
    "customer": lambda r: r.choice(
        ["CUS-A-0007 Ταβέρνα Το Λιμάνι", "Καφέ", "", "A very long customer name " * 2]
    ),
    "created": lambda r: f"2026-0{r.randint(1, 9)}-1{r.randint(0, 9)}T09:3{r.randint(0, 9)}:00+02:00",
    "net": lambda r: r.choice(["0.00", "12.50", "1,204.00", ""]),
    "tags": lambda r: r.choice(["", "vip", "horeca, vip"]),
    "note": lambda r: r.choice(["", "line one\nline two", "ζητήσαμε φωτογραφία " * 3]),
    "state": lambda r: r.choice(["open", "closed"]),
    "email": lambda r: f"customer{r.randint(1, 999)}@example.gr",
    "date": lambda r: f"2026-11-{r.randint(10, 28)}",
}


@pytest.mark.parametrize("seed", range(40))
def test_the_table_policy_is_the_one_that_measured_every_time(seed):
    rnd = random.Random(seed)
    headers = ["id"] + rnd.sample([h for h in CELLS if h != "id"], rnd.randint(2, len(CELLS) - 1))
    rows = [[CELLS[h](rnd) for h in headers] for _ in range(rnd.randint(1, 30))]
    align = [rnd.choice(["left", "right"]) for _ in headers]
    for limit in (None, 30, 50, 80, 120, 400):
        want = policy_measuring_every_time(headers, [list(r) for r in rows], align, limit or 0)
        got = table_policy(headers, [list(r) for r in rows], align, limit or 0)
        assert got == want, (seed, limit)
