"""officecli product: the catalogue (back office): SKU, name, price, VAT rate, cost."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import each_id, format_option, listing

COLUMNS = [
    ("sku", "SKU"),
    ("name", "Name"),
    ("price", "Price"),
    ("vat", "VAT %"),
    ("average_cost", "Avg cost"),
    ("reorder_level", "Reorder at"),
]


def _sku_complete(ctx, param, incomplete):
    try:
        from officecli.office.core import Office

        office = Office.open(ctx.find_root().params.get("root"), None)
        return [s for s in sorted(office.all_ids("product")) if s.upper().startswith(incomplete.upper())]
    except Exception:
        return []


@click.group()
def product():
    """Add, list, show and edit products (back office).

    \b
    Examples:
      officecli product add MUG-AEG --name "Κούπα Κυκλάδες" --price 12.50 --cost 4.20
      officecli product list
      officecli product show MUG-AEG
    """


@product.command("add")
@click.argument("sku")
@click.option("--name", required=True, help="The product's name.")
@click.option("--price", required=True, metavar="NET", help="Net unit price (before VAT), e.g. 12.50.")
@click.option(
    "--vat",
    metavar="RATE",
    help="VAT rate in percent, one of office.yaml's vat.rates (default: vat.default, 24 in Greece).",
)
@click.option(
    "--cost",
    metavar="UNIT",
    help="Starting unit cost, until the first receipt (else the first "
    "'stock receive --cost'); the average cost is then computed from the receipts.",
)
@click.option(
    "--reorder-level",
    metavar="N",
    help="'stock low' lists the product when available stock is at or below N.",
)
@click.option(
    "--supplier",
    metavar="SUP",
    help="The usual supplier (SUP-… ID or number): 'stock low --draft-purchases' orders from it.",
)
@click.option("--supplier-sku", metavar="CODE", help="The supplier's own code for the product.")
@click.option(
    "--group",
    metavar="GROUP",
    help="Product group: its kind of sale and income classification (office.yaml einvoice.groups).",
)
@click.option("--unit", metavar="UNIT", help="Unit of measure (pcs, kg, lt, m, m2, m3; default pcs).")
@format_option
@pass_app
def add_cmd(app: App, sku, name, price, vat, cost, reorder_level, supplier, supplier_sku, group, unit):
    """Add a product (back/products/SKU.yaml) and print its SKU.

    The SKU is the file's name: letters, digits, '.', '_' and '-'. SKUs are
    unique ignoring case. Orders copy the price and VAT rate at the moment
    they are taken.

    \b
    Examples:
      officecli product add MUG-AEG --name "Κούπα Κυκλάδες 350ml" --price 12.50 --cost 4.20 --reorder-level 10
      officecli product add BOOK-01 --name "Βιβλίο κεραμικής" --price 20 --vat 6
      officecli product add PLT-02 --name "Πιάτο" --price 18 --supplier 1 --supplier-sku MR-27
    """
    from officecli.office.back import products

    rec = products.add(
        app.office, sku, name, price, vat, cost, reorder_level, supplier, supplier_sku, group=group, unit=unit
    )
    app.created(rec.id, f"product {rec.get('name')}: {rec.path}")


@product.command("edit")
@each_id("product", "sku", "SKU", complete=_sku_complete)
@click.option("--name", help="The product's name.")
@click.option("--price", metavar="NET", help="New net unit price (orders already taken keep theirs).")
@click.option("--vat", metavar="RATE", help="New VAT rate in percent.")
@click.option("--reorder-level", metavar="N", help="New reorder level.")
@click.option("--supplier", metavar="SUP", help='The usual supplier ("" removes it).')
@click.option("--supplier-sku", metavar="CODE", help='The supplier\'s code for it ("" removes it).')
@click.option(
    "--group",
    metavar="GROUP",
    help="Product group: its kind of sale and income classification (office.yaml einvoice.groups).",
)
@click.option("--unit", metavar="UNIT", help="Unit of measure (pcs, kg, lt, m, m2, m3; default pcs).")
@format_option
@pass_app
def edit_cmd(app: App, sku, name, price, vat, reorder_level, supplier, supplier_sku, group, unit):
    """Change a product's name, price, VAT rate or reorder level.

    The cost is not edited here: the average cost is computed from the
    stock moves ('stock receive --cost').
    The change is one history entry on the product.

    \b
    Examples:
      officecli product edit MUG-AEG --price 13.50
      officecli product edit VASE-AMF --reorder-level 3
      officecli product edit MUG-AEG --supplier SUP-A-0001 --supplier-sku SIF-350
    """
    from officecli.office.back import products

    rec = products.edit(
        app.office,
        sku,
        name,
        price,
        vat,
        reorder_level,
        supplier=supplier,
        supplier_sku=supplier_sku,
        group=group,
        unit=unit,
    )
    app.created(rec.id, f"product edited: {rec.path}")


@product.command("list")
@listing("product")
@format_option
@pass_app
def list_cmd(app: App):
    """List products with price, VAT rate, average cost and reorder level.

    The average cost is computed from the stock moves (receipts in time
    order); a product's starting cost (`product add --cost`) shows as
    starting_cost in the json, yaml and csv formats.

    \b
    Examples:
      officecli product list
      officecli product list --format csv
    """
    from officecli.office.back import products, stock

    exact = stock.costs(app.office)
    app.rows([_row(p, exact.get(p.id)) for p in products.listing(app.office)], COLUMNS)


def _row(rec, cost) -> dict:
    """A product as listed: its fields as the file has them (``cost``: the starting
    cost, as ``--cost`` and the file name it), then ``average_cost``, the average
    computed from the stock moves (to the cent)."""
    from officecli.office import money

    row = rec.as_row()
    out = {}
    for key, value in row.items():
        out[key] = value
        if key == "vat":
            out["cost"] = row.get("cost")
            out["average_cost"] = money.text(cost) if cost is not None else None
    out.setdefault("average_cost", money.text(cost) if cost is not None else None)
    return out


@product.command("show")
@each_id("product", "sku", "SKU", complete=_sku_complete)
@format_option
@pass_app
def show_cmd(app: App, sku):
    """Show a product with its stock figures.

    On hand, reserved, available and stock value, besides its fields.

    \b
    Examples:
      officecli product show MUG-AEG
      officecli product show MUG-AEG --format json
    """
    from officecli.office.back import products, stock

    office = app.office
    rec = products.lookup(office, sku)
    row = _row(rec, stock.costs(office, rec.id)[rec.id])
    figures = next(r for r in stock.levels(office) if r["sku"] == rec.id)
    for key in ("on_hand", "reserved", "available", "value"):
        row[key] = figures[key]
    row["currency"] = office.config.currency
    if app.fmt != "table":
        app.rows([row])
        return
    cur = office.config.currency
    row["price"] = f"{row['price']} {cur} + VAT {row['vat']}%"
    row["average_cost"] = f"{row['average_cost']} {cur}" if row.get("average_cost") else None
    row["cost"] = f"{row['cost']} {cur}" if row.get("cost") else None
    row["value"] = f"{row['value']} {cur}"
    row["path"] = rec.path
    app.one(
        row,
        [
            ("sku", "SKU"),
            ("name", "Name"),
            ("price", "Price"),
            ("average_cost", "Average cost"),
            ("cost", "Starting cost"),
            ("reorder_level", "Reorder level"),
            ("on_hand", "On hand"),
            ("reserved", "Reserved"),
            ("available", "Available"),
            ("value", "Stock value"),
            ("created", "Created"),
            ("path", "File"),
        ],
    )


from .import_ import import_command  # noqa: E402  (CSV import: cli/import_.py)

product.add_command(import_command("product"))
