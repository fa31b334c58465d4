"""Customer money on account: a payment that matches no invoice, held until applied.

    customer pay C AMOUNT [--method bank|cash] [--date D]
        Assets:Bank (Cash)           / Liabilities:CustomerCredit   ref C, kind on-account
    invoice pay N [AMOUNT] --from-credit
        Liabilities:CustomerCredit   / Assets:Receivable            ref N, document C, kind payment

The money is the customer's until it pays an invoice, so it is a liability
of its own (Liabilities:CustomerCredit, a control account), never a
posting on Receivable that no invoice explains. What a customer has on
account is read from the ledger: minus the sum of their postings to it (the
ones whose ``ref`` or ``document`` is the customer), never stored (summed per
ledger month in the cache's summaries: office/summaries.py). It is
shown by `customer show`, on the statement and in `report aged receivables`
(a row "on account" per customer, negative), and `ledger check` proves the
account against the customers, one by one (checks/reconcile.py).
"""

from __future__ import annotations

from datetime import date as Date
from datetime import timedelta
from decimal import Decimal

from officecli.office import clock, money, summaries
from officecli.office.accounts import CUSTOMER_CREDIT, METHODS, need_accounts
from officecli.office.books import ledger
from officecli.office.records import Record
from officecli.store.errors import UserError

KIND = "on-account"


def customer_of(txn: Record) -> str | None:
    """The customer a posting to Liabilities:CustomerCredit belongs to (ref, else document)."""
    return summaries.credit_customer(txn.data) or None


def held(office, upto: Date | None = None) -> dict[str, Decimal]:
    """customer ID -> the money on account (positive) through ``upto`` (every day without it);
    the key None gathers postings that name no customer."""
    out: dict = {}
    if CUSTOMER_CREDIT not in office.config.accounts:
        return out
    end = upto + timedelta(days=1) if upto else None
    if summaries.usable(office):  # the ledger months' sums: no transaction read
        for who, amount in summaries.customer_credit(office, end).items():
            out[who or None] = -amount
        return {k: money.q(v) for k, v in out.items() if v != 0}
    for txn in ledger.transactions(office, None, end):
        for acct, amount in ledger.postings_of(txn):
            if acct == CUSTOMER_CREDIT:
                key = customer_of(txn)
                out[key] = out.get(key, money.ZERO) - amount
    return {k: money.q(v) for k, v in out.items() if v != 0}


def available(office, customer_id: str) -> Decimal:
    return held(office).get(customer_id, money.ZERO)


def receive(office, ref: str, amount_text: str, method: str = "bank", when: str | None = None):
    """Money from a customer that pays no invoice yet; (customer, txn, now on account)."""
    if method not in METHODS:
        raise UserError(f"--method {method!r}: one of {', '.join(METHODS)}")
    amount = money.parse(amount_text, "AMOUNT", allow_negative=False)
    if amount <= 0:
        raise UserError(f"AMOUNT {amount_text!r}: must be more than 0")
    with office.change():
        need_accounts(office, CUSTOMER_CREDIT)
        cust = office.get("customer", ref)
        day = clock.parse_date(when, "--date") if when is not None else office.today()
        txn = ledger.post(
            office,
            day,
            f"Payment on account from {cust.get('name')} ({method})",
            [(METHODS[method], amount), (CUSTOMER_CREDIT, -amount)],
            ref=cust.id,
            kind=KIND,
        )
        now = available(office, cust.id) + amount
        office.messages.append(f"payment on account from {cust.id}: {money.text(amount)}")
        return cust, txn, money.q(now)
