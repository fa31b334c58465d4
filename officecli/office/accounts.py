"""The chart's standard accounts: the names every room posts to or sums.

Below every room, so the books, the back office, payroll and the checks name
the same account the same way (office.yaml's ``accounts:`` says which exist;
``control_accounts:`` which ones only their source records may move).
"""

from __future__ import annotations

from typing import Any

from officecli.store.errors import UserError

BANK = "Assets:Bank"
CASH = "Assets:Cash"
RECEIVABLE = "Assets:Receivable"
INVENTORY = "Assets:Inventory"
VAT_INPUT = "Assets:VATInput"
PAYABLE = "Liabilities:Payable"
VAT = "Liabilities:VAT"  # output VAT, owed to the tax office
CUSTOMER_CREDIT = "Liabilities:CustomerCredit"  # customers' money on account, not yet applied
VAT_DUE = "Liabilities:VATDue"  # a settled VAT return: owed to (claimable from) the tax office
GRNI = "Liabilities:GRNI"  # goods received, not invoiced
PAYROLL = "Liabilities:Payroll"  # net pay owed to the staff
EFKA = "Liabilities:EFKA"  # social insurance (ΕΦΚΑ), employee's and employer's, owed
PAYROLL_TAX = "Liabilities:PayrollTax"  # income tax withheld from pay (ΦΜΥ), owed
RETAINED = "Equity:Retained"
SALES = "Income:Sales"
COGS = "Expenses:COGS"
WRITE_OFFS = "Expenses:WriteOffs"
ADJUSTMENTS = "Expenses:StockAdjustments"
DIFFERENCES = "Expenses:PurchaseDifferences"
SALARIES = "Expenses:Salaries"
SOCIAL = "Expenses:SocialInsurance"  # the employer's ΕΦΚΑ
OTHER = "Expenses:Other"  # a bill line without an account

METHODS = {"bank": BANK, "cash": CASH}  # how money is paid or received (--method)

# Control accounts: each is the total of a subledger (invoices, stock, bills, payroll,
# VAT), posted to by the commands that keep it; `ledger post` refuses a line on one
# unless it names its source record (--ref) and says it means it (--control).
# office.yaml ``control_accounts:`` (a list) overrides this default.
DEFAULT_CONTROL = (
    RECEIVABLE,
    INVENTORY,
    VAT_INPUT,
    PAYABLE,
    VAT,
    PAYROLL,
    GRNI,
    VAT_DUE,
    CUSTOMER_CREDIT,
    EFKA,
    PAYROLL_TAX,
)


def need_accounts(office: Any, *accounts: str) -> None:
    """Refuse, naming office.yaml, when the chart lacks an account these steps post to
    (an office made before purchasing existed): add them, as ``init`` now does."""
    missing = [a for a in accounts if a not in office.config.accounts]
    if missing:
        raise UserError(
            f"office.yaml: accounts: {', '.join(missing)} missing; add "
            + ", ".join(
                f"'{a}: {'liability' if a.startswith('Liabilities') else 'asset' if a.startswith('Assets') else 'expense'}'"
                for a in missing
            )
            + " to the chart of accounts"
        )
