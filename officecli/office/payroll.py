"""Payroll: a month's salaries posted to the books, once, and paid, once.

``run`` computes what each employee employed during the month earns for it
and, in one change, writes the month's private record
``back/hr/payroll/YYYY-MM.yaml`` (one line per employee: name, days, salary,
amount) and posts **one** ledger transaction for the whole month
(Expenses:Salaries / Liabilities:Payroll, the total, described
"Payroll 2026-11 (6 employees)"). The shared books never name an employee
or show one person's pay; the detail stays in back/hr, private to HR.

Salaries come from the private pay records (``back/hr/pay/PAY-…``), dates of
employment from the public part (``back/staff/``): an employee employed
during the month without a pay record is refused, naming both. The monthly
salary is prorated by calendar days when the employment starts or ends
inside the month: salary x days employed / days in the month, rounded
half-up to the cent (a start on the 16th of a 30-day month is 15/30). A
second run of the same month posts nothing: the month's record is the mark
that it is done.

``pay`` posts the month's total as Liabilities:Payroll / Assets:Bank, once.

Everything here reads back/hr: a user who cannot read it is told so
("back/hr: permission denied: pay is private to HR"), never shown an empty
payroll.
"""
from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

from officecli.store.errors import UserError

from . import clock, hr, ledger, money
from .records import Record

KIND = "payroll"
EXPENSE = "Expenses:Salaries"
LIABILITY = "Liabilities:Payroll"
BANK = "Assets:Bank"
PRIVATE_LINE = ("salary", "amount")      # the keys of a line that say someone's pay


def check_month(office, text: str) -> tuple[str, date, date]:
    """'YYYY-MM' -> (month, first day, last day); refused when not a month or in the future."""
    year, mon = clock.parse_month(text, "month")
    first = date(year, mon, 1)
    last = date(year, mon, calendar.monthrange(year, mon)[1])
    today = office.today()
    if first > today:
        raise UserError(f"month {text!r}: lies in the future (today is {today}); payroll is run "
                        "for this month or an earlier one")
    return f"{year:04d}-{mon:02d}", first, last


def existing(office, month: str) -> Record | None:
    hit = office.all_ids(KIND).get(month)
    return office.load_path(office.kind(KIND), *hit) if hit else None


def get(office, text: str) -> Record:
    year, mon = clock.parse_month(text, "month")
    month = f"{year:04d}-{mon:02d}"
    hr.require_private(office, KIND)
    rec = existing(office, month)
    if rec is None:
        raise UserError(f"payroll {month}: not run yet (back/hr/payroll/{month}.yaml does not exist; "
                        f"'officecli payroll run {month}' runs it)")
    return rec


def lines_for(office, first: date, last: date) -> list[dict]:
    """What each employee employed during the month earns for it (prorated by calendar days)."""
    in_month = last.day
    hr.require_split(office)
    pay = hr.salaries(office)
    out = []
    for emp in office.records("employee"):
        start = date.fromisoformat(str(emp.data["start"]))
        end = date.fromisoformat(str(emp.data["end"])) if emp.data.get("end") else None
        if start > last or (end is not None and end < first):
            continue
        if emp.id not in pay:
            raise UserError(f"{hr.label(emp)} ({emp.path}): no pay record "
                            f"(back/hr/pay/{hr.pay_id(emp.id)}.yaml); set the salary with "
                            f"'officecli employee edit {emp.id} --salary MONTHLY'")
        a, b = max(start, first), min(end, last) if end else last
        worked = (b - a).days + 1
        salary = pay[emp.id]
        amount = salary if worked == in_month else money.q(salary * worked / in_month)
        if amount <= 0:
            continue
        out.append({"employee": emp.id, "name": emp.data.get("name"), "office": emp.data.get("office"),
                    "department": emp.data.get("department"), "salary": money.text(salary),
                    "days": worked, "month_days": in_month, "amount": money.text(amount)})
    return sorted(out, key=lambda line: line["employee"])


def people(n: int) -> str:
    return f"{n} employee{'s' if n != 1 else ''}"


def description(month: str, employees: int) -> str:
    """The one ledger line of a run: it names no one."""
    return f"Payroll {month} ({people(employees)})"


def run(office, text: str, day: str | None = None) -> tuple[Record, bool]:
    """(the month's payroll record, True if this call ran it / False if it was done already)."""
    month, first, last = check_month(office, text)
    hr.require_private(office, KIND)
    from .acting import employee
    employee(office)          # an acting --user must be a current employee
    # Everything under the lock: it finishes a run that a crash interrupted before
    # deciding whether the month is done (a half-applied run must not read as done),
    # and it sees a run that raced us. A raise in here applies nothing.
    with office.change(f"payroll run {month}"):
        done = existing(office, month)
        if done is not None:
            return done, False
        today = office.today()
        when = clock.parse_date(day, "--date") if day is not None else min(last, today)
        if when < first:
            raise UserError(f"--date {when}: before the month {month} it pays")
        if when > today:
            raise UserError(f"--date {when}: lies in the future (today is {today})")
        lines = lines_for(office, first, last)
        if not lines:
            raise UserError(f"payroll {month}: nobody was employed during the month; nothing to run "
                            "(see 'officecli employee list --all')")
        total = sum((Decimal(line["amount"]) for line in lines), Decimal("0"))
        txn = ledger.post(office, when, description(month, len(lines)),
                          [(EXPENSE, total), (LIABILITY, -total)], kind="payroll")
        rec = office.create(KIND, {"month": month, "date": when.isoformat(), "lines": lines,
                                   "total": money.text(total), "txn": txn.id}, action="run",
                            note=f"{people(len(lines))}, {money.text(total)} "
                                 f"{office.config.currency} ({txn.id})")
        return rec, True


def pay(office, text: str, day: str | None = None, note: str | None = None) -> Record:
    """Post the month's total from the bank (once)."""
    rec = get(office, text)
    month = rec.data["month"]
    if rec.data.get("paid"):
        raise UserError(f"payroll {month} ({rec.path}): already paid on {rec.data['paid']} "
                        f"({rec.data.get('payment')}); it is paid once")
    today = office.today()
    when = clock.parse_date(day, "--date") if day is not None else today
    if when > today:
        raise UserError(f"--date {when}: lies in the future (today is {today})")
    if when.isoformat() < str(rec.data["date"]):
        raise UserError(f"--date {when}: before the payroll {month} was run ({rec.data['date']})")
    total = money.parse(rec.data["total"], f"payroll {month} ({rec.path}): total")
    with office.change(f"payroll pay {month}"):
        rec = get(office, month)
        if rec.data.get("paid"):
            raise UserError(f"payroll {month} ({rec.path}): already paid on {rec.data['paid']}")
        txn = ledger.post(office, when, f"Payroll {month} paid", [(LIABILITY, total), (BANK, -total)],
                          kind="payroll")
        return office.note(rec, "pay", note=note or f"{money.text(total)} {office.config.currency} "
                           f"from {BANK} ({txn.id})",
                           changes={"paid": when.isoformat(), "payment": txn.id})


def listing(office) -> list[Record]:
    hr.require_private(office, KIND)
    return sorted(office.records(KIND), key=lambda r: str(r.data.get("month")))


def public_lines(rec: Record, show_pay: bool = False) -> list[dict]:
    """A run's lines, without salaries and amounts unless ``show_pay``."""
    out = []
    for line in rec.data.get("lines") or []:
        if isinstance(line, dict):
            out.append(dict(line) if show_pay else {k: v for k, v in line.items() if k not in PRIVATE_LINE})
    return out
