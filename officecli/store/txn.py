"""All-or-nothing changes to several files, also across ``kill -9`` and power loss.

A transaction collects operations in memory (create, replace, move, remove),
then commits in four durable steps:

1. **stage**: each new file's bytes are written and fsynced under
   ``.officecli/txn/<id>/`` (same file system, so a rename moves them; more than
   ``fsio.BATCH`` files are made durable by one ``syncfs`` after all are written);
2. **journal**: ``journal.json`` naming every operation is written there
   atomically; its existence is the commit point;
3. **apply**: each staged file is renamed into place (a move first renames the
   old file to its new folder, then replaces it with the staged bytes, so a
   reader never sees a record in two folders or a torn file; a remove - only
   for a second copy of a record, as ``officecli resolve`` settles one - stages
   the bytes it removes and unlinks the file);
4. **drop**: the transaction folder is removed.

``recover`` runs before any writer starts (and in ``doctor --repair``): a
transaction folder with a journal is rolled forward (every step of ``apply``
is idempotent), one without a journal is rolled back (nothing of it was
applied; its staged files are deleted).

Nothing outside the root (store/guard.py), also when the journal was planted:

* every operation's ``path`` and ``src`` is checked when it is collected and
  again before the commit: a relative path inside the root, no part starting
  with a dot (no ``..``, never ``.git/`` or ``.officecli/``), every folder on
  the way a real folder, the file itself a regular file (or, for a new one,
  no name at all: not even a dangling link);
* a journal read back from disk is checked whole before any step of it is
  applied (``journal_problem``): the same rules for ``path`` and ``src``, and a
  ``stage`` that is a plain staged file of its own folder (``0000``, ...). A
  journal that fails is never applied: a writer refuses with one line naming
  it, ``doctor`` reports it (``bad_journals``) and ``doctor --repair`` leaves it
  for a person, who looks at it and removes its folder;
* ``.officecli/txn/`` and each transaction folder must be real folders: a link
  there is refused the same way.

A failure while staging (a full disk, ``ulimit -f``) removes the transaction
folder before the error goes on, naming the record being written: a refused
change leaves nothing, not even a folder for the next writer to roll back.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import time
from pathlib import Path
from typing import Any, Callable

from . import fsio
from .errors import UserError
from .guard import Guard, UnsafePath, check_record_rel

JOURNAL = "journal.json"
OPS = ("create", "replace", "move", "remove")
_STAGE = re.compile(r"[0-9]{4,9}")
MAX_JOURNAL = 64 * 1024 * 1024


def _crash_point(name: str) -> None:
    """Test hook: ``$OFFICECLI_CRASH_AT=name`` kills this process right here with SIGKILL,
    so the crash tests can stop a real writer between any two durable steps."""
    if os.environ.get("OFFICECLI_CRASH_AT") == name:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


class Transaction:
    """Operations on paths relative to ``root``; nothing touches the tree before ``commit``."""

    def __init__(
        self,
        root: Path,
        txn_dir: Path,
        file_mode: Callable[[str], int],
        make_dir: Callable[[str], None],
        guard: Guard | None = None,
    ):
        self.root = root
        self.guard = guard or Guard(root)
        self.txn_dir = txn_dir
        self.file_mode = file_mode
        self.make_dir = make_dir
        self.ops: list[dict[str, Any]] = []
        self._pending: dict[str, dict[str, Any]] = {}  # destination -> op
        self._added: list[str] = []  # every destination, in order (pending_top reads on from where it was)
        self._tops: dict[tuple[str, str], tuple[int, int]] = {}  # (prefix, site) -> (read so far, top)
        self._moved_away: set[str] = set()
        self.message: str = ""  # one line that says what happened (git)
        self.done: list[str] = []  # filled by commit: what was written

    # -- collecting ---------------------------------------------------------
    def pending_text(self, rel: str) -> str | None:
        op = self._pending.get(rel)
        return op["text"] if op else None

    def pending_paths(self) -> list[str]:
        return list(self._pending)

    def pending_top(self, prefix: str, site: str) -> int:
        """The highest PREFIX-SITE number among the files this transaction has made so far
        (0: none): each destination is looked at once, so numbering N new records costs N."""
        from .ids import parse_id

        seen, top = self._tops.get((prefix, site), (0, 0))
        for rel in self._added[seen:]:
            name = rel.rpartition("/")[2]
            p = parse_id(name[:-5]) if name.endswith(".yaml") else None
            if p and p[0] == prefix and p[1] == site and p[2] > top:
                top = p[2]
        self._tops[(prefix, site)] = (len(self._added), top)
        return top

    def moved_away(self, rel: str) -> bool:
        return rel in self._moved_away

    def exists(self, rel: str) -> bool:
        if rel in self._pending:
            return True
        if rel in self._moved_away:
            return False
        check_record_rel(rel)
        return self.guard.lexists(rel)  # a link counts; a link on the way is refused

    def create(self, rel: str, text: str) -> None:
        if self.exists(rel):
            raise UserError(f"{rel}: already exists; officecli never overwrites a record")
        self._add({"op": "create", "path": rel, "text": text})

    def replace(self, rel: str, text: str) -> None:
        op = self._pending.get(rel)
        if op is not None:
            op["text"] = text
            return
        if not self.exists(rel):
            raise UserError(f"{rel}: no such file")
        self._add({"op": "replace", "path": rel, "text": text})

    def move(self, src: str, dst: str, text: str) -> None:
        if src == dst:
            return self.replace(src, text)
        if self.exists(dst):
            raise UserError(f"{dst}: already exists; officecli never overwrites a record")
        op = self._pending.pop(src, None)
        if op is not None:  # created or changed earlier in this transaction
            self.ops.remove(op)
            if op["op"] == "create":
                return self._add({"op": "create", "path": dst, "text": text})
            src = op.get("src", src)
        check_record_rel(src)
        if not self.guard.lexists(src):
            raise UserError(f"{src}: no such file")
        self._moved_away.add(src)
        self._add({"op": "move", "src": src, "path": dst, "text": text})

    def remove(self, rel: str) -> None:
        """Remove a file (the losing copy of a record in two folders); its bytes are staged."""
        if rel in self._pending or not self.exists(rel):
            raise UserError(f"{rel}: no such file to remove")
        text = self.guard.read_bytes(rel).decode("utf-8", "replace")  # never through a link
        self._moved_away.add(rel)
        self._add({"op": "remove", "path": rel, "text": text})

    def _add(self, op: dict[str, Any]) -> None:
        check_record_rel(op["path"])
        if "src" in op:
            check_record_rel(op["src"])
        self.ops.append(op)
        self._pending[op["path"]] = op
        self._added.append(op["path"])

    # -- committing ---------------------------------------------------------
    def commit(self) -> list[str]:
        if not self.ops:
            return []
        self.check_paths()
        self.check_writable()
        parent = self.txn_dir.parent
        rel_parent = parent.relative_to(self.root).as_posix()
        if not self.guard.folder(rel_parent):  # .officecli/txn: a link is refused
            fsio.make_dirs(parent)
            self.guard.folder(rel_parent)
        self.txn_dir.mkdir()
        journal = []
        batch = len(self.ops) > fsio.BATCH  # many files (an import): made durable all at once
        try:
            for i, op in enumerate(self.ops):
                stage = f"{i:04d}"
                fsio.write_new(
                    self.txn_dir / stage,
                    op["text"].encode("utf-8"),
                    self.file_mode(op["path"]),
                    name=op["path"],
                    sync=not batch,
                )
                entry = {k: v for k, v in op.items() if k != "text"}
                entry["stage"] = stage
                journal.append(entry)
            if batch:  # every staged byte on disk before the journal names it
                fsio.sync_all(self.txn_dir, [self.txn_dir / e["stage"] for e in journal])
            _crash_point("staged")
            body = json.dumps(
                {"created": time.time(), "pid": os.getpid(), "ops": journal}, ensure_ascii=False, indent=1
            ).encode("utf-8")
            where = self.txn_dir.relative_to(self.root).as_posix() + "/" + JOURNAL
            fsio.write_new(self.txn_dir / (JOURNAL + ".new"), body, name=where)
            os.rename(self.txn_dir / (JOURNAL + ".new"), self.txn_dir / JOURNAL)
            fsio.fsync_dir(self.txn_dir)  # the commit point is durable
        except OSError as exc:  # nothing applied: leave nothing behind
            shutil.rmtree(self.txn_dir, ignore_errors=True)
            name = exc.filename or self.txn_dir
            raise UserError(f"{name}: {exc.strerror or exc}; nothing was changed") from None
        _crash_point("journaled")
        apply_journal(self.root, self.txn_dir, self.make_dir, self.guard)
        self.done = [op["path"] for op in self.ops]
        return self.done

    def check_paths(self) -> None:
        """Refuse before the commit point any operation whose way goes through a link or
        whose file is not what it must be (a regular file to change, no name to create)."""
        for op in self.ops:
            problem = _op_problem(self.guard, op, fresh=True)
            if problem:
                raise UnsafePath(problem)

    def check_writable(self) -> None:
        """Refuse before the commit point when a folder it must write in is read-only:
        a refused change must leave nothing behind (not even a journal that the next
        writer would roll forward)."""
        seen: set[str] = set()
        for op in self.ops:
            for rel in (op["path"], op.get("src") or op["path"]):
                folder = rel.rpartition("/")[0]
                while folder and not (self.root / folder).is_dir():  # made on apply
                    folder = folder.rpartition("/")[0]
                if folder in seen:
                    continue
                seen.add(folder)
                if not os.access(self.root / folder, os.W_OK | os.X_OK):
                    raise UserError(
                        f"{folder or '.'}/: cannot write in this folder (permission "
                        f"denied); nothing was changed"
                    )


def _op_problem(guard: Guard, op: dict[str, Any], fresh: bool = False) -> str | None:
    """What is wrong with one operation's paths, or None. ``fresh``: before the commit
    (a destination must not exist yet); after it a crash may have applied part of it."""
    try:
        if op.get("op") not in OPS:
            return f"unknown operation {op.get('op')!r}"
        for key in ("src", "path") if op["op"] == "move" else ("path",):
            rel = op.get(key)
            try:
                rel = check_record_rel(rel)
                st = guard.lstat(rel)  # checks every folder on the way
            except FileNotFoundError:
                if fresh and (op["op"] in ("replace", "remove") or key == "src"):
                    return f"{rel}: no such file"
                continue
            except UnsafePath as exc:
                return f"{key} {exc}" if not fresh else str(exc)
            if fresh and key == "path" and op["op"] not in ("replace", "remove"):
                return f"{rel}: already exists; officecli never overwrites a record"
            guard.regular(rel, st)
    except UnsafePath as exc:
        return str(exc)
    return None


def journal_problem(root: Path, txn_dir: Path, guard: Guard | None = None) -> str | None:
    """Why a transaction folder's journal must not be applied, or None when it may be."""
    guard = guard or Guard(root)
    try:
        st = os.lstat(txn_dir)
        if not stat.S_ISDIR(st.st_mode):
            return "not a transaction folder (a link or a file)"
        st = os.lstat(txn_dir / JOURNAL)
        if not stat.S_ISREG(st.st_mode):
            return f"{JOURNAL} is not a regular file (a link?)"
        if st.st_size > MAX_JOURNAL:
            return f"{JOURNAL} is {st.st_size} bytes: not one officecli wrote"
        body = json.loads((txn_dir / JOURNAL).read_bytes().decode("utf-8"))
    except (OSError, ValueError) as exc:
        return f"cannot read the journal ({exc})"
    ops = body.get("ops") if isinstance(body, dict) else None
    if not isinstance(ops, list):
        return "not a transaction journal (no list of ops)"
    for n, op in enumerate(ops, 1):
        if not isinstance(op, dict):
            return f"op {n}: not a mapping"
        stage = op.get("stage")
        if not isinstance(stage, str) or not _STAGE.fullmatch(stage):
            return f"op {n}: stage {stage!r} is not a staged file of this transaction"
        try:
            sst = os.lstat(txn_dir / stage)
            if not stat.S_ISREG(sst.st_mode):
                return f"op {n}: stage {stage!r} is not a plain staged file (a link?)"
        except FileNotFoundError:
            pass  # applied before a crash
        except OSError as exc:
            return f"op {n}: stage {stage!r}: {exc.strerror}"
        problem = _op_problem(guard, op)
        if problem:
            return f"op {n}: {problem}"
    return None


def _refusal(root: Path, txn_dir: Path, problem: str) -> str:
    where = txn_dir.relative_to(root).as_posix()
    return (
        f"{where}/{JOURNAL}: {problem}; not applied: a person must look at it, then "
        f"remove {where}/ (see 'officecli doctor')"
    )


def apply_journal(
    root: Path, txn_dir: Path, make_dir: Callable[[str], None], guard: Guard | None = None
) -> list[str]:
    """Roll a committed transaction forward (idempotent), then drop its folder.
    The whole journal is checked first (``journal_problem``): one bad op, none applied."""
    guard = guard or Guard(root)
    problem = journal_problem(root, txn_dir, guard)
    if problem:
        raise UnsafePath(_refusal(root, txn_dir, problem))
    ops = json.loads((txn_dir / JOURNAL).read_text("utf-8"))["ops"]
    touched: set[Path] = set()
    applied = []
    for op in ops:
        stage = txn_dir / op["stage"]
        dest = root / op["path"]
        if not os.path.lexists(stage):
            continue  # applied before the crash
        if op["op"] == "remove":
            if os.path.lexists(dest):
                os.unlink(dest)
                touched.add(dest.parent)
            os.unlink(stage)
            applied.append(op["path"])
            continue
        make_dir(op["path"].rpartition("/")[0])
        if op["op"] == "move":
            src = root / op["src"]
            if os.path.lexists(src) and not os.path.lexists(dest):
                os.rename(src, dest)
                touched.add(src.parent)
        if op["op"] == "move":
            _crash_point(f"moved:{len(applied)}")
        os.replace(stage, dest)
        touched.add(dest.parent)
        applied.append(op["path"])
        _crash_point(f"applied:{len(applied)}")
    for folder in touched:
        fsio.fsync_dir(folder)
    os.unlink(txn_dir / JOURNAL)
    shutil.rmtree(txn_dir)
    fsio.fsync_dir(txn_dir.parent)
    return applied


def _txn_folders(txns: Path) -> list[os.DirEntry[str]]:
    with os.scandir(txns) as it:
        return sorted(it, key=lambda e: e.name)


def _txns_real(root: Path, txns: Path, guard: Guard) -> bool:
    """True when .officecli/txn/ is a real folder, False when there is none; UnsafePath
    when it (or .officecli/) is a link or a file."""
    return guard.folder(txns.relative_to(root).as_posix())


def _left_folders(root: Path, txns: Path, guard: Guard) -> list[Path]:
    """The transaction folders left in .officecli/txn/, by name, for the read-only looks
    (doctor): none when there is no such folder or it is unsafe; links and files among
    them are passed over (``recover`` and guard.find_links name those)."""
    try:
        if not _txns_real(root, txns, guard):
            return []
    except UnsafePath:
        return []
    return [
        Path(e.path) for e in _txn_folders(txns) if not e.is_symlink() and e.is_dir(follow_symlinks=False)
    ]


def recover(
    root: Path, txns: Path, make_dir: Callable[[str], None], strict: bool = True, guard: Guard | None = None
) -> list[str]:
    """Finish or undo every transaction a crash left behind; say what was done.

    ``strict`` (every writer): a bad journal or a link among the transactions is refused,
    naming it, before anything is applied. Not strict (doctor --repair): those are left
    for a person and the others recovered."""
    guard = guard or Guard(root)
    try:
        if not _txns_real(root, txns, guard):
            return []
    except UnsafePath:
        if strict:
            raise
        return []
    entries = _txn_folders(txns)
    bad = {}
    for e in entries:
        if e.is_symlink() or not e.is_dir(follow_symlinks=False):
            if e.is_symlink():
                bad[e.name] = (
                    f"{txns.relative_to(root).as_posix()}/{e.name}: a symbolic link "
                    "where a transaction folder should be; not applied: remove it"
                )
            continue
        if os.path.lexists(Path(e.path) / JOURNAL):
            problem = journal_problem(root, Path(e.path), guard)
            if problem:
                bad[e.name] = _refusal(root, Path(e.path), problem)
    if bad and strict:
        raise UnsafePath(next(iter(bad.values())))
    said = []
    for e in entries:
        if e.name in bad or e.is_symlink() or not e.is_dir(follow_symlinks=False):
            continue
        txn_dir = Path(e.path)
        if os.path.lexists(txn_dir / JOURNAL):
            paths = apply_journal(root, txn_dir, make_dir, guard)
            said.append(
                f"finished interrupted transaction {txn_dir.name} ({len(paths)} file(s) put in place)"
            )
        else:
            shutil.rmtree(txn_dir)
            said.append(f"undid interrupted transaction {txn_dir.name} (nothing had been applied)")
    if said:
        fsio.fsync_dir(txns)
    return said


def bad_journals(root: Path, txns: Path) -> list[tuple[str, str]]:
    """(journal, problem) for doctor: every transaction that will not be applied because
    its journal names a path outside the root, a link on the way or a bad stage. (Links
    themselves are named by guard.find_links.)"""
    guard = Guard(root)
    out = []
    for txn_dir in _left_folders(root, txns, guard):
        if os.path.lexists(txn_dir / JOURNAL):
            problem = journal_problem(root, txn_dir, guard)
            if problem:
                where = txn_dir.relative_to(root).as_posix()
                out.append(
                    (
                        f"{where}/{JOURNAL}",
                        f"{problem}; not applied: left for a person (look at it, then remove {where}/)",
                    )
                )
    return out


def pending(txns: Path) -> list[str]:
    """Transaction folders left behind that recovery will finish or undo (for doctor
    without --repair); bad journals are not among them (see ``bad_journals``)."""
    root = txns.parent.parent
    guard = Guard(root)
    out = []
    for txn_dir in _left_folders(root, txns, guard):
        if os.path.lexists(txn_dir / JOURNAL):
            if journal_problem(root, txn_dir, guard):
                continue
            kind = "committed, not applied"
        else:
            kind = "not committed"
        out.append(f"{txn_dir.relative_to(root).as_posix()}: interrupted transaction ({kind})")
    return out
