"""officecli doctor: validate and recover the whole tree."""
from __future__ import annotations

import click

from .app import App, pass_app


@click.command()
@click.option("--repair", is_flag=True, help="Finish or undo interrupted transactions, sweep "
              "leftover temp files, tighten private folders. Never deletes or edits a record.")
@click.pass_context
@pass_app
def doctor(app: App, ctx, repair):
    """Check every file of the records tree; exit 1 if anything is wrong.

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
            click.echo(f"repaired: {line}")
    else:
        problems = checks.check(store)
    for p in problems:
        click.echo(str(p))
    if problems:
        fixable = sum(1 for p in problems if getattr(p, "fixable", False))
        hint = (f"; {fixable} of them are fixed by 'officecli doctor --repair' (file modes, leftover "
                "temp files, the cache)") if fixable and not repair else ""   # e.g. a fresh clone
        click.echo(f"officecli: {len(problems)} problem(s) in {root}{hint}", err=True)
        ctx.exit(1)
    from officecli.office.gitdoctor import site_line
    app.say(site_line(root, checks._raw(store)))
    app.say(f"{root}: all good")
