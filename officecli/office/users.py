"""Who is acting, and how a person is named: the employee behind --user,
$OFFICECLI_USER or the login name (people/acting.py says what a step needs of them).

The name given is first looked up in office.yaml's ``users:`` table, which maps
login names to employees (``users: {maria: EMP-A-0001}``); then it is found like
``--by`` (``find_employee``: an ID, a unique suffix or number, a name as office/names.py
finds it -- accents, case and «» ignored, the exact name or the beginnings of its words --
or the label 'EMP-A-0003 Μαρία Κ.'). History entries
name the employee by that label. Every Office resolves its user here, so this
sits in the kernel, below the people room that keeps the employees.
"""

from __future__ import annotations

import re
from typing import Any

from officecli.office.records import Record
from officecli.store import ids
from officecli.store.errors import UserError

KIND = "employee"


def users_table(office: Any) -> dict[str, Any]:
    table = office.config.raw.get("users") or {}
    return table if isinstance(table, dict) else {}


def mapped(office: Any, text: str) -> str:
    """The employee office.yaml's ``users:`` maps this login name to, else the name."""
    hit = users_table(office).get(text)
    return str(hit) if hit else text


def explicit(office: Any) -> bool:
    """Was the acting user typed with --user (or mapped in office.yaml)?"""
    given = getattr(office, "user_given", None)
    return bool(getattr(office, "user_option", None)) or given in users_table(office)


_LABEL_RE = re.compile(r"^(EMP-[A-Z0-9]{1,8}-\d{1,9})\s+(\S.*)$")


def norm(name: str) -> str:
    """A name for comparing: spaces collapsed, case and accents ignored (Greek capitals
    are written without accents, so ΑΛΕΞΙΟΥ is Αλεξίου)."""
    import unicodedata  # imported here: only comparing names needs it

    text = unicodedata.normalize("NFD", re.sub(r"\s+", " ", str(name)).strip())
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def label(rec: Record) -> str:
    """How a person is named in history entries and assignees: 'EMP-A-0003 Μαρία Κ.'."""
    return f"{rec.id} {rec.data.get('name', '')}".strip()


def find_employee(office: Any, text: str) -> Record | None:
    """The employee ``text`` names, or None; UserError when it names more than one.

    Accepts what resolve_employee does, and also the label form 'EMP-A-0003 Μαρία Κ.'
    that ``office.user`` holds once it has been resolved."""
    text = (text or "").strip().strip("«»\"'").strip()
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
    labelled = _LABEL_RE.match(text)  # 'EMP-A-0003 Μαρία Κ.' (office.user's form)
    if labelled and labelled.group(1) in known:
        rec = office.load_path(office.kind(KIND), *known[labelled.group(1)])
        if norm(rec.data.get("name", "")) == norm(labelled.group(2)):
            return rec
    from officecli.office.names import by_name  # the one resolver's names
    from officecli.office.names import label as named

    hits = by_name(office, KIND, text)
    if len(hits) > 1:
        raise UserError(
            f"employee {text!r}: ambiguous, it could be {', '.join(named(r) for r in hits)}; give the ID"
        )
    return hits[0] if hits else None


def user_label(office: Any, text: str) -> str:
    """The history name for --user/$OFFICECLI_USER: 'EMP-A-0003 Μαρία Κ.' when it
    names an employee, else the text as given. A name that could be two
    employees is refused rather than guessed."""
    try:
        text = mapped(office, text)  # office.yaml users: login name -> employee
        if not office.all_ids(KIND):
            return text
        rec = find_employee(office, text)
    except UserError as exc:
        if "ambiguous" in str(exc):
            raise UserError(f"--user {text!r}: {str(exc).split(': ', 1)[-1]}") from None
        return text  # a broken employee file must not stop every command
    return label(rec) if rec is not None else text
