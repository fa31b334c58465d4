"""What a merge of two sites' records can break, checked record by record.

A record's folder is its state, and its history says how it got there: the
last history entry that names a destination (``to:``) must name the state of
the folder the file is in. A merge that files a record elsewhere (git's
directory-rename guessing moving one site's new complaints into the folder
the other site emptied, or a hand-settled conflict) breaks that, and so does
a record left in two folders (moved differently at two sites) or a file with
conflict markers or an unsettled ``conflicts:`` entry.

``placement`` is the per-record check doctor runs on every record; ``check``
runs the merge checks on the files a merge brought (sync) and says, per
record, what both sides did and the command that settles it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from officecli.office.workflows import Kind, all_folder_patterns
from officecli.store import yamlio

# git's markers are 7 characters, longer for a conflict inside a conflict (a merge of
# merges, a custom conflict-marker-size): any length of 7 or more is a marker
CONFLICT_MARKER = yamlio._CONFLICT  # the loader's own: it refuses every one of them
_TO_LINE = re.compile(r"^[ -] *to: *'?([A-Za-z0-9_-]+)'? *$", re.M)


def _quick_destination(text: str) -> str | None:
    """The last ``to:`` line of a file as officecli writes it (no parse): a fast first look."""
    found = None
    for m in _TO_LINE.finditer(text):
        found = m.group(1)
    return found


def last_destination(data) -> str | None:
    """The state the record's history last moved it to (None if it never says)."""
    history = data.get("history") if isinstance(data, dict) else None
    if not isinstance(history, list):
        return None
    for entry in reversed(history):
        if isinstance(entry, dict) and entry.get("to"):
            return str(entry["to"])
    return None


def placement(kind: Kind, path: str, data) -> str | None:
    """The problem with where the file is, by its history (None: it is where it says)."""
    folder = path.rpartition("/")[0]
    state = kind.state_of(folder)
    want = last_destination(data)
    if state is None or want is None or want == state or want not in kind.states:
        return None
    return (
        f"its history ends 'to: {want}' but the file is in {folder}/ ({state}): "
        f"move it to {kind.states[want].split('/{')[0]}/ (git mv) or add the missing step"
    )


def kind_of(path: str) -> tuple[Kind, str] | None:
    """The kind and state of a record file's folder (None: not a record file)."""
    if not path.endswith(".yaml"):
        return None
    folder = path.rpartition("/")[0]
    for k, state, _ in all_folder_patterns():
        if k.state_of(folder) == state:
            return k, state
    return None


def starts(data) -> list[dict]:
    """The entries that began a record (a destination, no origin): two when git merged
    two different records made at two sites under one ID into one file (add/add)."""
    history = data.get("history") if isinstance(data, dict) else None
    return [
        e
        for e in history or []
        if isinstance(e, dict) and e.get("to") and not e.get("from") and e.get("action") != "resolve"
    ]


def merged_line(rid: str, label: str, path: str, begun: list[dict], after: str) -> str:
    """The one line for two records merged into one file, with the renumbering rule
    (office/sites/renumber.py): the one made at the ID's site keeps it, else the one
    made first; the other is renumbered by the site that made it."""
    from officecli.store import ids

    home = (ids.parse_id(rid) or ("", "", 0))[1]
    at_home = [e for e in begun if e.get("site") == home]
    keep = at_home[0] if len(at_home) == 1 else min(begun, key=lambda e: _instant(e.get("at")))
    other = [e for e in begun if e is not keep]
    who = ", ".join(
        f"the one added by {e.get('by')} at {e.get('at')}"
        + (f" at site {e['site']}" if e.get("site") else "")
        for e in other
    )
    return (
        f"{rid}: two different {label}s made at two sites under this ID were merged into one "
        f"file by git ({path}: its history starts twice); by the rule the one made "
        f"{'at site ' + home if len(at_home) == 1 else 'first'} keeps {rid}, {who} gets a new "
        f"ID: {after}; never set a field of it or delete it"
    )


def _instant(at) -> float:
    from officecli.office import clock

    try:
        return clock.parse_datetime(str(at)).timestamp()
    except Exception:
        return float("inf")


@dataclass
class Finding:
    record: str  # the record's ID (or the file, when it is not a record)
    line: str  # one line: what both sides did and the command that settles it


def check(
    files: dict[str, str | None],
    everywhere: dict[str, list[str]],
    unmerged: set[str],
    ours: dict[str, str],
    theirs: dict[str, str],
    both: set[str] | None = None,
) -> list[Finding]:
    """Check the files a merge touched.

    ``files``: path -> merged text (None: removed); ``everywhere``: record ID ->
    every path it has in the tree; ``unmerged``: paths git left unmerged;
    ``ours``/``theirs``: record ID -> one line of what that side last did to it;
    ``both``: the paths both sides changed (None: all). A file only one side
    changed is that side's own text (git took it whole), so it is parsed only
    when a quick look at its last ``to:`` line disagrees with its folder.
    """
    out: list[Finding] = []
    said: set[str] = set()

    def sides(rid: str) -> str:
        return f"ours: {ours.get(rid, 'unchanged')}; theirs: {theirs.get(rid, 'unchanged')}"

    for path, text in sorted(files.items()):
        name = path.rpartition("/")[2]
        rid = name[:-5] if name.endswith(".yaml") else path
        if rid in said:
            continue
        where = everywhere.get(rid, [])
        if len(where) > 1:
            said.add(rid)
            out.append(
                Finding(
                    rid,
                    f"{rid}: in {len(where)} folders ({', '.join(where)}) - {sides(rid)}: "
                    f"officecli resolve {rid} (--keep STATE), then git commit",
                )
            )
            continue
        if text is None:
            continue
        m = CONFLICT_MARKER.search(text)
        if m:
            said.add(rid)
            line = text.count("\n", 0, m.start()) + 1
            out.append(
                Finding(
                    rid,
                    f"{rid}: {path}:{line} has conflict markers - {sides(rid)}: edit "
                    f"the file to the true version, git add it, then git commit",
                )
            )
            continue
        if not path.endswith(".yaml"):  # .gitattributes, .gitignore: never parsed as a record
            if path in unmerged:
                said.add(rid)
                out.append(Finding(rid, f"{path} is unmerged in git: settle it, git add it, then git commit"))
            continue
        owner = kind_of(path)
        if both is not None and path not in both and path not in unmerged:
            quick = _quick_destination(text)
            if owner is None or quick is None or quick == owner[1]:
                continue  # one side's own file, where it says it is
        try:
            data = yamlio.loads(text)
        except yamlio.YAMLError as exc:
            said.add(rid)
            out.append(
                Finding(
                    rid,
                    f"{rid}: {path} is not valid YAML after the merge ({exc.__class__.__name__})"
                    f" - {sides(rid)}: edit it, git add it, then git commit",
                )
            )
            continue
        begun = starts(data)
        if len(begun) > 1:  # two records in one file: never "set the field"
            said.add(rid)
            label = owner[0].label if owner is not None else "record"
            out.append(
                Finding(
                    rid,
                    merged_line(
                        rid,
                        label,
                        path,
                        begun,
                        f"at the site that made it, whose own copy is still whole until it syncs: "
                        f"officecli renumber {rid} (then sync); the merge was not taken",
                    ),
                )
            )
            continue
        conflicts = data.get("conflicts") if isinstance(data, dict) else None
        if conflicts:
            said.add(rid)
            fields = []
            for c in conflicts if isinstance(conflicts, list) else []:
                if isinstance(c, dict):
                    fields.append(f"{c.get('field')}: ours {c.get('ours')!r}, theirs {c.get('theirs')!r}")
            out.append(
                Finding(
                    rid,
                    f"{rid}: both sites changed {'; '.join(fields) or 'a field'} - "
                    f"edit {path} (set the field, delete its conflicts: entry), "
                    f"git add it, then git commit",
                )
            )
            continue
        if owner is not None:
            problem = placement(owner[0], path, data)
            if problem:
                said.add(rid)
                out.append(Finding(rid, f"{rid}: {path}: {problem} - {sides(rid)}; then git commit"))
                continue
        if path in unmerged:
            said.add(rid)
            out.append(
                Finding(
                    rid,
                    f"{rid}: {path} is unmerged in git - {sides(rid)}: settle it, "
                    f"git add it, then git commit",
                )
            )
    return out
