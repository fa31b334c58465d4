"""The trial balance: every account's opening, movement and closing, in debit and credit columns.

For a period [begin, end) (both optional, ``--end`` exclusive as in hledger):

* **opening**: the account's balance from every transaction dated before
  ``begin`` (nothing without ``begin``), in the debit column when it is a
  debit balance (positive, hledger's sign), else in the credit column;
* **movement**: the sum of the account's debit postings and, separately, of
  its credit postings dated in the period (gross, not netted: a bookkeeper
  ticks them off against the journal);
* **closing**: opening + movement, again in one column by its sign. It is
  the account's ``ledger balance --end END``.

An account appears when any of the six figures is not zero. The last row is
the total of each column: since every transaction sums to zero, debits equal
credits in each pair of columns. ``balanced(total)`` says whether they do; a
difference means a broken transaction file (``ledger check`` names it).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from officecli.office import money
from officecli.office.books import ledger

ZERO = money.ZERO
COLUMNS = ("opening_debit", "opening_credit", "debit", "credit", "closing_debit", "closing_credit")


def _split(amount: Decimal) -> tuple[Decimal, Decimal]:
    """A balance as (debit, credit), both positive or zero."""
    return (amount, ZERO) if amount > 0 else (ZERO, -amount)


def trial(office, begin: date | None = None, end: date | None = None) -> tuple[list[dict], dict]:
    """(one row per account, the total row)."""
    opening: dict[str, Decimal] = {}
    if begin is not None:
        opening = ledger.sums(ledger.transactions(office, None, begin))
    debits: dict[str, Decimal] = {}
    credits: dict[str, Decimal] = {}
    for txn in ledger.transactions(office, begin, end):
        for acct, amount in ledger.postings_of(txn):
            side = debits if amount > 0 else credits
            side[acct] = side.get(acct, ZERO) + abs(amount)
    rows = []
    total = {c: ZERO for c in COLUMNS}
    for acct in sorted(set(opening) | set(debits) | set(credits)):
        start = money.q(opening.get(acct, ZERO))
        dr, cr = money.q(debits.get(acct, ZERO)), money.q(credits.get(acct, ZERO))
        close = start + dr - cr
        figures = dict(zip(COLUMNS, (*_split(start), dr, cr, *_split(close))))
        if not any(figures.values()):
            continue
        for c in COLUMNS:
            total[c] += figures[c]
        rows.append(
            {
                "id": acct,
                "state": ledger.account_type(office, acct) or "unknown",
                "account": acct,
                **{c: money.text(v) for c, v in figures.items()},
                "balance": money.text(close),
            }
        )
    total_row = {
        "id": "total",
        "state": "total",
        "account": "total",
        **{c: money.text(v) for c, v in total.items()},
        "balance": money.text(total["closing_debit"] - total["closing_credit"]),
    }
    return rows, total_row


def balanced(total: dict) -> list[str]:
    """What does not add up in the total row (empty: debits equal credits in every pair)."""
    out = []
    for what, dr, cr in (
        ("opening", "opening_debit", "opening_credit"),
        ("movement", "debit", "credit"),
        ("closing", "closing_debit", "closing_credit"),
    ):
        if Decimal(total[dr]) != Decimal(total[cr]):
            out.append(f"{what}: debits {total[dr]} but credits {total[cr]}")
    return out
