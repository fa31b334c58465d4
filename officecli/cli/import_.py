"""``customer|product|stock|order import FILE``: load a spreadsheet's CSV, all rows or none.

One click command made for each noun by ``import_command``; each noun module
adds it to its group (one line), the work is office/front/importer.py's.
"""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import format_option

COLUMNS = [("line", "Line"), ("id", "ID"), ("state", "State"), ("path", "File")]
DRY_COLUMNS = [("line", "Line"), ("id", "ID"), ("name", "Name"), ("state", "State"), ("path", "File")]

EXAMPLES = {
    "customer": (
        "Customers, one a row: name (required), email, phone, address, vat_number,\n"
        "tags (separated by ; or |), source, note.",
        [
            "officecli customer import customers.csv --dry-run",
            'officecli customer import shop.csv --map "Billing Email=email" --map "Full name=name"',
            "cat customers.csv | officecli customer import -",
        ],
    ),
    "product": (
        "Products, one a row: sku, name, price (net) required; vat, cost,\n"
        "reorder_level, supplier, supplier_sku.",
        [
            "officecli product import products.csv",
            'officecli product import catalogue.csv --map Code=sku --map "Net price=price"',
        ],
    ),
    "stock": (
        "Opening stock, one a row: sku, qty and cost (the unit cost) required; note.\n"
        "Each row is a 'stock receive' (its move and ledger entry).",
        [
            "officecli stock import opening-stock.csv",
            'officecli stock import counts.csv --map Quantity=qty --map "Unit cost=cost" --dry-run',
        ],
    ),
    "order": (
        "A web shop's export, one row per line item: order (the shop's order\n"
        "number: rows with the same one are one order), customer (an ID, a name\n"
        "or an e-mail), sku, qty; note (default: 'web shop order NUMBER').\n"
        "Each order is taken into front/orders/open as 'order add' takes it.",
        [
            "officecli order import shop-orders.csv",
            'officecli order import export.csv --map "Order #=order" --map "Billing Email=customer"',
        ],
    ),
}


def import_command(kind: str) -> click.Command:
    what, examples = EXAMPLES[kind]

    @click.command(
        "import",
        help=(
            f"Import {kind} records from a CSV file (- for stdin), all rows or none.\n\n"
            f"{what}\n\n"
            "Headers are matched to fields ignoring case, accents, spaces and dashes (and\n"
            "common names such as E-mail, Qty, Επωνυμία, Ονοματεπώνυμο, Τηλέφωνο,\n"
            "Διεύθυνση, ΑΦΜ); --map COLUMN=FIELD names one outright (COLUMN loosely:\n"
            "case, accents, spaces and punctuation ignored, or its unique beginning),\n"
            "--map COLUMN=- skips it; other columns are skipped and named. Every row is\n"
            "checked as the single-record command checks it (duplicates included; one\n"
            "within the file is reported as the same as its earlier line). When any row is refused each one is reported on stderr\n"
            "as FILE:LINE: field: problem, nothing is written and the exit code is 1.\n\n"
            "\b\nExamples:\n" + "\n".join(f"  {e}" for e in examples)
        ),
    )
    @click.argument("file", type=click.File("rb", lazy=False))
    @click.option(
        "--map",
        "mapping",
        multiple=True,
        metavar="COLUMN=FIELD",
        help="Read COLUMN as FIELD (repeatable); FIELD '-' skips the column.",
    )
    @click.option(
        "--dry-run",
        is_flag=True,
        help="Check every row and list the records it would make (line, ID, name, file); write nothing.",
    )
    @format_option
    @pass_app
    def command(app: App, file, mapping, dry_run):
        from officecli import terminal
        from officecli.office.front import importer
        from officecli.store.errors import UserError

        name = getattr(file, "name", "-")
        source = "<stdin>" if name in ("-", "<stdin>") or not isinstance(name, str) else name
        from .textin import decode

        text = decode(file.read(), source)  # UTF-8 or UTF-16, else one line naming the byte

        def each(rows):
            with terminal.progress(rows, len(rows), f"{kind} import") as bar:
                yield from bar

        try:
            result = importer.run(app.office, kind, text, source, mapping, dry_run, each)
        except importer.Refused as exc:
            for line in exc.problems:
                app.warn(line)
            raise UserError(str(exc)) from None
        if result.skipped:
            app.warn(f"{source}: columns skipped (no {kind} field): {', '.join(result.skipped)}")
        if app.fmt == "table":
            verb = "would import" if dry_run else "imported"
            app.say(
                f"{verb} {len(result.done)} {kind} record(s) from {result.rows} row(s) of {source}"
                + (" (dry run: nothing was written)" if dry_run else "")
            )
            app.rows(result.done, DRY_COLUMNS if dry_run else COLUMNS)  # a dry run: what it would make
        else:
            app.rows(result.done, COLUMNS)

    return command
