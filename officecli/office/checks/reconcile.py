"""Every subledger against its control account, for `ledger check` (and so `doctor`).

A control account is the total of records kept elsewhere; this module
computes each total from those records and compares it with the ledger,
source record by source record, and prints one line per difference naming
both sides (``path: account: what the records say, what the ledger says``):

* **Stock / Assets:Inventory.** Every stock move carries its value
  (office/back/stock.py); the entry its command posted names the same source (the
  move itself for `stock receive`/`adjust`, the order for a shipment, the
  return, the purchase order). Per source: the moves' values = its postings
  to Inventory. Per product: nothing on hand means no value left, and never
  less than nothing on hand. In total: the value of the stock (`stock list`)
  = the balance of Assets:Inventory.
* **Invoices / Assets:Receivable and Liabilities:VAT.** Each invoice's
  issuing entry books its gross to Receivable and its VAT to VAT; each credit
  note's entry (``document`` = the note) takes back exactly its gross and
  VAT. (What each invoice is owed, paid and open, is invoices.check.)
* **Bills / Liabilities:Payable and Assets:VATInput.** Each bill's entry
  books its total to Payable and its VAT to VATInput; a `stock receive`
  without a purchase order owes its value to Payable under the move's ID.
* **Liabilities:CustomerCredit = the customers' money on account.** Every
  posting names its customer (``ref``: ``customer pay``; ``document``: an
  invoice paid ``--from-credit``, of that customer), and no customer has
  used more than they paid on account.
* **Liabilities:Payable = the bills.** Every posting to Payable names a bill
  (its ``ref``), so the account is what the bills are owed (``bill list``,
  ``report aged payables``); one that names none is money no supplier is owed.
* **Liabilities:GRNI = goods received, not yet billed.** Per source: a
  `stock receive` made without a PO holds its value until a bill's line
  names it (``bill add --receipt``), then nothing; a purchase order holds
  what was received until it is billed, then nothing.
* **Payroll / Expenses:Salaries and Liabilities:Payroll.** Each month's run
  (and correction) names its entry (``txn``), which books its total; a paid
  run names its payment (``payment``), which pays that total. Salaries
  posted by payroll = the runs; Liabilities:Payroll = the runs not yet paid.
  (Skipped, silently, for a user who cannot read back/hr: pay is private; and at
  a site that does not run payroll (office.yaml ``payroll.site`` names another)
  and holds no run: back/hr is not in the company's repository, so the runs
  are at that site while their entries came with the ledger.)
* **Anything else on a control account** (office.yaml ``control_accounts``)
  must name its source record: a line posted by hand without ``ref`` is
  named, whatever the account (unless it was reversed: the pair posts
  nothing).

Only readable, balanced transactions are compared (ledger.check_entries names the
others). Amounts are compared to the cent.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from officecli.office import money
from officecli.office.accounts import GRNI, INVENTORY, PAYABLE, PAYROLL, RECEIVABLE, SALARIES, VAT, VAT_INPUT
from officecli.office.back import bills
from officecli.office.books import invoices
from officecli.office.records import Record
from officecli.store.errors import UserError

ZERO = money.ZERO
BY_HAND = (None, "manual", "reversal")


def _amt(value) -> Decimal:
    return Decimal(str(value))


def _postings(rec: Record):
    for p in rec.data.get("postings") or []:
        yield p["account"], _amt(p["amount"])


def _on(rec: Record, account: str) -> Decimal:
    return sum((a for acct, a in _postings(rec) if acct == account), ZERO)


def _t(value: Decimal) -> str:
    return money.text(value)


def check(office, txns: dict[str, Record]) -> list[str]:
    out: list[str] = []
    for part in (_by_hand, _stock, _sales, _advances, _purchases, _payable, _grni, _payroll):
        try:
            out += part(office, txns)
        except UserError as exc:  # a damaged record: name it, go on
            out.append(str(exc))
    return out


# -- anything on a control account names its source ------------------------------


def _by_hand(office, txns) -> list[str]:
    control = set(office.config.control_accounts)
    undone = {str(r.data["reverses"]) for r in txns.values() if r.data.get("reverses")}
    out = []
    for rec in sorted(txns.values(), key=lambda r: r.id):
        if rec.data.get("kind") not in BY_HAND or rec.data.get("ref"):
            continue
        if rec.id in undone or str(rec.data.get("reverses") or "") in txns:
            continue  # an entry and its reversal: together they post nothing
        hit = sorted({acct for acct, _ in _postings(rec) if acct in control})
        if hit:
            out.append(
                f"{rec.path}: postings: {', '.join(hit)} is a control account, posted by hand "
                "with no source record (ref); its subledger no longer adds up to it"
            )
    return out


# -- stock ------------------------------------------------------------------------


def _stock(office, txns) -> list[str]:
    from officecli.office.back import products, stock

    if INVENTORY not in office.config.accounts:
        return []
    out = []
    moved: dict[str, Decimal] = defaultdict(lambda: ZERO)
    moves_of: dict[str, list[Record]] = defaultdict(list)
    for m in stock.moves(office):
        if not isinstance(m.get("qty"), int):
            continue  # doctor names a move without a whole qty
        key = str(m.get("ref") or m.id)
        moved[key] += stock.move_value(m)
        moves_of[key].append(m)
    booked: dict[str, Decimal] = defaultdict(lambda: ZERO)
    txns_of: dict[str, list[Record]] = defaultdict(list)
    for rec in txns.values():
        amount = _on(rec, INVENTORY)
        if not any(acct == INVENTORY for acct, _ in _postings(rec)):
            continue
        key = str(rec.data.get("ref") or "")
        booked[key] += amount
        txns_of[key].append(rec)
    for key in sorted(set(moved) | set(booked)):
        if not key or moved[key] == booked[key]:
            continue
        ms, ts = moves_of.get(key, []), txns_of.get(key, [])
        where = ms[0].path if ms else ts[0].path
        said_moves = ", ".join(f"{m.id} {m.get('sku')} {int(m.get('qty')):+d}" for m in ms) or "no stock move"
        said_txns = ", ".join(t.id for t in ts) or "no entry"
        out.append(
            f"{where}: {INVENTORY}: {key}: the stock moves ({said_moves}) are worth "
            f"{_t(moved[key])}, the ledger posted {_t(booked[key])} ({said_txns})"
        )
    book = stock.book(office)
    total = ZERO
    for p in products.listing(office):
        row = book.get(p.id)
        if row is None:
            continue
        total += row["value"]
        if row["on_hand"] < 0:
            out.append(f"{p.path}: stock: {row['on_hand']} on hand from the moves (less than nothing)")
        elif row["on_hand"] == 0 and row["value"] != 0:
            out.append(
                f"{p.path}: stock: nothing on hand, but its moves leave a value of "
                f"{_t(row['value'])} in {INVENTORY}"
            )
    balance = sum(booked.values(), ZERO)
    if money.q(total) != money.q(balance):
        out.append(
            f"back/stock/: {INVENTORY}: the stock is worth {_t(total)} (stock list), the "
            f"account holds {_t(balance)}: they differ by {_t(balance - total)}"
        )
    return out


# -- invoices and credit notes ---------------------------------------------------------


def _sales(office, txns) -> list[str]:
    out = []
    issuing: dict[str, list[Record]] = defaultdict(list)
    crediting: dict[str, list[Record]] = defaultdict(list)
    for rec in txns.values():
        kind = rec.data.get("kind")
        if kind == "invoice" and rec.data.get("ref"):
            issuing[str(rec.data["ref"])].append(rec)
        elif kind == "credit" and rec.data.get("document"):
            crediting[str(rec.data["document"])].append(rec)
    for inv in office.records("invoice"):
        for rec in issuing.get(inv.id, []):
            try:
                vat = invoices.vat_total(inv.get("vat"))
            except Exception:
                continue  # invoices.check names an unreadable invoice
            if -_on(rec, VAT) != vat:
                out.append(
                    f"{inv.path}: vat: {_t(vat)} on the invoice, but {rec.id} booked "
                    f"{_t(-_on(rec, VAT))} to {VAT}"
                )
    for crn in office.records("credit_note"):
        where = f"{crn.path}"
        try:
            gross, vat = money.q(_amt(crn.get("gross"))), invoices.vat_total(crn.get("vat"))
        except Exception:
            out.append(f"{where}: gross or vat: not readable amounts")
            continue
        entries = crediting.get(crn.id, [])
        if not entries:
            out.append(f"{where}: no ledger entry credits it (kind credit, document {crn.id})")
            continue
        got_gross = -sum((_on(r, RECEIVABLE) for r in entries), ZERO)
        got_vat = sum((_on(r, VAT) for r in entries), ZERO)
        ids = ", ".join(r.id for r in entries)
        if got_gross != gross:
            out.append(
                f"{where}: gross: {_t(gross)} credited, but {ids} took {_t(got_gross)} off {RECEIVABLE}"
            )
        if got_vat != vat:
            out.append(f"{where}: vat: {_t(vat)} credited, but {ids} took {_t(got_vat)} off {VAT}")
        if entries[0].data.get("ref") != crn.get("invoice"):
            out.append(
                f"{where}: invoice: {crn.get('invoice')}, but {entries[0].id} is for "
                f"{entries[0].data.get('ref')}"
            )
    return out


# -- bills -------------------------------------------------------------------------


def _purchases(office, txns) -> list[str]:
    if "bill" not in _kind_names():
        return []
    out = []
    booking: dict[str, list[Record]] = defaultdict(list)
    for rec in txns.values():
        if rec.data.get("kind") == "bill" and rec.data.get("ref"):
            booking[str(rec.data["ref"])].append(rec)
    for bill in office.records("bill"):
        entries = booking.get(bill.id, [])
        if not entries:
            continue  # bills.check names a bill with no entry
        try:
            total, vat = money.q(_amt(bill.get("total"))), bills.input_vat(bill)
        except Exception:
            out.append(f"{bill.path}: total or vat: not readable amounts")
            continue
        owes = -sum((_on(r, PAYABLE) for r in entries), ZERO)
        paid_vat = sum((_on(r, VAT_INPUT) for r in entries), ZERO)
        ids = ", ".join(r.id for r in entries)
        if owes != total:
            out.append(f"{bill.path}: total: {_t(total)}, but {ids} booked {_t(owes)} to {PAYABLE}")
        if paid_vat != vat:
            out.append(f"{bill.path}: vat: {_t(vat)}, but {ids} booked {_t(paid_vat)} to {VAT_INPUT}")
    return out


def _advances(office, txns) -> list[str]:
    from officecli.office.accounts import CUSTOMER_CREDIT
    from officecli.office.books import advances

    if CUSTOMER_CREDIT not in office.config.accounts:
        return []
    out = []
    per: dict[str, Decimal] = defaultdict(lambda: ZERO)
    invoice_of = {i.id: i for i in office.records("invoice")}
    for rec in sorted(txns.values(), key=lambda r: r.id):
        if not any(acct == CUSTOMER_CREDIT for acct, _ in _postings(rec)):
            continue
        who = advances.customer_of(rec)
        if who is None:
            out.append(f"{rec.path}: {CUSTOMER_CREDIT}: names no customer (ref or document CUS-...)")
            continue
        inv = invoice_of.get(str(rec.data.get("ref") or ""))
        if inv is not None and inv.get("customer") != who:
            out.append(
                f"{rec.path}: document: {who}'s money on account paid {inv.id}, an invoice of {inv.get('customer')}"
            )
        per[who] -= _on(rec, CUSTOMER_CREDIT)
    for who, amount in sorted(per.items()):
        if amount < 0:
            out.append(
                f"back/ledger/: {CUSTOMER_CREDIT}: {who} used {_t(-amount)} more than they paid on account"
            )
    return out


def _payable(office, txns) -> list[str]:
    if PAYABLE not in office.config.accounts:
        return []
    out = []
    for rec in sorted(txns.values(), key=lambda r: r.id):
        amount = _on(rec, PAYABLE)
        ref = str(rec.data.get("ref") or "")
        if amount == 0 and not any(acct == PAYABLE for acct, _ in _postings(rec)):
            continue
        if not ref and rec.data.get("kind") in BY_HAND:
            continue  # _by_hand names it
        if not ref.startswith("BIL-"):
            out.append(
                f"{rec.path}: {PAYABLE}: {_t(amount)} names no bill (ref {ref or 'none'}): no supplier "
                "and no aged payable shows it; book the bill ('bill add', 'purchase bill')"
            )
    return out


def _grni(office, txns) -> list[str]:
    from officecli.office.back import stock

    if GRNI not in office.config.accounts:
        return []
    held: dict[str, Decimal] = defaultdict(lambda: ZERO)  # source (PO or receipt move) -> GRNI
    where: dict[str, str] = {}
    bill_of = {b.id: b for b in office.records("bill")} if "bill" in _kind_names() else {}
    for rec in txns.values():
        if not any(acct == GRNI for acct, _ in _postings(rec)):
            continue
        ref = str(rec.data.get("ref") or "")
        bill = bill_of.get(ref)
        if bill is not None and not bill.get("purchase"):
            for line in bill.get("lines") or []:
                if isinstance(line, dict) and line.get("account") == GRNI:
                    key = str(line.get("receipt") or bill.id)
                    held[key] += _amt(line.get("net") or "0")
                    where.setdefault(key, str(bill.path))
            continue
        key = str(bill.get("purchase")) if bill is not None else ref or rec.id
        held[key] += _on(rec, GRNI)
        where.setdefault(key, str(rec.path))
    expected: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for m in stock.moves(office):
        if m.get("reason") == stock.RECEIVE and isinstance(m.get("qty"), int):
            key = str(m.get("ref") or m.id)
            expected[key] -= stock.move_value(m)
            where.setdefault(key, str(m.path))
    billed = set()
    for bill in bill_of.values():
        if bill.get("purchase"):
            billed.add(str(bill.get("purchase")))
        for line in bill.get("lines") or []:
            if isinstance(line, dict) and line.get("receipt"):
                billed.add(str(line["receipt"]))
    out = []
    for key in sorted(set(held) | set(expected)):
        want = ZERO if key in billed else money.q(expected[key])
        if money.q(held[key]) != want:
            state = "billed" if key in billed else "not billed"
            out.append(
                f"{where[key]}: {GRNI}: {key} ({state}) should hold {_t(want)}, the ledger holds "
                f"{_t(held[key])}"
            )
    return out


def _kind_names():
    from officecli.office.workflows import kinds

    return kinds().keys()


# -- payroll --------------------------------------------------------------------------


def _payroll_elsewhere(office) -> bool:
    """office.yaml names another site as the one that runs payroll (numbering.py)."""
    from officecli.office.numbering import payroll_owner

    owner = payroll_owner(office)
    return owner is not None and owner != office.config.site


def _payroll(office, txns) -> list[str]:
    from officecli.office.accounts import EFKA, PAYROLL_TAX, SOCIAL
    from officecli.office.people import hr, payroll

    if "payroll" not in _kind_names() or not hr.private_readable(office, "payroll"):
        return []
    runs = office.records("payroll")
    if not runs and _payroll_elsewhere(office):
        return []  # the runs are at the site that runs payroll (back/hr is not shared): not here
    fixes = office.records("payroll_correction") if "payroll_correction" in _kind_names() else []
    out = []
    claimed: set[str] = set()
    due = withheld = ZERO
    paid_by: dict[str, list] = defaultdict(list)  # payment entry -> the nets it pays
    remitted_by: dict[str, list] = defaultdict(list)
    for run in sorted(runs, key=lambda r: r.id) + sorted(fixes, key=lambda r: r.id):
        try:
            t = payroll.totals_of(run)
        except Exception:
            out.append(f"{run.path}: total: {run.get('total')!r} is not an amount")
            continue
        total = money.q(t["total"])
        moves = any(t[k] for k in ("total", "efka_employee", "efka_employer", "tax", "net"))
        ran = txns.get(str(run.get("txn") or ""))
        if ran is None and moves:
            out.append(f"{run.path}: txn: {run.get('txn')!r}: no ledger entry posted this run")
        elif ran is not None:
            claimed.add(ran.id)
            want = {
                SALARIES: total,
                PAYROLL: -t["net"],
                EFKA: -(t["efka_employee"] + t["efka_employer"]),
                PAYROLL_TAX: -t["tax"],
                SOCIAL: t["efka_employer"],
            }
            wrong = [f"{a} {_t(_on(ran, a))} (not {_t(v)})" for a, v in want.items() if _on(ran, a) != v]
            if wrong:
                out.append(f"{run.path}: total: {_t(total)}, but {ran.id} booked {', '.join(wrong)}")
        due += t["net"]
        withheld += t["efka_employee"] + t["efka_employer"] + t["tax"]
        if run.get("payment"):
            paid_by[str(run.get("payment"))].append((run, t["net"]))
            due -= t["net"]
        if run.get("remittance"):
            remitted_by[str(run.get("remittance"))].append((run, payroll.withheld(run)))
            withheld -= payroll.withheld(run)
    for field, said, groups, accounts in (
        ("payment", "paid", paid_by, (PAYROLL,)),
        ("remittance", "remitted", remitted_by, (EFKA, PAYROLL_TAX)),
    ):  # one bank entry settles together the run and corrections that name it
        for ident, items in sorted(groups.items()):
            paid = txns.get(ident)
            owed = sum((v for _, v in items), ZERO)
            if paid is None:
                out.append(f"{items[0][0].path}: {field}: {ident!r}: no ledger entry paid it")
                continue
            claimed.add(paid.id)
            got = sum((_on(paid, a) for a in accounts), ZERO)
            if got != owed:
                out.append(
                    f"{items[0][0].path}: {said}: {_t(owed)} is owed, but {paid.id} paid {_t(got)} "
                    f"from {' + '.join(accounts)}"
                )
    reversed_ = {str(t.data.get("reverses")) for t in txns.values() if t.data.get("reverses")}
    for rec in sorted(txns.values(), key=lambda r: r.id):
        # reversed (a second posting a merge brought, mergedoctor): the pair posts nothing
        if rec.data.get("kind") == "payroll" and rec.id not in claimed and rec.id not in reversed_:
            out.append(f"{rec.path}: kind: payroll, but no payroll run names it (txn or payment)")
    if PAYROLL in office.config.accounts:
        balance = -sum((_on(r, PAYROLL) for r in txns.values()), ZERO)
        if money.q(balance) != money.q(due):
            out.append(
                f"back/hr/payroll/: {PAYROLL}: the net pay of the runs and corrections not yet paid "
                f"comes to {_t(due)}, the account holds {_t(balance)}"
            )
    if EFKA in office.config.accounts and PAYROLL_TAX in office.config.accounts:
        balance = -sum((_on(r, EFKA) + _on(r, PAYROLL_TAX) for r in txns.values()), ZERO)
        if money.q(balance) != money.q(withheld):
            out.append(
                f"back/hr/payroll/: {EFKA} + {PAYROLL_TAX}: the ΕΦΚΑ and ΦΜΥ not yet remitted come to "
                f"{_t(withheld)}, the accounts hold {_t(balance)}"
            )
    return out
