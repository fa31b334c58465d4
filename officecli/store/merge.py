"""A three-way merge of one YAML mapping by field: what git's merge driver runs.

Two clones changed the same file since their common ancestor (BASE); OURS is
this clone's version, THEIRS the other's. ``merge`` returns the merged text and
the fields two sides really disagree on; it never writes conflict markers.

Step by step:

1. **Parse.** BASE, OURS and THEIRS are parsed with the text-keeping loader.
   An empty BASE (git gives one when the sides have no common ancestor) is an
   empty mapping. A side that is not valid YAML, or not a mapping, raises
   ``NotMergeable``: the caller leaves the file to git's line merge.
2. **Fields, three-way, each on its own.** For every top-level key:
   unchanged on both sides -> kept; changed (or added, or removed) on one
   side only -> that side's change; changed to the same value on both ->
   that value; changed to different values on both sides -> a *conflict*.
   A mapping changed on both sides is merged the same way key by key
   (``sites.B``); any other value - a list (order lines, tags), a text, a
   number - is one value: compared and taken whole.
3. **The history list** (``history=``, a list of mappings) is the union of
   both sides: entries are identified by ``entry_key`` (a tuple of keys,
   e.g. ``('at', 'by', 'action')``; the whole entry when None); an entry on
   either side is kept once; an entry that was in BASE and one side removed
   is removed; an entry both sides edited differently keeps ours' text and is
   a conflict. An entry carrying ``once_key`` (an automatic step's identity:
   kind of step, record, deadline) is identified by it alone: the same step
   taken at two sites is one entry, the earlier of the two (the same choice at
   every site). A list only one side changed is taken as that side has it
   (each entry once).
   The union is in time order: sorted by ``time_key`` parsed with its UTC
   offset (``+02:00`` and ``+03:00`` compare as instants; a time without an
   offset counts as UTC), stable, so entries of the same instant keep
   ours-then-theirs order. If any entry's time cannot be parsed, no sorting:
   ours' entries, then theirs' new ones.
4. **Conflicts** are recorded in the file itself, valid YAML, under a
   top-level ``conflicts:`` list (placed before the history list, else last),
   one entry per field::

       conflicts:
       - field: email                 # dotted for a nested key: sites.B
         ours: anna@example.gr        # the value kept in the field
         theirs: anna@example.com
         base: anna@old.example.gr

   The field itself keeps ours' value (or stays removed, if ours removed it).
   A side that has no value (it removed the field, or BASE did not have it)
   has no key in the entry. A ``conflicts:`` list already in the files is
   merged like a set (entries on either side kept once; one settled - removed
   - on one side stays removed) and the new entries are appended. Settling
   a conflict is: set the field, delete its entry (and the ``conflicts:`` key
   when it is empty). ``unsettled(data)`` names the open ones (doctor uses it).
5. **Text.** A person's comments and layout survive wherever line edits can
   express the result: the merged data is produced by editing OURS' text
   (then THEIRS') - replacing the lines of changed top-level fields, adding
   new ones before the history list, appending new history entries at the
   end of its block - and the edit is kept only if it parses back to exactly
   the merged data. A third candidate is both texts merged line by line
   above the history block (diff3's rule: changes at different places are
   both taken) with ours' history block below, edited the same way: it keeps
   both sides' comments. Of the candidates, the one that needs fewest blocks
   rewritten wins (line merge, then ours, then theirs on a tie), so "one side
   plus appended history entries" is that side's text with lines added at
   the end of its history. Otherwise the merged mapping is dumped in OURS' key order
   (keys only THEIRS has placed after the key that precedes them there).

Pure: no files, no git, no office words; fast to import (only yamlio).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from . import yamlio

Fields = dict[str, Any]  # a record's mapping as yamlio reads it
_Hunk = tuple[int, int, list[str]]  # base lines [i1, i2) replaced by these

CONFLICTS = "conflicts"
_ABSENT = object()


class NotMergeable(Exception):
    """A side is not a YAML mapping; ``side`` names it (base, ours, theirs)."""

    def __init__(self, side: str, why: str):
        super().__init__(f"{side}: {why}")
        self.side = side
        self.why = why


@dataclass
class Merged:
    text: str
    data: Fields
    conflicts: list[Fields] = field(default_factory=list)  # the new ones, as recorded
    kept_text_of: str | None = None  # whose lines were kept: "both" (the line merge),
    # "ours", "theirs"; None: dumped whole

    @property
    def clean(self) -> bool:
        return not self.conflicts


# -- parsing ------------------------------------------------------------------


def parse(text: str, side: str) -> Fields:
    if side == "base" and not text.strip():
        return {}
    try:
        data = yamlio.loads(text)
    except (yamlio.YAMLError, ValueError, RecursionError) as exc:
        line = yamlio.error_line(exc)
        raise NotMergeable(
            side, f"not valid YAML ({yamlio.error_text(exc)}" + (f", line {line})" if line else ")")
        ) from None
    if data is None and side == "base":
        return {}
    if not isinstance(data, dict):
        raise NotMergeable(side, "not a YAML mapping of fields")
    return data


# -- the merge of values ----------------------------------------------------------


def _three(path: str, b: Any, o: Any, t: Any, conflicts: list[Fields]) -> Any:
    """Merge one value; _ABSENT stands for "no such key". Returns the result."""
    if o == t:
        return o
    if o == b:
        return t
    if t == b:
        return o
    if isinstance(o, dict) and isinstance(t, dict):
        return _merge_maps(path + ".", b if isinstance(b, dict) else {}, o, t, conflicts)
    entry: Fields = {"field": path}
    for name, value in (("ours", o), ("theirs", t), ("base", b)):
        if value is not _ABSENT:
            entry[name] = value
    conflicts.append(entry)
    return o


def _merge_maps(
    prefix: str,
    base: Fields,
    ours: Fields,
    theirs: Fields,
    conflicts: list[Fields],
    skip: tuple[str, ...] = (),
) -> Fields:
    out: Fields = {}
    for key in _key_order(ours, theirs):
        if key in skip:
            continue
        value = _three(
            f"{prefix}{key}",
            base.get(key, _ABSENT),
            ours.get(key, _ABSENT),
            theirs.get(key, _ABSENT),
            conflicts,
        )
        if value is not _ABSENT:
            out[key] = value
    return out


def _key_order(ours: Fields, theirs: Fields) -> list[str]:
    """Ours' keys in ours' order; a key only theirs has goes after the key that
    precedes it in theirs (or first, if none does)."""
    # Linear in the keys (a record of 100,000 fields merges in a blink): each key only
    # theirs has hangs after the key before it in theirs (one key each, since every key
    # precedes at most one other), then the chains are walked from ours' keys.
    after: dict[object, str] = {}
    prev: object = None
    for key in theirs:
        if key not in ours:
            after[prev] = key
        prev = key
    order: list[str] = []

    def chain(key: object) -> None:
        while key in after:
            key = after[key]
            order.append(key)

    chain(None)
    for key in ours:
        order.append(key)
        chain(key)
    return order


def _instant(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _ident(entry: object, entry_key: tuple[str, ...] | None, once_key: str | None = None) -> tuple[str, ...]:
    if once_key and isinstance(entry, dict) and entry.get(once_key):
        return ("once", repr(entry.get(once_key)))
    if entry_key and isinstance(entry, dict):
        return ("k",) + tuple(repr(entry.get(k)) for k in entry_key)
    return ("v", yamlio.dumps(entry))


def _merge_entries(
    name: str,
    base: object,
    ours: object,
    theirs: object,
    entry_key: tuple[str, ...] | None,
    time_key: str | None,
    conflicts: list[Fields],
    once_key: str | None = None,
) -> list[Any]:
    """The union of two lists of entries (history, conflicts): see step 3."""
    base, ours, theirs = (v if isinstance(v, list) else [] for v in (base, ours, theirs))
    if ours == base or theirs == ours or theirs == base:  # changed on one side, or alike:
        kept = theirs if ours == base else ours  # as it is there, each entry once
        once = {_ident(e, entry_key, once_key): e for e in kept}
        return kept if len(once) == len(kept) else list(once.values())
    b = {_ident(e, entry_key, once_key): e for e in base}
    o = {_ident(e, entry_key, once_key): e for e in ours}
    t = {_ident(e, entry_key, once_key): e for e in theirs}
    out: list[Any] = []
    seen: set[tuple[str, ...]] = set()
    for ident, entry in [*o.items(), *t.items()]:
        if ident in seen:
            continue
        seen.add(ident)
        in_b, in_o, in_t = ident in b, ident in o, ident in t
        if ident[0] == "once" and in_o and in_t and o[ident] != t[ident]:
            # one automatic step taken at both sides: the earlier entry, the same at every site
            out.append(min(o[ident], t[ident], key=_earlier(time_key)))
            continue
        if in_b and not (in_o and in_t):
            other = o.get(ident, t.get(ident))
            if other == b[ident]:
                continue  # removed on one side, untouched on the other
        value = _three(
            f"{name} {_label(entry, entry_key)}",
            b.get(ident, _ABSENT),
            o.get(ident, _ABSENT),
            t.get(ident, _ABSENT),
            conflicts,
        )
        if value is not _ABSENT:
            out.append(value)
    if time_key:
        keyed = [_instant(e.get(time_key)) if isinstance(e, dict) else None for e in out]
        times = [k for k in keyed if k is not None]
        if len(times) == len(keyed):
            order = sorted(range(len(out)), key=lambda i: times[i])
            out = [out[i] for i in order]
    return out


def _earlier(time_key: str | None) -> Callable[[Any], tuple[bool, float, str]]:
    def key(entry: Any) -> tuple[bool, float, str]:
        when = _instant(entry.get(time_key)) if time_key and isinstance(entry, dict) else None
        return (when is None, when.timestamp() if when else 0.0, yamlio.dumps(entry))

    return key


def _label(entry: object, entry_key: tuple[str, ...] | None) -> str:
    if entry_key and isinstance(entry, dict):
        return " ".join(str(entry.get(k)) for k in entry_key)
    return "entry"


def merge(
    base_text: str,
    ours_text: str,
    theirs_text: str,
    *,
    history: str | None = "history",
    entry_key: tuple[str, ...] | None = None,
    time_key: str | None = "at",
    once_key: str | None = None,
) -> Merged:
    """The three-way merge of one mapping (see the module docstring)."""
    base = parse(base_text, "base")
    ours = parse(ours_text, "ours")
    theirs = parse(theirs_text, "theirs")
    found: list[Fields] = []
    special = tuple(k for k in (history, CONFLICTS) if k)
    fields = _merge_maps("", base, ours, theirs, found, skip=special)
    if history and any(history in side for side in (ours, theirs)):
        fields[history] = _merge_entries(
            history,
            base.get(history),
            ours.get(history),
            theirs.get(history),
            entry_key,
            time_key,
            found,
            once_key,
        )
    # the conflicts already recorded: a set; settled ones (removed on a side) stay settled
    old = _merge_entries(
        CONFLICTS, base.get(CONFLICTS), ours.get(CONFLICTS), theirs.get(CONFLICTS), None, None, []
    )
    recorded = old + [c for c in found if c not in old]
    data = {k: fields[k] for k in _key_order(ours, theirs) if k in fields}
    if recorded:
        data = _place(data, CONFLICTS, recorded, before=history)
    best: tuple[str, int, str] | None = None
    candidates: list[tuple[str, str | None]] = [
        ("both", _lines_of_both(base_text, ours_text, theirs_text, history)),
        ("ours", ours_text),
        ("theirs", theirs_text),
    ]
    for side_name, side_text in candidates:
        if side_text is None:
            continue
        side = ours if side_name == "ours" else theirs if side_name == "theirs" else _loads(side_text)
        edited = edit_text(side_text, side, data, history) if side is not None else None
        if edited is not None and (best is None or edited[1] < best[1]):
            best = (edited[0], edited[1], side_name)
    if best is not None:
        return Merged(best[0], data, found, best[2])
    return Merged(yamlio.dumps(data), data, found, None)


def _loads(text: str) -> Fields | None:
    try:
        data = yamlio.loads(text)
    except (yamlio.YAMLError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _place(data: Fields, key: str, value: Any, before: str | None) -> Fields:
    """``data`` with ``key`` set: where it is, else before ``before``, else last."""
    if key in data:
        return {**data, key: value}
    items = list(data.items())
    at = next((i for i, (k, _) in enumerate(items) if k == before), len(items))
    items.insert(at, (key, value))
    return dict(items)


# -- text edits that keep a person's lines ---------------------------------------------


def _key_span(lines: list[str], key: str) -> tuple[int, int] | None:
    """Line range [start, end) of a top-level ``key:`` and the block below it."""
    head = f"{key}:"
    for i, line in enumerate(lines):
        if line.startswith(head) and (line[len(head) : len(head) + 1] in ("", " ", "\t", "\n")):
            j = i + 1
            while j < len(lines) and (
                lines[j][:1] in (" ", "\t") or lines[j].startswith("- ") or lines[j] == "-\n"
            ):
                j += 1
            return i, j
    return None


def _dump_key(key: str, value: Any) -> list[str]:
    return yamlio.dumps({key: value}).splitlines(True)


def edit_text(text: str, side: Fields, data: Fields, history: str | None) -> tuple[str, int] | None:
    """``text`` (whose parsed form is ``side``) edited line by line into ``data``, with
    the number of top-level blocks rewritten (appended history entries rewrite none),
    or None when line edits cannot do it exactly (verified by parsing the result)."""
    if not isinstance(text, str) or not text.strip():
        return None
    lines = text.splitlines(True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if any(not isinstance(k, str) for k in (*side, *data)):
        return None
    rewritten = 0
    for key in list(side):
        if key not in data:
            span = _key_span(lines, key)
            if span is None:
                return None
            del lines[span[0] : span[1]]
            rewritten += 1
    for key, value in data.items():
        if key in side and side[key] == value:
            continue
        span = _key_span(lines, key)
        if key == history and key in side and span is not None:
            old = side[key] if isinstance(side[key], list) else []
            if isinstance(value, list) and value[: len(old)] == old and old:
                lines[span[1] : span[1]] = _items(lines[span[0] : span[1]], value[len(old) :])
                continue
        new = _dump_key(key, value)
        rewritten += 1
        if span is None and (key in side or not new[0].startswith(f"{key}:")):
            return None  # a key written some other way ('quoted': ...)
        if span is not None:
            lines[span[0] : span[1]] = new
        else:
            at = _key_span(lines, history) if history else None
            if at is None:
                conflicts_at = _key_span(lines, CONFLICTS) if key != CONFLICTS else None
                at = conflicts_at
            pos = at[0] if at else len(lines)
            lines[pos:pos] = new
    out = "".join(lines)
    try:
        return (out, rewritten) if yamlio.loads(out) == data else None
    except (yamlio.YAMLError, ValueError, RecursionError):
        return None


def _split(text: str, history: str | None) -> tuple[list[str], list[str]]:
    """(the lines before the history block, the block) when the history block is the
    last thing in the file; else (all lines, [])."""
    lines = text.splitlines(True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    span = _key_span(lines, history) if history else None
    if span is None or any(line.strip() for line in lines[span[1] :]):
        return lines, []
    return lines[: span[0]], lines[span[0] :]


def _hunks(base: list[str], side: list[str]) -> list[_Hunk]:
    from difflib import SequenceMatcher  # only when two sides' lines are merged

    ops = SequenceMatcher(None, base, side, autojunk=False).get_opcodes()
    return [(i1, i2, side[j1:j2]) for tag, i1, i2, j1, j2 in ops if tag != "equal"]


def _clash(h: _Hunk, k: _Hunk) -> bool:
    (i1, i2, _), (j1, j2, _) = h, k
    if i1 == i2 and j1 == j2:
        return i1 == j1  # two insertions at one place: which first?
    if i1 == i2:
        return j1 < i1 < j2
    if j1 == j2:
        return i1 < j1 < i2
    return i1 < j2 and j1 < i2


def merge_lines(base: list[str], ours: list[str], theirs: list[str]) -> list[str] | None:
    """A plain three-way merge of lines (diff3's rule: changes to different places are
    both taken); None when both sides changed the same place differently."""
    todo = sorted(
        [(h, 0) for h in _hunks(base, ours)] + [(h, 1) for h in _hunks(base, theirs)],
        key=lambda x: (x[0][0], x[0][1], x[1]),
    )
    out: list[str] = []
    at = 0
    taken: list[_Hunk] = []
    for hunk, _side in todo:
        if any(_clash(hunk, t) for t in taken):
            if any(hunk == t for t in taken):  # the same change on both sides: once
                continue
            return None
        taken.append(hunk)
    for i1, i2, lines in sorted(taken, key=lambda h: (h[0], h[1])):
        if i1 < at:
            return None
        out += base[at:i1] + lines
        at = i2
    return out + base[at:]


def _lines_of_both(base_text: str, ours_text: str, theirs_text: str, history: str | None) -> str | None:
    """The three texts merged line by line above the history block (so that both sides'
    comments and edits are kept), with ours' history block below; None if lines clash."""
    if not base_text.strip():
        return None
    (base, _), (ours, block), (theirs, _) = (_split(t, history) for t in (base_text, ours_text, theirs_text))
    head = merge_lines(base, ours, theirs)
    return None if head is None else "".join(head + block)


def _items(block: list[str], entries: list[Any]) -> list[str]:
    """New list items written with the indent the block's items already have."""
    indent = ""
    for line in block[1:]:
        stripped = line.lstrip(" ")
        if stripped.startswith("- ") or stripped == "-\n":
            indent = line[: len(line) - len(stripped)]
            break
    return [indent + line if line.strip() else line for line in yamlio.dumps(entries).splitlines(True)]


# -- what doctor asks ------------------------------------------------------------------------


def unsettled(data: object) -> list[str]:
    """One line per conflict a merge recorded in this mapping and nobody settled yet."""
    if not isinstance(data, dict) or not data.get(CONFLICTS):
        return []
    entries = data[CONFLICTS]
    if not isinstance(entries, list):
        return [f"{CONFLICTS}: left by a merge, not a list; settle the fields and delete it"]
    out: list[str] = []
    for entry in entries:
        if not isinstance(entry, dict):
            out.append(f"{CONFLICTS}: an entry that is not a mapping; settle it and delete it")
            continue
        sides = ", ".join(f"{k} {_short(entry[k])}" for k in ("ours", "theirs", "base") if k in entry)
        out.append(
            f"{CONFLICTS}: {entry.get('field')} was changed on both sides of a merge "
            f"({sides}); set it, then delete this entry from {CONFLICTS}:"
        )
    return out


def _short(value: object) -> str:
    text = value if isinstance(value, str) else yamlio.dumps(value).strip().replace("\n", " ")
    text = " ".join(str(text).split())
    return repr(text if len(text) <= 60 else text[:57] + "...")
