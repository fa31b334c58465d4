"""The hostile-tree property, shared by every hostile case (issue 11).

A case plants something in a copy of the sample company (``plant(root, canary)``),
then commands run against it as real processes under a timeout. For every
command the property is:

* it finishes (no hang: the timeout is a failure, not a skip);
* exit 0, or exit 1 with exactly one line on stderr (never a traceback, never
  "internal error");
* no byte, name or mode changed outside the root: a canary folder beside the
  root (and any target a case points a symlink at) is hashed before and after,
  every file's bytes and mode;
* a refused command (exit 1) changed nothing inside the root (``.officecli/``
  aside: the cache may be rebuilt, a lock file may be made).

``run_all(root, canary, commands)`` checks the property for each command and
returns the results, so a case can also assert what was said (the file named).
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
from pathlib import Path

from tests.robust.support import copy_sample, officecli

# Commands that only read, and commands that write, over the sample company.
# Writers are chosen to touch every layer: create, handoff, multi-file transaction.
READS = [
    ("customer", "list"),
    ("customer", "show", "1"),
    ("order", "list"),
    ("order", "show", "1"),
    ("order", "trace", "1"),
    ("complaint", "list"),
    ("invoice", "list"),
    ("product", "list"),
    ("stock", "list"),
    ("ledger", "balance"),
    ("ledger", "check"),
    ("report", "daily"),
    ("report", "pnl"),
    ("employee", "list"),
    ("payroll", "list"),
    ("doctor",),
]
WRITES = [
    ("customer", "add", "Hostile Test", "--email", "hostile@example.org"),
    ("complaint", "add", "--customer", "1", "a planted tree"),
    ("ledger", "post", "Rent", "Expenses:Rent", "10.00", "Assets:Bank"),
    ("doctor", "--repair"),
]
TIMEOUT = 30


def tree_state(top: Path, skip_state: bool = False) -> dict[str, tuple]:
    """Every entry below ``top`` (not following links): kind, mode, bytes hash / link target."""
    out: dict[str, tuple] = {}
    if not os.path.lexists(top):
        return out
    for folder, dirs, files in os.walk(top, followlinks=False):
        rel = os.path.relpath(folder, top)
        if skip_state and rel == ".":
            dirs[:] = [d for d in dirs if d != ".officecli"]
        st = os.lstat(folder)
        out[rel + "/"] = ("dir", stat.S_IMODE(st.st_mode))
        for name in dirs + files:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            key = os.path.join(rel, name)
            if stat.S_ISLNK(st.st_mode):
                out[key] = ("link", os.readlink(path))
            elif stat.S_ISREG(st.st_mode):
                try:
                    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
                except PermissionError:
                    digest = "unreadable"
                out[key] = ("file", stat.S_IMODE(st.st_mode), st.st_size, digest)
    return out


def make_case(tmp_path: Path) -> tuple[Path, Path]:
    """A fresh copy of the sample company and a canary folder beside it."""
    root = copy_sample(tmp_path / "records")
    for folder, _, files in os.walk(root / "back" / "hr"):  # as the first writer leaves it
        os.chmod(folder, 0o700)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o600)
    canary = tmp_path / "canary"
    (canary / "sub").mkdir(parents=True)
    (canary / "victim.txt").write_text("do not touch\n")
    (canary / "secret.txt").write_text("outside the root\n")
    (canary / "sub" / "inner.txt").write_text("inner\n")
    os.chmod(canary / "victim.txt", 0o644)
    os.chmod(canary / "sub", 0o755)
    return root, canary


def check(
    root: Path, canary: Path, args: tuple, timeout: float = TIMEOUT, **env: str
) -> subprocess.CompletedProcess:
    """Run one command and assert the hostile-tree property for it."""
    outside = tree_state(canary)
    inside = tree_state(root, skip_state=True)
    try:
        res = officecli(root, *args, timeout=timeout, **env)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"officecli {' '.join(args)}: hung (no answer in {timeout}s)") from None
    said = (
        f"officecli {' '.join(args)} -> exit {res.returncode}\nstdout: {res.stdout[-2000:]}\n"
        f"stderr: {res.stderr[-2000:]}"
    )
    assert res.returncode in (0, 1), said
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr, said
    if res.returncode == 1:
        assert len(res.stderr.strip().splitlines()) == 1, said
        assert tree_state(root, skip_state=True) == inside, f"refused, but changed the tree: {said}"
    assert tree_state(canary) == outside, f"changed something outside the root: {said}"
    return res


def run_all(root: Path, canary: Path, commands=None, **env: str) -> dict[tuple, subprocess.CompletedProcess]:
    """The property for each command (reads first, then writers); results by command."""
    return {args: check(root, canary, args, **env) for args in (commands or READS + WRITES)}


__all__ = ["READS", "WRITES", "make_case", "check", "run_all", "tree_state", "copy_sample"]
