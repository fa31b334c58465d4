"""The lines of an order, a quote or a purchase order: ``SKU:QTY`` items, totals, edits.

Totals: each line's net is price x qty; VAT is computed per rate on the sum of
that rate's nets and rounded half-up to the cent; gross = net + VAT. The same
figures are what ``order show``, ``quote show``, a printed document and an
invoice's postings say, so they live here, below every room that has lines.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable

from officecli.office import money
from officecli.office.records import Record
from officecli.store import ids
from officecli.store.errors import UserError

if TYPE_CHECKING:
    from officecli.office.core import Office


def parse_item(text: str) -> tuple[str, int]:
    """``SKU:QTY`` -> (sku, qty); qty a whole number > 0."""
    raw = str(text).strip()
    sku, sep, qty = raw.rpartition(":")
    if not sep or not sku or not qty:
        raise UserError(f"{text!r}: not SKU:QTY (e.g. MUG-01:2)")
    if not ids.NAME_RE.match(sku):
        raise UserError(f"{text!r}: {sku!r} is not a SKU (letters, digits, '.', '_', '-')")
    s = qty.strip()
    if not (s.isascii() and s.lstrip("+").isdigit()) or s.count("+") > 1 or len(s) > 9:
        raise UserError(f"{text!r}: quantity {qty!r} is not a whole number of pieces")
    n = int(s)
    if n <= 0:
        raise UserError(f"{text!r}: quantity must be more than 0")
    return sku, n


def parse_items(items: Iterable[str]) -> list[tuple[str, int]]:
    return [parse_item(i) for i in items]


def totals(lines: list[dict[str, Any]]) -> dict[str, Any]:
    """net, vat (rate -> amount, each rounded half-up), gross, bases (rate -> net): all Decimal."""
    net_by_rate: dict[str, Decimal] = defaultdict(lambda: money.ZERO)
    net = money.ZERO
    for line in lines:
        amount = money.q(Decimal(str(line["price"])) * int(line["qty"]))
        rate = money.rate_text(line["vat"])
        net_by_rate[rate] += amount
        net += amount
    vat = {
        rate: money.q(base * Decimal(rate) / 100)
        for rate, base in sorted(net_by_rate.items(), key=lambda kv: -Decimal(kv[0]))
    }
    return {
        "net": net,
        "vat": vat,
        "gross": net + sum(vat.values(), money.ZERO),
        "bases": {rate: net_by_rate[rate] for rate in vat},
    }


def pieces(lines: list[dict[str, Any]]) -> int:
    """How many pieces the lines hold."""
    return sum(int(line.get("qty", 0)) for line in lines)


def priced_lines(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The lines with each one's net (price x qty, to the cent), as shown and printed."""
    return [
        dict(line, net=money.text(money.q(Decimal(str(line["price"])) * int(line["qty"])))) for line in lines
    ]


def edit_lines(
    office: Office,
    rec: Record,
    where: str,
    adding: list[Any],
    remove: Iterable[str],
    add_line: Callable[[Office, list[dict[str, Any]], Any], str],
) -> tuple[list[dict[str, Any]], list[str]]:
    """A record's lines after removing SKUs and adding items (removals first), and
    what was done ('-SKU', then what ``add_line`` says of each item). ``add_line(office,
    lines, item)`` puts one item on ``lines`` and returns its words (orders.add_sale_line for
    orders and quotes, purchases' own for purchase orders)."""
    lines = [dict(line) for line in rec.get("lines") or []]
    said = []
    for sku in remove:
        hit = [line for line in lines if str(line.get("sku")).upper() == sku.strip().upper()]
        if not hit:
            raise UserError(
                f"{where}: lines: no line with SKU {sku!r} to remove "
                f"(it has {', '.join(str(l.get('sku')) for l in lines) or 'none'})"
            )
        lines = [line for line in lines if line not in hit]
        said.append(f"-{hit[0]['sku']}")
    for item in adding:
        said.append(add_line(office, lines, item))
    return lines, said


def save_edit(
    office: Office,
    rec: Record,
    where: str,
    lines: list[dict[str, Any]],
    said: list[str],
    *,
    lines_changed: bool,
    note: str | None,
    command: str,
    noun: str,
    way_out: str,
    more: Callable[[dict[str, Any], list[str]], object] | None = None,
) -> Record:
    """The end of an edit of a record with lines (order, quote, purchase order).

    Refuses lines that are left empty (an empty ``noun``; ``way_out`` is the command
    to use instead); the changes are the lines when any were added or removed, the
    note when given ("" removes it), then whatever ``more(changes, said)`` adds. One
    message '``command`` ID: what' and one history entry 'edit'."""
    if not lines:
        raise UserError(
            f"{where}: lines: removing every line leaves an empty {noun}; use '{way_out}' instead"
        )
    changes: dict[str, Any] = {}
    if lines_changed:
        changes["lines"] = lines
    if note is not None:
        changes["note"] = note.strip() or None
        said.append("note")
    if more is not None:
        more(changes, said)
    office.messages.append(f"{command} {rec.id}: {' '.join(said)}")
    return office.note(rec, "edit", " ".join(said), changes=changes)


def lines_row(
    office: Office, rec: Record, party: str, names: dict[str, Any] | None, t: dict[str, Any], **more: Any
) -> dict[str, Any]:
    """A record with lines as a row (a purchase order's; an order's and a quote's too,
    orders.summary): its fields, then the name of its ``party`` (from ``names``, else
    looked up), its pieces, ``more``, the net, VAT per rate and gross of its totals ``t``,
    the currency, and its history last."""
    row = rec.as_row()
    if names is None:
        hit = office.find_any(str(rec.get(party)))
        names = {hit.id: hit.get("name")} if hit else {}
    row[f"{party}_name"] = names.get(rec.get(party), "")
    row["pieces"] = pieces(rec.get("lines") or [])
    row.update(more)
    row["net"] = money.text(t["net"])
    row["vat"] = {r: money.text(v) for r, v in t["vat"].items()}
    row["gross"] = money.text(t["gross"])
    row["currency"] = office.config.currency
    row.pop("history", None)
    row["history"] = rec.get("history") or []
    return row
