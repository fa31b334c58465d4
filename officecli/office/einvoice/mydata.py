"""AADE myDATA: an invoice or credit note as the InvoicesDoc XML of schema v2.0.0.

``xml(office, recs)`` builds one ``InvoicesDoc`` holding each record's
``invoice`` (facts.py gives every value; nothing is recomputed) and validates it
against AADE's XSD (xmlcheck.py) before anyone sees it. The parts:

* issuer: the company's VAT number (digits), country, branch; no name or
  address for a Greek issuer (AADE refuses them: error 219).
* counterpart (not for a private customer, types 11.x): VAT number, country,
  branch 0; name and address (postal code and city) only abroad (error 220).
* invoiceHeader: series (INV-A / CRN-A), aa (the number), issueDate, invoiceType,
  currency; a 5.1 credit note names the invoice it corrects by its ΜΑΡΚ
  (correlatedInvoices); the date of supply as dispatchDate.
* paymentMethods: the method of office.yaml and the gross.
* invoiceDetails: one row per line: quantity, measurementUnit, netValue,
  vatCategory, vatAmount (each rate's VAT spread over its lines), the exemption
  category of a 0 % line, the income classification (category, E3 code, amount).
* invoiceSummary: the totals, and the income classifications summed per
  (category, E3 code).

``parse_response(data)`` reads AADE's ResponseDoc (validated against
response-v2.0.0.xsd): per invoice its index, status, and either the ΜΑΡΚ, UID
and QR URL, or each error with its code.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from officecli.office import money
from officecli.office.einvoice import facts, xmlcheck
from officecli.office.records import Record

NS = "http://www.aade.gr/myDATA/invoice/v1.0"
ICLS = "https://www.aade.gr/myDATA/incomeClassificaton/v1.0"
ECLS = "https://www.aade.gr/myDATA/expensesClassificaton/v1.0"


def _invoice(E, I, doc: dict[str, Any]):
    seller, buyer = doc["seller"], doc["buyer"]
    parts = [
        E.issuer(E.vatNumber(seller["vat"]), E.country(seller["country"]), E.branch(seller["branch"] or "0"))
    ]
    if doc["destination"] != "private":
        cp = [
            E.vatNumber(
                facts.greek_vat(buyer["vat_number"])
                if buyer["country"] == "GR"
                else facts.greek_vat(buyer["vat_number"]) or buyer["vat_number"]
            ),
            E.country(buyer["country"]),
            E.branch("0"),
        ]
        if doc["destination"] != "domestic":
            cp.append(E.name(buyer["name"][:200]))
            addr = []
            if buyer["street"]:
                addr.append(E.street(buyer["street"][:150]))
            addr += [E.postalCode(buyer["postcode"]), E.city(buyer["city"][:150])]
            cp.append(E.address(*addr))
        parts.append(E.counterpart(*cp))
    header = [
        E.series(doc["series"]),
        E.aa(doc["aa"]),
        E.issueDate(doc["date"]),
        E.invoiceType(doc["type"]),
        E.currency(doc["currency"]),
    ]
    if doc["corrects"] and doc["corrects"]["mark"] and doc["type"] == "5.1":
        header.append(E.correlatedInvoices(doc["corrects"]["mark"]))
    if doc["supplied"]:
        header.append(E.dispatchDate(doc["supplied"]))
    parts.append(E.invoiceHeader(*header))
    if doc["payment_method"]:
        parts.append(
            E.paymentMethods(E.paymentMethodDetails(E.type(doc["payment_method"]), E.amount(doc["gross"])))
        )
    incomes: dict[tuple[str, str], Decimal] = {}
    for line in doc["lines"]:
        row = [E.lineNumber(str(line["n"]))]
        if line["qty"]:
            row += [E.quantity(line["qty"]), E.measurementUnit(line["unit_code"] or "1")]
        row += [
            E.netValue(line["net"]),
            E.vatCategory(line["vat_category"] or "8"),
            E.vatAmount(line["vat"]),
        ]
        if line["rate"] == "0" and line["exemption"]:
            row.append(E.vatExemptionCategory(line["exemption"]))
        row.append(
            E.incomeClassification(
                I.classificationType(line["e3"]),
                I.classificationCategory(line["category"]),
                I.amount(line["net"]),
            )
        )
        key = (line["category"], line["e3"])
        incomes[key] = incomes.get(key, Decimal("0")) + Decimal(line["net"])
        parts.append(E.invoiceDetails(*row))
    zero = "0.00"
    summary = [
        E.totalNetValue(doc["net"]),
        E.totalVatAmount(doc["vat_total"]),
        E.totalWithheldAmount(zero),
        E.totalFeesAmount(zero),
        E.totalStampDutyAmount(zero),
        E.totalOtherTaxesAmount(zero),
        E.totalDeductionsAmount(zero),
        E.totalGrossValue(doc["gross"]),
    ]
    for (category, e3), amount in incomes.items():
        summary.append(
            E.incomeClassification(
                I.classificationType(e3),
                I.classificationCategory(category),
                I.amount(money.text(money.q(amount))),
            )
        )
    parts.append(E.invoiceSummary(*summary))
    return E.invoice(*parts)


def build(docs: list[dict[str, Any]]) -> bytes:
    """The InvoicesDoc of these documents (facts.document dicts), not yet validated."""
    from lxml import etree
    from lxml.builder import ElementMaker

    E = ElementMaker(namespace=NS, nsmap={None: NS, "icls": ICLS, "ecls": ECLS})
    I = ElementMaker(namespace=ICLS, nsmap={"icls": ICLS})
    root = E.InvoicesDoc(*[_invoice(E, I, d) for d in docs])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def xml(office, recs: list[Record]) -> bytes:
    """The validated InvoicesDoc of the records (refused, naming the first missing
    fact, when one could not be reported; then refused when AADE's XSD says no)."""
    docs = [facts.require(office, r) for r in recs]
    data = build(docs)
    what = ", ".join(r.id for r in recs)
    return xmlcheck.check(data, "mydata", f"myDATA InvoicesDoc of {what}")


def parse_response(data: bytes, what: str = "the answer") -> list[dict[str, Any]]:
    """AADE's ResponseDoc: per response its index, statusCode and either mark, uid,
    qr_url, or errors [(code, message)]; refused when it is not a ResponseDoc."""
    from lxml import etree

    xmlcheck.check(data, "mydata-response", f"myDATA {what}")
    out = []
    for resp in etree.fromstring(data).iter("response"):
        item: dict[str, Any] = {
            "index": resp.findtext("index") or "",
            "status": resp.findtext("statusCode") or "",
            "mark": resp.findtext("invoiceMark") or "",
            "uid": resp.findtext("invoiceUid") or "",
            "qr_url": resp.findtext("qrUrl") or "",
            "errors": [
                (e.findtext("code") or "", " ".join((e.findtext("message") or "").split()))
                for e in resp.iter("error")
            ],
        }
        out.append(item)
    return out
