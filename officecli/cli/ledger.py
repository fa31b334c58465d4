"""officecli ledger post|reverse|move|close|periods|balance|register|accounts|check|export."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import date_option, each_id, format_option, ledger_period, listing, stdin_text


def _day(value, what):
    from officecli.office.books import ledger

    return ledger.parse_period(value, what) if value is not None else None


@click.group()
def ledger():
    """Keep the books: post, reverse, balance, register, check and export.

    The ledger is double-entry: every transaction is one file in
    back/ledger/YYYY/MM/, its postings sum to exactly zero, and it is never
    edited or deleted (`ledger reverse` undoes one). Signs are hledger's:
    debits positive, credits negative, so income and liabilities show below 0.
    No entry is dated after today, or inside a closed period (`ledger close`).

    \b
    Examples:
      officecli ledger post "Opening capital" Assets:Bank 10000 Equity:Capital
      officecli ledger balance --depth 1
      officecli ledger export --to beancount > books.beancount
    """


@ledger.command("post", context_settings={"ignore_unknown_options": True})
@date_option("The transaction's date (default: today).")
@click.option("--ref", metavar="ID", help="The record this entry belongs to (an order, invoice, ...).")
@click.option(
    "--control", is_flag=True, help="Allow lines on control accounts (needs --ref to the source record)."
)
@click.argument("description", callback=stdin_text)
@click.argument("postings", nargs=-1, required=True, metavar="ACCOUNT AMOUNT [ACCOUNT AMOUNT]... [ACCOUNT]")
@format_option
@pass_app
def post(app: App, when, ref, control, description, postings):
    """Post a balanced transaction of two postings or more.

    Give ACCOUNT AMOUNT pairs (a debit is positive, a credit negative); one
    account may come without an amount and is given whatever balances the
    transaction. A word with ':' (or a name of the chart) is an account, the
    word after it its amount. The amounts must sum to exactly 0; accounts
    must be in the chart of accounts of office.yaml (`ledger accounts`); an
    amount has at most 2 decimals (no exponents, nan or inf). --date is
    never after today nor inside a closed period. Prints the new
    transaction's ID.

    Control accounts -- office.yaml `control_accounts:`, a list; by default
    Assets:Receivable, Assets:Inventory, Assets:VATInput,
    Liabilities:Payable, Liabilities:VAT, Liabilities:Payroll and
    Liabilities:GRNI -- are the totals of subledgers (invoices, stock,
    bills, payroll, VAT) that their commands post to and `ledger check`
    proves. A line on one is refused unless --ref names the existing source
    record AND --control says you mean it.

    \b
    Examples:
      officecli ledger post "Opening capital" Assets:Bank 10000 Equity:Capital
      officecli ledger post --date 2026-11-05 "November rent" Expenses:Rent 800 Assets:Bank -800
      officecli ledger post --ref ORD-A-0004 "Refund" Assets:Bank -20 Income:Other
      officecli ledger post --ref INV-A-0005 --control "Bank fee kept by the customer" \
          Expenses:Other 1.50 Assets:Receivable
    """
    from officecli.office import clock
    from officecli.office.books import ledger as books
    from officecli.store import ids
    from officecli.store.errors import UserError

    office = app.office
    tokens = [t for t in postings if t != "--"]
    pairs = books.parse_postings(office, tokens)
    if ref is not None:
        if not ids.parse_id(ref.strip().upper()):
            raise UserError(f"--ref {ref!r}: not a record ID (e.g. ORD-A-0042)")
        ref = ref.strip().upper()
        if office.find_any(ref) is None:
            raise UserError(f"--ref {ref}: no such record")
    day = clock.parse_date(when, "--date") if when is not None else office.today()
    with office.change():
        rec = books.post_manual(office, day, description, pairs, ref=ref, control=control)
        office.messages.append(f"ledger post {rec.id}: {rec.data['description']}")
    app.created(rec.id, f"{rec.data['date']} {rec.data['description']}")


@ledger.command("reverse")
@each_id("ledger_txn", "txn", "TXN")
@date_option("The reversing entry's date (default: today).")
@format_option
@pass_app
def reverse(app: App, txn, when):
    """Post the exact reverse of a transaction (posted entries are never edited).

    The new entry names the original in `reverses` and keeps its ref, so both
    show in `order trace`. A transaction is reversed at most once. Only
    entries posted by hand (`ledger post`) are reversed: an entry a command
    posted (stock, ship, invoice, payment, credit, payroll, purchase,
    bill, return, close) is refused, naming the command that corrects it
    (`invoice credit`, `return add`, `stock adjust`, ...), so the records
    and the books never part.

    \b
    Examples:
      officecli ledger reverse TXN-A-0012
      officecli ledger reverse 12 --date 2026-11-30
    """
    from officecli.office.books import ledger as books

    office = app.office
    with office.change():
        rec = books.reverse(office, txn, when)
        office.messages.append(f"ledger reverse {rec.data['reverses']} as {rec.id}")
    app.created(rec.id, f"reverses {rec.data['reverses']}")


@ledger.command("move")
@click.argument("txn", metavar="TXN")
@click.option(
    "--to-open",
    "to_open",
    is_flag=True,
    required=True,
    help="Move it to the open period: reverse it on its own day, post it again dated today.",
)
@format_option
@pass_app
def move(app: App, txn, to_open):
    """Move an entry out of a closed period into the open one (dated today).

    What `sync`, `doctor` and `ledger check` name when another site posted
    into a month the books' owner closed before the posting reached it, or a
    second closing entry of a year. Nothing is edited: a reversal dated the
    entry's own day puts that period back to what was closed, and the entry
    is posted again dated today (a second closing entry is only taken back).
    Run it at the site the entry came from, then `officecli sync`. Only an
    entry posted by hand (or a second closing entry) moves; one a command
    posted is corrected by that command. An entry that was part of the period
    when it was closed is final.

    \b
    Examples:
      officecli ledger move TXN-C-0007 --to-open
    """
    from officecli.office.books import closing
    from officecli.office.sites import periodcheck

    office = app.office
    rec = office.get("ledger_txn", txn)
    back, again = closing.move_to_open(office, rec.id, late=rec.id in periodcheck.movable(office))
    if again is not None:
        app.created(again.id, f"{rec.id} reversed by {back.id}, posted again as {again.id}")
    else:
        app.created(back.id, f"{rec.id} taken back by {back.id}")


@ledger.command("close")
@click.argument("period", required=False, metavar="YYYY-MM|YYYY")
@click.option(
    "--year",
    "year",
    metavar="YYYY",
    help="Close the whole year and post its closing entry to Equity:Retained.",
)
@click.option("--list", "show", is_flag=True, help="Show the closed period instead (as `ledger periods`).")
@format_option
@pass_app
def close(app: App, period, year, show):
    """Close the books through the end of a month or a year: it is then final.

    Nothing dated up to that day can be written any more, by any command:
    no posting, payment, credit note, stock move, payroll run or backdated
    record (the guard is where entries, stock moves and dated records are
    written). A period is closed once it is over (its last day is before
    today), in order: the closed line only moves forward. It is kept in
    office.yaml as `books: {closed_through: YYYY-MM-DD}`, one versioned line
    every clone obeys.

    Each folder of the closed period (ledger and stock months, the year's
    archive of finished orders and complaints) gets a seal, <folder>/.seal:
    every file's name, size and digest. Commands then trust its sums without
    looking at each file; doctor and `ledger check` name any file changed
    after its period was closed (docs/SEALS.md).

    --year YYYY also posts the closing entry (kind close, dated 31
    December): every income and expense account's balance to
    Equity:Retained, so the next year starts them at zero. The exports
    carry it as an ordinary transaction; hledger, ledger-cli and beancount
    agree.

    \b
    Examples:
      officecli ledger close 2026-10
      officecli ledger close --year 2026
      officecli ledger close --list
    """
    from officecli.office.books import closing
    from officecli.store.errors import UserError

    if show:
        _show_periods(app)
        return
    if (period is None) == (year is None):
        raise UserError("ledger close: give a PERIOD (YYYY-MM or YYYY) or --year YYYY")
    last, entry = closing.close(app.office, year or period, year=year is not None)
    said = f"the books are closed through {last.isoformat()}"
    if entry is not None:
        app.created(entry.id, f"{said}; closing entry {entry.id}")
    else:
        app.say(said)


@ledger.command("periods")
@format_option
@pass_app
def periods_(app: App):
    """Show how far the books are closed, and the year-end closing entries.

    \b
    Examples:
      officecli ledger periods
      officecli ledger periods --format json
    """
    _show_periods(app)


def _show_periods(app: App) -> None:
    from officecli.office.books import closing

    app.rows(
        closing.listing(app.office),
        [("id", "WHAT"), ("closed_through", "THROUGH"), ("description", "DESCRIPTION")],
    )


def _amount(value, currency):
    from officecli.office import money

    return money.fmt(value, currency) if value != 0 else "0"


@ledger.command("balance")
@click.argument("prefixes", nargs=-1, metavar="[ACCOUNT-PREFIX]...")
@click.option(
    "--depth", type=click.IntRange(min=1), help="Add up accounts below this depth into their parent."
)
@ledger_period
@click.option("--flat", is_flag=True, help="A flat list of full account names instead of a tree.")
@click.option("--empty", "-E", is_flag=True, help="Show accounts with a zero balance too.")
@listing(all_flag=False)
@format_option
@pass_app
def balance(app: App, prefixes, depth, begin, end, flat, empty):
    """Show account balances as a tree with subtotals, the way hledger does.

    Each parent shows the sum of its sub-accounts; a parent with one child
    and no postings of its own shares its child's line (Equity:Capital).
    ACCOUNT-PREFIX keeps the accounts it names: whole name components,
    anywhere in the name, ignoring case (`assets` is Assets and every
    account below it, `receivable` is Assets:Receivable). The line under
    the dashes is the total of what is shown (0 for the whole books).
    --format json/csv/yaml give one row per line shown, with full names.

    \b
    Examples:
      officecli ledger balance
      officecli ledger balance assets liabilities --depth 2
      officecli ledger balance income expenses --begin 2026-11 --end 2026-12
    """
    from officecli.office import money
    from officecli.office.books import ledger as books

    office = app.office
    rows, total = books.balance_report(
        office, prefixes, depth, _day(begin, "--begin"), _day(end, "--end"), empty, flat
    )
    if app.fmt != "table":
        app.rows(
            [
                {
                    "id": r["account"],
                    "state": books.account_type(office, r["account"]),
                    "account": r["account"],
                    "depth": r["depth"],
                    "balance": money.text(r["balance"]),
                }
                for r in rows
            ],
            [("account", "account"), ("balance", "balance")],
        )
        return
    cur = office.config.currency
    amounts = [_amount(r["balance"], cur) for r in rows]
    total_text = _amount(total, cur)
    width = max([len(a) for a in amounts] + [len(total_text), 20])
    from officecli.terminal import attention  # a negative balance in red, on a terminal

    for r, a in zip(rows, amounts):
        click.echo(f"{attention(f'{a:>{width}}')}  {'  ' * r['indent']}{r['name']}")
    click.echo("-" * width)
    click.echo(attention(f"{total_text:>{width}}"))


@ledger.command("register")
@click.argument("prefixes", nargs=-1, metavar="[ACCOUNT-PREFIX]...")
@ledger_period
@click.option(
    "--historical",
    "-H",
    is_flag=True,
    help="Start the running balance from what the accounts held before --begin.",
)
@listing(all_flag=False)
@format_option
@pass_app
def register(app: App, prefixes, begin, end, historical):
    """Show every posting to the accounts with a running balance.

    ACCOUNT-PREFIX names accounts as in `ledger balance` (whole name
    components, anywhere, ignoring case). Without it every posting is shown
    (and the running total comes back to 0 after each transaction).

    \b
    Examples:
      officecli ledger register bank
      officecli ledger register Assets:Receivable --begin 2026-11 -H
      officecli ledger register expenses --format csv
    """
    from officecli.office.books import ledger as books

    office = app.office
    rows = books.register(office, prefixes, _day(begin, "--begin"), _day(end, "--end"), historical)
    app.rows(
        rows,
        [
            ("date", "DATE"),
            ("id", "TXN"),
            ("description", "DESCRIPTION"),
            ("account", "ACCOUNT"),
            ("amount", "AMOUNT"),
            ("balance", "BALANCE"),
            ("ref", "REF"),
        ],
    )


@ledger.command("accounts")
@listing(all_flag=False)
@format_option
@pass_app
def accounts(app: App):
    """List the chart of accounts (office.yaml) with each one's use and balance.

    CONTROL marks a control account (office.yaml control_accounts): the total
    of a subledger that only its commands post to ('ledger check' proves it);
    'ledger post' touches one only with --ref ID --control.

    \b
    Examples:
      officecli ledger accounts
      officecli ledger accounts --format ids
    """
    from officecli.office.books import ledger as books

    rows = books.accounts(app.office)
    if app.fmt == "table":
        rows = [{**r, "control": "control" if r["control"] else ""} for r in rows]
    app.rows(
        rows,
        [
            ("account", "ACCOUNT"),
            ("type", "TYPE"),
            ("control", "CONTROL"),
            ("postings", "POSTINGS"),
            ("balance", "BALANCE"),
        ],
    )


@ledger.command("check")
@format_option
@click.pass_context
@pass_app
def check(app: App, ctx):
    """Check the books; print one line per problem and exit 1 if there is any.

    Prints nothing when the books are fine; with --format json ``[]``, else one
    object per problem ({where, problem}).

    Checks that every transaction file parses, has two postings or more that
    sum to exactly 0, names accounts of office.yaml, has a real date and sits
    in its month's folder; that reversals reverse what they name, once; that
    refs name records that exist; that each invoice adds up, was booked for
    its gross and is open exactly while money is owed; and that invoice and
    credit-note numbers have no gaps.

    Then every subledger against its control account, one line per
    difference naming the records: the stock moves' value against
    Assets:Inventory (per source record, per product -- nothing on hand,
    no value -- and in total); invoices and credit notes against
    Assets:Receivable and Liabilities:VAT; bills against Liabilities:Payable
    and Assets:VATInput; payroll runs and payments against
    Expenses:Salaries and Liabilities:Payroll; and any line on a control
    account posted by hand without a source record.

    \b
    Examples:
      officecli ledger check && echo "books are fine"
    """
    from officecli.office.checks import books, seals
    from officecli.office.checks.doctor import CACHE_DISAGREES

    office = app.office
    files = office.read_files_only(check_fields=False)  # the files, never the cache
    problems = books.check(office)
    problems += [f"{rel}: {CACHE_DISAGREES}" for rel in files.disagree]
    problems += [str(p) for p in seals.check(office.store)]  # files changed after their period was closed
    if app.problems(problems, "in the books"):
        ctx.exit(1)


@ledger.command("export")
@click.option(
    "--to",
    "target",
    type=click.Choice(["hledger", "ledger", "beancount", "csv"]),
    required=True,
    help="hledger and ledger-cli journal, beancount file, or CSV (one row per posting).",
)
@ledger_period
@click.option(
    "--output",
    "-o",
    metavar="FILE",
    help="Write to this file instead of standard output (never inside the records folder, never through a link).",
)
@pass_app
def export(app: App, target, begin, end, output):
    """Export the books to a file that hledger, ledger-cli or beancount read as is.

    hledger and ledger share one journal format (account directives, then
    each transaction with its ID as the code and txn/ref tags). The beancount
    file opens every account of the chart, and ends with a balance assertion
    for each account, so `bean-check` itself proves the totals. Accounts whose
    names beancount cannot take are renamed (shown in a comment). --begin and
    --end pick transactions by date, without opening balances.

    \b
    Examples:
      officecli ledger export --to hledger > books.journal && hledger -f books.journal balance
      officecli ledger export --to beancount -o books.beancount && bean-check books.beancount
      officecli ledger export --to csv --begin 2026-11 --end 2026-12
    """
    from officecli.office.books import export as exporter

    office = app.office
    if output:
        from officecli.cli import outfile

        path = outfile.target(office.root, output)  # refused before the books are read
    text = exporter.export(office, target, _day(begin, "--begin"), _day(end, "--end"))
    if output:
        outfile.write(path, text.encode("utf-8"))
        app.say(f"wrote {output}")
    else:
        click.echo(text, nl=False)


from .trial import trial as _trial  # noqa: E402  (ledger trial: its own module, office/books/trial.py)

ledger.add_command(_trial)
