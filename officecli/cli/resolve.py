"""officecli resolve: settle one record two sites took different ways (office/sites/resolve.py)."""

from __future__ import annotations

import click

from .app import App, pass_app


@click.command()
@click.argument("ident", metavar="ID")
@click.option(
    "--keep",
    "keep",
    metavar="STATE",
    help="The state to keep of the two the record "
    "reached (default: the rule of workflows.yaml conflict_rules).",
)
@pass_app
def resolve(app: App, ident, keep):
    """Settle one record that two sites took different ways, by rule or by --keep.

    After a merge one record may be in two folders (cancelled at one site,
    shipped at the other), or carry two takes of one step (two takes of a
    complaint, two invoices of one order), or be taken without an assignee.
    resolve keeps one file in the winning folder with both sides' history in
    time order, adds a history entry naming what was overridden, where and by
    whom, and undoes the losing step's side effects with the normal commands'
    code (goods back to stock with COGS reversed, the losing invoice credited),
    all in one transaction. The rule is workflows.yaml `conflict_rules`
    (e.g. shipped beats cancelled, reopened beats closed, of two takes the
    earlier wins); --keep chooses where no rule decides, or against it. In the
    middle of a merge the files are settled and staged: `git commit` ends it.
    Two different records sharing an ID are not settled here: use
    `officecli renumber`. `officecli doctor` names every record to settle.

    \b
    Examples:
      officecli resolve ORD-A-0012                    # by the rule
      officecli resolve ORD-A-0012 --keep cancelled   # the goods come back
      officecli resolve CMP-B-0003                    # two takes: the earlier wins
    """
    from officecli.office.sites import resolve as settle

    path, said = settle.settle(app.office, ident, keep)
    for line in said:
        app.say(line)
    app.say(f"{ident}: settled, now {path}")
