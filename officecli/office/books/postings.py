"""The ledger side of events: every event that moves value posts its entry.

These are the subscribers of office/events.py. Each runs inside the change
that emitted the event, so the entry is written together with the stock move
or the shipment, or not at all. Each entry's ``ref`` is its source record (the
stock move or the order), so ``order trace`` and ``ledger register`` find it.

  stock.received  Assets:Inventory           / Liabilities:GRNI      qty x unit_cost
  stock.adjusted  Assets:Inventory (+/-)     / Expenses:StockAdjustments
  order.shipped   Expenses:COGS              / Assets:Inventory      qty x unit_cost per line

A receipt without a purchase order owes no one yet: it waits in Liabilities:GRNI
(goods received, not invoiced) under the move's ID until a bill names it
(``bill add --receipt MOV``), which `ledger check` proves (checks/reconcile.py).

Each posts exactly the ``value`` of the stock moves it comes with (the
event's ``value``, or each shipped line's; office/back/stock.py says how a move
is valued), so Assets:Inventory stays equal to the value of the stock to
the cent. An event without a value (from older callers) is worth qty x
unit_cost, rounded half-up to the cent per line; an event worth nothing
posts nothing.
"""

from __future__ import annotations

from decimal import Decimal

from officecli.office import money
from officecli.office.accounts import ADJUSTMENTS, COGS, GRNI, INVENTORY
from officecli.office.books import ledger


def _value(qty, unit_cost, value=None) -> Decimal:
    if value is not None:
        return money.q(abs(Decimal(str(value)))) * (1 if int(qty) >= 0 else -1)
    if unit_cost in (None, ""):
        return Decimal("0.00")
    return money.q(Decimal(int(qty)) * Decimal(str(unit_cost)))


def _date(office, date):
    return date if date else office.today()


def stock_received(office, sku, qty, unit_cost=None, move=None, date=None, value=None, **_) -> None:
    value = _value(qty, unit_cost, value)
    if value == 0:
        return
    ledger.post(
        office,
        _date(office, date),
        f"Stock received: {qty} x {sku}",
        [(INVENTORY, value), (GRNI, -value)],
        ref=move,
        kind="stock",
    )


def stock_adjusted(
    office, sku, qty, unit_cost=None, move=None, date=None, reason=None, value=None, **_
) -> None:
    value = _value(qty, unit_cost, value)
    if value == 0:
        return
    why = f" ({reason})" if reason else ""
    ledger.post(
        office,
        _date(office, date),
        f"Stock adjusted: {int(qty):+d} x {sku}{why}",
        [(INVENTORY, value), (ADJUSTMENTS, -value)],
        ref=move,
        kind="stock",
    )


def order_shipped(office, order, lines=(), date=None, **_) -> None:
    value = money.q(
        sum(
            (_value(line.get("qty", 0), line.get("unit_cost"), line.get("value")) for line in lines or ()),
            Decimal("0"),
        )
    )
    if value == 0:
        return
    ledger.post(
        office,
        _date(office, date),
        f"Cost of goods shipped for order {order}",
        [(COGS, value), (INVENTORY, -value)],
        ref=order,
        kind="cogs",
    )
