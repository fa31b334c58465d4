"""The back office's buying and taking-back figures for ``report daily``.

Computed from the folders and the ledger like every other figure: purchase
orders per state, goods received that day, what is received but not billed
(Liabilities:GRNI), unpaid and overdue bills, and customer returns to receive
and to credit.
"""

from __future__ import annotations

from datetime import date

from officecli.office import money


def daily(office, day: date, moves: list[dict]) -> list[tuple[str, str, str]]:
    from officecli.office.accounts import GRNI
    from officecli.office.back import bills
    from officecli.office.books import ledger

    cur = office.config.currency

    def count(kind: str, *states: str) -> int:
        return len(office.paths(office.kind(kind), states or None))

    out = [
        (
            "purchases.open",
            "purchase orders draft / ordered",
            f"{count('purchase', 'draft')} / {count('purchase', 'ordered')}",
        )
    ]
    from officecli.office import index  # the cache's day index: only that day's moves are read

    moves_of_day = (
        index.on_days(office, "stock_move", [day.isoformat()])
        if index.usable(office)
        else office.records("stock_move")
    )
    got = [
        m
        for m in moves_of_day
        if str(m.get("ref") or "").startswith("PO-") and m.get("date") == day.isoformat()
    ]
    out.append(
        (
            "purchases.received",
            "purchase orders received from today (pieces)",
            f"{len({m.get('ref') for m in got})} ({sum(int(m.get('qty') or 0) for m in got)})",
        )
    )
    grni = -sum(ledger.account_sums(office, [GRNI]).values(), money.ZERO)
    out.append(
        (
            "purchases.to_bill",
            "orders received, to bill (not invoiced)",
            f"{count('purchase', 'received')}  {money.fmt(grni, cur)}",
        )
    )
    rows = bills.listing(office, ("open",))
    late = [r for r in rows if r["overdue"]]
    out.append(
        (
            "bills.open",
            "bills unpaid (overdue)",
            f"{len(rows)}  {money.fmt(sum((money.parse(r['owed']) for r in rows), money.ZERO), cur)}"
            f" ({len(late)})",
        )
    )
    out.append(
        (
            "returns.open",
            "returns to receive / to credit",
            f"{count('return', 'requested')} / {count('return', 'received')}",
        )
    )
    return out
