"""The listing cache: parsed records keyed by each file's stat, so it is never wrong.

An entry is used only while the file's (size, mtime_ns, ctime_ns, inode) are
exactly what they were when it was parsed; any write, rename over, or hand
edit changes ctime, so a stale entry is never served. The cache lives in
``.officecli/cache.marshal`` (not versioned, disposable: delete it at will,
it is rebuilt from the files). marshal is used because records are plain
dicts, lists, strings, ints and bools, and it loads several times faster
than pickle or YAML.
"""
from __future__ import annotations

import marshal
import os
from pathlib import Path

from . import fsio

VERSION = 1


class StatCache:
    def __init__(self, path: Path):
        self.path = path
        self._entries: dict[str, tuple] | None = None
        self._dirty = False

    def _load(self) -> dict[str, tuple]:
        if self._entries is None:
            try:
                version, entries = marshal.loads(self.path.read_bytes())
                self._entries = entries if version == VERSION else {}
            except (OSError, ValueError, EOFError, TypeError):
                self._entries = {}
        return self._entries

    @staticmethod
    def key(st: os.stat_result) -> tuple:
        return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)

    def get(self, rel: str, st: os.stat_result):
        hit = self._load().get(rel)
        if hit is not None and hit[0] == self.key(st):
            return hit[1]
        return None

    def put(self, rel: str, st: os.stat_result, data) -> None:
        self._load()[rel] = (self.key(st), data)
        self._dirty = True

    def save(self) -> None:
        if not self._dirty or not self.path.parent.is_dir():
            return
        root = self.path.parent.parent
        entries = {k: v for k, v in self._load().items() if (root / k).exists()}  # moved away
        try:
            blob = marshal.dumps((VERSION, entries))
        except ValueError:              # something not plain slipped in: keep only what is
            blob = marshal.dumps((VERSION, {k: v for k, v in entries.items() if _plain(v)}))
        try:
            fsio.atomic_replace(self.path, blob, 0o600)
        except OSError:
            pass                        # a cache that cannot be written is only slower
        self._dirty = False


def _plain(entry) -> bool:
    try:
        marshal.dumps(entry)
        return True
    except ValueError:
        return False
