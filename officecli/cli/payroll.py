"""officecli payroll: run a month's salaries into the books, pay them, look at runs."""
from __future__ import annotations

import click

from .app import App, pass_app
from .options import format_option, note_option

LINE_COLUMNS = [("employee", "Employee"), ("name", "Name"), ("office", "Office"),
                ("department", "Department"), ("salary", "Salary"), ("days", "Days"),
                ("month_days", "Of"), ("amount", "Amount")]
PAY_COLUMNS = ("salary", "amount")
RUN_FIELDS = [("id", "Month"), ("state", "State"), ("date", "Booked"), ("employees", "Employees"),
              ("total", "Total"), ("txn", "Transaction"), ("paid", "Paid"), ("payment", "Payment")]


@click.group()
def payroll():
    """Run the monthly payroll into the ledger and pay it.

    Each month's run is one record, private to HR: back/hr/payroll/YYYY-MM.yaml,
    with a line per employee. The shared ledger gets one entry for the whole
    month (Expenses:Salaries / Liabilities:Payroll, "Payroll 2026-10 (6
    employees)"), naming nobody, so the books and their exports never show
    anyone's pay. Every payroll command reads back/hr: a user who cannot is
    told "back/hr: permission denied: pay is private to HR".

    \b
    Examples:
      officecli payroll run 2026-10
      officecli payroll pay 2026-10 --date 2026-11-02
      officecli payroll show 2026-10
      officecli payroll list
    """


def _row(rec, show_pay: bool = False) -> dict:
    """A run as a row; its lines without salaries and amounts unless ``show_pay``."""
    from officecli.office import payroll as pay
    row = rec.as_row()
    row["id"] = rec.id
    row["state"] = "paid" if rec.data.get("paid") else "unpaid"
    row["employees"] = len(rec.data.get("lines") or [])
    row["lines"] = pay.public_lines(rec, show_pay)
    return row


@payroll.command("run")
@click.argument("month", metavar="YYYY-MM")
@click.option("--date", "day", metavar="DATE",
              help="Booking date of the salary entries (default: the month's last day, or today "
                   "while the month is still running); not before the month, not in the future.")
@format_option
@pass_app
def run(app: App, month, day):
    """Post a month's salaries: one ledger entry for the month, the detail kept private.

    Everyone employed during the month gets a line in
    back/hr/payroll/YYYY-MM.yaml (private to HR), and the ledger gets ONE
    transaction for the total, Expenses:Salaries / Liabilities:Payroll,
    described "Payroll YYYY-MM (N employees)": no name, no one's pay. All in
    one change.

    Each line uses the employee's monthly salary (back/hr/pay/) as it stands
    when the run is made (the run keeps it, so later raises never change a month already
    run). Proration: a start or an end of employment inside the month pays the
    monthly salary times the calendar days employed (start and end day
    included) divided by the calendar days of the month, rounded half-up to
    the cent; e.g. 1500.00 from the 16th of a 30-day month is 1500 x 15/30 =
    750.00.

    Safe to repeat (from cron, say): a month already run posts nothing and
    says so, exit 0. A month not written YYYY-MM, or later than this month, is
    refused. The running month may be run before it ends (pay day is often
    the 25th); it then counts employment as recorded at that moment.

    One site runs payroll (and `payroll pay`): office.yaml `payroll: {site: A}`.
    Any other site is refused before anything changes, naming the owner. With
    no payroll.site a single-site company runs it wherever it is; a company
    with several sites is refused with a line saying how to set payroll.site.

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
        app.created(rec.id, f"payroll run: {pay.people(n)}, {total}, booked {rec.data['date']} "
                            f"({rec.data.get('txn')})")
    else:
        app.say(f"payroll {rec.id}: already done on {rec.data['date']} ({pay.people(n)}, {total}); "
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
@click.option("--show-pay", is_flag=True,
              help="Show each employee's salary and amount (hidden by default: pay is private).")
@format_option
@pass_app
def show(app: App, month, show_pay):
    """Show a month's payroll run, employee by employee.

    Each line's salary and amount are shown only with --show-pay, in every
    format (the month's total is the ledger's entry, and is always shown).

    \b
    Examples:
      officecli payroll show 2026-10
      officecli payroll show 2026-10 --show-pay
      officecli payroll show 2026-10 --format json --show-pay
    """
    from officecli.office import payroll as pay
    rec = pay.get(app.office, month)
    row = _row(rec, show_pay)
    if app.fmt != "table":
        app.one(row)
        return
    app.one(row, RUN_FIELDS)
    app.say(f"File:      {rec.path}")
    app.say("")
    columns = [c for c in LINE_COLUMNS if show_pay or c[0] not in PAY_COLUMNS]
    app.rows(row["lines"], columns=columns)


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
    app.rows([_row(r) for r in pay.listing(app.office)], columns=RUN_FIELDS)
