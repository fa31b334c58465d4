"""officecli supplier: who the back office buys from."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import contact_options, each_id, format_option, listing, note_option

COLUMNS = [
    ("id", "ID"),
    ("name", "Name"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("vat_number", "VAT number"),
    ("terms_days", "Terms (days)"),
]


@click.group()
def supplier():
    """Add, list, show and edit suppliers (back office).

    \b
    Examples:
      officecli supplier add "Εργαστήριο Σίφνου" --email orders@sifnos.example.gr --terms 30
      officecli supplier list
      officecli supplier show 1
    """


def _fields(f):
    f = click.option(
        "--terms",
        "terms_days",
        metavar="DAYS",
        help="Payment terms: a bill is due DAYS after its date (default: payment_terms_days of office.yaml).",
    )(f)
    f = note_option(help="A free-text note about the supplier.")(f)
    return contact_options(f)


@supplier.command("add")
@click.argument("name")
@_fields
@format_option
@pass_app
def add_cmd(app: App, name, email, phone, address, vat_number, iban, note, terms_days):
    """Add a supplier (back/suppliers/SUP-….yaml) and print its ID.

    Refused (exit 1, naming the existing supplier) when another supplier has
    the same email (case-insensitive) or VAT number (spaces, dots, dashes and
    a country prefix such as EL are ignored).

    \b
    Examples:
      officecli supplier add "Εργαστήριο Σίφνου" --email orders@sifnos.example.gr --terms 30
      officecli supplier add "Κεραμοποιία Μαρούσι" --vat-number EL099887766 --phone "+30 210 555 0400"
    """
    from officecli.office.back import suppliers

    rec = suppliers.add(
        app.office,
        name,
        email=email,
        phone=phone,
        address=address,
        vat_number=vat_number,
        iban=iban,
        note=note,
        terms_days=terms_days,
    )
    app.created(rec.id, f"supplier {rec.get('name')}: {rec.path}")


@supplier.command("list")
@click.option(
    "--search", help="Only suppliers whose name, email, phone, VAT number or address contains this."
)
@listing("supplier")
@format_option
@pass_app
def list_cmd(app: App, search):
    """List suppliers.

    \b
    Examples:
      officecli supplier list
      officecli supplier list --search σίφνου --format csv
    """
    from officecli.office.back import suppliers

    app.rows([s.as_row() for s in suppliers.listing(app.office, search)], COLUMNS)


@supplier.command("show")
@each_id("supplier")
@format_option
@pass_app
def show_cmd(app: App, ref):
    """Show a supplier with its purchase orders, its bills and what is owed to it.

    \b
    Examples:
      officecli supplier show 1
      officecli supplier show SUP-A-0001 --format json
    """
    from officecli import render
    from officecli.office import money
    from officecli.office.back import bills, purchases, suppliers

    office = app.office
    rec = suppliers.get(office, ref)
    cur = office.config.currency
    pos = [
        purchases.summary(office, p, {rec.id: rec.get("name")})
        for p in purchases.listing(office, supplier=rec.id)
    ]
    its_bills = bills.listing(office, supplier=rec.id)
    owed = sum((money.parse(b["owed"]) for b in its_bills), money.ZERO)
    row = rec.as_row()
    row["purchases"] = [{"id": p["id"], "state": p["state"], "net": p["net"]} for p in pos]
    row["bills"] = [
        {
            "id": b["id"],
            "state": b["state"],
            "number": b.get("number"),
            "total": b.get("total"),
            "owed": b["owed"],
        }
        for b in its_bills
    ]
    row["owed"] = money.text(owed)
    row["path"] = rec.path
    if app.fmt != "table":
        app.rows([row])
        return
    app.one(
        row,
        [
            ("id", "ID"),
            ("name", "Name"),
            ("email", "Email"),
            ("phone", "Phone"),
            ("address", "Address"),
            ("vat_number", "VAT number"),
            ("terms_days", "Terms (days)"),
            ("note", "Note"),
            ("created", "Created"),
            ("path", "File"),
        ],
    )
    click.echo(f"\nOwed to it: {money.fmt(owed, cur)}")
    click.echo("\nPurchase orders:")
    click.echo(
        render.rows(
            pos,
            "table",
            [
                ("id", "ID"),
                ("state", "State"),
                ("pieces", "Pieces"),
                ("received", "Received"),
                ("net", f"Net {cur}"),
            ],
        )
    )
    click.echo("\nBills:")
    click.echo(
        render.rows(
            its_bills,
            "table",
            [
                ("id", "ID"),
                ("state", "State"),
                ("number", "Number"),
                ("date", "Date"),
                ("due", "Due"),
                ("total", "Total"),
                ("owed", "Owed"),
            ],
        )
    )


@supplier.command("edit")
@each_id("supplier")
@click.option("--name", help="The supplier's name.")
@_fields
@format_option
@pass_app
def edit_cmd(app: App, ref, name, email, phone, address, vat_number, iban, note, terms_days):
    """Change a supplier's fields ("" removes one).

    The change is one history entry on the supplier; the duplicate guard of
    'supplier add' applies to a new email or VAT number.

    \b
    Examples:
      officecli supplier edit 1 --phone "+30 22840 555 111" --terms 60
      officecli supplier edit SUP-A-0002 --email ""
    """
    from officecli.office.back import suppliers

    rec = suppliers.edit(
        app.office,
        ref,
        name=name,
        email=email,
        phone=phone,
        address=address,
        vat_number=vat_number,
        iban=iban,
        note=note,
        terms_days=terms_days,
    )
    app.created(rec.id, f"supplier edited: {rec.path}")
