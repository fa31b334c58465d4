"""The order's whole journey on a fresh office: add, edit, forward, ship, cancel, list, show, trace.

After every step: where the file is, its history, the stock figures; after
every refused step: exit 1, one line, the tree unchanged byte for byte.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from officecli.office import events
from officecli.store.errors import UserError
from tests.conftest import load

OPEN, INBOX, SHIPPED = "front/orders/open", "back/orders/inbox", "back/orders/shipped"
HEARD: list[tuple[str, dict]] = []


def where(office, ident):
    """Every path (relative) of a record's file: exactly one, or the test fails."""
    found = [p.relative_to(office).as_posix() for p in office.rglob(f"{ident}.yaml")]
    assert len(found) == 1, found
    return found[0]


def stock(cli):
    return {
        r["sku"]: (r["on_hand"], r["reserved"], r["available"])
        for r in json.loads(cli("stock", "list", "--all", "--format", "json").stdout)
    }


def shop(cli):
    cli("product", "add", "MUG-KYK", "--name", "Κούπα Κυκλάδες", "--price", "12.50")
    cli("product", "add", "PLATE-OLY", "--name", "Πιάτο Όλυμπος", "--price", "18.00", "--vat", "13")
    cli("stock", "receive", "MUG-KYK", "10", "--cost", "4.00")
    cli("stock", "receive", "PLATE-OLY", "5", "--cost", "7.00")
    cli("customer", "add", "Μαρία Παπαδοπούλου")
    cli("customer", "add", "Ταβέρνα Το Λιμάνι")


def test_the_whole_journey(cli, office, clock, refused):
    shop(cli)
    # add: prices and VAT copied; a SKU given twice is one line
    clock.set("2026-11-02T10:00:00+02:00")
    out = cli(
        "order",
        "add",
        "--customer",
        "1",
        "MUG-KYK:3",
        "PLATE-OLY:2",
        "mug-kyk:1",
        "--note",
        "δώρο",
        user="eleni",
    ).stdout
    assert out.split()[0] == "ORD-A-0001"
    assert where(office, "ORD-A-0001") == f"{OPEN}/ORD-A-0001.yaml"
    data = load(office, f"{OPEN}/ORD-A-0001.yaml")
    assert data["customer"] == "CUS-A-0001" and data["note"] == "δώρο"
    assert data["lines"] == [
        {"sku": "MUG-KYK", "name": "Κούπα Κυκλάδες", "qty": 4, "price": "12.50", "vat": "24"},
        {"sku": "PLATE-OLY", "name": "Πιάτο Όλυμπος", "qty": 2, "price": "18.00", "vat": "13"},
    ]
    assert [(h["action"], h["by"], h.get("to")) for h in data["history"]] == [("add", "eleni", "open")]
    assert stock(cli)["MUG-KYK"] == (10, 0, 10)

    # a later price change does not touch the order taken
    cli("product", "edit", "MUG-KYK", "--price", "14.00")
    # edit while open: remove, add (new line at today's price), note
    cli(
        "order",
        "edit",
        "1",
        "--remove",
        "PLATE-OLY",
        "--add",
        "PLATE-OLY:1",
        "--add",
        "MUG-KYK:2",
        "--note",
        "παράδοση Δευτέρα",
        user="eleni",
    )
    data = load(office, f"{OPEN}/ORD-A-0001.yaml")
    assert [(l["sku"], l["qty"], l["price"]) for l in data["lines"]] == [
        ("MUG-KYK", 6, "12.50"),
        ("PLATE-OLY", 1, "18.00"),
    ]
    assert data["note"] == "παράδοση Δευτέρα"
    assert data["history"][-1]["action"] == "edit" and "+MUG-KYK:2" in data["history"][-1]["note"]

    # show: net, VAT per rate, gross with the currency
    shown = json.loads(cli("order", "show", "1", "--format", "json").stdout)[0]
    assert (shown["id"], shown["state"], shown["net"], shown["gross"]) == (
        "ORD-A-0001",
        "open",
        "93.00",
        "113.34",
    )
    assert shown["vat"] == {"24": "18.00", "13": "2.34"}
    table = cli("order", "show", "1").stdout
    assert "113.34 EUR" in table and "VAT 13%" in table and "Κούπα Κυκλάδες" in table

    # forward refused when short, naming each SKU and its shortfall
    cli("order", "add", "--customer", "2", "MUG-KYK:5", "PLATE-OLY:9")

    # forward: open -> inbox, stock reserved
    clock.set("2026-11-02T11:00:00+02:00")
    cli("order", "forward", "1", "--note", "επείγον", user="eleni")
    assert where(office, "ORD-A-0001") == f"{INBOX}/ORD-A-0001.yaml"
    last = load(office, f"{INBOX}/ORD-A-0001.yaml")["history"][-1]
    assert last == {
        "at": "2026-11-02T11:00:00+02:00",
        "by": "eleni",
        "action": "forward",
        "from": "open",
        "to": "inbox",
        "note": "επείγον",
    }
    assert stock(cli)["MUG-KYK"] == (10, 6, 4) and stock(cli)["PLATE-OLY"] == (5, 1, 4)
    refused("order", "forward", "2", match="MUG-KYK short by 1 (needs 5, available 4); PLATE-OLY short by 5")
    refused("order", "forward", "1", match="state is inbox")
    refused("order", "edit", "1", "--add", "MUG-KYK:1", match="'order edit' needs open")
    refused(
        "order",
        "ship",
        "2",
        match="front/orders/open/ORD-A-0002.yaml): state is open, but 'order ship' needs inbox; from here: order forward",
    )

    # ship: inbox -> shipped, outgoing moves at average cost, reservation released
    clock.set("2026-11-03T09:30:00+02:00")
    cli("order", "ship", "1", "--note", "ACS 123", user="nikos")
    assert where(office, "ORD-A-0001") == f"{SHIPPED}/ORD-A-0001.yaml"
    hist = load(office, f"{SHIPPED}/ORD-A-0001.yaml")["history"]
    assert [(h["action"], h["by"], h.get("from"), h.get("to")) for h in hist] == [
        ("add", "eleni", None, "open"),
        ("edit", "eleni", "open", None),
        ("forward", "eleni", "open", "inbox"),
        ("ship", "nikos", "inbox", "shipped"),
    ]
    moves = json.loads(cli("stock", "moves", "--ref", "ORD-A-0001", "--format", "json").stdout)
    assert [(m["sku"], m["qty"], m["unit_cost"], m["reason"], m["by"]) for m in moves] == [
        ("MUG-KYK", -6, "4.00", "ship", "nikos"),
        ("PLATE-OLY", -1, "7.00", "ship", "nikos"),
    ]
    assert where(office, moves[0]["id"]).startswith("back/stock/2026/11/")
    assert stock(cli)["MUG-KYK"] == (4, 0, 4) and stock(cli)["PLATE-OLY"] == (4, 0, 4)
    refused("order", "ship", "1", match="state is shipped")
    refused("order", "cancel", "1", "--reason", "x", match="'order cancel' needs open or inbox")
    refused("order", "edit", "1", "--note", "x", match="state is shipped")

    # cancel from open and from inbox -> archive/orders/cancelled/YYYY, reservation released
    cli("order", "cancel", "2", "--reason", "άλλαξε γνώμη", user="eleni")
    assert where(office, "ORD-A-0002") == "archive/orders/cancelled/2026/ORD-A-0002.yaml"
    last = load(office, "archive/orders/cancelled/2026/ORD-A-0002.yaml")["history"][-1]
    assert (last["action"], last["from"], last["to"], last["note"]) == (
        "cancel",
        "open",
        "cancelled",
        "άλλαξε γνώμη",
    )
    cli("order", "add", "--customer", "2", "MUG-KYK:2")
    cli("order", "forward", "3")
    assert stock(cli)["MUG-KYK"] == (4, 2, 2)
    cli("order", "cancel", "3", "--reason", "λάθος")
    assert where(office, "ORD-A-0003") == "archive/orders/cancelled/2026/ORD-A-0003.yaml"
    assert stock(cli)["MUG-KYK"] == (4, 0, 4)
    refused("order", "cancel", "3", "--reason", "x", match="state is cancelled")
    refused("order", "cancel", "ORD-A-0009", "--reason", "x", match="no such order")

    # trace: every folder with who and when, and the stock moves
    trace = json.loads(cli("order", "trace", "1", "--format", "json").stdout)
    steps = [(r["id"], r["event"], r["by"], r["where"]) for r in trace]
    assert steps[:4] == [
        ("ORD-A-0001", "order add", "eleni", "front/orders/open/"),
        ("ORD-A-0001", "order edit", "eleni", "front/orders/open/"),
        ("ORD-A-0001", "order forward", "eleni", "front/orders/open/ -> back/orders/inbox/"),
        ("ORD-A-0001", "order ship", "nikos", "back/orders/inbox/ -> back/orders/shipped/"),
    ]
    assert [(r["id"], r["where"]) for r in trace if r["kind"] == "stock_move"] == [
        (moves[0]["id"], "back/stock/2026/11/"),
        (moves[1]["id"], "back/stock/2026/11/"),
    ]
    assert all("state" in r and "id" in r for r in trace)
    cancelled = json.loads(cli("order", "trace", "2", "--format", "json").stdout)
    assert cancelled[-1]["where"] == "front/orders/open/ -> archive/orders/cancelled/2026/"


def test_lists_filter_on_state_customer_and_since(cli, clock):
    shop(cli)
    clock.set("2026-10-30T10:00:00+02:00")
    cli("order", "add", "--customer", "1", "MUG-KYK:1")
    clock.set("2026-11-05T10:00:00+02:00")
    cli("order", "add", "--customer", "2", "MUG-KYK:1")
    cli("order", "add", "--customer", "1", "PLATE-OLY:1")
    cli("order", "forward", "3")

    def ids(*args):
        return cli("order", "list", *args, "--format", "ids").stdout.split()

    assert ids() == ["ORD-A-0001", "ORD-A-0002", "ORD-A-0003"]
    assert ids("--state", "inbox") == ["ORD-A-0003"]
    assert ids("--customer", "CUS-A-0001") == ["ORD-A-0001", "ORD-A-0003"]
    assert ids("--since", "2026-11-01", "--customer", "1") == ["ORD-A-0003"]
    rows = json.loads(cli("order", "list", "--format", "json").stdout)
    assert rows[0]["gross"] == "15.50" and rows[0]["customer_name"] == "Μαρία Παπαδοπούλου"
    cli("order", "list", "--state", "nope", code=2)
    cli("order", "list", "--since", "2026-13-01", code=1)


def test_vat_is_per_rate_on_the_sum_rounded_half_up(cli):
    cli("product", "add", "TILE", "--name", "Πλακάκι", "--price", "0.50", "--vat", "13")
    cli("product", "add", "CUP", "--name", "Φλιτζάνι", "--price", "0.25", "--vat", "6")
    cli("customer", "add", "Μαρία")
    cli("order", "add", "--customer", "1", "TILE:1")  # 0.065 -> 0.07 (half up, not even)
    assert json.loads(cli("order", "show", "1", "--format", "json").stdout)[0]["vat"] == {"13": "0.07"}
    cli("order", "add", "--customer", "1", "TILE:3", "CUP:1")  # 1.50*13% = 0.195 -> 0.20; 0.015 -> 0.02
    shown = json.loads(cli("order", "show", "2", "--format", "json").stdout)[0]
    assert shown["vat"] == {"13": "0.20", "6": "0.02"}
    assert (shown["net"], shown["gross"], shown["currency"]) == ("1.75", "1.97", "EUR")


@pytest.mark.parametrize(
    "item, match",
    [
        ("MUG-KYK:0", "more than 0"),
        ("MUG-KYK:-1", "not a whole number"),
        ("MUG-KYK:1.5", "not a whole number"),
        ("MUG-KYK:x", "not a whole number"),
        ("MUG-KYK", "not SKU:QTY"),
        (":2", "not SKU:QTY"),
        ("MUG-KYK:", "not SKU:QTY"),
        ("../x:1", "not a SKU"),
        ("NOPE:1", "no such SKU"),
    ],
)
def test_bad_lines_are_refused(cli, refused, item, match):
    cli("product", "add", "MUG-KYK", "--name", "Κούπα", "--price", "12.50")
    cli("customer", "add", "Μαρία")
    refused("order", "add", "--customer", "1", item, match=match)


def test_other_refusals(cli, refused):
    shop(cli)
    refused("order", "add", "--customer", "9", "MUG-KYK:1", match="no such customer")
    cli("order", "add", "--customer", "1", "MUG-KYK:1")
    refused("order", "edit", "1", match="nothing to change")
    refused("order", "edit", "1", "--remove", "PLATE-OLY", match="no line with SKU 'PLATE-OLY'")
    refused("order", "edit", "1", "--remove", "MUG-KYK", match="use 'order cancel")
    refused("order", "edit", "1", "--add", "MUG-KYK:0", match="more than 0")
    refused("order", "cancel", "1", "--reason", " ", match="--note must not be empty")
    cli("order", "cancel", "1", code=2)  # --reason is required
    cli("order", "add", "--customer", "1", code=2)  # at least one SKU:QTY


def _heard(office, **payload):
    HEARD.append((office, payload))
    if payload.get("order") == "ORD-A-0002":
        raise UserError("the books refuse ORD-A-0002")


def test_events_fire_inside_the_same_change(cli, office, monkeypatch, refused):
    HEARD.clear()
    shop(cli)
    monkeypatch.setitem(events.SUBSCRIBERS, "order.shipped", [f"{__name__}:_heard"])
    monkeypatch.setitem(events.SUBSCRIBERS, "order.cancelled", [f"{__name__}:_heard"])
    cli("order", "add", "--customer", "1", "MUG-KYK:2", "PLATE-OLY:1")
    cli("order", "forward", "1")
    cli("order", "ship", "1")
    ((_, payload),) = HEARD
    assert payload["order"] == "ORD-A-0001" and str(payload["date"]) == "2026-11-02"
    assert payload["lines"] == [
        {"sku": "MUG-KYK", "qty": 2, "unit_cost": Decimal("4.00"), "value": Decimal("8.00")},
        {"sku": "PLATE-OLY", "qty": 1, "unit_cost": Decimal("7.00"), "value": Decimal("7.00")},
    ]
    # a subscriber that refuses undoes the whole ship: no move, no file move
    cli("order", "add", "--customer", "1", "MUG-KYK:1")
    cli("order", "forward", "2")
    refused("order", "ship", "2", match="the books refuse ORD-A-0002")
    assert where(office, "ORD-A-0002") == f"{INBOX}/ORD-A-0002.yaml"
    HEARD.clear()
    cli("order", "add", "--customer", "1", "MUG-KYK:1")
    cli("order", "forward", "3")
    cli("order", "cancel", "3", "--reason", "x")
    assert HEARD[0][1] == {"order": "ORD-A-0003", "state_before": "inbox"}


def test_trace_finds_what_names_the_order_generically(cli, office):
    shop(cli)
    cli("order", "add", "--customer", "1", "MUG-KYK:2")
    cli("order", "forward", "1")
    cli("order", "ship", "1")
    cli("order", "invoice", "1")  # the books (issue 5)
    (office / "front/complaints/new/CMP-A-0001.yaml").write_text(
        "id: CMP-A-0001\ncustomer: CUS-A-0001\norder: ORD-A-0001\ntext: ραγισμένη κούπα\n"
        "created: '2026-11-02T12:00:00+02:00'\nhistory:\n- at: '2026-11-02T12:00:00+02:00'\n"
        "  by: eleni\n  action: add\n  to: new\n",
        "utf-8",
    )
    (office / "front/complaints/new/CMP-A-0002.yaml").write_text(
        "id: CMP-A-0002\ncustomer: CUS-A-0001\ntext: άλλο\ncreated: '2026-11-02T12:00:00+02:00'\n"
        "history: []\n",
        "utf-8",
    )
    trace = json.loads(cli("order", "trace", "1", "--format", "json").stdout)
    kinds = {r["kind"] for r in trace}
    assert {"order", "stock_move", "invoice", "ledger_txn", "complaint"} <= kinds
    assert any(
        r["id"] == "CMP-A-0001" and r["where"] == "front/complaints/new/" and r["by"] == "eleni"
        for r in trace
    )
    assert not any(r["id"] == "CMP-A-0002" for r in trace)
    invoice = load(office, where(office, "ORD-A-0001"))["invoice"]
    assert any(r["id"] == invoice for r in trace)
    assert "ORD-A-0001" in cli("order", "trace", "ORD-A-0001").stdout
