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


def id_complete(kind_name: str, accepts=None):
    """Shell completion of a kind's IDs from the records folder (quietly nothing on error).

    ``accepts``: a handoff verb (its ``from`` states in workflows.yaml) or a tuple of
    states: only IDs of records in those states are offered (``order forward``: open)."""
    def complete(ctx, param, incomplete):
        try:
            office = _office(ctx)
            states = accepts
            if isinstance(accepts, str):
                states = office.kind(kind_name).handoffs[accepts].sources
            return [i for i, (st, _) in sorted(office.all_ids(kind_name).items())
                    if incomplete.upper() in i and (states is None or st in states)]
        except Exception:
            return []
    return complete


def _office(ctx):
    from officecli.office.core import Office
    return Office.open(ctx.find_root().params.get("root"), None)


def _quiet(values):
    """A completer from ``values(office, incomplete)``: nothing on any error."""
    def complete(ctx, param, incomplete):
        try:
            return values(_office(ctx), incomplete)
        except Exception:
            return []
    return complete


def _starts(items, incomplete: str) -> list[str]:
    from officecli.office.search import fold
    want = fold(incomplete)
    return sorted({str(i) for i in items if fold(i).startswith(want)})


def _skus(office) -> list[str]:
    return list(office.all_ids("product"))


def _items(office, incomplete):
    """SKU:QTY: the SKU part (offered as 'SKU:'), then after 'SKU:' a quantity."""
    sku, sep, qty = incomplete.rpartition(":")
    if sep and sku.upper() in {s.upper() for s in _skus(office)}:
        return [f"{sku}:{qty or 1}"]
    return [f"{s}:" for s in _starts(_skus(office), incomplete)]


def _employees(office, incomplete):
    from click.shell_completion import CompletionItem
    from officecli.office.search import fold
    want = fold(incomplete)
    out = []
    for rec in sorted(office.records("employee"), key=lambda r: r.id):
        name = str(rec.get("name") or "")
        if want.upper() in rec.id.casefold().upper():
            out.append(CompletionItem(rec.id, help=name))
        elif want and fold(name).startswith(want):
            out.append(CompletionItem(name, help=rec.id))
    return out


def _tags(office, incomplete):
    return _starts({t for c in office.records("customer") for t in (c.get("tags") or [])}, incomplete)


def _departments(office, incomplete):
    found = office.config.raw.get("departments") or {}
    return _starts({d for ds in found.values() for d in (ds or [])}, incomplete)


def _accounts(office, incomplete):
    return _starts(office.config.raw.get("accounts") or {}, incomplete)


def _months(office, incomplete):
    """Payroll months: those run already and this month and the last two."""
    today = office.today()
    recent = []
    y, m = today.year, today.month
    for _ in range(3):
        recent.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    try:
        done = list(office.all_ids("payroll"))
    except Exception:       # back/hr unreadable: only the recent months
        done = []
    return [m for m in sorted(set(done) | set(recent), reverse=True) if m.startswith(incomplete)]


sku_complete = _quiet(lambda office, inc: _starts(_skus(office), inc))
item_complete = _quiet(_items)
employee_complete = _quiet(_employees)
tag_complete = _quiet(_tags)
department_complete = _quiet(_departments)
account_complete = _quiet(_accounts)
month_complete = _quiet(_months)


search_option = click.option(
    "--search", metavar="TEXT", default=None,
    help="Only records holding every word of TEXT in any field (the customer's name "
         "too), accents and case ignored.")
