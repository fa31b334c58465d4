"""officecli ledger trial: the trial balance (a subcommand of ledger, kept in its own module)."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import format_option, ledger_end

COLUMNS = [
    ("account", "Account"),
    ("opening_debit", "Opening Dr"),
    ("opening_credit", "Opening Cr"),
    ("debit", "Debit"),
    ("credit", "Credit"),
    ("closing_debit", "Closing Dr"),
    ("closing_credit", "Closing Cr"),
]


@click.command("trial")
@click.option(
    "--begin",
    "-b",
    metavar="DATE",
    help="From this day on (YYYY-MM-DD; YYYY-MM or YYYY mean their first day); what came "
    "before is the opening balance.",
)
@ledger_end
@click.pass_context
@format_option
@pass_app
def trial(app: App, ctx, begin, end):
    """Show the trial balance: per account, opening, movement and closing, in debit and credit columns.

    Opening is the balance from everything before --begin; the movement is
    the sum of the debits and, apart, of the credits dated in [--begin,
    --end); closing is opening + movement, the account's 'ledger balance
    --end END'. Each balance sits in the debit column when it is a debit
    (hledger's positive) and in the credit column otherwise. The last row
    is the total of every column: debits equal credits for opening, movement
    and closing (a difference, from a broken transaction file, is said on
    stderr and exits 1). --format json/yaml/csv give one row per account
    (with its type as state and its closing "balance") and the total row
    (id "total", state "total").

    \b
    Examples:
      officecli ledger trial
      officecli ledger trial --begin 2026-11 --end 2026-12
      officecli ledger trial --begin 2026 --end 2027 --format csv > trial-2026.csv
    """
    from officecli.office.books import ledger as books
    from officecli.office.books import trial as rules

    def day(value, what):
        return books.parse_period(value, what) if value is not None else None

    office = app.office
    rows, total = rules.trial(office, day(begin, "--begin"), day(end, "--end"))
    if app.fmt != "table":
        app.rows(rows + [total], [("id", "id"), ("state", "state"), *COLUMNS[1:], ("balance", "balance")])
    else:

        def blank(row):
            return {k: ("" if v == "0.00" else v) for k, v in row.items()}

        app.rows([blank(r) for r in rows] + [blank(dict(total, account="TOTAL"))], COLUMNS)
    problems = rules.balanced(total)
    if problems:
        app.warn(f"the trial balance does not balance: {'; '.join(problems)}; run 'officecli ledger check'")
        ctx.exit(1)
