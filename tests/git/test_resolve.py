"""One record two sites took different ways, settled by rule or by `officecli resolve`.

Real git (a bare remote and two clones, tests/git/sites.py), every step through the
CLI: each case is produced on purpose at two sites, then synced or pulled; doctor
names it in one line with the command that settles it; that command settles it;
afterwards doctor and ledger check are clean, the books are equal at both sites and
both sides' history is kept.
"""

from __future__ import annotations

import json
import shutil

import pytest

from tests.git.sites import read, round_trip

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

LATER = "2026-11-03T10:00:00+02:00"
LATER_B = "2026-11-03T11:30:00+02:00"
SETTLE = "2026-11-04T09:00:00+02:00"


def _forwarded(sites, sku="MUG-01:2") -> str:
    a, _ = sites
    order = a.ids("order", "add", "--customer", "1", sku)
    a.run("order", "forward", order)
    round_trip(sites)
    return order


def _on_hand(site, sku="MUG-01") -> int:
    rows = json.loads(site.run("--format", "json", "stock", "list").stdout)
    return int(next(r for r in rows if r["sku"] == sku)["on_hand"])


def _doctor_lines(site, needle: str) -> list[str]:
    res = read(site, "doctor")
    assert res.exit_code == 1, res.output
    return [line for line in res.stdout.splitlines() if needle in line and not line.startswith("git:")]


def test_cancelled_here_shipped_there_sync_keeps_shipped_by_rule(sites):
    a, b = sites
    order = _forwarded(sites)
    a.run("order", "cancel", order, "--reason", "ο πελάτης πήρε τηλέφωνο", now=LATER)
    b.run("order", "ship", order, now=LATER_B)
    a.sync()
    b.sync()  # the rule settles it inside the merge: nobody is asked
    round_trip(sites)
    for s in (a, b):
        assert s.find(order) == [f"back/orders/shipped/{order}.yaml"]
        history = s.data(f"back/orders/shipped/{order}.yaml")["history"]
        assert [e["action"] for e in history] == ["add", "forward", "cancel", "ship", "resolve"]
        last = history[-1]
        assert last["from"] == "cancelled" and last["to"] == "shipped"
        assert "'cancel' to cancelled by user-a at site A" in last["note"]
        assert "shipped beats cancelled" in last["note"]
        assert _on_hand(s) == 38  # shipped once; the cancel had nothing to undo


def test_shipped_there_kept_cancelled_the_goods_come_back(sites):
    """A plain git pull stops; doctor names the record, the rule and the command; the
    person keeps the cancel: the shipment's goods come back and its COGS is reversed."""
    a, b = sites
    order = _forwarded(sites)
    a.run("order", "ship", order, now=LATER)
    b.run("order", "cancel", order, "--reason", "ακυρώθηκε", now=LATER_B)
    a.sync()
    assert b.git("pull", "--no-rebase", "origin", "main", check=False)  # a conflict is a result
    assert len(b.find(order)) == 2
    lines = _doctor_lines(b, order)
    assert len(lines) == 1, lines
    assert "one order in 2 folders" in lines[0] and "rule: shipped beats cancelled" in lines[0]
    assert f"officecli resolve {order}" in lines[0]
    merge = [line for line in read(b, "doctor").stdout.splitlines() if line.startswith("git:")]
    assert any("middle of a merge" in line for line in merge)
    assert any("unmerged path" in line for line in merge)
    # bad input first: nothing changes
    status = b.git("status", "--porcelain")
    wrong = b.run("resolve", order, "--keep", "invoiced", ok=False, now=SETTLE)
    assert wrong.returncode == 1 and wrong.stderr.count("\n") == 1
    assert "--keep invoiced" in wrong.stderr and "shipped" in wrong.stderr and "cancelled" in wrong.stderr
    assert b.git("status", "--porcelain") == status
    res = b.run("resolve", order, "--keep", "cancelled", now=SETTLE)
    assert "goods back in stock (MUG-01 +2)" in res.stdout and "git commit" in res.stdout
    b.git("commit", "-q", "--no-edit")
    b.sync()
    round_trip(sites)
    for s in (a, b):
        assert s.find(order) == [f"archive/orders/cancelled/2026/{order}.yaml"]
        last = s.data(f"archive/orders/cancelled/2026/{order}.yaml")["history"][-1]
        assert last["action"] == "resolve" and last["to"] == "cancelled"
        assert "'ship' to shipped by user-a at site A" in last["note"] and "--keep cancelled" in last["note"]
        assert _on_hand(s) == 40
    balance = json.loads(read(a, "--format", "json", "ledger", "balance").stdout)
    cogs = [r for r in balance if r.get("account") == "Expenses:COGS"]
    assert not cogs or all(r.get("balance") in ("0.00", "0") for r in cogs), cogs


def test_resolve_of_a_record_not_in_conflict_changes_nothing(sites):
    a, _ = sites
    head = a.head()
    res = a.run("resolve", "CUS-A-0001", ok=False)
    assert res.returncode == 1 and res.stderr.count("\n") == 1 and "not in conflict" in res.stderr
    res = a.run("resolve", "ORD-A-0999", ok=False)
    assert res.returncode == 1 and res.stderr.count("\n") == 1
    assert a.head() == head and a.git("status", "--porcelain") == ""


@pytest.mark.slow
def test_closed_here_reopened_there_reopened_wins(sites):
    a, b = sites
    cmp = a.ids("complaint", "add", "--customer", "1", "Η κούπα έφτασε ραγισμένη")
    a.run("complaint", "forward", cmp)
    a.run("complaint", "take", cmp, "--by", "EMP-A-0001")
    a.run("complaint", "resolve", cmp, "--resolution", "Νέα κούπα")
    round_trip(sites)
    a.run("complaint", "close", cmp, now=LATER)
    b.run("complaint", "reopen", cmp, "--note", "η νέα ήρθε κι αυτή ραγισμένη", now=LATER_B)
    round_trip(sites)
    for s in (a, b):
        assert s.find(cmp) == [f"back/complaints/inbox/{cmp}.yaml"]
        last = s.data(f"back/complaints/inbox/{cmp}.yaml")["history"][-1]
        assert last["action"] == "resolve" and "inbox beats closed" in last["note"]


def test_two_takes_the_earlier_wins(sites):
    a, b = sites
    cmp = a.ids("complaint", "add", "--customer", "1", "Λάθος χρώμα")
    a.run("complaint", "forward", cmp)
    a.run(
        "employee",
        "add",
        "Γιώργος Παππάς",
        "--office",
        "back",
        "--department",
        "warehouse",
        "--title",
        "Packer",
        "--salary",
        "1000.00",
        "--start",
        "2026-10-01",
    )
    round_trip(sites)
    a.run("complaint", "take", cmp, "--by", "EMP-A-0001", now=LATER)
    b.run("complaint", "take", cmp, "--by", "Γιώργος Παππάς", now=LATER_B)
    round_trip(sites)
    for s in (a, b):
        data = s.data(f"back/complaints/working/{cmp}.yaml")
        assert data["assignee_id"] == "EMP-A-0001" and data["assignee"] == "Κώστας Νικολάου"
        assert "conflicts" not in data
        assert [e["action"] for e in data["history"]][-3:] == ["take", "take", "resolve"]
        assert "Γιώργος Παππάς" in data["history"][-1]["note"]


@pytest.mark.slow
def test_edit_of_an_open_order_forwarded_elsewhere_goes_to_the_forwarded_file(sites):
    a, b = sites
    order = a.ids("order", "add", "--customer", "1", "MUG-01:2")
    round_trip(sites)
    a.run("order", "edit", order, "--add", "BOWL-01:1", "--note", "δώρο", now=LATER)
    b.run("order", "forward", order, now=LATER_B)
    round_trip(sites)
    for s in (a, b):
        assert s.find(order) == [f"back/orders/inbox/{order}.yaml"]
        data = s.data(f"back/orders/inbox/{order}.yaml")
        assert sorted(line["sku"] for line in data["lines"]) == ["BOWL-01", "MUG-01"]
        assert data["note"] == "δώρο"
        rows = {r["sku"]: r for r in json.loads(s.run("--format", "json", "stock", "list").stdout)}
        assert rows["BOWL-01"]["reserved"] == 1 and rows["MUG-01"]["reserved"] == 2


def test_two_invoices_for_one_order_resolve_credits_the_later(sites):
    a, b = sites
    order = a.ids("order", "add", "--customer", "1", "MUG-01:1")
    a.run("order", "forward", order)
    a.run("order", "ship", order)
    round_trip(sites)
    a.run("order", "invoice", order, now=LATER)
    b.run("order", "invoice", order, now=LATER_B)
    a.sync()
    res = b.sync(ok=False)
    assert res.returncode == 1 and "aborted" in res.stderr
    line = [x for x in res.stderr.splitlines() if x.startswith(f"officecli: {order}")]
    assert len(line) == 1 and f"officecli resolve {order}" in line[0], res.stderr
    b.sync("--keep", ok=False)
    b.run("resolve", order, now=SETTLE)
    b.git("commit", "-q", "--no-edit")
    round_trip(sites)
    for s in (a, b):
        data = s.data(f"back/orders/invoiced/{order}.yaml")
        assert data["invoice"] == "INV-A-0001" and "conflicts" not in data
        assert s.find("INV-B-0001") == ["back/invoices/credited/INV-B-0001.yaml"]
        assert s.find("INV-A-0001") == ["back/invoices/open/INV-A-0001.yaml"]
        assert s.find("CRN-B-0001")
