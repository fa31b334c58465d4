"""Suppliers' bills (BIL-…): what the company owes for what it bought, and its payments.

    purchase bill PO --number N --date D [--total X] [--accept-difference]
                 new    -> back/bills/open     the PO moves to billed
    bill pay     open   -> back/bills/paid     once nothing is owed; the PO is closed

A bill is the supplier's invoice for what was received on one purchase
order: its lines are the received quantities at the PO's costs, VAT once per
rate on that rate's net (half-up, as for our own invoices). ``--total`` is the
supplier's total (net + VAT) as printed on their invoice; when it differs
from ours by more than a cent the bill is refused, unless
``--accept-difference``, which posts the difference to
Expenses:PurchaseDifferences (a cent of rounding is posted there always).
What the bill says we owe is its ``total``.

    bill add --supplier S --date D --line "DESC:NET:RATE[:ACCOUNT]"... [--receipt MOV[:RATE]]...
             [--number N] [--due D] [--vat-total X]
                 new    -> back/bills/open     rent, utilities, services: no purchase order

A bill without a purchase order (``add``): each ``--line`` is a net amount at a
VAT rate, debited to its expense account (default ``--account``,
Expenses:Other); each ``--receipt`` is a `stock receive` made without a PO
(which credited Liabilities:GRNI, the clearing account for goods not yet
billed): its value is the line's net and it is debited to GRNI, so the
receipt is billed once and GRNI clears. VAT once per rate on that rate's
net. ``--vat-total`` is the VAT the supplier printed: it is what is booked
to Assets:VATInput and owed, and its difference to ours is kept on the bill
(``vat_difference``), shown by `bill show` and on its own line of the VAT
return -- never hidden in Expenses:PurchaseDifferences.

The supplier's invoice number is unique per supplier (compared without case
and spaces). What was paid and what is owed is read from the ledger (the
postings to Liabilities:Payable whose ref is the bill), never stored twice.
"""

from __future__ import annotations

from datetime import date as Date
from datetime import timedelta
from decimal import Decimal

from officecli.office import clock, money
from officecli.office.accounts import DIFFERENCES, GRNI, METHODS, OTHER, PAYABLE, VAT_INPUT, need_accounts
from officecli.office.back import purchases, suppliers
from officecli.office.books import invoices, ledger
from officecli.office.records import Record
from officecli.store.errors import UserError

CENT = Decimal("0.01")


def number_key(text) -> str:
    return "".join(str(text or "").split()).casefold()


def issue(
    office,
    po_ref: str,
    number: str,
    when: str,
    total: str | None = None,
    accept_difference: bool = False,
    note: str | None = None,
) -> Record:
    """Book the supplier's bill for what was received on a PO (inside one change)."""
    number = (number or "").strip()
    if not number:
        raise UserError(
            f"purchase order {po_ref}: --number (the supplier's invoice number) must not be empty"
        )
    day = clock.parse_date(when, "--date")
    given = money.parse(total, "--total", allow_negative=False) if total is not None else None
    with office.change():
        po = purchases.get(office, po_ref)
        if po.state not in po.kind.handoffs["bill"].sources:
            raise office.wrong_state(po, "bill")
        need_accounts(office, GRNI, VAT_INPUT, PAYABLE, DIFFERENCES)
        if day > office.today():
            raise UserError(
                f"{purchases.where(po)}: --date {day.isoformat()} lies in the future "
                f"(today is {office.today().isoformat()})"
            )
        sup = suppliers.get(office, str(po.get("supplier")))
        for other in office.records("bill"):
            if other.get("supplier") == sup.id and number_key(other.get("number")) == number_key(number):
                raise UserError(
                    f"{purchases.where(po)}: --number {number}: {sup.id} {sup.get('name')} "
                    f"already billed invoice {other.get('number')} as {other.id} ({other.path})"
                )
        got = purchases.received_lines(office, po)
        if not got:
            raise UserError(
                f"{purchases.where(po)}: nothing has been received on it yet; "
                f"'purchase receive {po.id}' first"
            )
        lines = [
            {
                "sku": g["sku"],
                "name": g["name"],
                "qty": g["qty"],
                "price": g["cost"],
                "vat": g["vat"],
                "net": g["net"],
            }
            for g in got
        ]
        net, vat_map, gross = invoices.totals(lines)
        payable = given if given is not None else gross
        diff = money.q(payable - gross)
        cur = office.config.currency
        if abs(diff) > CENT and not accept_difference:
            raise UserError(
                f"{purchases.where(po)}: --total {money.text(payable)} differs from what was "
                f"received ({money.text(gross)} = net {money.text(net)} + VAT "
                f"{money.text(gross - net)}) by {money.text(diff)} {cur}; check the bill, or "
                f"give --accept-difference to post it to {DIFFERENCES}"
            )
        left = purchases.outstanding(office, po)
        data = {
            "id": office.new_id("bill"),
            "supplier": sup.id,
            "purchase": po.id,
            "number": number,
            "date": day.isoformat(),
            "due": (day + timedelta(days=suppliers.terms(office, sup))).isoformat(),
            "currency": cur,
            "lines": lines,
            "net": money.text(net),
            "vat": vat_map,
            "gross": money.text(gross),
            "total": money.text(payable),
            "difference": money.text(diff) if diff else None,
        }
        bill = office.create(
            "bill",
            {k: v for k, v in data.items() if v is not None},
            note=f"{sup.get('name')} invoice {number} for {po.id}",
            action="book",
        )
        postings = [(GRNI, net)]
        vat = invoices.vat_total(vat_map)
        if vat:
            postings.append((VAT_INPUT, vat))
        if diff:
            postings.append((DIFFERENCES, diff))
        postings.append((PAYABLE, -payable))
        ledger.post(
            office, day, f"Bill {number} of {sup.get('name')} for {po.id}", postings, ref=bill.id, kind="bill"
        )
        said = f"{bill.id}: {sup.get('name')} invoice {number}, {money.fmt(payable, cur)}"
        if diff:
            said += f" (difference {money.text(diff)} accepted)"
        if left:
            said += "; not received, no longer expected: " + ", ".join(f"{s} {q}" for s, q in left.items())
        if note:
            said += f"; {note}"
        office.handoff(po, "bill", note=said, changes={"bill": bill.id})
        office.messages.append(f"bill {bill.id} for {po.id}")
        return bill


# -- bills without a purchase order -----------------------------------------------


def _rate(office, text, what: str) -> str:
    rate = money.parse_rate(text, what)
    if rate not in office.config.vat_rates:
        known = ", ".join(money.rate_text(r) for r in office.config.vat_rates)
        raise UserError(f"{what}: {text}: not a VAT rate of this office ({known}; see office.yaml vat.rates)")
    return money.rate_text(rate)


def parse_line(office, text: str, account: str) -> dict:
    """'DESC:NET:RATE[:ACCOUNT]' -> a bill line {name, account, net, vat}."""
    parts = str(text).split(":", 3)
    what = f"--line {text!r}"
    if len(parts) < 3 or not parts[0].strip():
        raise UserError(f"{what}: not DESCRIPTION:NET:RATE[:ACCOUNT] (e.g. 'Ενοίκιο:500.00:24')")
    net = money.parse(parts[1], f"{what}: net", allow_negative=False)
    if net == 0:
        raise UserError(f"{what}: net: must be more than 0")
    acct = ledger.check_account(office, parts[3].strip() if len(parts) == 4 else account)
    if acct in office.config.control_accounts:
        raise UserError(f"{what}: account {acct}: a control account; a bill line is an expense or an asset")
    return {
        "name": parts[0].strip(),
        "account": acct,
        "net": money.text(net),
        "vat": _rate(office, parts[2], what),
    }


def billed_receipts(office) -> dict[str, str]:
    """receipt move ID -> the bill that billed it (bills without a PO)."""
    out: dict[str, str] = {}
    for bill in office.records("bill"):
        for line in bill.get("lines") or []:
            if isinstance(line, dict) and line.get("receipt"):
                out[str(line["receipt"])] = bill.id
    return out


def receipt_line(office, text: str, billed: dict[str, str]) -> dict:
    """'MOV[:RATE]' -> a bill line for a stock receipt made without a PO, debited to GRNI."""
    from officecli.office.back import stock

    ref, _, rate = str(text).partition(":")
    move = office.get("stock_move", ref.strip())
    if move.get("reason") != stock.RECEIVE or move.get("ref"):
        raise UserError(
            f"--receipt {text}: {move.where}: not a `stock receive` without a purchase order "
            "(a PO's receipts are billed with 'purchase bill')"
        )
    if move.id in billed:
        raise UserError(f"--receipt {text}: {move.where}: already billed on {billed[move.id]}")
    value = stock.move_value(move)
    return {
        "name": f"{move.get('qty')} x {move.get('sku')} received ({move.id})",
        "account": GRNI,
        "receipt": move.id,
        "net": money.text(value),
        "vat": _rate(office, rate or office.config.default_vat, f"--receipt {text}"),
    }


def add(
    office,
    supplier: str,
    when: str,
    line_texts=(),
    receipts=(),
    number: str | None = None,
    due: str | None = None,
    vat_printed: str | None = None,
    account: str = OTHER,
    note: str | None = None,
) -> Record:
    """A supplier's bill without a purchase order (rent, utilities, services, or stock
    received without a PO): Expenses/GRNI + VATInput / Payable, in one change."""
    if not line_texts and not receipts:
        raise UserError("bill add: give at least one --line DESC:NET:RATE or --receipt MOV")
    day = clock.parse_date(when, "--date")
    due_day = clock.parse_date(due, "--due") if due is not None else None
    if due_day is not None and due_day < day:
        raise UserError(f"--due {due_day.isoformat()}: before the bill's --date {day.isoformat()}")
    printed = (
        money.parse(vat_printed, "--vat-total", allow_negative=False) if vat_printed is not None else None
    )
    number = (number or "").strip() or None
    with office.change():
        need_accounts(office, VAT_INPUT, PAYABLE, *((GRNI,) if receipts else ()))
        sup = suppliers.get(office, supplier, "--supplier")
        if day > office.today():
            raise UserError(
                f"--date {day.isoformat()}: lies in the future (today is {office.today().isoformat()})"
            )
        if number is not None:
            for other in office.records("bill"):
                if other.get("supplier") == sup.id and number_key(other.get("number")) == number_key(number):
                    raise UserError(
                        f"--number {number}: {sup.id} {sup.get('name')} already billed invoice "
                        f"{other.get('number')} as {other.id} ({other.path})"
                    )
        lines = [parse_line(office, t, account) for t in line_texts]
        billed = billed_receipts(office) if receipts else {}
        for t in receipts:
            line = receipt_line(office, t, billed)
            billed[line["receipt"]] = "this bill"
            lines.append(line)
        net, vat_map, gross = invoices.totals(lines)
        ours = invoices.vat_total(vat_map)
        vat = printed if printed is not None else ours
        diff = money.q(vat - ours)
        total = money.q(net + vat)
        cur = office.config.currency
        data = {
            "id": office.new_id("bill"),
            "supplier": sup.id,
            "number": number,
            "date": day.isoformat(),
            "due": (due_day or day + timedelta(days=suppliers.terms(office, sup))).isoformat(),
            "currency": cur,
            "lines": lines,
            "net": money.text(net),
            "vat": vat_map,
            "gross": money.text(gross),
            "vat_printed": money.text(printed) if printed is not None else None,
            "vat_difference": money.text(diff) if diff else None,
            "total": money.text(total),
        }
        what = f"{sup.get('name')} invoice {number}" if number else f"{sup.get('name')} bill"
        bill = office.create(
            "bill", {k: v for k, v in data.items() if v is not None}, note=note or what, action="book"
        )
        by_account: dict[str, Decimal] = {}
        for line in lines:
            by_account[line["account"]] = by_account.get(line["account"], money.ZERO) + Decimal(line["net"])
        postings: list[tuple[str, Decimal | None]] = [(a, money.q(v)) for a, v in by_account.items()]
        if vat:
            postings.append((VAT_INPUT, vat))
        postings.append((PAYABLE, -total))
        ledger.post(office, day, f"Bill: {what}", postings, ref=bill.id, kind="bill")
        said = f"bill {bill.id}: {what}, {money.fmt(total, cur)}"
        if diff:
            said += (
                f" (VAT as printed {money.text(vat)}, ours {money.text(ours)}: difference {money.text(diff)})"
            )
        office.messages.append(said)
        return bill


def input_vat(bill: Record) -> Decimal:
    """The VAT a bill books to Assets:VATInput: its VAT per rate, plus the difference to
    what the supplier printed (``vat_difference``)."""
    return money.q(invoices.vat_total(bill.get("vat")) + Decimal(str(bill.get("vat_difference") or "0")))


# -- reading --------------------------------------------------------------------


def amounts_by_ref(office, txns=None) -> dict[str, dict[str, Decimal]]:
    """bill ID -> {owed: what we still owe (minus the Payable postings), paid: what we paid}
    (``txns``: the transactions to read, default every one)."""
    from officecli.office import summaries

    if txns is None and summaries.usable(office):  # the ledger's month summaries
        return summaries.bill_amounts(office)
    out: dict[str, dict[str, Decimal]] = {}
    for txn in office.records("ledger_txn") if txns is None else txns:
        ref = txn.data.get("ref")
        if not ref or not str(ref).startswith("BIL-"):
            continue
        for acct, amount in ledger.postings_of(txn):
            if acct == PAYABLE:
                v = out.setdefault(ref, {"owed": money.ZERO, "paid": money.ZERO})
                v["owed"] -= amount
                if txn.data.get("kind") == "bill-payment":
                    v["paid"] += amount
    return out


def owed(office, bill: Record, amounts: dict | None = None) -> Decimal:
    amounts = amounts if amounts is not None else amounts_by_ref(office)
    return money.q(amounts.get(bill.id, {}).get("owed", money.ZERO))


def is_overdue(bill: Record, left: Decimal, today: Date) -> bool:
    due = bill.get("due")
    return bill.state == "open" and left > 0 and clock.is_date(due) and clock.parse_date(due) < today


def row(office, bill: Record, amounts: dict, today: Date, names: dict | None = None) -> dict:
    left = owed(office, bill, amounts)
    out = bill.as_row()
    out["supplier_name"] = (names or {}).get(bill.get("supplier"), "")
    out["paid"] = money.text(amounts.get(bill.id, {}).get("paid", money.ZERO))
    out["owed"] = money.text(left)
    out["overdue"] = is_overdue(bill, left, today)
    out["history"] = out.pop("history", None)
    return out


def listing(office, states=None, supplier: str | None = None, overdue: bool = False) -> list[dict]:
    sup = suppliers.get(office, supplier, "--supplier").id if supplier else None
    amounts = amounts_by_ref(office)
    names = {s.id: s.get("name") for s in office.records("supplier")}
    today = office.today()
    out = []
    for bill in office.records("bill", states):
        if sup and bill.get("supplier") != sup:
            continue
        r = row(office, bill, amounts, today, names)
        if overdue and not r["overdue"]:
            continue
        out.append(r)
    return sorted(out, key=lambda r: (str(r.get("date")), r["id"]))


def payments(office, bill_id: str) -> list[dict]:
    out = []
    for txn in office.records("ledger_txn"):
        if txn.data.get("ref") != bill_id or txn.data.get("kind") != "bill-payment":
            continue
        paid = sum((a for acct, a in ledger.postings_of(txn) if acct == PAYABLE), money.ZERO)
        method = next(
            (m for m, acct in METHODS.items() if any(a == acct for a, _ in ledger.postings_of(txn))), ""
        )
        out.append(
            {"date": txn.data.get("date"), "txn": txn.id, "method": method, "amount": money.text(paid)}
        )
    return sorted(out, key=lambda p: (p["date"], p["txn"]))


# -- paying ---------------------------------------------------------------------


def pay(
    office,
    ref: str,
    amount_text: str,
    method: str = "bank",
    when: str | None = None,
    account: str | None = None,
) -> tuple[Record, Decimal, Record]:
    """Pay (part of) a bill; (bill, still owed, ledger txn). Fully paid: bill -> paid, PO -> closed.
    ``account``: the bank account the money left (`bank match`), else the method's."""
    if method not in METHODS:
        raise UserError(f"--method {method!r}: one of {', '.join(METHODS)}")
    with office.change():
        bill = office.get("bill", ref)
        if bill.state != "open":
            raise office.wrong_state(bill, "pay")
        left = owed(office, bill)
        amount, day, cur = invoices.payment(office, bill, bill.where, amount_text, when, left, "bill")
        txn = ledger.post(
            office,
            day,
            f"Payment of {bill.id} ({bill.get('number') or 'no number'}, {method})",
            [(PAYABLE, amount), (account or METHODS[method], -amount)],
            ref=bill.id,
            kind="bill-payment",
        )
        rest = money.q(left - amount)
        note = f"{money.fmt(amount, cur)} by {method} on {day.isoformat()} ({txn.id})"
        office.messages.append(f"payment of {bill.id}: {money.text(amount)} {cur}")
        if rest == 0:
            bill = office.handoff(bill, "pay", note=note + "; paid in full")
            po = office.find_any(str(bill.get("purchase"))) if bill.get("purchase") else None
            if po is not None and po.state == "billed":
                office.handoff(po, "close", note=f"bill {bill.id} paid")
        else:
            bill = office.note(bill, "payment", note=note + f"; {money.fmt(rest, cur)} still owed")
        return bill, rest, txn


# -- ledger check ---------------------------------------------------------------


def check(office, txns: dict[str, Record]) -> list[str]:
    """Bills whose folder disagrees with the ledger (the readable, balanced ``txns``
    by ID), one line each ('path: problem')."""
    out = []
    amounts = amounts_by_ref(office, txns.values())
    try:
        all_bills = office.records("bill")
    except UserError as exc:
        return [str(exc)]
    for bill in all_bills:
        left = owed(office, bill, amounts)
        if bill.id not in amounts:
            out.append(f"{bill.path}: no ledger transaction booked this bill (kind bill, ref {bill.id})")
        elif bill.state == "paid" and left != 0:
            out.append(f"{bill.path}: paid, but the ledger says {money.text(left)} is still owed")
        elif bill.state == "open" and left <= 0:
            out.append(f"{bill.path}: open, but the ledger says nothing is owed ({money.text(left)})")
    return out
