"""officecli print: every kind of document, as HTML and PDF, on the sample company.

The HTML is parsed (html5lib) and must hold every mandatory field with the
figures `invoice show` / `quote show` / `customer show` print; the PDF's text
(pdftotext, poppler) must hold the same figures, Greek and the euro sign
included; an issued invoice printed twice is the same file, byte for byte.
Rendering PDFs is slow-ish, so the default suite renders a few (one invoice,
twice) and the rest are marked slow.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from officecli.cli import cli as officecli_cli
from tests.conftest import snapshot

REPO = Path(__file__).resolve().parents[2]
NOW = "2026-11-26T09:00:00+02:00"
SELLER = ("Κεραμικά Αιγαίου Α.Ε.", "EL801234567", "Λεωφόρος Συγγρού 210")


def _strict() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def pdftotext(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        if _strict():
            pytest.fail("pdftotext (poppler-utils) is not installed; .ci/run installs it")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    res = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    return res.stdout


@pytest.fixture
def sample(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "records"
    shutil.copytree(REPO / "records", root, ignore=shutil.ignore_patterns(".officecli"))
    for folder, _, files in os.walk(root / "back" / "hr"):  # as a first writer leaves a clone
        os.chmod(folder, 0o700)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o600)
    monkeypatch.setenv("OFFICECLI_NOW", NOW)
    return root


@pytest.fixture
def run(sample):
    runner = CliRunner()

    def go(*args, code: int = 0):
        res = runner.invoke(officecli_cli, ["--root", str(sample), *map(str, args)])
        assert res.exit_code == code, (args, res.exit_code, res.output, res.stderr)
        return res

    return go


def show(run, *args) -> dict:
    return json.loads(run(*args, "--format", "json").stdout)[0]


def html_of(run, tmp_path: Path, *args) -> tuple[str, object]:
    import html5lib

    out = tmp_path / "doc.html"
    run("print", *args, "-o", out)
    text = out.read_text("utf-8")
    return text, html5lib.parse(text, namespaceHTMLElements=False)


def by_id(tree, ident: str) -> str:
    el = tree.find(f".//*[@id='{ident}']")
    assert el is not None, f"no element #{ident}"
    return " ".join("".join(el.itertext()).split())


def shown(amount) -> str:
    """An amount as a Greek document prints it (office.yaml einvoice.locale el_GR): 1.008,86."""
    return f"{Decimal(str(amount)):,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def day(iso: str) -> str:
    """A date as a Greek document prints it: 25/11/2026."""
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def line_rows(tree) -> list[list[str]]:
    return [
        [" ".join("".join(td.itertext()).split()) for td in tr.findall("td")]
        for tr in tree.findall(".//table[@id='lines']/tbody/tr")
        if "line" in tr.get("class", "")
    ]


# -- HTML: every mandatory field, the figures of `show` ----------------------------


def test_invoice_html_holds_what_an_eu_invoice_must(run, tmp_path):
    inv = show(run, "invoice", "show", "INV-A-0002")
    text, tree = html_of(run, tmp_path, "invoice", "2")
    seller, buyer = by_id(tree, "seller"), by_id(tree, "buyer")
    for part in SELLER:
        assert part in seller
    assert "ΔΟΥ / Tax office: ΦΑΕ Αθηνών" in seller and "ΓΕΜΗ / Business reg.: 123456701000" in seller
    bill = inv["bill_to"]
    for key in ("name", "address", "vat_number"):
        assert bill[key] in buyer
    assert by_id(tree, "number") == "INV-A-0002"
    assert by_id(tree, "date") == day(inv["date"]) and by_id(tree, "due") == day(inv["due"])
    assert line_rows(tree) == [
        [l["sku"], l["name"], str(l["qty"]), "τεμ.", shown(l["price"]), f"{l['vat']}%", shown(l["net"])]
        for l in inv["lines"]
    ]
    vat_rows = [
        [" ".join("".join(td.itertext()).split()) for td in tr.findall("td")]
        for tr in tree.findall(".//table[@id='vat']/tbody/tr")
    ]
    assert vat_rows == [
        [f"{rate}%", f"{shown(v['net'])} €", f"{shown(v['vat'])} €"] for rate, v in inv["vat"].items()
    ]
    assert by_id(tree, "net") == f"{shown(inv['net'])} €"
    assert by_id(tree, "vat-total") == f"{shown(sum(Decimal(v['vat']) for v in inv['vat'].values()))} €"
    assert by_id(tree, "gross") == f"{shown(inv['gross'])} €" == "1.008,86 €"
    terms = by_id(tree, "terms")
    assert "30" in terms and day(inv["due"]) in terms and "GR16 0110 1250 0000 0001 2300 695" in terms
    assert '<meta charset="utf-8">' in text and "ΤΙΜΟΛΟΓΙΟ" in by_id(tree, "title")
    assert tree.find(".//*[@id='mark']") is None
    assert 'src="data:image/svg+xml;base64,' in text  # the logo, embedded


def test_an_invoice_shows_the_buyer_as_billed_not_as_edited_since(run, tmp_path):
    before, _ = html_of(run, tmp_path, "invoice", "2")
    run("customer", "edit", "CUS-A-0004", "--address", "Οία, 847 02 Σαντορίνη")
    after, _ = html_of(run, tmp_path, "invoice", "2")
    assert before == after and "Φηρά" in after


def test_credit_note_names_the_invoice_it_corrects(run, tmp_path):
    crn = show(run, "invoice", "show", "INV-A-0004")
    _, tree = html_of(run, tmp_path, "credit-note", "CRN-A-0001")
    corrects = by_id(tree, "corrects")
    assert "INV-A-0004" in corrects and day(crn["date"]) in corrects and "λάθος ΑΦΜ" in corrects
    assert by_id(tree, "number") == "CRN-A-0001" and by_id(tree, "date") == "18/11/2026"
    assert "ΠΙΣΤΩΤΙΚΟ" in by_id(tree, "title")
    assert by_id(tree, "gross") == f"{shown(crn['gross'])} €"
    assert [r[0] for r in line_rows(tree)] == [l["sku"] for l in crn["lines"]]
    assert crn["bill_to"]["vat_number"] in by_id(tree, "buyer")


def test_delivery_note_has_quantities_and_no_prices(run, tmp_path):
    order = show(run, "order", "show", "ORD-A-0012")
    text, tree = html_of(run, tmp_path, "delivery-note", "12")
    assert line_rows(tree) == [[l["sku"], l["name"], str(l["qty"])] for l in order["lines"]]
    assert by_id(tree, "pieces") == str(order["pieces"])
    assert by_id(tree, "date") == "25/11/2026" and "ACS 7300112999" in by_id(tree, "shipping")
    for line in order["lines"]:
        assert shown(line["price"]) not in text
    assert shown(order["gross"]) not in text and "€" not in text


@pytest.mark.parametrize(
    "ref,marked", [("QUO-A-0005", "DRAFT"), ("QUO-A-0004", None), ("QUO-A-0003", "EXPIRED")]
)
def test_quote_has_its_figures_and_a_draft_is_marked(run, tmp_path, ref, marked):
    quote = show(run, "quote", "show", ref)
    _, tree = html_of(run, tmp_path, "quote", ref)
    assert by_id(tree, "gross") == f"{shown(quote['gross'])} €"
    assert by_id(tree, "net") == f"{shown(quote['net'])} €"
    assert [r[2:4] for r in line_rows(tree)] == [[str(l["qty"]), shown(l["price"])] for l in quote["lines"]]
    mark = tree.find(".//*[@id='mark']")
    if marked:
        assert mark is not None and marked in "".join(mark.itertext())
    else:
        assert mark is None
        assert by_id(tree, "valid-until") == day(quote["valid_until"])


@pytest.mark.parametrize("customer", ["CUS-A-0001", "CUS-A-0002", "CUS-A-0003", "CUS-A-0004", "CUS-A-0006"])
def test_statement_balance_is_what_customer_show_says_is_owed(run, tmp_path, customer):
    owed = show(run, "customer", "show", customer)["owed"]
    _, tree = html_of(run, tmp_path, "statement", customer)
    assert by_id(tree, "balance") == f"{shown(owed)} €"
    rows = line_rows(tree)
    if rows:
        assert rows[-1][-1] == shown(owed)


def test_statement_lists_invoices_payments_and_credits_with_a_running_balance(run, tmp_path):
    _, tree = html_of(run, tmp_path, "statement", "CUS-A-0004")
    rows = line_rows(tree)
    assert [r[1] for r in rows][:2] == ["INV-A-0002", "INV-A-0005"]
    assert [r[-1] for r in rows] == ["1.008,86", "2.009,54", "1.509,54", "1.000,68"]
    _, tree = html_of(run, tmp_path, "statement", "CUS-A-0006")  # invoiced, then credited
    rows = line_rows(tree)
    assert [r[1] for r in rows] == ["INV-A-0004", "CRN-A-0001"] and rows[-1][-1] == "0,00"
    _, tree = html_of(run, tmp_path, "statement", "CUS-A-0004", "--begin", "2026-11-10", "--end", "2026-12")
    assert by_id(tree, "opening").endswith("2.009,54")
    payments = line_rows(tree)  # payments by the invoice they pay, never by a ledger number
    assert [r[1] for r in payments] == ["INV-A-0002", "INV-A-0002"]
    assert all("TXN-" not in " ".join(r) for r in payments) and "(bank)" in payments[0][2]
    assert by_id(tree, "period") == "10/11/2026 – 30/11/2026"


def test_a_refund_after_a_paid_invoice_is_credited_is_on_the_statement(office, cli, tmp_path):
    cli("product", "add", "MUG-01", "--name", "Κούπα", "--price", "10.00")
    cli("stock", "receive", "MUG-01", "5", "--cost", "4.00")
    cli("customer", "add", "Μαρία", "--email", "m@example.gr")
    cli("order", "add", "--customer", "1", "MUG-01:2")
    for step in ("forward", "ship", "invoice"):
        cli("order", step, "1")
    cli("invoice", "pay", "1", "all")
    cli("invoice", "credit", "1", "--reason", "επιστροφή")
    owed = json.loads(cli("customer", "show", "1", "--format", "json").stdout)[0]["owed"]
    assert owed == "-24.80"  # the customer is owed a refund
    cli(
        "ledger",
        "post",
        "--ref",
        "INV-A-0001",
        "--control",
        "Επιστροφή χρημάτων",
        "Assets:Receivable",
        "24.80",
        "Assets:Bank",
    )
    assert json.loads(cli("customer", "show", "1", "--format", "json").stdout)[0]["owed"] == "0.00"
    out = tmp_path / "st.html"
    cli("print", "statement", "1", "-o", out)
    import html5lib

    tree = html5lib.parse(out.read_text("utf-8"), namespaceHTMLElements=False)
    kinds = [tr.get("class") for tr in tree.findall(".//table[@id='lines']/tbody/tr")][1:]
    assert kinds == ["line invoice", "line payment", "line credit-note", "line refund"]
    assert by_id(tree, "balance") == "0,00 €"


# -- templates as data -----------------------------------------------------------------


def test_a_company_template_overrides_the_package_one(run, sample, tmp_path):
    (sample / "templates" / "invoice.html").write_text(
        '{% extends "base.html" %}{% block body %}<p id="own">Δικό μας πρότυπο: '
        "{{ doc.gross | money }} {{ symbol }}</p>{% endblock %}",
        "utf-8",
    )
    res = run("print", "invoice", "2", "-o", tmp_path / "own.html")
    assert "layout templates/invoice.html" in res.stdout
    import html5lib

    tree = html5lib.parse((tmp_path / "own.html").read_text("utf-8"), namespaceHTMLElements=False)
    assert by_id(tree, "own") == "Δικό μας πρότυπο: 1.008,86 €"
    assert by_id(tree, "number") == "INV-A-0002"  # base.html still lays out the head
    assert run("doctor").exit_code == 0  # templates/ is a folder doctor knows


def test_a_broken_company_template_is_one_line_naming_the_file(run, sample, tmp_path):
    (sample / "templates" / "invoice.html").write_text("<p>\n{{ doc.gross | money }\n</p>", "utf-8")
    res = run("print", "invoice", "2", "-o", tmp_path / "x.html", code=1)
    assert res.stderr.count("\n") == 1 and "templates/invoice.html:2" in res.stderr
    assert not (tmp_path / "x.html").exists()
    (sample / "templates" / "invoice.html").write_text("{{ doc.no_such_field }}", "utf-8")
    res = run("print", "invoice", "2", "-o", tmp_path / "x.html", code=1)
    assert "no_such_field" in res.stderr and not (tmp_path / "x.html").exists()
    (sample / "templates" / "invoice.html").write_text("{{ doc.__class__.__mro__ }}", "utf-8")
    res = run("print", "invoice", "2", "-o", tmp_path / "x.html", code=1)  # sandboxed
    assert res.stderr.count("\n") == 1 and not (tmp_path / "x.html").exists()


# -- bad input: one line, exit 1, nothing written -----------------------------------------

BAD = [
    (("invoice", "99"), "no such invoice"),
    (("invoice", "CRN-A-0001"), "no such invoice"),
    (("credit-note", "INV-A-0001"), "no such credit note"),
    (("quote", "77"), "no such quote"),
    (("delivery-note", "ORD-A-0009"), "once the order has shipped"),
    (("delivery-note", "ORD-A-0003"), "once the order has shipped"),
    (("statement", "CUS-A-0099"), "no such customer"),
    (("statement", "4", "--begin", "2026-12", "--end", "2026-11"), "is not before"),
]


@pytest.mark.parametrize("args,match", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_is_one_line_and_writes_nothing(run, sample, tmp_path, args, match):
    before = snapshot(sample)
    out = tmp_path / "out.html"
    res = run("print", *args, "-o", out, code=1)
    assert match in res.stderr and res.stderr.count("\n") == 1, res.stderr
    assert not out.exists() and snapshot(sample) == before


def test_bad_output_files_are_refused_before_anything_is_rendered(run, sample, tmp_path):
    before = snapshot(sample)
    (tmp_path / "dir.pdf").mkdir()
    cases = [
        (tmp_path / "inv.docx", (), "writes .html or .pdf"),
        (tmp_path / "inv.pdf", ("--to", "html"), "but --to is html"),
        (tmp_path / "missing" / "inv.pdf", (), "no such folder"),
        (tmp_path / "dir.pdf", (), "is a folder"),
        (sample / "inv.html", (), "inside the records folder"),
    ]
    for path, extra, match in cases:
        res = run("print", "invoice", "1", *extra, "-o", path, code=1)
        assert match in res.stderr and res.stderr.count("\n") == 1, res.stderr
        assert not path.is_file()
    assert run("print", "invoice", "1", "--to", "docx", code=2).exit_code == 2  # click's usage error
    assert snapshot(sample) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.pdf", "records"]


def test_an_unwritable_output_folder_is_one_line_and_leaves_nothing(run, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        target = locked / "inv.html" if os.geteuid() != 0 else Path("/proc/officecli-inv.html")
        res = run("print", "invoice", "1", "-o", target, code=1)
        assert res.stderr.count("\n") == 1 and not target.exists()
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_html_goes_to_stdout_without_o(run):
    res = run("print", "invoice", "1")
    assert res.stdout.startswith("<!DOCTYPE html>") and "INV-A-0001" in res.stdout


# -- PDF: the same figures, Greek included; a reprint is the same bytes ---------------------


def test_invoice_pdf_has_the_figures_and_a_reprint_is_byte_for_byte_the_same(
    run, sample, tmp_path, monkeypatch
):
    inv = show(run, "invoice", "show", "INV-A-0002")
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    run("print", "invoice", "2", "-o", first)
    monkeypatch.setenv("OFFICECLI_NOW", "2027-03-01T10:00:00+02:00")  # months later
    run("invoice", "pay", "3", "all")  # the books moved on
    run("print", "invoice", "INV-A-0002", "--to", "pdf", "-o", second)
    assert first.read_bytes() == second.read_bytes()
    text = " ".join(pdftotext(first).split())
    info = subprocess.run(["pdfinfo", "-isodates", str(first)], capture_output=True, text=True).stdout
    assert re.search(r"CreationDate:\s+2026-11-02T", info) and re.search(r"ModDate:\s+2026-11-02T", info), (
        info
    )
    for want in (
        *SELLER,
        "ΤΙΜΟΛΟΓΙΟ",
        "INV-A-0002",
        day(inv["date"]),
        day(inv["due"]),
        inv["bill_to"]["name"],
        inv["bill_to"]["vat_number"],
        "Φηρά, 847 00 Σαντορίνη",
        "Πιάτο Ελιά 27cm",
        "813,60 €",
        "195,26 €",
        "1.008,86 €",
        "24%",
        "GR16 0110 1250 0000 0001 2300 695",
    ):
        assert want in text, want


@pytest.mark.slow
@pytest.mark.parametrize(
    "args,wants",
    [
        (
            ("credit-note", "1"),
            [
                "ΠΙΣΤΩΤΙΚΟ ΤΙΜΟΛΟΓΙΟ",
                "CRN-A-0001",
                "INV-A-0004",
                "Κατάστημα Πηλός & Φως",
                "563,00 €",
                "6,60 €",
                "Βάζο Αμφορέας",
            ],
        ),
        (("quote", "5"), ["ΠΡΟΣΦΟΡΑ", "QUO-A-0005", "DRAFT", "226,92 €", "Ελένη Κωνσταντίνου"]),
        (("delivery-note", "12"), ["ΔΕΛΤΙΟ ΑΠΟΣΤΟΛΗΣ", "ORD-A-0012", "Βάζο Κνωσός μικρό", "ACS 7300112999"]),
        (("statement", "4"), ["ΚΑΡΤΕΛΑ ΠΕΛΑΤΗ", "Ξενοδοχείο Αιγαίο Α.Ε.", "1.008,86", "1.000,68 €"]),
    ],
)
def test_every_kind_as_pdf_holds_its_figures(run, tmp_path, args, wants):
    out = tmp_path / "doc.pdf"
    run("print", *args, "-o", out)
    text = " ".join(pdftotext(out).split())
    for want in wants:
        assert want in text, want


@pytest.mark.slow
def test_a_credit_note_reprint_is_byte_for_byte_the_same(run, tmp_path, monkeypatch):
    run("print", "credit-note", "1", "-o", tmp_path / "a.pdf")
    monkeypatch.setenv("OFFICECLI_NOW", "2027-01-15T10:00:00+02:00")
    run("print", "credit-note", "1", "-o", tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


# -- company details: office.yaml ------------------------------------------------------


@pytest.mark.parametrize(
    "line,match",
    [
        ("  iban: GR17 0110 1250 0000 0001 2300 695", "company.iban"),
        ("  logo: ../outside.png", "company.logo"),
        ("  logo: templates/logo.gif", "company.logo"),
        ("  vat_number: [1, 2]", "company.vat_number"),
    ],
)
def test_company_details_are_checked(run, sample, tmp_path, line, match):
    text = (sample / "office.yaml").read_text("utf-8")
    key = line.split(":")[0]
    text = "\n".join(line if row.startswith(key + ":") else row for row in text.splitlines()) + "\n"
    (sample / "office.yaml").write_text(text, "utf-8")
    res = run("print", "invoice", "1", "-o", tmp_path / "x.html", code=1)
    assert match in res.stderr and res.stderr.count("\n") == 1
    assert match in run("doctor", code=1).stdout
    assert not (tmp_path / "x.html").exists()


def test_a_missing_logo_file_is_named(run, sample, tmp_path):
    (sample / "templates" / "logo.svg").unlink()
    res = run("print", "invoice", "1", "-o", tmp_path / "x.html", code=1)
    assert "company.logo: templates/logo.svg: no such file" in res.stderr


def test_init_writes_the_company_details_empty_and_print_leaves_them_out(cli, office, tmp_path):
    from tests.conftest import load

    company = load(office, "office.yaml")["company"]
    assert all(company[k] == "" for k in ("address", "vat_number", "iban", "logo"))
    cli("customer", "add", "Μαρία", "--email", "m@example.gr")
    cli("print", "statement", "1", "-o", tmp_path / "st.html")
    text = (tmp_path / "st.html").read_text("utf-8")
    assert "IBAN" not in text and "ΑΦΜ" not in text and "0,00 €" in text
