"""Numbers from the high-water mark, the link and day indexes, and doctor --quick.

Numbers: several real writer processes at once still get gapless numbers, never
one twice; a number planted by hand beyond the high-water mark (even in an old
folder, even with the folder's mtime put back) is seen and never handed out;
invoice numbers stay gapless and a planted invoice is reported by ledger check.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from officecli.cli import cli
from officecli.store import ids, index
from tests.robust.support import REPO, assert_healthy, copy_sample, environ, numbers

NOW = "2026-11-27T12:00:00+02:00"


def run(root: Path, *args: str, code: int = 0):
    r = CliRunner().invoke(
        cli, ["--root", str(root), *args], env={"OFFICECLI_NOW": NOW, "OFFICECLI_USER": "tester"}
    )
    assert r.exit_code == code, r.output
    return r


@pytest.fixture
def sample(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(index, "RACY_NS", 0)  # trust folders changed a moment ago
    monkeypatch.setattr(ids, "RACY_NS", 0)
    return copy_sample(tmp_path / "office")


def gapless(nums: list[int]) -> bool:
    return nums == list(range(1, len(nums) + 1))


WRITER = r"""
import subprocess, sys, os, time
root, go, w = sys.argv[1], sys.argv[2], sys.argv[3]
while not os.path.exists(go):
    time.sleep(0.01)
for i in range(3):
    for args in (["ledger", "post", f"w{w} {i}", "Assets:Bank", "1", "Income:Sales"],
                 ["order", "add", "--customer", "1", "VASE-KNS:1"]):
        r = subprocess.run([sys.executable, "-m", "officecli", "--root", root, *args],
                           capture_output=True, text=True)
        if r.returncode:
            print(r.stderr, file=sys.stderr)
            sys.exit(1)
"""


def test_writer_processes_at_once_get_gapless_numbers_never_twice(tmp_path):
    root = copy_sample(tmp_path / "office")
    env = environ(OFFICECLI_NOW=NOW, OFFICECLI_USER="tester", OFFICECLI_LOCK_TIMEOUT="120")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "officecli",
            "--root",
            str(root),
            "ledger",
            "post",
            "first",
            "Assets:Bank",
            "1",
            "Income:Sales",
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    assert (root / ".officecli/numbers.marshal").is_file()
    txn0, ord0 = len(numbers(root, "TXN")), len(numbers(root, "ORD"))
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(root), str(go), str(w)],
            env=env,
            cwd=REPO,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(4)
    ]
    time.sleep(0.3)
    go.touch()
    for p in procs:
        assert p.wait(timeout=600) == 0, p.stderr.read()
    txn, ords = numbers(root, "TXN"), numbers(root, "ORD")
    assert len(txn) == txn0 + 12 and gapless(txn)
    assert len(ords) == ord0 + 12 and gapless(ords)
    assert_healthy(root)


def test_a_number_planted_in_an_old_folder_is_never_handed_out(sample):
    run(sample, "ledger", "post", "one", "Assets:Bank", "1", "Income:Sales")  # marks stored
    old = sample / "back/ledger/2026/09"
    model = sorted(old.glob("TXN-*.yaml"))[0]
    planted = old / "TXN-A-0500.yaml"
    planted.write_text(model.read_text("utf-8").replace(model.stem, "TXN-A-0500"), "utf-8")
    st = os.stat(old)
    os.utime(old, ns=(st.st_atime_ns, st.st_mtime_ns))  # the folder's mtime put back
    out = run(sample, "ledger", "post", "two", "Assets:Bank", "1", "Income:Sales", "--format", "ids")
    assert out.stdout.strip() == "TXN-A-0501"


def test_a_number_whose_file_was_deleted_by_hand_stays_used(sample):
    made = run(sample, "order", "add", "--customer", "1", "VASE-KNS:1", "--format", "ids").stdout.strip()
    (sample / "front/orders/open" / f"{made}.yaml").unlink()
    again = run(sample, "order", "add", "--customer", "1", "VASE-KNS:1", "--format", "ids").stdout.strip()
    assert ids.parse_id(again)[2] == ids.parse_id(made)[2] + 1


def test_the_high_water_file_lost_or_damaged_is_rebuilt_from_the_files(sample):
    run(sample, "ledger", "post", "one", "Assets:Bank", "1", "Income:Sales")
    top = max(numbers(sample, "TXN"))
    marks = sample / ".officecli/numbers.marshal"
    for damage in ("delete", "truncate", "garbage"):
        if damage == "delete":
            marks.unlink()
        elif damage == "truncate":
            marks.write_bytes(marks.read_bytes()[:7])
        else:
            marks.write_bytes(b"not marshal at all")
        out = run(sample, "ledger", "post", damage, "Assets:Bank", "1", "Income:Sales", "--format", "ids")
        top += 1
        assert out.stdout.strip() == ids.format_id("TXN", "A", top)
    assert gapless(numbers(sample, "TXN"))


def test_invoice_numbers_stay_gapless_and_a_planted_one_is_reported_and_skipped(sample):
    inv = run(sample, "order", "invoice", "ORD-A-0012", "--format", "ids").stdout.strip()
    assert inv == "INV-A-0006"  # the sample's invoices are 1-5
    folder = sample / "back/invoices/open"
    model = folder / "INV-A-0006.yaml"
    (folder / "INV-A-0009.yaml").write_text(model.read_text("utf-8").replace("INV-A-0006", "INV-A-0009"))
    checked = run(sample, "ledger", "check", code=1).stdout
    assert "INV-A-0007 is missing" in checked and "INV-A-0009" in checked
    shipped = run(sample, "order", "add", "--customer", "1", "VASE-KNS:1", "--format", "ids").stdout.strip()
    run(sample, "order", "forward", shipped)
    run(sample, "order", "ship", shipped)
    assert run(sample, "order", "invoice", shipped, "--format", "ids").stdout.strip() == "INV-A-0010"


def test_the_link_index_follows_a_hand_edit_of_the_customer(sample):
    before = run(sample, "order", "list", "--customer", "CUS-A-0002", "--format", "ids").stdout.split()
    path = sample / "front/orders/open/ORD-A-0009.yaml"
    text = path.read_text("utf-8")
    who = text.split("customer: ", 1)[1][:10]
    other = "CUS-A-0002" if who != "CUS-A-0002" else "CUS-A-0003"
    st = os.stat(path)
    path.write_text(text.replace(f"customer: {who}", f"customer: {other}"), "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = run(sample, "order", "list", "--customer", other, "--format", "ids").stdout.split()
    assert "ORD-A-0009" in after
    shutil.rmtree(sample / ".officecli/cache")
    assert after == run(sample, "order", "list", "--customer", other, "--format", "ids").stdout.split()
    if other == "CUS-A-0002":
        assert "ORD-A-0009" not in before


def test_doctor_quick_finds_a_file_changed_since_it_was_checked(sample):
    run(sample, "doctor", "--repair")
    run(sample, "doctor")
    assert (sample / ".officecli/cache/doctor=front%2Forders%2Fopen.marshal").is_file()  # its facts
    run(sample, "doctor", "--quick")
    path = sample / "front/orders/open/ORD-A-0009.yaml"
    st = os.stat(path)
    text = path.read_text("utf-8")
    path.write_text(text.replace("qty: 1\n", "qty: X\n", 1), "utf-8")  # same size, same mtime
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    out = run(sample, "doctor", "--quick", code=1).stdout
    assert "ORD-A-0009.yaml" in out and "qty" in out
    assert out == run(sample, "doctor", code=1).stdout
