"""Invoices and credit notes: gapless numbers, VAT per rate, payments, credit.

Numbering. An invoice's ID is ``INV-<SERIES>-<NUMBER>`` and its file
``back/invoices/<state>/INV-<SERIES>-<NUMBER>.yaml``; a credit note's is
``CRN-<SERIES>-<NUMBER>`` in ``back/invoices/credit-notes/``. The series is
the ``invoice_series`` of office.yaml (``{site}`` by default, so each site
numbers its own invoices), or ``--series``: 1 to 8 capitals or digits.
Numbers are allocated at issue time, under the writer lock, as one more than
the highest number the series has ever used -- counting invoice files, credit
notes, orders' ``invoice`` fields and ledger refs -- so a number is never
skipped and never handed out twice, even if a file is deleted by hand.

An issued invoice's fields are never edited: payments and credit are history
entries, and what was paid is read from the ledger (the postings to
Assets:Receivable whose ref is the invoice).
"""

from __future__ import annotations

from datetime import date as Date
from datetime import timedelta
from decimal import Decimal

from officecli.office import clock, money, periods
from officecli.office.accounts import METHODS, RECEIVABLE, SALES, VAT
from officecli.office.books import ledger
from officecli.office.records import Record
from officecli.store import ids
from officecli.store.errors import UserError

# -- series and numbers ---------------------------------------------------------


def default_series(office) -> str:
    from officecli.office import numbering

    return numbering.default_series(office)


def check_series(text: str, what: str = "--series") -> str:
    series = str(text).strip().upper()
    if not ids.SITE_RE.match(series):
        raise UserError(
            f"{what} {text!r}: a series is 1 to 8 capital letters or digits "
            "(e.g. A, or B2026); IDs are INV-<SERIES>-<NUMBER>"
        )
    return series


def _used_numbers(office, prefix: str, series: str) -> set[int]:
    """Every number of PREFIX-SERIES-* that any file has ever named."""
    kind = "invoice" if prefix == "INV" else "credit_note"
    names = set(office.all_ids(kind))
    for txn in office.records("ledger_txn"):
        names.update(str(txn.data.get(k)) for k in ("ref", "document") if txn.data.get(k))
    if prefix == "INV":
        names.update(str(c.data.get("invoice")) for c in office.records("credit_note"))
        names.update(str(o.data.get("invoice")) for o in office.records("order") if o.data.get("invoice"))
    out = set()
    for name in names:
        p = ids.parse_id(name)
        if p and p[0] == prefix and p[1] == series:
            out.add(p[2])
    return out


def next_id(office, prefix: str, series: str) -> str:
    """The next number of a series, from the high-water mark (Office.next_number: the
    invoice or credit-note folders whose stat moved are listed, nothing is parsed);
    the first time a series is numbered in a clone, every place a number can appear
    is searched (``_used_numbers``). ``ledger check``/``doctor`` search them all."""
    from officecli.office import numbering  # only the series' owner site numbers it (office.yaml)

    numbering.require_series(office, series, "invoice" if prefix == "INV" else "credit note")
    kind = "invoice" if prefix == "INV" else "credit_note"
    number = office.next_number(
        [kind], prefix, series, seed=lambda: max(_used_numbers(office, prefix, series), default=0)
    )
    ident = ids.format_id(prefix, series, number)
    office._fresh.add(ident)
    return ident


def gaps(office, prefix: str = "INV") -> list[str]:
    """Numbers missing from each series (a deleted or lost file), as IDs."""
    kind = "invoice" if prefix == "INV" else "credit_note"
    by_series: dict[str, set[int]] = {}
    for ident in office.all_ids(kind):
        p = ids.parse_id(ident)
        if p and p[0] == prefix:
            by_series.setdefault(p[1], set()).add(p[2])
    out = []
    for series, nums in sorted(by_series.items()):
        out += [ids.format_id(prefix, series, n) for n in range(1, max(nums)) if n not in nums]
    return out


# -- amounts --------------------------------------------------------------------


def _product(office, sku: str) -> dict:
    try:
        return office.get("product", sku).data
    except UserError:
        return {}


def invoice_lines(office, order: Record) -> list[dict]:
    """The order's lines priced for the invoice: sku, name, qty, price (net), vat, net."""
    out = []
    where = f"order {order.id} ({order.path})"
    lines = order.data.get("lines") or []
    if not isinstance(lines, list) or not lines:
        raise UserError(f"{where}: lines: the order has no lines to invoice")
    for i, line in enumerate(lines, 1):
        if not isinstance(line, dict) or not line.get("sku"):
            raise UserError(f"{where}: lines: line {i} has no sku")
        sku = str(line["sku"])
        product = None
        price = line.get("price")
        rate = line.get("vat")
        if price is None or rate is None or not line.get("name"):
            product = _product(office, sku)
            price = price if price is not None else product.get("price")
            rate = rate if rate is not None else product.get("vat", office.config.default_vat)
        qty = line.get("qty")
        if not isinstance(qty, int) or isinstance(qty, bool) or qty <= 0:
            raise UserError(f"{where}: lines: line {i} ({sku}): qty {qty!r} is not a positive whole number")
        if price is None:
            raise UserError(f"{where}: lines: line {i} ({sku}): no price on the line or the product")
        unit = money.parse(price, f"{where}: lines: line {i} ({sku}): price", allow_negative=False)
        vat = money.parse_rate(rate, f"{where}: lines: line {i} ({sku}): vat")
        name = line.get("name") or (product or {}).get("name") or sku
        out.append(
            {
                "sku": sku,
                "name": str(name),
                "qty": qty,
                "price": money.text(unit),
                "vat": money.rate_text(vat),
                "net": money.text(money.q(unit * qty)),
            }
        )
    return out


def totals(lines: list[dict]) -> tuple[Decimal, dict[str, dict], Decimal]:
    """(net, {rate: {net, vat}}, gross): VAT computed once per rate on that rate's net."""
    by_rate: dict[str, Decimal] = {}
    for line in lines:
        by_rate[line["vat"]] = by_rate.get(line["vat"], Decimal("0")) + Decimal(line["net"])
    vat_map = {}
    net = Decimal("0.00")
    vat_total = Decimal("0.00")
    for rate in sorted(by_rate, key=lambda r: -Decimal(r)):
        rnet = money.q(by_rate[rate])
        rvat = money.q(rnet * Decimal(rate) / 100)
        vat_map[rate] = {"net": money.text(rnet), "vat": money.text(rvat)}
        net += rnet
        vat_total += rvat
    return money.q(net), vat_map, money.q(net + vat_total)


def vat_total(vat_map: dict) -> Decimal:
    return money.q(sum((Decimal(str(v["vat"])) for v in (vat_map or {}).values()), Decimal("0")))


# -- the payment reference ------------------------------------------------------


def creditor_reference(inv_id: str) -> str:
    """The ISO 11649 structured creditor reference of an invoice: ``RF``, two check
    digits (ISO 7064 MOD 97-10, from python-stdnum) and the ID's letters and digits
    (``INV-A-0042`` -> ``RF..INVA0042``). A customer's bank carries it unchanged to
    our statement, where `bank match` finds it."""
    from stdnum import iso11649  # python-stdnum: only where a reference is made or read
    from stdnum.iso7064 import mod_97_10

    body = "".join(ch for ch in str(inv_id).upper() if ch.isascii() and ch.isalnum())[:21]
    ref = "RF" + mod_97_10.calc_check_digits(body + "RF") + body
    iso11649.validate(ref)
    return ref


def reference(inv: Record) -> str:
    """The invoice's RF reference: as issued (``reference``), else computed from its ID
    (invoices issued before references existed)."""
    return str(inv.data.get("reference") or creditor_reference(inv.id))


# -- reading --------------------------------------------------------------------


def receivable_by_ref(office) -> dict[str, Decimal]:
    """ref -> the sum of its postings to Assets:Receivable (what is still owed)."""
    return {ref: v["owed"] for ref, v in amounts_by_ref(office).items()}


def amounts_by_ref(office, refs=None) -> dict[str, dict[str, Decimal]]:
    """ref -> {owed: the sum of its Assets:Receivable postings, paid: what its
    payments brought in}, read from the ledger in one pass (from the per-month
    summaries in the cache when they may be used: office/summaries.py). ``refs``:
    only these are needed (others may be left out)."""
    from officecli.office import summaries

    if summaries.usable(office):
        return summaries.amounts_by_ref(office, RECEIVABLE, refs)
    out: dict[str, dict[str, Decimal]] = {}
    for txn in office.records("ledger_txn"):
        ref = txn.data.get("ref")
        if not ref:
            continue
        for acct, amount in ledger.postings_of(txn):
            if acct == RECEIVABLE:
                v = out.setdefault(ref, {"owed": Decimal("0.00"), "paid": Decimal("0.00")})
                v["owed"] += amount
                if txn.data.get("kind") == "payment":
                    v["paid"] -= amount
    return out


def payments(office, inv_id: str) -> list[dict]:
    """The payments of an invoice: date, txn, method, amount (from the ledger)."""
    out = []
    for txn in office.records("ledger_txn"):
        if txn.data.get("ref") != inv_id or txn.data.get("kind") != "payment":
            continue
        got = sum((a for acct, a in ledger.postings_of(txn) if acct == RECEIVABLE), Decimal("0"))
        method = next(
            (m for m, acct in METHODS.items() if any(a == acct for a, _ in ledger.postings_of(txn))), ""
        )
        out.append(
            {"date": txn.data.get("date"), "txn": txn.id, "method": method, "amount": money.text(-got)}
        )
    return sorted(out, key=lambda p: (p["date"], p["txn"]))


def credit_notes_of(office, inv_id: str) -> list[Record]:
    return [c for c in office.records("credit_note") if c.data.get("invoice") == inv_id]


def outstanding(office, inv: Record, amounts: dict | None = None) -> Decimal:
    amounts = amounts if amounts is not None else amounts_by_ref(office, [inv.id])
    return money.q(amounts.get(inv.id, {}).get("owed", Decimal("0")))


def credited_by_invoice(office, ids=None) -> dict[str, Decimal]:
    """invoice ID -> the gross of its credit notes (only ``ids`` when given)."""
    out: dict[str, Decimal] = {}
    for note in office.records("credit_note"):
        inv = note.data.get("invoice")
        if inv and (ids is None or inv in ids):
            out[inv] = out.get(inv, money.ZERO) + money.parse(
                note.data.get("gross") or "0", f"{note.id}: gross"
            )
    return out


def row(office, inv: Record, amounts: dict, today: Date, credited: dict | None = None) -> dict:
    """The invoice for listings: its fields plus paid, credited (its credit notes'
    gross), owed and overdue (``amounts`` from amounts_by_ref, ``credited`` from
    credited_by_invoice)."""
    owed = outstanding(office, inv, amounts)
    paid = amounts.get(inv.id, {}).get("paid", Decimal("0"))
    if credited is None:
        credited = credited_by_invoice(office, {inv.id})
    out = inv.as_row()
    out["paid"] = money.text(paid)
    out["credited"] = money.text(credited.get(inv.id, money.ZERO))
    out["owed"] = money.text(owed)
    out["overdue"] = is_overdue(inv, owed, today)
    history = out.pop("history", None)
    out["history"] = history
    return out


def is_overdue(inv: Record, balance: Decimal, today: Date) -> bool:
    due = inv.data.get("due")
    return inv.state == "open" and balance > 0 and clock.is_date(due) and clock.parse_date(due) < today


# -- issuing --------------------------------------------------------------------


def _last_date(office, kind: str, series: str) -> str | None:
    """The date of the series' last document: its highest-numbered one (numbers are
    issued in date order), read alone; every one when that file is not there."""
    prefix = "INV" if kind == "invoice" else "CRN"
    top = office.next_number([kind], prefix, series) - 1
    where = office.places(office.kind(kind), ids.format_id(prefix, series, top)) if top else []
    if len(where) == 1:
        state = office.kind(kind).state_of(where[0].rpartition("/")[0])
        # parsed alone: the cache shard of a folder of 20,000 paid invoices is 15 MB
        rec = office.load_path(office.kind(kind), state, where[0], cached=False)
        return str(rec.data.get("date")) if rec.data.get("date") else None
    dates = [
        str(r.data.get("date"))
        for r in office.records(kind)
        if str(r.data.get("series")) == series and r.data.get("date")
    ]
    return max(dates) if dates else None


def issue(office, order_ref: str, series: str | None = None, facts=None) -> Record:
    """Invoice a shipped order (inside an open ``office.change()``). ``facts(order,
    customer, lines)``, when given, returns more fields to freeze on the invoice (the
    e-invoice facts: office/einvoice/facts.at_issue), its ``lines`` replacing the lines."""
    series = (
        check_series(series)
        if series is not None
        else check_series(default_series(office), "office.yaml: invoice_series")
    )
    from officecli.office import numbering  # refused at a site that does not own the series, first

    numbering.require_series(office, series)
    order = office.get("order", order_ref)
    if order.state != "shipped":
        raise office.wrong_state(order, "invoice")
    if order.data.get("invoice"):
        raise UserError(
            f"order {order.id} ({order.path}): invoice: already invoiced as {order.data['invoice']}"
        )
    if not order.data.get("customer"):
        raise UserError(f"order {order.id} ({order.path}): customer: missing")
    today = office.today()
    last = _last_date(office, "invoice", series)
    if last and last > today.isoformat() and not periods.ahead(office, last):  # (beyond: a clock
        # that ran ahead wrote it; doctor names it, and it does not stop today's invoices)
        raise UserError(
            f"invoice series {series}: its last invoice is dated {last}, after today "
            f"({today.isoformat()}); invoices are numbered in date order"
        )
    lines = invoice_lines(office, order)
    net, vat_map, gross = totals(lines)
    inv_id = next_id(office, "INV", series)
    customer = office.find_any(str(order.data["customer"]))
    bill_to = {}
    if customer is not None:
        bill_to = {
            k: customer.data.get(k)
            for k in ("name", "address", "vat_number", "email", "tax_office", "country")
            if customer.data.get(k)
        }
        if isinstance(customer.data.get("business"), bool):
            bill_to["business"] = str(customer.data["business"]).lower()
    extra = facts(order, customer, lines) if facts is not None else {}
    lines = extra.pop("lines", lines)
    data = {
        "id": inv_id,
        "series": series,
        "order": order.id,
        "customer": str(order.data["customer"]),
        "bill_to": bill_to or None,
        "date": today.isoformat(),
        "due": (today + timedelta(days=office.config.payment_terms_days)).isoformat(),
        **extra,
        "currency": office.config.currency,
        "lines": lines,
        "net": money.text(net),
        "vat": vat_map,
        "gross": money.text(gross),
        "reference": creditor_reference(inv_id),
    }
    inv = office.create(
        "invoice",
        {k: v for k, v in data.items() if v is not None},
        note=f"for order {order.id}",
        action="issue",
    )
    postings = [(RECEIVABLE, gross), (SALES, -net)]
    total_vat = vat_total(vat_map)
    if total_vat:
        postings.append((VAT, -total_vat))
    ledger.post(office, today, f"Invoice {inv_id} for order {order.id}", postings, ref=inv_id, kind="invoice")
    office.handoff(order, "invoice", note=inv_id, changes={"invoice": inv_id})
    return inv


def payment(
    office,
    rec: Record,
    where: str,
    amount_text: str,
    when: str | None,
    owed: Decimal,
    noun: str,
    future_hint: str = "",
) -> tuple[Decimal, Date, str]:
    """(amount, day, currency) of a payment of ``owed`` on an invoice or a bill, checked:
    AMOUNT is money or 'all' (what is owed) and more than 0; --date (default today) is
    neither in the future (the refusal ends with ``future_hint``) nor before the
    ``noun``'s date; the amount is not more than is owed. Shared by invoices and bills."""
    if str(amount_text).strip().lower() == "all":
        amount = owed
    else:
        amount = money.parse(amount_text, "amount", allow_negative=False)
    if amount <= 0:
        raise UserError(f"{where}: amount {amount_text!r}: a payment must be more than 0")
    day = clock.parse_date(when, "--date") if when is not None else office.today()
    if day > office.today():
        raise UserError(
            f"{where}: --date {day.isoformat()} lies in the future (today is "
            f"{office.today().isoformat()}){future_hint}"
        )
    if str(rec.get("date", "")) > day.isoformat() and not periods.ahead(office, str(rec.get("date"))):
        raise UserError(f"{where}: --date {day.isoformat()} is before the {noun}'s date {rec.get('date')}")
    cur = rec.get("currency") or office.config.currency
    if amount > owed:
        raise UserError(
            f"{where}: paying {money.fmt(amount, cur)} is more than the {money.fmt(owed, cur)} still owed"
        )
    return amount, day, cur


def pay(
    office,
    inv_ref: str,
    amount_text: str | None,
    method: str = "bank",
    when: str | None = None,
    account: str | None = None,
) -> tuple[Record, Decimal, Record]:
    """Record a payment; (invoice, still owed, ledger txn). Fully paid closes it and its order.
    ``method`` "credit": from the customer's money on account (books/advances.py); AMOUNT
    None then takes what is owed or what is on account, whichever is less. ``account``: the
    bank account the money came into (`bank match`), else the method's."""
    from officecli.office.books import advances

    inv = office.get("invoice", inv_ref)
    where = f"invoice {inv.id} ({inv.path})"
    if inv.state != "open":
        raise office.wrong_state(inv, "pay")
    if method not in (*METHODS, "credit"):
        raise UserError(f"--method {method!r}: one of {', '.join(METHODS)}")
    owed = outstanding(office, inv)
    source, document = (account or METHODS.get(method), None)
    if method == "credit":
        customer = str(inv.get("customer"))
        source, document = advances.CUSTOMER_CREDIT, customer
        have = advances.available(office, customer)
        if have <= 0:
            raise UserError(f"{where}: --from-credit: {customer} has no money on account")
        if amount_text is None:
            amount_text = money.text(min(have, owed)) if owed > 0 else "all"
        elif str(amount_text).strip().lower() != "all" and money.is_money(amount_text):
            if money.parse(amount_text) > have:
                raise UserError(
                    f"{where}: --from-credit {amount_text}: {customer} has only {money.text(have)} on account"
                )
        if str(amount_text).strip().lower() == "all" and owed > have:
            raise UserError(
                f"{where}: --from-credit all: {money.text(owed)} is owed, {customer} has only "
                f"{money.text(have)} on account"
            )
    elif amount_text is None:
        raise UserError(
            f"{where}: AMOUNT: give the amount paid (or 'all'); only --from-credit takes it from the account"
        )
    amount, day, cur = payment(
        office, inv, where, amount_text, when, owed, "invoice", "; record a payment once the money is in"
    )
    txn = ledger.post(
        office,
        day,
        f"Payment of {inv.id} ({'from money on account' if method == 'credit' else method})",
        [(source, amount), (RECEIVABLE, -amount)],
        ref=inv.id,
        kind="payment",
        document=document,
    )
    left = money.q(owed - amount)
    note = f"{money.fmt(amount, cur)} by {method} on {day.isoformat()} ({txn.id})"
    if left == 0:
        inv = office.handoff(inv, "pay", note=note + "; paid in full")
        order = office.find_any(str(inv.data.get("order")))
        if order is not None and order.state == "invoiced":
            office.handoff(order, "close", note=f"invoice {inv.id} paid")
    else:
        inv = office.note(inv, "payment", note=note + f"; {money.fmt(left, cur)} still owed")
    return inv, left, txn


def credit(office, inv_ref: str, reason: str | None = None) -> Record:
    """Issue a credit note that reverses the invoice and its postings."""
    inv = office.get("invoice", inv_ref)
    if inv.state not in inv.kind.handoffs["credit"].sources:
        raise office.wrong_state(inv, "credit")
    series = str(inv.data.get("series") or ids.parse_id(inv.id)[1])
    issued = [
        t
        for t in office.records("ledger_txn")
        if t.data.get("ref") == inv.id and t.data.get("kind") == "invoice"
    ]
    if not issued:
        raise UserError(
            f"invoice {inv.id} ({inv.path}): no ledger transaction issued it (run 'officecli ledger check')"
        )
    today = office.today()
    crn_id = next_id(office, "CRN", series)
    data = {
        "id": crn_id,
        "series": series,
        "invoice": inv.id,
        "order": inv.data.get("order"),
        "customer": inv.data.get("customer"),
        "date": today.isoformat(),
        "reason": (reason or "").strip() or None,
        "corrects_mark": (inv.get("mydata") or {}).get("mark")
        if isinstance(inv.get("mydata"), dict)
        else None,
        "currency": inv.data.get("currency"),
        "lines": inv.data.get("lines"),
        "net": inv.data.get("net"),
        "vat": inv.data.get("vat"),
        "gross": inv.data.get("gross"),
    }
    crn = office.create(
        "credit_note",
        {k: v for k, v in data.items() if v is not None},
        state="issued",
        note=f"credits invoice {inv.id}",
        action="issue",
    )
    original = issued[0]
    ledger.post(
        office,
        today,
        f"Credit note {crn_id} for invoice {inv.id}",
        [(acct, -amount) for acct, amount in ledger.postings_of(original)],
        ref=inv.id,
        reverses=original.id,
        kind="credit",
        document=crn_id,
    )
    office.handoff(
        inv, "credit", note=f"{crn_id}" + (f": {reason.strip()}" if reason and reason.strip() else "")
    )
    order = office.find_any(str(inv.data.get("order")))
    if order is not None and order.state == "invoiced" and order.data.get("invoice") in (None, inv.id):
        # (an order whose invoice is another one - a second invoice two sites issued
        # for it, credited by 'officecli resolve' - stays invoiced by that one)
        office.handoff(order, "close", note=f"invoice {inv.id} credited by {crn_id}")
    return crn


def listing(office, states=None, customer: str | None = None, overdue: bool = False) -> list[dict]:
    invs = [
        inv
        for inv in office.records("invoice", states)
        if not customer or inv.data.get("customer") == customer
    ]
    # a few states or one customer: the ledger's sums of just these invoices (not of every
    # invoice ever issued: the open ones are a tenth of them at 100k)
    ids = None if states is None and customer is None else [inv.id for inv in invs]
    amounts = amounts_by_ref(office, ids)
    credited = credited_by_invoice(office, None if ids is None else set(ids))
    today = office.today()
    out = []
    for inv in invs:
        r = row(office, inv, amounts, today, credited)
        if overdue and not r["overdue"]:
            continue
        out.append(r)
    return sorted(out, key=lambda r: (str(r.get("date")), r["id"]))


def check(office, txns: dict[str, Record]) -> list[str]:
    """Each invoice against the ledger (``txns``: the readable, balanced entries): its
    figures, the entry that issued it, what is owed for its state; and gapless numbers."""
    out = []
    owed: dict[str, Decimal] = {}
    issued: dict[str, Decimal] = {}
    for rec in txns.values():
        ref = rec.data.get("ref")
        for acct, amount in ledger.postings_of(rec):
            if acct == RECEIVABLE and ref:
                owed[ref] = owed.get(ref, Decimal("0")) + amount
                if rec.data.get("kind") == "invoice":
                    issued[ref] = issued.get(ref, Decimal("0")) + amount
    try:
        all_invoices = office.records("invoice")
    except UserError as exc:
        return [str(exc)]
    for inv in all_invoices:
        d = inv.data
        where = f"{inv.path}"
        try:
            lines = d.get("lines") or []
            net = money.q(sum((Decimal(str(line["net"])) for line in lines), Decimal("0")))
            gross = Decimal(str(d.get("gross")))
            if net != Decimal(str(d.get("net"))):
                out.append(f"{where}: net: {d.get('net')} but the lines add up to {money.text(net)}")
            if money.q(Decimal(str(d.get("net"))) + vat_total(d.get("vat"))) != gross:
                out.append(f"{where}: gross: {d.get('gross')} is not net + VAT")
        except Exception:
            out.append(f"{where}: lines, net, vat or gross are not readable amounts")
            continue
        if inv.id not in issued:
            out.append(f"{where}: no ledger transaction issued this invoice (kind invoice, ref {inv.id})")
        elif issued[inv.id] != gross:
            out.append(f"{where}: gross: {d.get('gross')} but the ledger booked {money.text(issued[inv.id])}")
        left = money.q(owed.get(inv.id, Decimal("0")))
        if inv.state == "paid" and left > 0:  # < 0: owed back after a credit (invoice refund)
            out.append(f"{where}: paid, but the ledger says {money.text(left)} is still owed")
        if inv.state == "open" and left <= 0:
            out.append(f"{where}: open, but the ledger says nothing is owed ({money.text(left)})")
    for missing in gaps(office, "INV") + gaps(office, "CRN"):
        out.append(f"back/invoices/: {missing} is missing: invoice numbers must have no gaps")
    return out
