"""officecli customer: the front office's customers (contacts, tags, source)."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import (
    contact_options,
    date_option,
    each_id,
    format_option,
    id_complete,
    listing,
    method_option,
    note_option,
)

COLUMNS = [
    ("id", "ID"),
    ("name", "Name"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("vat_number", "VAT number"),
    ("tags", "Tags"),
    ("source", "Source"),
]


@click.group()
def customer():
    """Add, list, show and edit customers (front office).

    \b
    Examples:
      officecli customer add "Μαρία Παπαδοπούλου" --email maria@example.gr --tag retail
      officecli customer list --tag retail
      officecli customer show 1
    """


def _fields(f):
    f = click.option("--source", help="Which campaign or channel brought the customer.")(f)
    f = click.option(
        "--business/--private",
        "business",
        default=None,
        help="A business (invoiced B2B, reported with its VAT number) or a private person "
        "(default: a business when it has a VAT number).",
    )(f)
    f = click.option(
        "--country", help="Country, ISO 3166 code (GR, DE...; default: the VAT prefix, else ours)."
    )(f)
    f = click.option("--tax-office", "tax_office", help="Tax office (ΔΟΥ), printed on its invoices.")(f)
    return contact_options(f)


@customer.command("add")
@click.argument("name")
@_fields
@click.option(
    "--tag", "--add-tag", "tags", multiple=True, help="Add a tag (repeatable), e.g. retail, wholesale, vip."
)
@note_option(help="A free-text note about the customer.")
@format_option
@pass_app
def add_cmd(
    app: App, name, email, phone, address, vat_number, iban, tax_office, country, business, source, tags, note
):
    """Add a customer and print its ID.

    Refused (exit 1, naming the existing customer) when another customer has
    the same email (case-insensitive) or VAT number (spaces, dots, dashes and
    a country prefix such as EL are ignored).

    \b
    Examples:
      officecli customer add "Νίκος Γεωργίου" --email nikos@example.gr --phone "+30 210 555 0101"
      officecli customer add "Ταβέρνα Το Λιμάνι" --vat-number EL094012345 --tag horeca --source fair-2026
    """
    from officecli.office.front import customers

    rec = customers.add(
        app.office,
        name,
        email=email,
        phone=phone,
        address=address,
        vat_number=vat_number,
        iban=iban,
        tax_office=tax_office,
        country=country,
        business=business,
        source=source,
        tags=list(tags),
        note=note,
    )
    app.created(rec.id, f"customer {rec.get('name')}: {rec.path}")


@customer.command("list")
@click.option("--tag", help="Only customers with this tag.")
@click.option("--source", help="Only customers from this source (campaign or channel).")
@click.option(
    "--search", help="Only customers whose name, email, phone, VAT number or address contains this."
)
@listing("customer")
@format_option
@pass_app
def list_cmd(app: App, tag, source, search):
    """List customers, filtered by tag, source or a search text.

    \b
    Examples:
      officecli customer list
      officecli customer list --tag horeca --source fair-2026
      officecli customer list --format ids
    """
    from officecli.office.front import customers

    app.rows([c.as_row() for c in customers.listing(app.office, tag, source, search)], COLUMNS)


@customer.command("show")
@each_id("customer")
@format_option
@pass_app
def show_cmd(app: App, ref):
    """Show a customer with their orders, complaints and what they owe.

    What they owe is read from the ledger, both ways: the balance of
    Assets:Receivable over their invoices (issued, less paid, less credited,
    plus refunded). Negative: the company owes them (a credit after payment
    not yet refunded; see 'invoice refund'). On account: money they paid
    that no invoice took yet ('customer pay'; applied by 'invoice pay N
    --from-credit').

    \b
    Examples:
      officecli customer show 1
      officecli customer show CUS-A-0001 --format json
    """
    from officecli import render
    from officecli.office import money
    from officecli.office.books import advances
    from officecli.office.front import customers, orders

    office = app.office
    rec = customers.find(office, ref)
    cur = office.config.currency
    its_orders = customers.naming(office, "order", rec.id)
    complaints = customers.naming(office, "complaint", rec.id)
    owed, invoices = customers.owed(office, rec.id)
    order_rows = [orders.summary(office, o, {rec.id: rec.get("name")}) for o in its_orders]
    row = rec.as_row()
    row["orders"] = [
        {"id": o["id"], "state": o["state"], "gross": o["gross"], "created": o.get("created")}
        for o in order_rows
    ]
    row["complaints"] = [{"id": c.id, "state": c.state, "created": c.get("created")} for c in complaints]
    row["owed"] = money.text(owed)
    row["on_account"] = money.text(advances.available(office, rec.id))
    row["currency"] = cur
    row["path"] = rec.path
    row["owes"] = (money.fmt(owed, cur) if owed >= 0 else f"{money.fmt(owed, cur)} (owed back to them)") + (
        f" on {len(invoices)} {'open ' if all(i.state == 'open' for i in invoices) else ''}invoice(s): "
        f"{', '.join(i.id for i in invoices)}"
        if invoices
        else ""
    )
    if app.fmt != "table":
        row.pop("owes")
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
            ("tags", "Tags"),
            ("source", "Source"),
            ("note", "Note"),
            ("created", "Created"),
            ("path", "File"),
            ("owes", "Owes"),
            ("on_account", "On account"),
        ],
    )
    click.echo("\nOrders:")
    click.echo(
        render.rows(
            order_rows,
            "table",
            [
                ("id", "ID"),
                ("state", "State"),
                ("pieces", "Pieces"),
                ("gross", f"Gross {cur}"),
                ("created", "Created"),
            ],
        )
    )
    click.echo("\nComplaints:")
    click.echo(
        render.rows(
            [c.as_row() for c in complaints],
            "table",
            [("id", "ID"), ("state", "State"), ("order", "Order"), ("created", "Created")],
        )
    )


@customer.command("pay", context_settings={"ignore_unknown_options": True})  # '-10' is an AMOUNT
@click.argument("ref", metavar="CUSTOMER", shell_complete=id_complete("customer"))
@click.argument("amount")
@method_option("Posts Assets:Bank or Assets:Cash / Liabilities:CustomerCredit.")
@date_option("The day the money came in (default: today).")
@format_option
@pass_app
def pay_cmd(app: App, ref, amount, method, when):
    """Record money from a customer that pays no invoice yet (money on account).

    It is held on Liabilities:CustomerCredit, shown by 'customer show', on the
    statement and in 'report aged receivables' (a row "on account"), until
    'invoice pay N --from-credit' applies it to an invoice. Prints the
    ledger transaction's ID.

    \b
    Examples:
      officecli customer pay 1 500.00
      officecli customer pay CUS-A-0003 120.00 --method cash --date 2026-11-20
      officecli invoice pay 7 --from-credit
    """
    from officecli.office import money
    from officecli.office.books import advances

    cust, txn, now = advances.receive(app.office, ref, amount, method, when)
    app.created(txn.id, f"{cust.id} has {money.fmt(now, app.office.config.currency)} on account")


@customer.command("edit")
@each_id("customer")
@click.option("--name", help="The customer's name.")
@_fields
@click.option(
    "--tag",
    "--add-tag",
    "add_tags",
    multiple=True,
    help="Add a tag (repeatable); the same as on 'customer add'.",
)
@click.option("--remove-tag", "remove_tags", multiple=True, help="Remove a tag (repeatable).")
@note_option(help="The free-text note about the customer.")
@format_option
@pass_app
def edit_cmd(
    app: App,
    ref,
    name,
    email,
    phone,
    address,
    vat_number,
    iban,
    tax_office,
    country,
    business,
    source,
    add_tags,
    remove_tags,
    note,
):
    """Change a customer's fields.

    An empty value ("") removes a field.
    The change is one history entry on the customer. The duplicate guard of
    'customer add' applies to a new email or VAT number.

    \b
    Examples:
      officecli customer edit 1 --phone "+30 2310 555 010" --add-tag vip
      officecli customer edit CUS-A-0003 --email "" --source newsletter
    """
    from officecli.office.front import customers

    rec = customers.edit(
        app.office,
        ref,
        add_tags=add_tags,
        remove_tags=remove_tags,
        name=name,
        email=email,
        phone=phone,
        address=address,
        vat_number=vat_number,
        iban=iban,
        tax_office=tax_office,
        country=country,
        business=business,
        source=source,
        note=note,
    )
    app.created(rec.id, f"customer edited: {rec.path}")


from .import_ import import_command  # noqa: E402  (CSV import: cli/import_.py)

customer.add_command(import_command("customer"))
