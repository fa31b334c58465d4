"""return add|receive|credit|list|show, the complaint link, order trace, and their books."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.cli.test_purchases import actions, balances, by_ref, postings, stock_value
from tests.conftest import only_at


@pytest.fixture
def sold(cli, clock):
    """MUG (24%) and BOOK (6%) received at round costs; ORD-A-0001 MUG:3 BOOK:2 shipped,
    invoiced (INV-A-0001, 81.49) and paid."""
    cli("product", "add", "MUG", "--name", "Κούπα", "--price", "12.50")
    cli("product", "add", "BOOK", "--name", "Βιβλίο", "--price", "22.00", "--vat", "6")
    cli("stock", "receive", "MUG", "10", "--cost", "4.00")
    cli("stock", "receive", "BOOK", "10", "--cost", "10.00")
    cli("customer", "add", "Μαρία")
    cli("order", "add", "--customer", "1", "MUG:3", "BOOK:2")
    cli("order", "forward", "1")
    cli("order", "ship", "1")
    cli("order", "invoice", "1")
    cli("invoice", "pay", "1", "all")
    clock.set("2026-11-05T10:00:00+02:00")
    return cli


def test_the_whole_journey_place_history_and_postings(sold, office, clock):
    cli = sold
    out = cli("return", "add", "--order", "1", "MUG:3", "BOOK:1", "--reason", "ραγισμένα").stdout
    assert out.split()[0] == "RMA-A-0001"
    rma = only_at(office, "back/returns/requested/RMA-A-0001.yaml")
    assert (rma["order"], rma["customer"], rma["invoice"], rma["reason"]) == (
        "ORD-A-0001",
        "CUS-A-0001",
        "INV-A-0001",
        "ραγισμένα",
    )
    assert rma["lines"] == [
        {"sku": "MUG", "name": "Κούπα", "qty": 3, "unit_cost": "4.00", "price": "12.50", "vat": "24"},
        {"sku": "BOOK", "name": "Βιβλίο", "qty": 1, "unit_cost": "10.00", "price": "22.00", "vat": "6"},
    ]
    assert actions(rma) == ["add"]
    before = balances(cli)

    clock.set("2026-11-06T10:00:00+02:00")
    out = cli("return", "receive", "1", "--damaged", "MUG:1").stdout
    assert "+2 MUG at 4.00" in out and "+1 BOOK at 10.00" in out
    rma = only_at(office, "back/returns/received/RMA-A-0001.yaml")
    assert actions(rma) == ["add", "receive"] and rma["lines"][0]["damaged"] == 1
    moves = [json.loads(cli("stock", "moves", "--ref", "RMA-A-0001", "--format", "json").stdout)]
    assert [(m["sku"], m["qty"], m["reason"], m["unit_cost"]) for m in moves[0]] == [
        ("MUG", 2, "return", "4.00"),
        ("BOOK", 1, "return", "10.00"),
    ]
    [t] = by_ref(office, "RMA-A-0001", "return")
    assert postings(t) == {
        "Assets:Inventory": "18.00",
        "Expenses:WriteOffs": "4.00",
        "Expenses:COGS": "-22.00",
    }
    after = balances(cli)
    assert after["Expenses:COGS"] == before["Expenses:COGS"] - Decimal("22.00")
    assert stock_value(cli) == after["Assets:Inventory"] == Decimal("126.00")  # 9 x 4.00 + 9 x 10.00
    levels = {r["sku"]: r for r in json.loads(cli("stock", "list", "--format", "json").stdout)}
    assert (levels["MUG"]["on_hand"], levels["BOOK"]["on_hand"]) == (9, 9)

    out = cli("return", "credit", "1").stdout
    assert out.split()[0] == "CRN-A-0001"
    rma = only_at(office, "back/returns/done/RMA-A-0001.yaml")
    assert rma["credit_note"] == "CRN-A-0001" and actions(rma) == ["add", "receive", "credit"]
    crn = only_at(office, "back/invoices/credit-notes/CRN-A-0001.yaml")
    assert [(x["sku"], x["qty"], x["net"]) for x in crn["lines"]] == [
        ("MUG", 3, "37.50"),
        ("BOOK", 1, "22.00"),
    ]
    assert crn["vat"] == {"24": {"net": "37.50", "vat": "9.00"}, "6": {"net": "22.00", "vat": "1.32"}}
    assert crn["gross"] == "69.82"
    [c] = by_ref(office, "INV-A-0001", "credit")
    assert postings(c) == {"Income:Sales": "59.50", "Liabilities:VAT": "10.32", "Assets:Receivable": "-69.82"}
    assert c["document"] == "CRN-A-0001"
    inv = only_at(office, "back/invoices/paid/INV-A-0001.yaml")  # part credited: stays paid
    assert actions(inv)[-1] == "credit"
    shown = json.loads(cli("invoice", "show", "1", "--format", "json").stdout)[0]
    assert shown["owed"] == "-69.82"
    assert json.loads(cli("customer", "show", "1", "--format", "json").stdout)[0]["owed"] == "-69.82"
    cli("ledger", "check")
    cli("doctor")

    trace = json.loads(cli("order", "trace", "1", "--format", "json").stdout)
    ids = {r["id"] for r in trace}
    assert {"RMA-A-0001", "CRN-A-0001", t["id"], c["id"]} <= ids
    assert {m["id"] for m in moves[0]} <= ids


def test_only_what_was_shipped_and_not_yet_returned(sold, refused, cli):
    refused(
        "return", "add", "--order", "1", "MUG:4", "--reason", "x", match="returning more than was shipped"
    )
    refused("return", "add", "--order", "1", "VASE:1", "--reason", "x", match="VASE was not shipped")
    refused("return", "add", "--order", "1", "MUG:1", "--reason", " ", match="--note must not be empty")
    cli("return", "add", "--order", "1", "MUG:2", "--reason", "x")
    refused("return", "add", "--order", "1", "MUG:2", "--reason", "y", match="already returned 2")
    cli("order", "add", "--customer", "1", "MUG:1")
    refused("return", "add", "--order", "2", "MUG:1", "--reason", "x", match="nothing was shipped")
    refused("return", "receive", "1", "--damaged", "MUG:3", match="only 2 returned")
    refused("return", "receive", "1", "--damaged", "BOOK:1", match="not on this return")
    refused("return", "credit", "1", match="state is requested")


def test_a_return_from_a_complaint_is_linked_both_ways(sold, office, refused):
    cli = sold
    cli(
        "employee",
        "add",
        "Ελένη Μάρκου",
        "--office",
        "back",
        "--department",
        "warehouse",
        "--title",
        "Αποθήκη",
        "--salary",
        "1100.00",
    )
    cli("complaint", "add", "--customer", "1", "--order", "1", "Ήρθε ραγισμένη")
    cli("complaint", "forward", "1")
    cli("complaint", "take", "1", "--by", "Ελένη Μάρκου")
    cli("return", "add", "--order", "1", "MUG:1", "--reason", "ραγισμένη")
    refused("complaint", "resolve", "1", "--resolution", "x", "--return", "RMA-A-0009", match="return")
    cli("complaint", "resolve", "1", "--resolution", "Πιστώνουμε την κούπα", "--return", "RMA-A-0001")
    cmp = only_at(office, "front/complaints/answered/CMP-A-0001.yaml")
    assert cmp["return"] == "RMA-A-0001"
    rma = only_at(office, "back/returns/requested/RMA-A-0001.yaml")
    assert rma["complaint"] == "CMP-A-0001" and actions(rma) == ["add", "link"]
    cli("return", "receive", "1")
    cli("return", "credit", "1")
    assert cli("return", "list", "--state", "done", "--format", "ids").stdout.split() == ["RMA-A-0001"]
    assert "CMP-A-0001" in cli("return", "show", "1").stdout


def test_credit_waits_for_the_invoice(cli, office, refused):
    cli("product", "add", "MUG", "--name", "Κούπα", "--price", "12.50")
    cli("stock", "receive", "MUG", "10", "--cost", "4.00")
    cli("customer", "add", "Μαρία")
    cli("order", "add", "--customer", "1", "MUG:3")
    cli("order", "forward", "1")
    cli("order", "ship", "1")
    cli("return", "add", "--order", "1", "MUG:1", "--reason", "x")
    cli("return", "receive", "1")
    refused("return", "credit", "1", match="not invoiced yet")
    cli("order", "invoice", "1")
    cli("return", "credit", "1")
    rma = only_at(office, "back/returns/done/RMA-A-0001.yaml")
    assert rma["invoice"] == "INV-A-0001"
    inv = only_at(office, "back/invoices/open/INV-A-0001.yaml")  # still owed 31.00
    assert json.loads(cli("invoice", "show", "1", "--format", "json").stdout)[0]["owed"] == "31.00"
    assert actions(inv)[-1] == "credit"
