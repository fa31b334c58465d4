"""What a remote can do: nothing (issue 22, points 1-4).

A real bare repository and two clones of one company (tests/git/sites.py): site A
turns hostile and pushes, by plain git, what officecli never writes; site B takes
it with ``officecli sync`` (refused before the merge: one line per path naming the
commit and its author, exit 1, HEAD and every file as they were, nothing pushed) or
with a plain ``git pull`` (the files land, but the next writer refuses, naming them,
and doctor names them).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.git.sites import company, copy_company, stocked
from tests.hostile.harness import tree_state
from tests.robust.support import REPO

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

PAY_B = "back/hr/pay/PAY-B-0001.yaml"
EMPLOYEE = ["--office", "front", "--department", "sales", "--title", "Clerk", "--start", "2026-10-01"]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    where = tmp_path_factory.mktemp("hostile-company")
    a, b = company(where)
    stocked([a, b])
    b.run("employee", "add", "Ελένη Ζαχαρίου", "--salary", "1200.00", *EMPLOYEE)
    b.sync()
    a.sync()
    return where


@pytest.fixture
def sites(template, tmp_path):
    return copy_company(template, tmp_path)


def hostile_push(a, message: str = "evil") -> str:
    """Commit everything A's work tree has (force-added paths too) and push it by plain git."""
    a.git("add", "-A", ".")
    a.git("commit", "-q", "--author", "Mallory <mallory@example.org>", "-m", message)
    a.git("push", "-q", "origin", "HEAD:main")
    return a.head()


def files(root) -> dict:
    """The work tree as tree_state sees it, git's own folder and officecli's state left out."""
    return {k: v for k, v in tree_state(root, skip_state=True).items() if not k.startswith(".git/")}


def refused_by_sync(b, *paths: str) -> str:
    """B's sync refuses: exit 1, one line per planted path naming Mallory, nothing changed."""
    head, before = b.head(), files(b.root)
    res = b.sync(ok=False)
    assert res.returncode == 1, res.stderr
    lines = res.stderr.strip().splitlines()
    for path in paths:
        line = next((ln for ln in lines if f" {path}: " in ln), None)
        assert line is not None, f"{path} not named: {res.stderr}"
        assert "Mallory <mallory@example.org>" in line and "nothing was merged" in line, line
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr
    assert b.head() == head, "sync merged what it refused"
    assert files(b.root) == before, "sync changed the tree"
    assert b.git("status", "--porcelain") == ""
    return res.stderr


def refused_after_pull(b, path: str) -> None:
    """After a plain git pull: a writer refuses (one line naming the path), doctor names it."""
    res = b.run("customer", "add", "Νέος Πελάτης", ok=False)
    assert res.returncode == 1, res.stdout + res.stderr
    assert len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert path in res.stderr and "Mallory" in res.stderr, res.stderr
    assert not list((b.root / "front/customers").glob("CUS-B-*.yaml")), "the writer wrote"
    doctor = b.run("doctor", ok=False)
    assert doctor.returncode == 1 and path in doctor.stdout + doctor.stderr, doctor.stdout + doctor.stderr
    again = b.run("sync", ok=False)  # sync refuses to build on it too
    assert again.returncode == 1 and path in again.stderr


def test_a_remote_cannot_plant_pay(sites):
    a, b = sites
    pay = b.root / PAY_B
    mine = pay.read_bytes()
    (a.root / PAY_B).parent.mkdir(parents=True, exist_ok=True)
    (a.root / PAY_B).write_text(mine.decode().replace("1200.00", "9999.99"))
    a.git("add", "-f", PAY_B)
    hostile_push(a)
    refused_by_sync(b, PAY_B)
    assert pay.read_bytes() == mine
    assert b.git("ls-remote", "origin", "main").split()[0] == a.head()  # nothing pushed by B


def test_a_remote_cannot_plant_a_journal(sites, tmp_path):
    a, b = sites
    outside = tmp_path / "outside.txt"
    outside.write_text("outside\n")
    txn = a.root / ".officecli/txn/1700000000000000000-4242"
    txn.mkdir(parents=True)
    (txn / "0000").write_text("salary: '9999.99'\n")
    ops = [{"op": "replace", "path": PAY_B, "stage": "0000"}]
    (txn / "journal.json").write_text(json.dumps({"created": 1, "pid": 4242, "ops": ops}))
    a.git("add", "-f", ".officecli/txn")
    hostile_push(a)
    refused_by_sync(b, ".officecli/txn/1700000000000000000-4242/journal.json")
    mine = (b.root / PAY_B).read_bytes()
    b.git("pull", "-q", "--no-rebase", "origin", "main")
    refused_after_pull(b, ".officecli/txn/1700000000000000000-4242/")
    assert (b.root / PAY_B).read_bytes() == mine, "the planted journal was applied"


def test_a_remote_cannot_unignore_hr(sites):
    a, b = sites
    text = (a.root / ".gitignore").read_text()
    (a.root / ".gitignore").write_text(text.replace("back/hr/\n", ""))
    hostile_push(a)
    refused_by_sync(b, ".gitignore")
    b.git("pull", "-q", "--no-rebase", "origin", "main")
    head = b.head()
    res = b.run("employee", "edit", "EMP-B-0001", "--salary", "1300.00", ok=False)
    assert res.returncode == 1 and ".gitignore" in res.stderr, res.stderr
    assert "PAY-B" not in b.git("ls-files", "back/hr") and b.head() == head


def test_autocommit_never_stages_pay_whatever_gitignore_says(sites):
    _, b = sites
    text = (b.root / ".gitignore").read_text()
    (b.root / ".gitignore").write_text(text.replace("back/hr/\n", ""))  # by hand, not committed
    b.run("employee", "edit", "EMP-B-0001", "--salary", "1300.00")
    assert b.git("ls-files", "back/hr") == ""
    assert "back/hr" not in b.git("log", "-3", "--name-only", "--format=")


def test_a_remote_cannot_change_a_records_identity(sites):
    a, b = sites
    rel = "front/customers/CUS-A-0001.yaml"
    path = a.root / rel
    path.write_text(path.read_text().replace("id: CUS-A-0001", "id: CUS-A-0002"))
    hostile_push(a)
    err = refused_by_sync(b, rel)
    assert "CUS-A-0002" in err


@pytest.mark.parametrize(
    "plant,path",
    [
        ("link_out", "front/customers/CUS-A-0077.yaml"),
        ("unknown", "front/customers/notes.txt"),
        ("not_an_id", "front/customers/list of customers.yaml"),
        ("folder", "front/secret/CUS-A-0078.yaml"),
        ("submodule", ".gitmodules"),
        ("top", "evil.yaml"),
    ],
)
def test_a_remote_cannot_bring_links_or_unknown_files(sites, plant, path):
    a, b = sites
    target = a.root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if plant == "link_out":
        os.symlink("/etc/passwd", target)
    elif plant == "submodule":
        target.write_text('[submodule "x"]\n\tpath = x\n\turl = ../x\n')
    else:
        target.write_text("id: CUS-A-0078\n")
    hostile_push(a)
    refused_by_sync(b, path)


def test_a_remote_that_edits_gitattributes_merges(sites):
    a, b = sites
    with open(a.root / ".gitattributes", "a") as fh:
        fh.write("*.pdf binary\n")
    hostile_push(a, "attributes")
    res = b.sync(ok=False)
    assert res.returncode == 0, res.stderr
    assert "*.pdf binary" in (b.root / ".gitattributes").read_text()


def test_gitattributes_as_a_link_is_never_read(sites, tmp_path):
    _, b = sites
    secret = tmp_path / "secret.txt"
    secret.write_text("the bank password\n")
    os.unlink(b.root / ".gitattributes")
    os.symlink(secret, b.root / ".gitattributes")
    b.git("add", ".gitattributes")
    b.git("commit", "-q", "-m", "a link")
    res = b.sync(ok=False)
    assert res.returncode == 1, res.stderr
    assert ".gitattributes" in res.stderr and "symbolic link" in res.stderr
    remote = b.root.parent / "remote.git"
    shown = subprocess.run(["git", "log", "-p", "--all"], cwd=remote, capture_output=True, text=True)
    assert "the bank password" not in shown.stdout
    doctor = b.run("doctor", ok=False)
    said = [ln for ln in (doctor.stdout + doctor.stderr).splitlines() if ".gitattributes" in ln]
    assert said and not any("officecli sync" in ln for ln in said), said


def test_a_plain_pull_of_pay_stops_the_next_writer(sites):
    a, b = sites
    (a.root / PAY_B).parent.mkdir(parents=True, exist_ok=True)
    (a.root / PAY_B).write_text((b.root / PAY_B).read_text().replace("1200.00", "9999.99"))
    a.git("add", "-f", PAY_B)
    hostile_push(a)
    b.git("pull", "-q", "--no-rebase", "origin", "main")
    refused_after_pull(b, PAY_B)


def _driver(tmp_path, base: str, ours: str, theirs: str, path: str) -> tuple[int, str, str]:
    files = []
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        (tmp_path / name).write_text(text)
        files.append(str(tmp_path / name))
    res = subprocess.run(
        [sys.executable, "-m", "officecli", "merge-file", *files, path],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    return res.returncode, (tmp_path / "ours").read_text(), res.stderr


CUSTOMER = "id: CUS-A-0001\nname: Anna\nemail: anna@example.gr\n"


def test_the_merge_driver_never_changes_a_records_name(tmp_path):
    theirs = CUSTOMER.replace("id: CUS-A-0001", "id: CUS-A-0002")
    code, ours, err = _driver(
        tmp_path, CUSTOMER, CUSTOMER.replace("Anna", "Άννα"), theirs, "front/customers/CUS-A-0001.yaml"
    )
    assert code == 1 and "CUS-A-0002" in err and len(err.strip().splitlines()) == 1, err
    assert ours == CUSTOMER.replace("Anna", "Άννα")


@pytest.mark.parametrize("path", ["back/hr/pay/PAY-A-0001.yaml", "records/.officecli/numbers.yaml"])
def test_the_merge_driver_never_merges_private_files(tmp_path, path):
    pay = "id: PAY-A-0001\nsalary: '1200.00'\n"
    code, ours, err = _driver(tmp_path, pay, pay, pay.replace("1200.00", "9999.99"), path)
    assert code == 1 and ours == pay and path in err, err


def test_the_company_history_never_carries_a_salary(sites):
    _, b = sites
    b.run("employee", "edit", "EMP-B-0001", "--salary", "1234.56", "--from", "2026-10-01")
    b.run("payroll", "run", "2026-10", ok=False)
    log = b.git("log", "-p", "--all")
    assert "1234.56" not in log and "1,234.56" not in log
    assert "back/hr/" not in b.git("log", "--format=%B", "--all")


@pytest.mark.parametrize("user", ["evil\nOfficecli-Site: Z", "a\x1b]0;x\x07", "x\u202eevil", " "])
def test_one_check_of_the_user_name_for_every_command_sync_too(sites, user):
    a, b = sites
    a.run("customer", "add", "Νέος Πελάτης")
    a.sync()
    head = b.head()
    for args in (("sync",), ("customer", "add", "Κάποιος"), ("customer", "list")):
        res = b.run("--user", user, *args, ok=False)
        assert res.returncode == 1 and len(res.stderr.strip().splitlines()) == 1, res.stderr
        assert "user name" in res.stderr
    assert b.head() == head
    assert "Officecli-Site: Z" not in b.git("log", "--format=%B", "--all")
