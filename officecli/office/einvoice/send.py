"""Report invoices and credit notes to AADE (myDATA SendInvoices) over real HTTP.

Where to: office.yaml ``einvoice.url`` (AADE's REST API by default: URL below),
or an e-invoicing provider's endpoint, ``einvoice.provider.url``, that takes the
same InvoicesDoc and answers the same ResponseDoc. Who: the user id and
subscription key from ``$OFFICECLI_MYDATA_USER`` and ``$OFFICECLI_MYDATA_KEY``,
else from the YAML file ``einvoice.credentials`` names (``user_id:``,
``subscription_key:``; by default ~/.config/officecli/mydata.yaml), which must
lie outside the records folder: never in a record.

One record at a time, each its own change under the writer lock:

1. read the record again under the lock; one with a ΜΑΡΚ is never sent again;
2. its InvoicesDoc, validated against AADE's XSD (mydata.py); a credit note
   carries the ΜΑΡΚ of the invoice it corrects (5.1), so that invoice is
   reported first;
3. a marker ``.officecli/einvoice/<ID>.sending`` is written (and fsynced)
   before the request: a marker left by an earlier send that died (SIGKILL, a
   timeout, a 500) means AADE may have the record already, so before sending
   again we ask AADE (RequestTransmittedDocs) for what it holds and take the
   ΜΑΡΚ from there when it is there: an invoice is never sent twice;
4. POST, with a timeout; a timeout, a refused connection or an HTTP error
   raises ``UserError``: nothing is written, the record stays pending;
5. AADE's answer (ΜΑΡΚ, UID and QR URL, or each error with its code) is written
   on the record, ``mydata:``, with one history entry, in the same change; the
   marker goes after that change is committed.

A record AADE refused keeps its errors and stays pending (no ΜΑΡΚ): the next
``send`` tries it again.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from officecli.office.einvoice import facts, mydata
from officecli.office.records import Record
from officecli.store import fsio, guard
from officecli.store.errors import UserError
from officecli.store.tree import STATE_DIR

AADE_URL = "https://mydatapi.aade.gr/myDATA/SendInvoices"
CREDENTIALS = "~/.config/officecli/mydata.yaml"
TIMEOUT = 30.0


def target(office) -> str:
    conf = facts.settings(office)
    provider = conf.get("provider")
    if isinstance(provider, dict) and provider.get("url"):
        return str(provider["url"])
    return str(conf.get("url") or AADE_URL)


def credentials(office) -> tuple[str, str]:
    user = os.environ.get("OFFICECLI_MYDATA_USER", "").strip()
    key = os.environ.get("OFFICECLI_MYDATA_KEY", "").strip()
    if user and key:
        return user, key
    conf = facts.settings(office)
    named = conf.get("credentials")
    path = Path(os.path.expanduser(str(named or CREDENTIALS)))
    root = office.root.resolve()
    if path.exists() and (path.resolve() == root or root in path.resolve().parents):
        raise UserError(
            f"office.yaml: einvoice.credentials: {named}: inside the records folder, where every "
            "file is versioned; keep the myDATA key outside it"
        )
    if not path.is_file():
        raise UserError(
            "einvoice send: no myDATA credentials: set OFFICECLI_MYDATA_USER and OFFICECLI_MYDATA_KEY, "
            f"or write user_id and subscription_key into {path}"
        )
    from officecli.store import yamlio

    try:
        data = yamlio.loads(path.read_text("utf-8")) or {}
    except Exception as exc:
        raise UserError(f"{path}: not readable YAML ({exc})") from None
    user, key = str(data.get("user_id") or "").strip(), str(data.get("subscription_key") or "").strip()
    if not user or not key:
        raise UserError(f"{path}: user_id and subscription_key: both are needed")
    return user, key


def _request(url: str, headers: dict[str, str], data: bytes | None, timeout: float, what: str) -> bytes:
    req = urllib.request.Request(
        url, data=data, headers=headers, method="POST" if data is not None else "GET"
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.read()
    except urllib.error.HTTPError as exc:
        body = exc.read()[:200].decode("utf-8", "replace").strip()
        raise UserError(
            f"{what}: {url} answered HTTP {exc.code} {exc.reason}" + (f": {body}" if body else "")
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise UserError(f"{what}: {url}: no answer ({reason}); it stays pending") from None


def pending(office) -> list[Record]:
    """Invoices, then credit notes, without a ΜΑΡΚ, oldest first."""
    out = []
    for kind in ("invoice", "credit_note"):
        recs = [r for r in office.records(kind) if not _answer(r).get("mark")]
        out += sorted(recs, key=lambda r: (str(r.get("date")), r.id))
    return out


def _answer(rec: Record) -> dict[str, Any]:
    return rec.get("mydata") if isinstance(rec.get("mydata"), dict) else {}


MARKERS = f"{STATE_DIR}/einvoice"  # records-relative: one ``ID.sending`` per send under way
MARKER_CAP = 64 << 20  # the XML sent; a bigger file is not one officecli wrote


def _marker(office, rec: Record) -> Path:
    """The marker of a send under way, its folder checked by the path guard (a real
    folder inside the root, no link on the way): written by atomic replace, which never
    follows a link; read by ``guard.read_state`` (O_NOFOLLOW, regular files only)."""
    guard.Guard(office.root).folder(MARKERS)  # UnsafePath (one line) for a link or a file
    return office.root / MARKERS / f"{rec.id}.sending"


def _sending(office, rec: Record) -> bool:
    """Was a send of ``rec`` interrupted (its marker left behind)?"""
    return guard.read_state(office.root, f"einvoice/{rec.id}.sending", cap=MARKER_CAP) is not None


def _lookup(office, url: str, headers: dict[str, str], doc: dict, timeout: float) -> dict[str, str] | None:
    """What AADE holds for this document (RequestTransmittedDocs), or None."""
    from lxml import etree

    base = url.rsplit("/", 1)[0]
    query = urllib.parse.urlencode({"mark": "0"})
    data = _request(
        f"{base}/RequestTransmittedDocs?{query}", headers, None, timeout, f"{doc['id']}: asking AADE"
    )
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError:
        raise UserError(f"{doc['id']}: RequestTransmittedDocs answered something that is not XML") from None
    for inv in root.iter(f"{{{mydata.NS}}}invoice"):
        head = inv.find(f"{{{mydata.NS}}}invoiceHeader")
        if head is None:
            continue
        key = tuple(head.findtext(f"{{{mydata.NS}}}{k}") for k in ("series", "aa", "invoiceType"))
        if key == (doc["series"], doc["aa"], doc["type"]):
            return {
                "mark": inv.findtext(f"{{{mydata.NS}}}mark") or "",
                "uid": inv.findtext(f"{{{mydata.NS}}}uid") or "",
                "qr_url": inv.findtext(f"{{{mydata.NS}}}qrCodeUrl") or "",
            }
    return None


def send_one(office, ref: str, timeout: float = TIMEOUT) -> dict[str, Any]:
    """Report one record; its row: id, status (sent, refused, already, found), mark, errors."""
    url = target(office)
    user, key = credentials(office)
    headers = {"aade-user-id": user, "Ocp-Apim-Subscription-Key": key, "Content-Type": "application/xml"}
    with office.change():
        rec = office.find_any(ref)
        if rec is None or rec.kind.name not in ("invoice", "credit_note"):
            raise UserError(f"{ref}: no such invoice or credit note")
        rec = office.get(rec.kind.name, rec.id)
        if _answer(rec).get("mark"):
            return {"id": rec.id, "status": "already", "mark": _answer(rec)["mark"], "errors": ""}
        doc = facts.require(office, rec)
        data = mydata.xml(office, [rec])
        marker = _marker(office, rec)
        found = _lookup(office, url, headers, doc, timeout) if _sending(office, rec) else None
        if found and found["mark"]:
            status, answer = "found", {**found, "errors": ""}
        else:
            fsio.make_dirs(marker.parent)
            fsio.atomic_replace(marker, data)
            got = mydata.parse_response(_request(url, headers, data, timeout, f"{rec.id}: SendInvoices"))
            if len(got) != 1:
                raise UserError(
                    f"{rec.id}: AADE answered {len(got)} responses for one invoice; it stays pending"
                )
            answer = got[0]
            status = "sent" if answer["status"] == "Success" and answer["mark"] else "refused"
        errors = "; ".join(f"{c}: {m}" for c, m in answer.get("errors") or [])
        stored = {
            "status": "registered" if status != "refused" else str(answer.get("status") or "refused"),
            "mark": answer.get("mark") or None,
            "uid": answer.get("uid") or None,
            "qr_url": answer.get("qr_url") or None,
            "errors": errors or None,
            "sent": office.stamp(),
            "to": url,
        }
        changes: dict[str, Any] = {"mydata": {k: v for k, v in stored.items() if v}}
        if doc["corrects"] and doc["corrects"]["mark"] and not rec.get("corrects_mark"):
            changes["corrects_mark"] = doc["corrects"]["mark"]
        note = f"ΜΑΡΚ {stored['mark']}" if stored["mark"] else f"refused by AADE: {errors}"
        office.note(rec, "report", note, changes=changes)
        office.messages.append(f"{rec.kind.label} {rec.id} reported to myDATA")
    marker.unlink(missing_ok=True)
    return {"id": rec.id, "status": status, "mark": stored["mark"] or "", "errors": errors}
