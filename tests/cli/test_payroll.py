"""payroll run/pay/show/list: proration to the cent, one run per month, one payment."""

from __future__ import annotations

import json
import stat

import pytest

from officecli.store import yamlio

from ..conftest import snapshot


def add(cli, name, salary, start, where="back", dept="warehouse"):
    return cli(
        "employee",
        "add",
        name,
        "--office",
        where,
        "--department",
        dept,
        "--title",
        "Staff",
        "--salary",
        salary,
        "--start",
        start,
    ).stdout.split()[0]


@pytest.fixture
def staff(cli):
    """The clock is 2026-11-02. October 2026 has 31 days."""
    full = add(cli, "Μαρία Κωνσταντίνου", "1850.00", "2025-03-01", "back", "hr")
    starter = add(cli, "Νίκος Αλεξίου", "1200.00", "2026-10-16", "front", "sales")
    leaver = add(cli, "Ελένη Μάρκου", "1333.33", "2024-01-01")
    gone = add(cli, "Γιώργος Παππάς", "1500.00", "2024-01-01")
    later = add(cli, "Σοφία Δήμου", "1400.00", "2026-11-05", "front", "service")
    cli("employee", "end", leaver, "--date", "2026-10-10")
    cli("employee", "end", gone, "--date", "2026-09-30")
    return full, starter, leaver, gone, later


def txns(office):
    out = {}
    for f in sorted((office / "back/ledger").rglob("TXN-*.yaml")):
        data = yamlio.loads(f.read_text("utf-8"))
        out[data["id"]] = data
    return out


def test_run_prorates_a_starter_and_a_leaver_to_the_cent(cli, office, staff):
    full, starter, leaver, gone, later = staff
    out = cli("payroll", "run", "2026-10").stdout
    assert out.startswith("2026-10") and "3 employees" in out and "2,899.46 EUR" in out
    run = yamlio.loads((office / "back/hr/payroll/2026-10.yaml").read_text("utf-8"))
    # by hand: 1850.00 full month; 1200.00 x 16/31 (16th..31st) = 619.354.. -> 619.35;
    # 1333.33 x 10/31 (1st..10th) = 430.106.. -> 430.11; total 2899.46
    lines = {line["employee"]: (line["days"], line["month_days"], line["amount"]) for line in run["lines"]}
    assert lines == {full: (31, 31, "1850.00"), starter: (16, 31, "619.35"), leaver: (10, 31, "430.11")}
    assert run["total"] == "2899.46" and run["date"] == "2026-10-31" and run["month"] == "2026-10"
    assert stat.S_IMODE((office / "back/hr/payroll/2026-10.yaml").stat().st_mode) == 0o600
    # the shared books get ONE entry for the month: the total, no name, no one's pay
    books = txns(office)
    assert list(books) == [run["txn"]]
    t = books[run["txn"]]
    assert t["description"] == "Payroll 2026-10 (3 employees)" and t["kind"] == "payroll"
    assert "ref" not in t and t["date"] == "2026-10-31"
    assert t["postings"] == [
        {"account": "Expenses:Salaries", "amount": "2899.46"},
        {"account": "Liabilities:Payroll", "amount": "-2899.46"},
    ]
    text = (office / "back/ledger/2026/10" / f"{run['txn']}.yaml").read_text("utf-8")
    for line in run["lines"]:
        assert line["employee"] not in text and line["name"] not in text and line["amount"] not in text


def test_books_and_exports_name_no_one(cli, office, staff):
    cli("payroll", "run", "2026-10")
    cli("payroll", "pay", "2026-10", "--date", "2026-11-02")
    names = ("Μαρία", "Νίκος", "Ελένη", "EMP-A-")
    outputs = [
        cli("ledger", "register").stdout,
        cli("ledger", "register", "--format", "json").stdout,
        cli("ledger", "balance").stdout,
    ]
    outputs += [
        cli("ledger", "export", "--to", to).stdout for to in ("hledger", "ledger", "beancount", "csv")
    ]
    for out in outputs:
        assert "2899.46" in out or "2,899.46" in out
        for secret in (*names, "1850.00", "619.35", "430.11"):
            assert secret not in out, (secret, out[:300])
    assert "Payroll 2026-10 (3 employees)" in outputs[0]


def test_second_run_posts_nothing(cli, office, staff):
    cli("payroll", "run", "2026-10")
    before = snapshot(office)
    result = cli("payroll", "run", "2026-10", "--date", "2026-11-01")
    assert result.stdout == ""  # an idempotent repeat says nothing (cron)
    assert snapshot(office) == before
    assert cli("payroll", "run", "2026-10", "--format", "ids").stdout.split() == ["2026-10"]
    assert snapshot(office) == before


def test_half_up_rounding_and_date(cli, office, clock):
    add(cli, "Άννα Ρήγα", "1000.01", "2026-09-16")  # 1000.01 x 15/30 = 500.005 -> 500.01
    cli("payroll", "run", "2026-09", "--date", "2026-10-01")
    run = yamlio.loads((office / "back/hr/payroll/2026-09.yaml").read_text("utf-8"))
    assert run["lines"][0]["amount"] == "500.01" and run["date"] == "2026-10-01"
    assert [(t["date"], t["description"]) for t in txns(office).values()] == [
        ("2026-10-01", "Payroll 2026-09")
    ]
    # the running month: booked today by default
    cli("payroll", "run", "2026-11")
    run = yamlio.loads((office / "back/hr/payroll/2026-11.yaml").read_text("utf-8"))
    assert run["date"] == "2026-11-02" and run["lines"][0]["amount"] == "1000.01"


def test_pay_once(cli, office, staff):
    cli("payroll", "run", "2026-10")
    out = cli("payroll", "pay", "2026-10", "--date", "2026-11-02").stdout
    assert "2,899.46 EUR" in out
    run = yamlio.loads((office / "back/hr/payroll/2026-10.yaml").read_text("utf-8"))
    assert run["paid"] == "2026-11-02"
    pay = txns(office)[run["payment"]]
    assert pay["postings"] == [
        {"account": "Liabilities:Payroll", "amount": "2899.46"},
        {"account": "Assets:Bank", "amount": "-2899.46"},
    ]
    assert [h["action"] for h in run["history"]] == ["run", "pay"]
    rows = json.loads(cli("payroll", "list", "--format", "json").stdout)
    assert [(r["id"], r["state"], r["total"]) for r in rows] == [("2026-10", "paid", "2899.46")]
    shown = cli("payroll", "show", "2026-10", "--show-pay").stdout
    assert "619.35" in shown and "430.11" in shown and "Νίκος Αλεξίου" in shown


@pytest.mark.parametrize("fmt", ["table", "json", "yaml", "csv"])
def test_show_hides_pay_unless_asked(cli, staff, fmt):
    cli("payroll", "run", "2026-10")
    m = (lambda a: f"{float(a):,.2f}") if fmt == "table" else str  # tables: a thousands comma
    hidden = cli("payroll", "show", "2026-10", "--format", fmt).stdout
    assert "Νίκος Αλεξίου" in hidden and m("2899.46") in hidden  # who, and the books' total
    for amount in ("1850.00", "619.35", "430.11", "1333.33"):
        assert m(amount) not in hidden, (fmt, amount)
    shown = cli("payroll", "show", "2026-10", "--format", fmt, "--show-pay").stdout
    assert all(m(a) in shown for a in ("1850.00", "619.35", "430.11")), fmt
    listed = cli("payroll", "list", "--format", fmt).stdout
    assert "619.35" not in listed and "1850.00" not in listed


def test_an_employee_without_pay_is_named(cli, office, refused, staff):
    (office / "back/hr/pay/PAY-A-0002.yaml").unlink()
    refused(
        "payroll",
        "run",
        "2026-10",
        match="EMP-A-0002 Νίκος Αλεξίου (back/staff/active/"
        "EMP-A-0002.yaml): no pay record (back/hr/pay/PAY-A-0002.yaml)",
    )
    cli("employee", "edit", "2", "--salary", "1200.00")  # HR sets it again
    cli("payroll", "run", "2026-10")


def test_refusals(cli, refused, staff):
    refused("payroll", "run", "2026-13", match="not a month (YYYY-MM)")
    refused("payroll", "run", "2026/10", match="not a month (YYYY-MM)")
    refused("payroll", "run", "26-10", match="not a month")
    refused("payroll", "run", "2026-12", match="lies in the future")
    refused("payroll", "run", "2027-01", match="lies in the future")
    refused("payroll", "run", "2026-10", "--date", "2026-11-03", match="lies in the future")
    refused("payroll", "run", "2026-10", "--date", "2026-09-30", match="before the month")
    refused("payroll", "run", "2023-05", match="nobody was employed")
    refused("payroll", "pay", "2026-10", match="not run yet")
    refused("payroll", "show", "2026-10", match="not run yet")
    cli("payroll", "run", "2026-10")
    refused("payroll", "pay", "2026-10", "--date", "2026-10-30", match="before the payroll 2026-10 was run")
    cli("payroll", "pay", "2026-10")
    refused("payroll", "pay", "2026-10", match="already paid")


def test_help_explains_proration(cli):
    text = cli("payroll", "run", "--help").stdout
    assert "calendar days" in text and "Examples:" in text
    for sub in ("pay", "show", "list"):
        assert "Examples:" in cli("payroll", sub, "--help").stdout
