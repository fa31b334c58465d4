"""The invoice facts a tax authority needs, read from the records and office.yaml.

One function, ``document(office, rec)``, turns an issued invoice or credit note
into one plain dict that every e-invoice format (myDATA, CII, UBL) and the
printout read, and lists in ``missing`` every fact that is not there (each as
'where: field: why', the file and field named). Nothing here is computed twice:
the lines, the VAT per rate and the totals are the record's own, as issued.

Where each fact lives:

* office.yaml ``company:`` the issuer: vat_number, address, tax_office, gemi
  (ΓΕΜΗ) and branch (the myDATA branch number, 0 = head office).
* office.yaml ``einvoice:`` (all optional; DEFAULTS below): ``report: mydata``
  turns the checks on (``order invoice`` refuses what could not be reported,
  ``doctor`` names it); ``types`` the myDATA invoice type per kind of sale (goods
  or services) and customer (domestic, eu, abroad, private); ``groups`` per
  product group its kind of sale and income classification (category and E3
  code, per kind of customer); ``exemptions`` the legal reason for a 0 % line
  per kind of customer (myDATA category and the text printed); ``units`` the
  myDATA code of each unit of measure; ``payment_method``; ``locale``.
* a customer: tax_office, country (ISO 3166, else the VAT number's prefix, else
  the company's), business (else: has a VAT number).
* a product: group and unit.
* an invoice, frozen when it is issued (``at_issue``): its type, destination,
  date of supply (the day its order shipped), delivery note (the order's), the
  payment method, each line's unit, income classification and exemption; the
  buyer's tax office and country in ``bill_to``. An invoice issued before these
  facts existed gets them from the records as they are now.
* a credit note: ``corrects_mark``, the ΜΑΡΚ of the invoice it corrects (when
  that invoice was reported before it), else the invoice's ΜΑΡΚ when sent.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from officecli.office import clock, money
from officecli.office.records import Record
from officecli.store.errors import UserError

EU = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())
# myDATA vatCategory per VAT rate (AADE, myDATA API documentation, appendix 8.2)
VAT_CATEGORY = {"24": 1, "13": 2, "6": 3, "17": 4, "9": 5, "4": 6, "0": 7, "3": 9}
# UN/ECE Recommendation 20 codes (EN 16931, BT-130) of the myDATA units
UNECE = {1: "H87", 2: "KGM", 3: "LTR", 4: "MTR", 5: "MTK", 6: "MTQ", 7: "C62"}
PAYMENT_METHODS = {  # myDATA payment method types
    1: ("Επαγ. λογαριασμός ημεδαπής", "Domestic bank account"),
    2: ("Επαγ. λογαριασμός αλλοδαπής", "Foreign bank account"),
    3: ("Μετρητά", "Cash"),
    4: ("Επιταγή", "Cheque"),
    5: ("Επί πιστώσει", "On credit"),
    6: ("Web banking", "Web banking"),
    7: ("POS / e-POS", "Card (POS)"),
}
TYPES = {
    "1.1": "Τιμολόγιο Πώλησης",
    "1.2": "Τιμολόγιο Πώλησης / Ενδοκοινοτικές Παραδόσεις",
    "1.3": "Τιμολόγιο Πώλησης / Παραδόσεις Τρίτων Χωρών",
    "2.1": "Τιμολόγιο Παροχής Υπηρεσιών",
    "2.2": "Τιμολόγιο Παροχής / Ενδοκοινοτική Παροχή Υπηρεσιών",
    "2.3": "Τιμολόγιο Παροχής / Παροχή Υπηρεσιών σε Τρίτες Χώρες",
    "5.1": "Πιστωτικό Τιμολόγιο / Συσχετιζόμενο",
    "11.1": "ΑΛΠ (Απόδειξη Λιανικής Πώλησης)",
    "11.2": "ΑΠΥ (Απόδειξη Παροχής Υπηρεσιών)",
    "11.4": "Πιστωτικό Στοιχείο Λιανικής",
}
DEFAULTS: dict[str, Any] = {
    "report": None,
    "locale": "el_GR",
    "payment_method": 5,
    "types": {
        "goods": {"domestic": "1.1", "eu": "1.2", "abroad": "1.3", "private": "11.1"},
        "services": {"domestic": "2.1", "eu": "2.2", "abroad": "2.3", "private": "11.2"},
        "credit": {"domestic": "5.1", "eu": "5.1", "abroad": "5.1", "private": "11.4"},
    },
    "groups": {
        "goods": {"sale": "goods", "category": "category1_1"},
        "services": {"sale": "services", "category": "category1_3"},
    },
    "default_group": "goods",
    "e3": {"domestic": "E3_561_001", "private": "E3_561_003", "eu": "E3_561_005", "abroad": "E3_561_006"},
    "exemptions": {
        "eu": {"category": 14, "reason": "Απαλλαγή ΦΠΑ, άρθρο 28 ν. 2859/2000 (ενδοκοινοτική παράδοση)"},
        "abroad": {"category": 8, "reason": "Απαλλαγή ΦΠΑ, άρθρο 24 ν. 2859/2000 (εξαγωγή)"},
    },
    "units": {"pcs": 1, "kg": 2, "lt": 3, "m": 4, "m2": 5, "m3": 6, "other": 7},
    "unit_names": {"pcs": "τεμ.", "kg": "kg", "lt": "lt", "m": "m", "m2": "m²", "m3": "m³", "other": ""},
}
_POSTCODE = re.compile(r"^\s*(?P<code>[0-9A-Z][0-9A-Z -]{1,9}?)\s+(?P<city>\D.*?)\s*$")


def settings(office) -> dict[str, Any]:
    """office.yaml ``einvoice:`` over DEFAULTS (one level of maps merged)."""
    raw = office.config.raw.get("einvoice") or {}
    if not isinstance(raw, dict):
        raise UserError("office.yaml: einvoice: must be a map (see docs/EINVOICE.md)")
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in DEFAULTS.items()}
    for key, value in raw.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def reporting(office) -> bool:
    return str(settings(office).get("report") or "").strip().lower() in ("mydata", "provider")


def greek_vat(text: Any) -> str:
    """A VAT number's digits without the country prefix (EL801234567 -> 801234567)."""
    return re.sub(r"^[A-Z]{2}", "", re.sub(r"[^0-9A-Z]", "", str(text or "").upper()))


def vat_country(text: Any) -> str:
    prefix = re.sub(r"[^0-9A-Z]", "", str(text or "").upper())[:2]
    if prefix == "EL":
        return "GR"
    return prefix if prefix.isalpha() else ""


def split_address(text: str) -> dict[str, str]:
    """'Street 12, 105 63 City' -> street, postcode, city ('' where not found)."""
    parts = [p.strip() for p in str(text or "").replace("\n", ",").split(",") if p.strip()]
    out = {"street": "", "postcode": "", "city": ""}
    if not parts:
        return out
    for i in range(len(parts) - 1, -1, -1):
        m = _POSTCODE.match(parts[i])
        if m and any(ch.isdigit() for ch in m.group("code")):
            out["postcode"] = m.group("code").strip()
            out["city"] = m.group("city")
            out["street"] = ", ".join(parts[:i])
            return out
    out["street"] = ", ".join(parts[:-1])
    out["city"] = parts[-1]
    return out


def buyer_of(office, customer: dict, company_country: str) -> dict[str, str]:
    """The buyer's facts from a customer record (or a frozen bill_to)."""
    vat = str(customer.get("vat_number") or "")
    country = str(customer.get("country") or vat_country(vat) or company_country).upper()
    business = customer.get("business")
    if business is None or business == "":
        is_business = bool(vat)
    else:
        is_business = business is True or str(business).lower() in ("true", "yes")
    if not is_business:
        dest = "private"
    elif country == company_country:
        dest = "domestic"
    elif country in EU:
        dest = "eu"
    else:
        dest = "abroad"
    return {
        "name": str(customer.get("name") or ""),
        "vat_number": vat,
        "tax_office": str(customer.get("tax_office") or ""),
        "address": str(customer.get("address") or ""),
        "email": str(customer.get("email") or ""),
        "country": country,
        "business": "true" if is_business else "false",
        "destination": dest,
        **split_address(str(customer.get("address") or "")),
    }


def _one(office, kind: str, ident: str) -> Record | None:
    """A record by its exact ID (or SKU), read through the listing (which every
    reader, doctor's included, serves), never guessed from a suffix."""
    return next((r for r in office.records(kind) if r.id == ident), None)


def _product(office, sku: str) -> dict:
    rec = _one(office, "product", sku)
    return rec.data if rec is not None else {}


def _group(conf: dict, name: str) -> dict:
    groups = conf.get("groups") or {}
    return groups.get(name) or groups.get(conf.get("default_group") or "goods") or {}


def line_facts(office, conf: dict, line: dict, dest: str) -> dict[str, str]:
    """unit, income ('category/E3 code') and exemption of one line, from its product."""
    product = _product(office, str(line.get("sku") or "")) if line.get("sku") else {}
    group = str(product.get("group") or conf.get("default_group") or "goods")
    g = _group(conf, group)
    e3 = g.get("e3") or conf.get("e3") or {}
    code = e3.get(dest) if isinstance(e3, dict) else e3
    out = {
        "unit": str(product.get("unit") or "pcs"),
        "income": f"{g.get('category') or ''}/{code or ''}",
        "sale": str(g.get("sale") or "goods"),
    }
    if Decimal(str(line.get("vat") or "0")) == 0:
        reason = (conf.get("exemptions") or {}).get(dest) or {}
        out["exemption"] = str(reason.get("category") or "") if isinstance(reason, dict) else ""
    return out


def at_issue(office, order: Record, customer: Record | None, lines: list[dict]) -> dict[str, Any]:
    """The facts an invoice freezes when it is issued (books/invoices.issue's ``facts``):
    extra fields, and each line with its unit, income classification and exemption.
    With ``einvoice.report`` on, refused when the invoice could not be reported."""
    conf = settings(office)
    country = office.config.company.get("country") or "GR"
    buyer = buyer_of(office, customer.data if customer is not None else {}, country)
    dest = buyer["destination"]
    sales = set()
    new_lines = []
    for line in lines:
        f = line_facts(office, conf, line, dest)
        sales.add(f.pop("sale"))
        new_lines.append({**line, **{k: v for k, v in f.items() if v}})
    sale = "services" if sales == {"services"} else "goods"
    shipped = [h for h in order.get("history") or [] if isinstance(h, dict) and h.get("action") == "ship"]
    supplied = ""
    if shipped:
        supplied = clock.parse_datetime(shipped[-1]["at"]).astimezone(office.tz).date().isoformat()
    extra = {
        "type": str((conf.get("types") or {}).get(sale, {}).get(dest) or ""),
        "destination": dest,
        "supplied": supplied or None,
        "delivery_note": order.id,
        "payment_method": str(conf.get("payment_method") or ""),
        "lines": new_lines,
    }
    if reporting(office):
        probe = dict(extra, id="(new)", date=office.today().isoformat(), bill_to=_bill_to(buyer, customer))
        missing = _missing(office, conf, probe, buyer, customer)
        if missing:
            raise UserError(
                f"order {order.id} ({order.path}): cannot issue an invoice myDATA would refuse: {missing[0]}"
            )
    return extra


def _bill_to(buyer: dict, customer: Record | None) -> dict[str, str]:
    keep = ("name", "address", "vat_number", "email", "tax_office", "country", "business")
    return {k: buyer[k] for k in keep if buyer.get(k)} if customer is not None else {}


def _missing(office, conf: dict, rec: dict, buyer: dict, customer: Record | None) -> list[str]:
    """Why an invoice could not be reported: 'where: field: why' each."""
    out = []
    company = office.config.company
    for key in ("vat_number", "address"):
        if not company.get(key):
            out.append(f"office.yaml: company.{key}: missing (the issuer's, on every invoice)")
    cwhere = f"customer {customer.id} ({customer.path})" if customer is not None else "customer"
    dest = buyer["destination"]
    if dest != "private":
        if not buyer["vat_number"]:
            out.append(f"{cwhere}: vat_number: missing (a business customer)")
        elif dest == "domestic" and not re.fullmatch(r"\d{9}", greek_vat(buyer["vat_number"])):
            out.append(f"{cwhere}: vat_number: {buyer['vat_number']!r} is not a Greek VAT number (9 digits)")
        if dest == "domestic" and not buyer["tax_office"]:
            out.append(f"{cwhere}: tax_office: missing (a Greek business customer's ΔΟΥ)")
        if dest != "domestic" and not (buyer["postcode"] and buyer["city"]):
            out.append(f"{cwhere}: address: no postal code and city (needed for a customer abroad)")
    if not rec.get("type"):
        out.append(f"office.yaml: einvoice.types: no myDATA invoice type for a {dest} sale")
    units = conf.get("units") or {}
    for i, line in enumerate(rec.get("lines") or [], 1):
        rate = money.rate_text(Decimal(str(line.get("rate", line.get("vat")) or "0")))
        if rate not in VAT_CATEGORY:
            out.append(f"office.yaml: vat.rates: {rate} % has no myDATA VAT category (line {i})")
        if rate == "0" and not line.get("exemption"):
            out.append(
                f"office.yaml: einvoice.exemptions.{dest}: no reason for the 0 % line {i} ({line.get('sku')})"
            )
        unit = str(line.get("unit") or "pcs")
        if unit not in units:
            out.append(f"office.yaml: einvoice.units: {unit}: no myDATA unit code (line {i})")
        income = str(line.get("income") or "/")
        if "" in income.split("/"):
            out.append(
                f"office.yaml: einvoice.groups: no income classification for line {i} ({line.get('sku')})"
            )
    return out


def document(office, rec: Record) -> dict[str, Any]:
    """An issued invoice or credit note as the facts every e-invoice format reads."""
    conf = settings(office)
    company = office.config.company
    country = company.get("country") or "GR"
    where = f"{rec.kind.label} {rec.id} ({rec.path})"
    inv = rec
    if rec.kind.name == "credit_note":
        found = _one(office, "invoice", str(rec.get("invoice") or ""))
        if found is None:
            raise UserError(f"{where}: invoice: {rec.get('invoice')!r}: no such invoice")
        inv = found
    customer = _one(office, "customer", str(inv.get("customer") or ""))
    source = inv.get("bill_to") if isinstance(inv.get("bill_to"), dict) else None
    if source is not None and customer is not None:  # frozen at issue; facts it predates from the customer
        source = {**{k: customer.get(k) for k in ("tax_office", "country", "business")}, **source}
    buyer = buyer_of(office, source or (customer.data if customer is not None else {}), country)
    dest = str(inv.get("destination") or buyer["destination"])
    lines = []
    stored = rec.get("lines") or []
    sale = "services"
    for i, line in enumerate(stored, 1):
        f = line_facts(office, conf, line, dest)
        if f["sale"] == "goods":
            sale = "goods"
        lines.append(
            {
                "n": i,
                "sku": str(line.get("sku") or ""),
                "name": str(line.get("name") or line.get("sku") or ""),
                "qty": str(line.get("qty") or ""),
                "price": str(line.get("price") or ""),
                "rate": money.rate_text(Decimal(str(line.get("vat") or "0"))),
                "net": money.text(Decimal(str(line.get("net")))),
                "unit": str(line.get("unit") or f["unit"]),
                "income": str(line.get("income") or f["income"]),
                "exemption": str(line.get("exemption") or f.get("exemption") or ""),
            }
        )
    vat_map = rec.get("vat") or {}
    _spread_vat(lines, vat_map)
    units = conf.get("units") or {}
    exemptions = conf.get("exemptions") or {}
    for line in lines:
        line["unit_code"] = str(units.get(line["unit"], ""))
        line["unece"] = UNECE.get(int(line["unit_code"]), "C62") if line["unit_code"].isdigit() else "C62"
        line["vat_category"] = str(VAT_CATEGORY.get(line["rate"], ""))
        category, _, e3 = line["income"].partition("/")
        line["category"], line["e3"] = category, e3
        line["reason"] = ""
        if line["rate"] == "0":
            reason = exemptions.get(dest) or {}
            line["reason"] = str(reason.get("reason") or "") if isinstance(reason, dict) else ""
    if rec.kind.name == "invoice":
        kind_type = str(rec.get("type") or (conf.get("types") or {}).get(sale, {}).get(dest) or "")
    else:
        kind_type = str(rec.get("type") or (conf.get("types") or {}).get("credit", {}).get(dest) or "")
    prefix, _, rest = rec.id.partition("-")
    series, _, number = rest.rpartition("-")
    answer = rec.get("mydata") if isinstance(rec.get("mydata"), dict) else {}
    pm = str(inv.get("payment_method") or conf.get("payment_method") or "")
    doc: dict[str, Any] = {
        "id": rec.id,
        "kind": rec.kind.name,
        "type": kind_type,
        "type_name": TYPES.get(kind_type, ""),
        "series": f"{prefix}-{series}",
        "aa": str(int(number)) if number.isdigit() else number,
        "date": str(rec.get("date") or ""),
        "due": str(inv.get("due") or "") if rec is inv else "",
        "supplied": str(inv.get("supplied") or ""),
        "delivery_note": str(inv.get("delivery_note") or ""),
        "order": str(inv.get("order") or ""),
        "currency": str(rec.get("currency") or office.config.currency),
        "payment_method": pm,
        "payment_name": PAYMENT_METHODS.get(int(pm), ("", "")) if pm.isdigit() else ("", ""),
        "seller": {
            **company,
            "vat": greek_vat(company.get("vat_number")),
            "gemi": str(office.config.raw.get("company", {}).get("gemi") or ""),
            "branch": str(office.config.raw.get("company", {}).get("branch") or 0),
            "country": country,
            **split_address(company.get("address") or ""),
        },
        "buyer": buyer,
        "destination": dest,
        "lines": lines,
        "vat": [
            {"rate": money.rate_text(Decimal(str(r))), "net": str(v["net"]), "vat": str(v["vat"])}
            for r, v in vat_map.items()
        ],
        "net": money.text(Decimal(str(rec.get("net")))),
        "vat_total": money.text(
            money.q(sum((Decimal(str(v["vat"])) for v in vat_map.values()), Decimal("0")))
        ),
        "gross": money.text(Decimal(str(rec.get("gross")))),
        "mydata": {str(k): str(v) for k, v in (answer or {}).items()},
        "corrects": None,
        "reason": str(rec.get("reason") or ""),
    }
    if rec is not inv:
        inv_answer = inv.get("mydata") if isinstance(inv.get("mydata"), dict) else {}
        doc["corrects"] = {
            "id": inv.id,
            "date": str(inv.get("date") or ""),
            "mark": str(rec.get("corrects_mark") or (inv_answer or {}).get("mark") or ""),
        }
    doc["missing"] = _missing(office, conf, {"type": kind_type, "lines": stored and lines}, buyer, customer)
    return doc


def _spread_vat(lines: list[dict], vat_map: dict) -> None:
    """Each line's VAT: net x rate, the rate's last line taking the rounding, so the
    lines of a rate add up to the VAT stored for that rate."""
    by_rate: dict[str, list[dict]] = {}
    for line in lines:
        line["vat"] = money.text(money.q(Decimal(line["net"]) * Decimal(line["rate"]) / 100))
        by_rate.setdefault(line["rate"], []).append(line)
    for rate, v in (vat_map or {}).items():
        group = by_rate.get(money.rate_text(Decimal(str(rate))))
        if not group:
            continue
        told = Decimal(str(v["vat"]))
        rest = sum((Decimal(x["vat"]) for x in group[:-1]), Decimal("0"))
        group[-1]["vat"] = money.text(money.q(told - rest))


class Unreportable(UserError):
    """A record that misses a fact the tax authority needs (nothing was sent)."""


def require(office, rec: Record) -> dict[str, Any]:
    """document(), refused (naming the first missing fact) when it could not be reported."""
    doc = document(office, rec)
    if doc["corrects"] and not doc["corrects"]["mark"] and doc["type"] == "5.1":
        doc["missing"].append(
            f"{rec.kind.label} {rec.id} ({rec.path}): corrects_mark: invoice {doc['corrects']['id']} has no "
            f"ΜΑΡΚ yet (send it first: officecli einvoice send {doc['corrects']['id']})"
        )
    if doc["missing"]:
        raise Unreportable(f"{rec.kind.label} {rec.id} ({rec.path}): cannot be reported: {doc['missing'][0]}")
    return doc


def unreportable(office) -> list[tuple[Record, str]]:
    """Every invoice and credit note with no ΜΑΡΚ that could not be reported, and why."""
    out = []
    for kind in ("invoice", "credit_note"):
        for rec in office.records(kind):
            if (rec.get("mydata") or {}).get("mark") if isinstance(rec.get("mydata"), dict) else False:
                continue
            try:
                doc = document(office, rec)
            except UserError as exc:
                out.append((rec, str(exc)))
                continue
            if doc["missing"]:
                out.append((rec, doc["missing"][0]))
    return out
