"""A sync that always recovers (issue 27, failures 9 and 10, and from 12 the unsettled push and
the HR repository left behind): real SIGKILLs at fixed points, a rejected push, an unsettled
state committed by hand, back/hr mid-merge. A bare remote and clones made with officecli's
own commands (tests/git/sites.py).

The kills are deterministic: ``$OFFICECLI_CRASH_AT`` (autocommit.crash_point) SIGKILLs sync
right after ``git merge`` left MERGE_HEAD; a ``pre-commit`` hook SIGKILLs sync and the
``git commit`` of the merge while git holds ``index.lock``.
"""

from __future__ import annotations

import shutil
import signal
import stat
import subprocess
import sys

import pytest

from tests.git.sites import assert_in_step, env, git, round_trip

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

LATER = "2026-11-03T10:00:00+02:00"
KILL_HOOK = """#!/bin/sh
# kill sync and the git commit it runs while git holds index.lock (once)
rm -f "$0"
gitpid=$PPID
py=$(awk '{print $4}' /proc/$gitpid/stat)
kill -9 "$py" "$gitpid"
sleep 5
"""


def _diverge(a, b):
    """Each site adds a customer; B pushes: A's next sync merges."""
    a.run("customer", "add", "Άννα", "--email", "anna@example.gr", now=LATER)
    b.run("customer", "add", "Βασίλης", "--email", "vasilis@example.gr", now=LATER)
    b.sync()


def _killed(res):
    assert res.returncode == -signal.SIGKILL, f"not killed: {res.returncode}\n{res.stdout}{res.stderr}"


def test_a_kill_after_git_merge_is_backed_out_by_the_next_sync(sites):
    a, b = sites
    _diverge(a, b)
    head = a.head()
    _killed(a.run("sync", ok=False, OFFICECLI_CRASH_AT="sync-merging"))
    assert (a.root / ".git" / "MERGE_HEAD").exists() and a.head() == head
    refused = a.run("customer", "add", "Γιώργος", "--email", "g@example.gr", ok=False)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert "killed half way" in refused.stderr and "officecli sync" in refused.stderr
    a.sync()  # backs the half merge out, then merges again and pushes
    assert not (a.root / ".git" / "MERGE_HEAD").exists()
    b.sync()
    assert_in_step(a, b)
    assert a.find("CUS-B-0001") and b.find("CUS-A-0002")


def test_doctor_names_a_killed_sync_and_repair_backs_it_out(sites):
    a, b = sites
    _diverge(a, b)
    _killed(a.run("sync", ok=False, OFFICECLI_CRASH_AT="sync-merging"))
    doctor = a.run("doctor", ok=False)
    assert doctor.returncode == 1 and "interrupted sync" in doctor.stdout + doctor.stderr
    repaired = a.run("doctor", "--repair", ok=False)
    assert "backed out the merge" in repaired.stdout + repaired.stderr
    assert not (a.root / ".git" / "MERGE_HEAD").exists() and a.git("status", "--porcelain") == ""
    a.run("customer", "add", "Γιώργος", "--email", "g@example.gr", now=LATER)  # writers work again
    round_trip([a, b])


def test_a_kill_while_git_commits_leaves_index_lock_and_is_recovered(sites):
    """A writer killed before its git commit leaves its change pending; sync commits it
    (git commit --only holds index.lock) and is killed there, with git, by a hook."""
    a, b = sites
    _diverge(a, b)
    _killed(
        a.run(
            "customer",
            "add",
            "Γιώργος",
            "--email",
            "g@example.gr",
            ok=False,
            OFFICECLI_CRASH_AT="before-git-commit",
        )
    )
    hook = a.root / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(KILL_HOOK)
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    _killed(a.run("sync", ok=False))
    lock = a.root / ".git" / "index.lock"
    assert lock.exists()
    refused = a.run("customer", "add", "Δήμητρα", "--email", "d@example.gr", ok=False)
    assert refused.returncode == 1 and "officecli doctor --repair" in refused.stderr
    res = a.run("sync", "-v")
    assert "removed index.lock" in res.stdout and "committed an earlier command's change" in res.stdout
    b.sync()
    assert_in_step(a, b)
    assert b.find("CUS-A-0003")


def test_a_kill_after_the_merge_commit_is_pushed_by_the_next_sync(sites):
    a, b = sites
    _diverge(a, b)
    _killed(a.run("sync", ok=False, OFFICECLI_CRASH_AT="sync-merged"))
    assert a.git("status", "--porcelain") == "" and len(a.git("log", "-1", "--format=%P").split()) == 2
    a.sync()
    b.sync()
    assert_in_step(a, b)


def test_a_rejected_push_is_fetched_merged_and_pushed_again(sites):
    """B pushes while A is between its merge and its push (a pre-push hook at A does it, once):
    the remote rejects A's push ("fetch first"); A fetches, merges with the same checks, pushes."""
    a, b = sites
    a.run("customer", "add", "Άννα", "--email", "anna@example.gr", now=LATER)
    b.run("customer", "add", "Βασίλης", "--email", "vasilis@example.gr", now=LATER)
    hook = a.root / ".git" / "hooks" / "pre-push"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(
        f'#!/bin/sh\nrm -f "$0"\ncd {b.root} && git push -q origin HEAD:main >/dev/null 2>&1\nexit 0\n'
    )
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    res = a.run("sync", "-v")
    assert "moved on meanwhile" in res.stdout and "pushed main to origin" in res.stdout
    assert a.find("CUS-B-0001")
    b.sync()
    assert_in_step(a, b)


def test_parallel_syncs_from_three_clones_all_succeed(tmp_path):
    from tests.git.sites import company

    sites = company(tmp_path, "ABC")
    for round_ in range(2):
        for s in sites:
            for i in range(2):
                s.run(
                    "customer", "add", f"Πελάτης {s.code}{round_}{i}", "--email", f"{s.code}{round_}{i}@x.gr"
                )
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "officecli", "sync", "-v"],
                cwd=s.root,
                env=env(s.home, OFFICECLI_USER=s.user),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for s in sites
        ]
        for s, p in zip(sites, procs):
            out, err = p.communicate(timeout=300)
            assert p.returncode == 0, f"[{s.code}] parallel sync failed: {err}{out}"
    for s in sites:
        s.sync()
    assert_in_step(*sites)
    assert len(sites[0].find("CUS-C-0004")) == 1


def test_a_locally_committed_unsettled_record_is_never_pushed(sites):
    a, b = sites
    a.run("customer", "edit", "1", "--email", "maria@shop.gr", now=LATER)
    b.run("customer", "edit", "1", "--email", "maria@warehouse.gr", now=LATER)
    a.sync()
    assert b.run("sync", "--keep", ok=False).returncode == 1
    b.git("add", "-A")
    b.git("commit", "-q", "--no-edit")  # committed as it is: an unsettled conflicts: entry
    remote_before = b.git("rev-parse", "origin/main").strip()
    res = b.run("sync", ok=False)
    assert res.returncode == 1 and res.stderr.count("\n") == 1, res.stderr
    assert "unsettled" in res.stderr and "CUS-A-0001" in res.stderr and "nothing pushed" in res.stderr
    bare = git(a.root.parent, a.home, "--git-dir", str(a.root.parent / "remote.git"), "rev-parse", "main")
    assert bare.stdout.strip() == remote_before
    # conflict markers committed by hand are refused the same way
    path = b.root / "front/customers/CUS-A-0001.yaml"
    path.write_text("<<<<<<< ours\nid: CUS-A-0001\n=======\nid: CUS-A-0001\n>>>>>>> theirs\n")
    b.git("commit", "-qam", "by hand")
    res = b.run("sync", ok=False)
    assert res.returncode == 1 and "conflict markers" in res.stderr


# -- HR at several sites ------------------------------------------------------------------

EMP = ["--office", "back", "--department", "warehouse", "--title", "Packer", "--start", "2026-10-01"]


def _hr_sites(sites, tmp_path, init_branch: str = "main"):
    """A makes HR's repository (pushed by sync); B joins it with the documented command."""
    a, b = sites
    hr_remote = tmp_path / "hr.git"
    git(tmp_path, a.home, "init", "-q", "--bare", str(hr_remote))
    a.run("hr", "git-init", "--remote", str(hr_remote))
    a.sync()
    b.run("hr", "git-init", "--remote", str(hr_remote))
    return hr_remote


def test_a_second_hr_site_joins_the_history_and_pay_reaches_payroll(sites, tmp_path):
    a, b = sites
    hr_remote = _hr_sites(sites, tmp_path)
    hr_a, hr_b = a.root / "back/hr", b.root / "back/hr"
    base = git(hr_a, a.home, "rev-list", "--max-parents=0", "HEAD").stdout
    assert git(hr_b, b.home, "rev-list", "--max-parents=0", "HEAD").stdout == base  # one history
    b.run("employee", "add", "Ελένη Δήμου", *EMP, "--salary", "1200.00", now=LATER)
    b.sync()
    a.sync()
    assert (hr_a / "pay" / "PAY-B-0001.yaml").exists()  # payroll's owner (site A) has it
    doctor = a.run("doctor", ok=False)
    assert "PAY-B-0001" not in doctor.stdout + doctor.stderr
    heads = git(tmp_path, a.home, "--git-dir", str(hr_remote), "branch", "--format=%(refname:short)").stdout
    assert heads.split() == ["main"]


def test_hr_on_master_and_main_is_named_and_joined_on_the_remotes_branch(sites, tmp_path):
    a, b = sites
    hr_remote = tmp_path / "hr.git"
    git(tmp_path, a.home, "init", "-q", "--bare", str(hr_remote))
    a.run("hr", "git-init")
    git(a.root / "back/hr", a.home, "branch", "-m", "master")  # made where git's default is master
    git(a.root / "back/hr", a.home, "remote", "add", "origin", str(hr_remote))
    git(a.root / "back/hr", a.home, "push", "-q", "origin", "master")
    git(tmp_path, a.home, "--git-dir", str(hr_remote), "symbolic-ref", "HEAD", "refs/heads/master")
    b.run("hr", "git-init", "--remote", str(hr_remote))
    assert git(b.root / "back/hr", b.home, "branch", "--show-current").stdout.strip() == "master"
    # a site on the other branch name is named by doctor and by sync, never "in step"
    git(a.root / "back/hr", a.home, "push", "-q", "origin", "master:main")
    a.run("sync", ok=False)
    doctor = a.run("doctor", ok=False)
    assert doctor.returncode == 1 and "main, master" in doctor.stdout + doctor.stderr
    res = a.run("sync", ok=False)
    assert res.returncode == 1 and "back/hr/" in res.stderr and "main, master" in res.stderr


def test_back_hr_killed_mid_merge_is_named_by_writers_and_recovered(sites, tmp_path):
    a, b = sites
    _hr_sites(sites, tmp_path)
    b.run("employee", "add", "Ελένη Δήμου", *EMP, "--salary", "1200.00", now=LATER)
    b.sync()
    a.run("employee", "edit", "EMP-A-0001", "--salary", "1100.00", now=LATER)
    _killed(a.run("sync", ok=False, OFFICECLI_CRASH_AT="sync-merging-nested"))
    assert (a.root / "back/hr/.git/MERGE_HEAD").exists()
    refused = a.run("employee", "add", "Νίκος Ρήγας", *EMP, "--salary", "900.00", ok=False)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert "back/hr/" in refused.stderr and "officecli sync" in refused.stderr
    assert not list((a.root / "back/staff/active").glob("EMP-A-0002.yaml"))  # nothing written
    a.sync()
    b.sync()
    assert not (a.root / "back/hr/.git/MERGE_HEAD").exists()
    assert (a.root / "back/hr/pay/PAY-B-0001.yaml").exists()
    assert_in_step(a, b)


def test_hr_is_synced_while_the_company_sync_stops(sites, tmp_path):
    a, b = sites
    hr_remote = _hr_sites(sites, tmp_path)
    a.run("employee", "edit", "EMP-A-0001", "--salary", "1100.00", now=LATER)
    (a.root / "office.yaml").write_text((a.root / "office.yaml").read_text() + "# a hand edit\n")
    res = a.run("sync", ok=False)
    assert res.returncode == 1
    lines = res.stderr.strip().splitlines()
    assert any("not committed" in ln for ln in lines)
    assert any("back/hr/" in ln and "in step" in ln for ln in lines), res.stderr
    pushed = git(tmp_path, a.home, "--git-dir", str(hr_remote), "log", "-1", "--format=%s", "main").stdout
    assert pushed.startswith("employee edit")


def test_a_pay_record_made_at_another_site_is_never_asked_for_twice(sites):
    """Without HR's repository B's pay record stays at B: A's doctor says where it is made
    and how it arrives, never to make a second one at A."""
    a, b = sites
    b.run("employee", "add", "Ελένη Δήμου", *EMP, "--salary", "1200.00", now=LATER)
    b.sync()
    a.sync()
    doctor = a.run("doctor", ok=False)
    said = [ln for ln in (doctor.stdout + doctor.stderr).splitlines() if "EMP-B-0001" in ln]
    assert said and "made at site B" in said[0] and "hr git-init --remote" in said[0]
    assert "employee edit EMP-B-0001 --salary" not in said[0]
