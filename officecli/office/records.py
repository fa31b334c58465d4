"""One record: its file's text, its data, its kind and its state (= its folder).

``dump`` writes a record in schema order (history last); ``with_history``
appends one history entry to a file's text without rewriting a byte of what
was there, so comments and hand edits survive a handoff and its git diff is
the rename plus the new history lines.

``validate`` checks a parsed record against the field types and ranges its
kind declares in workflows.yaml (the Office runs it on every file it parses,
before the data is cached); ``text_problem`` refuses, before anything is
written, control characters, line breaks in one-line fields and invisible
format characters such as bidi overrides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from officecli.store import ids, yamlio

from . import clock, money
from .workflows import Kind

if TYPE_CHECKING:
    from .config import Config

HISTORY_KEYS = ("at", "by", "action", "from", "to", "note")


@dataclass
class Record:
    kind: Kind
    id: str
    state: str
    path: str  # relative to the root
    data: dict[str, Any]

    @property
    def folder(self) -> str:
        return self.path.rpartition("/")[0]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def where(self) -> str:
        """How an error names the record: 'order ORD-A-0001 (front/orders/open/ORD-A-0001.yaml)'."""
        return f"{self.kind.label} {self.id} ({self.path})"

    def as_row(self) -> dict[str, Any]:
        """The record for --format json/yaml: id and state first."""
        row = {"id": self.id, "state": self.state}
        row.update((k, v) for k, v in self.data.items() if k not in row)
        row.setdefault("id", self.id)
        return row


def ordered(kind: Kind, data: dict[str, Any]) -> dict[str, Any]:
    """Keys in schema order, unknown keys kept after the known ones, history last."""
    out = {k: data[k] for k in kind.fields if k in data and k != "history"}
    out.update((k, v) for k, v in data.items() if k not in out and k != "history")
    if "history" in data or "history" in kind.fields:
        out["history"] = data.get("history") or []
    return _plain(out)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        # cast: a Decimal written to a record is finite (money.q and parse_rate refuse others)
        return money.text(value) if cast(int, value.as_tuple().exponent) >= -2 else str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def dump(kind: Kind, data: dict[str, Any]) -> str:
    return yamlio.dumps(ordered(kind, data))


def history_entry(
    at: str,
    by: str,
    action: str,
    frm: str | None,
    to: str | None,
    note: str | None = None,
    site: str | None = None,
    key: str | None = None,
) -> dict[str, str]:
    """One history entry. ``site``: the site that wrote it (a clone of several sites:
    two entries of the same second at two sites stay two after a merge); ``key``: an
    automatic step's identity (kind of step, record, deadline): the same step taken by
    two sites is one entry after a merge (the merge driver keeps one per key)."""
    entry = {
        "at": at,
        "by": by,
        "site": site,
        "action": action,
        "from": frm,
        "to": to,
        "note": note,
        "key": key,
    }
    return {k: v for k, v in entry.items() if v not in (None, "")}


_HISTORY_LINE = re.compile(r"^history:[ \t]*(\[\])?[ \t]*(#.*)?$", re.M)
_ITEM_LINE = re.compile(r"^([ \t]*)- ", re.M)


def with_history(text: str, data: dict[str, Any], entry: dict[str, str]) -> str | None:
    """The file's text with one entry appended to its history, or None if that
    cannot be done by appending (history not the last key, odd layout): the
    caller then rewrites the file whole."""
    found = list(_HISTORY_LINE.finditer(text))
    if not found:
        return None
    head = found[-1]
    body = text[head.end() :]
    item = yamlio.dumps([entry])
    if head.group(1):  # "history: []" -> "history:" + the first item
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


def with_changes(text: str, data: dict[str, Any], changes: dict[str, Any]) -> str | None:
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
            lines[span[0] : span[1]] = new
        else:
            at = _key_span(lines, "history")
            pos = at[0] if at else len(lines)
            lines[pos:pos] = new
    out = "".join(lines)
    try:
        return out if yamlio.loads(out) == expect else None
    except yamlio.YAMLError:
        return None


def edit_text(
    kind: Kind, text: str, data: dict[str, Any], changes: dict[str, Any], entry: dict[str, str]
) -> str:
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


# -- validation (every read of a record, and doctor) ----------------------------
#
# Each field of each kind has a declared type in workflows.yaml (``money>=0``,
# ``int>0``, ``list>0``, ``vat``, ``account``, ``map:datetime``...). ``validate``
# checks a parsed record against them; ``Office`` runs it on every file it parses
# (before the data is cached), so no command computes with a value of the wrong
# type or out of range; doctor lists every problem. What other records say (does
# the customer exist?) is doctor's cross-record check, not this one.


@dataclass(frozen=True)
class Rules:
    """What office.yaml allows: VAT rates (charged now and former), offices, accounts."""

    rates: frozenset[Decimal] = frozenset()
    offices: frozenset[str] = frozenset({"front", "back"})
    accounts: frozenset[str] | None = None  # None: not checked


def rules_of(config: Config) -> Rules:
    """The Rules of an office's settings (``config.Config``)."""
    raw = config.raw if isinstance(config.raw, dict) else {}
    vat = raw.get("vat")
    if not isinstance(vat, dict):
        vat = {}
    rates = set()
    for r in list(vat.get("rates") or ["24"]) + list(vat.get("former") or []):
        try:
            rates.add(money.parse_rate(r))
        except Exception:
            pass
    offices = frozenset(config.departments) or frozenset({"front", "back"})
    return Rules(frozenset(rates), offices, frozenset(config.accounts))


_SPEC = re.compile(r"^([a-z_]+)(?::([a-z_]+))?(?:(>=|>|!=)(-?[0-9]+))?$")
_STRICT_MONEY = re.compile(r"^-?[0-9]{1,15}(\.[0-9]{1,2})?$")


@cache
def spec(ftype: str) -> tuple[str, str | None, str | None, int]:
    """``money>=0`` -> ('money', None, '>=', 0); ``list:str`` -> ('list', 'str', None, 0)."""
    m = _SPEC.match(ftype)
    if not m:
        return ftype, None, None, 0
    return m.group(1), m.group(2), m.group(3), int(m.group(4) or 0)


def base_type(ftype: str) -> str:
    return spec(ftype)[0]


def _is_money(value: object) -> bool:
    return isinstance(value, str) and _STRICT_MONEY.match(value) is not None


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_ok(ftype: str, value: Any, kind: Kind, rules: Rules | None = None) -> str | None:
    """None when ``value`` fits ``ftype`` (type and range), else what is wrong."""
    base, of, op, bound = spec(ftype)
    problem = _base_ok(base, of, value, kind, rules)
    if problem is None and op is not None:
        problem = _range_ok(base, value, op, bound)
    return problem


def _base_ok(base: str, of: str | None, value: Any, kind: Kind, rules: Rules | None) -> str | None:
    if base == "id":
        p = ids.parse_id(value) if isinstance(value, str) else None
        if not p:
            return f"{_short(value)} is not an ID like {kind.prefix}-A-0001"
        if kind.prefix and p[0] != kind.prefix:
            return f"{_short(value)} does not start with {kind.prefix}-"
        return None
    if base == "ref":
        return None if isinstance(value, str) and ids.parse_id(value) else f"{_short(value)} is not an ID"
    if base == "sku":
        return (
            None
            if isinstance(value, str) and ids.NAME_RE.match(value) and ".." not in value
            else f"{_short(value)} is not a SKU (letters, digits, '.', '_', '-')"
        )
    if base in ("str", "text"):
        return None if isinstance(value, str) else f"{_short(value)} is not text"
    if base == "money":
        return (
            None
            if _is_money(value)
            else f"{_short(value)} is not money written as a decimal string such as '12.50'"
        )
    if base == "cost":
        return (
            None
            if money.is_cost(value)
            else f"{_short(value)} is not a unit cost written as a decimal string such as '3.3333'"
        )
    if base == "int":
        return (
            None
            if isinstance(value, int) and not isinstance(value, bool)
            else f"{_short(value)} is not a whole number"
        )
    if base in ("rate", "vat"):
        try:
            rate = money.parse_rate(value)
        except Exception:
            return f"{_short(value)} is not a percentage"
        if base == "vat" and rules is not None and rules.rates and rate not in rules.rates:
            return f"{_short(value)} is not one of office.yaml's VAT rates ({', '.join(money.rate_text(r) for r in sorted(rules.rates))})"
        return None
    if base == "office":
        offices = rules.offices if rules is not None else frozenset({"front", "back"})
        return (
            None
            if isinstance(value, str) and value in offices
            else f"{_short(value)} is not an office ({' or '.join(sorted(offices))})"
        )
    if base == "account":
        if not isinstance(value, str):
            return f"{_short(value)} is not an account name"
        if rules is not None and rules.accounts is not None and value not in rules.accounts:
            return f"{_short(value)} is not an account of office.yaml's chart"
        return None
    if base == "date":
        return None if clock.is_date(value) else f"{_short(value)} is not a date (YYYY-MM-DD, 1900-2999)"
    if base == "datetime":
        return (
            None
            if clock.is_datetime(value)
            else f"{_short(value)} is not a time with offset (ISO 8601, 1900-2999)"
        )
    if base == "month":
        try:
            clock.parse_month(value)
            return None
        except Exception:
            return f"{_short(value)} is not a month (YYYY-MM, 1900-2999)"
    if base == "bool":
        return None if isinstance(value, bool) else f"{_short(value)} is not true or false"
    if base == "list":
        if not isinstance(value, list):
            return "is not a list"
        if of:
            for i, item in enumerate(value, 1):
                problem = _base_ok(of, None, item, kind, rules)
                if problem:
                    return f"item {i}: {problem}"
        return None
    if base == "map":
        if not isinstance(value, dict):
            return "is not a mapping"
        if of:
            for key, item in value.items():
                problem = _base_ok(of, None, item, kind, rules)
                if problem:
                    return f"{key}: {problem}"
        return None
    if base == "vat_split":
        if not isinstance(value, dict):
            return "is not a mapping of VAT rate to net and vat"
        for rate, split in value.items():
            problem = _base_ok("vat", None, rate, kind, rules)
            if problem:
                return f"rate {problem}"
            if not isinstance(split, dict):
                return f"{rate}: is not a mapping of net and vat"
            for part in ("net", "vat"):
                if not _is_money(split.get(part)):
                    return f"{rate}: {part}: {_short(split.get(part))} is not money written as a decimal string such as '12.50'"
        return None
    if base == "history":
        if not isinstance(value, list):
            return "is not a list of entries"
        for i, entry in enumerate(value, 1):
            if not isinstance(entry, dict) or not {"at", "by", "action"} <= set(entry):
                return f"entry {i} lacks at, by or action"
            if not clock.is_datetime(entry["at"]):
                return f"entry {i}: at {_short(entry['at'])} is not a time with offset (1900-2999)"
            for key in ("by", "action", "from", "to", "note"):
                if entry.get(key) is not None and not isinstance(entry[key], str):
                    return f"entry {i}: {key}: {_short(entry[key])} is not text"
        return None
    return None


_RANGE_TEXT = {">": "more than", ">=": "at least", "!=": "other than"}


def _range_ok(base: str, value: Any, op: str, bound: int) -> str | None:
    n: Decimal | int
    if base in ("money", "cost"):
        n = Decimal(value)
    elif base == "list":
        n = len(value)
    else:
        n = value
    ok = n > bound if op == ">" else n >= bound if op == ">=" else n != bound
    if ok:
        return None
    if base == "list":
        return "is empty" if bound == 0 else f"has {n} items, needs {_RANGE_TEXT[op]} {bound}"
    if op == ">=" and bound == 0:
        return f"{_short(value)} must not be negative"
    return f"{_short(value)} must be {_RANGE_TEXT[op]} {bound}"


def _items_ok(
    fields: dict[str, tuple[str, bool]], value: list[Any], kind: Kind, rules: Rules | None
) -> list[str]:
    out = []
    for i, item in enumerate(value, 1):
        if not isinstance(item, dict):
            out.append(f"item {i} is not a mapping of fields")
            continue
        for key, (ftype, required) in fields.items():
            if key not in item or item[key] is None:
                if required:
                    out.append(f"item {i}: {key}: missing")
                continue
            problem = _type_ok(ftype, item[key], kind, rules)
            if problem:
                out.append(f"item {i}: {key}: {problem}")
    return out


def validate(kind: Kind, data: Any, rules: Rules | None = None) -> list[str]:
    """Every field problem of one record, ``field: problem`` each (empty: valid)."""
    if not isinstance(data, dict):
        return ["the file is not a mapping of fields"]
    out = []
    for name, (ftype, required) in kind.fields.items():
        if name not in data or data[name] is None:
            if required:
                out.append(f"{name}: missing")
            continue
        value = data[name]
        problem = _type_ok(ftype, value, kind, rules)
        if problem:
            out.append(f"{name}: {problem}")
        elif name in kind.items and isinstance(value, list):
            out += [f"{name}: {p}" for p in _items_ok(kind.items[name], value, kind, rules)]
    return out


def references(kind: Kind, data: Any) -> list[tuple[str, str]]:
    """(field, ID) of every other record this one names (fields typed ref, list:ref,
    and refs inside list items): doctor checks that each exists."""
    if not isinstance(data, dict):
        return []
    out = []
    for name, (ftype, _) in kind.fields.items():
        base, of, _, _ = spec(ftype)
        value = data.get(name)
        if base == "ref" and isinstance(value, str):
            out.append((name, value))
        elif base == "list" and of == "ref" and isinstance(value, list):
            out += [(name, v) for v in value if isinstance(v, str)]
        elif name in kind.items and isinstance(value, list):
            for i, item in enumerate(value, 1):
                if isinstance(item, dict):
                    out += [
                        (f"{name}: item {i}: {key}", item[key])
                        for key, (t, _) in kind.items[name].items()
                        if spec(t)[0] == "ref" and isinstance(item.get(key), str)
                    ]
    return out


def text_problems(kind: Kind, data: Any) -> list[str]:
    """Characters no field may hold (doctor: a hand edit or an older version wrote them)."""
    if not isinstance(data, dict):
        return []
    out = []
    for name, value in data.items():
        ftype = "history" if name == "history" else kind.fields.get(name, ("text", False))[0]
        problem = text_problem(ftype, value)
        if problem:
            out.append(f"{name}: {problem}")
    return out


_MULTILINE = ("text", "list", "map", "history")  # types whose text may hold line breaks
# Invisible format characters (Unicode Cf) are refused: bidi overrides make
# "evil\u202etxt.exe" print as "evilexe.txt". Zero-width (non-)joiners are kept:
# Persian, the Indic scripts and emoji need them to be spelled right.
_KEEP_CF = {"\u200c", "\u200d"}


def text_problem(ftype: str | None, value: Any) -> str | None:
    """What is wrong with the characters of a value about to be written, or None.

    No control characters anywhere (a NUL, a bell, an escape) and no invisible
    format characters (bidi overrides, zero-width spaces: Unicode Cf, except the
    zero-width joiners scripts need); line breaks and tabs only in multi-line
    fields (``text``, and inside lists and maps), so a one-line field (a name, a
    description) stays one line in every listing and export."""
    import unicodedata

    base = base_type(ftype) if ftype else None
    if isinstance(value, str):
        if value.isprintable():  # no Cc, Cf (Unicode "Other") nor line or odd space
            return None
        allowed = "\n\r\t" if base in _MULTILINE else ""
        for ch in value:
            if ch in allowed:
                continue
            cat = unicodedata.category(ch)
            if cat == "Cc":
                if ch in "\n\r":
                    return "must be one line (no line breaks)"
                return f"contains a control character (U+{ord(ch):04X})"
            if cat == "Cf" and ch not in _KEEP_CF:
                return f"contains an invisible format character (U+{ord(ch):04X} {unicodedata.name(ch, '')})".replace(
                    " )", ")"
                )
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            one_line = base == "history" and key != "note"
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
