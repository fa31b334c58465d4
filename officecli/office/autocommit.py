"""Autocommit: every writing command commits exactly its own change to git.

With ``git: {autocommit: true}`` in office.yaml, step by step:

1. **Before anything changes** (``before_write``, at a command's first change,
   before the writer lock): refused, with one line naming the state and what
   to do, while the repository is in a merge, rebase, cherry-pick or revert,
   or has unmerged paths. (Whatever autocommit says, a git clone with a
   remote whose site was never set is refused here too: see office/site.py.)
2. **Under the lock, first** (``under_lock``): a commit an earlier command
   left pending (``.officecli/pending-commit.json``: its message and paths) is
   made now, under its own message. If git still refuses it, this command is
   refused too, before it changes anything.
3. **Before the commit point of each change** (``prepare``): the pending file
   names every path the command has written so far, so that a crash (even
   ``kill -9``) after the files change and before git has them leaves the
   commit to the next writer, ``doctor --repair`` or ``sync``. A change that
   is refused or rolled back puts the pending file back as it was.
4. **At the end of the command** (``finish``, still under the lock): the
   message is written (subject under 72 characters; the body lists every
   record touched; trailers ``Officecli-Site``, ``Officecli-User``,
   ``Officecli-Records``), then exactly the paths the command wrote, created,
   moved (both ends) or removed are committed (``git commit --only``): never
   ``.officecli/``, never another file, staged or not. A path inside a nested
   repository (a folder below the root with its own ``.git``, e.g. back/hr)
   is committed there; a path the company repository ignores and no nested
   one holds is not committed. On success the pending file goes; on failure
   it stays and git's own message is returned (the command exits 1).
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from officecli.office import incoming
from officecli.office.workflows import PRIVATE
from officecli.store import fsio, git, guard
from officecli.store.errors import UserError
from officecli.store.guard import STATE_DIR

if TYPE_CHECKING:
    from officecli.store.txn import Transaction

PENDING = "pending-commit.json"
SUBJECT_MAX = 71
WHAT = {
    "merge": "finish it (settle the files, git add them, git commit) or back out (git merge --abort)",
    "rebase": "finish it (git rebase --continue) or back out (git rebase --abort)",
    "cherry-pick": "finish it (git cherry-pick --continue) or back out (git cherry-pick --abort)",
    "revert": "finish it (git revert --continue) or back out (git revert --abort)",
}


def crash_point(name: str) -> None:
    """Test hook, as in store/txn.py: ``$OFFICECLI_CRASH_AT=name`` SIGKILLs this process here."""
    if os.environ.get("OFFICECLI_CRASH_AT") == name:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


def pending_path(root: Path) -> Path:
    return Path(root) / STATE_DIR / PENDING


# -- 1. refusals ----------------------------------------------------------------


def busy(repo: git.Repo, label: str = "") -> str | None:
    """Why no command may write in this repository now (None: it may). ``label`` names a
    repository of its own below the records folder (``back/hr``)."""
    where = label or repo.top
    op = repo.operation()
    note = repo.interrupted() if op or os.path.lexists(repo.git_dir / git.MARK) else None
    if note is not None and (op or repo.stale_locks()):
        state = f"in the middle of a {op}" if op else "with git's lock files left"
        return (
            f"{where}: a {note.get('what') or 'sync'} killed half way left git {state}: "
            "'officecli sync' or 'officecli doctor --repair' backs it out; nothing was changed"
        )
    if op:
        what = WHAT[op].replace("(git ", f"(git -C {label.rstrip('/')} ") if label else WHAT[op]
        return f"{where}: git is in the middle of a {op}: {what}; nothing was changed"
    unmerged = repo.unmerged()
    if unmerged:
        return (
            f"{where}: git has {len(unmerged)} unmerged path(s) ({unmerged[0]}): settle them "
            f"and git add them (or git checkout --merge / git reset), then try again; "
            f"nothing was changed"
        )
    return None


def before_write(office: Any) -> None:
    """Refuse, before anything changes, a writer that must not run now."""
    if getattr(office, "_write_checked", False):
        return
    if office.site_check:
        from officecli.office import site as sites

        sites.require(office)
    repo = office.repo
    if office.config.autocommit and repo is not None:
        problem = busy(repo) or nested_busy(office.root)
        if problem:
            raise UserError(problem)
    if repo is not None and not getattr(office, "untracks_private", False):
        refuse_incoming(office.root, repo)
    office._write_checked = True


def nested_busy(root: Path) -> str | None:
    """``busy`` for the private folders that are repositories of their own (back/hr): a
    merge left there (a sync killed while it merged HR's records) would make this command
    write and then fail to commit. File system checks first: no git process when all is well."""
    for top in PRIVATE:
        folder = Path(root) / top
        if not git.has_dot_git(folder):
            continue
        if git.operation_at(folder) is None and not os.path.lexists(folder / ".git" / git.MARK):
            continue
        if git.git_dir_problem(folder, top):
            continue  # doctor names it; autocommit refuses to commit there
        inner = git.Repo.find(folder)
        if inner is not None and inner.top == folder.resolve():
            problem = busy(inner, f"{top}/")
            if problem:
                return problem
    return None


def refuse_incoming(root: Path, repo: git.Repo) -> None:
    """Refuse to write over what arrived by a plain ``git pull`` that sync would have refused
    (incoming.py): one line, the first path and how many more (doctor names each)."""
    bad = incoming.after_pull(root, repo)
    if bad:
        more = f" (and {len(bad) - 1} more: officecli doctor names each)" if len(bad) > 1 else ""
        raise UserError(
            f"{bad[0].line()}{more}: it arrived by git but sync would refuse it; {incoming.how_to_undo(root)}"
        )


# -- 2. what an earlier command left ------------------------------------------------


def read_pending(root: Path) -> dict[str, Any] | None:
    """The note an earlier command left (None: none); read as officecli's own state (a link
    or a FIFO there: UnsafePath, never followed, never waited on)."""
    raw = guard.read_state(root, PENDING)
    if raw is None:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:
        return {
            "message": "officecli: an earlier command's change (its note was unreadable)",
            "paths": [],
            "user": "officecli",
            "broken": True,
        }
    return data if isinstance(data, dict) else None


def write_pending(root: Path, data: dict[str, Any] | None) -> None:
    path = pending_path(root)
    if data is None:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        return
    fsio.make_dirs(path.parent)
    fsio.atomic_replace(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def commit_pending(root: Path) -> tuple[str | None, str | None]:
    """Commit what an earlier command left pending; (its subject, git's error)."""
    data = read_pending(root)
    if data is None:
        return None, None
    paths = [p for p in data.get("paths") or [] if isinstance(p, str)]
    problem = commit(
        root,
        paths,
        str(data.get("message") or "officecli: an earlier change"),
        str(data.get("user") or "officecli"),
    )
    if problem:
        return _subject_of(data), problem
    write_pending(root, None)
    return _subject_of(data), None


def _subject_of(data: dict[str, Any]) -> str:
    return str(data.get("message") or "").split("\n", 1)[0]


def under_lock(office: Any) -> None:
    if not office.config.autocommit or getattr(office, "_pending_done", False):
        return
    office._pending_done = True
    subject, problem = commit_pending(office.root)
    if problem:
        raise UserError(
            f"an earlier command's change ({subject}) is still not committed: "
            f"{problem}; fix that, then try again (nothing was changed)"
        )


# -- 3. before the commit point -----------------------------------------------------


def _paths(ops: list[dict[str, Any]]) -> list[str]:
    out = []
    for op in ops:
        for key in ("src", "path"):
            p = op.get(key)
            if p and not p.startswith(STATE_DIR + "/") and p not in out:
                out.append(p)
    return out


def prepare(office: Any, txn: Transaction) -> None:
    if not office.config.autocommit or not txn.ops:
        return
    ops = office.touched + [_op(o) for o in txn.ops]
    write_pending(office.root, _note(office, ops, provisional=True))
    office._prepared = True


def abandon(office: Any) -> None:
    """A change did not happen: the pending note names only what did."""
    if not getattr(office, "_prepared", False):
        return
    office._prepared = False
    write_pending(office.root, _note(office, office.touched) if office.touched else None)


def applied(office: Any, txn: Transaction) -> None:
    """A change is on disk: remember its paths for the command's commit."""
    office._prepared = False
    office.touched += [_op(o) for o in txn.ops]


def _op(op: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in op.items() if k in ("op", "path", "src")}


def _note(office: Any, ops: list[dict[str, Any]], provisional: bool = False) -> dict[str, Any]:
    return {
        "message": message(office, ops),
        "paths": _paths(ops),
        "user": office.user_given,
        "site": _site_text(office),
        "created": time.time(),
        "provisional": provisional,
    }


# -- 4. the commit --------------------------------------------------------------------


def finish(office: Any) -> str | None:
    """Commit the command's own change; git's message if that failed (pending kept)."""
    if not office.touched:
        return None
    if office.repo is None:
        return f"{office.root}: git.autocommit is on but this folder is not in a git repository"
    note = _note(office, office.touched)
    write_pending(office.root, note)
    crash_point("before-git-commit")
    problem = commit(office.root, note["paths"], note["message"], office.user_given, office.repo)
    if problem:
        return (
            f"the change is made but git commit failed: {problem}; the commit is kept in "
            f"{STATE_DIR}/{PENDING} and made by the next command, 'officecli doctor "
            "--repair' or 'officecli sync'"
        )
    write_pending(office.root, None)
    return None


def commit(root: Path, paths: list[str], msg: str, user: str, repo: git.Repo | None = None) -> str | None:
    """Commit ``paths`` (root-relative) to the repository that holds each; git's error.
    ``repo``, when given, is the one the records folder is in (not looked up again)."""
    root = Path(root)
    groups: dict[str, list[str]] = {}
    for p in paths:
        if p.startswith(STATE_DIR + "/") or p == STATE_DIR:
            continue
        owner = git.nested_owner(root, p)
        groups.setdefault(owner, []).append(p[len(owner) + 1 :] if owner else p)
    author = _author(user)
    for owner, rels in sorted(groups.items(), key=lambda kv: kv[0] == ""):
        if owner:
            problem = git.git_dir_problem(root / owner, owner)
            if problem:
                return problem
        holder = repo if (not owner and repo is not None) else git.Repo.find(root / owner if owner else root)
        if holder is None:
            continue
        if not owner:  # the company's repository never gets a private path, whatever .gitignore says
            rels = [p for p in rels if not incoming.private(p)]
        before = holder.head() if not owner else None
        done, problem = holder.commit_paths(rels, msg, author, user)
        if problem:
            return f"{owner}/: {problem}" if owner else problem
        if done and not owner:
            incoming.advance(root, holder, before)
    return None


def _author(user: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", user).strip("-").lower() or "officecli"
    name = re.sub(r"[<>\n]", "", user).strip() or "officecli"
    return f"{name} <{slug}@officecli.invalid>"


def _site_text(office: Any) -> str:
    try:
        info = office.site_info()
    except UserError:
        return "?"
    return info.code or "?"


def _record(path: str) -> str:
    """A record's ID from its path; a file that is not a record (office.yaml) by its name."""
    if "/" not in path:
        return path
    return path.rpartition("/")[2].rsplit(".", 1)[0]


def subject(line: str, user: str) -> str:
    """A one-line summary under 72 characters: the author names who, folders shrink
    to their state, and what is still too long is cut."""
    line = line.replace(f" by {user}", "")
    if len(line) > SUBJECT_MAX:

        def state(m: re.Match[str]) -> str:
            parts = [p for p in m.group(0).strip("/").split("/") if not p.isdigit()]
            return parts[-1] if parts else m.group(0)

        line = re.sub(r"[\w.-]+(?:/[\w.-]+)+/", state, line)
    if len(line) > SUBJECT_MAX:
        line = line[: SUBJECT_MAX - 1].rstrip() + "…"
    return line


def message(office: Any, ops: list[dict[str, Any]]) -> str:
    """Subject, the command's own lines, every record touched, and the trailers."""
    user = office.user_given
    first = office.commit_message() or "officecli: " + ", ".join(_record(p) for p in _paths(ops)[:3])
    try:
        who = office.user
    except Exception:  # a damaged employee file must not stop the commit
        who = user
    # a change that touches private files (pay, payroll) says nothing of them in the
    # company's history, which every clerk can read: no figure, no private path
    private = any(
        incoming.private(op.get("path") or "") or incoming.private(op.get("src") or "") for op in ops
    )
    if private:  # (its subject says what was done, never an amount)
        first = re.sub(r"[-+]?\d[\d,.]*[.,]\d{2}\b", "(amount)", first)
    lines = [subject(first, who), ""]
    said = [] if private else office.log or office.messages
    lines += said
    if said:
        lines.append("")
    records = []
    for op in ops:
        kind, path, src = op.get("op"), op.get("path", ""), op.get("src")
        if incoming.private(path) or (src and incoming.private(src)):
            continue
        if kind == "move" and src:
            lines.append(f"moved   {src} -> {path}")
        elif kind == "create":
            lines.append(f"created {path}")
        elif kind in ("delete", "remove", "unlink"):
            lines.append(f"removed {path}")
        else:
            lines.append(f"changed {path}")
        rid = _record(path)
        if rid and rid not in records:  # (a folder's .seal is no record)
            records.append(rid)
    lines += [
        "",
        f"Officecli-Site: {_site_text(office)}",
        f"Officecli-User: {who}",
        f"Officecli-Records: {', '.join(records)}",
    ]
    return "\n".join(lines) + "\n"
