"""A local HTTP server that answers as AADE's myDATA REST API does (for the tests).

POST /myDATA/SendInvoices takes an InvoicesDoc and answers a ResponseDoc, as AADE's
documentation shows: per invoice its index and either invoiceUid, invoiceMark and
qrUrl with statusCode Success, or errors (code, message) with statusCode
ValidationError (or XMLSyntaxError, code 101, when the body fails the XSD).
GET /myDATA/RequestTransmittedDocs?mark=N answers a RequestedDoc with the
invoices registered after mark N (uid, mark, invoiceHeader, qrCodeUrl).

Every body it receives is validated against AADE's XSD and kept (``received``),
with what the validation said (``invalid``). ``mode`` sets the next answers:

    good      register and answer Success (the business rules below apply)
    refuse    answer ValidationError with ``errors`` [(code, message)]
    slow      register, then wait ``delay`` seconds before answering
    timeout   wait ``delay`` seconds, register nothing
    500       answer HTTP 500

The business rules it checks, as AADE does (error codes of AADE's documentation):
201 the issuer's VAT number is not the user's; 203 gross is not net + VAT;
207 the lines' net does not add up to the total net; 204 a 5.1 without
correlatedInvoices; 102 the user is unknown (HTTP 401 for a wrong key).
"""

from __future__ import annotations

import hashlib
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from lxml import etree

from officecli.office.einvoice import xmlcheck

NS = "http://www.aade.gr/myDATA/invoice/v1.0"
USER, KEY, VAT = "officecli-test", "s3cret-key", "801234567"


def _t(el, path):
    return el.findtext("/".join(f"{{{NS}}}{p}" for p in path.split("/"))) or ""


class Aade:
    def __init__(self):
        self.mode = "good"
        self.errors: list[tuple[str, str]] = []
        self.delay = 5.0
        self.received: list[bytes] = []
        self.invalid: list[list[str]] = []
        self.registered: list[dict] = []
        self.next_mark = 400001000000001
        self.arrived = threading.Event()
        self.lookups = 0
        aade = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _answer(self, code: int, body: bytes, ctype="application/xml"):
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _authorised(self) -> bool:
                if (
                    self.headers.get("aade-user-id") != USER
                    or self.headers.get("Ocp-Apim-Subscription-Key") != KEY
                ):
                    self._answer(
                        401,
                        b'{"statusCode":401,"message":"Access denied due to invalid subscription key."}',
                        "application/json",
                    )
                    return False
                return True

            def do_GET(self):
                url = urlparse(self.path)
                if url.path != "/myDATA/RequestTransmittedDocs":
                    return self._answer(404, b"not found", "text/plain")
                if not self._authorised():
                    return None
                aade.lookups += 1
                after = int(parse_qs(url.query).get("mark", ["0"])[0])
                return self._answer(200, aade.requested(after))

            def do_POST(self):
                if urlparse(self.path).path != "/myDATA/SendInvoices":
                    return self._answer(404, b"not found", "text/plain")
                if not self._authorised():
                    return None
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                aade.received.append(body)
                errors = xmlcheck.xsd_errors(body, "mydata")
                aade.invalid.append(errors)
                aade.arrived.set()
                mode = aade.mode
                if mode == "500":
                    return self._answer(500, b"Internal Server Error", "text/plain")
                if mode == "timeout":
                    time.sleep(aade.delay)
                    return None
                if errors:
                    return self._answer(200, aade.response([("XMLSyntaxError", [("101", errors[0])], None)]))
                answers = aade.handle(etree.fromstring(body), mode)
                if mode == "slow":
                    time.sleep(aade.delay)
                try:
                    self._answer(200, aade.response(answers))
                except (BrokenPipeError, ConnectionResetError):
                    pass
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/myDATA/SendInvoices"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    # -- AADE's side -------------------------------------------------------------
    def rules(self, inv) -> list[tuple[str, str]]:
        out = []
        if _t(inv, "issuer/vatNumber") != VAT:
            out.append(("201", "Author VAT number is not the same with User VAT number"))
        net = Decimal(_t(inv, "invoiceSummary/totalNetValue"))
        vat = Decimal(_t(inv, "invoiceSummary/totalVatAmount"))
        if Decimal(_t(inv, "invoiceSummary/totalGrossValue")) != net + vat:
            out.append(("203", "Gross Value doesn't match with sum of net value plus taxes"))
        lines = sum(
            (Decimal(r.findtext(f"{{{NS}}}netValue")) for r in inv.iter(f"{{{NS}}}invoiceDetails")),
            Decimal(0),
        )
        if lines != net:
            out.append(
                (
                    "207",
                    "The sum of net values of the invoice lines doesn't match with total net value of the invoice",
                )
            )
        if _t(inv, "invoiceHeader/invoiceType") == "5.1" and not _t(inv, "invoiceHeader/correlatedInvoices"):
            out.append(("204", "CorrelatedInvoices is mandatory for this invoice type"))
        return out

    def handle(self, doc, mode: str):
        answers = []
        for inv in doc.iter(f"{{{NS}}}invoice"):
            errors = list(self.errors) if mode == "refuse" else self.rules(inv)
            if errors:
                answers.append(("ValidationError", errors, None))
                continue
            head = [_t(inv, f"invoiceHeader/{k}") for k in ("series", "aa", "issueDate", "invoiceType")]
            key = "-".join(
                [_t(inv, "issuer/vatNumber"), head[2], _t(inv, "issuer/branch"), head[3], head[0], head[1]]
            )
            uid = hashlib.sha1(key.encode("utf-8")).hexdigest().upper()
            mark = self.next_mark
            self.next_mark += 1
            qr = f"https://mydata.aade.gr/TIMOLOGIO/Timologio?f=3&m={mark}&u={uid[:8]}"
            self.registered.append(
                {"mark": mark, "uid": uid, "qr": qr, "head": head, "issuer": _t(inv, "issuer/vatNumber")}
            )
            answers.append(("Success", None, (uid, mark, qr)))
        return answers

    @staticmethod
    def response(answers) -> bytes:
        root = etree.Element("ResponseDoc")
        for i, (status, errors, ok) in enumerate(answers, 1):
            r = etree.SubElement(root, "response")
            etree.SubElement(r, "index").text = str(i)
            if ok:
                uid, mark, qr = ok
                etree.SubElement(r, "invoiceUid").text = uid
                etree.SubElement(r, "invoiceMark").text = str(mark)
                etree.SubElement(r, "qrUrl").text = qr
            else:
                errs = etree.SubElement(r, "errors")
                for code, message in errors:
                    e = etree.SubElement(errs, "error")
                    etree.SubElement(e, "message").text = message
                    etree.SubElement(e, "code").text = code
            etree.SubElement(r, "statusCode").text = status
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    def requested(self, after: int) -> bytes:
        E = f"{{{NS}}}"
        root = etree.Element(E + "RequestedDoc", nsmap={None: NS})
        docs = etree.SubElement(root, E + "invoicesDoc")
        for reg in self.registered:
            if reg["mark"] <= after:
                continue
            inv = etree.SubElement(docs, E + "invoice")
            etree.SubElement(inv, E + "uid").text = reg["uid"]
            etree.SubElement(inv, E + "mark").text = str(reg["mark"])
            head = etree.SubElement(inv, E + "invoiceHeader")
            for name, value in zip(("series", "aa", "issueDate", "invoiceType"), reg["head"]):
                etree.SubElement(head, E + name).text = value
            etree.SubElement(inv, E + "qrCodeUrl").text = reg["qr"]
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
