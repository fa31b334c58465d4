"""EN 16931: CII (Factur-X) and UBL of every sample invoice and credit note and of a
seeded random set pass the official XSDs and schematrons; the printed invoice is a
Factur-X PDF/A-3 whose attached XML holds `invoice show`'s figures; a reprint of
a reported invoice is byte-identical."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal

import pytest
from lxml import etree
from pypdf import PdfReader

from officecli.office.einvoice import xmlcheck
from tests.einvoice import company

RAM = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}
SAMPLE = ["INV-A-0001", "INV-A-0002", "INV-A-0003", "INV-A-0004", "INV-A-0005", "CRN-A-0001", "CRN-A-0002"]


def _valid(data: bytes, name: str) -> None:
    assert xmlcheck.xsd_errors(data, name) == []
    assert xmlcheck.schematron_errors(data, name.split("-")[0]) == []


def test_every_sample_document_is_valid_cii_and_ubl(run):
    for ref in SAMPLE:
        _valid(run("einvoice", "xml", ref, "--to", "cii").stdout_bytes, "cii")
        _valid(
            run("einvoice", "xml", ref, "--to", "ubl").stdout_bytes,
            "ubl-credit" if ref.startswith("CRN") else "ubl",
        )


def test_the_schematron_refuses_what_is_wrong(run):
    data = run("einvoice", "xml", "INV-A-0002", "--to", "cii").stdout_bytes
    bad = re.sub(rb"<ram:GrandTotalAmount>[^<]*<", b"<ram:GrandTotalAmount>1.00<", data)
    assert any("BR-CO-15" in e for e in xmlcheck.schematron_errors(bad, "cii"))
    assert xmlcheck.xsd_errors(data.replace(b"<ram:TypeCode>380", b"<ram:TypeCodeX>380", 1), "cii")


@pytest.mark.slow
def test_a_seeded_random_set_is_valid_cii_every_rate_and_kind_of_customer(office, cli):
    invoices, _ = company.make(cli, office, seed=7, orders=5)
    notes = company.credit(
        cli, invoices, lambda ref: json.loads(cli("invoice", "show", ref, "--format", "json").stdout)[0]
    )
    categories = set()
    for ref in invoices + notes:
        data = cli("einvoice", "xml", ref, "--to", "cii").stdout_bytes
        _valid(data, "cii")
        categories |= {e.text for e in etree.fromstring(data).iterfind(".//ram:CategoryCode", namespaces=RAM)}
    assert categories == {"S", "K", "G", "E"}
    for ref in invoices[:4] + notes[:2]:
        _valid(
            cli("einvoice", "xml", ref, "--to", "ubl").stdout_bytes,
            "ubl-credit" if ref.startswith("CRN") else "ubl",
        )


def _pdf(run, ref, tmp_path, name="x.pdf"):
    out = tmp_path / name
    run("print", "invoice" if ref.startswith("INV") else "credit-note", ref, "-o", out)
    return out.read_bytes()


def test_the_pdf_is_factur_x_pdf_a3_with_the_figures_of_invoice_show(run, tmp_path):
    data = _pdf(run, "INV-A-0002", tmp_path)
    reader = PdfReader(io.BytesIO(data))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfaid:part>3</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in xmp
    attached = reader.attachments["factur-x.xml"][0]
    assert attached == run("einvoice", "xml", "INV-A-0002", "--to", "cii").stdout_bytes
    _valid(attached, "cii")
    shown = json.loads(run("invoice", "show", "INV-A-0002", "--format", "json").stdout)[0]
    tree = etree.fromstring(attached)
    assert tree.findtext(".//ram:GrandTotalAmount", namespaces=RAM) == shown["gross"]
    assert tree.findtext(".//ram:TaxBasisTotalAmount", namespaces=RAM) == shown["net"]
    assert [e.text for e in tree.iterfind(".//ram:LineTotalAmount", namespaces=RAM)][:-1] == [
        line["net"] for line in shown["lines"]
    ]
    vat = {
        e.findtext("ram:RateApplicablePercent", namespaces=RAM): e.findtext(
            "ram:CalculatedAmount", namespaces=RAM
        )
        for e in tree.xpath(".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax", namespaces=RAM)
    }
    assert vat == {rate: v["vat"] for rate, v in shown["vat"].items()}
    assert sum(Decimal(v) for v in vat.values()) + Decimal(shown["net"]) == Decimal(shown["gross"])


def test_a_reprint_of_a_reported_invoice_is_byte_identical_and_carries_the_mark(aade, run, tmp_path):
    run("einvoice", "send", "INV-A-0002")
    first = _pdf(run, "INV-A-0002", tmp_path, "a.pdf")
    second = _pdf(run, "INV-A-0002", tmp_path, "b.pdf")
    assert first == second
    html = run("print", "invoice", "INV-A-0002").stdout
    assert str(aade.registered[0]["mark"]) in html and aade.registered[0]["uid"] in html


@pytest.mark.slow
def test_every_sample_document_prints_as_factur_x(run, tmp_path):
    for ref in SAMPLE:
        attached = PdfReader(io.BytesIO(_pdf(run, ref, tmp_path))).attachments["factur-x.xml"][0]
        _valid(attached, "cii")
