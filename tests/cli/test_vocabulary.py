"""One vocabulary: --note (--reason an alias), -b/-e (--since, --from/--to aliases), --tag
the same on add and edit, --all/--sort/--limit on every list, -q everywhere."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from officecli.cli import cli as officecli

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def sample(tmp_path, monkeypatch):
    root = tmp_path / "records"
    shutil.copytree(REPO / "records", root)
    monkeypatch.setenv("OFFICECLI_NOW", "2026-11-27T10:00:00+02:00")

    def run(*args, code=0):
        res = CliRunner().invoke(officecli, ["--root", str(root), *args], catch_exceptions=False)
        assert res.exit_code == code, res.output
        return res

    run.root = root
    return run


def _ids(res):
    return [r["id"] for r in json.loads(res.stdout)]


def test_note_everywhere_and_reason_still_works(sample):
    sample("order", "cancel", "13", "--reason", "ο πελάτης άλλαξε γνώμη")
    shown = json.loads(sample("--format", "json", "order", "show", "13").stdout)[0]
    assert shown["state"] == "cancelled"
    assert shown["history"][-1]["note"] == "ο πελάτης άλλαξε γνώμη"
    assert "--reason" not in sample("order", "cancel", "--help").stdout  # a hidden alias
    res = sample("order", "cancel", "12", code=2)
    assert "--note" in res.stderr


def test_begin_end_everywhere_with_since_as_alias(sample):
    new = _ids(sample("--format", "json", "order", "list", "--all", "-b", "2026-11-10"))
    assert new == _ids(sample("--format", "json", "order", "list", "--all", "--since", "2026-11-10"))
    old = _ids(sample("--format", "json", "order", "list", "--all", "-e", "2026-11-10"))
    assert new and old and not set(new) & set(old)
    for command in (
        ["report", "sales"],
        ["report", "pnl"],
        ["report", "vat"],
        ["report", "quotes"],
        ["ledger", "balance"],
        ["ledger", "register"],
    ):
        sample(*command, "-b", "2026-11", "-e", "2026-12")
        sample(*command, "--begin", "2026-11", "--end", "2026-12")


def test_leave_takes_begin_end_and_the_old_from_to(sample):
    a = sample("--format", "ids", "employee", "leave-request", "1", "-b", "2026-12-22", "-e", "2026-12-23")
    b = sample(
        "--format", "ids", "employee", "leave-request", "2", "--from", "2026-12-28", "--to", "2026-12-29"
    )
    assert a.stdout.strip() != b.stdout.strip()


def test_tag_adds_on_add_and_on_edit(sample):
    ident = sample(
        "--format", "ids", "customer", "add", "Νέος", "--tag", "a", "--add-tag", "b"
    ).stdout.strip()
    sample("customer", "edit", ident, "--tag", "c", "--add-tag", "d", "--remove-tag", "a")
    assert json.loads(sample("--format", "json", "customer", "show", ident).stdout)[0]["tags"] == [
        "b",
        "c",
        "d",
    ]


def test_all_hides_finished_records_the_same_way(sample):
    default = json.loads(sample("--format", "json", "order", "list").stdout)
    everything = json.loads(sample("--format", "json", "order", "list", "--all").stdout)
    assert {r["state"] for r in everything} >= {"closed", "cancelled"}
    assert not {r["state"] for r in default} & {"closed", "cancelled"}
    assert _ids(sample("--format", "json", "order", "list", "--state", "closed"))
    complaints = json.loads(sample("--format", "json", "complaint", "list").stdout)
    assert "closed" not in {r["state"] for r in complaints}
    assert "closed" in {
        r["state"] for r in json.loads(sample("--format", "json", "complaint", "list", "--all").stdout)
    }


def test_sort_and_limit(sample):
    rows = json.loads(
        sample("--format", "json", "order", "list", "--all", "--sort", "-gross", "--limit", "3").stdout
    )
    gross = [float(r["gross"]) for r in rows]
    assert len(rows) == 3 and gross == sorted(gross, reverse=True)
    names = [
        r["name"] for r in json.loads(sample("--format", "json", "customer", "list", "--sort", "name").stdout)
    ]
    assert names == sorted(names, key=str.casefold)
    assert sample("customer", "list", "--sort", "nonsense", code=2)


def _commands(group, path=()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, path + (name,))
        else:
            yield path + (name,), cmd


def test_every_command_takes_quiet_and_every_list_sort_limit_all():
    for path, cmd in _commands(officecli):
        names = {o for p in cmd.params for o in getattr(p, "opts", [])}
        assert {"-q", "--quiet"} <= names, path
        if path[-1] == "list":
            assert {"--sort", "--limit", "--all"} <= names, path


def test_quiet_silences_confirmations_not_data(sample):
    assert sample("-q", "customer", "add", "Ήσυχος").stdout == ""
    assert sample("customer", "add", "Ήσυχος Β", "-q").stdout == ""
    assert sample("-q", "--format", "ids", "customer", "add", "Ήσυχος Γ").stdout.strip()
