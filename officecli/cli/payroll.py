"""officecli payroll: run a month's salaries into the books, pay them, look at runs."""
from __future__ import annotations

import click

from .app import App, pass_app
from .options import format_option, note_option

LINE_COLUMNS = [("employee", "Employee"), ("name", "Name"), ("office", "Office"),
                ("department", "Department"), ("salary", "Salary"), ("days", "Days"),
                ("month_days", "Of"), ("amount", "Amount"), ("txn", "Transaction")]


@click.group()
def payroll():
    """Run the monthly payroll into the ledger and pay it.

    \b
    Examples:
      officecli payroll run 2026-10
      officecli payroll pay 2026-10 --date 2026-11-02
      officecli payroll show 2026-10
      officecli payroll list
    """


def _row(rec) -> dict:
    row = rec.as_row()
    row["id"] = rec.id
    row["state"] = "paid" if rec.data.get("paid") else "unpaid"
    row["employees"] = len(rec.data.get("lines") or [])
    return row


@payroll.command("run")
@click.argument("month", metavar="YYYY-MM")
@click.option("--date", "day", metavar="DATE",
              help="Booking date of the salary entries (default: the month's last day, or today "
                   "while the month is still running); not before the month, not in the future.")
@format_option
@pass_app
def run(app: App, month, day):
    """Post a month's salaries: one ledger entry per employee, and a summary record.

    Everyone employed during the month gets one transaction Expenses:Salaries
    / Liabilities:Payroll (ref: the employee's ID), and the run is written to
    back/hr/payroll/YYYY-MM.yaml, all in one change.

    Each line uses the employee's monthly salary as it stands when the run
    is made (the run keeps it, so later raises never change a month already
    run). Proration: a start or an end of employment inside the month pays the
    monthly salary times the calendar days employed (start and end day
    included) divided by the calendar days of the month, rounded half-up to
    the cent; e.g. 1500.00 from the 16th of a 30-day month is 1500 x 15/30 =
    750.00.

    Safe to repeat (from cron, say): a month already run posts nothing and
    says so, exit 0. A month not written YYYY-MM, or later than this month, is
    refused. The running month may be run before it ends (pay day is often
    the 25th); it then counts employment as recorded at that moment.

    \b
    Examples:
      officecli payroll run 2026-10
      officecli payroll run 2026-09 --date 2026-09-30
    """
    from officecli.office import money, payroll as pay
    rec, ran = pay.run(app.office, month, day)
    total = money.fmt(money.parse(rec.data["total"]), app.office.config.currency)
    n = len(rec.data.get("lines") or [])
    if ran:
        app.created(rec.id, f"payroll run: {n} employees, {total}, booked {rec.data['date']}")
    else:
        app.say(f"payroll {rec.id}: already done on {rec.data['date']} ({n} employees, {total}); "
                "nothing posted")
        if app.fmt == "ids":
            click.echo(rec.id)
    if app.fmt not in ("table", "ids"):
        app.one(_row(rec))


@payroll.command("pay")
@click.argument("month", metavar="YYYY-MM")
@click.option("--date", "day", metavar="DATE",
              help="Date of the bank transfer (default today; not before the run, not in the future).")
@note_option
@format_option
@pass_app
def pay_(app: App, month, day, note):
    """Pay a month's payroll: post its total as Liabilities:Payroll / Assets:Bank.

    A month is paid once: paying it again is refused (exit 1), so the bank
    is never debited twice.

    \b
    Examples:
      officecli payroll pay 2026-10
      officecli payroll pay 2026-09 --date 2026-10-01
    """
    from officecli.office import money, payroll as pay
    rec = pay.pay(app.office, month, day, note)
    total = money.fmt(money.parse(rec.data["total"]), app.office.config.currency)
    app.say(f"payroll {rec.id}: paid {total} on {rec.data['paid']} ({rec.data['payment']})")
    if app.fmt != "table":
        app.one(_row(rec))


@payroll.command("show")
@click.argument("month", metavar="YYYY-MM")
@format_option
@pass_app
def show(app: App, month):
    """Show a month's payroll run, employee by employee.

    \b
    Examples:
      officecli payroll show 2026-10
      officecli payroll show 2026-10 --format json
    """
    from officecli.office import payroll as pay
    rec = pay.get(app.office, month)
    if app.fmt != "table":
        app.one(_row(rec))
        return
    app.one(_row(rec), [("id", "Month"), ("state", "State"), ("date", "Booked"),
                        ("employees", "Employees"), ("total", "Total"), ("paid", "Paid"),
                        ("payment", "Payment")])
    app.say(f"File:      {rec.path}")
    app.say("")
    app.rows(rec.data.get("lines") or [], columns=LINE_COLUMNS)


@payroll.command("list")
@format_option
@pass_app
def list_(app: App):
    """List payroll runs, by month.

    \b
    Examples:
      officecli payroll list
      officecli payroll list --format csv
    """
    from officecli.office import payroll as pay
    app.rows([_row(r) for r in pay.listing(app.office)],
             columns=[("id", "Month"), ("state", "State"), ("date", "Booked"),
                      ("employees", "Employees"), ("total", "Total"), ("paid", "Paid"),
                      ("payment", "Payment")])
