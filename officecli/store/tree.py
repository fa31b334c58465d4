"""The Store: one records tree on disk, read without a lock, written under one.

Every path goes through the store's path guard (store/guard.py): a folder is
read, listed or written only when it is a real folder all the way from the
root, and a record file only when it is a regular file, never a link; a
reader or writer that meets a link refuses, naming it, before it changes
anything. The private folders are tightened without following links.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Callable

from . import fsio, txn, yamlio
from .cache import StatCache
from .errors import UserError, Vanished
from .guard import STATE_DIR, Guard, UnsafePath, find_links
from .index import Listings, Summaries
from .lock import Lock


class Store:
    """Files below ``root``; paths given and returned are relative, with '/'."""

    def __init__(self, root: Path, private: Iterable[str] = (), lock_timeout: float = 10.0, who: str = ""):
        self.root = Path(root)
        self.state = self.root / STATE_DIR
        self.private = tuple(p.rstrip("/") for p in private)
        self.lock_timeout = lock_timeout
        self.who = who
        self.guard = Guard(self.root)
        self.cache = StatCache(self.state / "cache.marshal", self.guard)
        self.summaries = Summaries(self.cache)  # per-folder sums and indexes (store/index.py)
        self.listings = Listings(self.cache)  # per-folder names, for number allocation
        self.notes: list[str] = []  # what recovery did, for the face to show
        self.tightened: list[str] = []  # private modes restored (doctor --repair shows it)
        self.keep_lock = False  # see locked()
        self._held: Lock | None = None

    # -- paths and modes ---------------------------------------------------
    def path(self, rel: str) -> Path:
        return self.root / rel

    def is_private(self, rel: str) -> bool:
        return any(rel == p or rel.startswith(p + "/") for p in self.private)

    def file_mode(self, rel: str) -> int:
        return 0o600 if self.is_private(rel) else 0o644

    def dir_mode(self, rel: str) -> int:
        return 0o700 if self.is_private(rel) else 0o755

    def make_dir(self, rel: str) -> None:
        """Create a folder (and its parents), private ones mode 0700; never through a link."""
        if not rel or self.guard.folder(rel):
            return
        parts = rel.split("/")
        for i in range(1, len(parts) + 1):
            sub = "/".join(parts[:i])
            if not self.guard.folder(sub):
                try:
                    os.mkdir(self.root / sub, self.dir_mode(sub))
                except FileExistsError:
                    self.guard.folder(sub)  # made meanwhile: check it like any other
                    continue
                os.chmod(self.root / sub, self.dir_mode(sub))  # whatever the umask
                fsio.fsync_dir((self.root / sub).parent)
                self.guard.added(sub)

    # -- reading (no lock) -------------------------------------------------
    def read_text(self, rel: str) -> str:
        try:
            return self.guard.read_bytes(rel).decode("utf-8")
        except FileNotFoundError:
            raise Vanished(f"{rel}: no such file") from None
        except UnicodeDecodeError as exc:
            raise UserError(f"{rel}: not UTF-8 text (byte {exc.start})") from None
        except PermissionError:
            raise UserError(f"{rel}: permission denied") from None
        except OSError as exc:  # a folder where a file should be, an I/O error...
            raise UserError(f"{rel}: cannot be read: {exc.strerror or exc}") from None

    # Called with (rel, data) on every file parsed (not on cache hits), before the data
    # is cached: the office layer checks the fields there, so only valid data is cached.
    checker: Callable[[str, Any], object] | None = None
    # folder -> why it may be unreadable, added to "permission denied" (the office layer's words)
    denied_notes: dict[str, str] = {}

    def parse(self, rel: str, text: str) -> Any:
        try:
            data = yamlio.loads(text)
        except yamlio.Refused as exc:
            where = f"{rel}:{exc.line}" if exc.line else rel
            raise UserError(f"{where}: not an officecli record: {exc.problem}") from None
        except yamlio.YAMLError as exc:
            line = yamlio.error_line(exc)
            where = f"{rel}:{line}" if line else rel
            raise UserError(f"{where}: not valid YAML: {yamlio.error_text(exc)}") from None
        if self.checker is not None:
            self.checker(rel, data)
        return data

    def load(self, rel: str, cached: bool = True) -> Any:
        """Parse one file, through the stat cache (``cached=False``: a few files of a big
        folder, read through an index: parsing them costs less than loading the folder's
        cache shard)."""
        folder = rel.rpartition("/")[0]
        if folder not in self.guard.good and not self.guard.folder(folder):
            raise Vanished(f"{rel}: no such file")
        try:
            st = os.lstat(os.path.join(self.root, rel))  # (no Path object: this runs per record)
        except FileNotFoundError:
            raise Vanished(f"{rel}: no such file") from None
        if not stat.S_ISREG(st.st_mode):  # a link, a FIFO, a folder: refuse
            self.guard.regular(rel, st)
        if not cached and rel.rpartition("/")[0] not in self.cache._shards:
            return self.parse(rel, self.read_text(rel))
        data = self.cache.get(rel, st)
        if data is None:
            data = self.parse(rel, self.read_text(rel))
            self.cache.put(rel, st, data)
        return data

    def glob(self, folder_pattern: str, suffix: str = ".yaml") -> list[str]:
        """Record files in the folders matching a pattern with {year} and {month} holes."""
        if not any(c in folder_pattern for c in "{*?["):  # one plain folder: list it
            if not self.guard.folder(folder_pattern):  # (a link on the way: refused)
                return []  # no such folder: nothing in it
            try:
                names = os.listdir(os.path.join(self.root, folder_pattern))
            except PermissionError:  # not the same as empty: say so
                raise UserError(self._denied_message(folder_pattern)) from None
            except OSError:  # no such folder: nothing in it
                return []
            return sorted(
                f"{folder_pattern}/{n}" for n in names if n.endswith(suffix) and not n.startswith(".")
            )
        fixed = folder_pattern.split("{", 1)[0].rstrip("/")
        if fixed and os.path.isdir(self.root / fixed) and not os.access(self.root / fixed, os.R_OK | os.X_OK):
            raise UserError(self._denied_message(fixed))
        found = []
        for folder in self.folders(folder_pattern):
            try:
                names = os.listdir(os.path.join(self.root, folder))
            except PermissionError:
                raise UserError(self._denied_message(folder)) from None
            except OSError:
                continue
            found += [f"{folder}/{n}" for n in names if n.endswith(suffix) and not n.startswith(".")]
        found.sort()
        return found

    def folders(self, folder_pattern: str) -> list[str]:
        """The real folders (never links) matching a pattern with {year} and {month}
        holes (four and two digits), sorted; a plain folder if it exists."""
        out = [""]
        for part in folder_pattern.split("/"):
            width = 4 if part == "{year}" else 2 if part == "{month}" else 0
            nxt = []
            for base in out:
                if not width:
                    nxt.append(f"{base}/{part}" if base else part)
                    continue
                try:
                    with os.scandir(os.path.join(self.root, base)) as it:
                        nxt += [
                            f"{base}/{e.name}" if base else e.name
                            for e in it
                            if len(e.name) == width
                            and e.name.isascii()
                            and e.name.isdigit()
                            and (e.is_dir(follow_symlinks=False) or e.is_symlink())
                        ]
                except PermissionError:
                    raise UserError(self._denied_message(base)) from None
                except OSError:
                    continue
            out = nxt
        good = self.guard.good
        real = []
        for folder in sorted(out):
            if folder in good or self.guard.folder(folder):  # a link on the way: refused
                real.append(folder)
        return real

    def _denied_message(self, rel: str) -> str:
        where = self._denied(rel)
        note = next(
            (n for p, n in self.denied_notes.items() if where == p or where.startswith(p + "/")), None
        )
        return f"{where}: permission denied" + (f": {note}" if note else "")

    def _denied(self, rel: str) -> str:
        """The first folder on the way to ``rel`` that this user may not read."""
        parts = rel.split("/")
        for i in range(1, len(parts) + 1):
            sub = "/".join(parts[:i])
            if os.path.isdir(self.root / sub) and not os.access(self.root / sub, os.R_OK | os.X_OK):
                return sub
        return rel

    def walk(self) -> Iterator[tuple[str, list[str], list[str]]]:
        """Every real folder below root (except .officecli and .git): (rel, dirs, files),
        top-down (empty ``dirs`` in place to skip below). Links and special files are
        left out of both lists: ``unsafe()`` names them."""
        stack = [""]
        while stack:
            rel = stack.pop()
            try:
                with os.scandir(os.path.join(self.root, rel) if rel else self.root) as it:
                    entries = list(it)
            except OSError:
                continue
            dirs, files = [], []
            for e in entries:
                try:
                    if e.is_symlink():
                        continue
                    if e.is_dir(follow_symlinks=False):
                        if rel or e.name not in (STATE_DIR, ".git"):
                            dirs.append(e.name)
                    elif e.is_file(follow_symlinks=False):
                        files.append(e.name)
                except OSError:
                    continue
            dirs.sort()
            yield rel, dirs, sorted(files)
            stack.extend(f"{rel}/{d}" if rel else d for d in reversed(dirs))

    def unsafe(self) -> list[tuple[str, str]]:
        """(path, problem) for doctor: every link and special file in the tree (``.officecli/``
        included) and every transaction journal that names anything a journal must not."""
        return find_links(self.root) + txn.bad_journals(self.root, self.state / "txn")

    def close(self) -> None:
        self.cache.save()
        self.summaries.save()
        self.listings.save()

    # -- writing (under the lock) ------------------------------------------
    @contextlib.contextmanager
    def locked(self, repair: bool = False) -> Iterator[None]:
        """Hold the writer lock; finish or undo what a crashed writer left first.

        A transaction whose journal names anything a journal must not (a path outside
        the root, a link on the way, a stage that is not a staged file) is never applied:
        a writer refuses, naming the journal; with ``repair`` (doctor --repair) the
        others are recovered and that one is left for a person (doctor names it).

        With ``keep_lock`` set (the CLI sets it when git.autocommit is on) the lock,
        once taken, stays held until ``release_lock()``: the command then commits its
        own change to git before the next writer can change anything (else writers
        collide on git's index.lock, or one commits another's change as its own)."""
        if self._held is not None:
            yield
            return
        self.state_folder()
        lock = Lock(self.state / "lock", self.lock_timeout, self.who)
        lock.acquire()
        try:
            self.notes.extend(self.recover(strict=not repair))
            self.sweep()
            self.tightened = self.tighten_private()  # silent: cron jobs print nothing
            yield
        finally:
            if self.keep_lock:
                self._held = lock
            else:
                lock.release()

    def state_folder(self) -> None:
        """``.officecli/`` as a real folder (made when missing); a link there is refused."""
        if not self.guard.folder(STATE_DIR):
            fsio.make_dirs(self.state)
            self.guard.folder(STATE_DIR)

    def sweep(self) -> list[str]:
        """Remove temp files that dead writers left in officecli's own folders and the root
        (fsio.sweep_stale: never one a live writer is using)."""
        swept = []
        for rel in ("", STATE_DIR, f"{STATE_DIR}/cache"):
            try:
                if self.guard.folder(rel):
                    swept += [f"{rel}/{n}" if rel else n for n in fsio.sweep_stale(self.guard.full(rel))]
            except UnsafePath:
                continue  # a link: not ours to clean; doctor names it
        return swept

    def tighten_private(self) -> list[str]:
        """Private folders 0700 and their files 0600 again: git does not keep modes, so
        a fresh clone has them readable by all. Every writer restores them first.

        Never through a link: a private folder that is a link (or has one on the way) is
        left alone, a linked folder below is not entered and a linked file not changed
        (doctor names each; readers refuse them). Folders are changed through their
        own file descriptor (os.fwalk), files by name within that folder after lstat."""
        said = []
        for prefix in self.private:
            try:
                if not self.guard.folder(prefix):
                    continue
            except UnsafePath:
                continue
            folders = files = 0
            if not os.access(self.root / prefix, os.R_OK | os.X_OK):
                continue  # not this user's to read (nor to tighten)
            for _, _, names, dfd in os.fwalk(self.root / prefix, follow_symlinks=False):
                if os.fstat(dfd).st_mode & 0o077:
                    os.fchmod(dfd, 0o700)
                    folders += 1
                for name in names:
                    try:
                        st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
                    except OSError:
                        continue
                    if stat.S_ISREG(st.st_mode) and st.st_mode & 0o077 and st.st_nlink == 1:
                        _chmod_file(name, dfd, 0o600)  # (a hard link: another name's file too)
                        files += 1
            if folders or files:
                said.append(
                    f"{prefix}/: private again: {folders} folder(s) set to 700, "
                    f"{files} file(s) to 600 (git does not keep modes)"
                )
        return said

    def release_lock(self) -> None:
        """Let go of a lock kept by ``keep_lock``."""
        held, self._held = self._held, None
        if held is not None:
            held.release()

    def recover(self, strict: bool = True) -> list[str]:
        return txn.recover(self.root, self.state / "txn", self.make_dir, strict, self.guard)

    def interrupted(self) -> list[str]:
        return txn.pending(self.state / "txn")

    def new_transaction(self) -> txn.Transaction:
        """A transaction with a fresh list of hooks (``on_commit``) to run after its commit
        (``committed``): ``transaction`` below, or a caller that commits it itself."""
        self.on_commit: list[Callable[[], object]] = []  # run after the commit, still under the lock
        name = f"{time.time_ns()}-{os.getpid()}"
        return txn.Transaction(
            self.root, self.state / "txn" / name, self.file_mode, self.make_dir, self.guard
        )

    @contextlib.contextmanager
    def transaction(self) -> Iterator[txn.Transaction]:
        """Collect changes, then apply them all at once; an exception applies nothing."""
        with self.locked():
            t = self.new_transaction()
            yield t
            t.commit()
            self.committed()

    def committed(self) -> None:
        """Run the hooks of the transaction just committed (once)."""
        hooks, self.on_commit = self.on_commit, []
        for hook in hooks:
            hook()


def _chmod_file(name: str, dir_fd: int, mode: int) -> None:
    """chmod a regular file of a folder open as ``dir_fd``: through a descriptor opened
    without following a link where the file can be opened, else by name."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
    except PermissionError:  # mode 000 and not root: by name, just lstat'ed
        if os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_nlink == 1:
            os.chmod(name, mode, dir_fd=dir_fd)
        return
    try:
        st = os.fstat(fd)
        if stat.S_ISREG(st.st_mode) and st.st_nlink == 1:  # never a file with another name too
            os.fchmod(fd, mode)
    finally:
        os.close(fd)
