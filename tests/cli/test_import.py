"""customer|product|stock|order import: header mapping, all rows or none, each bad row
named by its line and field, duplicates refused, --dry-run, stdin."""

from __future__ import annotations

import json

import pytest

from tests.conftest import load, snapshot


@pytest.fixture
def world(cli):
    cli("product", "add", "MUG-01", "--name", "Κούπα", "--price", "12.50")
    cli("customer", "add", "Μαρία Παπαδοπούλου", "--email", "maria@example.gr")  # CUS-A-0001


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return str(path)


def refused_rows(cli, office, *args, input=None):
    """Exit 1, one line per bad row plus a summary, the tree unchanged; the lines."""
    before = snapshot(office)
    result = cli(*args, code=1, input=input)
    assert snapshot(office) == before, "a refused import changed the tree"
    assert "Traceback" not in result.stderr
    return result.stderr.strip().splitlines()


def test_customers_good_rows(cli, office, world, tmp_path):
    path = write(
        tmp_path,
        "c.csv",
        "\ufeffName;E-mail;Phone;Tags;Address;Shop id\n"
        'Νίκος Γεωργίου;nikos@example.gr;210 555;retail|vip;"Οδός 1; Αθήνα";77\n'
        "Ελένη Κ.;;;;;78\n",
    )
    result = cli("customer", "import", path)
    assert "imported 2 customer record(s) from 2 row(s)" in result.stdout
    assert "columns skipped (no customer field): Shop id" in result.stderr
    nikos = load(office, "front/customers/CUS-A-0002.yaml")
    assert (nikos["name"], nikos["email"], nikos["tags"], nikos["address"]) == (
        "Νίκος Γεωργίου",
        "nikos@example.gr",
        ["retail", "vip"],
        "Οδός 1; Αθήνα",
    )
    assert "email" not in load(office, "front/customers/CUS-A-0003.yaml")


def test_bad_and_duplicate_rows_refuse_everything(cli, office, world, tmp_path):
    path = write(
        tmp_path,
        "c.csv",
        "name,email\n"
        "Α,a@example.gr\n"
        "Β,MARIA@example.gr\n"  # another customer's email
        ",c@example.gr\n"  # no name
        "Γ,not-an-email\n"
        "Δ,a@example.gr\n",
    )  # the same email as line 2 of this file
    lines = refused_rows(cli, office, "customer", "import", path)
    assert lines[0].startswith(f"officecli: {path}:3: email: ") and "CUS-A-0001" in lines[0]
    assert lines[1] == f"officecli: {path}:4: name: empty (it is required)"
    assert lines[2].startswith(f"officecli: {path}:5: email: ")
    assert lines[3].startswith(f"officecli: {path}:6: email: ") and "a@example.gr" in lines[3]
    assert lines[4] == f"officecli: {path}: 4 of 5 rows refused; nothing was imported"
    assert len(lines) == 5


def test_dry_run_changes_nothing(cli, office, world, tmp_path):
    path = write(tmp_path, "c.csv", "name\nΑ\nΒ\n")
    before = snapshot(office)
    assert "would import 2 customer record(s)" in cli("customer", "import", path, "--dry-run").stdout
    assert snapshot(office) == before
    lines = refused_rows(
        cli, office, "customer", "import", write(tmp_path, "d.csv", "name,email\nΑ,x\n"), "--dry-run"
    )
    assert "email" in lines[0]


def test_map_and_stdin_and_machine_output(cli, office, world):
    text = "Full name,Billing Email,Notes\nΝίκος,nikos@example.gr,καλός\n"
    rows = json.loads(
        cli(
            "customer",
            "import",
            "-",
            "--map",
            "Full name=name",
            "--map",
            "Billing Email=email",
            "--format",
            "json",
            input=text,
        ).stdout
    )
    assert [(r["id"], r["state"], r["line"]) for r in rows] == [("CUS-A-0002", "active", 2)]
    assert load(office, "front/customers/CUS-A-0002.yaml")["note"] == "καλός"
    lines = refused_rows(cli, office, "customer", "import", "-", input="Who,Mail\nx,y@z.gr\n")
    assert "no column for name" in lines[0] and "--map COLUMN=name" in lines[0]
    refused_rows(cli, office, "customer", "import", "-", "--map", "Who=colour", input="Who\nx\n")


def test_products_and_duplicate_sku(cli, office, world, tmp_path):
    good = write(tmp_path, "p.csv", "Code,Name,Net price,VAT\nPLT-01,Πιάτο,9.90,24\nBWL-01,Μπολ,7.00,13\n")
    cli("product", "import", good, "--map", "Code=sku", "--map", "Net price=price")
    assert load(office, "back/products/BWL-01.yaml")["vat"] == "13"
    bad = write(tmp_path, "q.csv", "sku,name,price\nNEW-1,x,1.00\nmug-01,y,2.00\nNEW-2,z,abc\n")
    lines = refused_rows(cli, office, "product", "import", bad)
    assert lines[0].startswith(f"officecli: {bad}:3: sku: ") and "already exists" in lines[0]
    assert lines[1].startswith(f"officecli: {bad}:4: price: ")


def test_opening_stock_with_cost(cli, office, world, tmp_path):
    path = write(tmp_path, "s.csv", "sku,qty,cost\nMUG-01,40,4.25\n")
    cli("stock", "import", path)
    rows = json.loads(cli("stock", "list", "--format", "json").stdout)
    mug = next(r for r in rows if r.get("sku", r.get("id")) == "MUG-01")
    assert str(mug.get("on_hand")) == "40"
    lines = refused_rows(
        cli,
        office,
        "stock",
        "import",
        write(tmp_path, "t.csv", "sku,qty,cost\nNOPE,1,1.00\nMUG-01,-3,1.00\nMUG-01,2,\n"),
    )
    assert lines[0].startswith(f"officecli: {tmp_path}/t.csv:2: sku: ")
    assert ":3: qty" in lines[1] and ":4: cost: empty" in lines[2]


def test_web_shop_orders_grouped_by_order_number(cli, office, world, tmp_path):
    cli("product", "add", "VASE-01", "--name", "Βάζο", "--price", "30")
    path = write(
        tmp_path,
        "o.csv",
        "Order #,Billing Email,SKU,Qty\n"
        "1001,maria@example.gr,MUG-01,2\n"
        "1001,maria@example.gr,VASE-01,1\n"
        "1002,Μαρία Παπαδοπούλου,MUG-01,6\n",
    )
    cli("order", "import", path, "--map", "Order #=order", "--map", "Billing Email=customer")
    first = load(office, "front/orders/open/ORD-A-0001.yaml")
    assert first["customer"] == "CUS-A-0001" and first["note"] == "web shop order 1001"
    assert [(l["sku"], l["qty"]) for l in first["lines"]] == [("MUG-01", 2), ("VASE-01", 1)]
    assert [(l["sku"], l["qty"]) for l in load(office, "front/orders/open/ORD-A-0002.yaml")["lines"]] == [
        ("MUG-01", 6)
    ]
    bad = write(
        tmp_path, "p.csv", "order,customer,sku,qty\n7,nobody@example.gr,MUG-01,1\n8,1,NOPE,1\n9,1,MUG-01,0\n"
    )
    lines = refused_rows(cli, office, "order", "import", bad)
    assert lines[0].startswith(f"officecli: {bad}:2: customer: ")
    assert lines[1].startswith(f"officecli: {bad}:3: sku: ")
    assert lines[2].startswith(f"officecli: {bad}:4: qty: ")
