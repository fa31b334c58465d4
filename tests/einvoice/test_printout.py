"""The printed invoice and credit note: what a Greek accountant looks for, and the
label faults of before (a doubled ΔΟΥ, an empty bank, a backwards period...)."""

from __future__ import annotations

import html5lib
import segno

from tests.einvoice import company


def _html(run, *args):
    text = run("print", *args).stdout
    return text, html5lib.parse(text, namespaceHTMLElements=False)


def _by_id(tree, ident: str) -> str:
    el = tree.find(f".//*[@id='{ident}']")
    assert el is not None, ident
    return " ".join("".join(el.itertext()).split())


def test_a_reported_invoice_carries_mark_uid_and_the_qr_of_its_link(aade, run):
    run("einvoice", "send", "INV-A-0002", "INV-A-0004")
    reg = {r["head"][1]: r for r in aade.registered}
    text, tree = _html(run, "invoice", "INV-A-0002")
    assert (
        _by_id(tree, "mydata-mark") == str(reg["2"]["mark"]) and _by_id(tree, "mydata-uid") == reg["2"]["uid"]
    )
    qr = tree.find(".//img[@id='qr']").get("src")
    assert qr == segno.make(reg["2"]["qr"], error="m").svg_data_uri(scale=3, border=2)
    run("einvoice", "send", "CRN-A-0001")
    _, crn = _html(run, "credit-note", "CRN-A-0001")
    assert _by_id(crn, "corrects-mark") == str(reg["4"]["mark"]) and _by_id(crn, "mydata-mark")
    _, unreported = _html(run, "invoice", "INV-A-0003")
    assert unreported.find(".//*[@id='mydata']") is None


def test_the_facts_an_accountant_looks_for_are_on_the_invoice(run):
    text, tree = _html(run, "invoice", "INV-A-0002")
    assert _by_id(tree, "invoice-type") == "1.1 Τιμολόγιο Πώλησης"
    assert _by_id(tree, "delivery-note") == "ORD-A-0002" and _by_id(tree, "supplied") == "12/10/2026"
    assert _by_id(tree, "payment-method") == "Επί πιστώσει / On credit"
    assert _by_id(tree, "buyer-tax-office") == "ΔΟΥ / Tax office: Θήρας"  # the record says "ΔΟΥ Θήρας"
    assert "ΔΟΥ ΔΟΥ" not in text and "ΔΟΥ / Tax office: ΔΟΥ" not in text
    assert _by_id(tree, "seller-gemi") == "ΓΕΜΗ / Business reg.: 123456701000"
    assert all(tr.findall("td")[3].text == "τεμ." for tr in tree.findall(".//table[@id='lines']/tbody/tr"))


def test_a_zero_rate_prints_its_legal_reason_and_foreign_buyers_their_country(office, cli):
    invoices, _ = company.make(cli, office, seed=3, orders=4)
    text = cli("print", "invoice", invoices[1]).stdout  # the EU customer
    tree = html5lib.parse(text, namespaceHTMLElements=False)
    rates = [
        " ".join("".join(tr.find("td").itertext()).split())
        for tr in tree.findall(".//table[@id='vat']/tbody/tr")
    ]
    assert "0% (Απαλλαγή ΦΠΑ, άρθρο 28 ν. 2859/2000 (ενδοκοινοτική παράδοση))" in rates
    assert _by_id(tree, "buyer-country") == "DE" and "1.2" in _by_id(tree, "invoice-type")
    assert "kg" in text and "lt" in text


def test_an_empty_bank_is_left_out_not_printed_empty(run, sample):
    text = (sample / "office.yaml").read_text("utf-8").replace("  bank: Τράπεζα Πειραιώς\n", "  bank: ''\n")
    (sample / "office.yaml").write_text(text, "utf-8")
    _, tree = _html(run, "invoice", "2")
    terms = _by_id(tree, "terms")
    assert "IBAN: GR16" in terms and "Bank" not in terms and "Τράπεζα" not in terms


def test_a_seller_without_vat_number_or_address_is_said(office, cli):
    invoices, _ = company.make(cli, office, orders=1)
    text = (
        (office / "office.yaml")
        .read_text("utf-8")
        .replace("  vat_number: EL801234567\n", "  vat_number: ''\n")
    )
    (office / "office.yaml").write_text(text, "utf-8")
    res = cli("print", "invoice", invoices[0])
    assert "company.vat_number: missing" in res.stderr and "without the seller's VAT number" in res.stderr


def test_a_statement_beginning_after_today_is_refused_not_printed_backwards(run, sample):
    res = run("print", "statement", "4", "--begin", "2026-12-10", code=1)
    assert "is after today (2026-11-26)" in res.stderr and "\n" not in res.stderr.strip()


def test_office_yaml_chooses_the_locale_of_dates_and_amounts(run, sample):
    with open(sample / "office.yaml", "a", encoding="utf-8") as fh:
        fh.write("einvoice:\n  locale: de_DE\n")
    _, tree = _html(run, "invoice", "2")
    assert _by_id(tree, "date") == "02.11.2026" and _by_id(tree, "gross") == "1.008,86 €"
    text = (sample / "office.yaml").read_text("utf-8").replace("locale: de_DE", "locale: en_GB")
    (sample / "office.yaml").write_text(text, "utf-8")
    _, tree = _html(run, "invoice", "2")
    assert _by_id(tree, "date") == "02/11/2026" and _by_id(tree, "gross") == "1,008.86 €"
