"""officecli twice: answer for one record whose goods or money step two sites both took
(office/sites/twice.py)."""

from __future__ import annotations

import click

from .app import App, pass_app


@click.command()
@click.argument("ident", metavar="ID")
@click.option("--once", "once", flag_value=True, help="It happened once: undo the second site's step.")
@click.option("--both", "once", flag_value=False, help="It happened twice: both steps stand.")
@pass_app
def twice(app: App, ident, once):
    """Settle a step that moves goods or money two sites both took on one record.

    After a merge one order may carry two 'ship' entries (both sites shipped
    it) or one invoice two full payments. `sync` and `doctor` name it and ask
    what happened. --once: the goods left once (the second shipment's pieces
    come back at the cost they left with, its COGS reversed) or the money came
    once (the second payment reversed). --both: the goods left twice (both
    shipments stand) or the money came twice (the second payment becomes the
    customer's money on account, as 'customer pay'). Either way a 'twice'
    history entry says what was decided. The steps are workflows.yaml
    conflict_rules `twice`.

    \b
    Examples:
      officecli twice ORD-A-0012 --once
      officecli twice INV-A-0003 --both
    """
    from officecli.office.sites import twice as steps

    if once is None:
        raise click.UsageError("give --once or --both")
    with app.office.change():
        said = steps.settle(app.office, ident, once)
    for line in said:
        app.say(f"{ident}: {line}")
