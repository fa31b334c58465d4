"""product add/list/show/edit on a fresh office: files, fields, history and refusals."""

from __future__ import annotations

import json

from tests.conftest import load


def test_add_writes_the_file_and_prints_the_sku(cli, office):
    out = cli(
        "product",
        "add",
        "MUG-KYK",
        "--name",
        "Κούπα Κυκλάδες",
        "--price",
        "12.5",
        "--cost",
        "4.20",
        "--reorder-level",
        "10",
    ).stdout
    assert out.split()[0] == "MUG-KYK"
    data = load(office, "back/products/MUG-KYK.yaml")
    assert data["name"] == "Κούπα Κυκλάδες"
    assert data["price"] == "12.50" and data["vat"] == "24" and data["cost"] == "4.20"
    assert data["reorder_level"] == 10
    assert [h["action"] for h in data["history"]] == ["add"]
    assert data["history"][0]["by"] == "tester"
    assert "Κούπα Κυκλάδες" in (office / "back/products/MUG-KYK.yaml").read_text("utf-8")
    assert (
        cli(
            "--format", "ids", "product", "add", "BOOK-1", "--name", "Βιβλίο", "--price", "20", "--vat", "6"
        ).stdout.strip()
        == "BOOK-1"
    )
    assert load(office, "back/products/BOOK-1.yaml")["vat"] == "6"


def test_list_and_show(cli, office):
    cli("product", "add", "MUG-KYK", "--name", "Κούπα", "--price", "12.50", "--cost", "4.00")
    cli("product", "add", "PLATE-OLY", "--name", "Πιάτο", "--price", "18", "--vat", "13")
    rows = json.loads(cli("product", "list", "--format", "json").stdout)
    assert [(r["id"], r["state"], r["price"], r["vat"]) for r in rows] == [
        ("MUG-KYK", "active", "12.50", "24"),
        ("PLATE-OLY", "active", "18.00", "13"),
    ]
    cli("stock", "receive", "MUG-KYK", "5")
    shown = json.loads(cli("product", "show", "mug-kyk", "--format", "json").stdout)[0]
    assert shown["sku"] == "MUG-KYK" and shown["on_hand"] == 5 and shown["value"] == "20.00"
    table = cli("product", "show", "MUG-KYK").stdout
    assert "12.50 EUR + VAT 24%" in table and "back/products/MUG-KYK.yaml" in table


def test_edit_changes_price_with_a_history_entry(cli, office):
    cli("product", "add", "MUG-KYK", "--name", "Κούπα", "--price", "12.50")
    cli("product", "edit", "MUG-KYK", "--price", "13.00", "--reorder-level", "4")
    data = load(office, "back/products/MUG-KYK.yaml")
    assert data["price"] == "13.00" and data["reorder_level"] == 4
    assert data["history"][-1]["action"] == "edit"
    assert "price 12.50 -> 13.00" in data["history"][-1]["note"]


def test_refusals(cli, refused):
    cli("product", "add", "MUG-KYK", "--name", "Κούπα", "--price", "12.50")
    refused("product", "add", "mug-kyk", "--name", "x", "--price", "1", match="already exists")
    refused("product", "add", "X1", "--name", "x", "--price", "nan", match="not an amount")
    refused("product", "add", "X1", "--name", "x", "--price", "1e3", match="not an amount")
    refused("product", "add", "X1", "--name", "x", "--price", "1.005", match="not an amount")
    refused("product", "add", "X1", "--name", "x", "--price", "-1", match="negative")
    refused("product", "add", "X1", "--name", "x", "--price", "1", "--vat", "25", match="not a VAT rate")
    refused("product", "add", "../x", "--name", "x", "--price", "1", match="not a valid name")
    refused("product", "add", "X1", "--name", " ", "--price", "1", match="must not be empty")
    refused(
        "product", "add", "X1", "--name", "x", "--price", "1", "--reorder-level", "-2", match="whole number"
    )
    refused("product", "show", "NOPE", match="no such SKU")
    refused("product", "edit", "MUG-KYK", match="nothing to change")
    refused("product", "edit", "NOPE", "--price", "2", match="no such SKU")
