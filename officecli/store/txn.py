"""All-or-nothing changes to several files, also across ``kill -9`` and power loss.

A transaction collects operations in memory (create, replace, move), then
commits in four durable steps:

1. **stage**: each new file's bytes are written and fsynced under
   ``.officecli/txn/<id>/`` (same file system, so a rename moves them);
2. **journal**: ``journal.json`` naming every operation is written there
   atomically; its existence is the commit point;
3. **apply**: each staged file is renamed into place (a move first renames the
   old file to its new folder, then replaces it with the staged bytes, so a
   reader never sees a record in two folders or a torn file);
4. **drop**: the transaction folder is removed.

``recover`` runs before any writer starts (and in ``doctor --repair``): a
transaction folder with a journal is rolled forward (every step of ``apply``
is idempotent), one without a journal is rolled back (nothing of it was
applied; its staged files are deleted).
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Callable

from . import fsio
from .errors import UserError

JOURNAL = "journal.json"


def _crash_point(name: str) -> None:
    """Test hook: ``$OFFICECLI_CRASH_AT=name`` kills this process right here with SIGKILL,
    so the crash tests can stop a real writer between any two durable steps."""
    if os.environ.get("OFFICECLI_CRASH_AT") == name:
        import signal
        os.kill(os.getpid(), signal.SIGKILL)


class Transaction:
    """Operations on paths relative to ``root``; nothing touches the tree before ``commit``."""

    def __init__(self, root: Path, txn_dir: Path, file_mode: Callable[[str], int],
                 make_dir: Callable[[str], None]):
        self.root = root
        self.txn_dir = txn_dir
        self.file_mode = file_mode
        self.make_dir = make_dir
        self.ops: list[dict] = []
        self._pending: dict[str, dict] = {}   # destination -> op
        self._moved_away: set[str] = set()
        self.message: str = ""                 # one line that says what happened (git)
        self.done: list[str] = []              # filled by commit: what was written

    # -- collecting ---------------------------------------------------------
    def pending_text(self, rel: str) -> str | None:
        op = self._pending.get(rel)
        return op["text"] if op else None

    def pending_paths(self) -> list[str]:
        return list(self._pending)

    def moved_away(self, rel: str) -> bool:
        return rel in self._moved_away

    def exists(self, rel: str) -> bool:
        if rel in self._pending:
            return True
        if rel in self._moved_away:
            return False
        return (self.root / rel).exists()

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
        if op is not None:            # created or changed earlier in this transaction
            self.ops.remove(op)
            if op["op"] == "create":
                return self._add({"op": "create", "path": dst, "text": text})
            src = op.get("src", src)
        if not (self.root / src).exists():
            raise UserError(f"{src}: no such file")
        self._moved_away.add(src)
        self._add({"op": "move", "src": src, "path": dst, "text": text})

    def _add(self, op: dict) -> None:
        self.ops.append(op)
        self._pending[op["path"]] = op

    # -- committing ---------------------------------------------------------
    def commit(self) -> list[str]:
        if not self.ops:
            return []
        self.check_writable()
        fsio.make_dirs(self.txn_dir.parent)
        self.txn_dir.mkdir()
        journal = []
        for i, op in enumerate(self.ops):
            stage = f"{i:04d}"
            fsio.write_new(self.txn_dir / stage, op["text"].encode("utf-8"),
                           self.file_mode(op["path"]))
            entry = {k: v for k, v in op.items() if k != "text"}
            entry["stage"] = stage
            journal.append(entry)
        _crash_point("staged")
        body = json.dumps({"created": time.time(), "pid": os.getpid(), "ops": journal},
                          ensure_ascii=False, indent=1).encode("utf-8")
        fsio.write_new(self.txn_dir / (JOURNAL + ".new"), body)
        os.rename(self.txn_dir / (JOURNAL + ".new"), self.txn_dir / JOURNAL)
        fsio.fsync_dir(self.txn_dir)               # the commit point is durable
        _crash_point("journaled")
        apply_journal(self.root, self.txn_dir, self.make_dir)
        self.done = [op["path"] for op in self.ops]
        return self.done


    def check_writable(self) -> None:
        """Refuse before the commit point when a folder it must write in is read-only:
        a refused change must leave nothing behind (not even a journal that the next
        writer would roll forward)."""
        seen: set[str] = set()
        for op in self.ops:
            for rel in (op["path"], op.get("src") or op["path"]):
                folder = rel.rpartition("/")[0]
                while folder and not (self.root / folder).is_dir():   # made on apply
                    folder = folder.rpartition("/")[0]
                if folder in seen:
                    continue
                seen.add(folder)
                if not os.access(self.root / folder, os.W_OK | os.X_OK):
                    raise UserError(f"{folder or '.'}/: cannot write in this folder (permission "
                                    f"denied); nothing was changed")


def apply_journal(root: Path, txn_dir: Path, make_dir: Callable[[str], None]) -> list[str]:
    """Roll a committed transaction forward (idempotent), then drop its folder."""
    ops = json.loads((txn_dir / JOURNAL).read_text("utf-8"))["ops"]
    touched: set[Path] = set()
    applied = []
    for op in ops:
        stage = txn_dir / op["stage"]
        dest = root / op["path"]
        if not stage.exists():
            continue                              # applied before the crash
        make_dir(op["path"].rpartition("/")[0])
        if op["op"] == "move":
            src = root / op["src"]
            if src.exists() and not dest.exists():
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


def recover(root: Path, txns: Path, make_dir: Callable[[str], None]) -> list[str]:
    """Finish or undo every transaction a crash left behind; say what was done."""
    if not txns.is_dir():
        return []
    said = []
    for txn_dir in sorted(p for p in txns.iterdir() if p.is_dir()):
        if (txn_dir / JOURNAL).exists():
            paths = apply_journal(root, txn_dir, make_dir)
            said.append(f"finished interrupted transaction {txn_dir.name} "
                        f"({len(paths)} file(s) put in place)")
        else:
            shutil.rmtree(txn_dir)
            said.append(f"undid interrupted transaction {txn_dir.name} (nothing had been applied)")
    if said:
        fsio.fsync_dir(txns)
    return said


def pending(txns: Path) -> list[str]:
    """Transaction folders left behind (for doctor without --repair)."""
    if not txns.is_dir():
        return []
    out = []
    for txn_dir in sorted(p for p in txns.iterdir() if p.is_dir()):
        kind = "committed, not applied" if (txn_dir / JOURNAL).exists() else "not committed"
        out.append(f"{txn_dir.relative_to(txns.parent.parent)}: interrupted transaction ({kind})")
    return out
