"""officecli invoice list|show|pay|credit, and `officecli order invoice` (order_invoice)."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import (
    date_option,
    each_id,
    format_option,
    id_complete,
    listing,
    method_option,
    money_out_date,
    note_option,
    only_option,
    search_option,
    state_option,
)

LIST_COLUMNS = [
    ("id", "ID"),
    ("state", "STATE"),
    ("date", "DATE"),
    ("due", "DUE"),
    ("customer", "CUSTOMER"),
    ("order", "ORDER"),
    ("gross", "GROSS"),
    ("paid", "PAID"),
    ("credited", "CREDITED"),
    ("owed", "OWED"),
    ("overdue", "OVERDUE"),
]

SHOW_FIELDS = [
    ("id", "id"),
    ("state", "state"),
    ("series", "series"),
    ("order", "order"),
    ("customer", "customer"),
    ("bill_to", "bill to"),
    ("date", "date"),
    ("due", "due"),
    ("type", "myDATA type"),
    ("supplied", "supplied"),
    ("delivery_note", "delivery note"),
    ("payment_method", "payment method"),
    ("currency", "currency"),
    ("net", "net"),
    ("vat", "vat"),
    ("gross", "gross"),
    ("paid", "paid"),
    ("credited", "credited"),
    ("owed", "owed"),
    ("overdue", "overdue"),
    ("credit_notes", "credit notes"),
    ("mydata", "myDATA"),
]

LINE_COLUMNS = [
    ("sku", "SKU"),
    ("name", "NAME"),
    ("qty", "QTY"),
    ("price", "PRICE"),
    ("vat", "VAT %"),
    ("net", "NET"),
]


@click.command("invoice")
@each_id("order", "order")
@click.option(
    "--series",
    metavar="S",
    default=None,
    help="Invoice series: 1-8 capitals or digits; the invoice is INV-S-NNNN "
    "(default: invoice_series in office.yaml, which is the site code).",
)
@format_option
@pass_app
def order_invoice(app: App, order, series):
    """Invoice a shipped order: issue INV-…, post it, move the order to invoiced.

    The invoice goes to back/invoices/open/ with the order's lines, VAT per
    rate (computed once per rate on that rate's net, half-up to the cent) and
    totals, dated today and due after payment_terms_days (office.yaml). The
    ledger gets Assets:Receivable (gross) / Income:Sales (net) + Liabilities:VAT.

    Numbering is gapless and never reused within a series: the number is
    allocated under the writer lock as one more than the highest the series
    has ever used. A series is a code of 1-8 capitals or digits that becomes
    the middle of the ID and file name (--series B -> INV-B-0001.yaml in
    back/invoices/open/); each site numbers its own series by default, and
    credit notes have their own series (CRN-<SERIES>-NNNN). An issued invoice
    is never edited: only `invoice pay` and `invoice credit` add history.

    Each series has one owner site, so no number is issued twice company-wide:
    a site's default series ({site}) is its own; other series are named in
    office.yaml (`invoice_series: {default: '{site}', S: A}`: only site A
    issues INV-S-… and its credit notes CRN-S-…). Issuing in a series another
    site owns is refused before anything changes, naming the owner; a series
    nobody owns is refused once the company has several sites.

    \b
    Examples:
      officecli order invoice 42
      officecli order invoice ORD-A-0012 --series B2026
    """
    from officecli.office.books import invoices
    from officecli.office.einvoice import facts

    office = app.office
    with office.change():
        inv = invoices.issue(
            office, order, series, facts=lambda o, c, lines: facts.at_issue(office, o, c, lines)
        )
        office.messages.append(f"invoice {inv.id} for order {inv.data['order']}")
    app.created(inv.id, f"{inv.data['gross']} {inv.data['currency']} for {inv.data['order']}")


@click.group()
def invoice():
    """Pay, credit, list and show invoices (issue them with `officecli order invoice`).

    \b
    Examples:
      officecli order invoice 42
      officecli invoice pay 7 124.00 --method bank
      officecli invoice list --overdue
    """


@invoice.command("list")
@state_option(["open", "paid", "credited"], "invoices", multiple=True)
@only_option("customer", "invoices")
@click.option("--overdue", is_flag=True, help="Only open invoices past their due date with money owed.")
@listing("invoice")
@search_option
@format_option
@pass_app
def list_(app: App, state, customer, overdue, search):
    """List invoices with what was paid and what is still owed.

    OWED is read from the ledger (the postings to Assets:Receivable that name
    the invoice); an invoice is overdue when it is open, money is owed and
    its due date (date + payment_terms_days of office.yaml) has passed.

    \b
    Examples:
      officecli invoice list
      officecli invoice list --state open --customer 3
      officecli invoice list --overdue --format csv
      officecli invoice list --search παπαδοπουλου
    """
    from officecli.office.books import invoices

    office = app.office
    rows = invoices.listing(office, list(state) or None, customer, overdue)  # (an ID: options.naming)
    if search is not None:
        from officecli.office.front.search import narrow

        kept = {r.id for r in narrow(office, office.records("invoice"), search)}
        rows = [row for row in rows if row.get("id") in kept]
    app.rows(rows, LIST_COLUMNS)


@invoice.command("show")
@each_id("invoice", "inv", "INVOICE")
@format_option
@pass_app
def show(app: App, inv):
    """Show one invoice: lines, VAT per rate, totals, payments and history.

    \b
    Examples:
      officecli invoice show 7
      officecli invoice show INV-A-0003 --format json
    """
    from officecli.office.books import invoices

    from ._lines import show_paid

    office = app.office
    rec = office.get("invoice", inv)
    row = invoices.row(office, rec, invoices.amounts_by_ref(office, [rec.id]), office.today())
    row["payments"] = invoices.payments(office, rec.id)
    row["credit_notes"] = [c.id for c in invoices.credit_notes_of(office, rec.id)]
    show_paid(app, rec, readable(row) if app.fmt == "table" else row, SHOW_FIELDS, LINE_COLUMNS)


def readable(row: dict) -> dict:
    """An invoice's row for people: the billed party as one line ('Name, address, VAT
    number ...'), the VAT as 'RATE%: net N, VAT V' per rate; money with its thousands
    comma (json, yaml and csv keep the structures)."""
    from officecli.render import money_text

    out = dict(row)
    bill = row.get("bill_to")
    if isinstance(bill, dict):
        parts = [str(bill.get("name") or "")] + [
            f"{label} {bill[key]}" if label else str(bill[key])
            for key, label in (("address", ""), ("vat_number", "VAT number"), ("tax_office", "tax office"))
            if bill.get(key)
        ]
        out["bill_to"] = ", ".join(p for p in parts if p)
    vat = row.get("vat")
    if isinstance(vat, dict):
        out["vat"] = "; ".join(
            f"{rate}%: net {money_text(v.get('net'))}, VAT {money_text(v.get('vat'))}"
            if isinstance(v, dict)
            else f"{rate}%: {v}"
            for rate, v in vat.items()
        )
    return out


@invoice.command("pay", context_settings={"ignore_unknown_options": True})  # '-10' is an AMOUNT
@click.argument("inv", metavar="INVOICE", shell_complete=id_complete("invoice"))
@click.argument("amount", required=False)
@method_option("Posts Assets:Bank or Assets:Cash / Assets:Receivable.")
@click.option(
    "--from-credit",
    is_flag=True,
    help="Pay from the customer's money on account ('customer pay'); AMOUNT defaults to what it covers.",
)
@date_option("The day the money came in (default: today).")
@format_option
@pass_app
def pay(app: App, inv, amount, method, from_credit, when):
    """Record a payment of an open invoice; fully paid closes it and its order.

    Partial payments add up. When nothing is owed any more the invoice moves
    to back/invoices/paid/ and its order to archive/orders/closed/YYYY/.
    Paying more than is owed is refused. AMOUNT `all` pays exactly what is
    still owed. Prints the ledger transaction's ID.

    --from-credit pays it from the customer's money on account ('customer
    pay C AMOUNT'): Liabilities:CustomerCredit / Assets:Receivable. Without
    AMOUNT it applies what is owed or what is on account, whichever is less.

    \b
    Examples:
      officecli invoice pay 7 50.00
      officecli invoice pay 7 --from-credit
      officecli invoice pay INV-A-0003 74.00 --method cash --date 2026-11-20
      officecli invoice pay 7 all
    """
    from officecli.office import money
    from officecli.office.books import invoices

    office = app.office
    with office.change():
        rec, left, txn = invoices.pay(office, inv, amount, "credit" if from_credit else method, when)
        cur = rec.data.get("currency", "")
        office.messages.append(f"payment of {rec.id}: {amount} {cur}")
    what = "paid in full" if left == 0 else f"{money.fmt(left, cur)} still owed"
    app.created(txn.id, f"{rec.id} {what}")


@invoice.command("credit")
@click.argument("inv", metavar="INVOICE", shell_complete=id_complete("invoice"))
@note_option(dest="reason", help="Why the invoice is credited (kept on the credit note).")
@click.option(
    "--lines",
    "lines",
    multiple=True,
    metavar="SKU:QTY",
    help="Credit only these pieces, at the invoice's price and VAT (repeatable; "
    "several in one value separated by spaces).",
)
@click.option("--amount", metavar="X", help="Credit this gross amount (split over the invoice's VAT rates).")
@click.argument("more", nargs=-1, metavar="[SKU:QTY...]")
@format_option
@pass_app
def credit(app: App, inv, reason, lines, amount, more):
    """Issue a credit note for an invoice: the whole of it, or part (--lines, --amount).

    Part of an invoice: --lines SKU:QTY credits those pieces at the
    invoice's price and VAT rate (never more than were invoiced and not yet
    credited); --amount X credits a gross amount, split over its VAT rates in
    proportion to each rate's gross. The entry is Income:Sales + Liabilities:VAT
    / Assets:Receivable. The invoice moves to credited once its credits add
    up to its gross; an open invoice on which nothing is owed any more moves
    to paid. Whatever the customer paid beyond what is now asked is owed back:
    'invoice refund'.

    Without --lines or --amount the whole invoice is credited, as follows.

    The credit note CRN-<SERIES>-NNNN has its own gapless series; its ledger
    entry is the exact reverse of the invoice's (ref = the invoice, reverses =
    the invoice's transaction). The invoice moves to back/invoices/credited/
    and an order still awaiting payment is closed. Payments already received
    stay in the books: the customer is then owed a refund (a negative OWED).

    \b
    Examples:
      officecli invoice credit 7 --note "wrong address, reissued"
      officecli invoice credit 7 --lines MUG-AEG:2 PLT-OLV:1 --note "returned"
      officecli invoice credit 7 --amount 10.00 --note "late delivery discount"
    """
    from officecli.office.books import credits

    office = app.office
    if more and not lines:
        raise click.UsageError(
            f"unexpected {more[0]!r}: pieces to credit follow --lines (--lines MUG-AEG:2 PLT-OLV:1)"
        )
    with office.change():
        if lines or amount is not None:
            items = [part for value in lines + more for part in value.split()] if lines else None
            crn = credits.partial(
                office, inv, credits.parse_lines(items) if items is not None else None, amount, reason
            )
        else:
            crn = credits.full(office, inv, reason)
            office.messages.append(f"credit note {crn.id} for {crn.data['invoice']}")
    app.created(crn.id, f"credits {crn.data['invoice']} ({crn.data['gross']} {crn.data.get('currency', '')})")


@invoice.command("refund", context_settings={"ignore_unknown_options": True})
@click.argument("inv", metavar="INVOICE", shell_complete=id_complete("invoice"))
@click.argument("amount")
@method_option("Posts Assets:Receivable / Assets:Bank or Assets:Cash.")
@money_out_date
@format_option
@pass_app
def refund(app: App, inv, amount, method, when):
    """Pay back what a customer is owed on an invoice after a credit (AMOUNT or `all`).

    What is owed back is read from the ledger: a paid invoice later credited
    (in whole or part) leaves Assets:Receivable negative for it. Refunding
    more than that is refused. Prints the ledger transaction's ID.

    \b
    Examples:
      officecli invoice refund 7 all
      officecli invoice refund INV-A-0003 15.50 --method cash
    """
    from officecli.office import money
    from officecli.office.books import credits

    rec, left, txn = credits.refund(app.office, inv, amount, method, when)
    cur = rec.get("currency", "")
    what = "nothing more owed back" if left == 0 else f"{money.fmt(left, cur)} still owed back"
    app.created(txn.id, f"{rec.id} refunded, {what}")
