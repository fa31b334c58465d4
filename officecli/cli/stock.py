"""officecli stock: the warehouse: receipts, adjustments, levels and low stock."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import format_option, listing, note_option
from .product import _sku_complete

LEVEL_COLUMNS = [
    ("sku", "SKU"),
    ("name", "Name"),
    ("on_hand", "On hand"),
    ("reserved", "Reserved"),
    ("available", "Available"),
    ("cost", "Avg cost"),
    ("value", "Value"),
    ("reorder_level", "Reorder at"),
]
MOVE_COLUMNS = [
    ("id", "ID"),
    ("date", "Date"),
    ("sku", "SKU"),
    ("qty", "Qty"),
    ("reason", "Reason"),
    ("unit_cost", "Unit cost"),
    ("ref", "Ref"),
    ("note", "Note"),
    ("by", "By"),
]


@click.group()
def stock():
    """Receive and adjust stock; list levels and what is low (back office).

    Stock is append-only moves, one file each under back/stock/YYYY/MM/.
    On hand is the sum of the moves; reserved is what forwarded, unshipped
    orders hold; available = on hand - reserved. The average cost is computed
    from the receipts in time order (never stored), so several sites can
    receive the same product and merge without a conflict.

    \b
    Examples:
      officecli stock receive MUG-AEG 50 --cost 4.20
      officecli stock list
      officecli stock low --check || mail -s "reorder" warehouse@example.gr
    """


@stock.command("receive", context_settings={"ignore_unknown_options": True})
@click.argument("sku", shell_complete=_sku_complete)
@click.argument("qty")
@click.option(
    "--cost",
    metavar="UNIT",
    help="Unit cost of this receipt (default: the current average cost, else the product's starting cost).",
)
@note_option(help="A note on the move, e.g. the supplier's delivery note.")
@format_option
@pass_app
def receive_cmd(app: App, sku, qty, cost, note):
    """Receive QTY pieces of SKU into stock and print the move's ID.

    Writes one stock move and nothing else. The product's average cost is
    computed from its moves, receipts in time order: (on hand x average +
    QTY x UNIT) / (on hand + QTY), kept at full precision, so receipts made
    at two sites merge without a conflict and give the right average. Without
    --cost the receipt is at the current average cost (rounded to the cent).

    \b
    Examples:
      officecli stock receive MUG-AEG 50 --cost 4.20
      officecli stock receive MUG-AEG 20 --note "Δελτίο αποστολής 1187"
    """
    from officecli.office.back import stock as rules

    move = rules.receive(app.office, sku, qty, cost, note)
    app.created(move.id, f"+{move.get('qty')} {move.get('sku')} at {move.get('unit_cost')}: {move.path}")


@stock.command("adjust", context_settings={"ignore_unknown_options": True})
@click.argument("sku", shell_complete=_sku_complete)
@click.argument("qty", metavar="±QTY")
@note_option(dest="reason", required=True, help="Why: stock count, breakage, found, sample...")
@format_option
@pass_app
def adjust_cmd(app: App, sku, qty, reason):
    """Correct a product's stock by ±QTY, with a reason.

    The move is at the average cost; prints its ID. Refused when it would leave less than 0 on hand. A negative QTY needs no
    '--': 'stock adjust MUG-AEG -2 --note breakage' works.

    \b
    Examples:
      officecli stock adjust MUG-AEG -2 --note "σπασμένες στη μεταφορά"
      officecli stock adjust PLT-OLV +1 --note "stock count"
    """
    from officecli.office.back import stock as rules

    office = app.office
    move = rules.adjust(office, sku, qty, reason)
    app.created(move.id, f"{move.get('qty'):+d} {move.get('sku')} at {move.get('unit_cost')}: {move.path}")
    free = rules.available(office, move.get("sku"))
    if free < 0:
        app.warn(
            f"{move.get('sku')}: {-free} fewer on hand than forwarded orders reserve; "
            "'order ship' will refuse them until stock is received"
        )


@stock.command("list")
@click.option("--all", "show_all", is_flag=True, help="Also products with nothing on hand or reserved.")
@listing(all_flag=False)
@format_option
@pass_app
def list_cmd(app: App, show_all):
    """List on hand, reserved, available and value per product.

    Without --all, products with nothing on hand and nothing reserved are
    left out. The value is on hand x average cost; the last line (table
    only) is the total value in the office currency.

    \b
    Examples:
      officecli stock list
      officecli stock list --all --format csv
    """
    from officecli.office import money
    from officecli.office.back import stock as rules

    office = app.office
    rows = [r for r in rules.levels(office) if show_all or r["on_hand"] or r["reserved"]]
    app.rows(rows, LEVEL_COLUMNS)
    if rows:
        total = sum((money.parse(r["value"]) for r in rows), money.ZERO)
        app.say(f"\nstock value: {money.fmt(total, office.config.currency)}")


@stock.command("low")
@click.option("--check", is_flag=True, help="Exit 1 when any product is low (for cron and scripts).")
@click.option(
    "--draft-purchases",
    "draft",
    is_flag=True,
    help="Draft one purchase order per usual supplier for what is low (prints their IDs).",
)
@listing(all_flag=False)
@format_option
@click.pass_context
@pass_app
def low_cmd(app: App, ctx, check, draft):
    """List products at or below their reorder level.

    A product is low when its available stock is at or below its reorder level.
    Available (on hand - reserved) is compared, since reserved pieces are
    already promised. Products without a reorder level are never low.

    \b
    Examples:
      officecli stock low
      officecli stock low --check --format ids
      officecli stock low --draft-purchases

    With --draft-purchases, each low product with a usual supplier ('product
    edit SKU --supplier SUP') goes on a draft purchase order to that supplier
    (one per supplier), up to twice its reorder level, at its average cost;
    products already on a draft or ordered PO are left out, so cron may run
    it daily. Review the drafts and send them with 'purchase order'.
    """
    from officecli.office.back import stock as rules

    if draft:
        from officecli.office.back import purchases

        made, skipped = purchases.draft_for_low(app.office)
        for why in skipped:
            app.warn(why)
        for rec in made:
            app.created(
                rec.id,
                f"draft for {rec.get('supplier')}: "
                + " ".join(f"{x['sku']}:{x['qty']}@{x['cost']}" for x in rec.get("lines")),
            )
        if not made:
            app.say("(no purchase order drafted)")
        return
    rows = rules.low(app.office)
    if not (check and not rows and app.fmt == "table"):  # a check prints nothing when all is well
        app.rows(rows, LEVEL_COLUMNS, empty="(nothing is low)")
    if check and rows:
        app.warn(
            f"{len(rows)} product(s) at or below their reorder level: {', '.join(r['sku'] for r in rows)}"
        )
        ctx.exit(1)


@stock.command("moves")
@click.option("--sku", help="Only this product's moves.")
@click.option("--ref", "ref", help="Only the moves of this record (a full ID, e.g. ORD-A-0003).")
@listing("stock_move")
@format_option
@pass_app
def moves_cmd(app: App, sku, ref):
    """List stock moves, oldest first.

    \b
    Examples:
      officecli stock moves --sku MUG-AEG
      officecli stock moves --ref ORD-A-0003
    """
    from officecli.office.back import products
    from officecli.office.back import stock as rules

    office = app.office
    if sku is not None:
        sku = products.lookup(office, sku).id
    if ref is not None:
        from officecli.store import ids
        from officecli.store.errors import UserError

        ref = ref.strip().upper()
        if not ids.parse_id(ref):  # a filter that can never match is a typo: say so
            raise UserError(f"--ref {ref!r}: not a record ID (e.g. ORD-A-0003)")
    app.rows([m.as_row() for m in rules.moves(office, sku, ref)], MOVE_COLUMNS)


from .import_ import import_command  # noqa: E402  (CSV import: cli/import_.py)

stock.add_command(import_command("stock"))
