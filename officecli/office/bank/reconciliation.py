"""`bank reconcile`: the bank's closing balance against the books, the difference explained.

For one bank account (``Assets:Bank…``) and one statement (the last one on or
before ``--date``, default the last one):

    bank   = the statement's closing balance
    books  = the balance of the account in the ledger on the statement's day

and every line of the difference, so that

    bank - books = (bank's first opening - books before that statement)
                 + unmatched bank lines up to that day       (in the bank, not the books)
                 - entries on the account no matched line names,
                   from the first statement's day on        (in the books, not the bank)

An entry and its reversal that both fall in the period cancel out and are
not listed. Whatever the lines above do not explain is named as unexplained
(a hand edit of a record or a ledger file); `ledger check` reports that, and
a matched line whose entries do not move its bank account by its amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from officecli.office import clock, money
from officecli.office.books import ledger
from officecli.office.records import Record
from officecli.store.errors import UserError


@dataclass
class Reconciliation:
    account: str
    statement: Record
    day: str
    bank: Decimal
    books: Decimal
    items: list[dict] = field(default_factory=list)  # {what, ref, date, amount, note}

    @property
    def difference(self) -> Decimal:
        return money.q(self.bank - self.books)

    @property
    def unexplained(self) -> Decimal:
        return money.q(self.difference - sum((i["amount"] for i in self.items), money.ZERO))


def accounts_with_statements(office) -> list[str]:
    return sorted({str(s.get("account")) for s in office.records("bank_statement")})


def reconcile(office, account: str | None = None, when: str | None = None) -> Reconciliation:
    stmts = office.records("bank_statement")
    if not stmts:
        raise UserError(
            "back/bank/statements/: no statement imported yet; 'officecli bank import FILE' first"
        )
    if account is None:
        names = accounts_with_statements(office)
        if len(names) > 1:
            raise UserError(f"--account: statements of {len(names)} accounts ({', '.join(names)}); name one")
        account = names[0]
    account = ledger.check_account(office, account)
    mine = [s for s in stmts if s.get("account") == account and s.get("closing") is not None]
    if not mine:
        raise UserError(f"--account {account}: no statement with a closing balance for it")
    day = clock.parse_date(when, "--date").isoformat() if when else None
    upto = [s for s in mine if day is None or str(s.get("date")) <= day]
    if not upto:
        first = min(str(s.get("date")) for s in mine)
        raise UserError(f"--date {day}: the first statement of {account} closes on {first}")
    stmt = max(upto, key=lambda s: (str(s.get("date")), str(s.get("from") or "")))
    first = min(mine, key=lambda s: (str(s.get("from") or s.get("date")), str(s.get("date"))))
    end = str(stmt.get("date"))
    start = str(first.get("from") or first.get("date"))
    rec = Reconciliation(account, stmt, end, Decimal(str(stmt.get("closing"))), money.ZERO)
    txns = [t for t in office.records("ledger_txn") if str(t.get("date")) <= end]
    moves: dict[str, Decimal] = {}
    before = money.ZERO
    for t in txns:
        got = sum((a for acct, a in ledger.postings_of(t) if acct == account), money.ZERO)
        if not got:
            continue
        rec.books += got
        if str(t.get("date")) < start:
            before += got
        else:
            moves[t.id] = got
    rec.books = money.q(rec.books)
    opening = Decimal(str(first.get("opening") or "0"))
    if opening != before:
        rec.items.append(
            {
                "what": "opening",
                "ref": first.id,
                "date": start,
                "amount": money.q(opening - before),
                "note": f"the bank opened at {money.text(opening)} ({first.id}); the books held "
                f"{money.text(before)} before {start}",
            }
        )
    named: set[str] = set()
    for line in office.records("bank_line"):
        if line.get("account") != account:
            continue
        if line.state == "matched":
            named.update(str(t) for t in line.get("txns") or [])
        elif str(line.get("date")) <= end:
            rec.items.append(
                {
                    "what": "bank only",
                    "ref": line.id,
                    "date": str(line.get("date")),
                    "amount": Decimal(str(line.get("amount"))),
                    "note": f"unmatched: {line.get('counterparty') or ''} {line.get('text') or ''}".strip(),
                }
            )
    by_id = {t.id: t for t in txns}
    pairs = {str(t.get("reverses")) for t in txns if t.get("reverses") in moves and t.id in moves}
    pairs |= {t.id for t in txns if str(t.get("reverses")) in pairs}
    for tid, amount in moves.items():
        if tid in named or tid in pairs:
            continue
        t = by_id[tid]
        rec.items.append(
            {
                "what": "books only",
                "ref": tid,
                "date": str(t.get("date")),
                "amount": -amount,
                "note": str(t.get("description") or ""),
            }
        )
    rec.items.sort(key=lambda i: (i["date"], i["ref"]))
    return rec


def rows(rec: Reconciliation, currency: str) -> list[dict]:
    """The reconciliation as rows for the face: bank, books, each item, the difference."""
    out = [
        {
            "id": rec.statement.id,
            "state": "bank",
            "date": rec.day,
            "amount": money.text(rec.bank),
            "note": f"closing balance of {rec.account} ({rec.statement.get('source')})",
        },
        {
            "id": rec.account,
            "state": "books",
            "date": rec.day,
            "amount": money.text(rec.books),
            "note": f"balance of {rec.account} in the ledger",
        },
    ]
    for i in rec.items:
        out.append(
            {
                "id": i["ref"],
                "state": i["what"],
                "date": i["date"],
                "amount": money.text(i["amount"]),
                "note": i["note"],
            }
        )
    if rec.unexplained:
        out.append(
            {
                "id": "-",
                "state": "unexplained",
                "date": rec.day,
                "amount": money.text(rec.unexplained),
                "note": "not explained by the lines above: see 'officecli ledger check'",
            }
        )
    out.append(
        {
            "id": "=",
            "state": "agree" if rec.difference == 0 else "differ",
            "date": rec.day,
            "amount": money.text(rec.difference),
            "note": f"bank - books ({currency})",
        }
    )
    return out


def check(office) -> list[str]:
    """For `ledger check`: no bank line twice (two sites importing one statement); every
    matched line's entries move its account by its amount; the balance chain of each
    account's statements; nothing unexplained."""
    try:
        stmts = office.records("bank_statement")
        lines = office.records("bank_line")
    except UserError as exc:
        return [str(exc)]
    if not stmts and not lines:
        return []
    out = []
    txns = {t.id: t for t in office.records("ledger_txn")}
    first_of: dict[str, Record] = {}
    for line in sorted(lines, key=lambda r: r.id):  # two sites that imported the same statement
        twin = first_of.setdefault(str(line.get("identity")), line)
        if twin is not line:
            out.append(
                f"{line.path}: identity: the same bank line as {twin.id} ({twin.path}), imported "
                "twice (at two sites?); unmatch one and delete its file"
            )
    for line in lines:
        if line.state != "matched":
            if line.get("txns"):
                out.append(f"{line.path}: txns: an unmatched line names entries {line.get('txns')}")
            continue
        names = [str(t) for t in line.get("txns") or []]
        if not names:
            out.append(f"{line.path}: matched, but names no ledger entry (txns)")
            continue
        moved = money.ZERO
        for tid in names:
            t = txns.get(tid)
            if t is None:
                out.append(f"{line.path}: txns: no ledger entry {tid}")
                continue
            moved += sum((a for acct, a in ledger.postings_of(t) if acct == line.get("account")), money.ZERO)
        if money.q(moved) != Decimal(str(line.get("amount"))):
            out.append(
                f"{line.path}: amount {line.get('amount')}, but its entries move {line.get('account')} "
                f"by {money.text(moved)}"
            )
    for account in accounts_with_statements(office):
        mine = [s for s in stmts if s.get("account") == account]
        if any(s.get("opening") is None or s.get("closing") is None for s in mine):
            continue
        first = min(mine, key=lambda s: (str(s.get("from") or s.get("date")), str(s.get("date"))))
        last = max(mine, key=lambda s: (str(s.get("date")), str(s.get("from") or "")))
        total = sum((Decimal(str(r.get("amount"))) for r in lines if r.get("account") == account), money.ZERO)
        if money.q(Decimal(str(first.get("opening"))) + total) != Decimal(str(last.get("closing"))):
            out.append(
                f"{last.path}: closing: {last.get('closing')}, but {first.id} opened at "
                f"{first.get('opening')} and the lines of {account} add {money.text(total)}"
            )
        try:
            rec = reconcile(office, account)
        except UserError as exc:
            out.append(str(exc))
            continue
        if rec.unexplained:
            out.append(
                f"{rec.statement.path}: {account}: the bank says {money.text(rec.bank)} on {rec.day}, the books "
                f"{money.text(rec.books)}; {money.text(rec.unexplained)} of it no bank line or entry explains"
            )
    return out


def waiting(office) -> tuple[int, Decimal, Decimal]:
    """(unmatched lines, money in, money out) for `report daily`."""
    lines = office.records("bank_line", ["unmatched"])
    amounts = [Decimal(str(r.get("amount"))) for r in lines]
    return (
        len(lines),
        money.q(sum((a for a in amounts if a > 0), money.ZERO)),
        money.q(sum((-a for a in amounts if a < 0), money.ZERO)),
    )
