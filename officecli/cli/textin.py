"""Text a person hands officecli (a CSV to import, a record saved by an editor), decoded
with one clear line when it is not text officecli can read.

UTF-8 (with or without a byte-order mark) is read as it is. A UTF-16 file (what some
spreadsheets save as "Unicode text") is recognised by its byte-order mark and read too.
Anything else that is not valid UTF-8 is refused, naming the file, the line and the
byte, never an internal error.
"""

from __future__ import annotations

import codecs

from officecli.store.errors import UserError

CSV_HINT = "save it as UTF-8 (in a spreadsheet: CSV UTF-8)"


def decode(data: bytes, source: str, hint: str = CSV_HINT) -> str:
    """``data`` as text (see the module); UserError naming ``source`` when it is none."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UserError(
                f"{source}: not valid UTF-16 text (byte {exc.start}: {exc.reason}); {hint}"
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UserError(
            f"{source}:{line}: not UTF-8 text (byte {exc.start}: 0x{data[exc.start]:02x}); {hint}"
        ) from None
