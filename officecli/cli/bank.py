"""officecli bank import|list|statements|show|match|unmatch|reconcile: the bank's statements and the books."""

from __future__ import annotations

from pathlib import Path

import click

from .app import App, pass_app
from .options import date_option, dry_run_option, format_option, id_complete, listing, state_option

LIST_COLUMNS = [
    ("id", "ID"),
    ("state", "State"),
    ("date", "Date"),
    ("amount", "Amount"),
    ("counterparty", "Counterparty"),
    ("reference", "Reference"),
    ("text", "Text"),
    ("paid", "Paid"),
    ("rule", "Rule"),
]
SHOW_FIELDS = [
    ("id", "id"),
    ("state", "state"),
    ("statement", "statement"),
    ("account", "account"),
    ("date", "date"),
    ("value_date", "value date"),
    ("amount", "amount"),
    ("currency", "currency"),
    ("counterparty", "counterparty"),
    ("iban", "IBAN"),
    ("reference", "reference"),
    ("text", "text"),
    ("bank_ref", "bank's reference"),
    ("identity", "identity"),
    ("paid", "paid"),
    ("rule", "rule"),
    ("txns", "ledger entries"),
    ("history", "history"),
]
MATCH_COLUMNS = [
    ("id", "Line"),
    ("state", "State"),
    ("date", "Date"),
    ("amount", "Amount"),
    ("counterparty", "Counterparty"),
    ("note", "What"),
    ("candidates", "Candidates"),
]
STATEMENT_COLUMNS = [
    ("id", "ID"),
    ("account", "Account"),
    ("source", "File"),
    ("bank_id", "Bank's ID"),
    ("from", "From"),
    ("date", "To"),
    ("opening", "Opening"),
    ("closing", "Closing"),
    ("lines", "Lines"),
    ("new", "New"),
]
RECONCILE_COLUMNS = [
    ("state", "What"),
    ("id", "Ref"),
    ("date", "Date"),
    ("amount", "Amount"),
    ("note", "Note"),
]

line_arg = click.argument("line", metavar="LINE", shell_complete=id_complete("bank_line"))


@click.group()
def bank():
    """Read bank statements, match their lines to invoices and bills, reconcile.

    \b
    Examples:
      officecli bank import eurobank-2026-11.xml --account Assets:Bank
      officecli bank match
      officecli bank match 7 --to INV-A-0003
      officecli bank reconcile --date 2026-11-30
    """


def _said(app: App, results, dry_run: bool) -> None:
    for r in results:
        what = "would add" if dry_run else "added"
        known = f", {r.known} already imported" if r.known else ""
        again = " (statement already imported)" if r.repeated else ""
        ident = r.statement or "(dry run)"
        line = f"{r.source}: statement {r.bank_id or '-'} of {r.account}: {r.lines} line(s), {what} {len(r.new)}{known}{again}"
        if dry_run:
            app.say(line)
        elif r.new or not app.quiet:
            app.created(ident, line)


@bank.command("import")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--account",
    metavar="ACCOUNT",
    help="The ledger account of this bank account (default: the rules file's, else the "
    "account of an earlier statement of the same IBAN, else Assets:Bank).",
)
@click.option(
    "--rules",
    "rules",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The rules file of a CSV export (default: FILE.rules beside it, else bank.rules in its folder).",
)
@click.option(
    "--from",
    "drop",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Import every file of this drop folder, oldest name first; each imported one "
    "moves to DIR/done/ (for cron).",
)
@dry_run_option
@format_option
@pass_app
def import_cmd(app: App, file, account, rules, drop, dry_run):
    """Import a bank statement: CAMT.053 (XML), MT940, or CSV with a rules file.

    Each statement line becomes a bank line in back/bank/unmatched/; a line
    already imported (by the bank's own reference, else by its fields and its
    place among equal lines of that day) is skipped, so a file imported twice,
    or two overlapping statements, add nothing twice. The opening balance plus
    the lines must make the closing balance, and the account's statements must
    follow on from each other: otherwise one line names both statements and
    nothing is imported. docs/BANK.md says how, and what a CSV rules file holds.

    With --from DIR (cron), each file of DIR is imported in turn and moved to
    DIR/done/; a refused file stays and the command exits 1 after the others.
    Nothing is printed when nothing is new.

    \b
    Examples:
      officecli bank import statement-2026-11.xml
      officecli bank import MT940_20261130.sta --account Assets:Bank:Piraeus
      officecli bank import export.csv --rules eurobank.rules --dry-run
      officecli -q bank import --from /srv/bank/inbox
    """
    from officecli.office.bank import importing
    from officecli.store.errors import UserError

    if (file is None) == (drop is None):
        raise click.UsageError("give FILE or --from DIR (one of them)")
    if file is not None:
        _said(app, importing.import_file(app.office, file, account, rules, dry_run), dry_run)
        return
    failed = 0
    for path in sorted(p for p in drop.iterdir() if p.is_file() and not p.name.endswith(".rules")):
        try:
            results = importing.import_file(app.office, path, account, rules, dry_run)
        except UserError as exc:
            failed += 1
            app.echo(str(exc))
            continue
        _said(app, results, dry_run)
        if not dry_run:
            (drop / "done").mkdir(exist_ok=True)
            path.replace(drop / "done" / path.name)
    if failed:
        app.warn(f"{failed} file(s) of {drop} refused; they stay there")
        raise click.exceptions.Exit(1)


@bank.command("list")
@state_option(["unmatched", "matched"], "bank lines")
@click.option("--account", metavar="ACCOUNT", help="Only the lines of this bank account.")
@listing("bank_line")
@format_option
@pass_app
def list_cmd(app: App, state, account):
    """List bank lines (money in is positive, money out negative).

    \b
    Examples:
      officecli bank list --state unmatched
      officecli bank list --format csv
    """
    from officecli.office.bank import importing

    rows = [r.as_row() for r in importing.lines_of(app.office, [state] if state else None, account)]
    rows.sort(key=lambda r: (str(r.get("date")), r["id"]))
    app.rows(rows, LIST_COLUMNS)


@bank.command("statements")
@click.option("--account", metavar="ACCOUNT", help="Only the statements of this bank account.")
@listing("bank_statement")
@format_option
@pass_app
def statements_cmd(app: App, account):
    """List the imported statements: account, file, period, balances, lines.

    \b
    Examples:
      officecli bank statements
      officecli bank statements --account Assets:Bank --format csv
    """
    rows = [
        s.as_row() for s in app.office.records("bank_statement") if not account or s.get("account") == account
    ]
    rows.sort(key=lambda r: (str(r.get("account")), str(r.get("date")), r["id"]))
    app.rows(rows, STATEMENT_COLUMNS)


@bank.command("show")
@line_arg
@format_option
@pass_app
def show_cmd(app: App, line):
    """Show one bank line: where it came from, what it paid, its history.

    \b
    Examples:
      officecli bank show 7
    """
    app.one(app.office.get("bank_line", line).as_row(), SHOW_FIELDS)


@bank.command("match")
@click.argument("line", metavar="[LINE]", required=False, shell_complete=id_complete("bank_line"))
@click.option(
    "--to",
    "targets",
    multiple=True,
    metavar="ID|ACCOUNT",
    help="With LINE: the invoice(s) or bill(s) it pays, in order (repeatable), or one account.",
)
@click.option("--account", metavar="ACCOUNT", help="Only the lines of this bank account.")
@dry_run_option
@format_option
@pass_app
def match_cmd(app: App, line, targets, account, dry_run):
    """Match unmatched bank lines by rule, or one LINE by hand (--to).

    The rules, in order: the invoice's RF reference or ID (the bill's ID or
    the supplier's number) in the line's text; the counterparty's IBAN on a
    customer or supplier with the amount of exactly one open invoice or bill,
    or of one set of them; bank-rules.yaml (a regular expression on the
    counterparty or text -> an account). Each match posts the payment as
    `invoice pay` / `bill pay` do (or a ledger entry, for a rule) and moves
    the line to back/bank/matched/YYYY/MM/, in one change.

    A line no rule settles is printed with the reason and its candidates, and
    the command exits 1 (a person must decide): `bank match LINE --to ID`.
    Nothing is printed when there is nothing to match.

    \b
    Examples:
      officecli bank match --dry-run
      officecli bank match
      officecli bank match 12 --to INV-A-0003 --to INV-A-0005
      officecli bank match 13 --to Expenses:Other
    """
    from officecli.office.bank import matching

    office = app.office
    if line is not None:
        if not targets:
            raise click.UsageError("LINE needs --to INV-…|BIL-…|ACCOUNT")
        rec = matching.by_hand(office, line, list(targets))
        app.created(rec, f"matched: {', '.join(rec.get('paid') or [rec.get('rule') or ''])}")
        return
    if targets:
        raise click.UsageError("--to needs LINE")
    done, left = matching.match_all(office, dry_run, account)
    rows = []
    for m in done:
        rows.append(_row(m.line, "would match" if dry_run else "matched", m.says(), []))
    for lf in left:
        rows.append(_row(lf.line, "for a person", lf.why, lf.candidates))
    if app.fmt != "table" or (rows and (left or not app.quiet)):
        # with -q, only the lines a person must decide on (cron mails them)
        shown = rows if not app.quiet else [r for r in rows if r["state"] == "for a person"]
        app.quiet = False
        app.rows(shown, MATCH_COLUMNS)
    if left:
        app.warn(f"{len(left)} bank line(s) need a person: 'officecli bank match LINE --to ID'")
        raise click.exceptions.Exit(1)


def _row(line, state: str, note: str, candidates: list[str]) -> dict:
    return {
        "id": line.id,
        "state": state,
        "date": line.get("date"),
        "amount": line.get("amount"),
        "counterparty": line.get("counterparty"),
        "note": note,
        "candidates": ", ".join(candidates),
    }


@bank.command("unmatch")
@line_arg
@date_option("The day of the reversing entries (default: the day of each entry reversed).")
@format_option
@pass_app
def unmatch_cmd(app: App, line, when):
    """Undo a match: reverse its entries, reopen what it paid, line back to unmatched.

    \b
    Examples:
      officecli bank unmatch 12
    """
    from officecli.office.bank import matching

    rec = matching.unmatch(app.office, line, when)
    app.created(rec, "unmatched")


@bank.command("reconcile")
@click.option(
    "--account", metavar="ACCOUNT", help="The bank account (default: the only one with statements)."
)
@date_option("The last statement on or before this day (default: the last one).")
@format_option
@pass_app
def reconcile_cmd(app: App, account, when):
    """Put the statement's closing balance beside the books, and explain the difference.

    Every line of the difference is named: bank lines not yet matched (in the
    bank, not the books), entries on the account no bank line shows (in the
    books, not the bank), and the books before the first statement against its
    opening balance. Exit 1 when bank and books differ.

    \b
    Examples:
      officecli bank reconcile
      officecli bank reconcile --account Assets:Bank:Eurobank --date 2026-11-30
    """
    from officecli.office.bank import reconciliation

    office = app.office
    rec = reconciliation.reconcile(office, account, when)
    app.rows(reconciliation.rows(rec, office.config.currency), RECONCILE_COLUMNS)
    if rec.difference:
        raise click.exceptions.Exit(1)
