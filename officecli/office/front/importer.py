"""CSV import: customers, products, opening stock and a web shop's orders, all rows or none.

1. **Reading.** The file is UTF-8 (a spreadsheet's byte-order mark is skipped),
   comma-, semicolon- or tab-separated (guessed from its first lines), with a
   header row. ``-`` is standard input.
2. **Columns.** Each header is matched to a field of the kind (``FIELDS``):
   case, spaces, dashes and a few common spellings are ignored (``E-mail``,
   ``VAT number``, ``Qty``...), Greek headers too, accents ignored (``Επωνυμία``,
   ``Ονοματεπώνυμο``, ``Τηλέφωνο``, ``Διεύθυνση``: ``GREEK_HEADERS``);
   ``--map COLUMN=FIELD`` names the field of a column outright (``--map "Billing
   Email=email"``; the column named loosely: case, accents, spaces and punctuation
   ignored, or a unique beginning of it), and ``--map COLUMN=-`` skips one. Other columns are skipped and named in a note; a required
   field without a column is refused before any row is read.
3. **Rows.** Every row goes through the same code as the single-record
   command (``customer add``, ``product add``, ``stock receive``, ``order
   add``), so the same rules apply: an e-mail or VAT number another customer
   has, a SKU that exists, a price that is not money... are refused the same
   way, also when the other row is in the same file (then said so: "the same
   as line 3 of this file", not the ID it would have had). Empty cells are absent
   fields. ``tags`` is split on ``;`` or ``|``.
4. **All or none.** The rows are one transaction: when any row is refused,
   each refused row is reported (``FILE:LINE: field: problem``, LINE the line
   of the file, the header being line 1) and nothing is written. ``dry_run``
   checks every row the same way and writes nothing either way.
5. **Orders** (a web shop's export has one row per line item): rows are
   grouped by the ``order`` column (the shop's order number, kept in the
   order's note unless a ``note`` column gives one); each group becomes one
   open order of its customer (an ID, a name, or an e-mail) with one line per
   SKU:QTY.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Callable

from officecli.store.errors import UserError

KINDS = ("customer", "product", "stock", "order")

FIELDS: dict[str, dict[str, bool]] = {  # field -> required
    "customer": {
        "name": True,
        "email": False,
        "phone": False,
        "address": False,
        "vat_number": False,
        "tags": False,
        "source": False,
        "note": False,
    },
    "product": {
        "sku": True,
        "name": True,
        "price": True,
        "vat": False,
        "cost": False,
        "reorder_level": False,
        "supplier": False,
        "supplier_sku": False,
    },
    "stock": {"sku": True, "qty": True, "cost": True, "note": False},
    "order": {"order": True, "customer": True, "sku": True, "qty": True, "note": False},
}

ALIASES = {
    "e_mail": "email",
    "mail": "email",
    "telephone": "phone",
    "tel": "phone",
    "mobile": "phone",
    "vat_no": "vat_number",
    "vat_id": "vat_number",
    "afm": "vat_number",
    "αφμ": "vat_number",
    "tag": "tags",
    "product": "sku",
    "code": "sku",
    "item": "sku",
    "quantity": "qty",
    "unit_cost": "cost",
    "order_id": "order",
    "order_number": "order",
    "order_no": "order",
    "customer_email": "customer",
    "customer_id": "customer",
    "billing_email": "customer",
    "net_price": "price",
    "vat_rate": "vat",
    "notes": "note",
}


# Greek headers, as a Greek spreadsheet names its columns (keys folded: no accents)
GREEK_HEADERS = {
    "επωνυμια": "name",
    "ονοματεπωνυμο": "name",
    "ονομα": "name",
    "πελατης": "name",
    "τηλεφωνο": "phone",
    "κινητο": "phone",
    "τηλ": "phone",
    "διευθυνση": "address",
    "ηλεκτρονικο_ταχυδρομειο": "email",
    "ετικετες": "tags",
    "πηγη": "source",
    "σημειωση": "note",
    "σημειωσεις": "note",
    "κωδικος": "sku",
    "περιγραφη": "name",
    "τιμη": "price",
    "ποσοτητα": "qty",
    "κοστος": "cost",
    "φπα": "vat",
    "παραγγελια": "order",
}


def header_key(header: str) -> str:
    """A header for matching: accents dropped, case, spaces, dashes and dots ignored
    (``Επωνυμία`` is ``επωνυμια``, ``E-mail`` is ``e_mail``)."""
    import unicodedata

    text = unicodedata.normalize("NFD", str(header))
    return _key("".join(c for c in text if not unicodedata.combining(c)))


def _loose(text: str) -> str:
    return re.sub(r"[\W_]+", "", header_key(text))


def resolve_map(mapping: dict[str, str], header: list[str], source: str) -> dict[str, str]:
    """``--map`` columns named loosely: the header they name (exact, else the same
    letters and digits with case, accents, spaces and punctuation ignored, else the one
    header they begin or are close to); refused with the header listed when none or
    several fit."""
    import difflib

    out: dict[str, str] = {}
    loose = {h: _loose(h) for h in header}
    for col, fld in mapping.items():
        if col in header:
            out[col] = fld
            continue
        want = _loose(col)
        hits = [h for h, k in loose.items() if k == want]
        if not hits and want:
            hits = [h for h, k in loose.items() if k.startswith(want)]
        if not hits and want:
            near = difflib.get_close_matches(want, list(loose.values()), n=2, cutoff=0.8)
            hits = [h for h, k in loose.items() if k in near]
        if len(hits) != 1:
            how = f"it could be {', '.join(hits)}" if hits else f"no column {col!r} in the header"
            raise UserError(f"{source}: --map {col}=...: {how} ({', '.join(header)})")
        out[hits[0]] = fld
    return out


def in_file(result: Result, message: str) -> str:
    """A refusal naming a record an earlier row of this file would make says so:
    '... already belongs to CUS-R-0008 ...' is 'the same as line 3 of this file'."""
    made = {d["id"]: d["line"] for d in result.done}
    for ident, line in made.items():
        if ident in message:
            what = message.split(" already belongs to ")[0] if " already belongs to " in message else message
            return f"{what}: the same as line {line} of this file (a duplicate within the file)"
    return message


class _DryRun(Exception):
    """Raised inside the change so that nothing of it is applied."""


class Refused(UserError):
    """Some rows were refused: ``problems`` has one line per row; nothing was written."""

    def __init__(self, message: str, problems: list[str]):
        super().__init__(message)
        self.problems = problems


@dataclass
class Result:
    kind: str
    done: list[dict] = field(default_factory=list)  # id, state, path, line of each record
    problems: list[str] = field(default_factory=list)  # one line per refused row
    skipped: list[str] = field(default_factory=list)  # columns no field takes
    rows: int = 0


def _key(header: str) -> str:
    return re.sub(r"[\s\-.]+", "_", str(header).strip().lower()).strip("_")


def parse_map(pairs: Iterable[str], kind: str) -> dict[str, str]:
    """``--map COLUMN=FIELD`` pairs -> column -> field ('-' skips the column)."""
    out = {}
    for pair in pairs:
        col, sep, fld = str(pair).partition("=")
        fld = fld.strip()
        if not sep or not col.strip() or not fld:
            raise UserError(f'--map {pair!r}: not COLUMN=FIELD (e.g. --map "E-mail address=email")')
        if fld != "-" and fld not in FIELDS[kind]:
            raise UserError(
                f"--map {pair!r}: {kind} has no field {fld!r} "
                f"(fields: {', '.join(FIELDS[kind])}; '-' skips the column)"
            )
        out[col.strip()] = fld
    return out


def read(text: str, source: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header, [(line number, cells)...]) of a CSV text; blank rows skipped."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise UserError(f"{source}: empty: a header row and at least one row are needed")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
        rows = []
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise UserError(f"{source}:{reader.line_num}: not CSV: {exc}") from None
    return header, rows


def columns(
    header: list[str], kind: str, mapping: dict[str, str], source: str
) -> tuple[dict[int, str], list[str]]:
    """Column index -> field, and the columns skipped; refused when a required field or
    a mapped column is missing, or two columns give one field."""
    fields = FIELDS[kind]
    known = {_key(h): h for h in header}
    for col in mapping:
        if col not in header and _key(col) not in known:
            raise UserError(
                f"{source}: --map {col}=...: no column {col!r} in the header ({', '.join(header)})"
            )
    out: dict[int, str] = {}
    skipped = []
    for i, h in enumerate(header):
        fld = mapping.get(h) or next((f for c, f in mapping.items() if _key(c) == _key(h)), None)
        if fld is None:
            k = header_key(h)
            fld = k if k in fields else ALIASES.get(k, GREEK_HEADERS.get(k))
            if fld not in fields:
                fld = None
        if fld in (None, "-"):
            skipped.append(h)
            continue
        if fld in out.values():
            raise UserError(
                f"{source}: two columns give {kind} field {fld!r} "
                f"(map one of them with --map COLUMN=- to skip it)"
            )
        out[i] = fld
    missing = [f for f, required in fields.items() if required and f not in out.values()]
    if missing:
        raise UserError(
            f"{source}: no column for {', '.join(missing)} (columns: {', '.join(header)}; "
            f"name one with --map COLUMN={missing[0]})"
        )
    return out, skipped


def _field_of(message: str, fields: Iterable[str]) -> str | None:
    fields = list(fields)
    for pattern in (r"--{}\b", r"\b{}\b"):  # an option's name first, then a word
        for f in fields:
            if re.search(pattern.format(f.replace("_", "-") if "--" in pattern else f), message, re.I):
                return f
    if "sku" in fields and ("SKU" in message or message.startswith("product ")):
        return "sku"
    return None


def run(
    office,
    kind: str,
    text: str,
    source: str,
    mapping: Iterable[str] = (),
    dry_run: bool = False,
    each: Callable[[list], Iterable] = lambda rows: rows,
) -> Result:
    """Import the CSV ``text`` (named ``source`` in messages) as records of ``kind``."""
    if kind not in KINDS:
        raise UserError(f"import: no importer for {kind!r}")
    header, rows = read(text, source)
    cols, skipped = columns(header, kind, resolve_map(parse_map(mapping, kind), header, source), source)
    result = Result(kind, skipped=skipped, rows=len(rows))
    records = [
        (line, {f: cells[i].strip() for i, f in cols.items() if i < len(cells) and cells[i].strip()})
        for line, cells in rows
    ]
    if not records:
        raise UserError(f"{source}: no rows under the header")
    try:
        with office.change(f"{kind} import {source}: {len(records)} rows"):
            doer = {"customer": _customer, "product": _product, "stock": _stock, "order": None}[kind]
            if kind == "order":
                _orders(office, records, source, result, each)
            else:
                for line, values in each(records):
                    _one(
                        result, source, line, values, FIELDS[kind], lambda values=values: doer(office, values)
                    )
            if result.problems:
                raise Refused(
                    f"{source}: {len(result.problems)} of {len(records)} rows refused; nothing was imported",
                    result.problems,
                )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def _one(result: Result, source: str, line: int, values: dict, fields, make) -> None:
    missing = [f for f, required in fields.items() if required and not values.get(f)]
    if missing:
        result.problems.append(f"{source}:{line}: {missing[0]}: empty (it is required)")
        return
    try:
        recs = make()
    except UserError as exc:
        text = in_file(result, str(exc))
        where = _field_of(text, fields)
        result.problems.append(f"{source}:{line}: {where + ': ' if where else ''}{text}")
        return
    for rec in recs if isinstance(recs, list) else [recs]:
        result.done.append(
            {
                "id": rec.id,
                "state": rec.state,
                "kind": rec.kind.label,
                "path": rec.path,
                "line": line,
                "name": rec.get("name") or rec.get("sku"),
            }
        )


def _customer(office, v: dict):
    from officecli.office.front import customers

    tags = [t.strip() for t in re.split(r"[;|]", v.get("tags", "")) if t.strip()]
    return customers.add(
        office,
        v["name"],
        email=v.get("email"),
        phone=v.get("phone"),
        address=v.get("address"),
        vat_number=v.get("vat_number"),
        source=v.get("source"),
        tags=tags,
        note=v.get("note"),
    )


def _product(office, v: dict):
    from officecli.office.back import products

    return products.add(
        office,
        v["sku"],
        v["name"],
        v["price"],
        vat=v.get("vat"),
        cost=v.get("cost"),
        reorder_level=v.get("reorder_level"),
        supplier=v.get("supplier"),
        supplier_sku=v.get("supplier_sku"),
    )


def _stock(office, v: dict):
    from officecli.office.back import stock

    return stock.receive(office, v["sku"], v["qty"], v["cost"], note=v.get("note") or "opening stock")


def _find_customer(office, text: str):
    from officecli.office import contacts
    from officecli.office.front import customers

    if "@" in text:
        hits = [
            c
            for c in office.records("customer")
            if contacts.email_key(c.get("email")) == contacts.email_key(text)
        ]
        if len(hits) == 1:
            return hits[0]
        raise UserError(f"customer {text!r}: no customer has this email")
    return customers.find(office, text)


def _orders(office, records, source: str, result: Result, each) -> None:
    from officecli.office.front import orders
    from officecli.office.lines import parse_item

    groups: dict[str, list[tuple[int, dict]]] = {}
    for line, values in records:
        key = values.get("order")
        if not key:
            result.problems.append(f"{source}:{line}: order: empty (it groups the lines)")
            continue
        groups.setdefault(key, []).append((line, values))
    for key, rows in each(list(groups.items())):
        first_line, first = rows[0]
        bad = False
        for line, values in rows:
            for f in ("customer", "sku", "qty"):
                if not values.get(f):
                    result.problems.append(f"{source}:{line}: {f}: empty (it is required)")
                    bad = True
                    break
            if not bad and values["customer"] != first["customer"]:
                result.problems.append(
                    f"{source}:{line}: customer: {values['customer']!r}, but line "
                    f"{first_line} of order {key} says {first['customer']!r}"
                )
                bad = True
            if not bad:
                try:
                    parse_item(f"{values['sku']}:{values['qty']}")
                except UserError as exc:
                    result.problems.append(
                        f"{source}:{line}: {_field_of(str(exc), ('sku', 'qty')) or 'qty'}: {exc}"
                    )
                    bad = True
        if bad:
            continue
        note = next((v["note"] for _, v in rows if v.get("note")), None) or f"web shop order {key}"

        def make(rows=rows, first=first, note=note):
            cust = _find_customer(office, first["customer"])
            return orders.add(office, cust.id, [f"{v['sku']}:{v['qty']}" for _, v in rows], note)

        _one(result, source, first_line, first, {"customer": True, "sku": True, "qty": True}, make)
