"""``officecli renumber OLD NEW``: give a record a free ID of this site, and follow it afterwards.

Why: a clone that forgot its site code mints IDs of another site; after a
merge two *different* records share one ID (``ORD-A-0003`` in two folders).
Renumbering one of them settles it. It can also give any record a new ID.

What it does, in one transaction (the store's journal: all or nothing):

Posted facts are never renumbered (ledger entries, stock moves), nor legal
or derived numbers (invoices, credit notes, pay records, employees).

1. The record's file ``OLD.yaml`` becomes ``NEW.yaml`` in the same folder, its
   key field says NEW, ``renumbered_from:`` lists OLD (after any earlier
   names), and a history entry (action ``renumber``) says ``OLD -> NEW``.
2. Every other record that names OLD in a reference field (``order:``,
   ``customer:``, ``complaints: [...]``, a line's ``employee:`` ...) names NEW,
   with a history entry of its own -- except what is never edited: posted
   ledger entries, stock moves, issued invoices and credit notes. Those keep
   naming OLD, and OLD keeps resolving: ``show``, ``get`` and every lookup by
   full ID (``Office.get``/``find_any`` call ``follow``), ``order trace``,
   ``doctor`` and ``ledger check`` find NEW through ``renumbered_from``.
3. When OLD is in two folders (two records, one ID), **the rule** says which
   copy is renumbered and by which site, the same at every site (``verdict``):
   the copy made at the ID's own site keeps the ID (the site a copy was made
   at: its first history entry's ``site``, else the ``Officecli-Site`` trailer
   of the commit that first carried that entry); where that does not decide
   (both or neither), the copy whose first history entry is earlier keeps it.
   Every other copy gets the next ID of the site that made it, and only that
   site renumbers it (only it mints its IDs): elsewhere ``renumber`` is
   refused with one line naming the site, so one collision is renumbered
   once. ``--file`` may name the copy, never the one the rule keeps. Two
   copies of ONE record (the same ``created`` and first history entry: moved
   two ways at two sites) are never renumbered: ``officecli resolve``. A
   record naming OLD goes with the renumbered copy only when git
   shows it belongs there: it was made on the renumbered file's side of the
   merge that first brought the two files together (its first commit is an
   ancestor of that side's parent and not of the other's), or the renumbered
   record itself names it. Anything else stays with the other record. The records that are
   never edited and go with it are listed on it (``renumbered_refs:``), so its
   trace still finds them while OLD remains the other record's ID. An issued
   invoice of the renumbered copy refuses the renumber (its payments would
   close the other record): renumber the other copy instead.

``renumber OLD`` of a collision already renumbered (OLD is one record again and
another record has ``renumbered_from: [OLD]``: a second site acting on what it
saw before its sync) is a no-op with one line.

NEW may be left out: this site's next ID of the kind.

Refused before anything changes, one line each: OLD unknown (or not a full
ID), OLD in two folders without ``--file``, a kind that is never renumbered, NEW not an ID of OLD's kind, NEW of another site, NEW
taken (a record, or an earlier name of one), NEW the same as OLD.
"""

from __future__ import annotations

from dataclasses import dataclass

from officecli.office import records
from officecli.office.aliases import FIELD, REFS, follow
from officecli.office.records import Record
from officecli.office.sites import inmerge
from officecli.office.workflows import Kind, by_prefix, kinds
from officecli.store import ids
from officecli.store.errors import UserError

NEVER_EDITED = ("ledger_txn", "stock_move", "invoice", "credit_note")
NOT_RENUMBERED = {
    "ledger_txn": "a posted ledger entry is never edited",
    "stock_move": "a stock move is a posted fact, never edited",
    "invoice": "invoice numbers are a legal gapless series; issue a credit note instead",
    "credit_note": "credit-note numbers are a legal gapless series",
    "pay": "a pay record is named after its employee",
    "employee": "an employee's pay record is named after the employee's ID",
}


# -- the rule: which copy of a collision is renumbered, by which site ------------------


@dataclass
class Verdict:
    keep: str  # the path that keeps the ID
    rename: list[str]  # the paths that get a new ID
    sites: dict[str, str]  # path renamed -> the site that renames it (mints its new ID)
    why: str  # the rule, in words

    def line(self, ident: str) -> str:
        who = "; ".join(
            f"{p} at site {s}: officecli renumber {ident} --file {p}" for p, s in self.sites.items()
        )
        return f"by the rule ({self.why}) {self.keep} keeps {ident}; renumbered once, {who}"


def _data_of(office, path: str) -> dict:
    from officecli.store import yamlio

    try:
        data = yamlio.loads(office.store.read_text(path))
    except Exception:  # markers, bad YAML: judged on what is there
        return {}
    return data if isinstance(data, dict) else {}


def first_entry(data: dict) -> dict:
    history = data.get("history") if isinstance(data, dict) else None
    first = history[0] if isinstance(history, list) and history else None
    return first if isinstance(first, dict) else {}


def same_record(datas: list[dict]) -> bool:
    """One record (the same ``created`` and first history entry), or different ones."""
    first = datas[0]
    return all(
        d.get("created") == first.get("created") and first_entry(d) == first_entry(first) for d in datas[1:]
    )


def made_at(office, data: dict, ident: str) -> str | None:
    """The site a copy was made at: its first entry's ``site``, else the Officecli-Site
    trailer of the oldest commit that carried that entry (any folder; in a merge, both
    sides)."""
    first = first_entry(data)
    if first.get("site"):
        return str(first["site"])
    repo = office.repo
    at = str(first.get("at") or "")
    if repo is None or not at:
        return None
    revs = ["HEAD"] + (["MERGE_HEAD"] if repo.operation() == "merge" else [])
    res = repo.git(
        "log",
        "--full-history",
        "--reverse",
        "--format=%(trailers:key=Officecli-Site,valueonly)%x00",
        "-S",
        f"at: '{at}'",
        *revs,
        "--",
        f":(glob){repo.prefix}**/{ident}.yaml",
        literal=False,
    )
    if res.returncode != 0:
        return None
    for chunk in res.stdout.split("\0"):
        if chunk.strip():
            return chunk.strip().split()[0]
    return None


def verdict(office, ident: str, paths: list[str]) -> Verdict:
    """Which copy of ``ident`` keeps it and which are renumbered, by which site: the same
    answer at every site (the module's docstring, 3.)."""
    from officecli.office.clock import parse_datetime

    own = ids.parse_id(ident)
    home = own[1] if own else None
    rows = []
    for p in sorted(paths):
        data = _data_of(office, p)
        first = first_entry(data)
        try:
            when = parse_datetime(str(first.get("at"))).timestamp()
        except Exception:
            when = float("inf")
        rows.append((p, made_at(office, data, ident), when, str(data.get("created") or ""), data))
    at_home = [r for r in rows if home is not None and r[1] == home]
    local = [r for r in rows if _never_pushed(office, ident, r[0], r[4])]
    if len(local) == 1 and len(rows) > 1 and office.config.site:
        # a copy no remote has seen (made here, its merge refused or kept): only this clone
        # knows the collision, so this site renames its own copy, to its own next ID, before
        # it ever leaves; the copies the other sites have keep what they are
        keep = min((r for r in rows if r is not local[0]), key=lambda r: (r[2], r[3], r[0]))
        return Verdict(
            keep[0],
            [local[0][0]],
            {local[0][0]: office.config.site},
            f"the copy made here and never pushed is renamed here, at site {office.config.site}",
        )
    if len(at_home) == 1:
        keep = at_home[0]
        why = f"the copy made at site {home}, the ID's own, keeps it"
    else:
        keep = min(rows, key=lambda r: (r[2], r[3], r[0]))
        why = "the copy made first keeps it"
    rename = [r for r in rows if r is not keep]
    return Verdict(keep[0], [r[0] for r in rename], {r[0]: r[1] or home or "?" for r in rename}, why)


def _never_pushed(office, ident: str, path: str, data: dict) -> bool:
    """A copy no remote-tracking branch has ever carried (no commit there added its first
    history entry to a file of ``ident``), while this clone's HEAD has it."""
    repo = office.repo
    at = str(first_entry(data).get("at") or "")
    if repo is None or not at or not repo.remotes():
        return False
    if repo.git("cat-file", "-e", f"HEAD:{repo.top_path(path)}").returncode != 0:
        return False
    res = repo.git(
        "log",
        "--remotes",
        "--format=%H",
        "-1",
        "-S",
        f"at: '{at}'",
        "--",
        f":(glob){repo.prefix}**/{ident}.yaml",
        literal=False,
    )
    return res.returncode == 0 and not res.stdout.strip()


# -- renumbering ----------------------------------------------------------------------


def _old(office, text: str, file: str | None) -> tuple[Kind, str, str, list[str]]:
    """(kind, OLD, the path to renumber, every path of OLD)."""
    ident = (text or "").strip().upper()
    parsed = ids.parse_id(ident)
    kind = by_prefix(parsed[0]) if parsed else None
    if kind is None:
        raise UserError(
            f"renumber {text}: give the full ID of a record (e.g. ORD-A-0042); nothing was changed"
        )
    if kind.name in NOT_RENUMBERED:
        raise UserError(
            f"{kind.label} {ident}: not renumbered: {NOT_RENUMBERED[kind.name]}; nothing was changed"
        )
    known, twins = office._index(kind.name)
    if ident not in known:
        now = follow(office, kind.name, ident)
        hint = f" (it was renumbered to {now})" if now else ""
        raise UserError(f"{kind.label} {ident}: no such {kind.label}{hint}; nothing was changed")
    paths = twins.get(ident) or [known[ident][1]]
    if len(paths) > 1:
        return _by_rule(office, kind, ident, paths, file)
    if file is None:
        return kind, ident, paths[0], paths
    return _old_file(office, kind, ident, paths, file)


def _by_rule(
    office, kind: Kind, ident: str, paths: list[str], file: str | None
) -> tuple[Kind, str, str, list[str]]:
    """The copy of a collision this site renumbers, by the rule; refused otherwise."""
    datas = [_data_of(office, p) for p in paths]
    if same_record(datas):
        raise UserError(
            f"{kind.label} {ident}: one {kind.label} in {len(paths)} folders ({' and '.join(paths)}), "
            f"not two records (the same beginning): officecli resolve {ident}; nothing was changed"
        )
    v = verdict(office, ident, paths)
    mine = [p for p in v.rename if v.sites[p] == office.config.site]
    if file is not None:
        _, _, hit, _ = _old_file(office, kind, ident, paths, file)
        if hit == v.keep:
            raise UserError(f"{kind.label} {ident}: --file {file}: {v.line(ident)}; nothing was changed")
        mine = [p for p in mine if p == hit] or mine[:0]
        if not mine:
            raise UserError(
                f"{kind.label} {ident} ({hit}): made at site {v.sites[hit]}, which renumbers it (only "
                f"it mints its IDs): {v.line(ident)}; nothing was changed"
            )
    if not mine:
        raise UserError(
            f"{kind.label} {ident}: two different {kind.label}s share this ID: "
            f"{v.line(ident)}; nothing was changed here"
        )
    if len(mine) > 1:
        raise UserError(
            f"{kind.label} {ident}: this site renumbers {' and '.join(mine)}: one at a time, "
            "say which with --file PATH; nothing was changed"
        )
    return kind, ident, mine[0], paths


def _old_file(
    office, kind: Kind, ident: str, paths: list[str], file: str
) -> tuple[Kind, str, str, list[str]]:
    from pathlib import Path

    given = Path(str(file).strip())
    if given.is_absolute():
        try:
            want = str(given.resolve().relative_to(office.root.resolve()))
        except (ValueError, OSError):
            want = str(given)
    else:
        want = str(given)  # relative to the records folder (Path drops a leading ./)
    hit = [p for p in paths if p == want or p.rpartition("/")[0] == want.rstrip("/")]
    if len(hit) != 1:
        raise UserError(
            f"--file {file}: not a file of {kind.label} {ident} (it is "
            f"{' and '.join(paths)}); nothing was changed"
        )
    return kind, ident, hit[0], paths


def _already(office, kind: Kind, ident: str) -> str | None:
    """The one line when ``ident`` is one record again and another was renumbered from
    it (a collision already renumbered, seen late at a second site)."""
    now = follow(office, kind.name, ident)
    if now is None or now == ident:
        return None
    return (
        f"{kind.label} {ident}: its collision was renumbered already ({now} was {ident}; "
        f"{ident} is the other {kind.label} now); nothing to do"
    )


def _new(office, kind: Kind, old: str, text: str | None) -> str:
    site = office.config.site
    if not (text or "").strip():
        return office.new_id(kind.name)
    text = (text or "").strip().upper()
    if text.isascii() and text.isdigit() and len(text) <= 9:
        new = ids.format_id(kind.prefix, site, int(text))
    else:
        new = text
    parsed = ids.parse_id(new)
    if parsed is None:
        raise UserError(
            f"renumber {old} {text}: NEW is not an ID (e.g. {kind.prefix}-{site}-0042, "
            "or a number of this site); nothing was changed"
        )
    if parsed[0] != kind.prefix:
        other = by_prefix(parsed[0])
        what = f"{_a(other.label)} ID" if other else "not a known kind of ID"
        raise UserError(
            f"renumber {old} {new}: {new} is {what}, {old} is {_a(kind.label)} "
            f"({kind.prefix}-…): a record keeps its kind; nothing was changed"
        )
    if parsed[1] != site:
        raise UserError(
            f"renumber {old} {new}: {new} is an ID of site {parsed[1]}, this is site "
            f"{site}: a new ID is always this site's ({kind.prefix}-{site}-…), so that "
            "no other site can mint it; nothing was changed"
        )
    if new == old:
        raise UserError(f"renumber {old} {new}: the same ID; nothing was changed")
    if new in office.all_ids(kind.name):
        raise UserError(
            f"renumber {old} {new}: {new} is taken ({office.all_ids(kind.name)[new][1]}); nothing was changed"
        )
    earlier = follow(office, kind.name, new)
    if earlier:
        raise UserError(
            f"renumber {old} {new}: {new} is taken: it is an earlier name of {earlier}; nothing was changed"
        )
    return new


def _a(label: str) -> str:
    return ("an " if label[:1] in "aeiou" else "a ") + label


def _refs_of(kind: Kind, data: dict, ident: str) -> list[str]:
    return [field for field, value in records.references(kind, data) if value == ident]


def _replaced(kind: Kind, data: dict, old: str, new: str) -> dict:
    """The changed top-level fields of a record that names ``old``: ``new`` in its place."""
    changes = {}
    for name, (ftype, _) in kind.fields.items():
        value = data.get(name)
        base, of, _, _ = records.spec(ftype)
        if base == "ref" and value == old:
            changes[name] = new
        elif base == "list" and of == "ref" and isinstance(value, list) and old in value:
            changes[name] = [new if v == old else v for v in value]
        elif name in kind.items and isinstance(value, list):
            keys = [k for k, (t, _) in kind.items[name].items() if records.spec(t)[0] == "ref"]
            if any(isinstance(item, dict) and item.get(k) == old for item in value for k in keys):
                changes[name] = [
                    {k: (new if k in keys and v == old else v) for k, v in item.items()}
                    if isinstance(item, dict)
                    else item
                    for item in value
                ]
    return changes


def _naming(office, old: str, skip_path: str) -> list[Record]:
    """Every record (any kind) naming ``old`` in a reference field, but the record itself."""
    out = []
    for k in kinds().values():
        if not any(records.spec(t)[0] in ("ref", "list") for t, _ in k.fields.values()):
            continue
        try:
            recs = office.records(k.name)
        except UserError:
            if k.name in ("pay", "leave", "payroll"):  # back/hr unreadable: nothing of it named
                continue
            raise
        out += [r for r in recs if r.path != skip_path and _refs_of(k, r.data, old)]
    return out


def _first_added(repo, rel: str) -> str | None:
    """The commit that first added a file of this name (in any folder), or None."""
    name = rel.rpartition("/")[2]
    res = repo.git(
        "log",
        "--full-history",
        "--diff-filter=A",
        "--format=%H",
        "--",
        f":(glob){repo.prefix}**/{name}",
        literal=False,
    )
    lines = res.stdout.split()
    return lines[-1] if res.returncode == 0 and lines else None


def _sides(repo, mine: str, other: str) -> tuple[str, str] | None:
    """(the commit on the renumbered file's side, the one on the other's side) of the
    merge that first brought both files together: of its two parents, one has
    ``mine`` and not ``other``, the other the reverse. None when no merge did."""
    paths = [repo.top_path(mine), repo.top_path(other)]
    res = repo.git("log", "--merges", "--full-history", "--format=%H %P", "--", *paths)
    found = None
    for line in res.stdout.splitlines():
        parents = line.split()[1:]
        if len(parents) != 2:
            continue
        has = []
        for parent in parents:
            listed = repo.git("ls-tree", "-r", "--name-only", parent, "--", *paths).stdout.split("\n")
            has.append((paths[0] in listed, paths[1] in listed))
        if has[0] == (True, False) and has[1] == (False, True):
            found = (parents[0], parents[1])
        elif has[0] == (False, True) and has[1] == (True, False):
            found = (parents[1], parents[0])
    return found  # the oldest such merge (git log lists newest first)


def _goes_with(
    office, mine: str, others: list[str], candidates: list[Record], named_by_mine: set[str]
) -> tuple[list[Record], list[Record]]:
    """(records that belong with the file ``mine``, the rest), when one ID names two files:
    those made on its side of the merge that brought the two together, and those it names."""
    repo = office.repo
    sides = _sides(repo, mine, others[0]) if repo is not None and len(others) == 1 else None
    yes, no = [], []
    for rec in candidates:
        if rec.id in named_by_mine:
            yes.append(rec)
            continue
        added = _first_added(repo, rec.path) if sides else None
        if added and repo.is_ancestor(added, sides[0]) and not repo.is_ancestor(added, sides[1]):
            yes.append(rec)
        else:
            no.append(rec)
    return yes, no


def renumber(office, old_text: str, new_text: str | None, file: str | None = None) -> dict:
    """Renumber one record (see the module's docstring). Returns what was done:
    {id, old, path, updated: [IDs], kept: [IDs never edited that still name OLD]}; or
    {id, old, said} when there is nothing to do (a collision renumbered already)."""
    merging = inmerge.merging(office)  # (sync --keep: the two copies side by side in the work tree)
    with inmerge.in_work_tree(office) if merging else office.change():
        done = _renumber(office, old_text, new_text, file)
        touched = (
            [p for op in office.txn.ops for p in (op.get("src"), op.get("path")) if p] if merging else []
        )
    if touched:
        inmerge.stage(office, touched)
        done["staged"] = True
    return done


def _renumber(office, old_text: str, new_text: str | None, file: str | None) -> dict:
    """The body of ``renumber``, inside its one transaction."""
    kind, old, path, paths = _old(office, old_text, file)
    if len(paths) == 1 and file is None:
        said = _already(office, kind, old)
        if said:
            return {"id": follow(office, kind.name, old), "old": old, "said": said}
    new = _new(office, kind, old, new_text)
    state = kind.state_of(path.rpartition("/")[0])
    rec = office.load_path(kind, state, path)
    naming = _naming(office, old, path)
    collision = len(paths) > 1
    if collision:
        own = {v for _, v in records.references(kind, rec.data)}
        naming, left = _goes_with(office, path, [p for p in paths if p != path], naming, own)
        invoiced = [r.id for r in naming if r.kind.name in ("invoice", "credit_note")]
        if invoiced:
            other = next(p for p in paths if p != path)
            raise UserError(
                f"{kind.label} {old} ({path}): {', '.join(invoiced)} names it and is "
                f"never edited: renumber the other one instead (--file {other}); "
                "nothing was changed"
            )
    kept = [r for r in naming if r.kind.name in NEVER_EDITED]
    edited = [r for r in naming if r.kind.name not in NEVER_EDITED]
    # 1. the record itself: OLD.yaml -> NEW.yaml, same folder
    before = [str(x) for x in rec.data.get(FIELD) or [] if isinstance(x, str)]
    changes: dict = {kind.key: new, FIELD: before + [old]}
    if collision and kept:
        changes[REFS] = sorted({*(rec.data.get(REFS) or []), *(r.id for r in kept)})
    text = office.store.read_text(path)
    office._refuse_broken(rec, text, rec.data)  # conflict markers, bad fields: refused
    entry = office.history_entry("renumber", None, None, f"{old} -> {new}")
    if "history" in kind.fields:
        new_body = records.edit_text(kind, text, rec.data, changes, entry)
    else:
        new_body = records.with_changes(text, rec.data, changes) or records.dump(
            kind, {**rec.data, **changes}
        )
    folder = path.rpartition("/")[0]
    office.txn.move(path, f"{folder}/{new}.yaml", new_body)
    office.log.append(f"{kind.label} renumber {old}: -> {new} ({folder}/) by {office.user}")
    # 2. every record that names it (and may be edited) names NEW
    for other in edited:
        fix = _replaced(other.kind, other.data, old, new)
        if not fix:
            continue
        office.note(other, "renumber", note=f"{old} -> {new} ({', '.join(sorted(fix))})", changes=fix)
    office.messages.append(f"renumber {old} -> {new}")
    return {
        "id": new,
        "state": state,
        "old": old,
        "path": f"{folder}/{new}.yaml",
        "updated": sorted(r.id for r in edited),
        "kept": sorted(r.id for r in kept),
    }
