"""HR: the employees of both offices, their public part and their private pay.

An employee is two records:

* the **public part** (kind ``employee``, ``back/staff/active|former/EMP-…``):
  name, office, department, title, start, end, e-mail and history. Every site
  needs it to name who acted, so it lives in the company records and travels
  with the company repository;
* the **pay** (kind ``pay``, ``back/hr/pay/PAY-…``; PAY-A-0003 is EMP-A-0003's):
  the monthly salary, and in its history every change with its amount; once
  a salary is given an effective day (``employee edit --salary X --from
  DATE``) also its schedule, ``salaries``: (from, salary) entries, the salary
  of a day being the latest entry on or before it (office/people/payroll.py says
  what a month already run does with it: a correction). It
  lives under ``back/hr/`` (mode 0700, files 0600), which the company
  repository ignores and which can be a repository of its own
  (``officecli hr git-init``), with payroll runs and leave.

``resolve_employee`` is how every command that takes a person (``complaint
take --by``, the global ``--user``) turns what was typed into one employee:
a full ID, a unique suffix or number (``3``, ``A-0003``), or the exact name
(case and accents ignored, spaces collapsed). It reads the public part only,
so a clerk who cannot read ``back/hr`` still acts under their own name.

Whatever needs pay (a salary shown, a payroll run, a cost figure, leave)
first checks that ``back/hr`` can be read (``require_private``): a clerk who
is not HR is told "back/hr: permission denied: pay is private to HR" instead
of being shown an empty company.
"""

from __future__ import annotations

import calendar
import os
import re
from datetime import date, timedelta
from decimal import Decimal

from officecli.office import clock, money
from officecli.office.records import Record
from officecli.office.users import KIND, find_employee, label, norm
from officecli.office.workflows import PRIVATE
from officecli.office.workflows import kind as kind_named
from officecli.store import ids
from officecli.store.errors import UserError

OFFICES = ("front", "back")
PAY = "pay"
PRIVATE_TOP = PRIVATE[0]  # back/hr
DENIED = "permission denied: pay is private to HR"
# fields `employee edit` may change (end goes through `employee end`)
EDITABLE = ("name", "office", "department", "title", "salary", "start", "email")


# -- the private part: can it be read? -------------------------------------------


def _static(pattern: str) -> str:
    return pattern.split("/{", 1)[0]


def _denied_folder(office, kinds: tuple[str, ...]) -> str | None:
    """The first private folder (back/hr, then each kind's state folders) this user
    cannot list, or None. A folder that does not exist is no problem (a clone at
    another site has no back/hr at all: then there is no pay here)."""
    folders = [PRIVATE_TOP]
    for name in kinds:
        folders += [_static(p) for p in office.kind(name).states.values()]
    for folder in folders:
        try:
            with os.scandir(office.root / folder):
                pass
        except PermissionError:
            return folder
        except OSError:  # not there (or not a folder: doctor says so)
            continue
    return None


def require_private(office, *kinds: str) -> None:
    """Refuse, with one line, when the private records of these kinds (pay by
    default) cannot be read by this user."""
    denied = _denied_folder(office, kinds or (PAY,))
    if denied is not None:
        raise UserError(f"{denied}: {DENIED}")


def private_readable(office, kind_name: str) -> bool:
    """Can this user read a kind's folders (always, for a kind outside back/hr)?"""
    kind = office.kind(kind_name)
    if not all(
        _static(p) == PRIVATE_TOP or _static(p).startswith(PRIVATE_TOP + "/") for p in kind.states.values()
    ):
        return True
    return _denied_folder(office, (kind_name,)) is None


OLD_LAYOUT = "back/hr/employees"  # before the split: one private file with the salary
OLD_STATES = ("active", "former")


def old_files(office) -> list[tuple[str, str]]:
    """(state, path) of employee files still in the old layout (salary inside)."""
    if _denied_folder(office, ()) is not None:  # back/hr unreadable: its layout is not ours to see
        return []
    return [(state, rel) for state in OLD_STATES for rel in office.store.glob(f"{OLD_LAYOUT}/{state}")]


def require_split(office) -> None:
    """Refuse to work on employees while old-style files wait for 'officecli hr migrate'
    (else they would look like nobody at all)."""
    if old_files(office):
        raise UserError(
            f"{OLD_LAYOUT}/: employee files in the old layout (the salary inside the "
            "employee's record); run 'officecli hr migrate' to split them into "
            "back/staff/ (public) and back/hr/pay/ (private)"
        )


def pay_id(employee_id: str) -> str:
    """EMP-A-0003 -> PAY-A-0003: the pay record of an employee."""
    parsed = ids.parse_id(employee_id)
    if not parsed:
        raise UserError(f"employee {employee_id!r}: not an employee ID")
    return ids.format_id(kind_named(PAY).prefix, parsed[1], parsed[2])


def employee_id(pay: str) -> str:
    """PAY-A-0003 -> EMP-A-0003 ('' for a name that is no ID)."""
    parsed = ids.parse_id(pay)
    return ids.format_id(kind_named(KIND).prefix, parsed[1], parsed[2]) if parsed else ""


def pay_of(office, emp_id: str) -> Record | None:
    """The pay record of an employee, or None (checked readable first)."""
    require_private(office)
    hit = office.all_ids(PAY).get(pay_id(emp_id))
    return office.load_path(office.kind(PAY), *hit) if hit else None


def salaries(office) -> dict[str, Decimal]:
    """Employee ID -> monthly salary, for every pay record (checked readable first)."""
    return {emp: salary for emp, (salary, _) in pay_terms(office).items()}


def pay_terms(office) -> dict[str, tuple[Decimal, list[tuple[date, Decimal]]]]:
    """Employee ID -> (monthly salary now, the salary schedule: (from, salary) by day).

    The schedule is empty for a pay record that was never given a salary with
    an effective day (``employee edit --salary X --from DATE``): such an
    employee's months already run keep the salary their run used."""
    require_private(office)
    out = {}
    for rec in office.records(PAY):
        emp = rec.data.get("employee")
        if emp != employee_id(rec.id):
            raise UserError(
                f"{rec.id} ({rec.path}): employee: {emp!r} but the file is the pay of "
                f"{employee_id(rec.id)}; run 'officecli doctor'"
            )
        salary = money.parse(rec.data.get("salary"), f"{rec.id} ({rec.path}): salary", allow_negative=False)
        out[emp] = (salary, schedule_of(rec))
    return out


def schedule_of(rec: Record) -> list[tuple[date, Decimal]]:
    """A pay record's salary schedule, (from, salary) sorted by day."""
    out = []
    for item in rec.data.get("salaries") or []:
        if isinstance(item, dict):
            out.append(
                (
                    clock.parse_date(item.get("from"), f"{rec.id} ({rec.path}): salaries: from"),
                    money.parse(item.get("salary"), f"{rec.id} ({rec.path}): salaries: salary"),
                )
            )
    return sorted(out)


def salary_on(schedule: list[tuple[date, Decimal]], day: date, fallback: Decimal) -> Decimal:
    """The salary in effect on ``day``: the latest schedule entry on or before it,
    else ``fallback`` (the salary a month already run used, or the salary now)."""
    found = fallback
    for since, salary in schedule:
        if since > day:
            break
        found = salary
    return found


def resolve_employee(office, text: str, need_office: str | None = None) -> Record:
    """The one employee a full ID, unique suffix/number or name names (office/names.py).

    With ``need_office`` ('front' or 'back') the employee must work in that
    office, and still be employed: a step of that office done by anyone else
    is refused with one line saying so.
    """
    rec = find_employee(office, text)
    if rec is None:
        require_split(office)
        from officecli.office.names import example_id

        raise UserError(
            f"employee {str(text).strip()!r}: no such employee (give an ID like "
            f"{example_id(office, 'employee')}, its number or a name; see 'officecli employee list')"
        )
    if need_office is not None:
        works = rec.data.get("office")
        if works != need_office:
            raise UserError(f"{label(rec)} is a {works}-office employee; this is a {need_office}-office step")
        if rec.state != "active":
            raise UserError(
                f"{label(rec)} ({rec.path}) left on {rec.data.get('end')}; "
                f"only a current employee can do this"
            )
    return rec


# -- checks (all before any write) ---------------------------------------------


def check_office(value: str) -> str:
    v = str(value or "").strip().lower()
    if v not in OFFICES:
        raise UserError(f"office {value!r}: must be front or back")
    return v


def check_department(office, where: str, department: str) -> str:
    allowed = [str(d) for d in office.config.departments.get(where, []) or []]
    d = str(department or "").strip()
    if d not in allowed:
        lowered = {a.lower(): a for a in allowed}
        if d.lower() in lowered:
            return lowered[d.lower()]
        raise UserError(
            f"department {department!r}: not a {where}-office department; office.yaml "
            f"departments.{where} allows {', '.join(allowed) or '(none)'}"
        )
    return d


def check_salary(value) -> Decimal:
    return check_salary_of(value, "salary")


def check_salary_of(value, what: str) -> Decimal:
    """A monthly gross salary: money, more than 0; ``what`` names it in the error."""
    amount = money.parse(value, what, allow_negative=False)
    if amount == 0:
        raise UserError(f"{what} {value!r}: must be more than 0 (a monthly gross amount)")
    return amount


def check_name(value: str) -> str:
    name = re.sub(r"\s+", " ", str(value or "")).strip()
    if not name:
        raise UserError("name: must not be empty")
    return name


def check_email(value: str | None) -> str | None:
    if value is None:
        return None
    v = value.strip()
    if v and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", v):
        raise UserError(f"email {value!r}: not an e-mail address")
    return v or None


def _name_taken(office, name: str, but: str | None = None) -> Record | None:
    for r in office.records(KIND, ["active"]):
        if r.id != but and norm(r.data.get("name", "")) == norm(name):
            return r
    return None


# -- changes ---------------------------------------------------------------------


def _closed_unrun(office, day: date, what: str) -> None:
    """Refuse pay dated ``day`` inside the closed period when a month from ``day`` to the
    closed day was never run: that month's payroll could never be run (a run is dated in its
    month). A month already run is corrected by its next run, booked today."""
    from officecli.office import periods
    from officecli.office.workflows import kinds

    last = periods.closed_through(office)
    if last is None or day > last or "payroll" not in kinds():
        return
    have = office.all_ids("payroll")
    y, m = day.year, day.month
    while (y, m) <= (last.year, last.month):
        month = f"{y:04d}-{m:02d}"
        if month not in have:
            raise UserError(
                f"{what} {day.isoformat()}: inside the closed period (the books are closed through "
                f"{last.isoformat()}, office.yaml books.closed_through), and payroll {month} was never "
                "run, so it could never be paid; give a day after the closed period"
            )
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def add(
    office,
    name: str,
    where: str,
    department: str,
    title: str,
    salary,
    start: str | None = None,
    email: str | None = None,
    note: str | None = None,
) -> Record:
    name = check_name(name)
    where = check_office(where)
    department = check_department(office, where, department)
    title = str(title or "").strip()
    if not title:
        raise UserError("title: must not be empty")
    pay = check_salary(salary)
    day = clock.parse_date(start, "start") if start is not None else office.today()
    email = check_email(email)
    require_private(office)  # the pay is written too: HR only
    with office.change(f"employee add {name}"):
        _closed_unrun(office, day, "start")
        clash = _name_taken(office, name)
        if clash:
            raise UserError(
                f"employee {name!r}: {label(clash)} ({clash.path}) already has this name; "
                "two people with one name cannot be told apart by name (add a middle "
                "initial)"
            )
        data = {
            "id": office.new_id(KIND),
            "name": name,
            "office": where,
            "department": department,
            "title": title,
            "start": day.isoformat(),
            "email": email,
        }
        rec = office.create(KIND, {k: v for k, v in data.items() if v is not None}, note=note)
        _set_pay(office, rec, pay)
        return rec


def _set_pay(office, emp: Record, pay: Decimal, note: str | None = None, since: date | None = None) -> Record:
    """Write an employee's salary into its pay record (made when there is none).
    The amounts go into the private record's history, never into the public one.

    ``since``: the day the salary takes effect; it goes into the record's
    schedule (``salaries``), and months already run that it changes are
    corrected by their next ``payroll run``. Without it the salary takes
    effect from the first month not run yet for this employee (the months
    already run keep what they paid); a pay record that has a schedule gets an
    entry from that day."""
    cur = office.config.currency
    rec = pay_of(office, emp.id)
    text = money.text(pay)
    if rec is None:
        data = {"id": pay_id(emp.id), "employee": emp.id, "salary": text}
        if since is not None:
            data["salaries"] = [{"from": since.isoformat(), "salary": text}]
        return office.create(
            PAY,
            data,
            note=f"salary {text} {cur}" + (f" from {since}" if since else "") + (f"; {note}" if note else ""),
        )
    schedule = schedule_of(rec)
    old = rec.data.get("salary")
    changes: dict = {}
    if since is not None or schedule:
        unrun = first_unrun_day(office, emp)
        if since is None:
            since = unrun
        elif not schedule and old is not None and since > unrun:
            # the first entry: what was paid until then stays (the salary before it)
            schedule = [(unrun, money.parse(old, f"{rec.id} ({rec.path}): salary"))]
        schedule = sorted([(d, s) for d, s in schedule if d != since] + [(since, pay)])
        changes["salaries"] = [{"from": d.isoformat(), "salary": money.text(s)} for d, s in schedule]
        text = money.text(schedule[-1][1])  # the salary now: the latest entry
    changes["salary"] = text
    said = (
        f"salary {old} -> {money.text(pay)} {cur}"
        + (f" from {since}" if since else "")
        + (f"; {note}" if note else "")
    )
    return office.note(rec, "salary", note=said, changes=changes)


def first_unrun_day(office, emp: Record) -> date:
    """The first day of the month after the latest payroll run that paid this employee
    (their start when none did): a salary given without --from takes effect there."""
    start = clock.parse_date(emp.data.get("start"), f"{emp.id}: start")
    months = [
        str(r.data.get("month"))
        for r in office.records("payroll")
        if any(
            isinstance(line, dict) and line.get("employee") == emp.id for line in r.data.get("lines") or []
        )
    ]
    if not months:
        return start
    year, mon = clock.parse_month(max(months), "month")
    return max(start, date(year, mon, calendar.monthrange(year, mon)[1]) + timedelta(days=1))


def salary_of(office, emp: Record) -> str | None:
    """An employee's monthly salary as written ('1850.00'), or None without a pay record."""
    rec = pay_of(office, emp.id)
    return None if rec is None else rec.data.get("salary")


def parse_since(text, what: str = "--from") -> date:
    """YYYY-MM-DD, or YYYY-MM for its first day: the day a salary takes effect."""
    s = str(text).strip()
    if len(s) == 7 and s[4:5] == "-":
        year, month = clock.parse_month(s, what)
        return date(year, month, 1)
    return clock.parse_date(s, what)


def edit(
    office, ref: str, changes: dict, note: str | None = None, since: str | None = None
) -> tuple[Record, str]:
    """Set fields (name, office, department, title, salary, start, email); all checked first.

    The salary goes to the private pay record (its history keeps the amounts);
    every other field to the public part, with a history line saying what
    changed. ``since`` (with a salary): the day the salary takes effect, which
    may lie in a month already run (its next ``payroll run`` posts the
    correction). Returns (the public record, what changed in words, no amounts)."""
    if since is not None and changes.get("salary") is None:
        raise UserError(f"--from {since}: says when a new salary takes effect; give --salary too")
    day_since = parse_since(since) if since is not None else None
    rec = resolve_employee(office, ref)
    where = check_office(changes["office"]) if changes.get("office") is not None else rec.data["office"]
    clean: dict = {}
    for key, value in changes.items():
        if value is None:
            continue
        if key == "name":
            clean[key] = check_name(value)
        elif key == "office":
            clean[key] = where
        elif key == "department":
            clean[key] = check_department(office, where, value)
        elif key == "title":
            v = str(value).strip()
            if not v:
                raise UserError(f"{label(rec)} ({rec.path}): title: must not be empty")
            clean[key] = v
        elif key == "salary":
            clean[key] = money.text(check_salary(value))
        elif key == "start":
            clean[key] = clock.parse_date(value, "start").isoformat()
        elif key == "email":
            clean[key] = check_email(value)
        else:
            raise UserError(f"{label(rec)}: field {key!r} cannot be edited")
    if "office" in clean and "department" not in clean:
        clean["department"] = check_department(office, where, rec.data.get("department"))
    end = rec.data.get("end")
    if end and clean.get("start", rec.data.get("start")) > str(end):
        raise UserError(f"{label(rec)} ({rec.path}): start {clean['start']} is after the end {end}")
    salary = clean.pop("salary", None)
    if salary is not None:
        require_private(office)
        if salary == salary_of(office, rec) and day_since is None:
            salary = None
    clean = {k: v for k, v in clean.items() if v != rec.data.get(k)}
    if not clean and salary is None:
        raise UserError(f"{label(rec)} ({rec.path}): nothing to change (give --name, --title, ...)")
    what = ", ".join([*clean, *(["salary"] if salary is not None else [])])
    said = "; ".join(f"{k} {rec.data.get(k) or '(none)'} -> {v or '(none)'}" for k, v in clean.items())
    with office.change(f"employee edit {rec.id}: {what}"):
        if "name" in clean:
            clash = _name_taken(office, clean["name"], but=rec.id)
            if clash:
                raise UserError(f"employee {clean['name']!r}: {label(clash)} already has this name")
        rec = office.get(KIND, rec.id)
        if "start" in clean:
            _closed_unrun(
                office,
                min(clock.parse_date(clean["start"]), clock.parse_date(str(rec.data["start"]))),
                "start",
            )
        if salary is not None and day_since is not None:
            _closed_unrun(office, day_since, "--from")
        if salary is not None:  # pay stays out of the public record
            _set_pay(office, rec, Decimal(salary), note, day_since)
        if clean:
            rec = office.note(rec, "edit", note=f"{said}; {note}" if note else said, changes=clean)
    changed = ("salary changed" + (f" from {day_since}" if day_since else "")) if salary is not None else ""
    return rec, "; ".join(x for x in (said, changed) if x)


def end(office, ref: str, day: str, note: str | None = None) -> Record:
    """End of employment: the record moves to former/ with its end date; history kept."""
    rec = resolve_employee(office, ref)
    when = clock.parse_date(day, "--date")
    if rec.state != "active":
        raise office.wrong_state(rec, "end")
    if when > office.today():
        raise UserError(
            f"{label(rec)} ({rec.path}): --date {when} lies in the future (today is "
            f"{office.today()}); end the employment on or after its last day"
        )
    if when.isoformat() < str(rec.data.get("start")):
        raise UserError(f"{label(rec)} ({rec.path}): end {when} is before the start {rec.data.get('start')}")
    with office.change(f"employee end {rec.id} on {when}"):
        rec = office.get(KIND, rec.id)
        return office.handoff(rec, "end", note=note, changes={"end": when.isoformat()})


# -- the summary: headcount and cost, never one person's pay ----------------------

MIN_GROUP = 3  # a cost is shown only for groups of at least this many people
HIDDEN_SMALL = "hidden: fewer than 3 people"
HIDDEN_REVEAL = "hidden: would reveal a group of fewer than 3 people"


def summary(office, recs: list[Record]) -> list[dict]:
    """Headcount and monthly cost per office and department, per office, and in total.

    A cost is the sum of current monthly salaries. No line may tell anyone's pay:
    a department of one or two people shows no cost ("hidden: fewer than 3
    people"), and an office's or the company's total is hidden too when,
    less the costs shown beside it, it would give the pay of one or two
    people. (Reads the private pay: refused for a user who cannot read back/hr.)"""
    pay = salaries(office)
    groups: dict[tuple[str, str], list[Record]] = {}
    for r in recs:
        groups.setdefault((str(r.data.get("office")), str(r.data.get("department"))), []).append(r)

    def cost(members) -> str:
        return money.text(sum((pay.get(m.id, Decimal("0")) for m in members), Decimal("0")))

    def row(where, dept, members, hidden: str | None) -> dict:
        ident = f"{where}/{dept}" if dept else (where or "total")
        return {
            "id": ident,
            "state": "summary",
            "office": where or "total",
            "department": dept or "",
            "headcount": len(members),
            "cost": hidden or cost(members),
        }

    def small(n: int) -> bool:
        return 0 < n < MIN_GROUP

    out: list[dict] = []
    unknown_total = 0  # people whose pay is in no figure shown, company-wide
    offices = [o for o in OFFICES if any(k[0] == o for k in groups)]
    offices += sorted({k[0] for k in groups} - set(OFFICES))
    for where in offices:
        keys = sorted(k for k in groups if k[0] == where)
        hidden_people = 0
        for key in keys:
            members = groups[key]
            hide = small(len(members))
            hidden_people += len(members) if hide else 0
            out.append(row(where, key[1], members, HIDDEN_SMALL if hide else None))
        everyone = [m for k in keys for m in groups[k]]
        # office total less the departments shown = the hidden departments' pay
        hide_office = small(hidden_people) or small(len(everyone))
        out.append(
            row(
                where,
                None,
                everyone,
                (HIDDEN_SMALL if small(len(everyone)) else HIDDEN_REVEAL) if hide_office else None,
            )
        )
        if hide_office:  # then only the departments shown are known
            unknown_total += hidden_people
    hide_total = small(unknown_total) or small(len(recs))
    out.append(
        row(None, None, recs, (HIDDEN_SMALL if small(len(recs)) else HIDDEN_REVEAL) if hide_total else None)
    )
    return out


def missing_pay(emp_id: str, here: str | None) -> str:
    """How an employee's missing pay record is mended: a pay record is made where the
    employee was added; one made at another site arrives with HR's own repository (a
    second one made here would be a second, diverging pay record)."""
    parts = emp_id.split("-")
    made = parts[1] if len(parts) == 3 else None
    if made and here and made != here:
        return (
            f"its pay record is made at site {made}, where {emp_id} was added: it arrives "
            "with HR's repository ('officecli hr git-init --remote URL' at every site that "
            f"keeps pay, then 'officecli sync' at site {made} and here); never make a second one here"
        )
    return f"set the salary with 'officecli employee edit {emp_id} --salary MONTHLY'"
