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


# -- dates as people write them (every DATE option: cli/options.py ``dated``) ----------
MONTH_FIRST = frozenset({"US", "PH", "FM", "MH", "PW", "BZ"})  # countries writing MM/DD/YYYY
_MONTHS = {
    **{m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())},
    **{m: i + 1 for i, m in enumerate("ιαν φεβ μαρ απρ μαι ιουν ιουλ αυγ σεπ οκτ νοε δεκ".split())},
}
_SLASHED = re.compile(r"^(\d{1,4})[/.](\d{1,2})[/.](\d{1,4})$")
_RELATIVE = re.compile(r"^([+-])(\d{1,4})([dwmy])$")
_QUARTER = re.compile(r"^(?:(\d{4})[- ]?)?q([1-4])$")
ISO_PART = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
DATE_FORMS = (
    "YYYY-MM-DD, YYYY/MM/DD, DD/MM/YYYY, today, yesterday, tomorrow, bom, eom, -3d, -2w, "
    "-1m, a month (2026-12, 12/2026, dec) or a quarter (2026Q4, Q4)"
)


def _month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def human_day(
    text: object, today: date, month_first: bool = False, end: bool = False, what: str = "date"
) -> str:
    """A date as people write it, as YYYY-MM-DD (YYYY-MM and YYYY are kept as given: the
    commands read them as hledger does, as their first day).

    * ``YYYY/MM/DD``; ``DD/MM/YYYY`` (``.`` too), or ``MM/DD/YYYY`` in an office whose
      country writes so (``month_first``); a form only the other order makes a date
      (``25/12/2026`` in either) is read that way;
    * ``today``, ``yesterday``, ``tomorrow``; ``-3d``, ``+2w``, ``-1m``, ``-1y``;
    * ``bom`` the first day of this month; ``eom`` its last day, or with ``end`` (an
      exclusive ``--end``) the day after, so the period takes in the whole month;
    * a month (``12/2026``, ``dec``, ``dec 2026``) and a quarter (``2026Q4``, ``Q4`` this
      year): their first day, as ``YYYY-MM`` is (``-b Q4 -e Q1`` is this year's fourth
      quarter only if Q1 is next year's: write ``-e 2027Q1``).
    """
    raw = str(text).strip()
    s = raw.casefold()
    if ISO_PART.match(s):
        return raw
    day: date | None = None
    words = {"today": 0, "σήμερα": 0, "yesterday": -1, "χθες": -1, "tomorrow": 1, "αύριο": 1}
    if s in words:
        day = today + timedelta(days=words[s])
    elif s in ("bom", "som"):
        day = today.replace(day=1)
    elif s == "eom":
        first_next = _month_start(today.year, today.month + 1)
        day = first_next if end else first_next - timedelta(days=1)
    elif m := _RELATIVE.match(s):
        n = int(m.group(2)) * (1 if m.group(1) == "+" else -1)
        unit = m.group(3)
        if unit in "dw":
            day = today + timedelta(days=n * (7 if unit == "w" else 1))
        else:
            months = today.month - 1 + n * (12 if unit == "y" else 1)
            year, month = today.year + months // 12, months % 12 + 1
            nxt = _month_start(year, month + 1)
            day = date(year, month, min(today.day, (nxt - timedelta(days=1)).day))
    elif m := _QUARTER.match(s):
        day = date(int(m.group(1) or today.year), 3 * int(m.group(2)) - 2, 1)
    elif m := _SLASHED.match(s):
        a, b, c = (int(x) for x in m.groups())
        if len(m.group(1)) == 4:  # YYYY/MM/DD
            year, month, dd = a, b, c
        elif len(m.group(3)) == 4:
            dd, month = (b, a) if month_first else (a, b)
            if month > 12 and dd <= 12:  # only the other order makes a date
                dd, month = month, dd
            year = c
        else:
            year = month = dd = 0
        try:
            day = date(year, month, dd)
        except ValueError:
            raise UserError(f"{what} {raw!r}: no such day in the calendar ({DATE_FORMS})") from None
    else:
        parts = s.replace("/", " ").replace("-", " ").split() or [""]
        key = next((p for p in (parts[0][:4], parts[0][:3]) if p in _MONTHS), None)
        if key and len(parts) <= 2:  # dec, december, dec 2026
            given = parts[1] if len(parts) == 2 else str(today.year)
            if given.isdigit() and len(given) == 4:
                day = date(int(given), _MONTHS[key], 1)
        elif (
            len(parts) == 2
            and all(p.isdigit() for p in parts)
            and len(parts[1]) == 4
            and 1 <= int(parts[0]) <= 12
        ):
            day = date(int(parts[1]), int(parts[0]), 1)  # 12/2026
    if day is None:
        raise UserError(f"{what} {raw!r}: not a date ({DATE_FORMS})")
    _in_range(day.year, what, raw)
    return day.isoformat()
