"""What doctor says about the clone: its site, its git set-up, a commit left pending.

* ``site_line`` - this clone's site and where it comes from (doctor and
  ``report daily`` show it).
* ``problems`` - one ``(where, message, fixable)`` each: a clone with a remote
  and no site code; a site kept only in ``.officecli/site`` in a git clone
  (deleting the disposable folder would lose it); each piece of git set-up a
  clone with a remote lacks (gitsetup.py), with the command that fixes it; a
  commit a command left pending (``doctor --repair`` makes it); git stopped in
  the middle of a merge or rebase.
* ``repair`` - makes the pending commit, under its own message.
"""
from __future__ import annotations

from pathlib import Path

from officecli.store import git
from officecli.store.tree import STATE_DIR

from . import autocommit, gitsetup, sites


def site_line(root: Path, raw: dict | None) -> str:
    try:
        info = sites.find(root, raw)
    except Exception as exc:      # a bad code is reported by problems(); never stop here
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
        out.append(("site", "this git clone has a remote but no site code: writing commands are "
                            "refused until 'officecli site set CODE --name NAME'", False))
    if info is not None and info.multi and info.source == f"{STATE_DIR}/{sites.FILE}":
        out.append((f"{STATE_DIR}/{sites.FILE}", f"site {info.code} is kept only in the disposable "
                    f"{STATE_DIR}/ folder: run 'officecli site set {info.code}' to keep it in git config",
                    False))
    if repo is not None and repo.remotes():
        for problem, fix in gitsetup.problems(root, repo):
            out.append(("git", f"{problem}; run '{fix}'", False))
    if repo is not None:
        busy = autocommit.busy(repo)
        if busy:
            out.append(("git", busy.split(": ", 1)[1].replace("; nothing was changed", ""), False))
    note = autocommit.read_pending(root)
    if note is not None:
        out.append((f"{STATE_DIR}/{autocommit.PENDING}",
                    f"a command's change is not committed to git yet "
                    f"({str(note.get('message') or '').splitlines()[0] if note.get('message') else '?'}); "
                    "'officecli doctor --repair' commits it", True))
    return out


def repair(root: Path) -> list[str]:
    if autocommit.read_pending(root) is None:
        return []
    repo = git.Repo.find(root)
    if repo is not None and autocommit.busy(repo):
        return []
    subject, problem = autocommit.commit_pending(root)
    if problem:
        return [f"{STATE_DIR}/{autocommit.PENDING}: git commit still fails: {problem}"]
    return [f"committed a command's pending change to git: {subject}"]
