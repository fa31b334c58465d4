"""Record IDs (``PREFIX-SITE-NUMBER``) and the names that become paths.

Every name that reaches the file system passes ``check_name`` first: nothing
like ``../x``, ``a/b`` or a hidden file ever becomes a path.
"""

from __future__ import annotations

import marshal
import os
import re
import stat
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Callable

from .errors import UserError

if TYPE_CHECKING:
    from pathlib import Path

ID_RE = re.compile(r"^([A-Z]{2,5})-([A-Z0-9]{1,8})-([0-9]{1,9})\Z")
SITE_RE = re.compile(r"^[A-Z0-9]{1,8}\Z")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")
QUERY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,40}\Z")
WIDTH = 4


def format_id(prefix: str, site: str, number: int) -> str:
    return f"{prefix}-{site}-{number:0{WIDTH}d}"


def parse_id(text: str) -> tuple[str, str, int] | None:
    m = ID_RE.match(text)
    return (m.group(1), m.group(2), int(m.group(3))) if m else None


def check_site(site: str) -> str:
    if not SITE_RE.match(site or ""):
        raise UserError(f"site {site!r}: a site code is 1 to 8 capital letters or digits (e.g. A)")
    return site


USER_MAX = 120
_USER_BAD = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def check_user(text: str, what: str = "--user") -> str:
    """The one check of who is acting, for every command (sync's trailers and commit
    identities, history entries, the lock): one line of text, no control or invisible
    character (a line break would forge a ``Officecli-Site:`` trailer), not blank, at most
    USER_MAX characters. Returned stripped."""
    name = (text or "").strip()
    bad = _USER_BAD.search(name)
    if bad:
        raise UserError(
            f"{what} {name!r}: a user name is one line of visible text (it holds U+{ord(bad.group(0)):04X})"
        )
    if not name or len(name) > USER_MAX:
        raise UserError(f"{what} {name[:40]!r}: a user name is 1 to {USER_MAX} characters")
    return name


def check_name(text: str, what: str = "name") -> str:
    """A name that becomes a file or folder name: letters, digits, '.', '_', '-'; no '..'."""
    if not isinstance(text, str) or not NAME_RE.match(text) or ".." in text:
        raise UserError(
            f"{what} {text!r}: not a valid name (letters, digits, '.', '_' and '-', "
            "starting with a letter or digit, no '..', at most 64 characters)"
        )
    return text


def next_number(existing: Iterable[str], prefix: str, site: str) -> int:
    """One more than the highest number used by ``PREFIX-SITE-*``: numbers grow within a site."""
    top = 0
    for ident in existing:
        parsed = parse_id(ident)
        if parsed and parsed[0] == prefix and parsed[1] == site:
            top = max(top, parsed[2])
    return top + 1


NUMBERS_VERSION = 1
NUMBERS_CAP = 64 << 20
MAX_NUMBER = 10**9 - 1  # the most an ID's number may have (9 digits: ID_RE)
BELIEVED = 1000  # a mark this far above every file of a series is not believed (rebuilt)


def _count(n: object) -> bool:
    return type(n) is int and 0 <= n <= MAX_NUMBER


def _valid(folders: object, tops: object) -> bool:
    """Is this what HighWater writes: every key a name, every stat three ints, every number
    one an ID can have? (A tampered file is rebuilt, never trusted in part.)"""
    if not isinstance(folders, dict) or not isinstance(tops, dict):
        return False
    for key, n in tops.items():
        if not isinstance(key, str) or not _count(n):
            return False
    for folder, hit in folders.items():
        if not isinstance(folder, str) or type(hit) is not tuple or len(hit) != 2:
            return False
        skey, counts = hit
        if type(skey) is not tuple or len(skey) != 3 or not all(type(x) is int for x in skey):
            return False
        if not isinstance(counts, dict) or not all(
            isinstance(k, str) and _count(v) for k, v in counts.items()
        ):
            return False
    return True


RACY_NS = 2_000_000_000  # a folder changed this recently is listed again next time


class HighWater:
    """Where a site's numbers stand, so that a writer never lists every file of a kind.

    ``.officecli/numbers.marshal`` (not versioned, disposable like the cache) keeps,
    for every folder a kind's records live in, the folder's own (mtime_ns, ctime_ns,
    inode) and the highest number of each ``PREFIX-SITE`` among its file names, and
    ``tops``: the highest number of each ``PREFIX-SITE`` ever seen in a file (a file
    deleted by hand leaves its number used). A folder's names change only with its
    mtime, so ``top()`` lists only the folders whose stat moved (the newest folders,
    where a site's records are written, and any folder a person or git touched) and
    trusts one ``lstat`` for every other. A folder changed in the last two seconds is
    never trusted (its clock tick may hide a second change). A missing, damaged or
    older file is rebuilt by listing every folder once. Used under the writer lock
    only; the full search of every place a number can appear (a ledger ref naming an
    invoice whose file is gone...) stays with ``doctor`` / ``ledger check``, and seeds
    ``tops`` the first time a series is numbered here (see office/books/invoices.py).
    """

    def __init__(self, path: Path, usable: bool = True):
        self.path = path
        self.usable = usable
        self.folders: dict[str, Any] = {}  # folder -> ((mtime_ns, ctime_ns, inode), {PREFIX-SITE: top})
        self.tops: dict[str, int] = {}
        self.changed = False
        self.fresh = True  # made anew: it knows no number a file no longer shows
        if usable:
            from .guard import read_plain

            blob = read_plain(path)
            if blob is not None and len(blob) > NUMBERS_CAP:
                blob = None  # not one officecli wrote: rebuilt from the files
            try:
                version, folders, tops = marshal.loads(blob) if blob else (NUMBERS_VERSION, {}, {})
                if version == NUMBERS_VERSION and _valid(folders, tops):
                    self.folders, self.tops = folders, tops
                    self.fresh = not blob
            except (ValueError, EOFError, TypeError):
                pass
        self.shown = 0  # what the files themselves show, of the last series top() was asked

    def known(self, prefix: str, site: str) -> bool:
        """Whether ``seed`` ran for PREFIX-SITE since this file was made."""
        return f"seeded {prefix}-{site}" in self.tops

    def seed(self, prefix: str, site: str, top: int) -> None:
        key = f"{prefix}-{site}"
        self.tops[f"seeded {key}"] = 1
        if top > self.tops.get(key, 0):
            self.tops[key] = top
        self.changed = True

    def seed_top(self, prefix: str, site: str, number: int) -> None:
        """A number a committed file holds: used, whatever happens to the file."""
        key = f"{prefix}-{site}"
        if number > self.tops.get(key, 0):
            self.tops[key] = number
            self.changed = True

    def top(self, root: str, folders: Iterable[str], prefix: str, site: str) -> int:
        """The highest number of PREFIX-SITE named by a file of these folders, or ever seen."""
        key = f"{prefix}-{site}"
        now = time.time_ns()
        best = 0
        for folder in folders:
            full = os.path.join(root, folder)
            try:
                st = os.lstat(full)
            except OSError:
                continue
            if not stat.S_ISDIR(st.st_mode):
                continue
            skey = (st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
            hit = self.folders.get(folder)
            if type(hit) is tuple and len(hit) == 2 and hit[0] == skey and isinstance(hit[1], dict):
                tops = hit[1]
            else:
                tops = {}
                for name in os.listdir(full):
                    if name.endswith(".yaml"):
                        p = parse_id(name[:-5])
                        if p:
                            k = f"{p[0]}-{p[1]}"
                            if p[2] > tops.get(k, 0):
                                tops[k] = p[2]
                if now - max(st.st_mtime_ns, st.st_ctime_ns) >= RACY_NS:
                    self.folders[folder] = (skey, tops)
                else:
                    self.folders.pop(folder, None)
                self.changed = True
                for k, n in tops.items():  # what a file showed stays used
                    if n > self.tops.get(k, 0):
                        self.tops[k] = n
            best = max(best, tops.get(key, 0))
        self.shown = best
        return max(best, self.tops.get(key, 0))

    def reset(self, prefix: str, site: str, top: int) -> None:
        """The series' mark, from a full search (it said more than any file shows)."""
        self.tops[f"{prefix}-{site}"] = top
        self.changed = True

    def save(self) -> None:
        if not (self.changed and self.usable):
            return
        from . import fsio

        try:
            fsio.atomic_replace(self.path, marshal.dumps((NUMBERS_VERSION, self.folders, self.tops)), 0o600)
        except (OSError, ValueError):
            pass  # only slower next time
        self.changed = False


def resolve(
    text: str, known: Iterable[str], what: str = "record", site: Callable[[], str | None] | None = None
) -> str:
    """Turn a full ID, a unique suffix or a bare number into the one full ID it names.

    ``42`` names every ID numbered 42 (``ORD-A-0042``); ``A-0042`` names every
    ID ending so. A bare number that several sites used names this site's
    record (``site()`` gives its code, asked only then): at site A, ``1`` is
    ``CUS-A-0001`` even when ``CUS-B-0001`` exists; another site's record
    needs its site (``B-0001``) or its full ID. Any other case of more than
    one match is an error listing the candidates.
    """
    text = (text or "").strip()
    if not QUERY_RE.match(text):
        raise UserError(f"{what} {text!r}: not an ID (letters, digits and '-', e.g. 42 or ORD-A-0042)")
    known = list(known)
    upper = text.upper()
    if upper in known:
        return upper
    if text in known:
        return text
    if text.isascii() and text.isdigit():
        number = int(text)
        matches = [k for k in known if (p := parse_id(k)) and p[2] == number]
    else:
        matches = [
            k
            for k in known
            if k.upper().endswith(upper) and (len(k) == len(upper) or k[-len(upper) - 1] == "-")
        ]
    if len(matches) > 1 and site is not None and text.isascii() and text.isdigit():
        here = site()
        mine = [k for k in matches if (p := parse_id(k)) and p[1] == here]
        if len(mine) == 1:
            return mine[0]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise UserError(f"{what} {text}: no such {what}")
    raise UserError(f"{what} {text}: ambiguous, it could be {', '.join(sorted(matches))}")
