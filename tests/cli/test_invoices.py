"""order invoice, invoice pay|credit|list|show, and the automatic postings."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from officecli.store import yamlio


def load(path):
    return yamlio.loads(path.read_text("utf-8"))


def txns(office):
    return {p.stem: load(p) for p in sorted((office / "back" / "ledger").rglob("TXN-*.yaml"))}


def by_ref(office, ref, kind=None):
    return [
        t for t in txns(office).values() if t.get("ref") == ref and (kind is None or t.get("kind") == kind)
    ]


def postings(t):
    return {p["account"]: p["amount"] for p in t["postings"]}


def flat(cli):
    rows = json.loads(cli("ledger", "balance", "--flat", "--format", "json").stdout)
    return {r["account"]: Decimal(r["balance"]) for r in rows}


@pytest.fixture
def shop(cli):
    """Two products (VAT 24 and 6) in stock, two customers."""
    cli("product", "add", "MUG", "--name", "Κούπα", "--price", "12.50")
    cli("product", "add", "BOOK", "--name", "Βιβλίο", "--price", "22.00", "--vat", "6")
    cli("stock", "receive", "MUG", "100", "--cost", "4.20")
    cli("stock", "receive", "BOOK", "20", "--cost", "11.00")
    cli("customer", "add", "Μαρία Παπαδοπούλου", "--email", "maria@example.gr")
    cli("customer", "add", "Ταβέρνα Το Λιμάνι", "--vat-number", "EL094012345")
    return cli


def shipped(cli, customer="CUS-A-0001", *items):
    ident = cli(
        "order", "add", "--customer", customer, *(items or ("MUG:3", "BOOK:1")), "--format", "ids"
    ).stdout.strip()
    cli("order", "forward", ident)
    cli("order", "ship", ident)
    return ident


# -- issuing ------------------------------------------------------------------


def test_order_invoice_issues_posts_and_moves_the_order(shop, office):
    order = shipped(shop)
    out = shop("order", "invoice", order).stdout
    assert out.split()[0] == "INV-A-0001"
    inv = load(office / "back/invoices/open/INV-A-0001.yaml")
    assert inv["series"] == "A" and inv["order"] == order and inv["customer"] == "CUS-A-0001"
    assert inv["date"] == "2026-11-02" and inv["due"] == "2026-12-02"  # 30 days of office.yaml
    assert inv["bill_to"]["name"] == "Μαρία Παπαδοπούλου"
    assert [(line["sku"], line["qty"], line["price"], line["vat"], line["net"]) for line in inv["lines"]] == [
        ("MUG", 3, "12.50", "24", "37.50"),
        ("BOOK", 1, "22.00", "6", "22.00"),
    ]
    assert inv["vat"] == {"24": {"net": "37.50", "vat": "9.00"}, "6": {"net": "22.00", "vat": "1.32"}}
    assert (inv["net"], inv["gross"], inv["currency"]) == ("59.50", "69.82", "EUR")
    [t] = by_ref(office, "INV-A-0001")
    assert postings(t) == {
        "Assets:Receivable": "69.82",
        "Income:Sales": "-59.50",
        "Liabilities:VAT": "-10.32",
    }
    moved = load(office / f"back/orders/invoiced/{order}.yaml")
    assert moved["invoice"] == "INV-A-0001"
    assert moved["history"][-1]["action"] == "invoice"
    assert not (office / f"back/orders/shipped/{order}.yaml").exists()


def test_vat_is_computed_per_rate_on_the_rate_s_net(shop, office):
    shop("product", "add", "CUP", "--name", "cup", "--price", "0.05")
    shop("stock", "receive", "CUP", "10", "--cost", "0.01")
    order = shipped(shop, "CUS-A-0001", "CUP:1", "MUG:1")
    shop("order", "invoice", order)
    inv = load(office / "back/invoices/open/INV-A-0001.yaml")
    # per line 0.05*24% = 0.012 -> 0.01 and 12.50*24% = 3.00: 3.01; per rate (12.55*24%) = 3.012 -> 3.01
    assert inv["vat"] == {"24": {"net": "12.55", "vat": "3.01"}}
    assert inv["gross"] == "15.56"


def test_numbers_are_gapless_per_series_and_never_reused(shop, office):
    orders = [shipped(shop) for _ in range(4)]
    assert shop("order", "invoice", orders[0], "--format", "ids").stdout == "INV-A-0001\n"
    assert (
        shop("order", "invoice", orders[1], "--series", "b2026", "--format", "ids").stdout
        == "INV-B2026-0001\n"
    )
    assert shop("order", "invoice", orders[2], "--format", "ids").stdout == "INV-A-0002\n"
    assert load(office / "back/invoices/open/INV-B2026-0001.yaml")["series"] == "B2026"
    # a file deleted by hand does not free its number: the ledger still names it
    (office / "back/invoices/open/INV-A-0002.yaml").unlink()
    assert shop("order", "invoice", orders[3], "--format", "ids").stdout == "INV-A-0003\n"
    out = shop("ledger", "check", code=1).stdout
    assert "INV-A-0002 is missing" in out


def test_refused_invoicing(shop, office, refused):
    open_order = shop("order", "add", "--customer", "1", "MUG:1", "--format", "ids").stdout.strip()
    refused("order", "invoice", open_order, match="state is open, but 'order invoice' needs shipped")
    order = shipped(shop)
    refused("order", "invoice", order, "--series", "a/b", match="--series")
    refused("order", "invoice", order, "--series", "TOOLONGSERIES", match="--series")
    refused("order", "invoice", "ORD-A-0999", match="no such order")
    shop("order", "invoice", order)
    refused("order", "invoice", order, match="needs shipped")


def test_invoices_are_numbered_in_date_order(shop, clock, refused):
    a, b = shipped(shop), shipped(shop)
    clock.set("2026-11-20T10:00:00+02:00")
    shop("order", "invoice", a)
    clock.set("2026-11-19T10:00:00+02:00")
    refused("order", "invoice", b, match="dated 2026-11-20, after today")
    shop("order", "invoice", b, "--series", "C")  # another series has its own order


# -- paying ------------------------------------------------------------------------


def test_partial_payments_add_up_and_the_last_closes(shop, office, clock):
    order = shipped(shop)
    shop("order", "invoice", order)
    before = load(office / "back/invoices/open/INV-A-0001.yaml")
    clock.set("2026-11-10T10:00:00+02:00")
    out = shop("invoice", "pay", "1", "20.00").stdout
    assert out.startswith("TXN-") and "49.82 EUR still owed" in out
    shop("invoice", "pay", "INV-A-0001", "0.01", "--method", "cash", "--date", "2026-11-09")
    row = json.loads(shop("invoice", "show", "1", "--format", "json").stdout)[0]
    assert (row["state"], row["paid"], row["owed"]) == ("open", "20.01", "49.81")
    assert [(p["method"], p["amount"]) for p in row["payments"]] == [("cash", "0.01"), ("bank", "20.00")]
    shop("invoice", "pay", "1", "49.81")
    paid = load(office / "back/invoices/paid/INV-A-0001.yaml")
    assert not (office / "back/invoices/open/INV-A-0001.yaml").exists()
    # an issued invoice is never edited: only history grows
    assert {k: v for k, v in paid.items() if k != "history"} == {
        k: v for k, v in before.items() if k != "history"
    }
    assert [h["action"] for h in paid["history"]] == ["issue", "payment", "payment", "pay"]
    closed = load(office / f"archive/orders/closed/2026/{order}.yaml")
    assert closed["history"][-1]["action"] == "close"
    pays = by_ref(office, "INV-A-0001", "payment")
    assert sorted(postings(t).get("Assets:Bank", postings(t).get("Assets:Cash")) for t in pays) == [
        "0.01",
        "20.00",
        "49.81",
    ]
    assert flat(shop)["Assets:Bank"] == Decimal("69.81")
    assert "Assets:Receivable" not in flat(shop)
    shop("ledger", "check")


def test_pay_all(shop, office):
    shop("order", "invoice", shipped(shop))
    shop("invoice", "pay", "1", "9.82")
    assert "paid in full" in shop("invoice", "pay", "1", "all").stdout
    assert (office / "back/invoices/paid/INV-A-0001.yaml").exists()


def test_refused_payments(shop, refused):
    shop("order", "invoice", shipped(shop))
    refused("invoice", "pay", "1", "69.83", match="69.83 EUR is more than the 69.82 EUR still owed")
    refused("invoice", "pay", "1", "0", match="more than 0")
    refused("invoice", "pay", "1", "--", "-5", match="negative")
    refused("invoice", "pay", "1", "nan", match="'nan'")
    refused("invoice", "pay", "1", "1e309", match="'1e309'")
    refused("invoice", "pay", "1", "1.001", match="'1.001'")
    refused("invoice", "pay", "1", "10", "--date", "2026-02-30", match="2026-02-30")
    refused("invoice", "pay", "1", "10", "--date", "2026-11-01", match="before the invoice's date")
    refused("invoice", "pay", "INV-A-0099", "10", match="no such invoice")
    shop("invoice", "pay", "1", "69.82")
    refused("invoice", "pay", "1", "1", match="state is paid, but 'invoice pay' needs open")
    shop("invoice", "pay", "1", "1", "--method", "cheque", code=2)


# -- credit notes --------------------------------------------------------------------


def test_credit_note_reverses_the_invoice(shop, office):
    order = shipped(shop)
    shop("order", "invoice", order)
    before = flat(shop)
    out = shop("invoice", "credit", "1", "--reason", "λάθος ΑΦΜ").stdout
    assert out.split()[0] == "CRN-A-0001"
    crn = load(office / "back/invoices/credit-notes/CRN-A-0001.yaml")
    assert (crn["invoice"], crn["gross"], crn["reason"], crn["order"]) == (
        "INV-A-0001",
        "69.82",
        "λάθος ΑΦΜ",
        order,
    )
    [t] = by_ref(office, "INV-A-0001", "credit")
    assert postings(t) == {"Assets:Receivable": "-69.82", "Income:Sales": "59.50", "Liabilities:VAT": "10.32"}
    assert t["document"] == "CRN-A-0001" and t["reverses"] == by_ref(office, "INV-A-0001", "invoice")[0]["id"]
    after = flat(shop)
    for acct in ("Assets:Receivable", "Income:Sales", "Liabilities:VAT"):
        assert acct in before and acct not in after
    assert (office / "back/invoices/credited/INV-A-0001.yaml").exists()
    assert (office / f"archive/orders/closed/2026/{order}.yaml").exists()
    shop("order", "invoice", shipped(shop))
    shop("invoice", "credit", "2")
    assert (office / "back/invoices/credit-notes/CRN-A-0002.yaml").exists()  # its own gapless series
    shop("ledger", "check")


def test_credit_refusals(shop, office, refused):
    shop("order", "invoice", shipped(shop))
    [issued] = by_ref(office, "INV-A-0001", "invoice")
    refused("invoice", "credit", "9", match="no such invoice")
    shop("invoice", "credit", "1")
    refused("invoice", "credit", "1", match="state is credited")
    refused("invoice", "pay", "1", "1", match="state is credited")
    refused("ledger", "reverse", issued["id"], match="invoice credit")


def test_credit_after_a_partial_payment_leaves_a_refund_due(shop):
    shop("order", "invoice", shipped(shop))
    shop("invoice", "pay", "1", "10")
    shop("invoice", "credit", "1")
    row = json.loads(shop("invoice", "show", "1", "--format", "json").stdout)[0]
    assert (row["state"], row["paid"], row["owed"]) == ("credited", "10.00", "-10.00")


# -- listing -----------------------------------------------------------------------------


def test_list_filters_and_overdue(shop, clock):
    shop("order", "invoice", shipped(shop))
    shop("order", "invoice", shipped(shop, "CUS-A-0002", "MUG:1"))
    shop("invoice", "pay", "1", "all")
    rows = json.loads(shop("invoice", "list", "--format", "json").stdout)
    assert [(r["id"], r["state"]) for r in rows] == [("INV-A-0001", "paid"), ("INV-A-0002", "open")]
    assert shop("invoice", "list", "--state", "open", "--format", "ids").stdout == "INV-A-0002\n"
    assert shop("invoice", "list", "--customer", "2", "--format", "ids").stdout == "INV-A-0002\n"
    assert (
        shop("invoice", "list", "--customer", "μαρία παπαδοπούλου", "--format", "ids").stdout
        == "INV-A-0001\n"
    )
    assert shop("invoice", "list", "--overdue", "--format", "ids").stdout == ""
    clock.set("2026-12-03T09:00:00+02:00")
    assert shop("invoice", "list", "--overdue", "--format", "ids").stdout == "INV-A-0002\n"
    table = shop("invoice", "list", "--overdue").stdout
    assert "OVERDUE" in table and "yes" in table


def test_show_table(shop):
    shop("order", "invoice", shipped(shop))
    shop("invoice", "pay", "1", "5", "--method", "cash")
    out = shop("invoice", "show", "1").stdout
    for text in ("INV-A-0001", "Κούπα", "24%: net 37.50, VAT 9.00", "69.82", "PAID ON", "cash", "issue"):
        assert text in out


# -- automatic postings ---------------------------------------------------------------------


def test_stock_and_shipping_post_automatically_with_refs(shop, office):
    moves = sorted(p.stem for p in (office / "back/stock").rglob("MOV-*.yaml"))
    received = [t for t in txns(office).values() if t.get("kind") == "stock"]
    assert [t["ref"] for t in received] == moves
    assert postings(received[0]) == {
        "Assets:Inventory": "420.00",
        "Liabilities:GRNI": "-420.00",
    }  # no PO: not billed yet
    shop("stock", "adjust", "MUG", "-2", "--reason", "broken")
    [adj] = [t for t in txns(office).values() if "adjusted" in t["description"]]
    assert postings(adj) == {"Assets:Inventory": "-8.40", "Expenses:StockAdjustments": "8.40"}
    order = shipped(shop)
    [cogs] = by_ref(office, order, "cogs")
    assert postings(cogs) == {"Expenses:COGS": "23.60", "Assets:Inventory": "-23.60"}  # 3x4.20 + 1x11.00
    shop("ledger", "check")


def test_order_from_add_to_paid_shows_every_posting_in_trace(shop):
    order = shipped(shop)
    shop("order", "invoice", order)
    shop("invoice", "pay", "1", "all")
    trace = json.loads(shop("order", "trace", order, "--format", "json").stdout)
    traced = {row["id"] for row in trace}
    assert "INV-A-0001" in traced
    ledger_ids = {row["id"] for row in trace if row["id"].startswith("TXN-")}
    assert len(ledger_ids) == 3  # cost of goods, invoice, payment


def test_ledger_check_finds_a_hand_edited_invoice(shop, office):
    shop("order", "invoice", shipped(shop))
    path = office / "back/invoices/open/INV-A-0001.yaml"
    path.write_text(path.read_text("utf-8").replace("gross: '69.82'", "gross: '59.82'"), "utf-8")
    out = shop("ledger", "check", code=1).stdout
    assert "INV-A-0001.yaml: gross: 59.82 is not net + VAT" in out
    assert "INV-A-0001.yaml: gross: 59.82 but the ledger booked 69.82" in out


def test_the_series_of_office_yaml(shop, office):
    conf = office / "office.yaml"
    conf.write_text(
        conf.read_text("utf-8").replace("invoice_series: '{site}'", "invoice_series: '{site}X'"), "utf-8"
    )
    assert shop("order", "invoice", shipped(shop), "--format", "ids").stdout == "INV-AX-0001\n"


def test_concurrent_invoicing_never_shares_or_skips_a_number(shop, office):
    import subprocess
    import sys

    orders = [shipped(shop) for _ in range(4)]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "officecli",
                "--root",
                str(office),
                "order",
                "invoice",
                o,
                "--format",
                "ids",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for o in orders
    ]
    outs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert sorted(out.strip() for out, _ in outs) == [f"INV-A-000{i}" for i in range(1, 5)]
    invoiced = {load(office / f"back/orders/invoiced/{o}.yaml")["invoice"] for o in orders}
    assert len(invoiced) == 4
