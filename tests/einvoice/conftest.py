"""Fixtures of the e-invoice tests: a copy of the sample company, a local AADE."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from officecli.cli import cli as officecli_cli
from tests.einvoice.aade import KEY, USER, Aade

REPO = Path(__file__).resolve().parents[2]
NOW = "2026-11-26T09:00:00+02:00"


@pytest.fixture
def sample(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "records"
    shutil.copytree(REPO / "records", root, ignore=shutil.ignore_patterns(".officecli"))
    for folder, _, files in os.walk(root / "back" / "hr"):
        os.chmod(folder, 0o700)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o600)
    monkeypatch.setenv("OFFICECLI_NOW", NOW)
    return root


@pytest.fixture
def run(sample):
    runner = CliRunner()

    def go(*args, code: int | None = 0, root: Path | None = None):
        result = runner.invoke(
            officecli_cli, ["--root", str(root or sample), *map(str, args)], catch_exceptions=False
        )
        if code is not None:
            assert result.exit_code == code, (args, result.exit_code, result.stdout, result.stderr)
        return result

    return go


def set_einvoice(root: Path, text: str) -> None:
    """Append an einvoice: section to office.yaml, as a person edits it."""
    with open(root / "office.yaml", "a", encoding="utf-8") as fh:
        fh.write("einvoice:\n" + "".join(f"  {line}\n" for line in text.strip().splitlines()))


@pytest.fixture
def aade(sample, monkeypatch):
    with Aade() as server:
        set_einvoice(sample, f"report: mydata\nurl: {server.url}")
        monkeypatch.setenv("OFFICECLI_MYDATA_USER", USER)
        monkeypatch.setenv("OFFICECLI_MYDATA_KEY", KEY)
        yield server
