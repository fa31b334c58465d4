"""Credit notes that add up (issue 23, faults 6, 8, 9, 10).

6: credited by --lines piece by piece, VAT is rounded on the rate's net credited so far,
   so the pieces add up to the invoice's VAT and nothing is left owing;
8: a return whose invoice was credited first still finishes;
9: unit costs keep 4 decimals;
10: a credit by --amount has VAT = net x rate, or is refused naming the nearest that does.
"""

from __future__ import annotations

import json

import pytest

from officecli.store import yamlio


def invoice_of(cli, price, qty, vat="13"):
    cli("product", "add", "SPOON", "--name", "Κουτάλι", "--price", price, "--vat", vat)
    cli("customer", "add", "Ταβέρνα")
    cli("stock", "receive", "SPOON", "10", "--cost", "0.05")
    cli("order", "add", "--customer", "1", f"SPOON:{qty}")
    cli("order", "forward", "1")
    cli("order", "ship", "1")
    cli("order", "invoice", "1")
    return json.loads(cli("invoice", "show", "1", "--format", "json").stdout)[0]


def notes(office) -> list[dict]:
    return [
        yamlio.loads(p.read_text("utf-8")) for p in sorted(office.glob("back/invoices/credit-notes/*.yaml"))
    ]


@pytest.mark.parametrize(
    ("price", "gross", "parts"), [("0.50", "1.13", ["0.57", "0.56"]), ("0.10", "0.23", ["0.11", "0.12"])]
)
def test_crediting_piece_by_piece_adds_up_to_the_invoice(cli, office, price, gross, parts):
    inv = invoice_of(cli, price, 2)
    assert inv["gross"] == gross
    cli("invoice", "credit", "1", "--lines", "SPOON:1")
    cli("invoice", "credit", "1", "--lines", "SPOON:1")  # before the fix: refused (0.50) / 0.01 owing (0.10)
    assert [n["gross"] for n in notes(office)] == parts
    inv = json.loads(cli("invoice", "show", "1", "--format", "json").stdout)[0]
    assert inv["state"] == "credited" and inv["owed"] == "0.00"
    cli("ledger", "check")


def test_a_credit_by_amount_has_vat_net_times_rate(cli, office, refused):
    invoice_of(cli, "10.00", 1)  # 11.30
    refused("invoice", "credit", "1", "--amount", "1.00", match="0.99 or 1.01")  # before: net 0.88 + VAT 0.12
    cli("invoice", "credit", "1", "--amount", "1.01")
    note = notes(office)[0]
    assert note["vat"]["13"] == {"net": "0.89", "vat": "0.12"}  # 0.89 x 13% = 0.1157
    cli("invoice", "credit", "1", "--amount", "10.29")  # all that is left: what is left of net and VAT
    inv = json.loads(cli("invoice", "show", "1", "--format", "json").stdout)[0]
    assert inv["state"] == "credited"
    cli("ledger", "check")


@pytest.mark.parametrize("first", [["--amount", "2.00"], []])
def test_a_return_finishes_when_its_invoice_was_credited_first(cli, office, first):
    invoice_of(cli, "10.00", 2, vat="24")  # 24.80
    if first:
        cli("invoice", "credit", "1", *first)
    else:
        cli("invoice", "credit", "1")
    cli("return", "add", "--order", "1", "SPOON:2", "--reason", "λάθος")
    cli("return", "receive", "1")
    cli("return", "credit", "1")  # before the fix: refused for ever
    ret = json.loads(cli("return", "show", "1", "--format", "json").stdout)[0]
    assert ret["state"] == "done"
    inv = json.loads(cli("invoice", "show", "1", "--format", "json").stdout)[0]
    assert inv["state"] == "credited"
    cli("return", "credit", "1", code=1)  # once
    cli("ledger", "check")


def test_unit_costs_keep_four_decimals(cli, office):
    cli("product", "add", "NAIL", "--name", "Καρφί", "--price", "0.10", "--cost", "0.0125")
    mov = cli("stock", "receive", "NAIL", "3", "--cost", "3.333", "--format", "ids").stdout.strip()
    move = yamlio.loads(next(office.glob(f"back/stock/*/*/{mov}.yaml")).read_text("utf-8"))
    assert move["unit_cost"] == "3.333" and move["value"] == "10.00"  # 9.999 to the cent
    product = yamlio.loads((office / "back/products/NAIL.yaml").read_text("utf-8"))
    assert product["cost"] == "0.0125"
    cli("stock", "receive", "NAIL", "1", "--cost", "3.33333", code=1)
    cli("ledger", "check")
    cli("doctor")
    bal = {
        r["account"]: r["balance"]
        for r in json.loads(cli("ledger", "balance", "--flat", "--format", "json").stdout)
    }
    assert bal["Assets:Inventory"] == "10.00"
