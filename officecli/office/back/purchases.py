"""Purchase orders (PO-…): what the company orders from a supplier, and its journey.

    add      new                 -> back/purchases/draft     lines SKU:QTY@COST (cost per piece, net)
    edit     stays in draft                                  add or remove lines, change the note
    order    draft               -> back/purchases/ordered   sent to the supplier
    receive  stays in ordered while part is still to come;
             ordered             -> back/purchases/received  once every line is in
    bill     ordered or received -> back/purchases/billed    the supplier's invoice (bills.py)
    close    billed              -> archive/purchases/closed/YYYY     its bill paid in full
    cancel   draft or ordered    -> archive/purchases/cancelled/YYYY  nothing received yet

A receipt writes one stock move per SKU (reason ``receive``, ref = the PO) at
the PO line's cost, so the product's moving-average cost takes it in, and
posts Assets:Inventory / Liabilities:GRNI for their value, in one
transaction. What has been received is read from those moves, never stored
on the order. A PO is billed once: billing a partly received order bills
what came and settles it (the rest is not expected any more, and its history
says so).

The books of a purchase, each entry in the same transaction as its step and
naming its record in ``ref`` (so ``purchase trace`` and ``ledger register``
find it):

    purchase receive   Assets:Inventory        / Liabilities:GRNI      qty x the PO's cost
    purchase bill      Liabilities:GRNI        (what was received)
                       Assets:VATInput         (input VAT per rate)
                       Expenses:PurchaseDifferences (billed - expected, when accepted)
                                               / Liabilities:Payable   the bill's total
    bill pay           Liabilities:Payable     / Assets:Bank or Assets:Cash

GRNI ("goods received, not invoiced") holds the value of what came in until
the supplier's bill arrives; after the bill it is zero for that order.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from officecli.office import money
from officecli.office.accounts import GRNI, INVENTORY, need_accounts
from officecli.office.back import products, stock, suppliers
from officecli.office.books import ledger
from officecli.office.lines import edit_lines, lines_row, save_edit
from officecli.office.records import Record
from officecli.store import ids
from officecli.store.errors import UserError

OPEN = ("draft", "ordered")  # states in which a PO still expects goods


def where(rec: Record) -> str:
    return f"purchase order {rec.id} ({rec.path})"


def parse_item(text: str) -> tuple[str, int, Decimal | None]:
    """``SKU:QTY@COST`` (or ``SKU:QTY``) -> (sku, qty, unit cost or None)."""
    raw = str(text).strip()
    head, at, cost = raw.partition("@")
    sku, sep, qty = head.rpartition(":")
    if not sep or not sku or not qty or (at and not cost.strip()):
        raise UserError(f"{text!r}: not SKU:QTY@COST (e.g. MUG-01:50@4.20)")
    if not ids.NAME_RE.match(sku):
        raise UserError(f"{text!r}: {sku!r} is not a SKU (letters, digits, '.', '_', '-')")
    n = products.parse_count(qty, f"{text!r}: quantity", allow_zero=False)
    unit = money.parse(cost, f"{text!r}: cost", allow_negative=False) if at else None
    return sku, n, unit


def make_line(office, product: Record, qty: int, cost: Decimal | None, text: str) -> dict:
    if cost is None:
        exact = stock.exact_cost(office, product.id)
        if exact is None:
            raise UserError(
                f"{text!r}: product {product.id} has no cost yet; give it as {product.id}:{qty}@COST"
            )
        cost = money.q(exact)
    line = {
        "sku": product.id,
        "name": product.get("name"),
        "supplier_sku": product.get("supplier_sku"),
        "qty": qty,
        "cost": money.text(cost),
        "vat": money.rate_text(
            money.parse_rate(product.get("vat"), f"product {product.id} ({product.path}): vat")
        ),
    }
    return {k: v for k, v in line.items() if v is not None}


def line_net(line: dict) -> Decimal:
    return money.q(Decimal(str(line["cost"])) * int(line["qty"]))


def add(office, supplier: str, items, note: str | None = None) -> Record:
    wanted = [(parse_item(i), i) for i in items]
    if not wanted:
        raise UserError("purchase add: give at least one SKU:QTY@COST")
    with office.change():
        sup = suppliers.get(office, supplier, "--supplier")
        lines: dict[str, dict] = {}
        for (sku, qty, cost), text in wanted:
            product = products.lookup(office, sku)
            if product.id in lines:
                line = lines[product.id]
                if cost is not None and money.text(cost) != line["cost"]:
                    raise UserError(f"{text!r}: {product.id} is already on this order at {line['cost']}")
                line["qty"] += qty
            else:
                lines[product.id] = make_line(office, product, qty, cost, text)
        data = {
            "id": office.new_id("purchase"),
            "supplier": sup.id,
            "lines": list(lines.values()),
            "note": (note or "").strip() or None,
        }
        rec = office.create(
            "purchase",
            {k: v for k, v in data.items() if v is not None},
            note=f"for {sup.id} {sup.get('name')}",
        )
        office.messages.append(f"purchase add {rec.id} for {sup.id}")
        return rec


def get(office, ref: str) -> Record:
    return office.get("purchase", ref)


def edit(office, ref: str, add=(), remove=(), note: str | None = None) -> Record:
    """Add lines (or pieces to a line), remove lines, set the note; only while draft."""
    adding = [(parse_item(i), i) for i in add]
    if not adding and not remove and note is None:
        raise UserError(
            f"purchase order {ref}: nothing to change (give --add SKU:QTY@COST, --remove SKU or --note)"
        )
    with office.change():
        rec = get(office, ref)
        if rec.state != "draft":
            raise UserError(
                f"{where(rec)}: state is {rec.state}; 'purchase edit' needs draft "
                "(an order sent to the supplier is not edited; cancel it and make another)"
            )
        lines, said = edit_lines(office, rec, where(rec), adding, remove, _add_line)
        return save_edit(
            office,
            rec,
            where(rec),
            lines,
            said,
            lines_changed=bool(adding or remove),
            note=note,
            command="purchase edit",
            noun="order",
            way_out=f"purchase cancel {rec.id} --note ...",
        )


def _add_line(office, lines: list[dict], item) -> str:
    """One --add SKU:QTY@COST on a draft's lines: pieces on the SKU's line (@COST sets its
    cost) or a new line; its words for the history."""
    (sku, qty, cost), text = item
    product = products.lookup(office, sku)
    same = [line for line in lines if line.get("sku") == product.id]
    if same:
        same[0]["qty"] = int(same[0]["qty"]) + qty
        if cost is not None:
            same[0]["cost"] = money.text(cost)
    else:
        lines.append(make_line(office, product, qty, cost, text))
    return f"+{product.id}:{qty}" + (f"@{money.text(cost)}" if cost is not None else "")


def order(office, ref: str, note: str | None = None) -> Record:
    """Send a draft to the supplier."""
    with office.change():
        rec = get(office, ref)
        if rec.state != "draft":
            raise office.wrong_state(rec, "order")
        office.messages.append(f"purchase order {rec.id} sent to {rec.get('supplier')}")
        return office.handoff(rec, "order", note)


def received(office, po_id: str) -> dict[str, int]:
    """Pieces received per SKU: the PO's receipt moves (ref = the PO)."""
    out: dict[str, int] = defaultdict(int)
    for m in office.records("stock_move"):
        if m.get("ref") == po_id and m.get("reason") == stock.RECEIVE and isinstance(m.get("qty"), int):
            out[str(m.get("sku"))] += m.get("qty")
    return dict(out)


def outstanding(office, rec: Record) -> dict[str, int]:
    """Pieces still to come per SKU (ordered - received), only those above 0."""
    got = received(office, rec.id)
    out: dict[str, int] = {}
    for line in rec.get("lines") or []:
        left = int(line["qty"]) - got.get(str(line["sku"]), 0)
        if left > 0:
            out[str(line["sku"])] = out.get(str(line["sku"]), 0) + left
    return out


def receive(office, ref: str, items=(), note: str | None = None) -> tuple[Record, list[Record]]:
    """Goods in from a supplier: everything still to come, or the SKU:QTY given.

    Returns (the PO, the stock moves written)."""
    wanted = []
    for text in items:
        raw = str(text).strip()
        sku, sep, qty = raw.rpartition(":")
        if not sep or not sku or not ids.NAME_RE.match(sku):
            raise UserError(f"{text!r}: not SKU:QTY (e.g. MUG-01:20)")
        wanted.append((sku, products.parse_count(qty, f"{text!r}: quantity", allow_zero=False), text))
    with office.change():
        rec = get(office, ref)
        if rec.state != "ordered":
            raise office.wrong_state(rec, "receive")
        need_accounts(office, INVENTORY, GRNI)
        left = outstanding(office, rec)
        cost = {str(line["sku"]): line for line in rec.get("lines") or []}
        if not wanted:
            take = dict(left)
        else:
            take = {}
            for sku, qty, _text in wanted:
                product = products.lookup(office, sku)  # an unknown SKU: refused here
                if product.id not in cost:
                    raise UserError(
                        f"{where(rec)}: lines: {product.id} is not on this order (it has {', '.join(cost)})"
                    )
                take[product.id] = take.get(product.id, 0) + qty
            over = [
                f"{sku} {qty} (still to come: {left.get(sku, 0)})"
                for sku, qty in take.items()
                if qty > left.get(sku, 0)
            ]
            if over:
                raise UserError(f"{where(rec)}: receiving more than is still to come: {'; '.join(over)}")
        if not take:
            raise UserError(f"{where(rec)}: nothing is still to come")
        moves, value, said = [], money.ZERO, []
        for sku, qty in take.items():
            unit = money.parse(cost[sku]["cost"], f"{where(rec)}: lines: {sku}: cost", allow_negative=False)
            moves.append(stock.write_move(office, sku, qty, stock.RECEIVE, unit, ref=rec.id, note=note))
            value += money.q(unit * qty)
            said.append(f"{sku} +{qty}")
        if value:
            ledger.post(
                office,
                office.today(),
                f"Goods received on {rec.id}: {', '.join(said)}",
                [(INVENTORY, value), (GRNI, -value)],
                ref=rec.id,
                kind="receipt",
            )
        rest = {s: q - take.get(s, 0) for s, q in left.items() if q - take.get(s, 0) > 0}
        what = ", ".join(said) + (f" ({', '.join(m.id for m in moves)})")
        office.messages.append(f"purchase receive {rec.id}: {', '.join(said)}")
        if rest:
            text = what + "; still to come: " + ", ".join(f"{s} {q}" for s, q in rest.items())
            rec = office.note(rec, "receive", text + (f"; {note}" if note else ""))
        else:
            rec = office.handoff(rec, "receive", what + (f"; {note}" if note else ""))
        return rec, moves


def cancel(office, ref: str, reason: str) -> Record:
    reason = (reason or "").strip()
    if not reason:
        raise UserError(f"purchase order {ref}: --note must not be empty")
    with office.change():
        rec = get(office, ref)
        if rec.state in rec.kind.handoffs["cancel"].sources and received(office, rec.id):
            raise UserError(
                f"{where(rec)}: goods were already received on it; bill what came "
                f"with 'purchase bill {rec.id}' (the rest is then not expected)"
            )
        office.messages.append(f"purchase cancel {rec.id}")
        return office.handoff(rec, "cancel", reason)


def received_lines(office, rec: Record) -> list[dict]:
    """What came in on this PO, priced at its cost: sku, name, qty, cost, vat, net."""
    got = received(office, rec.id)
    out = []
    for line in rec.get("lines") or []:
        sku = str(line["sku"])
        qty = min(got.pop(sku, 0), int(line["qty"])) if sku in got else 0
        if qty:
            out.append(
                {
                    "sku": sku,
                    "name": line.get("name") or sku,
                    "qty": qty,
                    "cost": str(line["cost"]),
                    "vat": str(line["vat"]),
                    "net": money.text(money.q(Decimal(str(line["cost"])) * qty)),
                }
            )
    return out


def totals(lines: list[dict]) -> dict:
    """net, vat {rate: amount}, gross of PO lines (VAT once per rate, half-up)."""
    by_rate: dict[str, Decimal] = defaultdict(lambda: money.ZERO)
    for line in lines:
        by_rate[money.rate_text(line["vat"])] += line_net(line)
    vat = {
        r: money.q(n * Decimal(r) / 100) for r, n in sorted(by_rate.items(), key=lambda kv: -Decimal(kv[0]))
    }
    net = money.q(sum(by_rate.values(), money.ZERO))
    return {"net": net, "vat": vat, "gross": net + sum(vat.values(), money.ZERO)}


def listing(office, state: str | None = None, supplier: str | None = None) -> list[Record]:
    sup = suppliers.get(office, supplier, "--supplier").id if supplier else None
    out = office.records("purchase", [state] if state else None)
    if sup:
        out = [r for r in out if r.get("supplier") == sup]
    return sorted(out, key=lambda r: (str(r.get("created", "")), r.id))


def summary(office, rec: Record, names: dict | None = None) -> dict:
    """The PO as a row: its fields plus supplier name, pieces ordered and received, net, gross."""
    t = totals(rec.get("lines") or [])
    return lines_row(office, rec, "supplier", names, t, received=sum(received(office, rec.id).values()))


def draft_for_low(office) -> tuple[list[Record], list[str]]:
    """Draft one PO per supplier for the products at or below their reorder level.

    Each low product is ordered up to twice its reorder level (at least 1
    piece), at its current average cost, from its usual supplier. A product
    already on a draft or ordered PO is left out (so cron may run it daily);
    a product with no supplier is named in the second list. Returns (the new
    drafts, what was skipped and why)."""
    skipped: list[str] = []
    made: list[Record] = []
    with office.change():
        low = stock.low(office)
        pending = {
            str(line.get("sku")) for po in office.records("purchase", OPEN) for line in po.get("lines") or []
        }
        by_supplier: dict[str, list[str]] = defaultdict(list)
        for row in low:
            sku = row["sku"]
            product = products.lookup(office, sku)
            if sku in pending:
                skipped.append(f"{sku}: already on an open purchase order")
                continue
            sup = product.get("supplier")
            if not sup or sup not in office.all_ids("supplier"):
                skipped.append(f"{sku}: no usual supplier (product edit {sku} --supplier SUP-…)")
                continue
            exact = stock.exact_cost(office, sku)
            if exact is None:
                skipped.append(f"{sku}: no cost yet (add it by hand with SKU:QTY@COST)")
                continue
            qty = max(1, 2 * int(row["reorder_level"]) - int(row["available"]))
            by_supplier[sup].append(f"{sku}:{qty}@{money.text(money.q(exact))}")
        for sup, items in sorted(by_supplier.items()):
            made.append(add(office, sup, items, note="drafted by 'stock low --draft-purchases'"))
        return made, skipped
