"""File-system edges and records writers must not act on (issue 11, items 4 and 6).

* ``ulimit -f``: the write fails with "File too large" naming the file, exit 1
  with one line, nothing changed and no temp file left anywhere;
* temp files a dead writer left are swept by the next writer (not a live one's);
* an ID in two folders: writers refuse, naming both files and what settles it;
  readers show one and say so on stderr;
* a record doctor calls broken (a conflict marker, a mistyped field): a writer
  that must act on it refuses, naming the file.

Every command runs as a real process through the hostile-tree property
(tests/hostile/harness.py).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time

from tests.hostile.harness import check, make_case, tree_state
from tests.robust.support import REPO, environ


def _limited(root, *args, limit=300):
    def preexec():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "officecli", "--root", str(root), *args],
        capture_output=True,
        text=True,
        env=environ(),
        cwd=REPO,
        timeout=60,
        preexec_fn=preexec,
    )


def _temps(root):
    return [os.path.join(f, n) for f, _, names in os.walk(root) for n in names if ".tmp-" in n]


def test_file_too_large_names_the_file_and_leaves_nothing(tmp_path):
    root, canary = make_case(tmp_path)
    check(root, canary, ("customer", "list"))  # a warm cache, as in real use
    before = tree_state(root, skip_state=True)
    res = _limited(root, "customer", "add", "A long name " * 40, "--email", "big@example.org")
    assert res.returncode == 1, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "File too large" in lines[0]
    assert "front/customers/CUS-A-" in lines[0] and ".yaml" in lines[0], lines[0]
    assert tree_state(root, skip_state=True) == before
    assert _temps(root) == []
    assert not os.listdir(root / ".officecli" / "txn")


def test_file_too_large_while_saving_the_cache_is_only_slower(tmp_path):
    root, canary = make_case(tmp_path)
    res = _limited(root, "ledger", "balance", limit=200)
    assert res.returncode == 0 and res.stderr == "", res.stderr
    assert _temps(root) == []


def _dead_pid() -> int:
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid += 1


def test_the_next_writer_sweeps_a_dead_writers_temp_files_but_not_a_live_ones(tmp_path):
    root, canary = make_case(tmp_path)
    check(root, canary, ("customer", "list"))  # makes .officecli/cache/
    cache = root / ".officecli" / "cache"
    dead = cache / f".front%2Fcustomers.marshal.tmp-{_dead_pid()}-0badf00d"
    live = cache / f".front%2Forders.marshal.tmp-{os.getpid()}-0badf00d"
    fresh = cache / f".back%2Fproducts.marshal.tmp-{_dead_pid()}-0badf00e"
    old = time.time() - 600
    for path, when in ((dead, old), (live, old), (fresh, time.time())):
        path.write_bytes(b"half a shard")
        os.utime(path, (when, when))
    check(root, canary, ("customer", "list"))  # a reader sweeps nothing
    assert dead.exists()
    res = check(root, canary, ("customer", "add", "Sweeper", "--email", "sweep@example.org"))
    assert res.returncode == 0, res.stderr
    assert not dead.exists(), "a dead writer's old temp file was left"
    assert live.exists(), "a live writer's temp file was swept"
    assert fresh.exists(), "a temp file a few seconds old was swept"


# -- an ID in two folders -------------------------------------------------------------------
def test_writers_refuse_an_order_in_two_folders_and_readers_say_so(tmp_path):
    root, canary = make_case(tmp_path)
    shutil.copy(root / "back/orders/shipped/ORD-A-0012.yaml", root / "back/orders/inbox/")
    both = ("back/orders/inbox/ORD-A-0012.yaml", "back/orders/shipped/ORD-A-0012.yaml")
    for args in [
        ("order", "invoice", "12"),
        ("order", "cancel", "12", "--reason", "dup"),
        ("order", "ship", "12"),
        ("complaint", "add", "--customer", "6", "--order", "12", "x"),
    ]:
        res = check(root, canary, args)
        assert res.returncode == 1, f"{args} acted on a record in two folders"
        assert all(p in res.stderr for p in both) and "officecli doctor" in res.stderr, res.stderr
    res = check(root, canary, ("order", "show", "12"))
    assert res.returncode == 0 and all(p in res.stderr for p in both), res.stderr
    res = check(root, canary, ("doctor",))
    assert res.returncode == 1 and "ORD-A-0012" in res.stdout
    os.unlink(root / both[0])  # the person keeps one
    assert check(root, canary, ("order", "invoice", "12")).returncode == 0


def test_a_writer_refuses_a_record_doctor_calls_broken(tmp_path):
    root, canary = make_case(tmp_path)
    order = root / "back/orders/inbox/ORD-A-0007.yaml"
    text = order.read_text()
    order.write_text(text.replace("customer: CUS-A-", "customer:\n- CUS-A-", 1))
    res = check(root, canary, ("order", "ship", "7"))
    assert res.returncode == 1 and "back/orders/inbox/ORD-A-0007.yaml" in res.stderr, res.stderr
    assert "customer" in res.stderr
    order.write_text(text + "<<<<<<< HEAD\n")
    res = check(root, canary, ("order", "ship", "7"))
    assert res.returncode == 1 and "back/orders/inbox/ORD-A-0007.yaml" in res.stderr, res.stderr
    order.write_text(text)
    assert check(root, canary, ("order", "ship", "7")).returncode == 0
