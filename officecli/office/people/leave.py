"""Leave requests (LVE-…): requested -> approved | rejected, under back/hr/leave/.

A leave runs from its first day to its last day, both included (calendar
days). It must lie inside the employment, must not end before it starts and
must not overlap a leave of the same employee that is already approved; the
overlap is checked again when a request is approved, so two requests for the
same days cannot both be approved.

Leave is private like pay (who is away, and why): it lives under back/hr,
and a user who cannot read back/hr is told so ("back/hr: permission denied:
pay is private to HR") instead of being shown no leave at all.
"""

from __future__ import annotations

from datetime import date

from officecli.office import clock
from officecli.office.people.hr import label, require_private, resolve_employee
from officecli.office.records import Record
from officecli.store.errors import UserError

KIND = "leave"


def days(rec: Record) -> int:
    return (date.fromisoformat(str(rec.data["to"])) - date.fromisoformat(str(rec.data["from"]))).days + 1


def _overlap(office, employee_id: str, start: date, stop: date, but: str | None = None) -> Record | None:
    for other in office.records(KIND, ["approved"]):
        if other.id == but or other.data.get("employee") != employee_id:
            continue
        if str(other.data["from"]) <= stop.isoformat() and start.isoformat() <= str(other.data["to"]):
            return other
    return None


def request(office, employee: str, start: str, stop: str, note: str | None = None) -> Record:
    require_private(office, KIND)
    emp = resolve_employee(office, employee)
    first = clock.parse_date(start, "--from")
    last = clock.parse_date(stop, "--to")
    who = f"{label(emp)} ({emp.path})"
    if last < first:
        raise UserError(
            f"leave for {who}: --to {last} is before --from {first}; a leave cannot end before it starts"
        )
    if emp.state != "active":
        raise UserError(
            f"leave for {who}: left on {emp.data.get('end')}; only a current employee can ask for leave"
        )
    if first.isoformat() < str(emp.data.get("start")):
        raise UserError(
            f"leave for {who}: --from {first} is before the start of employment {emp.data.get('start')}"
        )
    clash = _overlap(office, emp.id, first, last)
    if clash:
        raise UserError(
            f"leave for {who}: {first}..{last} overlaps the approved leave {clash.id} "
            f"({clash.data['from']}..{clash.data['to']}, {clash.path})"
        )
    with office.change(f"leave request {emp.id} {first}..{last}"):
        data = {
            "id": office.new_id(KIND),
            "employee": emp.id,
            "from": first.isoformat(),
            "to": last.isoformat(),
            "note": note,
        }
        return office.create(KIND, {k: v for k, v in data.items() if v}, action="request")


def decide(office, ref: str, verb: str, note: str | None = None) -> Record:
    """approve or reject a requested leave."""
    require_private(office, KIND)
    from officecli.office.people.acting import employee

    employee(office)  # an acting --user must be a current employee
    rec = office.get(KIND, ref)
    if rec.state not in rec.kind.handoffs[verb].sources:
        raise UserError(
            f"leave {rec.id} ({rec.path}): state is {rec.state}, but 'employee leave-{verb}' "
            f"needs requested; a leave is decided once"
        )
    if verb == "approve":
        clash = _overlap(
            office,
            rec.data["employee"],
            date.fromisoformat(str(rec.data["from"])),
            date.fromisoformat(str(rec.data["to"])),
            but=rec.id,
        )
        if clash:
            raise UserError(
                f"leave {rec.id} ({rec.path}): {rec.data['from']}..{rec.data['to']} overlaps "
                f"the approved leave {clash.id} ({clash.data['from']}..{clash.data['to']}); "
                f"reject one of them"
            )
    with office.change(f"leave {verb} {rec.id}"):
        rec = office.get(KIND, rec.id)
        return office.handoff(rec, verb, note=note)


def listing(office, employee: str | None = None, states=None) -> list[Record]:
    require_private(office, KIND)
    recs = office.records(KIND, states)
    if employee:
        emp = resolve_employee(office, employee)
        recs = [r for r in recs if r.data.get("employee") == emp.id]
    return sorted(recs, key=lambda r: (str(r.data.get("from")), r.id))
