"""A folder's seal: the name, size and digest of each of its record files, in one text file.

A seal is ``<folder>/.seal``, versioned with the records (it travels through git
like them). It holds one line per record file of the folder (``*.yaml``, not a
dot file), sorted by name::

    # officecli seal 1: name, bytes, blake2b-128 of the bytes (docs/SEALS.md)
    TXN-A-0001.yaml 312 1f0c9d2e...

Nothing else: no time, no site, no user, no closing date. So the seal of the
same bytes is the same bytes at every site (two sites sealing one folder agree,
and git merges two identical additions without a conflict), and a seal changes
only when a file of the folder does.

This module knows files, not periods: which folders are sealed and when is the
office's business (office/seals.py); what a changed file means is the checks'
(office/checks/seals.py).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Mapping

NAME = ".seal"
HEAD = "# officecli seal 1: name, bytes, blake2b-128 of the bytes (docs/SEALS.md)"
_LINE = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*\.yaml) ([0-9]{1,12}) ([0-9a-f]{32})\Z")

Entry = tuple[int, str]  # (size, hex digest) of one file


class BadSeal(ValueError):
    """A seal file that is not one officecli wrote: ``line`` (1-based) and why."""

    def __init__(self, line: int, why: str):
        super().__init__(f"line {line}: {why}")
        self.line = line


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def entry(data: bytes) -> Entry:
    return (len(data), digest(data))


def names(full: str) -> list[str]:
    """The record files of a folder (as store/index.py's ``scan`` sees them), sorted."""
    with os.scandir(full) as it:
        return sorted(e.name for e in it if e.name.endswith(".yaml") and e.name[0] != ".")


def read_file(full: str) -> bytes:
    """A file's bytes, never through a link (``O_NOFOLLOW``)."""
    fd = os.open(full, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as f:
        return f.read()


def compute(full: str, only: Iterable[str] | None = None) -> dict[str, Entry]:
    """name -> (size, digest) of the record files of folder ``full`` (``only``: these names)."""
    out = {}
    for name in names(full) if only is None else only:
        out[name] = entry(read_file(os.path.join(full, name)))
    return out


def dumps(entries: Mapping[str, Entry]) -> str:
    lines = [HEAD] + [f"{name} {size} {dig}" for name, (size, dig) in sorted(entries.items())]
    return "\n".join(lines) + "\n"


def loads(text: str) -> dict[str, Entry]:
    """The entries of a seal's text; BadSeal when it is not one officecli wrote."""
    lines = text.split("\n")
    if not lines or lines[0] != HEAD:
        raise BadSeal(1, "not an officecli seal (its first line is not the seal's heading)")
    if lines[-1] != "":
        raise BadSeal(len(lines), "no newline at the end (cut short?)")
    out: dict[str, Entry] = {}
    last = ""
    for n, line in enumerate(lines[1:-1], 2):
        m = _LINE.match(line)
        if m is None:
            raise BadSeal(n, "not 'NAME.yaml SIZE DIGEST'")
        name = m.group(1)
        if name <= last:
            raise BadSeal(n, f"{name}: out of order or twice")
        last = name
        out[name] = (int(m.group(2)), m.group(3))
    return out


def load(full_folder: str) -> dict[str, Entry] | None:
    """A folder's seal (None: it has none); BadSeal when it is damaged, OSError when unreadable."""
    try:
        data = read_file(os.path.join(full_folder, NAME))
    except FileNotFoundError:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadSeal(1, f"not UTF-8 text (byte {exc.start})") from None
    return loads(text)


def key(full_folder: str) -> tuple[str, int, int, int, int] | None:
    """The stat key of a folder's seal file (None: no seal, or not a regular file)."""
    try:
        st = os.lstat(os.path.join(full_folder, NAME))
    except OSError:
        return None
    if not (st.st_mode & 0o170000 == 0o100000):
        return None
    return ("seal", st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def differences(sealed: Mapping[str, Entry], found: Mapping[str, Entry]) -> list[tuple[str, str]]:
    """(name, 'changed'|'added'|'removed') of each file whose bytes are not what was sealed."""
    out = []
    for name in sorted(set(sealed) | set(found)):
        if name not in found:
            out.append((name, "removed"))
        elif name not in sealed:
            out.append((name, "added"))
        elif sealed[name] != found[name]:
            out.append((name, "changed"))
    return out


def merge3(base: str | None, ours: str | None, theirs: str | None) -> str | None:
    """The seal of a merged folder from its three versions, name by name (None: a name
    both sides sealed differently, or a side that is not a seal: git's conflict stands).

    A seal lists files; each line is a fact about one file, so the merge of two seals is
    the merge of their lines by file name: a name only one side changed (added, removed
    or re-sealed) takes that side's line. Two sites sealing one folder with different
    files (a closing entry each, one taken back later) thus merge without a conflict,
    and the seal still says exactly what each file's bytes were when it was sealed."""
    try:
        b, o, t = (loads(x) if x is not None else {} for x in (base, ours, theirs))
    except BadSeal:
        return None
    out: dict[str, Entry] = {}
    for name in set(b) | set(o) | set(t):
        was, mine, other = b.get(name), o.get(name), t.get(name)
        if mine == other or other == was:
            pick = mine
        elif mine == was:
            pick = other
        else:
            return None
        if pick is not None:
            out[name] = pick
    return dumps(out)
