"""A reader for the one YAML layout officecli writes, that declines everything else.

``yamlio.dumps`` writes one fixed block style: a mapping at column 0, ``key:
value`` lines, nested mappings indented by two, sequences as ``- `` lines
(at the key's column under a key), scalars plain, single-quoted, or literal
blocks (``|``, ``|-``, ``|+``), and ``[]`` / ``{}`` for empty collections.
``parse`` reads exactly that, line by line, several times faster than
PyYAML's constructor (which is three quarters of a cold parse), and returns
``DECLINE`` for anything it is not sure of; ``yamlio.loads`` then takes the
strict path (PyYAML's C loader and every check of yamlio.py). The answer is
therefore always the strict loader's answer: the same data, or the same
refusal from the strict path. Never a different one.

What it takes, and answers as the strict loader does:

* plain scalars on one line, resolved by the strict loader's own implicit
  resolvers (``Loader.yaml_implicit_resolvers``: YAML 1.1 less floats and
  timestamps): text stays text (``12.50``, ``2026-01-01``, ``0o12``, ``.5``),
  ``~``/``null``/empty are None, ``yes``/``no``/``on``/``off``/``true``/
  ``false`` are booleans, a plain whole number of at most 18 digits is an int;
* single-quoted scalars on one line (``''`` is a quote), double-quoted ones
  on one line without a backslash;
* literal blocks with clip, strip or keep chomping and no indentation
  indicator; whole-line comments and blank lines between entries.

What it declines (the strict path decides): any tab, carriage return,
non-printable character, byte-order mark or Unicode line separator; a text
not ending in a line break; flow collections other than ``[]``/``{}``;
anchors, aliases, tags, directives, document markers, complex keys, merge
keys; a key that is not text or is given twice; a whole number not written
plainly (``010``, ``1_000``, ``12:30``), a number with an exponent or not
finite; folded blocks, indentation indicators, scalars that go on over more
than one line; comments after a value; odd indentation; nesting deeper than
``MAX_DEPTH``; an empty document or one that is not a mapping.
"""

from __future__ import annotations

import re
from re import Pattern

from .yamlrules import PLAIN_INT as _PLAIN_INT
from .yamlrules import Loader

DECLINE = object()  # "not sure": the caller takes the strict path
MAX_DEPTH = 16  # the strict path refuses beyond yamlio.MAX_DEPTH (20); records nest 4

_ODD = re.compile("[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_BOOLS = {"yes": True, "no": False, "true": True, "false": False, "on": True, "off": False}


class _Decline(Exception):
    pass


_KEYS: set[str] = set()  # plain keys already found to be text (never a bool, number...)


_Resolvers = list[tuple[str, Pattern[str]]]


def _resolver_table() -> dict[str | None, _Resolvers]:
    table: dict[str | None, _Resolvers] = dict(
        Loader.yaml_implicit_resolvers
    )  # the strict loader's own: one truth
    return {k: table[None] + v for k, v in table.items()} if None in table else table


_resolvers = _resolver_table()
_scalars: dict[str, object] = {}  # plain text -> its value (or _Decline), for the ambiguous ones


def _plain(value: str) -> object:
    """A plain scalar's value as the strict loader constructs it (or _Decline)."""
    table = _resolvers
    resolvers = table.get(value[0])
    if resolvers is None:
        if None in table:  # a wildcard resolver: every value goes through it
            resolvers = table[None]
        else:
            return value
    hit = _scalars.get(value)
    if hit is None:
        hit = _resolve(value, resolvers)
        if len(_scalars) < 4096:
            _scalars[value] = hit
    if hit is _Decline:
        raise _Decline
    return hit


def _resolve(value: str, resolvers: _Resolvers) -> object:
    tag = _STR
    for candidate, regexp in resolvers:
        if regexp.match(value):
            tag = candidate
            break
    if tag == _STR:
        return value
    if tag == _NULL:
        return _NoneMark
    if tag == _BOOL:
        return _BOOLS[value.lower()]
    if tag == _INT and _PLAIN_INT.match(value):
        return int(value)
    return _Decline  # odd ints, numberish, merge, value: the strict path says


class _NoneMark:  # None cannot be a cache value meaning "missing"
    pass


def parse(text: str) -> object:
    """The data of a record as yamlio's strict loader returns it, or DECLINE."""
    if not text.endswith("\n") or "\t" in text or "\r" in text or _ODD.search(text):
        return DECLINE
    try:
        return _Parser(text.split("\n")).document()
    except (_Decline, RecursionError, IndexError):
        return DECLINE


class _Parser:
    __slots__ = ("lines", "i", "n")

    def __init__(self, lines: list[str]):
        lines.pop()  # the empty string after the last line break
        self.lines = lines
        self.n = len(lines)
        self.i = 0

    def document(self) -> dict[str, object]:
        j = self._next()
        if j is None or self.lines[j][:1] == " ":
            raise _Decline
        data = self._mapping(0, 0)
        if self._next() is not None or not data:
            raise _Decline
        return data

    def _next(self) -> int | None:
        """Index of the next line that is not blank or a whole-line comment (None: the end)."""
        lines, i, n = self.lines, self.i, self.n
        while i < n:
            line = lines[i]
            stripped = line.lstrip(" ")
            if stripped and stripped[0] != "#":
                self.i = i
                return i
            i += 1
        self.i = i
        return None

    def _mapping(self, indent: int, depth: int, out: dict[str, object] | None = None) -> dict[str, object]:
        if depth > MAX_DEPTH:
            raise _Decline
        out = {} if out is None else out
        lines, n, i = self.lines, self.n, self.i
        keys, plain, indicators = _KEYS, _plain, _INDICATORS
        while i < n:
            line = lines[i]
            stripped = line.lstrip(" ")
            if not stripped or stripped[0] == "#":
                i += 1
                continue
            ind = len(line) - len(stripped)
            if ind != indent:
                if ind < indent:
                    break
                raise _Decline
            # the common case inline: `key: 'text'` or `key: plain` on one line
            cut = stripped.find(": ")
            if cut > 0:
                key = stripped[:cut]
                if key in keys:
                    rest = stripped[cut + 2 :]
                    first = rest[:1]
                    if first == "'":
                        if rest[-1] == "'" and len(rest) > 1 and "'" not in rest[1:-1]:
                            if key in out:
                                raise _Decline
                            out[key] = rest[1:-1]
                            i += 1
                            continue
                    elif (
                        first
                        and first != " "
                        and first not in indicators
                        and rest[-1] != " "
                        and rest[-1] != ":"
                        and ": " not in rest
                        and " #" not in rest
                    ):
                        value = plain(rest)
                        if key in out:
                            raise _Decline
                        out[key] = None if value is _NoneMark else value
                        i += 1  # a deeper line next (a continuation) is refused below
                        continue
            key, rest = self._key(stripped)
            if key in out:
                raise _Decline
            if stripped[0] != "'" and len(keys) < 4096:
                keys.add(key)  # a plain key that reads as text (never a quoted one)
            self.i = i + 1
            out[key] = self._value(rest, indent, depth)
            i = self.i
        self.i = i
        return out

    def _key(self, content: str) -> tuple[str, str]:
        """(key, what follows ``key: ``) of an entry line; _Decline if it is not one."""
        if content[0] == "'":
            end = _closing_quote(content)
            key = content[1:end].replace("''", "'")
            after = content[end + 1 :]
            if after == ":":
                rest = ""
            elif after[:2] == ": ":
                rest = after[2:]
            else:
                raise _Decline
        else:
            if content[0] in _INDICATORS:
                raise _Decline
            cut = content.find(": ")
            if cut == -1:
                if content[-1] != ":":
                    raise _Decline
                key, rest = content[:-1], ""
            else:
                key, rest = content[:cut], content[cut + 2 :]
            if not key or key[-1] == " " or " #" in key or _plain(key) != key:
                raise _Decline  # a key that reads as a bool, number or null is not text
        if rest[:1] == " ":
            raise _Decline  # hand-aligned values: let the strict path read them
        return key, rest

    def _value(self, rest: str, indent: int, depth: int) -> object:
        """The value after ``key:`` of an entry of the mapping at ``indent``."""
        if rest:
            return self._inline(rest, indent)
        j = self._next()
        if j is None:
            return None
        line = self.lines[j]
        ind = len(line) - len(line.lstrip(" "))
        dash = line.startswith("- ", ind) or line.endswith("-") and len(line) == ind + 1
        if ind == indent and dash:
            return self._sequence(indent, depth + 1)
        if ind > indent:
            return self._sequence(ind, depth + 1) if dash else self._mapping(ind, depth + 1)
        return None

    def _sequence(self, indent: int, depth: int) -> list[object]:
        if depth > MAX_DEPTH:
            raise _Decline
        out: list[object] = []
        lines = self.lines
        while True:
            j = self._next()
            if j is None:
                return out
            line = lines[j]
            ind = len(line) - len(line.lstrip(" "))
            if ind < indent:
                return out
            if ind > indent:
                raise _Decline
            if not line.startswith("- ", ind):
                if len(line) == ind + 1 and line[ind] == "-":
                    raise _Decline  # "-" alone: its item on the lines below
                return out  # the next key of the mapping around an indentless list
            item = line[ind + 2 :]
            self.i = j + 1
            first = item[:1]
            if not first or first == " " or first == "#":
                raise _Decline
            if first == "-" and (item == "-" or item[1:2] == " "):
                raise _Decline  # a list in a list: "- - a"
            if self._is_entry(item):
                key, rest = self._key(item)
                entry = {key: self._value(rest, ind + 2, depth)}
                out.append(self._mapping(ind + 2, depth + 1, entry))
            else:
                out.append(self._inline(item, ind))

    @staticmethod
    def _is_entry(item: str) -> bool:
        """Does this item begin a mapping (``key: value``) rather than hold a scalar?"""
        if item[0] == "'":
            after = item[_closing_quote(item) + 1 :]
            if after == "":
                return False
            if after == ":" or after[:2] == ": ":
                return True
            raise _Decline
        if item[0] == '"':
            if not item.endswith('"') or item.count('"') != 2:
                raise _Decline
            return False
        return ": " in item or item[-1] == ":"

    def _inline(self, rest: str, indent: int) -> object:
        """A value written on the entry's own line (after ``key: `` or ``- ``)."""
        first = rest[0]
        if first == "'":
            if len(rest) < 2 or rest[-1] != "'":
                raise _Decline
            body = rest[1:-1]
            if "'" in body.replace("''", ""):
                raise _Decline
            return body.replace("''", "'")
        if first == '"':
            if len(rest) < 2 or rest[-1] != '"':
                raise _Decline
            body = rest[1:-1]
            if '"' in body or "\\" in body:
                raise _Decline
            return body
        if first == "|":
            return self._literal(rest, indent)
        if rest == "[]":
            return []
        if rest == "{}":
            return {}
        if first in _INDICATORS and not (first == "-" and rest[1:2] not in ("", " ")):
            raise _Decline
        if rest[-1] == " " or rest[-1] == ":" or ": " in rest or " #" in rest:
            raise _Decline
        self._no_continuation(indent)
        value = _plain(rest)
        return None if value is _NoneMark else value

    def _no_continuation(self, indent: int) -> None:
        """A plain scalar may go on over the next, more indented lines: not here."""
        i = self.i
        if i < self.n:
            line = self.lines[i]
            stripped = line.lstrip(" ")
            if stripped and len(line) - len(stripped) > indent and stripped[0] != "#":
                raise _Decline

    def _literal(self, header: str, indent: int) -> str:
        if header == "|":
            chomp = "clip"
        elif header == "|-":
            chomp = "strip"
        elif header == "|+":
            chomp = "keep"
        else:
            raise _Decline  # an indentation indicator, a comment: the strict path
        lines, n = self.lines, self.n
        i = self.i
        block = None
        body: list[str] = []
        while i < n:
            line = lines[i]
            if not line:
                body.append("")
                i += 1
                continue
            stripped = line.lstrip(" ")
            if not stripped:
                raise _Decline  # spaces only: how many count is PyYAML's to say
            ind = len(line) - len(stripped)
            if block is None:
                if ind <= indent:
                    break
                block = ind
            if ind < block:
                if stripped[0] == "#" or ind > indent:
                    raise _Decline  # a comment right after the block; odd indentation
                break
            body.append(line[block:])
            i += 1
        if block is None or body and not body[0]:
            raise _Decline  # no text; or blank lines before it
        self.i = i
        trailing = 0
        while body and not body[-1]:
            body.pop()
            trailing += 1
        text = "\n".join(body)
        if chomp == "strip":
            return text
        if chomp == "clip":
            return text + "\n"
        return text + "\n" * (trailing + 1)


def _closing_quote(text: str) -> int:
    """Index of the quote that closes the single-quoted scalar at text[0] ('' is a quote)."""
    i = 1
    while True:
        i = text.find("'", i)
        if i == -1:
            raise _Decline  # it goes on over the next line: the strict path
        if text[i + 1 : i + 2] != "'":
            return i
        i += 2
