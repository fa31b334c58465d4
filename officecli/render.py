"""The one renderer: table, json, jsonl, yaml, csv and ids, for every command that prints records.

The machine formats follow one schema per kind of row (officecli/office/schema.yaml,
documented in docs/SCHEMA.md):

* every key of the schema is in every object, in schema order, ``null`` when
  empty (an empty csv cell); a listing with no schema gets the union of its
  rows' keys, each present in every row; ``--fields a,b`` picks and orders keys;
* ``json`` is always a list of objects (a ``show`` prints a list of one);
  ``jsonl`` one compact object a line, for streams; money stays a decimal string;
* ``csv`` has a header row of the keys and round-trips through any csv reader:
  lists and maps (an order's lines, a history) are one JSON cell, never prose;
  ``true``/``false`` for booleans;
* ``csv-excel`` is ``csv`` for a spreadsheet: a byte-order mark, ';', CRLF (``for_excel``);
* ``ids`` prints one ID a line, for scripts: ``officecli order list --format ids | officecli order forward -``.

``table`` is for people: the listing's columns (or ``--fields``), headers in
capitals, money right-aligned with a thousands comma (``1,234.50``), whole
numbers right-aligned. ``one`` prints a record as a ``Label: value`` block
whose labels start with a capital (acronyms such as ID, VAT, SKU in capitals).
``table`` is the one function that draws tables.

Output is safe to read: every table cell and ``one`` value passes ``safe`` (control
characters escaped), and every CSV cell ``neutral`` (no spreadsheet formula).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from decimal import Decimal

from officecli import FORMATS  # noqa: F401  (defined in the package: --format needs no renderer)
from officecli.store.printable import printable

Column = tuple  # (key, header)

# Text whose every character is one terminal column wide for wcwidth too (ASCII,
# Latin, Greek, dashes, quotes, the euro): tabulate may then measure it with len(),
# the same widths, many times faster than wcwidth.
_NARROW = re.compile("[\x20-\x7e\xa0-\u024f\u0370-\u03ff\u2010-\u2027\u20ac]*")
_MONEY = re.compile(r"-?\d+\.\d\d")
_WHOLE = re.compile(r"-?\d{1,9}")
ACRONYMS = {
    "id": "ID",
    "vat": "VAT",
    "sku": "SKU",
    "sla": "SLA",
    "txn": "TXN",
    "po": "PO",
    "cogs": "COGS",
    "url": "URL",
    "iban": "IBAN",
    "e-mail": "Email",
    "email": "Email",
}


def safe(text: str) -> str:
    """Text for a person's terminal: control characters escaped as git and ls do (an ESC
    sequence in a customer's name never recolours, retitles or writes the clipboard:
    store/printable.py); line breaks kept for a multi-line cell. Every table cell and
    every ``one`` value passes here."""
    return printable(text, newlines=True)


_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?[0-9][0-9 ().-]*")  # -12.50, +30 694 555 0101: no formula in it


def neutral(text: str) -> str:
    """A CSV cell a spreadsheet never runs as a formula (OWASP's rule: a cell starting with
    = + - @, a tab or a carriage return gets a leading '); a number or a phone number
    (-12.50, +30 694 555 0101: a sign, then only digits, spaces, dots, dashes and
    brackets) is left as it is: it can name no function, cell or program."""
    if text.startswith(_FORMULA) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def _cell(value) -> str:
    if value is None:
        return ""
    if type(value) is str:
        return safe(value)
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
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()
    return value


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, dict)):
        return neutral(json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":")))
    return neutral(str(_plain(value)))


def keys_of(
    items: Sequence[dict], schema: Sequence[str] | None = None, fields: Sequence[str] | None = None
) -> list[str]:
    """The keys of a machine-format listing: --fields, else the schema's, else the
    union of the rows' keys; id and state always, first."""
    if fields:
        return list(fields)
    keys = list(schema or ["id", "state"])
    seen = set(keys)
    for item in items:  # never lose a value: keys the schema lacks follow it
        for k in item:
            if k not in seen:
                seen.add(k)
                keys.append(k)
    return keys


def shaped(items: Sequence[dict], keys: Sequence[str]) -> list[dict]:
    """Each item with exactly these keys, in this order, None where it has none."""
    return [{k: _plain(i.get(k)) for k in keys} for i in items]


def rows(
    items: Sequence[dict],
    fmt: str,
    columns: Sequence[Column] | None = None,
    empty: str = "(none)",
    schema: Sequence[str] | None = None,
    fields: Sequence[str] | None = None,
) -> str:
    """Render a listing. ``columns`` picks what the table shows, in order; ``schema``
    the keys of the machine formats; ``fields`` (--fields) overrides both."""
    if fmt == "ids":
        return "\n".join(str(i.get("id", "") if i.get("id") is not None else "") for i in items)
    if fmt == "csv-excel":
        return for_excel(rows(items, "csv", columns, empty, schema, fields))
    if fmt == "table":
        cols = (
            [(k, k) for k in fields]
            if fields
            else list(columns or [(k, k) for k in keys_of(items[:1], schema)])
        )
        return table(items, cols, empty)
    data = shaped(items, keys_of(items, schema, fields))
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2)
    if fmt == "jsonl":
        return "\n".join(json.dumps(d, ensure_ascii=False, separators=(",", ":")) for d in data)
    if fmt == "yaml":
        from officecli.store import yamlio  # the one YAML convention

        return yamlio.dumps(data).rstrip("\n") if data else "[]"
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(keys_of(items, schema, fields))
    for d in data:
        writer.writerow([_csv_cell(v) for v in d.values()])
    return buf.getvalue().rstrip("\n")


def for_excel(text: str) -> str:
    """csv for a spreadsheet opened by double-click (``--format csv-excel``): a UTF-8
    byte-order mark, so that Excel reads Greek as Greek, ';' between cells, as Excel
    expects where the decimal mark is a comma (Greece, most of Europe), and CRLF line
    ends; the cells themselves as ``csv`` has them."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerows(csv.reader(io.StringIO(text)))
    return "\ufeff" + buf.getvalue().rstrip("\r\n")


def header(text: str) -> str:
    """A table header: capitals."""
    return str(text).upper()


def label(text: str) -> str:
    """A show label: a capital first, acronyms in capitals ('vat_number' -> 'VAT number')."""
    words = str(text).replace("_", " ").split(" ")
    words = [ACRONYMS.get(w.lower(), w) for w in words]
    out = " ".join(words)
    return out[:1].upper() + out[1:]


_SHORT_MONEY = re.compile(r"-?(?:0|[1-9][0-9]{0,2})\.[0-9][0-9]")


def money_text(value) -> str:
    """Money for people: a thousands comma, two decimals ('1,234.50')."""
    text = str(value)
    if _SHORT_MONEY.fullmatch(text):  # under a thousand, as written: nothing to add
        return text
    return f"{Decimal(text):,.2f}"


def _kind_of_column(values: list[str]) -> str | None:
    filled = [v for v in values if v != ""]
    if not filled:
        return None
    if all(_MONEY.fullmatch(v) for v in filled):
        return "money"
    if all(_WHOLE.fullmatch(v) for v in filled):
        return "whole"
    return None


def table(items: Sequence[dict], cols: Sequence[Column], empty: str = "(none)") -> str:
    """The one table drawing: headers in capitals, money and whole numbers right-aligned."""
    if not items:
        return empty
    keys = [k for k, _ in cols]
    cells = [[_cell(v) for v in map(i.get, keys)] for i in items]
    align = []
    money = _MONEY.fullmatch
    for c in range(len(cols)):
        col = [r[c] for r in cells]
        kind = _kind_of_column(col)
        if kind == "money":  # money anywhere: one thousands rule
            for r in cells:
                if r[c]:
                    r[c] = money_text(r[c])
        elif any("." in v and money(v) for v in col):
            for r in cells:
                if money(r[c]):
                    r[c] = money_text(r[c])
        align.append("right" if kind else "left")
    headers = [header(h) for _, h in cols]
    from officecli import terminal  # fit the width, colour what needs attention (terminal.py)

    headers, cells, align = terminal.table_policy(headers, cells, align)  # the width policy
    cells = terminal.mark(cells)
    narrow = _NARROW.fullmatch("".join(headers) + "".join("".join(r) for r in cells))
    if narrow:  # one character, one column: drawn here, as tabulate would
        return simple(headers, cells, align)
    import tabulate as tab  # imported here: only wide or combining text needs it

    wide, tab.WIDE_CHARS_MODE = tab.WIDE_CHARS_MODE, tab.WIDE_CHARS_MODE and not narrow
    try:
        return tab.tabulate(cells, headers=headers, tablefmt="simple", disable_numparse=True, colalign=align)
    finally:
        tab.WIDE_CHARS_MODE = wide


def simple(headers: list[str], cells: list[list[str]], align: list[str]) -> str:
    """tabulate's "simple" table (disable_numparse, these column alignments) for text
    whose every character is one column wide: the same bytes (a differential test holds
    it to tabulate), without its per-cell type detection (16,000 rows: 0.1 s, not 2.8 s).
    Each column is as wide as its widest stripped cell or its header plus two."""
    columns, widths = [], []
    for c, (head, right) in enumerate(zip(headers, (a == "right" for a in align))):
        col = [row[c].strip() for row in cells]
        width = max(len(head) + 2, max(map(len, col), default=0))
        widths.append(width)
        columns.append([v.rjust(width) for v in col] if right else [v.ljust(width) for v in col])
    head = "  ".join(h.rjust(w) if a == "right" else h.ljust(w) for h, w, a in zip(headers, widths, align))
    lines = [head.rstrip(), "  ".join("-" * w for w in widths).rstrip()]
    lines += ["  ".join(row).rstrip() for row in zip(*columns)]
    return "\n".join(lines)


def one(
    item: dict,
    fmt: str,
    fields: Sequence[Column] | None = None,
    schema: Sequence[str] | None = None,
    only: Sequence[str] | None = None,
) -> str:
    """Render one record: a label/value block as a table, a list of one elsewhere."""
    if fmt != "table":
        return rows([item], fmt, fields, schema=schema, fields=only)
    item = _plain(item)
    if only:
        fields = [(k, k) for k in only]
    pairs = [(label(h), item.get(k)) for k, h in (fields or [(k, k) for k in item])]
    pairs = [(h, v) for h, v in pairs if v not in (None, "", [], {})]
    pairs = [(h, money_text(v) if isinstance(v, str) and _MONEY.fullmatch(v) else v) for h, v in pairs]
    width = max((len(h) for h, _ in pairs), default=0)
    return "\n".join(f"{h + ':':<{width + 1}} {_cell(v)}" for h, v in pairs)
