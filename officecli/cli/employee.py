"""officecli employee: the people of both offices, and their leave."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import each_id, format_option, id_complete, listing, note_option, period_options, state_option

PAY_HIDDEN = "salary"
LIST_COLUMNS = [
    ("id", "ID"),
    ("state", "State"),
    ("name", "Name"),
    ("office", "Office"),
    ("department", "Department"),
    ("title", "Title"),
    ("start", "Start"),
    ("end", "End"),
]
LEAVE_COLUMNS = [
    ("id", "ID"),
    ("state", "State"),
    ("employee", "Employee"),
    ("name", "Name"),
    ("from", "From"),
    ("to", "To"),
    ("days", "Days"),
    ("note", "Note"),
]

show_pay_option = click.option(
    "--show-pay", is_flag=True, help="Show salaries (hidden by default: pay is private)."
)


@click.group()
def employee():
    """Keep the employees of the front and back office, and their leave.

    An employee is two files. The public part (name, office, department,
    title, start, end, e-mail, history) is back/staff/active/EMP-… (former/
    once they leave): every site needs it to name who acted. The pay is
    private to HR: back/hr/pay/PAY-… (PAY-A-0003 for EMP-A-0003), with
    payroll runs and leave, under back/hr (mode 0700, files 0600, ignored
    by the company's git repository; see 'officecli hr --help'). Salaries are
    shown only with --show-pay. A user who cannot read back/hr still lists
    and names employees; whatever needs pay tells them "back/hr: permission
    denied: pay is private to HR". Wherever a command takes a person (the
    global --user, 'complaint take --by') an employee ID, its number or the
    exact name (any case) names that employee.

    \b
    Examples:
      officecli employee add "Μαρία Κωνσταντίνου" --office back --department hr \\
          --title "HR manager" --salary 1850.00 --start 2025-03-01
      officecli employee list --office front
      officecli employee list --summary
      officecli employee show 3 --show-pay
      officecli employee leave-request 3 -b 2026-12-22 -e 2026-12-31
    """


def _row(rec, salary: str | None = None, show_pay: bool = False) -> dict:
    """The public part as a row; with ``show_pay`` the salary from the pay record."""
    row = rec.as_row()
    row.pop(PAY_HIDDEN, None)  # (an old-style file still holding one)
    if show_pay:
        keep = list(row.items())
        row = {}
        for key, value in keep:
            if key == "history":
                row[PAY_HIDDEN] = salary
            row[key] = value
        row.setdefault(PAY_HIDDEN, salary)
    return row


@employee.command("add")
@click.argument("name")
@click.option(
    "--office",
    "where",
    required=True,
    type=click.Choice(["front", "back"]),
    help="Which office the person works in.",
)
@click.option(
    "--department", required=True, help="A department of that office, from office.yaml 'departments'."
)
@click.option("--title", required=True, help="Job title.")
@click.option(
    "--salary",
    required=True,
    metavar="MONTHLY",
    help="Monthly gross salary, a decimal amount such as 1450.00.",
)
@click.option("--start", metavar="DATE", help="First day of employment (YYYY-MM-DD; default today).")
@click.option("--email", help="Work e-mail address.")
@note_option
@format_option
@pass_app
def add(app: App, name, where, department, title, salary, start, email, note):
    """Add an employee of the front or back office.

    The department must be one office.yaml lists under 'departments' for that
    office (by default front: sales, service, marketing; back: warehouse,
    accounting, hr, product). Two current employees may not share a name,
    since a name is accepted wherever an employee is asked for. Writes the
    public part to back/staff/active/ and the salary to back/hr/pay/, in one
    change (so only someone who can write back/hr adds employees).

    \b
    Examples:
      officecli employee add "Νίκος Αλεξίου" --office front --department sales \\
          --title "Sales associate" --salary 1200.00 --start 2026-09-16
      officecli employee add "Ελένη Μάρκου" --office back --department warehouse \\
          --title Storekeeper --salary 1100 --email eleni@example.gr
    """
    from officecli.office.people import hr

    rec = hr.add(app.office, name, where, department, title, salary, start, email, note)
    app.created(rec.id, f"{rec.data['name']} ({rec.data['office']}/{rec.data['department']})")
    _pending(app)


@employee.command("list")
@click.option("--office", "where", type=click.Choice(["front", "back"]), help="Only this office.")
@click.option("--department", help="Only this department.")
@click.option("--former", "which", flag_value="former", help="Only people who have left.")
@click.option("--all", "which", flag_value="all", help="Current and former employees.")
@click.option(
    "--summary",
    is_flag=True,
    help="Headcount and monthly payroll cost per office and department (current staff); "
    "the cost of fewer than 3 people is hidden.",
)
@show_pay_option
@listing("employee", all_flag=False)
@format_option
@pass_app
def list_(app: App, where, department, which, summary, show_pay):
    """List employees (current ones unless --former or --all).

    Reads only the public part (back/staff), so it works for everyone;
    --show-pay adds the Salary column and needs back/hr.

    --summary prints one line per office and department with its headcount
    and monthly payroll cost (the sum of current monthly salaries), one line
    per office, and the total. No line tells anyone's pay: a department of
    fewer than 3 people shows "hidden: fewer than 3 people" instead of its
    cost, and an office's or the company's total is hidden as well when,
    less the costs shown beside it, it would give the pay of one or two
    people.

    \b
    Examples:
      officecli employee list
      officecli employee list --office back --department warehouse --show-pay
      officecli employee list --all --format csv
      officecli employee list --summary
    """
    from officecli.office.people import hr

    office = app.office
    hr.require_split(office)
    states = {"former": ["former"], "all": None}.get(which, ["active"])
    if summary:
        states = ["active"]
    recs = office.records("employee", states)
    if where:
        recs = [r for r in recs if r.data.get("office") == where]
    if department:
        recs = [r for r in recs if str(r.data.get("department", "")).lower() == department.lower()]
    recs.sort(key=lambda r: r.id)
    if summary:
        app.rows(
            hr.summary(office, recs),
            columns=[
                ("office", "Office"),
                ("department", "Department"),
                ("headcount", "Headcount"),
                ("cost", "Monthly cost"),
            ],
        )
        return
    pay = {}
    if show_pay:
        from officecli.office import money

        pay = {k: money.text(v) for k, v in hr.salaries(office).items()}
    columns = list(LIST_COLUMNS) + ([("salary", "Salary")] if show_pay else [])
    app.rows([_row(r, pay.get(r.id), show_pay) for r in recs], columns=columns)


@employee.command("show")
@each_id("employee", "employee_ref")
@show_pay_option
@format_option
@pass_app
def show(app: App, employee_ref, show_pay):
    """Show one employee with its history.

    The employee is named by ID, number or exact name (case and accents ignored).

    \b
    Examples:
      officecli employee show 3
      officecli employee show "Μαρία Κωνσταντίνου" --show-pay
      officecli employee show EMP-A-0003 --format json
    """
    from officecli.office.people import hr

    rec = hr.resolve_employee(app.office, employee_ref)
    pay = hr.pay_of(app.office, rec.id) if show_pay else None
    row = _row(rec, pay.data.get("salary") if pay is not None else None, show_pay)
    if app.fmt != "table":
        app.one(row)
        return
    fields = [
        ("id", "ID"),
        ("state", "State"),
        ("name", "Name"),
        ("office", "Office"),
        ("department", "Department"),
        ("title", "Title"),
        *([("salary", "Salary")] if show_pay else []),
        ("start", "Start"),
        ("end", "End"),
        ("email", "E-mail"),
        ("created", "Created"),
    ]
    app.one(row, fields)
    app.say(f"File:       {rec.path}")
    if show_pay:
        app.say(f"Pay:        {pay.path if pay is not None else '(no pay record)'}")
    _history(app, rec)
    if pay is not None:
        app.say("Pay history:")
        for h in pay.data.get("history") or []:
            note = f"  ({h['note']})" if h.get("note") else ""
            app.say(f"  {h.get('at')}  {h.get('action')}  by {h.get('by')}{note}")


def _history(app: App, rec) -> None:
    entries = rec.data.get("history") or []
    if entries:
        app.say("History:")
    for h in entries:
        move = f" {h.get('from', '')} -> {h['to']}" if h.get("to") else ""
        note = f"  ({h['note']})" if h.get("note") else ""
        app.say(f"  {h.get('at')}  {h.get('action')}{move}  by {h.get('by')}{note}")


@employee.command("edit")
@each_id("employee", "employee_ref")
@click.option("--name", help="New name.")
@click.option(
    "--office",
    "where",
    type=click.Choice(["front", "back"]),
    help="Move to the other office (the department must exist there).",
)
@click.option("--department", help="New department.")
@click.option("--title", help="New job title.")
@click.option(
    "--salary",
    metavar="MONTHLY",
    help="New monthly salary (from the first month not run yet, unless --from).",
)
@click.option(
    "--from",
    "since",
    metavar="YYYY-MM[-DD]",
    help="The day the new --salary takes effect (YYYY-MM: its first day); it may lie in a "
    "month already run, whose next 'payroll run' posts the correction.",
)
@click.option("--start", metavar="DATE", help="Correct the first day of employment.")
@click.option("--email", help="New e-mail address ('' removes it).")
@note_option
@format_option
@pass_app
def edit(app: App, employee_ref, name, where, department, title, salary, since, start, email, note):
    """Change an employee's fields.

    Each change is a line in the history. A new salary goes to the private
    pay record (back/hr/pay/, which says the old and new amounts; the public
    record does not mention it). Without --from it takes effect from the
    first month not run yet for the employee: payroll runs already made keep
    the salary they used. With --from YYYY-MM[-DD] it takes effect from that
    day (the record keeps the schedule): a day inside a month already run
    changes what that month owes, and the month's next 'payroll run' posts
    the difference as a correction run (this command says which months). A
    --start moved into or out of a month already run is corrected the same
    way. The end of employment is set with 'employee end'.

    \b
    Examples:
      officecli employee edit 3 --salary 1950.00 --note "raise from January"
      officecli employee edit 3 --salary 2000.00 --from 2026-09    # then: payroll run 2026-09 ...
      officecli employee edit 5 --office back --department warehouse --title Packer
    """
    from officecli.office.people import hr

    changes = {
        "name": name,
        "office": where,
        "department": department,
        "title": title,
        "salary": salary,
        "start": start,
        "email": email,
    }
    rec, said = hr.edit(app.office, employee_ref, changes, note, since)
    app.say(f"{rec.id}  edited: {said}")
    _pending(app)
    if app.fmt != "table":
        app.one(_row(rec))


def _pending(app: App) -> None:
    """Say which months already run need a correction after this change (silent for a
    user who cannot read back/hr: the change is theirs, the pay is HR's)."""
    from officecli.office.people import hr, payroll
    from officecli.store.errors import UserError

    try:
        if not hr.private_readable(app.office, "payroll"):
            return
        months = payroll.pending_months(app.office)
    except UserError:
        return
    for month in months:
        app.say(
            f"payroll {month}: a correction is pending (a month already run); "
            f"'officecli payroll run {month}' posts it"
        )


@employee.command("end")
@each_id("employee", "employee_ref")
@click.option(
    "--date",
    "day",
    required=True,
    metavar="DATE",
    help="Last day of employment (YYYY-MM-DD), not in the future; payroll pays up to this day.",
)
@note_option
@format_option
@pass_app
def end(app: App, employee_ref, day, note):
    """End an employment.

    The public record moves to back/staff/former/ with its end date; the
    history is kept; the last month's payroll is prorated to the end date.
    An end date inside a month already run (entered after the run) makes
    the salary paid for the days after it an overpayment: the command says
    the month has a correction pending, and 'payroll run MONTH' posts the
    negative difference as a correction run (see 'payroll run --help').
    The pay record stays where it is (back/hr/pay/).

    \b
    Examples:
      officecli employee end 4 --date 2026-10-15 --note "moved to Thessaloniki"
    """
    from officecli.office.people import hr

    rec = hr.end(app.office, employee_ref, day, note)
    app.say(f"{rec.id}  {rec.data['name']}: employment ended on {rec.data['end']} ({rec.folder}/)")
    _pending(app)
    if app.fmt != "table":
        app.one(_row(rec))


# -- leave -----------------------------------------------------------------------


def _leave_row(office, rec) -> dict:
    from officecli.office.people import leave

    row = rec.as_row()
    emp = office.all_ids("employee").get(rec.data.get("employee"))
    name = office.load_path(office.kind("employee"), *emp).data.get("name") if emp else ""
    row["name"] = name
    row["days"] = leave.days(rec)
    return row


@employee.command("leave-request")
@click.argument("employee_ref", metavar="ID", shell_complete=id_complete("employee"))
@period_options(
    "start",
    "stop",
    begin_help="First day of leave.",
    end_help="Last day of leave (included).",
    begin_aliases=("--from",),
    end_aliases=("--to",),
    required=True,
)
@note_option
@format_option
@pass_app
def leave_request(app: App, employee_ref, start, stop, note):
    """Ask for leave for an employee.

    The request LVE-… goes to back/hr/leave/requested/. Both days are included. Refused when it ends before it starts, falls
    outside the employment, or overlaps a leave already approved.

    \b
    Examples:
      officecli employee leave-request 3 -b 2026-12-22 -e 2026-12-31 --note Christmas
    """
    from officecli.office.people import leave

    rec = leave.request(app.office, employee_ref, start, stop, note)
    app.created(rec.id, f"leave {rec.data['from']}..{rec.data['to']} for {rec.data['employee']} (requested)")


def _decide(verb: str):
    @each_id("leave", "request", "REQ")
    @note_option
    @format_option
    @pass_app
    def command(app: App, request, note):
        from officecli.office.people import leave

        rec = leave.decide(app.office, request, verb, note)
        app.say(f"{rec.id}  {rec.state} ({rec.data['employee']} {rec.data['from']}..{rec.data['to']})")
        if app.fmt != "table":
            app.one(_leave_row(app.office, rec))

    return command


leave_approve = employee.command(
    "leave-approve",
    help="""Approve a requested leave.

    Refused when it overlaps another approved leave of the same employee.

    \b
    Examples:
      officecli employee leave-approve LVE-A-0002
      officecli employee leave-approve 2 --note "enjoy"
    """,
)(_decide("approve"))

leave_reject = employee.command(
    "leave-reject",
    help="""Reject a requested leave.

    \b
    Examples:
      officecli employee leave-reject 3 --note "stock-taking that week"
    """,
)(_decide("reject"))


@employee.command("leave-list")
@click.option("--employee", "employee_ref", metavar="ID", help="Only this employee's leave.")
@state_option(["requested", "approved", "rejected"], "leave")
@listing("leave")
@format_option
@pass_app
def leave_list(app: App, employee_ref, state):
    """List leave requests, by first day.

    \b
    Examples:
      officecli employee leave-list
      officecli employee leave-list --state requested
      officecli employee leave-list --employee 3 --format json
    """
    from officecli.office.people import leave

    recs = leave.listing(app.office, employee_ref, [state] if state else None)
    app.rows([_leave_row(app.office, r) for r in recs], columns=LEAVE_COLUMNS)
