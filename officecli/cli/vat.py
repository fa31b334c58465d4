"""officecli vat: settle a VAT return into one amount owed to the tax office, and pay it."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import date_option, format_option, listing, method_option

period_arg = click.argument("period", metavar="PERIOD")

LIST_COLUMNS = [
    ("id", "Period"),
    ("state", "State"),
    ("settled", "Settled"),
    ("settle_txn", "Entry"),
    ("due", "Due"),
    ("paid", "Paid"),
    ("pay_txn", "Payment"),
]


@click.group()
def vat():
    """Settle VAT returns and pay them to the tax office (see 'report vat').

    \b
    Examples:
      officecli report vat --period 2026-Q1
      officecli vat settle 2026-Q1
      officecli vat pay 2026-Q1 --date 2026-04-30
      officecli vat list
    """


def settle_period(app: App, period, when) -> None:
    """Settle PERIOD and say what is owed (shared with 'report vat --settle')."""
    from officecli.office import money
    from officecli.office.books import vat as rules

    txn, due = rules.settle(app.office, period, when)
    what = "owed to the tax office" if due >= 0 else "claimable from the tax office"
    app.created(txn.id, f"{money.fmt(abs(due), app.office.config.currency)} {what} (Liabilities:VATDue)")


@vat.command("settle")
@period_arg
@date_option("The settlement's day, after the period (default: today).")
@format_option
@pass_app
def settle_cmd(app: App, period, when):
    """Settle PERIOD's return: output VAT against input VAT into Liabilities:VATDue.

    PERIOD is a quarter (2026-Q1), a month (2026-03) or a year. The entry
    (kind vat-settle) takes the period's movement off Liabilities:VAT and
    Assets:VATInput and leaves the difference on Liabilities:VATDue: owed to
    the tax office, or (a debit) claimable from it. Refused while the return
    disagrees with the books, before the period is over, and for a period
    already settled or overlapping one. No later return counts it. Prints
    the entry's ID.

    \b
    Examples:
      officecli vat settle 2026-Q1
      officecli vat settle 2026-03 --date 2026-04-20
    """
    settle_period(app, period, when)


@vat.command("pay")
@period_arg
@method_option("Posts Liabilities:VATDue / Assets:Bank or Assets:Cash.")
@date_option("The day the money left (default: today).")
@format_option
@pass_app
def pay_cmd(app: App, period, method, when):
    """Pay PERIOD's settled VAT to the tax office (or book a claim received back).

    Once per settled period; prints the entry's ID (kind vat-payment).

    \b
    Examples:
      officecli vat pay 2026-Q1
      officecli vat pay 2026-Q1 --date 2026-04-30 --method bank
    """
    from officecli.office import money
    from officecli.office.books import vat as rules

    txn, due = rules.pay(app.office, period, method, when)
    what = "paid to" if due > 0 else "received from"
    app.created(txn.id, f"{money.fmt(abs(due), app.office.config.currency)} {what} the tax office")


@vat.command("list")
@listing()
@format_option
@pass_app
def list_cmd(app: App):
    """List the settled VAT returns: what each settled, and whether it was paid.

    \b
    Examples:
      officecli vat list
      officecli vat list --format json
    """
    from officecli.office.books import vat as rules

    app.rows(rules.listing(app.office), LIST_COLUMNS, empty="(no VAT return settled)")
