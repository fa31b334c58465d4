"""Aged receivables and payables: what is owed, by how long past its due date.

Each open document is one row: its balance read from the ledger (customers:
Assets:Receivable by invoice; suppliers: Liabilities:Payable by bill), its
due date and the bucket of days past due: ``current`` (not yet due), ``1-30``,
``31-60``, ``61-90``, ``90+``. Receivables count what is owed both ways: an
invoice on which the customer is owed money back (credited after payment)
is a negative row in the bucket ``owed back``.
"""
from __future__ import annotations

from datetime import date as Date

from . import clock, invoices, money

BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


def bucket(due, today: Date, amount) -> tuple[str, int]:
    if amount < 0:
        return "owed back", 0
    if not clock.is_date(due):
        return "current", 0
    late = (today - clock.parse_date(due)).days
    if late <= 0:
        return "current", 0
    for label, top in (("1-30", 30), ("31-60", 60), ("61-90", 90)):
        if late <= top:
            return label, late
    return "90+", late


def receivables(office, today: Date | None = None) -> list[dict]:
    today = today or office.today()
    amounts = invoices.amounts_by_ref(office)
    names = {c.id: c.get("name") for c in office.records("customer")}
    out = []
    for inv in office.records("invoice"):
        owed = invoices.outstanding(office, inv, amounts)
        if owed == 0:
            continue
        label, late = bucket(inv.get("due"), today, owed)
        out.append({"id": inv.id, "state": inv.state, "party": inv.get("customer"),
                    "name": names.get(inv.get("customer"), ""), "date": inv.get("date"),
                    "due": inv.get("due"), "days": late, "bucket": label, "owed": money.text(owed)})
    return sorted(out, key=lambda r: (str(r["party"]), str(r["due"]), r["id"]))


def payables(office, today: Date | None = None) -> list[dict]:
    from .purchasing import bills

    today = today or office.today()
    amounts = bills.amounts_by_ref(office)
    names = {s.id: s.get("name") for s in office.records("supplier")}
    out = []
    for bill in office.records("bill"):
        owed = bills.owed(office, bill, amounts)
        if owed == 0:
            continue
        label, late = bucket(bill.get("due"), today, owed)
        out.append({"id": bill.id, "state": bill.state, "party": bill.get("supplier"),
                    "name": names.get(bill.get("supplier"), ""), "number": bill.get("number"),
                    "date": bill.get("date"), "due": bill.get("due"), "days": late,
                    "bucket": label, "owed": money.text(owed)})
    return sorted(out, key=lambda r: (str(r["party"]), str(r["due"]), r["id"]))


def summary(rows: list[dict]) -> list[dict]:
    """One row per party: the total in each bucket and overall."""
    by: dict[str, dict] = {}
    for r in rows:
        s = by.setdefault(r["party"], {"id": r["party"], "state": "", "name": r["name"],
                                       **{b: money.ZERO for b in (*BUCKETS, "owed back")},
                                       "total": money.ZERO})
        amount = money.parse(r["owed"])
        s[r["bucket"]] += amount
        s["total"] += amount
    return [{k: (money.text(v) if hasattr(v, "quantize") else v) for k, v in s.items()}
            for s in sorted(by.values(), key=lambda s: s["id"])]
