"""complaint add/forward/take/wait/resume/resolve/close/reopen/list/show/escalate."""

from __future__ import annotations

import json

import pytest

from tests.conftest import load, only_at, snapshot

NEW = "front/complaints/new/CMP-A-0001.yaml"
INBOX = "back/complaints/inbox/CMP-A-0001.yaml"
WORKING = "back/complaints/working/CMP-A-0001.yaml"
WAITING = "back/complaints/waiting/CMP-A-0001.yaml"
ANSWERED = "front/complaints/answered/CMP-A-0001.yaml"
CLOSED = "archive/complaints/closed/2026/CMP-A-0001.yaml"


def flat(text):
    """Output with runs of spaces collapsed (column widths vary)."""
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


@pytest.fixture
def world(cli):
    """Two customers with an order each (one cancelled), a back and a front employee."""
    cli("product", "add", "MUG-01", "--name", "Κούπα", "--price", "12.50")
    cli("customer", "add", "Μαρία Παπαδοπούλου")  # CUS-A-0001
    cli("customer", "add", "Γιώργος Αντωνίου")  # CUS-A-0002
    cli("order", "add", "--customer", "CUS-A-0001", "MUG-01:2")  # ORD-A-0001
    cli("order", "add", "--customer", "CUS-A-0002", "MUG-01:1")  # ORD-A-0002
    cli("order", "add", "--customer", "CUS-A-0001", "MUG-01:1")  # ORD-A-0003
    cli("order", "cancel", "ORD-A-0003", "--reason", "άλλαξε γνώμη")
    cli(
        "employee",
        "add",
        "Νίκος Βλάχος",
        "--office",
        "back",
        "--department",
        "product",
        "--title",
        "Υπεύθυνος ποιότητας",
        "--salary",
        "1500",
    )  # EMP-A-0001
    cli(
        "employee",
        "add",
        "Ελένη Μάρκου",
        "--office",
        "front",
        "--department",
        "service",
        "--title",
        "Εξυπηρέτηση",
        "--salary",
        "1200",
    )  # EMP-A-0002


def add(cli, *extra):
    return cli("complaint", "add", "--customer", "CUS-A-0001", *extra, "Η κούπα έφτασε σπασμένη")


# -- add -------------------------------------------------------------------------


def test_add_writes_new_complaint_with_deadlines(cli, office, world):
    out = cli(
        "complaint",
        "add",
        "--customer",
        "1",
        "--order",
        "ORD-A-0001",
        "--channel",
        "phone",
        "Η",
        "κούπα",
        "έφτασε",
        "σπασμένη",
    ).stdout
    assert out.startswith("CMP-A-0001")
    data = only_at(office, NEW)
    assert data["customer"] == "CUS-A-0001"
    assert data["order"] == "ORD-A-0001"
    assert data["channel"] == "phone"
    assert data["text"] == "Η κούπα έφτασε σπασμένη"
    assert data["due"] == {
        "forward": "2026-11-02T13:00:00+02:00",
        "first_response": "2026-11-03T09:00:00+02:00",
        "resolution": "2026-11-05T09:00:00+02:00",
    }
    assert [h["action"] for h in data["history"]] == ["add"]
    assert data["history"][0]["to"] == "new"


def test_add_prints_only_the_id_with_format_ids(cli, world):
    assert add(cli, "--format", "ids").stdout == "CMP-A-0001\n"


def test_add_accepts_an_archived_order_of_the_customer(cli, office, world):
    add(cli, "--order", "3")
    assert only_at(office, NEW)["order"] == "ORD-A-0003"


def test_add_stamps_deadlines_from_office_yaml(cli, office, world):
    cfg = (office / "office.yaml").read_text("utf-8").replace("forward: 4", "forward: 2")
    (office / "office.yaml").write_text(cfg, "utf-8")
    add(cli)
    assert only_at(office, NEW)["due"]["forward"] == "2026-11-02T11:00:00+02:00"


@pytest.mark.parametrize(
    "args, match",
    [
        (["--customer", "CUS-A-0009", "κάτι"], "no such customer"),
        (["--customer", "CUS-A-0001", "--order", "ORD-A-0002", "κάτι"], "not CUS-A-0001"),
        (["--customer", "CUS-A-0001", "--order", "ORD-A-0042", "κάτι"], "no such order"),
        (["--customer", "CUS-A-0001"], "empty"),
        (["--customer", "CUS-A-0001", "   "], "empty"),
    ],
)
def test_add_refusals(refused, world, args, match):
    refused("complaint", "add", *args, match=match)


def test_add_refuses_an_order_of_another_customer_naming_the_file(refused, world):
    r = refused("complaint", "add", "--customer", "1", "--order", "2", "x", match="ORD-A-0002")
    assert "front/orders/open/ORD-A-0002.yaml" in r.stderr


def test_add_unknown_channel_is_a_usage_error(cli, world):
    cli("complaint", "add", "--customer", "1", "--channel", "fax", "x", code=2)


# -- the journey -------------------------------------------------------------------


def test_full_journey_moves_the_file_and_appends_history(cli, office, world, clock):
    add(cli, "--order", "1")
    clock.set("2026-11-02T10:00:00+02:00")
    out = cli("complaint", "forward", "1", "--note", "επείγον").stdout
    assert out == "CMP-A-0001  forwarded: front/complaints/new/ -> back/complaints/inbox/\n"
    assert only_at(office, INBOX)["history"][-1]["note"] == "επείγον"

    clock.set("2026-11-02T11:00:00+02:00")
    out = cli("complaint", "take", "1", "--by", "Νίκος Βλάχος").stdout
    assert out == (
        "CMP-A-0001  taken by EMP-A-0001 Νίκος Βλάχος: back/complaints/inbox/ -> back/complaints/working/\n"
    )
    data = only_at(office, WORKING)
    assert data["assignee"] == "Νίκος Βλάχος"
    assert data["assignee_id"] == "EMP-A-0001"
    assert data["history"][-1]["note"] == "assigned to EMP-A-0001 Νίκος Βλάχος"

    cli("complaint", "wait", "1", "--note", "ζητήσαμε φωτογραφία")
    only_at(office, WAITING)
    cli("complaint", "resume", "1")
    only_at(office, WORKING)

    cli("complaint", "resolve", "1", "--resolution", "Στείλαμε νέα κούπα")
    data = only_at(office, ANSWERED)
    assert data["resolution"] == "Στείλαμε νέα κούπα"
    assert "improvement" not in data

    assert (
        cli("complaint", "close", "1", "--note", "ευχαριστημένη", "--format", "ids").stdout == "CMP-A-0001\n"
    )
    data = only_at(office, CLOSED)
    steps = [(h["action"], h.get("from"), h["to"]) for h in data["history"]]
    assert steps == [
        ("add", None, "new"),
        ("forward", "new", "inbox"),
        ("take", "inbox", "working"),
        ("wait", "working", "waiting"),
        ("resume", "waiting", "working"),
        ("resolve", "working", "answered"),
        ("close", "answered", "closed"),
    ]
    assert all(h["by"] == "tester" for h in data["history"])

    cli("complaint", "reopen", "1", "--note", "και η νέα έσπασε")
    data = only_at(office, INBOX)
    assert data["history"][-1]["from"] == "closed"
    assert data["history"][-1]["note"] == "και η νέα έσπασε"


def test_reopen_from_answered(cli, office, world):
    add(cli)
    cli("complaint", "forward", "1")
    cli("complaint", "take", "1", "--by", "EMP-A-0001")
    cli("complaint", "resolve", "1", "--resolution", "ok")
    cli("complaint", "reopen", "1", "--note", "όχι οκ")
    assert only_at(office, INBOX)["history"][-1]["from"] == "answered"
    cli("complaint", "take", "1", "--by", "1")
    assert only_at(office, WORKING)["assignee_id"] == "EMP-A-0001"


def test_a_handoff_keeps_hand_edits(cli, office, world):
    add(cli)
    path = office / NEW
    path.write_text("# τηλεφώνησε δύο φορές\n" + path.read_text("utf-8"), "utf-8")
    cli("complaint", "forward", "1")
    assert (office / INBOX).read_text("utf-8").startswith("# τηλεφώνησε δύο φορές\n")


@pytest.mark.parametrize(
    "setup, args, match",
    [
        ([], ["take", "1", "--by", "1"], "state is new"),
        ([], ["wait", "1", "--note", "x"], "needs working"),
        ([], ["resolve", "1", "--resolution", "x"], "state is new"),
        ([], ["close", "1"], "needs answered"),
        ([], ["reopen", "1", "--note", "x"], "needs answered or closed"),
        (["forward"], ["forward", "1"], "state is inbox"),
        (["forward"], ["resume", "1"], "needs waiting"),
        (["forward", "take"], ["take", "1", "--by", "1"], "state is working"),
        (["forward", "take"], ["reopen", "1", "--note", "x"], "state is working"),
    ],
)
def test_wrong_state_refusals_name_the_file(cli, refused, world, setup, args, match):
    add(cli)
    where = NEW
    for step in setup:
        cli("complaint", step, "1", *(["--by", "1"] if step == "take" else []))
        where = {"forward": INBOX, "take": WORKING}[step]
    r = refused("complaint", *args, match=match)
    assert where in r.stderr


def test_unknown_complaint_is_refused(refused, world):
    refused("complaint", "forward", "CMP-A-0042", match="no such complaint")
    refused("complaint", "show", "42", match="no such complaint")


@pytest.mark.parametrize(
    "args, match",
    [
        (["take", "1", "--by", "Ελένη Μάρκου"], "front-office employee"),
        (["take", "1", "--by", "Κανένας"], "no such employee"),
        (["take", "1", "--by", " "], "empty"),
    ],
)
def test_take_refusals(cli, refused, world, args, match):
    add(cli)
    cli("complaint", "forward", "1")
    refused("complaint", *args, match=match)


def test_take_without_by_uses_the_acting_user(cli, office, world, monkeypatch, refused):
    add(cli)
    add(cli)
    cli("complaint", "forward", "1")
    cli("complaint", "forward", "2")
    cli("complaint", "take", "1", user="Νίκος Βλάχος")
    data = only_at(office, WORKING)
    assert (data["assignee"], data["assignee_id"]) == ("Νίκος Βλάχος", "EMP-A-0001")
    # a --user that names no employee is refused like --by Nobody (issue 14)
    refused("complaint", "take", "2", user="ops-bot", match="--user 'ops-bot': no such employee")
    # $OFFICECLI_USER / the login name may be a bot: recorded as given
    monkeypatch.setenv("OFFICECLI_USER", "ops-bot")
    cli("complaint", "take", "2")
    data = load(office, "back/complaints/working/CMP-A-0002.yaml")
    assert data["assignee"] == "ops-bot" and "assignee_id" not in data


def test_take_by_a_front_office_user_is_refused(cli, refused, world):
    add(cli)
    cli("complaint", "forward", "1")
    refused("complaint", "take", "1", user="Ελένη Μάρκου", match="front-office employee")


def test_retake_after_reopen_replaces_the_assignee(cli, office, world):
    cli(
        "employee",
        "add",
        "Άννα Ρήγα",
        "--office",
        "back",
        "--department",
        "product",
        "--title",
        "Μηχανικός",
        "--salary",
        "1400",
    )
    add(cli)
    cli("complaint", "forward", "1")
    cli("complaint", "take", "1", "--by", "Νίκος Βλάχος")
    cli("complaint", "resolve", "1", "--resolution", "x")
    cli("complaint", "reopen", "1", "--note", "y")
    cli("complaint", "take", "1", "--by", "Άννα Ρήγα")
    data = only_at(office, WORKING)
    assert (data["assignee"], data["assignee_id"]) == ("Άννα Ρήγα", "EMP-A-0003")


@pytest.mark.parametrize(
    "state_steps, args, match",
    [
        (["forward", "take"], ["wait", "1", "--note", " "], "--note"),
        (["forward", "take"], ["resolve", "1", "--resolution", ""], "--resolution"),
        (["forward", "take", "resolve"], ["reopen", "1", "--note", ""], "--note"),
    ],
)
def test_empty_notes_are_refused(cli, refused, world, state_steps, args, match):
    add(cli)
    for step in state_steps:
        extra = {"take": ["--by", "1"], "resolve": ["--resolution", "ok"]}.get(step, [])
        cli("complaint", step, "1", *extra)
    refused("complaint", *args, match=match)


def test_wait_and_reopen_need_a_note(cli, world):
    add(cli)
    cli("complaint", "forward", "1")
    cli("complaint", "take", "1", "--by", "1")
    cli("complaint", "wait", "1", code=2)


# -- list and show ------------------------------------------------------------------


def test_list_filters(cli, world, clock):
    add(cli)  # 1 new
    cli("complaint", "add", "--customer", "2", "--order", "2", "Λάθος χρώμα")  # 2
    add(cli)  # 3
    for n in ("2", "3"):
        cli("complaint", "forward", n)
        cli("complaint", "take", n, "--by", "1")
        cli("complaint", "resolve", n, "--resolution", "ok")
    cli("complaint", "close", "3")

    def ids(*args):
        return cli("complaint", "list", "--format", "ids", *args).stdout.split()

    assert ids() == ["CMP-A-0001", "CMP-A-0002"]
    assert ids("--all") == ["CMP-A-0001", "CMP-A-0002", "CMP-A-0003"]
    assert ids("--state", "closed") == ["CMP-A-0003"]
    assert ids("--state", "new", "--state", "answered") == ["CMP-A-0001", "CMP-A-0002"]
    assert ids("--customer", "CUS-A-0002") == ["CMP-A-0002"]
    assert ids("--all", "--customer", "1") == ["CMP-A-0001", "CMP-A-0003"]
    assert ids("--overdue") == []
    assert ids("--assignee", "EMP-A-0001") == ["CMP-A-0002"]
    assert ids("--all", "--assignee", "νίκος βλάχος") == ["CMP-A-0002", "CMP-A-0003"]
    assert ids("--assignee", "nobody") == []
    clock.set("2026-11-02T13:30:00+02:00")  # 1 not forwarded within 4h
    assert ids("--overdue") == ["CMP-A-0001"]


def test_list_table_and_json(cli, world, clock):
    add(cli, "--order", "1")
    clock.set("2026-11-02T10:00:00+02:00")
    out = cli("complaint", "list").stdout
    assert "CMP-A-0001" in out and "forward 3h left" in out and "front" in out
    rows = json.loads(cli("complaint", "list", "--format", "json").stdout)
    assert rows[0]["id"] == "CMP-A-0001" and rows[0]["state"] == "new"
    assert rows[0]["sla"]["forward"] == {
        "status": "running",
        "hours": 4,
        "used_minutes": 60,
        "left_minutes": 180,
        "due": "2026-11-02T13:00:00+02:00",
        "met_at": None,
    }


def test_list_unknown_customer_is_refused(refused, world):
    refused("complaint", "list", "--customer", "CUS-A-0042", match="no such customer")


def test_show_has_assignee_sla_and_history(cli, world, clock):
    add(cli, "--order", "1")
    clock.set("2026-11-02T10:00:00+02:00")
    cli("complaint", "forward", "1")
    clock.set("2026-11-02T12:00:00+02:00")
    cli("complaint", "take", "1", "--by", "1")
    cli("complaint", "wait", "1", "--note", "φωτογραφία")
    clock.set("2026-11-06T12:00:00+02:00")  # 4 days waiting: paused
    out = flat(cli("complaint", "show", "1").stdout)
    assert "Assignee: EMP-A-0001 Νίκος Βλάχος" in out
    assert "Customer: CUS-A-0001 Μαρία Παπαδοπούλου" in out
    assert "File: back/complaints/waiting/CMP-A-0001.yaml" in out
    assert "forward met on 2026-11-02 10:00: took 1h of 4h" in out
    assert "first_response met on 2026-11-02 12:00: took 3h of 24h" in out
    assert "resolution paused (waiting on the customer), 69h of 72h left" in out
    assert "2026-11-02 12:00 tester wait working -> waiting (φωτογραφία)" in out
    clock.set("2026-11-06T13:00:00+02:00")
    cli("complaint", "resume", "1")
    clock.set("2026-11-09T11:00:00+02:00")  # 70h more: 3h + 70h = 73h used
    out = flat(cli("complaint", "show", "1").stdout)
    assert "resolution OVERDUE by 1h (was due 2026-11-09 10:00)" in out
    row = json.loads(cli("complaint", "show", "1", "--format", "json").stdout)[0]
    assert row["sla"]["resolution"]["status"] == "overdue"
    assert row["sla"]["resolution"]["left_minutes"] == -60


# -- escalate ---------------------------------------------------------------------------


def test_escalate_with_nothing_to_do_prints_nothing(cli, office, world):
    add(cli)
    before = snapshot(office)
    assert cli("complaint", "escalate").stdout == ""
    assert snapshot(office) == before


def test_escalate_forwards_late_complaints_and_is_idempotent(cli, office, world, clock):
    add(cli)  # 1: received 09:00, forward due 13:00
    clock.set("2026-11-02T12:00:00+02:00")
    add(cli)  # 2: forward due 16:00
    clock.set("2026-11-02T14:00:00+02:00")
    out = cli("complaint", "escalate").stdout
    assert out.splitlines() == [
        "CMP-A-0001: auto-forward: automatic: not forwarded within 4h (due 2026-11-02 13:00), overdue by 1h"
    ]
    data = only_at(office, INBOX)
    last = data["history"][-1]
    assert (last["action"], last["by"], last["from"], last["to"]) == (
        "auto-forward",
        "officecli escalate",
        "new",
        "inbox",
    )
    only_at(office, "front/complaints/new/CMP-A-0002.yaml")

    before = snapshot(office)
    assert cli("complaint", "escalate").stdout == ""
    assert snapshot(office) == before


def test_escalate_marks_each_breach_once(cli, office, world, clock):
    add(cli)
    cli("complaint", "forward", "1")
    clock.set("2026-11-03T10:00:00+02:00")  # first response due 09:00
    out = cli("complaint", "escalate").stdout
    assert out.splitlines() == [
        "CMP-A-0001: overdue-first-response: first_response: not taken "
        "by a back-office employee within 24h; overdue by 1h"
    ]
    before = snapshot(office)
    clock.set("2026-11-03T11:00:00+02:00")  # later, still the same breach
    assert cli("complaint", "escalate").stdout == ""
    assert snapshot(office) == before

    cli("complaint", "take", "1", "--by", "1")
    clock.set("2026-11-05T09:30:00+02:00")  # resolution due 09:00
    out = cli("complaint", "escalate").stdout
    assert out.splitlines() == [
        "CMP-A-0001: overdue-resolution: resolution: not answered within "
        "72h (time waiting on the customer excluded); overdue by 30m"
    ]
    assert cli("complaint", "escalate").stdout == ""
    history = only_at(office, WORKING)["history"]
    actions = [h["action"] for h in history]
    assert actions.count("overdue-first-response") == 1
    assert actions.count("overdue-resolution") == 1
    assert all(h["by"] == "officecli escalate" for h in history if h["action"].startswith("overdue"))

    # answered and reopened while still over the target: the same breach, no new entry
    cli("complaint", "resolve", "1", "--resolution", "ok")
    cli("complaint", "reopen", "1", "--note", "πάλι")
    assert cli("complaint", "escalate").stdout == ""


def test_escalate_leaves_a_paused_complaint_alone(cli, office, world, clock):
    add(cli)
    cli("complaint", "forward", "1")
    cli("complaint", "take", "1", "--by", "1")
    cli("complaint", "wait", "1", "--note", "περιμένουμε")
    clock.set("2026-11-20T09:00:00+02:00")  # 18 days later, all paused
    before = snapshot(office)
    assert cli("complaint", "escalate").stdout == ""
    assert snapshot(office) == before


def test_escalate_forwards_and_marks_in_one_run(cli, office, world, clock):
    add(cli)
    clock.set("2026-11-03T12:00:00+02:00")  # 27h in new
    out = cli("complaint", "escalate", "--format", "json").stdout
    rows = json.loads(out)
    assert [(r["id"], r["action"]) for r in rows] == [
        ("CMP-A-0001", "auto-forward"),
        ("CMP-A-0001", "overdue-first-response"),
    ]
    history = only_at(office, INBOX)["history"]
    assert [h["action"] for h in history] == ["add", "auto-forward", "overdue-first-response"]
    before = snapshot(office)
    assert (
        json.loads(cli("complaint", "escalate", "--format", "json").stdout) == []
    )  # shell-output: [] in json
    assert cli("complaint", "escalate").stdout == ""  # silent for people
    assert snapshot(office) == before


def test_help_defines_first_response(cli):
    out = cli("complaint", "take", "--help").stdout
    assert "first_response" in out and "first take" in out
    for sub in (
        "add",
        "forward",
        "take",
        "wait",
        "resume",
        "resolve",
        "close",
        "reopen",
        "list",
        "show",
        "escalate",
    ):
        assert "Examples:" in cli("complaint", sub, "--help").stdout


def test_escalate_dry_run_changes_nothing(cli, office, world, clock):
    add(cli)
    clock.set("2026-11-03T12:00:00+02:00")
    before = snapshot(office)
    out = cli("complaint", "escalate", "--dry-run").stdout
    assert out.splitlines()[0].startswith("CMP-A-0001: would auto-forward: automatic")
    assert len(out.splitlines()) == 2
    assert snapshot(office) == before
    cli("complaint", "escalate")
    only_at(office, INBOX)


def test_deadlines_are_real_hours_across_a_dst_change(cli, office, world, clock):
    clock.set("2026-10-24T10:00:00+03:00")  # summer time ends on 25 October
    add(cli)
    due = only_at(office, NEW)["due"]
    assert due["resolution"] == "2026-10-27T09:00:00+02:00"
    clock.set("2026-10-27T08:00:00+02:00")
    out = flat(cli("complaint", "show", "1").stdout)
    assert "resolution 1h left (due 2026-10-27 09:00)" in out


def test_relinking_the_same_improvement_after_a_reopen_adds_nothing(cli, office, world):
    add(cli)
    cli("complaint", "forward", "1")
    cli("complaint", "take", "1", "--by", "1")
    cli("complaint", "resolve", "1", "--resolution", "a", "--improvement", "Καλύτερο κουτί")
    cli("complaint", "reopen", "1", "--note", "ξανά")
    cli("complaint", "take", "1", "--by", "1")
    cli("complaint", "resolve", "1", "--resolution", "b", "--improvement", "IMP-A-0001")
    imp = load(office, "back/improvements/open/IMP-A-0001.yaml")
    assert imp["complaints"] == ["CMP-A-0001"]
    assert [h["action"] for h in imp["history"]] == ["add"]
    assert only_at(office, ANSWERED)["resolution"] == "b"
