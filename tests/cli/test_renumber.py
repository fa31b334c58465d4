"""officecli renumber and officecli history outside git, driven through the CLI.

A renumbered order: its file and every record that may be edited name the new
ID; the ledger entries, stock moves and invoice that are never edited keep the
old one, and it keeps resolving (show, trace, invoice pay, ledger check,
doctor). Bad input: one line, exit 1, the tree unchanged.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import load


@pytest.fixture
def shop(cli):
    cli("product", "add", "MUG-01", "--name", "Κούπα", "--price", "12.50", "--cost", "4.10")
    cli("stock", "receive", "MUG-01", "40", "--cost", "4.10")
    cli("customer", "add", "Μαρία Παπαδοπούλου", "--email", "maria@example.gr")
    return cli


def invoiced(cli) -> str:
    ident = cli("--format", "ids", "order", "add", "--customer", "1", "MUG-01:2").stdout.strip()
    cli("order", "forward", ident)
    cli("order", "ship", ident)
    cli("order", "invoice", ident)
    return ident


def test_renumber_follows_the_old_id_in_show_trace_pay_and_the_books(shop, office):
    old = invoiced(shop)
    assert old == "ORD-A-0001"
    shop("complaint", "add", "--customer", "1", "--order", old, "Ραγισμένη")
    done = json.loads(shop("--format", "json", "renumber", old, "7").stdout)[0]
    assert done["id"] == "ORD-A-0007" and done["old"] == old
    assert done["updated"] == ["CMP-A-0001"]
    assert set(done["kept"]) >= {"INV-A-0001"} and any(k.startswith("TXN-") for k in done["kept"])
    assert not (office / "back/orders/invoiced/ORD-A-0001.yaml").exists()
    data = load(office, "back/orders/invoiced/ORD-A-0007.yaml")
    assert data["id"] == "ORD-A-0007" and data["renumbered_from"] == [old]
    assert data["history"][-1]["action"] == "renumber"
    assert load(office, "front/complaints/new/CMP-A-0001.yaml")["order"] == "ORD-A-0007"
    assert load(office, "back/invoices/open/INV-A-0001.yaml")["order"] == old  # never edited
    # the old ID still finds the record
    assert "ORD-A-0007" in shop("order", "show", old).stdout
    trace = {r["id"] for r in json.loads(shop("--format", "json", "order", "trace", "7").stdout)}
    assert {"ORD-A-0007", "INV-A-0001", "CMP-A-0001"} <= trace
    assert any(t.startswith("TXN-") for t in trace) and any(t.startswith("MOV-") for t in trace)
    shop("ledger", "check")
    shop("doctor")
    shop("invoice", "pay", "INV-A-0001", "all")  # the invoice names the old ID
    assert (office / "archive/orders/closed/2026/ORD-A-0007.yaml").exists()
    # the old number is never minted again, and short numbers still work
    assert (
        shop("--format", "ids", "order", "add", "--customer", "1", "MUG-01:1").stdout.strip() == "ORD-A-0008"
    )


def test_renumber_a_customer_updates_orders_and_keeps_the_invoice(shop, office):
    order = invoiced(shop)
    shop("renumber", "CUS-A-0001", "CUS-A-0005")
    assert load(office, f"back/orders/invoiced/{order}.yaml")["customer"] == "CUS-A-0005"
    assert load(office, "back/invoices/open/INV-A-0001.yaml")["customer"] == "CUS-A-0001"
    assert "CUS-A-0005" in shop("customer", "show", "CUS-A-0001").stdout
    shop("doctor")
    shop("ledger", "check")


@pytest.mark.parametrize(
    "args,match",
    [
        (("ORD-A-0001", "ORD-A-0002"), "ORD-A-0002 is taken"),
        (("ORD-A-0001", "ORD-B-0009"), "ORD-B-0009 is an ID of site B"),
        (("ORD-A-0001", "CUS-A-0009"), "is a customer ID"),
        (("ORD-A-0042", "ORD-A-0050"), "no such order"),
        (("42", "ORD-A-0050"), "give the full ID"),
        (("INV-A-0001", "INV-A-0009"), "legal gapless series"),
        (("ORD-A-0001", "ORD-A-0001"), "the same ID"),
    ],
)
def test_renumber_refuses_bad_input_and_changes_nothing(shop, refused, args, match):
    invoiced(shop)
    shop("order", "add", "--customer", "1", "MUG-01:1")
    refused("renumber", *args, match=match)


def test_renumber_refuses_an_earlier_name(shop, refused):
    invoiced(shop)
    shop("order", "add", "--customer", "1", "MUG-01:1")
    shop("renumber", "ORD-A-0002", "ORD-A-0009")
    refused("renumber", "ORD-A-0001", "ORD-A-0002", match="earlier name of ORD-A-0009")


def test_history_outside_git_shows_the_entries(shop, office):
    order = invoiced(shop)
    rows = json.loads(shop("--format", "json", "history", order).stdout)
    assert [r["action"] for r in rows] == ["add", "forward", "ship", "invoice"]
    assert all(r["id"] == order and r["state"] == "invoiced" and r["commit"] == "" for r in rows)
    assert rows[1]["where"] == "back/orders/inbox/"
    assert "(not committed)" in shop("history", order).stdout


def test_history_of_an_unknown_id(shop, refused):
    refused("history", "ORD-A-0042", match="ORD-A-0042: no such record")


def test_short_numbers_prefer_this_site(shop, office):
    # a customer of another site (as a merge brings it), by hand
    text = (office / "front/customers/CUS-A-0001.yaml").read_text("utf-8")
    (office / "front/customers/CUS-B-0001.yaml").write_text(
        text.replace("CUS-A-0001", "CUS-B-0001").replace("maria@", "other@"), "utf-8"
    )
    out = shop("--format", "ids", "order", "add", "--customer", "1", "MUG-01:1").stdout.strip()
    assert load(office, f"front/orders/open/{out}.yaml")["customer"] == "CUS-A-0001"
    out = shop("--format", "ids", "order", "add", "--customer", "B-0001", "MUG-01:1").stdout.strip()
    assert load(office, f"front/orders/open/{out}.yaml")["customer"] == "CUS-B-0001"
