"""Year end (issue 23, fault 5): months and the year close in either order; P&L and sales
leave the closing entry out and equal the books for any period; the new year opens with
the balances carried (income and expenses at zero, their result in Equity:Retained)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.books.test_real_tools import all_agree


def year_of_books(cli, clock):
    clock.set("2026-03-01T10:00:00+02:00")
    cli("ledger", "post", "Κεφάλαιο", "Assets:Bank", "1000", "Equity:Capital")
    cli("product", "add", "MUG", "--name", "Κούπα", "--price", "10.00")
    cli("customer", "add", "Ταβέρνα")
    cli("stock", "receive", "MUG", "10", "--cost", "4.00")
    cli("order", "add", "--customer", "1", "MUG:3")
    cli("order", "forward", "1")
    cli("order", "ship", "1")
    cli("order", "invoice", "1")
    clock.set("2026-12-10T10:00:00+02:00")
    cli("ledger", "post", "Ενοίκιο", "Expenses:Rent", "5", "Assets:Bank")
    clock.set("2027-01-15T10:00:00+02:00")


def pnl(cli, *period) -> dict[str, str]:
    rows = json.loads(cli("report", "pnl", *period, "--format", "json").stdout)
    return {r["id"]: r["amount"] for r in rows}


def sales_net(cli, *period) -> Decimal:
    rows = json.loads(cli("report", "sales", *period, "--format", "json").stdout)
    return sum((Decimal(r["net"]) for r in rows), Decimal("0"))


@pytest.mark.parametrize("order", ["months first", "year first"])
def test_year_closes_in_either_order_and_reports_leave_the_closing_entry_out(
    cli, clock, office, tmp_path, order
):
    year_of_books(cli, clock)
    if order == "months first":
        cli("ledger", "close", "2026-12")
        out = cli("ledger", "close", "--year", "2026").stdout  # before the fix: 'already closed'
    else:
        out = cli("ledger", "close", "--year", "2026").stdout
        cli("ledger", "close", "2026-12", code=1)
    assert "TXN-" in out
    cli("ledger", "close", "--year", "2026", code=1)  # once
    entries = json.loads(cli("ledger", "periods", "--format", "json").stdout)
    assert [r for r in entries if r["state"] == "close"][0]["closed_through"] == "2026-12-31"
    assert (
        pnl(cli, "--begin", "2026", "--end", "2027")["net result"] == "13.00"
    )  # 30.00 sales - 12.00 COGS - 5.00 rent
    assert pnl(cli, "--begin", "2026-12", "--end", "2027")["net result"] == "-5.00"
    assert sales_net(cli, "--begin", "2026", "--end", "2027") == Decimal("30.00")
    header = cli("report", "pnl", "--begin", "2026", "--end", "2027").stdout.splitlines()[0]
    assert "closing entries left out" in header
    assert "closing entries left out" in cli("report", "sales", "--begin", "2026").stdout
    bal = json.loads(cli("ledger", "balance", "--flat", "--end", "2027-01-01", "--format", "json").stdout)
    bal = {r["account"]: r["balance"] for r in bal}
    assert "Income:Sales" not in bal and "Expenses:COGS" not in bal  # zero: carried into equity
    assert bal["Equity:Retained"] == "-13.00" and bal["Assets:Bank"] == "995.00"
    cli("ledger", "check")
    all_agree(office, tmp_path)
