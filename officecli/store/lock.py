"""One writer lock for the whole tree: ``.officecli/lock``.

flock(2) on the lock file: the kernel drops it when the holder dies (even by
SIGKILL), so a crashed writer never leaves the tree locked. The holder writes
its pid, user and start time into the file so that a waiting command can say
who holds it.

The lock file is officecli's own: it is opened with ``O_NOFOLLOW`` and must be
a regular file with no other name (no hard link), or the writer refuses,
naming it, before anything is written: a planted ``.officecli/lock`` that is
a link (or a second name of some other file) would otherwise have that file
truncated by every writer.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import time
from datetime import datetime, timezone
from pathlib import Path

from .errors import UserError


class Lock:
    def __init__(self, path: Path, timeout: float = 10.0, who: str = ""):
        self.path = path
        self.timeout = timeout
        self.who = who
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = self._open()
        deadline = time.monotonic() + self.timeout
        delay = 0.01
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _read_holder(fd)
                    os.close(fd)
                    raise UserError(
                        f"{self.path}: the records are locked by {holder or 'another officecli'}; "
                        f"gave up after {self.timeout:g}s (try again when it has finished)"
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.2)
        since = datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} ({self.who or 'unknown'}, since {since})\n".encode(), 0)
        self._fd = fd

    def _open(self) -> int:
        flags = (
            os.O_RDWR
            | os.O_CREAT
            | getattr(os, "O_NOFOLLOW", 0)
            | getattr(os, "O_NONBLOCK", 0)
            | getattr(os, "O_CLOEXEC", 0)
        )
        try:
            fd = os.open(self.path, flags, 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise UserError(
                    f"{self.path}: a symbolic link; the writer lock must be a real "
                    "file: remove the link (officecli makes a new lock file)"
                ) from None
            raise
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_nlink > 1:
            os.close(fd)
            what = (
                "not a regular file"
                if not stat.S_ISREG(st.st_mode)
                else f"a file with {st.st_nlink} names (a hard link)"
            )
            raise UserError(
                f"{self.path}: {what}; the writer lock must be a file of its own: "
                "remove it (officecli makes a new lock file)"
            )
        return fd

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Lock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_holder(fd: int) -> str:
    try:
        return os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:  # pragma: no cover
        return ""
