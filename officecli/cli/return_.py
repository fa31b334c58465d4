"""officecli return: customer returns -- requested, received back, credited."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import each_id, format_option, id_complete, listing, note_option, only_option, state_option

STATES = ("requested", "received", "done")
LIST_COLUMNS = [
    ("id", "ID"),
    ("state", "State"),
    ("order", "Order"),
    ("customer", "Customer"),
    ("pieces", "Pieces"),
    ("damaged", "Damaged"),
    ("complaint", "Complaint"),
    ("credit_note", "Credit note"),
    ("created", "Created"),
]
LINE_COLUMNS = [
    ("sku", "SKU"),
    ("name", "Name"),
    ("qty", "Qty"),
    ("damaged", "Damaged"),
    ("unit_cost", "Cost"),
    ("price", "Price"),
    ("vat", "VAT %"),
]
HISTORY_COLUMNS = [
    ("at", "At"),
    ("by", "By"),
    ("action", "Action"),
    ("from", "From"),
    ("to", "To"),
    ("note", "Note"),
]

rma_id = each_id("return", "ref", "RMA")  # several IDs, or - for IDs on stdin


@click.group("return")
def return_():
    """Take back what a customer returns: receive it, credit it (back office).

    \b
    The journey (each step a file move plus a history entry):
      add      -> back/returns/requested   only what the order shipped, not yet returned
      receive  -> back/returns/received    back to stock at the cost it left with
                                           (COGS reversed); --damaged: written off
      credit   -> back/returns/done        a credit note for exactly those lines

    \b
    Examples:
      officecli return add --order 2 PLT-OLV:3 --note "ραγισμένα" --complaint 10
      officecli return receive 1 --damaged PLT-OLV:1
      officecli return credit 1 && officecli invoice refund INV-A-0002 all
    """


@return_.command("add")
@click.option(
    "--order",
    "order",
    required=True,
    metavar="ID",
    shell_complete=id_complete("order"),
    help="The order the goods were shipped on.",
)
@click.argument("items", nargs=-1, required=True, metavar="SKU:QTY...")
@note_option(dest="reason", required=True, help="Why the customer returns them.")
@click.option(
    "--complaint",
    metavar="CMP",
    shell_complete=id_complete("complaint"),
    help="The complaint the return comes from.",
)
@format_option
@pass_app
def add_cmd(app: App, order, items, reason, complaint):
    """Open a return (back/returns/requested) and print its ID.

    Only what the order shipped, less what earlier returns of it took back,
    can be returned; each line keeps the unit cost it left with and the
    order's price and VAT rate.

    \b
    Examples:
      officecli return add --order 2 PLT-OLV:3 --note "ραγισμένα στη μεταφορά"
      officecli return add --order ORD-A-0001 MUG-AEG:1 --note "λάθος χρώμα" --complaint CMP-A-0010
    """
    from officecli.office.back import returns

    rec = returns.add(app.office, order, items, reason, complaint)
    app.created(rec.id, f"return for {rec.get('order')}: {rec.path}")


@return_.command("receive")
@rma_id
@click.option(
    "--damaged",
    multiple=True,
    metavar="SKU:QTY",
    help="Pieces that came back damaged: written off, not put back in stock (repeatable).",
)
@note_option(help="A note on the moves and the history.")
@format_option
@pass_app
def receive_cmd(app: App, ref, damaged, note):
    """Receive the returned goods back into the warehouse.

    Sellable pieces come in as a stock move (reason return) at the unit cost
    they left with: Assets:Inventory / Expenses:COGS. Damaged pieces post
    Expenses:WriteOffs / Expenses:COGS and never reach stock. One transaction.

    \b
    Examples:
      officecli return receive 1
      officecli return receive RMA-A-0001 --damaged PLT-OLV:1
    """
    from officecli.office.back import returns

    rec, moves = returns.receive(app.office, ref, damaged, note)
    for m in moves:
        app.say(f"{m.id}  +{m.get('qty')} {m.get('sku')} at {m.get('unit_cost')}")
    app.created(rec.id, f"received: {rec.path}")


@return_.command("credit")
@rma_id
@note_option(help="A note for the history.")
@format_option
@pass_app
def credit_cmd(app: App, ref, note):
    """Credit exactly the returned lines: a credit note (CRN-…) of the order's invoice.

    The lines are credited at the invoice's price and VAT rate. What the
    customer already paid for them is then owed back: 'invoice refund'.
    When the invoice was credited before the goods came back (by amount or
    in full), only what is left is credited (the pieces not credited, at
    most the gross not credited), and with nothing left the return is done
    without a credit note.

    \b
    Examples:
      officecli return credit 1
    """
    from officecli.office.back import returns

    rec, crn = returns.credit(app.office, ref, note)
    if crn is None:  # the invoice was credited before the goods came back
        app.created(rec, f"done: nothing left to credit on {rec.get('invoice')}")
        return
    app.created(
        crn.id, f"credits {crn.get('gross')} {crn.get('currency', '')} of {crn.get('invoice')} for {rec.id}"
    )


@return_.command("list")
@state_option(STATES, "returns")
@only_option("order", "returns")
@listing("return")
@format_option
@pass_app
def list_cmd(app: App, state, order):
    """List customer returns, oldest first.

    \b
    Examples:
      officecli return list --state requested
      officecli return list --order 2 --format json
    """
    from officecli.office.back import returns

    office = app.office
    app.rows([returns.summary(office, r) for r in returns.listing(office, state, order)], LIST_COLUMNS)


@return_.command("show")
@rma_id
@format_option
@pass_app
def show_cmd(app: App, ref):
    """Show a return: its lines (returned, damaged), links and history.

    \b
    Examples:
      officecli return show 1
    """
    from officecli import render
    from officecli.office.back import returns

    office = app.office
    rec = returns.get(office, ref)
    row = returns.summary(office, rec)
    row["path"] = rec.path
    if app.fmt != "table":
        app.rows([row])
        return
    app.one(
        row,
        [
            ("id", "Return"),
            ("state", "State"),
            ("order", "Order"),
            ("customer", "Customer"),
            ("invoice", "Invoice"),
            ("complaint", "Complaint"),
            ("credit_note", "Credit note"),
            ("reason", "Reason"),
            ("created", "Created"),
            ("path", "File"),
        ],
    )
    click.echo("")
    click.echo(render.rows(rec.get("lines") or [], "table", LINE_COLUMNS))
    click.echo("")
    click.echo(render.rows(rec.get("history") or [], "table", HISTORY_COLUMNS))
