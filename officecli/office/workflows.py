"""The workflow table (``workflows.yaml``) as Python objects.

A Kind is one sort of record: its states (a folder each), its handoffs
(verb, from, to) and its fields in schema order. Commands and doctor read
this one table; nothing else decides where a record lives.

``conflict_rule(kind)`` is the table's ``conflict_rules`` section: which state
wins when one record reached two states at two sites (office/sites/resolve.py).
"""

from __future__ import annotations

import marshal
import os
import re
import sys
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from officecli.store import yamlio
from officecli.store.errors import UserError

PRIVATE = ("back/hr",)  # mode 0700 folders, 0600 files: pay is private


@dataclass(frozen=True)
class Handoff:
    verb: str
    sources: tuple[str, ...]
    target: str
    command: str | None = None  # the command that takes this step, when not "<kind> <verb>"


@dataclass(frozen=True)
class Kind:
    name: str
    prefix: str | None
    key: str  # the field that names the file: id, sku, month
    office: str
    dated: str | None
    states: dict[str, str]  # state -> folder pattern
    handoffs: dict[str, Handoff]
    fields: dict[str, tuple[str, bool]] = field(default_factory=dict)  # name -> (type, required)
    items: dict[str, dict[str, tuple[str, bool]]] = field(default_factory=dict)  # list -> its items' fields

    @property
    def label(self) -> str:
        return self.name.replace("_", " ")

    def folder(self, state: str, year: str = "", month: str = "") -> str:
        return self.states[state].replace("{year}", year).replace("{month}", month)

    def state_of(self, folder: str) -> str | None:
        """The state whose folder pattern matches this folder (relative path)."""
        for state, pattern in self.states.items():
            if _pattern_re(pattern).match(folder):
                return state
        return None

    def handoff(self, verb: str) -> Handoff:
        return self.handoffs[verb]

    def verbs_from(self, state: str) -> list[str]:
        return [h.verb for h in self.handoffs.values() if state in h.sources]

    def known_field(self, name: str) -> bool:
        return name in self.fields


@cache
def _pattern_re(pattern: str) -> re.Pattern[str]:
    rx = re.escape(pattern).replace(r"\{year\}", "[0-9]{4}").replace(r"\{month\}", "[0-9]{2}")
    return re.compile(f"^{rx}$")


SECTIONS = ("conflict_rules",)  # top-level keys of workflows.yaml that are not kinds


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    """workflows.yaml, parsed; kept beside it as ``__pycache__/workflows.yaml.<tag>.marshal``
    the way Python keeps a module's byte code: used while the YAML's size and mtime are
    those it was made from, remade (where the folder is writable and byte code may be
    written) when they change. Every command reads the table; parsing it costs more
    than the rest of a small listing."""
    src = Path(__file__).with_name("workflows.yaml")
    st = src.stat()
    key = (st.st_size, st.st_mtime_ns)
    folder = (
        Path(sys.pycache_prefix + os.fspath(src.parent)) if sys.pycache_prefix else src.parent / "__pycache__"
    )
    kept = folder / f"workflows.yaml.{sys.implementation.cache_tag}.marshal"
    try:
        got_key, table = marshal.loads(kept.read_bytes())
        if tuple(got_key) == key and isinstance(table, dict):
            return table
    except (OSError, ValueError, EOFError, TypeError):
        pass
    table = yamlio.loads(src.read_text("utf-8"))
    if not sys.dont_write_bytecode:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = kept.with_name(f"{kept.name}.{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps((key, table)))
            os.replace(tmp, kept)
        except (OSError, ValueError):
            pass  # a read-only install: parsed each time, only slower
    return table


@dataclass(frozen=True)
class ConflictRule:
    """How a record that reached two states at two sites is settled (workflows.yaml)."""

    wins: dict[str, tuple[str, ...]] = field(default_factory=dict)  # winner -> states it beats
    earliest: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (action, fields): the earlier wins
    edits_from: str | None = None  # an edit made in this state...
    edits_into: tuple[str, ...] = ()  # ...is carried into a winner in these
    edits_fields: tuple[str, ...] = ()
    undo: dict[str, str] = field(default_factory=dict)  # verb -> what undoes it
    effects: tuple[str, ...] = ()  # verbs that move goods or money or issue a document
    stands: dict[str, tuple[str, ...]] = field(default_factory=dict)  # state -> effects true in it

    def earliest_for(self, name: str) -> str | None:
        """The action whose earlier entry decides field ``name`` (None: no rule)."""
        return next((action for action, fields in self.earliest if name in fields), None)

    def winner(self, a: str, b: str) -> str | None:
        """The state that wins of ``a`` and ``b`` (None: no rule decides)."""
        if b in self.wins.get(a, ()):
            return a
        if a in self.wins.get(b, ()):
            return b
        return None


@cache
def conflict_rule(kind_name: str) -> ConflictRule:
    spec = (_table().get("conflict_rules") or {}).get(kind_name) or {}
    edits = spec.get("edits") or {}
    return ConflictRule(
        wins={w: tuple(losers) for w, losers in (spec.get("wins") or {}).items()},
        earliest=tuple((e["action"], tuple(e["fields"])) for e in spec.get("earliest") or ()),
        edits_from=edits.get("from"),
        edits_into=tuple(edits.get("into") or ()),
        edits_fields=tuple(edits.get("fields") or ()),
        undo=dict(spec.get("undo") or {}),
        effects=tuple(spec.get("effects") or ()),
        stands={state: tuple(verbs) for state, verbs in (spec.get("stands") or {}).items()},
    )


@lru_cache(maxsize=1)
def kinds() -> dict[str, Kind]:
    table = _table()
    out = {}
    for name, spec in table.items():
        if name in SECTIONS:
            continue
        handoffs = {
            verb: Handoff(verb, tuple(h["from"]), h["to"], h.get("command"))
            for verb, h in (spec.get("handoffs") or {}).items()
        }
        fields = _fields(spec["fields"])
        items = {name: _fields(item) for name, item in (spec.get("items") or {}).items()}
        out[name] = Kind(
            name=name,
            prefix=spec.get("prefix"),
            key=spec.get("key", "id"),
            office=spec.get("office", "back"),
            dated=spec.get("dated"),
            states=dict(spec["states"]),
            handoffs=handoffs,
            fields=fields,
            items=items,
        )
    return out


def _fields(spec: dict[str, str]) -> dict[str, tuple[str, bool]]:
    """``name: type`` (``type!`` = required) -> name -> (type, required)."""
    return {name: (ftype.rstrip("!"), ftype.endswith("!")) for name, ftype in spec.items()}


def kind(name: str) -> Kind:
    return kinds()[name]


def by_prefix(prefix: str) -> Kind | None:
    for k in kinds().values():
        if k.prefix == prefix:
            return k
    return None


def all_folder_patterns() -> list[tuple[Kind, str, str]]:
    return list(_folder_patterns())


@lru_cache(maxsize=1)
def _folder_patterns() -> tuple[tuple[Kind, str, str], ...]:  # (asked once per file a merge brings)
    return tuple((k, state, pat) for k in kinds().values() for state, pat in k.states.items())


def kind_of_folder(folder: str) -> tuple[Kind, str] | None:
    """(kind, state) whose state folder ``folder`` is, or None."""
    for k, state, _ in all_folder_patterns():
        if k.state_of(folder) == state:
            return k, state
    return None


def is_private(rel: str) -> bool:
    """Is ``rel`` (records-relative) under a folder private to HR?"""
    return any(rel == p or rel.startswith(p + "/") for p in PRIVATE)


def known_folder(rel: str) -> bool:
    """Is ``rel`` a state folder or a folder on the way to one?"""
    if rel == "":
        return True
    for _, _, pattern in all_folder_patterns():
        if _pattern_re(pattern).match(rel):
            return True
        parts, want = rel.split("/"), pattern.split("/")
        if len(parts) < len(want) and _pattern_re("/".join(want[: len(parts)])).match(rel):
            return True
    return False


def unknown_kind(name: str) -> UserError:
    return UserError(f"unknown kind of record {name!r}")
