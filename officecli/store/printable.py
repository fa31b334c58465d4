"""Text safe to put on a terminal: what a file, a remote or a name cannot make it do.

A record's field, a file name or a commit's author can hold control characters:
ESC sequences that recolour, move the cursor, retitle the window or write the
clipboard (OSC 52), a carriage return that overwrites what was printed, bidi
overrides (U+202E) that print a name backwards. ``printable`` escapes each of
them as git and ls do for file names: a C0 or C1 control character or DEL as
``\\xNN``, a bidi control as ``\\uNNNN``; a backslash stays as it is (the text is
for reading, not for parsing back). Newlines are kept only where the caller
lays out several lines itself (a table's multi-line cell).
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_NL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group(0))
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def printable(text: str, newlines: bool = False) -> str:
    """``text`` with every control character escaped (``newlines``: line breaks kept)."""
    pattern = _UNSAFE if newlines else _UNSAFE_NL
    if pattern.search(text) is None:  # the common case: nothing to copy
        return text
    return pattern.sub(_escape, text)
