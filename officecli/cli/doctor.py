"""officecli doctor: validate and recover the whole tree."""
from __future__ import annotations

import click

from .app import App, pass_app


@click.command()
@click.option("--repair", is_flag=True, help="Finish or undo interrupted transactions, sweep "
              "leftover temp files, tighten private folders. Never deletes or edits a record.")
@click.option("--quick", is_flag=True, help="Read again only the files changed since doctor last "
              "found them valid (by their stat, as git does); for cron every few minutes.")
@click.pass_context
@pass_app
def doctor(app: App, ctx, repair, quick):
    """Check every file of the records tree; exit 1 if anything is wrong.

    One line per problem, naming the file (and line, for YAML errors):
    unparsable YAML, git conflict markers, missing or mistyped fields, a file
    name that is not its ID, the same ID in two folders, folders and files no
    workflow knows, leftover temp files and interrupted transactions.

    Every file is read and parsed once; the books are checked from what was
    parsed. On a terminal a progress bar is drawn on stderr. --quick trusts a
    file whose size, times and inode are what they were when doctor last
    found it valid, and reads only the others.

    \b
    Examples:
      officecli doctor
      officecli doctor --quick            # from cron, every few minutes
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
        problems = checks.check(store, quick=quick, progress=_bar if _terminal() else None)
    for p in problems:
        click.echo(str(p))
    if problems:
        click.echo(f"officecli: {len(problems)} problem(s) in {root}", err=True)
        ctx.exit(1)
    from officecli.office.gitdoctor import site_line
    app.say(site_line(root, checks._raw(store)))
    app.say(f"{root}: all good")


def _terminal() -> bool:
    import sys
    return sys.stderr.isatty()


def _bar(total: int):
    """A progress bar on stderr over ``total`` files; returns the function doctor calls."""
    bar = click.progressbar(length=total, label="checking", file=click.get_text_stream("stderr"))
    bar.__enter__()
    done = [0]

    def step(n: int) -> None:
        bar.update(n)
        done[0] += n
        if done[0] >= total:
            bar.__exit__(None, None, None)
    return step
