"""Aged receivables and payables: what is owed, by how long past its due date.

Each open document is one row: its balance read from the ledger (customers:
Assets:Receivable by invoice; suppliers: Liabilities:Payable by bill), its
due date and the bucket of days past due: ``current`` (not yet due), ``1-30``,
``31-60``, ``61-90``, ``90+``. Receivables count what is owed both ways: an
invoice on which the customer is owed money back (credited after payment)
is a negative row in the bucket ``owed back``.

Money a customer paid on account (``customer pay``, books/advances.py) is a row of
its own, "on account", negative (bucket ``owed back``), and the receivables'
check adds Liabilities:CustomerCredit to Assets:Receivable.

Both sides reconcile: receivables' total is Assets:Receivable's balance and
payables' total Liabilities:Payable's, as of the same day (``balance``); a
difference means a posting to the account that belongs to no invoice (no
bill), and ``report aged`` says so and exits 1. Aged as of a past day
(``--date``), only the documents and postings dated up to that day count.
"""

from __future__ import annotations

from datetime import date as Date
from datetime import timedelta
from decimal import Decimal

from officecli.office import accounts, clock, money
from officecli.office.books import advances, ledger

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


def _owed_by_ref(office, upto: Date | None, account: str = accounts.RECEIVABLE) -> dict[str, Decimal]:
    """ref -> the sum of its ``account`` postings dated on or before ``upto``
    (every one without it)."""
    out: dict[str, Decimal] = {}
    for txn in ledger.transactions(office, None, upto + timedelta(days=1) if upto else None):
        ref = txn.data.get("ref")
        for acct, amount in ledger.postings_of(txn):
            if acct == account and ref:
                out[ref] = out.get(ref, money.ZERO) + amount
    return out


def _as_of(amounts: dict[str, Decimal], today: Date, asked: bool, sign: int):
    """owed(document): its amount as of ``today``; nothing for a document dated after it."""

    def owed(doc) -> Decimal:
        if asked and str(doc.get("date") or "") > today.isoformat():
            return money.ZERO  # dated after the day asked: nothing owed on it yet
        return money.q(sign * amounts.get(doc.id, money.ZERO))

    return owed


def receivables(office, today: Date | None = None) -> list[dict]:
    """One row per invoice with a balance: what it is owed as of ``today`` (the postings
    dated up to that day; every one when aged as of today), its bucket."""
    asked = today is not None
    today = today or office.today()
    owed = _as_of(_owed_by_ref(office, today if asked else None), today, asked, 1)
    rows = _aged(office, "invoice", "customer", today, owed)
    names = {c.id: c.get("name") for c in office.records("customer")}
    for who, amount in advances.held(office, today if asked else None).items():
        rows.append(
            {
                "id": f"on account {who}",
                "state": "on account",
                "party": who,
                "name": names.get(who, ""),
                "date": None,
                "due": None,
                "days": 0,
                "bucket": "owed back",
                "owed": money.text(-amount),
            }
        )
    return sorted(rows, key=lambda r: (str(r["party"]), str(r["due"]), r["id"]))


def payables(office, today: Date | None = None) -> list[dict]:
    """One row per bill with a balance as of ``today`` (its Liabilities:Payable postings
    dated up to that day), as ``receivables``."""
    asked = today is not None
    today = today or office.today()
    owed = _as_of(_owed_by_ref(office, today if asked else None, accounts.PAYABLE), today, asked, -1)
    return _aged(office, "bill", "supplier", today, owed, more=("number",))


def _aged(office, kind: str, party: str, today: Date, owed, more=()) -> list[dict]:
    """The aging of both sides: one row per ``kind`` record on which ``owed(record)`` is not
    zero, with who owes (its ``party`` field, a record of that kind, and its name), the
    ``more`` fields, its dates, days late and bucket as of ``today``; by party, due date, ID."""
    names = {p.id: p.get("name") for p in office.records(party)}
    out = []
    for doc in office.records(kind):
        amount = owed(doc)
        if amount == 0:
            continue
        label, late = bucket(doc.get("due"), today, amount)
        out.append(
            {
                "id": doc.id,
                "state": doc.state,
                "party": doc.get(party),
                "name": names.get(doc.get(party), ""),
                **{k: doc.get(k) for k in more},
                "date": doc.get("date"),
                "due": doc.get("due"),
                "days": late,
                "bucket": label,
                "owed": money.text(amount),
            }
        )
    return sorted(out, key=lambda r: (str(r["party"]), str(r["due"]), r["id"]))


def balance(office, account: str, today: Date | None = None) -> Decimal:
    """``account``'s balance as of ``today`` (every posting without it), as the aging
    reads it: Receivable as it stands, Payable (a credit) positive."""
    end = today + timedelta(days=1) if today is not None else None
    sums = ledger.sums(ledger.transactions(office, None, end))
    got = sums.get(account, money.ZERO)
    if account == accounts.RECEIVABLE:  # less the customers' money on account
        got += sums.get(accounts.CUSTOMER_CREDIT, money.ZERO)
    return money.q(-got if account == accounts.PAYABLE else got)


def totals(rows: list[dict], label: str = "total") -> dict:
    """The total row: each bucket and the whole."""
    return _tally({"id": label, "state": "total"}, rows, "owed")


def summary(rows: list[dict]) -> list[dict]:
    """One row per party: the total in each bucket and overall."""
    by: dict[str, list[dict]] = {}
    for r in rows:
        by.setdefault(r["party"], []).append(r)
    return [
        _tally({"id": party, "state": "", "name": mine[0]["name"]}, mine, "total")
        for party, mine in sorted(by.items(), key=lambda kv: kv[0])
    ]


def _tally(head: dict, rows: list[dict], whole: str) -> dict:
    """``head``, then the rows' amounts owed added up in each bucket and as ``whole``, as text."""
    out = {**head, **{b: money.ZERO for b in (*BUCKETS, "owed back")}, whole: money.ZERO}
    for r in rows:
        amount = money.parse(r["owed"])
        out[r["bucket"]] += amount
        out[whole] += amount
    return {k: (money.text(v) if isinstance(v, Decimal) else v) for k, v in out.items()}
