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

Closing a period (``ledger close``, which moves the line) is books/closing.py.

Posting dates are also bounded above: never after today (``office.today()``,
which $OFFICECLI_NOW fixes in tests).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from officecli.store.errors import UserError

from . import clock

KEY = ("books", "closed_through")


def closed_through(office: Any) -> date | None:
    """The last closed day (None while nothing is closed)."""
    books = office.config.raw.get("books")
    value = books.get("closed_through") if isinstance(books, dict) else None
    if value in (None, ""):
        return None
    return clock.parse_date(str(value), "office.yaml: books.closed_through")


def problem(raw: dict[str, Any]) -> str | None:
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


def guard(office: Any, day: date | str, what: str) -> None:
    """Refuse ``what`` dated ``day`` when it lies in a closed period."""
    last = closed_through(office)
    if last is None:
        return
    text = day.isoformat() if hasattr(day, "isoformat") else str(day)
    if text[:10] <= last.isoformat():
        raise UserError(
            f"{what}: dated {text}, inside the closed period (the books are closed "
            f"through {last.isoformat()}, office.yaml books.closed_through)"
        )


def guard_record(office: Any, kind_label: str, key: str, data: dict[str, Any]) -> None:
    """The guard for a new record: its ``date`` (or payroll ``month``'s last day)."""
    if closed_through(office) is None:
        return
    if kind_label == "ledger txn" and data.get("kind") == "close":
        return  # the year's closing entry, after its months were closed (books/closing.py)
    day = data.get("date")
    if isinstance(day, str) and clock.is_date(day):
        guard(office, day, f"{kind_label} {key}")
    month = data.get("month")
    if kind_label == "payroll correction":
        return  # booked on its own day (checked above), whatever month it corrects
    if isinstance(month, str) and len(month) == 7:  # a payroll month, even if paid later
        guard(office, month + "-01", f"{kind_label} {key} (month {month})")
