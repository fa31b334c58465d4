"""A supplier's e-invoice read in: a Factur-X/ZUGFeRD PDF, or CII or UBL XML.

1. the XML: the PDF's attachment (factur-x package, ``get_xml_from_pdf``) or the
   file itself; it must pass its own XSD (CII: the Factur-X XSD of the profile it
   declares, through the factur-x package; UBL: the UBL 2.1 XSD);
2. what it says (``parse``): the seller's name and VAT number, the invoice's
   number, date and currency, each line's seller item ID, name, quantity, net
   unit price and VAT rate, and the totals;
3. the draft (``draft``): the supplier is the one whose VAT number is the
   seller's (or ``--supplier``); each line becomes a line of a new draft purchase
   order (PO-…, back/purchases.py) for the product whose supplier SKU (or SKU) is
   the seller's item ID, at the invoice's net unit price; the supplier's invoice
   number, date and gross go in its note. From there the usual steps follow:
   ``purchase order``, ``purchase receive`` and ``purchase bill NUMBER``.

A bill without a purchase order is being added in parallel ("books an
accountant signs"); until it lands, a supplier's e-invoice is drafted as a
purchase order, as the brief of this room says.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from officecli.office import money
from officecli.office.back import purchases, suppliers
from officecli.office.contacts import vat_key
from officecli.office.einvoice import xmlcheck
from officecli.office.records import Record
from officecli.store.errors import UserError

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


def xml_of(path: Path) -> bytes:
    """The e-invoice XML of a file: a PDF's Factur-X attachment, or the XML itself."""
    data = path.read_bytes()
    if data[:5] == b"%PDF-":
        from facturx import get_xml_from_pdf  # only a PDF needs it

        try:
            _, xml = get_xml_from_pdf(data, check_xsd=False)
        except Exception as exc:
            raise UserError(f"{path}: no Factur-X/ZUGFeRD XML inside this PDF ({exc})") from None
        if not xml:
            raise UserError(f"{path}: no Factur-X/ZUGFeRD XML inside this PDF")
        return xml
    return data


def _check(path: Path, data: bytes, root) -> None:
    if root.tag == f"{{{RSM}}}CrossIndustryInvoice":
        from facturx import xml_check_xsd  # the XSD of the profile it declares

        try:
            xml_check_xsd(data, flavor="factur-x", level="autodetect")
        except Exception as exc:
            raise UserError(
                f"{path}: the CII fails its Factur-X XSD: {' '.join(str(exc).split())[:300]}"
            ) from None
        return
    name = "ubl-credit" if root.tag.endswith("}CreditNote") else "ubl"
    errors = xmlcheck.xsd_errors(data, name)
    if errors:
        raise UserError(f"{path}: the UBL fails the UBL 2.1 XSD: {errors[0]}")


def parse(path: Path) -> dict[str, Any]:
    """What a supplier's e-invoice says: seller, number, date, currency, lines, totals."""
    from lxml import etree

    data = xml_of(path)
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        raise UserError(f"{path}: not XML ({exc})") from None
    if root.tag == f"{{{RSM}}}CrossIndustryInvoice":
        _check(path, data, root)
        return _cii(root)
    if root.tag.endswith("}Invoice") or root.tag.endswith("}CreditNote"):
        _check(path, data, root)
        return _ubl(root)
    raise UserError(f"{path}: neither a CII (Factur-X) nor a UBL invoice (root element {root.tag})")


def _cii(root) -> dict[str, Any]:
    ns = {"rsm": RSM, "ram": RAM, "udt": UDT}

    def t(el, path: str) -> str:
        return (el.findtext(path, namespaces=ns) or "").strip()

    seller = root.find(".//ram:SellerTradeParty", ns)
    day = t(root, "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString")
    lines = []
    for item in root.iterfind(".//ram:IncludedSupplyChainTradeLineItem", ns):
        lines.append(
            {
                "id": t(item, "ram:SpecifiedTradeProduct/ram:SellerAssignedID")
                or t(item, "ram:SpecifiedTradeProduct/ram:BuyerAssignedID"),
                "name": t(item, "ram:SpecifiedTradeProduct/ram:Name"),
                "qty": t(item, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity"),
                "price": t(
                    item, "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount"
                ),
                "vat": t(
                    item, "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent"
                ),
                "net": t(item, ".//ram:LineTotalAmount"),
            }
        )
    total = ".//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"
    return {
        "format": "CII",
        "number": t(root, "rsm:ExchangedDocument/ram:ID"),
        "date": f"{day[:4]}-{day[4:6]}-{day[6:8]}" if len(day) == 8 else day,
        "type": t(root, "rsm:ExchangedDocument/ram:TypeCode"),
        "currency": t(root, ".//ram:InvoiceCurrencyCode"),
        "seller": t(seller, "ram:Name") if seller is not None else "",
        "seller_vat": t(seller, "ram:SpecifiedTaxRegistration/ram:ID") if seller is not None else "",
        "lines": lines,
        "net": t(root, total + "TaxBasisTotalAmount"),
        "gross": t(root, total + "GrandTotalAmount"),
    }


def _ubl(root) -> dict[str, Any]:
    ns = {"cac": CAC, "cbc": CBC}

    def t(el, path: str) -> str:
        return (el.findtext(path, namespaces=ns) or "").strip()

    seller = root.find("cac:AccountingSupplierParty/cac:Party", ns)
    lines = []
    for item in list(root.iterfind("cac:InvoiceLine", ns)) + list(root.iterfind("cac:CreditNoteLine", ns)):
        lines.append(
            {
                "id": t(item, "cac:Item/cac:SellersItemIdentification/cbc:ID")
                or t(item, "cac:Item/cac:BuyersItemIdentification/cbc:ID"),
                "name": t(item, "cac:Item/cbc:Name"),
                "qty": t(item, "cbc:InvoicedQuantity") or t(item, "cbc:CreditedQuantity"),
                "price": t(item, "cac:Price/cbc:PriceAmount"),
                "vat": t(item, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent"),
                "net": t(item, "cbc:LineExtensionAmount"),
            }
        )
    vat = ""
    if seller is not None:
        vat = t(seller, "cac:PartyTaxScheme/cbc:CompanyID") or t(seller, "cac:PartyLegalEntity/cbc:CompanyID")
    return {
        "format": "UBL",
        "number": t(root, "cbc:ID"),
        "date": t(root, "cbc:IssueDate"),
        "type": t(root, "cbc:InvoiceTypeCode") or t(root, "cbc:CreditNoteTypeCode"),
        "currency": t(root, "cbc:DocumentCurrencyCode"),
        "seller": t(seller, "cac:PartyLegalEntity/cbc:RegistrationName") if seller is not None else "",
        "seller_vat": vat,
        "lines": lines,
        "net": t(root, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount"),
        "gross": t(root, "cac:LegalMonetaryTotal/cbc:PayableAmount"),
    }


def _supplier(office, read: dict[str, Any], ref: str | None, path: Path) -> Record:
    if ref:
        return suppliers.get(office, ref, "--supplier")
    key = vat_key(read["seller_vat"])
    found = [s for s in office.records("supplier") if key and vat_key(s.get("vat_number")) == key]
    if not found:
        raise UserError(
            f"{path}: seller {read['seller']!r}, VAT number {read['seller_vat'] or '(none)'}: no supplier "
            "has it; add one ('supplier add ... --vat-number') or give --supplier"
        )
    return found[0]


def _product(office, sup: Record, line: dict[str, Any]) -> Record | None:
    items = office.records("product")
    code = line["id"].upper()
    for p in items:
        if p.get("supplier") == sup.id and str(p.get("supplier_sku") or "").upper() == code:
            return p
    return next(
        (
            p
            for p in items
            if code and (p.id.upper() == code or str(p.get("supplier_sku") or "").upper() == code)
        ),
        None,
    )


def draft(office, path: Path, supplier: str | None = None) -> tuple[Record, str]:
    """A draft purchase order from a supplier's e-invoice; (its record, what was read)."""
    read = parse(path)
    if read["type"] == "381":
        raise UserError(f"{path}: {read['number']} is a credit note; only invoices are drafted as purchases")
    with office.change():
        sup = _supplier(office, read, supplier, path)
        items = []
        for i, line in enumerate(read["lines"], 1):
            product = _product(office, sup, line)
            if product is None:
                raise UserError(
                    f"{path}: line {i} ({line['id'] or 'no item ID'} {line['name']!r}): no product has it as its "
                    f"SKU or supplier SKU; add it ('product add SKU ... --supplier {sup.id} --supplier-sku {line['id']}')"
                )
            qty = Decimal(line["qty"] or "0")
            if qty != qty.to_integral_value() or qty <= 0:
                raise UserError(
                    f"{path}: line {i} ({line['id']}): quantity {line['qty']} is not a whole number of pieces"
                )
            price = money.q(Decimal(line["price"]))
            items.append(f"{product.id}:{int(qty)}@{money.text(price)}")
        note = (
            f"{read['format']} e-invoice {read['number']} of {read['date']} from {read['seller']} "
            f"({read['seller_vat']}): net {read['net']}, gross {read['gross']} {read['currency']}; read from {path.name}"
        )
        rec = purchases.add(office, sup.id, items, note)
    return (
        rec,
        f"draft purchase for {sup.id} from {read['format']} invoice {read['number']} ({len(items)} lines, gross {read['gross']})",
    )
