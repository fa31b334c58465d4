"""Finding records by a word: ``officecli search`` and every list's ``--search``.

* **Folding.** Text and query are compared folded: Unicode NFD, combining marks
  dropped, then ``casefold`` -- so ``ΜΑΡΙΑ``, ``μαρία`` and ``Μαρια`` are one
  word, ``café`` is ``CAFE``, and a final sigma (ς) is a σ
  (``casefold`` maps both to σ): ``Παπαδοπούλος`` finds ``ΠΑΠΑΔΟΠΟΥΛΟΣ``.
* **Matching.** A query of several words matches a record holding every one
  of them, anywhere among its field values (nested lines and maps included,
  e.g. an order line's SKU or product name); the record's ID, and the name of
  the customer it names, count as its text too. ``history`` is not searched:
  it says who moved a record, not what it is.
* **Reading.** Records are read through ``Office.records`` (the store's stat
  cache serves them: a search of ten thousand records parses none that did
  not change). Kinds under ``back/hr`` (pay, leave, payroll) are never
  searched: pay is private to HR; employees' public part is.
* **Result.** A hit says the kind, ID, state, path and where the words were
  found (``field: text around the first word``, one line).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from officecli.office.records import Record
from officecli.office.workflows import PRIVATE, kinds

_SPACE = re.compile(r"\s+")


def fold(text) -> str:
    """Text for comparing: accents dropped, case folded (Greek final sigma included)."""
    s = unicodedata.normalize("NFD", str(text))
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()


def words(query: str) -> list[str]:
    return [w for w in _SPACE.split(fold(query or "").strip()) if w]


def searchable_kinds() -> list[str]:
    """Every kind whose folders are not private to HR."""
    return [name for name, k in kinds().items() if not any(p.startswith(PRIVATE) for p in k.states.values())]


def _texts(value, field: str = "") -> Iterator[tuple[str, str]]:
    """(field, text) for every leaf value, nested ones named ``lines.sku``."""
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "history" and not field:
                continue
            yield from _texts(inner, f"{field}.{key}" if field else str(key))
    elif isinstance(value, (list, tuple)):
        for inner in value:
            yield from _texts(inner, field)
    else:
        yield field, str(value)


def texts(rec: Record, extra: dict | None = None) -> list[tuple[str, str]]:
    """What a record is searched by: its ID, its fields (not history), and ``extra``."""
    out = [("id", rec.id)]
    out += list(_texts(rec.data))
    out += [(k, str(v)) for k, v in (extra or {}).items() if v]
    return out


def matched(found: list[tuple[str, str]], want: list[str]) -> str | None:
    """Where the words were found ('field: snippet'), or None unless every word is there."""
    if not want:
        return ""
    folded = [(f, t, fold(t)) for f, t in found]
    if not all(any(w in ft for _, _, ft in folded) for w in want):
        return None
    for field, text, ft in folded:
        at = ft.find(want[0])
        if at >= 0:
            return f"{field}: {_snippet(text, ft, at, len(want[0]))}"
    return ""  # pragma: no cover


def _snippet(text: str, folded: str, at: int, n: int, room: int = 30) -> str:
    one = " ".join(text.split())
    if len(one) != len(text) or len(folded) != len(text):  # folding changed lengths: plain cut
        return one if len(one) <= 2 * room else one[: 2 * room] + "…"
    start, end = max(0, at - room), min(len(text), at + n + room)
    cut = " ".join(text[start:end].split())
    return ("…" if start else "") + cut + ("…" if end < len(text) else "")


def customer_names(office) -> dict[str, str]:
    """Customer ID -> name (for searching records by the name of their customer)."""
    if "customer" not in kinds():
        return {}
    return {c.id: str(c.get("name") or "") for c in office.records("customer")}


def narrow(office, recs: Iterable[Record], query: str | None) -> list[Record]:
    """The records (of any kinds) that hold every word of ``query``; all when it is None."""
    recs = list(recs)
    if query is None:
        return recs
    want = words(query)
    if not want:
        return recs
    names = customer_names(office) if any(r.get("customer") for r in recs) else {}
    return [
        r
        for r in recs
        if matched(texts(r, {"customer_name": names.get(str(r.get("customer")))}), want) is not None
    ]


def search(office, query: str, kind_names: Iterable[str] | None = None) -> list[dict]:
    """Every record holding every word of ``query``: kind, id, state, where found, path."""
    want = words(query)
    if not want:
        from officecli.store.errors import UserError

        raise UserError("search: TEXT is empty (give a word to look for)")
    names: dict[str, str] | None = None
    out = []
    for name in kind_names or searchable_kinds():
        for rec in office.records(name):
            extra = {}
            if rec.get("customer"):
                if names is None:
                    names = customer_names(office)
                extra["customer_name"] = names.get(str(rec.get("customer")))
            where = matched(texts(rec, extra), want)
            if where is not None:
                out.append(
                    {
                        "id": rec.id,
                        "state": rec.state,
                        "kind": rec.kind.label,
                        "found": where,
                        "path": rec.path,
                    }
                )
    return sorted(out, key=lambda r: (r["kind"], r["id"]))
