"""Greek payroll liabilities (issue 23): ΕΦΚΑ and ΦΜΥ on their own accounts by dated rates,
net paid to the staff, withholdings remitted to the state; corrections keep `ledger check`
clean (fault 4); back-dated pay inside a closed period is corrected, never stuck (fault 7)."""

from __future__ import annotations

import json
from decimal import Decimal

from officecli.store import yamlio
from tests.books.test_real_tools import all_agree

RATES = """
payroll:
  rates:
    - from: 2026-01-01
      efka_employee: '13.87'
      efka_employer: '21.79'
      payments: 14
      tax_scale:
        - {upto: '10000', rate: '9'}
        - {upto: '20000', rate: '22'}
        - {upto: '30000', rate: '28'}
        - {upto: '40000', rate: '36'}
        - {rate: '44'}
      tax_reduction: '777'
      tax_reduction_above: '12000'
      tax_reduction_taper: '20'
    - from: 2027-01-01
      efka_employee: '13.00'
      efka_employer: '21.00'
      payments: 14
      tax_scale:
        - {rate: '10'}
"""


def add(cli, name, salary, start):
    return cli(
        "employee", "add", name, "--office", "back", "--department", "hr", "--title", "Staff",
        "--salary", salary, "--start", start,
    ).stdout.split()[0]  # fmt: skip


def balances(cli) -> dict[str, Decimal]:
    rows = json.loads(cli("ledger", "balance", "--flat", "--format", "json").stdout)
    return {r["account"]: Decimal(r["balance"]) for r in rows}


def with_rates(office):
    path = office / "office.yaml"
    path.write_text(path.read_text("utf-8") + RATES, "utf-8")


def test_a_payroll_correction_keeps_ledger_check_and_doctor_clean(cli, clock, office):
    clock.set("2026-02-20T10:00:00+02:00")
    emp = add(cli, "Μαρία Κωνσταντίνου", "3000.00", "2026-02-10")
    cli("payroll", "run", "2026-02")
    cli("payroll", "pay", "2026-02")
    cli("employee", "end", emp, "--date", "2026-02-14")
    cli("payroll", "run", "2026-02")  # the correction: money back
    cli("ledger", "check")  # before the fix: "kind: payroll, but no payroll run names it"
    cli("doctor")
    cli("payroll", "pay", "2026-02")  # the overpaid salary received back
    cli("ledger", "check")
    cli("doctor")
    assert "Liabilities:Payroll" not in balances(cli)


def test_run_posts_efka_and_fmy_to_their_own_accounts_pay_pays_net_remit_pays_the_state(
    cli, clock, office, tmp_path
):
    with_rates(office)
    clock.set("2026-03-31T10:00:00+03:00")
    cli("ledger", "post", "--date", "2026-03-01", "Κεφάλαιο", "Assets:Bank", "10000", "Equity:Capital")
    add(cli, "Μαρία Κωνσταντίνου", "1500.00", "2025-01-01")
    cli("payroll", "run", "2026-03")
    # ΕΦΚΑ employee 1500 x 13.87% = 208.05; employer 1500 x 21.79% = 326.85
    # ΦΜΥ: (1500 - 208.05) x 14 = 18087.30 a year; 900 + 8087.30 x 22% = 2679.206;
    # reduction 777 - 6.0873 x 20 = 655.254; (2679.206 - 655.254) / 14 = 144.5680 -> 144.57
    # net 1500 - 208.05 - 144.57 = 1147.38
    bal = balances(cli)
    assert bal["Expenses:Salaries"] == Decimal("1500.00")
    assert bal["Expenses:SocialInsurance"] == Decimal("326.85")
    assert bal["Liabilities:EFKA"] == Decimal("-534.90")
    assert bal["Liabilities:PayrollTax"] == Decimal("-144.57")
    assert bal["Liabilities:Payroll"] == Decimal("-1147.38")
    txn = [r for r in json.loads(cli("ledger", "register", "Salaries", "--format", "json").stdout)][0]
    assert "Μαρία" not in txn["description"]  # pooled: names nobody
    private = yamlio.loads((office / "back/hr/payroll/2026-03.yaml").read_text("utf-8"))
    assert private["lines"][0]["net"] == "1147.38" and private["lines"][0]["tax"] == "144.57"
    cli("ledger", "check")
    cli("payroll", "pay", "2026-03")
    cli("payroll", "remit", "2026-03")
    cli("payroll", "remit", "2026-03", code=1)  # once
    bal = balances(cli)
    for acct in ("Liabilities:Payroll", "Liabilities:EFKA", "Liabilities:PayrollTax"):
        assert acct not in bal, acct
    assert bal["Assets:Bank"] == Decimal("10000.00") - Decimal("1826.85")  # gross + employer ΕΦΚΑ
    cli("ledger", "check")
    cli("doctor")
    all_agree(office, tmp_path)


def test_next_years_rates_do_not_rewrite_this_years_runs_and_corrections_split_too(cli, clock, office):
    with_rates(office)
    clock.set("2027-01-31T10:00:00+02:00")
    emp = add(cli, "Νίκος Αλεξίου", "1000.00", "2026-12-01")
    cli("payroll", "run", "2026-12")
    cli("payroll", "run", "2027-01")
    dec = yamlio.loads((office / "back/hr/payroll/2026-12.yaml").read_text("utf-8"))
    jan = yamlio.loads((office / "back/hr/payroll/2027-01.yaml").read_text("utf-8"))
    assert dec["efka_employee"] == "138.70" and jan["efka_employee"] == "130.00"
    assert jan["tax"] == "87.00"  # (1000 - 130) x 14 x 10% / 14
    cli("payroll", "pay", "2026-12")
    cli("payroll", "remit", "2026-12")
    cli("employee", "edit", emp, "--salary", "1100.00", "--from", "2026-12-01")
    cli("payroll", "run", "2026-12")  # a correction, at December's rates
    corr = yamlio.loads((office / "back/hr/payroll/corrections/2026-12.c1.yaml").read_text("utf-8"))
    assert corr["total"] == "100.00" and corr["efka_employee"] == "13.87" and corr["efka_employer"] == "21.79"
    cli("ledger", "check")
    cli("payroll", "pay", "2026-12")
    cli("payroll", "remit", "2026-12")
    cli("ledger", "check")
    cli("doctor")


def test_back_dated_pay_inside_a_closed_period_is_corrected_or_refused(cli, clock, office, refused):
    clock.set("2026-02-10T10:00:00+02:00")
    emp = add(cli, "Μαρία Κωνσταντίνου", "1000.00", "2025-06-01")
    cli("payroll", "run", "2026-01")
    cli("payroll", "pay", "2026-01")
    cli("ledger", "close", "2026-01")
    cli("employee", "edit", emp, "--salary", "1200.00", "--from", "2026-01-01")
    out = cli("payroll", "run", "2026-01").stdout  # before the fix: refused for ever
    assert "correction" in out or "c1" in out
    listed = {r["id"]: r for r in json.loads(cli("payroll", "list", "--format", "json").stdout)}
    assert listed["2026-01"]["pending"] is False
    cli("ledger", "check")
    # a month never run and now closed can never be run: the back-dated start is refused
    refused(
        "employee", "add", "Νίκος", "--office", "back", "--department", "hr", "--title", "Staff",
        "--salary", "900.00", "--start", "2025-12-10", match="closed",
    )  # fmt: skip
