"""``officecli history ID``: a record's whole story, from git and from its own history entries.

Which record: a full ID (``ORD-A-0012``), a product's SKU or a payroll month
(any file named ``<ID>.yaml`` in a state folder), an earlier ID of a
renumbered record (followed to its new one), or an ID that only git still
knows (a deleted record). Unknown everywhere: one line, exit 1.

From git: ONE ``git log --full-history`` pass over every file named
``<ID>.yaml`` (and ``<OLD>.yaml`` for each earlier ID in
``renumbered_from``) in any folder, so a record moved across folders --
at two sites, then merged -- and a renumber are all one story (this is what
``git log --follow`` does for one path, without its limits on merges and
on files that lived in two folders at once). Each version of the file is
read through one ``git cat-file --batch`` process.

Each step is one row, oldest first (by instant, whatever the offset):

* a history entry, in the commit that first carried it: when (``at``), who
  (``by``), at which site (the entry's ``site`` key, else the commit's
  ``Officecli-Site`` trailer), the commit, the action, from and to, the note,
  and every other key of the entry (``overridden``, ``site`` ... as a merge
  settled by ``officecli resolve`` writes them);
* a commit that changed the file without a history entry (a hand edit, a
  merge, a move by git): its author and date, ``action`` ``git add``,
  ``git edit``, ``git move``, ``git delete`` or ``merge``;
* a history entry no commit carries yet (not committed, or the folder is not
  in git): ``commit`` is empty.

Every commit row says ``changed``: the fields whose values differ from the
version before (history left out), and ``where``: the folder, or ``from ->
to`` for a move, ``deleted`` for a removal. Outside git only the history
entries are shown.
"""

from __future__ import annotations

import json
import re

from officecli.office import clock
from officecli.office.records import HISTORY_KEYS
from officecli.office.workflows import PRIVATE, kinds
from officecli.store import ids, yamlio
from officecli.store.errors import UserError
from officecli.store.printable import printable

STEP_KEYS = ("at", "by", "site", "commit", "author", "action", "from", "to", "where", "note", "changed")


def _current(office, name: str):
    """(Record, every ID it had) of the record called ``name`` now (or before a renumber)."""
    from officecli.office import aliases

    name = name.strip()
    candidates = [name, name.upper()] if name.upper() != name else [name]
    for ident in candidates:
        for k in kinds().values():
            try:
                hit = office.all_ids(k.name).get(ident)
            except UserError:
                continue  # a private folder this user cannot read
            if hit:
                rec = office.load_path(k, *hit)
                return rec, [rec.id, *[x for x in rec.get(aliases.FIELD) or [] if isinstance(x, str)]]
    parsed = ids.parse_id(name.upper())
    if parsed:
        for k in kinds().values():
            if k.prefix == parsed[0]:
                new = aliases.follow(office, k.name, name.upper())
                if new:
                    return _current(office, new)
    return None, [name.upper() if parsed else name]


def _entry_key(entry) -> str:
    return json.dumps(entry, sort_keys=True, default=str, ensure_ascii=False)


def parse_version(text: str | None) -> dict | None:
    """One version of a record file from git (None: no file, or not a record)."""
    if text is None:
        return None
    try:
        data = yamlio.loads(text)
    except Exception:
        return None
    return data if isinstance(data, dict) else None


def _changed(before: dict | None, after: dict | None) -> list[str]:
    if before is None or after is None:
        return []
    keys = [k for k in {**before, **after} if k != "history"]
    return [k for k in keys if before.get(k) != after.get(k)]


def _folder(path: str | None) -> str:
    return (path or "").rpartition("/")[0]


def _where(change) -> str:
    if change.status == "D":
        return f"deleted from {_folder(change.old)}/"
    if change.status in ("R", "C") and change.old != change.new:
        src, dst = change.old or "", change.new or ""
        if _folder(src) != _folder(dst):
            return f"{_folder(src)}/ -> {_folder(dst)}/"
        return f"{src.rpartition('/')[2]} -> {dst.rpartition('/')[2]} ({_folder(dst)}/)"
    return f"{_folder(change.new or change.old)}/"


_GIT_ACTION = {
    "A": "git add",
    "M": "git edit",
    "D": "git delete",
    "R": "git move",
    "C": "git copy",
    "T": "git edit",
}


def _site_of(trailer: str) -> str:
    return trailer.split(" ", 1)[0] if trailer else ""


def _row(entry: dict, **more) -> dict:
    row = {k: entry.get(k) for k in HISTORY_KEYS if entry.get(k) is not None}
    row.update((k, v) for k, v in entry.items() if k not in HISTORY_KEYS)  # overridden:, site: ...
    row.update((k, v) for k, v in more.items() if v not in (None, "", []) and k not in row)
    for key in STEP_KEYS:  # every step has every key (json: stable for scripts)
        row.setdefault(key, [] if key == "changed" else "")
    return row


def steps(office, ref: str, show_pay: bool = False) -> tuple[dict, list[dict]]:
    """({id, state, path, names}, the steps oldest first) for ``officecli history``; a
    private record's (pay, payroll) amounts hidden unless ``show_pay``."""
    from officecli.store import gitlog

    if not isinstance(ref, str) or not ids.NAME_RE.match(ref.strip()) or ".." in ref:
        raise UserError(
            f"history {printable(repr(ref))}: not an ID (a full ID such as ORD-A-0012, a SKU or a "
            "payroll month such as 2026-11)"
        )
    rec, names = _current(office, ref)
    repo = office.repo
    commits = []
    blobs = None
    patterns = [f"**/{n}.yaml" for n in names if ids.NAME_RE.match(n)]
    if repo is not None and patterns:  # (no pattern would be every commit of the repository)
        commits = gitlog.changes(repo, patterns, glob=True)
        blobs = gitlog.Blobs(repo)
    if rec is None and not commits:
        raise UserError(
            f"{ref}: no such record (no file of that name in the records folder"
            f"{', nor in its git history' if repo is not None else ''})"
        )
    seen: set[str] = set()
    out: list[dict] = []
    try:
        for commit in commits:
            site = _site_of(commit.trailers.get("Officecli-Site", ""))
            merge = len(commit.parents) > 1
            first = True
            for change in commit.changes:
                before = parse_version(blobs.get(change.old_blob))
                after = parse_version(blobs.get(change.new_blob))
                changed = _changed(before, after)
                where = _where(change)
                fresh = []
                for entry in (after or {}).get("history") or []:
                    if isinstance(entry, dict) and _entry_key(entry) not in seen:
                        seen.add(_entry_key(entry))
                        fresh.append(entry)
                common = {"commit": commit.short, "where": where, "author": commit.author}
                for entry in fresh:
                    out.append(_row(entry, site=site, changed=changed if first else [], **common))
                    first = False
                if not fresh and (first or change.status in "ADR"):
                    action = "merge" if merge else _GIT_ACTION.get(change.status, "git " + change.status)
                    out.append(
                        _row(
                            {"at": commit.date, "by": commit.author, "action": action},
                            site=site,
                            changed=changed,
                            **common,
                        )
                    )
                    first = False
    finally:
        if blobs is not None:
            blobs.close()
    if rec is not None:
        for entry in rec.get("history") or []:
            if isinstance(entry, dict) and _entry_key(entry) not in seen:
                from officecli.office.index import folder_of

                at = str(entry.get("at", ""))
                folder = folder_of(rec.kind, entry.get("to") or entry.get("from"), at) or rec.folder
                out.append(_row(entry, commit="", where=f"{folder}/"))
    order = {id(r): i for i, r in enumerate(out)}
    out.sort(key=lambda r: (_instant(r.get("at")), order[id(r)]))
    private = rec is not None and any(rec.path.startswith(p + "/") for p in PRIVATE)
    if private and not show_pay:
        out = [_hide_pay(r) for r in out]
    head = {
        "id": rec.id if rec is not None else names[0],
        "state": rec.state if rec is not None else "deleted",
        "path": rec.path if rec is not None else "",
        "names": names,
    }
    return head, out


_AMOUNT = re.compile(r"[-+]?\d[\d,. ]*\d(?:[.,]\d{1,2})\b|[-+]?\d{3,}")
HIDDEN = "(amount hidden: --show-pay)"
_STEP_ONLY = ("at", "by", "site", "commit", "author", "action", "from", "to", "where", "changed")


def _hide_pay(row: dict) -> dict:
    """A step of a private record with every figure in its note and other keys hidden."""
    out = {}
    for k, v in row.items():
        if k in _STEP_ONLY or v in (None, "", []):
            out[k] = v
        else:
            out[k] = _AMOUNT.sub(HIDDEN, v) if isinstance(v, str) else HIDDEN
    return out


def _instant(at) -> float:
    try:
        return clock.parse_datetime(str(at)).timestamp()
    except Exception:
        return float("inf")
