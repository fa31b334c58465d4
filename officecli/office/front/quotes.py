"""Quotes: what the front office offers before the customer decides (workflows.yaml, kind ``quote``).

    add      new            -> front/quotes/draft     prices and VAT copied from the products
    edit     stays in draft                          add or remove lines, note, validity
    send     draft          -> front/quotes/sent      stamps ``sent`` (today) and
                                                     ``valid_until`` (sent + valid_days)
    accept   sent           -> front/quotes/accepted  creates the order from the quote's
                                                     lines and prices, in the same
                                                     transaction; the quote's ``order``
                                                     names the order, the order's ``quote``
                                                     names the quote
    decline  draft or sent  -> front/quotes/declined  with a note (why the customer said no)
    expire   sent           -> front/quotes/expired   the cron job: every sent quote whose
                                                     ``valid_until`` is before today

Rules. A quote's prices are fixed when it is made (like an order's): a later
price change never touches it, and the order an accepted quote becomes
carries the quoted prices. A quote past its ``valid_until`` cannot be
accepted, even before the cron job has moved it (send a new quote instead).
``expire`` is one transaction, acts as ``officecli expire`` in history, does
nothing (and says nothing) when no quote is due, so a second run changes
nothing. Totals are the orders' (``lines.totals``): VAT per rate on the sum
of that rate's nets, rounded half-up; gross = net + VAT.
"""

from __future__ import annotations

from datetime import timedelta

from officecli.office import clock
from officecli.office.front import orders
from officecli.office.lines import edit_lines, parse_items, save_edit
from officecli.office.records import Record
from officecli.store.errors import UserError

VALID_DAYS = 30  # how long a quote holds when --valid-days is not given
MAX_VALID_DAYS = 366
EXPIRER = "officecli expire"


def check_valid_days(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_VALID_DAYS:
        raise UserError(f"--valid-days {value!r}: a whole number of days from 1 to {MAX_VALID_DAYS}")
    return value


def get(office, ref: str) -> Record:
    return office.get("quote", ref)


def add(office, customer: str, items, valid_days: int | None = None, note: str | None = None) -> Record:
    """A new draft quote; each line copies the product's name, net price and VAT now."""
    wanted = parse_items(items)
    if not wanted:
        raise UserError("quote add: give at least one SKU:QTY")
    days = check_valid_days(VALID_DAYS if valid_days is None else valid_days)
    with office.change():
        cust = orders.find_customer(office, customer)
        lines = orders.sale_lines(office, wanted)
        data = {
            "id": office.new_id("quote"),
            "customer": cust.id,
            "lines": lines,
            "valid_days": days,
            "note": (note or "").strip() or None,
        }
        rec = office.create("quote", {k: v for k, v in data.items() if v is not None})
        office.messages.append(f"quote add {rec.id} for {cust.id}")
        return rec


def _needs(rec: Record, verb: str, state: str, what: str) -> None:
    if rec.state != state:
        nxt = rec.kind.verbs_from(rec.state)
        raise UserError(
            f"{rec.where}: state is {rec.state}; 'quote {verb}' needs {state} ({what}"
            + (
                f"; from here: {', '.join(rec.kind.handoffs[v].command or 'quote ' + v for v in nxt)})"
                if nxt
                else "; it has reached the end of its workflow)"
            )
        )


def edit(
    office, ref: str, add=(), remove=(), note: str | None = None, valid_days: int | None = None
) -> Record:
    """Change a draft's lines, note or validity (one history entry)."""
    adding = parse_items(add)
    if not adding and not remove and note is None and valid_days is None:
        raise UserError(
            f"quote {ref}: nothing to change (give --add SKU:QTY, --remove SKU, --note or --valid-days)"
        )
    with office.change():
        rec = get(office, ref)
        _needs(rec, "edit", "draft", "a quote is edited before it is sent")
        lines, said = edit_lines(office, rec, rec.where, adding, remove, orders.add_sale_line)

        def validity(changes: dict, said: list[str]) -> None:
            if valid_days is not None:
                changes["valid_days"] = check_valid_days(valid_days)
                said.append(f"valid {valid_days} days")

        return save_edit(
            office,
            rec,
            rec.where,
            lines,
            said,
            lines_changed=bool(adding or remove),
            note=note,
            command="quote edit",
            noun="quote",
            way_out=f"quote decline {rec.id} --note ...",
            more=validity,
        )


def _valid_days(rec: Record) -> int:
    days = rec.get("valid_days")
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise UserError(f"{rec.where}: valid_days: {days!r} is not a whole number of days")
    return days


def send(office, ref: str, note: str | None = None) -> Record:
    """Send a draft: it is dated today and holds until today + valid_days."""
    with office.change():
        rec = get(office, ref)
        if rec.state != "draft":
            raise office.wrong_state(rec, "send")
        today = office.today()
        until = today + timedelta(days=_valid_days(rec))
        office.messages.append(f"quote send {rec.id}")
        return office.handoff(
            rec,
            "send",
            note or f"valid until {until.isoformat()}",
            changes={"sent": today.isoformat(), "valid_until": until.isoformat()},
        )


def _until(rec: Record):
    value = rec.get("valid_until")
    if not clock.is_date(value):
        raise UserError(f"{rec.where}: valid_until: {value!r} is not a date (YYYY-MM-DD)")
    return clock.parse_date(value)


def accept(office, ref: str, note: str | None = None) -> tuple[Record, Record]:
    """The customer said yes: (quote, the new open order), one transaction."""
    with office.change():
        rec = get(office, ref)
        if rec.state != "sent":
            raise office.wrong_state(rec, "accept")
        until, today = _until(rec), office.today()
        if until < today:
            raise UserError(
                f"{rec.where}: valid_until {until.isoformat()} has passed (today is "
                f"{today.isoformat()}); an expired quote cannot be accepted: "
                f"make and send a new one"
            )
        lines = rec.get("lines") or []
        if not isinstance(lines, list) or not lines:
            raise UserError(f"{rec.where}: lines: the quote has no lines")
        cust = office.get("customer", str(rec.get("customer")))
        order = office.create(
            "order",
            {
                "id": office.new_id("order"),
                "customer": cust.id,
                "quote": rec.id,
                "lines": [dict(line) for line in lines],
            },
            note=f"from quote {rec.id}",
        )
        moved = office.handoff(
            rec,
            "accept",
            f"order {order.id}" + (f"; {note.strip()}" if note and note.strip() else ""),
            changes={"order": order.id},
        )
        office.messages.append(f"quote accept {rec.id}: order {order.id}")
        return moved, order


def decline(office, ref: str, note: str) -> Record:
    note = (note or "").strip()
    if not note:
        raise UserError(f"quote {ref}: --note must not be empty (why did the customer say no?)")
    with office.change():
        rec = get(office, ref)
        if rec.state not in rec.kind.handoffs["decline"].sources:
            raise office.wrong_state(rec, "decline")
        office.messages.append(f"quote decline {rec.id}")
        return office.handoff(rec, "decline", note)


class _DryRun(Exception):
    """Raised inside the change to apply nothing of it."""


def expire(office, dry_run: bool = False) -> list[dict]:
    """Move every sent quote whose valid_until is before today to expired.

    One transaction; returns what was (or with ``dry_run`` would be) done, as
    {id, state, action, note}; empty when nothing was due."""
    done: list[dict] = []
    acting, said = office.user, len(office.log)
    office.user = EXPIRER
    try:
        with office.change():
            today = office.today()
            for rec in sorted(office.records("quote", ["sent"]), key=lambda r: r.id):
                until = _until(rec)
                if until >= today:
                    continue
                note = f"valid until {until.isoformat()}; not accepted by {today.isoformat()}"
                key = f"expire {rec.id} {until.isoformat()}"  # the same at every site that expires it
                moved = office.handoff(rec, "expire", note, key=key)
                done.append({"id": rec.id, "state": moved.state, "action": "expire", "note": note})
            if done and dry_run:
                raise _DryRun
            if done:
                office.messages.append(f"quote expire: {len(done)} quote(s)")
    except _DryRun:
        del office.log[said:]
    finally:
        office.user = acting
    return done


def listing(office, state: str | None = None, customer: str | None = None) -> list[Record]:
    cust = orders.find_customer(office, customer).id if customer else None
    out = office.records("quote", [state] if state else None)
    if cust:
        out = [r for r in out if r.get("customer") == cust]
    return sorted(out, key=lambda r: (str(r.get("created", "")), r.id))


def summary(office, rec: Record, names: dict | None = None) -> dict:
    """The quote as a row: its fields plus customer name, pieces, net, VAT, gross
    (the order's summary: a quote has the same customer and priced lines)."""
    return orders.summary(office, rec, names)
