"""employee add/list/show/edit/end, private pay, leave, and people named by --user."""

from __future__ import annotations

import json
import stat

import pytest

from officecli.office.core import Office
from officecli.office.people.hr import find_employee, resolve_employee
from officecli.store.errors import UserError
from tests.conftest import load

MARIA = "Μαρία Κωνσταντίνου"
NIKOS = "Νίκος Αλεξίου"


def add(cli, name, where="back", dept="hr", title="Clerk", salary="1500.00", *more):
    return cli(
        "employee",
        "add",
        name,
        "--office",
        where,
        "--department",
        dept,
        "--title",
        title,
        "--salary",
        salary,
        *more,
    ).stdout.split()[0]


@pytest.fixture
def staff(cli):
    maria = add(cli, MARIA, "back", "hr", "HR manager", "1850.00", "--start", "2025-03-01")
    nikos = add(
        cli,
        NIKOS,
        "front",
        "sales",
        "Sales associate",
        "1200",
        "--start",
        "2026-09-16",
        "--email",
        "nikos@example.gr",
    )
    return maria, nikos


def test_add_writes_a_public_part_and_a_private_pay(cli, office, staff):
    maria, nikos = staff
    assert (maria, nikos) == ("EMP-A-0001", "EMP-A-0002")
    rel = f"back/staff/active/{maria}.yaml"
    data = load(office, rel)
    assert data["name"] == MARIA and data["start"] == "2025-03-01" and "salary" not in data
    assert data["office"] == "back" and data["department"] == "hr"
    assert data["history"][0]["by"] == "tester" and data["history"][0]["action"] == "add"
    assert "1850" not in (office / rel).read_text("utf-8")
    assert MARIA in (office / rel).read_text("utf-8")  # Greek kept as written
    pay = load(office, "back/hr/pay/PAY-A-0001.yaml")
    assert (pay["id"], pay["employee"], pay["salary"]) == ("PAY-A-0001", maria, "1850.00")
    assert load(office, "back/hr/pay/PAY-A-0002.yaml")["salary"] == "1200.00"
    # the public part is public; pay is private: every folder under back/hr 0700, every file 0600
    assert stat.S_IMODE((office / rel).stat().st_mode) == 0o644
    for path in [office / "back/hr", *(office / "back/hr").rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
    assert stat.S_IMODE((office / "back").stat().st_mode) == 0o755


def test_moved_files_stay_private(cli, office, staff):
    cli("employee", "end", "2", "--date", "2026-10-31")
    cli("employee", "leave-request", "1", "--from", "2026-12-01", "--to", "2026-12-02")
    cli("employee", "leave-approve", "1")
    assert stat.S_IMODE((office / "back/staff/former/EMP-A-0002.yaml").stat().st_mode) == 0o644
    for rel in ("back/hr/pay/PAY-A-0002.yaml", "back/hr/leave/approved/LVE-A-0001.yaml"):
        assert stat.S_IMODE((office / rel).stat().st_mode) == 0o600


def test_list_hides_pay_unless_asked(cli, staff):
    out = cli("employee", "list").stdout
    assert MARIA in out and NIKOS in out
    assert "1850" not in out and "Salary" not in out
    rows = json.loads(cli("employee", "list", "--format", "json").stdout)
    assert [r["id"] for r in rows] == ["EMP-A-0001", "EMP-A-0002"]
    assert all("salary" not in r and r["state"] == "active" for r in rows)
    out = cli("employee", "list", "--show-pay").stdout
    assert "1,850.00" in out and "1,200.00" in out
    assert "1850" not in cli("employee", "show", "1").stdout
    assert "1,850.00" in cli("employee", "show", "1", "--show-pay").stdout
    shown = json.loads(cli("employee", "show", "1", "--format", "json").stdout)
    assert shown[0]["id"] == "EMP-A-0001" and "salary" not in shown[0]


def test_list_filters_and_summary(cli, staff):
    add(cli, "Ελένη Μάρκου", "back", "warehouse", "Storekeeper", "1100.50")
    add(cli, "Γιώργος Παππάς", "back", "warehouse", "Packer", "1000.25")
    add(cli, "Σοφία Δήμου", "back", "warehouse", "Packer", "1000.00")
    ids = cli("employee", "list", "--office", "back", "--format", "ids").stdout.split()
    assert ids == ["EMP-A-0001", "EMP-A-0003", "EMP-A-0004", "EMP-A-0005"]
    ids = cli("employee", "list", "--department", "warehouse", "--format", "ids").stdout.split()
    assert ids == ["EMP-A-0003", "EMP-A-0004", "EMP-A-0005"]
    rows = json.loads(cli("employee", "list", "--summary", "--format", "json").stdout)
    got = {r["id"]: (r["headcount"], r["cost"]) for r in rows}
    small, reveal = "hidden: fewer than 3 people", "hidden: would reveal a group of fewer than 3 people"
    # back/hr (1) is hidden, so back's total would give Μαρία's pay by subtraction: hidden too;
    # the company total less what is shown (warehouse) is hr + sales: 2 people, hidden as well
    assert got == {
        "front/sales": (1, small),
        "front": (1, small),
        "back/hr": (1, small),
        "back/warehouse": (3, "3100.75"),
        "back": (4, reveal),
        "total": (5, reveal),
    }
    out = cli("employee", "list", "--summary").stdout
    assert "HEADCOUNT" in out and "3,100.75" in out and "hidden: fewer than 3 people" in out
    assert "1850" not in out and "1200" not in out


def test_summary_shows_what_reveals_no_one(cli, staff):
    for i, name in enumerate(("Α Α", "Β Β", "Γ Γ")):
        add(cli, name, "front", "service", "Clerk", f"100{i}.00")
    add(cli, "Δ Δ", "front", "sales", "Seller", "1300.00")
    add(cli, "Ε Ε", "front", "sales", "Seller", "1400.00")
    rows = json.loads(cli("employee", "list", "--summary", "--format", "json").stdout)
    got = {r["id"]: (r["headcount"], r["cost"]) for r in rows}
    # front: sales 3 and service 3 shown, so the office total reveals no one; back has only
    # Μαρία: hidden; the total less front's is back's one person: hidden
    assert got["front/sales"] == (3, "3900.00") and got["front/service"] == (3, "3003.00")
    assert got["front"] == (6, "6903.00")
    assert got["back/hr"][1] == got["back"][1] == "hidden: fewer than 3 people"
    assert got["total"] == (7, "hidden: would reveal a group of fewer than 3 people")
    add(cli, "Ζ Ζ", "back", "hr", "Clerk", "1500.00")
    add(cli, "Η Η", "back", "warehouse", "Clerk", "1500.00")  # hr 2 + warehouse 1 hidden: 3
    rows = json.loads(cli("employee", "list", "--summary", "--format", "json").stdout)
    got = {r["id"]: r["cost"] for r in rows}
    assert got["back/hr"] == got["back/warehouse"] == "hidden: fewer than 3 people"
    assert got["back"] == "4850.00" and got["total"] == "11753.00"


def test_resolve_by_id_number_and_name(office, staff):
    o = Office(office)
    assert resolve_employee(o, "EMP-A-0001").id == "EMP-A-0001"
    assert resolve_employee(o, "2").id == "EMP-A-0002"
    assert resolve_employee(o, "A-0002").id == "EMP-A-0002"
    assert resolve_employee(o, "  νίκος   ΑΛΕΞΊΟΥ ".replace("Ί", "Ι")).id == "EMP-A-0002"
    assert resolve_employee(o, MARIA.upper(), need_office="back").id == "EMP-A-0001"
    with pytest.raises(
        UserError, match="EMP-A-0002 Νίκος Αλεξίου is a front-office employee; this is a back-office step"
    ):
        resolve_employee(o, NIKOS, need_office="back")
    with pytest.raises(UserError, match="no such employee"):
        resolve_employee(o, "Κανένας")
    # the label form that office.user holds ('EMP-A-0001 Μαρία ...') names the employee too
    assert find_employee(o, f"EMP-A-0001 {MARIA}").id == "EMP-A-0001"
    assert find_employee(o, "EMP-A-0001 Someone Else") is None


def test_former_employee_cannot_do_office_steps(cli, office, staff):
    cli("employee", "end", "1", "--date", "2026-10-31")
    o = Office(office)
    assert resolve_employee(o, "1").state == "former"
    with pytest.raises(UserError, match="left on 2026-10-31"):
        resolve_employee(o, "1", need_office="back")


def test_same_name_twice_is_ambiguous(cli, office, staff):
    cli("employee", "end", "2", "--date", "2026-10-31")
    add(cli, NIKOS, "back", "warehouse")  # a new Νίκος Αλεξίου after the first left
    o = Office(office)
    assert resolve_employee(o, NIKOS).id == "EMP-A-0003"  # the current one wins
    cli("employee", "end", "3", "--date", "2026-11-02")
    with pytest.raises(UserError, match="ambiguous"):
        resolve_employee(Office(office), NIKOS)


def test_show_by_name_and_history(cli, staff):
    out = cli("employee", "show", NIKOS.lower()).stdout
    assert "EMP-A-0002" in out and "front" in out and "History:" in out


def test_edit_and_end(cli, office, staff):
    out = cli("employee", "edit", "1", "--title", "Head of HR", "--salary", "1900.00").stdout
    assert "title HR manager -> Head of HR" in out and "salary changed" in out and "1900" not in out
    data = load(office, "back/staff/active/EMP-A-0001.yaml")
    assert data["title"] == "Head of HR" and "salary" not in data
    assert "salary" not in data["history"][-1]["note"]  # pay stays out of the public record
    pay = load(office, "back/hr/pay/PAY-A-0001.yaml")
    assert pay["salary"] == "1900.00"
    assert pay["history"][-1]["note"] == "salary 1850.00 -> 1900.00 EUR"  # private: amounts kept
    before = (office / "back/staff/active/EMP-A-0001.yaml").read_bytes()
    cli("employee", "edit", "1", "--salary", "1950.00", "--note", "raise from January")
    assert (office / "back/staff/active/EMP-A-0001.yaml").read_bytes() == before  # untouched
    assert load(office, "back/hr/pay/PAY-A-0001.yaml")["history"][-1]["note"] == (
        "salary 1900.00 -> 1950.00 EUR; raise from January"
    )
    cli("employee", "edit", "2", "--office", "back", "--department", "warehouse")
    assert load(office, "back/staff/active/EMP-A-0002.yaml")["department"] == "warehouse"
    cli("employee", "end", "2", "--date", "2026-10-31", "--note", "moved away")
    assert not (office / "back/staff/active/EMP-A-0002.yaml").exists()
    data = load(office, "back/staff/former/EMP-A-0002.yaml")
    assert data["end"] == "2026-10-31"
    assert [h["action"] for h in data["history"]] == ["add", "edit", "end"]
    assert data["history"][-1]["to"] == "former"
    assert cli("employee", "list", "--format", "ids").stdout.split() == ["EMP-A-0001"]
    assert cli("employee", "list", "--former", "--format", "ids").stdout.split() == ["EMP-A-0002"]
    assert len(cli("employee", "list", "--all", "--format", "ids").stdout.split()) == 2


def test_refusals(cli, refused, staff):
    base = ["employee", "add", "X Y", "--office", "front", "--title", "T"]
    refused(
        *base,
        "--department",
        "warehouse",
        "--salary",
        "1000",
        match="not a front-office department; office.yaml departments.front allows sales, service, marketing",
    )
    refused(*base, "--department", "sales", "--salary", "-10", match="must not be negative")
    refused(*base, "--department", "sales", "--salary", "abc", match="not an amount of money")
    refused(*base, "--department", "sales", "--salary", "1e3", match="not an amount of money")
    refused(*base, "--department", "sales", "--salary", "12.345", match="not an amount of money")
    refused(*base, "--department", "sales", "--salary", "1000", "--start", "2026-02-30", match="no such day")
    refused(
        "employee",
        "add",
        MARIA,
        "--office",
        "back",
        "--department",
        "hr",
        "--title",
        "T",
        "--salary",
        "1",
        match="already has this name",
    )
    refused("employee", "show", "99", match="no such employee")
    refused("employee", "show", "Κανένας Άλλος", match="no such employee")
    refused("employee", "edit", "77", "--title", "x", match="no such employee")
    refused("employee", "edit", "1", "--salary", "-5", match="must not be negative")
    refused("employee", "end", "1", "--date", "2024-01-01", match="before the start")
    refused("employee", "end", "1", "--date", "2026-11-03", match="lies in the future")
    cli("employee", "end", "2", "--date", "2026-10-31")
    refused("employee", "end", "2", "--date", "2026-11-01", match="state is former")


def test_leave_states(cli, office, staff):
    req = lambda *a: cli("employee", "leave-request", *a).stdout.split()[0]  # noqa: E731
    one = req("1", "--from", "2026-12-01", "--to", "2026-12-05", "--note", "family")
    two = req(MARIA, "--from", "2026-12-20", "--to", "2026-12-24")
    three = req("2", "--from", "2026-12-20", "--to", "2026-12-20")
    assert (office / f"back/hr/leave/requested/{one}.yaml").exists()
    cli("employee", "leave-approve", one)
    cli("employee", "leave-reject", "2", "--note", "stock-taking")
    assert (office / f"back/hr/leave/approved/{one}.yaml").exists()
    data = load(office, f"back/hr/leave/rejected/{two}.yaml")
    assert [h["action"] for h in data["history"]] == ["request", "reject"]
    assert data["history"][-1]["note"] == "stock-taking"
    rows = json.loads(cli("employee", "leave-list", "--format", "json").stdout)
    assert {r["id"]: (r["state"], r["days"]) for r in rows} == {
        one: ("approved", 5),
        two: ("rejected", 5),
        three: ("requested", 1),
    }
    assert cli("employee", "leave-list", "--state", "requested", "--format", "ids").stdout.split() == [three]
    assert cli("employee", "leave-list", "--employee", "1", "--format", "ids").stdout.split() == [one, two]


def test_leave_refusals(cli, refused, staff):
    refused(
        "employee",
        "leave-request",
        "1",
        "--from",
        "2026-12-05",
        "--to",
        "2026-12-01",
        match="cannot end before it starts",
    )
    refused(
        "employee",
        "leave-request",
        "9",
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-02",
        match="no such employee",
    )
    refused(
        "employee",
        "leave-request",
        "2",
        "--from",
        "2026-09-01",
        "--to",
        "2026-09-20",
        match="before the start of employment",
    )
    cli("employee", "leave-request", "1", "--from", "2026-12-01", "--to", "2026-12-05")
    cli("employee", "leave-request", "1", "--from", "2026-12-05", "--to", "2026-12-08")
    cli("employee", "leave-approve", "1")
    refused(
        "employee",
        "leave-request",
        "1",
        "--from",
        "2026-11-28",
        "--to",
        "2026-12-01",
        match="overlaps the approved leave LVE-A-0001",
    )
    refused("employee", "leave-approve", "2", match="overlaps the approved leave LVE-A-0001")
    refused("employee", "leave-approve", "1", match="state is approved")
    cli("employee", "leave-request", "2", "--from", "2026-12-01", "--to", "2026-12-05")  # someone else


def test_user_names_an_employee(cli, office, staff):
    cli("employee", "leave-request", "2", "--from", "2026-12-01", "--to", "2026-12-01", user="1")
    cli("employee", "leave-approve", "1", user=MARIA.lower())
    data = load(office, "back/hr/leave/approved/LVE-A-0001.yaml")
    assert [h["by"] for h in data["history"]] == [f"EMP-A-0001 {MARIA}", f"EMP-A-0001 {MARIA}"]
    cli("employee", "leave-request", "2", "--from", "2026-12-03", "--to", "2026-12-03", user="someone")
    data = load(office, "back/hr/leave/requested/LVE-A-0002.yaml")
    assert data["history"][0]["by"] == "someone"


def test_help_has_examples(cli):
    for sub in (
        "add",
        "list",
        "show",
        "edit",
        "end",
        "leave-request",
        "leave-approve",
        "leave-reject",
        "leave-list",
    ):
        assert "Examples:" in cli("employee", sub, "--help").stdout


def test_reading_commands_do_not_resolve_the_user(cli, staff, monkeypatch):
    from officecli.office import users

    def boom(*a, **k):
        raise AssertionError("a read-only command resolved --user")

    monkeypatch.setattr(users, "user_label", boom)
    cli("employee", "list", user="1")
    cli("employee", "show", "2", user="1")
    cli("employee", "leave-list", user="1")


def test_former_employee_cannot_ask_for_leave(cli, refused, staff):
    cli("employee", "end", "2", "--date", "2026-10-31")
    refused(
        "employee",
        "leave-request",
        "2",
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-02",
        match="left on 2026-10-31",
    )


def test_pay_stays_private_under_a_loose_umask(cli, office):
    import os

    old = os.umask(0)
    try:
        add(cli, MARIA)
        cli("employee", "leave-request", "1", "--from", "2026-12-01", "--to", "2026-12-02")
    finally:
        os.umask(old)
    for rel in ("back/hr/pay/PAY-A-0001.yaml", "back/hr/leave/requested/LVE-A-0001.yaml"):
        assert stat.S_IMODE((office / rel).stat().st_mode) == 0o600
