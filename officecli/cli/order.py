"""officecli order: the order's journey from the front office to the back office."""

from __future__ import annotations

import click

from . import LazyGroup
from .app import App, pass_app
from .options import (
    add_line_option,
    customer_option,
    each_id,
    format_option,
    id_complete,
    listing,
    note_option,
    only_option,
    period_options,
    remove_line_option,
    search_option,
    state_option,
)

STATES = ("open", "inbox", "shipped", "invoiced", "closed", "cancelled")
LIST_COLUMNS = [
    ("id", "ID"),
    ("state", "State"),
    ("customer", "Customer"),
    ("customer_name", "Name"),
    ("pieces", "Pieces"),
    ("net", "Net"),
    ("gross", "Gross"),
    ("created", "Created"),
]
LINE_COLUMNS = [
    ("sku", "SKU"),
    ("name", "Name"),
    ("qty", "Qty"),
    ("price", "Price"),
    ("vat", "VAT %"),
    ("net", "Net"),
]

order_id = each_id("order")  # several IDs, or - for IDs on stdin


@click.group(
    cls=LazyGroup,
    lazy={"invoice": "officecli.cli.invoice:order_invoice"},
    summaries={"invoice": "Invoice a shipped order: issue INV-…, post it, move the order to invoiced."},
)
def order():
    """Take orders and move them from the front office to the back office.

    \b
    The journey (each step is a file move plus a history entry):
      add      -> front/orders/open        (prices and VAT copied from the products)
      edit        stays in open
      forward  -> back/orders/inbox        (stock reserved; refused when short)
      unforward   back to open             (a mistaken forward; nothing shipped yet)
      ship     -> back/orders/shipped      (outgoing stock moves at average cost)
      invoice  -> back/orders/invoiced
      cancel   -> archive/orders/cancelled/YYYY  (from open or inbox)

    \b
    Examples:
      officecli order add --customer 1 MUG-AEG:2 PLT-OLV:6
      officecli order forward 1 && officecli order ship 1
      officecli order trace 1
    """


def _print_order(app: App, rec) -> None:
    """The order as a block, its lines, totals and history (or a list of one in other formats)."""
    from officecli.office.front import orders
    from officecli.office.lines import priced_lines

    from ._lines import show

    show(
        app,
        rec,
        orders.summary(app.office, rec),
        [
            ("id", "Order"),
            ("state", "State"),
            ("customer", "Customer"),
            ("customer_name", "Name"),
            ("note", "Note"),
            ("invoice", "Invoice"),
            ("created", "Created"),
            ("path", "File"),
        ],
        LINE_COLUMNS,
        lambda: priced_lines(rec.get("lines") or []),
    )


@order.command("add")
@customer_option
@click.argument("items", nargs=-1, required=True, metavar="SKU:QTY...")
@note_option(help="A note on the order (delivery wishes, the customer's reference...).")
@format_option
@pass_app
def add_cmd(app: App, customer, items, note):
    """Take an order into front/orders/open and print its ID.

    Each line copies the product's name, net price and VAT rate at this
    moment; a SKU given twice becomes one line. Stock is not checked here:
    'order forward' reserves it.

    \b
    Examples:
      officecli order add --customer 1 MUG-AEG:2 PLT-OLV:6
      officecli order add --customer CUS-A-0004 VASE-AMF:1 --note "συσκευασία δώρου"
    """
    from officecli.office.front import orders

    rec = orders.add(app.office, customer, items, note)
    app.created(rec.id, f"order for {rec.get('customer')}: {rec.path}")


@order.command("edit")
@order_id
@add_line_option
@remove_line_option
@note_option(help='Replace the order\'s note ("" removes it).')
@format_option
@pass_app
def edit_cmd(app: App, ref, adding, removing, note):
    """Change an open order's lines or note.

    Refused once the order is forwarded. Removals apply first, then additions. New lines copy the product's
    current price and VAT rate; pieces added to an existing line keep that
    line's price. The edit is one history entry.

    \b
    Examples:
      officecli order edit 3 --add BOWL-MIL:4 --remove MUG-AEG
      officecli order edit 3 --note "παράδοση μετά τις 15:00"
    """
    from officecli.office.front import orders

    rec = orders.edit(app.office, ref, adding, removing, note)
    app.created(rec.id, f"order edited: {rec.path}")


@order.command("forward")
@order_id
@note_option(help="A note for the history entry.")
@format_option
@pass_app
def forward_cmd(app: App, ref, note):
    """Hand an open order to the back office, reserving its stock.

    The order moves to back/orders/inbox. Refused, naming each SKU and its shortfall, when available stock (on
    hand - already reserved) does not cover every line.

    \b
    Examples:
      officecli order forward 3
      officecli order forward ORD-A-0003 --note "επείγον"
    """
    from officecli.office.front import orders

    rec = orders.forward(app.office, ref, note)
    app.created(rec.id, f"forwarded: {rec.path}")


@order.command("unforward")
@click.argument("ref", metavar="ID", shell_complete=id_complete("order", "unforward"))
@note_option(help="Why it goes back (for the history entry).")
@format_option
@pass_app
def unforward_cmd(app: App, ref, note):
    """Take a forwarded order back to open, while nothing of it has shipped.

    The way back from a mistaken 'order forward': the order moves from
    back/orders/inbox to front/orders/open, its stock reservation is
    released (as a cancel releases it), and it can be edited again.

    \b
    Examples:
      officecli order unforward 10
      officecli order unforward ORD-A-0010 --note "ο πελάτης αλλάζει ποσότητες"
    """
    from officecli.office.front import orders

    rec = orders.unforward(app.office, ref, note)
    app.created(rec.id, f"back to open: {rec.path}")


@order.command("ship")
@order_id
@note_option(help="A note for the history entry (carrier, tracking number...).")
@format_option
@pass_app
def ship_cmd(app: App, ref, note):
    """Ship a forwarded order out of the warehouse.

    The order moves to back/orders/shipped and its stock leaves at average
    cost. Writes one outgoing stock move per SKU (ref = the order), moves the
    order and releases its reservation, all in one transaction; the ledger
    hears of it through the order.shipped event.

    \b
    Examples:
      officecli order ship 3
      officecli order ship 3 --note "ACS 7300112233"
    """
    from officecli.office.front import orders

    rec = orders.ship(app.office, ref, note)
    app.created(rec.id, f"shipped: {rec.path}")


@order.command("cancel")
@order_id
@note_option(dest="reason", required=True, help="Why the order is cancelled (kept in its history).")
@format_option
@pass_app
def cancel_cmd(app: App, ref, reason):
    """Cancel open or forwarded orders, with a note saying why.

    The order moves to archive/orders/cancelled/YYYY/. A forwarded order's reservation is released. A shipped order cannot be
    cancelled (that is a return, with its own stock move and credit note).

    \b
    Examples:
      officecli order cancel 3 --note "ο πελάτης άλλαξε γνώμη"
    """
    from officecli.office.front import orders

    rec = orders.cancel(app.office, ref, reason)
    app.created(rec.id, f"cancelled: {rec.path}")


@order.command("list")
@state_option(STATES, "orders")
@only_option("customer", "orders")
@period_options(
    "since",
    "end",
    begin_help="Only orders taken on or after this day (YYYY-MM-DD).",
    end_help="Only orders taken before this day (YYYY-MM-DD).",
)
@listing("order")
@search_option
@format_option
@pass_app
def list_cmd(app: App, state, customer, since, end, search):
    """List orders, oldest first, with customer, pieces, net and gross.

    \b
    Examples:
      officecli order list --state inbox
      officecli order list --customer 4 -b 2026-11-01 --sort -gross --limit 5
      officecli order list --all --format csv          # closed and cancelled too
      officecli order list --state shipped --format ids
      officecli order list --search "mug-aeg λιμανι"
    """
    from officecli.office.front import customers, orders
    from officecli.office.front.search import narrow

    office = app.office
    sort = (app.listing or {}).get("sort") or ""
    if (
        app.fmt == "table"
        and not app.fields
        and not search
        and not customer
        and sort.lstrip("-") in ("", *orders.TABLE_KEYS)
    ):
        rows = orders.table_rows(office, state, since, end)  # the cache's rows: no order loaded
        if rows is not None:
            app.rows(rows, LIST_COLUMNS)
            return
    found = narrow(
        office,
        [
            o
            for o in orders.listing(office, state, customer, since)
            if not end or str(o.get("created"))[:10] < end
        ],
        search,
    )
    names = customers.names_of(office, [o.get("customer") for o in found])  # only those shown
    app.rows([orders.summary(office, o, names) for o in found], LIST_COLUMNS)


@order.command("show")
@order_id
@format_option
@pass_app
def show_cmd(app: App, ref):
    """Show an order's lines, totals (VAT per rate) and history.

    VAT is computed per rate on the sum of that rate's line nets and rounded
    half-up to the cent; amounts are in the office currency.

    \b
    Examples:
      officecli order show 3
      officecli order show ORD-A-0003 --format json
    """
    from officecli.office.front import orders

    _print_order(app, orders.get(app.office, ref))


@order.command("trace")
@order_id
@format_option
@pass_app
def trace_cmd(app: App, ref):
    """Show where an order went, who moved it and when.

    Every folder it passed through, with who and when; also every stock move and every other record that names the order (or
    names one that does): invoices, payments, credit notes, ledger entries,
    complaints, improvements. Oldest first.

    \b
    Examples:
      officecli order trace 3
      officecli order trace 3 --format json
    """
    from officecli.office.front import orders

    from ._lines import trace

    trace(app, orders.get(app.office, ref), "order")


from .import_ import import_command  # noqa: E402  (CSV import: cli/import_.py)

order.add_command(import_command("order"))
