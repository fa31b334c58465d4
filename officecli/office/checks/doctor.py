"""doctor: read every file of the tree and say, one line each, what is wrong.

The walk never stops early and never crashes:

1. office.yaml is checked first; when it is broken the walk goes on with the
   default rules (no chart of accounts, the usual offices).
2. Every folder below the root (not .officecli/ or .git/) is visited (the walk
   is doctorwalk.py: on two cores a forked child checks the second half). A
   folder that cannot be read is one line ("back/hr: permission denied: pay is
   private to HR" for the private one) and the walk goes on beside it.
3. Every file is checked on its own: unreadable, not UTF-8, git conflict
   markers, not valid YAML, YAML officecli never writes (anchors, aliases,
   tags, duplicate keys, huge or odd numbers), every field against its type
   and range (one line per field), characters no field may hold, a file name
   that is not the record's ID, a dated record in the wrong month's folder,
   the same ID in two folders. Any unexpected error while checking one file
   becomes one line naming that file.
4. The files are read, never the cache, each file once; a cache entry that is
   current (its stat key matches) but says something else than its file is
   reported.
5. After the walk, the checks over what it gathered run in turn (``CHECKS``: a
   list of functions ``(store, walk, problems) -> problems``; other modules add
   theirs with ``register``): the records each record names must exist; the
   books (``ledger check``), from the facts the walk gathered (the ledger is
   not parsed a second time); then the checks across records (mergedoctor).

The walk streams: a folder's text and parse are dropped as soon as it is
checked, and what the checks after it need (each record's fields in a compact
form, the IDs, names and references) is kept per folder as its *facts*
(doctorfacts.py): on disk for a folder found clean, under the folder's digest,
and read back a few folders at a time by the books and the cross-record checks.

``quick`` (``doctor --quick``, for cron every few minutes) skips every folder
whose digest (the lstat of each of its files: names, modes, sizes, mtimes,
ctimes, inodes) is what it was when doctor last found it clean: its facts stand
for it (doctorfacts.py says why an unchanged digest means unchanged bytes). Every
other folder is read and checked in full; the checks after the walk run in full.
``progress`` (the CLI passes a bar on a terminal) is told of every file.

Also: folders no workflow knows, files that are not records, leftover temp
files, interrupted transactions, private folders readable by others.

``repair`` finishes or undoes interrupted transactions, sweeps temp files,
tightens private folders' modes and drops cache shards that disagree with
their files. It never deletes or edits a record: what it cannot fix it reports.
"""

from __future__ import annotations

import os

from officecli.office import autocommit, config, records
from officecli.office.checks import seals as seal_check
from officecli.office.checks.doctorwalk import (  # the walk: doctorwalk.py
    CACHE_DISAGREES,
    _plan,
    _Walk,
    _walk,
    _why,
)
from officecli.office.einvoice import facts as einvoice_facts
from officecli.office.people import hr_repo
from officecli.office.problems import Problem
from officecli.office.workflows import PRIVATE
from officecli.store import git, ids, yamlio
from officecli.store.errors import UserError
from officecli.store.tree import STATE_DIR, Store


def check(store: Store, quick: bool = False, progress=None, facts: bool = True) -> list[Problem]:
    """Every problem of the tree. ``progress(total)`` (optional) returns a function called
    with 1 for every file checked. ``facts=False`` walks as doctor did before its facts
    (whole records kept, no facts cache): the same lines, kept for the test that says so.

    Python's cycle collector is off meanwhile: the walk keeps every record's facts (plain
    dicts and lists, no cycles) for the checks after it, and the collector would walk
    those millions of objects again at every full collection for nothing (measured on
    the 10k tree: 6.2 s with it, 4.6 s without)."""
    import gc

    was = gc.isenabled()
    gc.disable()
    try:
        return _check(store, quick, progress, facts)
    finally:
        if was:
            gc.enable()


def _check(store: Store, quick: bool, progress, facts: bool) -> list[Problem]:
    out: list[Problem] = []
    office_problems = _check_office(store)
    out += office_problems
    rules = _rules(store) if not office_problems else records.Rules()
    try:
        out += [
            Problem(line.split(": ", 1)[0], line.split(": ", 1)[-1], True) for line in store.interrupted()
        ]
    except Exception as exc:
        out.append(Problem(f"{STATE_DIR}/txn/", f"could not be checked: {_why(exc)}"))
    try:
        out += [Problem(where, message) for where, message in store.unsafe()]  # links, bad journals
    except Exception as exc:
        out.append(Problem(f"{STATE_DIR}/", f"could not be checked: {_why(exc)}"))
    walk = _Walk(store, rules, quick, facts)
    walk.office_ok = not office_problems
    plan = _plan(store, walk, out)
    if progress is not None:
        walk.progress = progress(sum(len(f) for _, _, f in plan))
    out += _walk(store, walk, plan)
    out += seal_check.check(store, quick)  # files changed after their period was closed
    if walk.facts is not None:  # the facts of folders gone (or now unreadable) are dropped
        walk.facts.sweep({rel for rel, _, _ in plan})
    for run in CHECKS:
        try:
            out = run(store, walk, out)
        except Exception as exc:  # one check's surprise is one line
            out.append(Problem(".", f"{getattr(run, '__name__', 'a check')} could not run: {_why(exc)}"))
    try:
        from officecli.office.checks import gitdoctor  # the clone: its site, git set-up, a pending commit

        out += [Problem(w, m, f) for w, m, f in gitdoctor.problems(store.root, _raw(store))]
    except Exception as exc:
        out.append(Problem(".git", f"could not be checked: {_why(exc)}"))
    from officecli.office.sites import mergedoctor  # across records: what only a merge of two sites breaks

    return mergedoctor.check(store, out, walk.office)


def _refs(store: Store, walk: _Walk, out: list[Problem]) -> list[Problem]:
    return out + _check_refs(walk)


def _books(store: Store, walk: _Walk, out: list[Problem]) -> list[Problem]:
    return out + _check_books(store, out, walk) if walk.office_ok else out


def _hr(store: Store, walk: _Walk, out: list[Problem]) -> list[Problem]:
    try:
        return hr_repo.check(store, out)  # HR: unreadable back/hr, old layout, pay in git
    except UserError as exc:  # it met something it will not read (a link): once
        where, _, message = str(exc).partition(": ")
        if not any(p.where.rstrip("/") == where for p in out):
            out.append(Problem(where, message))
        return out
    except Exception as exc:
        return out + [Problem(f"{PRIVATE[0]}/", f"could not be checked: {_why(exc)}")]


def _einvoice(store: Store, walk: _Walk, out: list[Problem]) -> list[Problem]:
    """With einvoice.report on: each invoice or credit note myDATA could not take, and why."""
    if not walk.office_ok:
        return out
    from officecli.office.core import Office

    try:
        office = Office(store.root, "doctor")
        office.read_files_only(check_fields=False)  # the files, never the cache
        if not einvoice_facts.reporting(office):
            return out
        found = einvoice_facts.unreportable(office)
    except UserError as exc:
        return out + [Problem("office.yaml", f"einvoice: {exc}")]
    return out + [Problem(rec.path, f"cannot be reported to myDATA: {why}") for rec, why in found]


# The checks run after the walk, in order: ``(store, walk, problems) -> problems`` (the
# list so far, returned with what the check adds; it may replace what it knows better).
# A module that checks more (across records, against the books) adds itself: ``register``.
CHECKS = [_refs, _books, _hr, _einvoice]


def register(run) -> None:
    if run not in CHECKS:
        CHECKS.append(run)


def _raw(store: Store):
    try:
        return store.load("office.yaml")
    except UserError:
        return None


def _rules(store: Store) -> records.Rules:
    try:
        raw = yamlio.loads(store.read_text("office.yaml"))
        return records.rules_of(config.Config(raw))
    except Exception:
        return records.Rules()


def _check_books(store: Store, said: list[Problem], walk: _Walk) -> list[Problem]:
    """What `ledger check` finds (balance, accounts, invoice numbering), not said already."""
    from officecli.office.checks import books as book_checks

    known = {str(p) for p in said}
    paths = {p.where.split(":", 1)[0] for p in said}
    found = []

    try:  # from the facts the walk gathered (the files, read once)
        lines = book_checks.check(walk.office())
    except Exception as exc:
        return [Problem("back/ledger/", f"the books could not be checked: {_why(exc)}")]
    for line in lines:
        where, _, message = line.partition(": ")
        if line in known or where.split(":", 1)[0] in paths or where.split(" ", 1)[0] in paths:
            continue
        found.append(Problem(where, message))
    return found


def _check_office(store: Store) -> list[Problem]:
    try:
        raw = store.parse("office.yaml", store.read_text("office.yaml"))
    except UserError as exc:
        where, _, msg = str(exc).partition(": ")
        return [Problem(where, msg)]
    except Exception as exc:
        return [Problem("office.yaml", f"could not be checked: {_why(exc)}")]
    return [Problem("office.yaml", p) for p in config.problems(raw)]


def _check_refs(walk: _Walk) -> list[Problem]:
    """Every record a record names exists (unless its folder could not be read)."""
    from officecli.office.workflows import by_prefix

    out = []
    for path, field, ident in walk.refs:
        parsed = ids.parse_id(ident)
        target = by_prefix(parsed[0]) if parsed else None
        if target is None or ident in walk.seen or ident in walk.names:
            continue
        hidden = any(
            u == "" or any(pat.startswith(u + "/") or pat == u for pat in target.states.values())
            for u in walk.unreadable
        )
        if not hidden:
            out.append(Problem(path, f"{field}: no {target.label} {ident}"))
    return out


def repair(store: Store) -> tuple[list[str], list[Problem]]:
    """Fix what can be fixed safely; return (what was done, what is still wrong)."""
    done: list[str] = []
    dropped = False
    repo = git.Repo.find(store.root)
    if repo is not None:  # what a plain git pull brought that sync refuses: nothing repaired on it
        from officecli.office.sites import twice

        done += twice.mend(repo)  # one record file both sides added, left unmerged by git
        autocommit.refuse_incoming(store.root, repo)
    with store.locked(repair=True):  # a bad journal is left for a person
        done += store.notes + store.tightened
        store.notes.clear()
        from officecli.office.checks import gitdoctor

        done += gitdoctor.repair(store.root)  # a commit a command left pending
        for problem in check(store):
            if not problem.fixable:
                continue
            target = store.path(problem.where.rstrip("/"))
            if problem.message.startswith("leftover temp file"):
                os.unlink(target)
                done.append(f"{problem.where}: removed leftover temp file")
            elif problem.message == CACHE_DISAGREES:
                shard = store.cache.shard_file(problem.where.rpartition("/")[0])
                try:
                    os.unlink(shard)
                except FileNotFoundError:
                    pass
                dropped = True
                done.append(
                    f"{problem.where}: dropped the cache entries of its folder "
                    "(they are rebuilt from the files)"
                )
        if dropped:  # forget the entries read before they were dropped
            store.cache = type(store.cache)(store.cache.path)
    return done, check(store)
