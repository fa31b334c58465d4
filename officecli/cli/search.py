"""officecli search: find any record by a word (accents and case ignored)."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import format_option

COLUMNS = [("kind", "Kind"), ("id", "ID"), ("state", "State"), ("found", "Found"), ("path", "File")]


def _kinds():
    from officecli.office.front.search import searchable_kinds

    return searchable_kinds()


class _KindChoice(click.Choice):
    """The searchable kinds, read from workflows.yaml when first needed."""

    def __init__(self):
        super().__init__([])

    @property
    def choices(self):
        return _kinds()

    @choices.setter
    def choices(self, value):
        pass


@click.command()
@click.argument("text", nargs=-1, required=True)
@click.option(
    "--kind",
    "kind_names",
    multiple=True,
    type=_KindChoice(),
    help="Only records of this kind (repeatable): customer, order, complaint, invoice...",
)
@format_option
@pass_app
def search(app: App, text, kind_names):
    """Find every record holding all these words, accents and case ignored.

    Every field is searched (an order's lines too, and the name of the
    customer a record names), not the history. Greek is folded like any
    script: "μαρια" finds "ΜΑΡΊΑ", "παπαδοπουλος" finds "Παπαδόπουλος".
    Pay, leave and payroll (back/hr) are never searched.

    \b
    Examples:
      officecli search παπαδοπουλου
      officecli search λιμάνι --kind order --kind complaint
      officecli search MUG-AEG --format ids
    """
    from officecli.office.front import search as finder

    app.rows(finder.search(app.office, " ".join(text), kind_names or None), COLUMNS, empty="(nothing found)")
