"""Sealed periods: the folders of a closed period carry a seal of their files (docs/SEALS.md).

A *dated folder* is a state folder whose pattern has a ``{year}`` hole (and maybe a
``{month}``): ``back/ledger/2026/03``, ``back/stock/2026/03``,
``back/bank/matched/2026/03``, ``archive/orders/closed/2025``. Its period ends on the
last day of its month (or of its year, for a ``{year}`` folder). It lies in the closed
period when that day is on or before office.yaml's ``books.closed_through``
(office/periods.py).

- ``ledger close`` seals every dated folder of the closed period that has no seal yet
  (``seal_through``, inside the closing change: the seals are written with office.yaml,
  all or nothing).
- Every change officecli makes keeps the seals true (``amend``, called by
  ``Office.change`` before the commit): a file it writes, moves or removes in a
  sealed folder (the year's closing entry, a closed complaint reopened, a paid order
  whose payment is unmatched) updates that folder's seal in the same transaction, one
  line, never re-reading the other files. So a seal differs from its folder only where
  someone changed a file without officecli: that is what doctor and ``ledger check``
  name (office/checks/seals.py).
- Readers trust a sealed folder of the closed period (``trusted``): its summaries are
  kept under the seal file's stat (store/index.py), not the stat of each file.

The seal's format is store/seal.py's.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any, Callable

from officecli.store import seal
from officecli.store.errors import UserError

from . import periods
from .workflows import kinds

if TYPE_CHECKING:
    from officecli.store.txn import Transaction

Office = Any  # core imports this module: ``office`` is typed Any (no circle, see core.py)

_DATED: list[tuple[re.Pattern[str], bool]] | None = None


def _dated() -> list[tuple[re.Pattern[str], bool]]:
    """(a regex of a dated folder pattern, has a month) for every kind's dated states."""
    global _DATED
    if _DATED is None:
        out = []
        for kind in kinds().values():
            for pattern in kind.states.values():
                if "{year}" not in pattern:
                    continue
                rx = (
                    re.escape(pattern)
                    .replace(r"\{year\}", r"([0-9]{4})")
                    .replace(r"\{month\}", r"([0-9]{2})")
                )
                out.append((re.compile(rx + r"\Z"), "{month}" in pattern))
        _DATED = out
    return _DATED


def period_end(folder: str) -> date | None:
    """The last day of a dated folder's period (None: not a dated folder)."""
    for rx, monthly in _dated():
        m = rx.match(folder)
        if m is None:
            continue
        try:
            year = int(m.group(1))
            if not monthly:
                return date(year, 12, 31)
            month = int(m.group(2))
            nxt = date(year + month // 12, month % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        except ValueError:  # month 13: no period
            return None
    return None


def closed_through(office: Office) -> date | None:
    try:
        return periods.closed_through(office)
    except UserError:  # a bad line in office.yaml: nothing is trusted (doctor names it)
        return None


def trusted(office: Office) -> Callable[[str], bool]:
    """folder -> does it lie in the closed period (so its seal may stand for its files)?"""
    last: list[date | None] = []

    def closed(folder: str) -> bool:
        if not last:
            last.append(closed_through(office))
        end = period_end(folder) if last[0] is not None else None
        return end is not None and last[0] is not None and end <= last[0]

    return closed


def dated_folders(office: Office) -> list[str]:
    """Every dated folder that exists, sorted."""
    store = office.store
    out = set()
    for kind in kinds().values():
        for pattern in kind.states.values():
            if "{year}" in pattern:
                out.update(store.folders(pattern))
    return sorted(out)


def sealed_folders(office: Office) -> list[str]:
    """The dated folders of the closed period (the ones that should carry a seal)."""
    last = closed_through(office)
    if last is None:
        return []
    return [f for f in dated_folders(office) if (end := period_end(f)) is not None and end <= last]


def _path(folder: str) -> str:
    return f"{folder}/{seal.NAME}"


def _view(office: Office, txn: Transaction, folder: str) -> dict[str, seal.Entry]:
    """name -> (size, digest) of the folder's record files as they will be once ``txn`` commits."""
    full = str(office.store.path(folder))
    pending = {p.rpartition("/")[2] for p in txn.pending_paths() if p.rpartition("/")[0] == folder}
    out = {}
    try:
        on_disk = seal.names(full)
    except FileNotFoundError:
        on_disk = []
    for name in on_disk:
        rel = f"{folder}/{name}"
        if name not in pending and not txn.moved_away(rel):
            out[name] = seal.entry(office.store.guard.read_bytes(rel))
    for name in pending:
        text = txn.pending_text(f"{folder}/{name}")
        if _record_name(name) and text is not None and not txn.moved_away(f"{folder}/{name}"):
            out[name] = seal.entry(text.encode("utf-8"))
    return out


def _record_name(name: str) -> bool:
    return name.endswith(".yaml") and not name.startswith(".")


def _write(txn: Transaction, folder: str, entries: dict[str, seal.Entry]) -> None:
    text = seal.dumps(entries)
    rel = _path(folder)
    if txn.exists(rel):
        txn.replace(rel, text)
    else:
        txn.create(rel, text)


def seal_through(office: Office, txn: Transaction, last: date) -> list[str]:
    """Seal (inside ``txn``) every dated folder whose period ends on or before ``last``
    and that has no seal yet; returns the folders sealed. (``ledger close``.)"""
    done = []
    for folder in dated_folders(office):
        end = period_end(folder)
        if end is None or end > last or txn.exists(_path(folder)):
            continue
        _write(txn, folder, _view(office, txn, folder))
        done.append(folder)
    return done


def amend(office: Office, txn: Transaction) -> None:
    """Keep every seal true to what this change writes (``Office.change``, before its commit).

    For each folder the change writes, moves or removes a record file in: when it has a
    seal, the lines of those files are updated (the others stay as sealed: a file changed
    by hand stays named); a dated folder of the closed period without one is sealed."""
    touched: dict[str, set[str]] = {}
    last_op = {op.get("path"): op.get("op") for op in txn.ops}
    for op in list(txn.ops):
        for rel in (op.get("path"), op.get("src")):
            if isinstance(rel, str):
                folder, _, name = rel.rpartition("/")
                if folder and _record_name(name):
                    touched.setdefault(folder, set()).add(name)
    if not touched:
        return
    closed = trusted(office)
    for folder, names in sorted(touched.items()):
        rel = _path(folder)
        text = txn.pending_text(rel)
        try:
            if text is not None:
                entries = seal.loads(text)
            elif txn.exists(rel):
                entries = seal.loads(office.store.read_text(rel))
            elif closed(folder):
                _write(txn, folder, _view(office, txn, folder))
                continue
            else:
                continue
        except seal.BadSeal:
            continue  # a damaged seal stays as it is: doctor names it
        new = dict(entries)
        for name in names:
            path = f"{folder}/{name}"
            pending = txn.pending_text(path)
            if pending is not None and last_op.get(path) not in (None, "remove"):
                new[name] = seal.entry(pending.encode("utf-8"))
            else:
                new.pop(name, None)
        if new != entries:
            _write(txn, folder, new)
