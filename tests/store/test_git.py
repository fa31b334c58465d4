"""store/git.py: the git primitives, on real repositories (and the CLI's autocommit in-process)."""

import os
import shutil
import subprocess

import pytest

from officecli.store import git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
IDENT = ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]


def _git(root, *args, check=True):
    return subprocess.run(
        ["git", *IDENT, *args], cwd=root, capture_output=True, text=True, check=check
    ).stdout


@pytest.fixture
def repo(tmp_path):
    top = tmp_path / "top"
    (top / "records" / "front").mkdir(parents=True)
    _git(top, "init", "-q", "-b", "main")
    (top / "records" / "front" / "a.yaml").write_text("a: 1\n")
    (top / "records" / "front" / "b.yaml").write_text("b: 1\n")
    (top / "README").write_text("not records\n")
    _git(top, "add", "-A")
    _git(top, "commit", "-qm", "start")
    return top


def test_find_a_records_folder_below_the_top(repo, tmp_path):
    assert git.Repo.find(tmp_path) is None  # not in git: no process needed
    r = git.Repo.find(repo / "records")
    assert r.top == repo and r.prefix == "records/" and r.git_dir == repo / ".git"
    assert r.rel("records/front/a.yaml") == "front/a.yaml" and r.rel("README") is None
    assert r.remotes() == [] and r.config("officecli.site") is None
    assert r.set_config("officecli.site", "B") is None
    assert r.config("OfficeCLI.Site", local=True) == "B"  # sections ignore case
    _git(repo, "remote", "add", "origin", str(tmp_path / "x.git"))
    r2 = git.Repo.find(repo / "records")
    assert r2.remotes() == ["origin"] and r2.branch() == "main"


def test_commit_paths_commits_exactly_those(repo):
    r = git.Repo.find(repo / "records")
    rec = repo / "records"
    (rec / "front" / "a.yaml").rename(rec / "front" / "moved.yaml")  # a move: both ends
    (rec / "front" / "b.yaml").write_text("b: 2\n")  # changed, not ours
    (rec / "front" / "stray.txt").write_text("stray\n")  # untracked, not ours
    (repo / "README").write_text("edited by hand\n")
    (rec / "staged.yaml").write_text("s: 1\n")
    _git(repo, "add", "records/staged.yaml")  # staged by hand
    done, problem = r.commit_paths(
        ["front/a.yaml", "front/moved.yaml", "front/never.yaml"],
        "move a\n\nbody\n",
        "maria <maria@officecli.invalid>",
    )
    assert (done, problem) == (True, None)
    files = _git(repo, "show", "--name-status", "--no-renames", "--format=%an|%s", "HEAD").split("\n")
    assert files[0] == "maria|move a"
    assert sorted(f for f in files[1:] if f) == ["A\trecords/front/moved.yaml", "D\trecords/front/a.yaml"]
    status = _git(repo, "status", "--porcelain")
    assert " M records/front/b.yaml" in status and "?? records/front/stray.txt" in status
    assert "A  records/staged.yaml" in status and " M README" in status
    assert r.commit_paths(["front/moved.yaml"], "again") == (False, None)  # nothing changed


def test_commit_paths_leaves_out_ignored_paths_and_reports_git_errors(repo):
    r = git.Repo.find(repo / "records")
    (repo / "records" / ".gitignore").write_text("secret/\n")
    (repo / "records" / "secret").mkdir()
    (repo / "records" / "secret" / "pay.yaml").write_text("pay: 1\n")
    assert r.commit_paths(["secret/pay.yaml"], "x") == (False, None)
    (repo / ".git" / "index.lock").write_text("")
    (repo / "records" / "front" / "c.yaml").write_text("c: 1\n")
    done, problem = r.commit_paths(["front/c.yaml"], "c")
    assert not done and problem.startswith("fatal:") and "index.lock" in problem and "\n" not in problem


def test_operation_and_unmerged_paths(repo):
    r = git.Repo.find(repo)
    assert r.operation() is None and r.unmerged() == []
    _git(repo, "checkout", "-qb", "other")
    (repo / "records" / "front" / "a.yaml").write_text("a: other\n")
    _git(repo, "commit", "-qam", "other")
    _git(repo, "checkout", "-q", "main")
    (repo / "records" / "front" / "a.yaml").write_text("a: main\n")
    _git(repo, "commit", "-qam", "main")
    _git(repo, "merge", "other", check=False)
    assert r.operation() == "merge" and r.unmerged() == ["records/front/a.yaml"]
    _git(repo, "merge", "--abort")
    _git(repo, "-c", "sequence.editor=sed -i 1s/^pick/edit/", "rebase", "-q", "-i", "HEAD~1")
    assert r.operation() == "rebase"


def test_nested_repositories_own_their_files(repo):
    base = repo / "records"
    (base / "back" / "hr").mkdir(parents=True)
    assert git.nested_owner(base, "back/hr/x.yaml") == ""
    _git(base / "back" / "hr", "init", "-q")
    assert git.nested_owner(base, "back/hr/employees/x.yaml") == "back/hr"
    assert git.nested_owner(base, "front/a.yaml") == ""
    assert git.Repo.find(base / "back" / "hr").top == base / "back" / "hr"


def test_fetch_failure_is_one_line(repo, tmp_path):
    r = git.Repo.find(repo)
    _git(repo, "remote", "add", "origin", str(tmp_path / "nowhere.git"))
    problem = r.fetch("origin")
    assert problem and "\n" not in problem and "nowhere.git" in problem


# -- the CLI's autocommit, in-process -------------------------------------------------


def _autocommit_on(office):
    _git(office, "init", "-q")
    text = (office / "office.yaml").read_text().replace("autocommit: false", "autocommit: true")
    (office / "office.yaml").write_text(text)
    _git(office, "add", "-A")
    _git(office, "commit", "-qm", "init")


def test_cli_autocommit_one_commit_per_writing_command(office, cli):
    _autocommit_on(office)
    cli("doctor")  # a reader: no commit
    assert _git(office, "rev-list", "--count", "HEAD").strip() == "1"
    cli("customer", "add", "Μαρία Παπαδοπούλου", "--email", "maria@example.gr", user="sofia")
    body = _git(office, "log", "-1", "--format=%B|%an")
    assert body.startswith("customer add CUS-A-0001") and body.strip().endswith("|sofia")
    assert "created front/customers/CUS-A-0001.yaml" in body and "Officecli-User: sofia" in body
    cli("customer", "add", "Μαρία Άλλη", "--email", "maria@example.gr", code=1)  # refused: no commit
    assert _git(office, "rev-list", "--count", "HEAD").strip() == "2"
    assert _git(office, "status", "--porcelain").strip() == ""
    assert not (office / ".officecli" / "pending-commit.json").exists()


def test_cli_refuses_to_write_while_a_merge_is_stopped(office, cli):
    _autocommit_on(office)
    (office / ".git" / "MERGE_HEAD").write_text(_git(office, "rev-parse", "HEAD"))
    from tests.conftest import snapshot

    before = snapshot(office)
    res = cli("customer", "add", "Μαρία", "--email", "maria@example.gr", code=1)
    assert "middle of a merge" in res.stderr and "git merge --abort" in res.stderr
    assert snapshot(office) == before
    os.unlink(office / ".git" / "MERGE_HEAD")
