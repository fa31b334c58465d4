"""HR: the employees of both offices (back/hr/employees/active|former, pay is private).

``resolve_employee`` is how every command that takes a person (``complaint
take --by``, the global ``--user``) turns what was typed into one employee:
a full ID, a unique suffix or number (``3``, ``A-0003``), or the exact name
(case and accents ignored, spaces collapsed).
"""
from __future__ import annotations

import re
from decimal import Decimal

from officecli.store import ids
from officecli.store.errors import UserError

from . import clock, money
from .records import Record

OFFICES = ("front", "back")
KIND = "employee"
# fields `employee edit` may change (end goes through `employee end`)
EDITABLE = ("name", "office", "department", "title", "salary", "start", "email")


_LABEL_RE = re.compile(r"^(EMP-[A-Z0-9]{1,8}-\d{1,9})\s+(\S.*)$")


def _norm(name: str) -> str:
    """A name for comparing: spaces collapsed, case and accents ignored (Greek capitals
    are written without accents, so ΑΛΕΞΙΟΥ is Αλεξίου)."""
    import unicodedata
    text = unicodedata.normalize("NFD", re.sub(r"\s+", " ", str(name)).strip())
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def label(rec: Record) -> str:
    """How a person is named in history entries and assignees: 'EMP-A-0003 Μαρία Κ.'."""
    return f"{rec.id} {rec.data.get('name', '')}".strip()


def find_employee(office, text: str) -> Record | None:
    """The employee ``text`` names, or None; UserError when it names more than one.

    Accepts what resolve_employee does, and also the label form 'EMP-A-0003 Μαρία Κ.'
    that ``office.user`` holds once it has been resolved."""
    text = (text or "").strip()
    if not text:
        return None
    known = office.all_ids(KIND)
    if not known:
        return None
    if ids.QUERY_RE.match(text):
        try:
            return office.get(KIND, text)
        except UserError as exc:
            if "ambiguous" in str(exc):
                raise
    labelled = _LABEL_RE.match(text)             # 'EMP-A-0003 Μαρία Κ.' (office.user's form)
    if labelled and labelled.group(1) in known:
        rec = office.load_path(office.kind(KIND), *known[labelled.group(1)])
        if _norm(rec.data.get("name", "")) == _norm(labelled.group(2)):
            return rec
    want = _norm(text)
    hits = [r for r in office.records(KIND) if _norm(r.data.get("name", "")) == want]
    if len(hits) > 1:
        # prefer the one still employed when a former one shares the name
        active = [r for r in hits if r.state == "active"]
        if len(active) == 1:
            return active[0]
        raise UserError(f"employee {text!r}: ambiguous, it could be "
                        f"{', '.join(sorted(label(r) for r in hits))}; give the ID")
    return hits[0] if hits else None


def resolve_employee(office, text: str, need_office: str | None = None) -> Record:
    """The one employee a full ID, unique suffix/number or exact name names.

    With ``need_office`` ('front' or 'back') the employee must work in that
    office, and still be employed: a step of that office done by anyone else
    is refused with one line saying so.
    """
    rec = find_employee(office, text)
    if rec is None:
        raise UserError(f"employee {str(text).strip()!r}: no such employee (give an ID like "
                        f"EMP-A-0001, its number, or the exact name; see 'officecli employee list')")
    if need_office is not None:
        works = rec.data.get("office")
        if works != need_office:
            raise UserError(f"{label(rec)} is a {works}-office employee; this is a "
                            f"{need_office}-office step")
        if rec.state != "active":
            raise UserError(f"{label(rec)} ({rec.path}) left on {rec.data.get('end')}; "
                            f"only a current employee can do this")
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
        raise UserError(f"department {department!r}: not a {where}-office department; office.yaml "
                        f"departments.{where} allows {', '.join(allowed) or '(none)'}")
    return d


def check_salary(value) -> Decimal:
    amount = money.parse(value, "salary", allow_negative=False)
    if amount == 0:
        raise UserError(f"salary {value!r}: must be more than 0 (a monthly gross amount)")
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
        if r.id != but and _norm(r.data.get("name", "")) == _norm(name):
            return r
    return None


# -- changes ---------------------------------------------------------------------

def add(office, name: str, where: str, department: str, title: str, salary,
        start: str | None = None, email: str | None = None, note: str | None = None) -> Record:
    name = check_name(name)
    where = check_office(where)
    department = check_department(office, where, department)
    title = str(title or "").strip()
    if not title:
        raise UserError("title: must not be empty")
    pay = check_salary(salary)
    day = clock.parse_date(start, "start") if start is not None else office.today()
    email = check_email(email)
    with office.change(f"employee add {name}"):
        clash = _name_taken(office, name)
        if clash:
            raise UserError(f"employee {name!r}: {label(clash)} ({clash.path}) already has this name; "
                            "two people with one name cannot be told apart by name (add a middle "
                            "initial)")
        data = {"id": office.new_id(KIND), "name": name, "office": where,
                "department": department, "title": title, "salary": money.text(pay),
                "start": day.isoformat(), "email": email}
        return office.create(KIND, {k: v for k, v in data.items() if v is not None}, note=note)


def edit(office, ref: str, changes: dict, note: str | None = None) -> Record:
    """Set fields (name, office, department, title, salary, start, email); all checked first."""
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
    clean = {k: v for k, v in clean.items() if v != rec.data.get(k)}
    if not clean:
        raise UserError(f"{label(rec)} ({rec.path}): nothing to change (give --name, --title, ...)")
    what = ", ".join(k for k in clean)
    said = "; ".join(f"{k} changed" if k == "salary" else      # pay stays out of the history
                     f"{k} {rec.data.get(k) or '(none)'} -> {v or '(none)'}" for k, v in clean.items())
    with office.change(f"employee edit {rec.id}: {what}"):
        if "name" in clean:
            clash = _name_taken(office, clean["name"], but=rec.id)
            if clash:
                raise UserError(f"employee {clean['name']!r}: {label(clash)} already has this name")
        rec = office.get(KIND, rec.id)
        return office.note(rec, "edit", note=f"{said}; {note}" if note else said, changes=clean)


def end(office, ref: str, day: str, note: str | None = None) -> Record:
    """End of employment: the record moves to former/ with its end date; history kept."""
    rec = resolve_employee(office, ref)
    when = clock.parse_date(day, "--date")
    if rec.state != "active":
        raise office.wrong_state(rec, "end")
    if when > office.today():
        raise UserError(f"{label(rec)} ({rec.path}): --date {when} lies in the future (today is "
                        f"{office.today()}); end the employment on or after its last day")
    if when.isoformat() < str(rec.data.get("start")):
        raise UserError(f"{label(rec)} ({rec.path}): end {when} is before the start "
                        f"{rec.data.get('start')}")
    with office.change(f"employee end {rec.id} on {when}"):
        rec = office.get(KIND, rec.id)
        return office.handoff(rec, "end", note=note, changes={"end": when.isoformat()})


def user_label(office, text: str) -> str:
    """The history name for --user/$OFFICECLI_USER: 'EMP-A-0003 Μαρία Κ.' when it
    names an employee, else the text as given. A name that could be two
    employees is refused rather than guessed."""
    try:
        if not office.all_ids(KIND):
            return text
        rec = find_employee(office, text)
    except UserError as exc:
        if "ambiguous" in str(exc):
            raise UserError(f"--user {text!r}: {str(exc).split(': ', 1)[-1]}") from None
        return text          # a broken employee file must not stop every command
    return label(rec) if rec is not None else text
