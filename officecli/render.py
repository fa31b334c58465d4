"""The one renderer: table, json, yaml, csv and ids, for every command that prints records.

* ``json`` is always a list of objects (a ``show`` prints a list of one), each
  with at least ``id`` and ``state``; money stays a decimal string.
* ``ids`` prints one ID a line, for scripts: ``officecli order list --format ids | xargs ...``.
* ``table`` and ``csv`` print the listing's columns; ``json`` and ``yaml`` the whole records.
"""
from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from typing import Sequence

FORMATS = ("table", "json", "yaml", "csv", "ids")

Column = tuple  # (key, header)

# Text whose every character is one terminal column wide for wcwidth too (ASCII,
# Latin, Greek, dashes, quotes, the euro): tabulate may then measure it with len(),
# the same widths, many times faster than wcwidth.
_NARROW = re.compile("[\x20-\x7e\xa0-\u024f\u0370-\u03ff\u2010-\u2027\u20ac]*")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {_cell(v)}" for k, v in value.items())
    return str(value)


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def rows(items: Sequence[dict], fmt: str, columns: Sequence[Column] | None = None,
         empty: str = "(none)") -> str:
    """Render a listing. ``columns`` picks what table and csv show, in order."""
    if fmt == "json":
        return json.dumps([_plain(i) for i in items], ensure_ascii=False, indent=2)
    if fmt == "yaml":
        from officecli.store import yamlio  # the one YAML convention
        return yamlio.dumps([_plain(i) for i in items]).rstrip("\n") if items else "[]"
    # table, csv and ids show only some cells, and _cell writes a Decimal as str() does
    if fmt == "ids":
        return "\n".join(str(i.get("id", "")) for i in items)
    cols = list(columns or [(k, k) for k in (items[0] if items else {})])
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([k for k, _ in cols])
        for i in items:
            writer.writerow([_cell(i.get(k)) for k, _ in cols])
        return buf.getvalue().rstrip("\n")
    if not items:
        return empty
    import tabulate as tab  # imported here: only table output needs it
    cells = [[_cell(i.get(k)) for k, _ in cols] for i in items]
    headers = [h for _, h in cols]
    from officecli import terminal  # fit the width, colour what needs attention (terminal.py)
    headers, cells = terminal.fit(headers, cells)
    cells = terminal.mark(cells)
    narrow = _NARROW.fullmatch("".join(str(h) for h in headers) + "".join("".join(r) for r in cells))
    wide, tab.WIDE_CHARS_MODE = tab.WIDE_CHARS_MODE, tab.WIDE_CHARS_MODE and not narrow
    try:
        return tab.tabulate(cells, headers=headers, tablefmt="simple", disable_numparse=True)
    finally:
        tab.WIDE_CHARS_MODE = wide


def one(item: dict, fmt: str, fields: Sequence[Column] | None = None) -> str:
    """Render one record: a key/value block as a table, a list of one elsewhere."""
    if fmt != "table":
        return rows([item], fmt, fields)
    item = _plain(item)
    pairs = [(h, item.get(k)) for k, h in (fields or [(k, k) for k in item])]
    pairs = [(h, v) for h, v in pairs if v not in (None, "", [], {})]
    width = max((len(h) for h, _ in pairs), default=0)
    return "\n".join(f"{h + ':':<{width + 1}} {_cell(v)}" for h, v in pairs)
