"""A transaction of many files (an import) is staged with one syncfs instead of an fsync
per file, and stays all or nothing across a real SIGKILL at each step of its commit; numbers
handed out by new_id in one big change are marked used once, after the commit."""

from __future__ import annotations

import signal

import pytest

from officecli.office.core import Office
from officecli.store import fsio
from tests.conftest import snapshot
from tests.store.test_txn_crash import _run

N = fsio.BATCH * 3
BULK = rf"""
import sys
from officecli.office.core import Office
o = Office.open(sys.argv[1], "bulk")
with o.change("bulk"):
    for i in range({N}):
        o.create("customer", {{"id": o.new_id("customer"), "name": f"c{{i}}"}})
"""


@pytest.mark.parametrize("point", ["staged", "journaled", f"applied:{N // 2}"])
def test_a_bulk_change_killed_at_each_step_is_all_or_nothing(office, point):
    before = snapshot(office)
    proc = _run(BULK, office, {"OFFICECLI_CRASH_AT": point})
    assert proc.wait(timeout=120) == -signal.SIGKILL
    o = Office(office, "next")
    with o.change():
        pass
    made = sorted(p.name for p in (office / "front/customers").glob("*.yaml"))
    if point == "staged":
        assert snapshot(office) == before
    else:
        assert made == [f"CUS-A-{i:04d}.yaml" for i in range(1, N + 1)]


def test_a_bulk_change_is_staged_with_one_sync(office, monkeypatch):
    calls = []
    real = fsio._syncfs
    monkeypatch.setattr(fsio, "_syncfs", lambda folder: calls.append(folder) or real(folder))
    o = Office(office, "bulk")
    with o.change():
        ids = []
        for i in range(N):
            ids.append(o.new_id("customer"))
            o.create("customer", {"id": ids[-1], "name": f"c{i}"})
    assert len(calls) == 1 and len(set(ids)) == N
    again = Office(office, "next")
    with again.change():  # numbers taken are used: the next one follows the last
        assert again.new_id("customer") == f"CUS-A-{N + 1:04d}"
