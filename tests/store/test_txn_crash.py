"""Transactions are all or nothing across a real SIGKILL at every step of a commit."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from officecli.office.core import Office
from tests.conftest import snapshot

WRITER = r"""
import sys
from decimal import Decimal
from officecli.office.core import Office
from officecli.office.books import ledger
o = Office.open(sys.argv[1], "crasher")
with o.change("two handoffs and a posting"):
    o.handoff(o.get("order", "1"), "forward", note="crash test")
    o.handoff(o.get("order", "2"), "forward")
    ledger.post(o, "2026-11-02", "Capital", [("Assets:Bank", Decimal("100.00")), ("Equity:Capital", None)])
"""

LOOP_WRITER = r"""
import sys
from officecli.office.core import Office
o = Office.open(sys.argv[1], "looper")
n = 0
while True:
    n += 1
    with o.change():
        o.create("customer", {"id": o.new_id("customer"), "name": f"pair {sys.argv[2]}.{n} a"})
        o.create("customer", {"id": o.new_id("customer"), "name": f"pair {sys.argv[2]}.{n} b"})
"""

POINTS = ["staged", "journaled", "moved:0", "applied:1", "moved:1", "applied:2", "applied:3"]


def _two_orders(root: Path) -> None:
    o = Office(root, "setup")
    with o.change():
        o.create("customer", {"id": o.new_id("customer"), "name": "Μαρία"})  # the orders' customer
        for _ in range(2):
            o.create(
                "order",
                {
                    "id": o.new_id("order"),
                    "customer": "CUS-A-0001",
                    "lines": [{"sku": "MUG", "qty": 1, "price": "9.00", "vat": "24"}],
                },
            )


def _run(script: str, root: Path, env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", script, str(root), *args],
        env={**os.environ, **env},
        cwd=Path(__file__).parents[2],
    )


def _states(root: Path) -> tuple[list[str], list[str]]:
    opened = sorted(p.name for p in (root / "front/orders/open").glob("*.yaml"))
    inbox = sorted(p.name for p in (root / "back/orders/inbox").glob("*.yaml"))
    return opened, inbox


@pytest.mark.parametrize("point", POINTS)
def test_sigkill_at_every_step_then_recovery_is_all_or_nothing(office, point):
    _two_orders(office)
    before = snapshot(office)
    proc = _run(WRITER, office, {"OFFICECLI_CRASH_AT": point})
    assert proc.wait(timeout=60) == -signal.SIGKILL
    txns = list((office / ".officecli/txn").iterdir())
    assert len(txns) == 1, "the killed writer left its transaction folder"

    o = Office(office, "next")
    with o.change():  # the next writer finishes or undoes it first
        pass
    assert o.store.notes, "recovery said nothing"
    assert not list((office / ".officecli/txn").iterdir())

    opened, inbox = _states(office)
    ledger = list((office / "back/ledger").rglob("*.yaml"))
    if point == "staged":  # before the commit point: nothing happened
        assert snapshot(office) == before
        assert "undid" in o.store.notes[0]
    else:  # after it: everything happened, exactly once
        assert opened == [] and inbox == ["ORD-A-0001.yaml", "ORD-A-0002.yaml"]
        assert len(ledger) == 1
        text = (office / "back/orders/inbox/ORD-A-0001.yaml").read_text()
        assert text.count("action: forward") == 1 and "note: crash test" in text
        assert "finished" in o.store.notes[0]
    leftovers = [p for p in office.rglob("*") if ".tmp-" in p.name]
    assert leftovers == []


def test_doctor_reports_then_repairs_an_interrupted_transaction(office, cli):
    _two_orders(office)
    proc = _run(WRITER, office, {"OFFICECLI_CRASH_AT": "moved:1"})
    assert proc.wait(timeout=60) == -signal.SIGKILL
    res = cli("doctor", code=1)
    assert "interrupted transaction (committed, not applied)" in res.stdout
    res = cli("doctor", "--repair")
    assert "repaired: finished interrupted transaction" in res.stdout
    assert _states(office) == ([], ["ORD-A-0001.yaml", "ORD-A-0002.yaml"])
    cli("doctor")


@pytest.mark.slow
def test_random_sigkills_never_leave_half_a_transaction(office):
    """Kill a busy writer at random moments, 25 times: every pair is whole or absent."""
    rng = random.Random(7)
    for run in range(25):
        proc = _run(LOOP_WRITER, office, {}, str(run))
        time.sleep(rng.uniform(0.3, 0.9))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        o = Office(office, "check")
        with o.change():
            pass
        names = [r.data["name"] for r in o.records("customer")]
        pairs: dict[str, int] = {}
        for name in names:
            key = name.rsplit(" ", 1)[0]
            pairs[key] = pairs.get(key, 0) + 1
        assert all(v == 2 for v in pairs.values()), f"half a transaction: {pairs}"
    assert len(names) > 10


def test_removing_a_record_that_is_a_link_reads_nothing_through_it(tmp_path):
    from officecli.store.errors import UserError
    from officecli.store.tree import Store

    root = tmp_path / "office"
    (root / "front/orders/open").mkdir(parents=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("not a record")
    (root / "front/orders/open/ORD-A-0001.yaml").symlink_to(secret)
    store = Store(root)
    t = store.new_transaction()
    with pytest.raises(UserError):
        t.remove("front/orders/open/ORD-A-0001.yaml")
    assert not t.ops
