"""The answers to 'one step done at two sites' (office/sites/twice.py): each keeps goods,
money and history true, and afterwards sync and doctor are clean. Real git, two sites."""

from __future__ import annotations

import shutil

import pytest

from tests.git.sites import round_trip
from tests.git.test_soak_findings import LATER, LATER_B, _balance, _forwarded, _on_hand

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _asked(sites, ident: str) -> str:
    a, b = sites
    a.sync()
    res = b.sync(ok=False)
    assert res.returncode == 1 and ident in res.stderr, res.stderr
    line = next(x for x in res.stderr.splitlines() if x.startswith(f"officecli: {ident}:"))
    assert f"officecli twice {ident} --once" in line and f"officecli twice {ident} --both" in line, line
    assert "user-a at" in line and "user-b at" in line and "site A" in line and "site B" in line, line
    return line


def test_shipped_twice_the_goods_left_once(sites):
    a, b = sites
    order = _forwarded(sites)
    a.run("order", "ship", order, now=LATER)
    b.run("order", "ship", order, now=LATER_B)
    _asked(sites, order)
    doc = b.run("doctor", ok=False)  # the merge is committed: doctor names it too
    assert doc.returncode == 1 and f"officecli twice {order}" in doc.stdout + doc.stderr
    assert _on_hand(b) == 36
    b.run("twice", order, "--once")
    b.run("doctor")
    b.run("ledger", "check")
    b.sync()
    round_trip(sites)
    for s in (a, b):
        assert _on_hand(s) == 38
        assert _balance(s).get("Expenses:COGS") == "8.20"
        assert [h["action"] for h in s.data(s.find(order)[0])["history"]].count("twice") == 1


def test_paid_twice_the_money_came_twice_is_on_account(sites):
    a, b = sites
    order = _forwarded(sites)
    a.run("order", "ship", order)
    inv = a.ids("order", "invoice", order)
    round_trip(sites)
    a.run("invoice", "pay", inv, "all", now=LATER)
    b.run("invoice", "pay", inv, "all", now=LATER_B)
    _asked(sites, inv)
    b.run("twice", inv, "--both")
    b.run("doctor")
    b.run("ledger", "check")
    books = _balance(b)
    assert books.get("Assets:Bank") == "62.00"
    assert books.get("Liabilities:CustomerCredit") == "-31.00"
    assert books.get("Assets:Receivable", "0.00") in ("0.00", "0")
    b.sync()


def test_paid_twice_the_money_came_once_is_reversed(sites):
    a, b = sites
    order = _forwarded(sites)
    a.run("order", "ship", order)
    inv = a.ids("order", "invoice", order)
    round_trip(sites)
    a.run("invoice", "pay", inv, "all", now=LATER)
    b.run("invoice", "pay", inv, "all", now=LATER_B)
    _asked(sites, inv)
    b.run("twice", inv, "--once")
    b.run("doctor")
    b.run("ledger", "check")
    assert _balance(b).get("Assets:Bank") == "31.00"
    assert b.run("twice", inv, "--once", ok=False).returncode == 1  # settled: asked no more


def test_a_site_stranded_by_a_plain_git_pull_is_mended_by_doctor_repair(sites):
    """The rename/delete of a hand forward and cron's escalate, brought by a plain git pull
    (not sync): git leaves the file unmerged; doctor --repair merges it with the records
    driver and stages it; git commit concludes the merge."""
    a, b = sites
    cmp = a.ids("complaint", "add", "--customer", "1", "Ραγισμένο")
    round_trip(sites)
    b.run("complaint", "escalate", now="2026-11-06T10:00:00+02:00")
    a.run("complaint", "forward", cmp, now="2026-11-08T09:05:00+02:00")
    a.sync()
    b.git("pull", "-q", "--no-rebase", "--no-edit", check=False)
    assert b.git("ls-files", "-u").strip(), "git left nothing unmerged: the case is not reproduced"
    b.run("doctor", "--repair", ok=False)
    assert b.git("ls-files", "-u").strip() == ""
    b.git("commit", "-q", "--no-edit")
    b.sync()
    round_trip(sites)
    for s in (a, b):
        assert s.find(cmp) == [f"back/complaints/inbox/{cmp}.yaml"]
        actions = [h["action"] for h in s.data(s.find(cmp)[0])["history"]]
        assert "forward" in actions and "overdue-resolution" in actions, actions


def test_a_part_here_and_the_whole_there_is_paid_beyond_what_is_due(sites):
    """A records a part payment (10.00), B the whole (31.00): the invoice is paid, 10.00
    beyond what is due. sync names it; --both holds the 10.00 on account."""
    a, b = sites
    order = _forwarded(sites)
    a.run("order", "ship", order)
    inv = a.ids("order", "invoice", order)
    round_trip(sites)
    a.run("invoice", "pay", inv, "10.00", now=LATER)
    b.run("invoice", "pay", inv, "all", now=LATER_B)
    _asked(sites, inv)
    b.run("twice", inv, "--both")
    b.run("doctor")
    b.run("ledger", "check")
    books = _balance(b)
    assert books.get("Assets:Bank") == "41.00"
    assert books.get("Liabilities:CustomerCredit") == "-10.00"
    assert books.get("Assets:Receivable", "0.00") in ("0.00", "0")
