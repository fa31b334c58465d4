"""The show layouts of records with lines.

``show`` (order, quote, purchase order): in table format the record is printed
as one block of fields, then its lines as a table, then the totals block (Net,
VAT per rate, Gross, in the office currency, labels 20 wide and amounts 16
wide), then its history as a table. In every other format it is a list of one
row, the record's summary with its ``path``: the lines are neither built nor
printed.

``show_paid`` (invoice, bill): in table format the fields, the lines, the
payments (only when there are any) and the history, each a table; in every
other format the row alone.

``trace`` (order, purchase order): where the record is now, then every folder
it passed through and every record that names it, oldest first.
"""

from __future__ import annotations

from typing import Callable

import click

from .app import App

HISTORY_COLUMNS = [
    ("at", "At"),
    ("by", "By"),
    ("action", "Action"),
    ("from", "From"),
    ("to", "To"),
    ("note", "Note"),
]
LABEL_WIDTH = 20
AMOUNT_WIDTH = 16


def show(app: App, rec, row: dict, fields, line_columns, lines: Callable[[], list]) -> None:
    """Print ``rec`` whose summary is ``row``: fields, lines(), totals and history.

    ``lines`` is called only for the table format, so other formats do no work
    (and meet no error) the lines table alone would.
    """
    from officecli import render
    from officecli.office import money

    row["path"] = rec.path
    if app.fmt != "table":
        app.rows([row])
        return
    cur = app.office.config.currency
    app.one(row, fields)
    click.echo("")
    click.echo(render.rows(lines(), "table", line_columns))
    click.echo("")
    click.echo(f"{'Net':<{LABEL_WIDTH}} {money.fmt(money.parse(row['net']), cur):>{AMOUNT_WIDTH}}")
    for rate, amount in row["vat"].items():
        click.echo(
            f"{'VAT ' + rate + '%':<{LABEL_WIDTH}} {money.fmt(money.parse(amount), cur):>{AMOUNT_WIDTH}}"
        )
    click.echo(f"{'Gross':<{LABEL_WIDTH}} {money.fmt(money.parse(row['gross']), cur):>{AMOUNT_WIDTH}}")
    click.echo("")
    click.echo(render.rows(rec.get("history") or [], "table", HISTORY_COLUMNS))


PAYMENT_COLUMNS = [("date", "PAID ON"), ("method", "METHOD"), ("amount", "AMOUNT"), ("txn", "TXN")]
PAID_HISTORY_COLUMNS = [("at", "AT"), ("by", "BY"), ("action", "ACTION"), ("to", "TO"), ("note", "NOTE")]


def show_paid(app: App, rec, row: dict, fields, line_columns) -> None:
    """Print an invoice or a bill whose row (with its ``payments``) is ``row``."""
    if app.fmt != "table":
        app.one(row)
        return
    app.one(row, fields)
    click.echo("")
    app.rows(rec.get("lines") or [], line_columns)
    if row["payments"]:
        click.echo("")
        app.rows(row["payments"], PAYMENT_COLUMNS)
    click.echo("")
    app.rows(row.get("history") or [], PAID_HISTORY_COLUMNS)


TRACE_COLUMNS = [
    ("at", "At"),
    ("by", "By"),
    ("id", "Record"),
    ("event", "What"),
    ("where", "Where"),
    ("detail", "Detail"),
]


def trace(app: App, rec, what: str) -> None:
    """Print where ``rec`` (``what``: order, purchase order) is now, then its trace."""
    from officecli.office.overview import trace as traced

    app.say(f"{what} {rec.id}: now {rec.state}")  # the path on a line of its own: 60 columns
    app.say(f"  {rec.path}")
    app.rows(traced.rows(app.office, rec), TRACE_COLUMNS)
