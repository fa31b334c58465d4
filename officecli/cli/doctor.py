"""officecli doctor: validate and recover the whole tree."""
from __future__ import annotations

import click

from .app import App, pass_app
from .options import format_option


@click.command()
@click.option("--repair", is_flag=True, help="Finish or undo interrupted transactions, sweep "
              "leftover temp files, tighten private folders. Never deletes or edits a record.")
@format_option
@click.pass_context
@pass_app
def doctor(app: App, ctx, repair):
    """Check every file of the records tree; exit 1 if anything is wrong.

    Prints nothing when all is well (cron mails nothing); with --format json
    ``[]``, else one object per problem ({where, problem}).

    One line per problem, naming the file (and line, for YAML errors):
    unparsable YAML, git conflict markers, missing or mistyped fields, a file
    name that is not its ID, the same ID in two folders, folders and files no
    workflow knows, leftover temp files and interrupted transactions.

    \b
    Examples:
      officecli doctor
      officecli doctor --repair
    """
    from officecli.office import doctor as checks
    from officecli.store.root import find_root
    from officecli.store.tree import Store
    from officecli.office.workflows import PRIVATE

    root = find_root(app.root)
    store = Store(root, PRIVATE)
    if repair:
        done, problems = checks.repair(store)
        for line in done:
            app.say(f"repaired: {line}")
    else:
        problems = checks.check(store)
    if app.problems(problems, f"in {root}"):
        ctx.exit(1)
