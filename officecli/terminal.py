"""The terminal: tables that fit, a pager, colour and progress -- for people, never for pipes.

* **Width.** ``width()`` is ``$COLUMNS`` when set (also off a terminal: a test or
  a script can ask for a width), else the terminal's width on a terminal, else
  None (a pipe or a file gets every character). ``fit`` makes a table's rows fit
  it: the widest text columns shrink first, and a cell that no longer fits is
  cut with an ellipsis (…). Money, numbers, dates, IDs, SKUs and states are
  never cut: a column whose every cell is one of them keeps its width (so does
  a column no wider than 5, or its header); a time stamp is cut to its day. A
  table of such columns alone may still be wider than the screen: a cut amount
  would be a wrong amount.
* **Colour** (``paint``) marks what needs attention: overdue, negative amounts,
  refused and errors. Never when ``$NO_COLOR`` is set (any value, no-color.org),
  with ``--no-color``, or when the stream is not a terminal; ``$OFFICECLI_COLOR=always``
  forces it (tests, ``less -R``).
* **Pager** (``page``): long output on a terminal goes through ``$PAGER``, else
  ``less -FRX`` (which prints and exits when it fits one screen), never off a
  terminal and never with ``--no-pager``.
* **Progress** (``progress``): click's progress bar on stderr for long work
  (imports, doctor, a cold cache), on a terminal only; elsewhere the items pass
  through untouched and nothing is printed.

Nothing here imports more than the standard library and click until it draws.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence

NO_COLOR = False  # --no-color
NO_PAGER = False  # --no-pager

ELLIPSIS = "…"
MIN_CUT = 5  # a text column is never cut narrower than this (or its header)
GAP = 2  # tabulate's "simple" format: two spaces between columns
HEADER_PAD = 2  # ... and a column at least two wider than its header
KEEP = {"id", "state", "sku"}  # columns never cut, whatever they hold

_KEEP = re.compile(
    r"^(?:[A-Z][A-Z0-9]*-[A-Z0-9]{1,8}-\d+"  # an ID: ORD-A-0042
    r"|[-+]?[\d.,]+(?: ?[A-Z]{3}|%)?"  # money, numbers, 24%, 12.50 EUR
    r"|\d{4}-\d\d(?:-\d\d)?"  # dates, months
    r"|)$"
)
_STAMP = re.compile(r"^\d{4}-\d\d-\d\d[T ][\d:.]+(?:[+-]\d\d:?\d\d|Z)?$")  # cut to its date
_NEGATIVE = re.compile(r"^-\d[\d.,]*(?: ?[A-Z]{3})?$")
_ATTENTION = re.compile(r"\boverdue\b|\brefused\b|\bshort\b", re.I)


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except Exception:
        return False


def width() -> int | None:
    """The width tables must fit, or None (no limit)."""
    cols = os.environ.get("COLUMNS", "").strip()
    if cols.isdigit() and int(cols) > 0:
        return int(cols)
    if _isatty(sys.stdout):
        import shutil

        return shutil.get_terminal_size((80, 24)).columns
    return None


def _keep(cells: Sequence[str]) -> bool:
    return all(_KEEP.match(c.strip()) for c in cells)


def fit(
    headers: Sequence[str], rows: list[list[str]], limit: int | None = None
) -> tuple[list[str], list[list[str]]]:
    """(headers, rows) with text cells (and, last, their headers) cut so the table is at
    most ``limit`` (default ``width()``) characters wide; cells are one line each."""
    limit = width() if limit is None else limit
    headers = [str(h) for h in headers]
    rows = [[" ".join(c.split()) if ("\n" in c or "\r" in c) else c for c in r] for r in rows]
    if not limit or not rows:
        return headers, rows
    n = len(headers)
    head = [len(str(h)) + HEADER_PAD for h in headers]
    widths = [max([head[i]] + [len(r[i]) for r in rows]) for i in range(n)]
    total = sum(widths) + GAP * (n - 1)
    if total <= limit:
        return headers, rows
    # text is cut down to MIN_CUT, its header to MIN_CUT (+ tabulate's padding); a column of
    # time stamps to their day
    floor = [_floor(headers[i], [r[i] for r in rows]) for i in range(n)]
    cuttable = [
        i
        for i in range(n)
        if widths[i] > floor[i] and headers[i].lower() not in KEEP and not _keep([r[i] for r in rows])
    ]
    excess = total - limit
    while excess > 0:
        room = [i for i in cuttable if widths[i] > floor[i]]
        if not room:
            break
        widest = max(room, key=lambda i: widths[i])
        others = [widths[i] for i in room if i != widest]
        # shrink the widest down to the next widest (or as far as needed), at least by one
        step = max(1, min(excess, widths[widest] - max(others + [floor[widest]])))
        widths[widest] -= step
        excess -= step
    headers = [_cut(h, widths[i] - HEADER_PAD) if head[i] > widths[i] else h for i, h in enumerate(headers)]
    return headers, [[_cut(c, widths[i]) for i, c in enumerate(r)] for r in rows]


# -- the table policy: what a narrow terminal gives up first ----------------------------
# Columns dropped, in this order (as gh drops low-value columns before it truncates):
# DROP_FIRST before any text is cut, the rest of DROP while the table cannot fit with
# its text cut to SOFT characters; never the first column (but a date).
DROP_FIRST = (
    "path", "file", "source", "tags", "vat number", "note", "currency", "phone", "where", "ref",
    "created", "updated",
)  # fmt: skip
DROP = DROP_FIRST + (
    "email", "address", "office", "due", "pieces", "net", "vat", "overdue", "order", "sla",
    "detail", "reserved", "value", "state", "txn", "date",
)  # fmt: skip
SOFT = 12  # a text column is cut to this before a low-value column is dropped
_ACCOUNT = re.compile(r"^[A-Z][A-Za-z]*(?::[^:]+)+$")
_ANY_ID = re.compile(r"\b[A-Z][A-Z0-9]*-[A-Z0-9]{1,8}-\d+\b")
_LEAD_ID = re.compile(r"^([A-Z][A-Z0-9]*-[A-Z0-9]{1,8}-\d+)\s")
_STAMP_FULL = re.compile(r"^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(?::\d\d(?:\.\d+)?)?(?:[+-]\d\d:?\d\d|Z)$")


def abbreviate_account(name: str) -> str:
    """hledger's way: every segment but the last to its first letter (Assets:Bank -> A:Bank)."""
    parts = name.split(":")
    return ":".join([p[:1] for p in parts[:-1]] + parts[-1:])


def _total(widths: Sequence[int]) -> int:
    return sum(widths) + GAP * (len(widths) - 1)


def table_policy(
    headers: Sequence[str], rows: list[list[str]], align: Sequence[str], limit: int | None = None
) -> tuple[list[str], list[list[str]], list[str]]:
    """The one table policy, for every listing (render.table), in this order:

    1. time stamps show their day and minute (``2026-12-08 09:30``), at any width;
    2. when the table is wider than the terminal: columns with nothing in them (blank,
       or only zero amounts) go,
       account names are abbreviated by segment as hledger does (``A:Bank``);
    3. low-value columns go one by one: DROP_FIRST (path, file, source, tags... created)
       while the table is too wide at all, then the rest of DROP (email... date) while
       it would not fit with its text cut to SOFT characters; the first column (the
       row's ID) never goes, but for a date (a register then keeps what it says);
    4. text is cut with an ellipsis (``fit``); an ID is never cut, nor the ID that
       starts a cell ("EMP-R-0001 Νίκος Αλεξίου" keeps EMP-R-0001).
    """
    headers = list(headers)
    align = list(align)
    rows = [[_short_stamp(" ".join(c.split()) if ("\n" in c or "\r" in c) else c) for c in r] for r in rows]
    limit = width() if limit is None else limit
    if not limit or not rows:
        return headers, rows, align
    keep = list(range(len(headers)))
    # a column's natural width, and the width it may be cut to (None: not cuttable), measured
    # once per column (a listing of 20,000 rows is asked about ~30 times), again only after
    # the account names are abbreviated
    measured: dict[int, tuple[int, int | None]] = {}

    def measure(i: int) -> tuple[int, int | None]:
        got = measured.get(i)
        if got is None:
            cells = [r[i] for r in rows]
            natural = max([len(headers[i]) + HEADER_PAD] + [len(c) for c in cells])
            floor = _floor(headers[i], cells) if _cuttable(headers[i], cells) else None
            got = measured[i] = (natural, floor)
        return got

    def too_wide(soft: int = 0) -> bool:
        ws = []
        for i in keep:
            w, floor = measure(i)
            if soft and floor is not None:
                w = min(w, max(soft, floor))
            ws.append(w)
        return _total(ws) > limit

    if too_wide():  # nothing in them: blank, or nothing but zero amounts
        keep = [i for i in keep if i == 0 or any(r[i].strip() not in ("", "0.00") for r in rows)]
    if too_wide():
        for i in keep:
            col = [r[i] for r in rows if r[i]]
            if col and ("ACCOUNT" in headers[i].upper() or all(_ACCOUNT.match(c) for c in col)):
                for r in rows:
                    r[i] = abbreviate_account(r[i]) if _ACCOUNT.match(r[i]) else r[i]
                measured.pop(i, None)
    for name in DROP:
        if not too_wide(0 if name in DROP_FIRST else SOFT):
            if name in DROP_FIRST:
                continue  # (the rest only while cutting text to SOFT is not enough)
            break
        keep = [
            i
            for i in keep
            if headers[i].lower().replace("_", " ") != name or (i == 0 and headers[i].lower() != "date")
        ]
    headers = [headers[i] for i in keep]
    rows = [[r[i] for i in keep] for r in rows]
    align = [align[i] for i in keep]
    headers, rows = fit(headers, rows, limit)
    return headers, rows, align


def _short_stamp(cell: str) -> str:
    m = _STAMP_FULL.match(cell) if len(cell) >= 16 else None
    return f"{m.group(1)} {m.group(2)}" if m else cell


def _cuttable(header: str, cells: Sequence[str]) -> bool:
    return header.lower() not in KEEP and not _keep(cells)


def _floor(header: str, cells: Sequence[str]) -> int:
    """How narrow a text column may be cut: MIN_CUT, the day of a time stamp, or the ID
    that starts its cells and one more character."""
    lead = [m.group(1) for c in cells if (m := _LEAD_ID.match(c))]
    if lead:
        return max(map(len, lead)) + 3  # "EMP-R-0001 Ν…"
    if all(_STAMP.match(c) or not c for c in cells):
        return 10
    return max(MIN_CUT, min(len(header) + HEADER_PAD, MIN_CUT + HEADER_PAD))


def _cut(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    if room >= 10 and _STAMP.match(text):  # a time stamp shows its day
        return text[:10]
    end = max(room - 1, 0)
    for m in _ANY_ID.finditer(text):  # an ID inside the text goes whole or not at all
        if m.start() < end < m.end() and m.start() > 0:
            end = len(text[: m.start()].rstrip())
            break
    return text[:end] + ELLIPSIS


# -- colour -------------------------------------------------------------------------


def colour_on(stream=None) -> bool:
    if NO_COLOR or "NO_COLOR" in os.environ:
        return False
    if os.environ.get("OFFICECLI_COLOR") == "always":
        return True
    return _isatty(stream or sys.stdout)


def paint(text: str, fg: str = "red", bold: bool = False, stream=None) -> str:
    if not text or not colour_on(stream):
        return text
    import click

    return click.style(text, fg=fg, bold=bold)


def attention(cell: str) -> str:
    """A table cell in colour when it needs attention (overdue, negative...)."""
    if _NEGATIVE.match(cell.strip()) or _ATTENTION.search(cell):
        return paint(cell, "red")
    return cell


def mark(rows: list[list[str]]) -> list[list[str]]:
    if not colour_on():
        return rows
    return [[attention(c) for c in r] for r in rows]


# -- pager --------------------------------------------------------------------------


def page(text: str) -> None:
    """Print ``text``: through the pager when stdout is a terminal and it is longer
    than the screen, else straight."""
    import click

    if NO_PAGER or not _isatty(sys.stdout) or not _isatty(sys.stdin):
        click.echo(text)
        return
    import shutil

    if text.count("\n") + 1 < shutil.get_terminal_size((80, 24)).lines:
        click.echo(text)
        return
    import subprocess

    pager = os.environ.get("PAGER") or "less -FRX"
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    try:
        proc = subprocess.Popen(pager, shell=True, stdin=subprocess.PIPE, env=env)
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.write((text + "\n").encode("utf-8"))
            proc.stdin.close()
        proc.wait()
    except OSError:
        click.echo(text)


# -- progress -----------------------------------------------------------------------


@contextlib.contextmanager
def progress(items: Iterable, length: int | None = None, label: str = "") -> Iterator[Iterable]:
    """``with progress(rows, len(rows), "importing") as bar: for row in bar: ...``:
    a bar on stderr when stderr is a terminal, else the items unchanged."""
    if not _isatty(sys.stderr):
        yield items
        return
    import click

    with click.progressbar(items, length=length, label=label, file=sys.stderr) as bar:
        yield bar
