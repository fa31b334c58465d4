"""Stock: append-only moves, one file each under back/stock/YYYY/MM/ (MOV-...).

* on hand   = the sum of a SKU's moves (receipts +, shipments and write-offs -)
* reserved  = the quantities on orders forwarded to the back office (state
              ``inbox``) and not yet shipped
* available = on hand - reserved

The value of the stock is computed from the moves, never stored as a running
figure (two sites receiving the same product must not both rewrite one):

* every move carries its own ``value``, signed like its ``qty``: what the
  pieces it brought in cost, or what the pieces it took out took with them
  (a move written before ``value`` existed is worth qty x unit_cost, which
  is what its entry posted);
* the moves of a SKU are taken in time order (``at`` parsed with its UTC
  offset, then the move's ID), whichever site wrote them; the value on hand
  is the sum of their values, the pieces on hand the sum of their ``qty``;
* a receipt (or a customer's return, or a purchase receipt) of q pieces at
  c is worth q x c, rounded half-up to the cent;
* a move out of q pieces (shipment, adjustment down) is worth the value on
  hand x q / pieces on hand, rounded half-up to the cent -- and when it
  takes the last pieces, exactly the value that is left. So zero pieces
  means zero value, and the entry each move posts (Inventory +/- the move's
  value, in the same transaction) keeps Assets:Inventory equal to the value
  of the stock to the cent, after any sequence of moves: nothing to write
  off later, nothing drifts;
* the average unit cost is value on hand / pieces on hand at full Decimal
  precision (``costs``); with nothing on hand it stays what it last was
  (at first: the product's ``cost`` field, the starting cost that
  ``product add --cost`` sets), and is what an adjustment up or a receipt
  without ``--cost`` takes in at, rounded to the cent. A move's
  ``unit_cost`` is its value / qty rounded, for people to read.

``write_move`` is the one place a stock move is written; it refuses a move
dated inside a closed period (office/periods.py). ``stock receive`` writes
the move and nothing else: the product file is not touched.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone
from decimal import Decimal

from officecli.office import clock, money, periods
from officecli.office.back import products
from officecli.office.records import Record
from officecli.store.errors import UserError

RECEIVE, SHIP, ADJUST = "receive", "ship", "adjust"
RETURN = "return"  # a customer's return, back in at the cost it left with
INCOMING = (RECEIVE, RETURN)  # moves that bring stock in at their own unit cost


def moves(office, sku: str | None = None, ref: str | None = None) -> list[Record]:
    out = office.records("stock_move")
    if sku is not None:
        out = [m for m in out if m.get("sku") == sku]
    if ref is not None:
        out = [m for m in out if m.get("ref") == ref]
    return sorted(out, key=_when)


def on_hand_all(office) -> dict[str, int]:
    from officecli.office import summaries  # the per-month sums in the cache, when they may be used

    if summaries.usable(office):
        out: dict[str, int] = {}
        for month in _month_lines(office):
            for _, _, sku, qty, _ in month:
                out[sku] = out.get(sku, 0) + qty
        return out
    totals: dict[str, int] = defaultdict(int)
    for m in office.records("stock_move"):
        qty = m.get("qty")
        if isinstance(qty, int) and not isinstance(qty, bool):
            totals[str(m.get("sku"))] += qty
    return dict(totals)


def on_hand(office, sku: str) -> int:
    return on_hand_all(office).get(sku, 0)


def reserved_all(office, exclude: str | None = None) -> dict[str, int]:
    """Pieces per SKU on forwarded, unshipped orders (state inbox)."""
    totals: dict[str, int] = defaultdict(int)
    for order in office.records("order", ["inbox"]):
        if order.id == exclude:
            continue
        for line in order.get("lines") or []:
            if isinstance(line, dict) and isinstance(line.get("qty"), int):
                totals[str(line.get("sku"))] += line["qty"]
    return dict(totals)


def reserved(office, sku: str) -> int:
    return reserved_all(office).get(sku, 0)


def available(office, sku: str) -> int:
    return on_hand(office, sku) - reserved(office, sku)


_EPOCH = datetime.min.replace(tzinfo=timezone.utc)


def _when(move: Record) -> tuple:
    """Sort key: the move's instant (as seconds since the epoch, so +02:00 and +03:00
    compare as instants, and fast), then its ID."""
    at = move.data.get("at")
    try:
        instant = datetime.fromisoformat(at) if isinstance(at, str) else None
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:  # doctor names a bad time; use the date
        day = str(move.data.get("date") or "")
        instant = datetime.fromisoformat(day).replace(tzinfo=timezone.utc) if clock.is_date(day) else _EPOCH
    return instant.timestamp(), move.id


def _starting_cost(product: Record) -> Decimal | None:
    cost = product.get("cost")
    return (
        money.parse_cost(cost, f"product {product.id} ({product.path}): cost") if cost is not None else None
    )


def move_value(move: Record) -> Decimal:
    """A move's value, signed like its qty (``value``, else qty x unit_cost)."""
    data = move.data
    where = f"stock move {move.id} ({move.path})"
    if data.get("value") is not None:
        return money.parse(data.get("value"), f"{where}: value")
    qty = data.get("qty")
    unit = money.parse_cost(data.get("unit_cost") or "0", f"{where}: unit_cost")
    return money.q(int(qty) * unit)


def book(office, sku: str | None = None) -> dict[str, dict]:
    """Per SKU, from its moves in time order: ``on_hand`` (pieces), ``value`` (Decimal,
    the sum of the moves' values) and ``cost`` (the average unit cost at full
    precision; None for a product with neither a starting cost nor a receipt)."""
    start = {
        p.id: _starting_cost(p)
        for p in ([products.lookup(office, sku)] if sku is not None else products.listing(office))
    }
    out = {k: {"on_hand": 0, "value": money.ZERO, "cost": c} for k, c in start.items()}
    from officecli.office import summaries  # every move's (when, sku, qty, value), per month in the cache

    if sku is None and summaries.usable(office):
        moves = [m for month in _month_lines(office) for m in month]
    else:
        moves = _book_lines([m for m in office.records("stock_move") if m.get("sku") in start])
    for _, _, name, qty, value in sorted(moves):
        row = out.get(name)
        if row is None:
            continue
        row["on_hand"] += qty
        row["value"] += Decimal(value)
        if row["on_hand"] > 0:
            row["cost"] = row["value"] / row["on_hand"]
    return out


def _book_lines(moves: list[Record]) -> list[tuple]:
    """(instant, id, sku, qty, value as text) of each move with a whole qty: what
    ``book`` adds up (a summary of a stock month folder keeps these)."""
    out = []
    for m in moves:
        qty = m.data.get("qty")
        if not isinstance(qty, int) or isinstance(qty, bool):
            continue
        if qty > 0 and m.data.get("reason") in INCOMING:  # refuse a damaged receipt cost
            money.parse_cost(m.data.get("unit_cost"), f"stock move {m.id} ({m.path}): unit_cost")
        out.append((*_when(m), str(m.data.get("sku")), qty, str(move_value(m))))
    return out


def _month_lines(office) -> list[list[tuple]]:
    """Per stock month folder, ``_book_lines`` of its moves, from the cache's summaries."""
    from officecli.office import summaries

    return summaries.per_folder(office, "stock_move", "stock", _book_lines)


def costs(office, sku: str | None = None) -> dict[str, Decimal | None]:
    """The average unit cost per SKU, full precision, computed from the moves
    (None for a product with neither a starting cost nor a receipt)."""
    return {k: v["cost"] for k, v in book(office, sku).items()}


def exact_cost(office, sku: str) -> Decimal | None:
    """The product's average unit cost at full precision (None when it has none yet)."""
    product = products.lookup(office, sku)
    return costs(office, product.id)[product.id]


def average_cost(office, sku: str) -> Decimal:
    """The average rounded half-up to the cent (0.00 when the product has no cost yet):
    what an adjustment up or a receipt without --cost brings pieces in at."""
    exact = exact_cost(office, sku)
    return money.q(exact) if exact is not None else money.ZERO


def out_value(office, sku: str, qty: int) -> Decimal:
    """What ``qty`` pieces leaving take with them (> 0): value on hand x qty / on hand,
    rounded half-up, and exactly the value left when they are the last pieces."""
    row = book(office, sku)[products.lookup(office, sku).id]
    have, value = row["on_hand"], row["value"]
    if have <= 0:
        return money.q(qty * (row["cost"] or money.ZERO))
    if qty >= have:
        return value
    return money.q(value * qty / have)


def parse_qty(text, what: str = "QTY", signed: bool = False) -> int:
    """A whole number of pieces: > 0, or (signed) any non-zero +N / -N."""
    s = str(text).strip()
    body = s[1:] if signed and s[:1] in "+-" else s
    if not (body.isascii() and body.isdigit()) or len(body) > 9:
        raise UserError(
            f"{what} {text!r}: not a whole number of pieces" + (" (e.g. -2 or +5)" if signed else "")
        )
    n = int(body) * (-1 if s.startswith("-") else 1)
    if n == 0 or (n < 0 and not signed):
        raise UserError(
            f"{what} {text!r}: must be more than 0" if not signed else f"{what} {text!r}: must not be 0"
        )
    return n


def write_move(
    office,
    sku: str,
    qty: int,
    reason: str,
    unit_cost: Decimal | None = None,
    ref: str | None = None,
    note: str | None = None,
) -> Record:
    """One stock move file (inside an open office.change()), today.

    A move in (qty > 0) is worth qty x ``unit_cost``; a move out (qty < 0) is worth
    what ``out_value`` says, whatever ``unit_cost`` is given. The move carries its
    value; the caller posts exactly that value to Assets:Inventory."""
    day = office.today()
    periods.guard(office, day, f"stock move of {sku}")
    if qty < 0:
        value = -out_value(office, sku, -qty)
        unit = money.q(value / qty)
    else:  # a unit cost to 4 decimals (3.333); the move's value to the cent
        unit = Decimal(unit_cost if unit_cost is not None else money.ZERO).quantize(money.COST_PLACES)
        value = money.q(qty * unit)
    data = {
        "id": office.new_id("stock_move"),
        "date": day.isoformat(),
        "sku": sku,
        "qty": qty,
        "reason": reason,
        "unit_cost": money.cost_text(unit),
        "value": money.text(value),
        "note": note or None,
        "ref": ref,
        "at": office.stamp(),
        "by": office.user,
    }
    return office.create("stock_move", {k: v for k, v in data.items() if v is not None})


def receive(office, sku: str, qty, cost=None, note: str | None = None) -> Record:
    """Goods in: one + move at the receipt's unit cost (default: the current average).
    The new average is computed from the moves; the product file is not written."""
    n = parse_qty(qty)
    unit = money.parse_cost(cost, "--cost") if cost is not None else None
    with office.change(f"stock receive {sku} {n}"):
        product = products.lookup(office, sku)
        sku = product.id
        current = exact_cost(office, sku)  # also refuses a damaged cost field or move
        if unit is None:
            if current is None:
                raise UserError(
                    f"product {sku} ({product.path}): cost: none yet; "
                    "give the unit cost of this receipt with --cost"
                )
            unit = money.q(current)
        move = write_move(office, sku, n, RECEIVE, unit, note=note)
        office.emit(
            "stock.received",
            sku=sku,
            qty=n,
            unit_cost=unit,
            move=move.id,
            date=office.today(),
            value=move_value(move),
        )
        return move


def adjust(office, sku: str, qty, reason: str) -> Record:
    """A correction (count, breakage, found stock) at the average cost; never below 0 on hand."""
    n = parse_qty(qty, "QTY", signed=True)
    reason = (reason or "").strip()
    if not reason:
        raise UserError(f"stock adjust {sku}: --note must not be empty")
    with office.change(f"stock adjust {sku} {n:+d}"):
        product = products.lookup(office, sku)
        sku = product.id
        have = on_hand(office, sku)
        if have + n < 0:
            raise UserError(
                f"product {sku} ({product.path}): adjusting by {n:+d} would leave "
                f"{have + n} on hand; there are only {have}"
            )
        unit = average_cost(office, sku)
        move = write_move(office, sku, n, ADJUST, unit, note=reason)
        office.emit(
            "stock.adjusted",
            sku=sku,
            qty=n,
            unit_cost=move.get("unit_cost"),
            move=move.id,
            date=office.today(),
            reason=reason,
            value=move_value(move),
        )
        return move


def levels(office) -> list[dict]:
    """One row per product: on hand, reserved, available, cost, value, reorder level, low.
    ``value`` is the value of the stock from the moves (what Assets:Inventory holds for it)."""
    held = reserved_all(office)
    books = book(office)
    out = []
    for p in products.listing(office):
        row = books.get(p.id) or {"on_hand": 0, "value": money.ZERO, "cost": None}
        cost = money.ZERO if row["cost"] is None else row["cost"]
        n, r = row["on_hand"], held.get(p.id, 0)
        level = p.get("reorder_level")
        out.append(
            {
                "id": p.id,
                "state": p.state,
                "sku": p.id,
                "name": p.get("name"),
                "on_hand": n,
                "reserved": r,
                "available": n - r,
                "cost": money.text(cost),
                "value": money.text(row["value"]),
                "reorder_level": level,
                "low": isinstance(level, int) and n - r <= level,
            }
        )
    return out


def low(office) -> list[dict]:
    """Products whose available stock is at or below their reorder level."""
    return [row for row in levels(office) if row["low"]]
