"""``ledger close``: close the books through the end of a month or a year.

Only the books' owner site closes (office.yaml ``books.site``, periods.py);
``close`` moves office.yaml's ``books.closed_through`` line (office/periods.py,
the guard every dated write obeys) forward, never back, and only over periods
that have ended (their last day is before today). ``close(year=True)`` also
posts the closing entry (kind ``close``, dated the year's last day, before the
line moves): every income and expense account's balance through that day goes
to Equity:Retained, so they start the next year at zero while the balance
sheet accounts carry their balances into it.

Either order works: a year whose months are already closed (``ledger close
2026-12`` first) is closed with ``--year`` afterwards, which posts only the
closing entry, inside the closed period (the one entry the guard lets in,
``ledger.post(closing=True)``), once: a second ``--year`` is refused. After
``--year``, ``ledger close`` of one of its months is refused (already closed).

The closing entry is not income or expense of the year: ``report pnl`` and
``report sales`` leave it out (overview/reports.py), so they still equal the
books for any period.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal

from officecli.office import clock, money, periods, seals
from officecli.office.accounts import RETAINED
from officecli.office.books import ledger
from officecli.office.periods import closed_through
from officecli.office.records import with_changes
from officecli.store import ids, yamlio
from officecli.store.errors import UserError


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
    types = office.config.accounts
    totals = ledger.sums(ledger.transactions(office, None, last + timedelta(days=1)))
    lines = [
        (acct, -amount)
        for acct, amount in sorted(totals.items())
        if amount != 0 and types.get(acct) in ("income", "expense")
    ]
    if not lines:
        return []
    rest = -sum((a for _, a in lines), Decimal("0"))
    if rest != 0:
        lines.append((RETAINED, money.q(rest)))
    return lines


def close(office, text: str, year: bool = False) -> tuple[date, object]:
    """Close the books through the end of PERIOD (and post the year's closing entry
    when ``year``). Returns (the new closed-through day, the closing txn or None)."""
    name, last = end_of(text, year)
    periods.require_owner(office, name)  # only the books' owner site closes (office.yaml books.site)
    today = office.today()
    with office.change(f"ledger close {name}") as txn:
        before = closed_through(office)
        closed_already = before is not None and last <= before
        if closed_already and (not year or closing_entry(office, last) is not None):
            raise UserError(
                f"period {name}: already closed (the books are closed through "
                f"{before.isoformat()}, office.yaml books.closed_through)"
                + (f"; its closing entry is {closing_entry(office, last).id}" if year else "")
            )
        if last >= today:
            raise UserError(
                f"period {name}: ends on {last.isoformat()}, not before today "
                f"({today.isoformat()}); close a period once it is over"
            )
        entry = None
        if year:
            if RETAINED not in office.config.accounts:
                raise UserError(
                    f"office.yaml: accounts: {RETAINED} missing; add it (equity) to "
                    "the chart of accounts to close a year"
                )
            lines = closing_postings(office, last)
            if lines:
                entry = ledger.post(
                    office,
                    last,
                    f"Closing {name}: income and expenses to {RETAINED}",
                    lines,
                    kind="close",
                    ref=None,
                    closing=True,
                )
        if closed_already:  # its months were closed first: the line stays where it is
            office.messages.append(
                f"ledger close {name}: closing entry "
                + (entry.id if entry is not None else "not needed (nothing to close)")
            )
            return before, entry
        raw = office.config.raw
        books = dict(raw.get("books") or {}) if isinstance(raw.get("books"), dict) else {}
        books["closed_through"] = last.isoformat()
        text_now = office.store.read_text("office.yaml")
        new = with_changes(text_now, raw, {"books": books})
        if new is None:
            new = yamlio.dumps({**raw, "books": books})
        txn.replace("office.yaml", new)
        seals.seal_through(office, txn, last)  # the closed period's folders carry a seal (docs/SEALS.md)
        office.messages.append(
            f"ledger close {name}: closed through {last.isoformat()}"
            + (f" ({entry.id})" if entry is not None else "")
        )
        return last, entry


def closing_entry(office, last: date):
    """The year's closing entry (kind ``close``, dated ``last``), or None."""
    for rec in ledger.transactions(office, last, last + timedelta(days=1)):
        if rec.data.get("kind") == "close":
            return rec
    return None


def listing(office) -> list[dict]:
    """The closed period and the year-end closing entries, for `ledger periods`."""
    out = []
    last = closed_through(office)
    out.append(
        {
            "id": "closed_through",
            "state": "closed" if last else "open",
            "closed_through": last.isoformat() if last else None,
            "txn": None,
            "description": "every posting, stock move and dated record up to this day is final"
            if last
            else "nothing is closed",
        }
    )
    for rec in ledger.transactions(office):
        if rec.data.get("kind") == "close":
            out.append(
                {
                    "id": rec.id,
                    "state": "close",
                    "closed_through": rec.data.get("date"),
                    "txn": rec.id,
                    "description": rec.data.get("description"),
                }
            )
    return out


def move_to_open(office, ref: str, late: bool = False) -> tuple[object, object | None]:
    """`ledger move TXN --to-open`: take an entry out of its (closed) period and post it
    again dated today. Never an edit: a reversal dated the entry's own day (so that day's
    balances are what they were without it) and a correcting entry dated today. Returns
    (the reversal, the entry dated today; None for a second closing entry, which is only
    taken back).

    Inside a closed period the reversal is let in only for an entry that is not part of
    what was closed: ``late`` (it arrived after the close; sites/periodcheck.py says so)
    or a second closing entry of the same year -- putting the closed period back to what
    was closed. Anywhere else it is an ordinary reversal and re-posting."""
    today = office.today()
    with office.change(f"ledger move {ref}"):
        rec = office.get("ledger_txn", ref)
        where = f"ledger txn {rec.id} ({rec.path})"
        kind = rec.data.get("kind")
        day = clock.parse_date(rec.data.get("date"), f"{where}: date")
        for other in ledger.transactions(office, day):
            if other.data.get("reverses") == rec.id:
                raise UserError(f"{where}: already reversed by {other.id}; nothing was changed")
        lines = [(acct, -amount) for acct, amount in ledger.postings_of(rec)]
        last = closed_through(office)
        inside = last is not None and day <= last
        if kind == "close":
            closes = [
                t
                for t in ledger.transactions(office, day, day + timedelta(days=1))
                if t.data.get("kind") == "close"
            ]
            first = kept_closing(office, closes)
            if first.id == rec.id and not late:  # (late: another site's closing entry stays)
                others = [t.id for t in closes if t.id != rec.id]
                raise UserError(
                    f"{where}: the closing entry of {day.year} that stays"
                    + (
                        f" (take back the second: officecli ledger move {others[0]} --to-open)"
                        if others
                        else ": a closing entry is final, like the period it closes"
                    )
                    + "; nothing was changed"
                )
            back = ledger.post(
                office,
                day,
                f"Second closing entry {rec.id} of {day.year} taken back",
                lines,
                reverses=rec.id,
                kind="restore",
                closing=True,
            )
            office.messages.append(f"ledger move {rec.id}: a second closing entry, taken back by {back.id}")
            return back, None
        if kind not in ledger.MANUAL_KINDS:
            command, instead = ledger.CORRECTED_BY.get(
                kind, (f"a command ({kind})", "correct it with that command")
            )
            raise UserError(
                f"{where}: was posted by '{command}' (kind {kind}) together with its records, which "
                f"stay dated {day.isoformat()}: {instead}; nothing was changed"
            )
        if inside and not late:
            raise UserError(
                f"{where}: dated {day.isoformat()}, part of the period closed through "
                f"{last.isoformat()} when it was closed: final; correct it with an entry dated "
                f"today (officecli ledger reverse {rec.id}); nothing was changed"
            )
        if day >= today:
            raise UserError(
                f"{where}: dated {day.isoformat()}, already in the open period; nothing was changed"
            )
        desc = str(rec.data.get("description") or "")
        back = ledger.post(
            office,
            day,
            f"Moved to {today.isoformat()}: reversal of {rec.id}: {desc}",
            lines,
            ref=rec.data.get("ref"),
            reverses=rec.id,
            kind="restore" if inside else "reversal",
            closing=inside,
        )
        again = ledger.post(
            office,
            today,
            f"{desc} (moved from {day.isoformat()}, {rec.id})",
            list(ledger.postings_of(rec)),
            ref=rec.data.get("ref"),
        )
        office.messages.append(f"ledger move {rec.id}: reversed by {back.id} and posted again as {again.id}")
        return back, again


def kept_closing(office, closes: list):
    """Of two closing entries of one year, the one that stays: posted at the books' owner
    site (office.yaml books.site), else the earlier written."""
    owner = periods.owner(office)

    def site(t) -> str | None:
        parsed = ids.parse_id(t.id)
        return parsed[1] if parsed else None

    return min(
        closes, key=lambda t: (owner is not None and site(t) != owner, str(t.data.get("at") or ""), t.id)
    )
