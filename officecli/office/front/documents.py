"""Documents the customer holds, built from the records: the data a template prints.

One function per kind, each returning one plain dict (text and lists only)
that a template lays out and never computes with:

    quote(office, ref)           a quote; ``mark`` DRAFT while it is a draft
    invoice(office, ref)         an issued invoice
    credit_note(office, ref)     a credit note, naming the invoice it corrects
    delivery_note(office, ref)   an order once shipped: lines and quantities, no prices
    statement(office, customer, begin, end)
                                 invoices, credit notes, payments, refunds and the
                                 running balance of one customer's account

Figures come from the code the ``show`` commands use, never recomputed here
or in a template: an invoice's and a credit note's lines, VAT per rate and
totals are the ones stored when it was issued (what ``invoice show``
prints); a quote's are ``lines.totals`` (what ``quote show`` prints); a
statement's amounts are the ledger's postings to Assets:Receivable whose ref
is one of the customer's invoices -- the same postings ``customers.owed``
sums, so the statement's closing balance (without --end) is what
``customer show`` says is owed -- less the customer's money on account
(``customer pay``: Liabilities:CustomerCredit, books/advances.py), whose
payment is a line of its own; applying it to an invoice moves nothing.

Every document has: kind, title (Greek / English), number, date (the
document's own date: it also stamps the PDF, so a reprint is identical),
seller (office.yaml ``company``), buyer, currency, lines, and kind-specific
parts. An issued invoice's buyer is its ``bill_to`` (frozen at issue), so
a later edit of the customer never changes a reprint; payments are not on
an invoice (they are on the statement) for the same reason.
"""

from __future__ import annotations

from datetime import date as Date
from datetime import timedelta
from decimal import Decimal

from officecli.office import clock, money
from officecli.office.accounts import BANK, CUSTOMER_CREDIT, RECEIVABLE
from officecli.office.accounts import CASH as CASH_ACCOUNT
from officecli.office.books import advances, ledger
from officecli.office.einvoice import facts
from officecli.office.front import orders
from officecli.office.lines import priced_lines, totals
from officecli.office.records import Record
from officecli.store.errors import UserError

KINDS = ("quote", "invoice", "credit-note", "delivery-note", "statement")
TITLES = {
    "quote": ("ΠΡΟΣΦΟΡΑ", "Quote"),
    "invoice": ("ΤΙΜΟΛΟΓΙΟ", "Invoice"),
    "credit-note": ("ΠΙΣΤΩΤΙΚΟ ΤΙΜΟΛΟΓΙΟ", "Credit note"),
    "delivery-note": ("ΔΕΛΤΙΟ ΑΠΟΣΤΟΛΗΣ", "Delivery note"),
    "statement": ("ΚΑΡΤΕΛΑ ΠΕΛΑΤΗ", "Customer statement"),
}
SHIPPED = ("shipped", "invoiced", "closed")  # order states that have left the warehouse
CASH = (BANK, CASH_ACCOUNT)
_BUYER = ("name", "address", "vat_number", "tax_office", "country", "email", "phone")


def tax_office(text: object) -> str:
    """A tax office without the label it may carry ('ΔΟΥ Α' Αθηνών' -> 'Α' Αθηνών'),
    so the document's own 'ΔΟΥ' label is not said twice."""
    out = str(text or "").strip()
    for label in ("Δ.Ο.Υ.", "Δ.Ο.Υ", "ΔΟΥ", "D.O.Y.", "DOY"):
        if out.upper().startswith(label.upper()):
            return out[len(label) :].lstrip(" :.-") or out
    return out


def _base(office, kind: str, number: str, day: str, buyer: dict, state: str) -> dict:
    greek, english = TITLES[kind]
    seller = dict(office.config.company)
    seller["tax_office"] = tax_office(seller.get("tax_office"))
    buyer = {**buyer, "tax_office": tax_office(buyer.get("tax_office"))}
    return {
        "kind": kind,
        "title": greek,
        "title_en": english,
        "number": number,
        "date": day,
        "state": state,
        "mark": None,
        "seller": seller,
        "buyer": {k: str(buyer.get(k) or "") for k in _BUYER},
        "locale": str(facts.settings(office).get("locale") or "el_GR"),
        "einvoice": None,  # an invoice's or credit note's myDATA facts (_einvoice)
        "warnings": [],
        "currency": office.config.currency,
        "lines": [],
        "refs": [],
        "note": "",
    }


def _customer(office, ident) -> dict:
    hit = office.find_any(str(ident)) if ident else None
    return dict(hit.data) if hit is not None and hit.kind.name == "customer" else {}


def _vat_rows(vat_map: dict) -> list[dict]:
    return [
        {
            "rate": money.rate_text(rate),
            "net": money.text(Decimal(str(v["net"]))),
            "vat": money.text(Decimal(str(v["vat"]))),
        }
        for rate, v in (vat_map or {}).items()
    ]


def _einvoice(office, doc: dict, rec: Record) -> None:
    """The facts the law wants on the page (office/einvoice/facts.py): the myDATA type,
    date of supply, delivery note, payment method, units, the reason of a 0 % rate,
    the buyer's tax office and country, and, once reported, ΜΑΡΚ, UID and QR URL."""
    f = facts.document(office, rec)
    names = facts.settings(office).get("unit_names") or {}
    for line, fl in zip(doc["lines"], f["lines"]):
        line["unit"] = str(names.get(fl["unit"], fl["unit"]))
    reasons = {fl["rate"]: fl["reason"] for fl in f["lines"] if fl["reason"]}
    for row in doc["vat"]:
        row["reason"] = reasons.get(row["rate"], "")
    for key in ("tax_office", "country"):
        doc["buyer"][key] = tax_office(f["buyer"][key]) if key == "tax_office" else f["buyer"][key]
    doc["seller"]["gemi"] = f["seller"]["gemi"]
    doc["einvoice"] = {
        "type": f["type"],
        "type_name": f["type_name"],
        "supplied": f["supplied"],
        "delivery_note": f["delivery_note"],
        "payment": " / ".join(p for p in f["payment_name"] if p),
        "mark": f["mydata"].get("mark", ""),
        "uid": f["mydata"].get("uid", ""),
        "qr_url": f["mydata"].get("qr_url", ""),
        "corrects_mark": (f["corrects"] or {}).get("mark", ""),
    }
    seller = office.config.company
    doc["warnings"] = [
        f"office.yaml: company.{key}: missing: {doc['number']} is printed without the seller's {what}"
        for key, what in (("vat_number", "VAT number"), ("address", "address"))
        if not seller.get(key)
    ]


def _issued(office, doc: dict, rec: Record) -> dict:
    """An issued invoice's or credit note's figures, as stored (what `invoice show` prints)."""
    from officecli.office.books import invoices

    where = f"{rec.kind.label} {rec.id} ({rec.path})"
    for key in ("net", "gross"):
        if not money.is_money(rec.get(key, "x")):
            raise UserError(f"{where}: {key}: {rec.get(key)!r} is not money; run 'officecli doctor'")
    if not isinstance(rec.get("vat"), dict) or not isinstance(rec.get("lines"), list):
        raise UserError(f"{where}: vat or lines: missing or mistyped; run 'officecli doctor'")
    doc["lines"] = [
        {k: str(line.get(k, "")) for k in ("sku", "name", "qty", "price", "vat", "net")}
        for line in rec.get("lines")
        if isinstance(line, dict)
    ]
    doc["vat"] = _vat_rows(rec.get("vat"))
    _einvoice(office, doc, rec)
    doc["net"] = money.text(money.parse(rec.get("net")))
    doc["vat_total"] = money.text(invoices.vat_total(rec.get("vat")))
    doc["gross"] = money.text(money.parse(rec.get("gross")))
    doc["currency"] = str(rec.get("currency") or doc["currency"])
    return doc


def invoice(office, ref: str) -> dict:
    rec = office.get("invoice", ref)
    buyer = (
        rec.get("bill_to") if isinstance(rec.get("bill_to"), dict) else _customer(office, rec.get("customer"))
    )
    doc = _issued(office, _base(office, "invoice", rec.id, str(rec.get("date")), buyer, rec.state), rec)
    due = str(rec.get("due") or "")
    days = ""
    if clock.is_date(due) and clock.is_date(rec.get("date")):
        days = str((clock.parse_date(due) - clock.parse_date(rec.get("date"))).days)
    doc.update(due=due, terms_days=days, customer=str(rec.get("customer") or ""))
    doc["refs"] = [("Παραγγελία / Order", str(rec.get("order") or ""))]
    from officecli.office.books import invoices

    doc["rf"] = iso11649_format(invoices.reference(rec))  # the structured creditor reference
    return doc


def iso11649_format(ref: str) -> str:
    """RF18 INVA 0001: groups of four, as ISO 11649 prints a reference."""
    from stdnum import iso11649

    return str(iso11649.format(ref))


def credit_note(office, ref: str) -> dict:
    rec = office.get("credit_note", ref)
    inv = office.find_any(str(rec.get("invoice") or ""))
    if inv is None or inv.kind.name != "invoice":
        raise UserError(
            f"credit note {rec.id} ({rec.path}): invoice: {rec.get('invoice')!r}: "
            "no such invoice; run 'officecli doctor'"
        )
    buyer = (
        inv.get("bill_to") if isinstance(inv.get("bill_to"), dict) else _customer(office, rec.get("customer"))
    )
    doc = _issued(office, _base(office, "credit-note", rec.id, str(rec.get("date")), buyer, rec.state), rec)
    doc.update(
        corrects=inv.id,
        corrects_date=str(inv.get("date") or ""),
        reason=str(rec.get("reason") or ""),
        customer=str(rec.get("customer") or ""),
    )
    doc["refs"] = [("Διορθώνει / Corrects", inv.id), ("Παραγγελία / Order", str(rec.get("order") or ""))]
    return doc


def quote(office, ref: str) -> dict:
    from officecli.office.front import quotes

    rec = quotes.get(office, ref)
    lines = rec.get("lines") or []
    t = totals(lines)
    day = str(rec.get("sent") or office.today().isoformat())
    doc = _base(office, "quote", rec.id, day, _customer(office, rec.get("customer")), rec.state)
    doc["mark"] = {
        "draft": "DRAFT / ΠΡΟΣΧΕΔΙΟ",
        "declined": "DECLINED / ΑΠΟΡΡΙΦΘΗΚΕ",
        "expired": "EXPIRED / ΕΛΗΞΕ",
    }.get(rec.state)
    doc["lines"] = [
        {k: str(line.get(k, "")) for k in ("sku", "name", "qty", "price", "vat", "net")}
        for line in priced_lines(lines)
    ]
    doc["vat"] = [
        {"rate": rate, "net": money.text(t["bases"][rate]), "vat": money.text(amount)}
        for rate, amount in t["vat"].items()
    ]
    doc["net"] = money.text(t["net"])
    doc["vat_total"] = money.text(sum(t["vat"].values(), money.ZERO))
    doc["gross"] = money.text(t["gross"])
    doc["valid_until"] = str(rec.get("valid_until") or "")
    doc["valid_days"] = str(rec.get("valid_days") or "")
    doc["note"] = str(rec.get("note") or "")
    if rec.get("order"):
        doc["refs"] = [("Παραγγελία / Order", str(rec.get("order")))]
    return doc


def delivery_note(office, ref: str) -> dict:
    rec = orders.get(office, ref)
    shipped = [h for h in rec.get("history") or [] if isinstance(h, dict) and h.get("action") == "ship"]
    if rec.state not in SHIPPED or not shipped:
        raise UserError(
            f"order {rec.id} ({rec.path}): state is {rec.state}; a delivery note is "
            "printed once the order has shipped ('order ship')"
        )
    at = clock.parse_datetime(shipped[-1]["at"]).astimezone(office.tz)
    doc = _base(
        office,
        "delivery-note",
        rec.id,
        at.date().isoformat(),
        _customer(office, rec.get("customer")),
        rec.state,
    )
    doc["lines"] = [
        {"sku": str(line.get("sku", "")), "name": str(line.get("name", "")), "qty": str(line.get("qty", ""))}
        for line in rec.get("lines") or []
        if isinstance(line, dict)
    ]
    doc["pieces"] = str(sum(int(line["qty"]) for line in doc["lines"] if line["qty"].isdigit()))
    doc["shipping"] = str(shipped[-1].get("note") or "")
    doc["note"] = str(rec.get("note") or "")
    doc["refs"] = [("Παραγγελία / Order", rec.id)] + (
        [("Τιμολόγιο / Invoice", str(rec.get("invoice")))] if rec.get("invoice") else []
    )
    return doc


def _entry(txn: Record, amount: Decimal) -> tuple[str, str, str]:
    """(what, document, text) of one statement line."""
    ref, kind = str(txn.get("ref")), txn.get("kind")
    if kind == "invoice":
        return "invoice", ref, f"Τιμολόγιο / Invoice {ref}"
    if kind == "payment":
        how = str(txn.get("description") or "").rpartition("(")[2].rstrip(")")
        return "payment", ref, f"Πληρωμή / Payment of {ref}" + (f" ({how})" if how else "")
    if kind == advances.KIND:
        return "on account", txn.id, "Προκαταβολή / Payment on account"
    if kind == "credit":
        crn = str(txn.get("document") or ref)
        return "credit note", crn, f"Πιστωτικό / Credit note {crn} for {ref}"
    cash = any(acct in CASH for acct, _ in ledger.postings_of(txn))
    if amount > 0 and cash:
        return "refund", txn.id, f"Επιστροφή / Refund on {ref}"
    return "adjustment", txn.id, str(txn.get("description") or f"Adjustment on {ref}")


def statement(office, ref: str, begin: Date | None = None, end: Date | None = None) -> dict:
    """One customer's account in [begin, end): opening balance, every entry, closing balance."""
    cust = orders.find_customer(office, ref)
    theirs = {inv.id: inv for inv in office.records("invoice") if inv.get("customer") == cust.id}
    if begin is not None and end is not None and begin >= end:
        raise UserError(f"--begin {begin.isoformat()} is not before --end {end.isoformat()}")
    if begin is not None and end is None and begin > office.today():
        raise UserError(
            f"--begin {begin.isoformat()} is after today ({office.today().isoformat()}): a statement "
            "without --end runs to today; give a --begin that has passed"
        )
    opening = money.ZERO
    rows = []
    for txn in ledger.transactions(office):
        mine = str(txn.get("ref")) in theirs
        if not mine and advances.customer_of(txn) != cust.id:
            continue
        amount = sum(
            (
                a
                for acct, a in ledger.postings_of(txn)
                if (acct == RECEIVABLE and mine)
                or (acct == CUSTOMER_CREDIT and advances.customer_of(txn) == cust.id)
            ),
            money.ZERO,
        )  # money on account and its use: applying it moves nothing on the customer's account
        if amount == 0:
            continue
        day = str(txn.get("date"))
        if end is not None and day >= end.isoformat():
            continue
        if begin is not None and day < begin.isoformat():
            opening += amount
            continue
        what, document, text = _entry(txn, amount)
        due = str(theirs[str(txn.get("ref"))].get("due") or "") if what == "invoice" else ""
        rows.append(
            {"date": day, "what": what, "document": document, "text": text, "due": due, "amount": amount}
        )
    balance = opening
    lines = []
    for r in rows:
        balance += r["amount"]
        lines.append(
            {
                "date": r["date"],
                "what": r["what"],
                "document": r["document"],
                "text": r["text"],
                "due": r["due"],
                "debit": money.text(r["amount"]) if r["amount"] > 0 else "",
                "credit": money.text(-r["amount"]) if r["amount"] < 0 else "",
                "balance": money.text(balance),
            }
        )
    day = (end - timedelta(days=1)) if end is not None else office.today()
    doc = _base(office, "statement", cust.id, day.isoformat(), cust.data, "issued")
    doc.update(
        lines=lines,
        opening=money.text(opening),
        closing=money.text(balance),
        begin=begin.isoformat() if begin else "",
        end=(end - timedelta(days=1)).isoformat() if end else day.isoformat(),
        open_invoices=[
            {
                "number": i.id,
                "date": str(i.get("date")),
                "due": str(i.get("due")),
                "gross": str(i.get("gross")),
            }
            for i in sorted(theirs.values(), key=lambda r: r.id)
            if i.state == "open"
        ],
    )
    return doc


def build(office, kind: str, ref: str, begin: Date | None = None, end: Date | None = None) -> dict:
    """The document of a kind (one of KINDS) for the record ``ref`` names."""
    if kind == "statement":
        return statement(office, ref, begin, end)
    return {"quote": quote, "invoice": invoice, "credit-note": credit_note, "delivery-note": delivery_note}[
        kind
    ](office, ref)
