"""Several sites through real git: sync, site codes, and what a merge may never do.

A bare remote and clones driven by officecli as real processes (tests/git/sites.py).
After every sync the sites are checked in step: the same commit, every record once in
the folder its history says, no conflict markers, doctor and ledger check clean, the
same books.
"""

from __future__ import annotations

import shutil

import pytest

from tests.git.sites import assert_in_step, round_trip

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

LATER = "2026-11-03T10:00:00+02:00"
LATER_B = "2026-11-03T11:30:00+02:00"


def _inbox_case(sites, method: str, first: str) -> None:
    """Site B empties back/complaints/inbox (takes the only complaint there) while site A
    forwards two new complaints into it."""
    a, b = sites
    a.run("complaint", "add", "--customer", "1", "Η κούπα έφτασε ραγισμένη")
    a.run("complaint", "forward", "CMP-A-0001")
    round_trip(sites)
    b.run("complaint", "take", "CMP-A-0001", "--by", "EMP-A-0001", now=LATER_B)
    for text in ("Λάθος χρώμα", "Άργησε η παράδοση"):
        a.run("complaint", "add", "--customer", "1", text, now=LATER)
    a.run("complaint", "forward", "CMP-A-0002", now=LATER)
    a.run("complaint", "forward", "CMP-A-0003", now=LATER)
    order = [a, b] if first == "A" else [b, a]
    if method == "sync":
        round_trip(order)
    else:  # plain git, with the clone set up by officecli
        for s in order:
            s.git("pull", "--no-rebase", "-q", "origin", "main")
            s.git("push", "-q", "origin", "HEAD:main")
        order[0].git("pull", "--no-rebase", "-q", "origin", "main")
        assert_in_step(a, b)
    for s in (a, b):
        assert s.find("CMP-A-0001") == ["back/complaints/working/CMP-A-0001.yaml"]
        assert s.find("CMP-A-0002") == ["back/complaints/inbox/CMP-A-0002.yaml"]
        assert s.find("CMP-A-0003") == ["back/complaints/inbox/CMP-A-0003.yaml"]


def test_inbox_emptied_while_forwarded_lands_in_the_inbox(sites):
    _inbox_case(sites, "sync", "B")


@pytest.mark.slow
@pytest.mark.parametrize("method,first", [("sync", "A"), ("pull", "A"), ("pull", "B")])
def test_inbox_emptied_while_forwarded_every_way(sites, method, first):
    _inbox_case(sites, method, first)


@pytest.mark.slow
def test_parallel_receipts_edits_and_handoffs_merge_without_a_person(sites):
    a, b = sites
    a.run("order", "add", "--customer", "1", "MUG-01:2")
    a.run("order", "add", "--customer", "1", "BOWL-01:1")
    round_trip(sites)
    # the same product received at both sites
    a.run("stock", "receive", "MUG-01", "10", "--cost", "5.00", now=LATER)
    b.run("stock", "receive", "MUG-01", "5", "--cost", "6.00", now=LATER_B)
    # different fields of one customer, and of one open order
    a.run("customer", "edit", "1", "--phone", "+30 210 555 0101", now=LATER)
    b.run("customer", "edit", "1", "--address", "Εγνατίας 10, Θεσσαλονίκη", now=LATER_B)
    a.run("order", "edit", "ORD-A-0001", "--note", "παράδοση μετά τις 15:00", now=LATER)
    b.run("order", "edit", "ORD-A-0001", "--add", "BOWL-01:1", now=LATER_B)
    # handoffs of different records
    a.run("order", "forward", "ORD-A-0002", now=LATER)
    b.run("complaint", "add", "--customer", "1", "Σπασμένο χερούλι", now=LATER_B)
    b.run("complaint", "forward", "CMP-B-0001", now=LATER_B)
    round_trip(sites)
    for s in (a, b):
        cust = s.data("front/customers/CUS-A-0001.yaml")
        assert cust["phone"] == "+30 210 555 0101" and cust["address"].startswith("Εγνατίας")
        order = s.data("front/orders/open/ORD-A-0001.yaml")
        assert order["note"] == "παράδοση μετά τις 15:00"
        assert sorted(line["sku"] for line in order["lines"]) == ["BOWL-01", "MUG-01"]
        assert s.find("ORD-A-0002") == ["back/orders/inbox/ORD-A-0002.yaml"]
        assert s.find("CMP-B-0001") == ["back/complaints/inbox/CMP-B-0001.yaml"]
        stock = {
            r["id"]: r for r in __import__("json").loads(s.run("--format", "json", "stock", "list").stdout)
        }
        assert int(stock["MUG-01"]["on_hand"]) == 55


@pytest.mark.slow
def test_both_sites_issue_invoices_in_their_own_series(sites):
    a, b = sites
    for s, when in ((a, LATER), (b, LATER_B)):
        ident = s.ids("order", "add", "--customer", "1", "MUG-01:1", now=when)
        s.run("order", "forward", ident, now=when)
        s.run("order", "ship", ident, now=when)
        s.run("order", "invoice", ident, now=when)
    round_trip(sites)
    for s in (a, b):
        assert s.find("INV-A-0001") and s.find("INV-B-0001")
    a.run("invoice", "pay", "INV-B-0001", "all", now=LATER_B)
    round_trip(sites)


def test_a_clone_without_a_site_does_not_write(sites, tmp_path):
    a, b = sites
    from tests.git.sites import Site, git

    c = Site("C", tmp_path / "site-c", a.home)
    git(tmp_path, a.home, "clone", "-q", str(tmp_path / "remote.git"), str(c.root))
    head = c.head()
    res = c.run("customer", "add", "Νέος πελάτης", "--email", "new@example.gr", ok=False)
    err = res.stderr.strip()
    assert res.returncode == 1 and "\n" not in err
    assert "officecli site set" in err and "A (Athens shop)" in err and "B (site B)" in err
    assert c.git("status", "--porcelain", "--untracked-files=all") == "" and c.head() == head
    assert not c.find("CUS-C-0001") and not c.find("CUS-A-0002")
    assert "not set" in c.run("site").stdout
    refused = c.run("site", "set", "A", ok=False)
    assert refused.returncode == 1 and "already taken" in refused.stderr
    c.run("site", "set", "C", "--name", "trade fair laptop")
    assert c.ids("customer", "add", "Νέος πελάτης", "--email", "new@example.gr") == "CUS-C-0001"
    round_trip([a, b, c])


@pytest.mark.slow
def test_a_deleted_officecli_folder_keeps_the_site(sites):
    a, b = sites
    shutil.rmtree(b.root / ".officecli")
    assert b.run("site").stdout.startswith("B (site B)  from git config officecli.site")
    assert b.ids("customer", "add", "Γιάννης", "--email", "g@example.gr") == "CUS-B-0001"
    assert "site B" in b.run("report", "daily").stdout.splitlines()[0]
    round_trip(sites)


@pytest.mark.slow
def test_sync_refuses_a_merge_in_progress_and_a_network_failure_changes_nothing(sites):
    a, b = sites
    good = a.git("remote", "get-url", "origin").strip()
    a.git("remote", "set-url", "origin", str(a.root.parent / "nowhere.git"))
    a.run("customer", "add", "Άλλος", "--email", "other@example.gr")
    head = a.head()
    res = a.sync(ok=False)
    assert res.returncode == 1 and res.stderr.count("\n") == 1 and "git fetch origin failed" in res.stderr
    assert a.head() == head and a.git("status", "--porcelain") == ""
    a.git("remote", "set-url", "origin", good)
    round_trip(sites)


@pytest.mark.slow
def test_both_sites_change_one_field_sync_stops_and_names_it(sites):
    a, b = sites
    a.run("customer", "edit", "1", "--email", "maria@shop.gr", now=LATER)
    b.run("customer", "edit", "1", "--email", "maria@warehouse.gr", now=LATER_B)
    a.run("customer", "add", "Νίκος", "--email", "nikos@example.gr", now=LATER)
    a.sync()
    head = b.head()
    res = b.sync(ok=False)
    lines = res.stderr.strip().splitlines()
    assert res.returncode == 1 and "aborted" in lines[0], res.stderr
    assert len(lines) == 2 and "CUS-A-0001" in lines[1]
    assert "maria@shop.gr" in lines[1] and "maria@warehouse.gr" in lines[1]
    assert b.head() == head and b.git("status", "--porcelain") == ""  # as it was
    assert not (b.root / ".git" / "MERGE_HEAD").exists()
    b.run("customer", "add", "Ελένη", "--email", "eleni@example.gr", now=LATER_B)  # still works
    # --keep leaves it to settle in place; no command writes meanwhile
    res = b.sync("--keep", ok=False)
    assert res.returncode == 1 and "kept uncommitted" in res.stderr
    refused = b.run("customer", "add", "Κάποιος", "--email", "k@example.gr", ok=False)
    assert refused.returncode == 1 and "middle of a merge" in refused.stderr
    assert "merge" in b.run("sync", ok=False).stderr
    # settle: the warehouse's address wins; delete the conflicts entry; commit
    from officecli.store import yamlio

    path = b.root / "front/customers/CUS-A-0001.yaml"
    data = yamlio.loads(path.read_text("utf-8"))
    data["email"] = "maria@warehouse.gr"
    data.pop("conflicts")
    path.write_text(yamlio.dumps(data), "utf-8")
    b.git("add", "front/customers/CUS-A-0001.yaml")
    b.git("commit", "-q", "--no-edit")
    round_trip(sites)
    assert a.data("front/customers/CUS-A-0001.yaml")["email"] == "maria@warehouse.gr"


@pytest.mark.slow
def test_doctor_names_a_record_a_plain_pull_misfiled_in_an_unprotected_clone(sites):
    """With git's directory-rename guessing on (the set-up undone by hand), a plain pull
    misfiles the forwarded complaints; doctor names each, and the set-up it lacks."""
    a, b = sites
    a.run("complaint", "add", "--customer", "1", "Η κούπα έφτασε ραγισμένη")
    a.run("complaint", "forward", "CMP-A-0001")
    round_trip(sites)
    b.git("config", "merge.directoryRenames", "true")
    b.run("complaint", "take", "CMP-A-0001", "--by", "EMP-A-0001", now=LATER_B)
    a.run("complaint", "add", "--customer", "1", "Λάθος χρώμα", now=LATER)
    a.run("complaint", "forward", "CMP-A-0002", now=LATER)
    a.sync()
    b.git("pull", "--no-rebase", "-q", "origin", "main")
    misfiled = b.find("CMP-A-0002")
    assert misfiled == ["back/complaints/working/CMP-A-0002.yaml"], misfiled  # what git did
    from tests.git.sites import read

    res = read(b, "doctor")
    assert res.exit_code == 1
    assert "back/complaints/working/CMP-A-0002.yaml: complaint: its history ends 'to: inbox'" in res.stdout
    assert "merge.directoryRenames is not false" in res.stdout
