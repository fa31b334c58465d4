"""records/ is the sample company exactly as officecli/cli/sample/*.txt makes it; the demo runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from officecli.cli import cli
from officecli.cli.sample import build

REPO = Path(__file__).resolve().parents[2]


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".officecli" not in p.parts
    }


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("sample") / "records")


def test_records_folder_is_what_the_script_makes(fresh):
    made, kept = _files(fresh), _files(REPO / "records")
    assert sorted(made) == sorted(kept), "records/ is stale: run python scripts/make_records.py"
    stale = [p for p in made if made[p] != kept[p]]
    assert not stale, f"records/ is stale ({stale[:3]}): run python scripts/make_records.py"


def test_sample_has_every_state_of_orders_and_a_clean_bill_of_health(fresh, tmp_path):
    copy = tmp_path / "records"
    shutil.copytree(REPO / "records", copy)  # as a git clone has it (modes not kept)
    run = lambda *a: CliRunner().invoke(cli, ["--root", str(copy), *a])  # noqa: E731
    res = run("doctor", "--repair")
    assert "all good" in res.stdout or res.exit_code == 0, res.stdout
    res = run("doctor")
    assert res.exit_code == 0, res.stdout
    assert run("ledger", "check").exit_code == 0
    for state in ("open", "inbox", "shipped", "invoiced", "closed", "cancelled"):
        res = run("--format", "ids", "order", "list", "--state", state)
        assert res.exit_code == 0 and res.stdout.strip(), f"no order in state {state}"


def test_demo_tells_the_whole_story(tmp_path):
    res = CliRunner().invoke(cli, ["demo", "--no-git", "--keep", str(tmp_path / "demo")])
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert "> front/orders/open/ORD-A-0014.yaml  ->  back/orders/inbox/" in out
    assert "> front/complaints/new/CMP-A-0011.yaml  ->  back/complaints/inbox/" in out
    assert "> back/orders/invoiced/ORD-A-0014.yaml  ->  archive/orders/closed/2026/" in out
    assert "> front/quotes/sent/QUO-A-0006.yaml  ->  front/quotes/accepted/" in out
    assert "all good" in out
    assert (tmp_path / "demo/archive/orders/closed/2026/ORD-A-0014.yaml").exists()


LISTINGS = [
    ("customer", "list"),
    ("product", "list"),
    ("stock", "list"),
    ("order", "list"),
    ("invoice", "list"),
    ("complaint", "list"),
    ("improvement", "list"),
    ("employee", "list"),
    ("ledger", "register"),
    ("payroll", "list"),
]


@pytest.mark.parametrize("noun,verb", LISTINGS)
def test_every_listing_speaks_json_yaml_csv_and_ids(noun, verb):
    import json

    run = lambda *a: CliRunner().invoke(cli, ["--root", str(REPO / "records"), *a])  # noqa: E731
    res = run("--format", "json", noun, verb)
    assert res.exit_code == 0, res.output
    items = json.loads(res.stdout)
    assert isinstance(items, list) and items, f"{noun} {verb}: empty on the sample company"
    assert all("id" in i and "state" in i for i in items), f"{noun} {verb}: an item lacks id or state"
    ids = run(noun, verb, "--format", "ids").stdout.split()
    assert ids == [str(i["id"]) for i in items]
    assert run("--format", "csv", noun, verb).stdout.count("\n") >= len(items)
    assert run("--format", "yaml", noun, verb).exit_code == 0


def test_a_clone_at_another_site_numbers_its_own_ids(office, cli, monkeypatch):
    cli("customer", "add", "Πελάτης Α", "--email", "a@example.gr")
    (office / ".officecli").mkdir(exist_ok=True)
    (office / ".officecli" / "site").write_text("B\n")
    out = cli("--format", "ids", "customer", "add", "Πελάτης Β", "--email", "b@example.gr").stdout
    assert out.strip() == "CUS-B-0001"
    monkeypatch.setenv("OFFICECLI_SITE", "C")
    out = cli("--format", "ids", "customer", "add", "Πελάτης Γ", "--email", "c@example.gr").stdout
    assert out.strip() == "CUS-C-0001"
    assert cli("--format", "ids", "customer", "show", "B-0001").stdout.strip() == "CUS-B-0001"
