"""Closed periods and the year end: nothing inside a closed period changes, by any command."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.books.test_real_tools import all_agree


@pytest.fixture
def books(cli, clock):
    clock.set("2026-10-05T10:00:00+03:00")
    cli("ledger", "post", "--date", "2026-10-01", "Opening capital", "Assets:Bank", "10000", "Equity:Capital")
    cli("product", "add", "MUG", "--name", "Κούπα", "--price", "12.50")
    cli("customer", "add", "Ταβέρνα")
    cli("stock", "receive", "MUG", "10", "--cost", "4.00")
    order = cli("order", "add", "--customer", "1", "MUG:2", "--format", "ids").stdout.strip()
    cli("order", "forward", order)
    cli("order", "ship", order)
    cli("order", "invoice", order)
    cli("ledger", "post", "--date", "2026-10-05", "Rent", "Expenses:Rent", "800", "Assets:Bank")
    clock.set("2026-11-03T10:00:00+02:00")
    return cli


def test_close_a_month_then_nothing_inside_it_changes(books, refused, office):
    books("ledger", "close", "2026-10")
    assert "closed_through: '2026-10-31'" in (office / "office.yaml").read_text("utf-8")
    rows = json.loads(books("ledger", "periods", "--format", "json").stdout)
    assert rows[0]["closed_through"] == "2026-10-31"
    refused(
        "ledger",
        "post",
        "--date",
        "2026-10-31",
        "Late",
        "Expenses:Rent",
        "1",
        "Assets:Bank",
        match="inside the closed period",
    )
    refused("invoice", "pay", "1", "all", "--date", "2026-10-20", match="closed period")
    books("invoice", "pay", "1", "10.00", "--date", "2026-11-01")  # after it: fine
    books("ledger", "post", "--date", "2026-11-01", "Rent", "Expenses:Rent", "800", "Assets:Bank")
    refused("ledger", "close", "2026-09", match="already closed")
    refused("ledger", "close", "2026-11", match="not before today")
    books("ledger", "check")


def test_every_command_is_refused_inside_a_closed_period(books, refused, clock):
    clock.set("2026-11-30T10:00:00+02:00")
    books("ledger", "close", "2026-10")
    clock.set("2026-10-31T10:00:00+02:00")  # a machine whose clock is behind, say
    refused("stock", "receive", "MUG", "1", "--cost", "4.00", match="closed period")
    refused("stock", "adjust", "MUG", "-1", "--reason", "broken", match="closed period")
    refused("invoice", "credit", "1", "--amount", "1.00", match="closed period")
    refused("ledger", "reverse", "TXN-A-0001", match="closed period")


def test_payroll_for_a_closed_month_is_refused(cli, clock, refused):
    clock.set("2026-11-03T10:00:00+02:00")
    cli(
        "employee",
        "add",
        "Άννα",
        "--office",
        "back",
        "--department",
        "hr",
        "--title",
        "Clerk",
        "--salary",
        "1500.00",
        "--start",
        "2026-09-01",
    )
    cli("payroll", "run", "2026-09")
    cli("ledger", "close", "2026-10")
    refused("payroll", "run", "2026-10", "--date", "2026-11-02", match="closed period")


def test_the_year_end_posts_income_and_expenses_to_retained(books, clock, tmp_path, office):
    clock.set("2027-01-10T10:00:00+02:00")
    out = books("ledger", "close", "--year", "2026").stdout
    assert "closed through 2026-12-31" in out
    txn = json.loads(books("ledger", "register", "--format", "json", "Retained").stdout)
    assert len(txn) == 1 and txn[0]["date"] == "2026-12-31"
    flat = {
        r["account"]: Decimal(r["balance"])
        for r in json.loads(books("ledger", "balance", "--flat", "--format", "json").stdout)
    }
    assert not [a for a in flat if a.startswith(("Income", "Expenses"))]  # all zero now
    assert flat["Equity:Retained"] == Decimal("-25.00") + Decimal("800.00") + Decimal("8.00")
    books("ledger", "check")
    all_agree(office, tmp_path)
    refused = books("ledger", "reverse", txn[0]["id"], ok=False)
    assert refused.exit_code == 1 and "ledger close --year" in refused.stderr


def test_future_dates_and_control_accounts_are_refused(books, refused):
    refused(
        "ledger",
        "post",
        "--date",
        "2026-11-04",
        "Soon",
        "Expenses:Rent",
        "1",
        "Assets:Bank",
        match="after today",
    )
    refused(
        "ledger",
        "post",
        "Fix",
        "Assets:Inventory",
        "1",
        "Expenses:Other",
        match="Assets:Inventory: a control account",
    )
    refused(
        "ledger",
        "post",
        "--ref",
        "INV-A-0001",
        "Fix",
        "Assets:Receivable",
        "1",
        "Income:Other",
        match="add --control",
    )
    refused(
        "ledger",
        "post",
        "--ref",
        "INV-A-0099",
        "--control",
        "Fix",
        "Assets:Receivable",
        "1",
        "Income:Other",
        match="no such record",
    )
    books(
        "ledger",
        "post",
        "--ref",
        "INV-A-0001",
        "--control",
        "Fee kept",
        "Expenses:Other",
        "1",
        "Assets:Receivable",
    )
    books("ledger", "check")


def test_entries_a_command_posted_name_the_command_that_corrects_them(books, refused):
    refused("ledger", "reverse", "TXN-A-0002", match="'stock adjust SKU -N")
    refused("ledger", "reverse", "TXN-A-0003", match="'return add ORDER")
    refused("ledger", "reverse", "TXN-A-0004", match="'invoice credit INV'")


def test_credit_notes_are_dated_in_order_and_never_before_their_invoice(books, clock, refused, office):
    clock.set("2026-11-20T10:00:00+02:00")
    books("invoice", "credit", "1", "--amount", "1.00")
    clock.set("2026-11-10T10:00:00+02:00")  # a clock that went back
    refused("invoice", "credit", "1", "--amount", "1.00", match="numbered in date order")
    clock.set("2026-10-01T10:00:00+03:00")
    refused("invoice", "credit", "1", "--amount", "1.00", match="")


def test_a_bad_closed_through_is_named(books, office):
    path = office / "office.yaml"
    path.write_text(path.read_text("utf-8") + "books:\n  closed_through: yesterday\n", "utf-8")
    result = books("ledger", "check", ok=False)
    assert result.exit_code == 1 and "books.closed_through" in result.stderr
