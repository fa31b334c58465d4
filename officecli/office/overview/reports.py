"""Reports: the day at a glance (both offices), sales, profit and loss.

Sales count a credit note in the period of its own date (never its invoice's),
so ``sales`` over any period is the movement of Income:Sales over it, and
the income lines of ``pnl`` say the same.

Every figure is computed from the record files (never stored), so a report
is always what the folders say.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from officecli.office import clock, money
from officecli.office.lines import totals
from officecli.office.workflows import kinds

ZERO = money.ZERO


@lru_cache(maxsize=8)
def _near(day: date) -> tuple[str, ...]:
    return tuple((day + timedelta(days=d)).isoformat() for d in (-1, 0, 1))


def _on(stamp, day: date, tz) -> bool:
    # an offset is under 24 hours, so a stamp written with any offset falls on
    # ``day`` in the office's zone only if its own date is within a day of it:
    # most history entries are ruled out without parsing them
    if isinstance(stamp, str):
        head = stamp.strip()[:10]
        if head[4:5] == "-" and head[7:8] == "-" and head not in _near(day):
            return False
    try:
        return clock.parse_datetime(stamp).astimezone(tz).date() == day
    except Exception:
        return False


def _touched_on(office, kind_name: str, day: date) -> list:
    """The records of a kind created or moved within a day of ``day`` (the cache's day
    index, office/index.py: only those are read), or all of them where it may not be used."""
    from officecli.office import index

    if index.usable(office):
        return index.on_days(office, kind_name, _near(day))
    return office.records(kind_name)


def _side(folder: str | None) -> str:
    return (folder or "").split("/", 1)[0]


def handoffs(office, day: date) -> list[dict]:
    """Every move between folders on ``day``, across all kinds, in time order."""
    from officecli.office.people.hr import private_readable

    out = []
    for k in kinds().values():
        if not k.handoffs or not private_readable(office, k.name):  # leave: HR's eyes only
            continue
        for rec in _touched_on(office, k.name, day):
            for entry in rec.get("history") or []:
                if (
                    not isinstance(entry, dict)
                    or not entry.get("to")
                    or not _on(entry.get("at"), day, office.tz)
                ):
                    continue
                src = k.states.get(entry.get("from"), "")
                dst = k.states.get(entry["to"], "")
                crossing = _side(src) != _side(dst) and bool(src)
                out.append(
                    {
                        "id": rec.id,
                        "state": entry["to"],
                        "time": clock.parse_datetime(entry["at"]).astimezone(office.tz).strftime("%H:%M"),
                        "action": entry.get("action"),
                        "from": src.split("/{")[0] if src else "(new)",
                        "to": dst.split("/{")[0],
                        "by": entry.get("by"),
                        "crossing": f"{_side(src)} -> {_side(dst)}" if crossing else "",
                    }
                )
    return sorted(out, key=lambda r: (r["time"], r["id"]))


_COUNT_AMOUNT = re.compile(r"^(\d+)\s+(-?[\d,]+\.\d\d) [A-Z]{3}(?: \((\d+)\))?$")
_COUNT_PAREN = re.compile(r"^(\d+) \((\d+)\)$")
_SLASHED = re.compile(r"^\d+(?: / \d+)+$")


def _numbers(label: str, value: str) -> tuple[int | None, Decimal | None, dict | None]:
    """(count, amount, parts) of a figure another room gave as text: '3  120.00 EUR',
    '2 (14)' (the bracket named by the label's: 'pieces'), '1 / 2' (named by the label's
    'draft / ordered')."""
    if m := _COUNT_AMOUNT.match(value):
        bracket = re.search(r"\(([^)]*)\)\s*$", label)
        more = {bracket.group(1) if bracket else "in brackets": int(m.group(3))} if m.group(3) else None
        return int(m.group(1)), Decimal(m.group(2).replace(",", "")), more
    if m := _COUNT_PAREN.match(value):
        name = re.search(r"\(([^)]*)\)\s*$", label)
        return int(m.group(1)), None, {(name.group(1) if name else "in brackets"): int(m.group(2))}
    if _SLASHED.match(value):
        numbers = [int(n) for n in value.split(" / ")]
        names = label.split(" / ")
        if len(names) == len(numbers):
            names = [n.split()[-1] if n.split() else n for n in names]
            return None, None, dict(zip(names, numbers))
    return None, None, None


def daily(office, day: date | None = None) -> tuple[list[dict], list[dict]]:
    """Both offices at a glance: one row per figure ({id, state=office, label, value}),
    and the day's handoffs (computed once, used for a figure and shown as they are)."""
    from officecli.office.back import stock
    from officecli.office.books import invoices
    from officecli.office.front import complaints

    day = day or office.today()
    tz = office.tz
    cur = office.config.currency
    rows: list[dict] = []

    def add(side: str, key: str, label: str, value, count=None, amount=None, parts=None) -> None:
        """A figure: ``value`` for people; ``count`` (the figure's number), ``amount``
        (money, with ``currency``) and ``parts`` (its named numbers) for scripts."""
        if count is None and isinstance(value, int):
            count = value
        if count is None and parts is None and amount is None and isinstance(value, str):
            count, amount, parts = _numbers(label, value)
        if count is None and parts:
            count = sum(parts.values())
        rows.append(
            {
                "id": key,
                "state": side,
                "label": label,
                "value": value,
                "count": count,
                "amount": money.text(amount) if amount is not None else None,
                "currency": cur if amount is not None else None,
                "parts": parts,
            }
        )

    add("both", "site", "this site", office.site_info().describe())

    def count(kind: str, *states: str) -> int:
        return len(office.paths(office.kind(kind), states or None))

    custs = _touched_on(office, "customer", day)
    new = sum(_on(c.get("created"), day, tz) for c in custs)
    add(
        "front",
        "customers",
        "customers (new today)",
        f"{count('customer')} ({new})",
        count("customer"),
        None,
        {"new": new},
    )
    taken = [o for o in _touched_on(office, "order", day) if _on(o.get("created"), day, tz)]
    gross = sum((totals(o.get("lines") or [])["gross"] for o in taken), ZERO)
    add(
        "front",
        "orders.taken",
        "orders taken today",
        f"{len(taken)}  {money.fmt(gross, cur)}",
        len(taken),
        gross,
    )
    add("front", "orders.open", "orders open (to forward)", count("order", "open"))
    found = complaints.listing(office, ("new", "answered"))
    new_c = sum(r.state == "new" for r, _ in found)
    late_c = sum(r.state == "new" and any(c.overdue for c in cl.values()) for r, cl in found)
    add(
        "front",
        "complaints.new",
        "complaints to forward (overdue)",
        f"{new_c} ({late_c})",
        new_c,
        None,
        {"overdue": late_c},
    )
    add(
        "front",
        "complaints.answered",
        "answers to give customers",
        sum(r.state == "answered" for r, _ in found),
    )

    add("back", "orders.inbox", "orders to ship", count("order", "inbox"))
    moves = handoffs(office, day)
    shipped_today = [h for h in moves if h["action"] == "ship"]
    to_invoice = count("order", "shipped")
    add(
        "back",
        "orders.shipped",
        "orders shipped today (to invoice)",
        f"{len(shipped_today)} ({to_invoice})",
        len(shipped_today),
        None,
        {"to_invoice": to_invoice},
    )
    open_inv = invoices.listing(office, ("open",))
    owed = sum((Decimal(r["owed"]) for r in open_inv), ZERO)
    late = [r for r in open_inv if r["overdue"]]
    add(
        "back",
        "invoices.open",
        "invoices unpaid",
        f"{len(open_inv)}  {money.fmt(owed, cur)}",
        len(open_inv),
        owed,
    )
    late_owed = sum((Decimal(r["owed"]) for r in late), ZERO)
    add(
        "back",
        "invoices.overdue",
        "invoices overdue",
        f"{len(late)}  {money.fmt(late_owed, cur)}",
        len(late),
        late_owed,
    )
    work = complaints.listing(office, ("inbox", "working", "waiting"))
    held = {s: sum(r.state == s for r, _ in work) for s in ("inbox", "working", "waiting")}
    add(
        "back",
        "complaints.open",
        "complaints inbox / working / waiting",
        " / ".join(map(str, held.values())),
        None,
        None,
        held,
    )
    add(
        "back",
        "complaints.overdue",
        "complaints past an SLA deadline",
        sum(any(c.overdue for c in cl.values()) for _, cl in work),
    )
    imps = {"open": count("improvement", "open"), "accepted": count("improvement", "accepted")}
    add(
        "back",
        "improvements.open",
        "improvements open / accepted",
        f"{imps['open']} / {imps['accepted']}",
        None,
        None,
        imps,
    )
    low = stock.low(office)
    add(
        "back",
        "stock.low",
        "products at or below reorder level",
        ", ".join(f"{r['sku']} ({r['available']})" for r in low) or "none",
        len(low),
        None,
        {str(r["sku"]): int(r["available"]) for r in low},
    )
    from officecli.office.back.buying import daily as buying  # purchasing and returns

    for key, label, value in buying(office, day, moves):
        add("back", key, label, value)
    from officecli.office.bank import reconciliation  # the bank lines no rule settled

    waiting, money_in, money_out = reconciliation.waiting(office)
    add(
        "back",
        "bank.unmatched",
        "bank lines waiting for a person (in / out)",
        f"{waiting}  {money.fmt(money_in, cur)} / {money.fmt(money_out, cur)}",
    )
    staff = office.records("employee", ("active",))
    sides = {o: sum(e.get("office") == o for e in staff) for o in ("front", "back")}
    add("back", "staff", "staff front / back", f"{sides['front']} / {sides['back']}", None, None, sides)
    return rows, moves


def pnl(office, begin: date | None = None, end: date | None = None) -> tuple[list[dict], Decimal]:
    """Income and expenses per account in [begin, end), and the net result (income - expenses).

    Income shows positive, expenses negative (the net result is their sum). The year's
    closing entry (``ledger close --year``, kind close) is left out: it moves the result
    to equity, it is not income or expense, so the P&L of a closed year is its result."""
    from officecli.office.books import ledger

    sums = ledger.sums([t for t in ledger.transactions(office, begin, end) if t.data.get("kind") != "close"])
    rows = []
    net = ZERO
    for acct in sorted(sums):
        typ = ledger.account_type(office, acct)
        if typ not in ("income", "expense"):
            continue
        amount = -sums[acct]  # income is credit (negative in the books)
        net += amount
        rows.append({"id": acct, "state": typ, "amount": money.text(amount)})
    return rows, net


def sales(office, begin: date | None = None, end: date | None = None, by: str = "customer") -> list[dict]:
    """Net sales in [begin, end), by customer or product: the invoices dated in the period
    less the credit notes dated in it -- each credit note in the period of its OWN date,
    whatever the date of the invoice it credits. So the months add up to the year, and
    every period agrees with the movement of Income:Sales (what invoices and credit
    notes post there).

    Each row: invoiced (net), credited (net, positive), net = invoiced - credited,
    invoices and credits (how many documents), qty (pieces, by product: invoiced less
    credited). A credit note for an amount (no product) is the row ``(no product)``."""
    totals: dict[str, dict] = defaultdict(
        lambda: {"qty": 0, "invoiced": ZERO, "credited": ZERO, "invoices": 0, "credits": 0}
    )

    def within(day) -> bool:
        s = str(day or "")
        return (begin is None or s >= begin.isoformat()) and (end is None or s < end.isoformat())

    def line_net(line) -> Decimal:
        if line.get("net") is not None:
            return Decimal(str(line["net"]))
        return money.q(Decimal(str(line.get("price", "0"))) * int(line.get("qty", 0)))

    def count(doc, sign: int) -> None:
        field, tally = ("invoiced", "invoices") if sign > 0 else ("credited", "credits")
        doc_net = Decimal(str(doc.get("net", "0")))
        if by == "customer":
            row = totals[str(doc.get("customer"))]
            row[field] += doc_net
            row[tally] += 1
            return
        seen: set[str] = set()
        rest = doc_net
        for line in doc.get("lines") or []:
            if not isinstance(line, dict) or not line.get("sku"):
                continue
            key = str(line["sku"])
            row = totals[key]
            row["qty"] += sign * int(line.get("qty", 0) or 0)
            row[field] += line_net(line)
            rest -= line_net(line)
            if key not in seen:
                row[tally] += 1
                seen.add(key)
        if rest:  # an amount credited, not pieces (or a line without a SKU)
            row = totals[NO_PRODUCT]
            row[field] += rest
            row[tally] += 1

    for inv in office.records("invoice"):
        if within(inv.get("date")):
            count(inv, 1)
    for crn in office.records("credit_note"):
        if within(crn.get("date")):
            count(crn, -1)
    names = {}
    if by == "customer":
        names = {c.id: c.get("name") for c in office.records("customer")}
    else:
        names = {p.id: p.get("name") for p in office.records("product")}
    out = [
        {
            "id": key,
            "state": by,
            "name": names.get(key, ""),
            "qty": v["qty"],
            "invoices": v["invoices"],
            "credits": v["credits"],
            "invoiced": money.text(v["invoiced"]),
            "credited": money.text(v["credited"]),
            "net": money.text(v["invoiced"] - v["credited"]),
        }
        for key, v in totals.items()
    ]
    return sorted(out, key=lambda r: (-Decimal(r["net"]), r["id"]))


NO_PRODUCT = "(no product)"


QUOTE_OUTCOMES = ("accepted", "declined", "expired", "sent")


def quotes(
    office, begin: date | None = None, end: date | None = None, by: str = "month"
) -> tuple[list[dict], dict]:
    """Quotes sent in [begin, end), by the month they were sent or by the customer's
    source (the marketing channel that brought the customer): how many were sent,
    accepted, declined, expired and are still open (sent), the conversion (accepted
    / sent, in %), and the net value sent and accepted. Drafts were never sent and
    are not counted. Returns (rows, the total row)."""
    sources = {c.id: str(c.get("source") or "(none)") for c in office.records("customer")}
    groups: dict[str, dict] = defaultdict(
        lambda: {**{k: 0 for k in QUOTE_OUTCOMES}, "sent_net": ZERO, "accepted_net": ZERO}
    )
    total = groups["total"]
    for q in office.records("quote", list(QUOTE_OUTCOMES)):
        day = str(q.get("sent") or "")
        if not clock.is_date(day):
            continue
        if (begin is not None and day < begin.isoformat()) or (end is not None and day >= end.isoformat()):
            continue
        key = day[:7] if by == "month" else sources.get(str(q.get("customer")), "(none)")
        net = totals(q.get("lines") or [])["net"]
        for row in (groups[key], total):
            row[q.state] += 1
            row["sent_net"] += net
            if q.state == "accepted":
                row["accepted_net"] += net
    groups.pop("total")

    def shaped(key: str, v: dict) -> dict:
        sent = sum(v[k] for k in QUOTE_OUTCOMES)
        rate = (Decimal(v["accepted"] * 100) / sent).quantize(Decimal("0.1")) if sent else None
        return {
            "id": key,
            "state": by,
            "sent": sent,
            "accepted": v["accepted"],
            "declined": v["declined"],
            "expired": v["expired"],
            "open": v["sent"],
            "conversion": f"{rate}%" if rate is not None else "",
            "sent_net": money.text(v["sent_net"]),
            "accepted_net": money.text(v["accepted_net"]),
        }

    rows = [shaped(k, v) for k, v in sorted(groups.items())]
    return rows, shaped("total", total)
