"""The reports a bookkeeper files, over a year of books: each agrees with the ledger.

A first quarter of trading (invoices, a February credit note of a January
invoice, a credit for an amount, a full credit, a supplier's bill, payments,
payroll) then: the months of ``report sales`` add up to the year and equal
Income:Sales and ``report pnl``; ``report vat --period`` is the movement of
the VAT accounts; the trial balance balances and closes at ``ledger
balance``; the balance sheet balances; the aged receivables are
Assets:Receivable. Each report in every format.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

from officecli.store import yamlio
from tests.books.test_real_tools import all_agree
from tests.conftest import snapshot

MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
FORMATS = ["table", "json", "yaml", "csv"]


def nxt(month: str) -> str:
    y, m = int(month[:4]), int(month[5:])
    return f"{y + (m == 12):04d}-{m % 12 + 1:02d}"


_BUILT: dict[str, object] = {}


@pytest.fixture
def quarter(cli, clock, office, tmp_path_factory):
    """Q1 2026 and a little of April; the clock ends at 2026-04-10. Built through the CLI
    once per worker, then copied file for file into each test's office."""
    import shutil

    if "tree" in _BUILT:
        shutil.rmtree(office)
        shutil.copytree(_BUILT["tree"], office, symlinks=True)
        clock.set("2026-04-10T10:00:00+02:00")
        return _BUILT["ids"]
    ids = _build(cli, clock)
    keep = tmp_path_factory.mktemp("quarter") / "office"
    shutil.copytree(office, keep, symlinks=True)
    _BUILT.update(tree=keep, ids=ids)
    return ids


def _build(cli, clock):
    def at(day):
        clock.set(f"{day}T10:00:00+02:00")

    def sell(customer, *lines):
        order = cli("order", "add", "--customer", customer, *lines, "--format", "ids").stdout.strip()
        cli("order", "forward", order)
        cli("order", "ship", order)
        cli("order", "invoice", order)
        return json.loads(cli("order", "show", order, "--format", "json").stdout)[0]["invoice"]

    at("2026-01-05")
    cli("ledger", "post", "Κεφάλαιο", "Assets:Bank", "20000", "Equity:Capital")
    cli("product", "add", "MUG", "--name", "Κούπα", "--price", "12.50")
    cli("product", "add", "BOOK", "--name", "Βιβλίο", "--price", "22.00", "--vat", "6")
    cli("stock", "receive", "MUG", "100", "--cost", "4.00")
    cli("stock", "receive", "BOOK", "50", "--cost", "10.00")
    cli("customer", "add", "Ταβέρνα Ήλιος")
    cli("customer", "add", "Καφέ Αύρα")
    cli("supplier", "add", "Εργαστήριο Σίφνου")
    cli(
        "employee",
        "add",
        "Μαρία Κ",
        "--office",
        "back",
        "--department",
        "hr",
        "--title",
        "HR",
        "--salary",
        "1500.00",
        "--start",
        "2025-01-01",
    )
    at("2026-01-20")
    inv1 = sell("1", "MUG:4", "BOOK:1")  # 50.00 + 22.00 net
    at("2026-01-31")
    cli("payroll", "run", "2026-01")
    at("2026-02-10")
    crn1 = cli("invoice", "credit", inv1, "--lines", "MUG:2").stdout.split()[0]  # February: -25.00
    at("2026-02-15")
    inv2 = sell("2", "MUG:3")  # 37.50
    cli("invoice", "pay", inv2, "all", "--method", "bank")
    at("2026-02-20")
    cli("purchase", "add", "--supplier", "1", "MUG:10@4.00")
    cli("purchase", "order", "1")
    cli("purchase", "receive", "1")
    cli("purchase", "bill", "1", "--number", "Σ-1", "--date", "2026-02-20")
    at("2026-02-28")
    cli("payroll", "run", "2026-02")
    cli("payroll", "pay", "2026-01")
    at("2026-03-05")
    cli("invoice", "credit", inv2, "--amount", "5.00")  # an amount, no product
    at("2026-03-20")
    inv3 = sell("1", "BOOK:2")  # 44.00
    at("2026-04-02")
    cli("invoice", "credit", inv3)  # whole, in April
    at("2026-04-10")
    return {"inv1": inv1, "crn1": crn1, "inv2": inv2, "inv3": inv3}


def rows(cli, *args):
    return json.loads(cli(*args, "--format", "json").stdout)


def account(cli, name, *period) -> Decimal:
    got = {
        r["account"]: Decimal(r["balance"])
        for r in rows(cli, "ledger", "balance", "--flat", "--empty", *period)
    }
    return got.get(name, Decimal("0"))


def sales_total(cli, *args) -> Decimal:
    return sum((Decimal(r["net"]) for r in rows(cli, "report", "sales", *args)), Decimal("0"))


def pnl_income(cli, *period) -> Decimal:
    return next(
        (Decimal(r["amount"]) for r in rows(cli, "report", "pnl", *period) if r["id"] == "Income:Sales"),
        Decimal("0"),
    )


def write_txn(office, ident, day, postings, ref=None, description="by hand"):
    """A transaction file written the way a hand edit or an older version would."""
    folder = office / "back/ledger" / day[:4] / day[5:7]
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "id": ident,
        "date": day,
        "description": description,
        "postings": [{"account": a, "amount": v} for a, v in postings],
        **({"ref": ref} if ref else {}),
        "at": f"{day}T12:00:00+02:00",
        "by": "tester",
    }
    (folder / f"{ident}.yaml").write_text(yamlio.dumps(data), encoding="utf-8")


# -- sales ---------------------------------------------------------------------------


def test_the_months_of_sales_add_up_to_the_year_and_to_income(cli, quarter):
    for by in ("customer", "product"):
        months = []
        for m in MONTHS:
            got = sales_total(cli, "--by", by, "--begin", m, "--end", nxt(m))
            income = -account(cli, "Income:Sales", "--begin", m, "--end", nxt(m))
            assert got == income == pnl_income(cli, "--begin", m, "--end", nxt(m)), (by, m)
            months.append(got)
        year = sales_total(cli, "--by", by, "--begin", "2026", "--end", "2027")
        assert sum(months) == year == -account(cli, "Income:Sales") == pnl_income(cli)
    # by hand: Jan 72.00; Feb 37.50 - 25.00 = 12.50; Mar 44.00 - 4.03 (5.00 gross at 24%); Apr -44.00
    assert [sales_total(cli, "--begin", m, "--end", nxt(m)) for m in MONTHS[:4]] == [
        Decimal("72.00"),
        Decimal("12.50"),
        Decimal("39.97"),
        Decimal("-44.00"),
    ]
    any_period = sales_total(cli, "--begin", "2026-02-10", "--end", "2026-03-21")
    assert any_period == -account(cli, "Income:Sales", "--begin", "2026-02-10", "--end", "2026-03-21")


def test_a_february_credit_note_of_a_january_invoice_lands_in_february(cli, quarter):
    jan = rows(cli, "report", "sales", "--by", "product", "--begin", "2026-01", "--end", "2026-02")
    assert {r["id"]: (r["qty"], r["net"]) for r in jan} == {"MUG": (4, "50.00"), "BOOK": (1, "22.00")}
    feb = rows(cli, "report", "sales", "--begin", "2026-02", "--end", "2026-03")
    by_customer = {r["id"]: r for r in feb}
    assert (
        by_customer["CUS-A-0001"]["invoiced"],
        by_customer["CUS-A-0001"]["credited"],
        by_customer["CUS-A-0001"]["net"],
        by_customer["CUS-A-0001"]["credits"],
    ) == ("0.00", "25.00", "-25.00", 1)
    assert by_customer["CUS-A-0002"]["net"] == "37.50"
    mar = {
        r["id"]: r
        for r in rows(cli, "report", "sales", "--by", "product", "--begin", "2026-03", "--end", "2026-04")
    }
    assert mar["(no product)"]["credited"] == "4.03" and mar["BOOK"]["net"] == "44.00"
    table = cli("report", "sales", "--begin", "2026-02", "--end", "2026-03").stdout
    assert "total net: 12.50 EUR" in table


# -- VAT -------------------------------------------------------------------------------


def vat_totals(cli, *args) -> dict:
    return {r["id"]: r for r in rows(cli, "report", "vat", *args) if r["state"] in ("total", "check")}


def test_the_vat_return_is_the_movement_of_the_vat_accounts(cli, quarter):
    for period, begin, end in [
        ("2026-Q1", "2026-01", "2026-04"),
        ("2026-02", "2026-02", "2026-03"),
        ("2026-03", "2026-03", "2026-04"),
        ("2026-Q2", "2026-04", "2026-07"),
        ("2026", "2026", "2027"),
    ]:
        got = vat_totals(cli, "--period", period)
        owed = -account(cli, "Liabilities:VAT", "--begin", begin, "--end", end)
        reclaim = account(cli, "Assets:VATInput", "--begin", begin, "--end", end)
        assert got["check Liabilities:VAT"]["agrees"] is True
        assert Decimal(got["check Liabilities:VAT"]["books"]) == owed, period
        assert Decimal(got["check Assets:VATInput"]["books"]) == reclaim, period
        assert Decimal(got["due"]["vat"]) == owed - reclaim, period
        assert Decimal(got["output"]["vat"]) + Decimal(got["credited"]["vat"]) == owed, period
    q1 = rows(cli, "report", "vat", "--period", "2026-Q1")
    by_id = {r["id"]: r for r in q1}
    # invoices: 50.00 + 37.50 at 24% (21.00), 22.00 + 44.00 at 6% (3.96); credited 25.00 (6.00) and
    # 5.00 gross (0.97); input: the bill, 40.00 at 24% (9.60)
    assert (by_id["output 24%"]["net"], by_id["output 24%"]["vat"]) == ("87.50", "21.00")
    assert (by_id["output 6%"]["net"], by_id["output 6%"]["vat"]) == ("66.00", "3.96")
    assert (by_id["credited 24%"]["net"], by_id["credited 24%"]["vat"]) == ("-29.03", "-6.97")
    assert (by_id["input 24%"]["net"], by_id["input 24%"]["vat"]) == ("40.00", "9.60")
    assert by_id["due"]["vat"] == "8.39"  # 24.96 - 6.97 - 9.60
    table = cli("report", "vat", "--period", "2026-Q1").stdout
    assert "VAT return 2026-Q1" in table and "net VAT due" in table
    assert "check Liabilities:VAT" in table and "DISAGREES" not in table


def test_manual_vat_entries_count_and_a_document_the_books_do_not_match_fails(cli, office, quarter):
    write_txn(
        office,
        "TXN-A-0901",
        "2026-03-10",
        [("Expenses:Utilities", "10.00"), ("Assets:VATInput", "2.40"), ("Assets:Bank", "-12.40")],
        ref="SUP-A-0001",
        description="Ρεύμα",
    )
    got = vat_totals(cli, "--period", "2026-03")
    assert got["manual_input"]["vat"] == "2.40" and got["check Assets:VATInput"]["agrees"] is True
    manual = [r for r in rows(cli, "report", "vat", "--period", "2026-03") if r["state"] == "manual input"]
    assert [(r["id"], r["ref"], r["vat"]) for r in manual] == [("TXN-A-0901", "SUP-A-0001", "2.40")]
    # an older manual entry with no source: counted where it falls, and warned about
    write_txn(
        office,
        "TXN-A-0902",
        "2026-03-11",
        [("Expenses:Other", "5.00"), ("Liabilities:VAT", "1.20"), ("Assets:Cash", "-6.20")],
    )
    result = cli("report", "vat", "--period", "2026-03")
    assert "no source" in result.stdout and "TXN-A-0902" in result.stdout and "DISAGREES" not in result.stdout
    assert "name no source (TXN-A-0902)" in result.stderr
    got = vat_totals(cli, "--period", "2026-03")
    assert got["unsourced"]["vat"] == "-1.20" and got["check Liabilities:VAT"]["agrees"] is True
    owed = -account(cli, "Liabilities:VAT", "--begin", "2026-03", "--end", "2026-04")
    reclaim = account(cli, "Assets:VATInput", "--begin", "2026-03", "--end", "2026-04")
    assert Decimal(got["due"]["vat"]) == owed - reclaim
    # an invoice's entry doubled (a bad merge, a hand edit): the documents no longer explain the books
    write_txn(
        office,
        "TXN-A-0903",
        "2026-03-20",
        [("Assets:Receivable", "46.64"), ("Income:Sales", "-44.00"), ("Liabilities:VAT", "-2.64")],
        ref=quarter["inv3"],
    )
    (office / "back/ledger/2026/03/TXN-A-0903.yaml").write_text(
        (office / "back/ledger/2026/03/TXN-A-0903.yaml").read_text("utf-8") + "kind: invoice\n", "utf-8"
    )
    before = snapshot(office)
    result = cli("report", "vat", "--period", "2026-03", code=1)
    assert "DISAGREES" in result.stdout
    err = result.stderr.strip()
    assert "\n" not in err and "Liabilities:VAT" in err and "disagrees with the books" in err
    assert "difference 2.64" in err
    assert snapshot(office) == before
    cli("report", "vat", "--period", "2026-02")  # another month is still right


def test_vat_period_refusals(cli, office, quarter, refused):
    for bad in ("2026-Q5", "2026-13", "26-Q1", "2026-Q", "Q1"):
        refused("report", "vat", "--period", bad, match="--period")
    result = cli("report", "vat", "--period", "2026-Q1", "--begin", "2026-01", code=2)
    assert "not both" in result.stderr


# -- trial balance, balance sheet, aged ---------------------------------------------------


def test_the_trial_balance_balances_and_closes_at_the_ledger_balance(cli, quarter):
    for period in (
        [],
        ["--begin", "2026-02", "--end", "2026-03"],
        ["--begin", "2026-03-05"],
        ["--end", "2026-02-15"],
    ):
        got = rows(cli, "ledger", "trial", *period)
        total = got[-1]
        assert total["id"] == "total" and total["state"] == "total"
        for dr, cr in (
            ("opening_debit", "opening_credit"),
            ("debit", "credit"),
            ("closing_debit", "closing_credit"),
        ):
            assert total[dr] == total[cr], (period, dr)
            assert sum(Decimal(r[dr]) for r in got[:-1]) == Decimal(total[dr])
        end = period[period.index("--end") + 1 :][:1] if "--end" in period else []
        balance = {
            r["account"]: Decimal(r["balance"])
            for r in rows(cli, "ledger", "balance", "--flat", *(["--end", *end] if end else []))
        }
        closing = {r["account"]: Decimal(r["closing_debit"]) - Decimal(r["closing_credit"]) for r in got[:-1]}
        assert {a: v for a, v in closing.items() if v} == balance, period
        if "--begin" in period:
            begin = period[period.index("--begin") + 1]
            before = {
                r["account"]: Decimal(r["balance"])
                for r in rows(cli, "ledger", "balance", "--flat", "--end", begin)
            }
            opening = {
                r["account"]: Decimal(r["opening_debit"]) - Decimal(r["opening_credit"]) for r in got[:-1]
            }
            assert {a: v for a, v in opening.items() if v} == before
    feb = {r["id"]: r for r in rows(cli, "ledger", "trial", "--begin", "2026-02", "--end", "2026-03")}
    assert feb["Income:Sales"]["debit"] == "25.00" and feb["Income:Sales"]["credit"] == "37.50"


def test_the_balance_sheet_balances(cli, quarter, tmp_path, office):
    for end in ([], ["--end", "2026-02"], ["--end", "2026-03-15"], ["--end", "2027-01-01"]):
        got = rows(cli, "report", "balance-sheet", *end)
        totals = {r["id"]: Decimal(r["amount"]) for r in got if r["state"] == "total"}
        assert totals["difference"] == 0
        assert totals["total assets"] == totals["total liabilities and equity"]
        balance = {
            r["account"]: Decimal(r["balance"]) for r in rows(cli, "ledger", "balance", "--flat", *end)
        }
        assets = sum((v for a, v in balance.items() if a.startswith("Assets:")), Decimal(0))
        assert totals["total assets"] == assets
        result = next(Decimal(r["amount"]) for r in got if r["id"] == "current-year result")
        pnl = rows(cli, "report", "pnl", "--begin", "2026", *end)
        assert result == Decimal(pnl[-1]["amount"])  # the net-result row
    table = cli("report", "balance-sheet").stdout
    assert "ASSETS" in table and "EQUITY" in table and "current-year result" in table
    all_agree(office, tmp_path)


def test_a_prior_year_not_closed_shows_as_its_own_equity_line(cli, clock):
    clock.set("2025-12-01T10:00:00+02:00")
    cli("ledger", "post", "Capital", "Assets:Bank", "1000", "Equity:Capital")
    cli("ledger", "post", "Rent", "Expenses:Rent", "300", "Assets:Bank")
    clock.set("2026-01-10T10:00:00+02:00")
    cli("ledger", "post", "Rent", "Expenses:Rent", "200", "Assets:Bank")
    got = {r["id"]: r["amount"] for r in rows(cli, "report", "balance-sheet")}
    assert got["result of prior years (not closed)"] == "-300.00"
    assert got["current-year result"] == "-200.00"
    assert got["Assets:Bank"] == "500.00" and got["Equity:Capital"] == "1000.00"
    assert got["total equity"] == "500.00" and got["difference"] == "0.00"


def test_aged_receivables_total_is_the_receivable_account(cli, office, quarter, refused):
    got = rows(cli, "report", "aged", "receivables")
    total = next(r for r in got if r["state"] == "total")
    check = next(r for r in got if r["state"] == "check")
    assert Decimal(total["owed"]) == account(cli, "Assets:Receivable") == Decimal(check["owed"])
    assert check["agrees"] is True
    # aged as of a past day: what was owed then
    past = rows(cli, "report", "aged", "receivables", "--date", "2026-02-12")
    ptotal = next(r for r in past if r["state"] == "total")
    assert Decimal(ptotal["owed"]) == account(cli, "Assets:Receivable", "--end", "2026-02-13")
    assert Decimal(ptotal["owed"]) == Decimal("85.32") - Decimal("31.00")  # INV1 gross less the credit
    summary = rows(cli, "report", "aged", "receivables", "--summary")
    assert Decimal(summary[-2]["total"]) == Decimal(total["owed"])
    # a posting to Receivable that belongs to no invoice: flagged, exit 1, nothing changed
    write_txn(
        office, "TXN-A-0903", "2026-03-31", [("Assets:Receivable", "10.00"), ("Income:Other", "-10.00")]
    )
    before = snapshot(office)
    result = cli("report", "aged", "receivables", code=1)
    assert "DISAGREES" in result.stdout
    assert "disagree with Assets:Receivable" in result.stderr and "\n" not in result.stderr.strip()
    assert snapshot(office) == before


# -- every format ------------------------------------------------------------------------------

REPORTS = {
    "trial": (("ledger", "trial", "--begin", "2026-02", "--end", "2026-04"), "total"),
    "balance-sheet": (("report", "balance-sheet", "--end", "2026-04"), "difference"),
    "aged": (("report", "aged", "receivables"), "total"),
    "aged-summary": (("report", "aged", "receivables", "--summary"), "total"),
    "vat": (("report", "vat", "--period", "2026-Q1"), "due"),
    "pnl": (("report", "pnl", "--begin", "2026-01", "--end", "2026-04"), "net result"),
    "sales": (("report", "sales", "--begin", "2026-01", "--end", "2026-04"), None),
}


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_every_report_in_every_format(cli, quarter, name):
    args, total_id = REPORTS[name]
    for fmt in FORMATS:
        out = cli(*args, "--format", fmt).stdout
        if fmt == "table":
            assert out.strip() and "Traceback" not in out
            if name == "trial":
                assert "TOTAL" in out
            continue
        if fmt == "json":
            data = json.loads(out)
        elif fmt == "yaml":
            data = yamlio.loads(out)
        else:
            data = list(csv.DictReader(io.StringIO(out)))
        assert isinstance(data, list) and data, (name, fmt)
        assert all("id" in r and ("state" in r or fmt == "csv") for r in data), (name, fmt)
        if total_id is not None:
            assert total_id in [r["id"] for r in data], (name, fmt)
            assert any(r.get("state") == "total" for r in data) or fmt == "csv", (name, fmt)
