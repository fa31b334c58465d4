"""officecli improvement: product improvements the back office makes because customers complained."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import each_id, format_option, listing, note_option, stdin_text

STATES = ("open", "accepted", "rejected", "done")


def _id_arg():
    return each_id("improvement", "ident")  # several IDs, or - for IDs on stdin


@click.group()
def improvement():
    """Decide on and release product improvements that came from complaints.

    An improvement is open (back/improvements/open), then accepted or
    rejected, and an accepted one is done when released; done tells every
    linked complaint, so the front office can tell those customers.

    \b
    Examples:
      officecli improvement list
      officecli improvement show 1
      officecli improvement decide 1 accept --note "Θα βγει με την παρτίδα Δεκεμβρίου"
      officecli improvement done 1 --note "Νέα συσκευασία από 1/12"
    """


def _row(imp, linked=None) -> dict:
    row = imp.as_row()
    row["path"] = imp.path
    listed = imp.get("complaints") or []
    row["count"] = len(linked) if linked is not None else len(listed)
    return row


@improvement.command("add")
@click.argument("title", nargs=-1, callback=stdin_text)
@click.option("--sku", help="The product it is about.")
@note_option
@format_option
@pass_app
def add(app: App, title, sku, note):
    """Open an improvement that no complaint asked for (yet); print its ID.

    Complaints usually open improvements: 'complaint resolve --improvement'.

    \b
    Examples:
      officecli improvement add "Λαβή που δεν καίει" --sku MUG-AEG
    """
    from officecli.office.back import improvements

    rec = improvements.add(app.office, " ".join(title), sku=sku, note=note)
    app.created(rec.id, f"opened: {rec.get('title')}")


@improvement.command("list")
@click.option(
    "--state",
    "states",
    multiple=True,
    type=click.Choice(STATES),
    help="Only these states (repeatable). Default: all.",
)
@listing("improvement")
@format_option
@pass_app
def list_(app: App, states):
    """List improvements with their state and how many complaints asked for each.

    \b
    Examples:
      officecli improvement list
      officecli improvement list --state open --format json
    """
    office = app.office
    rows = [_row(r) for r in sorted(office.records("improvement", states or None), key=lambda r: r.id)]
    app.rows(
        rows,
        columns=[
            ("id", "id"),
            ("state", "state"),
            ("title", "title"),
            ("sku", "sku"),
            ("count", "complaints"),
        ],
    )


@improvement.command("show")
@_id_arg()
@format_option
@pass_app
def show(app: App, ident):
    """Show an improvement with the complaints it came from and its history.

    \b
    Examples:
      officecli improvement show IMP-A-0001
      officecli improvement show 1 --format json
    """
    from officecli.office.back import improvements

    office = app.office
    imp = office.get("improvement", ident)
    linked = improvements.complaints_of(office, imp)
    row = _row(imp, linked)
    row["complaints"] = [c.id for c in linked]
    if app.fmt != "table":
        row["complaint_states"] = {c.id: c.state for c in linked}
        app.one(row)
        return
    app.one(
        row,
        [
            ("id", "id"),
            ("state", "state"),
            ("path", "file"),
            ("title", "title"),
            ("sku", "sku"),
            ("created", "opened"),
        ],
    )
    click.echo("Complaints:" + ("" if linked else " (none)"))
    for c in linked:
        text = " ".join(str(c.get("text", "")).split())
        click.echo(f"  {c.id}  {c.state:<8}  {c.get('customer', '')}  {text}")
    from .complaint import history_lines

    history_lines(office, imp.get("history"))


@improvement.command("decide")
@_id_arg()
@click.argument("decision", type=click.Choice(("accept", "reject")))
@note_option(help="Why (required to reject).")
@format_option
@pass_app
def decide(app: App, ident, decision, note):
    """Accept or reject an open improvement: will it sell?

    \b
    Examples:
      officecli improvement decide 1 accept --note "Φτηνό και ζητείται"
      officecli improvement decide 2 reject --note "Κοστίζει περισσότερο απ' όσο φέρνει"
    """
    from officecli.office.back import improvements

    before = app.office.get("improvement", ident)
    rec = improvements.decide(app.office, before.id, decision, note)
    app.created(rec.id, f"{rec.state}: {before.folder}/ -> {rec.folder}/")


@improvement.command("done")
@_id_arg()
@note_option(required=True, help="What was released (the complaints' history gets it).")
@format_option
@pass_app
def done(app: App, ident, note):
    """Mark an accepted improvement done (released); note it on every linked complaint.

    Each complaint it came from, archived ones too, gets a history entry
    'improvement-done', so the front office can tell those customers.

    \b
    Examples:
      officecli improvement done 1 --note "Νέα συσκευασία σε όλες τις αποστολές από 1/12"
    """
    from officecli.office.back import improvements

    before = app.office.get("improvement", ident)
    rec, told = improvements.done(app.office, before.id, note)
    app.created(rec.id, f"done: {before.folder}/ -> {rec.folder}/")
    for c in told:
        app.say(f"  noted on complaint {c.id} ({c.state}, customer {c.get('customer', '')})")
