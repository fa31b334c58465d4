"""invoice credit --lines|--amount (partial credit notes) and invoice refund; owed both ways."""

from __future__ import annotations

import json

from tests.cli.test_purchases import actions, by_ref, postings
from tests.cli.test_returns import sold  # noqa: F401  (fixture)
from tests.conftest import only_at


def owed(cli, inv="1"):
    return json.loads(cli("invoice", "show", inv, "--format", "json").stdout)[0]["owed"]


def test_credit_by_lines_then_refund(sold, office, refused):  # noqa: F811
    cli = sold
    cli("invoice", "credit", "1", "--lines", "MUG:1", "--reason", "μία κούπα")
    crn = only_at(office, "back/invoices/credit-notes/CRN-A-0001.yaml")
    assert (crn["net"], crn["gross"], crn["vat"]) == (
        "12.50",
        "15.50",
        {"24": {"net": "12.50", "vat": "3.00"}},
    )
    [c] = by_ref(office, "INV-A-0001", "credit")
    assert postings(c) == {"Income:Sales": "12.50", "Liabilities:VAT": "3.00", "Assets:Receivable": "-15.50"}
    assert owed(cli) == "-15.50"
    refused("invoice", "credit", "1", "--lines", "MUG:3", match="more pieces than were invoiced")
    refused("invoice", "credit", "1", "--lines", "VASE:1", match="no line with SKU VASE")
    refused("invoice", "credit", "1", "--lines", "MUG:1", "BOOK:3", match="BOOK 3 (invoiced 2")
    refused("invoice", "credit", "1", match="already partly credited by CRN-A-0001")
    refused("invoice", "refund", "1", "15.51", match="more than the 15.50 EUR owed back")
    aged = json.loads(cli("report", "aged", "receivables", "--format", "json").stdout)
    assert [(r["id"], r.get("bucket"), r["owed"]) for r in aged] == [
        ("INV-A-0001", "owed back", "-15.50"),
        ("total", None, "-15.50"),
        ("Assets:Receivable", None, "-15.50"),
    ]
    out = cli("invoice", "refund", "1", "all", "--method", "cash").stdout
    assert "nothing more owed back" in out
    [r] = by_ref(office, "INV-A-0001", "refund")
    assert postings(r) == {"Assets:Receivable": "15.50", "Assets:Cash": "-15.50"}
    inv = only_at(office, "back/invoices/paid/INV-A-0001.yaml")
    assert actions(inv)[-2:] == ["credit", "refund"]
    assert owed(cli) == "0.00"
    refused("invoice", "refund", "1", "1.00", match="nothing is owed back")
    assert json.loads(cli("customer", "show", "1", "--format", "json").stdout)[0]["owed"] == "0.00"
    cli("ledger", "check")


def test_credit_by_amount_splits_over_the_vat_rates(sold, office, refused):  # noqa: F811
    cli = sold  # invoice: 37.50 + 9.00 (24%), 44.00 + 2.64 (6%) = 93.14
    refused("invoice", "credit", "1", "--amount", "93.15", match="more than the 93.14 EUR not yet credited")
    refused("invoice", "credit", "1", "--amount", "5", "--lines", "MUG:1", match="either")
    cli("invoice", "credit", "1", "--amount", "10.00", "--reason", "έκπτωση")
    crn = only_at(office, "back/invoices/credit-notes/CRN-A-0001.yaml")
    # 24%: 10 x 46.50 / 93.14 = 4.99, which no net + net x 24% makes (4.02 + 0.96 = 4.98,
    # 4.03 + 0.97 = 5.00): 4.98; 6%: the rest 5.02 -> net 4.74 + VAT 0.28 (issue 23, fault 10)
    assert crn["vat"] == {"24": {"net": "4.02", "vat": "0.96"}, "6": {"net": "4.74", "vat": "0.28"}}
    assert (crn["net"], crn["gross"]) == ("8.76", "10.00")
    [c] = by_ref(office, "INV-A-0001", "credit")
    assert postings(c) == {"Income:Sales": "8.76", "Liabilities:VAT": "1.24", "Assets:Receivable": "-10.00"}


def test_partial_credits_of_an_open_invoice_settle_or_credit_it(cli, office):
    cli("product", "add", "MUG", "--name", "Κούπα", "--price", "10.00")
    cli("stock", "receive", "MUG", "10", "--cost", "4.00")
    cli("customer", "add", "Μαρία")
    for _ in range(2):
        cli("order", "add", "--customer", "1", "MUG:2")
    for n in ("1", "2"):
        cli("order", "forward", n)
        cli("order", "ship", n)
        cli("order", "invoice", n)
    # INV 1 (24.80): half paid, then the rest credited -> settled (paid), order closed
    cli("invoice", "pay", "1", "12.40")
    cli("invoice", "credit", "1", "--lines", "MUG:1")
    only_at(office, "back/invoices/paid/INV-A-0001.yaml")
    only_at(office, "archive/orders/closed/2026/ORD-A-0001.yaml")
    assert owed(cli) == "0.00"
    # INV 2: credited line by line to its gross -> credited, order closed
    cli("invoice", "credit", "2", "--lines", "MUG:1")
    only_at(office, "back/invoices/open/INV-A-0002.yaml")
    assert owed(cli, "2") == "12.40"
    cli("invoice", "credit", "2", "--amount", "12.40")
    inv = only_at(office, "back/invoices/credited/INV-A-0002.yaml")
    assert actions(inv)[-1] == "credit" and inv["history"][-1]["to"] == "credited"
    only_at(office, "archive/orders/closed/2026/ORD-A-0002.yaml")
    assert json.loads(cli("customer", "show", "1", "--format", "json").stdout)[0]["owed"] == "0.00"
    cli("ledger", "check")
    cli("doctor")


def test_the_whole_credit_is_still_the_default(sold, office):  # noqa: F811
    sold("invoice", "credit", "1", "--reason", "λάθος")
    only_at(office, "back/invoices/credited/INV-A-0001.yaml")
    [c] = by_ref(office, "INV-A-0001", "credit")
    assert c["reverses"]
    assert owed(sold) == "-93.14"
    sold("invoice", "refund", "1", "all")
    assert owed(sold) == "0.00"
