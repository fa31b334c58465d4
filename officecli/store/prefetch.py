"""Parse many uncached record files on two cores at once.

A command that must read thousands of files the stat cache does not hold (a
fresh clone, a cache deleted, ``ledger balance`` after a year of postings)
spends nearly all its time parsing YAML in Python. ``prefetch(store, rels)``
splits the files the cache misses in two: a forked child parses one half
while this process parses the other, then sends its records back as one
marshal blob through a pipe, and they go into the stat cache as if this
process had parsed them. The command then reads them through the cache as
usual.

What stays true:

- the stat key of each file is taken *before* either process reads it (as
  ``Store.load`` does), so a file changed meanwhile has a new stat and its
  entry is never served;
- the child parses with the same checks (``Store.parse``: the office's field
  checks); a file it cannot read or parse, or that fails a check, is simply
  not sent: the normal read of it says what is wrong, in this process;
- the child prints nothing and leaves with ``os._exit`` whatever happens; if
  it dies or sends something unreadable, this process reads its half itself
  (only slower). Here it writes nothing; the other users of ``in_child``
  (stale summaries computed by folders, office/summaries.py; doctor's walk,
  office/checks/doctorwalk.py) let it write the cache shards of its own folders
  only, one file per folder, never a file this process writes;
- below ``FEW`` misses, on one core, or where the cache is off, nothing is
  forked: the fork and the blob cost more than they save.
"""

from __future__ import annotations

import marshal
import os
import stat
from collections.abc import Callable, Iterable
from typing import Any, Protocol

FEW = 1500  # misses below this: parsed in this process only (measured: bench/run)


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def in_child(work: Callable[[], Any]) -> Callable[[], Any]:
    """Run ``work()`` in a forked child now; returns a function that waits for it and
    gives its (marshal-able) result, or None if it failed. Call the returned function
    once, after doing this process's share of the work."""
    try:
        r, w = os.pipe()
    except OSError:
        return lambda: None
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        return lambda: None
    if pid == 0:  # the child: work, send, leave
        code = 1
        try:
            os.close(r)
            blob = marshal.dumps(work())
            with os.fdopen(w, "wb") as out:
                out.write(blob)
            code = 0
        finally:
            os._exit(code)
    os.close(w)

    def result() -> Any:
        with os.fdopen(r, "rb") as inp:
            blob = inp.read()
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        try:
            return marshal.loads(blob) if blob else None
        except (ValueError, EOFError, TypeError):
            return None

    return result


class _Cache(Protocol):
    """What ``prefetch`` uses of a store's stat cache (store/cache.py's StatCache)."""

    def usable(self) -> bool: ...
    def get(self, rel: str, st: os.stat_result) -> Any: ...
    def put(self, rel: str, st: os.stat_result, data: Any) -> None: ...


class _Store(Protocol):
    """What ``prefetch`` uses of a store (store/tree.py's Store: described, not imported,
    as tree.py imports this module through index.py)."""

    @property
    def root(self) -> str | os.PathLike[str]: ...
    @property
    def cache(self) -> _Cache: ...
    def read_text(self, rel: str) -> str: ...
    def parse(self, rel: str, text: str) -> Any: ...


def prefetch(store: _Store, rels: Iterable[str]) -> int:
    """Parse the files among ``rels`` that the stat cache misses, on two cores; put them
    in the cache. Returns how many the child parsed (0: nothing was forked)."""
    cache = store.cache
    if not hasattr(cache, "release") or not cache.usable() or cores() < 2:
        return 0
    root = str(store.root)
    misses: list[tuple[str, os.stat_result]] = []
    for rel in rels:
        try:
            st = os.lstat(os.path.join(root, rel))
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode) and cache.get(rel, st) is None:
            misses.append((rel, st))
    if len(misses) < FEW:
        return 0
    half = len(misses) // 2
    theirs, mine = misses[:half], misses[half:]

    def parse_theirs() -> list[tuple[str, Any]]:
        got: list[tuple[str, Any]] = []
        for rel, _ in theirs:
            try:
                got.append((rel, store.parse(rel, store.read_text(rel))))
            except Exception:
                continue  # the normal read says what is wrong
        return got

    result = in_child(parse_theirs)
    for rel, st in mine:  # this process: its own half
        try:
            cache.put(rel, st, store.parse(rel, store.read_text(rel)))
        except Exception:
            continue
    got = result() or []
    stats = dict(theirs)
    for rel, data in got:
        if rel in stats:
            cache.put(rel, stats[rel], data)
    return len(got)
