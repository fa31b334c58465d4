"""One writer at a time: a second writer waits, then gives up naming the holder's pid."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from officecli.store.errors import UserError
from officecli.store.tree import Store

HOLDER = r"""
import sys, time
from officecli.store.tree import Store
with Store(sys.argv[1], who="holder").locked():
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _hold(root: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(root), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_second_writer_gives_up_naming_the_holder(tmp_path):
    proc = _hold(tmp_path, 30)
    try:
        started = time.monotonic()
        with pytest.raises(UserError) as err:
            with Store(tmp_path, lock_timeout=0.4).locked():
                pass
        assert time.monotonic() - started >= 0.4
        assert f"pid {proc.pid}" in str(err.value) and "holder" in str(err.value)
    finally:
        proc.kill()
        proc.wait()


def test_waiting_writer_gets_the_lock_when_the_holder_finishes(tmp_path):
    proc = _hold(tmp_path, 0.6)
    started = time.monotonic()
    with Store(tmp_path, lock_timeout=20).locked():
        assert time.monotonic() - started >= 0.4, "got the lock while the holder still had it"
    proc.wait()


def test_a_killed_holder_never_leaves_the_tree_locked(tmp_path):
    proc = _hold(tmp_path, 60)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store(tmp_path, lock_timeout=1).locked():
        pass
