"""report daily/sales/pnl: figures computed from the files, both offices at a glance."""

import json


def _one_order_through(cli, clock):
    cli("product", "add", "MUG-01", "--name", "Κούπα", "--price", "12.50", "--reorder-level", "5")
    cli("stock", "receive", "MUG-01", "10", "--cost", "4.00")
    cli("customer", "add", "Μαρία Παπαδοπούλου", "--email", "maria@example.gr")
    clock.set("2026-11-03T10:00:00+02:00")
    cli("order", "add", "--customer", "1", "MUG-01:2")
    cli("order", "forward", "1", user="sofia")
    clock.set("2026-11-03T12:00:00+02:00")
    cli("order", "ship", "1", user="kostas")
    cli("order", "invoice", "1", user="anna")


def test_daily_shows_both_offices_and_the_handoffs_of_the_day(cli, clock):
    _one_order_through(cli, clock)
    rows = json.loads(cli("--format", "json", "report", "daily", "--date", "2026-11-03").stdout)
    figures = {r["id"]: r for r in rows if r.get("label") != "handoff"}
    assert figures["orders.taken"]["value"] == "1  31.00 EUR"
    assert figures["orders.taken"]["state"] == "front"
    assert figures["invoices.open"]["value"] == "1  31.00 EUR"
    assert figures["invoices.open"]["state"] == "back"
    assert figures["stock.low"]["value"] == "none"
    moves = [(r["id"], r["action"], r["crossing"]) for r in rows if r.get("label") == "handoff"]
    assert ("ORD-A-0001", "forward", "front -> back") in moves
    assert ("ORD-A-0001", "ship", "") in moves
    table = cli("report", "daily", "--date", "2026-11-03").stdout
    assert "FRONT OFFICE" in table and "BACK OFFICE" in table and "front -> back" in table
    other_day = json.loads(cli("--format", "json", "report", "daily", "--date", "2026-11-04").stdout)
    assert not [r for r in other_day if r.get("label") == "handoff"]


def test_pnl_and_sales_agree_with_the_postings(cli, clock):
    _one_order_through(cli, clock)
    rows = json.loads(cli("--format", "json", "report", "pnl").stdout)
    amounts = {r["id"]: r["amount"] for r in rows}
    assert amounts == {"Income:Sales": "25.00", "Expenses:COGS": "-8.00", "net result": "17.00"}
    assert rows[-1] == {"id": "net result", "state": "total", "amount": "17.00"}
    assert "net result: 17.00 EUR" in cli("report", "pnl").stdout
    sales = json.loads(cli("--format", "json", "report", "sales", "--by", "product").stdout)
    assert [(s["id"], s["qty"], s["net"]) for s in sales] == [("MUG-01", 2, "25.00")]
    assert json.loads(cli("--format", "json", "report", "sales", "--begin", "2026-12").stdout) == []
