"""The listing cache: parsed records keyed by each file's stat, so it is never wrong.

An entry is used only while the file's (size, mtime_ns, ctime_ns, inode) are
exactly what they were when it was parsed; any write, rename over, or hand
edit changes ctime, so a stale entry is never served. The cache lives in
``.officecli/cache/`` (not versioned, disposable: delete it at will, it is
rebuilt from the files), one file per record folder, so a command loads the
entries of the folders it reads and no others (a complaint listing does not
load ten thousand ledger entries). marshal is used because records are plain
dicts, lists, strings, ints and bools, and it loads several times faster
than pickle or YAML.

The cache is never written or read through a link: when ``.officecli/`` or
``.officecli/cache/`` is a symbolic link (or not a folder) the cache is off
for the command, which only gets slower (``doctor`` names the link); a shard
file is opened with ``O_NOFOLLOW``, and is replaced by a rename (which
replaces a name, never a link's target).
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path
from typing import Any

from . import fsio
from . import guard as _guard

VERSION = 3  # 3: only data that passed the office's field checks is cached


class StatCache:
    def __init__(self, path: Path, guard: _guard.Guard | None = None):
        self.path = path  # .officecli/cache.marshal: the old single file
        self.dir = path.parent / "cache"
        self.guard = guard or _guard.Guard(path.parent.parent)
        self._shards: dict[str, dict[str, tuple[Any, ...]]] = {}
        self._dirty: set[str] = set()
        self._usable: bool | None = None

    def usable(self) -> bool:
        """False when .officecli/ or .officecli/cache/ is a link or not a folder: then the
        cache is neither read nor written (checked once per process)."""
        if self._usable is None:
            try:
                self.guard.folder(f"{_guard.STATE_DIR}/cache")
                self._usable = True
            except _guard.UnsafePath:
                self._usable = False
        return self._usable

    def shard_file(self, folder: str) -> Path:
        name = folder.replace("%", "%25").replace("/", "%2F") if folder else "%root"
        return self.dir / f"{name}.marshal"

    def _load(self, folder: str) -> dict[str, tuple[Any, ...]]:
        entries = self._shards.get(folder)
        if entries is None:
            blob = _guard.read_plain(self.shard_file(folder)) if self.usable() else None
            try:
                version, entries = marshal.loads(blob) if blob else (VERSION, {})
                if version != VERSION or not isinstance(entries, dict):
                    entries = {}
            except (ValueError, EOFError, TypeError):
                entries = {}
            self._shards[folder] = entries
        return entries

    @staticmethod
    def key(st: os.stat_result) -> tuple[int, int, int, int]:
        return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)

    def get(self, rel: str, st: os.stat_result) -> Any:
        hit = self._load(rel.rpartition("/")[0]).get(rel)
        if type(hit) is tuple and len(hit) == 2 and hit[0] == self.key(st):  # else: malformed or stale
            return hit[1]
        return None

    def put(self, rel: str, st: os.stat_result, data: Any) -> None:
        folder = rel.rpartition("/")[0]
        self._load(folder)[rel] = (self.key(st), data)
        self._dirty.add(folder)

    def release(self, folder: str) -> None:
        """Write one folder's entries now and drop them from memory (a command that reads
        a whole tree through summaries keeps one folder's records at a time)."""
        if folder in self._dirty:
            dirty, self._dirty = self._dirty, {folder}
            self.save()
            self._dirty = dirty - {folder}
        self._shards.pop(folder, None)

    def save(self) -> None:
        if not self._dirty or not self.usable():
            return
        root = self.path.parent.parent
        if not os.path.lexists(self.dir):
            # a fresh clone has no .officecli/ (it is not versioned): make it, but
            # only in an office (never litter a folder that merely was read)
            if not (root / "office.yaml").is_file():
                return
            try:
                fsio.make_dirs(self.dir)
            except OSError:
                return  # a read-only tree: only slower
        for folder in sorted(self._dirty):
            entries = {
                k: v for k, v in self._shards[folder].items() if os.path.lexists(os.path.join(root, k))
            }  # moved away
            try:
                blob = marshal.dumps((VERSION, entries))
            except ValueError:  # something not plain slipped in: keep only what is
                blob = marshal.dumps((VERSION, {k: v for k, v in entries.items() if _plain(v)}))
            try:
                fsio.atomic_replace(self.shard_file(folder), blob, 0o600)
            except OSError:
                pass  # a cache that cannot be written is only slower
        self._dirty.clear()
        try:
            self.path.unlink()  # the single-file cache of earlier versions
        except OSError:
            pass


def _plain(entry: Any) -> bool:
    try:
        marshal.dumps(entry)
        return True
    except ValueError:
        return False
