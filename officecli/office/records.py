"""One record: its file's text, its data, its kind and its state (= its folder).

``dump`` writes a record in schema order (history last); ``with_history``
appends one history entry to a file's text without rewriting a byte of what
was there, so comments and hand edits survive a handoff and its git diff is
the rename plus the new history lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from officecli.store import ids, yamlio

from . import clock, money
from .workflows import Kind

HISTORY_KEYS = ("at", "by", "action", "from", "to", "note")


@dataclass
class Record:
    kind: Kind
    id: str
    state: str
    path: str        # relative to the root
    data: dict

    @property
    def folder(self) -> str:
        return self.path.rpartition("/")[0]

    def get(self, key, default=None):
        return self.data.get(key, default)

    def as_row(self) -> dict:
        """The record for --format json/yaml: id and state first."""
        row = {"id": self.id, "state": self.state}
        row.update((k, v) for k, v in self.data.items() if k not in row)
        row.setdefault("id", self.id)
        return row


def ordered(kind: Kind, data: dict) -> dict:
    """Keys in schema order, unknown keys kept after the known ones, history last."""
    out = {k: data[k] for k in kind.fields if k in data and k != "history"}
    out.update((k, v) for k, v in data.items() if k not in out and k != "history")
    if "history" in data or "history" in kind.fields:
        out["history"] = data.get("history") or []
    return _plain(out)


def _plain(value):
    if isinstance(value, Decimal):
        return money.text(value) if value.as_tuple().exponent >= -2 else str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def dump(kind: Kind, data: dict) -> str:
    return yamlio.dumps(ordered(kind, data))


def history_entry(at: str, by: str, action: str, frm: str | None, to: str | None,
                  note: str | None = None) -> dict:
    entry = {"at": at, "by": by, "action": action, "from": frm, "to": to, "note": note}
    return {k: v for k, v in entry.items() if v not in (None, "")}


_HISTORY_LINE = re.compile(r"^history:[ \t]*(\[\])?[ \t]*(#.*)?$", re.M)
_ITEM_LINE = re.compile(r"^([ \t]*)- ", re.M)


def with_history(text: str, data: dict, entry: dict) -> str | None:
    """The file's text with one entry appended to its history, or None if that
    cannot be done by appending (history not the last key, odd layout): the
    caller then rewrites the file whole."""
    found = list(_HISTORY_LINE.finditer(text))
    if not found:
        return None
    head = found[-1]
    body = text[head.end():]
    item = yamlio.dumps([entry])
    if head.group(1):             # "history: []" -> "history:" + the first item
        new = text[: head.start()] + "history:" + (f" {head.group(2)}" if head.group(2) else "") + "\n" + item
        if body.strip():
            return None
    else:
        m = _ITEM_LINE.search(body)
        indent = m.group(1) if m else ""
        item = "".join(indent + line if line else line for line in item.splitlines(True))
        new = text if text.endswith("\n") else text + "\n"
        new += item
    try:
        parsed = yamlio.loads(new)
    except yamlio.YAMLError:
        return None
    expect = dict(data)
    expect["history"] = list(data.get("history") or []) + [entry]
    return new if parsed == expect else None


def _key_span(lines: list[str], key: str) -> tuple[int, int] | None:
    """Line range [start, end) of a top-level ``key:`` and the block below it."""
    for i, line in enumerate(lines):
        if line.startswith(f"{key}:"):
            j = i + 1
            while j < len(lines) and (lines[j][:1] in (" ", "\t") or lines[j].startswith("- ")):
                j += 1
            return i, j
    return None


def with_changes(text: str, data: dict, changes: dict) -> str | None:
    """The file's text with some top-level fields set (None removes one), every
    other line kept as written; None if that cannot be done by line edits."""
    lines = text.splitlines(True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    expect = dict(data)
    for key, value in changes.items():
        if key == "history":
            return None
        span = _key_span(lines, key)
        new = [] if value is None else yamlio.dumps({key: _plain(value)}).splitlines(True)
        if value is None:
            expect.pop(key, None)
        else:
            expect[key] = yamlio.loads("".join(new))[key]
        if span:
            lines[span[0]:span[1]] = new
        else:
            at = _key_span(lines, "history")
            pos = at[0] if at else len(lines)
            lines[pos:pos] = new
    out = "".join(lines)
    try:
        return out if yamlio.loads(out) == expect else None
    except yamlio.YAMLError:
        return None


def edit_text(kind: Kind, text: str, data: dict, changes: dict, entry: dict) -> str:
    """Apply field changes and one history entry to a file's text, keeping what a
    person wrote (comments, hand edits) wherever line edits can; otherwise the
    file is rewritten whole in schema order."""
    new = with_changes(text, data, changes) if changes else text
    if new is not None:
        merged = yamlio.loads(new)
        out = with_history(new, merged, entry)
        if out is not None:
            return out
    body = {k: v for k, v in {**data, **changes}.items() if v is not None}
    body["history"] = list(data.get("history") or []) + [entry]
    return dump(kind, body)


# -- validation (doctor and every read that must trust a field) --------------

def _type_ok(ftype: str, value, kind: Kind) -> str | None:
    """None when ``value`` fits ``ftype``, else what is wrong."""
    if ftype == "id":
        p = ids.parse_id(value) if isinstance(value, str) else None
        if not p:
            return f"{value!r} is not an ID like {kind.prefix}-A-0001"
        if kind.prefix and p[0] != kind.prefix:
            return f"{value!r} does not start with {kind.prefix}-"
        return None
    if ftype == "ref":
        return None if isinstance(value, str) and ids.parse_id(value) else f"{value!r} is not an ID"
    if ftype == "sku":
        return None if isinstance(value, str) and ids.NAME_RE.match(value) and ".." not in value \
            else f"{value!r} is not a SKU (letters, digits, '.', '_', '-')"
    if ftype in ("str", "text"):
        return None if isinstance(value, str) else f"{value!r} is not text"
    if ftype == "money":
        return None if isinstance(value, str) and money.is_money(value) \
            else f"{value!r} is not money written as a decimal string such as '12.50'"
    if ftype == "int":
        return None if isinstance(value, int) and not isinstance(value, bool) else f"{value!r} is not a whole number"
    if ftype == "rate":
        try:
            money.parse_rate(value)
            return None
        except Exception:
            return f"{value!r} is not a percentage"
    if ftype == "date":
        return None if clock.is_date(value) else f"{value!r} is not a date (YYYY-MM-DD)"
    if ftype == "datetime":
        return None if clock.is_datetime(value) else f"{value!r} is not a time with offset (ISO 8601)"
    if ftype == "month":
        try:
            clock.parse_month(value)
            return None
        except Exception:
            return f"{value!r} is not a month (YYYY-MM)"
    if ftype == "bool":
        return None if isinstance(value, bool) else f"{value!r} is not true or false"
    if ftype == "list":
        return None if isinstance(value, list) else "is not a list"
    if ftype == "map":
        return None if isinstance(value, dict) else "is not a mapping"
    if ftype == "history":
        if not isinstance(value, list):
            return "is not a list of entries"
        for i, entry in enumerate(value, 1):
            if not isinstance(entry, dict) or not {"at", "by", "action"} <= set(entry):
                return f"entry {i} lacks at, by or action"
            if not clock.is_datetime(entry["at"]):
                return f"entry {i}: at {entry['at']!r} is not a time with offset"
        return None
    return None


_MULTILINE = ("text", "list", "map", "history")   # types whose text may hold line breaks


def text_problem(ftype: str | None, value) -> str | None:
    """What is wrong with the characters of a value about to be written, or None.

    No control characters anywhere (a NUL, a bell, an escape); line breaks and
    tabs only in multi-line fields (``text``, and inside lists and maps), so a
    one-line field (a name, a description) stays one line in every listing and
    export."""
    import unicodedata

    if isinstance(value, str):
        allowed = "\n\r\t" if ftype in _MULTILINE else ""
        for ch in value:
            if ch not in allowed and unicodedata.category(ch) == "Cc":
                if ch in "\n\r":
                    return "must be one line (no line breaks)"
                return f"contains a control character (U+{ord(ch):04X})"
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            one_line = ftype == "history" and key != "note"
            problem = text_problem("str" if one_line else ftype, item)
            if problem:
                return f"{key}: {problem}"
        return None
    if isinstance(value, (list, tuple)):
        for item in value:
            problem = text_problem(ftype, item)
            if problem:
                return problem
    return None


# The items of the lists commands compute with: order, invoice, credit note and
# payroll lines, ledger postings. A key that is there must have its type.
_ITEM_LISTS = ("lines", "postings")
_ITEM_TYPES = {"sku": "sku", "qty": "int", "price": "money", "vat": "rate", "net": "money",
               "amount": "money", "salary": "money", "days": "int", "month_days": "int",
               "account": "str", "employee": "ref"}


def _items_ok(name: str, value, kind: Kind) -> str | None:
    for i, item in enumerate(value, 1):
        if not isinstance(item, dict):
            return f"item {i} is not a mapping of fields"
        for key, ftype in _ITEM_TYPES.items():
            if key in item and item[key] is not None:
                problem = _type_ok(ftype, item[key], kind)
                if problem:
                    return f"item {i}: {key}: {problem}"
    return None


def validate(kind: Kind, data) -> list[str]:
    """Schema problems, one ``field: problem`` each."""
    if not isinstance(data, dict):
        return ["the file is not a mapping of fields"]
    out = []
    for name, (ftype, required) in kind.fields.items():
        if name not in data or data[name] is None:
            if required:
                out.append(f"{name}: missing")
            continue
        problem = _type_ok(ftype, data[name], kind)
        if problem is None and ftype == "list" and name in _ITEM_LISTS:
            problem = _items_ok(name, data[name], kind)
        if problem:
            out.append(f"{name}: {problem}")
    return out
