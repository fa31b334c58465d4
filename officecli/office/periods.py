"""Closed periods: the books up to a day are final, for every command.

Where it is kept: office.yaml ``books: {closed_through: YYYY-MM-DD}``, the
last day of the last closed period. One versioned setting, so every clone
obeys it once merged; two sites closing the same period write the same line
(git merges it cleanly), two sites closing different periods conflict on that
one line, which is what a person should settle.

The guard (``guard``) sits where every dated fact is written -- in
``ledger.post`` (every journal entry: postings, payments, credits, payroll,
bills, reversals, closing entries), ``stock.write_move`` (every stock move)
and ``Office.create`` (any new record with a ``date`` or ``month`` inside the
period: an invoice, a credit note, a bill, a payroll run) -- so no command
can write inside a closed period, whatever path it takes.

``close`` moves the line forward, never back, and only over periods that
have ended (their last day is before today). ``close(year=True)`` also posts
the closing entry (kind ``close``, dated the year's last day, before the
line moves): every income and expense account's balance through that day
goes to Equity:Retained, so they start the next year at zero.

Posting dates are also bounded above: never after today (``office.today()``,
which $OFFICECLI_NOW fixes in tests).
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal

from officecli.store.errors import UserError

from . import clock, money

RETAINED = "Equity:Retained"
KEY = ("books", "closed_through")


def closed_through(office) -> date | None:
    """The last closed day (None while nothing is closed)."""
    books = office.config.raw.get("books")
    value = books.get("closed_through") if isinstance(books, dict) else None
    if value in (None, ""):
        return None
    return clock.parse_date(str(value), "office.yaml: books.closed_through")


def problem(raw: dict) -> str | None:
    """office.yaml's books: section, checked (for config.problems)."""
    books = raw.get("books")
    if books is None:
        return None
    if not isinstance(books, dict):
        return "books: must be a mapping (closed_through: YYYY-MM-DD)"
    value = books.get("closed_through")
    if value not in (None, "") and not clock.is_date(str(value)):
        return f"books.closed_through: {value!r} is not a date (YYYY-MM-DD)"
    return None


def guard(office, day, what: str) -> None:
    """Refuse ``what`` dated ``day`` when it lies in a closed period."""
    last = closed_through(office)
    if last is None:
        return
    text = day.isoformat() if hasattr(day, "isoformat") else str(day)
    if text[:10] <= last.isoformat():
        raise UserError(f"{what}: dated {text}, inside the closed period (the books are closed "
                        f"through {last.isoformat()}, office.yaml books.closed_through)")


def guard_record(office, kind_label: str, key: str, data: dict) -> None:
    """The guard for a new record: its ``date`` (or payroll ``month``'s last day)."""
    if closed_through(office) is None:
        return
    day = data.get("date")
    if isinstance(day, str) and clock.is_date(day):
        guard(office, day, f"{kind_label} {key}")
    month = data.get("month")
    if isinstance(month, str) and len(month) == 7:        # a payroll month, even if paid later
        guard(office, month + "-01", f"{kind_label} {key} (month {month})")


def end_of(text: str, year: bool = False) -> tuple[str, date]:
    """'YYYY-MM' or 'YYYY' -> (the period's name, its last day)."""
    s = str(text).strip()
    if len(s) == 4 and s.isascii() and s.isdigit():
        clock.parse_month(s + "-12", "PERIOD")
        return s, date(int(s), 12, 31)
    if year:
        raise UserError(f"--year {text!r}: not a year (YYYY)")
    y, m = clock.parse_month(s, "PERIOD")
    return f"{y:04d}-{m:02d}", date(y, m, calendar.monthrange(y, m)[1])


def closing_postings(office, last: date) -> list[tuple[str, Decimal]]:
    """What moves every income and expense account's balance through ``last`` to
    Equity:Retained (empty when they are all zero)."""
    from . import ledger

    types = office.config.accounts
    totals = ledger.sums(ledger.transactions(office, None, last + timedelta(days=1)))
    lines = [(acct, -amount) for acct, amount in sorted(totals.items())
             if amount != 0 and types.get(acct) in ("income", "expense")]
    if not lines:
        return []
    rest = -sum((a for _, a in lines), Decimal("0"))
    if rest != 0:
        lines.append((RETAINED, money.q(rest)))
    return lines


def close(office, text: str, year: bool = False) -> tuple[date, object]:
    """Close the books through the end of PERIOD (and post the year's closing entry
    when ``year``). Returns (the new closed-through day, the closing txn or None)."""
    from officecli.store import yamlio

    from . import ledger
    from .records import with_changes

    name, last = end_of(text, year)
    today = office.today()
    with office.change(f"ledger close {name}") as txn:
        before = closed_through(office)
        if before is not None and last <= before:
            raise UserError(f"period {name}: already closed (the books are closed through "
                            f"{before.isoformat()}, office.yaml books.closed_through)")
        if last >= today:
            raise UserError(f"period {name}: ends on {last.isoformat()}, not before today "
                            f"({today.isoformat()}); close a period once it is over")
        entry = None
        if year:
            if RETAINED not in office.config.accounts:
                raise UserError(f"office.yaml: accounts: {RETAINED} missing; add it (equity) to "
                                "the chart of accounts to close a year")
            lines = closing_postings(office, last)
            if lines:
                entry = ledger.post(office, last, f"Closing {name}: income and expenses to {RETAINED}",
                                    lines, kind="close", ref=None)
        raw = office.config.raw
        books = dict(raw.get("books") or {}) if isinstance(raw.get("books"), dict) else {}
        books["closed_through"] = last.isoformat()
        text_now = office.store.read_text("office.yaml")
        new = with_changes(text_now, raw, {"books": books})
        if new is None:
            new = yamlio.dumps({**raw, "books": books})
        txn.replace("office.yaml", new)
        office.messages.append(f"ledger close {name}: closed through {last.isoformat()}"
                               + (f" ({entry.id})" if entry is not None else ""))
        return last, entry


def listing(office) -> list[dict]:
    """The closed period and the year-end closing entries, for `ledger periods`."""
    from . import ledger

    out = []
    last = closed_through(office)
    out.append({"id": "closed_through", "state": "closed" if last else "open",
                "closed_through": last.isoformat() if last else None,
                "txn": None, "description": "every posting, stock move and dated record up to "
                                             "this day is final" if last else "nothing is closed"})
    for rec in ledger.transactions(office):
        if rec.data.get("kind") == "close":
            out.append({"id": rec.id, "state": "close", "closed_through": rec.data.get("date"),
                        "txn": rec.id, "description": rec.data.get("description")})
    return out
