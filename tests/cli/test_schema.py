"""Every list and show of every kind, in every machine format, against docs/SCHEMA.md.

The schema is data (officecli/office/schema.yaml); docs/SCHEMA.md is made from
it and must not be stale. Each command's rows carry every documented key, in
order, in json, jsonl, yaml and csv; csv round-trips (csv.DictReader gives back
what json says); --fields picks keys; id and state are in every row.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from officecli import schema
from officecli.cli import cli

REPO = Path(__file__).resolve().parents[2]
ARGS = {
    "customer show": ["1"],
    "product show": ["MUG-AEG"],
    "order show": ["1"],
    "order trace": ["1"],
    "purchase trace": ["1"],
    "quote show": ["1"],
    "invoice show": ["1"],
    "complaint show": ["1"],
    "improvement show": ["1"],
    "supplier show": ["1"],
    "purchase show": ["1"],
    "bill show": ["1"],
    "return show": ["1"],
    "employee show": ["1"],
    "payroll show": ["2026-10"],
    "complaint escalate": ["--dry-run"],
    "quote expire": ["--dry-run"],
    "report aged": ["receivables"],
}
COMMANDS = sorted(c for c in schema.commands() if " --" not in c and c not in ("doctor", "ledger check"))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("schema") / "records"
    shutil.copytree(REPO / "records", root)

    def invoke(*args):
        res = CliRunner().invoke(cli, ["--root", str(root), *args], catch_exceptions=False)
        assert res.exit_code in (0, 1), res.output
        return res.stdout

    return invoke


def _argv(command: str) -> list[str]:
    return [*command.split(), *ARGS.get(command, [])]


def test_the_schema_doc_is_made_from_the_data():
    assert (REPO / "docs" / "SCHEMA.md").read_text("utf-8") == schema.markdown(), (
        "docs/SCHEMA.md is stale: python -m officecli.schema > docs/SCHEMA.md"
    )


def test_every_listing_command_has_a_schema():
    for command in (
        "order list",
        "order show",
        "stock list",
        "ledger balance",
        "report vat",
        "employee list",
        "payroll list",
        "complaint list",
        "invoice list",
    ):
        assert schema.fields_of(command), command
    assert all(
        list(spec["fields"])[:2] == ["id", "state"]
        for name, spec in schema.kinds().items()
        if name not in ("touched", "problem")
    ), "id and state first in every kind"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_format_carries_every_documented_key(run, command):
    keys = schema.fields_of(command)
    argv = _argv(command)
    as_json = json.loads(run("--format", "json", *argv))
    assert isinstance(as_json, list)
    for row in as_json:
        assert list(row)[: len(keys)] == keys, command
    lines = [json.loads(line) for line in run("--format", "jsonl", *argv).splitlines()]
    assert lines == as_json
    assert (yaml.safe_load(run("--format", "yaml", *argv)) or []) == as_json or not as_json
    back = list(csv.DictReader(io.StringIO(run("--format", "csv", *argv))))
    assert len(back) == len(as_json)
    for got, want in zip(back, as_json):
        assert list(got) == list(want)
        for key, value in want.items():
            assert _from_csv(got[key], value) == value, (command, key)


def _from_csv(cell: str, like):
    if like is None:
        return None if cell == "" else cell
    if isinstance(like, bool):
        return {"true": True, "false": False}[cell]
    if isinstance(like, (list, dict)):
        return json.loads(cell)
    if isinstance(like, int):
        return int(cell)
    return cell


@pytest.mark.parametrize("command", ["order list", "customer show", "stock list", "ledger accounts"])
def test_fields_pick_and_order_the_keys(run, command):
    rows = json.loads(run("--format", "json", *_argv(command), "--fields", "state,id"))
    assert rows and all(list(r) == ["state", "id"] for r in rows)
    text = run("--format", "csv", "--fields", "id,state", *_argv(command))
    assert text.splitlines()[0] == "id,state"


def test_checks_print_an_empty_list_or_one_object_per_problem(run, tmp_path):
    assert json.loads(run("--format", "json", "ledger", "check")) == []
    assert run("ledger", "check") == ""


def test_a_show_of_several_ids_is_one_list(run):
    rows = json.loads(run("--format", "json", "order", "show", "1", "2", "3"))
    assert [r["id"] for r in rows] == ["ORD-A-0001", "ORD-A-0002", "ORD-A-0003"]
