"""The Store: one records tree on disk, read without a lock, written under one."""
from __future__ import annotations

import contextlib
import glob as _glob
import os
import time
from pathlib import Path
from typing import Iterable, Iterator

from . import fsio, txn, yamlio
from .cache import StatCache
from .errors import UserError, Vanished
from .lock import Lock

STATE_DIR = ".officecli"


class Store:
    """Files below ``root``; paths given and returned are relative, with '/'."""

    def __init__(self, root: Path, private: Iterable[str] = (), lock_timeout: float = 10.0,
                 who: str = ""):
        self.root = Path(root)
        self.state = self.root / STATE_DIR
        self.private = tuple(p.rstrip("/") for p in private)
        self.lock_timeout = lock_timeout
        self.who = who
        self.cache = StatCache(self.state / "cache.marshal")
        self.notes: list[str] = []      # what recovery did, for the face to show
        self.tightened: list[str] = []  # private modes restored (doctor --repair shows it)
        self.keep_lock = False          # see locked()
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
        """Create a folder (and its parents), private ones mode 0700."""
        parts = [p for p in rel.split("/") if p]
        for i in range(1, len(parts) + 1):
            sub = "/".join(parts[:i])
            if not (self.root / sub).is_dir():
                fsio.make_dirs(self.root / sub, self.dir_mode(sub))

    # -- reading (no lock) -------------------------------------------------
    def read_text(self, rel: str) -> str:
        try:
            return (self.root / rel).read_text("utf-8")
        except FileNotFoundError:
            raise Vanished(f"{rel}: no such file") from None
        except UnicodeDecodeError as exc:
            raise UserError(f"{rel}: not UTF-8 text (byte {exc.start})") from None
        except PermissionError:
            raise UserError(f"{rel}: permission denied") from None
        except OSError as exc:            # a folder where a file should be, an I/O error...
            raise UserError(f"{rel}: cannot be read: {exc.strerror or exc}") from None

    # Called with (rel, data) on every file parsed (not on cache hits), before the data
    # is cached: the office layer checks the fields there, so only valid data is cached.
    checker = None
    # folder -> why it may be unreadable, added to "permission denied" (the office layer's words)
    denied_notes: dict[str, str] = {}

    def parse(self, rel: str, text: str):
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

    def load(self, rel: str):
        """Parse one file, through the stat cache."""
        try:
            st = os.stat(os.path.join(self.root, rel))   # (no Path object: this runs per record)
        except FileNotFoundError:
            raise Vanished(f"{rel}: no such file") from None
        data = self.cache.get(rel, st)
        if data is None:
            data = self.parse(rel, self.read_text(rel))
            self.cache.put(rel, st, data)
        return data

    def glob(self, folder_pattern: str, suffix: str = ".yaml") -> list[str]:
        """Record files in the folders matching a pattern with {year} and {month} holes."""
        if not any(c in folder_pattern for c in "{*?["):     # one plain folder: list it
            try:
                names = os.listdir(os.path.join(self.root, folder_pattern))
            except PermissionError:   # not the same as empty: say so
                raise UserError(self._denied_message(folder_pattern)) from None
            except OSError:                                   # no such folder: nothing in it
                return []
            return sorted(f"{folder_pattern}/{n}" for n in names
                          if n.endswith(suffix) and not n.startswith("."))
        fixed = folder_pattern.split("{", 1)[0].rstrip("/")
        if fixed and os.path.isdir(self.root / fixed) and not os.access(self.root / fixed, os.R_OK | os.X_OK):
            raise UserError(self._denied_message(fixed))
        pattern = folder_pattern.replace("{year}", "[0-9]" * 4).replace("{month}", "[0-9]" * 2)
        full = _glob.escape(str(self.root)) + "/" + pattern + "/*" + suffix
        cut = len(str(self.root)) + 1
        return sorted(p[cut:] for p in _glob.glob(full) if not os.path.basename(p).startswith("."))

    def _denied_message(self, rel: str) -> str:
        where = self._denied(rel)
        note = next((n for p, n in self.denied_notes.items() if where == p or where.startswith(p + "/")), None)
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
        """Every folder below root (except .officecli and .git): (rel, dirs, files)."""
        for folder, dirs, files in os.walk(self.root):
            rel = os.path.relpath(folder, self.root)
            rel = "" if rel == "." else rel.replace(os.sep, "/")
            if rel == "":
                dirs[:] = [d for d in dirs if d not in (STATE_DIR, ".git")]
            dirs.sort()
            yield rel, dirs, sorted(files)

    def close(self) -> None:
        self.cache.save()

    # -- writing (under the lock) ------------------------------------------
    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the writer lock; finish or undo what a crashed writer left first.

        With ``keep_lock`` set (the CLI sets it when git.autocommit is on) the lock,
        once taken, stays held until ``release_lock()``: the command then commits its
        own change to git before the next writer can change anything (else writers
        collide on git's index.lock, or one commits another's change as its own)."""
        if self._held is not None:
            yield
            return
        fsio.make_dirs(self.state)
        lock = Lock(self.state / "lock", self.lock_timeout, self.who)
        lock.acquire()
        try:
            self.notes.extend(self.recover())
            self.tightened = self.tighten_private()   # silent: cron jobs print nothing
            yield
        finally:
            if self.keep_lock:
                self._held = lock
            else:
                lock.release()

    def tighten_private(self) -> list[str]:
        """Private folders 0700 and their files 0600 again: git does not keep modes, so
        a fresh clone has them readable by all. Every writer restores them first."""
        said = []
        for prefix in self.private:
            top = self.root / prefix
            if not top.is_dir():
                continue
            folders = files = 0
            for folder, _, names in os.walk(top):
                if os.stat(folder).st_mode & 0o077:
                    os.chmod(folder, 0o700)
                    folders += 1
                for name in names:
                    path = os.path.join(folder, name)
                    if os.lstat(path).st_mode & 0o077:
                        os.chmod(path, 0o600)
                        files += 1
            if folders or files:
                said.append(f"{prefix}/: private again: {folders} folder(s) set to 700, "
                            f"{files} file(s) to 600 (git does not keep modes)")
        return said

    def release_lock(self) -> None:
        """Let go of a lock kept by ``keep_lock``."""
        held, self._held = self._held, None
        if held is not None:
            held.release()

    def recover(self) -> list[str]:
        return txn.recover(self.root, self.state / "txn", self.make_dir)

    def interrupted(self) -> list[str]:
        return txn.pending(self.state / "txn")

    def new_transaction(self) -> txn.Transaction:
        name = f"{time.time_ns()}-{os.getpid()}"
        return txn.Transaction(self.root, self.state / "txn" / name, self.file_mode,
                               self.make_dir)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[txn.Transaction]:
        """Collect changes, then apply them all at once; an exception applies nothing."""
        with self.locked():
            t = self.new_transaction()
            yield t
            t.commit()
