"""doctor: read every file of the tree and say, one line each, what is wrong.

Checks: office.yaml; unparsable YAML (with the line); git conflict markers;
schema violations (missing or mistyped fields); file name that is not the
record's ID; the same ID in two folders; a dated record in the wrong month's
folder; a folder no workflow knows; files that are not records; leftover
temp files; interrupted transactions; private folders readable by others.

``repair`` finishes or undoes interrupted transactions, sweeps temp files
and tightens private folders' modes. It never deletes or edits a record: what
it cannot fix it reports.
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass

from officecli.store import fsio, yamlio
from officecli.store.merge import unsettled
from officecli.store.errors import UserError
from officecli.store.tree import Store

from . import config, hr_repo, records
from .mergecheck import placement
from .workflows import PRIVATE, Kind, all_folder_patterns, known_folder

ROOT_FILES = {"office.yaml", ".gitignore", ".gitattributes", "README.md", "README"}
_CONFLICT = re.compile(r"^(<<<<<<<|=======|>>>>>>>)( |$)", re.M)


@dataclass
class Problem:
    where: str        # path, or path:line
    message: str
    fixable: bool = False

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def _kind_of_folder(folder: str) -> tuple[Kind, str] | None:
    for k, state, _ in all_folder_patterns():
        if k.state_of(folder) == state:
            return k, state
    return None


def check(store: Store) -> list[Problem]:
    out: list[Problem] = []
    out += _check_office(store)
    out += [Problem(line.split(": ", 1)[0], line.split(": ", 1)[1], True) for line in store.interrupted()]
    out += [Problem(where, message) for where, message in store.unsafe()]   # links, bad journals
    seen: dict[str, str] = {}
    for rel, dirs, files in store.walk():
        if rel == "templates":            # the company's own document templates (officecli print)
            dirs[:] = []
            continue
        if rel and not known_folder(rel):
            out.append(Problem(rel + "/", "a folder no workflow knows"))
            dirs[:] = []
            continue
        if _is_private(rel) and rel:
            mode = stat.S_IMODE(os.stat(store.path(rel)).st_mode)
            if mode & 0o077:
                out.append(Problem(rel + "/", f"mode {mode:o}: pay is private, should be 700", True))
        owner = _kind_of_folder(rel)
        for name in files:
            path = f"{rel}/{name}" if rel else name
            if _is_private(rel) and rel:
                mode = stat.S_IMODE(os.stat(store.path(path)).st_mode)
                if mode & 0o077:
                    out.append(Problem(path, f"mode {mode:o}: pay is private, should be 600", True))
            if fsio.is_temp(name):
                out.append(Problem(path, "leftover temp file of an interrupted write", True))
            elif rel == "":
                if name not in ROOT_FILES:
                    out.append(Problem(path, "a file no workflow knows"))
            elif name.startswith("."):
                continue
            elif owner is None or not name.endswith(".yaml"):
                out.append(Problem(path, "a file no workflow knows (records are <ID>.yaml in a state folder)"))
            else:
                out += _check_record(store, owner[0], path, name[: -len(".yaml")], seen)
    if not any(p.where.startswith("office.yaml") for p in out):
        out += _check_books(store, {str(p) for p in out})
    try:
        out = hr_repo.check(store, out)     # HR: unreadable back/hr, old layout, pay in git
    except UserError as exc:                # it met something it will not read (a link): once
        where, _, message = str(exc).partition(": ")
        if not any(p.where.rstrip("/") == where for p in out):
            out.append(Problem(where, message))
    from . import gitdoctor   # the clone: its site, git set-up, a pending commit
    out += [Problem(w, m, f) for w, m, f in gitdoctor.problems(store.root, _raw(store))]
    return out


def _raw(store: Store):
    try:
        return store.load("office.yaml")
    except UserError:
        return None


def _check_books(store: Store, said: set[str]) -> list[Problem]:
    """What `ledger check` finds (balance, accounts, invoice numbering), not said already."""
    from . import ledger
    from .core import Office

    found = []
    try:
        lines = ledger.check(Office(store.root, "doctor"))
    except UserError as exc:      # the books cannot be read through something (a link...)
        lines = [str(exc)]
    for line in lines:
        if line in said or any(line.startswith(s.split(": ", 1)[0] + ":") for s in said):
            continue
        where, _, message = line.partition(": ")
        found.append(Problem(where, message))
    return found


def _is_private(rel: str) -> bool:
    return any(rel == p or rel.startswith(p + "/") for p in PRIVATE)


def _check_office(store: Store) -> list[Problem]:
    try:
        raw = store.parse("office.yaml", store.read_text("office.yaml"))
    except UserError as exc:
        where, _, msg = str(exc).partition(": ")
        return [Problem(where, msg)]
    return [Problem("office.yaml", p) for p in config.problems(raw)]


def _check_record(store: Store, kind: Kind, path: str, name: str, seen: dict) -> list[Problem]:
    try:
        text = store.read_text(path)
    except UserError as exc:
        return [Problem(path, str(exc).partition(": ")[2])]
    m = _CONFLICT.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        return [Problem(f"{path}:{line}", "git conflict marker: merge the two versions by hand")]
    try:
        data = yamlio.loads(text)
    except yamlio.YAMLError as exc:
        line = yamlio.error_line(exc)
        return [Problem(f"{path}:{line}" if line else path, f"not valid YAML: {yamlio.error_text(exc)}")]
    out = [Problem(path, f"{kind.label}: {p}") for p in records.validate(kind, data)]
    out += [Problem(path, line) for line in unsettled(data)]    # a merge's conflicts: entry
    misplaced = placement(kind, path, data) if isinstance(data, dict) else None
    if misplaced:
        out.append(Problem(path, f"{kind.label}: {misplaced}"))
    if isinstance(data, dict):
        key = data.get(kind.key)
        if key is not None and str(key) != name:
            out.append(Problem(path, f"{kind.key}: {key!r} but the file is named {name}.yaml"))
        if kind.dated and isinstance(data.get(kind.dated), str):
            when = data[kind.dated]
            folder = path.rsplit("/", 1)[0]
            if not folder.endswith(f"{when[:4]}/{when[5:7]}"):
                out.append(Problem(path, f"{kind.dated}: {when} but the file is in {folder}/"))
    if name in seen:
        out.append(Problem(path, f"the same ID as {seen[name]}: a record lives in one folder only"))
    else:
        seen[name] = path
    return out


def repair(store: Store) -> tuple[list[str], list[Problem]]:
    """Fix what can be fixed safely; return (what was done, what is still wrong)."""
    done: list[str] = []
    with store.locked(repair=True):   # a bad journal is left for a person
        done += store.notes + store.tightened
        store.notes.clear()
        from . import gitdoctor
        done += gitdoctor.repair(store.root)          # a commit a command left pending
        for problem in check(store):
            if not problem.fixable:
                continue
            target = store.path(problem.where.rstrip("/"))
            if problem.message.startswith("leftover temp file"):
                os.unlink(target)
                done.append(f"{problem.where}: removed leftover temp file")
    return done, check(store)
