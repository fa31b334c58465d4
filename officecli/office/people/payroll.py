"""Payroll: a month's salaries posted to the books, once, corrected when the facts change, paid.

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
salary that changes inside the month (a schedule entry, ``employee edit
--salary X --from DATE``) pays each day at the salary in effect that day:
sum(salary x days) / days in the month, rounded once.

Which salary a day gets: the pay record's schedule (``salaries``: the latest
entry on or before the day); before its first entry (or without one) a month
already run keeps the salary its run used, and a month not run yet uses the
salary now. So a raise given without ``--from`` never changes a month already
run; a raise ``--from`` a past day does, on purpose.

**Corrections, never silent wrongs.** A month's record is never edited once
posted. When a fact it was computed from changes afterwards (a start or end
date, a salary from a past day, an employee added with a past start), the
month has a *pending correction*: what the rules give now differs from what
was posted (the run plus its corrections so far), employee by employee.
The next ``run`` of that month posts the difference and nothing else: a
record of its own, ``back/hr/payroll/corrections/YYYY-MM.cN.yaml`` (N = 1,
2, …; one line per employee whose pay changed: was, now, difference) and
ONE ledger entry for the total difference, "Payroll 2026-10 correction 1
(1 employee)", naming nobody, booked on the day of the correction (today by
default: a past period, closed or not, is never written into). A run of a
month with nothing to correct posts nothing and says the month is done.

A difference that takes money back (an end date entered after the month was
run: the salary was overpaid) is the same entry with a negative amount:
Liabilities:Payroll is debited and Expenses:Salaries credited -- the expense
is reduced in the period the correction is made and what was owed to the
employee is reduced. If the month was paid already, Liabilities:Payroll
then holds a debit: what the employee owes back (the standard treatment of
an overpaid salary: a claim on the employee, recovered from the next pay or
repaid). ``pay`` settles it: the month's unsettled balance (run and
corrections not yet paid) is paid out when positive and received back
(Assets:Bank / Liabilities:Payroll) when negative. Nothing is kept in
Assets:Receivable, which is the customers' account (one line per invoice).

``pay`` posts the month's unsettled total as Liabilities:Payroll /
Assets:Bank, once: the run and each correction are settled once.

**Greek payroll liabilities** (office.yaml ``payroll.rates``, people/payrates.py).
With rates in force for the month, each line also carries the employee's
ΕΦΚΑ, the employer's ΕΦΚΑ, the withheld ΦΜΥ and the net, and the run's one
pooled entry is: Expenses:Salaries (gross) + Expenses:SocialInsurance
(employer's ΕΦΚΑ) / Liabilities:Payroll (net, owed to the staff) +
Liabilities:EFKA (both ΕΦΚΑ parts) + Liabilities:PayrollTax (ΦΜΥ). A
correction posts the same split of its difference (the deductions now less
those already posted, per employee). ``pay`` pays the net; ``remit`` pays
ΕΦΚΑ and ΦΜΥ (Liabilities:EFKA + Liabilities:PayrollTax / Assets:Bank), once
per run and correction. The payslip figures per person stay in back/hr.

Everything here reads back/hr: a user who cannot read it is told so
("back/hr: permission denied: pay is private to HR"), never shown an empty
payroll.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal

from officecli.office import clock, money
from officecli.office.accounts import BANK, EFKA, PAYROLL, PAYROLL_TAX, SALARIES, SOCIAL, need_accounts
from officecli.office.books import ledger
from officecli.office.people import hr, payrates
from officecli.office.records import Record
from officecli.store.errors import UserError

KIND = "payroll"
CORRECTION = "payroll_correction"
EXPENSE = SALARIES
LIABILITY = PAYROLL
PRIVATE_LINE = ("salary", "amount", "was", "difference", *payrates.PARTS)  # the keys that say someone's pay
ZERO = money.ZERO


def bounds(year: int, mon: int) -> tuple[date, date]:
    return date(year, mon, 1), date(year, mon, calendar.monthrange(year, mon)[1])


def check_month(office, text: str) -> tuple[str, date, date]:
    """'YYYY-MM' -> (month, first day, last day); refused when not a month or in the future."""
    year, mon = clock.parse_month(text, "month")
    first, last = bounds(year, mon)
    today = office.today()
    if first > today:
        raise UserError(
            f"month {text!r}: lies in the future (today is {today}); payroll is run "
            "for this month or an earlier one"
        )
    return f"{year:04d}-{mon:02d}", first, last


def existing(office, month: str) -> Record | None:
    hit = office.all_ids(KIND).get(month)
    return office.load_path(office.kind(KIND), *hit) if hit else None


def get(office, text: str) -> Record:
    year, mon = clock.parse_month(text, "month")
    month = f"{year:04d}-{mon:02d}"
    hr.require_private(office, KIND, CORRECTION)
    rec = existing(office, month)
    if rec is None:
        raise UserError(
            f"payroll {month}: not run yet (back/hr/payroll/{month}.yaml does not exist; "
            f"'officecli payroll run {month}' runs it)"
        )
    return rec


def corrections_of(office, month: str) -> list[Record]:
    """The month's correction runs, in order (2026-10.c1, 2026-10.c2, ...)."""
    found = [r for r in office.records(CORRECTION) if str(r.data.get("month")) == month]
    return sorted(found, key=lambda r: int(r.data.get("number") or 0))


# -- what the rules give ---------------------------------------------------------


def _earned(schedule, fallback: Decimal, a: date, b: date, in_month: int) -> tuple[Decimal, Decimal]:
    """(the amount for the days a..b of a month of ``in_month`` days, the salary on day b)."""
    cuts = [since for since, _ in schedule if a < since <= b]
    starts = [a, *cuts]
    ends = [c - timedelta(days=1) for c in cuts] + [b]
    total = ZERO
    for s, e in zip(starts, ends):
        total += hr.salary_on(schedule, s, fallback) * ((e - s).days + 1)
    salary = hr.salary_on(schedule, b, fallback)
    if len(starts) == 1 and (b - a).days + 1 == in_month:
        return salary, salary  # a whole month at one salary: the salary itself
    return money.q(total / in_month), salary


def _used(rec: Record | None) -> dict[str, Decimal]:
    """Employee -> the salary a month's run used (what a day before any schedule gets)."""
    out = {}
    for line in (rec.data.get("lines") or []) if rec is not None else []:
        if isinstance(line, dict) and line.get("employee") and line.get("salary") is not None:
            out[str(line["employee"])] = Decimal(str(line["salary"]))
    return out


def lines_for(office, first: date, last: date, ran: Record | None = None) -> list[dict]:
    """What each employee employed during the month earns for it (prorated by calendar days).

    ``ran``: the month's run, when there is one: a day before an employee's
    salary schedule keeps the salary that run used."""
    in_month = last.day
    hr.require_split(office)
    rates = payrates.table_for(office, first)
    pay = hr.pay_terms(office)
    used = _used(ran)
    out = []
    for emp in office.records("employee"):
        start = date.fromisoformat(str(emp.data["start"]))
        end = date.fromisoformat(str(emp.data["end"])) if emp.data.get("end") else None
        if start > last or (end is not None and end < first):
            continue
        if emp.id not in pay:
            raise UserError(
                f"{hr.label(emp)} ({emp.path}): no pay record "
                f"(back/hr/pay/{hr.pay_id(emp.id)}.yaml); " + hr.missing_pay(emp.id, office.site_info().code)
            )
        a, b = max(start, first), min(end, last) if end else last
        worked = (b - a).days + 1
        now, schedule = pay[emp.id]
        amount, salary = _earned(schedule, used.get(emp.id, now), a, b, in_month)
        if amount <= 0:
            continue
        out.append(
            {
                "employee": emp.id,
                "name": emp.data.get("name"),
                "office": emp.data.get("office"),
                "department": emp.data.get("department"),
                "salary": money.text(salary),
                "days": worked,
                "month_days": in_month,
                "amount": money.text(amount),
                **(
                    {k: money.text(v) for k, v in payrates.deductions(rates, amount).items()}
                    if rates is not None
                    else {}
                ),
            }
        )
    return sorted(out, key=lambda line: line["employee"])


def posted(rec: Record, corrections: list[Record]) -> dict[str, Decimal]:
    """Employee -> what the month's run and its corrections posted for them."""
    out: dict[str, Decimal] = {}
    for line in rec.data.get("lines") or []:
        if isinstance(line, dict):
            out[str(line["employee"])] = out.get(str(line["employee"]), ZERO) + Decimal(str(line["amount"]))
    for corr in corrections:
        for line in corr.data.get("lines") or []:
            if isinstance(line, dict):
                emp = str(line["employee"])
                out[emp] = out.get(emp, ZERO) + Decimal(str(line["difference"]))
    return out


def posted_parts(rec: Record, corrections: list[Record]) -> dict[str, dict[str, Decimal]]:
    """Employee -> the deductions (payrates.PARTS) the month's run and corrections posted;
    a line without them posted none (its net was its amount)."""
    out: dict[str, dict[str, Decimal]] = {}
    for r, key in [(rec, "amount"), *((c, "difference") for c in corrections)]:
        for line in r.data.get("lines") or []:
            if not isinstance(line, dict):
                continue
            got = out.setdefault(str(line["employee"]), {k: ZERO for k in payrates.PARTS})
            for k in payrates.PARTS:
                value = line.get(k)
                got[k] += (
                    Decimal(str(value))
                    if value is not None
                    else (Decimal(str(line[key])) if k == "net" else ZERO)
                )
    return out


def totals_of(r: Record) -> dict[str, Decimal]:
    """A run's or correction's totals: gross (``total``) and payrates.PARTS (net = total
    when it has no deductions)."""
    total = Decimal(str(r.data.get("total") or "0"))
    out = {k: Decimal(str(r.data.get(k) or "0")) for k in payrates.PARTS}
    if r.data.get("net") is None:
        out["net"] = total
    return {"total": total, **out}


def postings(sums: dict[str, Decimal]) -> list[tuple[str, Decimal | None]]:
    """The one pooled entry of a run or correction: Salaries (gross) and the employer's ΕΦΚΑ
    / the net owed to the staff, ΕΦΚΑ (both parts) and ΦΜΥ owed to the state."""
    lines: list[tuple[str, Decimal | None]] = [
        (EXPENSE, sums["total"]),
        (SOCIAL, sums["efka_employer"]),
        (LIABILITY, -sums["net"]),
        (EFKA, -(sums["efka_employee"] + sums["efka_employer"])),
        (PAYROLL_TAX, -sums["tax"]),
    ]
    return [(a, v) for a, v in lines if v != 0]  # balanced: never a single line


def _sums(lines: list[dict], key: str) -> dict[str, Decimal]:
    """The totals of a run's (``key`` amount) or correction's (difference) lines; a line
    without deductions nets its whole ``key``."""
    out = {"total": sum((Decimal(line[key]) for line in lines), ZERO)}
    for k in payrates.PARTS:
        fallback = key if k == "net" else None
        out[k] = sum(
            (Decimal(str(line.get(k) if line.get(k) is not None else (line[fallback] if fallback else "0")))
             for line in lines),
            ZERO,
        )  # fmt: skip
    return out


def _need(office, sums: dict[str, Decimal]) -> None:
    if sums["efka_employee"] or sums["efka_employer"] or sums["tax"]:
        need_accounts(office, EFKA, PAYROLL_TAX, SOCIAL)


def difference(office, rec: Record, corrections: list[Record] | None = None) -> list[dict]:
    """The lines of the correction a run month needs now (empty: nothing to correct)."""
    year, mon = clock.parse_month(str(rec.data["month"]), "month")
    first, last = bounds(year, mon)
    corrections = corrections_of(office, str(rec.data["month"])) if corrections is None else corrections
    now = {line["employee"]: line for line in lines_for(office, first, last, rec)}
    was = posted(rec, corrections)
    parts = posted_parts(rec, corrections)
    rates = payrates.table_for(office, first)
    before = {
        str(line.get("employee")): line for line in rec.data.get("lines") or [] if isinstance(line, dict)
    }
    out = []
    for emp in sorted(set(now) | set(was)):
        old = was.get(emp, ZERO)
        line = now.get(emp)
        amount = Decimal(line["amount"]) if line else ZERO
        if amount == old:
            continue
        had = parts.get(emp, {k: ZERO for k in payrates.PARTS})
        due = payrates.deductions(rates, amount)
        moved = (
            {k: money.text(due[k] - had[k]) for k in payrates.PARTS}
            if rates is not None or any(had[k] for k in payrates.PARTS if k != "net")
            else {}
        )
        if line is None:  # no longer employed during the month
            staff = office.find_any(emp)
            known = staff.data if staff is not None else before.get(emp, {})
            line = {
                "employee": emp,
                "name": known.get("name"),
                "office": known.get("office"),
                "department": known.get("department"),
                "salary": before.get(emp, {}).get("salary"),
                "days": 0,
                "month_days": last.day,
            }
        out.append(
            {
                **{
                    k: v
                    for k, v in line.items()
                    if k != "amount" and k not in payrates.PARTS and v is not None
                },
                "was": money.text(old),
                "amount": money.text(amount),
                "difference": money.text(amount - old),
                **moved,  # the deductions' differences
            }
        )
    return out


def people(n: int) -> str:
    return f"{n} employee{'s' if n != 1 else ''}"


POOL = 3  # fewer people than this in an entry: its amount could be one person's pay


def _counted(employees: int) -> str:
    """The head count of a shared ledger line, only where it cannot single anybody out."""
    return f" ({people(employees)})" if employees >= POOL else ""


def description(month: str, employees: int) -> str:
    """The one ledger line of a run: it names no one, and counts heads only from POOL up."""
    return f"Payroll {month}{_counted(employees)}"


def correction_description(month: str, number: int, employees: int) -> str:
    """A correction's ledger line: no head count below POOL (a correction of one person
    is that person's pay difference, however it is described)."""
    return f"Payroll {month} correction {number}{_counted(employees)}"


# -- run ----------------------------------------------------------------------------


def run(office, text: str, day: str | None = None) -> tuple[Record, str]:
    """(the record, what happened): 'ran' (the month's run is new), 'corrected' (a
    correction run of a month already run; the record is the correction) or 'done'
    (the month's run, nothing to correct)."""
    month, first, last = check_month(office, text)
    from officecli.office import numbering  # one site runs payroll (office.yaml payroll.site)

    numbering.require_payroll(office, month)
    hr.require_private(office, KIND, CORRECTION)
    from officecli.office.people.acting import employee

    employee(office)  # an acting --user must be a current employee
    # Everything under the lock: it finishes a run that a crash interrupted before
    # deciding whether the month is done (a half-applied run must not read as done),
    # and it sees a run that raced us. A raise in here applies nothing.
    with office.change(f"payroll run {month}"):
        done = existing(office, month)
        today = office.today()
        when = clock.parse_date(day, "--date") if day is not None else None
        if when is not None and when > today:
            raise UserError(f"--date {when}: lies in the future (today is {today})")
        if done is not None:
            return _correct(office, done, month, when)
        when = when or min(last, today)
        if when < first:
            raise UserError(f"--date {when}: before the month {month} it pays")
        lines = lines_for(office, first, last)
        if not lines:
            raise UserError(
                f"payroll {month}: nobody was employed during the month; nothing to run "
                "(see 'officecli employee list --all')"
            )
        sums = _sums(lines, "amount")
        total = sums["total"]
        _need(office, sums)
        txn = ledger.post(office, when, description(month, len(lines)), postings(sums), kind="payroll")
        parts = (
            {k: money.text(sums[k]) for k in payrates.PARTS}
            if any(k in lines[0] for k in payrates.PARTS)
            else {}
        )
        rec = office.create(
            KIND,
            {
                "month": month,
                "date": when.isoformat(),
                "lines": lines,
                "total": money.text(total),
                **parts,
                "txn": txn.id,
            },
            action="run",
            note=f"{people(len(lines))}, {money.text(total)} {office.config.currency} ({txn.id})",
        )
        return rec, "ran"


def _correct(office, done: Record, month: str, when: date | None) -> tuple[Record, str]:
    """Inside the run's change: post the month's pending correction, if any."""
    corrections = corrections_of(office, month)
    lines = difference(office, done, corrections)
    if not lines:
        return done, "done"
    after = max([str(done.data["date"])] + [str(c.data["date"]) for c in corrections])
    when = when or office.today()
    if when.isoformat() < after:
        raise UserError(
            f"--date {when}: before the payroll {month} it corrects was booked ({after}); "
            "a correction is booked on or after it"
        )
    number = len(corrections) + 1
    sums = _sums(lines, "difference")
    total = sums["total"]
    name = f"{month}.c{number}"
    data = {
        "run": name,
        "month": month,
        "number": number,
        "date": when.isoformat(),
        "lines": lines,
        "total": money.text(total),
        **(
            {k: money.text(sums[k]) for k in payrates.PARTS}
            if any(k in lines[0] for k in payrates.PARTS)
            else {}
        ),
    }
    said = f"{people(len(lines))}, {money.text(total)} {office.config.currency}"
    if any(sums[k] for k in ("total", *payrates.PARTS)):
        _need(office, sums)
        txn = ledger.post(
            office, when, correction_description(month, number, len(lines)), postings(sums), kind="payroll"
        )
        data["txn"] = txn.id
        said += f" ({txn.id})"
    rec = office.create(CORRECTION, data, action="correct", note=f"corrects payroll {month}: {said}")
    office.messages.append(f"payroll {month}: correction {name}, {said}")
    return rec, "corrected"


def pending(office, rec: Record) -> bool:
    """Does a run month need a correction now?"""
    return bool(difference(office, rec))


def pending_months(office) -> list[str]:
    """The months already run that now need a correction (for a change's caller to say so)."""
    return [str(r.data["month"]) for r in listing(office) if pending(office, r)]


# -- pay ----------------------------------------------------------------------------


def unsettled(rec: Record, corrections: list[Record]) -> list[Record]:
    """The run and corrections of a month not paid (settled) yet."""
    return [r for r in [rec, *corrections] if not r.data.get("paid")]


def owed(rec: Record, corrections: list[Record]) -> Decimal:
    """The net pay not paid yet (the gross when nothing is deducted)."""
    return sum((totals_of(r)["net"] for r in unsettled(rec, corrections)), ZERO)


def withheld(r: Record) -> Decimal:
    """ΕΦΚΑ (both parts) and ΦΜΥ of a run or correction: what `payroll remit` pays."""
    t = totals_of(r)
    return t["efka_employee"] + t["efka_employer"] + t["tax"]


def remit(office, text: str, day: str | None = None) -> tuple[Record, Decimal, str | None]:
    """Pay the month's ΕΦΚΑ and ΦΜΥ (its run and corrections not remitted yet, once each):
    Liabilities:EFKA + Liabilities:PayrollTax / Assets:Bank. (the run, the amount, the entry)."""
    from officecli.office import numbering

    year, mon = clock.parse_month(text, "month")
    numbering.require_payroll(office, f"{year:04d}-{mon:02d}")
    today = office.today()
    when = clock.parse_date(day, "--date") if day is not None else today
    if when > today:
        raise UserError(f"--date {when}: lies in the future (today is {today})")
    with office.change(f"payroll remit {year:04d}-{mon:02d}"):
        rec = get(office, text)
        month = rec.data["month"]
        corrections = corrections_of(office, month)
        todo = [r for r in [rec, *corrections] if not r.data.get("remitted") and withheld(r) != 0]
        if not todo:
            raise UserError(
                f"payroll {month} ({rec.path}): nothing withheld is left to remit "
                "(remitted already, or no ΕΦΚΑ/ΦΜΥ: office.yaml payroll.rates)"
            )
        booked = max(str(r.data["date"]) for r in todo)
        if when.isoformat() < booked:
            raise UserError(f"--date {when}: before the payroll {month} was booked ({booked})")
        efka = sum((totals_of(r)["efka_employee"] + totals_of(r)["efka_employer"] for r in todo), ZERO)
        tax = sum((totals_of(r)["tax"] for r in todo), ZERO)
        total = efka + tax
        lines = [(a, v) for a, v in ((EFKA, efka), (PAYROLL_TAX, tax)) if v != 0] + [(BANK, -total)]
        txn = ledger.post(office, when, f"Payroll {month}: ΕΦΚΑ and ΦΜΥ paid", lines, kind="payroll")
        said = f"ΕΦΚΑ {money.text(efka)} + ΦΜΥ {money.text(tax)} {office.config.currency} ({txn.id})"
        out = rec
        for item in todo:
            done = office.note(
                item, "remit", note=said, changes={"remitted": when.isoformat(), "remittance": txn.id}
            )
            if item is rec:
                out = done
        office.messages.append(f"payroll remit {month}: {said}")
        return out, total, txn.id


def pay(
    office, text: str, day: str | None = None, note: str | None = None
) -> tuple[Record, Decimal, str | None]:
    """Settle the month: pay the run and its corrections not paid yet (once each).
    Returns (the month's run, the amount paid: negative when received back, the
    bank entry's ID: None when the corrections added up to nothing)."""
    from officecli.office import numbering  # one site pays payroll (office.yaml payroll.site)

    year, mon = clock.parse_month(text, "month")
    numbering.require_payroll(office, f"{year:04d}-{mon:02d}")
    rec = get(office, text)
    month = rec.data["month"]
    today = office.today()
    when = clock.parse_date(day, "--date") if day is not None else today
    if when > today:
        raise UserError(f"--date {when}: lies in the future (today is {today})")
    cur = office.config.currency
    with office.change(f"payroll pay {month}"):
        rec = get(office, month)
        corrections = corrections_of(office, month)
        todo = unsettled(rec, corrections)
        if not todo:
            last = corrections[-1] if corrections else rec
            raise UserError(
                f"payroll {month} ({rec.path}): already paid on {last.data['paid']} "
                f"({last.data.get('payment') or 'nothing to pay'}); it is paid once"
            )
        booked = max(str(r.data["date"]) for r in todo)
        if when.isoformat() < booked:
            what = "run" if rec in todo and booked == str(rec.data["date"]) else "corrected"
            raise UserError(f"--date {when}: before the payroll {month} was {what} ({booked})")
        total = owed(rec, corrections)
        changes: dict = {"paid": when.isoformat()}
        if total != 0:
            what = "paid" if rec in todo else "corrections paid"  # "Payroll M paid": once (mergedoctor)
            words = f"Payroll {month} {what}" if total > 0 else f"Payroll {month}: overpaid salary repaid"
            txn = ledger.post(office, when, words, [(LIABILITY, total), (BANK, -total)], kind="payroll")
            changes["payment"] = txn.id
            said = (
                f"{money.text(total)} {cur} from {BANK}"
                if total > 0
                else f"{money.text(-total)} {cur} received back into {BANK}"
            ) + f" ({txn.id})"
        else:
            said = f"nothing to pay: the corrections add up to 0.00 {cur}"
        out = rec
        for item in todo:
            done = office.note(item, "pay", note=note or said, changes=changes)
            if item is rec:
                out = done
        return out, total, changes.get("payment")


# -- reading ------------------------------------------------------------------------


def listing(office) -> list[Record]:
    hr.require_private(office, KIND, CORRECTION)
    return sorted(office.records(KIND), key=lambda r: str(r.data.get("month")))


def public_lines(rec: Record, show_pay: bool = False) -> list[dict]:
    """A run's lines, without salaries and amounts unless ``show_pay``."""
    out = []
    for line in rec.data.get("lines") or []:
        if isinstance(line, dict):
            out.append(dict(line) if show_pay else {k: v for k, v in line.items() if k not in PRIVATE_LINE})
    return out
