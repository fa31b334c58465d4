"""Buying and taking back, in the books: hledger, ledger-cli and beancount agree to the cent,
and the stock's value is what Assets:Inventory says after receipts, returns and write-offs."""

from __future__ import annotations

import json
from decimal import Decimal

from tests.books.test_real_tools import all_agree


def test_purchases_bills_returns_credits_and_refunds_agree_in_every_tool(cli, office, clock, tmp_path):
    cli("ledger", "post", "--date", "2026-10-01", "Κεφάλαιο", "Assets:Bank", "10000", "Equity:Capital")
    cli("supplier", "add", "Εργαστήριο Σίφνου", "--terms", "30")
    cli("supplier", "add", "Κεραμοποιία Μαρούσι")
    cli("product", "add", "MUG", "--name", "Κούπα", "--price", "12.50", "--supplier", "1")
    cli("product", "add", "BOOK", "--name", "Βιβλίο", "--price", "22.00", "--vat", "6")
    cli("purchase", "add", "--supplier", "1", "MUG:20@4.00", "BOOK:10@10.00")
    cli("purchase", "order", "1")
    cli("purchase", "receive", "1", "MUG:10")  # partial
    cli("purchase", "receive", "1", "BOOK:10")
    cli(
        "purchase",
        "bill",
        "1",
        "--number",
        "ΤΠ-1",
        "--date",
        "2026-11-02",
        "--total",
        "156.00",
        "--accept-difference",
    )  # 49.60 + 106.00 = 155.60; +0.40
    cli("purchase", "add", "--supplier", "2", "MUG:10@5.00")
    cli("purchase", "order", "2")
    cli("purchase", "receive", "2")  # average 4.50, not billed (GRNI)
    clock.set("2026-11-10T10:00:00+02:00")
    cli("bill", "pay", "1", "100.00")
    cli("customer", "add", "Ταβέρνα")
    cli("order", "add", "--customer", "1", "MUG:4", "BOOK:2")
    cli("order", "forward", "1")
    cli("order", "ship", "1")
    cli("order", "invoice", "1")
    cli("invoice", "pay", "1", "all")
    cli("return", "add", "--order", "1", "MUG:2", "BOOK:1", "--reason", "σπασμένα")
    cli("return", "receive", "1", "--damaged", "MUG:1")
    cli("return", "credit", "1")
    cli("invoice", "refund", "1", "20.00")
    cli("invoice", "credit", "1", "--amount", "5.00", "--reason", "έκπτωση")
    cli("ledger", "check")
    ours = all_agree(office, tmp_path)
    for acct in (
        "Liabilities:GRNI",
        "Assets:VATInput",
        "Expenses:WriteOffs",
        "Expenses:PurchaseDifferences",
        "Liabilities:Payable",
        "Assets:Receivable",
    ):
        assert acct in ours, acct
    assert ours["Liabilities:GRNI"] == Decimal("-50.00")  # PO 2, received, not billed
    assert ours["Liabilities:Payable"] == Decimal("-56.00")
    rows = json.loads(cli("stock", "list", "--all", "--format", "json").stdout)
    assert sum((Decimal(r["value"]) for r in rows), Decimal("0")) == ours["Assets:Inventory"]
