"""Stock: append-only moves, one file each under back/stock/YYYY/MM/ (MOV-...).

* on hand   = the sum of a SKU's moves (receipts +, shipments and write-offs -)
* reserved  = the quantities on orders forwarded to the back office (state
              ``inbox``) and not yet shipped
* available = on hand - reserved

The unit cost is a moving average kept in the product's ``cost`` field: a
receipt of q pieces at c moves it to (on_hand*cost + q*c) / (on_hand + q),
rounded half-up to the cent; shipments and adjustments leave the stock at that
average cost and do not change it.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from officecli.store.errors import UserError

from . import money, products
from .records import Record

RECEIVE, SHIP, ADJUST = "receive", "ship", "adjust"


def moves(office, sku: str | None = None, ref: str | None = None) -> list[Record]:
    out = office.records("stock_move")
    if sku is not None:
        out = [m for m in out if m.get("sku") == sku]
    if ref is not None:
        out = [m for m in out if m.get("ref") == ref]
    return sorted(out, key=lambda m: (str(m.get("at", "")), m.id))


def on_hand_all(office) -> dict[str, int]:
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


def average_cost(office, sku: str) -> Decimal:
    """The product's moving-average unit cost (0.00 when it has none yet)."""
    product = products.lookup(office, sku)
    cost = product.get("cost")
    return money.parse(cost, f"product {product.id} ({product.path}): cost") if cost is not None \
        else money.ZERO


def parse_qty(text, what: str = "QTY", signed: bool = False) -> int:
    """A whole number of pieces: > 0, or (signed) any non-zero +N / -N."""
    s = str(text).strip()
    body = s[1:] if signed and s[:1] in "+-" else s
    if not (body.isascii() and body.isdigit()) or len(body) > 9:
        raise UserError(f"{what} {text!r}: not a whole number of pieces"
                        + (" (e.g. -2 or +5)" if signed else ""))
    n = int(body) * (-1 if s.startswith("-") else 1)
    if n == 0 or (n < 0 and not signed):
        raise UserError(f"{what} {text!r}: must be more than 0" if not signed
                        else f"{what} {text!r}: must not be 0")
    return n


def write_move(office, sku: str, qty: int, reason: str, unit_cost: Decimal,
               ref: str | None = None, note: str | None = None) -> Record:
    """One stock move file (inside an open office.change())."""
    day = office.today()
    data = {
        "id": office.new_id("stock_move"), "date": day.isoformat(), "sku": sku, "qty": qty,
        "reason": reason, "unit_cost": money.text(unit_cost), "note": note or None, "ref": ref,
        "at": office.stamp(), "by": office.user,
    }
    return office.create("stock_move", {k: v for k, v in data.items() if v is not None})


def receive(office, sku: str, qty, cost=None, note: str | None = None) -> Record:
    """Goods in: a + move and a new moving-average cost on the product."""
    n = parse_qty(qty)
    unit = money.parse(cost, "--cost", allow_negative=False) if cost is not None else None
    with office.change(f"stock receive {sku} {n}"):
        product = products.lookup(office, sku)
        sku = product.id
        old = money.parse(product.get("cost"), f"product {sku} ({product.path}): cost") \
            if product.get("cost") is not None else None
        if unit is None:
            if old is None:
                raise UserError(f"product {sku} ({product.path}): cost: none yet; "
                                "give the unit cost of this receipt with --cost")
            unit = old
        have = on_hand(office, sku)
        if have > 0 and old is not None:
            avg = money.q((have * old + n * unit) / (have + n))
        else:
            avg = money.q(unit)
        move = write_move(office, sku, n, RECEIVE, unit, note=note)
        said = f"{move.id}: +{n} at {money.text(unit)}; average cost {money.text(avg)}"
        if old is None or avg != old:
            office.note(product, "cost", said, changes={"cost": money.text(avg)})
        office.emit("stock.received", sku=sku, qty=n, unit_cost=unit, move=move.id, date=office.today())
        return move


def adjust(office, sku: str, qty, reason: str) -> Record:
    """A correction (count, breakage, found stock) at the average cost; never below 0 on hand."""
    n = parse_qty(qty, "QTY", signed=True)
    reason = (reason or "").strip()
    if not reason:
        raise UserError(f"stock adjust {sku}: --reason must not be empty")
    with office.change(f"stock adjust {sku} {n:+d}"):
        product = products.lookup(office, sku)
        sku = product.id
        have = on_hand(office, sku)
        if have + n < 0:
            raise UserError(f"product {sku} ({product.path}): adjusting by {n:+d} would leave "
                            f"{have + n} on hand; there are only {have}")
        unit = average_cost(office, sku)
        move = write_move(office, sku, n, ADJUST, unit, note=reason)
        office.emit("stock.adjusted", sku=sku, qty=n, unit_cost=unit, move=move.id,
                    date=office.today(), reason=reason)
        return move


def levels(office) -> list[dict]:
    """One row per product: on hand, reserved, available, cost, value, reorder level, low."""
    have = on_hand_all(office)
    held = reserved_all(office)
    out = []
    for p in products.listing(office):
        cost = money.parse(p.get("cost"), f"product {p.id} ({p.path}): cost") \
            if p.get("cost") is not None else money.ZERO
        n, r = have.get(p.id, 0), held.get(p.id, 0)
        level = p.get("reorder_level")
        out.append({
            "id": p.id, "state": p.state, "sku": p.id, "name": p.get("name"),
            "on_hand": n, "reserved": r, "available": n - r,
            "cost": money.text(cost), "value": money.text(money.q(cost * n)),
            "reorder_level": level,
            "low": isinstance(level, int) and n - r <= level,
        })
    return out


def low(office) -> list[dict]:
    """Products whose available stock is at or below their reorder level."""
    return [row for row in levels(office) if row["low"]]
