"""EN 16931: an invoice or credit note as UN/CEFACT CII (Factur-X) and as UBL.

Both are built from facts.document (the record's own figures) and validated
before anyone sees them (xmlcheck.py): CII against the Factur-X EN 16931 XSD and
schematron, UBL against the UBL 2.1 XSD and the CEN EN 16931 UBL schematron.

The EN 16931 mapping, in short:

* document: BT-1 the ID, BT-2 the date, BT-3 380 (invoice) or 381 (credit note),
  BT-5 the currency; a credit note names its invoice (BT-25, BT-26).
* seller (BG-4): name, address, VAT number (BT-31), ΓΕΜΗ as its legal
  registration (BT-30); buyer (BG-7): name, address, country, VAT number.
* delivery: the date of supply (BT-72), the delivery note (BT-16), the country
  it went to (BT-80) for an intra-EU supply.
* payment: the means (BT-81; credit transfer with the IBAN, BT-84), the due date
  (BT-9), the invoice number as the payment reference (BT-83).
* VAT: one breakdown per rate (BG-23); the category S for a charged rate, and
  for 0 %: K intra-EU supply, G export, E exempt (with the reason, BT-120).
* lines (BG-25): quantity and UN/ECE unit, net price, net amount, VAT rate.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from officecli.office.einvoice import xmlcheck

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
EN16931 = "urn:cen.eu:en16931:2017"
PEPPOL = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PEPPOL_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
UBL_INV = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CRN = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ZERO_CATEGORY = {"eu": "K", "abroad": "G", "domestic": "E", "private": "E"}


def category(doc: dict[str, Any], rate: str) -> str:
    return "S" if Decimal(rate) > 0 else ZERO_CATEGORY[doc["destination"]]


def _d(day: str) -> str:
    return day.replace("-", "")


def vat_id(country: str, number: str) -> str:
    """A VAT identifier with its country prefix (Greece: EL)."""
    text = "".join(ch for ch in str(number).upper() if ch.isalnum())
    prefix = "EL" if country == "GR" else country
    return text if text[:2].isalpha() else prefix + text


def _reason(doc: dict[str, Any], rate: str) -> str:
    return next((line["reason"] for line in doc["lines"] if line["rate"] == rate and line["reason"]), "")


def _means(doc: dict[str, Any]) -> tuple[str, str]:
    """(UNTDID 4461 code, IBAN): a credit transfer when the company has an IBAN."""
    iban = "".join(doc["seller"].get("iban", "").split())
    return ("30", iban) if iban else ("1", "")


def _qty_price(line: dict[str, Any]) -> tuple[str, str, str]:
    """(quantity, net unit price, unit code); a line credited by amount is 1 x its net."""
    if line["qty"] and line["price"]:
        return line["qty"], line["price"], line["unece"]
    return "1", line["net"], "C62"


def build_cii(doc: dict[str, Any]) -> bytes:
    from lxml import etree
    from lxml.builder import ElementMaker

    nsmap = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}
    R = ElementMaker(namespace=RSM, nsmap=nsmap)
    A = ElementMaker(namespace=RAM, nsmap=nsmap)
    U = ElementMaker(namespace=UDT, nsmap=nsmap)
    Q = ElementMaker(namespace=QDT, nsmap=nsmap)
    cur = doc["currency"]
    seller, buyer = doc["seller"], doc["buyer"]

    def date(day: str):
        return U.DateTimeString(_d(day), format="102")

    def address(who: dict[str, Any]):
        parts = []
        if who.get("postcode"):
            parts.append(A.PostcodeCode(who["postcode"]))
        if who.get("street"):
            parts.append(A.LineOne(who["street"]))
        if who.get("city"):
            parts.append(A.CityName(who["city"]))
        parts.append(A.CountryID(who["country"]))
        return A.PostalTradeAddress(*parts)

    lines = []
    for line in doc["lines"]:
        qty, price, unit = _qty_price(line)
        product = [A.SellerAssignedID(line["sku"])] if line["sku"] else []
        lines.append(
            A.IncludedSupplyChainTradeLineItem(
                A.AssociatedDocumentLineDocument(A.LineID(str(line["n"]))),
                A.SpecifiedTradeProduct(*product, A.Name(line["name"])),
                A.SpecifiedLineTradeAgreement(A.NetPriceProductTradePrice(A.ChargeAmount(price))),
                A.SpecifiedLineTradeDelivery(A.BilledQuantity(qty, unitCode=unit)),
                A.SpecifiedLineTradeSettlement(
                    A.ApplicableTradeTax(
                        A.TypeCode("VAT"),
                        A.CategoryCode(category(doc, line["rate"])),
                        A.RateApplicablePercent(line["rate"]),
                    ),
                    A.SpecifiedTradeSettlementLineMonetarySummation(A.LineTotalAmount(line["net"])),
                ),
            )
        )
    seller_party = [A.Name(seller["name"])]
    if seller.get("gemi"):
        seller_party.append(A.SpecifiedLegalOrganization(A.ID(seller["gemi"])))
    seller_party.append(address(seller))
    if seller["vat"]:
        seller_party.append(
            A.SpecifiedTaxRegistration(A.ID(vat_id(seller["country"], seller["vat"]), schemeID="VA"))
        )
    buyer_party = [A.Name(buyer["name"]), address(buyer)]
    if buyer.get("vat_number"):
        buyer_party.append(
            A.SpecifiedTaxRegistration(A.ID(vat_id(buyer["country"], buyer["vat_number"]), schemeID="VA"))
        )
    agreement = [A.SellerTradeParty(*seller_party), A.BuyerTradeParty(*buyer_party)]
    if doc["order"]:
        agreement.append(A.BuyerOrderReferencedDocument(A.IssuerAssignedID(doc["order"])))
    delivery = []
    if doc["destination"] == "eu":
        delivery.append(A.ShipToTradeParty(A.PostalTradeAddress(A.CountryID(buyer["country"]))))
    if doc["supplied"]:
        delivery.append(A.ActualDeliverySupplyChainEvent(A.OccurrenceDateTime(date(doc["supplied"]))))
    if doc["delivery_note"]:
        delivery.append(A.DespatchAdviceReferencedDocument(A.IssuerAssignedID(doc["delivery_note"])))
    code, iban = _means(doc)
    means = [A.TypeCode(code)]
    if iban:
        means.append(A.PayeePartyCreditorFinancialAccount(A.IBANID(iban)))
    settlement = [
        A.PaymentReference(doc["id"]),
        A.InvoiceCurrencyCode(cur),
        A.SpecifiedTradeSettlementPaymentMeans(*means),
    ]
    for row in doc["vat"]:
        tax = [A.CalculatedAmount(row["vat"]), A.TypeCode("VAT")]
        cat = category(doc, row["rate"])
        if cat != "S":
            tax.append(A.ExemptionReason(_reason(doc, row["rate"]) or "Απαλλαγή ΦΠΑ"))
        tax += [A.BasisAmount(row["net"]), A.CategoryCode(cat), A.RateApplicablePercent(row["rate"])]
        settlement.append(A.ApplicableTradeTax(*tax))
    if doc["due"]:
        settlement.append(A.SpecifiedTradePaymentTerms(A.DueDateDateTime(date(doc["due"]))))
    else:
        settlement.append(
            A.SpecifiedTradePaymentTerms(
                A.Description("Πιστωτικό / credit note: set off against the invoice")
            )
        )
    settlement.append(
        A.SpecifiedTradeSettlementHeaderMonetarySummation(
            A.LineTotalAmount(doc["net"]),
            A.TaxBasisTotalAmount(doc["net"]),
            A.TaxTotalAmount(doc["vat_total"], currencyID=cur),
            A.GrandTotalAmount(doc["gross"]),
            A.DuePayableAmount(doc["gross"]),
        )
    )
    if doc["corrects"]:
        settlement.append(
            A.InvoiceReferencedDocument(
                A.IssuerAssignedID(doc["corrects"]["id"]),
                A.FormattedIssueDateTime(Q.DateTimeString(_d(doc["corrects"]["date"]), format="102")),
            )
        )
    header = [
        A.ID(doc["id"]),
        A.TypeCode("381" if doc["kind"] == "credit_note" else "380"),
        A.IssueDateTime(date(doc["date"])),
    ]
    if doc["reason"]:
        header.append(A.IncludedNote(A.Content(doc["reason"])))
    root = R.CrossIndustryInvoice(
        R.ExchangedDocumentContext(A.GuidelineSpecifiedDocumentContextParameter(A.ID(EN16931))),
        R.ExchangedDocument(*header),
        R.SupplyChainTradeTransaction(
            *lines,
            A.ApplicableHeaderTradeAgreement(*agreement),
            A.ApplicableHeaderTradeDelivery(*delivery),
            A.ApplicableHeaderTradeSettlement(*settlement),
        ),
    )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def build_ubl(doc: dict[str, Any]) -> bytes:
    from lxml import etree
    from lxml.builder import ElementMaker

    credit = doc["kind"] == "credit_note"
    main = UBL_CRN if credit else UBL_INV
    nsmap = {None: main, "cac": CAC, "cbc": CBC}
    M = ElementMaker(namespace=main, nsmap=nsmap)
    C = ElementMaker(namespace=CAC, nsmap=nsmap)
    B = ElementMaker(namespace=CBC, nsmap=nsmap)
    cur = doc["currency"]
    seller, buyer = doc["seller"], doc["buyer"]

    def amount(tag: str, value: str):
        return getattr(B, tag)(value, currencyID=cur)

    def address(who: dict[str, Any]):
        parts = []
        if who.get("street"):
            parts.append(B.StreetName(who["street"]))
        if who.get("city"):
            parts.append(B.CityName(who["city"]))
        if who.get("postcode"):
            parts.append(B.PostalZone(who["postcode"]))
        parts.append(C.Country(B.IdentificationCode(who["country"])))
        return C.PostalAddress(*parts)

    def party(who: dict[str, Any], vat: str, legal: str = ""):
        vat_text = vat_id(who["country"], vat) if vat else ""
        endpoint = (
            B.EndpointID(vat_text, schemeID="9933")
            if vat_text
            else B.EndpointID(who.get("email") or "unknown@invalid", schemeID="EM")
        )
        parts = [endpoint, address(who)]
        if vat_text:
            parts.append(C.PartyTaxScheme(B.CompanyID(vat_text), C.TaxScheme(B.ID("VAT"))))
        legal_parts = [B.RegistrationName(who["name"])]
        if legal:
            legal_parts.append(B.CompanyID(legal))
        parts.append(C.PartyLegalEntity(*legal_parts))
        return C.Party(*parts)

    def tax_category(rate: str, with_reason: bool):
        cat = category(doc, rate)
        parts = [B.ID(cat), B.Percent(rate)]
        if with_reason and cat != "S":
            parts.append(B.TaxExemptionReason(_reason(doc, rate) or "Απαλλαγή ΦΠΑ"))
        parts.append(C.TaxScheme(B.ID("VAT")))
        return parts

    head = [
        B.CustomizationID(PEPPOL),
        B.ProfileID(PEPPOL_PROFILE),
        B.ID(doc["id"]),
        B.IssueDate(doc["date"]),
    ]
    if doc["due"] and not credit:
        head.append(B.DueDate(doc["due"]))
    head.append(B.CreditNoteTypeCode("381") if credit else B.InvoiceTypeCode("380"))
    if doc["reason"]:
        head.append(B.Note(doc["reason"]))
    head += [B.DocumentCurrencyCode(cur), B.BuyerReference(doc["order"] or doc["id"])]
    if doc["order"]:
        head.append(C.OrderReference(B.ID(doc["order"])))
    if doc["corrects"]:
        head.append(
            C.BillingReference(
                C.InvoiceDocumentReference(B.ID(doc["corrects"]["id"]), B.IssueDate(doc["corrects"]["date"]))
            )
        )
    if doc["delivery_note"]:
        head.append(C.DespatchDocumentReference(B.ID(doc["delivery_note"])))
    head.append(C.AccountingSupplierParty(party(seller, seller["vat"], seller.get("gemi", ""))))
    head.append(C.AccountingCustomerParty(party(buyer, buyer.get("vat_number", ""))))
    delivery = []
    if doc["supplied"]:
        delivery.append(B.ActualDeliveryDate(doc["supplied"]))
    if doc["destination"] == "eu":
        delivery.append(C.DeliveryLocation(C.Address(C.Country(B.IdentificationCode(buyer["country"])))))
    if delivery:
        head.append(C.Delivery(*delivery))
    code, iban = _means(doc)
    means = [B.PaymentMeansCode(code), B.PaymentID(doc["id"])]
    if iban:
        means.append(C.PayeeFinancialAccount(B.ID(iban)))
    head.append(C.PaymentMeans(*means))
    if credit:
        head.append(C.PaymentTerms(B.Note("Πιστωτικό / credit note: set off against the invoice")))
    subtotals = [
        C.TaxSubtotal(
            amount("TaxableAmount", row["net"]),
            amount("TaxAmount", row["vat"]),
            C.TaxCategory(*tax_category(row["rate"], True)),
        )
        for row in doc["vat"]
    ]
    head.append(C.TaxTotal(amount("TaxAmount", doc["vat_total"]), *subtotals))
    head.append(
        C.LegalMonetaryTotal(
            amount("LineExtensionAmount", doc["net"]),
            amount("TaxExclusiveAmount", doc["net"]),
            amount("TaxInclusiveAmount", doc["gross"]),
            amount("PayableAmount", doc["gross"]),
        )
    )
    for line in doc["lines"]:
        qty, price, unit = _qty_price(line)
        qty_tag = "CreditedQuantity" if credit else "InvoicedQuantity"
        item = [B.Name(line["name"])]
        if line["sku"]:
            item.append(C.SellersItemIdentification(B.ID(line["sku"])))
        item.append(C.ClassifiedTaxCategory(*tax_category(line["rate"], False)))
        head.append(
            getattr(C, "CreditNoteLine" if credit else "InvoiceLine")(
                B.ID(str(line["n"])),
                getattr(B, qty_tag)(qty, unitCode=unit),
                amount("LineExtensionAmount", line["net"]),
                C.Item(*item),
                C.Price(amount("PriceAmount", price)),
            )
        )
    root = getattr(M, "CreditNote" if credit else "Invoice")(*head)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def cii(doc: dict[str, Any]) -> bytes:
    """The validated CII (Factur-X, EN 16931 profile) of a facts.document."""
    return xmlcheck.check(build_cii(doc), "cii", f"EN 16931 CII of {doc['id']}")


def ubl(doc: dict[str, Any]) -> bytes:
    """The validated UBL (Peppol BIS Billing 3.0) of a facts.document."""
    name = "ubl-credit" if doc["kind"] == "credit_note" else "ubl"
    return xmlcheck.check(build_ubl(doc), name, f"EN 16931 UBL of {doc['id']}")
