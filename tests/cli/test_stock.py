"""stock receive/adjust/list/low/moves: append-only moves, moving-average cost, refusals."""

from __future__ import annotations

import json

from tests.conftest import load


def levels(cli):
    return {r["sku"]: r for r in json.loads(cli("stock", "list", "--all", "--format", "json").stdout)}


def shop(cli):
    cli("product", "add", "MUG-KYK", "--name", "Κούπα", "--price", "12.50", "--reorder-level", "5")
    cli("product", "add", "VASE-AMF", "--name", "Βάζο", "--price", "64", "--cost", "21.50")


def test_receive_writes_a_dated_move_and_keeps_a_moving_average(cli, office, clock):
    shop(cli)
    out = cli("stock", "receive", "MUG-KYK", "10", "--cost", "4.00", "--note", "Δ.Α. 12").stdout
    assert out.split()[0] == "MOV-A-0001"
    move = load(office, "back/stock/2026/11/MOV-A-0001.yaml")
    assert move == {
        "id": "MOV-A-0001",
        "date": "2026-11-02",
        "sku": "MUG-KYK",
        "qty": 10,
        "reason": "receive",
        "unit_cost": "4.00",
        "value": "40.00",
        "note": "Δ.Α. 12",
        "at": "2026-11-02T09:00:00+02:00",
        "by": "tester",
    }
    before = (office / "back/products/MUG-KYK.yaml").read_bytes()
    assert levels(cli)["MUG-KYK"]["cost"] == "4.00"
    clock.set("2026-12-01T10:00:00+02:00")
    cli("stock", "receive", "MUG-KYK", "30", "--cost", "5.00")
    assert (office / "back/stock/2026/12/MOV-A-0002.yaml").is_file()
    assert levels(cli)["MUG-KYK"]["cost"] == "4.75"  # (10*4 + 30*5) / 40
    # without --cost: at the current average, which then stays
    cli("stock", "receive", "MUG-KYK", "8")
    assert load(office, "back/stock/2026/12/MOV-A-0003.yaml")["unit_cost"] == "4.75"
    row = levels(cli)["MUG-KYK"]
    assert row["cost"] == "4.75"
    # the average is computed from the moves: receipts never rewrite the product file
    assert (office / "back/products/MUG-KYK.yaml").read_bytes() == before
    assert (row["on_hand"], row["reserved"], row["available"], row["value"]) == (48, 0, 48, "228.00")


def test_average_is_exact_and_shown_half_up_to_the_cent(cli, office):
    shop(cli)
    cli("stock", "receive", "MUG-KYK", "1", "--cost", "1.00")
    cli("stock", "receive", "MUG-KYK", "2", "--cost", "1.01")  # 3.02 / 3 = 1.00666..
    row = levels(cli)["MUG-KYK"]
    assert (row["cost"], row["value"]) == ("1.01", "3.02")  # not 3 x 1.01: no drift
    cli("stock", "receive", "VASE-AMF", "1", "--cost", "0.01")  # the starting 21.50 no longer counts
    cli("stock", "receive", "VASE-AMF", "1", "--cost", "0.02")  # 0.015 -> 0.02
    row = levels(cli)["VASE-AMF"]
    assert (row["cost"], row["value"]) == ("0.02", "0.03")
    assert load(office, "back/products/VASE-AMF.yaml")["cost"] == "21.50"  # the starting cost, as written


def test_average_follows_time_order_across_offsets(cli, office, clock):
    """Moves are ordered by instant: the night summer time ends in Athens, 03:10+02:00
    comes after 03:50+03:00 although its text sorts first."""
    shop(cli)
    clock.set("2026-10-25T00:20:00+00:00")  # 03:20+03:00
    cli("stock", "receive", "MUG-KYK", "10", "--cost", "2.00")
    clock.set("2026-10-25T00:50:00+00:00")  # 03:50+03:00
    cli("stock", "adjust", "MUG-KYK", "-10", "--reason", "count")
    clock.set("2026-10-25T01:10:00+00:00")  # 03:10+02:00
    cli("stock", "receive", "MUG-KYK", "10", "--cost", "4.00")
    moves = json.loads(cli("stock", "moves", "--sku", "MUG-KYK", "--format", "json").stdout)
    assert [(m["qty"], m["at"][11:]) for m in moves] == [
        (10, "03:20:00+03:00"),
        (-10, "03:50:00+03:00"),
        (10, "03:10:00+02:00"),
    ]
    # empty in between, so the average restarts at the last receipt's cost (not (2+4)/2)
    assert levels(cli)["MUG-KYK"]["cost"] == "4.00"


def test_adjust_writes_signed_moves_at_average_cost(cli, office):
    shop(cli)
    cli("stock", "receive", "VASE-AMF", "6")
    out = cli("stock", "adjust", "VASE-AMF", "-2", "--reason", "σπασμένα").stdout
    assert out.split()[0] == "MOV-A-0002"
    move = load(office, "back/stock/2026/11/MOV-A-0002.yaml")
    assert (move["qty"], move["reason"], move["note"], move["unit_cost"]) == (
        -2,
        "adjust",
        "σπασμένα",
        "21.50",
    )
    cli("stock", "adjust", "VASE-AMF", "+1", "--reason", "found")
    assert levels(cli)["VASE-AMF"]["on_hand"] == 5
    moves = json.loads(cli("stock", "moves", "--sku", "VASE-AMF", "--format", "json").stdout)
    assert [m["qty"] for m in moves] == [6, -2, 1]


def test_refusals_leave_the_tree_unchanged(cli, refused):
    shop(cli)
    refused("stock", "receive", "MUG-KYK", "5", match="give the unit cost")
    cli("stock", "receive", "MUG-KYK", "3", "--cost", "4")
    for bad in ("0", "-3", "2.5", "x", "1e3"):
        refused("stock", "receive", "MUG-KYK", bad, "--cost", "4", match="QTY")
    refused("stock", "receive", "MUG-KYK", "1", "--cost", "-4", match="negative")
    refused("stock", "receive", "NOPE", "1", "--cost", "4", match="no such SKU")
    refused("stock", "adjust", "MUG-KYK", "-4", "--reason", "count", match="only 3")
    refused("stock", "adjust", "MUG-KYK", "0", "--reason", "count", match="must not be 0")
    refused("stock", "adjust", "MUG-KYK", "-1.5", "--reason", "count", match="whole number")
    refused("stock", "adjust", "MUG-KYK", "-1", "--reason", " ", match="--note must not be empty")
    cli("stock", "adjust", "MUG-KYK", "-1", code=2)  # --reason is required: usage error


def test_list_shows_reserved_and_low_check_exits_1(cli, office):
    shop(cli)
    cli("customer", "add", "Μαρία")
    cli("stock", "receive", "MUG-KYK", "8", "--cost", "4")
    assert cli("stock", "low", "--check").exit_code == 0
    cli("order", "add", "--customer", "1", "MUG-KYK:3")
    cli("order", "forward", "1")
    row = levels(cli)["MUG-KYK"]
    assert (row["on_hand"], row["reserved"], row["available"]) == (8, 3, 5)
    assert row["value"] == "32.00" and row["low"] is True
    result = cli("stock", "low", "--check", "--format", "ids", code=1)
    assert result.stdout.split() == ["MUG-KYK"]
    assert "MUG-KYK" in result.stderr
    assert "MUG-KYK" in cli("stock", "low").stdout
    table = cli("stock", "list").stdout
    assert "VASE-AMF" not in table and "stock value: 32.00 EUR" in table


def test_adjust_below_reserved_warns_and_ship_then_refuses(cli, office, refused):
    shop(cli)
    cli("customer", "add", "Μαρία")
    cli("stock", "receive", "MUG-KYK", "8", "--cost", "4")
    cli("order", "add", "--customer", "1", "MUG-KYK:3")
    cli("order", "forward", "1")
    result = cli("stock", "adjust", "MUG-KYK", "-7", "--reason", "πλημμύρα")
    assert "2 fewer on hand than forwarded orders reserve" in result.stderr
    refused(
        "order",
        "ship",
        "1",
        match="not enough stock on hand to ship: MUG-KYK short by 2 (needs 3, on hand 1)",
    )
    cli("stock", "receive", "MUG-KYK", "2")
    cli("order", "ship", "1")
    assert (office / "back/orders/shipped/ORD-A-0001.yaml").is_file()
    row = levels(cli)["MUG-KYK"]
    assert (row["on_hand"], row["reserved"], row["available"]) == (0, 0, 0)
    assert "MUG-KYK" not in cli("stock", "list").stdout  # nothing on hand or reserved


def test_the_starting_cost_counts_until_the_first_receipt(cli, office):
    shop(cli)  # VASE-AMF starts at 21.50
    assert levels(cli)["VASE-AMF"]["cost"] == "21.50"
    out = cli("stock", "adjust", "VASE-AMF", "+2", "--reason", "found").stdout
    assert load(office, f"back/stock/2026/11/{out.split()[0]}.yaml")["unit_cost"] == "21.50"
    cli("stock", "receive", "VASE-AMF", "2", "--cost", "20.00")
    row = levels(cli)["VASE-AMF"]
    assert (row["cost"], row["value"]) == ("20.75", "83.00")  # (2 x 21.50 + 2 x 20) / 4


def test_a_file_that_still_carries_a_stored_average_keeps_working(cli, office):
    """Files written when receipts stored the moving average in the product: the
    stored figure is read as the starting cost, the moves make the average again."""
    shop(cli)
    cli("stock", "receive", "MUG-KYK", "10", "--cost", "4.00")
    cli("stock", "receive", "MUG-KYK", "30", "--cost", "5.00")
    path = office / "back/products/MUG-KYK.yaml"
    path.write_text(path.read_text("utf-8").replace("history:", "cost: '4.75'\nhistory:"), "utf-8")
    assert levels(cli)["MUG-KYK"]["cost"] == "4.75"
    cli("stock", "receive", "MUG-KYK", "40", "--cost", "4.25")  # (40 x 4.75 + 40 x 4.25) / 80
    assert levels(cli)["MUG-KYK"]["cost"] == "4.50"
    assert load(office, "back/products/MUG-KYK.yaml")["cost"] == "4.75"  # never rewritten
    assert cli("doctor").exit_code == 0
