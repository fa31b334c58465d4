"""The VAT return: output VAT, credited VAT, input VAT, the net amount due -- proved by the books.

For a period [begin, end) (``--period 2026-Q1 | 2026-03 | 2026``, or
``--begin/--end``, both optional), from the documents dated in it:

* **output VAT** per rate: our invoices;
* **credited VAT** per rate: our credit notes (whole or partial), in the
  period of their OWN date, as negative amounts;
* **input VAT** per rate: the suppliers' bills (``purchase bill``, ``bill add``),
  and on a line of its own ("input as printed") the difference between the
  VAT the suppliers printed and ours (``bill add --vat-total``);
* **manual entries that name their source** (``ledger post --ref ID``, and
  the reversal of one): each is a row of its own, on the output side when it
  raises what is owed to the tax office and on the input side when it lowers
  it (a hand-posted utility bill's VAT);

and the **net amount due** = output + credited + manual output - input
(negative: a refund is due to the company).

The return is then proved against the books, one check line per account:
the movement of Liabilities:VAT over the period must be the output side
(invoices, credit notes, manual output), and the movement of
Assets:VATInput the input side (bills, manual input), to the cent. The
documents are read from their records, not from the ledger, so an invoice,
credit note or bill whose entry is missing, doubled, reversed by hand or
dated in another period makes the check disagree (``report vat`` exits 1).

A manual entry that names no source (``ledger post`` without ``--ref``,
from before control accounts needed one) cannot be filed from a document:
it is still counted where it falls (state ``no source``, total
``unsourced``), so the return is what the books owe, and ``report vat``
warns on stderr naming each one.

Amounts are shown the way the return reads: VAT owed to the tax office
positive; in the books that is a credit (negative) on Liabilities:VAT.

Settling and paying (``vat settle P`` = ``report vat --period P --settle``,
``vat pay P``):

* ``settle`` posts the period's movement of Liabilities:VAT against that of
  Assets:VATInput into one amount on Liabilities:VATDue (kind ``vat-settle``,
  ``period`` P, dated after the period: ``--date``, default today): owed to
  the tax office (a credit), or claimable from it (a debit). Only when the
  return agrees with the books, once per period, never over a period that
  overlaps one already settled.
* ``pay`` pays it (kind ``vat-payment``): Liabilities:VATDue / Assets:Bank (a
  claim received: the other way), once.
* Neither is part of any return: the return of the next period reads the
  VAT accounts' movement without them, so it is unaffected and its check
  line still agrees. `ledger check` proves Liabilities:VATDue = the
  settlements not yet paid (checks/reconcile.py).
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import Decimal

from officecli.office import clock, money
from officecli.office.accounts import METHODS, VAT, VAT_DUE, VAT_INPUT, need_accounts
from officecli.office.books import ledger
from officecli.store.errors import UserError

OUTPUT = VAT
INPUT = VAT_INPUT
DOCUMENT_KINDS = {"invoice": "invoice", "credit": "credit_note", "bill": "bill"}
MANUAL_KINDS = (None, "", "manual", "reversal")
SETTLE, PAY = "vat-settle", "vat-payment"  # kinds of the entries that settle and pay a return
ZERO = money.ZERO

_PERIOD = re.compile(r"^(\d{4})(?:-(?:(\d{2})|[Qq]([1-4])))?$")


def parse_period(text) -> tuple[date, date, str]:
    """'2026-Q1' / '2026-03' / '2026' -> (first day, the day after the last, the label)."""
    s = str(text).strip()
    m = _PERIOD.match(s)
    if not m or not s.isascii():
        raise UserError(f"--period {text!r}: not a period (YYYY-Qn, YYYY-MM or YYYY, e.g. 2026-Q1)")
    year = int(m.group(1))
    clock.parse_month(f"{year:04d}-01", "--period")  # the year range
    if m.group(2):
        y, mon = clock.parse_month(s, "--period")
        first = date(y, mon, 1)
        return first, _after(y, mon), f"{y:04d}-{mon:02d}"
    if m.group(3):
        q = int(m.group(3))
        return date(year, 3 * q - 2, 1), _after(year, 3 * q), f"{year:04d}-Q{q}"
    return date(year, 1, 1), date(year + 1, 1, 1), f"{year:04d}"


def _after(year: int, month: int) -> date:
    """The first day after the month."""
    last = date(year, month, calendar.monthrange(year, month)[1])
    return date.fromordinal(last.toordinal() + 1)


def _within(day, begin: date | None, end: date | None) -> bool:
    s = str(day or "")
    return (begin is None or s >= begin.isoformat()) and (end is None or s < end.isoformat())


def _add(into: dict, vat_map, sign: int) -> None:
    for rate, part in (vat_map or {}).items():
        if not isinstance(part, dict):
            continue
        row = into.setdefault(str(rate), [ZERO, ZERO])
        row[0] += sign * Decimal(str(part.get("net", "0")))
        row[1] += sign * Decimal(str(part.get("vat", "0")))


def _vat_of(postings, account: str) -> Decimal:
    return sum((a for acct, a in postings if acct == account), ZERO)


def vat_return(office, begin: date | None = None, end: date | None = None) -> tuple[list[dict], dict]:
    """(rows, totals).

    rows: one per side and rate (output, credited, input: net and VAT), one per
    manual entry with a source (side manual-output / manual-input) and one per
    unsourced entry. totals: output, credited, input, manual_output,
    manual_input, unsourced, due; and for each VAT account the return's figure
    and the books' (``checks``: account -> (return, books))."""
    has_input = INPUT in office.config.accounts
    sides: dict[str, dict[str, list]] = {"output": {}, "credited": {}, "input": {}}
    for inv in office.records("invoice"):
        if _within(inv.get("date"), begin, end):
            _add(sides["output"], inv.get("vat"), 1)
    for crn in office.records("credit_note"):
        if _within(crn.get("date"), begin, end):
            _add(sides["credited"], crn.get("vat"), -1)
    printed = ZERO  # bills whose supplier printed other VAT than ours: the difference
    for bill in office.records("bill"):
        if _within(bill.get("date"), begin, end):
            _add(sides["input"], bill.get("vat"), 1)
            printed += Decimal(str(bill.get("vat_difference") or "0"))
    rows: list[dict] = []
    for side, table in sides.items():
        for rate in sorted(table, key=lambda r: -Decimal(r)):
            net, vat = table[rate]
            rows.append(
                {
                    "id": f"{side} {rate}%",
                    "state": side,
                    "rate": rate,
                    "net": money.text(net),
                    "vat": money.text(vat),
                }
            )
    totals = {side: money.q(sum((v for _, v in table.values()), ZERO)) for side, table in sides.items()}
    if printed:
        rows.append(
            {
                "id": "input as printed",
                "state": "input",
                "rate": "difference",
                "net": money.text(ZERO),
                "vat": money.text(printed),
            }
        )
        totals["input"] = money.q(totals["input"] + printed)

    manual = {"manual_output": ZERO, "manual_input": ZERO, "unsourced": ZERO}
    books = {OUTPUT: ZERO, INPUT: ZERO}  # as the return reads them: owed +, input +
    explained = {OUTPUT: ZERO, INPUT: ZERO}
    for txn in ledger.transactions(office, begin, end):
        if txn.data.get("kind") in (SETTLE, PAY):
            continue  # settling a return is not part of any return
        postings = ledger.postings_of(txn)
        out_part = -_vat_of(postings, OUTPUT)  # a credit on Liabilities:VAT: owed more
        in_part = _vat_of(postings, INPUT) if has_input else ZERO
        if out_part == 0 and in_part == 0:
            continue
        books[OUTPUT] += out_part
        books[INPUT] += in_part
        kind = txn.data.get("kind")
        if kind in DOCUMENT_KINDS:
            continue  # its document is counted above
        effect = out_part - in_part  # what it adds to the amount due
        row = {
            "id": txn.id,
            "date": txn.data.get("date"),
            "ref": txn.data.get("ref"),
            "description": txn.data.get("description"),
            "vat": money.text(abs(effect)),
        }
        if kind in MANUAL_KINDS:
            if txn.data.get("ref"):
                key = "manual_output" if effect > 0 else "manual_input"
                manual[key] += abs(effect)
                rows.append({**row, "state": key.replace("_", " ")})
            else:
                manual["unsourced"] += effect
                rows.append({**row, "state": "no source", "vat": money.text(effect)})
            explained[OUTPUT] += out_part
            explained[INPUT] += in_part
        # any other entry on a VAT account (posted by a command, of no VAT document)
        # is in the books and not in the return: the check names the difference
    totals.update({k: money.q(v) for k, v in manual.items()})
    checks = {
        OUTPUT: (money.q(totals["output"] + totals["credited"] + explained[OUTPUT]), money.q(books[OUTPUT]))
    }
    if has_input:
        checks[INPUT] = (money.q(totals["input"] + explained[INPUT]), money.q(books[INPUT]))
    totals["due"] = money.q(
        totals["output"]
        + totals["credited"]
        + totals["manual_output"]
        - totals["input"]
        - totals["manual_input"]
        + totals["unsourced"]
    )
    totals["books_due"] = money.q(books[OUTPUT] - books[INPUT])
    totals["checks"] = checks
    return rows, totals


def disagreements(totals: dict) -> list[str]:
    """One line per VAT account whose movement is not what the return says."""
    out = []
    for account, (ours, theirs) in totals["checks"].items():
        if ours != theirs:
            out.append(
                f"{account}: the return says {money.text(ours)}, the books moved "
                f"{money.text(theirs)} (difference {money.text(theirs - ours)})"
            )
    return out


# -- settling and paying a return ---------------------------------------------------


def settlements(office, txns=None) -> dict[str, dict]:
    """period label -> {settle: its txn, pay: its payment txn or None, due: Decimal
    (owed to the tax office +, claimable -)}; ``txns``: the entries to read (default all)."""
    out: dict[str, dict] = {}
    for txn in ledger.transactions(office) if txns is None else sorted(txns, key=lambda t: t.id):
        kind, label = txn.data.get("kind"), str(txn.data.get("period") or "")
        if kind == SETTLE:
            due = -_vat_of(ledger.postings_of(txn), VAT_DUE)
            out.setdefault(label, {"pay": None})
            out[label].update(settle=txn, due=money.q(due))
        elif kind == PAY:
            out.setdefault(label, {"settle": None, "due": ZERO})["pay"] = txn
    return out


def _period_of(label: str) -> tuple[date, date]:
    first, after, _ = parse_period(label)
    return first, after


def settle(office, period: str, when: str | None = None):
    """Post the period's VAT into one amount owed to (claimable from) the tax office."""
    begin, end, label = parse_period(period)
    with office.change(f"vat settle {label}"):
        need_accounts(office, VAT, VAT_INPUT, VAT_DUE)
        day = clock.parse_date(when, "--date") if when is not None else office.today()
        if day < end:
            raise UserError(
                f"vat settle {label}: dated {day.isoformat()}, before the period is over "
                f"(it ends {(date.fromordinal(end.toordinal() - 1)).isoformat()}); settle a return once it is over"
            )
        for other, done in settlements(office).items():
            if done.get("settle") is None:
                continue
            ob, oe = _period_of(other)
            if ob < end and begin < oe:
                what = "already settled" if other == label else f"overlaps {other}, settled"
                raise UserError(f"vat settle {label}: {what} by {done['settle'].id} ({done['settle'].path})")
        _, totals = vat_return(office, begin, end)
        problems = disagreements(totals)
        if problems:
            raise UserError(f"vat settle {label}: the return disagrees with the books: {'; '.join(problems)}")
        out_vat = totals["checks"][OUTPUT][1]
        in_vat = totals["checks"].get(INPUT, (ZERO, ZERO))[1]
        due = money.q(out_vat - in_vat)
        if out_vat == 0 and in_vat == 0:
            raise UserError(f"vat settle {label}: no VAT moved in the period; nothing to settle")
        postings = [(a, v) for a, v in ((OUTPUT, out_vat), (INPUT, -in_vat)) if v != 0]
        postings.append((VAT_DUE, -due))
        what = "owed to the tax office" if due >= 0 else "claimable from the tax office"
        txn = ledger.post(
            office,
            day,
            f"VAT return {label}: {money.text(abs(due))} {what}",
            postings,
            kind=SETTLE,
            period=label,
        )
        office.messages.append(f"vat settle {label}: {money.text(due)} ({txn.id})")
        return txn, due


def pay(office, period: str, method: str = "bank", when: str | None = None):
    """Pay the settled amount to the tax office (or receive a claim back)."""
    if method not in METHODS:
        raise UserError(f"--method {method!r}: one of {', '.join(METHODS)}")
    _, _, label = parse_period(period)
    with office.change(f"vat pay {label}"):
        done = settlements(office).get(label) or {}
        if done.get("settle") is None:
            raise UserError(f"vat pay {label}: not settled; 'vat settle {label}' first")
        if done.get("pay") is not None:
            raise UserError(f"vat pay {label}: already paid by {done['pay'].id} ({done['pay'].path})")
        day = clock.parse_date(when, "--date") if when is not None else office.today()
        settled = clock.parse_date(done["settle"].data.get("date"))
        if day < settled:
            raise UserError(
                f"vat pay {label}: --date {day.isoformat()} is before the settlement ({settled.isoformat()})"
            )
        due = done["due"]
        if due == 0:
            raise UserError(f"vat pay {label}: the settlement is 0.00; nothing to pay")
        what = "paid to" if due > 0 else "received from"
        txn = ledger.post(
            office,
            day,
            f"VAT {label} {what} the tax office ({method})",
            [(VAT_DUE, due), (METHODS[method], -due)],
            kind=PAY,
            period=label,
        )
        office.messages.append(f"vat pay {label}: {money.text(due)} ({txn.id})")
        return txn, due


def listing(office) -> list[dict]:
    """One row per settled period: settled (txn, date), due, paid (txn, date)."""
    out = []
    for label, done in sorted(settlements(office).items()):
        s, p = done.get("settle"), done.get("pay")
        out.append(
            {
                "id": label,
                "state": "paid" if p is not None else "settled",
                "settled": s.data.get("date") if s is not None else None,
                "settle_txn": s.id if s is not None else None,
                "due": money.text(done.get("due", ZERO)),
                "paid": p.data.get("date") if p is not None else None,
                "pay_txn": p.id if p is not None else None,
            }
        )
    return out


def check(office, txns) -> list[str]:
    """Liabilities:VATDue against the settlements not yet paid (for `ledger check`)."""
    if VAT_DUE not in office.config.accounts:
        return []
    expected = ZERO
    out = []
    for label, done in settlements(office, txns.values()).items():
        if done.get("settle") is None:
            out.append(f"{done['pay'].path}: period: {label}: paid, but never settled")
            continue
        if done.get("pay") is None:
            expected += done["due"]
        elif -_vat_of(ledger.postings_of(done["pay"]), VAT_DUE) != -done["due"]:
            out.append(f"{done['pay'].path}: {VAT_DUE}: does not pay what {done['settle'].id} settled")
    balance = -sum((_vat_of(ledger.postings_of(t), VAT_DUE) for t in txns.values()), ZERO)
    if money.q(balance) != money.q(expected):
        out.append(
            f"back/ledger/: {VAT_DUE}: the settled VAT returns not yet paid come to {money.text(expected)}, "
            f"the account holds {money.text(balance)}"
        )
    return out
