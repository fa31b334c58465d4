"""Periods have an owner (issue 27, failures 1 and 2): through real git, a bare remote and
clones set up with officecli's own commands (tests/git/sites.py).

* Only the books' owner site (office.yaml ``books: {site: A}``) closes; with several
  sites and no owner ``ledger close`` is refused with the line to add.
* A posting made at a site that had not heard of a close yet, or a second closing entry
  of a year, is refused by ``sync`` before anything is merged (the clone as it was), named
  with its site and ``officecli ledger move TXN --to-open``; after that command the next
  sync goes through and the closed period is what was closed, at every site.
* After a plain ``git pull`` doctor and ``ledger check`` name the same.
"""

from __future__ import annotations

import json

from tests.git.sites import assert_in_step, read

OCT = ("--end", "2026-11")  # the books through 31 October


def own_books(a, b, owner: str = "A") -> None:
    """office.yaml names the books' owner (by hand, as the refusal says), synced everywhere."""
    path = a.root / "office.yaml"
    path.write_text(path.read_text("utf-8") + f"books:\n  site: {owner}\n", "utf-8")
    a.git("commit", "-q", "-am", f"books are closed at site {owner}")
    a.sync()
    b.sync()


def balance(site, *args: str) -> dict:
    res = read(site, "--format", "json", "ledger", "balance", *args)
    assert res.exit_code == 0, res.output
    return {r["account"]: r["balance"] for r in json.loads(res.stdout)}


def refused(site, res) -> list[str]:
    """The sync was refused and changed nothing: no merge under way, nothing uncommitted."""
    assert res.returncode == 1, res.stdout + res.stderr
    assert not (site.root / ".git" / "MERGE_HEAD").exists()
    assert site.git("status", "--porcelain") == ""
    return res.stderr.strip().splitlines()


def post_october(site, amount: str = "30") -> str:
    return site.ids(
        "ledger", "post", "--date", "2026-10-20", "Office paper", "Expenses:Utilities", amount, "Assets:Bank"
    )


# -- failure 1: who closes ---------------------------------------------------------------------


def test_with_several_sites_and_no_owner_close_is_refused_with_the_line_to_add(sites):
    a, b = sites
    head = a.head()
    res = a.run("ledger", "close", "2026-10", ok=False)
    assert res.returncode == 1
    assert res.stderr.count("\n") == 1, res.stderr
    assert "books: {site: A}" in res.stderr and "sites A, B" in res.stderr
    assert a.head() == head and a.git("status", "--porcelain") == ""
    year = b.run("ledger", "close", "--year", "2025", ok=False)
    assert year.returncode == 1 and "names none that closes the books" in year.stderr


def test_only_the_owner_closes(sites):
    a, b = sites
    own_books(a, b)
    head = b.head()
    res = b.run("ledger", "close", "2026-10", ok=False)
    assert res.returncode == 1
    assert "closed at site A (office.yaml books.site), this is site B" in res.stderr
    assert b.head() == head and b.git("status", "--porcelain") == ""
    a.run("ledger", "close", "2026-10")
    a.sync()
    b.sync()
    assert b.data("office.yaml")["books"]["closed_through"] == "2026-10-31"
    late = b.run(
        "ledger", "post", "--date", "2026-10-20", "Paper", "Expenses:Utilities", "5", "Assets:Bank", ok=False
    )
    assert late.returncode == 1 and "inside the closed period" in late.stderr  # closed everywhere
    assert_in_step(a, b)


def two_closes(a, b) -> tuple[str, str]:
    """A year closed at A (the owner) and, before that reached it, at B, which took itself
    for the owner (its office.yaml said so while it closed); (A's entry, B's), A's pushed."""
    own_books(a, b)
    a.run("ledger", "post", "--date", "2025-12-15", "Rent", "Expenses:Rent", "600", "Assets:Bank")
    a.sync()
    b.sync()
    path = b.root / "office.yaml"
    path.write_text(path.read_text("utf-8").replace("  site: A\n", "  site: B\n"), "utf-8")
    b.git("commit", "-q", "-am", "B thinks it owns the books")
    second = b.ids("ledger", "close", "--year", "2025")
    path.write_text(path.read_text("utf-8").replace("  site: B\n", "  site: A\n"), "utf-8")
    b.git("commit", "-q", "-am", "the books are A's again")
    first = a.ids("ledger", "close", "--year", "2025")
    a.sync()
    return first, second


def test_a_second_closing_entry_is_refused_by_sync_and_taken_back(sites):
    a, b = sites
    first, second = two_closes(a, b)
    head = b.head()
    lines = refused(b, b.sync(ok=False))
    assert b.head() == head
    named = [line for line in lines if second in line]
    assert len(named) == 1, lines
    assert "a second closing entry of 2025" in named[0] and f"({first} closes it)" in named[0]
    assert "site B" in named[0] and f"officecli ledger move {second} --to-open" in named[0]
    b.run("ledger", "move", second, "--to-open")
    b.sync()
    a.sync()
    assert_in_step(a, b)
    books = balance(a, "--end", "2026")
    assert books["Equity:Retained"] == "600.00", books  # once, not twice
    assert "Expenses:Rent" not in books or books["Expenses:Rent"] == "0.00"


def test_a_second_closing_entry_by_a_plain_pull_is_named_by_doctor_and_ledger_check(sites):
    a, b = sites
    _, second = two_closes(a, b)
    b.git("pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    for args in (("doctor",), ("ledger", "check")):
        res = read(b, *args)
        assert res.exit_code == 1, res.output
        assert f"{second} (site B" in res.output and "a second closing entry of 2025" in res.output
        assert f"officecli ledger move {second} --to-open" in res.output
    b.run("ledger", "move", second, "--to-open")
    assert read(b, "doctor").exit_code == 0
    b.sync()
    a.sync()
    assert_in_step(a, b)
    assert balance(a, "--end", "2026")["Equity:Retained"] == "600.00"


# -- failure 2: a posting into a month closed elsewhere ----------------------------------------


def test_a_posting_into_a_month_closed_elsewhere_is_refused_then_moved_to_the_open_period(sites):
    a, b = sites
    own_books(a, b)
    txn = post_october(b)  # B has not heard of the close yet
    a.run("ledger", "close", "2026-10")
    closed = balance(a, *OCT)
    a.sync()
    head = b.head()
    lines = refused(b, b.sync(ok=False))
    assert b.head() == head
    assert len(lines) == 1, lines
    line = lines[0]
    assert line.startswith("officecli: sync: origin/main refused: ") and line.endswith("nothing was merged")
    assert f"{txn} (site B, 2026-10-20" in line and "closed at site A through 2026-10-31" in line
    assert f"at site B: officecli ledger move {txn} --to-open" in line
    assert b.data("office.yaml").get("books", {}).get("closed_through") is None  # nothing landed
    b.run("ledger", "post", "Still working", "Expenses:Utilities", "1", "Assets:Bank")  # not stranded
    moved = b.run("ledger", "move", txn, "--to-open").stdout
    assert "posted again as" in moved
    b.sync()
    a.sync()
    assert_in_step(a, b)
    assert balance(a, *OCT) == closed == balance(b, *OCT)  # October is what A closed
    assert balance(a)["Expenses:Utilities"] == "31.00"  # the paper is in the books, dated today


def test_a_close_made_before_a_pushed_posting_arrived_is_refused_at_the_owner(sites):
    a, b = sites
    own_books(a, b)
    txn = post_october(b)
    b.sync()  # B's posting reaches the remote first
    a.run("ledger", "close", "2026-10")  # A closes without fetching
    closed = balance(a, *OCT)
    head = a.head()
    lines = refused(a, a.sync(ok=False))
    assert a.head() == head
    assert any(
        f"{txn} (site B" in line and f"at site B: officecli ledger move {txn} --to-open" in line
        for line in lines
    ), lines
    b.run("ledger", "move", txn, "--to-open")
    b.sync()
    a.sync()
    b.sync()
    assert_in_step(a, b)
    assert balance(a, *OCT) == closed


def test_a_late_posting_by_a_plain_pull_is_named_by_doctor_and_ledger_check(sites):
    a, b = sites
    own_books(a, b)
    txn = post_october(b)
    a.run("ledger", "close", "2026-10")
    closed = balance(a, *OCT)
    a.sync()
    b.git("pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    for args in (("doctor",), ("ledger", "check")):
        res = read(b, *args)
        assert res.exit_code == 1, res.output
        assert (
            f"{txn} (site B, 2026-10-20" in res.output and "not part of it when it was closed" in res.output
        )
        assert f"officecli ledger move {txn} --to-open" in res.output
    assert read(a, "doctor").exit_code == 0  # the owner's books are as closed
    b.run("ledger", "move", txn, "--to-open")  # its reversal restores October as closed
    assert read(b, "doctor").exit_code == 0
    assert balance(b, *OCT) == closed
    b.sync()
    a.sync()
    assert_in_step(a, b)


def test_an_entry_that_was_part_of_the_close_does_not_move(sites):
    a, b = sites
    own_books(a, b)
    txn = post_october(a)
    a.run("ledger", "close", "2026-10")
    res = a.run("ledger", "move", txn, "--to-open", ok=False)
    assert res.returncode == 1 and "when it was closed: final" in res.stderr
