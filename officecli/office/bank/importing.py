"""`bank import`: a statement file in, one bank line per statement line, each once.

    bank import FILE [--account A] [--rules R] [--dry-run]
        formats.read -> for each statement: the account, the identity of each
        line, the balances checked -> one change: a bank_statement record
        (back/bank/statements/YYYY/MM/) and a bank_line per new line
        (back/bank/unmatched/), or nothing at all

**A line's identity** (the ``identity`` field, compared on every import):

* ``ref:ACCOUNT:BANKREF`` when the bank gives the entry a reference of its own
  (CAMT ``AcctSvcrRef``/``NtryRef``, with the transaction's own for each part of
  a batch booking; MT940 ``:61:`` bank reference after ``//``, else the
  customer reference unless ``NONREF``; CSV the ``bank_ref`` column);
* else ``fp:ACCOUNT:DATE:AMOUNT:HASH:N`` from its fields and position: the
  booking date, the amount, a hash of the counterparty, IBAN, reference and
  text, and N, the line's place among the lines of the same statement with
  those same fields (the 1st, 2nd... coffee of 3.20 at the same shop that
  day). Two overlapping statements that both hold that whole day give the
  same N, so nothing is imported twice, and two real equal payments on one
  day are both kept.

A line whose identity is already on file is skipped; a statement whose own
identity (the account and the bank's statement ID, else the file's sha256)
is on file adds no second statement record.

**Balances.** A statement's opening balance plus its lines must make its
closing balance. Then, over every statement of the account that has balances
(this one included), the earliest opening plus all the account's lines must
make the latest closing: a gap (lines missing between two statements) or a
mismatch is refused with one line naming this statement and the one before
it, and nothing is imported. A statement without balances (a CSV without a
balance column) imports its lines unchecked, and the chain is not checked
for an account that has one.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from officecli.office import money
from officecli.office.accounts import BANK
from officecli.office.bank import formats
from officecli.office.records import Record
from officecli.store.errors import UserError


@dataclass
class Result:
    """What one statement of a file did (or would do, with --dry-run)."""

    source: str
    bank_id: str
    account: str
    statement: str | None  # the bank_statement ID (new or already on file)
    lines: int
    new: list[dict] = field(default_factory=list)  # the bank lines' data
    known: int = 0
    repeated: bool = False  # the statement itself was on file


def line_identity(account: str, line: formats.Line, nth: int) -> str:
    if line.bank_ref:
        return f"ref:{account}:{line.bank_ref}"
    what = "\x1f".join((line.counterparty, line.iban, line.reference, line.text))
    digest = hashlib.sha256(what.encode("utf-8")).hexdigest()[:12]
    return f"fp:{account}:{line.date.isoformat()}:{money.text(line.amount)}:{digest}:{nth}"


def statement_identity(account: str, st: formats.Statement) -> str:
    return f"{account}:{st.bank_id}" if st.bank_id else f"{account}:sha256:{st.digest}"


def account_for(office, st: formats.Statement, given: str | None, rules: dict | None) -> str:
    """The ledger account of the statement: --account, else the rules file's, else the
    account an earlier statement of the same IBAN went to, else Assets:Bank."""
    from officecli.office.books import ledger

    name = given or (rules or {}).get("account")
    if not name and st.iban:
        key = _iban_key(st.iban)
        for other in office.records("bank_statement"):
            if _iban_key(other.get("iban")) == key:
                name = other.get("account")
                break
    name = ledger.check_account(office, str(name or BANK))
    if not (name == BANK or name.startswith(BANK + ":")):
        raise UserError(f"--account {name}: a bank account is {BANK} or one below it ({BANK}:Eurobank)")
    return name


def _iban_key(text) -> str:
    return "".join(str(text or "").split()).upper()


def _sum(values) -> Decimal:
    return money.q(sum(values, Decimal("0")))


def _check_balances(office, st: formats.Statement, account: str, new: list[dict], ident: str) -> None:
    cur = st.currency or office.config.currency
    name = f"{st.source}: statement {st.bank_id or '(no ID)'}"
    if st.has_balances:
        got = money.q(st.opening + _sum(line.amount for line in st.lines))
        if got != st.closing:
            raise UserError(
                f"{name}: opening {money.fmt(st.opening, cur)} + its {len(st.lines)} lines "
                f"({money.fmt(_sum(line.amount for line in st.lines), cur)}) = {money.fmt(got, cur)}, "
                f"but it closes at {money.fmt(st.closing, cur)}; nothing imported"
            )
    others = [s for s in office.records("bank_statement") if s.get("account") == account]
    others = [s for s in others if s.get("identity") != ident]
    if not st.has_balances or any(s.get("opening") is None or s.get("closing") is None for s in others):
        return
    if not others:
        return
    lines = [
        Decimal(str(r.get("amount"))) for r in office.records("bank_line") if r.get("account") == account
    ]
    total = _sum(lines + [Decimal(str(d["amount"])) for d in new])
    chain = [
        (str(s.get("from") or s.get("date")), str(s.get("date")), Decimal(str(s.get("opening"))), s)
        for s in others
    ]
    end = st.end or st.start or office.today()
    mine = ((st.start or end).isoformat(), end.isoformat(), st.opening, None)
    chain.append(mine)
    first = min(chain, key=lambda c: (c[0], c[1]))
    last = max(chain, key=lambda c: (c[1], c[0]))
    closing = st.closing if last[3] is None else Decimal(str(last[3].get("closing")))
    off = money.q(first[2] + total - closing)
    if off == 0:
        return
    known = chain[:-1]  # the account's other statements: name the one just before (else just after)
    before = [c for c in known if c[1] <= mine[1]]
    prev = (max(before, key=lambda c: (c[1], c[0])) if before else min(known, key=lambda c: c[0]))[3]
    raise UserError(
        f"{name}: opens at {money.fmt(st.opening, cur)} on {mine[0]} and closes at "
        f"{money.fmt(st.closing, cur)} on {mine[1]}, but {prev.id} ({prev.get('source')}, "
        f"statement {prev.get('bank_id') or '(no ID)'}) closed at "
        f"{money.fmt(Decimal(str(prev.get('closing'))), cur)} on {prev.get('date')}: "
        f"{money.fmt(-off, cur)} between them is on no statement line (a gap or a mismatch); "
        "nothing imported"
    )


def plan(office, st: formats.Statement, account: str, seen: set[str]) -> Result:
    """What importing ``st`` adds: its new lines (identities not in ``seen``, which
    grows), checked against its balances and the account's earlier statements."""
    ident = statement_identity(account, st)
    if st.iban and office.records("bank_statement"):
        key = _iban_key(st.iban)
        for other in office.records("bank_statement"):
            if other.get("account") == account and other.get("iban") and _iban_key(other.get("iban")) != key:
                raise UserError(
                    f"{st.source}: statement of IBAN {st.iban}, but {account} holds the statements "
                    f"of IBAN {other.get('iban')} ({other.id}); give --account"
                )
    repeated = any(s.get("identity") == ident for s in office.records("bank_statement"))
    res = Result(st.source, st.bank_id, account, None, len(st.lines), repeated=repeated)
    counts: dict[tuple, int] = {}
    for line in st.lines:
        key = (line.date, line.amount, line.counterparty, line.iban, line.reference, line.text)
        counts[key] = counts.get(key, 0) + 1
        identity = line_identity(account, line, counts[key])
        if identity in seen:
            res.known += 1
            continue
        seen.add(identity)
        res.new.append(
            {
                "account": account,
                "date": line.date.isoformat(),
                "value_date": line.value_date.isoformat() if line.value_date else None,
                "amount": money.text(line.amount),
                "currency": line.currency or st.currency or None,
                "counterparty": line.counterparty or None,
                "iban": _iban_key(line.iban) or None,
                "reference": line.reference or None,
                "text": line.text or None,
                "bank_ref": line.bank_ref or None,
                "identity": identity,
            }
        )
    if not repeated:
        _check_balances(office, st, account, res.new, ident)
    return res


def import_file(
    office,
    path: Path,
    account: str | None = None,
    rules_path: Path | None = None,
    dry_run: bool = False,
) -> list[Result]:
    """Import every statement of one file, in one change (or, dry, change nothing)."""
    rules_path = rules_path or next(
        (p for p in (path.with_name(path.name + ".rules"), path.with_name("bank.rules")) if p.is_file()), None
    )
    rules = None
    if rules_path is not None and formats.sniff(path.read_bytes()[:4096]) == "csv":
        rules = formats.read_rules(rules_path)
    statements = formats.read(path, rules, str(rules_path or ""))
    out: list[Result] = []
    with office.change() if not dry_run else contextlib.nullcontext():
        seen = {str(r.get("identity")) for r in office.records("bank_line")}
        for st in statements:
            acct = account_for(office, st, account, rules)
            res = plan(office, st, acct, seen)
            out.append(res)
            if dry_run:
                continue
            if not res.repeated:
                sid = office.new_id("bank_statement")
                data = {
                    "id": sid,
                    "account": acct,
                    "iban": _iban_key(st.iban) or None,
                    "format": st.format,
                    "source": st.source,
                    "bank_id": st.bank_id or None,
                    "identity": statement_identity(acct, st),
                    "from": st.start.isoformat() if st.start else None,
                    "date": (st.end or office.today()).isoformat(),
                    "currency": st.currency or None,
                    "opening": money.text(st.opening) if st.opening is not None else None,
                    "closing": money.text(st.closing) if st.closing is not None else None,
                    "lines": len(st.lines),
                    "new": len(res.new),
                }
                office.create(
                    "bank_statement",
                    {k: v for k, v in data.items() if v is not None},
                    note=f"{st.format} {st.source}",
                    action="import",
                )
                res.statement = sid
            else:
                ident = statement_identity(acct, st)
                res.statement = next(
                    s.id for s in office.records("bank_statement") if s.get("identity") == ident
                )
            for data in res.new:
                body = {"id": office.new_id("bank_line"), "statement": res.statement, **data}
                rec = office.create(
                    "bank_line",
                    {k: v for k, v in body.items() if v is not None},
                    note=f"from {st.source}",
                    action="import",
                )
                data["id"] = rec.id
        if not dry_run and any(r.new for r in out):
            office.messages.append(f"bank import {path.name}: {sum(len(r.new) for r in out)} new line(s)")
    return out


def lines_of(office, states=None, account: str | None = None) -> list[Record]:
    return [r for r in office.records("bank_line", states) if not account or r.get("account") == account]
