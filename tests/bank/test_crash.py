"""SIGKILL during `bank match` (real processes): nothing is ever half-matched.

A statement pays 16 invoices by their RF references. `bank match` runs as its
own process and is killed -- at the durable steps of its first match's
transaction ($OFFICECLI_CRASH_AT, see store/txn.py), and by os.kill at seeded
random moments while it works through the lines. After each kill, recovery
(`doctor --repair`) and then: every matched line names exactly the payments
it posted, no payment exists that no matched line names, every invoice's
folder agrees with the ledger (ledger check), and a bank line is either
matched with its payment or unmatched without one. The next run finishes the
work; at the end every invoice is paid exactly once.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.bank.conftest import END_OF_MONTH, invoice
from tests.conftest import load
from tests.robust.support import REPO, environ, inproc

N = 16


def statement(refs: list[tuple[str, str]]) -> str:
    """An MT940 statement paying each (RF reference, amount) on its own line."""
    lines = [
        "{1:F01PIRBGRAAAXXX0000000000}{2:I940KERAMIKAXXXXN}{4:",
        ":20:PIR261130",
        ":25:GR9301720000000000012345678",
        ":28C:00050/001",
        ":60F:C261031EUR1000,00",
    ]
    total = 1000 * 100
    for i, (ref, amount) in enumerate(refs, 1):
        cents = int(amount.replace(".", ""))
        total += cents
        lines.append(f":61:261120{'1120'}C{amount.replace('.', ',')}NTRFNONREF//PB2611200{i:04d}")
        lines.append(f":86:166?00SEPA CREDIT TRANSFER?20{ref}?32CUSTOMER {i}")
    lines.append(f":62F:C261130EUR{total // 100},{total % 100:02d}")
    lines.append("-}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def many(cli, shop, clock, tmp_path):
    clock.set("2026-11-02T10:00:00+02:00")
    cli("stock", "receive", "MUG", "100", "--cost", "4.00")
    extra = [invoice(cli, 1 + i % 3, 1 + i % 4) for i in range(N - 3)]
    clock.set(END_OF_MONTH)
    refs = []
    for inv in ["INV-A-0001", "INV-A-0002", "INV-A-0003", *extra]:
        data = load(shop, f"back/invoices/open/{inv}.yaml")
        refs.append((data["reference"], data["gross"]))
    path = tmp_path / "statement.sta"
    path.write_text(statement(refs))
    cli("bank", "import", path)
    return shop


def run(root: Path, *args: str, **extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "officecli", "--root", str(root), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environ(OFFICECLI_NOW=END_OF_MONTH, **extra),
        cwd=REPO,
    )


def whole(root: Path) -> int:
    """Recover, then check that nothing is half-matched; the number of matched lines."""
    res = inproc(root, "doctor", "--repair", now=END_OF_MONTH)
    assert res.exit_code in (0, 1), res.output
    for check in (("doctor",), ("ledger", "check")):
        res = inproc(root, *check, now=END_OF_MONTH)
        assert res.exit_code == 0, res.output
    named: list[str] = []
    matched = 0
    for path in root.glob("back/bank/**/BNK-*.yaml"):
        line = load(root, str(path.relative_to(root)))
        if "/matched/" in str(path):
            matched += 1
            assert line.get("txns") and line.get("paid"), path
            named += line["txns"]
        else:
            assert not line.get("txns") and not line.get("paid"), path
    payments = []
    for path in root.glob("back/ledger/**/TXN-*.yaml"):
        txn = load(root, str(path.relative_to(root)))
        if txn.get("kind") == "payment":
            payments.append(txn["id"])
    assert sorted(named) == sorted(payments), "a payment no matched line names, or the reverse"
    assert len(set(named)) == len(named)
    return matched


def test_killed_at_each_durable_step_of_a_match(many):
    proc = run(many, "bank", "match", OFFICECLI_CRASH_AT="journaled")
    assert proc.wait(timeout=120) == -signal.SIGKILL
    (txn,) = (many / ".officecli/txn").iterdir()
    ops = json.loads((txn / "journal.json").read_text("utf-8"))["ops"]
    assert [op["op"] for op in ops].count("move") >= 3  # the invoice, its order, the bank line
    whole(many)
    points = ["staged"]
    for i, op in enumerate(ops):
        if op["op"] == "move":
            points.append(f"moved:{i}")
        points.append(f"applied:{i + 1}")
    for point in points:
        proc = run(many, "bank", "match", OFFICECLI_CRASH_AT=point)
        assert proc.wait(timeout=120) == -signal.SIGKILL, point
        whole(many)
    proc = run(many, "bank", "match")
    assert proc.wait(timeout=120) == 0
    assert whole(many) == N


def test_killed_at_random_moments_then_finished(many):
    """Each round waits until a random number of lines is matched, then a random few
    milliseconds more (so the kill lands inside a later match as often as between two)."""
    rng = random.Random(25)
    kills = 0
    for _ in range(6):
        before = whole(many)
        if before == N:
            break
        target = rng.randint(before, N - 1)
        proc = run(many, "bank", "match")
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if len(list(many.glob("back/bank/matched/*/*/BNK-*.yaml"))) >= target:
                time.sleep(rng.uniform(0, 0.03))
                break
            time.sleep(0.002)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait(timeout=120)
    assert kills, "no run was killed: the test proved nothing"
    proc = run(many, "bank", "match")
    assert proc.wait(timeout=120) == 0
    assert whole(many) == N
    for path in many.glob("back/invoices/*/INV-*.yaml"):
        assert "/paid/" in str(path), path
