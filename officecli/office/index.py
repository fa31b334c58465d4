"""Indexes in the cache: which records name a customer, an order, an invoice; which
records changed on a day. So ``order list --customer``, ``customer show``, ``order
trace`` and ``report daily`` read only the records they print.

Both are per-folder summaries (store/index.py: stored with the stat of every file
of the folder and recomputed from the records when any of those changed, so they
are never wrong):

- ``links-<kind>``: ID -> the names of the folder's records that name it in
  ``customer`` or one of the fields ``order trace`` follows (``order``, ``ref``,
  ``invoice``, ``reverses``, ``purchase``, ID lists);
- ``days-<kind>``: YYYY-MM-DD -> the names of the folder's records with a
  ``created`` time, a ``date`` or a history entry written with that date (a stamp's own
  date: the caller widens a day by one on each side for offsets and checks the
  exact time in the office's zone).

Nothing is read from here inside an open change or by ``doctor``/``ledger check``
(``usable``): they read the files.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from officecli.store import ids

from . import summaries
from .records import Record
from .workflows import Kind

if TYPE_CHECKING:
    from .core import Office

usable = summaries.usable
FEW = 40


LINK_FIELDS = ("order", "ref", "invoice", "reverses", "purchase")


def folder_of(kind: Kind, state: str | None, at: str) -> str:
    """The folder a state means, with {year}/{month} filled from the time it moved there."""
    if not state or state not in kind.states:
        return state or ""
    return kind.folder(state, at[:4], at[5:7])


def can_link(kind: Kind) -> bool:
    """Can records of this kind name another record? (Kinds that cannot, such as
    employees, are not even read: a trace never opens private files it cannot need.)"""
    return any(name in LINK_FIELDS or ftype.startswith("list") for name, (ftype, _) in kind.fields.items())


_FIELDS: dict[str, tuple[Kind, list[tuple[str, bool]]]] = {}


def _link_fields(kind: Kind) -> list[tuple[str, bool]]:
    """(field, is_list) of the fields of a kind that can name a record (worked out once)."""
    hit = _FIELDS.get(kind.name)
    if hit is None or hit[0] is not kind:
        hit = _FIELDS[kind.name] = (
            kind,
            [
                (name, name not in LINK_FIELDS)
                for name, (ftype, _) in kind.fields.items()
                if name in LINK_FIELDS or ftype.startswith("list")
            ],
        )
    return hit[1]


def record_links(rec: Record) -> set[str]:
    """The IDs a record names in its link fields (order, ref, invoice, reverses, purchase, lists)."""
    out = set()
    for name, is_list in _link_fields(rec.kind):
        value = rec.get(name)
        if not is_list and isinstance(value, str):
            out.add(value)
        elif is_list and isinstance(value, list):
            out.update(v for v in value if isinstance(v, str) and ids.parse_id(v))
    return out


def _links(kind: Kind, data: dict[str, Any]) -> set[str]:
    out = record_links(Record(kind, "", "", "", data))
    if isinstance(data.get("customer"), str):
        out.add(data["customer"])
    return out


def _days(data: dict[str, Any]) -> set[str]:
    out = set()
    for key in ("created", "date"):
        if isinstance(data.get(key), str):
            out.add(data[key].strip()[:10])
    for entry in data.get("history") or []:
        if isinstance(entry, dict) and isinstance(entry.get("at"), str):
            out.add(entry["at"].strip()[:10])
    return out


def _table(office: Office, kind: Kind, what: str, folder: str) -> dict[str, list[str]]:
    store = office.store

    def compute(entries: list[tuple[str, Any]]) -> dict[str, list[str]]:
        table: dict[str, list[str]] = {}
        for rel, _ in entries:
            data = store.load(rel)
            if not isinstance(data, dict):
                data = store.parse(rel, store.read_text(rel))
            if not isinstance(data, dict):
                continue
            name = rel.rpartition("/")[2][: -len(".yaml")]
            for key in _links(kind, data) if what == "links" else _days(data):
                table.setdefault(key, []).append(name)
        return table

    return store.summaries.get(f"{what}-{kind.name}", str(store.root), folder, compute)


def _lookup(
    office: Office, kind_name: str, what: str, keys: Iterable[str], states: Iterable[str] | None = None
) -> list[Record]:
    kind = office.kind(kind_name)
    keys = set(keys)

    def read() -> list[Record]:
        out = []
        store = office.store
        folders = [
            (state, folder)
            for state, pattern in kind.states.items()
            if states is None or state in states
            for folder in store.folders(pattern)
        ]
        store.summaries.prescan(str(store.root), [f for _, f in folders])
        for state, folder in folders:
            table = _table(office, kind, what, folder)
            names: set[str] = set()
            for key in keys:
                names.update(table.get(key, ()))
            size = store.summaries.size(str(store.root), folder)
            few = len(names) <= max(FEW, size // 40)  # cheaper parsed than the whole cache shard
            out += [
                office.load_path(kind, state, f"{folder}/{n}.yaml", cached=not few) for n in sorted(names)
            ]
        return out

    return office._unlocked(read)


def naming(
    office: Office, kind_name: str, targets: Iterable[str], states: Iterable[str] | None = None
) -> list[Record]:
    """The records of a kind (in the given states) that name any of ``targets``."""
    return _lookup(office, kind_name, "links", targets, states)


def on_days(
    office: Office, kind_name: str, days: Iterable[str], states: Iterable[str] | None = None
) -> list[Record]:
    """The records of a kind created, or with a history entry, stamped on one of ``days``."""
    return _lookup(office, kind_name, "days", days, states)


def related(office: Office, order: Record, kinds_: list[Kind]) -> list[Record]:
    """``trace.related`` from the index: every record (of ``kinds_``) that names the order,
    or names a record that does, or is named by the order as its invoice or quote, to a
    fixed point; only those records are read."""
    by_prefix = {k.prefix: k for k in kinds_}
    wanted: set[str] = set()
    frontier = {order.id} | {order.get(n) for n in ("invoice", "quote") if isinstance(order.get(n), str)}
    found: dict[str, Record] = {}
    while frontier:
        wanted |= frontier
        new: set[str] = set()
        for ident in frontier:  # a record whose own ID is wanted
            p = ids.parse_id(ident)
            if p and p[0] in by_prefix and ident not in found:
                kind = by_prefix[p[0]]
                where = office.places(kind, ident)
                if where:
                    # places() names files in the kind's state folders only
                    state = cast(str, kind.state_of(where[0].rpartition("/")[0]))
                    found[ident] = office.load_path(kind, state, where[0], cached=False)
                    new.add(ident)
        for k in kinds_:
            for rec in naming(office, k.name, frontier):
                if rec.id not in found and record_links(rec) & frontier:  # not by customer alone
                    found[rec.id] = rec
                    new.add(rec.id)
        frontier = new - wanted
    return list(found.values())
