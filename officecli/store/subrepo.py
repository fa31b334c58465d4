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


def _git(
    cwd: Path, *args: str, check: bool = False, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        input=input,
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


def remote_heads(folder: Path, remote: str = "origin") -> tuple[str | None, list[str]]:
    """(the remote's default branch, or None; every branch it has), asked over the network."""
    res = _git(folder, "ls-remote", "--symref", remote)
    if res.returncode != 0:
        lines = res.stderr.strip().splitlines() or [f"exit status {res.returncode}"]
        detail = next((ln for ln in lines if ln.startswith("fatal:")), lines[0])
        raise OSError(f"git ls-remote {remote} failed ({detail})")
    default, heads = None, []
    for line in res.stdout.splitlines():
        if line.startswith("ref: ") and line.endswith("\tHEAD"):
            default = line[5:].split("\t")[0].removeprefix("refs/heads/")
        elif "\trefs/heads/" in line:
            heads.append(line.split("\trefs/heads/", 1)[1])
    return (default if default in heads else None), heads


def _head(folder: Path, ref: str = "HEAD") -> str | None:
    res = _git(folder, "rev-parse", "--verify", "-q", f"{ref}^{{commit}}")
    return res.stdout.strip() or None


def _ident(folder: Path, user: str) -> list[str]:
    if (
        _git(folder, "config", "user.name").stdout.strip()
        and _git(folder, "config", "user.email").stdout.strip()
    ):
        return []
    return ["-c", f"user.name={user}", "-c", "user.email=officecli@officecli.invalid"]


def differing(folder: Path, rev: str) -> list[str]:
    """Files of ``rev``'s tree that exist in the folder with other content."""
    res = _git(folder, "ls-tree", "-r", "-z", rev)
    want = {}
    for item in res.stdout.split("\0"):
        head, _, path = item.partition("\t")
        fields = head.split(" ")
        if path and len(fields) == 3 and fields[1] == "blob" and os.path.lexists(Path(folder) / path):
            want[path] = fields[2]
    if not want:
        return []
    names = list(want)
    res = _git(folder, "hash-object", "--no-filters", "--stdin-paths", input="\n".join(names) + "\n")
    got = res.stdout.split()
    return [p for p, sha in zip(names, got) if want[p] != sha]


def adopt(folder: Path, remote: str, branch: str, user: str, message: str) -> list[str]:
    """Take ``remote/branch``'s history as this repository's (HEAD on ``branch``), keeping
    the files of the folder: those the remote lacks are committed on top of it. The folder's
    own earlier history, unrelated to the remote's, is dropped (its files stay). Raises
    UserError, changing nothing, when a file exists on both sides with other content."""
    from .errors import UserError

    _git(folder, "fetch", "-q", "--no-tags", remote, check=True)
    theirs = f"refs/remotes/{remote}/{branch}"
    clash = differing(folder, theirs)
    if clash:
        raise UserError(
            f"{folder.name}/{clash[0]}: this site's file differs from the one in {remote}'s "
            f"{branch}{f' (+{len(clash) - 1} more)' if len(clash) > 1 else ''}; keep one by hand "
            "(move this one aside), then run it again"
        )
    old = _git(folder, "symbolic-ref", "-q", "--short", "HEAD").stdout.strip()
    _git(folder, "symbolic-ref", "HEAD", f"refs/heads/{branch}", check=True)
    _git(folder, "reset", "-q", theirs, check=True)  # the index is the remote's; files stay
    gone = [p for p in _git(folder, "ls-files", "-d", "-z").stdout.split("\0") if p]
    if gone:  # the remote's files this site lacks
        _git(folder, "checkout", "-q", "--", *gone, check=True)
    _git(folder, "branch", "-q", "--set-upstream-to", f"{remote}/{branch}")
    done = [f"{folder.name}/: took the history of {remote} ({branch}, {len(gone)} file(s) from it)"]
    _git(folder, "add", "-A", check=True)
    if _git(folder, "diff", "--cached", "--quiet").returncode != 0:
        count = len(
            [p for p in _git(folder, "diff", "--cached", "--name-only", "-z").stdout.split("\0") if p]
        )
        _git(folder, *_ident(folder, user), "commit", "-q", "-m", message, check=True)
        done.append(f"{folder.name}/: this site's {count} file(s) committed on top of it")
    if old and old != branch:
        _git(folder, "branch", "-q", "-D", old)
    return done


def head_problems(folder: Path, remote: str = "origin") -> list[str]:
    """Where this repository's branch and its remote's (as last fetched) part ways: several
    heads on the remote, this branch not among them, or histories that share nothing."""
    if not (Path(folder) / ".git").is_dir():
        return []
    res = _git(folder, "for-each-ref", "--format=%(refname)", f"refs/remotes/{remote}/")
    heads = [r.split("/", 3)[3] for r in res.stdout.split() if not r.endswith("/HEAD")]
    mine = _git(folder, "symbolic-ref", "-q", "--short", "HEAD").stdout.strip()
    if not heads or not mine:
        return []
    out = []
    if len(heads) > 1:
        out.append(
            f"its remote {remote} has {len(heads)} branches ({', '.join(sorted(heads))}), which never meet"
        )
    if mine not in heads:
        out.append(f"this site commits to {mine!r}, which {remote} lacks (it has {', '.join(sorted(heads))})")
    elif (
        _head(folder) and _git(folder, "merge-base", "HEAD", f"refs/remotes/{remote}/{mine}").returncode == 1
    ):
        out.append(f"its history and {remote}'s {mine} share no commit (made apart)")
    return out


def make(
    root: Path,
    rel: str,
    remote: str | None = None,
    user: str = "officecli",
    message: str = "first commit",
    branch: str | None = None,
) -> list[str]:
    """Make ``root/rel`` a repository of its own (or set the remote of one); return what
    was done, one line each. When the remote has history already (another site made it),
    that history is taken (``adopt``) on the remote's own branch; else a new repository
    starts on ``branch`` (the enclosing repository's, so all sites agree). Raises OSError /
    CalledProcessError when git fails, UserError when the remote and the folder disagree."""
    folder = Path(root) / rel
    done: list[str] = []
    if not available():
        raise OSError(f"{rel}: git is not installed")
    from .errors import UserError
    from .git import git_dir_problem

    problem = git_dir_problem(folder, rel)
    if os.path.islink(folder):
        problem = f"{rel}: a symbolic link; officecli never makes a repository through one"
    if problem:
        raise UserError(problem)
    made = not is_repo(folder)
    if made:
        _git(folder, "init", "-q", check=True)
        if branch:
            _git(folder, "symbolic-ref", "HEAD", f"refs/heads/{branch}", check=True)
        done.append(f"{rel}/: a git repository of its own")
    for path in (folder, folder / ".git"):
        os.chmod(path, 0o700)
    try:
        if remote:
            has = _git(folder, "remote", "get-url", "origin").returncode == 0
            _git(folder, "remote", "set-url" if has else "add", "origin", remote, check=True)
            done.append(f"{rel}/: remote origin {remote}")
            try:
                default, heads = remote_heads(folder)
            except OSError as exc:  # not reachable now (offline, not made yet): set, not joined
                default, heads = None, []
                done.append(
                    f"{rel}/: {exc}; if it has history, run this again when it can be reached "
                    "(this site then takes it)"
                )
            if heads:
                done += _join(folder, default, heads, user, message)
    except BaseException:
        if made:  # nothing of this attempt stays
            shutil.rmtree(folder / ".git", ignore_errors=True)
        raise
    if _git(folder, "rev-parse", "--verify", "-q", "HEAD").returncode != 0:
        _git(folder, "add", "-A", check=True)
        ident: list[str] = []
        if not _git(folder, "config", "user.name").stdout.strip():
            ident = ["-c", f"user.name={user}", "-c", "user.email=officecli@officecli.invalid"]
        _git(folder, *ident, "commit", "-q", "--allow-empty", "-m", message, check=True)
        count = len(_git(folder, "ls-files").stdout.splitlines())
        done.append(f"{rel}/: first commit, {count} file(s)")
    return done


def _join(folder: Path, default: str | None, heads: list[str], user: str, message: str) -> list[str]:
    """Have this repository continue the remote's history (see ``make``)."""
    from .errors import UserError

    mine = _git(folder, "symbolic-ref", "-q", "--short", "HEAD").stdout.strip()
    branch = default or (heads[0] if len(heads) == 1 else (mine if mine in heads else None))
    if branch is None:
        raise UserError(
            f"{folder.name}/: the remote has several branches ({', '.join(heads)}) and names no "
            "default; make it name one (git symbolic-ref HEAD refs/heads/BRANCH in the remote)"
        )
    if _head(folder):
        _git(folder, "fetch", "-q", "--no-tags", "origin", check=True)
        if _git(folder, "merge-base", "HEAD", f"refs/remotes/origin/{branch}").returncode == 0:
            if mine != branch:  # one history, named differently: take the remote's name
                _git(folder, "branch", "-q", "-M", branch, check=True)
                return [f"{folder.name}/: branch {mine} renamed {branch}, as the remote names it"]
            return []
    return adopt(folder, "origin", branch, user, message + " (this site's files)")


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
