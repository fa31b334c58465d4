"""``ledger check``: the books against themselves and against every subledger.

The ledger's own entries first (books/ledger.py ``check_entries``), then, over the
readable balanced entries it hands on: each invoice (books/invoices.py), each
supplier's bill against Liabilities:Payable (back/bills.py), and every other
control account against the records behind it (checks/reconcile.py), and the bank's
statements against the books when there are any (bank/reconciliation.py).
"""

from __future__ import annotations

from officecli.office.back import bills
from officecli.office.bank import reconciliation
from officecli.office.books import invoices, ledger, vat
from officecli.office.checks import reconcile
from officecli.office.sites import periodcheck
from officecli.office.workflows import kinds


def check(office) -> list[str]:
    """Every problem of the books, one line each: 'path: problem'."""
    out, good = ledger.check_entries(office)
    out += invoices.check(office, good)
    if "bill" in kinds():
        out += bills.check(office, good)
    out += reconcile.check(office, good)
    out += vat.check(office, good)
    out += periodcheck.lines(office, good.values())  # closed periods across sites, future-dated entries
    if "bank_line" in kinds():
        out += reconciliation.check(office)  # the bank's statements against the books
    return out
