"""Reading a bank's statement file: ISO 20022 CAMT.053, SWIFT MT940, or CSV with rules.

``read(path, rules=None)`` returns the file's statements (one file may hold
several), each with its balances and its lines, all money as Decimal:

* **CAMT.053** (any version: elements are found by their local names, so
  ``camt.053.001.02`` and ``.08`` read the same) with ``lxml``, never
  resolving entities or fetching anything. Each ``Stmt``: its ``Id``, the
  account's IBAN and currency, ``FrToDt``, the opening (``OPBD``, else
  ``PRCD``) and closing (``CLBD``) balances. Each booked ``Ntry`` (status
  ``BOOK``; pending entries are not yet on the account) is one line; a batch
  booking (one entry, several ``TxDtls`` whose amounts add up to the entry's)
  is one line per transaction, because each is a payment of its own.
* **MT940** with the ``mt-940`` package (``parse_statements``: one block per
  ``:20:``), with its structured ``:86:`` details (``?20``-``?29`` purpose,
  ``?31`` IBAN, ``?32``/``?33`` name). No MT940 is parsed by hand here.
* **CSV** with a rules file (``read_rules``), in the spirit of hledger's CSV
  rules: which column holds the date, amount (or debit and credit), counterparty,
  IBAN, reference, text, the bank's reference and the running balance; the
  separator, decimal mark, thousands mark, encoding (``utf-8-sig`` drops a BOM),
  header lines to skip and the date format.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from officecli.office import money
from officecli.store import yamlio
from officecli.store.errors import UserError


@dataclass
class Line:
    date: Date
    amount: Decimal
    value_date: Date | None = None
    currency: str = ""
    counterparty: str = ""
    iban: str = ""
    reference: str = ""
    text: str = ""
    bank_ref: str = ""


@dataclass
class Statement:
    format: str
    source: str
    bank_id: str = ""
    iban: str = ""
    currency: str = ""
    opening: Decimal | None = None
    closing: Decimal | None = None
    start: Date | None = None
    end: Date | None = None
    lines: list[Line] = field(default_factory=list)
    digest: str = ""  # the file's bytes (sha256): its identity when the bank gives it no ID

    @property
    def has_balances(self) -> bool:
        return self.opening is not None and self.closing is not None


def sniff(data: bytes) -> str:
    """camt, mt940 or csv, from the file's first bytes."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"<"):
        return "camt"
    if re.search(rb"(?m)^:20:", head) or head.startswith((b"{1:", b":20:")):
        return "mt940"
    return "csv"


def read(path: Path, rules: dict | None = None, rules_where: str = "") -> list[Statement]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    kind = sniff(data)
    digest = hashlib.sha256(data).hexdigest()
    if kind == "camt":
        out = camt(data, path.name)
    elif kind == "mt940":
        out = mt940(data, path.name)
    else:
        if rules is None:
            raise UserError(
                f"{path}: neither CAMT.053 (XML) nor MT940: a CSV export needs a rules file "
                f"(--rules FILE, or {path.name}.rules beside it, or bank.rules in its folder)"
            )
        out = [from_csv(data, path.name, rules, rules_where)]
    for st in out:
        st.digest = digest
    return out


# -- CAMT.053 -----------------------------------------------------------------------


def _kids(el, *names: str) -> list:
    """Descendants of ``el`` along a path of local names (namespace ignored)."""
    found = [el]
    for name in names:
        found = [c for e in found for c in e if isinstance(c.tag, str) and c.tag.rpartition("}")[2] == name]
    return found


def _text(el, *names: str) -> str:
    got = _kids(el, *names)
    return (got[0].text or "").strip() if got else ""


def _find(el, name: str) -> list:
    """Every descendant of ``el`` with this local name."""
    return [e for e in el.iter() if isinstance(e.tag, str) and e.tag.rpartition("}")[2] == name]


def _camt_date(el, where: str) -> Date | None:
    """The day of a CAMT date element (``Dt`` or ``DtTm`` inside it)."""
    text = _text(el, "Dt") or _text(el, "DtTm")
    if not text:
        return None
    try:
        return Date.fromisoformat(text[:10])
    except ValueError:
        raise UserError(f"{where}: {text!r} is not a date") from None


def _camt_amount(el, where: str) -> tuple[Decimal, str]:
    """(signed amount, currency) of an element with ``Amt`` and ``CdtDbtInd``."""
    amt = _kids(el, "Amt")
    if not amt:
        raise UserError(f"{where}: Amt: missing")
    amount = _decimal((amt[0].text or "").strip(), f"{where}: Amt")
    sign = _text(el, "CdtDbtInd")
    if sign not in ("CRDT", "DBIT"):
        raise UserError(f"{where}: CdtDbtInd: {sign!r}, want CRDT or DBIT")
    return (amount if sign == "CRDT" else -amount), amt[0].get("Ccy", "")


def camt(data: bytes, source: str) -> list[Statement]:
    from lxml import etree  # only a CAMT import needs an XML parser

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise UserError(f"{source}: not well-formed XML: {exc}") from None
    stmts = _find(root, "Stmt")
    if not stmts or not _find(root, "BkToCstmrStmt"):
        raise UserError(f"{source}: no BkToCstmrStmt/Stmt: not a CAMT.053 bank statement")
    out = []
    for n, stmt in enumerate(stmts, 1):
        st = Statement("camt.053", source)
        st.bank_id = _text(stmt, "Id")
        where = f"{source}: statement {st.bank_id or n}"
        st.iban = _text(stmt, "Acct", "Id", "IBAN")
        st.currency = _text(stmt, "Acct", "Ccy")
        span = _kids(stmt, "FrToDt")
        if span:
            for key, attr in (("FrDtTm", "start"), ("ToDtTm", "end")):
                text = _text(span[0], key)
                if text:
                    setattr(st, attr, Date.fromisoformat(text[:10]))
        for bal in _kids(stmt, "Bal"):
            code = _text(bal, "Tp", "CdOrPrtry", "Cd")
            amount, ccy = _camt_amount(bal, f"{where}: Bal {code}")
            day = _camt_date(_kids(bal, "Dt")[0], f"{where}: Bal {code}: Dt") if _kids(bal, "Dt") else None
            if code == "OPBD" or (code == "PRCD" and st.opening is None):
                st.opening = amount
                st.start = st.start or day
            elif code == "CLBD":
                st.closing = amount
                st.end = st.end or day
            st.currency = st.currency or ccy
        for i, entry in enumerate(_kids(stmt, "Ntry"), 1):
            st.lines += _camt_entry(entry, f"{where}: Ntry {i}", st.currency)
        dates = [line.date for line in st.lines]
        st.start = st.start or (min(dates) if dates else None)
        st.end = st.end or (max(dates) if dates else st.start)
        out.append(st)
    return out


def _party(tx, amount: Decimal) -> tuple[str, str]:
    """(name, IBAN) of the other side: the debtor of money in, the creditor of money out."""
    who, acct = ("Dbtr", "DbtrAcct") if amount > 0 else ("Cdtr", "CdtrAcct")
    parties = _find(tx, "RltdPties")
    if not parties:
        return "", ""
    names = [e for e in _find(parties[0], who)]
    name = ""
    if names:
        got = _find(names[0], "Nm")
        name = (got[0].text or "").strip() if got else ""
    accts = _find(parties[0], acct)
    iban = ""
    if accts:
        got = _find(accts[0], "IBAN")
        iban = (got[0].text or "").strip() if got else ""
    return name, iban


def _camt_details(tx) -> tuple[str, str, str]:
    """(structured reference, text, the transaction's bank reference) of a TxDtls."""
    refs = [(e.text or "").strip() for e in _find(tx, "CdtrRefInf") for e in _find(e, "Ref")]
    texts = [(e.text or "").strip() for e in _find(tx, "Ustrd")]
    e2e = [(e.text or "").strip() for e in _find(tx, "EndToEndId")]
    texts += [t for t in e2e if t and t.upper() != "NOTPROVIDED"]
    own = _kids(tx, "Refs", "AcctSvcrRef") or _kids(tx, "Refs", "TxId")
    return (
        " ".join(r for r in refs if r),
        " ".join(t for t in texts if t),
        (own[0].text or "").strip() if own else "",
    )


def _camt_entry(entry, where: str, currency: str) -> list[Line]:
    status = _text(entry, "Sts") or _text(entry, "Sts", "Cd")
    if status and status != "BOOK":
        return []
    amount, ccy = _camt_amount(entry, where)  # (a reversal's CdtDbtInd is its own direction)
    booked = _kids(entry, "BookgDt")
    day = _camt_date(booked[0], f"{where}: BookgDt") if booked else None
    valued = _kids(entry, "ValDt")
    value_day = _camt_date(valued[0], f"{where}: ValDt") if valued else None
    day = day or value_day
    if day is None:
        raise UserError(f"{where}: BookgDt: missing (and no ValDt)")
    entry_ref = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
    extra = _text(entry, "AddtlNtryInf")
    txs = [tx for d in _kids(entry, "NtryDtls") for tx in _kids(d, "TxDtls")]
    base = dict(value_date=value_day, currency=ccy or currency)
    parts = []
    if len(txs) > 1:  # a batch booking: one line per payment when the parts add up to the entry
        for tx in txs:
            amt = _kids(tx, "Amt") or _kids(tx, "AmtDtls", "TxAmt", "Amt")
            if not amt:
                parts = []
                break
            part = _decimal((amt[0].text or "").strip(), f"{where}: TxDtls Amt")
            parts.append(part if amount > 0 else -part)
        if parts and sum(parts, Decimal("0")) != amount:
            parts = []
    if parts:
        out = []
        for k, (tx, part) in enumerate(zip(txs, parts), 1):
            name, iban = _party(tx, part)
            ref, text, own = _camt_details(tx)
            out.append(
                Line(
                    day,
                    part,
                    counterparty=name,
                    iban=iban,
                    reference=ref,
                    text=text or extra,
                    bank_ref=f"{entry_ref}/{own or k}" if entry_ref else own,
                    **base,
                )
            )
        return out
    name, iban, ref, text = "", "", "", ""
    if txs:
        name, iban = _party(txs[0], amount)
        ref, text, own = _camt_details(txs[0])
        entry_ref = entry_ref or own
    text = " ".join(t for t in (text, extra) if t)
    return [
        Line(day, amount, counterparty=name, iban=iban, reference=ref, text=text, bank_ref=entry_ref, **base)
    ]


# -- MT940 --------------------------------------------------------------------------


def mt940(data: bytes, source: str) -> list[Statement]:
    import mt940 as lib  # the mt-940 package; only an MT940 import needs it

    options = lib.Options(
        applicant_iban=True,
        merge_keeps_values=True,
        reversal_sign=True,
        case_insensitive_marks=True,
        unbounded_details=True,
    )
    text = _decode(data, ("utf-8-sig", "cp1253", "latin-1"))
    try:
        blocks = lib.parse_statements(text, options=options)
    except Exception as exc:  # the library's own errors name the tag
        raise UserError(f"{source}: not a readable MT940 statement: {exc}") from None
    out = []
    for block in blocks:
        d = block.data
        st = Statement("mt940", source)
        number = "/".join(str(d.get(k)) for k in ("statement_number", "sequence_number") if d.get(k))
        st.bank_id = ":".join(x for x in (str(d.get("transaction_reference") or ""), number) if x)
        st.iban = str(d.get("account_identification") or "").strip()
        opening = d.get("final_opening_balance") or d.get("opening_balance")
        closing = d.get("final_closing_balance") or d.get("closing_balance")
        if opening is not None:
            st.opening = Decimal(str(opening.amount.amount))
            st.currency = str(opening.amount.currency or "")
        if closing is not None:
            st.closing = Decimal(str(closing.amount.amount))
            st.end = _day(closing.date)
        for tx in block:
            t = tx.data
            amount = Decimal(str(t["amount"].amount))
            purpose = " ".join(str(t.get(k) or "") for k in ("purpose", "additional_purpose")).strip()
            extra = str(t.get("extra_details") or "").strip()
            customer = str(t.get("customer_reference") or "").strip()
            # :61: gives the value date, then the booking ("entry") date as MMDD, whose
            # year the library guesses from the value date across a new year
            booked = t.get("guessed_entry_date") or t.get("entry_date") or t["date"]
            st.lines.append(
                Line(
                    _day(booked),
                    amount,
                    value_date=_day(t["date"]),
                    currency=str(t.get("currency") or st.currency),
                    counterparty=str(t.get("applicant_name") or "").strip(),
                    iban=str(t.get("applicant_iban") or "").strip(),
                    text=" ".join(x for x in (purpose, extra) if x)
                    or str(t.get("transaction_details") or ""),
                    bank_ref=str(t.get("bank_reference") or "").strip()
                    or (customer if customer.upper() != "NONREF" else ""),
                )
            )
        dates = [line.date for line in st.lines]
        if opening is not None:  # the opening balance is as at the end of its day, usually the day before
            after = _day(opening.date) + timedelta(days=1)
            st.start = min([after, *dates]) if dates else min(after, st.end or after)
        else:
            st.start = min(dates) if dates else st.end
        st.end = st.end or (max(dates) if dates else None)
        out.append(st)
    if not out:
        raise UserError(f"{source}: no MT940 statement in it (no :20: block)")
    return out


def _day(value: Any) -> Date:
    return Date(value.year, value.month, value.day)


# -- CSV with rules -------------------------------------------------------------------

RULE_KEYS = {
    "account": "the ledger account of this bank account, e.g. Assets:Bank:Eurobank",
    "iban": "this account's IBAN",
    "currency": "the currency of the amounts (default: the office's)",
    "encoding": "the file's encoding (default utf-8-sig, which drops a BOM; e.g. cp1253)",
    "separator": "the field separator (default ',')",
    "decimal": "the decimal mark (default '.')",
    "thousands": "the thousands mark, removed (default none)",
    "skip": "lines to skip before the header row (default 0)",
    "header": "whether the first row read is a header (default true)",
    "date_format": "strptime format of the dates (default %Y-%m-%d)",
    "date": "column of the booking date (a header name or a 1-based number)",
    "value_date": "column of the value date",
    "amount": "column of the signed amount",
    "debit": "column of money out (positive numbers), with credit",
    "credit": "column of money in, with debit",
    "counterparty": "column of the other side's name",
    "counterparty_iban": "column of the other side's IBAN",
    "reference": "column of the payment reference",
    "text": "column (or list of columns) of the description",
    "bank_ref": "column of the bank's own reference of the line",
    "balance": "column of the balance after the line (gives the opening and closing balances)",
}


COLUMN_KEYS = (
    "date",
    "value_date",
    "amount",
    "debit",
    "credit",
    "counterparty",
    "counterparty_iban",
    "reference",
    "text",
    "bank_ref",
    "balance",
)


def read_rules(path: Path) -> dict:
    where = str(path)
    try:
        rules = yamlio.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise UserError(f"{where}: cannot be read: {exc.strerror or exc}") from None
    except Exception as exc:
        raise UserError(f"{where}: not YAML: {exc}") from None
    if not isinstance(rules, dict):
        raise UserError(f"{where}: a rules file is a mapping (date: 1, amount: 4, separator: ';', ...)")
    unknown = sorted(set(rules) - set(RULE_KEYS))
    if unknown:
        raise UserError(f"{where}: {unknown[0]}: not a rule; the rules are {', '.join(RULE_KEYS)}")
    if "date" not in rules or not ("amount" in rules or ("debit" in rules and "credit" in rules)):
        raise UserError(f"{where}: date and amount (or debit and credit): which columns hold them?")
    return rules


def _decode(data: bytes, encodings) -> str:
    for enc in encodings:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _decimal(text: str, where: str, dec: str = ".", thousands: str = "") -> Decimal:
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if thousands:
        s = s.replace(thousands, "")
    if dec != ".":
        s = s.replace(dec, ".")
    neg = s.endswith("-")  # some banks print 12,50-
    s = s.rstrip("-") if neg else s
    try:
        value = Decimal(s)
    except InvalidOperation:
        raise UserError(f"{where}: {text!r} is not an amount") from None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise UserError(f"{where}: {text!r} is not an amount in cents")
    return money.q(-value if neg else value)


def from_csv(data: bytes, source: str, rules: dict, rules_where: str) -> Statement:
    enc = str(rules.get("encoding") or "utf-8-sig")
    try:
        text = data.decode(enc)
    except (LookupError, UnicodeDecodeError) as exc:
        raise UserError(f"{rules_where}: encoding {enc}: {source} cannot be read so: {exc}") from None
    text = text.lstrip("\ufeff")
    lines = text.splitlines()[int(rules.get("skip") or 0) :]
    rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=str(rules.get("separator") or ",")))
    rows = [r for r in rows if any(c.strip() for c in r)]
    header: list[str] = []
    if rules.get("header", True) and rows:
        header = [c.strip() for c in rows.pop(0)]

    def col(name: str):
        spec = rules.get(name)
        if spec is None:
            return None
        specs = spec if isinstance(spec, list) else [spec]
        out = []
        for s in specs:
            if isinstance(s, int) and not isinstance(s, bool):
                out.append(s - 1)
            elif str(s) in header:
                out.append(header.index(str(s)))
            else:
                raise UserError(
                    f"{rules_where}: {name}: no column {s!r} in {source} (its header: {', '.join(header)})"
                )
        return out

    cols = {k: col(k) for k in COLUMN_KEYS if k in rules}
    cols = {k: v for k, v in cols.items() if isinstance(v, list)}
    dec, thousands = str(rules.get("decimal") or "."), str(rules.get("thousands") or "")
    fmt = str(rules.get("date_format") or "%Y-%m-%d")
    st = Statement(
        "csv", source, iban=str(rules.get("iban") or ""), currency=str(rules.get("currency") or "")
    )
    balances: list[tuple[Decimal, Decimal]] = []
    for n, row in enumerate(rows, 1 + int(rules.get("skip") or 0) + (1 if header else 0)):
        where = f"{source}: line {n}"

        def cell(key: str, row=row, where=where) -> str:
            return _cell(cols, row, key, where)

        def day(key: str, row=row, where=where) -> Date | None:
            return _cell_date(cols, row, key, where, fmt)

        booked = day("date")
        if booked is None:
            raise UserError(f"{where}: date: empty")
        if "amount" in cols:
            amount = _decimal(cell("amount"), f"{where}: amount", dec, thousands)
        else:
            out_, in_ = cell("debit"), cell("credit")
            amount = (_decimal(in_, f"{where}: credit", dec, thousands) if in_ else money.ZERO) - (
                abs(_decimal(out_, f"{where}: debit", dec, thousands)) if out_ else money.ZERO
            )
        if amount == 0:
            continue
        st.lines.append(
            Line(
                booked,
                amount,
                value_date=day("value_date"),
                currency=st.currency,
                counterparty=cell("counterparty"),
                iban=cell("counterparty_iban"),
                reference=cell("reference"),
                text=cell("text"),
                bank_ref=cell("bank_ref"),
            )
        )
        if "balance" in cols and cell("balance"):
            balances.append((amount, _decimal(cell("balance"), f"{where}: balance", dec, thousands)))
    st.lines.sort(key=lambda line: line.date)  # banks export newest first as often as not
    if balances and len(balances) == len(st.lines):
        # the running balance gives both ends: the row whose balance less its amount
        # no other row's balance ends is the first one
        firsts = [b - a for a, b in balances]
        ends = [b for _, b in balances]
        if rows and _first_is_newest(rows, cols, fmt):
            st.opening, st.closing = firsts[-1], ends[0]
        else:
            st.opening, st.closing = firsts[0], ends[-1]
    dates = [line.date for line in st.lines]
    st.start, st.end = (min(dates), max(dates)) if dates else (None, None)
    return st


def _cell(cols: dict, row: list[str], key: str, where: str) -> str:
    idx = cols.get(key)
    if not idx:
        return ""
    try:
        return " ".join(row[i].strip() for i in idx if row[i].strip())
    except IndexError:
        raise UserError(f"{where}: {key}: the row has {len(row)} columns") from None


def _cell_date(cols: dict, row: list[str], key: str, where: str, fmt: str) -> Date | None:
    value = _cell(cols, row, key, where)
    if not value:
        return None
    try:
        return datetime.strptime(value, fmt).date()
    except ValueError:
        raise UserError(f"{where}: {key}: {value!r} does not match date_format {fmt}") from None


def _first_is_newest(rows, cols, fmt: str) -> bool:
    idx = cols["date"][0]
    try:
        first = datetime.strptime(rows[0][idx].strip(), fmt)
        last = datetime.strptime(rows[-1][idx].strip(), fmt)
    except (ValueError, IndexError):
        return False
    return first > last
