"""`bank match`: what each unmatched bank line pays, by rule, and the payment posted.

The rules, in this order; the first that decides wins:

0. **Already in the books.** A person typed the payment before the statement
   came (`invoice pay`, `bill pay`, `ledger post`): an entry no bank line claims
   yet, on the line's account, of exactly its amount, within 10 days of it,
   whose ``ref`` the line's text names or belongs to the customer or supplier
   of the line's IBAN. The line claims that entry (``rule: recorded``);
   nothing is posted twice, and `bank unmatch` only releases the claim.
1. **Reference.** The line's reference and text (spaces and dashes ignored,
   case-blind) name an invoice (its RF creditor reference or its ID, money
   in) or a supplier's bill (its ID, or the supplier's invoice number when
   that has four characters or more, money out). One open document owed at
   least the amount: it is paid (in part, if less). Several named: paid
   together when the amount is what they owe together. Named but already
   paid or credited, or paid more than is owed: left for a person.
2. **Counterparty IBAN.** The line's IBAN is on one customer (money in) or
   supplier (money out), and the amount is what exactly one of its open
   invoices (bills) still owes, or what exactly one set of them owes
   together (the 12 oldest are tried). Two invoices (or sets) of that amount:
   left for a person, both named.
3. **bank-rules.yaml** in the records folder: the first rule whose regular
   expression finds the line's counterparty or text posts the line to its
   account (``Expenses:Utilities``, ``Expenses:BankFees``); never to a control
   account, which only its records move.

A match is one change: the payment goes through the same code as
`invoice pay` / `bill pay` (or one ledger entry, kind ``bank``, ref the bank
line, for a rule), dated the line's booking day, on the line's bank account,
and the line moves to ``back/bank/matched/YYYY/MM/`` naming what it paid
(``paid``) and the entries (``txns``). Killed halfway, nothing is half done.

What no rule settles stays in ``back/bank/unmatched/`` with the reason and
the candidates named: `bank match LINE --to INV-… [--to …]` settles it by hand
(an invoice, a bill, or an account), `bank unmatch LINE` undoes a match with
the reverse of each entry, dated as that entry (the match was wrong from that
day on; ``--date`` when it lies in a closed period), so the books on any day
say what the bank did (the invoice or bill is open again, and its order or
purchase order back where it was). A payment that matches no open document or
pays more than is owed waits for a person (customer money on account, when
the books have it, is where such money goes).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from officecli.office import money
from officecli.office.accounts import BANK
from officecli.office.back import bills
from officecli.office.books import invoices, ledger
from officecli.office.records import Record
from officecli.store import yamlio
from officecli.store.errors import UserError

RULES_FILE = "bank-rules.yaml"
RECORDED = "recorded"  # the ``rule`` of a line that claimed an entry already in the books
RECORDED_DAYS = 10
MAX_SET = 12  # open documents tried in sets (2**12 sums)


@dataclass
class Match:
    """What a line pays: documents with amounts, or an account by a rule."""

    line: Record
    how: str  # reference, iban, rule, hand
    pays: list[tuple[Record, Decimal]] = field(default_factory=list)
    account: str | None = None
    rule: str | None = None
    claim: Record | None = None  # an entry already in the books that this line is
    paid: list[str] = field(default_factory=list)  # (the documents that entry paid)

    def says(self) -> str:
        if self.claim is not None:
            return f"{self.claim.id} already in the books" + (
                f" ({', '.join(self.paid)})" if self.paid else ""
            )
        if self.account:
            return f"{self.account} by rule {self.rule!r}"
        return ", ".join(f"{d.id} {money.text(a)}" for d, a in self.pays) + f" (by {self.how})"


@dataclass
class Left:
    """A line no rule settles: why, and the candidates a person chooses from."""

    line: Record
    why: str
    candidates: list[str] = field(default_factory=list)


def compact(text) -> str:
    return re.sub(r"[\s\-_/.]", "", str(text or "")).upper()


def _named(hay: str, needle: str) -> bool:
    """``needle`` in ``hay`` (both compact), not followed by another digit."""
    if not needle:
        return False
    for m in re.finditer(re.escape(needle), hay):
        after = hay[m.end() : m.end() + 1]
        if not (after.isdigit() and needle[-1:].isdigit()):
            return True
    return False


@dataclass
class Books:
    """What matching reads once per run: open documents and what they owe."""

    invoices: list[Record]
    bills: list[Record]
    owed: dict[str, Decimal]
    customers: dict[str, list[Record]]
    suppliers: dict[str, list[Record]]
    rules: list[dict]
    entries: list[tuple[Record, str, Decimal]] = field(
        default_factory=list
    )  # unclaimed (txn, account, amount)

    @classmethod
    def read(cls, office) -> Books:
        invs = office.records("invoice")
        amounts = invoices.amounts_by_ref(office)
        owed = {i.id: invoices.outstanding(office, i, amounts) for i in invs}
        bls = office.records("bill")
        bill_amounts = bills.amounts_by_ref(office)
        owed.update({b.id: bills.owed(office, b, bill_amounts) for b in bls})
        by_iban: dict[str, dict[str, list[Record]]] = {"customer": {}, "supplier": {}}
        for kind in by_iban:
            for rec in office.records(kind):
                if rec.get("iban"):
                    by_iban[kind].setdefault(compact(rec.get("iban")), []).append(rec)
        claimed = {
            str(t) for line in office.records("bank_line", ["matched"]) for t in line.get("txns") or []
        }
        entries = []
        for txn in office.records("ledger_txn"):
            if txn.id in claimed or txn.get("reverses"):
                continue
            for acct, amount in ledger.postings_of(txn):
                if acct == BANK or acct.startswith(BANK + ":"):
                    entries.append((txn, acct, amount))
        reversed_ = {str(t.get("reverses")) for t in office.records("ledger_txn") if t.get("reverses")}
        entries = [e for e in entries if e[0].id not in reversed_]
        return cls(invs, bls, owed, by_iban["customer"], by_iban["supplier"], read_rules(office), entries)

    def paid(self, doc: Record, amount: Decimal) -> None:
        self.owed[doc.id] = money.q(self.owed[doc.id] - amount)

    def open(self, doc: Record) -> bool:
        return doc.state == "open" and self.owed.get(doc.id, money.ZERO) > 0


def read_rules(office) -> list[dict]:
    """bank-rules.yaml: ``rules:`` a list of {name, match (a regular expression), account,
    field: counterparty|text|any (default any), direction: in|out|any (default any)}."""
    path = Path(office.root) / RULES_FILE
    if not path.is_file():
        return []
    where = RULES_FILE
    try:
        raw = yamlio.loads(path.read_text("utf-8"))
    except Exception as exc:
        raise UserError(f"{where}: not YAML: {exc}") from None
    items = (raw or {}).get("rules") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise UserError(f"{where}: rules: a list of {{name, match, account}} is needed")
    control = set(office.config.control_accounts)
    out = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or not item.get("match") or not item.get("account"):
            raise UserError(f"{where}: rules: rule {i}: match and account are needed")
        name = str(item.get("name") or f"rule {i}")
        try:
            pattern = re.compile(str(item["match"]), re.I)
        except re.error as exc:
            raise UserError(f"{where}: rules: {name}: match: {exc}") from None
        account = ledger.check_account(office, str(item["account"]))
        if account in control:
            raise UserError(
                f"{where}: rules: {name}: account {account} is a control account; only its records move it"
            )
        on = str(item.get("field") or "any")
        direction = str(item.get("direction") or "any")
        if on not in ("counterparty", "text", "any") or direction not in ("in", "out", "any"):
            raise UserError(f"{where}: rules: {name}: field is counterparty|text|any, direction in|out|any")
        out.append({"name": name, "pattern": pattern, "account": account, "on": on, "direction": direction})
    return out


def _amount(line: Record) -> Decimal:
    return Decimal(str(line.get("amount")))


def by_entry(books: Books, line: Record) -> Match | None:
    """A payment already typed in the books (`invoice pay`, `bill pay`, `ledger post`):
    one entry no bank line claims yet, on the line's account, of exactly its amount,
    within RECORDED_DAYS of it, whose ``ref`` the line's text names or belongs to the
    customer or supplier whose IBAN the line carries. The line claims it; nothing is posted."""
    from datetime import date as Date

    amount = _amount(line)
    day = Date.fromisoformat(str(line.get("date")))
    hay = compact(f"{line.get('reference') or ''} {line.get('text') or ''}")
    parties = {
        p.id for p in (books.customers if amount > 0 else books.suppliers).get(compact(line.get("iban")), [])
    }
    docs = {d.id: d for d in books.invoices + books.bills}
    hits = []
    for txn, acct, moved in books.entries:
        if acct != line.get("account") or moved != amount:
            continue
        if abs((Date.fromisoformat(str(txn.get("date"))) - day).days) > RECORDED_DAYS:
            continue
        ref = str(txn.get("ref") or "")
        doc = docs.get(ref)
        named = bool(ref) and (
            _named(hay, compact(ref))
            or (
                doc is not None
                and doc.kind.name == "invoice"
                and _named(hay, compact(invoices.reference(doc)))
            )
        )
        owner = doc is not None and (doc.get("customer") in parties or doc.get("supplier") in parties)
        if named or owner:
            hits.append(txn)
    if len(hits) != 1:
        return None
    ref = str(hits[0].get("ref") or "")
    return Match(line, "recorded", claim=hits[0], paid=[ref] if ref in docs else [])


def by_reference(books: Books, line: Record) -> Match | Left | None:
    amount = _amount(line)
    hay = compact(f"{line.get('reference') or ''} {line.get('text') or ''}")
    if amount > 0:
        docs = [
            i
            for i in books.invoices
            if _named(hay, compact(invoices.reference(i))) or _named(hay, compact(i.id))
        ]
    else:
        docs = [
            b
            for b in books.bills
            if _named(hay, compact(b.id))
            or (len(compact(b.get("number"))) >= 4 and _named(hay, compact(b.get("number"))))
        ]
    if not docs:
        return None
    names = [d.id for d in docs]
    want = abs(amount)
    shut = [d for d in docs if not books.open(d)]
    live = [d for d in docs if books.open(d)]
    if not live:
        return Left(
            line,
            f"names {', '.join(f'{d.id} ({d.state})' for d in shut)}, which owe(s) nothing: paid twice? "
            "refund it or keep it for the customer",
            names,
        )
    owed = money.q(sum((books.owed[d.id] for d in live), money.ZERO))
    if len(live) == 1 and want <= owed:
        return Match(line, "reference", [(live[0], want)])
    if want == owed:
        return Match(line, "reference", [(d, books.owed[d.id]) for d in live])
    if want > owed:
        return Left(
            line,
            f"pays {money.text(want)} for {', '.join(d.id for d in live)}, which owe(s) {money.text(owed)}: "
            "more than is owed; a person decides where the rest goes",
            names,
        )
    return Left(
        line,
        f"pays {money.text(want)} for {', '.join(d.id for d in live)}, which owe {money.text(owed)} together: "
        "which to pay is for a person",
        names,
    )


def by_iban(books: Books, line: Record) -> Match | Left | None:
    iban = compact(line.get("iban"))
    if not iban:
        return None
    amount = _amount(line)
    parties = (books.customers if amount > 0 else books.suppliers).get(iban) or []
    if not parties:
        return None
    if len(parties) > 1:
        return Left(
            line, f"IBAN {iban} is on {len(parties)} records: which one paid?", [p.id for p in parties]
        )
    party = parties[0]
    field_name = "customer" if amount > 0 else "supplier"
    docs = sorted(
        (
            d
            for d in (books.invoices if amount > 0 else books.bills)
            if d.get(field_name) == party.id and books.open(d)
        ),
        key=lambda d: (str(d.get("due")), d.id),
    )
    want = abs(amount)
    same = [d for d in docs if books.owed[d.id] == want]
    if len(same) == 1:
        return Match(line, "iban", [(same[0], want)])
    if len(same) > 1:
        return Left(
            line,
            f"{party.id} {party.get('name')}: {len(same)} open documents owe exactly {money.text(want)}: "
            + " or ".join(d.id for d in same),
            [d.id for d in same],
        )
    sets = []
    pool = docs[:MAX_SET]
    for size in range(2, len(pool) + 1):
        for combo in itertools.combinations(pool, size):
            if sum((books.owed[d.id] for d in combo), money.ZERO) == want:
                sets.append(combo)
                if len(sets) > 2:
                    break
        if len(sets) > 2:
            break
    if len(sets) == 1:
        return Match(line, "iban", [(d, books.owed[d.id]) for d in sets[0]])
    if sets:
        return Left(
            line,
            f"{party.id} {party.get('name')}: several sets of open documents owe {money.text(want)}: "
            + " or ".join("+".join(d.id for d in s) for s in sets),
            sorted({d.id for s in sets for d in s}),
        )
    return Left(
        line,
        f"from {party.id} {party.get('name')}, but no open {'invoice' if amount > 0 else 'bill'} "
        f"or set of them comes to {money.text(want)} (open: "
        + (", ".join(f"{d.id} {money.text(books.owed[d.id])}" for d in docs) or "none")
        + ")",
        [d.id for d in docs],
    )


def by_rule(books: Books, line: Record) -> Match | None:
    amount = _amount(line)
    for rule in books.rules:
        if rule["direction"] == "in" and amount < 0 or rule["direction"] == "out" and amount > 0:
            continue
        fields = {
            "counterparty": [line.get("counterparty")],
            "text": [line.get("text"), line.get("reference")],
            "any": [line.get("counterparty"), line.get("text"), line.get("reference")],
        }[rule["on"]]
        if any(rule["pattern"].search(str(f)) for f in fields if f):
            return Match(line, "rule", account=rule["account"], rule=rule["name"])
    return None


def propose(books: Books, line: Record) -> Match | Left:
    said: Left | None = None
    recorded = by_entry(books, line)
    if recorded is not None:
        return recorded
    for step in (by_reference, by_iban):
        got = step(books, line)
        if isinstance(got, Match):
            return got
        said = said or got
    ruled = by_rule(books, line)
    if ruled is not None:
        return ruled
    return said or Left(line, "no reference, no known IBAN and no rule of bank-rules.yaml: a person decides")


# -- posting ------------------------------------------------------------------------------


def apply(office, m: Match) -> Record:
    """Post ``m`` and move its line to matched/, in one change; the matched line."""
    with office.change():
        line = office.get("bank_line", m.line.id)
        if line.state != "unmatched":
            raise office.wrong_state(line, "match")
        day = str(line.get("date"))
        account = str(line.get("account"))
        amount = _amount(line)
        txns: list[str] = [m.claim.id] if m.claim is not None else []
        paid: list[str] = list(m.paid)
        if m.account:
            txn = ledger.post(
                office,
                day,
                f"{m.rule}: {line.get('counterparty') or ''} {line.get('text') or ''}".strip()[:200],
                [(account, amount), (m.account, -amount)],
                ref=line.id,
                kind="bank",
            )
            txns.append(txn.id)
        for doc, part in m.pays:
            if doc.kind.name == "invoice":
                _, _, txn = invoices.pay(office, doc.id, money.text(part), "bank", day, account=account)
            else:
                _, _, txn = bills.pay(office, doc.id, money.text(part), "bank", day, account=account)
            txns.append(txn.id)
            paid.append(doc.id)
        note = m.says()
        office.messages.append(f"bank line {line.id} matched: {note}")
        return office.handoff(
            line,
            "match",
            note=f"{note}: {', '.join(txns)}",
            changes={"paid": paid or None, "rule": RECORDED if m.claim is not None else m.rule, "txns": txns},
        )


def match_all(office, dry_run: bool = False, account: str | None = None) -> tuple[list[Match], list[Left]]:
    """Every unmatched line by the rules: (matched, left for a person)."""
    books = Books.read(office)
    done: list[Match] = []
    left: list[Left] = []
    lines = sorted(
        (r for r in office.records("bank_line", ["unmatched"]) if not account or r.get("account") == account),
        key=lambda r: (str(r.get("date")), r.id),
    )
    for line in lines:
        got = propose(books, line)
        if isinstance(got, Left):
            left.append(got)
            continue
        if not dry_run:
            try:
                apply(office, got)
            except UserError as exc:  # e.g. paid before the invoice's date, a closed period
                left.append(Left(line, f"{got.says()} was refused: {exc}", [d.id for d, _ in got.pays]))
                continue
        for doc, part in got.pays:
            books.paid(doc, part)
        if got.claim is not None:
            books.entries = [e for e in books.entries if e[0].id != got.claim.id]
        done.append(got)
    return done, left


def by_hand(office, line_ref: str, targets: list[str]) -> Record:
    """`bank match LINE --to …`: pay the named invoices/bills in the order given (the
    last may be paid in part), or post to the one account named."""
    line = office.get("bank_line", line_ref)
    if line.state != "unmatched":
        raise office.wrong_state(line, "match")
    amount = _amount(line)
    want = abs(amount)
    if len(targets) == 1 and ":" in targets[0]:
        account = ledger.check_account(office, targets[0])
        if account in set(office.config.control_accounts):
            raise UserError(
                f"{line.where}: --to {account}: a control account; match the invoice or bill instead"
            )
        return apply(office, Match(line, "hand", account=account, rule="by hand"))
    books = Books.read(office)
    pays: list[tuple[Record, Decimal]] = []
    rest = want
    for ref in targets:
        doc = office.get("invoice", ref) if amount > 0 else office.get("bill", ref)
        if not books.open(doc):
            raise UserError(f"{line.where}: --to {doc.id}: {doc.state}, it owes nothing")
        if rest <= 0:
            raise UserError(f"{line.where}: --to {doc.id}: the {money.text(want)} is used up before it")
        part = min(rest, books.owed[doc.id])
        pays.append((doc, part))
        rest = money.q(rest - part)
    if rest > 0:
        raise UserError(
            f"{line.where}: pays {money.text(want)}, but {', '.join(d.id for d, _ in pays)} owe "
            f"{money.text(want - rest)}: more than is owed; leave it for the customer's credit or name more"
        )
    return apply(office, Match(line, "hand", pays))


def unmatch(office, line_ref: str, when=None) -> Record:
    """Undo a match: the reverse of each of its entries (dated as the entry, else ``when``), the documents it
    paid back to open (and their order or purchase order), the line back to unmatched."""
    from officecli.office import clock

    with office.change():
        line = office.get("bank_line", line_ref)
        if line.state != "matched":
            raise office.wrong_state(line, "unmatch")
        given = clock.parse_date(when, "--date") if when is not None else None
        claimed = line.get("rule") == RECORDED  # an entry a person typed: it stays, unclaimed
        undone = []
        for tid in [] if claimed else reversed(list(line.get("txns") or [])):
            txn = office.get("ledger_txn", str(tid))
            rev = ledger.post(
                office,
                given or str(txn.get("date")),  # the match was wrong from its day on
                f"Reversal of {txn.id}: {txn.get('description', '')}"[:200],
                [(acct, -amt) for acct, amt in ledger.postings_of(txn)],
                ref=txn.get("ref"),
                reverses=txn.id,
                kind=txn.get("kind"),
            )
            undone.append(rev.id)
        for ref in [] if claimed else line.get("paid") or []:
            doc = office.find_any(str(ref))
            if doc is None:
                continue
            note = f"bank line {line.id} unmatched: its payment reversed ({', '.join(undone)})"
            if doc.state == "paid":
                office.handoff(doc, "unpay", note=note)
                up = office.find_any(str(doc.get("order") or doc.get("purchase") or ""))
                if up is not None and up.state == "closed" and "unpay" in up.kind.handoffs:
                    office.handoff(up, "unpay", note=note)
            else:
                office.note(doc, "payment", note=note)
        office.messages.append(f"bank line {line.id} unmatched")
        return office.handoff(
            line,
            "unmatch",
            note=f"reversed {', '.join(undone)}"
            if undone
            else f"released {', '.join(line.get('txns') or [])}",
            changes={"paid": None, "rule": None, "txns": None},
        )
