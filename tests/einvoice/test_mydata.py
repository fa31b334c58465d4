"""myDATA XML: every invoice of the sample company and of a seeded random one is
valid against AADE's XSD; what could not be reported is refused, naming the field."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from officecli.office.einvoice import xmlcheck
from tests.conftest import load
from tests.einvoice import company
from tests.einvoice.aade import KEY, USER, Aade

NS = {
    "m": "http://www.aade.gr/myDATA/invoice/v1.0",
    "i": "https://www.aade.gr/myDATA/incomeClassificaton/v1.0",
}


def _xml(run, ref) -> bytes:
    return run("einvoice", "xml", ref).stdout_bytes


def test_every_invoice_and_credit_note_of_the_sample_validates(aade, run, sample):
    ids = [r["id"] for r in json.loads(run("invoice", "list", "--all", "--format", "json").stdout)]
    assert len(ids) == 5
    for ref in ids:
        data = _xml(run, ref)
        assert xmlcheck.xsd_errors(data, "mydata") == [], ref
    # a 5.1 names the ΜΑΡΚ of the invoice it corrects: once that one is reported
    run("einvoice", "send", "INV-A-0004")
    for ref in ("CRN-A-0001", "CRN-A-0002"):
        assert xmlcheck.xsd_errors(_xml(run, ref), "mydata") == [], ref


def test_the_xml_carries_the_records_figures(aade, run, sample):
    inv = json.loads(run("invoice", "show", "INV-A-0002", "--format", "json").stdout)[0]
    tree = etree.fromstring(_xml(run, "INV-A-0002"))
    assert tree.findtext(".//m:totalNetValue", namespaces=NS) == inv["net"]
    assert tree.findtext(".//m:totalGrossValue", namespaces=NS) == inv["gross"]
    nets = [e.text for e in tree.iterfind(".//m:invoiceDetails/m:netValue", namespaces=NS)]
    assert nets == [line["net"] for line in inv["lines"]]
    vat = sum(float(e.text) for e in tree.iterfind(".//m:invoiceDetails/m:vatAmount", namespaces=NS))
    assert f"{vat:.2f}" == tree.findtext(".//m:totalVatAmount", namespaces=NS)
    assert tree.findtext(".//m:counterpart/m:vatNumber", namespaces=NS) == "998877665"
    assert tree.find(".//m:counterpart/m:name", namespaces=NS) is None  # AADE refuses a Greek one's name


def test_xml_to_a_file_outside_the_records(aade, run, sample, tmp_path):
    out = tmp_path / "inv.xml"
    run("einvoice", "xml", "3", "-o", out)
    assert xmlcheck.xsd_errors(out.read_bytes(), "mydata") == []
    assert "inside the records folder" in run("einvoice", "xml", "3", "-o", sample / "x.xml", code=1).stderr
    secret = tmp_path / "secret.txt"
    secret.write_text("kept", "utf-8")
    (tmp_path / "link.xml").symlink_to(secret)
    said = run("einvoice", "xml", "3", "-o", tmp_path / "link.xml", code=1).stderr
    assert "symbolic link" in said and secret.read_text("utf-8") == "kept"


@pytest.fixture
def random_company(office, cli):
    invoices, _ = company.make(cli, office, seed=2026, orders=10)
    notes = company.credit(
        cli, invoices, lambda ref: json.loads(cli("invoice", "show", ref, "--format", "json").stdout)[0]
    )
    return invoices, notes


def test_a_seeded_random_company_every_rate_and_kind_of_customer_validates(
    random_company, cli, office, monkeypatch
):
    invoices, notes = random_company
    types, rates = set(), set()
    for ref in invoices:
        data = cli("einvoice", "xml", ref).stdout_bytes
        assert xmlcheck.xsd_errors(data, "mydata") == [], ref
        tree = etree.fromstring(data)
        types.add(tree.findtext(".//m:invoiceType", namespaces=NS))
        rates |= {e.text for e in tree.iterfind(".//m:vatCategory", namespaces=NS)}
        for zero in tree.xpath(".//m:invoiceDetails[m:vatCategory='7']", namespaces=NS):
            assert zero.findtext("m:vatExemptionCategory", namespaces=NS), ref
    assert types == {"1.1", "1.2", "1.3", "11.1"}
    assert rates == {"1", "2", "3", "7"}
    # credit notes: by lines, by amount, whole; a 5.1 once its invoice has its ΜΑΡΚ
    for ref in notes:
        assert "corrects_mark" in cli("einvoice", "xml", ref, code=1).stderr
    with Aade() as server:
        with open(office / "office.yaml", "a", encoding="utf-8") as fh:
            fh.write(f"  url: {server.url}\n")  # (einvoice: is office.yaml's last section)
        monkeypatch.setenv("OFFICECLI_MYDATA_USER", USER)
        monkeypatch.setenv("OFFICECLI_MYDATA_KEY", KEY)
        cli("einvoice", "send", "--pending")
        assert len(server.registered) == len(invoices) + len(notes)
        assert all(errors == [] for errors in server.invalid)
    for ref in notes:
        data = cli("einvoice", "xml", ref).stdout_bytes
        assert xmlcheck.xsd_errors(data, "mydata") == [], ref
        assert etree.fromstring(data).findtext(".//m:correlatedInvoices", namespaces=NS), ref


def test_order_invoice_refuses_one_myDATA_would_refuse_naming_the_field(office, cli, refused):
    company.configure(office)
    cus = cli(
        "customer", "add", "Εταιρεία Χωρίς ΔΟΥ", "--vat-number", "EL094019245", "--format", "ids"
    ).stdout.strip()
    cli("product", "add", "MUG", "--name", "Κούπα", "--price", "10")
    cli("stock", "receive", "MUG", "10", "--cost", "1")
    order = cli("order", "add", "--customer", cus, "MUG:2", "--format", "ids").stdout.strip()
    cli("order", "forward", order)
    cli("order", "ship", order)
    refused("order", "invoice", order, match=f"front/customers/{cus}.yaml): tax_office: missing")
    cli("customer", "edit", cus, "--tax-office", "ΔΟΥ Ρόδου")
    inv = cli("order", "invoice", order, "--format", "ids").stdout.strip()
    data = load(office, f"back/invoices/open/{inv}.yaml")
    assert data["type"] == "1.1" and data["bill_to"]["tax_office"] == "ΔΟΥ Ρόδου"
    assert data["delivery_note"] == order and data["supplied"] == data["date"]
    assert data["lines"][0]["unit"] == "pcs" and data["lines"][0]["income"] == "category1_1/E3_561_001"


def test_doctor_names_an_invoice_that_cannot_be_reported_and_why(office, cli):
    cus = cli("customer", "add", "Εταιρεία", "--vat-number", "EL094019245", "--format", "ids").stdout.strip()
    cli("product", "add", "MUG", "--name", "Κούπα", "--price", "10")
    cli("stock", "receive", "MUG", "10", "--cost", "1")
    order = cli("order", "add", "--customer", cus, "MUG:2", "--format", "ids").stdout.strip()
    cli("order", "forward", order)
    cli("order", "ship", order)
    inv = cli("order", "invoice", order, "--format", "ids").stdout.strip()  # before the checks were on
    cli("doctor")
    company.configure(office)
    res = cli("doctor", code=1)
    assert f"back/invoices/open/{inv}.yaml: cannot be reported to myDATA" in res.stdout
    assert "tax_office: missing" in res.stdout
