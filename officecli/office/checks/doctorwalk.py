"""doctor's walk: every file of the tree read, parsed and checked once.

``check`` in doctor.py plans the walk and runs the checks after it; this module
is the walk itself:

1. ``_plan`` lists every folder below the root (not .officecli/ or .git/) in
   order; a folder no workflow knows is listed, its subfolders are not; an
   unreadable folder is one line and the walk goes on beside it. It also notes
   the first path of every record ID and each later path of the same ID (the
   same record in two folders), so either process of a split walk can say so.
2. ``_walk`` checks the folders; on two cores a forked child checks the folders
   holding the second half of the files and sends back its lines, the
   references and names it found and where its folders' facts are; they are
   joined in walk order (the same lines, in the same order, as one process: a
   test forces the split and compares). The child writes its folders' stat
   cache shards and facts itself (one file per folder each).
3. Every file on its own (``_check_file``, ``_check_text``): unreadable, not
   UTF-8, git conflict markers, not valid YAML, YAML officecli never writes,
   every field against its type and range, characters no field may hold, a
   file name that is not the record's ID, a dated record in the wrong month's
   folder, a cache entry that is current but says something else. A valid
   record goes into the stat cache (as any read would put it).
4. A folder done, its records' facts (doctorfacts.py) are written under the
   folder's digest when nothing was wrong in it, and dropped from memory; the
   checks after the walk read them back a few folders at a time (``_Parsed``:
   never a second parse, never the stat cache). A folder with a problem keeps
   its facts in memory and is checked again by the next ``--quick``, which
   replays the facts of every folder whose digest is unchanged (``_replay``).
"""

from __future__ import annotations

import os
import stat
import sys

from officecli.office import records
from officecli.office.checks import doctorfacts
from officecli.office.incoming import ROOT_FILES  # (sync refuses any other file there)
from officecli.office.problems import Problem
from officecli.office.sites.mergecheck import placement
from officecli.office.workflows import (
    Kind,
    is_private,
    kind_of_folder,
    known_folder,
)
from officecli.store import fsio, yamlio
from officecli.store.cache import StatCache
from officecli.store.errors import UserError
from officecli.store.merge import unsettled
from officecli.store.tree import STATE_DIR, Store

CACHE_DISAGREES = (
    "the cache (.officecli/cache/) says something else than this file "
    "(an edited cache?): 'officecli doctor --repair' drops it"
)


def _denied(rel: str) -> str:
    if is_private(rel):
        return "permission denied: pay is private to HR"
    return "permission denied: the files in it were not checked"


class _Walk:
    """What the walk has seen so far, for the checks that need more than one file."""

    def __init__(self, store: Store, rules: records.Rules, quick: bool = False, facts: bool = True):
        self.store = store
        self.rules = rules
        self.quick = quick
        self.seen: set[str] = set()  # the ID of every record file (the plan lists them)
        self.twins: dict[str, str] = {}  # a later path of an ID -> its first path
        # (path, field, ID) naming an ID no file of the tree has (checked after the walk,
        # against the names it met: earlier names of renumbered records, unknown folders)
        self.refs: list[tuple[str, str, str]] = []
        self.unreadable: list[str] = []  # folders that could not be read
        self.names: set[str] = set()  # every other <name>.yaml anywhere, earlier names too
        self.parsed: dict[str, tuple] = {}  # path -> (stat key, fields) of folders with no facts kept
        self.kept: dict[str, bytes] = {}  # folder -> the digest its facts are kept under (on disk)
        self.office_ok = True  # office.yaml valid: the books can be checked
        said = repr(
            [
                sorted(map(str, rules.rates)),
                sorted(rules.offices),
                sorted(rules.accounts) if rules.accounts is not None else None,
            ]
        )
        # facts=False: the walk before the facts (whole records kept as parsed, nothing
        # read from or written to the facts cache), kept to show that both say the same
        self.facts = doctorfacts.Facts(store.cache, doctorfacts.fingerprint(said)) if facts else None
        # this folder's names, records and references (path, field, ID)
        self.here: tuple[list[str], dict[str, tuple], list[tuple[str, str, str]]] = ([], {}, [])
        self.progress = None
        self._office = None

    def office(self):
        """The Office the checks after the walk read through (one for all of them, so a
        kind listed by one check is not listed again): it reads what this walk parsed
        from the files, or their facts kept under an unchanged digest (``--quick``), never a
        summary or the stat cache."""
        if self._office is None:
            from officecli.office.core import Office

            office = Office(self.store.root, "doctor")
            office.read_files_only(check_fields=False)  # the files, never the cache
            office.store.cache = _Parsed(self)  # ... as the walk parsed them
            office.keep_reads = False  # nothing kept between two reads: one kind at a time
            office.fields_checked = True  # the walk checked every field of every file
            self._office = office
        return self._office


def _why(exc: Exception) -> str:
    if isinstance(exc, UserError):
        return str(exc)
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return f"{type(exc).__name__}: {str(exc)[:200]}"


def _folders(store: Store, walk: _Walk, out: list[Problem]):
    """(rel, dirs, files) of every folder below the root; unreadable ones are reported."""
    root = str(store.root)

    def failed(exc: OSError) -> None:
        rel = os.path.relpath(exc.filename or root, root).replace(os.sep, "/")
        rel = "" if rel == "." else rel
        walk.unreadable.append(rel)
        if isinstance(exc, PermissionError):
            out.append(Problem(rel or ".", _denied(rel)))
        else:
            out.append(Problem((rel or ".") + "/", f"cannot be read: {exc.strerror or exc}"))

    for folder, dirs, files in os.walk(root, onerror=failed):
        rel = os.path.relpath(folder, root)
        rel = "" if rel == "." else rel.replace(os.sep, "/")
        if rel == "":
            dirs[:] = [d for d in dirs if d not in (STATE_DIR, ".git")]
        dirs.sort()
        yield rel, dirs, sorted(files)


def _plan(store: Store, walk: _Walk, out: list[Problem]) -> list[tuple[str, list[str], list[str]]]:
    """Every folder the walk checks, in order (a folder no workflow knows is listed, its
    subfolders are not), ``walk.seen``: the ID of every record file, and ``walk.twins``:
    each later path of an ID and its first path (the same record in two folders)."""
    plan = []
    first: dict[str, str] = {}
    for rel, dirs, files in _folders(store, walk, out):
        if rel == "templates" or (rel and not known_folder(rel)):
            dirs[:] = []
        plan.append((rel, list(dirs), files))
        owner = kind_of_folder(rel) if rel else None
        if owner is None:
            continue
        for name in files:
            if name.endswith(".yaml") and not name.startswith(".") and not fsio.is_temp(name):
                ident = sys.intern(name[: -len(".yaml")])  # (one string for every use of an ID)
                path = f"{rel}/{name}"
                if ident in first:
                    walk.twins[path] = first[ident]
                else:
                    first[ident] = path
    walk.seen = set(first)
    return plan


SPLIT = 4000  # files: a walk this big checks its second half in a forked child


def _walk(store: Store, walk: _Walk, plan) -> list[Problem]:
    """Check every folder of the plan; on two cores a forked child checks the folders
    holding the second half of the files and sends back what it found (its problems,
    references, names and facts), which is joined in walk order: the same lines as one
    process would say. The child writes its folders' stat cache shards and facts
    itself (one file per folder each: no two writers)."""
    from officecli.store import prefetch

    total = sum(len(f) for _, _, f in plan)
    cut = len(plan)
    if total >= SPLIT and prefetch.cores() >= 2:
        seen = 0
        for i, (_, _, files) in enumerate(plan):
            seen += len(files)
            if seen >= total // 2:
                cut = i + 1
                break
    mine, theirs = plan[:cut], plan[cut:]

    def check_theirs():
        walk.progress = None
        walk.refs, walk.names, walk.parsed, walk.kept = [], set(), {}, {}
        said = _check_folders(store, walk, theirs)
        return (
            [(p.where, p.message, p.fixable) for p in said],
            walk.refs,
            sorted(walk.names),
            walk.parsed,
            walk.kept,
        )

    result = prefetch.in_child(check_theirs) if theirs else None
    out = _check_folders(store, walk, mine)
    if not theirs:
        return out
    got = result()
    if got is None:  # no child, or it failed: check them here
        return out + _check_folders(store, walk, theirs)
    said, refs, names, parsed, kept = got
    out += [Problem(w, m, f) for w, m, f in said]
    walk.refs += [tuple(r) for r in refs]
    walk.names.update(names)
    walk.parsed.update(parsed)
    walk.kept.update(kept)
    if walk.progress is not None:
        for _, _, files in theirs:
            for _ in files:
                walk.progress(1)
    return out


def _check_folders(store: Store, walk: _Walk, plan) -> list[Problem]:
    out: list[Problem] = []
    for rel, dirs, files in plan:
        try:
            out += _check_folder(store, walk, rel, dirs, files)
        except Exception as exc:  # never stop the walk
            out.append(Problem(rel + "/", f"could not be checked: {_why(exc)}"))
    return out


def _check_folder(store: Store, walk: _Walk, rel: str, dirs: list[str], files: list[str]) -> list[Problem]:
    out: list[Problem] = []
    if rel == "templates":  # the company's own document templates (officecli print)
        dirs[:] = []
        return out
    if rel and not known_folder(rel):
        dirs[:] = []
        walk.names.update(
            n[:-5] for _, _, names in os.walk(store.path(rel)) for n in names if n.endswith(".yaml")
        )
        return [Problem(rel + "/", "a folder no workflow knows")]
    if is_private(rel) and rel:
        mode = stat.S_IMODE(os.stat(store.path(rel)).st_mode)
        if mode & 0o077:
            out.append(Problem(rel + "/", f"mode {mode:o}: pay is private, should be 700", True))
    digest = doctorfacts.digest(str(store.root), rel, files) if walk.facts is not None else None
    if walk.quick and walk.facts is not None:
        kept = walk.facts.get(rel, digest)
        if kept is not None:  # not changed since doctor found it clean: its facts stand
            return out + _replay(walk, rel, files, kept)
    walk.here = names, records, refs = ([], {}, [])
    owner = kind_of_folder(rel)
    for name in files:
        path = f"{rel}/{name}" if rel else name
        names.append(sys.intern(name[: -len(".yaml")]) if name.endswith(".yaml") else name)
        if walk.progress is not None:
            walk.progress(1)
        try:
            out += _check_file(store, walk, owner, rel, path, name)
        except Exception as exc:  # one file's surprise is one line; the walk goes on
            out.append(Problem(path, f"could not be checked: {_why(exc)}"))
    _other_names(walk, names)
    _unknown_refs(walk, refs)
    store.cache.release(rel)  # the folder's cache entries written, not kept in memory
    if walk.facts is not None:
        if all(walk.twins.get(p.where) and p.message.startswith(TWICE) for p in out):
            if digest is not None and walk.facts.put(rel, digest, names, refs, records):
                walk.kept[rel] = digest
                for path in records:  # on disk now: the checks after the walk read them there
                    walk.parsed.pop(path, None)
        else:  # something is wrong here: checked again next time, whatever its digest
            walk.facts.drop(rel)
    return out


def _replay(walk: _Walk, rel: str, files: list[str], kept: dict) -> list[Problem]:
    """A folder's facts joined to the walk as if it had just been checked (it was found
    clean under the same digest); only what depends on other folders is said again."""
    _other_names(walk, kept["names"])
    _unknown_refs(walk, kept["refs"])
    walk.kept[rel] = kept["digest"]  # the checks after the walk read its records from there
    out = []
    for name in files:
        if walk.progress is not None:
            walk.progress(1)
        first = walk.twins.get(f"{rel}/{name}" if rel else name)
        if first:
            out.append(_twice(f"{rel}/{name}" if rel else name, first))
    return out


def _other_names(walk: _Walk, names) -> None:
    """Keep the names that are no record file's ID (the plan has those)."""
    walk.names.update(n for n in names if n not in walk.seen)


def _unknown_refs(walk: _Walk, refs) -> None:
    """Keep the references to an ID no file has (the plan listed every file's ID first)."""
    walk.refs += [(p, f, i) for p, f, i in refs if type(i) is not str or i not in walk.seen]


TWICE = "the same ID as "


def _twice(path: str, first: str) -> Problem:
    return Problem(path, f"{TWICE}{first}: a record lives in one folder only")


def _check_file(store: Store, walk: _Walk, owner, rel: str, path: str, name: str) -> list[Problem]:
    out: list[Problem] = []
    if is_private(rel) and rel:
        mode = stat.S_IMODE(os.lstat(store.path(path)).st_mode)
        if mode & 0o077:
            out.append(Problem(path, f"mode {mode:o}: pay is private, should be 600", True))
    if fsio.is_temp(name):
        out.append(Problem(path, "leftover temp file of an interrupted write", True))
    elif rel == "":
        if name not in ROOT_FILES:
            out.append(Problem(path, "a file no workflow knows"))
    elif name.startswith("."):
        pass
    elif owner is None or not name.endswith(".yaml"):
        out.append(Problem(path, "a file no workflow knows (records are <ID>.yaml in a state folder)"))
    else:
        out += _check_record(store, walk, owner[0], path, name[: -len(".yaml")])
    return out


class _Parsed:
    """The reads of the checks after the walk, served from what the walk gathered (the
    files, read once) by the same stat key: a clean folder's facts from its facts file
    (loaded when first asked for; the folders used last are kept, up to ``RECORDS``
    records), any other folder's from the walk's memory; a file in neither is read
    again."""

    RECORDS = 20000  # records' facts held at once (at least the last folder's)

    def __init__(self, walk: _Walk):
        self.walk = walk
        self.loaded: dict[str, dict] = {}  # folder -> its records' facts, least recently used first
        self.held = 0
        self.disagree: list[str] = []

    def get(self, rel, st):
        hit = self.walk.parsed.get(rel)
        if hit is None:
            folder = rel.rpartition("/")[0]
            found = self.loaded.pop(folder, None)
            if found is None:
                found = self._load(folder)
            self.loaded[folder] = found  # (the last used, now)
            hit = found.get(rel)
        return hit[1] if hit is not None and hit[0] == StatCache.key(st) else None

    def _load(self, folder: str) -> dict:
        digest = self.walk.kept.get(folder)
        facts = self.walk.facts
        kept = facts.get(folder, digest) if facts is not None and digest is not None else None
        found = kept["records"] if kept is not None else {}  # (gone meanwhile: read the files)
        self.held += len(found)
        while self.loaded and self.held > self.RECORDS:
            self.held -= len(self.loaded.pop(next(iter(self.loaded))))
        return found

    def put(self, rel, st, data) -> None:
        pass

    def save(self) -> None:
        pass

    def usable(self) -> bool:  # no summary or index: the records themselves are checked
        return False


def _check_record(store: Store, walk: _Walk, kind: Kind, path: str, name: str) -> list[Problem]:
    first = walk.twins.get(path)
    twice = [_twice(path, first)] if first else []
    try:
        st = os.lstat(os.path.join(store.guard.root, path))
    except OSError:
        st = None
    return _check_text(store, walk, kind, path, name, st) + twice


def _intern(value):
    return sys.intern(value) if type(value) is str else value


def _check_text(store: Store, walk: _Walk, kind: Kind, path: str, name: str, st) -> list[Problem]:
    """Read, parse and check one record file (the walk keeps what the books need)."""
    try:
        text = store.read_text(path)
    except UserError as exc:
        return [Problem(path, str(exc).partition(": ")[2])]
    try:
        data = yamlio.loads(text)
    except yamlio.Refused as exc:
        where = f"{path}:{exc.line}" if exc.line else path
        if exc.problem.startswith("a git conflict marker"):
            return [Problem(where, "git conflict marker: merge the two versions by hand")]
        return [Problem(where, f"not an officecli record: {exc.problem}")]
    except yamlio.YAMLError as exc:
        line = yamlio.error_line(exc)
        return [Problem(f"{path}:{line}" if line else path, f"not valid YAML: {yamlio.error_text(exc)}")]
    out = [Problem(path, f"{kind.label}: {p}") for p in records.validate(kind, data, walk.rules)]
    out += [Problem(path, f"{kind.label}: {p}") for p in records.text_problems(kind, data)]
    out += [Problem(path, line) for line in unsettled(data)]  # a merge's conflicts: entry
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
            state = kind.state_of(folder)  # a state without YYYY/MM folders (unmatched bank lines)
            dated = state is None or "{month}" in kind.states[state]
            if dated and not folder.endswith(f"{when[:4]}/{when[5:7]}"):
                out.append(Problem(path, f"{kind.dated}: {when} but the file is in {folder}/"))
    refs = []
    if isinstance(data, dict):
        earlier = data.get("renumbered_from")  # names it had before 'officecli renumber'
        walk.here[0].extend(x for x in earlier if isinstance(x, str)) if isinstance(earlier, list) else None
        if kind.name != "ledger_txn":  # ledger check names the ledger's refs
            refs = [(field, _intern(ident)) for field, ident in records.references(kind, data)]
            walk.here[2].extend((path, field, ident) for field, ident in refs)
    if _cache_disagrees(store, path, data, st):
        out.append(Problem(path, CACHE_DISAGREES, True))
    if st is not None:
        if not out and isinstance(data, dict):  # valid: the stat cache may serve it (as a read would)
            store.cache.put(path, st, data)
        fact = (StatCache.key(st), doctorfacts.compact(data) if walk.facts is not None else data)
        walk.parsed[path] = fact  # the checks after the walk read it from here
        if not out:
            walk.here[1][path] = fact
    return out


def _cache_disagrees(store: Store, path: str, data, st) -> bool:
    try:
        cached = store.cache.get(path, st) if st is not None else None
    except Exception:  # a malformed entry: every reader discards it
        return False
    return cached is not None and cached != data
