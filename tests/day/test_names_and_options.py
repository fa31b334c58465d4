"""Issue 28, points 4, 5 and 10: one resolver for every option naming a record, the
global options after the command, and repeated options that accumulate (or are refused)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import load, snapshot


@pytest.fixture
def shop(cli):
    cli("customer", "add", "Ξενοδοχείο «Αιγαίο»")
    cli("customer", "add", "Μαρία Παπαδοπούλου")
    cli("customer", "add", "Μαρία Κωστάκη")
    cli("product", "add", "MUG", "--name", "Κούπα Κυκλάδες", "--price", "12.50", "--cost", "4")
    cli("stock", "receive", "MUG", "20", "--cost", "4")
    for name, where, dept in (
        ("Νίκος Αλεξίου", "back", "warehouse"),
        ("Άννα Κωνσταντίνου", "front", "sales"),
    ):
        cli(
            "employee",
            "add",
            name,
            "--office",
            where,
            "--department",
            dept,
            "--title",
            "x",
            "--salary",
            "1000",
        )
    return cli


def ids(result) -> list[str]:
    return [r["id"] for r in json.loads(result.stdout)]


@pytest.mark.parametrize(
    "name", ["Ξενοδοχείο", "ξενοδοχειο", "ΞΕΝΟΔΟΧΕΙΟ ΑΙΓΑΙΟ", "«Ξενοδοχείο Αιγαίο»", "ξεν αιγ", "1", "A-0001"]
)
def test_a_customer_named_any_way_in_every_command(shop, name):
    shop("order", "add", "--customer", name, "MUG:1")
    shop("quote", "add", "--customer", name, "MUG:1")
    assert ids(shop("order", "list", "--customer", name, "--format", "json")) == ["ORD-A-0001"]
    assert ids(shop("quote", "list", "--customer", name, "--format", "json")) == ["QUO-A-0001"]
    shop("order", "forward", "1")
    shop("order", "ship", "1")
    shop("order", "invoice", "1")
    assert len(ids(shop("invoice", "list", "--customer", name, "--format", "json"))) == 1
    shop("complaint", "add", "--customer", name, "σπασμένη")
    assert ids(shop("complaint", "list", "--customer", name, "--format", "json")) == ["CMP-A-0001"]


def test_an_ambiguous_name_is_one_line_listing_the_candidates(shop, refused):
    result = refused("order", "add", "--customer", "μαρια", "MUG:1", match="ambiguous")
    err = result.stderr
    assert "CUS-A-0002 Μαρία Παπαδοπούλου" in err and "CUS-A-0003 Μαρία Κωστάκη" in err
    refused("order", "list", "--customer", "μαρια", match="CUS-A-0003 Μαρία Κωστάκη")


def test_nothing_found_says_what_to_give_with_this_sites_ids(shop, refused):
    refused("order", "add", "--customer", "Κανείς", "MUG:1", match="give an ID like CUS-A-0001")


def test_an_employee_by_the_first_name_for_by_and_for_user(shop, office):
    shop("customer", "add", "Κάποιος")
    shop("complaint", "add", "--customer", "Κάποιος", "ραγισμένη", user="άννα")
    shop("complaint", "forward", "1", "--user", "ΑΝΝΑ")  # --user after the command
    shop("complaint", "take", "1", "--by", "νικος")
    data = load(office, "back/complaints/working/CMP-A-0001.yaml")
    who = [h["by"] for h in data["history"]]
    assert who[:2] == ["EMP-A-0002 Άννα Κωνσταντίνου"] * 2
    assert data["assignee"] == "Νίκος Αλεξίου"  # the full name, not "νικος" as typed


def test_a_product_by_its_name_where_a_sku_is_asked(shop):
    out = shop("stock", "receive", "κουπα κυκλ", "5", "--cost", "4")
    assert "MUG" in out.stdout


@pytest.mark.parametrize("opt", [["--root", "{root}"], ["--no-pager"], ["--no-color"], ["--user", "Νίκος"]])
def test_global_options_after_the_command(shop, office, opt, tmp_path):
    from click.testing import CliRunner

    from officecli.cli import cli as top

    argv = ["order", "list", *[a.format(root=office) for a in opt]]
    result = CliRunner().invoke(top, argv, env={"OFFICECLI_ROOT": str(office)}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    # a wrong --root after the command is the one used (last wins, as before the command)
    bad = CliRunner().invoke(
        top, ["--root", str(office), "order", "list", "--root", str(tmp_path / "nowhere")]
    )
    assert bad.exit_code == 1 and "nowhere" in bad.stderr


def test_a_repeated_filter_accumulates(shop):
    shop("order", "add", "--customer", "1", "MUG:1")
    shop("order", "add", "--customer", "2", "MUG:1")
    shop("order", "add", "--customer", "3", "MUG:1")
    shop("order", "forward", "2")
    assert ids(shop("order", "list", "--state", "open", "--state", "inbox", "--format", "json")) == [
        "ORD-A-0001",
        "ORD-A-0002",
        "ORD-A-0003",
    ]
    got = shop("order", "list", "--customer", "1", "--customer", "Κωστάκη", "--format", "json")
    assert ids(got) == ["ORD-A-0001", "ORD-A-0003"]
    assert ids(shop("order", "list", "--state", "inbox", "--format", "json")) == ["ORD-A-0002"]


def test_a_value_option_given_twice_is_a_usage_error(shop, office):
    before = snapshot(office)
    result = shop("order", "list", "--limit", "1", "--limit", "2", code=2)
    assert "--limit given 2 times" in result.stderr
    result = shop("customer", "add", "X", "--email", "a@b.gr", "--email", "c@d.gr", code=2)
    assert snapshot(office) == before
