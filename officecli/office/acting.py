"""Who is acting: the employee behind --user, $OFFICECLI_USER or the login name.

* The name given (``--user``, else ``$OFFICECLI_USER``, else the login name)
  is first looked up in office.yaml's ``users:`` table, which maps login
  names to employees (``users: {maria: EMP-A-0001}``); then it is resolved
  like ``--by`` (hr.find_employee: an ID, a unique suffix or number, or the
  exact name, accents and case ignored). History entries name the employee.
* A rule that needs an employee (taking a complaint, deciding leave, running
  payroll) calls ``employee``: the acting employee, who must be a current one
  (and of the office the step belongs to, when it says). A name that is no
  employee is refused like ``--by Nobody`` when it was typed with ``--user``
  or mapped in ``users:``; $OFFICECLI_USER and the login name may name a
  non-employee (a cron job, a bot): the step is then recorded under that
  name, as before.
"""
from __future__ import annotations

from officecli.store.errors import UserError


def users_table(office) -> dict:
    table = office.config.raw.get("users") or {}
    return table if isinstance(table, dict) else {}


def mapped(office, text: str) -> str:
    """The employee office.yaml's ``users:`` maps this login name to, else the name."""
    hit = users_table(office).get(text)
    return str(hit) if hit else text


def explicit(office) -> bool:
    """Was the acting user typed with --user (or mapped in office.yaml)?"""
    given = getattr(office, "user_given", None)
    return bool(getattr(office, "user_option", None)) or given in users_table(office)


def employee(office, need_office: str | None = None):
    """The acting employee (a Record), or None when the acting name is no employee and
    may stay one (see the module); refused when it must be one."""
    from . import hr

    given = getattr(office, "user_given", None) or office.user
    name = mapped(office, given)
    rec = hr.find_employee(office, name)
    if rec is None:
        if explicit(office):
            how = f"office.yaml users: {given}: {name}" if name != given else f"--user {given!r}"
            raise UserError(f"{how}: no such employee (give an ID like EMP-A-0001, its number, "
                            "or the exact name; see 'officecli employee list')")
        return None
    return hr.resolve_employee(office, rec.id, need_office=need_office)
