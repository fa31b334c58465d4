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

**The books have one owner site**, like an invoice series and payroll
(numbering.py): office.yaml ``books: {site: A, closed_through: ...}``. Only
the owner closes months and years (``require_owner``), so no period is closed
twice or without what the other sites posted reaching one place first. A
single-site company needs nothing; with several sites and no owner named,
``ledger close`` is refused with the line to add. What a merge may still bring
into a closed period (a posting made elsewhere before the close reached it, a
second closing entry) is sites/periodcheck.py's.

**Future-dated postings**: office.yaml ``books: {future_days: N}`` (default
7) is how far past today a date may lie before doctor names it as written by
a clock that ran ahead (``future_limit``); the writers themselves refuse any
date after their own today. Once that clock is set right, such a date never
blocks today's work (``ahead``): the invoice series' date order and a
payment's "not before the invoice" skip an invoice dated beyond the limit.

Posting dates are also bounded above: never after today (``office.today()``,
which $OFFICECLI_NOW fixes in tests).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from officecli.store import ids
from officecli.store.errors import UserError

from . import clock, numbering

KEY = ("books", "closed_through")
FUTURE_DAYS = 7  # books.future_days by default: a time zone ahead, a clock some days off


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
    site = books.get("site")
    if site is not None and not ids.SITE_RE.match(str(site)):
        return f"books.site: {site!r} is not a site code (1-8 capitals or digits)"
    days = books.get("future_days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 366):
        return f"books.future_days: {days!r} is not a number of days (0 to 366)"
    return None


def owner(office: Any) -> str | None:
    """The site that closes the books (office.yaml books.site), or None."""
    books = office.config.raw.get("books")
    site = books.get("site") if isinstance(books, dict) else None
    return str(site) if site not in (None, "") else None


def require_owner(office: Any, name: str) -> None:
    """Refuse (UserError) closing ``name`` at a site that does not own the books; with no
    owner named, unless the company has a single site."""
    site = owner(office)
    numbering.require_owner(
        office,
        site,
        lambda others: (
            f"ledger close {name}: the company has sites {', '.join(others)} and office.yaml names "
            f"none that closes the books: add 'site: {office.config.site}' under books: in "
            f"office.yaml (books: {{site: {office.config.site}}}: the one site that closes months "
            "and years, so no period is closed twice); nothing was changed"
        ),
        lambda here: (
            f"ledger close {name}: the books are closed at site {site} (office.yaml books.site), "
            f"this is site {here}: close it there, so no period is closed twice; nothing was changed"
        ),
    )


def ahead(office: Any, day: str) -> bool:
    """Whether ``day`` (YYYY-MM-DD) lies beyond the future limit: a date written by a clock
    that ran ahead (doctor names it), which must not block what happens today."""
    return str(day)[:10] > future_limit(office).isoformat()


def future_limit(office: Any) -> date:
    """The last day a posting may be dated before doctor names it as from the future."""
    books = office.config.raw.get("books")
    days = books.get("future_days") if isinstance(books, dict) else None
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        days = FUTURE_DAYS
    return office.today() + timedelta(days=days)


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
    if kind_label == "ledger txn" and (
        data.get("kind") == "close" or key == getattr(office, "restoring", None)
    ):
        return  # the year's closing entry, after its months were closed; the reversal of an
        # entry that arrived after its period was closed (books/closing.py move_to_open)
    day = data.get("date")
    if isinstance(day, str) and clock.is_date(day):
        guard(office, day, f"{kind_label} {key}")
    month = data.get("month")
    if kind_label == "payroll correction":
        return  # booked on its own day (checked above), whatever month it corrects
    if isinstance(month, str) and len(month) == 7:  # a payroll month, even if paid later
        guard(office, month + "-01", f"{kind_label} {key} (month {month})")
