"""Earlier names: a record renumbered (``officecli renumber``, sites/renumber.py) keeps
answering to the IDs it had, listed in its ``renumbered_from:``.

Every lookup by full ID (``Office.get``/``find_any``), ``order trace``, ``doctor``
and ``ledger check`` follow an earlier name through the tables here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from officecli.office import summaries
from officecli.office.records import Record
from officecli.store.errors import UserError

FIELD = "renumbered_from"
REFS = "renumbered_refs"


def aliases(office: Any, kind_name: str, readable_only: bool = False) -> dict[str, str]:
    """OLD -> NEW for every record of a kind that was renumbered (read from the records).

    ``readable_only``: skip a file that does not parse instead of refusing (a check
    such as ``ledger check`` reports that file itself and goes on)."""
    out: dict[str, str] = {}
    if not readable_only and summaries.usable(office):  # per folder, from the cache
        for folder in summaries.per_folder(office, kind_name, "aliases", _aliases_of):
            for old, new in folder.items():
                out.setdefault(old, new)
        return out
    if readable_only:
        kind = office.kind(kind_name)
        recs = []
        for state, rel in office.paths(kind):
            try:
                recs.append(office.load_path(kind, state, rel))
            except UserError:
                continue
    else:
        recs = office.records(kind_name)
    return _aliases_of(recs)


def _aliases_of(recs: Iterable[Record]) -> dict[str, str]:
    out: dict[str, str] = {}
    for rec in recs:
        for old in rec.data.get(FIELD) or []:
            if isinstance(old, str):
                out.setdefault(old, rec.id)
    return out


def follow(office: Any, kind_name: str, ident: str) -> str | None:
    """The record that was called ``ident`` before a renumber, or None."""
    return aliases(office, kind_name).get(ident)


def names(office: Any, kind_name: str, readable_only: bool = False) -> set[str]:
    """Every ID of a kind a reference may name: the files' and their earlier names."""
    return set(office.all_ids(kind_name)) | set(aliases(office, kind_name, readable_only))


def trace_links(office: Any, rec: Record) -> tuple[set[str], set[str]]:
    """(IDs that belong to ``rec``'s trace although they name it by an earlier ID,
    IDs that name ``rec.id`` but belong to a record renumbered away from it).

    An earlier name that no other record bears now is simply followed; where
    it is still another record's ID (two records shared it), only the records
    listed in ``renumbered_refs`` go with the renumbered one."""
    known = office.all_ids(rec.kind.name)
    mine = {old for old in rec.get(FIELD) or [] if isinstance(old, str) and old not in known}
    mine |= {r for r in rec.get(REFS) or [] if isinstance(r, str)}
    foreign: set[str] = set()
    for other in office.records(rec.kind.name):
        if other.id != rec.id and rec.id in (other.get(FIELD) or []):
            foreign |= {r for r in other.get(REFS) or [] if isinstance(r, str)}
    return mine, foreign
