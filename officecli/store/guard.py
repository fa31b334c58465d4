"""The path guard: nothing outside the root, ever.

Every path officecli opens, creates, renames, chmods or removes below the
records root passes here, whether officecli built it (a state folder and an
ID) or read it from disk (a transaction journal, a cache shard, a record's
date field that picks a ``YYYY/MM`` folder). The promises, step by step:

1. **The name** (``check_rel``): a path is relative, '/'-separated, and each
   part is a plain name: no empty part, no ``.`` or ``..``, no NUL, no
   absolute start. A path a transaction writes (a journal's ``path`` and
   ``src``) is stricter (``check_record_rel``): never inside ``.git`` (at any
   depth, in any letter case: a planted hook would run code) or
   ``.officecli``.
2. **The way** (``Guard.folder``): every folder from the root down to the
   file is a real folder, never a symbolic link (``lstat`` of each part). A
   folder found good is remembered for the rest of the process, so a listing
   of 20,000 files pays one ``lstat`` per folder, not one per file.
3. **The file**: the last part is never followed. Records are read with
   ``O_NOFOLLOW`` and must be regular files (``Guard.read_bytes``: a link
   may point anywhere, a FIFO would hang the reader); ``Store.load`` refuses
   anything but a regular file from the ``lstat`` it takes for the cache key
   anyway; new files are made with ``O_CREAT | O_EXCL`` (which never follows
   a link) and renamed into place (which replaces a name, never a target).
4. **officecli's own state**: ``.officecli/``, ``.officecli/cache/`` and
   ``.officecli/txn/`` must be real folders and ``.officecli/lock`` a real
   file (opened with ``O_NOFOLLOW``). Writers refuse a link there, naming it;
   a linked cache is only skipped (the command gets slower, nothing else).
5. **Refusing** is one line naming the path (``UnsafePath``, a ``UserError``:
   exit 1), raised before anything is changed.
6. **Reporting** (``find_links``): a walk of the whole tree that follows no
   link names every symbolic link, every special file (FIFO, socket,
   device) and every file with more than one hard link, one line each, for
   ``doctor``. No file with more than one link is ever chmod-ed (its other
   name may be outside the root).

What it does not promise: safety against a process on this machine swapping
a folder for a link *while* officecli runs, between the check and the use
(that process already has write access to the tree here and now). The guard
is about what the tree's content can make officecli do: a clone of someone
else's repository, a bad merge, a hand edit, a tampered ``.officecli/``.
Where it costs nothing the check and the use are one system call anyway
(``O_NOFOLLOW`` opens, ``O_EXCL`` creates, chmod through a folder's file
descriptor in ``Store.tighten_private``).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from . import fsio
from .errors import UserError

STATE_DIR = ".officecli"
_OPEN_READ = (
    os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
)


class UnsafePath(UserError):
    """A path that would leave the root or go through a link: refused, nothing changed."""


def check_rel(rel: object, what: str = "path") -> str:
    """``rel`` if it is a plain relative path inside the root, else UnsafePath."""
    if not isinstance(rel, str) or not rel:
        raise UnsafePath(f"{rel!r}: not a {what} inside the records (empty or not text)")
    if "\0" in rel or rel.startswith("/") or "\\" in rel:
        raise UnsafePath(f"{rel!r}: not a {what} inside the records (absolute, or a NUL or backslash in it)")
    for part in rel.split("/"):
        if part in ("", ".", ".."):
            why = f"a {part!r} part" if part else "an empty part"
            raise UnsafePath(f"{rel!r}: not a {what} inside the records ({why})")
    return rel


NEVER_WRITTEN = (".git", STATE_DIR)


def check_record_rel(rel: object, what: str = "path") -> str:
    """A path a transaction may write: ``check_rel``, and never into git's or officecli's own
    folders (``.git`` at any depth, in any case, as git itself refuses it)."""
    rel = check_rel(rel, what)
    for part in rel.split("/"):
        if part.lower().rstrip(". ") in NEVER_WRITTEN:
            raise UnsafePath(
                f"{rel!r}: not a record's {what} (records never live in "
                f"{part}/: that is git's or officecli's own)"
            )
    return rel


def _target(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def link_problem(rel: str, full: str) -> str:
    """One line for a link found where officecli would go: what it is and what to do."""
    if rel == STATE_DIR or rel.startswith(STATE_DIR + "/"):
        return (
            f"{rel}: a symbolic link (to {_target(full)}); officecli's own state must be a "
            "real file or folder: remove the link (nothing in .officecli/ is versioned; "
            "officecli makes it again)"
        )
    return (
        f"{rel}: a symbolic link (to {_target(full)}); officecli never reads or writes "
        "through a link: put the real file or folder there, or remove the link "
        "(see 'officecli doctor')"
    )


def hardlink_problem(st: os.stat_result) -> str:
    return (
        f"a file with {st.st_nlink} hard links (another name, maybe outside the records, is the "
        "same file): officecli never changes its mode; replace it with a copy (cp, then mv)"
    )


def special_problem(rel: str, st: os.stat_result) -> str:
    what = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file (a FIFO, socket or device)"
    return f"{rel}: {what} where officecli expects a plain file; it reads and writes only regular files"


class Guard:
    """The checks of one root, with the folders already found good remembered."""

    def __init__(self, root: Path | str):
        self.root = os.fspath(root)
        self.good: set[str] = {""}

    def full(self, rel: str) -> str:
        return os.path.join(self.root, rel) if rel else self.root

    def folder(self, rel: str) -> bool:
        """True if ``rel`` is a real folder all the way down from the root; False if it
        (or a folder above it) does not exist or this user may not look into the folder
        above it; UnsafePath if a link or a file is on the way."""
        if rel in self.good:
            return True
        check_rel(rel, "folder")
        parent = rel.rpartition("/")[0]
        if not self.folder(parent):
            return False
        full = self.full(rel)
        try:
            st = os.lstat(full)
        except (FileNotFoundError, NotADirectoryError, PermissionError):
            return False  # not there, or not for this user (hr.require_private says so)
        if stat.S_ISDIR(st.st_mode):
            self.good.add(rel)
            return True
        if stat.S_ISLNK(st.st_mode):
            raise UnsafePath(link_problem(rel, full))
        raise UnsafePath(f"{rel}: a file where officecli expects a folder")

    def forget(self, rel: str = "") -> None:
        """Check again from ``rel`` down (after officecli itself removed a folder)."""
        self.good = {g for g in self.good if not (g == rel or g.startswith(rel + "/"))} | {""}

    def added(self, rel: str) -> None:
        """A folder officecli has just made itself (real, by construction)."""
        self.good.add(rel)

    def regular(self, rel: str, st: os.stat_result) -> None:
        """Refuse ``rel`` unless ``st`` (its lstat) is a regular file."""
        if not stat.S_ISREG(st.st_mode):
            if stat.S_ISLNK(st.st_mode):
                raise UnsafePath(link_problem(rel, self.full(rel)))
            raise UnsafePath(special_problem(rel, st))

    def lstat(self, rel: str) -> os.stat_result:
        """The lstat of a file whose folders are real; FileNotFoundError when there is none."""
        if not self.folder(rel.rpartition("/")[0]):
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", self.full(rel))
        return os.lstat(self.full(rel))

    def file(self, rel: str) -> os.stat_result:
        """The lstat of a regular file reached through real folders, else UnsafePath."""
        st = self.lstat(rel)
        self.regular(rel, st)
        return st

    def lexists(self, rel: str) -> bool:
        """Whether anything (a link too) has the name ``rel``, its folders being real."""
        try:
            self.lstat(rel)
            return True
        except FileNotFoundError:
            return False

    def read_bytes(self, rel: str) -> bytes:
        """A regular file's bytes, opened without following a link (O_NOFOLLOW)."""
        if not self.folder(rel.rpartition("/")[0]):
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", self.full(rel))
        full = self.full(rel)
        try:
            fd = os.open(full, _OPEN_READ)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise UnsafePath(link_problem(rel, full)) from None
            raise
        with open(fd, "rb", closefd=True) as f:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise UnsafePath(special_problem(rel, st))
            return f.read()


def read_plain(path: Path | str) -> bytes | None:
    """The bytes of a regular file at ``path`` not reached through a final link, or None
    (missing, a link, special, unreadable): for disposable state such as cache shards."""
    try:
        fd = os.open(path, _OPEN_READ)
    except OSError:
        return None
    with open(fd, "rb", closefd=True) as f:
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            return f.read()
        except OSError:
            return None


STATE_CAP = 1 << 20  # a note of officecli's own (.officecli/pending-commit.json, site) is small


def read_state(root: Path | str, name: str, cap: int = STATE_CAP) -> bytes | None:
    """A file of officecli's own state (``.officecli/NAME``): None when there is none; a
    link, a FIFO or anything but a regular file refused (UnsafePath), never followed or
    waited on; one bigger than ``cap`` refused (not one officecli wrote)."""
    g = Guard(root)
    rel = f"{STATE_DIR}/{name}"
    try:
        data = g.read_bytes(rel)
    except FileNotFoundError:
        return None
    if len(data) > cap:
        raise UnsafePath(f"{rel}: bigger than {cap} bytes: not a file officecli wrote (remove it)")
    return data


def find_links(root: Path | str) -> list[tuple[str, str]]:
    """(path, problem) for every symbolic link and special file below ``root``, ``.officecli/``
    included, git's own ``.git`` folders left out; following no link. Unreadable folders are skipped here
    (they are reported by the checks that read them)."""
    top = os.fspath(root)
    out: list[tuple[str, str]] = []

    def walk(folder: str, rel: str) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            sub = f"{rel}/{entry.name}" if rel else entry.name
            try:
                if entry.name == ".git" and not entry.is_symlink():
                    continue  # git's own (a nested repository's too)
                if entry.is_symlink():
                    out.append((sub, link_problem(sub, entry.path).partition(": ")[2]))
                elif entry.is_dir(follow_symlinks=False):
                    walk(entry.path, sub)
                elif not entry.is_file(follow_symlinks=False):
                    st = entry.stat(follow_symlinks=False)
                    out.append((sub, special_problem(sub, st).partition(": ")[2]))
                else:
                    st = entry.stat(follow_symlinks=False)
                    if st.st_nlink > 1 and not fsio.is_temp(entry.name):  # (atomic_create links one)
                        out.append((sub, hardlink_problem(st)))
            except OSError:
                continue

    walk(top, "")
    return out
