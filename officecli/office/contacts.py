"""Who the office deals with by name and address: customers (front) and suppliers (back).

Both keep the same contact fields, cleaned and checked the same way ('' means
'remove the field'; an email must look like one; a VAT number needs a letter or
digit), and the same duplicate guard: no two records of a kind share an email
(case-insensitive) or a VAT number (compared without spaces, dots, dashes or a
country prefix such as EL). Adding and editing end the same way too.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from officecli.office.records import Record
from officecli.store.errors import UserError

if TYPE_CHECKING:
    from officecli.office.core import Office

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def vat_key(text: object) -> str:
    s = re.sub(r"[^0-9A-Za-z]", "", str(text or "")).upper()
    return re.sub(r"^[A-Z]{2}(?=\d)", "", s)


def email_key(text: object) -> str:
    return str(text or "").strip().lower()


def clean(values: dict[str, Any]) -> dict[str, Any]:
    """Strip text; '' means 'remove the field'; check email and tags."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            continue
        if key == "tags":
            tags = []
            for t in value:
                t = str(t).strip()
                if not t:
                    raise UserError("--tag: a tag must not be empty")
                if t not in tags:
                    tags.append(t)
            out[key] = tags
            continue
        value = str(value).strip()
        if key == "email" and value and not _EMAIL_RE.match(value):
            raise UserError(f"--email {value!r}: not an email address")
        if key == "vat_number" and value and not vat_key(value):
            raise UserError(f"--vat-number {value!r}: no letters or digits in it")
        if key == "iban" and value:
            from stdnum import iban  # python-stdnum: checks the country's length and the check digits

            if not iban.is_valid(value):
                raise UserError(f"--iban {value!r}: not a valid IBAN (its check digits or length)")
            value = iban.compact(value)
        out[key] = value
    return out


def duplicate(
    office: Office, kind_name: str, email: object = None, vat_number: object = None, skip: str | None = None
) -> str | None:
    """Why this email or VAT number clashes with another record of the kind, or None.
    Emails compare case-blind, VAT numbers by their letters and digits alone; ``skip``
    is the record being edited."""
    e, v = email_key(email), vat_key(vat_number)
    if not e and not v:
        return None
    emails, vats = _keys(office, kind_name)
    for other in emails.get(e, []) if e else []:
        if other[0] != skip:
            return f"email {email} already belongs to {other[0]} {other[1]} ({other[2]})"
    for other in vats.get(v, []) if v else []:
        if other[0] != skip:
            return f"VAT number {vat_number} already belongs to {other[0]} {other[1]} ({other[2]})"
    return None


_Keys = tuple[dict[str, list[tuple[str, Any, str]]], dict[str, list[tuple[str, Any, str]]]]


def _keys(office: Office, kind_name: str) -> _Keys:
    """email key -> records, VAT key -> records (id, name, path) of a kind: read once per
    change (an import of 100,000 rows checks each against the others in linear time) and
    kept up to date by ``_remember`` as the change adds records; outside a change, now."""
    txn = office._txn
    memo: Any = getattr(office, "_contact_keys", None)
    if txn is not None and memo is not None and memo[0] is txn and kind_name in memo[1]:
        return memo[1][kind_name]
    emails: dict[str, list[tuple[str, Any, str]]] = {}
    vats: dict[str, list[tuple[str, Any, str]]] = {}
    for other in office.records(kind_name):
        _index_one(emails, vats, other)
    if txn is not None:
        if memo is None or memo[0] is not txn:
            memo = (txn, {})
            setattr(office, "_contact_keys", memo)  # noqa: B010  (one change's memo, see above)
        memo[1][kind_name] = (emails, vats)
    return emails, vats


def _index_one(emails: dict[str, list[Any]], vats: dict[str, list[Any]], rec: Record) -> None:
    item = (rec.id, rec.get("name"), rec.path)
    e, v = email_key(rec.get("email")), vat_key(rec.get("vat_number"))
    if e:
        emails.setdefault(e, []).append(item)
    if v:
        vats.setdefault(v, []).append(item)


def _remember(office: Office, rec: Record) -> None:
    """A record this change has just added: in the change's keys (``_keys``)."""
    memo: Any = getattr(office, "_contact_keys", None)
    if memo is not None and memo[0] is office._txn and rec.kind.name in memo[1]:
        emails, vats = memo[1][rec.kind.name]
        _index_one(emails, vats, rec)


def _forget_keys(office: Office, kind_name: str) -> None:
    """A record of the kind was edited: its keys are read again when next asked."""
    memo: Any = getattr(office, "_contact_keys", None)
    if memo is not None:
        memo[1].pop(kind_name, None)


def add(office: Office, kind_name: str, values: dict[str, Any]) -> Record:
    """A new record of the kind from cleaned ``values`` (its name required), under the guard."""
    label = office.kind(kind_name).label
    if not values.get("name"):
        raise UserError(f"{label} add: NAME must not be empty")
    with office.change():
        clash = duplicate(office, kind_name, values.get("email"), values.get("vat_number"))
        if clash:
            raise UserError(f"{label} {values['name']!r}: {clash}")
        data = {
            "id": office.new_id(kind_name),
            **{k: v for k, v in values.items() if v not in ("", [], None)},
        }
        rec = office.create(kind_name, data)
        _remember(office, rec)
        office.messages.append(f"{label} add {rec.id} {rec.get('name')}")
        return rec


def save_edit(office: Office, rec: Record, changes: dict[str, Any]) -> Record:
    """The end of an edit (inside the caller's change): the fields that really change
    (None removes one), refused when none does or when the guard finds a clash; one
    message '<kind> edit ID' and one history entry naming each change."""
    changes = {k: v for k, v in changes.items() if v != rec.get(k)}
    if not changes:
        raise UserError(f"{rec.where}: nothing changes (the values are already so)")
    clash = duplicate(office, rec.kind.name, changes.get("email"), changes.get("vat_number"), skip=rec.id)
    if clash:
        raise UserError(f"{rec.where}: {clash}")
    office.messages.append(f"{rec.kind.label} edit {rec.id}")
    said = []
    for key, value in changes.items():
        if value is None:
            said.append(f"{key} removed")
        else:
            said.append(f"{key} -> {', '.join(value) if isinstance(value, list) else value}")
    _forget_keys(office, rec.kind.name)
    return office.note(rec, "edit", "; ".join(said), changes=changes)
