"""The VAT return: output VAT on sales, input VAT on purchases, and what is payable.

For a period [begin, end) (both optional), from the documents dated in it:

* output VAT per rate: our invoices, less our credit notes (whole or partial);
* input VAT per rate: the suppliers' bills (purchase bill);

and from the books, over the same period: the movement of Liabilities:VAT
(output) and Assets:VATInput (input). ``payable`` is what the books say is
owed to the tax office for the period (output - input); ``other`` is what
entries that are not documents moved on those accounts (a hand-posted
utility bill's input VAT, say), so the documents and the books reconcile
line by line.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from . import ledger, money

OUTPUT = "Liabilities:VAT"
INPUT = "Assets:VATInput"


def _within(day, begin: date | None, end: date | None) -> bool:
    s = str(day or "")
    return (begin is None or s >= begin.isoformat()) and (end is None or s < end.isoformat())


def _add(into: dict, vat_map, sign: int) -> None:
    for rate, part in (vat_map or {}).items():
        if not isinstance(part, dict):
            continue
        row = into.setdefault(str(rate), [money.ZERO, money.ZERO])
        row[0] += sign * Decimal(str(part.get("net", "0")))
        row[1] += sign * Decimal(str(part.get("vat", "0")))


def vat_return(office, begin: date | None = None, end: date | None = None) -> tuple[list[dict], dict]:
    """(rows: one per side and rate with net and VAT, totals: output, input, other, payable)."""
    output: dict[str, list] = {}
    inputs: dict[str, list] = {}
    for inv in office.records("invoice"):
        if _within(inv.get("date"), begin, end):
            _add(output, inv.get("vat"), 1)
    for crn in office.records("credit_note"):
        if _within(crn.get("date"), begin, end):
            _add(output, crn.get("vat"), -1)
    for bill in office.records("bill"):
        if _within(bill.get("date"), begin, end):
            _add(inputs, bill.get("vat"), 1)
    rows = []
    for side, table in (("output", output), ("input", inputs)):
        for rate in sorted(table, key=lambda r: -Decimal(r)):
            net, vat = table[rate]
            rows.append({"id": f"{side} {rate}%", "state": side, "rate": rate,
                         "net": money.text(net), "vat": money.text(vat)})
    out_vat = sum((v for _, v in output.values()), money.ZERO)
    in_vat = sum((v for _, v in inputs.values()), money.ZERO)
    sums = ledger.sums(ledger.transactions(office, begin, end), [OUTPUT, INPUT])
    books = -sums.get(OUTPUT, money.ZERO) - sums.get(INPUT, money.ZERO)
    totals = {"output": money.q(out_vat), "input": money.q(in_vat),
              "other": money.q(books - (out_vat - in_vat)), "payable": money.q(books)}
    return rows, totals
