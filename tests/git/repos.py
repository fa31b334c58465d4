"""Real git for the several-sites tests: a bare remote and clones, made by hand.

``company(tmp_path)`` makes a records folder with ``officecli init`` (site A),
puts it in git (the records folder is the work tree), pushes it to a bare
remote and clones it to a second site (B). Each clone has its own identity,
``merge.directoryRenames false``, the records merge driver registered in its
git config and ``*.yaml merge=officecli`` in the versioned .gitattributes -
exactly the setup the contract names, written here with plain git so that the
tests depend on no officecli command that sets it up.

Commands run as real processes (tests/robust/support.py), each clone with its
site code (``$OFFICECLI_SITE`` and git config ``officecli.site``), committed by
hand with ``commit``.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.robust.support import environ, inproc

DRIVER = f"{sys.executable} -m officecli merge-file %O %A %B %P"
NOW = "2026-11-02T09:00:00+02:00"


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    res = subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environ(GIT_CONFIG_NOSYSTEM="1"),
        timeout=120,
    )
    if check and res.returncode != 0:
        raise AssertionError(
            f"git {' '.join(args)} in {cwd}: exit {res.returncode}\n{res.stdout}{res.stderr}"
        )
    return res


@dataclass
class Site:
    code: str
    root: Path

    def run(self, *args: str, now: str = NOW, ok: bool = True) -> subprocess.CompletedProcess:
        """officecli as its own process at this site, with a fixed clock."""
        res = subprocess.run(
            [sys.executable, "-m", "officecli", "--root", str(self.root), *map(str, args)],
            capture_output=True,
            text=True,
            cwd=self.root,
            timeout=120,
            env=environ(
                OFFICECLI_SITE=self.code,
                OFFICECLI_NOW=now,
                OFFICECLI_USER=f"user-{self.code}",
                GIT_CONFIG_NOSYSTEM="1",
            ),
        )
        if ok and res.returncode != 0:
            raise AssertionError(
                f"[{self.code}] officecli {' '.join(map(str, args))}: exit "
                f"{res.returncode}\n{res.stdout}{res.stderr}"
            )
        return res

    def read(self, *args: str):
        """A read-only officecli command in this process (same code, no start-up cost);
        the click Result (exit_code, output)."""
        return inproc(self.root, *args, now=NOW)

    def commit(self, message: str) -> None:
        git(self.root, "add", "-A", ".")
        git(self.root, "commit", "-q", "-m", message)

    def push(self) -> None:
        git(self.root, "push", "-q", "origin", "HEAD:main")

    def pull(self) -> subprocess.CompletedProcess:
        """``git pull --no-rebase``; the result (not checked: a conflict is a result)."""
        return git(self.root, "pull", "--no-rebase", "origin", "main", check=False)

    def text(self, rel: str) -> str:
        return (self.root / rel).read_text("utf-8")

    def data(self, rel: str):
        from officecli.store import yamlio

        return yamlio.loads(self.text(rel))


def _configure(root: Path, code: str) -> None:
    for key, value in (
        ("user.name", f"Site {code}"),
        ("user.email", f"{code.lower()}@example.gr"),
        ("merge.directoryRenames", "false"),
        ("merge.officecli.name", "officecli records"),
        ("merge.officecli.driver", DRIVER),
        ("officecli.site", code),
        ("commit.gpgsign", "false"),
    ):
        git(root, "config", key, value)


def company(tmp: Path) -> tuple[Site, Site]:
    """Site A (the first clone, made by init) and site B (a clone of it), in sync."""
    remote = tmp / "remote.git"
    git(tmp, "init", "-q", "--bare", "-b", "main", str(remote))
    a = Site("A", tmp / "athens")
    res = subprocess.run(
        [sys.executable, "-m", "officecli", "init", str(a.root), "--name", "Κεραμικά Αιγαίου", "--site", "A"],
        capture_output=True,
        text=True,
        env=environ(OFFICECLI_NOW=NOW),
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    git(a.root, "init", "-q", "-b", "main")
    _configure(a.root, "A")
    (a.root / ".gitattributes").write_text("*.yaml merge=officecli\n", "utf-8")
    git(a.root, "remote", "add", "origin", str(remote))
    a.commit("init")
    a.push()
    b = Site("B", tmp / "thessaloniki")
    git(tmp, "clone", "-q", str(remote), str(b.root))
    _configure(b.root, "B")
    return a, b


def merging(site: Site) -> bool:
    return (site.root / ".git" / "MERGE_HEAD").exists()


def unmerged(site: Site) -> list[str]:
    return git(site.root, "diff", "--name-only", "--diff-filter=U").stdout.split()


def markers(root: Path) -> list[str]:
    """Files below root (not .git) with a git conflict marker line."""
    out = []
    for path in root.rglob("*"):
        if ".git" in path.relative_to(root).parts or not path.is_file():
            continue
        text = path.read_text("utf-8", errors="replace")
        if any(line.startswith(("<<<<<<<", ">>>>>>>")) for line in text.splitlines()):
            out.append(str(path.relative_to(root)))
    return out
