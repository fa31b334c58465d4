"""Shared numbering has one owner; short numbers are this site's; renumber settles a shared ID.

Real git: a bare remote and two clones set up by officecli's own commands
(tests/git/sites.py), every command a real process. A refused command is
checked against a snapshot of the whole clone (records, private back/hr,
HEAD and git status): nothing changed.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest

from tests.git.sites import round_trip

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

LATER = "2026-11-03T10:00:00+02:00"
LATER_B = "2026-11-03T11:30:00+02:00"

OWNED = """\
invoice_series:
  default: '{site}'
  S: A
payroll:
  site: A
"""


def snapshot(site) -> dict:
    out = {}
    for folder, dirs, names in os.walk(site.root):
        dirs[:] = [d for d in dirs if d not in (".git", ".officecli")]
        for n in names:
            path = os.path.join(folder, n)
            with open(path, "rb") as fh:
                out[os.path.relpath(path, site.root)] = fh.read()
    out["HEAD"] = site.head()
    out["status"] = site.git("status", "--porcelain", "--untracked-files=all")
    return out


def refused(site, *args, match: str, now: str = LATER_B):
    before = snapshot(site)
    res = site.run(*args, ok=False, now=now)
    err = res.stderr.strip()
    assert res.returncode == 1, res.stdout + res.stderr
    assert "\n" not in err and "Traceback" not in err, err
    assert match in err, err
    assert snapshot(site) == before, "a refused command changed the clone"
    return err


def shipped(site, sku="MUG-01:1", now=LATER) -> str:
    ident = site.ids("order", "add", "--customer", "1", sku, now=now)
    site.run("order", "forward", ident, now=now)
    site.run("order", "ship", ident, now=now)
    return ident


def own(site, text: str = OWNED) -> None:
    conf = site.root / "office.yaml"
    conf.write_text(conf.read_text("utf-8").replace("invoice_series: '{site}'\n", text), "utf-8")
    site.git("commit", "-q", "-am", "office.yaml: series S and payroll belong to site A")


def test_a_series_credit_notes_and_payroll_are_refused_at_the_site_that_does_not_own_them(sites):
    a, b = sites
    own(a)
    inv = shipped(a)
    a.run("order", "invoice", inv, "--series", "S", now=LATER)
    a.run("payroll", "run", "2026-10", now=LATER)
    round_trip(sites)
    order = shipped(b, now=LATER_B)
    err = refused(b, "order", "invoice", order, "--series", "S", match="owned by site A")
    assert "INV-S-" in err
    refused(b, "order", "invoice", order, "--series", "A", match="owned by site A")
    refused(b, "invoice", "credit", "INV-S-0001", match="credit note series S: owned by site A")
    refused(b, "invoice", "credit", "INV-S-0001", "--amount", "1.00", match="owned by site A")
    refused(b, "payroll", "run", "2026-10", match="payroll is run at site A")
    refused(b, "payroll", "pay", "2026-10", match="payroll is run at site A")
    # what B owns it does: its own series
    assert b.ids("order", "invoice", order, now=LATER_B) == "INV-B-0001"
    a.run("invoice", "credit", "INV-S-0001", now=LATER)
    round_trip(sites)
    for s in (a, b):
        assert s.find("INV-S-0001") and s.find("CRN-S-0001") and s.find("INV-B-0001")
        assert s.run("audit", "numbering").returncode == 0


def test_several_sites_and_no_owner_named_refuses_payroll_and_an_unowned_series(sites):
    a, b = sites
    order = shipped(a)
    refused(a, "payroll", "run", "2026-10", match="payroll: {site: A}")
    refused(a, "order", "invoice", order, "--series", "X2026", match="add 'X2026: SITE' under invoice_series")


def test_a_short_number_is_this_sites_after_a_merge(sites):
    a, b = sites
    b.run("customer", "add", "Γιάννης Β.", "--email", "giannis@example.gr", now=LATER_B)
    round_trip(sites)
    assert a.find("CUS-B-0001") and b.find("CUS-A-0001")
    ours = a.ids("order", "add", "--customer", "1", "MUG-01:1", now=LATER)
    theirs = b.ids("order", "add", "--customer", "1", "MUG-01:1", now=LATER_B)
    assert a.data(f"front/orders/open/{ours}.yaml")["customer"] == "CUS-A-0001"
    assert b.data(f"front/orders/open/{theirs}.yaml")["customer"] == "CUS-B-0001"
    other = a.ids("order", "add", "--customer", "B-0001", "MUG-01:1", now=LATER)
    assert a.data(f"front/orders/open/{other}.yaml")["customer"] == "CUS-B-0001"
    assert json.loads(a.run("--format", "json", "customer", "show", "1").stdout)[0]["id"] == "CUS-A-0001"


def test_two_orders_sharing_an_id_are_settled_by_renumber(sites):
    """Site B forgot its site code (it ran as A): its order took A's next ID. After the
    merge two different orders are ORD-A-0001. B's copy was never pushed, so only B sees
    the collision: B renumbers its own copy, once, to B's next ID with the complaint that
    names it, while A's keeps its stock move and ledger entry."""
    a, b = sites
    mine = shipped(a)  # A: ORD-A-0001 shipped (MOV, TXN name it)
    a.sync()
    forgot = {"OFFICECLI_SITE": "A"}
    theirs = b.run(
        "--format", "ids", "order", "add", "--customer", "1", "BOWL-01:1", now=LATER_B, **forgot
    ).stdout.strip()
    assert theirs == mine == "ORD-A-0001"
    cmp = b.run(
        "--format",
        "ids",
        "complaint",
        "add",
        "--customer",
        "1",
        "--order",
        theirs,
        "Λάθος χρώμα",
        now=LATER_B,
        **forgot,
    ).stdout.strip()
    b.git("pull", "--no-rebase", "-q", "origin", "main")
    assert sorted(b.find("ORD-A-0001")) == [
        "back/orders/shipped/ORD-A-0001.yaml",
        "front/orders/open/ORD-A-0001.yaml",
    ]
    assert b.run("doctor", ok=False).returncode == 1
    # B's copy was never pushed: only B sees this collision (its evidence says site A, but
    # A never will), so B renames its own copy to B's next ID, with the complaint naming it
    refused(
        b,
        "renumber",
        "ORD-A-0001",
        "ORD-A-0009",
        "--file",
        "back/orders/shipped",
        match="keeps ORD-A-0001",
    )
    out = json.loads(b.run("--format", "json", "renumber", "ORD-A-0001", now=LATER_B).stdout)[0]
    assert out["id"] == "ORD-B-0001" and out["updated"] == [cmp] and out["kept"] == []
    assert b.find("ORD-A-0001") == ["back/orders/shipped/ORD-A-0001.yaml"]
    new = b.data("front/orders/open/ORD-B-0001.yaml")
    assert new["renumbered_from"] == ["ORD-A-0001"] and new["lines"][0]["sku"] == "BOWL-01"
    assert b.data(f"front/complaints/new/{cmp}.yaml")["order"] == "ORD-B-0001"
    b.git("push", "-q", "origin", "HEAD:main")
    a.git("pull", "--no-rebase", "-q", "origin", "main")
    round_trip(sites)  # doctor, ledger check clean, books equal
    for s in (a, b):
        trace_a = {
            r["id"] for r in json.loads(s.run("--format", "json", "order", "trace", "ORD-A-0001").stdout)
        }
        trace_b = {
            r["id"] for r in json.loads(s.run("--format", "json", "order", "trace", "ORD-B-0001").stdout)
        }
        assert cmp in trace_b and cmp not in trace_a
        assert any(t.startswith("TXN-") for t in trace_a) and not any(t.startswith("TXN-") for t in trace_b)


@pytest.mark.slow
def test_renumber_in_a_collision_keeps_the_old_ledger_refs_with_the_renumbered_order(sites):
    """The other way round: B's copy was made first, so by the rule A renumbers its own
    shipped copy; its stock move and ledger entry are never edited and still belong to it
    (renumbered_refs), not to B's order."""
    a, b = sites
    mine = shipped(a)
    a.sync()
    b.run("order", "add", "--customer", "1", "BOWL-01:1", now="2026-11-01T09:00:00+02:00", OFFICECLI_SITE="A")
    b.git("pull", "--no-rebase", "-q", "origin", "main")
    b.git("push", "-q", "origin", "HEAD:main")
    a.git("pull", "--no-rebase", "-q", "origin", "main")
    out = json.loads(
        a.run(
            "--format",
            "json",
            "renumber",
            mine,
            "ORD-A-0002",
            "--file",
            "back/orders/shipped/ORD-A-0001.yaml",
            now=LATER,
        ).stdout
    )[0]
    kept = out["kept"]
    assert kept and all(k.startswith(("TXN-", "MOV-")) for k in kept)
    data = a.data("back/orders/shipped/ORD-A-0002.yaml")
    assert data["renumbered_refs"] == sorted(kept)
    trace = {r["id"] for r in json.loads(a.run("--format", "json", "order", "trace", "2").stdout)}
    assert set(kept) <= trace
    other = {r["id"] for r in json.loads(a.run("--format", "json", "order", "trace", "ORD-A-0001").stdout)}
    assert not set(kept) & other
    round_trip(sites)
