"""Options and argument types shared by many commands, defined once."""
from __future__ import annotations

import click

from officecli.render import FORMATS


def _set_format(ctx, param, value):
    if value:
        from .app import App
        ctx.find_object(App).fmt = value
    return value


format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default=None, expose_value=False,
    is_eager=True, callback=_set_format,
    help="Output format (also a global option): table, json, yaml, csv or ids.")

note_option = click.option("--note", default=None, help="A note for the record's history.")


def id_complete(kind_name: str):
    """Shell completion of a kind's IDs from the records folder (quietly nothing on error)."""
    def complete(ctx, param, incomplete):
        try:
            from officecli.office.core import Office
            root = ctx.find_root().params.get("root")
            office = Office.open(root, None)
            return [i for i in sorted(office.all_ids(kind_name)) if incomplete.upper() in i]
        except Exception:
            return []
    return complete


search_option = click.option(
    "--search", metavar="TEXT", default=None,
    help="Only records holding every word of TEXT in any field (the customer's name "
         "too), accents and case ignored.")
