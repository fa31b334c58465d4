"""officecli history and officecli audit numbering over real git history.

history: a complaint moved across folders at two sites (taken at B while A's
escalation marked it in the inbox), merged by sync: one story, each step with
its site and commit, the merge's keys (overridden: ...) shown.

audit numbering: a clean repository passes with one summary line; a deleted
invoice (gap), a number issued again to another order (reuse) and an invoice
dated before a lower number (disorder) are each named with their commits, exit 1.
"""

from __future__ import annotations

import json
import shutil

import pytest

from tests.git.sites import company, copy_company, round_trip

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

LATER = "2026-11-03T10:00:00+02:00"
LATER_B = "2026-11-03T11:30:00+02:00"
DAYS = ("2026-11-03T10:00:00+02:00", "2026-11-04T10:00:00+02:00", "2026-11-05T10:00:00+02:00")


def test_history_of_a_record_moved_at_two_sites_and_merged(sites):
    a, b = sites
    a.run("complaint", "add", "--customer", "1", "Η κούπα έφτασε ραγισμένη")
    a.run("complaint", "forward", "CMP-A-0001")
    round_trip(sites)
    # at the same time: B takes it (inbox -> working), A's cron marks the missed first response
    b.run("complaint", "take", "CMP-A-0001", "--by", "EMP-A-0001", now=LATER_B)
    a.run("complaint", "escalate", now=LATER_B)
    round_trip([b, a])
    assert a.find("CMP-A-0001") == ["back/complaints/working/CMP-A-0001.yaml"]
    for s in (a, b):
        rows = json.loads(s.run("--format", "json", "history", "CMP-A-0001").stdout)
        assert all(r["id"] == "CMP-A-0001" and r["state"] == "working" for r in rows)
        assert {"at", "by", "site", "commit", "action", "from", "to", "where", "note", "changed"} <= set(
            rows[0]
        )
        actions = [r["action"] for r in rows]
        assert actions[:2] == ["add", "forward"] and "take" in actions
        take = rows[actions.index("take")]
        assert take["site"] == "B" and take["by"] == "user-b" and take["commit"]
        assert take["where"] == "back/complaints/inbox/ -> back/complaints/working/"
        marked = [
            r
            for r in rows
            if r["action"] not in ("add", "forward", "take") and not r["action"].startswith(("git", "merge"))
        ]
        assert marked and marked[0]["site"] == "A" and marked[0]["commit"] != take["commit"]
        assert rows[0]["site"] == "A" and rows[0]["commit"] and rows[0]["where"] == "front/complaints/new/"
    # a merge settled by hand says what it overrode: extra keys of an entry are shown
    path = a.root / "back/complaints/working/CMP-A-0001.yaml"
    path.write_text(
        path.read_text("utf-8") + "- at: '2026-11-03T12:00:00+02:00'\n  by: user-a\n"
        "  action: resolve-conflict\n  overridden: waiting at site B by user-b\n",
        "utf-8",
    )
    a.git("commit", "-q", "-am", "settled by hand")
    rows = json.loads(a.run("--format", "json", "history", "CMP-A-0001").stdout)
    settled = next(r for r in rows if r["action"] == "resolve-conflict")
    assert settled["overridden"] == "waiting at site B by user-b" and settled["commit"] == sha(a)
    assert "overridden: waiting at site B by user-b" in a.run("history", "CMP-A-0001").stdout


def test_history_of_an_unknown_id_and_of_a_deleted_record(sites):
    a, _ = sites
    before = a.head()
    res = a.run("history", "CMP-A-0042", ok=False)
    assert res.returncode == 1 and res.stderr.strip().count("\n") == 0
    assert "CMP-A-0042: no such record" in res.stderr
    assert a.head() == before and a.git("status", "--porcelain") == ""
    a.git("rm", "-q", "front/customers/CUS-A-0001.yaml")
    a.git("commit", "-q", "-m", "removed by hand")
    rows = json.loads(a.run("--format", "json", "history", "CUS-A-0001").stdout)
    assert rows[0]["action"] == "add" and rows[-1]["action"] == "git delete"
    assert all(r["state"] == "deleted" for r in rows)


# -- audit numbering -----------------------------------------------------------------


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """One site, three orders invoiced on three days, a credit note: made once."""
    where = tmp_path_factory.mktemp("books")
    (a,) = company(where, "A")
    a.run("product", "add", "MUG-01", "--name", "Κούπα", "--price", "12.50", "--cost", "4.10")
    a.run("stock", "receive", "MUG-01", "40", "--cost", "4.10")
    a.run("customer", "add", "Μαρία Παπαδοπούλου", "--email", "maria@example.gr")
    for day in DAYS:
        ident = a.ids("order", "add", "--customer", "1", "MUG-01:1", now=day)
        a.run("order", "forward", ident, now=day)
        a.run("order", "ship", ident, now=day)
        a.run("order", "invoice", ident, now=day)
    a.run("invoice", "credit", "INV-A-0001", now=DAYS[2])
    return where


@pytest.fixture
def site(books, tmp_path):
    return copy_company(books, tmp_path, "A")[0]


def audit(site, *args, code: int):
    res = site.run("audit", "numbering", *args, ok=False)
    assert res.returncode == code, res.stdout + res.stderr
    return res.stdout


def sha(site, rev: str = "HEAD") -> str:
    return site.git("rev-parse", "--short=10", rev).strip()


def test_a_clean_repository_passes_with_one_line(site):
    out = audit(site, code=0)
    assert out.count("\n") == 1 and "3 invoices and 1 credit notes" in out and "gapless" in out
    assert audit(site, "--series", "A", code=0).count("\n") == 1
    assert site.run("--format", "json", "audit", "numbering").stdout == ""


def test_a_deleted_invoice_is_a_gap_named_with_its_commit(site):
    site.git("rm", "-q", "back/invoices/open/INV-A-0002.yaml")
    site.git("commit", "-q", "-m", "an invoice removed by hand")
    out = audit(site, code=1)
    assert "INV-A-0002: gap: issued (commit " in out and f"deleted in commit {sha(site)}" in out
    rows = json.loads(site.run("--format", "json", "audit", "numbering", ok=False).stdout)
    assert rows[0]["id"] == "INV-A-0002" and rows[0]["state"] == "gap" and sha(site) in rows[0]["commits"]


def test_a_number_issued_again_to_another_order_is_named_with_both_commits(site):
    first = site.git(
        "log", "--diff-filter=A", "--format=%h", "--abbrev=10", "--", "back/invoices/open/INV-A-0003.yaml"
    ).split()[-1]
    text = (site.root / "back/invoices/open/INV-A-0003.yaml").read_text("utf-8")
    site.git("rm", "-q", "back/invoices/open/INV-A-0003.yaml")
    site.git("commit", "-q", "-m", "an invoice removed")
    (site.root / "back/invoices/open/INV-A-0003.yaml").write_text(
        text.replace("ORD-A-0003", "ORD-A-0009"), "utf-8"
    )
    site.git("add", "-A", ".")
    site.git("commit", "-q", "-m", "the number issued again")
    out = audit(site, code=1)
    line = next(x for x in out.splitlines() if "reused" in x)
    assert line.startswith("INV-A-0003: reused: issued for order ORD-A-0003")
    assert f"commit {first}" in line and "order ORD-A-0009" in line and f"commit {sha(site)}" in line


def test_an_invoice_dated_before_a_lower_number_is_disorder(site):
    path = site.root / "back/invoices/open/INV-A-0003.yaml"
    path.write_text(path.read_text("utf-8").replace("date: '2026-11-05'", "date: '2026-11-01'"), "utf-8")
    site.git("commit", "-q", "-am", "an invoice dated back")
    out = audit(site, code=1)
    assert "INV-A-0003: out of date order: dated 2026-11-01 (commit " + sha(site) in out
    assert "before INV-A-0002 dated 2026-11-04" in out
    assert audit(site, "--series", "Z", code=0)  # another series: nothing of it, fine
