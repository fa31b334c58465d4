"""officecli print: the documents a customer holds, as HTML or PDF, from the records."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .app import App, pass_app
from .options import id_complete

SUFFIXES = {".html": "html", ".htm": "html", ".pdf": "pdf"}

TEMPLATES_HELP = """\
The layout is a Jinja2 template: officecli/templates/KIND.html in the
package, or the company's own file of the same name in the records folder's
templates/ (e.g. templates/invoice.html; it may {% extends "base.html" %}).
Company details (name, address, vat_number, tax_office, phone, email, bank,
iban, bic, logo) come from office.yaml's company: section. --to pdf renders
the same HTML with WeasyPrint (fonts: DejaVu Sans, for Greek and the euro
sign); the PDF is dated with the document's date, so printing an issued
invoice or credit note again gives the same bytes. Without -o the document
goes to stdout (a PDF only when stdout is not a terminal)."""


def _options(f):
    f = click.option(
        "-o",
        "--output",
        "output",
        metavar="FILE",
        help="Write to FILE (else stdout); its .html/.pdf suffix sets --to.",
    )(f)
    f = click.option(
        "--to", "to", type=click.Choice(["html", "pdf"]), default=None, help="html (default) or pdf."
    )(f)
    return f


@click.group("print")
def print_():
    """Print a quote, invoice, credit note, delivery note or statement (HTML or PDF).

    \b
    Examples:
      officecli print invoice 3 -o INV-A-0003.pdf
      officecli print quote 1 --to html > quote.html
      officecli print statement 4 -b 2026-11 -e 2026-12 -o statement.pdf
      officecli invoice list --state open --format ids | officecli print invoice - -o open.pdf
    """


def _target(app: App, to: str | None, output: str | None) -> tuple[str, Path | None]:
    """(format, path or None for stdout), checked before anything is rendered."""
    from officecli.store.errors import UserError

    if output is None:
        fmt = to or "html"
        if fmt == "pdf" and sys.stdout.isatty():
            raise UserError("--to pdf: a PDF is not for the terminal; give -o FILE.pdf (or redirect)")
        return fmt, None
    path = Path(output)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UserError(
            f"-o {output}: print writes .html or .pdf files, not {suffix or 'a file without a suffix'!s}"
        )
    if to is not None and SUFFIXES[suffix] != to:
        raise UserError(f"-o {output}: a {suffix} file, but --to is {to}")
    from officecli.cli import outfile

    outfile.target(app.office.root, output)
    return SUFFIXES[suffix], path


def _facturx_xml(app: App, doc: dict) -> bytes | None:
    """An invoice's or credit note's EN 16931 CII for a Factur-X PDF/A-3; None for other
    documents and when it cannot be one (no seller VAT number or address: said)."""
    if doc["kind"] not in ("invoice", "credit-note"):
        return None
    if doc.get("warnings"):
        app.warn(f"{doc['number']}: printed as a plain PDF, not a Factur-X e-invoice")
        return None
    from officecli.office.einvoice import cii, facts

    rec = app.office.get(doc["kind"].replace("-", "_"), doc["number"])
    return cii.cii(facts.document(app.office, rec))


def _write(app: App, doc: dict | list[dict], fmt: str, path: Path | None) -> None:
    """Write one document (an invoice or credit note as a Factur-X PDF), or several into
    one plain PDF (one Factur-X file holds one invoice), to ``path`` or stdout."""
    from officecli import printing

    office = app.office
    docs = doc if isinstance(doc, list) else [doc]
    doc = docs[0]
    for one in docs:
        for warning in one.get("warnings") or []:
            app.warn(warning)
    if fmt == "pdf" and len(docs) == 1:
        data = printing.pdf(doc, office.root, _facturx_xml(app, doc))
    elif fmt == "pdf":
        data = printing.pdf_all(docs, office.root)
    else:
        data = printing.html(doc, office.root).encode("utf-8")
    if path is None:
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", sys.stdout)
        out.write(data)
        out.flush()
        return
    from officecli.cli import outfile

    outfile.write(path, data)
    numbers = ", ".join(str(d["number"]) for d in docs)
    app.created(
        str(path),
        f"{doc['title_en'].lower()} {numbers} ({fmt}, {len(data)} bytes, "
        f"layout {printing.template_path(doc['kind'], office.root)})",
    )


SEVERAL = """\
Several IDs (or '-': the IDs on stdin, one a line, as --format ids prints them)
make one PDF of all the documents, each from a new page (-o FILE.pdf; a plain
PDF, since one Factur-X file holds one invoice), or one file per document named
after its number in a folder (-o FOLDER/, each invoice a Factur-X PDF)."""


def _several(app: App, kind: str, docs: list[dict], to: str | None, output: str | None) -> None:
    """More than one document: one PDF, or one file each in a folder."""
    from officecli.store.errors import UserError

    if output is not None and (output.endswith(("/", os.sep)) or Path(output).is_dir()):
        folder = Path(output)
        if not folder.is_dir():
            raise UserError(f"-o {output}: no such folder")
        suffix = f".{to or 'pdf'}"
        targets = [_target(app, to, str(folder / f"{d['number']}{suffix}")) for d in docs]
        for doc, (fmt, path) in zip(docs, targets):
            _write(app, doc, fmt, path)
        return
    fmt, path = _target(app, to or ("pdf" if output is None else None), output)
    if fmt != "pdf":
        raise UserError(
            f"print {kind}: {len(docs)} documents make one PDF (-o FILE.pdf) or one file "
            "each in a folder (-o FOLDER/), not one HTML page"
        )
    _write(app, docs, fmt, path)


def _command(kind: str, what: str, metavar: str, complete: str, examples: str, extra=None):
    def run(app: App, refs, to, output, begin=None, end=None):
        from officecli.office.front import documents

        from .options import read_ids

        refs = read_ids(refs)
        if not refs:
            raise click.UsageError(f"no {metavar} given (stdin was empty)")
        b = e = None
        if kind == "statement":
            from officecli.office.books import ledger

            b = ledger.parse_period(begin, "--begin") if begin is not None else None
            e = ledger.parse_period(end, "--end") if end is not None else None
        if len(refs) > 1:
            _several(app, kind, [documents.build(app.office, kind, r, b, e) for r in refs], to, output)
            return
        fmt, path = _target(app, to, output)
        _write(app, documents.build(app.office, kind, refs[0], b, e), fmt, path)

    run.__doc__ = f"{what}\n\n{TEMPLATES_HELP}\n\n{SEVERAL}\n\n\b\nExamples:\n{examples}"
    cmd = pass_app(run)
    for deco in reversed(extra or []):
        cmd = deco(cmd)
    cmd = _options(cmd)
    cmd = click.argument(
        "refs", nargs=-1, required=True, metavar=f"{metavar}...", shell_complete=id_complete(complete)
    )(cmd)
    return print_.command(kind)(cmd)


_command(
    "invoice",
    "Print an issued invoice: seller, buyer, lines, VAT per rate, totals, terms.\n\n"
    "Everything an EU/Greek invoice must carry: seller's and buyer's names, addresses and "
    "VAT numbers (the buyer as billed when issued), number and date, lines with quantity, "
    "unit price and VAT rate, net and VAT per rate, gross, payment terms, due date and IBAN.",
    "INVOICE",
    "invoice",
    "  officecli print invoice 3 -o INV-A-0003.pdf\n  officecli print invoice INV-A-0003 --to html > inv.html\n"
    "  officecli print invoice 3 4 5 -o invoices/",
)
_command(
    "credit-note",
    "Print a credit note, naming the invoice (number and date) it corrects.",
    "CREDIT_NOTE",
    "credit_note",
    "  officecli print credit-note 1 -o CRN-A-0001.pdf",
)
_command(
    "quote",
    "Print a quote with its prices, VAT and validity; a draft is marked DRAFT.",
    "QUOTE",
    "quote",
    "  officecli quote send 2 && officecli print quote 2 -o QUO-A-0002.pdf",
)
_command(
    "delivery-note",
    "Print the delivery note of a shipped order: lines and quantities, no prices.\n\n"
    "Dated the day the order shipped, with the shipping note (carrier, tracking number) "
    "and space for the receiver's signature.",
    "ORDER",
    "order",
    "  officecli print delivery-note 12 -o ORD-A-0012-delivery.pdf",
)
_command(
    "statement",
    "Print a customer's statement: invoices, credit notes, payments, refunds, balance.\n\n"
    "Every ledger entry on the customer's invoices (Assets:Receivable) in [--begin, --end), "
    "after an opening balance, with a running balance; without --end it ends on what "
    "'customer show' says the customer owes.",
    "CUSTOMER",
    "customer",
    "  officecli print statement 4 -o statement.pdf\n"
    "  officecli print statement CUS-A-0004 --begin 2026-11 --end 2026-12 --to html > nov.html",
    extra=[
        click.option(
            "-b",
            "--begin",
            metavar="DATE",
            help="First day (YYYY-MM-DD, YYYY-MM, YYYY, bom, -30d... docs/DAY.md).",
        ),
        click.option(
            "-e",
            "--end",
            metavar="DATE",
            help="Day after the last (exclusive, as in hledger; eom: the month's end).",
        ),
    ],
)
