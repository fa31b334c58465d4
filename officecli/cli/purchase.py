"""officecli purchase: purchase orders, from draft to received, billed and closed."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import (
    date_option,
    each_id,
    format_option,
    id_complete,
    listing,
    note_option,
    only_option,
    remove_line_option,
    state_option,
)

STATES = ("draft", "ordered", "received", "billed", "closed", "cancelled")
LIST_COLUMNS = [
    ("id", "ID"),
    ("state", "State"),
    ("supplier", "Supplier"),
    ("supplier_name", "Name"),
    ("pieces", "Pieces"),
    ("received", "Received"),
    ("net", "Net"),
    ("gross", "Gross"),
    ("bill", "Bill"),
    ("created", "Created"),
]
LINE_COLUMNS = [
    ("sku", "SKU"),
    ("name", "Name"),
    ("supplier_sku", "Their code"),
    ("qty", "Qty"),
    ("received", "Received"),
    ("cost", "Cost"),
    ("vat", "VAT %"),
    ("net", "Net"),
]

po_id = each_id("purchase", "ref", "PO")  # several IDs, or - for IDs on stdin
one_po = click.argument("ref", metavar="PO", shell_complete=id_complete("purchase"))


@click.group()
def purchase():
    """Order from suppliers, receive the goods, book the supplier's bill.

    \b
    The journey (each step a file move plus a history entry):
      add      -> back/purchases/draft       lines SKU:QTY@COST (net cost per piece)
      edit        stays in draft
      order    -> back/purchases/ordered     sent to the supplier
      receive     stock in at the PO's cost: Inventory / GRNI (partial: stays ordered)
               -> back/purchases/received    once every line is in
      bill     -> back/purchases/billed      the supplier's invoice: BIL-… in back/bills/open
      (bill pay, in full) -> archive/purchases/closed/YYYY
      cancel   -> archive/purchases/cancelled/YYYY   (draft, or ordered with nothing received)

    \b
    Examples:
      officecli purchase add --supplier 1 MUG-AEG:100@4.20 PLT-OLV:48@6.80
      officecli purchase order 1 && officecli purchase receive 1 MUG-AEG:60
      officecli purchase bill 1 --number 2026-118 --date 2026-11-20 --total 843.60
      officecli bill pay 1 all
    """


@purchase.command("add")
@click.option(
    "--supplier",
    required=True,
    metavar="ID",
    shell_complete=id_complete("supplier"),
    help="The supplier (ID, suffix or number).",
)
@click.argument("items", nargs=-1, required=True, metavar="SKU:QTY@COST...")
@note_option(help="A note on the order (delivery wishes, their quote number...).")
@format_option
@pass_app
def add_cmd(app: App, supplier, items, note):
    """Draft a purchase order (back/purchases/draft) and print its ID.

    COST is the net cost per piece agreed with the supplier; without @COST a
    line takes the product's current average cost. Each line also keeps the
    product's name, VAT rate and the supplier's code for it.

    \b
    Examples:
      officecli purchase add --supplier 1 MUG-AEG:100@4.20 PLT-OLV:48@6.80
      officecli purchase add --supplier SUP-A-0002 VASE-AMF:4 --note "προσφορά 17/11"
    """
    from officecli.office.back import purchases

    rec = purchases.add(app.office, supplier, items, note)
    app.created(rec.id, f"purchase order for {rec.get('supplier')}: {rec.path}")


@purchase.command("edit")
@po_id
@click.option(
    "--add",
    "adding",
    multiple=True,
    metavar="SKU:QTY@COST",
    help="Add a line, or pieces to a line (repeatable; @COST sets its cost).",
)
@remove_line_option
@note_option(help='Replace the note ("" removes it).')
@format_option
@pass_app
def edit_cmd(app: App, ref, adding, removing, note):
    """Change a draft purchase order's lines or note.

    Refused once the order was sent ('purchase order'). Removals apply
    first, then additions. The edit is one history entry.

    \b
    Examples:
      officecli purchase edit 3 --add BOWL-MIL:24@3.10 --remove JUG-LIN
      officecli purchase edit 3 --note "παράδοση Δευτέρα"
    """
    from officecli.office.back import purchases

    rec = purchases.edit(app.office, ref, adding, removing, note)
    app.created(rec.id, f"purchase order edited: {rec.path}")


@purchase.command("order")
@po_id
@note_option(help="A note for the history entry (how and to whom it was sent).")
@format_option
@pass_app
def order_cmd(app: App, ref, note):
    """Send a draft to the supplier: it moves to back/purchases/ordered.

    \b
    Examples:
      officecli purchase order 3
      officecli purchase order PO-A-0003 --note "email στον κ. Ρούσσο"
    """
    from officecli.office.back import purchases

    rec = purchases.order(app.office, ref, note)
    app.created(rec.id, f"ordered: {rec.path}")


@purchase.command("receive")
@one_po
@click.argument("items", nargs=-1, metavar="[SKU:QTY...]")
@note_option(help="A note on the moves and the history (their delivery note...).")
@format_option
@pass_app
def receive_cmd(app: App, ref, items, note):
    """Receive goods of an ordered PO: everything still to come, or SKU:QTY.

    Each SKU comes in as one stock move at the PO line's cost (ref = the PO),
    and the ledger gets Assets:Inventory / Liabilities:GRNI (goods received,
    not invoiced) for their value -- one transaction. A partial receipt keeps
    the PO in ordered; the last one moves it to back/purchases/received.
    Refused: a SKU not on the order, or more than is still to come.

    \b
    Examples:
      officecli purchase receive 3
      officecli purchase receive 3 MUG-AEG:60 --note "Δ.Α. 1187"
    """
    from officecli.office.back import purchases

    rec, moves = purchases.receive(app.office, ref, items, note)
    for m in moves:
        app.say(f"{m.id}  +{m.get('qty')} {m.get('sku')} at {m.get('unit_cost')}")
    app.created(rec.id, f"{rec.state}: {rec.path}")


@purchase.command("bill")
@one_po
@click.option(
    "--number", required=True, metavar="NO", help="The supplier's invoice number (unique per supplier)."
)
@date_option("The date on the supplier's invoice.", required=True)
@click.option(
    "--total",
    metavar="X",
    help="The supplier's total (net + VAT) as printed; default: what was received, with VAT.",
)
@click.option(
    "--accept-difference",
    is_flag=True,
    help="Book a total that differs by more than a cent, posting the difference "
    "to Expenses:PurchaseDifferences.",
)
@note_option(help="A note for the history.")
@format_option
@pass_app
def bill_cmd(app: App, ref, number, when, total, accept_difference, note):
    """Book the supplier's bill for what was received; prints the bill's ID.

    The bill (back/bills/open/BIL-….yaml) has the received lines at the PO's
    costs and VAT per rate; due after the supplier's terms. The ledger gets
    Liabilities:GRNI (what was received) + Assets:VATInput (input VAT) /
    Liabilities:Payable (the total). A --total more than a cent away from
    ours is refused unless --accept-difference. Billing a partly received PO
    settles it: the rest is no longer expected. The PO moves to billed.

    \b
    Examples:
      officecli purchase bill 3 --number 2026-118 --date 2026-11-20
      officecli purchase bill 3 --number Τ-5521 --date 2026-11-20 --total 312.50 --accept-difference
    """
    from officecli.office.back import bills

    office = app.office
    bill = bills.issue(office, ref, number, when, total, accept_difference, note)
    app.created(bill.id, f"{bill.get('total')} {bill.get('currency')} due {bill.get('due')}: {bill.path}")


@purchase.command("cancel")
@po_id
@note_option(dest="reason", required=True, help="Why (kept in its history).")
@format_option
@pass_app
def cancel_cmd(app: App, ref, reason):
    """Cancel a draft or ordered PO on which nothing was received.

    It moves to archive/purchases/cancelled/YYYY/.

    \b
    Examples:
      officecli purchase cancel 3 --note "ο προμηθευτής δεν έχει απόθεμα"
    """
    from officecli.office.back import purchases

    rec = purchases.cancel(app.office, ref, reason)
    app.created(rec.id, f"cancelled: {rec.path}")


@purchase.command("list")
@state_option(STATES, "orders")
@only_option("supplier", "orders")
@listing("purchase")
@format_option
@pass_app
def list_cmd(app: App, state, supplier):
    """List purchase orders, oldest first, with pieces ordered and received.

    \b
    Examples:
      officecli purchase list --state ordered
      officecli purchase list --supplier 1 --format csv
    """
    from officecli.office.back import purchases

    office = app.office
    names = {s.id: s.get("name") for s in office.records("supplier")}
    app.rows(
        [purchases.summary(office, p, names) for p in purchases.listing(office, state, supplier)],
        LIST_COLUMNS,
    )


@purchase.command("show")
@po_id
@format_option
@pass_app
def show_cmd(app: App, ref):
    """Show a purchase order: lines (ordered and received), totals, history.

    \b
    Examples:
      officecli purchase show 3
      officecli purchase show PO-A-0003 --format json
    """
    from officecli.office import money
    from officecli.office.back import purchases

    from ._lines import show

    office = app.office
    rec = purchases.get(office, ref)
    row = purchases.summary(office, rec)
    got = purchases.received(office, rec.id)
    show(
        app,
        rec,
        row,
        [
            ("id", "Purchase order"),
            ("state", "State"),
            ("supplier", "Supplier"),
            ("supplier_name", "Name"),
            ("note", "Note"),
            ("bill", "Bill"),
            ("created", "Created"),
            ("path", "File"),
        ],
        LINE_COLUMNS,
        lambda: [
            dict(line, received=got.get(str(line["sku"]), 0), net=money.text(purchases.line_net(line)))
            for line in rec.get("lines") or []
        ],
    )


@purchase.command("trace")
@po_id
@format_option
@pass_app
def trace_cmd(app: App, ref):
    """Show where a purchase order went and everything that names it.

    Every folder it passed through with who and when, its stock moves, its
    bill and the bill's payments, and every ledger entry of them. Oldest first.

    \b
    Examples:
      officecli purchase trace 3
      officecli purchase trace 3 --format json
    """
    from officecli.office.back import purchases

    from ._lines import trace

    trace(app, purchases.get(app.office, ref), "purchase order")
