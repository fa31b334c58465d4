"""Customer returns (RMA-…): goods a customer sends back, and the credit for them.

    add      new        -> back/returns/requested   only what the order shipped and no
                                                    earlier return of it took back
    receive  requested  -> back/returns/received    the goods are in the warehouse
    credit   received   -> back/returns/done        a credit note for exactly these lines

``receive`` puts each line back at the unit cost it left with (the order's
shipping move), as a stock move (reason ``return``, ref = the return) that
the moving-average cost takes in like a receipt, and reverses its cost of
goods: Assets:Inventory / Expenses:COGS. A line (or part of one) received
``--damaged`` never reaches sellable stock: its cost goes to
Expenses:WriteOffs instead of Inventory. All in one transaction.

``credit`` issues a credit note (office/books/credits.py, by lines) for the
returned pieces at the invoice's price and VAT rate -- damaged ones too: the
customer returned them. A return may name the complaint it came from
(``--complaint``, or ``complaint resolve … --return RMA-…``); ``order trace``
shows it, its stock moves, entries and credit note.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from officecli.office import money
from officecli.office.accounts import COGS, INVENTORY, WRITE_OFFS
from officecli.office.back import stock
from officecli.office.books import credits, ledger
from officecli.office.lines import parse_items
from officecli.office.records import Record
from officecli.store.errors import UserError


def shipped(office, order_id: str) -> dict[str, tuple[int, Decimal]]:
    """SKU -> (pieces shipped, the unit cost they left with), from the order's moves."""
    qty: dict[str, int] = defaultdict(int)
    value: dict[str, Decimal] = defaultdict(lambda: money.ZERO)
    for m in office.records("stock_move"):
        if m.get("ref") == order_id and m.get("reason") == stock.SHIP and isinstance(m.get("qty"), int):
            n = -m.get("qty")
            qty[m.get("sku")] += n
            value[m.get("sku")] -= stock.move_value(m)
    return {s: (n, money.q(value[s] / n) if n else money.ZERO) for s, n in qty.items() if n > 0}


def goods_back(
    office, order_id: str, keep: dict[str, int], note: str, memo: str
) -> tuple[Decimal, list[str]]:
    """What left for ``order_id`` beyond ``keep`` (sku -> pieces that stay out) comes back
    at the cost it left with, COGS reversed (Assets:Inventory / Expenses:COGS), as a
    customer's return is received: the value and one "SKU +N" per product. ``note`` goes
    on each stock move, ``memo`` (followed by the products) on the ledger entry."""
    value, said = money.ZERO, []
    for sku, (qty, unit) in sorted(shipped(office, order_id).items()):
        n = qty - keep.get(sku, 0)
        if n <= 0:
            continue
        stock.write_move(office, sku, n, stock.RETURN, unit, ref=order_id, note=note)
        value += money.q(unit * n)
        said.append(f"{sku} +{n}")
    if value:
        ledger.post(
            office,
            office.today(),
            memo + ", ".join(said),
            [(INVENTORY, value), (COGS, -value)],
            ref=order_id,
            kind="return",
        )
    return value, said


def returned(office, order_id: str, skip: str | None = None) -> dict[str, int]:
    """Pieces per SKU already taken back by the order's returns (every state)."""
    out: dict[str, int] = defaultdict(int)
    for r in office.records("return"):
        if r.get("order") == order_id and r.id != skip:
            for line in r.get("lines") or []:
                out[str(line.get("sku"))] += int(line.get("qty") or 0)
    return dict(out)


def add(office, order_ref: str, items, reason: str, complaint: str | None = None) -> Record:
    wanted = parse_items(items)
    if not wanted:
        raise UserError("return add: give at least one SKU:QTY")
    reason = (reason or "").strip()
    if not reason:
        raise UserError(f"return for order {order_ref}: --note must not be empty")
    with office.change():
        order = office.get("order", order_ref)
        out = shipped(office, order.id)
        if not out:
            raise UserError(
                f"{order.where}: nothing was shipped on it (state {order.state}); "
                "a return takes back shipped goods"
            )
        back = returned(office, order.id)
        on_order = {str(line.get("sku")): line for line in order.get("lines") or []}
        take: dict[str, int] = defaultdict(int)
        for sku, qty in wanted:
            key = next((s for s in out if s.upper() == sku.upper()), None)
            if key is None:
                raise UserError(
                    f"{order.where}: {sku} was not shipped on it "
                    f"(shipped: {', '.join(f'{s} {n}' for s, (n, _) in out.items())})"
                )
            take[key] += qty
        over = [
            f"{s} {q} (shipped {out[s][0]}, already returned {back.get(s, 0)})"
            for s, q in take.items()
            if q > out[s][0] - back.get(s, 0)
        ]
        if over:
            raise UserError(
                f"{order.where}: returning more than was shipped and not yet returned: {'; '.join(over)}"
            )
        cmp = None
        if complaint:
            cmp = office.get("complaint", complaint)
            if cmp.get("order") and cmp.get("order") != order.id:
                raise UserError(
                    f"--complaint {cmp.id} ({cmp.path}): is about {cmp.get('order')}, not {order.id}"
                )
        lines = []
        for sku, qty in take.items():
            line = on_order.get(sku, {})
            lines.append(
                {
                    k: v
                    for k, v in {
                        "sku": sku,
                        "name": line.get("name"),
                        "qty": qty,
                        "unit_cost": money.text(out[sku][1]),
                        "price": line.get("price"),
                        "vat": line.get("vat"),
                    }.items()
                    if v is not None
                }
            )
        data = {
            "id": office.new_id("return"),
            "order": order.id,
            "customer": order.get("customer"),
            "invoice": order.get("invoice"),
            "complaint": cmp.id if cmp else None,
            "reason": reason,
            "lines": lines,
        }
        rec = office.create(
            "return",
            {k: v for k, v in data.items() if v is not None},
            note=f"for order {order.id}" + (f", complaint {cmp.id}" if cmp else ""),
        )
        office.messages.append(f"return add {rec.id} for {order.id}")
        return rec


def get(office, ref: str) -> Record:
    return office.get("return", ref)


def receive(office, ref: str, damaged=(), note: str | None = None) -> tuple[Record, list[Record]]:
    """The goods are back: sellable pieces to stock at the cost they left with, damaged
    ones written off; COGS reversed. Returns (the return, its stock moves)."""
    broken = parse_items(damaged)
    with office.change():
        rec = get(office, ref)
        if rec.state != "requested":
            raise office.wrong_state(rec, "receive")
        missing = [a for a in (INVENTORY, COGS, WRITE_OFFS) if a not in office.config.accounts]
        if missing:
            raise UserError(
                f"office.yaml: accounts: {', '.join(missing)} missing; add them to the chart of accounts"
            )
        lines = [dict(line) for line in rec.get("lines") or []]
        bad: dict[str, int] = defaultdict(int)
        for sku, qty in broken:
            line = next((x for x in lines if str(x["sku"]).upper() == sku.upper()), None)
            if line is None:
                raise UserError(
                    f"{rec.where}: --damaged {sku}: not on this return "
                    f"(it has {', '.join(str(x['sku']) for x in lines)})"
                )
            bad[line["sku"]] += qty
        moves, said = [], []
        back_value, lost_value = money.ZERO, money.ZERO
        for line in lines:
            sku, qty = str(line["sku"]), int(line["qty"])
            lost = bad.get(sku, 0)
            if lost > qty:
                raise UserError(f"{rec.where}: --damaged {sku}:{lost}: only {qty} returned")
            unit = money.parse(
                line.get("unit_cost") or "0", f"{rec.where}: lines: {sku}: unit_cost", allow_negative=False
            )
            good = qty - lost
            if good:
                moves.append(stock.write_move(office, sku, good, stock.RETURN, unit, ref=rec.id, note=note))
                back_value += money.q(unit * good)
                said.append(f"{sku} +{good}")
            if lost:
                line["damaged"] = lost
                lost_value += money.q(unit * lost)
                said.append(f"{sku} {lost} damaged, written off")
        postings = []
        if back_value:
            postings.append((INVENTORY, back_value))
        if lost_value:
            postings.append((WRITE_OFFS, lost_value))
        if postings:
            postings.append((COGS, -(back_value + lost_value)))
            ledger.post(
                office,
                office.today(),
                f"Return {rec.id} of order {rec.get('order')}: " + ", ".join(said),
                postings,
                ref=rec.id,
                kind="return",
            )
        changes = {"lines": lines} if bad else None
        text = ", ".join(said) + (f" ({', '.join(m.id for m in moves)})" if moves else "")
        rec = office.handoff(rec, "receive", note=text + (f"; {note}" if note else ""), changes=changes)
        office.messages.append(f"return receive {rec.id}: {', '.join(said)}")
        return rec, moves


def credit(office, ref: str, note: str | None = None) -> tuple[Record, Record | None]:
    """A credit note for the returned lines (what is left of them to credit); the return is done.
    (return, credit note or None)"""
    with office.change():
        rec = get(office, ref)
        if rec.state != "received":
            raise office.wrong_state(rec, "credit")
        order = office.find_any(str(rec.get("order")))
        inv = rec.get("invoice") or (order.get("invoice") if order is not None else None)
        if not inv:
            raise UserError(
                f"{rec.where}: order {rec.get('order')} is not invoiced yet; invoice it "
                "first ('order invoice'), then credit the return"
            )
        crn, said = _credit_what_is_left(office, rec, office.get("invoice", str(inv)))
        changes = {"credit_note": crn.id} if crn is not None else {}
        if not rec.get("invoice"):
            changes["invoice"] = inv
        rec = office.handoff(rec, "credit", note=said + (f"; {note}" if note else ""), changes=changes)
        office.messages.append(
            f"return credit {rec.id}: {crn.id if crn is not None else 'nothing left to credit'}"
        )
        return rec, crn


def _credit_what_is_left(office, rec: Record, inv: Record) -> tuple[Record | None, str]:
    """The return's credit note: its pieces not yet credited on the invoice, at most the gross
    not yet credited (an invoice credited by amount or in full before the goods came back);
    None when nothing of it is left to credit, so the return still finishes."""
    reason = f"return {rec.id}: {rec.get('reason')}"
    done_gross, done_pieces, notes = credits.credited(office, inv)
    left = money.q(Decimal(str(inv.get("gross") or "0")) - done_gross)
    if inv.state not in inv.kind.handoffs["credit"].sources or left <= 0:
        said = ", ".join(c.id for c in notes) or inv.state
        return None, f"nothing left to credit: invoice {inv.id} is credited already ({said})"
    invoiced = {
        str(line["sku"]): int(line["qty"]) for line in inv.get("lines") or [] if isinstance(line, dict)
    }
    lines = []
    for line in rec.get("lines") or []:
        sku = str(line["sku"])
        qty = min(int(line["qty"]), invoiced.get(sku, 0) - done_pieces.get(sku, 0))
        if qty > 0:
            lines.append((sku, qty))
    if not lines:
        return None, f"nothing left to credit: its pieces are credited on {inv.id} already"
    try:
        crn = credits.partial(office, inv.id, lines=lines, source=rec.id, reason=reason)
    except UserError as exc:
        if "not yet credited" not in str(exc):
            raise
        crn = credits.partial(office, inv.id, amount=money.text(left), source=rec.id, reason=reason)
    return crn, f"{crn.id} {crn.get('gross')}"


def link_complaint(office, ref: str, complaint: Record) -> Record:
    """Name the complaint on the return (from 'complaint resolve … --return')."""
    rec = get(office, ref)
    if rec.get("complaint") and rec.get("complaint") != complaint.id:
        raise UserError(f"{rec.where}: complaint: already {rec.get('complaint')}")
    if complaint.get("order") and complaint.get("order") != rec.get("order"):
        raise UserError(
            f"{rec.where}: is for order {rec.get('order')}, but complaint "
            f"{complaint.id} is about {complaint.get('order')}"
        )
    if rec.get("complaint") == complaint.id:
        return rec
    return office.note(rec, "link", f"complaint {complaint.id}", changes={"complaint": complaint.id})


def listing(office, state: str | None = None, order: str | None = None) -> list[Record]:
    out = office.records("return", [state] if state else None)
    if order:
        oid = office.get("order", order).id
        out = [r for r in out if r.get("order") == oid]
    return sorted(out, key=lambda r: (str(r.get("created", "")), r.id))


def summary(office, rec: Record) -> dict:
    row = rec.as_row()
    row["pieces"] = sum(int(line.get("qty") or 0) for line in rec.get("lines") or [])
    row["damaged"] = sum(int(line.get("damaged") or 0) for line in rec.get("lines") or [])
    row["history"] = row.pop("history", None)
    return row
