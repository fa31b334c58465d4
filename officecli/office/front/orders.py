"""Orders: the front-to-back journey, each step a file move (workflows.yaml, kind ``order``).

    add      new              -> front/orders/open     prices and VAT copied from the products
    edit     stays in open                             add or remove lines, change the note
    forward  open             -> back/orders/inbox     stock reserved (refused when short)
    ship     inbox            -> back/orders/shipped   outgoing stock moves at average cost
    unforward inbox           -> front/orders/open     back from a mistaken forward, before
                                                       anything shipped; reservation released
    cancel   open or inbox    -> archive/orders/cancelled/YYYY   reservation released

Lines and their totals: office/lines.py.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from officecli.office import clock, money
from officecli.office.back import products, stock
from officecli.office.lines import edit_lines, lines_row, parse_items, pieces, save_edit, totals
from officecli.office.records import Record
from officecli.store.errors import UserError


def make_line(product: Record, qty: int) -> dict:
    return {
        "sku": product.id,
        "name": product.get("name"),
        "qty": qty,
        "price": money.text(
            money.parse(product.get("price"), f"product {product.id} ({product.path}): price")
        ),
        "vat": money.rate_text(
            money.parse_rate(product.get("vat"), f"product {product.id} ({product.path}): vat")
        ),
    }


def find_customer(office, ref: str) -> Record:
    """The customer --customer names (an ID, suffix, number or name), or a UserError saying so."""
    from officecli.office.front.customers import find

    try:
        return find(office, ref)
    except UserError as exc:
        raise UserError(f"--customer {ref}: {exc}") from None


def add(office, customer: str, items, note: str | None = None) -> Record:
    wanted = parse_items(items)
    if not wanted:
        raise UserError("order add: give at least one SKU:QTY")
    with office.change():
        cust = find_customer(office, customer)
        lines = sale_lines(office, wanted)
        data = {
            "id": office.new_id("order"),
            "customer": cust.id,
            "lines": lines,
            "note": (note or "").strip() or None,
        }
        rec = office.create("order", {k: v for k, v in data.items() if v is not None})
        office.messages.append(f"order add {rec.id} for {cust.id}")
        return rec


def sale_lines(office, wanted: list[tuple[str, int]]) -> list[dict]:
    """The lines of a new order or quote: one per product (a SKU given twice adds up), each
    with the product's name, net price and VAT rate now."""
    lines: dict[str, dict] = {}
    for sku, qty in wanted:
        product = products.lookup(office, sku)
        if product.id in lines:
            lines[product.id]["qty"] += qty
        else:
            lines[product.id] = make_line(product, qty)
    return list(lines.values())


def get(office, ref: str) -> Record:
    return office.get("order", ref)


def add_sale_line(office, lines: list[dict], item: tuple[str, int]) -> str:
    sku, qty = item
    product = products.lookup(office, sku)
    same = [line for line in lines if line.get("sku") == product.id]
    if same:
        same[0]["qty"] = int(same[0]["qty"]) + qty
    else:
        lines.append(make_line(product, qty))
    return f"+{product.id}:{qty}"


def edit(office, ref: str, add=(), remove=(), note: str | None = None) -> Record:
    """Add lines (or pieces to a line), remove lines, set the note; only while open."""
    adding = parse_items(add)
    if not adding and not remove and note is None:
        raise UserError(f"order {ref}: nothing to change (give --add SKU:QTY, --remove SKU or --note)")
    with office.change():
        rec = get(office, ref)
        if rec.state != "open":
            nxt = rec.kind.verbs_from(rec.state)
            raise UserError(
                f"{rec.where}: state is {rec.state}; 'order edit' needs open "
                "(only an order not yet forwarded can be edited"
                + (f"; from here: {', '.join('order ' + v for v in nxt)})" if nxt else ")")
            )
        lines, said = edit_lines(office, rec, rec.where, adding, remove, add_sale_line)
        return save_edit(
            office,
            rec,
            rec.where,
            lines,
            said,
            lines_changed=bool(adding or remove),
            note=note,
            command="order edit",
            noun="order",
            way_out=f"order cancel {rec.id} --note ...",
        )


def shortfalls(office, rec: Record) -> list[str]:
    have = stock.on_hand_all(office)
    held = stock.reserved_all(office, exclude=rec.id)
    need: dict[str, int] = defaultdict(int)
    for line in rec.get("lines") or []:
        need[str(line["sku"])] += int(line["qty"])
    out = []
    for sku, qty in need.items():
        free = have.get(sku, 0) - held.get(sku, 0)
        if free < qty:
            out.append(f"{sku} short by {qty - max(free, 0)} (needs {qty}, available {max(free, 0)})")
    return out


def forward(office, ref: str, note: str | None = None) -> Record:
    """Hand the order to the back office; its lines become reserved stock."""
    with office.change():
        rec = get(office, ref)
        if rec.state != "open":
            raise office.wrong_state(rec, "forward")
        short = shortfalls(office, rec)
        if short:
            raise UserError(f"{rec.where}: not enough stock to forward: {'; '.join(short)}")
        office.messages.append(f"order forward {rec.id}")
        return office.handoff(rec, "forward", note)


def ship(office, ref: str, note: str | None = None) -> Record:
    """Goods out: one - stock move per line at average cost, then the order moves to shipped."""
    with office.change():
        rec = get(office, ref)
        if rec.state != "inbox":
            raise office.wrong_state(rec, "ship")
        have = stock.on_hand_all(office)
        need: dict[str, int] = defaultdict(int)
        for line in rec.get("lines") or []:
            need[str(line["sku"])] += int(line["qty"])
        short = [
            f"{sku} short by {qty - have.get(sku, 0)} (needs {qty}, on hand {have.get(sku, 0)})"
            for sku, qty in need.items()
            if have.get(sku, 0) < qty
        ]
        if short:
            raise UserError(f"{rec.where}: not enough stock on hand to ship: {'; '.join(short)}")
        shipped = []
        for sku, qty in need.items():
            unit = stock.average_cost(office, sku)
            move = stock.write_move(office, sku, -qty, stock.SHIP, unit, ref=rec.id)
            shipped.append(
                {
                    "sku": sku,
                    "qty": qty,
                    "unit_cost": Decimal(move.get("unit_cost")),
                    "move": move.id,
                    "value": -stock.move_value(move),
                }
            )  # what the pieces took with them
        moved = office.handoff(rec, "ship", note)
        office.messages.append(f"order ship {rec.id}")
        office.emit(
            "order.shipped",
            order=rec.id,
            lines=[
                {"sku": s["sku"], "qty": s["qty"], "unit_cost": s["unit_cost"], "value": s["value"]}
                for s in shipped
            ],
            date=office.today(),
        )
        return moved


def _release(office, rec: Record, verb: str, note: str | None) -> Record:
    """Move an order out of open/inbox (cancel, unforward). What it reserved is
    released by the move itself: reservations are the lines of the orders in
    inbox (stock.reserved_all), never a stored figure."""
    return office.handoff(rec, verb, note)


def unforward(office, ref: str, note: str | None = None) -> Record:
    """Take a forwarded order back to open (a mistaken forward), while nothing of it
    has shipped; its reservation is released as a cancel releases it."""
    with office.change():
        rec = get(office, ref)
        if rec.state != "inbox":
            raise office.wrong_state(rec, "unforward")
        moved_out = [m.id for m in office.records("stock_move") if m.get("ref") == rec.id]
        if moved_out:
            raise UserError(
                f"{rec.where}: stock already left for it ({', '.join(moved_out)}); it cannot go back to open"
            )
        office.messages.append(f"order unforward {rec.id}")
        return _release(office, rec, "unforward", note)


def cancel(office, ref: str, reason: str) -> Record:
    reason = (reason or "").strip()
    if not reason:
        raise UserError(f"order {ref}: --note must not be empty")
    with office.change():
        rec = get(office, ref)
        before = rec.state
        moved = _release(office, rec, "cancel", reason)
        office.messages.append(f"order cancel {rec.id}")
        office.emit("order.cancelled", order=rec.id, state_before=before)
        return moved


def listing(
    office, state: str | None = None, customer: str | None = None, since: str | None = None
) -> list[Record]:
    cust = find_customer(office, customer).id if customer else None
    day = clock.parse_date(since, "--since").isoformat() if since is not None else None
    from officecli.office import index  # the cache's link index: read only this customer's orders

    if cust and index.usable(office):
        out = index.naming(office, "order", [cust], [state] if state else None)
    else:
        out = office.records("order", [state] if state else None)
    if cust:
        out = [r for r in out if r.get("customer") == cust]
    if day:
        out = [r for r in out if str(r.get("created", ""))[:10] >= day]
    return sorted(out, key=lambda r: (str(r.get("created", "")), r.id))


TABLE_KEYS = ("id", "state", "customer", "customer_name", "pieces", "net", "gross", "created")


def _table_rows(recs: list[Record]) -> list[list]:
    out = []
    for rec in recs:
        lines = rec.get("lines") or []
        t = totals(lines)
        out.append(
            [
                rec.id,
                rec.state,
                rec.get("customer"),
                pieces(lines),
                money.text(t["net"]),
                money.text(t["gross"]),
                rec.get("created"),
            ]
        )
    return out


def table_rows(
    office, state: str | None = None, since: str | None = None, end: str | None = None
) -> list[dict] | None:
    """The rows ``order list`` draws as a table (``TABLE_KEYS``), oldest first, from the
    cache's summary of each order folder (its rows, recomputed from the files when any
    file of the folder changed: store/index.py), so no order is loaded; None where
    summaries are not used (inside a change, doctor, a tree whose cache is off)."""
    from officecli.office import summaries

    if not summaries.usable(office):
        return None
    day = clock.parse_date(since, "--since").isoformat() if since is not None else None
    found = [
        row
        for rows in summaries.per_folder(office, "order", "rows", _table_rows, [state] if state else None)
        for row in rows
    ]
    if day:
        found = [r for r in found if str(r[6] or "")[:10] >= day]
    if end:
        found = [r for r in found if str(r[6] or "")[:10] < end]
    found.sort(key=lambda r: (str(r[6] or ""), r[0]))
    from officecli.office.front.customers import names_of

    names = names_of(office, {r[2] for r in found})
    return [
        {
            "id": i,
            "state": st,
            "customer": c,
            "customer_name": names.get(c, ""),
            "pieces": p,
            "net": n,
            "gross": g,
            "created": at,
        }
        for i, st, c, p, n, g, at in found
    ]


def summary(office, rec: Record, names: dict | None = None) -> dict:
    """The order as a row: its fields plus customer name, pieces, net, VAT, gross (lines.lines_row)."""
    return lines_row(office, rec, "customer", names, totals(rec.get("lines") or []))
