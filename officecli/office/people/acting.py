"""Who is acting, as a rule needs it: the employee behind --user, $OFFICECLI_USER
or the login name (found as office/users.py says).

* A rule that needs an employee (taking a complaint, deciding leave, running
  payroll) calls ``employee``: the acting employee, who must be a current one
  (and of the office the step belongs to, when it says). A name that is no
  employee is refused like ``--by Nobody`` when it was typed with ``--user``
  or mapped in ``users:``; $OFFICECLI_USER and the login name may name a
  non-employee (a cron job, a bot): the step is then recorded under that
  name, as before.
"""

from __future__ import annotations

from officecli.office.people import hr
from officecli.office.users import explicit, find_employee, mapped
from officecli.store.errors import UserError


def employee(office, need_office: str | None = None):
    """The acting employee (a Record), or None when the acting name is no employee and
    may stay one (see the module); refused when it must be one."""
    given = getattr(office, "user_given", None) or office.user
    name = mapped(office, given)
    rec = find_employee(office, name)
    if rec is None:
        if explicit(office):
            how = f"office.yaml users: {given}: {name}" if name != given else f"--user {given!r}"
            from officecli.office.names import example_id

            raise UserError(
                f"{how}: no such employee (give an ID like {example_id(office, 'employee')}, "
                "its number or a name; see 'officecli employee list')"
            )
        return None
    return hr.resolve_employee(office, rec.id, need_office=need_office)
