"""doctor (and sync) name what only a merge of two sites can break, one line each, with the
command that settles it; that command settles it and doctor and ledger check are clean after.

The fast tests plant, in one records folder, exactly what git leaves after merging
two sites' work (a second copy of a record in another folder, a second invoice, a
second payroll entry...); the slow ones produce the same states on purpose at two
real clones of a bare remote and sync them (tests/git/sites.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from officecli.store import yamlio
from tests.conftest import snapshot

git_only = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _doctor(cli, needle: str) -> list[str]:
    res = cli("doctor", code=1)
    return [line for line in res.stdout.splitlines() if needle in line]


def _clean(cli) -> None:
    cli("doctor")
    cli("ledger", "check")


def _plant(office, src: str, dst: str, **changes) -> None:
    """A copy of a record file at ``dst`` with some fields changed (as another site wrote it)."""
    data = yamlio.loads((office / src).read_text("utf-8"))
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    target = office / dst
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yamlio.dumps(data), "utf-8")


def _stocked(cli, qty: str = "40") -> None:
    cli("product", "add", "MUG-01", "--name", "Κούπα", "--price", "12.50", "--cost", "4.10")
    cli("stock", "receive", "MUG-01", qty, "--cost", "4.10")
    cli("customer", "add", "Μαρία Παπαδοπούλου", "--email", "maria@example.gr", "--vat-number", "EL123456789")


def _shipped(cli, qty: int = 2) -> str:
    order = cli("--format", "ids", "order", "add", "--customer", "1", f"MUG-01:{qty}").stdout.strip()
    cli("order", "forward", order)
    cli("order", "ship", order)
    return order


# -- one record in two folders, or two records sharing an ID ------------------------------


def test_one_record_in_two_folders_named_with_its_rule_and_settled(office, cli):
    _stocked(cli)
    order = _shipped(cli)
    src = f"back/orders/shipped/{order}.yaml"
    data = yamlio.loads((office / src).read_text("utf-8"))
    cancel = {
        "at": "2026-11-02T10:00:00+02:00",
        "by": "user-b",
        "action": "cancel",
        "from": "inbox",
        "to": "cancelled",
        "note": "customer called",
    }
    history = data["history"][:2] + [cancel]  # the other site cancelled it from inbox
    _plant(office, src, f"archive/orders/cancelled/2026/{order}.yaml", history=history)
    lines = _doctor(cli, order)
    assert len(lines) == 1, lines
    assert "one order in 2 folders" in lines[0] and "rule: shipped beats cancelled" in lines[0]
    assert lines[0].endswith(f"officecli resolve {order}")
    res = cli("resolve", order)
    assert "kept shipped" in res.stdout and "'cancel' to cancelled by user-b" in res.stdout
    assert not (office / f"archive/orders/cancelled/2026/{order}.yaml").exists()
    settled = yamlio.loads((office / src).read_text("utf-8"))
    assert [e["action"] for e in settled["history"]] == ["add", "forward", "ship", "cancel", "resolve"]
    _clean(cli)


def test_resolve_bad_input_is_one_line_and_changes_nothing(office, cli, refused):
    _stocked(cli)
    order = _shipped(cli)
    refused("resolve", order, match="not in conflict")
    src = f"back/orders/shipped/{order}.yaml"
    _plant(office, src, f"archive/orders/cancelled/2026/{order}.yaml")
    refused("resolve", order, "--keep", "open", match="--keep open")


def test_two_different_records_sharing_an_id_are_never_merged(office, cli, refused):
    _stocked(cli)
    order = cli("--format", "ids", "order", "add", "--customer", "1", "MUG-01:1").stdout.strip()
    other = {"at": "2026-11-02T11:00:00+02:00", "by": "user-b", "action": "add", "to": "inbox"}
    _plant(
        office,
        f"front/orders/open/{order}.yaml",
        f"back/orders/inbox/{order}.yaml",
        created="2026-11-02T11:00:00+02:00",
        history=[other],
    )
    lines = _doctor(cli, order)
    assert len(lines) == 1, lines
    assert "two different orders share this ID" in lines[0] and f"officecli renumber {order}" in lines[0]
    assert "one folder only" not in lines[0]
    refused("resolve", order, match="renumber")


def test_two_records_merged_into_one_file_are_named(office, cli):
    _stocked(cli)
    order = cli("--format", "ids", "order", "add", "--customer", "1", "MUG-01:1").stdout.strip()
    path = office / f"front/orders/open/{order}.yaml"
    data = yamlio.loads(path.read_text("utf-8"))
    data["history"].append({"at": "2026-11-02T11:00:00+02:00", "by": "user-b", "action": "add", "to": "open"})
    path.write_text(yamlio.dumps(data), "utf-8")
    lines = _doctor(cli, "merged into one file")
    assert len(lines) == 1 and f"officecli renumber {order}" in lines[0]


def test_conflict_markers_of_any_length_are_called_conflict_markers(office, cli):
    cli("customer", "add", "Μαρία", "--email", "maria@example.gr")
    path = office / "front/customers/CUS-A-0001.yaml"
    text = path.read_text("utf-8")
    path.write_text(
        text.replace(
            "email: maria@example.gr\n",
            "<<<<<<<<<<< HEAD\nemail: a@x.gr\n===========\nemail: b@x.gr\n>>>>>>>>>>> theirs\n",
        ),
        "utf-8",
    )
    lines = _doctor(cli, "CUS-A-0001")
    assert len(lines) == 1 and "conflict markers" in lines[0] and "not valid YAML" not in lines[0]
    assert "git add" in lines[0]


def test_history_destination_against_the_folder(office, cli):
    _stocked(cli)
    order = cli("--format", "ids", "order", "add", "--customer", "1", "MUG-01:1").stdout.strip()
    cli("order", "forward", order)
    os.rename(office / f"back/orders/inbox/{order}.yaml", office / f"front/orders/open/{order}.yaml")
    lines = _doctor(cli, order)
    assert len(lines) == 1 and "its history ends 'to: inbox'" in lines[0] and "git mv" in lines[0]


# -- one step taken twice, a take without an assignee ----------------------------------------


def _taken(cli) -> str:
    cli("customer", "add", "Μαρία", "--email", "maria@example.gr")
    cli(
        "employee",
        "add",
        "Κώστας Νικολάου",
        "--office",
        "back",
        "--department",
        "warehouse",
        "--title",
        "Packer",
        "--salary",
        "1050.00",
        "--start",
        "2026-10-01",
    )
    cmp = cli("--format", "ids", "complaint", "add", "--customer", "1", "Ραγισμένη").stdout.strip()
    cli("complaint", "forward", cmp)
    cli("complaint", "take", cmp, "--by", "EMP-A-0001")
    return cmp


def test_a_taken_complaint_without_an_assignee(office, cli):
    cmp = _taken(cli)
    path = office / f"back/complaints/working/{cmp}.yaml"
    _plant(
        office,
        f"back/complaints/working/{cmp}.yaml",
        f"back/complaints/working/{cmp}.yaml",
        assignee=None,
        assignee_id=None,
    )
    lines = _doctor(cli, cmp)
    assert len(lines) == 1 and "without an assignee" in lines[0] and f"officecli resolve {cmp}" in lines[0]
    cli("resolve", cmp)
    data = yamlio.loads(path.read_text("utf-8"))
    assert data["assignee_id"] == "EMP-A-0001" and data["assignee"] == "Κώστας Νικολάου"
    _clean(cli)


def test_two_takes_named_and_the_earlier_kept(office, cli):
    cmp = _taken(cli)
    rel = f"back/complaints/working/{cmp}.yaml"
    data = yamlio.loads((office / rel).read_text("utf-8"))
    later = {
        "at": "2026-11-02T12:00:00+02:00",
        "by": "user-b",
        "action": "take",
        "from": "inbox",
        "to": "working",
        "note": "assigned to Γιώργος",
    }
    conflicts = [
        {"field": "assignee", "ours": "Κώστας Νικολάου", "theirs": "Γιώργος"},
        {"field": "assignee_id", "ours": "EMP-A-0001"},
    ]
    _plant(office, rel, rel, conflicts=conflicts, history=data["history"] + [later])
    lines = _doctor(cli, cmp)
    assert len(lines) == 1 and "the earlier wins" in lines[0] and f"officecli resolve {cmp}" in lines[0]
    cli("resolve", cmp)
    data = yamlio.loads((office / rel).read_text("utf-8"))
    assert data["assignee"] == "Κώστας Νικολάου" and "conflicts" not in data
    _clean(cli)


# -- across records ------------------------------------------------------------------------------


def test_negative_stock_named_and_settled(office, cli):
    _stocked(cli, "4")
    order = _shipped(cli, 3)
    move = next((office / "back/stock/2026/11").glob("MOV-A-0002.yaml"))
    _plant(
        office,
        str(move.relative_to(office)),
        "back/stock/2026/11/MOV-B-0001.yaml",
        id="MOV-B-0001",
        ref=order,
        by="user-b",
    )  # the other site shipped 3 too
    cogs = next(
        p
        for p in (office / "back/ledger/2026/11").glob("TXN-A-*.yaml")
        if yamlio.loads(p.read_text("utf-8")).get("ref") == order
    )
    _plant(
        office, str(cogs.relative_to(office)), "back/ledger/2026/11/TXN-B-0001.yaml", id="TXN-B-0001"
    )  # ... and posted its COGS (stricter books)
    lines = _doctor(cli, "MUG-01")
    assert len(lines) == 1 and "on hand is -2" in lines[0] and "officecli stock adjust MUG-01 +2" in lines[0]
    cli("stock", "adjust", "MUG-01", "+2", "--reason", "count after merge")
    _clean(cli)


def test_two_live_invoices_for_one_order(office, cli):
    _stocked(cli)
    order = _shipped(cli)
    cli("order", "invoice", order)
    _plant(
        office, "back/invoices/open/INV-A-0001.yaml", "back/invoices/open/INV-A-0002.yaml", id="INV-A-0002"
    )
    txn = next(
        p
        for p in (office / "back/ledger/2026/11").glob("*.yaml")
        if yamlio.loads(p.read_text("utf-8")).get("ref") == "INV-A-0001"
    )
    _plant(
        office,
        str(txn.relative_to(office)),
        "back/ledger/2026/11/TXN-A-0099.yaml",
        id="TXN-A-0099",
        ref="INV-A-0002",
    )
    lines = _doctor(cli, "live invoices")
    assert len(lines) == 1 and "INV-A-0001, INV-A-0002" in lines[0]
    assert "officecli invoice credit INV-A-0002" in lines[0]
    cli("invoice", "credit", "INV-A-0002")
    assert (office / f"back/orders/invoiced/{order}.yaml").exists()  # still invoiced by INV-A-0001
    _clean(cli)


def test_an_order_and_its_invoice_not_naming_each_other(office, cli):
    _stocked(cli)
    order = _shipped(cli)
    cli("order", "invoice", order)
    other = _shipped(cli)
    _plant(
        office, f"back/orders/shipped/{other}.yaml", f"back/orders/shipped/{other}.yaml", invoice="INV-A-0001"
    )
    lines = _doctor(cli, other)
    assert any(
        "names invoice INV-A-0001, but INV-A-0001" in line and f"is for {order}" in line for line in lines
    ), lines


def test_the_same_invoice_number_for_two_different_invoices(office, cli):
    _stocked(cli)
    order = _shipped(cli)
    cli("order", "invoice", order)
    _plant(
        office,
        "back/invoices/open/INV-A-0001.yaml",
        "back/invoices/paid/INV-A-0001.yaml",
        created="2026-11-02T15:00:00+02:00",
        history=[{"at": "2026-11-02T15:00:00+02:00", "by": "user-b", "action": "issue", "to": "open"}],
    )
    lines = _doctor(cli, "INV-A-0001: two different invoices share this ID")
    assert len(lines) == 1 and "officecli renumber INV-A-0001" in lines[0]


def test_payroll_posted_twice_for_one_month(office, cli):
    cli(
        "employee",
        "add",
        "Κώστας Νικολάου",
        "--office",
        "back",
        "--department",
        "warehouse",
        "--title",
        "Packer",
        "--salary",
        "1050.00",
        "--start",
        "2026-10-01",
    )
    cli("payroll", "run", "2026-10")
    txn = next((office / "back/ledger").rglob("TXN-A-0001.yaml"))
    rel = str(txn.relative_to(office))
    _plant(
        office,
        rel,
        rel.replace("TXN-A-0001", "TXN-B-0001"),
        id="TXN-B-0001",
        by="user-b",
        at="2026-11-02T12:00:00+02:00",
    )
    lines = _doctor(cli, "payroll 2026-10")
    assert (
        len(lines) == 1 and "posted 2 times" in lines[0] and "officecli ledger reverse TXN-B-0001" in lines[0]
    )
    cli("ledger", "reverse", "TXN-B-0001")
    _clean(cli)


def test_two_customers_with_one_email_or_vat_number(office, cli):
    _stocked(cli)
    _plant(
        office,
        "front/customers/CUS-A-0001.yaml",
        "front/customers/CUS-B-0001.yaml",
        id="CUS-B-0001",
        email="MARIA@example.gr",
        vat_number="123 456 789",
    )
    lines = _doctor(cli, "two customers")
    assert len(lines) == 2 and all("CUS-A-0001, CUS-B-0001" in line for line in lines)
    assert "officecli customer edit CUS-B-0001 --email ''" in lines[0] + lines[1]
    cli("customer", "edit", "CUS-B-0001", "--email", "", "--vat-number", "", "--note", "same as CUS-A-0001")
    _clean(cli)


# -- the merge state of the repository --------------------------------------------------------


def _git(office, *args, check=True):
    res = subprocess.run(
        ["git", *args],
        cwd=office,
        capture_output=True,
        text=True,
        env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1"},
    )
    assert not check or res.returncode == 0, res.stderr
    return res


def _in_git(office) -> None:
    _git(office, "init", "-q", "-b", "main")
    for key, value in (("user.name", "T"), ("user.email", "t@example.gr"), ("commit.gpgsign", "false")):
        _git(office, "config", key, value)
    raw = yamlio.loads((office / "office.yaml").read_text("utf-8"))
    raw["git"] = {"autocommit": True}
    (office / "office.yaml").write_text(yamlio.dumps(raw), "utf-8")
    _git(office, "add", "-A")
    _git(office, "commit", "-q", "-m", "init")


@git_only
def test_merge_state_stale_lock_and_uncommitted_records(office, cli):
    _in_git(office)
    cli("customer", "add", "Μαρία", "--email", "maria@example.gr")
    cli("doctor")
    lock = office / ".git" / "index.lock"
    lock.write_text("")
    old = time.time() - 3600
    os.utime(lock, (old, old))
    lines = _doctor(cli, "index.lock")
    assert len(lines) == 1 and "stale git lock" in lines[0] and "rm " in lines[0]
    lock.unlink()
    (office / "front/customers/CUS-A-0001.yaml").write_text(
        (office / "front/customers/CUS-A-0001.yaml").read_text("utf-8").replace("Μαρία", "Μαρίνα"), "utf-8"
    )
    lines = _doctor(cli, "not committed")
    assert len(lines) == 1 and "front/customers/CUS-A-0001.yaml" in lines[0]
    _git(office, "commit", "-q", "-am", "by hand")
    cli("doctor")


@git_only
def test_merge_in_progress_with_unmerged_paths(office, cli):
    _in_git(office)
    cli("customer", "add", "Μαρία", "--email", "maria@example.gr")
    _git(office, "checkout", "-q", "-b", "other")
    path = office / "front/customers/CUS-A-0001.yaml"
    path.write_text(path.read_text("utf-8").replace("Μαρία", "Μαρία Β"), "utf-8")
    _git(office, "commit", "-q", "-am", "other")
    _git(office, "checkout", "-q", "main")
    path.write_text(path.read_text("utf-8").replace("Μαρία", "Μαρία Α"), "utf-8")
    _git(office, "commit", "-q", "-am", "main")
    _git(office, "merge", "other", check=False)
    before = snapshot(office)
    res = cli("doctor", code=1)
    assert "middle of a merge" in res.stdout and "unmerged path(s)" in res.stdout
    assert "conflict markers" in res.stdout
    refused = cli("customer", "add", "Νίκος", "--email", "n@example.gr", code=1)
    assert "middle of a merge" in refused.stderr
    assert snapshot(office) == before


# -- produced on purpose at two real sites, then synced -----------------------------------------

LATER = "2026-11-03T10:00:00+02:00"
LATER_B = "2026-11-03T11:30:00+02:00"


def _sync_names(site, needle: str) -> str:
    """A sync that merges, pushes, and exits 1 naming ``needle`` in one line."""
    res = site.sync(ok=False)
    assert res.returncode == 1, res.stderr
    lines = [line for line in res.stderr.splitlines() if needle in line]
    assert len(lines) == 1, res.stderr
    return lines[0]


@git_only
@pytest.mark.slow
def test_same_customer_added_at_both_sites(sites):
    from tests.git.sites import read, round_trip

    a, b = sites
    a.run("customer", "add", "Νίκος Αλεξίου", "--email", "nikos@example.gr", now=LATER)
    b.run("customer", "add", "Νίκος Αλεξίου", "--email", "Nikos@Example.gr", now=LATER_B)
    a.sync()
    line = _sync_names(b, "two customers")
    assert "CUS-A-0002, CUS-B-0001" in line and "officecli customer edit CUS-B-0001 --email ''" in line
    assert "two customers" in read(b, "doctor").stdout
    b.run("customer", "edit", "CUS-B-0001", "--email", "", "--note", "same as CUS-A-0002")
    round_trip([b, a])


@git_only
@pytest.mark.slow
def test_each_site_ships_three_of_four_pieces(sites):
    from tests.git.sites import round_trip

    a, b = sites
    a.run("stock", "adjust", "MUG-01", "-36", "--reason", "count")
    one = a.ids("order", "add", "--customer", "1", "MUG-01:3")
    two = a.ids("order", "add", "--customer", "1", "MUG-01:3")
    round_trip(sites)
    a.run("order", "forward", one, now=LATER)
    a.run("order", "ship", one, now=LATER)
    b.run("order", "forward", two, now=LATER_B)
    b.run("order", "ship", two, now=LATER_B)
    a.sync()
    line = _sync_names(b, "MUG-01")
    assert "on hand is -2" in line and "officecli stock adjust MUG-01 +2" in line
    b.run("stock", "adjust", "MUG-01", "+2", "--reason", "count after merge")
    round_trip([b, a])


@git_only
@pytest.mark.slow
def test_payroll_twice_for_one_month(sites):
    """Planted at site B as a site without a payroll owner would post it (the numbering
    rules refuse it normally): the same month's payroll entry, a second time."""
    from tests.git.sites import round_trip

    a, b = sites
    conf = a.root / "office.yaml"  # numbering: with two sites, payroll needs its owner
    conf.write_text(conf.read_text("utf-8") + "payroll:\n  site: A\n", "utf-8")
    a.git("commit", "-q", "-am", "office.yaml: payroll belongs to site A")
    a.run("payroll", "run", "2026-10")
    round_trip(sites)
    txn = next(
        p
        for p in (b.root / "back/ledger").rglob("*.yaml")
        if yamlio.loads(p.read_text("utf-8")).get("kind") == "payroll"
    )
    data = yamlio.loads(txn.read_text("utf-8"))
    data.update(id="TXN-B-0099", by="user-b", at=LATER_B)
    (txn.parent / "TXN-B-0099.yaml").write_text(yamlio.dumps(data), "utf-8")
    b.git("add", "-A")
    b.git("commit", "-q", "-m", "payroll run 2026-10 at site B")
    b.sync()
    line = _sync_names(a, "payroll 2026-10")
    assert "officecli ledger reverse TXN-B-0099" in line
    a.run("ledger", "reverse", "TXN-B-0099")
    round_trip(sites)


@git_only
@pytest.mark.slow
def test_a_forgotten_site_code_two_orders_share_an_id(sites):
    a, b = sites
    a.run("order", "add", "--customer", "1", "MUG-01:1", now=LATER)
    two = b.ids("order", "add", "--customer", "1", "BOWL-01:1", now=LATER_B, OFFICECLI_SITE="A")
    b.run("order", "forward", two, now=LATER_B, OFFICECLI_SITE="A")
    a.sync()
    res = b.sync(ok=False)
    assert res.returncode == 1 and "two different orders share this ID" in res.stderr
    assert f"officecli renumber {two}" in res.stderr and "aborted" in res.stderr
    assert len(b.find(two)) == 1  # aborted: this site is as it was
