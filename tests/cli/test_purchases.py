"""purchase add|edit|order|receive|bill|cancel|list|show|trace, bill pay|list|show, and their books."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.conftest import load, only_at


def txns(office):
    return {
        p.stem: load(office, str(p.relative_to(office)))
        for p in sorted((office / "back" / "ledger").rglob("TXN-*.yaml"))
    }


def by_ref(office, ref, kind=None):
    return [
        t for t in txns(office).values() if t.get("ref") == ref and (kind is None or t.get("kind") == kind)
    ]


def postings(t):
    return {p["account"]: p["amount"] for p in t["postings"]}


def balances(cli):
    rows = json.loads(cli("ledger", "balance", "--flat", "--format", "json").stdout)
    return {r["account"]: Decimal(r["balance"]) for r in rows}


def stock_value(cli):
    rows = json.loads(cli("stock", "list", "--all", "--format", "json").stdout)
    return sum((Decimal(r["value"]) for r in rows), Decimal("0"))


def actions(data):
    return [h["action"] for h in data["history"]]


@pytest.fixture
def buying(cli):
    """A supplier and two products (VAT 24 and 6), nothing in stock."""
    cli("supplier", "add", "Εργαστήριο Σίφνου", "--terms", "30")
    cli(
        "product",
        "add",
        "MUG",
        "--name",
        "Κούπα",
        "--price",
        "12.50",
        "--reorder-level",
        "5",
        "--supplier",
        "1",
        "--supplier-sku",
        "SIF-350",
    )
    cli("product", "add", "BOOK", "--name", "Βιβλίο", "--price", "22.00", "--vat", "6")
    return cli


def test_the_whole_journey_place_history_and_postings(buying, office, clock):
    cli = buying
    assert (
        cli("purchase", "add", "--supplier", "1", "MUG:10@4.00", "--format", "ids").stdout.strip()
        == "PO-A-0001"
    )
    po = only_at(office, "back/purchases/draft/PO-A-0001.yaml")
    assert po["supplier"] == "SUP-A-0001" and actions(po) == ["add"]
    assert po["lines"] == [
        {"sku": "MUG", "name": "Κούπα", "supplier_sku": "SIF-350", "qty": 10, "cost": "4.00", "vat": "24"}
    ]
    cli("purchase", "edit", "1", "--add", "BOOK:5@10.00")
    po = only_at(office, "back/purchases/draft/PO-A-0001.yaml")
    assert [line["sku"] for line in po["lines"]] == ["MUG", "BOOK"] and actions(po) == ["add", "edit"]

    cli("purchase", "order", "1")
    po = only_at(office, "back/purchases/ordered/PO-A-0001.yaml")
    assert actions(po) == ["add", "edit", "order"]
    assert not txns(office)

    clock.set("2026-11-03T10:00:00+02:00")
    out = cli("purchase", "receive", "1", "MUG:6").stdout
    assert "MOV-A-0001  +6 MUG at 4.00" in out
    po = only_at(office, "back/purchases/ordered/PO-A-0001.yaml")  # partly received: stays
    assert (
        po["history"][-1]["action"] == "receive"
        and "still to come: MUG 4, BOOK 5" in po["history"][-1]["note"]
    )
    move = only_at(office, "back/stock/2026/11/MOV-A-0001.yaml")
    assert (move["sku"], move["qty"], move["reason"], move["unit_cost"], move["ref"]) == (
        "MUG",
        6,
        "receive",
        "4.00",
        "PO-A-0001",
    )
    [t] = by_ref(office, "PO-A-0001", "receipt")
    assert postings(t) == {"Assets:Inventory": "24.00", "Liabilities:GRNI": "-24.00"}

    cli("purchase", "receive", "1")  # the rest
    po = only_at(office, "back/purchases/received/PO-A-0001.yaml")
    assert actions(po)[-2:] == ["receive", "receive"] and po["history"][-1]["to"] == "received"
    second = by_ref(office, "PO-A-0001", "receipt")[1]
    assert postings(second) == {"Assets:Inventory": "66.00", "Liabilities:GRNI": "-66.00"}
    assert balances(cli)["Liabilities:GRNI"] == Decimal("-90.00")
    assert stock_value(cli) == balances(cli)["Assets:Inventory"] == Decimal("90.00")

    out = cli("purchase", "bill", "1", "--number", "ΤΠ-118", "--date", "2026-11-03").stdout
    assert out.split()[0] == "BIL-A-0001"
    po = only_at(office, "back/purchases/billed/PO-A-0001.yaml")
    assert po["bill"] == "BIL-A-0001" and actions(po)[-1] == "bill"
    bill = only_at(office, "back/bills/open/BIL-A-0001.yaml")
    assert (bill["supplier"], bill["purchase"], bill["number"], bill["date"], bill["due"]) == (
        "SUP-A-0001",
        "PO-A-0001",
        "ΤΠ-118",
        "2026-11-03",
        "2026-12-03",
    )
    assert bill["vat"] == {"24": {"net": "40.00", "vat": "9.60"}, "6": {"net": "50.00", "vat": "3.00"}}
    assert (bill["net"], bill["gross"], bill["total"]) == ("90.00", "102.60", "102.60")
    assert "difference" not in bill and actions(bill) == ["book"]
    [t] = by_ref(office, "BIL-A-0001", "bill")
    assert postings(t) == {
        "Liabilities:GRNI": "90.00",
        "Assets:VATInput": "12.60",
        "Liabilities:Payable": "-102.60",
    }
    assert t["date"] == "2026-11-03"
    assert balances(cli).get("Liabilities:GRNI", Decimal("0")) == 0

    clock.set("2026-11-20T10:00:00+02:00")
    out = cli("bill", "pay", "1", "50.00").stdout
    assert "52.60 EUR still owed" in out
    bill = only_at(office, "back/bills/open/BIL-A-0001.yaml")
    assert actions(bill) == ["book", "payment"]
    cli("bill", "pay", "1", "all", "--method", "cash")
    bill = only_at(office, "back/bills/paid/BIL-A-0001.yaml")
    assert actions(bill) == ["book", "payment", "pay"]
    po = only_at(office, "archive/purchases/closed/2026/PO-A-0001.yaml")
    assert actions(po)[-1] == "close"
    pays = by_ref(office, "BIL-A-0001", "bill-payment")
    assert [postings(p) for p in pays] == [
        {"Liabilities:Payable": "50.00", "Assets:Bank": "-50.00"},
        {"Liabilities:Payable": "52.60", "Assets:Cash": "-52.60"},
    ]
    b = balances(cli)
    assert b.get("Liabilities:Payable", Decimal("0")) == 0 and b["Assets:VATInput"] == Decimal("12.60")
    cli("ledger", "check")
    cli("doctor")

    trace = json.loads(cli("purchase", "trace", "1", "--format", "json").stdout)
    ids = [r["id"] for r in trace]
    assert {"PO-A-0001", "MOV-A-0001", "BIL-A-0001"} <= set(ids)
    assert all(t_id in ids for t_id in txns(office))  # every entry is the PO's
    assert ids.count("PO-A-0001") == len(po["history"])  # its own steps, once each


def test_partial_receipt_and_a_bill_with_a_difference(buying, office, refused):
    cli = buying
    cli("purchase", "add", "--supplier", "1", "MUG:10@4.00", "BOOK:5@10.00")
    cli("purchase", "order", "1")
    cli("purchase", "receive", "1", "MUG:6")
    refused(
        "purchase",
        "bill",
        "1",
        "--number",
        "F-1",
        "--date",
        "2026-11-02",
        "--total",
        "40.00",
        match="differs from what was received (29.76",
    )
    cli(
        "purchase",
        "bill",
        "1",
        "--number",
        "F-1",
        "--date",
        "2026-11-02",
        "--total",
        "30.26",
        "--accept-difference",
    )
    bill = only_at(office, "back/bills/open/BIL-A-0001.yaml")
    assert (bill["net"], bill["gross"], bill["total"], bill["difference"]) == (
        "24.00",
        "29.76",
        "30.26",
        "0.50",
    )
    assert [line["qty"] for line in bill["lines"]] == [6]
    [t] = by_ref(office, "BIL-A-0001", "bill")
    assert postings(t) == {
        "Liabilities:GRNI": "24.00",
        "Assets:VATInput": "5.76",
        "Expenses:PurchaseDifferences": "0.50",
        "Liabilities:Payable": "-30.26",
    }
    po = only_at(office, "back/purchases/billed/PO-A-0001.yaml")
    assert "no longer expected: MUG 4, BOOK 5" in po["history"][-1]["note"]
    assert balances(cli).get("Liabilities:GRNI", Decimal("0")) == 0
    refused("purchase", "receive", "1", match="state is billed")
    assert stock_value(cli) == balances(cli)["Assets:Inventory"] == Decimal("24.00")


def test_a_cent_of_rounding_is_taken_and_posted(buying, office):
    buying("purchase", "add", "--supplier", "1", "MUG:3@4.00")
    buying("purchase", "order", "1")
    buying("purchase", "receive", "1")
    buying("purchase", "bill", "1", "--number", "F-1", "--date", "2026-11-02", "--total", "14.87")
    [t] = by_ref(office, "BIL-A-0001", "bill")
    assert postings(t)["Expenses:PurchaseDifferences"] == "-0.01"


def test_receipts_move_the_average_cost_and_stock_value_equals_inventory(buying, office, clock):
    cli = buying
    cli("purchase", "add", "--supplier", "1", "MUG:10@4.00")
    cli("purchase", "order", "1")
    cli("purchase", "receive", "1")
    cli("purchase", "add", "--supplier", "1", "MUG:10@5.00")
    cli("purchase", "order", "2")
    cli("purchase", "receive", "2")
    row = json.loads(cli("stock", "list", "--format", "json").stdout)[0]
    assert (row["on_hand"], row["cost"], row["value"]) == (20, "4.50", "90.00")
    assert stock_value(cli) == balances(cli)["Assets:Inventory"] == Decimal("90.00")


def test_refusals_change_nothing(buying, refused, office):
    cli = buying
    cli("product", "add", "VASE", "--name", "Βάζο", "--price", "40")
    cli("purchase", "add", "--supplier", "1", "MUG:10@4.00")
    refused("purchase", "receive", "1", match="state is draft")
    cli("purchase", "order", "1")
    refused("purchase", "edit", "1", "--add", "BOOK:1@10", match="'purchase edit' needs draft")
    refused("purchase", "receive", "1", "NOPE:1", match="no such SKU")
    refused("purchase", "receive", "1", "VASE:1", match="VASE is not on this order")
    refused("purchase", "receive", "1", "MUG:11", match="more than is still to come")
    refused(
        "purchase", "bill", "1", "--number", "F-1", "--date", "2026-11-02", match="nothing has been received"
    )
    cli("purchase", "receive", "1", "MUG:2")
    refused("purchase", "cancel", "1", "--reason", "x", match="already received")
    refused(
        "ledger", "reverse", by_ref(office, "PO-A-0001", "receipt")[0]["id"], match="not reversed by hand"
    )
    refused("purchase", "bill", "1", "--number", "F-1", "--date", "2026-12-24", match="in the future")
    cli("purchase", "bill", "1", "--number", "F-1", "--date", "2026-11-02")
    cli("purchase", "add", "--supplier", "1", "MUG:1@4.00")
    cli("purchase", "order", "2")
    cli("purchase", "receive", "2")
    refused(
        "purchase",
        "bill",
        "2",
        "--number",
        " f-1 ",
        "--date",
        "2026-11-02",
        match="already billed invoice F-1",
    )
    refused("bill", "pay", "1", "100.00", match="more than the 9.92 EUR still owed")
    refused("bill", "pay", "1", "0", match="more than 0")
    refused("purchase", "add", "--supplier", "1", "MUG:x@1", match="quantity")
    refused("purchase", "add", "--supplier", "9", "MUG:1@1", match="--supplier 9")
    cli("supplier", "add", "Άλλος")
    cli("purchase", "add", "--supplier", "2", "MUG:1@4.00")
    cli("purchase", "order", "3")
    cli("purchase", "receive", "3")
    cli("purchase", "bill", "3", "--number", "F-1", "--date", "2026-11-02")  # another supplier's F-1


def test_cancel_from_draft_or_ordered(buying, office):
    buying("purchase", "add", "--supplier", "1", "MUG:10@4.00")
    buying("purchase", "cancel", "1", "--reason", "λάθος")
    po = only_at(office, "archive/purchases/cancelled/2026/PO-A-0001.yaml")
    assert po["history"][-1]["note"] == "λάθος"


def test_stock_low_drafts_purchase_orders_by_supplier(buying, office):
    cli = buying
    cli("supplier", "add", "Μαρούσι")
    cli(
        "product",
        "add",
        "PLATE",
        "--name",
        "Πιάτο",
        "--price",
        "18",
        "--reorder-level",
        "4",
        "--supplier",
        "2",
        "--cost",
        "7.00",
    )
    cli("product", "add", "BOWL", "--name", "Μπολ", "--price", "9", "--reorder-level", "2", "--cost", "3")
    cli("stock", "receive", "MUG", "2", "--cost", "4.00")
    res = cli("stock", "low", "--draft-purchases")
    assert "BOWL: no usual supplier" in res.stderr
    made = [line.split()[0] for line in res.stdout.splitlines()]
    assert made == ["PO-A-0001", "PO-A-0002"]
    one = only_at(office, "back/purchases/draft/PO-A-0001.yaml")
    two = only_at(office, "back/purchases/draft/PO-A-0002.yaml")
    assert (one["supplier"], [(x["sku"], x["qty"], x["cost"]) for x in one["lines"]]) == (
        "SUP-A-0001",
        [("MUG", 8, "4.00")],
    )  # up to twice the level: 10 - 2
    assert (two["supplier"], [(x["sku"], x["qty"], x["cost"]) for x in two["lines"]]) == (
        "SUP-A-0002",
        [("PLATE", 8, "7.00")],
    )
    again = cli("stock", "low", "--draft-purchases")
    assert "no purchase order drafted" in again.stdout and "already on an open purchase order" in again.stderr


def test_list_show_reports_and_daily(buying, office, clock):
    cli = buying
    cli("purchase", "add", "--supplier", "1", "MUG:10@4.00")
    cli("purchase", "order", "1")
    cli("purchase", "receive", "1")
    cli("purchase", "bill", "1", "--number", "F-7", "--date", "2026-11-02")
    cli("purchase", "add", "--supplier", "1", "BOOK:2@10.00")
    assert cli("purchase", "list", "--state", "draft", "--format", "ids").stdout.split() == ["PO-A-0002"]
    rows = json.loads(cli("purchase", "list", "--format", "json").stdout)
    assert [(r["id"], r["state"], r["received"]) for r in rows] == [
        ("PO-A-0001", "billed", 10),
        ("PO-A-0002", "draft", 0),
    ]
    assert "THEIR CODE" in cli("purchase", "show", "1").stdout
    bills = json.loads(cli("bill", "list", "--format", "json").stdout)
    assert [(b["id"], b["owed"], b["overdue"]) for b in bills] == [("BIL-A-0001", "49.60", False)]
    clock.set("2027-01-20T10:00:00+02:00")
    assert cli("bill", "list", "--overdue", "--format", "ids").stdout.split() == ["BIL-A-0001"]
    aged = json.loads(cli("report", "aged", "payables", "--format", "json").stdout)
    assert [
        (r["id"], r["number"], r["bucket"], r["days"], r["owed"])
        for r in aged
        if r["state"] not in ("total", "check")
    ] == [("BIL-A-0001", "F-7", "31-60", 49, "49.60")]
    assert aged[-2]["id"] == "total" and aged[-2]["31-60"] == "49.60" and aged[-2]["owed"] == "49.60"
    assert aged[-1]["id"] == "Liabilities:Payable" and aged[-1]["owed"] == "49.60" and aged[-1]["agrees"]
    summary = json.loads(cli("report", "aged", "payables", "--summary", "--format", "json").stdout)
    assert summary[0]["31-60"] == "49.60" and summary[0]["total"] == "49.60"
    daily = {
        r["id"]: r["value"]
        for r in json.loads(cli("report", "daily", "--date", "2026-11-02", "--format", "json").stdout)
        if r["label"] != "handoff"
    }
    assert daily["purchases.open"] == "1 / 0"
    assert daily["purchases.received"] == "1 (10)"
    assert daily["bills.open"] == "1  49.60 EUR (1)"
    assert daily["returns.open"] == "0 / 0"
    shown = json.loads(cli("supplier", "show", "1", "--format", "json").stdout)[0]
    assert shown["owed"] == "49.60" and [p["id"] for p in shown["purchases"]] == ["PO-A-0001", "PO-A-0002"]


def test_the_vat_return_has_input_vat_from_bills_and_output_vat_less_credits(buying, office):
    cli = buying
    cli("purchase", "add", "--supplier", "1", "MUG:10@4.00")
    cli("purchase", "order", "1")
    cli("purchase", "receive", "1")
    cli("purchase", "bill", "1", "--number", "F-1", "--date", "2026-11-02")
    cli("customer", "add", "Μαρία")
    cli("order", "add", "--customer", "1", "MUG:2")
    cli("order", "forward", "1")
    cli("order", "ship", "1")
    cli("order", "invoice", "1")
    cli("invoice", "credit", "1", "--lines", "MUG:1")
    cli(
        "ledger",
        "post",
        "--ref",
        "SUP-A-0001",
        "--control",
        "Power",
        "Expenses:Utilities",
        "10.00",
        "Liabilities:VAT",
        "2.40",
        "Assets:Bank",
    )  # a control account: ref + --control
    rows = json.loads(
        cli("report", "vat", "--begin", "2026-11", "--end", "2026-12", "--format", "json").stdout
    )
    got = {r["id"]: (r.get("net"), r.get("vat")) for r in rows}
    assert got["output 24%"] == ("25.00", "6.00")  # 25.00 invoiced
    assert got["credited 24%"] == ("-12.50", "-3.00")  # 12.50 credited
    assert got["input 24%"] == ("40.00", "9.60")
    assert (got["output"][1], got["credited"][1], got["input"][1], got["manual_input"][1], got["due"][1]) == (
        "6.00",
        "-3.00",
        "9.60",
        "2.40",
        "-9.00",
    )
    assert "net VAT due" in cli("report", "vat").stdout
