"""officecli report: the day at a glance, sales, profit and loss."""
from __future__ import annotations

import click

from .app import App, pass_app
from .options import format_option, listing, period_options


def _day(text, what):
    from officecli.office import clock
    return clock.parse_date(text, what) if text is not None else None


def _period(begin, end):
    from officecli.office import ledger
    return (ledger.parse_period(begin, "--begin") if begin is not None else None,
            ledger.parse_period(end, "--end") if end is not None else None)


@click.group()
def report():
    """See both offices at a glance: the day, sales, quote conversion, profit and loss."""


@report.command()
@click.option("--date", "day", metavar="YYYY-MM-DD", help="The day to report (default: today).")
@listing(all_flag=False)
@format_option
@pass_app
def daily(app: App, day):
    """Show the day at a glance: what each office has to do, and every handoff of the day.

    The front office: customers, orders taken and still open, complaints to
    forward, answers to give. The back office: orders to ship and invoice,
    unpaid and overdue invoices, complaints in hand and past their SLA,
    improvements, low stock, staff. Then every move between folders that day,
    marking those that crossed between the offices.

    \b
    Examples:
      officecli report daily
      officecli report daily --date 2026-11-20
      officecli report daily --format json | jq '.[] | select(.id=="stock.low")'
    """
    from officecli.office import reports

    office = app.office
    when = _day(day, "--date") or office.today()
    figures, moves = reports.daily(office, when)
    if app.fmt != "table":
        app.rows(figures + [dict(m, label="handoff") for m in moves])
        return
    site = next((r["value"] for r in figures if r["id"] == "site"), "")
    click.echo(f"{office.config.name} — {when.isoformat()} — site {site}")
    width = max(len(r["label"]) for r in figures)
    for side, title in (("front", "FRONT OFFICE"), ("back", "BACK OFFICE")):
        click.echo(f"\n{title}")
        for r in (r for r in figures if r["state"] == side):
            click.echo(f"  {r['label']:<{width}}  {r['value']}")
    click.echo(f"\nHANDOFFS ON {when.isoformat()}")
    app.rows(moves, [("time", "Time"), ("id", "Record"), ("action", "Action"), ("from", "From"),
                     ("to", "To"), ("crossing", "Between"), ("by", "By")], empty="  (none)")


@report.command()
@period_options(begin_help="First day (YYYY-MM-DD, or YYYY-MM, or YYYY).",
                end_help="Day after the last (exclusive).")
@click.option("--by", type=click.Choice(["customer", "product"]), default="customer", show_default=True)
@listing(all_flag=False)
@format_option
@pass_app
def sales(app: App, begin, end, by):
    """Show net sales (invoiced, less credit notes) by customer or by product.

    How many quotes became orders (sent vs accepted, per month or per
    customer source) is 'officecli report quotes'.

    \b
    Examples:
      officecli report sales --begin 2026-11
      officecli report sales --by product --begin 2026-01-01 --end 2027-01-01
    """
    from officecli.office import money, reports
    from decimal import Decimal

    b, e = _period(begin, end)
    rows = reports.sales(app.office, b, e, by)
    cols = [("id", by.title()), ("name", "Name")] + ([("qty", "Qty")] if by == "product" else [("invoices", "Invoices")]) \
        + [("net", f"Net {app.office.config.currency}")]
    app.rows(rows, cols)
    if app.fmt == "table" and rows:
        click.echo(f"\ntotal net: {money.fmt(sum((Decimal(r['net']) for r in rows), Decimal(0)), app.office.config.currency)}")


@report.command()
@period_options(begin_help="First day sent (YYYY-MM-DD, or YYYY-MM, or YYYY).",
                end_help="Day after the last (exclusive).")
@click.option("--by", type=click.Choice(["month", "source"]), default="month", show_default=True,
              help="Group by the month the quote was sent, or by the customer's source.")
@listing(all_flag=False)
@format_option
@pass_app
def quotes(app: App, begin, end, by):
    """Show quote conversion: quotes sent vs accepted, per month or per customer source.

    Counts the quotes sent in [--begin, --end) (by their sent date; drafts
    are not counted): accepted, declined, expired and still open, the
    conversion (accepted / sent) and the net value sent and accepted. --by
    source groups by the customer's source (the campaign or channel that
    brought them: customer add --source), for the front office's marketing.

    \b
    Examples:
      officecli report quotes
      officecli report quotes --by source --begin 2026-01 --end 2027-01
      officecli report quotes --format csv > conversion.csv
    """
    from officecli.office import reports

    rows, total = reports.quotes(app.office, *_period(begin, end), by)
    cur = app.office.config.currency
    cols = [("id", by.title()), ("sent", "Sent"), ("accepted", "Accepted"), ("declined", "Declined"),
            ("expired", "Expired"), ("open", "Open"), ("conversion", "Conversion"),
            ("sent_net", f"Sent net {cur}"), ("accepted_net", f"Accepted net {cur}")]
    app.rows(rows + ([total] if rows and app.fmt == "table" else []), cols)


@report.command()
@period_options(begin_help="First day (YYYY-MM-DD, or YYYY-MM, or YYYY).",
                end_help="Day after the last (exclusive).")
@listing(all_flag=False)
@format_option
@pass_app
def pnl(app: App, begin, end):
    """Show profit and loss: income and expense accounts, and the net result.

    Amounts are shown the way a manager reads them: income positive,
    expenses negative, net = income + expenses.

    \b
    Examples:
      officecli report pnl --begin 2026-11 --end 2026-12
      officecli report pnl --format csv > pnl.csv
    """
    from officecli.office import money, reports

    rows, net = reports.pnl(app.office, *_period(begin, end))
    app.rows(rows, [("id", "Account"), ("state", "Type"), ("amount", f"Amount {app.office.config.currency}")])
    if app.fmt == "table":
        click.echo(f"\nnet result: {money.fmt(net, app.office.config.currency)}")


AGED_COLUMNS = [("id", "Document"), ("party", "Who"), ("name", "Name"), ("date", "Date"), ("due", "Due"),
                ("days", "Days late"), ("bucket", "Bucket"), ("owed", "Owed")]
SUMMARY_COLUMNS = [("id", "Who"), ("name", "Name"), ("current", "Current"), ("1-30", "1-30"),
                   ("31-60", "31-60"), ("61-90", "61-90"), ("90+", "90+"), ("owed back", "Owed back"),
                   ("total", "Total")]


@report.command()
@click.argument("side", type=click.Choice(["receivables", "payables"]))
@click.option("--date", "day", metavar="YYYY-MM-DD", help="Age as of this day (default: today).")
@click.option("--summary", is_flag=True, help="One line per customer or supplier, with a column per bucket.")
@listing(all_flag=False)
@format_option
@pass_app
def aged(app: App, side, day, summary):
    """Show what customers owe (receivables) or what is owed to suppliers (payables), by age.

    One row per invoice or bill with a balance (read from the ledger), its
    due date and bucket of days past due: current, 1-30, 31-60, 61-90, 90+.
    Receivables count what is owed both ways: an invoice credited after it
    was paid is a negative row, "owed back" (see 'invoice refund').

    \b
    Examples:
      officecli report aged receivables
      officecli report aged payables --summary
      officecli report aged payables --date 2026-12-31 --format csv
    """
    from officecli.office import aged as rules, money

    office = app.office
    when = _day(day, "--date")
    rows = (rules.receivables if side == "receivables" else rules.payables)(office, when)
    if summary:
        app.rows(rules.summary(rows), SUMMARY_COLUMNS, empty="(nothing owed)")
    else:
        columns = AGED_COLUMNS if side == "receivables" else \
            AGED_COLUMNS[:3] + [("number", "Their no.")] + AGED_COLUMNS[3:]
        app.rows(rows, columns, empty="(nothing owed)")
    if rows:
        total = sum((money.parse(r["owed"]) for r in rows), money.ZERO)
        app.say(f"\ntotal: {money.fmt(total, office.config.currency)}")


@report.command()
@period_options(begin_help="First day (YYYY-MM-DD, or YYYY-MM / YYYY for its first day).",
                end_help="Day after the last (exclusive, as in hledger).")
@listing(all_flag=False)
@format_option
@pass_app
def vat(app: App, begin, end):
    """Show the VAT return of a period: output VAT, input VAT, what is payable.

    Output VAT per rate comes from the invoices dated in the period less the
    credit notes; input VAT per rate from the suppliers' bills ('purchase
    bill'). What is payable is read from the books (Liabilities:VAT and
    Assets:VATInput over the period); "other" is what entries that are not
    documents moved there (a hand-posted bill's input VAT).

    \b
    Examples:
      officecli report vat --begin 2026-11 --end 2026-12
      officecli report vat --begin 2026-10 --end 2027-01 --format json
    """
    from officecli.office import money, vat as rules

    office = app.office
    rows, totals = rules.vat_return(office, *_period(begin, end))
    if app.fmt != "table":
        app.rows(rows + [{"id": k, "state": "total", "vat": money.text(v)} for k, v in totals.items()])
        return
    app.rows(rows, [("state", "Side"), ("rate", "Rate %"), ("net", "Net"), ("vat", "VAT")],
             empty="(no invoices, credit notes or bills in the period)")
    cur = office.config.currency
    click.echo("")
    for key, label in (("output", "output VAT (sales)"), ("input", "input VAT (purchases)"),
                       ("other", "other VAT entries in the books"), ("payable", "VAT payable")):
        click.echo(f"{label:<32} {money.fmt(totals[key], cur):>16}")
