"""Products: one file per SKU under back/products/, with price, VAT rate and starting cost.

The SKU names the file. Orders copy the price and VAT rate at the moment they
are taken, so changing a product never changes an order already taken.

The product's average unit cost is not stored: it is computed from the stock
moves (office/back/stock.py ``costs``). The file's ``cost`` field, when there is
one, is the *starting cost*: the unit cost before the first receipt (``product
add --cost``), used by a receipt without ``--cost`` and by moves out while
nothing was received. A file written before the cost was computed still
carries the last stored average there; it is read the same way (the receipts
in the moves then make the average again), and no command rewrites it.
"""

from __future__ import annotations

from decimal import Decimal

from officecli.office import money
from officecli.office.records import Record
from officecli.store import ids
from officecli.store.errors import UserError


def lookup(office, sku: str) -> Record:
    """The product with this SKU (exact, else the one matching case-insensitively), else
    the one product a name names (office/names.py)."""
    text = (sku or "").strip()
    known = office.all_ids("product")
    if text in known:
        state, rel = known[text]
        return office.load_path(office.kind("product"), state, rel)
    from officecli.office import names

    return names.find(office, "product", text)


def check_rate(office, text) -> Decimal:
    """A VAT rate that office.yaml knows (vat.rates)."""
    rate = money.parse_rate(text, "--vat")
    known = office.config.vat_rates
    if rate not in known:
        raise UserError(
            f"--vat {text}: not a VAT rate of this office "
            f"({', '.join(money.rate_text(r) for r in known)}; see office.yaml vat.rates)"
        )
    return rate


def parse_count(text, what: str, allow_zero: bool = True) -> int:
    """A whole number of pieces, >= 0 (or > 0)."""
    s = str(text).strip()
    if not (s.isascii() and s.isdigit()) or len(s) > 9:
        raise UserError(f"{what} {text!r}: not a whole number of pieces")
    n = int(s)
    if n == 0 and not allow_zero:
        raise UserError(f"{what} {text!r}: must be more than 0")
    return n


def _supplier(office, ref) -> str:
    """The usual supplier's ID (a product may name who it is bought from)."""
    try:
        return office.get("supplier", ref).id
    except UserError as exc:
        raise UserError(f"--supplier {ref}: {exc}") from None


def add(
    office,
    sku: str,
    name: str,
    price: str,
    vat=None,
    cost=None,
    reorder_level=None,
    supplier=None,
    supplier_sku=None,
    group=None,
    unit=None,
) -> Record:
    ids.check_name(sku, "SKU")
    name = (name or "").strip()
    if not name:
        raise UserError(f"product {sku}: --name must not be empty")
    price_d = money.parse(price, "--price", allow_negative=False)
    rate = check_rate(office, vat if vat is not None else office.config.default_vat)
    cost_d = money.parse_cost(cost, "--cost") if cost is not None else None
    level = parse_count(reorder_level, "--reorder-level") if reorder_level is not None else None
    with office.change(f"product add {sku}"):
        clash = [k for k in office.all_ids("product") if k.upper() == sku.upper()]
        if clash:
            raise UserError(f"product {sku}: SKU already exists ({office.all_ids('product')[clash[0]][1]})")
        data = {
            "sku": sku,
            "name": name,
            "price": money.text(price_d),
            "vat": money.rate_text(rate),
            "cost": money.cost_text(cost_d) if cost_d is not None else None,
            "reorder_level": level,
            "supplier": _supplier(office, supplier) if supplier else None,
            "supplier_sku": (supplier_sku or "").strip() or None,
            "group": (group or "").strip() or None,
            "unit": (unit or "").strip() or None,
        }
        return office.create("product", {k: v for k, v in data.items() if v is not None})


def edit(
    office,
    sku: str,
    name=None,
    price=None,
    vat=None,
    reorder_level=None,
    note=None,
    supplier=None,
    supplier_sku=None,
    group=None,
    unit=None,
) -> Record:
    """Change a product's name, price, VAT rate or reorder level (orders already taken keep theirs)."""
    changes = {}
    if name is not None:
        if not name.strip():
            raise UserError(f"product {sku}: --name must not be empty")
        changes["name"] = name.strip()
    if price is not None:
        changes["price"] = money.text(money.parse(price, "--price", allow_negative=False))
    if vat is not None:
        changes["vat"] = money.rate_text(check_rate(office, vat))
    if reorder_level is not None:
        changes["reorder_level"] = parse_count(reorder_level, "--reorder-level")
    if supplier_sku is not None:
        changes["supplier_sku"] = supplier_sku.strip() or None  # "" removes it
    for key, value in (("group", group), ("unit", unit)):
        if value is not None:
            changes[key] = value.strip() or None  # "" removes it
    if not changes and supplier is None:
        raise UserError(f"product {sku}: nothing to change (give --name, --price, --vat or --reorder-level)")
    with office.change(f"product edit {sku}"):
        rec = lookup(office, sku)
        if supplier is not None:
            changes["supplier"] = _supplier(office, supplier) if supplier.strip() else None
        said = ", ".join(f"{k} {rec.get(k)} -> {v}" for k, v in changes.items())
        return office.note(rec, "edit", note or said, changes=changes)


def listing(office) -> list[Record]:
    return sorted(office.records("product"), key=lambda r: r.id)
