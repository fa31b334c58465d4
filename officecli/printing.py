"""Documents as HTML and PDF: the templates, the company's overrides, WeasyPrint.

Used by ``officecli print`` only (like ``render.py`` for listings). It lays
out a document dict built by ``officecli.office.front.documents`` -- it computes
no figure -- in three steps:

1. **template**: ``<kind>.html`` (``invoice.html``, ``credit-note.html``...)
   is looked up first in the records folder's ``templates/`` (a company's
   own layout, versioned with its records), then in the package's
   ``officecli/templates/``; a company template may ``{% extends
   "base.html" %}`` and override blocks. Jinja2 runs sandboxed with
   autoescape, and an undefined name is an error (one line naming the
   template file and line), so a company template can neither reach Python
   internals nor silently print nothing.
2. **HTML**: UTF-8, self-contained (the logo of ``company.logo`` is embedded
   as a data: URI), with nothing in it that depends on when it is printed.
3. **PDF**: WeasyPrint renders that same HTML (fonts: DejaVu Sans, which has
   Greek and the euro sign; Debian ``fonts-dejavu-core``), loading nothing
   but data: URIs (no network, no files). The PDF's creation
   and modification dates are the document's date (``dcterms.created`` /
   ``dcterms.modified`` and ``SOURCE_DATE_EPOCH`` for the embedded font
   subsets), so printing the same document twice, with the same templates,
   fonts and WeasyPrint, gives the same bytes.

Jinja2 and WeasyPrint are imported here, inside the functions, so no other
command pays for them at start-up.
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
from datetime import date, datetime, timezone
from pathlib import Path

from officecli.office import money
from officecli.store.errors import UserError

PACKAGE_TEMPLATES = Path(__file__).with_name("templates")
COMPANY_TEMPLATES = "templates"  # in the records folder
SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF"}
_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}


def template_name(kind: str) -> str:
    return f"{kind}.html"


def template_path(kind: str, root: Path) -> str:
    """Which file lays out this kind: the company's (relative to root) or the package's."""
    own = Path(root) / COMPANY_TEMPLATES / template_name(kind)
    return (
        f"{COMPANY_TEMPLATES}/{template_name(kind)}"
        if own.is_file()
        else f"(package) officecli/templates/{template_name(kind)}"
    )


def _company_folder(root: Path) -> Path | None:
    folder = Path(root) / COMPANY_TEMPLATES
    if not folder.is_dir():
        return None
    real_root = Path(root).resolve()
    for path in [folder, *folder.rglob("*")]:
        if real_root not in path.resolve().parents:
            raise UserError(
                f"{path.relative_to(root)}: a template must be a file inside the records "
                "folder (this one leads outside it)"
            )
    return folder


def _locale(ctx) -> str:
    doc = ctx.get("doc") if ctx is not None else None
    return str((doc or {}).get("locale") or "el_GR") if isinstance(doc, dict) else "el_GR"


def fmt_money(value, locale: str = "el_GR") -> str:
    """An amount as the locale writes it (el_GR: 1.234,56), through Babel."""
    if value in (None, ""):
        return ""
    from babel.numbers import format_decimal

    return format_decimal(money.parse(value), format="#,##0.00;-#,##0.00", locale=locale)


def fmt_day(value, locale: str = "el_GR") -> str:
    """An ISO date as the locale's short date with a four-digit year (el_GR: 07/12/2026)."""
    text = str(value or "")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    from babel.dates import format_date, get_date_format

    pattern = get_date_format("short", locale=locale).pattern
    pattern = re.sub(r"y+", "yyyy", re.sub(r"M+", "MM", re.sub(r"d+", "dd", pattern)))
    return format_date(day, pattern, locale=locale)


def qr_svg(url: str) -> str:
    """The QR code of a URL (myDATA's link to the reported invoice) as an SVG data: URI."""
    if not url:
        return ""
    import segno  # only a reported invoice's printout needs it

    return segno.make(url, error="m").svg_data_uri(scale=3, border=2)


def _environment(root: Path):
    import jinja2  # only print needs it
    from jinja2.sandbox import SandboxedEnvironment

    paths = [str(p) for p in (_company_folder(root), PACKAGE_TEMPLATES) if p is not None]
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(paths),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["money"] = jinja2.pass_context(lambda ctx, v: fmt_money(v, _locale(ctx)))
    env.filters["day"] = jinja2.pass_context(lambda ctx, v: fmt_day(v, _locale(ctx)))
    return env


def _logo(doc: dict, root: Path) -> str:
    rel = (doc.get("seller") or {}).get("logo") or ""
    if not rel:
        return ""
    path = Path(root) / rel
    if not path.is_file() or Path(root).resolve() not in path.resolve().parents:
        raise UserError(f"office.yaml: company.logo: {rel}: no such file in the records folder")
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"data:{_MIME[path.suffix.lower()]};base64,{data}"


def html(doc: dict, root: Path) -> str:
    """The document as one self-contained HTML page (UTF-8 text)."""
    import jinja2

    env = _environment(root)
    name = template_name(doc["kind"])
    try:
        template = env.get_template(name)
        return template.render(
            doc=doc,
            logo=_logo(doc, root),
            qr=qr_svg(((doc.get("einvoice") or {}).get("qr_url")) or ""),
            symbol=SYMBOLS.get(doc.get("currency", ""), doc.get("currency", "")),
        )
    except jinja2.TemplateSyntaxError as exc:
        raise UserError(f"{_where(exc.filename, root)}:{exc.lineno}: template error: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise UserError(f"{template_path(doc['kind'], root)}: template error: {exc}") from None


def _where(filename: str | None, root: Path) -> str:
    if not filename:
        return "template"
    path = Path(filename)
    with contextlib.suppress(ValueError):
        return str(path.relative_to(root))
    return f"officecli/templates/{path.name}"


@contextlib.contextmanager
def _source_date(day: date):
    """SOURCE_DATE_EPOCH = the document's day, for the time stamps inside embedded fonts."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(
        int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())
    )
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def _weasyprint():
    try:
        import logging

        import weasyprint  # heavy (and needs Pango): only print --to pdf loads it

        for name in ("weasyprint", "fontTools"):
            logging.getLogger(name).setLevel(logging.ERROR)
    except (ImportError, OSError) as exc:
        raise UserError(
            f"print --to pdf needs WeasyPrint and the Pango library ({exc}); "
            "pip install weasyprint, and on Debian: apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0 fonts-dejavu-core"
        ) from None
    return weasyprint


def _day(doc: dict) -> date:
    try:
        return date.fromisoformat(str(doc.get("date")))
    except ValueError:
        raise UserError(f"{doc.get('number')}: date {doc.get('date')!r} is not a date") from None


def pdf(doc: dict, root: Path, facturx_xml: bytes | None = None) -> bytes:
    """The same HTML rendered to PDF by WeasyPrint, stamped with the document's date.
    With ``facturx_xml`` (an invoice's or credit note's EN 16931 CII, validated): a
    Factur-X PDF/A-3 (PDF/A-3b from WeasyPrint, the XML attached as factur-x.xml
    with its XMP metadata by the factur-x package), dated the same way."""
    if facturx_xml is None:
        return pdf_all([doc], root)
    weasyprint = _weasyprint()
    day = _day(doc)
    with _source_date(day):
        page = weasyprint.HTML(string=html(doc, root), url_fetcher=_only_data(weasyprint))
        data = page.write_pdf(pdf_variant="pdf/a-3b")
    return _facturx(data, facturx_xml, doc, day)


def pdf_all(docs: list[dict], root: Path) -> bytes:
    """Several documents in one PDF, each starting on a new page, in the order given;
    stamped with the latest document's date (the same bytes when printed again)."""
    weasyprint = _weasyprint()
    with _source_date(max(_day(d) for d in docs)):
        if len(docs) == 1:
            return weasyprint.HTML(string=html(docs[0], root), url_fetcher=_only_data(weasyprint)).write_pdf()
        rendered = [
            weasyprint.HTML(string=html(d, root), url_fetcher=_only_data(weasyprint)).render() for d in docs
        ]
        pages = [page for r in rendered for page in r.pages]
        return rendered[0].copy(pages).write_pdf()


def _facturx(data: bytes, xml: bytes, doc: dict, day: date) -> bytes:
    """Attach the CII to the PDF/A-3 with the factur-x package, its clock set to the
    document's day (it stamps the XMP and the attachment with 'now'), so a reprint
    is the same bytes."""
    import facturx.facturx as fx  # only print --to pdf of an invoice loads it

    stamp = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)

    class _Day(datetime):
        @classmethod
        def now(cls, tz=None):
            return stamp

    real = fx.datetime
    fx.datetime = _Day  # type: ignore[misc]
    try:
        return fx.generate_from_binary(
            data,
            xml,
            flavor="factur-x",
            level="en16931",
            check_xsd=False,  # checked already, with the schematron (office/einvoice/xmlcheck.py)
            pdf_metadata={
                "author": doc["seller"].get("name", ""),
                "keywords": "Factur-X, EN 16931",
                "title": f"{doc['title_en']} {doc['number']}",
                "subject": f"{doc['title_en']} {doc['number']} of {doc['date']}, {doc['seller'].get('name', '')}",
            },
            lang="el-GR",
        )
    finally:
        fx.datetime = real


def _only_data(weasyprint):
    """A URL fetcher that loads data: URIs only: a document is self-contained, and a
    template can reach neither the network nor a file outside the page."""
    if hasattr(weasyprint, "URLFetcher"):
        return weasyprint.URLFetcher(allowed_protocols=("data",))

    def fetch(url, *args, **kwargs):  # WeasyPrint before URLFetcher
        if url.startswith("data:"):
            return weasyprint.default_url_fetcher(url, *args, **kwargs)
        raise ValueError(f"{url}: a document loads data: URIs only")

    return fetch
