"""Customers (front office): contact details, tags and source (the marketing side).

Contact fields and the duplicate guard (no two customers share an email or a VAT
number) are the suppliers' too: office/contacts.py.
"""

from __future__ import annotations

from decimal import Decimal

from officecli.office import contacts, money
from officecli.office.records import Record
from officecli.office.workflows import kinds
from officecli.store import ids
from officecli.store.errors import UserError

FIELDS = ("name", "email", "phone", "address", "vat_number", "tax_office", "country", "source", "note")


def _country(values: dict) -> dict:
    """--country as an upper-case ISO 3166 code ('' removes it)."""
    code = values.get("country")
    if code:
        code = code.upper()
        if len(code) != 2 or not code.isalpha():
            raise UserError(
                f"--country {values['country']!r}: an ISO 3166 code of two letters (GR, DE, FR...)"
            )
        values["country"] = code
    return values


def add(office, name: str, business: bool | None = None, **fields) -> Record:
    values = _country(contacts.clean({"name": name, **fields}))
    if business is not None:
        values["business"] = business
    return contacts.add(office, "customer", values)


def edit(office, ref: str, add_tags=(), remove_tags=(), business: bool | None = None, **fields) -> Record:
    """Set fields ('' removes one); ``tags`` replaces the tags, then add_tags/remove_tags apply."""
    values = _country(contacts.clean(fields))
    if business is not None:
        values["business"] = business
    if "name" in values and not values["name"]:
        raise UserError(f"customer {ref}: --name must not be empty")
    extra = contacts.clean({"tags": list(add_tags)})["tags"] if add_tags else []
    if not values and not extra and not remove_tags:
        raise UserError(f"customer {ref}: nothing to change (see 'officecli customer edit --help')")
    with office.change():
        rec = find(office, ref)
        touches_tags = "tags" in values or bool(extra) or bool(remove_tags)
        tags = list(values.pop("tags", None) or rec.get("tags") or [])
        tags += [t for t in extra if t not in tags]
        for t in remove_tags:
            if t not in tags:
                raise UserError(
                    f"{rec.where}: tags: no tag {t!r} to remove (it has {', '.join(tags) or 'none'})"
                )
            tags.remove(t)
        changes = {k: (v if v != "" else None) for k, v in values.items()}
        if touches_tags:
            changes["tags"] = tags or None
        return contacts.save_edit(office, rec, changes)


def find(office, ref: str) -> Record:
    """The customer ``ref`` names: a full ID, a unique suffix or number, else a name, as
    every option naming a record finds it (office/names.py); more than one is refused
    with every candidate listed, like an ambiguous ID."""
    from officecli.office import names

    return names.find(office, "customer", ref)


def listing(
    office, tag: str | None = None, source: str | None = None, search: str | None = None
) -> list[Record]:
    out = office.records("customer")
    if tag:
        out = [c for c in out if tag.lower() in [str(t).lower() for t in c.get("tags") or []]]
    if source:
        out = [c for c in out if str(c.get("source") or "").lower() == source.lower()]
    if search:
        from officecli.office.front.search import (
            narrow,  # every field, addresses too, accents and case ignored
        )

        out = narrow(office, out, search)
    return sorted(out, key=lambda c: c.id)


def owed(office, customer_id: str) -> tuple[Decimal, list[Record]]:
    """What the customer owes, and their open invoices.

    The balance of Assets:Receivable over the customer's invoices: every ledger
    entry whose ref is one of them (the invoice itself, payments, a credit note's
    reversal, a refund posted by hand). For open invoices that is their gross less
    what was paid; a credited invoice that had been paid leaves a negative balance
    (the customer is owed a refund) until the refund is posted. The customer's
    statement (officecli print statement) ends on this same figure."""
    if "invoice" not in kinds():
        return money.ZERO, []
    from officecli.office import index  # the cache's link index: read only this customer's invoices
    from officecli.office.books import invoices  # only callers that ask what is owed read the ledger

    found = (
        index.naming(office, "invoice", [customer_id]) if index.usable(office) else office.records("invoice")
    )
    theirs = [inv for inv in found if inv.get("customer") == customer_id]
    if not theirs:
        return money.ZERO, []
    amounts = invoices.amounts_by_ref(office, [inv.id for inv in theirs])
    total = sum((invoices.outstanding(office, inv, amounts) for inv in theirs), money.ZERO)
    return money.q(total), sorted((inv for inv in theirs if inv.state == "open"), key=lambda r: r.id)


def names_of(office, idents) -> dict:
    """ID -> name of the customers named (each looked up alone: no listing of them all;
    many at once from the cache's per-folder table of names, see ``_names``)."""
    kind = office.kind("customer")
    out = {}
    wanted = set(i for i in idents if isinstance(i, str))
    from officecli.office import summaries

    if len(wanted) > MANY and summaries.usable(office):
        names = _names(office)
        out = {i: names[i] for i in wanted if i in names}
        wanted -= set(out)  # not there (or a damaged file): looked up alone, as ever
    for ident in wanted:
        where = office.places(kind, ident) if ids.parse_id(ident) else []
        if where:
            out[ident] = office.load_path(kind, kind.state_of(where[0].rpartition("/")[0]), where[0]).get(
                "name"
            )
    return out


MANY = 50  # customers named at once: their names from the per-folder table


def _names(office) -> dict:
    """ID -> name of every customer whose file reads cleanly: a per-folder summary in the
    cache (store/index.py: recomputed when any file of the folder changed)."""
    kind = office.kind("customer")
    store = office.store
    root = str(store.root)

    def compute(entries) -> dict:
        got = {}
        for rel, _ in entries:
            try:
                data = store.load(rel)
            except UserError:  # said by whoever reads that customer
                continue
            if isinstance(data, dict) and isinstance(data.get("name"), str):
                got[rel.rpartition("/")[2][: -len(".yaml")]] = data["name"]
        return got

    out: dict = {}
    for pattern in kind.states.values():
        for folder in store.folders(pattern):
            table = office._unlocked(lambda f=folder: store.summaries.get("names-customer", root, f, compute))
            for ident, name in table.items():
                out.setdefault(ident, name)
    return out


def naming(office, kind_name: str, customer_id: str) -> list[Record]:
    """Records of a kind whose customer field names this customer (none if no such kind)."""
    if kind_name not in kinds():
        return []
    from officecli.office import index  # the cache's link index: read only this customer's records

    found = (
        index.naming(office, kind_name, [customer_id]) if index.usable(office) else office.records(kind_name)
    )
    return sorted(
        (r for r in found if r.get("customer") == customer_id),
        key=lambda r: (str(r.get("created", "")), r.id),
    )
