"""People: the acting user resolved like --by, office.yaml users:, complaint assign,
order unforward, customers named by name (issue 14, item 5)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import load, only_at

WORKING = "back/complaints/working/CMP-A-0001.yaml"


@pytest.fixture
def world(cli):
    cli("product", "add", "MUG-01", "--name", "Κούπα", "--price", "12.50")
    cli("stock", "receive", "MUG-01", "10", "--cost", "4.00")
    cli("customer", "add", "Μαρία Παπαδοπούλου", "--address", "Εγνατίας 120, Θεσσαλονίκη")  # CUS-A-0001
    cli("customer", "add", "Μαρία Αντωνίου")  # CUS-A-0002
    cli("customer", "add", "Γιώργος Αντωνίου")  # CUS-A-0003
    for name, where, dept in [
        ("Νίκος Βλάχος", "back", "product"),
        ("Ελένη Μάρκου", "front", "service"),
        ("Άννα Ρήγα", "back", "product"),
    ]:
        cli(
            "employee",
            "add",
            name,
            "--office",
            where,
            "--department",
            dept,
            "--title",
            "x",
            "--salary",
            "1500",
            "--start",
            "2026-01-01",
        )  # EMP-A-0001..3
    cli("complaint", "add", "--customer", "1", "Η κούπα έφτασε σπασμένη")
    cli("complaint", "forward", "1")


# -- the acting user --------------------------------------------------------------


def test_an_unknown_user_is_refused_like_an_unknown_by(cli, refused, world):
    refused("complaint", "take", "1", "--by", "Nobody", match="no such employee")
    refused("complaint", "take", "1", user="Nobody", match="--user 'Nobody': no such employee")
    cli("complaint", "take", "1", user="νικος βλαχος")  # accents and case ignored


def test_the_acting_employee_is_recorded(cli, office, world):
    cli("complaint", "take", "1", user="3")  # a number names EMP-A-0003
    data = load(office, WORKING)
    assert (data["assignee"], data["assignee_id"]) == ("Άννα Ρήγα", "EMP-A-0003")
    assert data["history"][-1]["by"] == "EMP-A-0003 Άννα Ρήγα"


def test_payroll_and_leave_refuse_an_unknown_user(cli, refused, world):
    refused("payroll", "run", "2026-10", user="Nobody", match="--user 'Nobody': no such employee")
    cli("employee", "leave-request", "1", "--from", "2026-12-01", "--to", "2026-12-02")
    refused("employee", "leave-approve", "1", user="Nobody", match="no such employee")
    cli("employee", "leave-approve", "1", user="Ελένη Μάρκου")
    assert cli("payroll", "run", "2026-10", user="EMP-A-0002").stdout.startswith("2026-10")


def test_office_yaml_maps_login_names_to_employees(cli, office, refused, world, monkeypatch):
    text = (office / "office.yaml").read_text("utf-8")
    (office / "office.yaml").write_text(
        text + "users:\n  nvlachos: EMP-A-0001\n  ghost: EMP-A-0099\n", "utf-8"
    )
    monkeypatch.setenv("OFFICECLI_USER", "nvlachos")
    cli("complaint", "take", "1")
    data = load(office, WORKING)
    assert data["assignee_id"] == "EMP-A-0001"
    assert data["history"][-1]["by"] == "EMP-A-0001 Νίκος Βλάχος"
    monkeypatch.setenv("OFFICECLI_USER", "ghost")
    refused("payroll", "run", "2026-10", match="users: ghost: EMP-A-0099: no such employee")


def test_a_front_office_user_cannot_take(refused, world):
    refused("complaint", "take", "1", user="Ελένη Μάρκου", match="front-office employee")


# -- complaint assign ----------------------------------------------------------------


def test_assign_moves_a_taken_complaint_to_another_employee(cli, office, refused, world):
    refused("complaint", "assign", "1", "--to", "3", match="state is inbox")
    cli("complaint", "take", "1", "--by", "1")
    out = cli("complaint", "assign", "1", "--to", "Άννα Ρήγα", "--note", "άδεια").stdout
    assert out.startswith("CMP-A-0001")
    data = only_at(office, WORKING)
    assert (data["assignee"], data["assignee_id"]) == ("Άννα Ρήγα", "EMP-A-0003")
    last = data["history"][-1]
    assert last["action"] == "assign" and "to" not in last  # it stays where it is
    assert last["note"] == "assigned to EMP-A-0003 Άννα Ρήγα (was EMP-A-0001); άδεια"
    refused("complaint", "assign", "1", "--to", "3", match="already EMP-A-0003")
    refused("complaint", "assign", "1", "--to", "Ελένη Μάρκου", match="front-office employee")
    refused("complaint", "assign", "1", "--to", "Nobody", match="no such employee")


# -- order unforward ---------------------------------------------------------------


def test_unforward_goes_back_to_open_and_releases_the_reservation(cli, office, refused, world):
    cli("order", "add", "--customer", "1", "MUG-01:8")
    cli("order", "add", "--customer", "3", "MUG-01:5")
    refused("order", "unforward", "1", match="state is open")
    cli("order", "forward", "1")
    refused("order", "forward", "2", match="not enough stock")  # 8 of 10 reserved
    cli("order", "unforward", "1", "--note", "λάθος")
    data = only_at(office, "front/orders/open/ORD-A-0001.yaml")
    assert data["history"][-1]["action"] == "unforward"
    assert (data["history"][-1]["from"], data["history"][-1]["to"]) == ("inbox", "open")
    cli("order", "forward", "2")  # released: 5 fit now
    cli("order", "edit", "1", "--remove", "MUG-01", "--add", "MUG-01:1")  # editable again
    cli("order", "ship", "2")
    refused("order", "unforward", "2", match="state is shipped")


# -- customers by name ---------------------------------------------------------------


def test_customers_resolve_by_name(cli, refused, world):
    rows = json.loads(cli("customer", "show", "γιωργος", "--format", "json").stdout)
    assert rows[0]["id"] == "CUS-A-0003"
    assert (
        json.loads(cli("customer", "show", "Μαρία Αντωνίου", "--format", "json").stdout)[0]["id"]
        == "CUS-A-0002"
    )
    refused(
        "customer",
        "show",
        "Μαρία",
        match="ambiguous, it could be CUS-A-0001 Μαρία Παπαδοπούλου, CUS-A-0002 Μαρία Αντωνίου",
    )
    out = cli("order", "add", "--customer", "Μαρία Παπ", "MUG-01:1").stdout
    assert out.startswith("ORD-A-0001")
    assert cli("order", "list", "--customer", "μαρια παπαδοπουλου", "--format", "ids").stdout.split() == [
        "ORD-A-0001"
    ]
    refused("order", "add", "--customer", "Κανείς", "MUG-01:1", match="no such customer")
    refused("customer", "show", "99", match="no such customer")


def test_doctor_suggests_repair_for_what_repair_fixes(cli, office):
    import os

    cli(
        "employee",
        "add",
        "Νίκος Βλάχος",
        "--office",
        "back",
        "--department",
        "product",
        "--title",
        "x",
        "--salary",
        "1500",
    )
    os.chmod(office / "back/hr/pay", 0o755)  # as a fresh clone leaves it
    os.chmod(office / "back/hr/pay/PAY-A-0001.yaml", 0o644)
    res = cli("doctor", code=1)
    last = res.stderr.strip().splitlines()[-1]
    assert last.endswith(
        "problem(s) in " + str(office) + "; 2 of them are fixed by 'officecli "
        "doctor --repair' (file modes, leftover temp files, the cache)"
    )
    assert len(res.stderr.strip().splitlines()) == 1
    cli("doctor", "--repair")
    assert "--repair" not in cli("doctor").stderr
