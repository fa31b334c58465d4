"""VAT settled and paid (issue 23, fault 3): `vat settle P` posts the period's output VAT
against its input VAT into one amount owed to (or claimable from) the tax office, once;
`vat pay P` pays it; the next return is unaffected and its check line still agrees."""

from __future__ import annotations

import json

from tests.books.test_real_tools import all_agree


def vat(cli, period) -> dict[str, dict]:
    rows = json.loads(cli("report", "vat", "--period", period, "--format", "json").stdout)
    return {r["id"]: r for r in rows}


def quarter_of_sales(cli, clock):
    clock.set("2026-01-10T10:00:00+02:00")
    cli("ledger", "post", "Κεφάλαιο", "Assets:Bank", "1000", "Equity:Capital")
    cli("supplier", "add", "Ιδιοκτήτης")
    cli("product", "add", "MUG", "--name", "Κούπα", "--price", "100.00")
    cli("customer", "add", "Ταβέρνα")
    cli("stock", "receive", "MUG", "10", "--cost", "4.00")
    cli("order", "add", "--customer", "1", "MUG:3")
    cli("order", "forward", "1")
    cli("order", "ship", "1")
    cli("order", "invoice", "1")  # 300.00 + 72.00 VAT
    cli("bill", "add", "--supplier", "1", "--date", "2026-01-08", "--line", "Ενοίκιο:200.00:24:Expenses:Rent")


def test_settle_pay_and_the_next_return_is_unaffected(cli, clock, office, tmp_path):
    quarter_of_sales(cli, clock)
    clock.set("2026-03-20T10:00:00+02:00")
    cli("vat", "settle", "2026-Q1", code=1)  # not over yet
    clock.set("2026-04-10T10:00:00+03:00")
    q1 = vat(cli, "2026-Q1")
    assert q1["due"]["vat"] == "24.00"  # 72.00 - 48.00
    out = cli("report", "vat", "--period", "2026-Q1", "--settle").stdout
    assert "24.00 EUR owed to the tax office" in out
    cli("vat", "settle", "2026-Q1", code=1)  # once
    cli("vat", "settle", "2026-03", code=1)  # overlaps
    bal = {
        r["account"]: r["balance"]
        for r in json.loads(cli("ledger", "balance", "--flat", "--format", "json").stdout)
    }
    assert (
        bal["Liabilities:VATDue"] == "-24.00"
        and "Liabilities:VAT" not in bal
        and "Assets:VATInput" not in bal
    )
    cli("ledger", "check")
    cli("vat", "pay", "2026-Q1")
    cli("vat", "pay", "2026-Q1", code=1)  # once
    cli("ledger", "check")
    # the next quarter: its own documents only, the settlement and the payment left out
    cli("order", "add", "--customer", "1", "MUG:1")
    cli("order", "forward", "2")
    cli("order", "ship", "2")
    cli("order", "invoice", "2")  # 24.00 VAT
    clock.set("2026-07-02T10:00:00+03:00")
    q2 = vat(cli, "2026-Q2")
    assert q2["due"]["vat"] == "24.00"  # before the fix (paid by a manual post): -48.00
    assert all(r["agrees"] for r in q2.values() if r["state"] == "check")
    assert all(r["agrees"] for r in vat(cli, "2026-Q1").values() if r["state"] == "check")
    year = vat(cli, "2026")
    assert year["due"]["vat"] == "48.00" and all(r["agrees"] for r in year.values() if r["state"] == "check")
    listed = json.loads(cli("vat", "list", "--format", "json").stdout)
    assert [(r["id"], r["state"], r["due"]) for r in listed] == [("2026-Q1", "paid", "24.00")]
    all_agree(office, tmp_path)


def test_a_claim_is_settled_and_received_back(cli, clock, office):
    clock.set("2026-01-10T10:00:00+02:00")
    cli("supplier", "add", "Ιδιοκτήτης")
    cli("bill", "add", "--supplier", "1", "--date", "2026-01-05", "--line", "Ενοίκιο:100.00:24:Expenses:Rent")
    clock.set("2026-02-03T10:00:00+02:00")
    cli("vat", "pay", "2026-01", code=1)  # not settled
    out = cli("vat", "settle", "2026-01").stdout
    assert "24.00 EUR claimable" in out
    cli("vat", "pay", "2026-01")
    bal = {
        r["account"]: r["balance"]
        for r in json.loads(cli("ledger", "balance", "--flat", "--format", "json").stdout)
    }
    assert "Liabilities:VATDue" not in bal and bal["Assets:Bank"] == "24.00"
    cli("ledger", "check")
    cli("ledger", "post", "Fix", "Liabilities:VATDue", "1", "Assets:Bank", code=1)  # a control account
