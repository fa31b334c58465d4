"""Every subledger against its control account (`ledger check`), and stock that cannot drift."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.conftest import load


def inventory(cli) -> Decimal:
    rows = json.loads(cli("ledger", "balance", "--flat", "--format", "json", "Assets:Inventory").stdout)
    return sum((Decimal(r["balance"]) for r in rows), Decimal("0"))


def stock_row(cli, sku):
    return {r["sku"]: r for r in json.loads(cli("stock", "list", "--all", "--format", "json").stdout)}[sku]


@pytest.fixture
def shop(cli, clock):
    cli("product", "add", "MUG", "--name", "Κούπα", "--price", "12.50")
    cli("customer", "add", "Ταβέρνα")
    return cli


def ship(cli, *items):
    order = cli("order", "add", "--customer", "1", *items, "--format", "ids").stdout.strip()
    cli("order", "forward", order)
    cli("order", "ship", order)
    return order


def test_three_at_1_00_and_three_at_1_01_shipped_leave_nothing(shop, office):
    shop("stock", "receive", "MUG", "3", "--cost", "1.00")
    shop("stock", "receive", "MUG", "3", "--cost", "1.01")
    ship(shop, "MUG:6")
    assert inventory(shop) == 0  # was -0.03 with a rounded average
    row = stock_row(shop, "MUG")
    assert (row["on_hand"], row["value"]) == (0, "0.00")
    cogs = json.loads(shop("ledger", "balance", "--flat", "--format", "json", "COGS").stdout)
    assert cogs[0]["balance"] == "6.03"  # what the goods cost
    shop("ledger", "check")


def test_a_part_leaves_with_its_share_and_the_last_piece_with_the_rest(shop, office):
    shop("stock", "receive", "MUG", "3", "--cost", "1.01")
    shop("stock", "receive", "MUG", "1", "--cost", "1.00")  # 4.03 for 4
    ship(shop, "MUG:1")  # 4.03 / 4 = 1.0075 -> 1.01
    move = load(office, "back/stock/2026/11/MOV-A-0003.yaml")
    assert (move["qty"], move["value"], move["unit_cost"]) == (-1, "-1.01", "1.01")
    shop("stock", "adjust", "MUG", "-2", "--reason", "broken")  # 3.02 x 2/3 = 2.0133 -> 2.01
    assert load(office, "back/stock/2026/11/MOV-A-0004.yaml")["value"] == "-2.01"
    ship(shop, "MUG:1")  # the last one: exactly 1.01 left
    assert load(office, "back/stock/2026/11/MOV-A-0005.yaml")["value"] == "-1.01"
    assert inventory(shop) == 0 and stock_row(shop, "MUG")["value"] == "0.00"
    shop("ledger", "check")


def test_a_return_comes_back_at_what_it_left_with(shop, office):
    shop("stock", "receive", "MUG", "3", "--cost", "1.00")
    shop("stock", "receive", "MUG", "3", "--cost", "1.01")
    order = ship(shop, "MUG:4")  # 6.03 x 4/6 = 4.02
    shop("order", "invoice", order)
    rma = shop(
        "return", "add", "--order", order, "MUG:4", "--reason", "wrong colour", "--format", "ids"
    ).stdout.strip()
    shop("return", "receive", rma)
    # back at the unit cost they left with (4.02 / 4 -> 1.01): stock and Inventory agree
    assert stock_row(shop, "MUG")["value"] == str(inventory(shop)) == "6.05"
    ship(shop, "MUG:6")
    assert inventory(shop) == 0
    shop("ledger", "check")


def test_check_names_the_records_behind_each_difference(shop, office):
    shop("stock", "receive", "MUG", "10", "--cost", "2.00")
    order = ship(shop, "MUG:2")
    shop("order", "invoice", order)
    shop("ledger", "check")
    # a hand edit of a stock move: the move, its source and the totals are named
    path = office / "back/stock/2026/11/MOV-A-0001.yaml"
    path.write_text(path.read_text("utf-8").replace("value: '20.00'", "value: '21.00'"), "utf-8")
    out = shop("ledger", "check", code=1).stdout
    assert "MOV-A-0001.yaml: Assets:Inventory: MOV-A-0001" in out and "are worth 21.00" in out
    assert "the stock is worth 17.00" in out and "holds 16.00" in out  # 21 - 4 ship


def test_a_control_account_posted_by_hand_is_named(shop, office):
    shop("stock", "receive", "MUG", "10", "--cost", "2.00")
    (office / "back/ledger/2026/11").mkdir(parents=True, exist_ok=True)
    (office / "back/ledger/2026/11/TXN-A-0099.yaml").write_text(
        "id: TXN-A-0099\ndate: '2026-11-02'\ndescription: by hand\npostings:\n"
        "- account: Assets:Receivable\n  amount: '5.00'\n- account: Income:Other\n  amount: '-5.00'\n"
        "at: '2026-11-02T09:00:00+02:00'\nby: x\n",
        "utf-8",
    )
    out = shop("ledger", "check", code=1).stdout
    assert "TXN-A-0099.yaml: postings: Assets:Receivable is a control account, posted by hand" in out
    shop("ledger", "reverse", "TXN-A-0099")  # a manual entry: reversed, the pair is fine
    shop("ledger", "check")


def test_credit_notes_and_vat_against_the_ledger(shop, office):
    shop("stock", "receive", "MUG", "10", "--cost", "2.00")
    order = ship(shop, "MUG:3")
    shop("order", "invoice", order)
    shop("invoice", "credit", "1", "--lines", "MUG:1")
    shop("ledger", "check")
    path = office / "back/invoices/credit-notes/CRN-A-0001.yaml"
    path.write_text(path.read_text("utf-8").replace("vat: '3.00'", "vat: '3.10'"), "utf-8")
    out = shop("ledger", "check", code=1).stdout
    assert "CRN-A-0001.yaml: vat: 3.10 credited, but TXN-" in out


def test_payroll_runs_and_payments_against_their_accounts(cli, office, clock):
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
        "2026-10-01",
    )
    cli("payroll", "run", "2026-10")
    cli("payroll", "pay", "2026-10")
    cli("ledger", "check")
    run = office / "back/hr/payroll/2026-10.yaml"
    run.write_text(run.read_text("utf-8").replace("total: '1500.00'", "total: '1400.00'"), "utf-8")
    out = cli("ledger", "check", code=1).stdout
    assert (
        "2026-10.yaml: total: 1400.00, but TXN-A-0001 booked Expenses:Salaries 1500.00 (not 1400.00)" in out
    )


def test_doctor_says_what_ledger_check_says(shop, office):
    shop("stock", "receive", "MUG", "10", "--cost", "2.00")
    path = office / "back/stock/2026/11/MOV-A-0001.yaml"
    path.write_text(path.read_text("utf-8").replace("value: '20.00'", "value: '21.00'"), "utf-8")
    result = shop("doctor", ok=False)
    assert result.exit_code == 1 and "Assets:Inventory" in result.stdout + result.stderr
