"""The double-entry ledger: one file per transaction under back/ledger/YYYY/MM/.

Posted transactions are never edited or deleted; a mistake is undone by a
reversing entry. Every amount is Decimal with at most 2 decimals, and every
transaction sums to exactly zero.
"""
from __future__ import annotations

import difflib
from decimal import Decimal

from officecli.store.errors import UserError

from . import clock, money
from .records import Record


def check_account(office, account: str) -> str:
    known = office.config.accounts
    if account in known:
        return account
    close = difflib.get_close_matches(account, known, n=3, cutoff=0.5)
    hint = f" (did you mean {', '.join(close)}?)" if close else " (see 'officecli ledger accounts')"
    raise UserError(f"account {account!r}: not in the chart of accounts in office.yaml{hint}")


def balance_postings(postings: list[tuple[str, Decimal | None]]) -> list[tuple[str, Decimal]]:
    """Fill in the one amount left out; refuse anything that does not sum to zero."""
    if len(postings) < 2:
        raise UserError("a transaction needs two postings or more")
    missing = [i for i, (_, amount) in enumerate(postings) if amount is None]
    if len(missing) > 1:
        raise UserError("only one posting may leave its amount out")
    total = sum((a for _, a in postings if a is not None), Decimal("0"))
    if missing:
        i = missing[0]
        postings = list(postings)
        postings[i] = (postings[i][0], -total)
        total = Decimal("0")
    if total != 0:
        raise UserError(f"the postings do not balance: they sum to {money.text(total)}, not 0")
    return [(acct, money.q(amount)) for acct, amount in postings]


def post(office, date, description: str, postings: list[tuple[str, Decimal | None]],
         ref: str | None = None, reverses: str | None = None) -> Record:
    """Write one balanced transaction (inside an open ``office.change()``)."""
    if not description or not str(description).strip():
        raise UserError("description: must not be empty")
    day = clock.parse_date(date, "date") if not hasattr(date, "isoformat") else date
    checked = [(check_account(office, acct), amount) for acct, amount in postings]
    lines = balance_postings(checked)
    data = {
        "id": office.new_id("ledger_txn"),
        "date": day.isoformat(),
        "description": str(description).strip(),
        "postings": [{"account": acct, "amount": money.text(amount)} for acct, amount in lines],
        "ref": ref,
        "reverses": reverses,
        "at": office.stamp(),
        "by": office.user,
    }
    return office.create("ledger_txn", {k: v for k, v in data.items() if v is not None})


def postings_of(rec: Record) -> list[tuple[str, Decimal]]:
    return [(p["account"], Decimal(str(p["amount"]))) for p in rec.data.get("postings", [])]
