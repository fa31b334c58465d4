"""Customer money on account (issue 23): `customer pay C AMOUNT` holds a payment that matches
no invoice on Liabilities:CustomerCredit; `customer show`, the statement and aged receivables
show it; `invoice pay N --from-credit` applies it."""

from __future__ import annotations

import json

from tests.books.test_real_tools import all_agree


def statement(office) -> dict:
    from officecli.office.core import Office
    from officecli.office.front import documents

    return documents.statement(Office.open(str(office)), "1")


def invoiced(cli, clock):
    clock.set("2026-11-02T10:00:00+02:00")
    cli("product", "add", "MUG", "--name", "Κούπα", "--price", "100.00")
    cli("customer", "add", "Ταβέρνα")
    cli("customer", "add", "Καφενείο")
    cli("stock", "receive", "MUG", "10", "--cost", "4.00")
    cli("order", "add", "--customer", "1", "MUG:1")
    cli("order", "forward", "1")
    cli("order", "ship", "1")
    cli("order", "invoice", "1")  # 124.00


def test_money_on_account_is_shown_and_applied(cli, clock, office, tmp_path):
    invoiced(cli, clock)
    cli("customer", "pay", "1", "150.00")
    shown = json.loads(cli("customer", "show", "1", "--format", "json").stdout)[0]
    assert shown["on_account"] == "150.00" and shown["owed"] == "124.00"
    aged = json.loads(cli("report", "aged", "receivables", "--format", "json").stdout)
    rows = {r["id"]: r for r in aged}
    assert rows["on account CUS-A-0001"]["owed"] == "-150.00"
    assert rows["total"]["owed"] == "-26.00" and rows["Assets:Receivable"]["agrees"]
    doc = statement(office)
    assert doc["closing"] == "-26.00" and any(line["what"] == "on account" for line in doc["lines"])
    cli("ledger", "check")
    cli("invoice", "pay", "1", "--from-credit")
    shown = json.loads(cli("customer", "show", "1", "--format", "json").stdout)[0]
    assert shown["on_account"] == "26.00" and shown["owed"] == "0.00"
    inv = json.loads(cli("invoice", "show", "1", "--format", "json").stdout)[0]
    assert inv["state"] == "paid"
    doc = statement(office)
    assert doc["closing"] == "-26.00" and len(doc["lines"]) == 2  # applying it moves nothing
    cli("ledger", "check")
    all_agree(office, tmp_path)


def test_credit_is_the_customers_own_and_never_overdrawn(cli, clock, office, refused):
    invoiced(cli, clock)
    refused("invoice", "pay", "1", "--from-credit", match="no money on account")
    cli("customer", "pay", "2", "500.00")
    refused("invoice", "pay", "1", "--from-credit", match="no money on account")  # another customer's
    cli("customer", "pay", "1", "20.00")
    refused("invoice", "pay", "1", "30.00", "--from-credit", match="only 20.00")
    refused("invoice", "pay", "1", "all", "--from-credit", match="only 20.00")
    cli("invoice", "pay", "1", "--from-credit")  # 20.00 of 124.00
    inv = json.loads(cli("invoice", "show", "1", "--format", "json").stdout)[0]
    assert inv["owed"] == "104.00" and inv["state"] == "open"
    refused("customer", "pay", "1", "0", match="more than 0")
    refused(
        "ledger", "post", "Fix", "Liabilities:CustomerCredit", "5", "Assets:Bank", match="control account"
    )
    cli("ledger", "check")
