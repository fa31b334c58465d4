"""Payroll corrections: a change after a month was run is posted as its difference, never lost.

The clock is 2026-11-02 (conftest). October 2026 has 31 days, September 30.
Every amount below is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from officecli.store import yamlio
from tests.books.test_real_tools import all_agree
from tests.conftest import snapshot


def add(cli, name, salary, start, dept="hr"):
    return cli(
        "employee",
        "add",
        name,
        "--office",
        "back",
        "--department",
        dept,
        "--title",
        "Staff",
        "--salary",
        salary,
        "--start",
        start,
    ).stdout.split()[0]


def balances(cli) -> dict[str, Decimal]:
    rows = json.loads(cli("ledger", "balance", "--flat", "--format", "json").stdout)
    return {r["account"]: Decimal(r["balance"]) for r in rows}


def load(office, rel):
    return yamlio.loads((office / rel).read_text("utf-8"))


def lines(rec) -> dict:
    return {line["employee"]: line for line in rec["lines"]}


def listed(cli) -> dict:
    return {r["id"]: r for r in json.loads(cli("payroll", "list", "--format", "json").stdout)}


def test_a_retroactive_end_date_posts_the_overpaid_days_back(cli, office, tmp_path):
    maria = add(cli, "Μαρία Κωνσταντίνου", "1850.00", "2025-03-01")
    nikos = add(cli, "Νίκος Αλεξίου", "1500.00", "2024-01-01", "warehouse")
    cli("payroll", "run", "2026-10")
    cli("payroll", "pay", "2026-10")
    assert balances(cli)["Expenses:Salaries"] == Decimal("3350.00")
    # Νίκος left on 15 October; HR hears of it on 2 November, after October was run and paid
    out = cli("employee", "end", nikos, "--date", "2026-10-15").stdout
    assert "payroll 2026-10: a correction is pending" in out
    assert listed(cli)["2026-10"]["pending"] is True
    table = cli("payroll", "list").stdout
    assert "yes" in table.splitlines()[2]
    before_run = load(office, "back/hr/payroll/2026-10.yaml")
    out = cli("payroll", "run", "2026-10").stdout
    # 1500.00 x 15/31 = 725.806.. -> 725.81 is what a first run would have paid; 774.19 back
    assert out.startswith("2026-10.c1  payroll correction of 2026-10: 1 employee, difference -774.19 EUR")
    assert load(office, "back/hr/payroll/2026-10.yaml") == before_run  # never edited
    corr = load(office, "back/hr/payroll/corrections/2026-10.c1.yaml")
    assert corr["month"] == "2026-10" and corr["number"] == 1 and corr["total"] == "-774.19"
    assert list(lines(corr)) == [nikos]
    line = lines(corr)[nikos]
    assert (line["days"], line["was"], line["amount"], line["difference"]) == (
        15,
        "1500.00",
        "725.81",
        "-774.19",
    )
    assert maria not in lines(corr)
    txn = next(t for t in (office / "back/ledger").rglob(f"{corr['txn']}.yaml"))
    entry = yamlio.loads(txn.read_text("utf-8"))
    assert entry["description"] == "Payroll 2026-10 correction 1" and entry["kind"] == "payroll"
    assert entry["date"] == "2026-11-02"  # booked when corrected
    assert entry["postings"] == [
        {"account": "Expenses:Salaries", "amount": "-774.19"},
        {"account": "Liabilities:Payroll", "amount": "774.19"},
    ]
    assert "Νίκος" not in txn.read_text("utf-8") and nikos not in txn.read_text("utf-8")
    books = balances(cli)
    # the expense is what was really earned; the employee owes 774.19 back (a debit on the payroll account)
    assert books["Expenses:Salaries"] == Decimal("1850.00") + Decimal("725.81")
    assert books["Liabilities:Payroll"] == Decimal("774.19")
    row = listed(cli)["2026-10"]
    assert row["pending"] is False and row["state"] == "partly paid" and row["corrected_total"] == "2575.81"
    # the employee repays: 'payroll pay' settles the month, money received into the bank
    out = cli("payroll", "pay", "2026-10").stdout
    assert "774.19 EUR of overpaid salary received back" in out
    books = balances(cli)
    assert books.get("Liabilities:Payroll", Decimal(0)) == 0
    assert books["Assets:Bank"] == -(Decimal("1850.00") + Decimal("725.81"))
    assert listed(cli)["2026-10"]["state"] == "paid"
    assert all_agree(office, tmp_path)["Expenses:Salaries"] == Decimal("2575.81")


def test_a_mid_month_start_entered_late_is_paid_as_a_first_run_would(cli, office, tmp_path, clock):
    add(cli, "Μαρία Κωνσταντίνου", "1850.00", "2025-03-01")
    cli("payroll", "run", "2026-10")
    # hired on 16 October, entered on 2 November: 1200.00 x 16/31 = 619.354.. -> 619.35
    out = cli(
        "employee",
        "add",
        "Νίκος Αλεξίου",
        "--office",
        "front",
        "--department",
        "sales",
        "--title",
        "Seller",
        "--salary",
        "1200.00",
        "--start",
        "2026-10-16",
    ).stdout
    assert "2026-10: a correction is pending" in out
    cli("payroll", "run", "2026-10")
    corr = load(office, "back/hr/payroll/corrections/2026-10.c1.yaml")
    assert [(x["days"], x["month_days"], x["was"], x["amount"], x["difference"]) for x in corr["lines"]] == [
        (16, 31, "0.00", "619.35", "619.35")
    ]
    # the very same figure a run made with the start known in time: a second company, same people
    other = office.parent / "other"
    from officecli.office.sites.company import init_office

    init_office(other, "Άλλη", "EUR", "A")
    from click.testing import CliRunner

    from officecli.cli import cli as officecli_cli

    def run(*args):
        result = CliRunner().invoke(officecli_cli, ["--root", str(other), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr

    run(
        "employee",
        "add",
        "Μαρία Κωνσταντίνου",
        "--office",
        "back",
        "--department",
        "hr",
        "--title",
        "Staff",
        "--salary",
        "1850.00",
        "--start",
        "2025-03-01",
    )
    run(
        "employee",
        "add",
        "Νίκος Αλεξίου",
        "--office",
        "front",
        "--department",
        "sales",
        "--title",
        "Seller",
        "--salary",
        "1200.00",
        "--start",
        "2026-10-16",
    )
    run("payroll", "run", "2026-10")
    first = load(other, "back/hr/payroll/2026-10.yaml")
    assert first["total"] == "2469.35"
    corrected = Decimal(load(office, "back/hr/payroll/2026-10.yaml")["total"]) + Decimal(corr["total"])
    assert corrected == Decimal(first["total"])
    # the start moved again, later (the 21st: 11 days): a second correction of what is left
    cli("employee", "edit", "2", "--start", "2026-10-21")
    cli("payroll", "run", "2026-10")
    corr2 = load(office, "back/hr/payroll/corrections/2026-10.c2.yaml")
    # 1200.00 x 11/31 = 425.806.. -> 425.81; was 619.35
    assert [(x["was"], x["amount"], x["difference"]) for x in corr2["lines"]] == [
        ("619.35", "425.81", "-193.54")
    ]
    assert corr2["number"] == 2
    all_agree(office, tmp_path)


def test_a_salary_from_a_past_month_corrects_every_month_it_touches(cli, office, tmp_path):
    maria = add(cli, "Μαρία Κωνσταντίνου", "1500.00", "2025-03-01")
    cli("payroll", "run", "2026-09")
    cli("payroll", "run", "2026-10")
    # a raise without --from never changes a month already run
    out = cli("employee", "edit", maria, "--salary", "1600.00").stdout
    assert "pending" not in out
    before = snapshot(office)
    assert cli("payroll", "run", "2026-10").stdout == ""  # done, nothing to correct: silent (cron)
    assert snapshot(office) == before
    cli("payroll", "run", "2026-11")
    assert lines(load(office, "back/hr/payroll/2026-11.yaml"))[maria]["amount"] == "1600.00"
    # the raise was agreed from 16 September: September half at 1500, half at 1600
    out = cli("employee", "edit", maria, "--salary", "1600.00", "--from", "2026-09-16").stdout
    assert "payroll 2026-09: a correction is pending" in out and "payroll 2026-10" in out
    assert "payroll 2026-11" not in out
    pay = load(office, "back/hr/pay/PAY-A-0001.yaml")
    assert pay["salary"] == "1600.00"
    assert pay["salaries"] == [{"from": "2026-09-16", "salary": "1600.00"}]
    assert {m for m, r in listed(cli).items() if r["pending"]} == {"2026-09", "2026-10"}
    # (1500 x 15 + 1600 x 15) / 30 = 1550.00: +50.00 for September, +100.00 for October
    cli("payroll", "run", "2026-09")
    cli("payroll", "run", "2026-10")
    assert load(office, "back/hr/payroll/corrections/2026-09.c1.yaml")["lines"][0]["difference"] == "50.00"
    assert load(office, "back/hr/payroll/corrections/2026-10.c1.yaml")["lines"][0]["difference"] == "100.00"
    assert not any(r["pending"] for r in listed(cli).values())
    assert balances(cli)["Expenses:Salaries"] == Decimal("1550.00") + 2 * Decimal("1600.00")
    # a salary from a later day, inside a month already run: only that month's later days
    cli("employee", "edit", maria, "--salary", "1700.00", "--from", "2026-11-01")
    cli("payroll", "run", "2026-11")
    assert load(office, "back/hr/payroll/corrections/2026-11.c1.yaml")["total"] == "100.00"
    assert not (office / "back/hr/payroll/corrections/2026-10.c2.yaml").exists()
    all_agree(office, tmp_path)


def test_a_first_dated_salary_keeps_what_was_paid_before_it(cli, office):
    maria = add(cli, "Μαρία Κωνσταντίνου", "1500.00", "2025-03-01")
    cli("payroll", "run", "2026-09")
    # a raise from December, decided now: no month already run changes
    cli("employee", "edit", maria, "--salary", "1800.00", "--from", "2026-12")
    pay = load(office, "back/hr/pay/PAY-A-0001.yaml")
    assert pay["salaries"] == [
        {"from": "2026-10-01", "salary": "1500.00"},
        {"from": "2026-12-01", "salary": "1800.00"},
    ]
    assert listed(cli)["2026-09"]["pending"] is False
    cli("payroll", "run", "2026-10")
    assert load(office, "back/hr/payroll/2026-10.yaml")["total"] == "1500.00"


def test_the_second_run_of_a_corrected_month_says_done_and_changes_nothing(cli, office):
    add(cli, "Μαρία Κωνσταντίνου", "1850.00", "2025-03-01")
    leaver = add(cli, "Ελένη Μάρκου", "1240.00", "2024-01-01")
    cli("payroll", "run", "2026-10")
    cli("employee", "end", leaver, "--date", "2026-10-10")
    cli("payroll", "run", "2026-10")
    before = snapshot(office)
    for _ in range(2):
        out = cli("payroll", "run", "2026-10").stdout
        assert out == ""  # an idempotent repeat prints nothing (cron)
        assert cli("payroll", "run", "2026-10", "--format", "ids").stdout.split() == ["2026-10"]
    assert snapshot(office) == before
    assert sorted(p.name for p in (office / "back/hr/payroll/corrections").iterdir()) == ["2026-10.c1.yaml"]


@pytest.mark.parametrize("fmt", ["table", "json", "yaml", "csv"])
def test_show_lists_corrections_and_hides_pay_unless_asked(cli, office, fmt):
    add(cli, "Μαρία Κωνσταντίνου", "1850.00", "2025-03-01")
    leaver = add(cli, "Ελένη Μάρκου", "1333.33", "2024-01-01")
    cli("payroll", "run", "2026-10")
    cli("employee", "end", leaver, "--date", "2026-10-10")
    cli("payroll", "run", "2026-10")

    # 1333.33 x 10/31 = 430.106.. -> 430.11; -903.22
    def plain(out):  # tables group thousands (1,333.33); compare the digits
        return out.replace(",", "") if fmt == "table" else out

    hidden = plain(cli("payroll", "show", "2026-10", "--format", fmt).stdout)
    assert "2026-10.c1" in hidden and "-903.22" in hidden  # the books' figure: always shown
    for amount in ("1333.33", "430.11", "1850.00"):
        assert amount not in hidden, (fmt, amount)
    shown = plain(cli("payroll", "show", "2026-10", "--format", fmt, "--show-pay").stdout)
    assert "430.11" in shown and "1333.33" in shown
    listed_out = plain(cli("payroll", "list", "--format", fmt).stdout)
    assert "430.11" not in listed_out and "1333.33" not in listed_out


def test_refusals_change_nothing(cli, office, refused):
    maria = add(cli, "Μαρία Κωνσταντίνου", "1850.00", "2025-03-01")
    cli("payroll", "run", "2026-10", "--date", "2026-10-31")
    refused("employee", "edit", maria, "--from", "2026-09", match="give --salary too")
    refused("employee", "edit", maria, "--salary", "1900", "--from", "2026-13", match="not a month")
    refused("employee", "edit", maria, "--salary", "1900", "--from", "2026-02-30", match="no such day")
    cli("employee", "edit", maria, "--salary", "1900", "--from", "2026-10")
    refused("payroll", "run", "2026-10", "--date", "2026-10-30", match="before the payroll 2026-10")
    refused("payroll", "run", "2026-10", "--date", "2026-11-03", match="lies in the future")
    cli("payroll", "run", "2026-10")
    cli("payroll", "pay", "2026-10")
    refused("payroll", "pay", "2026-10", match="already paid")
