"""The books in the formats of the plain-text accounting tools.

* ``hledger`` / ``ledger``: one journal both hledger and ledger-cli read:
  account directives, then each transaction as
  ``DATE * (TXN-ID) description`` with ``; txn:`` / ``; ref:`` tag lines.
* ``beancount``: options, an ``open`` for every account, the transactions
  with ``txn``/``ref`` metadata, and a ``balance`` assertion per account the
  day after the last transaction, so ``bean-check`` verifies the totals.
* ``csv``: one row per posting.

Amounts are written exactly as stored (Decimal strings with 2 decimals).
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

from officecli.office import money
from officecli.office.books import ledger
from officecli.store.errors import UserError

BEAN_ROOTS = {
    "asset": "Assets",
    "liability": "Liabilities",
    "equity": "Equity",
    "income": "Income",
    "expense": "Expenses",
}
HLEDGER_TYPES = {"asset": "A", "liability": "L", "equity": "E", "income": "R", "expense": "X"}


def _one_line(text) -> str:
    s = " ".join(str(text or "").split())
    return s.replace(";", ",")


def _check_accounts(office, txns) -> dict[str, str]:
    chart = office.config.accounts
    for rec in txns:
        for acct, _ in ledger.postings_of(rec):
            if acct not in chart:
                raise UserError(
                    f"ledger txn {rec.id} ({rec.path}): account {acct!r} is not in "
                    "office.yaml; run 'officecli ledger check'"
                )
    return chart


def export(office, target: str, begin=None, end=None) -> str:
    txns = ledger.transactions(office, begin, end)
    chart = _check_accounts(office, txns)
    if target in ("hledger", "ledger"):
        return journal(office, txns, chart)
    if target == "beancount":
        return beancount(office, txns, chart)
    if target == "csv":
        return csv_rows(office, txns)
    raise UserError(f"--to {target!r}: one of hledger, ledger, beancount, csv")


# -- hledger / ledger-cli -------------------------------------------------------------


def journal(office, txns, chart: dict[str, str]) -> str:
    cur = office.config.currency
    out = [
        f"; {office.config.name}: books exported by officecli (hledger and ledger-cli journal)",
        f"; amounts in {cur}; signs: debit positive, credit negative",
        "",
    ]
    for acct in sorted(chart):
        out.append(f"account {acct}  ; type: {HLEDGER_TYPES.get(chart[acct], '')}")
    out.append("")
    for rec in txns:
        d = rec.data
        out.append(f"{d['date']} * ({rec.id}) {_one_line(d.get('description'))}")
        out.append(f"    ; txn: {rec.id}")
        for key in ("ref", "reverses", "document", "kind", "period"):  # kind: query not:tag:kind=close
            if d.get(key):
                out.append(f"    ; {key}: {d[key]}")
        postings = ledger.postings_of(rec)
        width = max(len(a) for a, _ in postings) + 4
        for acct, amount in postings:
            out.append(f"    {acct:<{width}}{money.text(amount):>14} {cur}")
        out.append("")
    return "\n".join(out)


# -- beancount -----------------------------------------------------------------------


def _bean_component(part: str) -> str:
    """Letters (any script), digits and '-', starting with a capital or a digit."""
    clean = "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in part).strip("-") or "X"
    first = clean[0].upper()
    if not (first.isdigit() or (first.isalpha() and first.isupper())):
        return "X" + clean
    return first + clean[1:]


def bean_account(name: str, typ: str) -> str:
    """A beancount account name for a chart account: the root its type demands,
    and every component made of letters, digits and dashes, starting with a
    capital or digit."""
    root = BEAN_ROOTS[typ]
    parts = [_bean_component(p) for p in name.split(":")]
    if parts[0] != root:
        parts.insert(0, root)
    return ":".join(parts)


def bean_names(chart: dict[str, str]) -> dict[str, str]:
    """Chart account -> beancount name, made unique (-2, -3, ...) where two would meet."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for acct in sorted(chart):
        name = base = bean_account(acct, chart[acct])
        n = 1
        while name in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name)
        out[acct] = name
    return out


def _quote(text) -> str:
    return '"' + str(text or "").replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def beancount(office, txns, chart: dict[str, str]) -> str:
    cur = office.config.currency
    names = bean_names(chart)
    out = [
        f"; {office.config.name}: books exported by officecli",
        "",
        f'option "title" {_quote(office.config.name)}',
        f'option "operating_currency" "{cur}"',
        "",
    ]
    opened = min((str(r.data["date"]) for r in txns), default=office.today().isoformat())
    for acct in sorted(chart):
        note = f"  ; {acct} in office.yaml" if names[acct] != acct else ""
        out.append(f"{opened} open {names[acct]} {cur}{note}")
    out.append("")
    totals: dict[str, Decimal] = {}
    for rec in txns:
        d = rec.data
        out.append(f"{d['date']} * {_quote(d.get('description'))}")
        out.append(f"  txn: {_quote(rec.id)}")
        for key in ("ref", "reverses", "document", "kind", "period"):  # kind: query not:tag:kind=close
            if d.get(key):
                out.append(f"  {key}: {_quote(d[key])}")
        postings = ledger.postings_of(rec)
        width = max(len(names[a]) for a, _ in postings) + 4
        for acct, amount in postings:
            totals[acct] = totals.get(acct, Decimal("0")) + amount
            out.append(f"  {names[acct]:<{width}}{money.text(amount):>14} {cur}")
        out.append("")
    if txns:
        after = max(str(r.data["date"]) for r in txns)
        from datetime import date

        day = (date.fromisoformat(after) + timedelta(days=1)).isoformat()
        parents = {a.rpartition(":")[0] for a in chart}
        width = max(len(n) for n in names.values()) + 2
        out.append("; what officecli says each account holds: bean-check fails if beancount disagrees")
        for acct in sorted(chart):
            if acct in parents:
                continue
            out.append(
                f"{day} balance {names[acct]:<{width}}{money.text(totals.get(acct, Decimal('0'))):>14} {cur}"
            )
        out.append("")
    return "\n".join(out)


# -- csv ---------------------------------------------------------------------------------

CSV_COLUMNS = ["txn", "date", "description", "account", "amount", "currency", "ref", "reverses", "kind"]


def csv_rows(office, txns) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    cur = office.config.currency
    for rec in txns:
        d = rec.data
        for acct, amount in ledger.postings_of(rec):
            writer.writerow(
                [
                    rec.id,
                    d.get("date"),
                    d.get("description"),
                    acct,
                    money.text(amount),
                    cur,
                    d.get("ref") or "",
                    d.get("reverses") or "",
                    d.get("kind") or "manual",
                ]
            )
    return buf.getvalue()
