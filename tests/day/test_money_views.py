"""Issue 28, point 9: money views -- CREDITED beside PAID and OWED, a readable invoice
show, numbers (not display strings) in report daily's json, product cost vs average."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def invoiced(cli):
    cli("customer", "add", "Ξενοδοχείο Αιγαίο", "--address", "Ακτή 3, Νάξος", "--vat-number", "094012345")
    cli("product", "add", "MUG", "--name", "Κούπα", "--price", "100", "--cost", "40")
    cli("stock", "receive", "MUG", "20", "--cost", "40")
    cli("stock", "receive", "MUG", "20", "--cost", "50")
    cli("order", "add", "--customer", "1", "MUG:5")
    for step in ("forward", "ship", "invoice"):
        cli("order", step, "1")
    cli("invoice", "pay", "1", "200")
    cli("invoice", "credit", "1", "--amount", "124", "--note", "goodwill")
    return cli


def test_invoice_list_shows_what_was_credited(invoiced):
    table = invoiced("invoice", "list").stdout
    head, _, row = table.splitlines()
    assert head.split()[-4:] == ["PAID", "CREDITED", "OWED", "OVERDUE"]
    assert row.split()[-4:] == ["200.00", "124.00", "296.00", "no"]  # 620 - 200 - 124
    got = json.loads(invoiced("invoice", "list", "--format", "json").stdout)[0]
    assert (got["gross"], got["paid"], got["credited"], got["owed"]) == (
        "620.00",
        "200.00",
        "124.00",
        "296.00",
    )


def test_invoice_show_reads_as_text(invoiced):
    out = " ".join(invoiced("invoice", "show", "1").stdout.split(" "))
    out = "\n".join(" ".join(line.split()) for line in out.splitlines())
    assert "Bill to: Ξενοδοχείο Αιγαίο, Ακτή 3, Νάξος, VAT number 094012345" in out
    assert "VAT: 24%: net 500.00, VAT 120.00" in out
    assert "Credited: 124.00" in out
    assert "name Ξενοδοχείο" not in out and "{" not in out
    data = json.loads(invoiced("invoice", "show", "1", "--format", "json").stdout)[0]
    assert data["bill_to"]["name"] == "Ξενοδοχείο Αιγαίο" and data["vat"]["24"]["vat"] == "120.00"


def test_report_daily_json_carries_numbers(invoiced):
    rows = {r["id"]: r for r in json.loads(invoiced("report", "daily", "--format", "json").stdout)}
    taken = rows["orders.taken"]
    assert (taken["count"], taken["amount"], taken["currency"]) == (1, "620.00", "EUR")
    assert (rows["invoices.open"]["count"], rows["invoices.open"]["amount"]) == (1, "296.00")
    assert rows["customers"]["parts"] == {"new": 1} and rows["customers"]["count"] == 1
    assert rows["complaints.open"]["parts"] == {"inbox": 0, "working": 0, "waiting": 0}
    assert rows["staff"]["parts"] == {"front": 0, "back": 0}


def test_product_cost_is_the_files_and_the_average_is_named_so(invoiced):
    got = json.loads(invoiced("product", "show", "MUG", "--format", "json").stdout)[0]
    assert (got["cost"], got["average_cost"]) == ("40.00", "45.00")
    assert "starting_cost" not in got
    listed = json.loads(invoiced("product", "list", "--format", "json").stdout)[0]
    assert (listed["cost"], listed["average_cost"]) == ("40.00", "45.00")
