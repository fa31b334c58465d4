"""Pay stays private (issue 11, item 5): a clerk who cannot read back/hr, git that never holds
pay, the nested HR repository, the migration of old trees and doctor's warnings.

The clerk runs as a real process without the right to read back/hr: as root (the
tests' usual user, whom modes do not stop) with CAP_DAC_OVERRIDE and
CAP_DAC_READ_SEARCH dropped by ``setpriv`` and back/hr owned by another user (HR,
uid 65534) mode 0700; as any other user, back/hr is simply made mode 000.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from officecli.store import yamlio
from tests.conftest import load, snapshot
from tests.robust.support import REPO, copy_sample, environ

DENIED = "officecli: back/hr: permission denied: pay is private to HR"
HAS_GIT = shutil.which("git") is not None
needs_git = pytest.mark.skipif(not HAS_GIT, reason="git is not installed")


# -- a clerk who is not HR -------------------------------------------------------------------


def _can_drop_caps() -> bool:
    if shutil.which("setpriv") is None:
        return False
    probe = subprocess.run(
        [
            "setpriv",
            "--inh-caps=-dac_override,-dac_read_search",
            "--bounding-set=-dac_override,-dac_read_search",
            "true",
        ],
        capture_output=True,
    )
    return probe.returncode == 0


class Clerk:
    """officecli run as someone who cannot read back/hr (and as HR, for comparison)."""

    def __init__(self, root: Path, prefix: list[str]):
        self.root = root
        self.prefix = prefix

    def _run(self, prefix, *args, user="clerk"):
        return subprocess.run(
            [*prefix, sys.executable, "-m", "officecli", "--root", str(self.root), *map(str, args)],
            capture_output=True,
            text=True,
            cwd=REPO,
            env=environ(OFFICECLI_USER=user),
            timeout=120,
        )

    def __call__(self, *args, user="clerk"):
        return self._run(self.prefix, *args, user=user)

    def hr(self, *args, user="hr"):
        """The same command with every right (HR, or root with its capabilities)."""
        return self._run([], *args, user=user)


@pytest.fixture
def clerk(tmp_path) -> Clerk:
    root = copy_sample(tmp_path / "records")
    hr = root / "back" / "hr"
    for folder, _, files in os.walk(hr):
        os.chmod(folder, 0o700)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o600)
    if os.geteuid() != 0:
        os.chmod(hr, 0)  # not even the owner may read it now
        yield Clerk(root, [])
        os.chmod(hr, 0o700)
        return
    if not _can_drop_caps():
        pytest.skip(
            "running as root without setpriv (util-linux) able to drop CAP_DAC_OVERRIDE: "
            "root reads every file, so a clerk without access to back/hr cannot be made"
        )
    for folder, dirs, files in os.walk(hr):  # back/hr belongs to HR (another user), 0700
        for name in [*dirs, *files]:
            os.lchown(os.path.join(folder, name), 65534, 65534)
    os.lchown(hr, 65534, 65534)
    yield Clerk(
        root,
        [
            "setpriv",
            "--inh-caps=-dac_override,-dac_read_search",
            "--bounding-set=-dac_override,-dac_read_search",
        ],
    )
    for folder, dirs, files in os.walk(hr):
        for name in [*dirs, *files]:
            os.lchown(os.path.join(folder, name), 0, 0)
    os.lchown(hr, 0, 0)


def test_the_clerk_really_cannot_read_back_hr(clerk):
    probe = subprocess.run(
        [*clerk.prefix, sys.executable, "-c", f"import os; os.listdir({str(clerk.root / 'back/hr')!r})"],
        capture_output=True,
        text=True,
    )
    assert probe.returncode != 0 and "PermissionError" in probe.stderr


def test_the_public_part_works_for_a_clerk(clerk):
    res = clerk("--format", "json", "employee", "list")
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    everyone = json.loads(clerk.hr("--format", "json", "employee", "list").stdout)
    assert [r["id"] for r in rows] == [r["id"] for r in everyone] and len(rows) == 8
    assert all("salary" not in r for r in rows) and rows[0]["name"] == "Μαρία Κωνσταντίνου"
    table = clerk("employee", "list").stdout
    assert "Ελένη Μάρκου" in table and "Salary" not in table
    res = clerk("employee", "show", "Ελένη Μάρκου")
    assert res.returncode == 0 and "back/staff/active/EMP-A-0003.yaml" in res.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("employee", "list", "--show-pay"),
        ("employee", "list", "--summary"),
        ("employee", "show", "1", "--show-pay"),
        (
            "employee",
            "add",
            "Νέα Υπάλληλος",
            "--office",
            "front",
            "--department",
            "sales",
            "--title",
            "Seller",
            "--salary",
            "1000",
        ),
        ("employee", "edit", "3", "--salary", "1400.00"),
        ("employee", "leave-list"),
        ("employee", "leave-request", "3", "--from", "2026-12-21", "--to", "2026-12-22"),
        ("employee", "leave-approve", "2"),
        ("payroll", "run", "2026-12"),
        ("payroll", "show", "2026-11"),
        ("payroll", "list"),
        ("payroll", "pay", "2026-11"),
        ("hr", "migrate"),
        ("hr", "git-init"),
    ],
    ids=lambda a: " ".join(a[:3]),
)
def test_whatever_needs_pay_says_permission_denied(clerk, args):
    before = snapshot(clerk.root) if os.geteuid() == 0 else None
    res = clerk(*args)
    assert res.returncode == 1, (args, res.stdout, res.stderr)
    assert res.stderr.strip() == DENIED, res.stderr
    if before is not None:
        assert snapshot(clerk.root) == before  # refused: nothing changed


def test_report_daily_counts_staff_from_the_public_part(clerk):
    mine, theirs = (
        clerk("--format", "json", "report", "daily"),
        clerk.hr("--format", "json", "report", "daily"),
    )
    assert mine.returncode == 0 and theirs.returncode == 0, mine.stderr

    def staff(res):
        return next(r["value"] for r in json.loads(res.stdout) if r.get("id") == "staff")

    assert staff(mine) == staff(theirs) == "3 / 5"


def test_the_clerk_still_acts_under_their_own_name(clerk):
    res = clerk("complaint", "take", "8", "--by", "Ελένη Μάρκου", user="2")
    assert res.returncode == 0, res.stderr
    data = load(clerk.root, "back/complaints/working/CMP-A-0008.yaml")
    assert data["assignee_id"] == "EMP-A-0003"
    assert data["history"][-1]["by"] == "EMP-A-0002 Γιώργος Παπαδάκης"


def test_doctor_says_permission_denied_once_and_nothing_false(clerk):
    res = clerk("doctor")
    assert res.returncode == 1
    assert res.stdout.strip().splitlines() == ["back/hr: permission denied: pay is private to HR"]
    assert clerk.hr("doctor").returncode == 0


# -- the company repository never holds pay --------------------------------------------------


def git(cwd: Path, *args: str) -> str:
    res = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, (args, res.stderr)
    return res.stdout


def _company(cli, office) -> None:
    cli(
        "employee",
        "add",
        "Μαρία Κωνσταντίνου",
        "--office",
        "back",
        "--department",
        "hr",
        "--title",
        "HR",
        "--salary",
        "1850.00",
        "--start",
        "2025-03-01",
    )
    git(office, "init", "-q")
    git(office, "add", "-A")
    git(office, "commit", "-qm", "the company")


@needs_git
def test_init_keeps_back_hr_out_of_the_company_repository(cli, office):
    _company(cli, office)
    assert git(office, "ls-files", "back/hr") == ""
    assert "back/staff/active/EMP-A-0001.yaml" in git(office, "ls-files")
    cli("doctor")


@needs_git
def test_hr_git_init_makes_back_hr_its_own_repository(cli, office, tmp_path):
    _company(cli, office)
    remote = tmp_path / "hr-remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    out = cli("hr", "git-init", "--remote", str(remote)).stdout
    assert "back/hr/: a git repository of its own" in out and f"remote origin {remote}" in out
    hr = office / "back/hr"
    assert stat.S_IMODE(hr.stat().st_mode) == 0o700
    assert stat.S_IMODE((hr / ".git").stat().st_mode) == 0o700
    assert (hr / ".gitignore").is_file()
    assert "back/hr/pay/PAY-A-0001.yaml" not in git(hr, "ls-files") and "pay/PAY-A-0001.yaml" in git(
        hr, "ls-files"
    )
    assert git(hr, "remote", "get-url", "origin").strip() == str(remote)
    branch = git(hr, "branch", "--show-current").strip()  # (what sync pushes: the same branch)
    git(hr, "push", "-q", "origin", f"HEAD:{branch}")
    assert "pay/PAY-A-0001.yaml" in git(remote, "ls-tree", "-r", "--name-only", branch)
    # the company repository sees nothing under back/hr, then or later
    cli(
        "employee",
        "add",
        "Νίκος Αλεξίου",
        "--office",
        "front",
        "--department",
        "sales",
        "--title",
        "Seller",
        "--salary",
        "1200.00",
    )
    cli("payroll", "run", "2026-10")
    status = git(office, "status", "--porcelain", "--untracked-files=all")
    assert status and not [line for line in status.splitlines() if "back/hr" in line], status
    assert "back/staff/active/EMP-A-0002.yaml" in status
    cli("doctor")  # the nested .git is no stray folder
    again = cli("hr", "git-init", "--remote", str(tmp_path / "other.git")).stdout
    assert "a git repository of its own" not in again and "other.git" in again


@needs_git
def test_hr_git_init_adds_back_hr_to_an_older_gitignore(cli, office):
    (office / ".gitignore").write_text("# officecli\n.officecli/\n", "utf-8")
    _company(cli, office)  # back/hr committed: the old way
    git(office, "rm", "-rq", "--cached", "back/hr")
    git(office, "commit", "-qm", "untrack")
    out = cli("hr", "git-init").stdout
    assert ".gitignore: back/hr/ added" in out
    assert (office / ".gitignore").read_text("utf-8").startswith("# officecli\n.officecli/\n")
    status = git(office, "status", "--porcelain", "--untracked-files=all")
    assert status.splitlines() == [" M .gitignore"], status


@needs_git
def test_doctor_warns_of_pay_tracked_or_in_history_and_says_how_to_purge(cli, office):
    (office / ".gitignore").write_text(".officecli/\n", "utf-8")  # an old tree
    _company(cli, office)
    head = git(office, "rev-parse", "HEAD")
    out = cli("doctor", code=1).stdout
    assert "private HR file(s) tracked by the company's git repository" in out
    assert "git rm -r --cached back/hr" in out
    assert "git filter-repo --path back/hr --invert-paths" in out
    git(office, "rm", "-rq", "--cached", "back/hr")
    git(office, "commit", "-qm", "untrack pay")
    out = cli("doctor", code=1).stdout
    assert "tracked by" not in out
    lines = [line for line in out.splitlines() if "history" in line]
    assert len(lines) == 1 and lines[0].startswith(
        "back/hr/: private HR files are in the company repository's history (2 commit(s)"
    )
    assert git(office, "rev-parse", "HEAD~1") == head  # advice only: nothing rewritten


@needs_git
def test_hr_git_init_says_when_the_company_repository_still_tracks_pay(cli, office):
    (office / ".gitignore").write_text(".officecli/\n", "utf-8")
    _company(cli, office)
    out = cli("hr", "git-init").stdout
    assert "warning: 1 file(s) under back/hr/ are still tracked by the company repository" in out


def test_doctor_checks_that_pay_and_staff_belong_together(cli, office):
    for name, salary in (("Μαρία Κωνσταντίνου", "1850.00"), ("Νίκος Αλεξίου", "1200.00")):
        cli(
            "employee",
            "add",
            name,
            "--office",
            "back",
            "--department",
            "hr",
            "--title",
            "HR",
            "--salary",
            salary,
        )
    cli("doctor")
    pay = office / "back/hr/pay"
    (pay / "PAY-A-0007.yaml").write_text(
        (pay / "PAY-A-0001.yaml").read_text("utf-8").replace("PAY-A-0001", "PAY-A-0007"), "utf-8"
    )
    (pay / "PAY-A-0002.yaml").unlink()
    text = (pay / "PAY-A-0001.yaml").read_text("utf-8")
    (pay / "PAY-A-0001.yaml").write_text(text.replace("employee: EMP-A-0001", "employee: EMP-A-0002"))
    out = cli("doctor", code=1).stdout
    assert "back/hr/pay/PAY-A-0007.yaml: pay: no employee EMP-A-0007 in back/staff/" in out
    assert "back/staff/active/EMP-A-0002.yaml: no pay record (back/hr/pay/PAY-A-0002.yaml)" in out
    assert (
        "back/hr/pay/PAY-A-0001.yaml: employee: 'EMP-A-0002', but PAY-A-0001 is the pay of EMP-A-0001" in out
    )


@needs_git
def test_doctor_names_the_path_from_the_repository_top(cli, office, tmp_path):
    cli(
        "employee",
        "add",
        "Μαρία Κωνσταντίνου",
        "--office",
        "back",
        "--department",
        "hr",
        "--title",
        "HR",
        "--salary",
        "1850.00",
    )
    top = tmp_path / "monorepo"
    shutil.copytree(office, top / "records")
    (top / "records/.gitignore").write_text(".officecli/\n", "utf-8")
    git(top, "init", "-q")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "x")
    from click.testing import CliRunner

    from officecli.cli import cli as main

    res = CliRunner().invoke(main, ["--root", str(top / "records"), "doctor"])
    assert "git filter-repo --path records/back/hr --invert-paths" in res.stdout


# -- migrating an old tree -------------------------------------------------------------------

OLD = """\
# hand note: keep this comment
id: {id}
name: {name}
office: back
department: warehouse
title: Packer
salary: '{salary}'
start: '2025-01-01'
{end}created: '2025-01-01T09:00:00+02:00'
history:
- at: '2025-01-01T09:00:00+02:00'
  by: tester
  action: add
  to: active
- at: '2025-06-01T09:00:00+02:00'
  by: tester
  action: edit
  from: active
  note: salary changed
"""


def _old_tree(office: Path) -> None:
    for state, ident, name, salary, end in (
        ("active", "EMP-A-0001", "Ελένη Μάρκου", "1300.00", ""),
        ("active", "EMP-A-0002", "Κώστας Νικολάου", "1050.00", ""),
        ("former", "EMP-A-0003", "Παναγιώτης Βλάχος", "1100.00", "end: '2026-09-19'\n"),
    ):
        folder = office / "back/hr/employees" / state
        folder.mkdir(parents=True, exist_ok=True)
        ended = (
            ("- at: '2026-09-19T18:00:00+03:00'\n  by: tester\n  action: end\n  from: active\n  to: former\n")
            if end
            else ""
        )  # its history says how it got to former/
        (folder / f"{ident}.yaml").write_text(
            OLD.format(id=ident, name=name, salary=salary, end=end) + ended, "utf-8"
        )
    (office / ".gitignore").write_text("# mine\n.officecli/\n", "utf-8")


def test_an_old_tree_is_named_until_migrated(cli, office, refused):
    _old_tree(office)
    out = cli("doctor", code=1).stdout.splitlines()
    assert out == [
        "back/hr/employees/: employee files in the old layout (the salary inside the "
        "employee's record): run 'officecli hr migrate' to split them into back/staff/ "
        "(public) and back/hr/pay/ (private)"
    ]
    refused("employee", "list", match="run 'officecli hr migrate'")
    refused("payroll", "run", "2026-10", match="run 'officecli hr migrate'")
    # --by is resolved first (issue 28: one resolver), and an old tree holds no employee
    refused("complaint", "take", "1", "--by", "Ελένη Μάρκου", match="run 'officecli hr migrate'")


def test_migrate_splits_every_employee_in_one_change(cli, office):
    _old_tree(office)
    out = cli("hr", "migrate").stdout
    assert (
        "EMP-A-0003  back/hr/employees/former/EMP-A-0003.yaml -> back/staff/former/EMP-A-0003.yaml "
        "+ back/hr/pay/PAY-A-0003.yaml" in out
    )
    assert not (office / "back/hr/employees").exists()
    text = (office / "back/staff/active/EMP-A-0001.yaml").read_text("utf-8")
    assert text.startswith("# hand note: keep this comment\n") and "salary" not in text.split("history:")[0]
    data = yamlio.loads(text)
    assert [h["action"] for h in data["history"]] == ["add", "edit", "split"]  # history kept
    assert data["history"][-1]["note"].startswith("public part of back/hr/employees/active/EMP-A-0001.yaml")
    assert load(office, "back/staff/former/EMP-A-0003.yaml")["end"] == "2026-09-19"
    pay = load(office, "back/hr/pay/PAY-A-0002.yaml")
    assert (pay["employee"], pay["salary"], pay["created"]) == (
        "EMP-A-0002",
        "1050.00",
        "2025-01-01T09:00:00+02:00",
    )
    assert stat.S_IMODE((office / "back/hr/pay/PAY-A-0002.yaml").stat().st_mode) == 0o600
    assert stat.S_IMODE((office / "back/staff/active/EMP-A-0002.yaml").stat().st_mode) == 0o644
    assert (office / ".gitignore").read_text("utf-8").startswith("# mine\n.officecli/\n")
    assert "back/hr/" in (office / ".gitignore").read_text("utf-8").splitlines()
    cli("doctor")
    rows = json.loads(cli("employee", "list", "--all", "--show-pay", "--format", "json").stdout)
    assert {r["id"]: r["salary"] for r in rows} == {
        "EMP-A-0001": "1300.00",
        "EMP-A-0002": "1050.00",
        "EMP-A-0003": "1100.00",
    }
    before = snapshot(office)
    assert "nothing to migrate" in cli("hr", "migrate").stdout
    assert snapshot(office) == before


def test_migrate_refuses_a_bad_salary_and_changes_nothing(cli, office, refused):
    _old_tree(office)
    rel = office / "back/hr/employees/active/EMP-A-0002.yaml"
    rel.write_text(rel.read_text("utf-8").replace("'1050.00'", "lots"), "utf-8")
    refused("hr", "migrate", match="EMP-A-0002 (back/hr/employees/active/EMP-A-0002.yaml): salary 'lots'")


@pytest.mark.parametrize("crash,split", [("staged", False), ("journaled", True)])
def test_migrate_is_all_or_nothing_across_a_crash(office, crash, split):
    from tests.robust.support import officecli

    _old_tree(office)
    res = officecli(office, "hr", "migrate", OFFICECLI_CRASH_AT=crash)
    assert res.returncode == -9  # SIGKILL mid-commit
    res = officecli(office, "doctor", "--repair")
    moved = sorted(p.relative_to(office).as_posix() for p in office.rglob("EMP-*.yaml"))
    pays = sorted(p.name for p in (office / "back/hr/pay").glob("*.yaml"))
    if split:
        assert moved == [
            "back/staff/active/EMP-A-0001.yaml",
            "back/staff/active/EMP-A-0002.yaml",
            "back/staff/former/EMP-A-0003.yaml",
        ]
        assert pays == ["PAY-A-0001.yaml", "PAY-A-0002.yaml", "PAY-A-0003.yaml"]
    else:
        assert all(m.startswith("back/hr/employees/") for m in moved) and len(moved) == 3
        assert pays == []


def test_hr_help_has_examples(cli):
    for sub in ("migrate", "git-init"):
        assert "Examples:" in cli("hr", sub, "--help").stdout
