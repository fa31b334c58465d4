"""customer add/list/show/edit: files, duplicate guard, filters, what a customer owes."""

from __future__ import annotations

import json

from tests.conftest import load

CUS1 = "front/customers/CUS-A-0001.yaml"


def test_add_writes_the_file_with_tags_and_source(cli, office):
    out = cli(
        "customer",
        "add",
        "Μαρία Παπαδοπούλου",
        "--email",
        "maria@example.gr",
        "--phone",
        "+30 694 555 0101",
        "--address",
        "Ερμού 12, Αθήνα",
        "--vat-number",
        "EL 094 012 345",
        "--tag",
        "retail",
        "--tag",
        "vip",
        "--tag",
        "retail",
        "--source",
        "instagram",
    ).stdout
    assert out.split()[0] == "CUS-A-0001"
    data = load(office, CUS1)
    assert data["name"] == "Μαρία Παπαδοπούλου" and data["email"] == "maria@example.gr"
    assert data["tags"] == ["retail", "vip"] and data["source"] == "instagram"
    assert data["vat_number"] == "EL 094 012 345"
    assert data["history"] == [
        {"at": "2026-11-02T09:00:00+02:00", "by": "tester", "action": "add", "to": "active"}
    ]
    assert "Μαρία Παπαδοπούλου" in (office / CUS1).read_text("utf-8")
    assert cli("--format", "ids", "customer", "add", "Νίκος").stdout.strip() == "CUS-A-0002"


def test_duplicate_guard_names_the_existing_customer(cli, refused):
    cli("customer", "add", "Μαρία", "--email", "maria@example.gr", "--vat-number", "EL094012345")
    refused("customer", "add", "Άλλη", "--email", "MARIA@example.gr ", match="CUS-A-0001")
    refused(
        "customer",
        "add",
        "Άλλη",
        "--vat-number",
        "094 012 345",
        match="VAT number 094 012 345 already belongs to CUS-A-0001",
    )
    refused("customer", "add", "Άλλη", "--email", "not-an-email", match="not an email")
    refused("customer", "add", " ", match="must not be empty")
    cli("customer", "add", "Νίκος", "--email", "nikos@example.gr")
    refused("customer", "edit", "2", "--email", "Maria@Example.gr", match="CUS-A-0001")


def test_list_filters_on_tag_source_and_search(cli):
    cli("customer", "add", "Μαρία", "--tag", "retail", "--source", "instagram")
    cli("customer", "add", "Ταβέρνα Το Λιμάνι", "--tag", "horeca", "--source", "fair-2026")
    cli("customer", "add", "Ξενοδοχείο Αιγαίο", "--tag", "horeca", "--tag", "vip", "--source", "referral")

    def ids(*args):
        return cli("customer", "list", *args, "--format", "ids").stdout.split()

    assert ids() == ["CUS-A-0001", "CUS-A-0002", "CUS-A-0003"]
    assert ids("--tag", "horeca") == ["CUS-A-0002", "CUS-A-0003"]
    assert ids("--tag", "HORECA", "--source", "fair-2026") == ["CUS-A-0002"]
    assert ids("--search", "αιγαίο") == ["CUS-A-0003"]
    rows = json.loads(cli("customer", "list", "--tag", "vip", "--format", "json").stdout)
    assert rows[0]["id"] == "CUS-A-0003" and rows[0]["state"] == "active"
    assert "(none)" in cli("customer", "list", "--tag", "nobody").stdout


def test_edit_sets_fields_and_appends_one_history_entry(cli, office, clock, refused):
    cli("customer", "add", "Μαρία", "--email", "maria@example.gr", "--tag", "retail")
    before = (office / CUS1).read_text("utf-8")
    clock.set("2026-11-03T10:00:00+02:00")
    cli(
        "customer",
        "edit",
        "1",
        "--phone",
        "+30 210 555 0101",
        "--add-tag",
        "vip",
        "--email",
        "",
        user="eleni",
    )
    data = load(office, CUS1)
    assert data["phone"] == "+30 210 555 0101" and data["tags"] == ["retail", "vip"]
    assert "email" not in data
    assert len(data["history"]) == 2
    entry = data["history"][1]
    assert (entry["by"], entry["action"], entry["at"]) == ("eleni", "edit", "2026-11-03T10:00:00+02:00")
    assert "phone" in entry["note"] and "email removed" in entry["note"]
    assert (office / CUS1).read_text("utf-8").startswith(before.split("email:")[0])
    cli("customer", "edit", "1", "--tag", "horeca", "--tag", "wholesale")  # --tag adds, as on add
    assert load(office, CUS1)["tags"] == ["retail", "vip", "horeca", "wholesale"]
    cli("customer", "edit", "1", "--remove-tag", "wholesale", "--remove-tag", "retail")
    assert load(office, CUS1)["tags"] == ["vip", "horeca"]
    refused("customer", "edit", "1", match="nothing to change")
    refused("customer", "edit", "1", "--phone", "+30 210 555 0101", match="nothing changes")
    refused("customer", "edit", "1", "--remove-tag", "nope", match="no tag 'nope'")
    refused("customer", "edit", "9", "--phone", "1", match="no such customer")
    refused("customer", "edit", "1", "--name", "", match="must not be empty")


def test_show_lists_orders_complaints_and_what_is_owed(cli, office):
    cli("customer", "add", "Μαρία", "--email", "maria@example.gr")
    cli("customer", "add", "Νίκος")
    cli("product", "add", "MUG-KYK", "--name", "Κούπα", "--price", "10.00", "--cost", "4")
    cli("stock", "receive", "MUG-KYK", "10")
    cli("order", "add", "--customer", "1", "MUG-KYK:2")
    cli("order", "add", "--customer", "1", "MUG-KYK:1")
    cli("order", "add", "--customer", "2", "MUG-KYK:1")
    shown = json.loads(cli("customer", "show", "1", "--format", "json").stdout)[0]
    assert [o["id"] for o in shown["orders"]] == ["ORD-A-0001", "ORD-A-0002"]
    assert shown["orders"][0]["gross"] == "24.80"
    assert shown["complaints"] == [] and shown["owed"] == "0.00"
    table = cli("customer", "show", "CUS-A-0001").stdout
    assert "ORD-A-0001" in table and "ORD-A-0003" not in table and "0.00 EUR" in table
    # a complaint naming the customer is shown with them (read generically)
    (office / "front/complaints/new").mkdir(parents=True, exist_ok=True)
    (office / "front/complaints/new/CMP-A-0001.yaml").write_text(
        "id: CMP-A-0001\ncustomer: CUS-A-0001\norder: ORD-A-0001\ntext: ραγισμένη\n"
        "created: '2026-11-02T10:00:00+02:00'\nhistory: []\n",
        "utf-8",
    )
    shown = json.loads(cli("customer", "show", "1", "--format", "json").stdout)[0]
    assert [(c["id"], c["state"]) for c in shown["complaints"]] == [("CMP-A-0001", "new")]


def test_show_owes_open_invoices_minus_payments(cli, office):
    """Uses the books' `order invoice` and `invoice pay` (issue 5)."""
    cli("customer", "add", "Μαρία")
    cli("product", "add", "MUG-KYK", "--name", "Κούπα", "--price", "10.00", "--cost", "4")
    cli("stock", "receive", "MUG-KYK", "10")
    cli("order", "add", "--customer", "1", "MUG-KYK:5")  # 50.00 + 12.00 VAT
    cli("order", "forward", "1")
    cli("order", "ship", "1")
    cli("order", "invoice", "1")
    assert json.loads(cli("customer", "show", "1", "--format", "json").stdout)[0]["owed"] == "62.00"
    cli("invoice", "pay", "1", "20.00")
    assert json.loads(cli("customer", "show", "1", "--format", "json").stdout)[0]["owed"] == "42.00"
    assert "42.00 EUR on 1 open invoice(s)" in cli("customer", "show", "1").stdout
