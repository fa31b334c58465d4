"""einvoice read: a supplier's Factur-X PDF, CII or UBL becomes a draft purchase."""

from __future__ import annotations

import json

from tests.conftest import snapshot


def _supplier_with_our_vat(run):
    """The sample company as its own supplier: its printed invoices are then a supplier's."""
    return run(
        "supplier", "add", "Κεραμικά Αιγαίου Α.Ε.", "--vat-number", "EL801234567", "--format", "ids"
    ).stdout.strip()


def test_a_factur_x_pdf_becomes_a_draft_purchase_with_its_lines_and_prices(run, sample, tmp_path):
    sup = _supplier_with_our_vat(run)
    pdf = tmp_path / "supplier.pdf"
    run("print", "invoice", "INV-A-0002", "-o", pdf)
    inv = json.loads(run("invoice", "show", "INV-A-0002", "--format", "json").stdout)[0]
    po = run("einvoice", "read", pdf, "--format", "ids").stdout.strip()
    shown = json.loads(run("purchase", "show", po, "--format", "json").stdout)[0]
    assert shown["supplier"] == sup and shown["state"] == "draft"
    assert [(l["sku"], l["qty"], l["cost"]) for l in shown["lines"]] == [
        (l["sku"], l["qty"], l["price"]) for l in inv["lines"]
    ]
    assert "INV-A-0002" in shown["note"] and inv["gross"] in shown["note"]


def test_cii_and_ubl_xml_read_the_same(run, sample, tmp_path):
    _supplier_with_our_vat(run)
    lines = []
    for fmt in ("cii", "ubl"):
        path = tmp_path / f"inv.{fmt}.xml"
        run("einvoice", "xml", "INV-A-0003", "--to", fmt, "-o", path)
        po = run("einvoice", "read", path, "--format", "ids").stdout.strip()
        lines.append(json.loads(run("purchase", "show", po, "--format", "json").stdout)[0]["lines"])
    inv = json.loads(run("invoice", "show", "INV-A-0003", "--format", "json").stdout)[0]
    assert lines[0] == lines[1] and [l["sku"] for l in lines[0]] == [l["sku"] for l in inv["lines"]]


def test_an_unknown_seller_or_product_is_refused_naming_it(run, sample, tmp_path):
    path = tmp_path / "inv.xml"
    run("einvoice", "xml", "INV-A-0003", "--to", "cii", "-o", path)
    before = snapshot(sample)
    res = run("einvoice", "read", path, code=1)
    assert "EL801234567" in res.stderr and "no supplier" in res.stderr and snapshot(sample) == before
    sup = _supplier_with_our_vat(run)
    text = path.read_text("utf-8").replace("<ram:SellerAssignedID>PLT-OLV<", "<ram:SellerAssignedID>XX-9<")
    assert "XX-9" in text
    path.write_text(text, "utf-8")
    before = snapshot(sample)
    res = run("einvoice", "read", path, "--supplier", sup, code=1)
    assert "XX-9" in res.stderr and "\n" not in res.stderr.strip() and snapshot(sample) == before
    path.write_text("<not-an-invoice/>", "utf-8")
    assert "neither a CII" in run("einvoice", "read", path, code=1).stderr
