"""Dates and times. Every timestamp carries its offset.

``now()`` is the office's local time (``timezone`` in office.yaml), or
``$OFFICECLI_NOW`` when set: an ISO timestamp with offset that tests, the
sample-company script and demos use to make time stand still.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta, timezone, tzinfo

from officecli.store.errors import UserError

_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{2})$")
FIRST_YEAR, LAST_YEAR = 1900, 2999  # dates outside are a typo, and break the exports


def _in_range(year: int, what: str, text: object) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UserError(f"{what} {text!r}: the year must be between {FIRST_YEAR} and {LAST_YEAR}")


def zone(name: str | None) -> tzinfo | None:
    if not name:
        return datetime.now(timezone.utc).astimezone().tzinfo
    try:
        from zoneinfo import ZoneInfo  # imported here: only commands that stamp time need it

        return ZoneInfo(name)
    except Exception:
        raise UserError(f"office.yaml: timezone: unknown time zone {name!r}") from None


def now(tz: tzinfo | None = None) -> datetime:
    fixed = os.environ.get("OFFICECLI_NOW")
    if fixed:
        value = parse_datetime(fixed, "$OFFICECLI_NOW")
        return value.astimezone(tz) if tz else value
    return datetime.now(tz or timezone.utc).replace(microsecond=0)


def stamp(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def parse_datetime(text: object, what: str = "time") -> datetime:
    s = str(text).strip()
    try:
        if not s.isascii() or isinstance(text, bool):
            raise ValueError
        value = datetime.fromisoformat(s)
    except ValueError:
        raise UserError(
            f"{what} {text!r}: not an ISO date and time (e.g. 2026-11-26T09:30:00+02:00)"
        ) from None
    if value.tzinfo is None:
        raise UserError(f"{what} {text!r}: the time has no offset (e.g. +02:00)")
    _in_range(value.year, what, text)
    try:
        value.astimezone(timezone.utc)
    except OverflowError:
        raise UserError(f"{what} {text!r}: the year must be between {FIRST_YEAR} and {LAST_YEAR}") from None
    return value


def parse_date(text: object, what: str = "date") -> date:
    s = str(text).strip()
    if not _DATE_RE.match(s):
        raise UserError(f"{what} {text!r}: not a date (YYYY-MM-DD)")
    _in_range(int(s[:4]), what, text)
    try:
        return date.fromisoformat(s)
    except ValueError:
        raise UserError(f"{what} {text!r}: no such day in the calendar") from None


def parse_month(text: object, what: str = "month") -> tuple[int, int]:
    m = _MONTH_RE.match(str(text).strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise UserError(f"{what} {text!r}: not a month (YYYY-MM)")
    _in_range(int(m.group(1)), what, text)
    return int(m.group(1)), int(m.group(2))


def is_date(value: object) -> bool:
    try:
        parse_date(value)
        return True
    except UserError:
        return False


def is_datetime(value: object) -> bool:
    try:
        parse_datetime(value)
        return True
    except UserError:
        return False


def hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600
