"""Several sites of one company through real git: a bare remote and clones driven by the CLI.

``company(tmp_path)`` does what a new user does, with officecli's own commands:
``git init`` and ``officecli init --site A`` at the first site (autocommit on,
git set up for records, the first commit), a push to a bare remote, then
``git clone`` and ``officecli site set B`` at the second site (and C on
request). The site code lives only in each clone's git config: no
``$OFFICECLI_SITE``. HOME is per test (its own global git config: identity,
branch name); each site has its own user, so that history entries of the two
sites never look alike.

``assert_in_step(*sites)`` is the check after every sync: the same commit at
every site, every record present exactly once, in the folder its history
says, no conflict markers, doctor and ledger check clean, and the books
(``ledger balance --format json``) equal at every site.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.robust.support import REPO

NOW = "2026-11-02T09:00:00+02:00"
MARKER = re.compile(r"^(<<<<<<<|>>>>>>>|=======)( |$)", re.M)


def env(home: Path, **extra: str) -> dict[str, str]:
    out = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OFFICECLI_", "GIT_")) or k == "GIT_CONFIG_NOSYSTEM"
    }
    out.update(
        {
            "HOME": str(home),
            "GIT_CONFIG_NOSYSTEM": "1",
            "NO_COLOR": "1",
            "PYTHONPATH": str(REPO),
            "OFFICECLI_NOW": NOW,
            "LC_ALL": "C.UTF-8",
        }
    )
    out.update(extra)
    return out


def git(cwd: Path, home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    res = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env(home), timeout=120)
    if check and res.returncode != 0:
        raise AssertionError(
            f"git {' '.join(args)} in {cwd}: exit {res.returncode}\n{res.stdout}{res.stderr}"
        )
    return res


@dataclass
class Site:
    code: str
    root: Path
    home: Path

    @property
    def user(self) -> str:
        return f"user-{self.code.lower()}"

    def run(self, *args: str, ok: bool = True, now: str = NOW, **extra: str) -> subprocess.CompletedProcess:
        """officecli as its own process at this site."""
        res = subprocess.run(
            [sys.executable, "-m", "officecli", *map(str, args)],
            capture_output=True,
            text=True,
            cwd=self.root,
            timeout=180,
            env=env(self.home, OFFICECLI_USER=self.user, OFFICECLI_NOW=now, **extra),
        )
        if ok and res.returncode != 0:
            raise AssertionError(
                f"[{self.code}] officecli {' '.join(map(str, args))}: exit "
                f"{res.returncode}\n{res.stdout}{res.stderr}"
            )
        return res

    def ids(self, *args: str, **kw) -> str:
        return self.run("--format", "ids", *args, **kw).stdout.strip()

    def sync(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
        res = self.run("sync", *args, ok=ok)
        if ok:
            assert res.stdout == "" and res.stderr == "", f"a clean sync printed {res.stdout}{res.stderr}"
        return res

    def git(self, *args: str, check: bool = True) -> str:
        return git(self.root, self.home, *args, check=check).stdout

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()

    def files(self) -> list[str]:
        """Every record file of the company's repository (relative): .git, .officecli
        and the private back/hr (HR's own, never in the company's repository) left out."""
        out = []
        for folder, dirs, names in os.walk(self.root):
            dirs[:] = [d for d in dirs if d not in (".git", ".officecli")]
            rel = os.path.relpath(folder, self.root)
            if rel == "back":
                dirs[:] = [d for d in dirs if d != "hr"]
            out += [os.path.join(rel, n) if rel != "." else n for n in names if n.endswith(".yaml")]
        return sorted(out)

    def find(self, ident: str) -> list[str]:
        return [f for f in self.files() if f.rpartition("/")[2] == f"{ident}.yaml"]

    def data(self, rel: str):
        from officecli.store import yamlio

        return yamlio.loads((self.root / rel).read_text("utf-8"))

    def subjects(self, n: int = 5) -> list[str]:
        return self.git("log", f"-{n}", "--format=%s").splitlines()


def company(tmp: Path, codes: str = "AB") -> list[Site]:
    """A bare remote and one clone per site code, each set up with officecli's commands."""
    home = tmp / "home"
    home.mkdir()
    for key, value in (
        ("user.name", "Test Person"),
        ("user.email", "test@example.gr"),
        ("init.defaultBranch", "main"),
        ("commit.gpgsign", "false"),
    ):
        git(tmp, home, "config", "--global", key, value)
    remote = tmp / "remote.git"
    git(tmp, home, "init", "-q", "--bare", str(remote))
    first = Site(codes[0], tmp / f"site-{codes[0].lower()}", home)
    git(tmp, home, "init", "-q", str(first.root))
    first.run("init", ".", "--name", "Κεραμικά Αιγαίου", "--site", codes[0], "--site-name", "Athens shop")
    git(first.root, home, "remote", "add", "origin", str(remote))
    git(first.root, home, "push", "-q", "-u", "origin", "main")
    sites = [first]
    for code in codes[1:]:
        site = Site(code, tmp / f"site-{code.lower()}", home)
        git(tmp, home, "clone", "-q", str(remote), str(site.root))
        site.run("site", "set", code, "--name", f"site {code}")
        site.sync()
        sites.append(site)
    return sites


def stocked(sites: list[Site]) -> None:
    """Products, a customer and an employee made at the first site, synced everywhere."""
    a = sites[0]
    a.run("product", "add", "MUG-01", "--name", "Κούπα", "--price", "12.50", "--cost", "4.10")
    a.run("product", "add", "BOWL-01", "--name", "Μπολ", "--price", "20.00", "--cost", "7.00")
    a.run("stock", "receive", "MUG-01", "40", "--cost", "4.10")
    a.run("stock", "receive", "BOWL-01", "40", "--cost", "7.00")
    a.run("customer", "add", "Μαρία Παπαδοπούλου", "--email", "maria@example.gr")
    a.run(
        "employee",
        "add",
        "Κώστας Νικολάου",
        "--office",
        "back",
        "--department",
        "warehouse",
        "--title",
        "Packer",
        "--salary",
        "1050.00",
        "--start",
        "2026-10-01",
    )
    round_trip(sites)


def round_trip(sites: list[Site]) -> None:
    """Sync every site, then every site but the last again: all in step."""
    for s in sites:
        s.sync()
    for s in sites[:-1]:
        s.sync()
    assert_in_step(*sites)


def copy_company(template: Path, tmp: Path, codes: str = "AB") -> list[Site]:
    """A copy of a company made once by ``company`` (its remote, clones and HOME), each
    clone pointed at the copied remote: a fresh start for a test in a fraction of the time."""
    import shutil

    for name in ["home", "remote.git", *(f"site-{c.lower()}" for c in codes)]:
        shutil.copytree(template / name, tmp / name, symlinks=True)
    sites = [Site(c, tmp / f"site-{c.lower()}", tmp / "home") for c in codes]
    for s in sites:
        s.git("remote", "set-url", "origin", str(tmp / "remote.git"))
    return sites


def read(site: Site, *args: str):
    """officecli in this process, for checks that only read (same code, no start-up cost)."""
    from click.testing import CliRunner

    from officecli.cli import cli

    environ = {
        k: v
        for k, v in env(site.home, OFFICECLI_USER=site.user).items()
        if k.startswith(("OFFICECLI_", "GIT_", "HOME"))
    }
    old = os.environ.get("HOME")
    try:
        os.environ["HOME"] = str(site.home)
        return CliRunner().invoke(cli, ["--root", str(site.root), *args], env=environ)
    finally:
        if old is not None:
            os.environ["HOME"] = old


def assert_in_step(*sites: Site) -> None:
    heads = {s.code: s.head() for s in sites}
    assert len(set(heads.values())) == 1, f"not the same commit everywhere: {heads}"
    books = None
    files = None
    for s in sites:
        found = s.files()
        stems = [f.rpartition("/")[2] for f in found]
        twice = sorted({n for n in stems if stems.count(n) > 1})
        assert not twice, f"[{s.code}] a record in two folders: {twice}"
        for f in found:
            text = (s.root / f).read_text("utf-8")
            assert not MARKER.search(text), f"[{s.code}] conflict markers in {f}"
            assert "\nconflicts:" not in text, f"[{s.code}] unsettled conflicts in {f}"
        assert s.git("status", "--porcelain") == "", f"[{s.code}] uncommitted: {s.git('status', '--short')}"
        doctor = read(s, "doctor")
        assert doctor.exit_code == 0, f"[{s.code}] doctor: {doctor.output}"
        check = read(s, "ledger", "check")
        assert check.exit_code == 0, f"[{s.code}] ledger check: {check.output}"
        balance = json.loads(read(s, "--format", "json", "ledger", "balance").stdout)
        assert books is None or balance == books, f"[{s.code}] the books differ"
        assert files is None or found == files, f"[{s.code}] the files differ"
        books, files = balance, found
