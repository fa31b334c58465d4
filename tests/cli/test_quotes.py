"""quote add/edit/send/accept/decline/expire/list/show, the order an accepted quote
becomes, `order trace` starting at the quote, and `report quotes` (conversion)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import load, only_at, snapshot


@pytest.fixture
def shop(cli, clock):
    clock.set("2026-11-02T09:00:00+02:00")
    cli("product", "add", "MUG-01", "--name", "Κούπα", "--price", "12.50")
    cli("product", "add", "BOOK-1", "--name", "Βιβλίο", "--price", "20.00", "--vat", "6")
    cli("customer", "add", "Μαρία", "--email", "m@example.gr", "--source", "instagram")
    cli("customer", "add", "Ταβέρνα", "--email", "t@example.gr", "--source", "fair-2026")
    return cli


def ids(result) -> str:
    return result.stdout.split()[0]


def test_add_copies_prices_and_edit_works_only_while_draft(shop, office, clock, refused):
    assert (
        ids(
            shop(
                "quote",
                "add",
                "--customer",
                "1",
                "MUG-01:2",
                "BOOK-1:1",
                "MUG-01:1",
                "--note",
                "τιμή για 3 κούπες",
            )
        )
        == "QUO-A-0001"
    )
    data = only_at(office, "front/quotes/draft/QUO-A-0001.yaml")
    assert data["lines"] == [
        {"sku": "MUG-01", "name": "Κούπα", "qty": 3, "price": "12.50", "vat": "24"},
        {"sku": "BOOK-1", "name": "Βιβλίο", "qty": 1, "price": "20.00", "vat": "6"},
    ]
    assert data["valid_days"] == 30 and "valid_until" not in data
    shop("quote", "edit", "1", "--remove", "BOOK-1", "--add", "MUG-01:1", "--valid-days", "10")
    data = load(office, "front/quotes/draft/QUO-A-0001.yaml")
    assert data["lines"] == [{"sku": "MUG-01", "name": "Κούπα", "qty": 4, "price": "12.50", "vat": "24"}]
    assert data["valid_days"] == 10
    assert [h["action"] for h in data["history"]] == ["add", "edit"]
    assert data["history"][1]["note"] == "-BOOK-1 +MUG-01:1 valid 10 days"
    shown = json.loads(shop("quote", "show", "1", "--format", "json").stdout)[0]
    assert (shown["net"], shown["vat"], shown["gross"]) == ("50.00", {"24": "12.00"}, "62.00")
    shop("quote", "send", "1")
    refused("quote", "edit", "1", "--add", "BOOK-1:1", match="state is sent; 'quote edit' needs draft")
    refused("quote", "edit", "1", "--remove", "MUG-01", match="needs draft")


def test_send_stamps_the_validity_and_accept_makes_the_order_at_the_quoted_prices(shop, office, clock):
    shop("quote", "add", "--customer", "1", "MUG-01:4", "--valid-days", "14")
    clock.set("2026-11-03T10:00:00+02:00")
    out = shop("quote", "send", "1").stdout
    assert "valid until 2026-11-17" in out
    data = only_at(office, "front/quotes/sent/QUO-A-0001.yaml")
    assert (data["sent"], data["valid_until"]) == ("2026-11-03", "2026-11-17")
    clock.set("2026-11-10T10:00:00+02:00")
    shop("product", "edit", "MUG-01", "--price", "15.00")  # a later price change...
    clock.set("2026-11-17T18:00:00+02:00")  # the last valid day
    assert ids(shop("quote", "accept", "1", "--note", "με email")) == "ORD-A-0001"
    quote = only_at(office, "front/quotes/accepted/QUO-A-0001.yaml")
    order = only_at(office, "front/orders/open/ORD-A-0001.yaml")
    assert quote["order"] == "ORD-A-0001" and order["quote"] == "QUO-A-0001"
    assert order["lines"] == quote["lines"] and order["lines"][0]["price"] == "12.50"  # ...not here
    assert order["customer"] == quote["customer"] == "CUS-A-0001"
    assert [(h["action"], h.get("from"), h.get("to")) for h in quote["history"]] == [
        ("add", None, "draft"),
        ("send", "draft", "sent"),
        ("accept", "sent", "accepted"),
    ]
    assert quote["history"][-1]["note"] == "order ORD-A-0001; με email"
    assert order["history"][0]["note"] == "from quote QUO-A-0001"
    trace = json.loads(shop("order", "trace", "1", "--format", "json").stdout)
    assert [(r["id"], r["event"]) for r in trace[:4]] == [
        ("QUO-A-0001", "quote add"),
        ("QUO-A-0001", "quote send"),
        ("QUO-A-0001", "quote accept"),
        ("ORD-A-0001", "order add"),
    ]
    shop("order", "forward", "1", ok=False)  # no stock: the order is an ordinary order
    assert "Order" in shop("quote", "show", "1").stdout


def test_a_quote_past_its_date_cannot_be_accepted(shop, clock, refused):
    shop("quote", "add", "--customer", "1", "MUG-01:1", "--valid-days", "7")
    shop("quote", "send", "1")
    clock.set("2026-11-10T08:00:00+02:00")
    refused("quote", "accept", "1", match="valid_until 2026-11-09 has passed")
    shop("quote", "expire")
    refused("quote", "accept", "1", match="state is expired")


def test_expire_moves_only_sent_quotes_past_their_date_and_a_second_run_does_nothing(shop, office, clock):
    shop("quote", "add", "--customer", "1", "MUG-01:1", "--valid-days", "5")  # sent, expires
    shop("quote", "add", "--customer", "2", "MUG-01:2", "--valid-days", "30")  # sent, holds
    shop("quote", "add", "--customer", "2", "BOOK-1:1", "--valid-days", "1")  # stays a draft
    shop("quote", "send", "1")
    shop("quote", "send", "2")
    clock.set("2026-11-07T23:59:00+02:00")
    before = snapshot(office)
    assert shop("quote", "expire").stdout == ""  # 2026-11-07 is still valid
    clock.set("2026-11-08T00:05:00+02:00")
    out = shop("quote", "expire", "--dry-run").stdout
    assert out.strip() == ("QUO-A-0001: would expire: valid until 2026-11-07; not accepted by 2026-11-08")
    assert snapshot(office) == before
    out = shop("quote", "expire").stdout
    assert out.strip().splitlines() == [
        "QUO-A-0001: expire: valid until 2026-11-07; not accepted by 2026-11-08"
    ]
    data = only_at(office, "front/quotes/expired/QUO-A-0001.yaml")
    assert data["history"][-1]["by"] == "officecli expire"
    assert (data["history"][-1]["from"], data["history"][-1]["to"]) == ("sent", "expired")
    only_at(office, "front/quotes/sent/QUO-A-0002.yaml")
    only_at(office, "front/quotes/draft/QUO-A-0003.yaml")
    after = snapshot(office)
    res = shop("quote", "expire")
    assert res.stdout == "" and res.stderr == ""
    assert snapshot(office) == after


def test_decline_needs_a_note_and_ends_the_quote(shop, office, refused):
    shop("quote", "add", "--customer", "1", "MUG-01:1")
    shop("quote", "add", "--customer", "2", "MUG-01:1")
    shop("quote", "send", "2")
    refused("quote", "decline", "1", "--note", "  ", match="--note must not be empty")
    shop("quote", "decline", "1", "--note", "δεν ενδιαφέρεται πια")
    shop("quote", "decline", "2", "--note", "ακριβό")
    assert load(office, "front/quotes/declined/QUO-A-0002.yaml")["history"][-1]["note"] == "ακριβό"
    refused("quote", "accept", "2", match="state is declined, but 'quote accept' needs sent")
    refused("quote", "send", "1", match="it has reached the end of its workflow")


@pytest.mark.parametrize(
    "args,match",
    [
        (("quote", "accept", "99"), "quote 99: no such quote"),
        (("quote", "send", "QUO-A-0042"), "no such quote"),
        (("quote", "add", "--customer", "9", "MUG-01:1"), "--customer 9"),
        (("quote", "add", "--customer", "1", "NOPE:1"), "NOPE"),
        (("quote", "add", "--customer", "1", "MUG-01:0"), "more than 0"),
        (("quote", "add", "--customer", "1", "MUG-01:1", "--valid-days", "0"), "--valid-days 0"),
        (("quote", "edit", "1"), "nothing to change"),
        (("quote", "edit", "1", "--remove", "MUG-01"), "empty quote"),
        (("quote", "accept", "1"), "state is draft"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(shop, refused, args, match):
    shop("quote", "add", "--customer", "1", "MUG-01:1")
    refused(*args, match=match)


def test_list_show_and_the_conversion_report(shop, clock):
    shop("quote", "add", "--customer", "1", "MUG-01:4")  # instagram: accepted
    shop("quote", "add", "--customer", "2", "MUG-01:10")  # fair: declined
    shop("quote", "add", "--customer", "2", "BOOK-1:5")  # fair: expired
    shop("quote", "add", "--customer", "1", "BOOK-1:1")  # draft: not counted
    for n in (1, 2, 3):
        shop("quote", "send", str(n))
    shop("quote", "accept", "1")
    shop("quote", "decline", "2", "--note", "όχι")
    clock.set("2026-12-05T09:00:00+02:00")
    shop("quote", "expire")
    shop("quote", "add", "--customer", "1", "MUG-01:1")
    shop("quote", "send", "5")  # December: still open
    listed = json.loads(shop("quote", "list", "--format", "json").stdout)
    assert [(q["id"], q["state"]) for q in listed] == [
        ("QUO-A-0001", "accepted"),
        ("QUO-A-0002", "declined"),
        ("QUO-A-0003", "expired"),
        ("QUO-A-0004", "draft"),
        ("QUO-A-0005", "sent"),
    ]
    assert shop("quote", "list", "--state", "sent", "--format", "ids").stdout.split() == ["QUO-A-0005"]
    months = json.loads(shop("report", "quotes", "--format", "json").stdout)
    assert [
        (r["id"], r["sent"], r["accepted"], r["declined"], r["expired"], r["open"], r["conversion"])
        for r in months
    ] == [("2026-11", 3, 1, 1, 1, 0, "33.3%"), ("2026-12", 1, 0, 0, 0, 1, "0.0%")]
    assert months[0]["sent_net"] == "275.00" and months[0]["accepted_net"] == "50.00"
    sources = json.loads(
        shop("report", "quotes", "--by", "source", "--end", "2026-12", "--format", "json").stdout
    )
    assert [(r["id"], r["sent"], r["accepted"], r["conversion"]) for r in sources] == [
        ("fair-2026", 2, 0, "0.0%"),
        ("instagram", 1, 1, "100.0%"),
    ]
    table = shop("report", "quotes").stdout
    assert "total" in table and "25.0%" in table
