"""Events that other parts of the office react to, inside the same transaction.

Subscribers are data: event name -> "module:function" strings, imported only
when the event fires, so a command loads only what it uses. A subscriber is
called as ``fn(office, **payload)`` while the change is open, so what it
writes (a ledger entry, say) is applied together with the event, or not at all.

Events and their payloads:

  stock.received   sku, qty (int), unit_cost (Decimal), move (MOV id), date, value (the move's)
  stock.adjusted   sku, qty (int, signed), unit_cost (Decimal), move, date, reason, value (signed)
  order.shipped    order (ORD id), lines: [{sku, qty, unit_cost, value}], date
  order.cancelled  order, state_before
"""

from __future__ import annotations

import importlib
from typing import Any

SUBSCRIBERS: dict[str, list[str]] = {
    # the books (office/books/postings.py): every event that moves value posts its entry
    "stock.received": ["officecli.office.books.postings:stock_received"],
    "stock.adjusted": ["officecli.office.books.postings:stock_adjusted"],
    "order.shipped": ["officecli.office.books.postings:order_shipped"],
}


def emit(office: Any, event: str, **payload: Any) -> None:
    for target in SUBSCRIBERS.get(event, []):
        module, _, name = target.partition(":")
        getattr(importlib.import_module(module), name)(office, **payload)
