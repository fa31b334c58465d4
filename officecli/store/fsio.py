"""Durable file operations: every write is a temp file, fsync, rename, fsync of the folder.

Temp files are named ``.<name>.tmp-<pid>-<random>`` beside their target, so
they never look like records (records end in ``.yaml`` and never start with a
dot) and ``doctor`` can find any a crash left behind.

* A temp file is created with ``O_CREAT | O_EXCL | O_NOFOLLOW``: it never
  opens an existing file or a link's target.
* Any failure while writing it (a full disk, ``ulimit -f``: "File too large")
  removes it before the error goes on, and the error names the file that was
  being written (the target, not the temp name).
* A temp file left by a writer that died (SIGKILL, power loss) is removed by
  ``sweep_stale``, which the next writer runs under the lock over officecli's
  own folders: only when its writer (the pid in its name) is gone and it is a
  few minutes old, or when it is a day old whoever wrote it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

TEMP_MARK = ".tmp-"
STALE_SECONDS = 300  # a dead writer's temp file is swept after this long
ANCIENT_SECONDS = 86400  # and any temp file after this long (a pid may be reused)
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}{TEMP_MARK}{os.getpid()}-{os.urandom(4).hex()}")


def is_temp(name: str) -> bool:
    return name.startswith(".") and TEMP_MARK in name


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


BATCH = 16  # more files than this: one syncfs(2) instead of an fsync each


def sync_all(folder: Path, files: list[Path]) -> None:
    """Make ``files`` (written with ``sync=False``) durable: one ``syncfs(2)`` of the file
    system that holds ``folder`` where Linux offers it (a journaling file system flushes
    once for all of them, where an fsync each waits for one flush each), else an fsync
    each. Raises OSError as fsync would."""
    if len(files) > BATCH and _syncfs(folder):
        return
    for f in files:
        fd = os.open(f, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _syncfs(folder: Path) -> bool:
    try:
        import ctypes
        import ctypes.util

        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        call = libc.syncfs
    except (OSError, AttributeError):
        return False
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        if call(fd) != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err), os.fspath(folder))
    finally:
        os.close(fd)
    return True


def make_dirs(path: Path, mode: int = 0o755) -> None:
    """Create a folder and its parents, fsyncing each parent that gained an entry."""
    missing = []
    p = path
    while not os.path.lexists(p):
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            os.mkdir(d, mode)
        except FileExistsError:
            continue
        os.chmod(d, mode)  # umask must not loosen or tighten what was asked
        fsync_dir(d.parent)


def write_new(
    path: Path, data: bytes, mode: int = 0o644, name: Path | str | None = None, sync: bool = True
) -> None:
    """Write a file that must not exist yet, and fsync it (not atomic: for temp files);
    ``sync=False`` leaves the fsync to the caller (``sync_all``, for many files at once).

    On any failure the half-written file is removed and the OSError names ``name``
    (the file the caller is writing; ``path`` by default)."""
    fd = os.open(path, _CREATE, mode)
    try:
        try:
            os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException as exc:
        _unlink_quietly(path)
        if isinstance(exc, OSError) and not exc.filename:  # os.write names no file
            raise OSError(exc.errno, exc.strerror or str(exc), os.fspath(name or path)) from None
        raise


def atomic_replace(path: Path, data: bytes, mode: int = 0o644, durable: bool = True) -> None:
    """Replace (or create) ``path`` so that a reader sees the old or the new bytes, never a mix.
    ``durable=False``: no fsync (a cache whose loss or torn copy is detected and rebuilt)."""
    tmp = temp_name(path)
    write_new(tmp, data, mode, name=path, sync=durable)
    try:
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    if durable:
        fsync_dir(path.parent)


def atomic_create(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Create ``path`` atomically; raise FileExistsError rather than overwrite it."""
    tmp = temp_name(path)
    write_new(tmp, data, mode, name=path)
    try:
        os.link(tmp, path)  # link(2) never replaces an existing name
    finally:
        _unlink_quietly(tmp)
    fsync_dir(path.parent)


def temp_pid(name: str) -> int | None:
    """The pid in a temp file's name (``.<name>.tmp-<pid>-<random>``), if there is one."""
    pid = name.rpartition(TEMP_MARK)[2].partition("-")[0]
    return int(pid) if pid.isascii() and pid.isdigit() and len(pid) < 10 else None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: alive, someone else's
        return True
    return True


def is_stale(name: str, mtime: float, now: float | None = None) -> bool:
    """A temp file nobody is writing any more: its writer is gone and it is a few minutes
    old, or it is a day old (pids are reused)."""
    age = (time.time() if now is None else now) - mtime
    if age > ANCIENT_SECONDS:
        return True
    pid = temp_pid(name)
    return age > STALE_SECONDS and (pid is None or not _alive(pid))


def sweep_stale(folder: str | Path) -> list[str]:
    """Remove the stale temp files of one real folder (never following a link); their names."""
    swept: list[str] = []
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return swept
    try:
        for name in os.listdir(fd):
            if not is_temp(name):
                continue
            try:
                st = os.stat(name, dir_fd=fd, follow_symlinks=False)
                if is_stale(name, st.st_mtime):
                    os.unlink(name, dir_fd=fd)  # unlink removes a name, never a link's target
                    swept.append(name)
            except OSError:
                continue
    finally:
        os.close(fd)
    return swept


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:  # gone already, or cannot be removed: the first error matters
        pass
