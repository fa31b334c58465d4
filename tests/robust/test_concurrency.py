"""Several real writer processes at once, readers beside them, and a writer that waits too long.

Writers take one lock (``.officecli/lock``, flock): IDs are allocated under it, so
four processes writing at the same moment never collide and never lose a record.
Readers take no lock: every file they read is a whole old or new version
(temp file + rename), so a listing never fails and never shows half a record.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from officecli.store import yamlio
from tests.conftest import snapshot
from tests.robust.support import REPO, assert_healthy, copy_sample, environ, inproc, numbers, officecli

WRITER = r"""
import json, os, subprocess, sys, time
root, w, count, mode, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
if mode == "inproc":
    from click.testing import CliRunner
    from officecli.cli import cli
def run(*args):
    if mode == "proc":
        r = subprocess.run([sys.executable, "-m", "officecli", "--root", root, *args],
                           capture_output=True, text=True)
        return [r.returncode, r.stdout, r.stderr]
    r = CliRunner().invoke(cli, ["--root", root, *args])
    return [r.exit_code, r.stdout, r.stderr]
while not os.path.exists(go):          # everybody starts at the same moment
    time.sleep(0.005)
out = []
for n in range(count):
    tag = f"W{w}-{n:02d}"
    if n % 3 == 0:
        out.append(["customer", tag, *run("customer", "add", tag)])
    elif n % 3 == 1:
        res = run("order", "add", "--customer", "CUS-A-0001", "--note", tag, "MUG-SAN:1")
        out.append(["order", tag, *res])
        if res[0] == 0:
            out.append(["forward", tag, *run("order", "forward", res[1].split()[0])])
    else:
        out.append(["post", tag, *run("ledger", "post", tag, "Expenses:Other", "1.00", "Assets:Cash")])
print(json.dumps(out))
"""

READER = r"""
import json, os, sys
from pathlib import Path
from click.testing import CliRunner
from officecli.cli import cli
from officecli.store import yamlio
root, stop = sys.argv[1], sys.argv[2]
reads, raw, problems = 0, 0, []
while not os.path.exists(stop) and len(problems) < 5:
    r = CliRunner().invoke(cli, ["--root", root, "order", "list", "--format", "json"])
    reads += 1
    if r.exit_code != 0:
        problems.append(f"exit {r.exit_code}: {r.stderr or r.stdout}")
        continue
    try:
        rows = json.loads(r.stdout)
    except ValueError as exc:
        problems.append(f"not JSON: {exc}: {r.stdout[:200]!r}")
        continue
    ids = [row.get("id") for row in rows]
    if len(ids) != len(set(ids)):
        problems.append(f"a record listed twice: {sorted(i for i in ids if ids.count(i) > 1)}")
    for row in rows:
        if not (row.get("id") and row.get("state") and row.get("customer") and row.get("created")
                and row.get("lines") and all(l.get("sku") and l.get("qty") for l in row["lines"])):
            problems.append(f"incomplete record: {row}")
    if reads % 3 == 0:                 # and the raw files: each parses, whole
        for path in [p for top in ("front", "back", "archive") for p in Path(root, top).rglob("*.yaml")]:
            try:
                text = path.read_text("utf-8")
            except FileNotFoundError:  # moved on between listing and reading: fine
                continue
            raw += 1
            try:
                data = yamlio.loads(text)
            except Exception as exc:
                problems.append(f"{path}: torn: {exc}")
                continue
            key = data.get("id") or data.get("sku") or data.get("month") if isinstance(data, dict) else None
            if not key or not text.endswith("\n") or path.stem != str(key):
                problems.append(f"{path}: incomplete: {text[:200]!r}")
print(json.dumps({"reads": reads, "raw": raw, "problems": problems}))
"""


def _spawn(script: str, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environ(**env),
    )


def _reserved(root: Path, sku: str) -> int:
    rows = json.loads(inproc(root, "stock", "list", "--format", "json").stdout)
    return next(r["reserved"] for r in rows if r["sku"] == sku)


def hammer(root: Path, writers: int, count: int, mode: str, readers: int) -> None:
    go, stop = root.parent / "go", root.parent / "stop"
    orders_before = numbers(root, "ORD")
    reserved_before = _reserved(root, "MUG-SAN")
    procs = [_spawn(WRITER, root, w, count, mode, go, OFFICECLI_LOCK_TIMEOUT="300") for w in range(writers)]
    looks = [_spawn(READER, root, stop) for _ in range(readers)]
    time.sleep(0.5 if mode == "inproc" else 0.2)  # let them import, then all go at once
    go.touch()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
        results.append(json.loads(out))
    stop.touch()
    for p in looks:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        seen = json.loads(out)
        assert seen["problems"] == [], seen["problems"]
        assert seen["reads"] >= 3, f"the reader hardly read while writers ran: {seen}"

    steps = [step for res in results for step in res]
    failed = [s for s in steps if s[2] != 0]
    assert failed == [], failed
    made = {kind: [s[3].split()[0] for s in steps if s[0] == kind] for kind in ("customer", "order", "post")}
    per_kind = {"customer": -(-count // 3), "order": (count + 1) // 3, "post": count // 3}
    for kind, ids in made.items():
        assert len(ids) == len(set(ids)) == writers * per_kind[kind], f"{kind}: {ids}"

    # every record is there, once, whole, where it belongs
    customers = [r["name"] for r in json.loads(inproc(root, "customer", "list", "--format", "json").stdout)]
    tags = {s[1] for s in steps}
    for s in steps:
        if s[0] == "customer":
            assert customers.count(s[1]) == 1, s
    inbox = {p.stem: yamlio.loads(p.read_text("utf-8")) for p in (root / "back/orders/inbox").glob("*.yaml")}
    for oid in made["order"]:
        assert oid in inbox, f"{oid} is not in the back office's inbox"
        assert [h["action"] for h in inbox[oid]["history"]] == ["add", "forward"]
        assert inbox[oid]["note"] in tags
    posted = [yamlio.loads(p.read_text("utf-8")) for p in (root / "back/ledger").rglob("*.yaml")]
    by_tag = [t["description"] for t in posted if t.get("description") in tags]
    assert sorted(by_tag) == sorted(s[1] for s in steps if s[0] == "post")
    # numbers are dense: no two writers took the same one, none was skipped
    for prefix in ("CUS", "ORD", "TXN"):
        got = numbers(root, prefix)
        assert got == list(range(1, len(got) + 1)), f"{prefix}: {got}"
    assert len(numbers(root, "ORD")) == len(orders_before) + len(made["order"])
    assert _reserved(root, "MUG-SAN") == reserved_before + len(made["order"])
    for path in [p for top in ("front", "back", "archive") for p in (root / top).rglob("*.yaml")]:
        assert isinstance(yamlio.loads(path.read_text("utf-8")), dict), path
    assert_healthy(root)


def test_four_writers_at_once_lose_nothing_and_readers_see_whole_files(tmp_path):
    """4 processes x 15 writes (customer add / order add + forward / ledger post) at the same
    moment, two readers listing orders as JSON in a loop all the while."""
    root = copy_sample(tmp_path / "office")
    hammer(root, writers=4, count=15, mode="inproc", readers=2)


@pytest.mark.slow
def test_four_writers_each_command_its_own_process(tmp_path):
    """The same, with every single write its own `officecli` process (as from a shell)."""
    root = copy_sample(tmp_path / "office")
    hammer(root, writers=4, count=15, mode="proc", readers=2)


HOLDER = r"""
import sys, time
from officecli.office.core import Office
o = Office.open(sys.argv[1], "holder")
with o.change():
    o.create("customer", {"id": o.new_id("customer"), "name": "Never written"})
    print("holding", flush=True)
    time.sleep(60)
"""


def test_a_writer_blocked_past_the_lock_timeout_names_the_holder_and_changes_nothing(tmp_path):
    root = copy_sample(tmp_path / "office")
    holder = _spawn(HOLDER, root)
    try:
        assert holder.stdout.readline().strip() == "holding", holder.stderr.read()
        before = snapshot(root)
        started = time.monotonic()
        res = officecli(root, "customer", "add", "Περιμένει", OFFICECLI_LOCK_TIMEOUT="1")
        waited = time.monotonic() - started
        assert res.returncode == 1, res.stdout + res.stderr
        err = res.stderr.strip()
        assert "\n" not in err and "Traceback" not in err, err
        assert f"pid {holder.pid}" in err and "locked" in err, err
        assert res.stdout == ""
        assert waited >= 1, waited  # it waited out OFFICECLI_LOCK_TIMEOUT, not gave up at once
        assert snapshot(root) == before
        # readers are never blocked by a writer
        assert inproc(root, "customer", "list").exit_code == 0
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    # the kernel dropped the dead holder's lock; its change never happened
    res = officecli(root, "customer", "add", "Μετά")
    assert res.returncode == 0, res.stderr
    names = [r["name"] for r in json.loads(inproc(root, "customer", "list", "--format", "json").stdout)]
    assert "Never written" not in names and "Μετά" in names
    assert_healthy(root)


def test_a_record_moved_while_a_reader_lists_it_is_read_in_its_new_folder(tmp_path):
    """The race the concurrent readers above hit now and then, made to happen every time:
    a writer forwards an order after a reader listed front/orders/open but before it read
    the file. The reader lists again instead of failing with 'no such file'."""
    from officecli.office.core import Office

    root = copy_sample(tmp_path / "office")
    reader, writer = Office(root, "reader"), Office(root, "writer")
    listed = reader.store.glob

    def list_then_move(pattern, suffix=".yaml"):
        out = listed(pattern, suffix)
        if pattern == "front/orders/open" and not writer.log:
            with writer.change():
                writer.handoff(writer.get("order", "ORD-A-0009"), "forward")
        return out

    reader.store.glob = list_then_move
    rows = reader.records("order")
    ids = [r.id for r in rows]
    assert len(ids) == len(set(ids))
    assert {r.id: r.state for r in rows}["ORD-A-0009"] == "inbox"
    assert reader.get("order", "ORD-A-0009").state == "inbox"


def test_a_record_moved_back_to_a_folder_already_listed_is_not_missed(tmp_path):
    """A complaint resumed (waiting -> working) after the reader listed working but before
    it listed waiting is in neither listing: the reader notices and lists again."""
    from officecli.office.core import Office

    root = copy_sample(tmp_path / "office")
    reader, writer = Office(root, "reader"), Office(root, "writer")
    listed = reader.store.glob

    def list_then_move(pattern, suffix=".yaml"):
        out = listed(pattern, suffix)
        if pattern == "back/complaints/working" and not writer.log:
            with writer.change():
                writer.handoff(writer.get("complaint", "CMP-A-0006"), "resume")
        return out

    reader.store.glob = list_then_move
    states = {r.id: r.state for r in reader.records("complaint")}
    assert states.get("CMP-A-0006") == "working"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_concurrent_writers_with_git_autocommit_each_commit_their_own_change(tmp_path):
    """With git.autocommit on, a writer keeps the lock until it has committed: no two
    processes run git at once (index.lock) and none commits another's change as its own."""
    root = copy_sample(tmp_path / "office")
    text = (root / "office.yaml").read_text("utf-8").replace("autocommit: false", "autocommit: true")
    (root / "office.yaml").write_text(text, "utf-8")

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "start")
    go = tmp_path / "go"
    procs = [_spawn(WRITER, root, w, 4, "inproc", go, OFFICECLI_LOCK_TIMEOUT="300") for w in range(4)]
    time.sleep(0.5)
    go.touch()
    steps = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
        steps += json.loads(out)
    assert [s for s in steps if s[2] != 0 or s[4]] == [], "a write failed or warned"
    assert git("status", "--porcelain") == ""
    subjects = git("log", "--format=%s", f"-{len(steps) + 1}").splitlines()
    assert len(subjects) == len(steps) + 1 and subjects[-1] == "start"
    for sha in git("rev-list", f"-{len(steps)}", "HEAD").split():
        subject = git("log", "-1", "--format=%s", sha)
        files = git("show", "--name-only", "--format=", sha).split()
        ident = re.search(r"[A-Z]{3}-A-\d{4}", subject).group(0)
        # its own record, and for a ledger post or forward nothing of another command's
        assert any(ident in f for f in files), (subject, files)
        assert not [f for f in files if "customers/" in f and ident not in f], (subject, files)
