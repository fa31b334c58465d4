"""Autocommit commits exactly a command's own change, or says so and keeps it pending.

Real clones (tests/git/sites.py), officecli as real processes.
"""

from __future__ import annotations

import json
import shutil
import signal

import pytest

from tests.git.sites import company, round_trip

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def site(tmp_path):
    (a,) = company(tmp_path, "A")
    return a


def _files(site, rev="HEAD") -> list[str]:
    return site.git("show", "--name-only", "--no-renames", "--format=", rev).split()


@pytest.mark.slow
def test_a_commit_holds_the_command_its_records_and_trailers(site):
    site.run("customer", "add", "Μαρία", "--email", "maria@example.gr")
    site.run("customer", "add", "Μαρία Άλλη", "--email", "maria@example.gr", ok=False)  # refused
    site.run("product", "add", "MUG-01", "--name", "Κούπα", "--price", "12.50")
    site.run("stock", "receive", "MUG-01", "10", "--cost", "4.00")
    site.run("order", "add", "--customer", "1", "MUG-01:2")
    site.run("order", "forward", "1")
    body = site.git("log", "-1", "--format=%B")
    subject = body.splitlines()[0]
    assert subject.startswith("order forward ORD-A-0001") and len(subject) < 72
    assert "moved   front/orders/open/ORD-A-0001.yaml -> back/orders/inbox/ORD-A-0001.yaml" in body
    assert "Officecli-Site: A\n" in body and "Officecli-User: user-a\n" in body
    assert "Officecli-Records: ORD-A-0001" in body
    assert sorted(_files(site)) == ["back/orders/inbox/ORD-A-0001.yaml", "front/orders/open/ORD-A-0001.yaml"]
    assert site.git("log", "-1", "--format=%an").strip() == "user-a"
    assert site.git("status", "--porcelain") == ""


def test_a_stray_file_and_a_hand_edit_are_never_swept_in(site):
    (site.root / "front/customers/notes.txt").write_text("a stray file\n", "utf-8")
    text = (site.root / "office.yaml").read_text("utf-8")
    (site.root / "office.yaml").write_text(text + "# a hand edit\n", "utf-8")
    (site.root / "scratch.yaml").write_text("x: 1\n", "utf-8")
    site.git("add", "scratch.yaml")  # even one staged by hand
    site.run("customer", "add", "Μαρία", "--email", "maria@example.gr")
    assert _files(site) == ["front/customers/CUS-A-0001.yaml"]
    status = site.git("status", "--porcelain")
    assert " M office.yaml" in status and "?? front/customers/notes.txt" in status
    assert "A  scratch.yaml" in status


def test_a_stale_index_lock_keeps_the_change_pending_for_the_next_writer(site):
    lock = site.root / ".git" / "index.lock"
    lock.write_text("")
    head = site.head()
    res = site.run("customer", "add", "Μαρία", "--email", "maria@example.gr", ok=False)
    err = res.stderr.strip()
    assert res.returncode == 1 and "index.lock" in err and "\n" not in err
    assert (site.root / "front/customers/CUS-A-0001.yaml").exists() and site.head() == head
    pending = json.loads((site.root / ".officecli/pending-commit.json").read_text("utf-8"))
    assert pending["paths"] == ["front/customers/CUS-A-0001.yaml"]
    doctor = site.run("doctor", ok=False)
    assert doctor.returncode == 1 and "pending-commit.json" in doctor.stdout
    again = site.run("customer", "add", "Νίκος", "--email", "nikos@example.gr", ok=False)
    assert again.returncode == 1 and "still not committed" in again.stderr
    assert not (site.root / "front/customers/CUS-A-0002.yaml").exists()  # refused first
    lock.unlink()
    site.run("customer", "add", "Νίκος", "--email", "nikos@example.gr")
    subjects = site.subjects(2)
    assert subjects[1].startswith("customer add CUS-A-0001") and subjects[0].startswith(
        "customer add CUS-A-0002"
    )
    assert _files(site, "HEAD~1") == ["front/customers/CUS-A-0001.yaml"]
    assert _files(site) == ["front/customers/CUS-A-0002.yaml"]
    assert not (site.root / ".officecli/pending-commit.json").exists()
    assert site.git("status", "--porcelain") == ""


@pytest.mark.slow
def test_sigkill_between_the_change_and_the_commit_is_committed_later(site):
    res = site.run(
        "customer",
        "add",
        "Μαρία",
        "--email",
        "maria@example.gr",
        ok=False,
        OFFICECLI_CRASH_AT="before-git-commit",
    )
    assert res.returncode == -signal.SIGKILL
    assert (site.root / "front/customers/CUS-A-0001.yaml").exists()
    assert "CUS-A-0001" in site.git("status", "--porcelain", "--untracked-files=all")
    repaired = site.run("doctor", "--repair")
    assert "committed a command's pending change to git: customer add CUS-A-0001" in repaired.stdout
    assert site.subjects(1)[0].startswith("customer add CUS-A-0001")
    assert site.git("status", "--porcelain") == ""


def test_sigkill_then_the_next_writer_commits_it_first(site):
    site.run(
        "customer",
        "add",
        "Μαρία",
        "--email",
        "maria@example.gr",
        ok=False,
        OFFICECLI_CRASH_AT="before-git-commit",
    )
    site.run("customer", "add", "Νίκος", "--email", "nikos@example.gr")
    newest, before = site.subjects(2)
    assert newest.startswith("customer add CUS-A-0002") and before.startswith("customer add CUS-A-0001")
    assert site.git("status", "--porcelain") == ""


def test_a_command_during_a_stopped_rebase_is_refused(site):
    site.run("customer", "add", "Μαρία", "--email", "maria@example.gr")
    site.run("customer", "add", "Νίκος", "--email", "nikos@example.gr")
    site.git("-c", "sequence.editor=sed -i 1s/^pick/edit/", "rebase", "-q", "-i", "HEAD~1")
    before = site.git("status", "--porcelain", "--untracked-files=all")
    res = site.run("customer", "add", "Ελένη", "--email", "eleni@example.gr", ok=False)
    assert res.returncode == 1 and "middle of a rebase" in res.stderr and "git rebase --abort" in res.stderr
    assert res.stderr.count("\n") == 1
    assert site.git("status", "--porcelain", "--untracked-files=all") == before
    assert not (site.root / "front/customers/CUS-A-0003.yaml").exists()
    assert "rebase" in site.run("sync", ok=False).stderr
    site.git("rebase", "--abort")
    site.run("customer", "add", "Ελένη", "--email", "eleni@example.gr")


@pytest.mark.slow
def test_two_sites_and_a_pending_commit_synced(tmp_path):
    a, b = company(tmp_path)
    lock = b.root / ".git" / "index.lock"
    lock.write_text("")
    b.run("customer", "add", "Μαρία", "--email", "maria@example.gr", ok=False)
    lock.unlink()
    res = b.run("sync", "-v")
    assert "committed an earlier command's change: customer add CUS-B-0001" in res.stdout
    round_trip([a, b])
    assert a.find("CUS-B-0001") == ["front/customers/CUS-B-0001.yaml"]


def test_pay_is_committed_to_the_nested_hr_repository_and_synced_there(site, tmp_path):
    from tests.git.sites import git

    hr_remote = tmp_path / "hr.git"
    git(tmp_path, site.home, "init", "-q", "--bare", str(hr_remote))
    site.run("hr", "git-init", "--remote", str(hr_remote))
    hr = site.root / "back/hr"
    site.run(
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
    company_files = site.git("show", "--name-only", "--format=", "HEAD").split()
    assert company_files and not [f for f in company_files if f.startswith("back/hr/")]
    hr_files = git(hr, site.home, "show", "--name-only", "--format=%s", "HEAD").stdout.split("\n")
    assert hr_files[0].startswith("employee add") and any(f.startswith("pay/PAY-") for f in hr_files)
    assert git(hr, site.home, "status", "--porcelain").stdout == ""
    site.run("sync")
    pushed = git(tmp_path, site.home, "--git-dir", str(hr_remote), "log", "--format=%s", "main").stdout
    assert pushed.startswith("employee add")
