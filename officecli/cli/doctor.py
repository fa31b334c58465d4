"""officecli doctor: validate and recover the whole tree."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import format_option


@click.command()
@click.option(
    "--repair",
    is_flag=True,
    help="Finish or undo interrupted transactions, sweep "
    "leftover temp files, tighten private folders. Never deletes or edits a record.",
)
@click.option(
    "--quick",
    is_flag=True,
    help="Skip every folder not changed since doctor last found it clean "
    "(by its digest: the stat of each of its files, as git does); for cron every few minutes.",
)
@format_option
@click.pass_context
@pass_app
def doctor(app: App, ctx, repair, quick):
    """Check every file of the records tree; exit 1 if anything is wrong.

    Prints nothing when all is well (cron mails nothing); with --format json
    ``[]``, else one object per problem ({where, problem}).

    One line per problem, naming the file (and line, for YAML errors):
    unparsable YAML, git conflict markers, missing or mistyped fields, a file
    name that is not its ID, the same ID in two folders, folders and files no
    workflow knows, leftover temp files and interrupted transactions.

    Every file is read and parsed once; the books and the checks across
    records run on the facts gathered folder by folder (each record's fields
    in a compact form, the IDs and references): a folder's text and parse are
    dropped as soon as it is checked. On a terminal a progress bar is drawn
    on stderr.

    --quick trusts a folder whose digest is what it was when doctor last
    found nothing wrong in it: the digest covers the folder's mode and, for
    every name in it, that name, its mode, size, mtime, ctime and inode
    (lstat). Any change to a file's bytes sets its ctime to now, and no call
    sets a ctime back, so an edit in place with the same size and the mtime
    put back is seen too; only a clock set back by root could hide one. Such
    a folder is not read: its facts, kept in .officecli/cache/ (private,
    never committed, rebuilt when damaged or foreign), stand for it. Every
    other folder is checked from its files; the books and the checks across
    records run in full, as without --quick.

    \b
    Examples:
      officecli doctor
      officecli doctor --quick            # from cron, every few minutes
      officecli doctor --repair
    """
    from officecli.office.checks import doctor as checks
    from officecli.office.workflows import PRIVATE
    from officecli.store.root import find_root
    from officecli.store.tree import Store

    root = find_root(app.root)
    store = Store(root, PRIVATE)
    if repair:
        done, problems = checks.repair(store)
        for line in done:
            app.say(f"repaired: {line}")
    else:
        problems = checks.check(store, quick=quick, progress=_bar if _terminal() else None)
    fixable = sum(1 for p in problems if getattr(p, "fixable", False))
    hint = (
        (
            f"; {fixable} of them are fixed by 'officecli doctor --repair' (file modes, leftover "
            "temp files, the cache)"
        )
        if fixable and not repair
        else ""
    )  # e.g. a fresh clone
    if app.problems(problems, f"in {root}{hint}"):
        ctx.exit(1)


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
