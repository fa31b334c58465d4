"""officecli sync: commit, fetch, merge, check and push this clone (for cron)."""

from __future__ import annotations

import click

from .app import App, pass_app


@click.command()
@click.option(
    "--remote",
    metavar="NAME",
    help="The remote to sync with (default: the branch's upstream remote, else origin, else the only one).",
)
@click.option("--no-push", is_flag=True, help="Fetch and merge, but do not push.")
@click.option(
    "--keep",
    is_flag=True,
    help="When records need a person, leave the merge "
    "uncommitted to settle in place (default: abort it, so this site keeps working).",
)
@click.option("-v", "--verbose", is_flag=True, help="Say what was done (silent when all is well).")
@click.pass_context
@pass_app
def sync(app: App, ctx, remote, no_push, keep, verbose):
    """Sync this clone with the other sites: commit, fetch, merge, check, push.

    Made for cron at every site. Refuses while git is in the middle of a merge
    or rebase. Commits a change a command left pending, fetches, merges the
    other sites' work (never a rebase) with the records merge driver settling
    each record both sides changed, then checks what the merge brought:
    conflict markers, a record in two folders, a history whose last step is
    not the record's folder, unsettled conflicts. When all is well it commits
    the merge, pushes, prints nothing and exits 0. When a person must decide,
    it aborts the merge (this site keeps working as it was; --keep leaves it
    uncommitted instead), prints one line per record (what each side did and
    how to settle it) and exits 1. A network or authentication failure is one
    line, exit 1, and nothing changed. A nested back/hr repository with its
    own remote is synced too.

    \b
    Examples:
      officecli sync
      officecli sync -v --remote origin
      */15 * * * * cd /srv/records && officecli sync     # crontab
    """
    from officecli.office.sites.sync import sync as run

    outcome = run(app.office, remote, push=not no_push, keep=keep)
    if verbose:
        for line in outcome.said:
            click.echo(line)
        if outcome.code == 0:
            click.echo(f"sync: {app.office.root} is in step with the other sites")
    for line in outcome.lines:
        click.echo(f"officecli: {' '.join(line.splitlines())}", err=True)
    if outcome.code:
        ctx.exit(outcome.code)
