"""officecli renumber OLD NEW: give a record a free ID of this site (office/sites/renumber.py)."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import format_option


@click.command("renumber")
@click.argument("old")
@click.argument("new", required=False)
@click.option(
    "--file",
    "file",
    metavar="PATH",
    default=None,
    help="Which file gets the new ID when two records share OLD (the path inside "
    "the records folder, or its folder).",
)
@format_option
@pass_app
def renumber(app: App, old, new, file):
    """Give record OLD the free ID NEW of this site, and every record naming it NEW.

    OLD is a full ID. NEW is a full ID of the same kind and of this site
    (ORD-B-0007), or just a number (7 -> ORD-B-0007 at site B); it must be free
    (no record has it, and no record had it before a renumber). Left out: this
    site's next ID of the kind.

    In one transaction: the file OLD.yaml becomes NEW.yaml in its folder, with
    `renumbered_from: [OLD]` and a history entry; every record that names OLD
    (an order's customer, a complaint's order, ...) names NEW, each with a
    history entry. Posted ledger entries, stock moves, issued invoices and
    credit notes are never edited: they keep naming OLD, and OLD keeps
    resolving to NEW (`show`, `order trace`, `ledger check`, `doctor`).

    When a clone forgot its site code, two different records may share one ID
    after a merge (doctor names it). A rule, the same at every site, says which
    copy is renumbered and by which site: the copy made at the ID's own site
    keeps it (else the one made first); the other gets the next ID of the site
    that made it, renumbered there (`officecli renumber OLD`, NEW left out).
    Elsewhere it is refused with one line naming that site, and once done a
    second `renumber OLD` says so and does nothing. The records that go with
    the renumbered copy are those git shows were made on its side of the merge. Invoices, credit notes, ledger entries, stock moves,
    employees and pay records are never renumbered.

    \b
    Examples:
      officecli renumber ORD-A-0012 ORD-B-0031
      officecli renumber ORD-A-0012 31 --file back/orders/inbox
      officecli renumber CUS-A-0006 CUS-B-0002 --format json
    """
    from officecli.office.sites import renumber as rn

    done = rn.renumber(app.office, old, new, file)
    if "said" in done:  # a collision renumbered already: nothing to do
        click.echo(done["said"])
        return
    if app.fmt != "table":
        app.rows([done])
        return
    click.echo(f"{done['id']}  renumbered from {done['old']} ({done['path']})")
    if done["updated"]:
        click.echo(f"names it now: {', '.join(done['updated'])}")
    if done["kept"]:
        click.echo(
            f"never edited, still name {done['old']} (followed to {done['id']}): {', '.join(done['kept'])}"
        )
    if done.get("staged"):
        click.echo("renumbered inside the merge and staged: 'git commit' concludes it")
