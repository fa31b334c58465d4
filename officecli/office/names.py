"""The one way a person names a record: what every option naming a customer, supplier,
employee, product or record accepts (``--customer``, ``--supplier``, ``--by``, ``--user``,
``--order``...), in every command alike.

In this order, the first rule that finds something wins:

1. **An ID**: the full ID (``CUS-R-0004``), a unique suffix (``R-0004``) or its number
   (``4``), as ``Office.get`` resolves them (a bare number prefers this site's record).
   A product's ID is its SKU, matched with case ignored.
2. **A name**, compared folded: accents and case ignored, spaces collapsed, and the
   quotation marks a name is often written in (``«Ξενοδοχείο Αιγαίο»``, ``"..."``)
   stripped from the query and from the names:
   * the exact name;
   * else the records whose name has every word of the query as the beginning of one
     of its words (``Ξενοδοχείο`` names «Ξενοδοχείο Αιγαίο» when it is the only one;
     ``Νίκος`` names Νίκος Αλεξίου);
3. **Nothing, or more than one**: one line, the candidates listed (``ID name``) when
   it is ambiguous, a hint when nothing matched, with an example ID of this office's
   own site (``CUS-R-0001`` in a site-R company).

An employee named by several records of whom only one is still employed is that one
(a former employee shares a name with a new one). The kernel holds this because the
front office (customers), the back office (suppliers, products), people (employees,
``--user``) and the overview (filters) all name records.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from officecli.office.records import Record
from officecli.store import ids
from officecli.store.errors import UserError

# a kind's field holding the name people type, and the list command that shows them
NAME_FIELD = {"product": "name", "customer": "name", "supplier": "name", "employee": "name"}
QUOTES = "«»\"'“”‘’„"
_SPACE = re.compile(r"\s+")


def fold(text: Any) -> str:
    """Text for comparing: accents dropped, case folded (final sigma too), quotation
    marks dropped, spaces collapsed."""
    s = unicodedata.normalize("NFD", str(text or ""))
    s = "".join(c for c in s if not unicodedata.combining(c) and c not in QUOTES).casefold()
    return " ".join(_SPACE.split(s)).strip()


def unquoted(text: Any) -> str:
    """The text without surrounding spaces and quotation marks («...», "...")."""
    return str(text or "").strip().strip(QUOTES).strip()


def example_id(office: Any, kind_name: str) -> str:
    """An ID of this kind as this office writes them: 'EMP-R-0001' at site R."""
    kind = office.kind(kind_name)
    prefix = getattr(kind, "prefix", None)
    if not prefix:
        return "SKU" if kind_name == "product" else "an ID"
    try:
        site = office.site_info().code or "A"
    except UserError:
        site = "A"
    return f"{prefix}-{site}-0001"


def label(rec: Record) -> str:
    return f"{rec.id} {rec.data.get(NAME_FIELD.get(rec.kind.name, 'name')) or ''}".strip()


def by_name(office: Any, kind_name: str, text: str, records: Iterable[Record] | None = None) -> list[Record]:
    """The records of a kind whose name ``text`` names: the exact name (folded), else
    every word of ``text`` beginning a word of the name."""
    want = fold(text)
    if not want:
        return []
    field = NAME_FIELD.get(kind_name, "name")
    everyone = list(office.records(kind_name) if records is None else records)
    hits = [r for r in everyone if fold(r.data.get(field)) == want]
    if not hits:
        query = want.split(" ")
        hits = [
            r
            for r in everyone
            if all(any(w.startswith(q) for w in fold(r.data.get(field)).split(" ")) for q in query)
        ]
    if len(hits) > 1 and kind_name == "employee":  # a former employee sharing the name
        active = [r for r in hits if r.state == "active"]
        if len(active) == 1:
            return active
    return sorted(hits, key=lambda r: r.id)


def _by_id(office: Any, kind_name: str, text: str) -> Record | None:
    """The record an ID, suffix or number names; None when none does (a name, then);
    UserError when it is ambiguous."""
    if kind_name == "product":
        known = office.all_ids("product")
        hits = [k for k in known if k.upper() == text.upper()]
        return office.load_path(office.kind("product"), *known[hits[0]]) if len(hits) == 1 else None
    if not ids.QUERY_RE.match(text):
        return None
    try:
        return office.get(kind_name, text)
    except UserError as exc:
        if "ambiguous" in str(exc):
            raise
        return None


def find(office: Any, kind_name: str, ref: Any, what: str | None = None) -> Record:
    """The one record of ``kind_name`` that ``ref`` names (see the module), or a
    UserError of one line; ``what`` names the option in it ('--customer')."""
    text = unquoted(ref)
    kind = office.kind(kind_name)
    noun = kind.label
    head = f"{what} {text}" if what else f"{noun} {text!r}"
    if not text:
        raise UserError(f"{head}: empty; give an ID or a name")
    rec = _by_id(office, kind_name, text)
    if rec is not None:
        return rec
    hits = by_name(office, kind_name, text) if kind_name in NAME_FIELD else []
    if len(hits) == 1:
        return hits[0]
    if hits:
        shown = ", ".join(label(r) for r in hits[:8]) + (", ..." if len(hits) > 8 else "")
        raise UserError(f"{head}: ambiguous, it could be {shown}; give the ID")
    if kind_name == "product":
        raise UserError(f"{head}: no such SKU or product name ('officecli product list' lists them)")
    plural = f"{kind_name}s"
    lister = f"officecli {kind_name} list"
    how = f"an ID like {example_id(office, kind_name)}, its number"
    if kind_name in NAME_FIELD:
        how += " or a name"
    raise UserError(f"{head}: no such {noun} (give {how}; '{lister}' lists the {plural})")


# where a kind's records are listed: the next step after "no such ..."
LISTED = {
    "credit_note": "invoice show INVOICE",
    "ledger_txn": "ledger register",
    "stock_move": "stock moves",
    "payroll_correction": "payroll show MONTH",
    "leave": "employee leave-list",
    "pay": "employee list",
}


def next_step(kind_name: str, message: str) -> str:
    """'invoice 99: no such invoice' and where to look: "(see 'officecli invoice list')"."""
    if "no such" not in message or "officecli " in message:
        return message
    return f"{message} (see 'officecli {LISTED.get(kind_name, kind_name + ' list')}')"


def find_id(office: Any, kind_name: str, ref: Any, what: str | None = None) -> str:
    """The full ID ``ref`` names. A kind people do not name (an order...) is resolved
    from the file names alone: no record is read, so a record in two folders is left
    for the command to refuse or show, with one line."""
    if kind_name in NAME_FIELD:
        return find(office, kind_name, ref, what).id
    text = unquoted(ref)
    try:
        return str(office.resolve(kind_name, text))
    except UserError as exc:
        message = next_step(kind_name, str(exc))
        raise UserError(f"{what}: {message}" if what and not message.startswith(what) else message) from None
