"""The balance sheet: assets, liabilities and equity as of a day, balancing to zero.

From every transaction dated before ``end`` (exclusive, as in hledger: ``--end
2027-01-01`` is the sheet at 31 December 2026; without it, everything):

* **assets**: each asset account's balance (a debit shows positive);
* **liabilities**: each liability account's balance, shown positive for a
  credit (what is owed);
* **equity**: each equity account, shown the same way, plus two lines for the
  result that income and expenses have not yet been closed into equity:
  ``result of prior years (not closed)`` -- income less expenses dated
  before 1 January of the sheet's year (zero once ``ledger close --year``
  has posted the closing entry to Equity:Retained) -- and ``current-year
  result``, income less expenses from 1 January to the sheet's day.

The sheet's year is the year of its last day (the day before ``end``; today
without ``end``). It balances: assets = liabilities + equity, so the
``difference`` total is 0.00 for any books whose transactions each sum to
zero. An account of no known type (not in office.yaml's chart) is listed as
``unclassified`` and shows in the difference.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from officecli.office import money
from officecli.office.books import ledger

ZERO = money.ZERO
SECTIONS = (("asset", "assets", 1), ("liability", "liabilities", -1), ("equity", "equity", -1))
PRIOR = "result of prior years (not closed)"
CURRENT = "current-year result"


def sheet(office, end: date | None = None) -> tuple[list[dict], list[dict], date]:
    """(account rows, total rows, the sheet's day)."""
    day = (end - timedelta(days=1)) if end is not None else office.today()
    year_start = date(day.year, 1, 1)
    txns = ledger.transactions(office, None, end)
    before = ledger.sums([t for t in txns if str(t.data.get("date", "")) < year_start.isoformat()])
    alls = ledger.sums(txns)
    rows: list[dict] = []
    totals = {"assets": ZERO, "liabilities": ZERO, "equity": ZERO, "unclassified": ZERO}
    prior = current = ZERO
    for acct in sorted(alls):
        typ = ledger.account_type(office, acct)
        amount = alls[acct]
        if typ in ("income", "expense"):
            prior += -before.get(acct, ZERO)
            current += -(amount - before.get(acct, ZERO))
            continue
        section = next(((name, sign) for t, name, sign in SECTIONS if t == typ), ("unclassified", 1))
        shown = section[1] * amount
        if shown == 0:
            continue
        totals[section[0]] += shown
        rows.append({"id": acct, "state": section[0], "account": acct, "amount": money.text(shown)})
    for label, value in ((PRIOR, prior), (CURRENT, current)):
        if value != 0 or label == CURRENT:
            totals["equity"] += value
            rows.append(
                {"id": label, "state": "equity", "account": label, "amount": money.text(money.q(value))}
            )
    order = {"assets": 0, "liabilities": 1, "equity": 2, "unclassified": 3}
    rows.sort(key=lambda r: (order[r["state"]], r["account"] in (PRIOR, CURRENT), r["account"]))
    both = totals["liabilities"] + totals["equity"]
    out = [
        {"id": "total assets", "state": "total", "amount": money.text(money.q(totals["assets"]))},
        {"id": "total liabilities", "state": "total", "amount": money.text(money.q(totals["liabilities"]))},
        {"id": "total equity", "state": "total", "amount": money.text(money.q(totals["equity"]))},
        {"id": "total liabilities and equity", "state": "total", "amount": money.text(money.q(both))},
    ]
    if totals["unclassified"]:
        out.append(
            {
                "id": "total unclassified",
                "state": "total",
                "amount": money.text(money.q(totals["unclassified"])),
            }
        )
    out.append(
        {
            "id": "difference",
            "state": "total",
            "amount": money.text(money.q(totals["assets"] + totals["unclassified"] - both)),
        }
    )
    return rows, out, day


def difference(totals: list[dict]) -> Decimal:
    return Decimal(next(t["amount"] for t in totals if t["id"] == "difference"))
