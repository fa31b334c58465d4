"""supplier add|list|show|edit: the duplicate guard, and products naming their usual supplier."""

from __future__ import annotations

import json

from tests.conftest import only_at


def test_add_list_show_edit(cli, office):
    out = cli(
        "supplier",
        "add",
        "Εργαστήριο Σίφνου",
        "--email",
        "orders@sifnos.example.gr",
        "--vat-number",
        "EL099100200",
        "--terms",
        "45",
        "--phone",
        "+30 22840 555 101",
    ).stdout
    assert out.split()[0] == "SUP-A-0001"
    data = only_at(office, "back/suppliers/SUP-A-0001.yaml")
    assert (data["name"], data["email"], data["vat_number"], data["terms_days"]) == (
        "Εργαστήριο Σίφνου",
        "orders@sifnos.example.gr",
        "EL099100200",
        45,
    )
    assert [h["action"] for h in data["history"]] == ["add"]
    cli("supplier", "add", "Κεραμοποιία Μαρούσι")
    assert cli("supplier", "list", "--format", "ids").stdout.split() == ["SUP-A-0001", "SUP-A-0002"]
    assert cli("supplier", "list", "--search", "σίφνου", "--format", "ids").stdout.split() == ["SUP-A-0001"]
    cli("supplier", "edit", "1", "--phone", "", "--terms", "30", "--note", "καλός")
    data = only_at(office, "back/suppliers/SUP-A-0001.yaml")
    assert "phone" not in data and data["terms_days"] == 30 and data["note"] == "καλός"
    assert [h["action"] for h in data["history"]] == ["add", "edit"]
    shown = json.loads(cli("supplier", "show", "1", "--format", "json").stdout)[0]
    assert shown["id"] == "SUP-A-0001" and shown["owed"] == "0.00" and shown["purchases"] == []


def test_duplicate_email_or_vat_number_is_refused(cli, refused):
    cli("supplier", "add", "Σίφνος", "--email", "orders@sifnos.example.gr", "--vat-number", "EL099100200")
    refused(
        "supplier",
        "add",
        "Άλλος",
        "--email",
        "ORDERS@sifnos.example.gr",
        match="already belongs to SUP-A-0001",
    )
    refused("supplier", "add", "Άλλος", "--vat-number", "099.100.200", match="VAT number")
    cli("supplier", "add", "Άλλος", "--email", "other@example.gr")
    refused(
        "supplier", "edit", "2", "--email", "orders@sifnos.example.gr", match="already belongs to SUP-A-0001"
    )
    refused("supplier", "add", "Τρίτος", "--terms", "soon", match="--terms")
    refused("supplier", "show", "9", match="supplier")


def test_products_name_their_usual_supplier_and_its_code(cli, office, refused):
    cli("supplier", "add", "Σίφνος")
    cli(
        "product",
        "add",
        "MUG",
        "--name",
        "Κούπα",
        "--price",
        "12.50",
        "--supplier",
        "1",
        "--supplier-sku",
        "SIF-350",
    )
    data = only_at(office, "back/products/MUG.yaml")
    assert (data["supplier"], data["supplier_sku"]) == ("SUP-A-0001", "SIF-350")
    cli("product", "edit", "MUG", "--supplier-sku", "")
    assert "supplier_sku" not in only_at(office, "back/products/MUG.yaml")
    refused("product", "edit", "MUG", "--supplier", "SUP-A-0009", match="--supplier SUP-A-0009")
    refused("product", "add", "CUP", "--name", "c", "--price", "1", "--supplier", "7", match="--supplier 7")
