"""Suppliers (back office): who the company buys from, and on what terms.

Contact fields and the duplicate guard are the customers' (office/contacts.py).
``terms_days`` is the supplier's payment terms: a
bill is due that many days after its date (default: office.yaml
payment_terms_days).
"""

from __future__ import annotations

from officecli.office import contacts
from officecli.office.records import Record
from officecli.store.errors import UserError

FIELDS = ("name", "email", "phone", "address", "vat_number", "note")


def _clean(values: dict) -> dict:
    terms = values.pop("terms_days", None)
    out = contacts.clean(values)
    if terms is not None:
        s = str(terms).strip()
        if not s.isdigit() or len(s) > 4:
            raise UserError(f"--terms {terms!r}: not a whole number of days (0 or more)")
        out["terms_days"] = int(s)
    return out


def add(office, name: str, **fields) -> Record:
    return contacts.add(office, "supplier", _clean({"name": name, **fields}))


def get(office, ref: str, what: str | None = None) -> Record:
    """The supplier an ID, suffix, number or name names (office/names.py)."""
    from officecli.office import names

    try:
        return names.find(office, "supplier", ref)
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
        return contacts.save_edit(office, rec, changes)


def listing(office, search: str | None = None) -> list[Record]:
    out = office.records("supplier")
    if search:
        s = search.lower()
        out = [
            c
            for c in out
            if any(
                s in str(c.get(k) or "").lower() for k in ("name", "email", "phone", "vat_number", "address")
            )
        ]
    return sorted(out, key=lambda c: c.id)


def terms(office, supplier: Record | None) -> int:
    days = supplier.get("terms_days") if supplier is not None else None
    return days if isinstance(days, int) and not isinstance(days, bool) else office.config.payment_terms_days
