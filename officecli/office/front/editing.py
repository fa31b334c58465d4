"""Editing one record's file by hand, checked like doctor checks it (``officecli edit``).

1. ``find`` names the record: a full ID of any kind (``ORD-A-0007``), a
   product's SKU, or an ID's suffix or number when ``kind`` is given.
2. The caller lets a person change the file's text (their editor); no lock is
   held meanwhile.
3. ``save`` checks the new text and writes it, all under the writer lock:

   * the file must still hold the text the person started from (else someone
     changed it meanwhile: refused, so nobody's change is lost);
   * the strict loader must read it (officecli's YAML: no tags, anchors,
     floats for money...) and it must be a mapping of fields;
   * the kind's field checks of workflows.yaml pass (types, ranges, required
     fields, VAT rates and accounts of office.yaml), and no field holds a
     control or invisible format character: doctor's rules for that kind;
   * money written with a decimal comma (``price: '15,50'``), as the commands take it,
     is written with a point (``'15.50'``);
   * a record it names anew (a customer, an order...) exists;
   * what places the record is not changed: its ID (or key, a product's SKU),
     its history, and the field that names its YYYY/MM folder (a stock move's
     or ledger entry's date); there is no ``state`` field: the folder is the
     state, and only the workflow's commands move a record;
   * then one history entry ``edit`` (note: the fields changed) is appended,
     and the file is replaced atomically through the store's transaction
     (journal, recovery and git autocommit as for any command).

   Text that is the same as before (data unchanged) writes nothing.
"""

from __future__ import annotations

from officecli.office import records
from officecli.office.records import Record
from officecli.office.workflows import kinds
from officecli.store import ids, yamlio
from officecli.store.errors import UserError

FORBIDDEN = ("state", "folder", "path")  # placed by the folder, never by a field


def find(office, ref: str, kind_name: str | None = None) -> Record:
    """The record ``ref`` names (see the module's step 1)."""
    text = str(ref or "").strip()
    if kind_name:
        if kind_name not in kinds():
            raise UserError(f"--kind {kind_name}: no such kind of record")
        if kind_name == "customer":
            from officecli.office.front.customers import find as find_customer

            return find_customer(office, text)
        return office.get(kind_name, text)
    rec = office.find_any(text.upper()) if ids.parse_id(text.upper()) else None
    if rec is not None:
        return rec
    for name, kind in kinds().items():  # records named by a key: a product's SKU
        if kind.key != "id":
            known = office.all_ids(name)
            for key in (text, text.upper()):
                if key in known:
                    return office.get(name, key)
    raise UserError(
        f"{text!r}: no record has this ID (give a full ID such as ORD-A-0007 "
        "or a SKU, or --kind with a number)"
    )


def current_text(office, rec: Record) -> str:
    return office.store.read_text(rec.path)


def check(office, rec: Record, text: str) -> dict:
    """The edited text's data, or a UserError naming the record, file and field."""
    where = f"{rec.kind.label} {rec.id} ({rec.path})"
    try:
        data = yamlio.loads(text)
    except yamlio.Refused as exc:
        at = f" line {exc.line}" if exc.line else ""
        raise UserError(f"{where}:{at} not an officecli record: {exc.problem}") from None
    except yamlio.YAMLError as exc:
        line = yamlio.error_line(exc)
        at = f" line {line}:" if line else ""
        raise UserError(f"{where}:{at} not valid YAML: {yamlio.error_text(exc)}") from None
    if not isinstance(data, dict):
        raise UserError(f"{where}: the text is not a mapping of fields")
    kind, old = rec.kind, rec.data
    if str(data.get(kind.key)) != str(old.get(kind.key)):
        raise UserError(
            f"{where}: {kind.key}: cannot be changed ({old.get(kind.key)} -> "
            f"{data.get(kind.key)}); an ID names the file"
        )
    if (data.get("history") or []) != (old.get("history") or []):
        raise UserError(f"{where}: history: cannot be changed; officecli appends to it")
    if kind.dated and str(data.get(kind.dated)) != str(old.get(kind.dated)):
        raise UserError(f"{where}: {kind.dated}: cannot be changed; it names the record's YYYY/MM folder")
    for name in FORBIDDEN:
        if name in data and name not in kind.fields:
            raise UserError(
                f"{where}: {name}: not a field; the folder is the state and only "
                f"the workflow's commands move a record"
            )
    problems = records.validate(kind, data, office.rules) + records.text_problems(kind, data)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise UserError(f"{where}: {problems[0]}{more}")
    before = set(records.references(kind, old))
    for field, ident in records.references(kind, data):
        if (field, ident) not in before and office.find_any(ident) is None:
            raise UserError(f"{where}: {field}: {ident}: no such record")
    return data


def decimal_commas(kind, text: str) -> str:
    """Money written with a decimal comma ('15,50'), as --price 19,90 takes it, is
    the file's '15.50': the line of each money field (an item's too) is rewritten so,
    the rest of the text (comments included) as the person left it."""
    import re

    names = {n for n, (t, _) in kind.fields.items() if t.startswith("money")}
    names |= {n for item in kind.items.values() for n, (t, _) in item.items() if t.startswith("money")}
    for name in names:
        text = re.sub(
            rf"^(\s*(?:-\s+)?{re.escape(name)}:[ \t]*)(['\"]?)(-?\d+),(\d{{1,2}})\2([ \t]*(?:#.*)?)$",
            r"\1'\3.\4'\5",
            text,
            flags=re.M,
        )
    return text


def changed_fields(old: dict, new: dict) -> list[str]:
    keys = list(dict.fromkeys([*old, *new]))
    return [k for k in keys if k != "history" and old.get(k) != new.get(k)]


def save(office, rec: Record, started_from: str, text: str) -> Record | None:
    """Check and write the edited text (module step 3); None when nothing changed."""
    with office.change():
        now = office.get(rec.kind.name, rec.id)
        if current_text(office, now) != started_from:
            raise UserError(
                f"{rec.kind.label} {rec.id} ({now.path}): the file changed while you "
                "edited it; nothing was changed: edit it again"
            )
        text = decimal_commas(now.kind, text)
        data = check(office, now, text)
        fields = changed_fields(now.data, data)
        if not fields:
            return None
        entry = office.history_entry("edit", None, None, ", ".join(fields))
        new_text = text if text.endswith("\n") else text + "\n"
        written = records.with_history(new_text, data, entry)
        if written is None:
            written = records.dump(now.kind, {**data, "history": list(data.get("history") or []) + [entry]})
        office.txn.move(now.path, now.path, written)
        office.log.append(f"{now.kind.label} edit {now.id}: {now.folder}/ by {office.user}")
        office.messages.append(f"{now.kind.label} edit {now.id}: {', '.join(fields)}")
        return Record(now.kind, now.id, now.state, now.path, yamlio.loads(written))
