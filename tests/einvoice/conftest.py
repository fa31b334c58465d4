"""Fixtures of the e-invoice tests: a copy of the sample company, a local AADE."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from officecli.cli import cli as officecli_cli
from tests.cli import test_print
from tests.einvoice.aade import KEY, USER, Aade

sample = test_print.sample  # a copy of the sample company, at test_print's clock (a fixture)


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
