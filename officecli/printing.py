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


TEMPLATE_CAP = 1 << 20  # a template or a logo bigger than this is not one a company wrote
RENDER_SECONDS = 10  # a document renders in well under a second; a planted loop never ends
RENDER_MEMORY = 512 << 20  # what rendering may take above what the process already holds
RANGE_CAP = 10_000  # range() in a template: a document has nowhere near this many lines
TEXT_CAP = 1_000_000  # "a" * n, a list * n in a template: at most this many items


def _company_file(root: Path, rel: str) -> bytes:
    """A file of the company's ``templates/`` (or its logo) through the path guard: real
    folders, a regular file read without following a link, one name only (no hard link
    to a file elsewhere, a pay file say), never under a private folder, size-capped."""
    from officecli.office.workflows import is_private
    from officecli.store import guard

    guard.check_rel(rel, "template")
    if is_private(rel):
        raise UserError(f"{rel}: private to HR: never part of a document")
    g = guard.Guard(root)
    st = g.file(rel)  # a link, a FIFO, a folder: refused, one line
    if st.st_nlink > 1:
        raise UserError(f"{rel}: has {st.st_nlink} hard links: a template or logo must be a file of its own")
    if st.st_size > TEMPLATE_CAP:
        raise UserError(f"{rel}: bigger than {TEMPLATE_CAP >> 20} MiB: not a template or logo")
    data = g.read_bytes(rel)
    if len(data) > TEMPLATE_CAP:
        raise UserError(f"{rel}: bigger than {TEMPLATE_CAP >> 20} MiB: not a template or logo")
    return data


def _company_loader(root: Path):
    """Jinja2's loader for the company's ``templates/``: every file through ``_company_file``."""
    import jinja2

    from officecli.store import guard

    class CompanyLoader(jinja2.BaseLoader):
        def get_source(self, environment, template):
            rel = f"{COMPANY_TEMPLATES}/{template}"
            try:
                g = guard.Guard(root)
                if not g.folder(COMPANY_TEMPLATES) or not g.lexists(rel):
                    raise jinja2.TemplateNotFound(template)
            except (guard.UnsafePath, FileNotFoundError):
                raise jinja2.TemplateNotFound(template) from None
            text = _company_file(root, rel).decode("utf-8")
            return text, str(Path(root) / rel), lambda: False

    return CompanyLoader()


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

    class Limited(SandboxedEnvironment):
        """The sandbox, with caps on what one expression may build (see RANGE_CAP, TEXT_CAP)."""

        intercepted_binops = frozenset(["*", "**"])

        def call_binop(self, context, operator, left, right):
            if operator == "**":
                raise jinja2.sandbox.SecurityError("** is not allowed in a template")
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > TEXT_CAP:
                    raise jinja2.sandbox.SecurityError(f"a value of more than {TEXT_CAP} items")
            return super().call_binop(context, operator, left, right)

    def capped_range(*args):
        r = range(*args)
        if len(r) > RANGE_CAP:
            raise jinja2.sandbox.SecurityError(f"range() of more than {RANGE_CAP} items")
        return r

    env = Limited(
        loader=jinja2.ChoiceLoader([_company_loader(root), jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES))]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["range"] = capped_range
    env.filters["money"] = jinja2.pass_context(lambda ctx, v: fmt_money(v, _locale(ctx)))
    env.filters["day"] = jinja2.pass_context(lambda ctx, v: fmt_day(v, _locale(ctx)))
    return env


def _logo(doc: dict, root: Path) -> str:
    rel = (doc.get("seller") or {}).get("logo") or ""
    if not rel:
        return ""
    suffix = Path(rel).suffix.lower()
    if suffix not in _MIME:
        raise UserError(f"office.yaml: company.logo: {rel}: a logo is a .png, .jpg or .svg file")
    try:
        raw = _company_file(Path(root), rel)
    except FileNotFoundError:
        raise UserError(f"office.yaml: company.logo: {rel}: no such file in the records folder") from None
    except UserError as exc:
        raise UserError(f"office.yaml: company.logo: {exc}") from None
    data = base64.b64encode(raw).decode("ascii")
    return f"data:{_MIME[suffix]};base64,{data}"


def html(doc: dict, root: Path) -> str:
    """The document as one self-contained HTML page (UTF-8 text), rendered within limits:
    at most RENDER_SECONDS and RENDER_MEMORY more memory (in a forked child where the
    system has fork), nested no deeper than Python's recursion limit."""
    return _limited(lambda: _render(doc, root), template_path(doc["kind"], root))


def _check_templates(root: Path) -> None:
    """No link anywhere under the company's ``templates/`` (nor ``templates/`` one itself)."""
    from officecli.store import guard

    if not guard.Guard(root).folder(COMPANY_TEMPLATES):  # (a link there: UnsafePath)
        return
    found = guard.find_links(Path(root) / COMPANY_TEMPLATES)
    if found:
        path, problem = found[0]
        raise UserError(f"{COMPANY_TEMPLATES}/{path}: {problem}")


def _render(doc: dict, root: Path) -> str:
    import jinja2

    _check_templates(root)
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
    except jinja2.sandbox.SecurityError as exc:
        raise UserError(f"{template_path(doc['kind'], root)}: too expensive a template: {exc}") from None
    except jinja2.TemplateError as exc:
        raise UserError(f"{template_path(doc['kind'], root)}: template error: {exc}") from None
    except RecursionError:
        raise UserError(
            f"{template_path(doc['kind'], root)}: template error: recursive (a macro or include "
            "that calls itself without end)"
        ) from None
    except MemoryError:
        raise UserError(
            f"{template_path(doc['kind'], root)}: too expensive a template: out of memory"
        ) from None
    except UnicodeDecodeError as exc:
        raise UserError(
            f"{template_path(doc['kind'], root)}: a template is not UTF-8 text (byte {exc.start})"
        ) from None


def _limited(render, where: str) -> str:
    """``render()`` in a forked child with a memory limit, waited for at most RENDER_SECONDS;
    its text, or its UserError, or one line when it was too expensive."""
    import pickle
    import select
    import signal
    import time

    if not hasattr(os, "fork"):
        return render()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render, send, leave (never back into the caller's code)
        os.close(r)
        try:
            import resource

            used = int(open("/proc/self/statm").read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
            limit = used + RENDER_MEMORY
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (OSError, ValueError, ImportError):
            pass
        try:
            try:
                result: tuple = ("ok", render())
            except UserError as exc:
                result = ("error", str(exc))
            except MemoryError:
                result = ("error", f"{where}: too expensive a template: out of memory")
            payload = pickle.dumps(result)
            with os.fdopen(w, "wb") as fh:
                fh.write(payload)
        except BaseException:
            pass
        os._exit(0)
    os.close(w)
    chunks = []
    deadline = time.monotonic() + RENDER_SECONDS
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise UserError(
                    f"{where}: too expensive a template: not rendered in {RENDER_SECONDS} s (a loop too long?)"
                )
            ready, _, _ = select.select([r], [], [], left)
            if ready:
                chunk = os.read(r, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(r)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    try:
        kind, value = pickle.loads(b"".join(chunks))
    except Exception:
        raise UserError(f"{where}: too expensive a template: rendering it failed (out of memory?)") from None
    if kind == "error":
        raise UserError(value)
    return value


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
