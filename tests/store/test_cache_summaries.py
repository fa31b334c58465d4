"""The cache's summaries and indexes are never wrong: after every way a file can change
behind officecli's back, every answer equals the one computed with no cache at all."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from officecli import render
from officecli.cli import cli
from officecli.store import ids, index
from tests.robust.support import copy_sample

NOW = "2026-11-27T12:00:00+02:00"
QUESTIONS = [
    ("ledger", "balance"),
    ("ledger", "balance", "--begin", "2026-11-05", "--end", "2026-11-20", "--flat"),
    ("invoice", "list"),
    ("stock", "list"),
    ("order", "list", "--customer", "CUS-A-0001"),
    ("order", "list", "--state", "closed"),
    ("order", "list", "--all", "--format", "table"),  # the cache's rows of each folder
    ("order", "list", "--state", "closed", "--sort", "-gross", "--format", "table"),
    ("customer", "show", "CUS-A-0001"),
    ("order", "trace", "ORD-A-0001"),
    ("report", "daily"),
    ("report", "daily", "--date", "2026-11-12"),
]


def run(root: Path, *args: str) -> str:
    fmt = [] if "--format" in args else ["--format", "json"]
    r = CliRunner().invoke(
        cli, ["--root", str(root), *args, *fmt], env={"OFFICECLI_NOW": NOW, "OFFICECLI_USER": "tester"}
    )
    assert r.exit_code == 0, r.output
    return r.stdout


def answers(root: Path) -> dict:
    return {" ".join(q): run(root, *q) for q in QUESTIONS}


def truth(root: Path) -> dict:
    shutil.rmtree(root / ".officecli" / "cache", ignore_errors=True)
    return answers(root)


@pytest.fixture
def sample(tmp_path, monkeypatch) -> Path:
    # files made a moment ago are "racy" (their clock tick may hide a second change) and
    # their summaries are not stored; the tests want them stored, to prove them refused
    monkeypatch.setattr(index, "RACY_NS", 0)
    monkeypatch.setattr(ids, "RACY_NS", 0)
    root = copy_sample(tmp_path / "office")
    answers(root)  # fill the cache
    assert (root / ".officecli/cache/summary-ledger.marshal").is_file()
    assert (root / ".officecli/cache/summary-stock.marshal").is_file()
    return root


def a_txn(root: Path) -> Path:
    return sorted((root / "back/ledger").rglob("TXN-*.yaml"))[0]


def same_size_edit(path: Path, old: str, new: str) -> None:
    assert len(old) == len(new)
    st = os.stat(path)
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime
    assert os.stat(path).st_size == st.st_size


def test_an_edit_in_place_same_size_same_mtime(sample):
    path = a_txn(sample)
    text = path.read_text("utf-8")
    amount = text.split("amount: '", 1)[1].split("'", 1)[0]
    bigger = ("9" * len(amount.split(".")[0])) + "." + amount.split(".")[1]
    assert bigger != amount
    same_size_edit(path, f"'{amount}'", f"'{bigger}'")
    same_size_edit(path, f"'-{amount}'", f"'-{bigger}'")
    cached = answers(sample)
    assert cached == truth(sample)


def test_an_order_edited_in_place(sample):
    path = sorted((sample / "archive/orders/closed").rglob("ORD-*.yaml"))[0]
    text = path.read_text("utf-8")
    qty = text.split("qty: ", 1)[1].split("\n", 1)[0]
    assert qty.isdigit() and qty != "9"
    same_size_edit(path, f"qty: {qty}\n", "qty: 9\n" if len(qty) == 1 else f"qty: {'9' * len(qty)}\n")
    cached = answers(sample)
    assert cached == truth(sample)
    assert f"{path.stem}" in cached["order list --all --format table"]


def test_a_stock_move_edited_in_place(sample):
    path = sorted((sample / "back/stock").rglob("MOV-*.yaml"))[0]
    text = path.read_text("utf-8")
    qty = text.split("qty: ", 1)[1].split("\n", 1)[0]
    other = str(int(qty) - 1) if qty != "1" else "2"
    other = other if len(other) == len(qty) else str(int(qty) + 1)
    assert len(other) == len(qty)
    same_size_edit(path, f"qty: {qty}\n", f"qty: {other}\n")
    before = run(sample, "stock", "list")
    assert before == truth(sample)["stock list"]


def test_a_git_checkout_that_swaps_files(sample):
    def git(*args):
        subprocess.run(
            ["git", "-C", str(sample), *args],
            check=True,
            capture_output=True,
            env={
                **os.environ,
                "GIT_AUTHOR_NAME": "t",
                "GIT_AUTHOR_EMAIL": "t@t",
                "GIT_COMMITTER_NAME": "t",
                "GIT_COMMITTER_EMAIL": "t@t",
            },
        )

    git("init", "-q")
    git("add", "-A", ".")
    git("commit", "-qm", "one")
    path = a_txn(sample)
    text = path.read_text("utf-8")
    amount = text.split("amount: '", 1)[1].split("'", 1)[0]
    new = "1" + amount[1:] if amount[0] != "1" else "2" + amount[1:]
    path.write_text(text.replace(f"'{amount}'", f"'{new}'").replace(f"'-{amount}'", f"'-{new}'"))
    git("commit", "-qam", "two")
    assert answers(sample) == truth(sample)  # cached with "two"
    git("checkout", "-q", "HEAD~1", "--", ".")
    assert answers(sample) == truth(sample)


def test_a_file_deleted_or_moved_by_hand(sample):
    path = a_txn(sample)
    path.unlink()
    assert answers(sample) == truth(sample)
    mov = sorted((sample / "back/stock").rglob("MOV-*.yaml"))[-1]
    other = sorted(p for p in (sample / "back/stock").glob("*/*") if p != mov.parent)[0]
    os.rename(mov, other / mov.name)  # doctor calls it misplaced; sums move
    assert answers(sample) == truth(sample)
    order = next((sample / "archive/orders/closed").rglob("ORD-*.yaml"), None) or next(
        (sample / "back/orders").rglob("ORD-*.yaml")
    )
    os.rename(order, sample / "front/orders/open" / order.name)
    assert answers(sample) == truth(sample)


def test_a_folder_gains_or_loses_a_file(sample):
    path = a_txn(sample)
    text = path.read_text("utf-8")
    ident = path.stem
    new = path.with_name("TXN-A-0990.yaml")
    new.write_text(text.replace(ident, "TXN-A-0990"), "utf-8")
    os.utime(new, ns=(os.stat(path).st_atime_ns, os.stat(path).st_mtime_ns))
    gained = answers(sample)
    assert gained == truth(sample)
    new.unlink()
    assert answers(sample) == truth(sample)
    assert answers(sample) != gained


@pytest.mark.parametrize("damage", ["deleted", "truncated", "older version", "garbage entry"])
def test_a_damaged_cache_file(sample, damage):
    expect = truth(sample)
    answers(sample)
    for f in sorted((sample / ".officecli/cache").glob("summary-*.marshal")):
        if damage == "deleted":
            f.unlink()
        elif damage == "truncated":
            f.write_bytes(f.read_bytes()[: len(f.read_bytes()) // 2])
        elif damage == "older version":
            import marshal

            _, table = marshal.loads(f.read_bytes())
            f.write_bytes(marshal.dumps((index.VERSION - 1, table)))
        else:
            import marshal

            version, table = marshal.loads(f.read_bytes())
            f.write_bytes(marshal.dumps((version, {k: ("x", 1) for k in table})))
    assert answers(sample) == expect


def test_a_summary_of_a_folder_that_changed_is_not_served(sample):
    """The stored digest is the stat of every file: a stale entry is recomputed."""
    import marshal

    f = sample / ".officecli/cache/summary-ledger.marshal"
    version, table = marshal.loads(f.read_bytes())
    folder = sorted(table)[0]
    digest, value = table[folder]
    bogus = {"days": {"2026-11-01": {"Assets:Bank": "1000000"}}, "refs": {}}
    table[folder] = (b"0" * 16, bogus)  # another folder state's summary
    f.write_bytes(marshal.dumps((version, table)))
    assert answers(sample) == truth(sample)


def test_the_cached_rows_are_the_rows_of_the_records(sample):
    from officecli.office.core import Office
    from officecli.office.front import customers, orders

    office = Office(sample, "tester")
    slow = orders.listing(office)
    names = customers.names_of(office, [o.get("customer") for o in slow])
    want = [{k: orders.summary(office, o, names)[k] for k in orders.TABLE_KEYS} for o in slow]
    assert len(want) > 5 and {r["state"] for r in want} >= {"closed", "inbox"}
    assert orders.table_rows(office) == want
    assert orders.table_rows(Office(sample, "tester"), "closed", since="2026-11-10") == [
        r for r in want if r["state"] == "closed" and r["created"][:10] >= "2026-11-10"
    ]


def test_an_old_name_written_by_hand_is_followed(sample):
    path = sorted((sample / "archive/orders/closed").rglob("ORD-*.yaml"))[0]
    assert "ORD-A-0999" not in run(sample, "order", "show", path.stem)
    run(sample, "order", "trace", path.stem)  # the aliases summary is stored
    with open(path, "a", encoding="utf-8") as f:
        f.write("renumbered_from:\n- ORD-A-0999\n")
    shown = run(sample, "order", "show", "ORD-A-0999")  # the old name finds it
    assert f'"id": "{path.stem}"' in shown
    assert answers(sample) == truth(sample)


def test_the_ledger_summaries_owe_what_the_transactions_do(sample):
    from officecli.office.back import bills
    from officecli.office.books import invoices
    from officecli.office.core import Office

    office = Office(sample, "tester")
    txns = office.records("ledger_txn")
    assert any(str(t.get("ref") or "").startswith("BIL-") for t in txns)
    assert bills.amounts_by_ref(office) == bills.amounts_by_ref(office, txns)
    office.files_only = True  # no summaries: every transaction read
    slow = invoices.amounts_by_ref(office)
    office.files_only = False
    assert invoices.amounts_by_ref(office) == slow and slow


def test_two_cores_give_the_answers_one_gives(sample, monkeypatch):
    """Parsing uncached files and scanning folders in a forked child (forced here on
    the small sample) changes no answer, and fills the cache as one process does."""
    from officecli.store import prefetch

    one = truth(sample)
    monkeypatch.setattr(prefetch, "cores", lambda: 2)
    monkeypatch.setattr(prefetch, "FEW", 1)
    monkeypatch.setattr(index, "PRESCAN", 1)
    forked = []
    real = prefetch.in_child
    monkeypatch.setattr(prefetch, "in_child", lambda work: forked.append(1) or real(work))
    assert truth(sample) == one
    assert len(forked) >= 2  # both the parse and the scan went to a child
    assert answers(sample) == one  # ... and the cache they filled serves the same


def test_a_customer_renamed_by_hand_is_listed_by_the_new_name(sample, monkeypatch):
    from officecli.office.front import customers

    monkeypatch.setattr(customers, "MANY", 0)  # names from the per-folder table
    answers(sample)
    path = sample / "front/customers/CUS-A-0001.yaml"
    old = path.read_text("utf-8").split("\nname: ", 1)[1].split("\n", 1)[0]
    new = "".join({1: "Q", 2: "Ω"}.get(len(c.encode("utf-8")), c) for c in old)  # same bytes
    assert new != old
    same_size_edit(path, f"\nname: {old}\n", f"\nname: {new}\n")
    assert new in run(sample, "order", "list", "--all", "--format", "table")
    assert answers(sample) == truth(sample)


def test_money_for_people_is_decimals_formatting():
    import random
    from decimal import Decimal

    rnd = random.Random(7)
    values = ["0.00", "-0.00", "999.99", "1000.00", "-1000.00", "012.50", "00.10"]
    values += [
        f"{'-' if rnd.random() < 0.3 else ''}{rnd.randint(0, 10 ** rnd.randint(1, 9))}.{rnd.randint(0, 99):02d}"
        for _ in range(5000)
    ]
    for v in values:
        assert render.money_text(v) == f"{Decimal(v):,.2f}", v
