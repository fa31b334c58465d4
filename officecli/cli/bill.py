"""officecli bill: the suppliers' bills -- add (no purchase order), list, show, pay."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import (
    each_id,
    format_option,
    id_complete,
    listing,
    method_option,
    money_out_date,
    note_option,
    only_option,
    state_option,
)

LIST_COLUMNS = [
    ("id", "ID"),
    ("state", "State"),
    ("supplier", "Supplier"),
    ("supplier_name", "Name"),
    ("number", "Their no."),
    ("date", "Date"),
    ("due", "Due"),
    ("total", "Total"),
    ("paid", "Paid"),
    ("owed", "Owed"),
    ("overdue", "Overdue"),
]
SHOW_FIELDS = [
    ("id", "id"),
    ("state", "state"),
    ("supplier", "supplier"),
    ("supplier_name", "name"),
    ("number", "their number"),
    ("purchase", "purchase order"),
    ("date", "date"),
    ("due", "due"),
    ("currency", "currency"),
    ("net", "net"),
    ("vat", "vat"),
    ("gross", "gross"),
    ("difference", "difference"),
    ("vat_printed", "VAT as printed"),
    ("vat_difference", "VAT difference (printed - ours)"),
    ("total", "total"),
    ("paid", "paid"),
    ("owed", "owed"),
    ("overdue", "overdue"),
]
LINE_COLUMNS = [
    ("sku", "SKU"),
    ("name", "Name"),
    ("account", "Account"),
    ("qty", "Qty"),
    ("price", "Cost"),
    ("vat", "VAT %"),
    ("net", "Net"),
]

bill_id = click.argument("ref", metavar="BILL", shell_complete=id_complete("bill"))


@click.group()
def bill():
    """Book, pay, list and show suppliers' bills (a PO's bill: `purchase bill`).

    \b
    Examples:
      officecli bill add --supplier 2 --date 2026-03-01 --line "Ενοίκιο Μαρτίου:500.00:24:Expenses:Rent"
      officecli bill list --state open
      officecli bill pay 1 200.00 --method bank
      officecli report aged payables
    """


@bill.command("add")
@click.option(
    "--supplier",
    required=True,
    shell_complete=id_complete("supplier"),
    help="The supplier (ID, suffix or number).",
)
@click.option(
    "--date", "when", required=True, metavar="DATE", help="The bill's date, as the supplier wrote it."
)
@click.option(
    "--line",
    "lines",
    multiple=True,
    metavar="DESC:NET:RATE[:ACCOUNT]",
    help="A net amount at a VAT rate, debited to ACCOUNT (default --account). Repeatable.",
)
@click.option(
    "--receipt",
    "receipts",
    multiple=True,
    metavar="MOV[:RATE]",
    help="A `stock receive` made without a purchase order, billed at its value (clears Liabilities:GRNI).",
)
@click.option(
    "--account", default="Expenses:Other", show_default=True, help="The account of lines that name none."
)
@click.option("--number", help="The supplier's invoice number (unique per supplier).")
@click.option("--due", metavar="DATE", help="Due date (default: --date + the supplier's terms).")
@click.option(
    "--vat-total",
    metavar="AMOUNT",
    help="The VAT the supplier printed; booked and owed, its difference to ours shown on the bill.",
)
@note_option(help="A note for the bill's history.")
@format_option
@pass_app
def add_cmd(app: App, supplier, when, lines, receipts, account, number, due, vat_total, note):
    """Book a supplier's bill that has no purchase order: rent, utilities, services.

    Each --line is DESCRIPTION:NET:RATE, optionally :ACCOUNT (an expense or
    asset account of the chart; default --account). VAT is computed once per
    rate on that rate's net. The entry: each account its net, Assets:VATInput
    the VAT, Liabilities:Payable the total; the bill is in back/bills/open,
    in aged payables and in the VAT return's input side. Pay it with
    'bill pay'. --receipt bills goods taken in with 'stock receive' (no
    PO), which wait in Liabilities:GRNI until billed.

    --vat-total is the VAT as the supplier printed it; when it differs
    from ours, the printed VAT is booked and owed and the difference is kept
    on the bill (bill show, and its own line in 'report vat').

    \b
    Examples:
      officecli bill add --supplier 2 --date 2026-03-01 --line "Ενοίκιο:500.00:24:Expenses:Rent"
      officecli bill add --supplier ΔΕΗ --date 2026-03-05 --number 88121 \\
          --line "Ρεύμα:80.65:6:Expenses:Utilities" --vat-total 4.85 --due 2026-03-20
      officecli bill add --supplier 3 --date 2026-03-09 --receipt MOV-A-0007:24
    """
    from officecli.office.back import bills

    rec = bills.add(app.office, supplier, when, lines, receipts, number, due, vat_total, account, note)
    app.created(rec.id, f"{rec.get('total')} {rec.get('currency')} owed to {rec.get('supplier')}: {rec.path}")


@bill.command("list")
@state_option(["open", "paid"], "bills", multiple=True)
@only_option("supplier", "bills")
@click.option("--overdue", is_flag=True, help="Only open bills past their due date with money owed.")
@listing("bill")
@format_option
@pass_app
def list_cmd(app: App, state, supplier, overdue):
    """List bills with what was paid and what is still owed.

    OWED is read from the ledger (the postings to Liabilities:Payable that
    name the bill).

    \b
    Examples:
      officecli bill list
      officecli bill list --state open --supplier 2
      officecli bill list --overdue --format csv
    """
    from officecli.office.back import bills

    app.rows(bills.listing(app.office, list(state) or None, supplier, overdue), LIST_COLUMNS)


@bill.command("show")
@each_id("bill", "ref", "BILL")
@format_option
@pass_app
def show_cmd(app: App, ref):
    """Show one bill: lines, VAT per rate, totals, payments and history.

    \b
    Examples:
      officecli bill show 1
      officecli bill show BIL-A-0001 --format json
    """
    from officecli.office.back import bills

    from ._lines import show_paid

    office = app.office
    rec = office.get("bill", ref)
    names = {s.id: s.get("name") for s in office.records("supplier")}
    row = bills.row(office, rec, bills.amounts_by_ref(office), office.today(), names)
    row["payments"] = bills.payments(office, rec.id)
    show_paid(app, rec, row, SHOW_FIELDS, LINE_COLUMNS)


@bill.command("pay", context_settings={"ignore_unknown_options": True})  # '-10' is an AMOUNT
@bill_id
@click.argument("amount")
@method_option("Posts Liabilities:Payable / Assets:Bank or Assets:Cash.")
@money_out_date
@format_option
@pass_app
def pay_cmd(app: App, ref, amount, method, when):
    """Pay a supplier's bill, in part or in full (AMOUNT or `all`).

    Partial payments add up; paying more than is owed is refused. When
    nothing is owed any more the bill moves to back/bills/paid/ and its
    purchase order to archive/purchases/closed/YYYY/. Prints the ledger
    transaction's ID.

    \b
    Examples:
      officecli bill pay 1 200.00
      officecli bill pay BIL-A-0001 all --method cash --date 2026-11-25
    """
    from officecli.office import money
    from officecli.office.back import bills

    rec, left, txn = bills.pay(app.office, ref, amount, method, when)
    cur = rec.get("currency", "")
    what = "paid in full" if left == 0 else f"{money.fmt(left, cur)} still owed"
    app.created(txn.id, f"{rec.id} {what}")
