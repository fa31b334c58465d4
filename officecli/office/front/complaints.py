"""Complaints: intake at the front office, handling at the back office, answer back.

    add      -> front/complaints/new            (deadlines stamped from sla_hours)
    forward  new -> back/complaints/inbox
    take     inbox -> back/complaints/working   (assignee: a back-office employee)
    wait     working -> back/complaints/waiting (the resolution clock pauses)
    resume   waiting -> working
    resolve  working -> front/complaints/answered (resolution; maybe an improvement)
    close    answered -> archive/complaints/closed/YYYY
    reopen   answered|closed -> back/complaints/inbox

``escalate`` is the cron job: it forwards what the front office left in
``new`` past the forwarding deadline and marks each SLA breach once.
"""

from __future__ import annotations

from datetime import timedelta

from officecli.office.front import sla
from officecli.office.records import Record
from officecli.store.errors import UserError

CHANNELS = ("phone", "email", "shop")
OPEN = ("new", "inbox", "working", "waiting")
ESCALATOR = "officecli escalate"


def _text(value, what: str, hint: str = "") -> str:
    text = (value or "").strip()
    if not text:
        raise UserError(f"{what} is empty{hint}")
    return text


def clocks(office, rec: Record) -> dict[str, sla.Clock]:
    return sla.clocks(rec.data, office.now(), office.config.sla_hours)


def deadlines(office) -> dict:
    """``due`` for a complaint received now: one stamp per target in office.yaml's sla_hours."""
    now = office.now()
    hours = office.config.sla_hours
    return {
        t: sla.later(now, timedelta(hours=float(hours[t]))).isoformat(timespec="seconds")
        for t in sla.TARGETS
        if hours.get(t)
    }


# -- the journey ---------------------------------------------------------------


def add(office, customer: str, text: str, order: str | None = None, channel: str | None = None) -> Record:
    text = _text(text, "complaint add: TEXT", " (write what the customer said)")
    if channel is not None and channel not in CHANNELS:
        raise UserError(f"complaint add: channel {channel!r} is not one of {', '.join(CHANNELS)}")
    with office.change():
        from officecli.office.front.customers import find

        cust = find(office, customer)
        data = {"customer": cust.id}
        if order is not None:  # --order "" is a mistake, not "no order"
            ordr = office.get("order", order)
            if ordr.get("customer") != cust.id:
                raise UserError(
                    f"order {ordr.id} ({ordr.path}): customer is {ordr.get('customer')}, "
                    f"not {cust.id}; a complaint names one of its customer's own orders"
                )
            data["order"] = ordr.id
        if channel:
            data["channel"] = channel
        data["text"] = text
        data["due"] = deadlines(office)
        ident = office.new_id("complaint")
        rec = office.create("complaint", {"id": ident, **data})
        office.messages.append(f"complaint {ident} received from {cust.id}")
        return rec


def forward(office, ref: str, note: str | None = None) -> Record:
    with office.change():
        rec = office.get("complaint", ref)
        return office.handoff(rec, "forward", note=note)


def _assignee(office, by: str | None):
    """The back-office employee taking a complaint: ``by``, else the acting user.

    ``by`` must name a back-office employee (HR's resolve_employee). The acting
    user is resolved the same way when it names an employee, else recorded as
    given. Returns (employee record or None, name)."""
    try:
        from officecli.office.people import hr
    except ImportError:  # without the HR module, names are recorded as given
        hr = None
    if by is not None:
        if hr is None:
            return None, by
        return hr.resolve_employee(office, by, need_office="back"), by
    acting = getattr(office, "user_given", None) or office.user  # as typed, not the label
    if hr is not None:
        from officecli.office.people.acting import employee  # --user Nobody is refused like --by Nobody

        emp = employee(office, need_office="back")
        if emp is not None:
            return emp, acting
    return None, acting


def take(office, ref: str, by: str | None = None) -> Record:
    """Give the complaint to a back-office employee (``by``, else the acting user)."""
    with office.change():
        rec = office.get("complaint", ref)
        if rec.state not in office.kind("complaint").handoffs["take"].sources:
            raise office.wrong_state(rec, "take")
        if by is not None:
            by = _text(by, f"{rec.where}: --by")
        emp, name = _assignee(office, by)
        if emp is not None:
            changes = {"assignee": str(emp.get("name")), "assignee_id": emp.id}
            note = f"assigned to {emp.id} {emp.get('name')}"
        else:
            changes = {"assignee": name, "assignee_id": None}
            note = f"assigned to {name}"
        return office.handoff(rec, "take", note=note, changes=changes)


TAKEN = ("working", "waiting")


def assign(office, ref: str, to: str, note: str | None = None) -> Record:
    """Give a taken complaint (working or waiting) to another back-office employee;
    it stays where it is, with one history entry 'assign'."""
    to = _text(to, f"complaint {ref}: --to")
    from officecli.office.people import hr

    with office.change():
        rec = office.get("complaint", ref)
        if rec.state not in TAKEN:
            raise UserError(
                f"{rec.where}: state is {rec.state}, but 'complaint assign' needs "
                f"{' or '.join(TAKEN)} (a complaint not yet taken: 'complaint take "
                f"{rec.id} --by ...')"
            )
        emp = hr.resolve_employee(office, to, need_office="back")
        if rec.get("assignee_id") == emp.id:
            raise UserError(f"{rec.where}: assignee: already {emp.id} {emp.get('name')}")
        was = rec.get("assignee_id") or rec.get("assignee") or "nobody"
        said = f"assigned to {emp.id} {emp.get('name')} (was {was})"
        office.messages.append(f"complaint assign {rec.id} to {emp.id}")
        return office.note(
            rec,
            "assign",
            f"{said}; {note}" if note else said,
            changes={"assignee": str(emp.get("name")), "assignee_id": emp.id},
        )


def wait(office, ref: str, note: str) -> Record:
    with office.change():
        rec = office.get("complaint", ref)
        note = _text(note, f"{rec.where}: --note", " (say what we wait for)")
        return office.handoff(rec, "wait", note=note)


def resume(office, ref: str, note: str | None = None) -> Record:
    with office.change():
        rec = office.get("complaint", ref)
        return office.handoff(rec, "resume", note=note)


def resolve(
    office,
    ref: str,
    resolution: str,
    improvement: str | None = None,
    sku: str | None = None,
    return_ref: str | None = None,
) -> tuple[Record, Record | None, bool]:
    """Answer a complaint; ``improvement`` is an IMP ID to link, or a title to open one.

    Returns (complaint, improvement or None, whether the improvement is new)."""
    from officecli.office.back import improvements

    with office.change():
        rec = office.get("complaint", ref)
        if rec.state not in office.kind("complaint").handoffs["resolve"].sources:
            raise office.wrong_state(rec, "resolve")
        resolution = _text(resolution, f"{rec.where}: --resolution")
        imp, opened = None, False
        if improvement is not None:
            improvement = _text(improvement, f"{rec.where}: --improvement")
            if improvements.looks_like_id(improvement):
                imp = improvements.link(office, improvement, rec.id)
            else:
                imp = improvements.open_for(office, improvement, rec.id, sku=sku)
                opened = True
        elif sku:
            raise UserError(
                f"{rec.where}: --sku names the product of a new improvement; give --improvement TEXT too"
            )
        changes = {"resolution": resolution}
        if imp is not None:
            changes["improvement"] = imp.id
        if return_ref:  # the customer's return (RMA-…) that settles it
            from officecli.office.back.returns import link_complaint

            changes["return"] = link_complaint(office, return_ref, rec).id
        note = f"improvement {imp.id}" if imp is not None else None
        rec = office.handoff(rec, "resolve", note=note, changes=changes)
        return rec, imp, opened


def close(office, ref: str, note: str | None = None) -> Record:
    with office.change():
        rec = office.get("complaint", ref)
        return office.handoff(rec, "close", note=note)


def reopen(office, ref: str, note: str) -> Record:
    with office.change():
        rec = office.get("complaint", ref)
        if rec.state not in office.kind("complaint").handoffs["reopen"].sources:
            raise office.wrong_state(rec, "reopen")
        note = _text(note, f"{rec.where}: --note", " (say why the customer is not satisfied)")
        return office.handoff(rec, "reopen", note=note)


# -- reading ---------------------------------------------------------------------


def listing(
    office, states=None, customer: str | None = None, overdue: bool = False, assignee: str | None = None
) -> list[tuple[Record, dict]]:
    """(complaint, its clocks) in ID order, filtered. ``assignee`` is an employee
    (ID, number or name) or a name as recorded."""
    from officecli.office.front.customers import find

    cust = find(office, customer).id if customer else None
    who = None
    if assignee is not None:
        try:
            from officecli.office.people import hr

            emp = hr.find_employee(office, assignee)
        except ImportError:
            emp = None
        who = emp.id if emp is not None else " ".join(assignee.split()).casefold()
    out = []
    for rec in office.records("complaint", states):
        if cust and rec.get("customer") != cust:
            continue
        if who is not None and who not in (
            rec.get("assignee_id"),
            " ".join(str(rec.get("assignee", "")).split()).casefold(),
        ):
            continue
        found = clocks(office, rec)
        if overdue and not any(c.overdue for c in found.values()):
            continue
        out.append((rec, found))
    out.sort(key=lambda pair: pair[0].id)
    return out


# -- the cron job -------------------------------------------------------------------


class _DryRun(Exception):
    """Raised inside the change to apply nothing of it."""


def escalate(office, dry_run: bool = False) -> list[dict]:
    """Forward what waited too long in ``new``; mark each SLA breach once.

    One transaction. Returns what was done ({id, state, action, note}), empty
    when nothing was (a second run in a row does nothing). With ``dry_run``
    the same list is returned and nothing is written."""
    done: list[dict] = []
    acting, said = office.user, len(office.log)
    office.user = ESCALATOR
    try:
        with office.change():
            for rec in sorted(office.records("complaint", OPEN), key=lambda r: r.id):
                found = clocks(office, rec)
                fwd = found.get("forward")
                if rec.state == "new" and fwd is not None and fwd.overdue:
                    note = (
                        f"automatic: not forwarded within {sla.duration(fwd.budget)} "
                        f"(due {sla.local(sla.later(fwd.now, fwd.left), office.tz)}), "
                        f"overdue by {sla.duration(-fwd.left)}"
                    )
                    key = sla.step_key("auto-forward", rec.id, rec.data, "forward", office.config.sla_hours)
                    rec = office.handoff(rec, "forward", note=note, action="auto-forward", key=key)
                    done.append({"id": rec.id, "state": rec.state, "action": "auto-forward", "note": note})
                    found = clocks(office, rec)
                for target in ("first_response", "resolution"):
                    clock = found.get(target)
                    if clock is None or not clock.overdue or sla.marked(rec.get("history"), target):
                        continue
                    action = sla.breach_action(target)
                    note = (
                        f"{target}: "
                        f"{sla.MISSED[target].format(hours=sla.duration(clock.budget))}; "
                        f"overdue by {sla.duration(-clock.left)}"
                    )
                    key = sla.step_key(action, rec.id, rec.data, target, office.config.sla_hours)
                    rec = office.note(rec, action, note=note, key=key)
                    done.append({"id": rec.id, "state": rec.state, "action": action, "note": note})
            if done and dry_run:
                raise _DryRun
            if done:
                office.messages.append(f"complaint escalate: {len(done)} action(s)")
    except _DryRun:
        del office.log[said:]  # nothing was written: nothing to commit either
    finally:
        office.user = acting
    return done
