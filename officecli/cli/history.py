"""officecli history ID: a record's whole story from git and its history entries (office/sites/history.py)."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import format_option

COLUMNS = [
    ("at", "AT"),
    ("by", "BY"),
    ("site", "SITE"),
    ("commit", "COMMIT"),
    ("action", "ACTION"),
    ("where", "WHERE"),
    ("what", "WHAT"),
]


@click.command("history")
@click.argument("ident", metavar="ID")
@click.option(
    "--show-pay", is_flag=True, help="Show the amounts of a pay or payroll record's steps (HR only)."
)
@format_option
@pass_app
def history(app: App, ident, show_pay):
    """Show a record's whole story: every step, when, who, at which site, in which commit.

    ID is a full ID (ORD-A-0012), a product's SKU or a payroll month; an ID a
    record had before `officecli renumber` finds it, and an ID only git still
    knows shows a deleted record's story. The story joins the record's history
    entries with git's log of every file of that name in any folder (moves
    across folders, at any site, through merges; a renumber): each row is a
    history entry in the commit that first carried it, or a commit that changed
    the file without one (a hand edit, a merge), with the fields it changed.
    Keys a merge adds to an entry (overridden: ..., site: ...) are shown too.
    Outside git only the history entries are shown, with no commit. A pay or
    payroll record's notes show no amount without --show-pay.

    --format json prints one object per step: id, state (the record's now),
    at, by, site, commit, action, from, to, where, note, changed, and every
    other key of the history entry.

    \b
    Examples:
      officecli history ORD-A-0012
      officecli history CMP-B-0003 --format json
      officecli history INV-A-0005
    """
    from officecli.office.sites import history as story

    head, steps = story.steps(app.office, ident, show_pay)
    rows = [{"id": head["id"], "state": head["state"], **s} for s in steps]
    if app.fmt != "table":
        app.rows(rows)
        return
    for r in rows:
        bits = []
        if r.get("to"):
            bits.append(f"{r.get('from') or '-'} -> {r.get('to') or '-'}")
        if r.get("note"):
            bits.append(str(r["note"]))
        extra = {
            k: v
            for k, v in r.items()
            if k
            not in (
                "id",
                "state",
                "at",
                "by",
                "site",
                "commit",
                "action",
                "from",
                "to",
                "where",
                "note",
                "changed",
                "author",
            )
        }
        bits += [f"{k}: {v}" for k, v in extra.items()]
        if r.get("changed"):
            bits.append("changed " + ", ".join(r["changed"]))
        r["what"] = "; ".join(bits)
        r["commit"] = r.get("commit") or "(not committed)"
    names = head["names"]
    title = f"{head['id']}  {head['state']}" + (f"  {head['path']}" if head["path"] else "")
    if len(names) > 1:
        title += f"  (before: {', '.join(names[1:])})"
    click.echo(title)
    app.rows(rows, COLUMNS, empty="(no history)")
