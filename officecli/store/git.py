"""Optional git: commit each command's own change with a message that says what happened."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=check)


def inside_repo(root: Path) -> bool:
    try:
        return _git(root, "rev-parse", "--is-inside-work-tree", check=False).returncode == 0
    except FileNotFoundError:
        return False


def commit(root: Path, message: str, user: str = "officecli") -> str | None:
    """Stage everything below ``root`` and commit it alone; return the error text, if any.

    Only the records folder is committed (``-- .``), so other work in the same
    repository is never swept into an officecli commit. Where git has no
    identity configured, the officecli user is the committer too. The author
    is always the officecli user (who acted), whoever runs git.
    """
    if not inside_repo(root):
        return f"{root}: git.autocommit is on but this folder is not in a git repository"
    _git(root, "add", "-A", "--", ".")
    if _git(root, "diff", "--cached", "--quiet", "--", ".", check=False).returncode == 0:
        return None
    ident: list[str] = []
    if not _git(root, "config", "user.name", check=False).stdout.strip():
        ident = ["-c", f"user.name={user}", "-c", "user.email=officecli@officecli.invalid"]
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", user).strip("-").lower() or "officecli"
    author = f"{user} <{slug}@officecli.invalid>"
    res = _git(root, *ident, "commit", "-q", "--author", author, "-m", message, "--", ".", check=False)
    if res.returncode != 0:
        lines = (res.stderr or res.stdout).strip().splitlines()
        return f"git commit failed: {lines[-1] if lines else res.returncode}"
    return None
