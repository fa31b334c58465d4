"""Shared fixtures: a fresh office in tmp_path, a CLI runner, and tree snapshots.

* ``office`` -- a fresh ``officecli init`` in tmp_path (site A), returns its Path.
* ``cli`` -- ``cli(*args, ok=True)`` runs officecli through click's CliRunner
  against that office with a fixed clock and user; asserts exit 0 unless
  ``ok=False`` or ``code=N`` is given; returns the click Result.
* ``clock`` -- ``clock.set("2026-11-02T09:00:00+02:00")`` moves the fixed clock.
* ``snapshot(root)`` -- every file's bytes (and every folder) below root, to
  assert that a refused command left the tree byte-for-byte as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from officecli.cli import cli as officecli_cli
from officecli.office.sites.company import init_office

START = "2026-11-02T09:00:00+02:00"


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Files (bytes) and folders (None) below root, .officecli excluded."""
    out: dict[str, bytes | None] = {}
    for folder, dirs, files in os.walk(root):
        rel = os.path.relpath(folder, root)
        if rel == ".":
            dirs[:] = [d for d in dirs if d != ".officecli"]
        out[rel + "/"] = None
        for name in files:
            out[os.path.join(rel, name)] = Path(folder, name).read_bytes()
    return out


def load(root: Path, rel: str):
    """A record file's data, read with officecli's YAML conventions."""
    from officecli.store import yamlio

    return yamlio.loads((root / rel).read_text("utf-8"))


def only_at(root: Path, rel: str):
    """Assert the record file is at rel and nowhere else in the tree; return its data."""
    name = rel.rpartition("/")[2]
    found = sorted(str(p.relative_to(root)) for p in root.rglob(name))
    assert found == [rel], found
    return load(root, rel)


class Clock:
    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch
        self.set(START)

    def set(self, stamp: str) -> None:
        self.now = stamp
        self.monkeypatch.setenv("OFFICECLI_NOW", stamp)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    for var in (
        "OFFICECLI_ROOT",
        "OFFICECLI_USER",
        "OFFICECLI_SITE",
        "OFFICECLI_NOW",
        "OFFICECLI_DEBUG",
        "OFFICECLI_LOCK_TIMEOUT",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("OFFICECLI_USER", "tester")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def office(tmp_path, clock) -> Path:
    root = tmp_path / "office"
    init_office(root, "Κεραμικά Αιγαίου", "EUR", "A")
    return root


@pytest.fixture
def cli(office):
    runner = CliRunner()

    def run(
        *args, ok: bool = True, code: int | None = None, user: str | None = None, input: str | None = None
    ):
        argv = ["--root", str(office)]
        if user:
            argv += ["--user", user]
        result = runner.invoke(
            officecli_cli, argv + [str(a) for a in args], input=input, catch_exceptions=False
        )
        want = code if code is not None else (0 if ok else None)
        if want is not None:
            assert result.exit_code == want, (
                f"officecli {' '.join(map(str, args))} -> exit {result.exit_code}, want {want}\n"
                f"stdout: {result.stdout}\nstderr: {result.stderr}"
            )
        elif not ok:
            assert result.exit_code != 0, f"officecli {' '.join(map(str, args))} should have failed"
        return result

    return run


@pytest.fixture
def refused(cli, office):
    """``refused(*args, match="text")``: exit 1, one line on stderr, tree unchanged."""

    def check(*args, match: str, user: str | None = None):
        before = snapshot(office)
        result = cli(*args, code=1, user=user)
        err = result.stderr.strip()
        assert "\n" not in err, f"more than one line on stderr: {err!r}"
        assert "Traceback" not in result.output + result.stderr
        assert match.lower() in err.lower(), f"{match!r} not in {err!r}"
        assert snapshot(office) == before, "a refused command changed the tree"
        return result

    return check
