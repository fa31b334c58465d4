"""The back office buys: suppliers, purchase orders and the suppliers' bills.

One module per noun, the way the records tree has one folder per kind:

    suppliers.py   back/suppliers/                        SUP-…
    purchases.py   back/purchases/draft|ordered|received|billed
                   -> archive/purchases/closed|cancelled/YYYY   PO-…
    bills.py       back/bills/open|paid                    BIL-…

The books of a purchase, each entry in the same transaction as its step and
naming its record in ``ref`` (so ``purchase trace`` and ``ledger register``
find it):

    purchase receive   Assets:Inventory        / Liabilities:GRNI      qty x the PO's cost
    purchase bill      Liabilities:GRNI        (what was received)
                       Assets:VATInput         (input VAT per rate)
                       Expenses:PurchaseDifferences (billed - expected, when accepted)
                                               / Liabilities:Payable   the bill's total
    bill pay           Liabilities:Payable     / Assets:Bank or Assets:Cash

GRNI ("goods received, not invoiced") holds the value of what came in until
the supplier's bill arrives; after the bill it is zero for that order.
"""
from __future__ import annotations

INVENTORY = "Assets:Inventory"
GRNI = "Liabilities:GRNI"
VAT_INPUT = "Assets:VATInput"
PAYABLE = "Liabilities:Payable"
DIFFERENCES = "Expenses:PurchaseDifferences"
METHODS = {"bank": "Assets:Bank", "cash": "Assets:Cash"}


def need_accounts(office, *accounts: str) -> None:
    """Refuse, naming office.yaml, when the chart lacks an account these steps post to
    (an office made before purchasing existed): add them, as ``init`` now does."""
    from officecli.store.errors import UserError

    missing = [a for a in accounts if a not in office.config.accounts]
    if missing:
        raise UserError(f"office.yaml: accounts: {', '.join(missing)} missing; add "
                        + ", ".join(f"'{a}: {'liability' if a.startswith('Liabilities') else 'asset' if a.startswith('Assets') else 'expense'}'" for a in missing)
                        + " to the chart of accounts")
