"""Product improvements: opened or linked by `complaint resolve`, decided, done."""

from __future__ import annotations

import json

import pytest

from tests.conftest import load, only_at

OPEN = "back/improvements/open/IMP-A-0001.yaml"
ACCEPTED = "back/improvements/accepted/IMP-A-0001.yaml"
REJECTED = "back/improvements/rejected/IMP-A-0001.yaml"
DONE = "back/improvements/done/IMP-A-0001.yaml"


@pytest.fixture
def world(cli):
    """Customer CUS-A-0001; complaints CMP-A-0001..3 taken (working) by EMP-A-0001."""
    cli("product", "add", "MUG-01", "--name", "Κούπα", "--price", "12.50")
    cli("customer", "add", "Μαρία Παπαδοπούλου")
    cli(
        "employee",
        "add",
        "Νίκος Βλάχος",
        "--office",
        "back",
        "--department",
        "product",
        "--title",
        "Ποιότητα",
        "--salary",
        "1500",
    )
    for text in ("Έσπασε η λαβή", "Ράγισε στο πλυντήριο", "Η λαβή καίει"):
        cli("complaint", "add", "--customer", "1", text)
    for n in ("1", "2", "3"):
        cli("complaint", "forward", n)
        cli("complaint", "take", n, "--by", "1")


def resolve(cli, n, *extra):
    return cli("complaint", "resolve", n, "--resolution", "Νέα κούπα", *extra)


def test_resolve_with_text_opens_a_linked_improvement(cli, office, world):
    out = resolve(cli, "1", "--improvement", "Πιο χοντρή λαβή", "--sku", "MUG-01").stdout
    assert "improvement IMP-A-0001 opened" in out
    imp = only_at(office, OPEN)
    assert imp["title"] == "Πιο χοντρή λαβή"
    assert imp["sku"] == "MUG-01"
    assert imp["complaints"] == ["CMP-A-0001"]
    assert imp["history"][0]["note"] == "from complaint CMP-A-0001"
    cmp = load(office, "front/complaints/answered/CMP-A-0001.yaml")
    assert cmp["improvement"] == "IMP-A-0001"
    assert cmp["history"][-1]["note"] == "improvement IMP-A-0001"


def test_resolve_with_an_id_links_many_complaints_to_one(cli, office, world):
    resolve(cli, "1", "--improvement", "Πιο χοντρή λαβή")
    out = resolve(cli, "3", "--improvement", "imp-a-0001").stdout
    assert "improvement IMP-A-0001 linked" in out
    imp = only_at(office, OPEN)
    assert imp["complaints"] == ["CMP-A-0001", "CMP-A-0003"]
    assert imp["history"][-1]["action"] == "link"
    assert load(office, "front/complaints/answered/CMP-A-0003.yaml")["improvement"] == "IMP-A-0001"
    assert len(list(office.rglob("IMP-*.yaml"))) == 1


@pytest.mark.parametrize(
    "args, match",
    [
        (["--improvement", "IMP-A-0042"], "no such improvement"),
        (["--improvement", "  "], "--improvement"),
        (["--improvement", "Κάτι", "--sku", "NOPE"], "no such product"),
        (["--sku", "MUG-01"], "--improvement TEXT"),
    ],
)
def test_resolve_improvement_refusals(refused, world, args, match):
    refused("complaint", "resolve", "1", "--resolution", "x", *args, match=match)


def test_linking_a_rejected_improvement_is_refused(cli, refused, world):
    resolve(cli, "1", "--improvement", "Χρυσή λαβή")
    cli("improvement", "decide", "1", "reject", "--note", "ακριβό")
    r = refused(
        "complaint",
        "resolve",
        "2",
        "--resolution",
        "x",
        "--improvement",
        "IMP-A-0001",
        match="state is rejected",
    )
    assert REJECTED in r.stderr


def test_decide_accept_and_reject(cli, office, world):
    resolve(cli, "1", "--improvement", "Α")
    resolve(cli, "2", "--improvement", "Β")
    cli("improvement", "decide", "1", "accept")
    assert only_at(office, ACCEPTED)["history"][-1]["action"] == "accept"
    cli("improvement", "decide", "IMP-A-0002", "reject", "--note", "δεν πουλάει")
    data = only_at(office, "back/improvements/rejected/IMP-A-0002.yaml")
    assert (data["history"][-1]["action"], data["history"][-1]["note"]) == ("reject", "δεν πουλάει")


@pytest.mark.parametrize(
    "steps, args, match, where",
    [
        ([], ["decide", "1", "reject"], "--note", OPEN),
        ([], ["decide", "1", "reject", "--note", " "], "--note", OPEN),
        ([], ["done", "1", "--note", "x"], "needs accepted", OPEN),
        (["accept"], ["decide", "1", "accept"], "state is accepted", ACCEPTED),
        (["accept"], ["decide", "1", "reject", "--note", "x"], "state is accepted", ACCEPTED),
        (["accept"], ["done", "1", "--note", ""], "--note", ACCEPTED),
        ([], ["show", "IMP-A-0009"], "no such improvement", OPEN),
    ],
)
def test_improvement_refusals(cli, refused, office, world, steps, args, match, where):
    resolve(cli, "1", "--improvement", "Α")
    for step in steps:
        cli("improvement", "decide", "1", step)
    refused("improvement", *args, match=match)
    only_at(office, where)


def test_done_notes_every_linked_complaint_archived_ones_too(cli, office, world):
    resolve(cli, "1", "--improvement", "Πιο χοντρή λαβή")
    resolve(cli, "2", "--improvement", "IMP-A-0001")
    cli("complaint", "close", "1")  # archived
    cli("improvement", "decide", "1", "accept", "--note", "θα πουλήσει")
    out = cli("improvement", "done", "1", "--note", "Νέα λαβή από 1/12").stdout
    assert "noted on complaint CMP-A-0001 (closed" in out
    assert "noted on complaint CMP-A-0002 (answered" in out
    imp = only_at(office, DONE)
    assert [h["action"] for h in imp["history"]] == ["add", "link", "accept", "done"]
    for rel in (
        "archive/complaints/closed/2026/CMP-A-0001.yaml",
        "front/complaints/answered/CMP-A-0002.yaml",
    ):
        last = only_at(office, rel)["history"][-1]
        assert last["action"] == "improvement-done"
        assert "to" not in last
        assert last["note"] == "improvement IMP-A-0001 is done: Νέα λαβή από 1/12; tell the customer"
    untouched = load(office, "back/complaints/working/CMP-A-0003.yaml")
    assert untouched["history"][-1]["action"] == "take"


def test_list_and_show(cli, world):
    resolve(cli, "1", "--improvement", "Πιο χοντρή λαβή", "--sku", "MUG-01")
    resolve(cli, "2", "--improvement", "IMP-A-0001")
    cli("improvement", "add", "Λαβή", "που", "δεν", "καίει")  # IMP-A-0002
    out = cli("improvement", "list").stdout
    assert "IMP-A-0001" in out and "Πιο χοντρή λαβή" in out and "IMP-A-0002" in out
    rows = json.loads(cli("improvement", "list", "--format", "json").stdout)
    assert [(r["id"], r["state"], r["count"]) for r in rows] == [
        ("IMP-A-0001", "open", 2),
        ("IMP-A-0002", "open", 0),
    ]
    assert cli("improvement", "list", "--state", "done", "--format", "ids").stdout == ""
    out = cli("improvement", "show", "1").stdout
    assert "CMP-A-0001  answered" in out and "CMP-A-0002  answered" in out
    assert "Ράγισε στο πλυντήριο" in out
    row = json.loads(cli("improvement", "show", "1", "--format", "json").stdout)[0]
    assert row["complaints"] == ["CMP-A-0001", "CMP-A-0002"]
    assert row["complaint_states"] == {"CMP-A-0001": "answered", "CMP-A-0002": "answered"}


def test_add_refusals(refused, world):
    refused("improvement", "add", match="empty")
    refused("improvement", "add", "Κάτι", "--sku", "NOPE", match="no such product")


def test_every_command_has_examples(cli):
    for sub in ("add", "list", "show", "decide", "done"):
        assert "Examples:" in cli("improvement", sub, "--help").stdout
