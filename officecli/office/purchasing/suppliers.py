"""Suppliers (back office): who the company buys from, and on what terms.

Duplicate guard, as for customers: no two suppliers share an email
(case-insensitive) or a VAT number (compared without spaces, dots, dashes or a
country prefix such as EL). ``terms_days`` is the supplier's payment terms: a
bill is due that many days after its date (default: office.yaml
payment_terms_days).
"""
from __future__ import annotations

from officecli.store.errors import UserError

from .. import customers
from ..records import Record

FIELDS = ("name", "email", "phone", "address", "vat_number", "note")


def where(rec: Record) -> str:
    return f"supplier {rec.id} ({rec.path})"


def _clean(values: dict) -> dict:
    terms = values.pop("terms_days", None)
    out = customers._clean(values)
    if terms is not None:
        s = str(terms).strip()
        if not s.isdigit() or len(s) > 4:
            raise UserError(f"--terms {terms!r}: not a whole number of days (0 or more)")
        out["terms_days"] = int(s)
    return out


def duplicate(office, email=None, vat_number=None, skip: str | None = None) -> str | None:
    """Why this email or VAT number clashes with another supplier, or None (the customers' guard)."""
    return customers.duplicate(office, email, vat_number, skip, kind="supplier")


def add(office, name: str, **fields) -> Record:
    values = _clean({"name": name, **fields})
    if not values.get("name"):
        raise UserError("supplier add: NAME must not be empty")
    with office.change():
        clash = duplicate(office, values.get("email"), values.get("vat_number"))
        if clash:
            raise UserError(f"supplier {values['name']!r}: {clash}")
        data = {"id": office.new_id("supplier"),
                **{k: v for k, v in values.items() if v not in ("", [], None)}}
        rec = office.create("supplier", data)
        office.messages.append(f"supplier add {rec.id} {rec.get('name')}")
        return rec


def get(office, ref: str, what: str | None = None) -> Record:
    try:
        return office.get("supplier", ref)
    except UserError as exc:
        if what:
            raise UserError(f"{what} {ref}: {exc}") from None
        raise


def edit(office, ref: str, **fields) -> Record:
    """Set fields ('' removes one); the duplicate guard applies to a new email or VAT number."""
    values = _clean(fields)
    if "name" in values and not values["name"]:
        raise UserError(f"supplier {ref}: --name must not be empty")
    if not values:
        raise UserError(f"supplier {ref}: nothing to change (see 'officecli supplier edit --help')")
    with office.change():
        rec = get(office, ref)
        changes = {k: (v if v != "" else None) for k, v in values.items()}
        changes = {k: v for k, v in changes.items() if v != rec.get(k)}
        if not changes:
            raise UserError(f"{where(rec)}: nothing changes (the values are already so)")
        clash = duplicate(office, changes.get("email"), changes.get("vat_number"), skip=rec.id)
        if clash:
            raise UserError(f"{where(rec)}: {clash}")
        office.messages.append(f"supplier edit {rec.id}")
        said = "; ".join(f"{k} removed" if v is None else f"{k} -> {v}" for k, v in changes.items())
        return office.note(rec, "edit", said, changes=changes)


def listing(office, search: str | None = None) -> list[Record]:
    out = office.records("supplier")
    if search:
        s = search.lower()
        out = [c for c in out if any(s in str(c.get(k) or "").lower()
                                     for k in ("name", "email", "phone", "vat_number", "address"))]
    return sorted(out, key=lambda c: c.id)


def terms(office, supplier: Record | None) -> int:
    days = supplier.get("terms_days") if supplier is not None else None
    return days if isinstance(days, int) and not isinstance(days, bool) else office.config.payment_terms_days
