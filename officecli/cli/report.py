"""officecli report: the day at a glance, sales, profit and loss."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import date_option, format_option, listing, period_options

END_HELP = "Day after the last (exclusive)."
report_period = period_options(end_help=END_HELP)  # sales, pnl (-b: period_options' own help)


def _day(text, what):
    from officecli.office import clock

    return clock.parse_date(text, what) if text is not None else None


def _period(begin, end):
    from officecli.office.books import ledger

    return (
        ledger.parse_period(begin, "--begin") if begin is not None else None,
        ledger.parse_period(end, "--end") if end is not None else None,
    )


def _header(title: str, begin, end) -> str:
    """A period report's first line: what it covers, and that the year-end closing entry
    (ledger close --year) is left out, so it equals the books' movement for any period."""
    span = (
        f"from {begin.isoformat() if begin else 'the start'} to before {end.isoformat() if end else 'today'}"
    )
    return f"{title}, {span} (year-end closing entries left out)"


@click.group()
def report():
    """See both offices at a glance and file the books: the day, sales, quotes, P&L, VAT, balance sheet, aged."""


@report.command()
@date_option("The day to report (default: today).", "day")
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
    from officecli.office.overview import reports

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
    app.rows(
        moves,
        [
            ("time", "Time"),
            ("id", "Record"),
            ("action", "Action"),
            ("from", "From"),
            ("to", "To"),
            ("crossing", "Between"),
            ("by", "By"),
        ],
        empty="  (none)",
    )


@report.command()
@report_period
@click.option("--by", type=click.Choice(["customer", "product"]), default="customer", show_default=True)
@listing(all_flag=False)
@format_option
@pass_app
def sales(app: App, begin, end, by):
    """Show net sales (invoiced, less credit notes) by customer or by product.

    Invoices count in the period of their date, credit notes in the period of
    THEIR OWN date (a February credit note of a January invoice lowers
    February), so the months add up to the year and any period's total is
    the movement of Income:Sales ('report pnl'). Columns: invoiced, credited
    and net (invoiced - credited); by product, pieces invoiced less credited;
    a credit for an amount (not pieces) is the row "(no product)".

    How many quotes became orders (sent vs accepted, per month or per
    customer source) is 'officecli report quotes'.

    \b
    Examples:
      officecli report sales --begin 2026-11
      officecli report sales --begin 2026-02 --end 2026-03
      officecli report sales --by product --begin 2026-01-01 --end 2027-01-01
    """
    from decimal import Decimal

    from officecli.office import money
    from officecli.office.overview import reports

    b, e = _period(begin, end)
    rows = reports.sales(app.office, b, e, by)
    cur = app.office.config.currency
    if app.fmt == "table":
        click.echo(_header("Net sales", b, e))
    cols = (
        [("id", by.title()), ("name", "Name")]
        + ([("qty", "Qty")] if by == "product" else [])
        + [
            ("invoices", "Invoices"),
            ("credits", "Credits"),
            ("invoiced", f"Invoiced {cur}"),
            ("credited", f"Credited {cur}"),
            ("net", f"Net {cur}"),
        ]
    )
    app.rows(rows, cols)
    if app.fmt == "table" and rows:
        click.echo(f"\ntotal net: {money.fmt(sum((Decimal(r['net']) for r in rows), Decimal(0)), cur)}")


@report.command()
@period_options(begin_help="First day sent (YYYY-MM-DD, or YYYY-MM, or YYYY).", end_help=END_HELP)
@click.option(
    "--by",
    type=click.Choice(["month", "source"]),
    default="month",
    show_default=True,
    help="Group by the month the quote was sent, or by the customer's source.",
)
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
    from officecli.office.overview import reports

    rows, total = reports.quotes(app.office, *_period(begin, end), by)
    cur = app.office.config.currency
    cols = [
        ("id", by.title()),
        ("sent", "Sent"),
        ("accepted", "Accepted"),
        ("declined", "Declined"),
        ("expired", "Expired"),
        ("open", "Open"),
        ("conversion", "Conversion"),
        ("sent_net", f"Sent net {cur}"),
        ("accepted_net", f"Accepted net {cur}"),
    ]
    app.rows(rows + ([total] if rows and app.fmt == "table" else []), cols)


@report.command()
@report_period
@listing(all_flag=False)
@format_option
@pass_app
def pnl(app: App, begin, end):
    """Show profit and loss: income and expense accounts, and the net result.

    Amounts are shown the way a manager reads them: income positive,
    expenses negative, net = income + expenses. The year-end closing entry
    ('ledger close --year') is left out, as the header says: a closed year
    still shows its result, equal to the books' income and expense movement. --format json/yaml/csv end
    with the row "net result" (state "total").

    \b
    Examples:
      officecli report pnl --begin 2026-11 --end 2026-12
      officecli report pnl --format csv > pnl.csv
    """
    from officecli.office import money
    from officecli.office.overview import reports

    b, e = _period(begin, end)
    rows, net = reports.pnl(app.office, b, e)
    columns = [("id", "Account"), ("state", "Type"), ("amount", f"Amount {app.office.config.currency}")]
    if app.fmt != "table":  # the net result is a row of its own
        app.rows(rows + [{"id": "net result", "state": "total", "amount": money.text(net)}], columns)
        return
    click.echo(_header("Profit and loss", b, e))
    app.rows(rows, columns)
    click.echo(f"\nnet result: {money.fmt(net, app.office.config.currency)}")


AGED_COLUMNS = [
    ("id", "Document"),
    ("party", "Who"),
    ("name", "Name"),
    ("date", "Date"),
    ("due", "Due"),
    ("days", "Days late"),
    ("bucket", "Bucket"),
    ("owed", "Owed"),
]
SUMMARY_COLUMNS = [
    ("id", "Who"),
    ("name", "Name"),
    ("current", "Current"),
    ("1-30", "1-30"),
    ("31-60", "31-60"),
    ("61-90", "61-90"),
    ("90+", "90+"),
    ("owed back", "Owed back"),
    ("total", "Total"),
]


@report.command()
@click.argument("side", type=click.Choice(["receivables", "payables"]))
@date_option("Age as of this day (default: today).", "day")
@click.option("--summary", is_flag=True, help="One line per customer or supplier, with a column per bucket.")
@click.pass_context
@listing(all_flag=False)
@format_option
@pass_app
def aged(app: App, ctx, side, day, summary):
    """Show what customers owe (receivables) or what is owed to suppliers (payables), by age.

    One row per invoice or bill with a balance (read from the ledger), its
    due date and bucket of days past due: current (not yet due), 1-30,
    31-60, 61-90, 90+. Receivables count what is owed both ways: an invoice
    credited after it was paid is a negative row, "owed back" (see 'invoice
    refund'). With --date, only what is dated up to that day counts.

    The total must be the control account's balance on the same day
    (Assets:Receivable; Liabilities:Payable): the command prints that check
    and, when they differ (a posting to the account that belongs to no
    invoice or bill), says so and exits 1. --format json/yaml/csv end with
    the total row (state "total": each bucket and "owed") and the check row
    (state "check").

    \b
    Examples:
      officecli report aged receivables
      officecli report aged receivables --summary --format json
      officecli report aged payables --date 2026-12-31 --format csv
    """
    from officecli.office import money
    from officecli.office.overview import aged as rules

    office = app.office
    when = _day(day, "--date")
    rows = (rules.receivables if side == "receivables" else rules.payables)(office, when)
    total = rules.totals(rows)
    account = "Assets:Receivable" if side == "receivables" else "Liabilities:Payable"
    books = rules.balance(office, account, when)
    check = {
        "id": account,
        "state": "check",
        "owed": money.text(books),
        "agrees": books == money.parse(total["owed"]),
    }
    buckets = [(b, b.capitalize()) for b in (*rules.BUCKETS, "owed back")]
    if summary:
        listed, columns = rules.summary(rows), SUMMARY_COLUMNS
        total = {**total, "total": total["owed"]}
        check["total"] = check["owed"]
    else:
        listed = rows
        columns = (
            AGED_COLUMNS
            if side == "receivables"
            else AGED_COLUMNS[:3] + [("number", "Their no.")] + AGED_COLUMNS[3:]
        )
    if app.fmt != "table":
        extra = [total, check]
        app.rows(
            listed + extra,
            columns[:1]
            + [("state", "State")]
            + columns[1:]
            + ([] if summary else buckets)
            + [("agrees", "agrees")],
        )
    else:
        app.rows(listed, columns, empty="(nothing owed)")
        cur = office.config.currency
        if rows:
            app.say("")
            app.say(
                "total: "
                + money.fmt(money.parse(total["owed"]), cur)
                + "  ("
                + ", ".join(f"{b} {total[b]}" for b in (*rules.BUCKETS, "owed back") if money.parse(total[b]))
                + ")"
            )
        verdict = "agrees" if check["agrees"] else "DISAGREES"
        app.say(f"check {account}: {money.fmt(money.parse(check['owed']), cur)}  {verdict}")
    if not check["agrees"]:
        doc = "invoice" if side == "receivables" else "bill"
        app.warn(
            f"the aged {side} ({total['owed']}) disagree with {account} "
            f"({check['owed']}): a posting to the account belongs to no {doc}; "
            f"'officecli ledger register {account.rpartition(':')[2].lower()}' shows them"
        )
        ctx.exit(1)


@report.command("balance-sheet")
@click.option(
    "-e",
    "--end",
    metavar="DATE",
    help="The day after the sheet's day (exclusive, as in hledger: --end 2027-01-01 is the "
    "sheet at 31 December 2026; YYYY-MM / YYYY mean their first day). Default: today.",
)
@click.pass_context
@format_option
@pass_app
def balance_sheet(app: App, ctx, end):
    """Show the balance sheet: assets, liabilities and equity, balancing to zero.

    Assets show their debit balances, liabilities and equity their credit
    balances, both positive. Equity includes the result not yet closed into
    it: "current-year result" (income less expenses from 1 January of the
    sheet's year) and, when earlier years were not closed with 'ledger
    close --year', "result of prior years (not closed)". Total assets equal
    total liabilities and equity; the "difference" line says so (0.00), and
    a difference other than 0 exits 1. --format json/yaml/csv give the
    account rows (state assets/liabilities/equity) then the totals as rows
    (state "total").

    \b
    Examples:
      officecli report balance-sheet
      officecli report balance-sheet --end 2027-01-01
      officecli report balance-sheet --end 2026-12 --format json
    """
    from officecli.office import money
    from officecli.office.books import balance as rules

    office = app.office
    rows, totals, day = rules.sheet(office, _period(None, end)[1])
    cur = office.config.currency
    if app.fmt != "table":
        app.rows(rows + totals, [("id", "id"), ("state", "state"), ("amount", "amount")])
    else:
        click.echo(f"{office.config.name} — balance sheet at {day.isoformat()}")
        for section, title in (
            ("assets", "ASSETS"),
            ("liabilities", "LIABILITIES"),
            ("equity", "EQUITY"),
            ("unclassified", "UNCLASSIFIED (not in the chart)"),
        ):
            part = [r for r in rows if r["state"] == section]
            if not part and section == "unclassified":
                continue
            click.echo(f"\n{title}")
            for r in part:
                click.echo(f"  {r['account']:<44} {money.fmt(money.parse(r['amount']), cur):>18}")
            if not part:
                click.echo("  (none)")
        click.echo("")
        for t in totals:
            click.echo(f"{t['id']:<46} {money.fmt(money.parse(t['amount']), cur):>18}")
    if rules.difference(totals) != 0:
        app.warn(
            f"the balance sheet does not balance: assets - (liabilities + equity) = "
            f"{money.text(rules.difference(totals))}; run 'officecli ledger check'"
        )
        ctx.exit(1)


@report.command()
@click.option(
    "--period",
    metavar="PERIOD",
    help="The return's period: a quarter (2026-Q1), a month (2026-03) or a year (2026).",
)
@period_options(
    begin_help="First day (YYYY-MM-DD, or YYYY-MM / YYYY for its first day).",
    end_help="Day after the last (exclusive, as in hledger).",
)
@click.option(
    "--settle", is_flag=True, help="Then settle the period (as 'vat settle PERIOD'); needs --period."
)
@listing(all_flag=False)
@click.pass_context
@format_option
@pass_app
def vat(app: App, ctx, period, begin, end, settle):
    """Show the VAT return of a period, proved against the books; exit 1 if they disagree.

    Output VAT per rate from the invoices dated in the period; credited VAT
    per rate from the credit notes dated in it (by the credit note's own
    date, negative); input VAT per rate from the suppliers' bills ('purchase
    bill'); then every manual entry that names its source ('ledger post
    --ref ID ...' touching Liabilities:VAT or Assets:VATInput), on the output
    side when it raises what is owed and on the input side when it lowers it;
    and the net amount due (output + credited - input; negative: a refund).

    Then one check line per VAT account: the return's figure against the
    account's movement over the period (Liabilities:VAT: output, credited
    and manual output; Assets:VATInput: input and manual input). An entry
    The documents are read from their records, not from the ledger: an
    invoice, credit note or bill whose entry is missing, doubled or dated in
    another period makes a check disagree, and the command exits 1 (after
    printing the whole return). A manual VAT entry that names no source
    (posted without --ref) is counted where it falls (state "no source") and
    warned about on stderr. --format json/yaml/csv give the rows, then the
    totals and the checks as rows (state "total" / "check").

    \b
    With --settle (and --period), a return that agrees is then settled
    ('vat settle PERIOD': into one amount owed to the tax office; once).

    \b
    Examples:
      officecli report vat --period 2026-Q1
      officecli report vat --period 2026-Q1 --settle
      officecli report vat --period 2026-03 --format json
      officecli report vat --begin 2026-10 --end 2027-01
    """
    from officecli.office import money
    from officecli.office.books import vat as rules

    office = app.office
    if settle and period is None:
        raise click.UsageError("--settle settles one --period (2026-Q1, 2026-03 or 2026)")
    if period is not None:
        if begin is not None or end is not None:
            raise click.UsageError("--period is a period of its own: give it, or --begin/--end, not both")
        b, e, label = rules.parse_period(period)
    else:
        b, e = _period(begin, end)
        label = f"{b or 'the beginning'} .. {e or 'now'}"
    rows, totals = rules.vat_return(office, b, e)
    problems = rules.disagreements(totals)
    checks = [
        {
            "id": f"check {account}",
            "state": "check",
            "account": account,
            "return": money.text(ours),
            "books": money.text(theirs),
            "agrees": ours == theirs,
        }
        for account, (ours, theirs) in totals["checks"].items()
    ]
    names = (
        ("output", "output VAT (invoices)"),
        ("credited", "credited VAT (credit notes)"),
        ("manual_output", "output VAT, manual entries with a source"),
        ("input", "input VAT (bills)"),
        ("manual_input", "input VAT, manual entries with a source"),
        ("unsourced", "manual entries with no source (net)"),
        ("due", "net VAT due"),
    )
    if app.fmt != "table":
        shown = [(k, label_) for k, label_ in names if k != "unsourced" or totals[k] != 0]
        app.rows(
            rows
            + [
                {"id": k, "state": "total", "label": label_, "vat": money.text(totals[k])}
                for k, label_ in shown
            ]
            + checks,
            [
                ("id", "id"),
                ("state", "state"),
                ("rate", "rate"),
                ("net", "net"),
                ("vat", "vat"),
                ("ref", "ref"),
                ("return", "return"),
                ("books", "books"),
                ("agrees", "agrees"),
            ],
        )
    else:
        cur = office.config.currency
        click.echo(f"VAT return {label}")
        click.echo("")
        docs = [r for r in rows if r["state"] in ("output", "credited", "input")]
        app.rows(
            docs,
            [("state", "Side"), ("rate", "Rate %"), ("net", "Net"), ("vat", "VAT")],
            empty="(no invoices, credit notes or bills in the period)",
        )
        other = [r for r in rows if r["state"] not in ("output", "credited", "input")]
        if other:
            click.echo("")
            app.rows(
                other,
                [
                    ("state", "Side"),
                    ("id", "Entry"),
                    ("date", "Date"),
                    ("ref", "Source"),
                    ("description", "Description"),
                    ("vat", "VAT"),
                ],
            )
        click.echo("")
        for key, text in names:
            if key in ("manual_output", "manual_input", "unsourced") and totals[key] == 0:
                continue
            click.echo(f"{text:<44} {money.fmt(totals[key], cur):>16}")
        click.echo("")
        for c in checks:
            verdict = "agrees" if c["agrees"] else "DISAGREES"
            click.echo(
                f"check {c['account']:<20} return {c['return']:>12}   books {c['books']:>12}   {verdict}"
            )
    unsourced = [r["id"] for r in rows if r["state"] == "no source"]
    if unsourced and not problems:
        app.warn(
            f"{len(unsourced)} manual VAT entr{'y' if len(unsourced) == 1 else 'ies'} name no source "
            f"({', '.join(unsourced)}); a return is filed from documents: post with "
            "'ledger post --ref ID'"
        )
    if problems:
        app.warn(f"the VAT return disagrees with the books: {'; '.join(problems)}")
        ctx.exit(1)
    if settle:
        from .vat import settle_period

        settle_period(app, period, None)
