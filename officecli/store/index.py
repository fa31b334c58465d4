"""Folder summaries and folder listings, kept by the stat cache's never-wrong rule.

A *summary* is any plain value (dicts, lists, strings, ints) computed from
every record file of ONE folder: the sums per account of a ledger month, the
on-hand change per SKU of a stock month, which records name which customer,
order or invoice. It is stored beside the stat cache, in
``.officecli/cache/summary-<name>.marshal``, as ``folder -> (digest, value)``
where the digest is a hash of the (name, size, mtime_ns, ctime_ns, inode) of
every record file of the folder at the time the value was computed. A
summary is used only while the folder's files hash to the same digest:

- a file edited in place (even same size, same mtime forced by hand) has a
  new ctime; a ``git checkout`` that swaps a file has a new inode and ctime;
- a file added, deleted, renamed in or out changes the list of names;
- a summary file deleted, truncated, from another VERSION, or with a
  malformed entry is ignored (and rewritten from the files).

So a summary is never wrong for longer than the per-record cache is: both
trust the same stat keys, the way git trusts its index. Checking costs one
``os.scandir`` of the folder and one ``lstat`` per file (``DirEntry.stat``),
never a ``pathlib.Path``, a glob or a parse. A folder whose newest file
changed in the last two seconds is computed but not stored ("racy git": a
second write within the file system's clock tick would keep the same stat).

*Listings* (``Listings``) remember, per folder, its own (mtime_ns, inode) and
the names in it; a folder whose mtime has not moved holds the same names (a
name is added or removed only by changing its folder), so number allocation
can prove the older folders unchanged by one ``stat`` each and list only the
folders that did change. Again a folder changed in the last two seconds is
never trusted.

Why marshal files and not sqlite3 (measured on a 10k and a 100k tree, see
the report of issue 13): the summaries are small (a few KB per ledger month)
and always read whole for the folders a command reads, and the validity
check is the stat of each file, which the database cannot spare us. marshal
loads them in well under a millisecond each; opening sqlite3 alone costs
more (importing ``sqlite3`` and connecting takes ~5-10 ms, a query per folder
another few), and a database file shared by every command would need its own
locking and crash care, where a marshal file is replaced by one atomic rename
and is simply ignored when damaged.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import fsio, prefetch
from . import guard as _guard
from . import seal as _seal

if TYPE_CHECKING:
    from pathlib import Path

    from .cache import StatCache

Entry = tuple[str, int, int, int, int, int]  # a record file as ``scan`` sees it

VERSION = 4  # raised whenever a summary the office layer computes changes shape
RACY_NS = 2_000_000_000  # a change this recent (2 s) is not trusted to show in the stat
PRESCAN = 12  # folders to scan at once before a second core helps


def scan(full: str, suffix: str = ".yaml") -> list[Entry]:
    """(name, size, mtime_ns, ctime_ns, inode, mode) of the record files of a folder, by
    name; one ``lstat`` each through ``os.scandir``, no Path, no glob."""
    out: list[Entry] = []
    with os.scandir(full) as it:
        for e in it:
            n = e.name
            if n.endswith(suffix) and n[0] != ".":
                st = e.stat(follow_symlinks=False)
                out.append((n, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_mode))
    out.sort()
    return out


def digest(entries: list[Entry]) -> bytes:
    return hashlib.blake2b(marshal.dumps(entries), digest_size=16).digest()


def _racy(entries: list[Entry], now_ns: int) -> bool:
    return any(now_ns - max(e[2], e[3]) < RACY_NS for e in entries)


class _Shards:
    """name -> {key: value} files in .officecli/cache/, loaded once, saved when changed."""

    def __init__(self, cache: StatCache):
        self.cache = cache  # the StatCache: its folder and its 'usable'
        self._loaded: dict[str, dict[Any, Any]] = {}
        self._dirty: set[str] = set()

    def file(self, name: str) -> Path:
        return self.cache.dir / f"{name}.marshal"

    def table(self, name: str) -> dict[Any, Any]:
        table = self._loaded.get(name)
        if table is None:
            table = {}
            blob = _guard.read_plain(self.file(name)) if self.cache.usable() else None
            try:
                if blob:
                    version, got = marshal.loads(blob)
                    if version == VERSION and isinstance(got, dict):
                        table = got
            except (ValueError, EOFError, TypeError):
                table = {}
            self._loaded[name] = table
        return table

    def changed(self, name: str) -> None:
        self._dirty.add(name)

    def save(self) -> None:
        if not self._dirty or not self.cache.usable():
            return
        if not os.path.isdir(self.cache.dir):
            if not (self.cache.dir.parent.parent / "office.yaml").is_file():
                return
            try:
                fsio.make_dirs(self.cache.dir)
            except OSError:
                return
        for name in sorted(self._dirty):
            try:
                blob = marshal.dumps((VERSION, self._loaded[name]))
                fsio.atomic_replace(self.file(name), blob, 0o600)
            except (OSError, ValueError):
                pass  # a cache that cannot be written is only slower
        self._dirty.clear()


class Summaries(_Shards):
    """Per-folder summaries: ``get(name, folder, compute)``.

    One command scans a folder once (``forget()`` to scan again, as the Office does
    when a change opens or ends): a command that asks twice gets the same answer.

    **Sealed folders** (docs/SEALS.md): when ``trusted(folder)`` says the folder lies in
    a closed period and it has a seal (store/seal.py), its summaries are kept under the
    stat of the seal file instead of the stat of every file: no ``lstat`` per file. Such
    a summary is stored only when the folder's files were, when it was computed, exactly
    the sealed bytes (checked by digest, or by a stat digest that matched the last time
    they were), so a stored one is always the summary of what was sealed; a file changed
    by hand after its period was closed is named by doctor and ``ledger check``."""

    def __init__(self, cache: StatCache):
        super().__init__(cache)
        self._scanned: dict[str, tuple[list[Entry], bytes]] = {}
        self._answers: dict[tuple[str, str], object] = {}
        self._seal_keys: dict[str, tuple[Any, ...] | None] = {}
        # folder -> may its seal stand for its files? (the office: a folder of a closed period)
        self.trusted: Callable[[str], bool] | None = None

    def forget(self) -> None:
        self._scanned.clear()
        self._answers.clear()
        self._seal_keys.clear()

    def seal_key(self, root: str, folder: str) -> tuple[Any, ...] | None:
        """The stat key of the folder's seal when its summaries may trust it, else None."""
        if folder in self._seal_keys:
            return self._seal_keys[folder]
        key = None
        if self.trusted is not None and self.trusted(folder):
            key = _seal.key(os.path.join(root, folder))
        self._seal_keys[folder] = key
        return key

    def seal_differences(self, root: str, folder: str, quick: bool = True) -> list[tuple[str, str]]:
        """(name, changed|added|removed) of each record file of a sealed folder that is not
        what its seal says. ``quick``: a folder whose files (names and stat keys) and seal
        file are as they were when they last matched is not read again. Raises BadSeal
        (a damaged seal), OSError (unreadable); a folder without a seal has no differences."""
        full = os.path.join(root, folder)
        memo = self.table("seal-verified")
        skey = _seal.key(full)
        if skey is None:
            return []
        entries = scan(full)
        key = (digest(entries), skey)
        if quick and memo.get(folder) == key:
            return []
        sealed = _seal.load(full) or {}
        found = {}
        for e in entries:
            name = e[0]
            try:
                found[name] = _seal.entry(_seal.read_file(os.path.join(full, name)))
            except FileNotFoundError:  # gone meanwhile: removed
                continue
        said = _seal.differences(sealed, found)
        now = time.time_ns()
        if not said and not _racy(entries, now) and now - max(skey[2], skey[3]) >= RACY_NS:
            if memo.get(folder) != key:
                memo[folder] = key
                self.changed("seal-verified")
        elif said and folder in memo:
            del memo[folder]
            self.changed("seal-verified")
        return said

    def _sealed_hit(self, name: str, root: str, folder: str) -> tuple[bool, Any]:
        skey = self.seal_key(root, folder)
        if skey is None:
            return False, None
        hit = self.table(f"summary-{name}").get(folder)
        if type(hit) is tuple and len(hit) == 2 and hit[0] == skey:
            return True, hit[1]
        return False, None

    def get(
        self, name: str, root: str, folder: str, compute: Callable[[list[tuple[str, Entry]]], Any]
    ) -> Any:
        """The summary ``name`` of ``folder``: stored when the folder's files hash as
        when it was computed, else ``compute([(rel, stat key), ...])`` (then stored)."""
        done = self._answers.get((name, folder), self)
        if done is not self:
            return done
        sealed, value = self._sealed_hit(name, root, folder)
        if sealed:
            self._answers[(name, folder)] = value
            return value
        entries, key = self._scan(root, folder)
        table = self.table(f"summary-{name}")
        hit = table.get(folder)
        if type(hit) is tuple and len(hit) == 2 and hit[0] == key:
            self._answers[(name, folder)] = hit[1]
            return hit[1]
        return self.accept(name, root, folder, compute([(f"{folder}/{e[0]}", e) for e in entries]))

    def accept(self, name: str, root: str, folder: str, value: Any) -> Any:
        """Take ``value`` as the summary of ``folder`` as scanned here (computed here, or
        by a forked child from the same scan: office/summaries.py); stored unless racy."""
        entries, digest_ = self._scan(root, folder)
        key: Any = digest_
        self._answers[(name, folder)] = value
        skey = self.seal_key(root, folder)
        now = time.time_ns()
        if skey is not None:  # sealed: kept under the seal's stat, if the files are the sealed bytes
            if (
                not self.cache.usable()
                or now - max(skey[2], skey[3]) < RACY_NS
                or not self._holds(root, folder)
            ):
                return value
            key = skey
            sizes = self.table("seal-sizes")
            if sizes.get(folder) != (skey, len(entries)):
                sizes[folder] = (skey, len(entries))
                self.changed("seal-sizes")
        elif _racy(entries, now):
            return value
        try:
            marshal.dumps(value)
        except ValueError:
            return value
        self.table(f"summary-{name}")[folder] = (key, value)
        self.changed(f"summary-{name}")
        return value

    def _holds(self, root: str, folder: str) -> bool:
        try:
            return not self.seal_differences(root, folder)
        except (OSError, _seal.BadSeal):
            return False

    def prescan(self, root: str, folders: list[str]) -> None:
        """Scan these folders now, on two cores when there are many: a forked child
        stats half of them (the same ``lstat`` per file, a moment apart) and sends
        the entries back through a pipe (store/prefetch.py: what stays true)."""
        todo = [
            f for f in dict.fromkeys(folders) if f not in self._scanned and self.seal_key(root, f) is None
        ]
        if len(todo) < PRESCAN or prefetch.cores() < 2:
            return
        theirs = todo[: len(todo) // 2]
        got = prefetch.in_child(
            lambda: {f: scan(os.path.join(root, f)) for f in theirs if os.path.isdir(os.path.join(root, f))}
        )
        for folder in todo[len(theirs) :]:
            try:
                self._scan(root, folder)
            except OSError:
                pass
        for folder, entries in (got() or {}).items():
            if folder not in self._scanned and isinstance(entries, list):
                self._scanned[folder] = (entries, digest(entries))

    def _scan(self, root: str, folder: str) -> tuple[list[Entry], bytes]:
        scanned = self._scanned.get(folder)
        if scanned is None:
            entries = scan(os.path.join(root, folder))
            scanned = self._scanned[folder] = (entries, digest(entries))
        return scanned

    def size(self, root: str, folder: str) -> int:
        """How many record files the folder has (from its scan, or as sealed)."""
        skey = self.seal_key(root, folder)
        if skey is not None and folder not in self._scanned:
            hit = self.table("seal-sizes").get(folder)
            if type(hit) is tuple and len(hit) == 2 and hit[0] == skey and type(hit[1]) is int:
                return hit[1]
        return len(self._scan(root, folder)[0])

    def stale(self, name: str, root: str, folder: str) -> list[str]:
        """The files ``get`` would read to compute the summary (none when it is stored)."""
        if (name, folder) in self._answers or self._sealed_hit(name, root, folder)[0]:
            return []
        entries, key = self._scan(root, folder)
        hit = self.table(f"summary-{name}").get(folder)
        if type(hit) is tuple and len(hit) == 2 and hit[0] == key:
            return []
        return [f"{folder}/{e[0]}" for e in entries]


class Listings(_Shards):
    """Per-folder names, trusted while the folder's own (mtime_ns, inode) stand still."""

    def names(self, root: str, folder: str, suffix: str = ".yaml") -> list[str]:
        full = os.path.join(root, folder)
        try:
            st = os.lstat(full)
        except FileNotFoundError:
            return []
        if not stat.S_ISDIR(st.st_mode):
            return []
        key = (st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
        table = self.table("listings")
        hit = table.get(folder)
        if type(hit) is tuple and len(hit) == 2 and hit[0] == key and isinstance(hit[1], list):
            return hit[1]
        names = sorted(n for n in os.listdir(full) if n.endswith(suffix) and n[0] != ".")
        if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) >= RACY_NS:
            table[folder] = (key, names)
            self.changed("listings")
        return names
