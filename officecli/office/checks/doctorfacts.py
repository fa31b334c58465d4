"""doctor's facts, folder by folder: what the checks after the walk need of a folder,
kept under the folder's digest so that ``doctor --quick`` skips a folder not changed.

1. **The facts of a folder** are what the walk learnt there that the checks after it
   use: the records' IDs and names (earlier names too), the references each record
   makes, and the records themselves as *facts*: their parsed fields with every
   short string interned (account names, dates, states, IDs and amounts repeat
   across thousands of records; one shared string each), which is what the books
   (checks/books.py) and the cross-record checks (sites/mergedoctor.py) read through
   the walk's Office. The file's text, its parse tree and the stat cache's shard are
   dropped as soon as the folder is done; only the facts stay.
2. **The digest of a folder** covers, taken *before* any of its files is read: the
   folder's own mode, and for every name in it that name, its mode, size, mtime,
   ctime and inode (``lstat``, never following a link). Any write to a file, an
   edit in place with the same size and its mtime put back included, changes its
   ctime (the kernel sets ctime to now on every change of the bytes or of the
   metadata, and no call sets it back); a file renamed over another changes its
   inode; a file added or removed changes the names. So an unchanged digest means
   unchanged bytes (git's index and officecli's stat cache rest on the same rule).
   What it cannot see: a clock set back by root to forge a ctime, or the disk written
   beneath the file system. A file changed while doctor reads it has a new digest next
   time, so its facts are never trusted under the new bytes.
3. **The cache**: one file per folder, ``.officecli/cache/doctor=<folder>.marshal``
   (not versioned, private 0600, replaced by an atomic rename), written only for a
   folder in which doctor found nothing wrong. Each file carries its version, its
   folder, the fingerprint of everything else the checks of a file depend on
   (office.yaml's rates, offices and chart; the size and mtime of every module and
   table of officecli, so a new version or a new check trusts no old facts), the
   digest, and a SHA-256 of its body: a truncated, edited,
   foreign (another folder's, another clone's: other inodes) or older file is
   ignored, and the folder is checked again from its files and its facts written
   anew. Nothing in it is trusted beyond what its own checksum and the live digest
   vouch for.
4. ``doctor --quick``: a folder whose digest and fingerprint match its facts is not
   read (its files are only ``lstat``-ed); its facts join the walk as if it had just
   been checked. Lines that depend on other folders (the same ID in two folders, a
   reference to a record elsewhere) are worked out again every time, from the facts.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import sys
from pathlib import Path
from typing import Any

from officecli.store import fsio
from officecli.store import guard as _guard

VERSION = 1
PREFIX = "doctor="
_SHORT = 48  # strings shorter than this are interned in the facts (most repeat)


def compact(value: Any) -> Any:
    """The record's fields with every key and short string interned (equal values, one
    string): the form the facts are kept in."""
    if type(value) is str:
        return sys.intern(value) if len(value) < _SHORT else value
    if type(value) is dict:
        return {sys.intern(k) if type(k) is str else k: compact(v) for k, v in value.items()}
    if type(value) is list:
        return [compact(v) for v in value]
    return value


def digest(root: str, rel: str, files: list[str]) -> bytes | None:
    """The folder's digest (see the module's docstring, step 2); None when a name cannot
    be stat-ed (such a folder is checked every time)."""
    h = hashlib.sha256()
    try:
        folder = os.path.join(root, rel) if rel else root
        h.update(b"%o\0" % stat.S_IMODE(os.lstat(folder).st_mode))
        for name in files:
            st = os.lstat(os.path.join(folder, name))
            h.update(
                b"%s\0%o %d %d %d %d\0"
                % (
                    name.encode("utf-8", "surrogateescape"),
                    st.st_mode,
                    st.st_size,
                    st.st_mtime_ns,
                    st.st_ctime_ns,
                    st.st_ino,
                )
            )
    except OSError:
        return None
    return h.digest()


def fingerprint(rules_said: str) -> str:
    """What every file's checks depend on besides the file: office.yaml's rules (as the
    walk states them) and the code that checks it: the size and mtime of every module
    and table of officecli (workflows.yaml, schema.yaml), so that a new version, or a
    check added, checks every folder again before any facts are trusted."""
    import officecli

    parts = [f"v{VERSION}", officecli.__version__, rules_said]
    here = os.path.dirname(os.path.abspath(officecli.__file__))
    for folder, dirs, files in os.walk(here):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".yaml")):
                try:
                    st = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                parts.append(
                    f"{os.path.relpath(os.path.join(folder, name), here)} {st.st_size} {st.st_mtime_ns}"
                )
    return "\n".join(parts)


class Facts:
    """The folders' facts in ``.officecli/cache/``: ``get`` the facts kept for a folder
    under its digest, ``put`` them after a clean check, ``sweep`` the ones of folders
    gone."""

    def __init__(self, cache, fingerprint: str):
        self.cache = cache  # the store's StatCache: its folder, and whether it may be used
        self.fingerprint = fingerprint

    def file(self, rel: str) -> Path:
        name = rel.replace("%", "%25").replace("/", "%2F") if rel else "%root"
        return self.cache.dir / f"{PREFIX}{name}.marshal"

    def get(self, rel: str, digest: bytes | None) -> dict | None:
        """The facts of ``rel`` if kept under this digest and fingerprint, else None."""
        if digest is None or not self.cache.usable():
            return None
        blob = _guard.read_plain(self.file(rel))
        if not blob or len(blob) < 32:
            return None
        body = blob[32:]
        if hashlib.sha256(body).digest() != blob[:32]:
            return None  # damaged: never trusted
        try:
            got = marshal.loads(body)
        except (ValueError, EOFError, TypeError):
            return None
        if not (
            type(got) is dict
            and got.get("v") == VERSION
            and got.get("rel") == rel
            and got.get("digest") == digest
            and got.get("fp") == self.fingerprint
            and _shaped(got)
        ):
            return None
        return got

    def put(self, rel: str, digest: bytes | None, names: list, refs: list, records: dict) -> bool:
        """Keep a clean folder's facts (names, refs as (path, field, ID), records as path ->
        (stat key, fields)) under its digest; False when they could not be kept (no cache:
        the caller keeps them in memory, only the memory grows)."""
        if digest is None or not self.cache.usable():
            return False
        got = {
            "v": VERSION,
            "rel": rel,
            "digest": digest,
            "fp": self.fingerprint,
            "names": list(names),
            "refs": [list(r) for r in refs],
            "records": records,
        }
        try:
            body = marshal.dumps(got)
        except ValueError:
            return False
        if not self._folder():
            return False
        try:
            fsio.atomic_replace(  # a cache: checksummed, rebuilt when lost or torn; no fsync
                self.file(rel), hashlib.sha256(body).digest() + body, 0o600, durable=False
            )
        except OSError:
            return False
        return True

    def drop(self, rel: str) -> None:
        try:
            os.unlink(self.file(rel))
        except OSError:
            pass

    def sweep(self, keep: set[str]) -> None:
        """Remove the facts of folders not in ``keep`` (gone, or no longer checked)."""
        if not self.cache.usable():
            return
        wanted = {self.file(rel).name for rel in keep}
        try:
            names = os.listdir(self.cache.dir)
        except OSError:
            return
        for name in names:  # (doctor.marshal: what --quick kept before the facts)
            if name == "doctor.marshal" or (
                name.startswith(PREFIX) and name.endswith(".marshal") and name not in wanted
            ):
                try:
                    os.unlink(self.cache.dir / name)
                except OSError:
                    pass

    def _folder(self) -> bool:
        if os.path.isdir(self.cache.dir):
            return True
        if not (self.cache.dir.parent.parent / "office.yaml").is_file():
            return False  # never litter a folder that is no office
        try:
            fsio.make_dirs(self.cache.dir)
        except OSError:
            return False
        return True


def _shaped(got: dict) -> bool:
    """The facts have the shape ``put`` writes (a checksum guards the bytes; this guards
    a file of another version that happens to carry the same keys)."""
    names, refs, records = got.get("names"), got.get("refs"), got.get("records")
    if type(names) is not list or type(refs) is not list or type(records) is not dict:
        return False
    if not all(type(n) is str for n in names):
        return False
    if not all(type(r) is list and len(r) == 3 and all(type(x) is str for x in r) for r in refs):
        return False
    return all(
        type(p) is str and type(v) is tuple and len(v) == 2 and type(v[0]) is tuple
        for p, v in records.items()
    )
