"""officecli payroll: run a month's salaries into the books, pay them, look at runs."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import format_option, listing, note_option

LINE_COLUMNS = [
    ("employee", "Employee"),
    ("name", "Name"),
    ("office", "Office"),
    ("department", "Department"),
    ("salary", "Salary"),
    ("days", "Days"),
    ("month_days", "Of"),
    ("amount", "Amount"),
]
CORRECTION_COLUMNS = [
    ("employee", "Employee"),
    ("name", "Name"),
    ("salary", "Salary"),
    ("days", "Days"),
    ("month_days", "Of"),
    ("was", "Was"),
    ("amount", "Now"),
    ("difference", "Difference"),
]
PAY_COLUMNS = ("salary", "amount", "was", "difference")
RUN_FIELDS = [
    ("id", "Month"),
    ("state", "State"),
    ("date", "Booked"),
    ("employees", "Employees"),
    ("total", "Total"),
    ("txn", "Transaction"),
    ("paid", "Paid"),
    ("payment", "Payment"),
    ("corrections", "Corrections"),
    ("corrected_total", "Corrected total"),
    ("pending", "Pending"),
]
CORRECTION_FIELDS = [
    ("id", "Correction"),
    ("state", "State"),
    ("date", "Booked"),
    ("employees", "Employees"),
    ("total", "Difference"),
    ("txn", "Transaction"),
    ("paid", "Settled"),
    ("payment", "Payment"),
]


@click.group()
def payroll():
    """Run the monthly payroll into the ledger, correct it, pay it.

    Each month's run is one record, private to HR: back/hr/payroll/YYYY-MM.yaml,
    with a line per employee. The shared ledger gets one entry for the whole
    month (Expenses:Salaries / Liabilities:Payroll, "Payroll 2026-10 (6
    employees)"), naming nobody, so the books and their exports never show
    anyone's pay. A change after the fact (a start or end date, a salary
    --from a past day) never edits a run: the month's next 'payroll run'
    posts the difference as a correction run (back/hr/payroll/corrections/
    YYYY-MM.cN.yaml, its own ledger entry). Every payroll command reads
    back/hr: a user who cannot is told "back/hr: permission denied: pay is
    private to HR".

    \b
    Examples:
      officecli payroll run 2026-10
      officecli payroll pay 2026-10 --date 2026-11-02
      officecli payroll show 2026-10
      officecli payroll list
    """


def _correction_row(rec, show_pay: bool = False) -> dict:
    from officecli.office.people import payroll as pay

    row = rec.as_row()
    row["id"] = rec.id
    row["state"] = "settled" if rec.data.get("paid") else "unsettled"
    row["employees"] = len(rec.data.get("lines") or [])
    row["lines"] = pay.public_lines(rec, show_pay)
    return row


def _row(office, rec, show_pay: bool = False) -> dict:
    """A run as a row with its corrections and whether one is pending; its lines
    without salaries and amounts unless ``show_pay``."""
    from officecli.office import money
    from officecli.office.people import payroll as pay
    from officecli.store.errors import UserError

    corrections = pay.corrections_of(office, str(rec.data.get("month")))
    row = rec.as_row()
    row["id"] = rec.id
    todo = pay.unsettled(rec, corrections)
    row["state"] = "paid" if not todo else "unpaid" if rec in todo else "partly paid"
    row["employees"] = len(rec.data.get("lines") or [])
    row["lines"] = pay.public_lines(rec, show_pay)
    row["corrections"] = [_correction_row(c, show_pay) for c in corrections]
    row["corrected_total"] = money.text(
        sum((money.parse(c.data["total"]) for c in corrections), money.parse(rec.data["total"]))
    )
    try:
        row["pending"] = pay.pending(office, rec)
    except UserError as exc:  # (a missing pay record: 'payroll run' says it in full)
        row["pending"] = f"unknown: {exc}"
    return row


def _table_row(row: dict) -> dict:
    return {
        **row,
        "corrections": len(row["corrections"]) or "",
        "corrected_total": row["corrected_total"] if row["corrections"] else "",
        "pending": "yes" if row["pending"] is True else row["pending"] or "",
    }


@payroll.command("run")
@click.argument("month", metavar="YYYY-MM")
@click.option(
    "--date",
    "day",
    metavar="DATE",
    help="Booking date of the salary entries (default: the month's last day, or today "
    "while the month is still running; a correction: today); not before the month "
    "(a correction: not before what it corrects), not in the future.",
)
@format_option
@pass_app
def run(app: App, month, day):
    """Post a month's salaries, or the correction a change after the fact needs.

    Everyone employed during the month gets a line in
    back/hr/payroll/YYYY-MM.yaml (private to HR), and the ledger gets ONE
    transaction for the total, Expenses:Salaries / Liabilities:Payroll,
    described "Payroll YYYY-MM (N employees)" (no head count under 3 people): no name, no one's pay. All in
    one change.

    Each day is paid at the employee's monthly salary in effect that day
    (back/hr/pay/: the schedule 'employee edit --salary X --from DATE'
    writes; a salary changed without --from takes effect from the first
    month not run yet, so months already run keep the salary they used).
    Proration: a start or an end of employment inside the month pays the
    monthly salary times the calendar days employed (start and end day
    included) divided by the calendar days of the month, rounded half-up to
    the cent; e.g. 1500.00 from the 16th of a 30-day month is 1500 x 15/30 =
    750.00. A salary that changes inside the month: sum of salary x days,
    divided by the days of the month, rounded once.

    A month already run is never edited. When what it was computed from has
    changed since (an end or start date entered afterwards, a salary --from a
    past day, an employee added with a past start: 'payroll list' shows the
    month as pending), running it again posts only the DIFFERENCE, employee by
    employee, as a correction run: back/hr/payroll/corrections/YYYY-MM.cN.yaml
    (was, now, difference per employee) and one ledger entry "Payroll YYYY-MM
    correction N (K employees)" (no head count under 3) booked today (or --date), and says so.

    A negative difference (an end date entered after the run: salary
    overpaid) debits Liabilities:Payroll and credits Expenses:Salaries: the
    expense falls in the period of the correction and what is owed to staff
    falls with it; if the month was paid already, Liabilities:Payroll holds a
    debit -- the employee owes it back -- which 'payroll pay' settles as
    money received back (Assets:Bank / Liabilities:Payroll). Customers'
    Assets:Receivable is never used for staff.

    Safe to repeat (from cron, say): a month run with nothing to correct
    posts nothing and says it is done, exit 0. A month not written YYYY-MM,
    or later than this month, is refused. The running month may be run
    before it ends (pay day is often the 25th); it then counts employment as
    recorded at that moment, and a later change is a correction.

    One site runs payroll (and `payroll pay`): office.yaml `payroll: {site: A}`.
    Any other site is refused before anything changes, naming the owner. With
    no payroll.site a single-site company runs it wherever it is; a company
    with several sites is refused with a line saying how to set payroll.site.

    \b
    Examples:
      officecli payroll run 2026-10
      officecli payroll run 2026-09 --date 2026-09-30
      officecli employee end 4 --date 2026-10-15    # after October was run:
      officecli payroll run 2026-10                 # 2026-10.c1, the overpaid half month back
    """
    from officecli.office import money
    from officecli.office.people import payroll as pay

    office = app.office
    rec, what = pay.run(office, month, day)
    cur = office.config.currency
    total = money.fmt(money.parse(rec.data["total"]), cur)
    n = len(rec.data.get("lines") or [])
    if app.fmt not in ("table", "ids"):  # the month's row (or the correction's), run now or before
        app.one(_correction_row(rec) if what == "corrected" else _row(office, rec))
    elif what == "ran":
        app.created(
            rec.id,
            f"payroll run: {pay.people(n)}, {total}, booked {rec.data['date']} ({rec.data.get('txn')})",
        )
    elif what == "corrected":
        app.created(
            rec.id,
            f"payroll correction of {rec.data['month']}: {pay.people(n)}, "
            f"difference {total}, booked {rec.data['date']} "
            f"({rec.data.get('txn') or 'no ledger entry: the differences add up to 0'})",
        )
    elif app.fmt == "ids":
        app.echo(rec.id)
    # a month already done with nothing to correct: nothing on stdout, exit 0 (cron repeats it
    # without mail)


@payroll.command("pay")
@click.argument("month", metavar="YYYY-MM")
@click.option(
    "--date",
    "day",
    metavar="DATE",
    help="Date of the bank transfer (default today; not before the run or correction it "
    "settles, not in the future).",
)
@note_option
@format_option
@pass_app
def pay_(app: App, month, day, note):
    """Pay a month's payroll: post the net pay it owes as Liabilities:Payroll / Assets:Bank.

    With office.yaml payroll.rates the staff are paid the net (gross less
    their ΕΦΚΑ and the ΦΜΥ withheld); 'payroll remit' pays those to the state.

    Pays the run and its corrections not paid yet, in one bank entry. A
    month is paid once, and each correction once: paying again with nothing
    new to pay is refused (exit 1), so the bank is never debited twice. When
    the corrections took money back (a salary overpaid), the amount is money
    the employee repays: received into Assets:Bank, credited to
    Liabilities:Payroll.

    \b
    Examples:
      officecli payroll pay 2026-10
      officecli payroll pay 2026-09 --date 2026-10-01
    """
    from officecli.office import money
    from officecli.office.people import payroll as pay

    office = app.office
    rec, amount, txn = pay.pay(office, month, day, note)
    cur = office.config.currency
    from officecli.office import clock

    when = clock.parse_date(day, "--date") if day is not None else office.today()
    rec = pay.get(office, rec.id)
    if amount > 0:
        app.say(f"payroll {rec.id}: paid {money.fmt(amount, cur)} on {when} ({txn})")
    elif amount < 0:
        app.say(
            f"payroll {rec.id}: {money.fmt(-amount, cur)} of overpaid salary received back on {when} ({txn})"
        )
    else:
        app.say(f"payroll {rec.id}: settled on {when}; the corrections add up to nothing, no bank entry")
    if app.fmt != "table":
        app.one(_row(office, rec))


@payroll.command("remit")
@click.argument("month", metavar="YYYY-MM")
@click.option("--date", "day", metavar="DATE", help="Date of the payment (default today; not in the future).")
@format_option
@pass_app
def remit_(app: App, month, day):
    """Pay a month's ΕΦΚΑ and ΦΜΥ: Liabilities:EFKA + Liabilities:PayrollTax / Assets:Bank.

    What the month's run and corrections withheld (the employee's and the
    employer's social insurance, the income tax withheld), by the rates in
    office.yaml payroll.rates, not remitted yet; once each.

    \b
    Examples:
      officecli payroll remit 2026-10
      officecli payroll remit 2026-10 --date 2026-11-30
    """
    from officecli.office import money
    from officecli.office.people import payroll as pay

    office = app.office
    rec, amount, txn = pay.remit(office, month, day)
    app.say(f"payroll {rec.id}: ΕΦΚΑ and ΦΜΥ {money.fmt(amount, office.config.currency)} paid ({txn})")
    if app.fmt != "table":
        app.one(_row(office, pay.get(office, rec.id)))


@payroll.command("show")
@click.argument("month", metavar="YYYY-MM")
@click.option(
    "--show-pay",
    is_flag=True,
    help="Show each employee's salary and amount (hidden by default: pay is private).",
)
@format_option
@pass_app
def show(app: App, month, show_pay):
    """Show a month's payroll run, employee by employee, and its correction runs.

    Each line's salary and amount (and a correction's was, now and
    difference) are shown only with --show-pay, in every format (the totals
    are the ledger's entries, and are always shown). "Pending: yes" means a
    change after the run awaits its correction ('payroll run MONTH').

    \b
    Examples:
      officecli payroll show 2026-10
      officecli payroll show 2026-10 --show-pay
      officecli payroll show 2026-10 --format json --show-pay
    """
    from officecli.office.people import payroll as pay

    office = app.office
    rec = pay.get(office, month)
    row = _row(office, rec, show_pay)
    if app.fmt != "table":
        app.one(row)
        return
    app.one(_table_row(row), RUN_FIELDS)
    app.say(f"File:      {rec.path}")
    app.say("")
    columns = [c for c in LINE_COLUMNS if show_pay or c[0] not in PAY_COLUMNS]
    app.rows(row["lines"], columns=columns)
    for corr, data in zip(pay.corrections_of(office, rec.id), row["corrections"]):
        app.say("")
        app.one({**data, "file": corr.path}, CORRECTION_FIELDS + [("file", "File")])
        app.say("")
        app.rows(
            data["lines"], columns=[c for c in CORRECTION_COLUMNS if show_pay or c[0] not in PAY_COLUMNS]
        )


@payroll.command("list")
@listing("payroll")
@format_option
@pass_app
def list_(app: App):
    """List payroll runs, by month, with their corrections and any correction pending.

    "Pending: yes" marks a month whose facts changed after it was run (an
    end or start date, a salary from a past day): 'payroll run MONTH' posts
    the correction.

    \b
    Examples:
      officecli payroll list
      officecli payroll list --format csv
    """
    from officecli.office.people import payroll as pay

    office = app.office
    rows = [_row(office, r) for r in pay.listing(office)]
    if app.fmt == "table":
        rows = [_table_row(r) for r in rows]
    app.rows(rows, columns=RUN_FIELDS)
