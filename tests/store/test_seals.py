"""store/seal.py: a seal is the same bytes for the same files; a damaged one is refused;
and a company with its periods sealed answers exactly as the same company unsealed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from officecli.store import seal

REPO = Path(__file__).resolve().parents[2]
NOW = "2026-11-26T09:00:00+02:00"


def test_the_same_files_give_the_same_seal_whatever_their_times(tmp_path):
    for where, stamp in (("a", 1_000_000_000), ("b", 2_000_000_000)):
        folder = tmp_path / where
        folder.mkdir()
        for name, text in (
            ("TXN-A-0002.yaml", "id: TXN-A-0002\n"),
            ("TXN-A-0001.yaml", "id: TXN-A-0001\nα\n"),
        ):
            (folder / name).write_text(text, "utf-8")
            os.utime(folder / name, (stamp, stamp))
        (folder / ".gitkeep").write_text("")  # not a record: not sealed
    a, b = seal.compute(str(tmp_path / "a")), seal.compute(str(tmp_path / "b"))
    assert seal.dumps(a) == seal.dumps(b)
    assert list(a) == ["TXN-A-0001.yaml", "TXN-A-0002.yaml"]
    assert a["TXN-A-0001.yaml"][0] == len("id: TXN-A-0001\nα\n".encode())
    assert seal.loads(seal.dumps(a)) == a
    changed = dict(a, **{"TXN-A-0003.yaml": (1, "0" * 32)})
    del changed["TXN-A-0002.yaml"]
    changed["TXN-A-0001.yaml"] = (a["TXN-A-0001.yaml"][0], "f" * 32)
    assert seal.differences(a, changed) == [
        ("TXN-A-0001.yaml", "changed"),
        ("TXN-A-0002.yaml", "removed"),
        ("TXN-A-0003.yaml", "added"),
    ]


@pytest.mark.parametrize(
    "text, line",
    [
        ("", 1),
        ("# something else\n", 1),
        (seal.HEAD + "\nTXN-A-0001.yaml 12 " + "0" * 32, 2),  # cut short: no last newline
        (seal.HEAD + "\nTXN-A-0001.yaml twelve " + "0" * 32 + "\n", 2),
        (seal.HEAD + "\n../x.yaml 1 " + "0" * 32 + "\n", 2),
        (seal.HEAD + "\nB.yaml 1 " + "0" * 32 + "\nA.yaml 1 " + "0" * 32 + "\n", 3),  # out of order
    ],
)
def test_a_seal_officecli_did_not_write_is_refused_naming_its_line(text, line):
    with pytest.raises(seal.BadSeal) as got:
        seal.loads(text)
    assert got.value.line == line


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(REPO), "OFFICECLI_NOW": NOW, "OFFICECLI_USER": "bench"}


def _gen(dest: Path, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "gen"), str(dest), "--size", "tiny", "--seed", "3", *args],
        env=_env(),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def _run(root: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "officecli", "--root", str(root), *args],
        env=_env(),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def trees(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("seals")
    _gen(base / "sealed")
    _gen(base / "open", "--open")
    return base / "sealed", base / "open"


def test_bench_gen_seals_all_but_the_last_two_months_and_open_seals_nothing(trees):
    sealed, unsealed = trees
    seals = sorted(str(p.parent.relative_to(sealed)) for p in sealed.rglob(seal.NAME))
    assert any(s.startswith("back/ledger/") for s in seals) and any(
        s.startswith("back/stock/") for s in seals
    )
    ledger = {str(p.relative_to(sealed)) for p in (sealed / "back/ledger").glob("*/*")}
    assert {s for s in seals if s.startswith("back/ledger/")} == {
        f for f in ledger if f <= "back/ledger/2026/09"
    }
    assert "archive/orders/closed/2025" in seals and "archive/orders/closed/2026" not in seals
    assert not any(s.endswith(("2026/10", "2026/11")) for s in seals)
    assert "closed_through: '2026-09-30'" in (sealed / "office.yaml").read_text("utf-8")
    assert not list(unsealed.rglob(seal.NAME))
    for root in trees:
        assert _run(root, "doctor") == "" and _run(root, "ledger", "check") == ""


COMMANDS = [
    ("report", "daily"),
    ("ledger", "balance"),
    ("ledger", "balance", "--begin", "2025-01", "--end", "2026-10"),
    ("order", "list", "--all"),
    ("order", "list", "--state", "closed"),
    ("customer", "show", "CUS-A-0003"),
    ("order", "trace", "ORD-A-0010"),
    ("invoice", "list", "--all"),
    ("stock", "list"),
    ("report", "pnl"),
]


def test_sealed_and_unsealed_companies_answer_the_same(trees):
    """Cold, then warm (the sealed tree's summaries kept under its seals), each command
    prints the same on both trees."""
    time.sleep(2.1)  # past the racy window: the warm runs keep their summaries
    for run in ("cold", "warm", "warm again"):
        for args in COMMANDS:
            got = [_run(root, *args, "--format", "json") for root in trees]
            assert got[0] == got[1], (run, args)
            assert got[0].strip() not in ("", "[]"), args
    kept = (trees[0] / ".officecli" / "cache" / "summary-ledger.marshal").read_bytes()
    assert b"seal" in kept  # the sealed months' sums are kept under their seals
