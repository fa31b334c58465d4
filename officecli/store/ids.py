"""Record IDs (``PREFIX-SITE-NUMBER``) and the names that become paths.

Every name that reaches the file system passes ``check_name`` first: nothing
like ``../x``, ``a/b`` or a hidden file ever becomes a path.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

from .errors import UserError

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


def resolve(text: str, known: Iterable[str], what: str = "record",
            site: Callable[[], str | None] | None = None) -> str:
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
        matches = [k for k in known if k.upper().endswith(upper) and
                   (len(k) == len(upper) or k[-len(upper) - 1] == "-")]
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
