"""officecli audit numbering: prove the invoice series from git (office/sites/audit.py)."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import format_option


@click.group()
def audit():
    """Prove from the records' git history what an accountant must show.

    \b
    Examples:
      officecli audit numbering
      officecli audit numbering --series B
    """


@audit.command("numbering")
@click.option("--series", metavar="S", default=None, help="Only this series (INV-S-… and CRN-S-…).")
@format_option
@pass_app
def numbering(app: App, series):
    """Prove every invoice and credit-note series gapless, in date order, never reused.

    Walks the whole git history of back/invoices/ (and archive/), deleted and
    moved files included, in one `git log` pass, plus today's files. Per
    series (INV and CRN each) it names the first number used for two different
    records (reused), the first number missing or deleted (gap) and the first
    number dated before a lower one (disorder), each with the commits
    involved, one line each, and exits 1 (for cron). All well: one summary
    line, exit 0. Outside git only today's files are checked.

    --format json prints the problems (id, state: reused|gap|disorder,
    series, problem, commits); nothing when all is well.

    \b
    Examples:
      officecli audit numbering
      officecli audit numbering --series A
      0 6 * * * officecli audit numbering || mail -s "invoice numbering" accounts@example.gr
    """
    from officecli.office.books.invoices import check_series
    from officecli.office.sites import audit as proof

    office = app.office
    problems, summary = proof.audit(office, check_series(series) if series is not None else None)
    if app.fmt != "table":
        if problems:
            app.rows(problems)
    elif problems:
        for p in problems:
            click.echo(p["problem"])
    else:
        where = (
            f"{summary['commits']} commits and today's files"
            if summary["git"]
            else "today's files only (not in git)"
        )
        click.echo(
            f"audit numbering: {summary['invoices']} invoices and {summary['credit_notes']} "
            f"credit notes in {summary['series']} series: gapless, in date order, never "
            f"reused ({where})"
        )
    if problems:
        raise click.exceptions.Exit(1)
