"""``order trace``: where an order went, who moved it and when, and everything that names it.

An order made from a quote (its ``quote`` field) starts at the quote: the
quote's add, send and accept come first.

Generic on purpose: the related records are found through the workflow
table, not through a list of kinds. Any record of any kind whose ``order``,
``ref``, ``invoice`` or ``reverses`` field (or an ID list such as
``complaints``) names the order, or a record already found (its invoice, a
credit note of that invoice, a ledger entry of either, a reversal of that
entry...), belongs to its trace. Each related record contributes one row per
history entry, or one row (its ``at``/``by``) for append-only facts such as
stock moves and ledger transactions.
"""

from __future__ import annotations

from officecli.office import clock
from officecli.office.index import can_link, folder_of, record_links
from officecli.office.records import Record
from officecli.office.workflows import kinds


def related(office, order: Record) -> list[Record]:
    """Every record that names the order, or names a record that does (to a fixed point)."""
    linking = [k for k in kinds().values() if k.name != order.kind.name and k.prefix and can_link(k)]
    from officecli.office import index  # the cache's link index: read only what the trace shows
    from officecli.office.aliases import aliases

    renumbered = (
        order.get("renumbered_from")
        or order.get("renumbered_refs")
        or order.id in aliases(office, order.kind.name)
    )  # or another took its records away
    if index.usable(office) and not renumbered:  # the index knows records by their IDs of now
        return index.related(office, order, linking)
    everything = [r for k in linking for r in office.records(k.name)]
    wanted = {order.id}
    from officecli.office.aliases import trace_links  # follow the names it had before a renumber

    earlier, foreign = trace_links(office, order)
    wanted |= earlier
    for name in ("invoice", "quote"):  # what the order itself names: its invoice, its quote
        if isinstance(order.get(name), str):
            wanted.add(order.get(name))
    links = [(rec, record_links(rec)) for rec in everything]  # once, not once per pass
    found: dict[str, Record] = {}
    grew = True
    while grew:
        grew = False
        for rec, named in links:
            if rec.id in found or rec.id in foreign:
                continue
            if named & wanted or rec.id in wanted:
                found[rec.id] = rec
                wanted.add(rec.id)
                grew = True
    return list(found.values())


def _when(at: str) -> float:
    try:
        return clock.parse_datetime(at).timestamp()
    except Exception:
        return 0.0


def _describe(rec: Record) -> str:
    d = rec.data
    if rec.kind.name == "stock_move":
        return f"{d.get('reason')} {int(d.get('qty', 0)):+d} {d.get('sku')} at {d.get('unit_cost')}"
    if rec.kind.name == "ledger_txn":
        legs = ", ".join(
            f"{p.get('account')} {p.get('amount')}" for p in d.get("postings") or [] if isinstance(p, dict)
        )
        return f"{d.get('description')}: {legs}"
    for key in ("gross", "title", "text", "description", "reason"):
        if d.get(key):
            text = str(d[key]).strip().splitlines()[0]
            return f"{key} {text}" if key == "gross" else text
    return ""


def rows(office, order: Record) -> list[dict]:
    """The trace, oldest first: at, by, id, kind, what happened, where (folders)."""
    out = []

    def steps(rec: Record, detail: str) -> None:
        history = rec.get("history") or []
        if history:
            for h in history:
                if not isinstance(h, dict):
                    continue
                at = str(h.get("at", ""))
                src = folder_of(rec.kind, h.get("from"), at)
                dst = folder_of(rec.kind, h.get("to"), at)
                if src and dst:
                    place = f"{src}/ -> {dst}/"
                else:  # a note without a move: it stayed where it was
                    place = f"{dst or src or rec.folder}/"
                what = rec.kind.label + " " + str(h.get("action", ""))
                text = h.get("note") or (detail if h is history[0] else "")
                out.append(
                    {
                        "at": at,
                        "by": h.get("by", ""),
                        "id": rec.id,
                        "state": rec.state,
                        "kind": rec.kind.name,
                        "event": what,
                        "where": place,
                        "detail": str(text or ""),
                    }
                )
        else:
            out.append(
                {
                    "at": str(rec.get("at") or rec.get("created") or rec.get("date") or ""),
                    "by": rec.get("by", ""),
                    "id": rec.id,
                    "state": rec.state,
                    "kind": rec.kind.name,
                    "event": rec.kind.label,
                    "where": f"{rec.folder}/",
                    "detail": detail,
                }
            )

    steps(order, "")
    for rec in related(office, order):
        steps(rec, _describe(rec))
    # at one instant (a quote accepted makes its order) the quote's step comes first
    first = order.get("quote")
    out.sort(key=lambda r: (_when(r["at"]), 0 if r["id"] == first else 1 if r["id"] == order.id else 2))
    return out
