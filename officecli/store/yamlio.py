"""YAML as officecli writes and reads it: a strict loader that takes nothing officecli never writes.

* The C loader and dumper are used where PyYAML has them (they are several
  times faster than the pure-Python ones); safe loading only.
* Loading never turns text into floats or dates: ``12.50`` stays the exact
  string ``'12.50'`` (money is Decimal, never float) and ``2026-11-02`` stays
  a string, so a value always round-trips as written.
* Dumping is block style, UTF-8 as written (Greek stays Greek), keys in the
  order given (the schema order), Decimal as a quoted decimal string, text
  with line breaks as a literal block, and text that could be read back as
  something else (``1e3``, ``.nan``, ``010``) in quotes.

What officecli never writes is refused with ``Refused`` (a ``YAMLError``
carrying the 1-based line): "not an officecli record".

1. Git conflict markers of any length at the start of a line (``<<<<<<<``,
   ``|||||||``, ``=======``, ``>>>>>>>``), before anything is parsed.
2. Anchors, aliases and tags (``&a``, ``*a``, ``!!str``), and nesting deeper
   than any record (``MAX_DEPTH``). These are found in the parser's events
   (C, lazily), before a single node is composed, so an alias bomb costs a
   scan of its own few bytes, never its expansion. The scan runs only when the
   text could hold them: it has ``&``, ``*`` or ``!``, many brackets or
   compact nested sequences, or is larger than any record (``SCAN_ABOVE``
   bytes); other texts go straight to the C loader.
3. While constructing (the one pass that builds the data): the same key twice
   in one mapping (a bad merge's two ``customer:`` lines; the last one would
   silently win), a merge key (``<<``), a key that is not text, a whole number
   of more than 18 digits or not written plainly (``0x1F``, ``010``,
   ``1_000``, ``1:30`` - YAML 1.1 reads those as other numbers), and a plain
   scalar that reads as a non-finite or exponent number (``.nan``, ``NaN``,
   ``.inf``, ``1e3``): quote it if it is text.
   The loader that does this (``Loader``, with ``Refused`` and ``MAX_DEPTH``)
   is in store/yamlrules.py, below this module and store/fastyaml.py, which
   both read its table; they are imported here under the same names.

Money written as the text ``'1e3'`` or ``'NaN'`` is text here; the record's
field types (office/records.py) refuse it where money is expected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import yaml

from .fastyaml import DECLINE as _DECLINE
from .fastyaml import parse as _fast
from .yamlrules import MAX_DEPTH as MAX_DEPTH
from .yamlrules import NUMBERISH, NUMBERISH_FIRST, NUMBERISH_RE
from .yamlrules import BaseLoader as _BaseLoader
from .yamlrules import Loader as Loader
from .yamlrules import Refused as Refused
from .yamlrules import line_of as _line

try:  # the C dumper when libyaml is present
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # pragma: no cover - pure Python fallback
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]

YAMLError = yaml.YAMLError

_CONFLICT = re.compile(r"^(?:<{7,}|\|{7,}|={7,}|>{7,})(?:[ \t]|\r?$)", re.M)

SCAN_ABOVE = 16384  # bytes: the largest records are a few KB


class Dumper(_BaseDumper):
    """Safe dumper: Decimal as a decimal string, multi-line text as a block."""

    def ignore_aliases(self, data: Any) -> bool:  # never write anchors or aliases
        return True


# text that the loader would refuse as a number is written in quotes
Dumper.add_implicit_resolver(NUMBERISH, NUMBERISH_RE, NUMBERISH_FIRST)


def _represent_str(dumper: Dumper, value: str) -> yaml.ScalarNode:
    if "\n" in value.rstrip("\n"):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_str(value)


Dumper.add_representer(Decimal, lambda dumper, value: dumper.represent_str(str(value)))
Dumper.add_representer(str, _represent_str)


def _needs_scan(text: str) -> bool:
    return (
        len(text) > SCAN_ABOVE
        or "&" in text
        or "*" in text
        or "!" in text
        or text.count("[") + text.count("{") > 2 * MAX_DEPTH
        or "- - " in text
        or "? " in text
    )


def _scan_events(text: str) -> None:
    """Refuse anchors, aliases, tags and deep nesting from the parser's events alone."""
    try:
        _check_events(yaml.parse(text, Loader=_BaseLoader))
    except yaml.MarkedYAMLError as exc:
        # PyYAML 6.0.4 and later stop deep flow nesting in the scanner itself
        if "nesting depth" not in str(exc.problem):
            raise
        raise Refused(f"nested more than {MAX_DEPTH} levels deep", error_line(exc)) from None


def _check_events(events: Iterable[yaml.Event]) -> None:
    depth = 0
    for event in events:
        if isinstance(event, yaml.AliasEvent):
            raise Refused(
                f"an alias (*{event.anchor}): officecli never writes anchors or aliases", _line(event)
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise Refused(f"an anchor (&{anchor}): officecli never writes anchors or aliases", _line(event))
        tag = getattr(event, "tag", None)
        if tag is not None and not isinstance(event, (yaml.DocumentStartEvent,)):
            raise Refused(f"a tag ({tag}): officecli never writes tags", _line(event))
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise Refused(f"nested more than {MAX_DEPTH} levels deep", _line(event))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.DocumentStartEvent) and event.tags:
            raise Refused("a %TAG directive: officecli never writes tags", _line(event))


def conflict_line(text: str) -> int | None:
    """The 1-based line of the first git conflict marker, or None."""
    m = _CONFLICT.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def loads(text: str) -> Any:
    """Parse one YAML document with the strict, text-keeping loader (see the module's rules).

    The layout officecli writes is read by store/fastyaml.py, which returns exactly what
    the strict loader would; anything it is not sure of takes the strict path."""
    line = conflict_line(text)
    if line is not None:
        raise Refused("a git conflict marker: merge the two versions by hand", line)
    data = _fast(text)
    if data is not _DECLINE:
        return data
    return strict_loads(text)


def strict_loads(text: str) -> Any:
    """``loads`` without the fast reader: PyYAML's C loader and every check above."""
    line = conflict_line(text)
    if line is not None:
        raise Refused("a git conflict marker: merge the two versions by hand", line)
    if _needs_scan(text):
        _scan_events(text)
    loader = Loader(text)
    try:
        return loader.get_single_data()
    except RecursionError:
        raise Refused(f"nested more than {MAX_DEPTH} levels deep") from None
    finally:
        loader.dispose()


def dumps(data: Any) -> str:
    """Dump data block style, keys in the given order, UTF-8 kept as written."""
    return yaml.dump(
        data,
        Dumper=Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )


def error_line(exc: Exception) -> int | None:
    """The 1-based line of a YAML error, where PyYAML knows it."""
    if isinstance(exc, Refused):
        return exc.line
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def error_text(exc: Exception) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return str(problem)
