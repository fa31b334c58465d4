"""bench/gen: the benchmark company is a true office, the same bytes from the same seed,
and every file is the text officecli's own commands would have written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from officecli.office import records
from officecli.office.sites.mergecheck import kind_of
from officecli.store import yamlio

REPO = Path(__file__).resolve().parents[2]
GEN = REPO / "bench" / "gen"
NOW = "2026-11-26T09:00:00+02:00"
# the fields a step adds to a record (the rest were there when it was created)
STEP_CHANGES = {
    "invoice": ("invoice",),
    "take": ("assignee", "assignee_id"),
    "resolve": ("resolution",),
    "pay": ("paid", "payment"),
}


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(REPO), "OFFICECLI_NOW": NOW, "OFFICECLI_USER": "bench"}


def _gen(dest: Path, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, str(GEN), str(dest), "--size", "tiny", *args],
        env=_env(),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def _officecli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "officecli", "--root", str(root), *args],
        env=_env(),
        capture_output=True,
        text=True,
    )


def _files(root: Path) -> dict[str, bytes]:
    out = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".officecli"]
        for name in names:
            path = Path(folder, name)
            out[str(path.relative_to(root))] = path.read_bytes()
    return out


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("gen") / "company"
    _gen(root, "--seed", "7")
    return root


def test_doctor_and_ledger_check_are_clean(tiny):
    # a check prints nothing when all is well (and exits 0)
    doctor = _officecli(tiny, "doctor")
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert doctor.stdout == "", doctor.stdout
    check = _officecli(tiny, "ledger", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout == "", check.stdout


def test_every_state_is_there(tiny):
    """Orders and complaints in every state, invoices paid, open and credited."""

    def states(noun):
        listing = _officecli(tiny, noun, "list", "--all", "--format", "csv")  # archived too
        assert listing.returncode == 0, listing.stderr
        return {line.split(",")[1] for line in listing.stdout.splitlines()[1:]}

    assert states("order") >= {"open", "inbox", "shipped", "invoiced", "closed", "cancelled"}
    assert states("complaint") >= {"new", "inbox", "working", "waiting", "answered"}
    files = _files(tiny)
    assert any(p.startswith("archive/complaints/closed/") for p in files)
    assert any(p.startswith("back/invoices/credited/") for p in files)
    assert any(p.startswith("back/invoices/credit-notes/") for p in files)
    records = [p for p in files if p.endswith(".yaml")]  # (not the closed months' .seal)
    assert sum(p.startswith("back/ledger/") for p in records) == 400  # --transactions of tiny
    assert sum(p.startswith("back/stock/") for p in records) == 150  # --moves of tiny


def test_same_seed_same_bytes_whatever_the_workers(tiny, tmp_path):
    _gen(tmp_path / "again", "--seed", "7", "--jobs", "1")
    _gen(tmp_path / "other", "--seed", "8")
    mine = {k: v for k, v in _files(tiny).items()}
    assert _files(tmp_path / "again") == mine
    assert _files(tmp_path / "other") != mine


def test_files_are_what_the_commands_write(tiny):
    """Replay each record's steps with the writer the commands use (records.dump at
    creation, records.edit_text per step): the same bytes as the generated file."""
    replayed = 0
    for rel, data in _files(tiny).items():
        found = kind_of(rel)
        if found is None:
            continue
        kind = found[0]
        text = data.decode("utf-8")
        parsed = yamlio.loads(text)
        history = parsed.get("history")
        if not history:
            assert records.dump(kind, parsed) == text, rel
            continue
        added = [f for entry in history[1:] for f in STEP_CHANGES.get(entry["action"], ())]
        first = {k: v for k, v in parsed.items() if k not in added}
        first["history"] = history[:1]
        out = records.dump(kind, first)
        for entry in history[1:]:
            changes = {f: parsed[f] for f in STEP_CHANGES.get(entry["action"], ()) if f in parsed}
            out = records.edit_text(kind, out, yamlio.loads(out), changes, entry)
        assert out == text, rel
        replayed += 1
    assert replayed > 100
