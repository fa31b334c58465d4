"""A folder of the tree as a git repository of its own, and what the enclosing one holds of it.

Some folders of a records tree must not travel with the repository that
holds the tree (private files; see office/people/hr_repo.py). This module, which
knows no office words, gives the plain git steps for that:

* ``make(root, rel, remote)`` makes ``root/rel`` a repository of its own
  (``git init``; the folder and its ``.git`` mode 0700, since git creates
  ``.git`` 0755 and its objects 0444), sets or replaces its ``origin``
  remote, and commits what is already there as a first commit, so that
  later commits (by autocommit) start from the folder as it is;
* ``tracked(root, rel)`` lists the files under ``rel`` that the repository
  holding ``root`` tracks now (``git ls-files``; a nested repository shows
  as one gitlink entry, which holds no file content and is left out);
* ``in_history(root, rel)`` lists the commits of any branch or tag of that
  repository that touch ``rel`` (``git log --all -- rel``): files once
  committed stay readable in every clone until the history is rewritten;
* ``prefix(root)`` is where ``root`` lies inside its repository (what a
  history-rewriting tool needs as the path).

Every function that asks git returns None when git is missing or ``root`` is
in no repository: there is then nothing git can leak. Nothing here pushes or
fetches: carrying the folder's commits is sync's work.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


def _git(cwd: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=check,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
    )


def available() -> bool:
    return shutil.which("git") is not None


def is_repo(folder: Path) -> bool:
    """Is ``folder`` the top of a repository of its own (it has a .git)?"""
    return (Path(folder) / ".git").exists()


def prefix(root: Path) -> str | None:
    """``root``'s path inside its repository ('' at the top, 'records/' below it), or None."""
    if not available():
        return None
    res = _git(root, "rev-parse", "--show-prefix")
    return res.stdout.strip() if res.returncode == 0 else None


def tracked(root: Path, rel: str, top: str | None = None) -> list[str] | None:
    """Files under ``rel`` tracked by the repository holding ``root`` (paths relative to
    ``root``), or None when there is no such repository. ``top`` is ``prefix(root)``
    when the caller has it already."""
    top = prefix(root) if top is None else top
    if top is None:
        return None
    res = _git(root, "ls-files", "-s", "--full-name", "-z", "--", rel)
    if res.returncode != 0:
        return None
    out = []
    for entry in res.stdout.split("\0"):
        if not entry:
            continue
        meta, _, path = entry.partition("\t")
        if meta.startswith("160000"):  # a gitlink: the nested repository itself
            continue
        out.append(path[len(top) :] if path.startswith(top) else path)
    return out


def in_history(root: Path, rel: str, top: str | None = None) -> list[str] | None:
    """Commits (any branch, tag or remote branch) that touch ``rel``, newest first; None
    when there is no repository."""
    if (prefix(root) if top is None else top) is None:
        return None
    res = _git(root, "log", "--all", "--format=%H", "--", rel)
    if res.returncode != 0:  # a repository with no commit yet
        return []
    return [line for line in res.stdout.split() if line]


def make(
    root: Path, rel: str, remote: str | None = None, user: str = "officecli", message: str = "first commit"
) -> list[str]:
    """Make ``root/rel`` a repository of its own (or set the remote of one); return what
    was done, one line each. Raises OSError / CalledProcessError when git fails."""
    folder = Path(root) / rel
    done = []
    if not available():
        raise OSError(f"{rel}: git is not installed")
    from .errors import UserError
    from .git import git_dir_problem

    problem = git_dir_problem(folder, rel)
    if os.path.islink(folder):
        problem = f"{rel}: a symbolic link; officecli never makes a repository through one"
    if problem:
        raise UserError(problem)
    if not is_repo(folder):
        _git(folder, "init", "-q", check=True)
        done.append(f"{rel}/: a git repository of its own")
    for path in (folder, folder / ".git"):
        os.chmod(path, 0o700)
    if remote:
        has = _git(folder, "remote", "get-url", "origin").returncode == 0
        _git(folder, "remote", "set-url" if has else "add", "origin", remote, check=True)
        done.append(f"{rel}/: remote origin {remote}")
    if _git(folder, "rev-parse", "--verify", "-q", "HEAD").returncode != 0:
        _git(folder, "add", "-A", check=True)
        ident: list[str] = []
        if not _git(folder, "config", "user.name").stdout.strip():
            ident = ["-c", f"user.name={user}", "-c", "user.email=officecli@officecli.invalid"]
        _git(folder, *ident, "commit", "-q", "--allow-empty", "-m", message, check=True)
        count = len(_git(folder, "ls-files").stdout.splitlines())
        done.append(f"{rel}/: first commit, {count} file(s)")
    return done


def prune_empty(root: Path, rel: str) -> list[str]:
    """Remove ``root/rel`` and the folders below it that hold nothing; return those removed."""
    gone: list[str] = []
    top = Path(root) / rel
    if not top.is_dir() or top.is_symlink():
        return gone
    for folder, _dirs, _files in os.walk(top, topdown=False):
        try:
            os.rmdir(folder)
            gone.append(os.path.relpath(folder, root).replace(os.sep, "/"))
        except OSError:
            continue
    return gone
