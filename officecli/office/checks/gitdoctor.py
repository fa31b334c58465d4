"""What doctor says about the clone: its site, its git set-up, a commit left pending.

* ``site_line`` - this clone's site and where it comes from (doctor and
  ``report daily`` show it).
* ``problems`` - one ``(where, message, fixable)`` each: a clone with a remote
  and no site code; a site kept only in ``.officecli/site`` in a git clone
  (deleting the disposable folder would lose it); each piece of git set-up a
  clone with a remote lacks (gitsetup.py), with the command that fixes it; a
  commit a command left pending (``doctor --repair`` makes it); the merge
  state of the repository (``merge_state``): git stopped in the middle of a
  merge or rebase, its unmerged paths (each record named, with ``officecli
  resolve`` for a record in two folders), a stale ``index.lock`` left by a
  git that died, record files changed or added but not committed while
  autocommit is on.
* ``repair`` - makes the pending commit, under its own message.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from officecli.office import autocommit, incoming
from officecli.office import site as sites
from officecli.office.sites import gitsetup, sync
from officecli.store import git
from officecli.store.errors import UserError
from officecli.store.tree import STATE_DIR


def site_line(root: Path, raw: dict | None) -> str:
    try:
        info = sites.find(root, raw)
    except Exception as exc:  # a bad code is reported by problems(); never stop here
        return f"site: {exc}"
    return f"site {info.describe()}"


def problems(root: Path, raw: dict | None) -> list[tuple[str, str, bool]]:
    out: list[tuple[str, str, bool]] = []
    repo = git.Repo.find(root)
    try:
        info = sites.find(root, raw, lambda: repo)
    except Exception as exc:
        out.append(("site", str(exc), False))
        info = None
    if info is not None and info.code is None:
        out.append(
            (
                "site",
                "this git clone has a remote but no site code: writing commands are "
                "refused until 'officecli site set CODE --name NAME'",
                False,
            )
        )
    table = (raw or {}).get("sites")
    if (  # one site (no remote) writing under a code its office.yaml never registered:
        # something changed it (as 'init' inside the office once did)
        info is not None
        and info.code
        and info.source.startswith("git config")
        and repo is not None
        and not repo.remotes()
        and isinstance(table, dict)
        and table
        and info.code not in table
    ):
        out.append(
            (
                "site",
                f"this clone writes IDs of site {info.code} ({info.source}), which office.yaml's "
                f"sites: table does not register ({', '.join(map(str, table))}); run "
                f"'officecli site set CODE' with this clone's real code",
                False,
            )
        )
    if info is not None and info.multi and info.source == f"{STATE_DIR}/{sites.FILE}":
        out.append(
            (
                f"{STATE_DIR}/{sites.FILE}",
                f"site {info.code} is kept only in the disposable "
                f"{STATE_DIR}/ folder: run 'officecli site set {info.code}' to keep it in git config",
                False,
            )
        )
    if repo is not None and repo.remotes():
        for problem, fix in gitsetup.problems(root, repo):
            out.append(("git", f"{problem}; run '{fix}'", False))
    if repo is not None:
        undo = incoming.how_to_undo(root)
        for r in incoming.after_pull(root, repo):
            out.append(
                (
                    repo.rel(r.path) or r.path,
                    r.line().partition(": ")[2] + f": it arrived by git but sync would refuse it; {undo}",
                    False,
                )
            )
        for label, r in _repos(root, repo):
            line = sync.interrupted_line(label, r)
            if line:  # a killed sync: doctor --repair backs out what it left
                out.append((label or "git", line.partition(": ")[2], True))
        busy = autocommit.busy(repo)
        if busy:
            out.append(("git", busy.split(": ", 1)[1].replace("; nothing was changed", ""), False))
        nested = autocommit.nested_busy(root)
        if nested and "killed half way" not in nested:
            where, _, what = nested.partition(": ")
            out.append((where, what.replace("; nothing was changed", ""), False))
        out += merge_state(repo, raw, busy is not None)
    try:
        note = autocommit.read_pending(root)
    except UserError as exc:  # a link or a FIFO there: named, never followed
        out.append((f"{STATE_DIR}/{autocommit.PENDING}", str(exc).partition(": ")[2], False))
        note = None
    if note is not None:
        out.append(
            (
                f"{STATE_DIR}/{autocommit.PENDING}",
                f"a command's change is not committed to git yet "
                f"({str(note.get('message') or '').splitlines()[0] if note.get('message') else '?'}); "
                "'officecli doctor --repair' commits it",
                True,
            )
        )
    return out


STALE_LOCK_SECONDS = 60


def merge_state(repo: git.Repo, raw: dict | None, busy: bool) -> list[tuple[str, str, bool]]:
    """What the repository's own state says a person must finish (see the module)."""
    out: list[tuple[str, str, bool]] = []
    unmerged = repo.unmerged()
    if unmerged and repo.operation():  # (busy() named the first when no operation)
        names = sorted({p.rpartition("/")[2][:-5] for p in unmerged if p.endswith(".yaml")})
        out.append(
            (
                "git",
                f"{len(unmerged)} unmerged path(s) ({', '.join(unmerged[:4])}"
                f"{' …' if len(unmerged) > 4 else ''}): settle each record (officecli resolve "
                f"{names[0] if names else 'ID'} where doctor names one; else edit, git add), "
                "then git commit",
                False,
            )
        )
    lock = Path(repo.git_dir) / "index.lock"
    try:
        age = time.time() - os.lstat(lock).st_mtime
    except OSError:
        age = None
    if age is not None and age > STALE_LOCK_SECONDS:
        out.append(
            (
                ".git/index.lock",
                f"a stale git lock ({int(age // 60)} min old: a git that "
                "died left it; every git command and autocommit fails until it goes): make sure "
                f"no git runs, then rm {lock}",
                False,
            )
        )
    autocommit_on = (
        isinstance(raw, dict) and isinstance(raw.get("git"), dict) and raw["git"].get("autocommit") is True
    )
    if autocommit_on and not busy:
        res = repo.git("status", "--porcelain", "-z", "--untracked-files=all", "--", repo.prefix or ".")
        paths = []
        for item in res.stdout.split("\0"):
            if len(item) > 3 and item[3:].endswith(".yaml"):
                paths.append(item[3:])
        records = [p for p in paths if (repo.rel(p) or "").count("/") >= 1]
        if records:
            out.append(
                (
                    "git",
                    f"{len(records)} record file(s) changed or added but not committed "
                    f"although autocommit is on (first: {records[0]}): a hand edit or a "
                    f"planted file; git add and git commit them, or git checkout -- / rm "
                    "them",
                    False,
                )
            )
    return out


def _repos(root: Path, repo: git.Repo) -> list[tuple[str, git.Repo]]:
    """The company's repository ('') and the private folders' own ones (back/hr/)."""
    out: list[tuple[str, git.Repo]] = [("", repo)]
    for sub in sync.nested_repos(root):
        if git.git_dir_problem(root / sub, sub) is None:
            inner = git.Repo.find(root / sub)
            if inner is not None and inner.top != repo.top:
                out.append((f"{sub}/", inner))
    return out


def repair(root: Path) -> list[str]:
    """Back out what a killed sync left (company repository and back/hr), then make the
    commit a command left pending. Called under the writer lock."""
    repo = git.Repo.find(root)
    done = sync.recover(root, _repos(root, repo)) if repo is not None else []
    if autocommit.read_pending(root) is None:
        return done
    if repo is not None and autocommit.busy(repo):
        return done
    subject, problem = autocommit.commit_pending(root)
    if problem:
        return done + [f"{STATE_DIR}/{autocommit.PENDING}: git commit still fails: {problem}"]
    return done + [f"committed a command's pending change to git: {subject}"]
