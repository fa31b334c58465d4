"""Payables that reconcile (issue 23, faults 1 and 2) and bills without a purchase order.

A `stock receive` without a PO owes no supplier yet: it waits in Liabilities:GRNI
(the clearing account `ledger check` proves) until `bill add --receipt` bills it.
Liabilities:Payable holds nothing but bills, so it equals aged payables and the
open bills; `report aged payables --date` ages as of that day; `bill add` books
rent, utilities and services with their input VAT.
"""

from __future__ import annotations

import json
from decimal import Decimal

from tests.books.test_real_tools import all_agree


def balances(cli) -> dict[str, Decimal]:
    rows = json.loads(cli("ledger", "balance", "--flat", "--format", "json").stdout)
    return {r["account"]: Decimal(r["balance"]) for r in rows}


def aged(cli, *more):
    rows = json.loads(cli("report", "aged", "payables", *more, "--format", "json").stdout)
    return {r["id"]: r for r in rows}


def test_receipt_without_po_waits_in_grni_until_a_bill_names_it(cli, office, clock, tmp_path):
    cli("supplier", "add", "Εργαστήριο Σίφνου")
    cli("product", "add", "MUG", "--name", "Κούπα", "--price", "12.50")
    mov = cli("stock", "receive", "MUG", "10", "--cost", "4.20", "--format", "ids").stdout.strip()
    bal = balances(cli)
    assert bal["Liabilities:GRNI"] == Decimal("-42.00")
    assert "Liabilities:Payable" not in bal  # before the fix: -42.00 that no supplier was owed
    rows = aged(cli)
    assert rows["Liabilities:Payable"]["owed"] == "0.00" and rows["Liabilities:Payable"]["agrees"]
    cli("ledger", "check")
    bill = cli(
        "bill", "add", "--supplier", "1", "--date", "2026-01-10", "--receipt", f"{mov}:24", "--format", "ids"
    ).stdout.strip()
    bal = balances(cli)
    assert "Liabilities:GRNI" not in bal
    assert bal["Liabilities:Payable"] == Decimal("-52.08") and bal["Assets:VATInput"] == Decimal("10.08")
    rows = aged(cli)
    assert rows[bill]["owed"] == "52.08" and rows["Liabilities:Payable"]["agrees"]
    cli("ledger", "check")
    cli("bill", "add", "--supplier", "1", "--date", "2026-01-10", "--receipt", mov, code=1)
    all_agree(office, tmp_path)


def test_ledger_check_names_a_payable_that_no_bill_explains(cli, office):
    cli("supplier", "add", "Εργαστήριο Σίφνου")
    cli("bill", "add", "--supplier", "1", "--date", "2026-01-10", "--line", "Ενοίκιο:100.00:24")
    bill = json.loads(cli("bill", "list", "--format", "json").stdout)[0]["id"]
    cli("ledger", "post", "--ref", bill, "--control", "Fix", "Liabilities:Payable", "-5", "Expenses:Other")
    cli("ledger", "check")
    cust = cli("customer", "add", "Ταβέρνα", "--format", "ids").stdout.strip()
    cli("ledger", "post", "--ref", cust, "--control", "Odd", "Liabilities:Payable", "-7", "Expenses:Other")
    result = cli("ledger", "check", code=1)
    assert "names no bill" in result.stdout + result.stderr
    result = cli("report", "aged", "payables", code=1)
    assert "DISAGREES" in result.stdout


def test_aged_payables_as_of_a_day_leaves_later_bills_and_payments_out(cli, office, clock):
    clock.set("2026-03-20T10:00:00+02:00")
    cli("supplier", "add", "ΔΕΗ")
    cli(
        "bill", "add", "--supplier", "1", "--date", "2026-02-10", "--line", "Ρεύμα:40.00:6:Expenses:Utilities"
    )
    cli("bill", "pay", "1", "20.00", "--date", "2026-03-01")
    cli(
        "bill",
        "add",
        "--supplier",
        "1",
        "--date",
        "2026-03-10",
        "--line",
        "Ρεύμα:50.00:24:Expenses:Utilities",
    )
    rows = aged(cli, "--date", "2026-02-28")
    assert [r for r in rows if r.startswith("BIL-")] == ["BIL-A-0001"]
    assert rows["BIL-A-0001"]["owed"] == "42.40"  # before the fix: 22.40, and BIL-2 listed
    assert rows["Liabilities:Payable"]["owed"] == "42.40" and rows["Liabilities:Payable"]["agrees"]
    rows = aged(cli)
    assert rows["BIL-A-0001"]["owed"] == "22.40" and rows["BIL-A-0002"]["owed"] == "62.00"


def test_bill_without_po_books_expense_input_vat_and_is_paid(cli, office, clock, tmp_path):
    clock.set("2026-03-20T10:00:00+02:00")
    cli("ledger", "post", "--date", "2026-03-01", "Κεφάλαιο", "Assets:Bank", "5000", "Equity:Capital")
    cli("supplier", "add", "Ιδιοκτήτης", "--terms", "10")
    bill = cli(
        "bill",
        "add",
        "--supplier",
        "1",
        "--date",
        "2026-03-01",
        "--number",
        "Μ-3",
        "--line",
        "Ενοίκιο:500.00:24:Expenses:Rent",
        "--line",
        "Καθαριότητα:33.33:24",
        "--line",
        "Βιβλία:10.00:6",
        "--format",
        "ids",
    ).stdout.strip()
    show = json.loads(cli("bill", "show", bill, "--format", "json").stdout)[0]
    assert show["due"] == "2026-03-11" and show["total"] == "671.93"  # 543.33 + 128.00 (24% of 533.33) + 0.60
    bal = balances(cli)
    assert bal["Expenses:Rent"] == Decimal("500.00") and bal["Expenses:Other"] == Decimal("43.33")
    vat = json.loads(cli("report", "vat", "--period", "2026-03", "--format", "json").stdout)
    assert any(r.get("state") == "input" and r.get("rate") == "24" for r in vat)
    cli("report", "vat", "--period", "2026-03")
    cli("bill", "pay", bill, "all")
    assert aged(cli)["Liabilities:Payable"]["owed"] == "0.00"
    cli(
        "bill",
        "add",
        "--supplier",
        "1",
        "--date",
        "2026-03-02",
        "--number",
        "μ-3 ",
        "--line",
        "x:1:24",
        code=1,
    )
    cli("bill", "add", "--supplier", "1", "--date", "2026-03-02", "--line", "x:1:23", code=1)
    cli("bill", "add", "--supplier", "1", "--date", "2026-03-02", "--line", "x:1:24:Liabilities:VAT", code=1)
    cli("bill", "add", "--supplier", "1", "--date", "2026-03-02", code=1)
    cli("ledger", "check")
    all_agree(office, tmp_path)


def test_vat_as_the_supplier_printed_it_is_booked_and_its_difference_shown(cli, office, clock):
    clock.set("2026-03-20T10:00:00+02:00")
    cli("supplier", "add", "ΔΕΗ")
    bill = cli(
        "bill",
        "add",
        "--supplier",
        "1",
        "--date",
        "2026-03-05",
        "--line",
        "Ρεύμα α:40.33:6:Expenses:Utilities",
        "--line",
        "Ρεύμα β:40.33:6:Expenses:Utilities",
        "--vat-total",
        "4.85",
        "--format",
        "ids",
    ).stdout.strip()
    show = json.loads(cli("bill", "show", bill, "--format", "json").stdout)[0]
    assert show["vat_printed"] == "4.85" and show["vat_difference"] == "0.01"  # ours: 80.66 x 6% = 4.84
    assert show["total"] == "85.51"
    bal = balances(cli)
    assert bal["Assets:VATInput"] == Decimal("4.85") and "Expenses:PurchaseDifferences" not in bal
    text = cli("report", "vat", "--period", "2026-03").stdout
    assert "difference" in text
    vat = json.loads(cli("report", "vat", "--period", "2026-03", "--format", "json").stdout)
    total_input = [r for r in vat if r.get("id") == "input"]
    assert total_input and total_input[0]["vat"] == "4.85", vat
    cli("ledger", "check")


def test_ledger_accounts_marks_control_accounts(cli):
    rows = {r["account"]: r for r in json.loads(cli("ledger", "accounts", "--format", "json").stdout)}
    for acct in ("Assets:Receivable", "Liabilities:Payable", "Liabilities:GRNI", "Liabilities:VATDue"):
        assert rows[acct]["control"] is True, acct
    assert rows["Assets:Bank"]["control"] is False and rows["Expenses:Rent"]["control"] is False
    table = cli("ledger", "accounts").stdout
    line = next(x for x in table.splitlines() if x.startswith("Liabilities:Payable "))
    assert "control" in line
