"""officecli quote: offers to customers that become orders when accepted."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import (
    add_line_option,
    customer_option,
    dry_run_option,
    each_id,
    format_option,
    listing,
    note_option,
    only_option,
    remove_line_option,
    state_option,
)

STATES = ("draft", "sent", "accepted", "declined", "expired")
LIST_COLUMNS = [
    ("id", "ID"),
    ("state", "State"),
    ("customer", "Customer"),
    ("customer_name", "Name"),
    ("pieces", "Pieces"),
    ("net", "Net"),
    ("gross", "Gross"),
    ("valid_until", "Valid until"),
    ("order", "Order"),
]
LINE_COLUMNS = [
    ("sku", "SKU"),
    ("name", "Name"),
    ("qty", "Qty"),
    ("price", "Price"),
    ("vat", "VAT %"),
    ("net", "Net"),
]

quote_id = each_id("quote")  # several IDs, or - for IDs on stdin


@click.group()
def quote():
    """Offer prices to a customer; an accepted quote becomes an order.

    \b
    The journey (each step is a file move plus a history entry):
      add      -> front/quotes/draft      (prices and VAT copied from the products)
      edit        stays in draft
      send     -> front/quotes/sent       (dated today, valid for --valid-days)
      accept   -> front/quotes/accepted   (the order is made from it, same prices)
      decline  -> front/quotes/declined   (from draft or sent, with a note)
      expire   -> front/quotes/expired    (cron: sent quotes past their date)

    \b
    Examples:
      officecli quote add --customer 4 PLT-OLV:48 MUG-AEG:48 --valid-days 15
      officecli quote send 1 && officecli print quote 1 -o QUO-A-0001.pdf
      officecli quote accept 1
    """


def _print_quote(app: App, rec) -> None:
    """The quote as a block, its lines, totals and history (or a list of one in other formats)."""
    from officecli.office.front import quotes
    from officecli.office.lines import priced_lines

    from ._lines import show

    show(
        app,
        rec,
        quotes.summary(app.office, rec),
        [
            ("id", "Quote"),
            ("state", "State"),
            ("customer", "Customer"),
            ("customer_name", "Name"),
            ("note", "Note"),
            ("valid_days", "Valid days"),
            ("sent", "Sent"),
            ("valid_until", "Valid until"),
            ("order", "Order"),
            ("created", "Created"),
            ("path", "File"),
        ],
        LINE_COLUMNS,
        lambda: priced_lines(rec.get("lines") or []),
    )


@quote.command("add")
@customer_option
@click.argument("items", nargs=-1, required=True, metavar="SKU:QTY...")
@click.option(
    "--valid-days",
    type=int,
    default=None,
    metavar="N",
    help="Days the quote holds once sent (1-366, default 30).",
)
@note_option(help="A note printed on the quote (terms, delivery time...).")
@format_option
@pass_app
def add_cmd(app: App, customer, items, valid_days, note):
    """Make a draft quote in front/quotes/draft and print its ID.

    Each line copies the product's name, net price and VAT rate at this
    moment (as 'order add' does); a SKU given twice becomes one line. The
    quote's validity is counted from the day it is sent.

    \b
    Examples:
      officecli quote add --customer 4 PLT-OLV:48 MUG-AEG:48
      officecli quote add --customer CUS-A-0002 JUG-LIN:10 --valid-days 15 --note "παράδοση σε 10 ημέρες"
    """
    from officecli.office.front import quotes

    rec = quotes.add(app.office, customer, items, valid_days, note)
    app.created(rec.id, f"quote for {rec.get('customer')}: {rec.path}")


@quote.command("edit")
@quote_id
@add_line_option
@remove_line_option
@note_option(help='Replace the quote\'s note ("" removes it).')
@click.option("--valid-days", type=int, default=None, metavar="N", help="Days the quote holds once sent.")
@format_option
@pass_app
def edit_cmd(app: App, ref, adding, removing, note, valid_days):
    """Change a draft quote's lines, note or validity.

    Refused once the quote is sent. Removals apply first, then additions; new
    lines copy the product's current price and VAT rate. One history entry.

    \b
    Examples:
      officecli quote edit 3 --add BOWL-MIL:12 --remove MUG-SAN
      officecli quote edit 3 --valid-days 10 --note "τιμή χονδρικής"
    """
    from officecli.office.front import quotes

    rec = quotes.edit(app.office, ref, adding, removing, note, valid_days)
    app.created(rec.id, f"quote edited: {rec.path}")


@quote.command("send")
@quote_id
@note_option(help="A note for the history entry (how it was sent...).")
@format_option
@pass_app
def send_cmd(app: App, ref, note):
    """Send a draft quote: date it today and stamp its validity date.

    The quote moves to front/quotes/sent with sent = today and valid_until =
    today + its valid days. Print it for the customer with 'officecli print
    quote ID'.

    \b
    Examples:
      officecli quote send 3
      officecli quote send 3 --note "με email" && officecli print quote 3 -o QUO-A-0003.pdf
    """
    from officecli.office.front import quotes

    rec = quotes.send(app.office, ref, note)
    app.created(rec.id, f"sent, valid until {rec.get('valid_until')}: {rec.path}")


@quote.command("accept")
@quote_id
@note_option(help="A note for the history entry (the customer's reference...).")
@format_option
@pass_app
def accept_cmd(app: App, ref, note):
    """Accept a sent quote: make the order from its lines and prices; print the order's ID.

    One transaction: the order is created in front/orders/open with the
    quote's lines at the quoted prices (not today's) and `quote: QUO-…`; the
    quote moves to front/quotes/accepted with `order: ORD-…`. 'order trace'
    of that order starts at the quote. A quote past its valid_until is
    refused, even if 'quote expire' has not moved it yet.

    \b
    Examples:
      officecli quote accept 3
      officecli --format ids quote accept QUO-A-0003     # prints the new order's ID
    """
    from officecli.office.front import quotes

    rec, order = quotes.accept(app.office, ref, note)
    app.created(order.id, f"order from quote {rec.id}: {order.path}")


@quote.command("decline")
@quote_id
@note_option(required=True, help="Why the customer said no (kept in the history).")
@format_option
@pass_app
def decline_cmd(app: App, ref, note):
    """Record that the customer said no (from draft or sent).

    The quote moves to front/quotes/declined; the note says why (price,
    delivery time, another supplier...), for the marketing figures.

    \b
    Examples:
      officecli quote decline 3 --note "βρήκε φθηνότερα"
    """
    from officecli.office.front import quotes

    rec = quotes.decline(app.office, ref, note)
    app.created(rec.id, f"declined: {rec.path}")


@quote.command("expire")
@dry_run_option
@format_option
@pass_app
def expire_cmd(app: App, dry_run):
    """Move sent quotes past their validity date to expired (run it from cron).

    One transaction; each quote gets one history entry (action 'expire', by
    'officecli expire'). Prints one line per quote moved and nothing at all
    when nothing was due, so a second run is silent and changes nothing.

    \b
    Examples:
      officecli quote expire --dry-run
      # crontab: every night at 00:05
      5 0 * * *  cd /srv/office && officecli quote expire
    """
    from officecli.office.front import quotes

    done = quotes.expire(app.office, dry_run=dry_run)
    if app.fmt == "table":
        for item in done:
            click.echo(f"{item['id']}: {'would ' if dry_run else ''}expire: {item['note']}")
    else:
        app.rows(done, [("id", "id"), ("state", "state"), ("action", "action"), ("note", "note")])


@quote.command("list")
@state_option(STATES, "quotes")
@only_option("customer", "quotes")
@listing("quote")
@format_option
@pass_app
def list_cmd(app: App, state, customer):
    """List quotes, oldest first, with customer, totals, validity and order.

    \b
    Examples:
      officecli quote list --state sent
      officecli quote list --customer 4 --format csv
    """
    from officecli.office.front import quotes

    office = app.office
    names = {c.id: c.get("name") for c in office.records("customer")}
    app.rows(
        [quotes.summary(office, q, names) for q in quotes.listing(office, state, customer)], LIST_COLUMNS
    )


@quote.command("show")
@quote_id
@format_option
@pass_app
def show_cmd(app: App, ref):
    """Show a quote's lines, totals (VAT per rate), validity and history.

    \b
    Examples:
      officecli quote show 3
      officecli quote show QUO-A-0003 --format json
    """
    from officecli.office.front import quotes

    _print_quote(app, quotes.get(app.office, ref))
