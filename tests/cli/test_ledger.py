"""officecli ledger: post, reverse, balance, register, accounts, check, export."""

from __future__ import annotations

import csv
import io
import json
import random
from decimal import Decimal

import pytest

from officecli.store import yamlio


def txn_file(office, ident, month="2026/11"):
    return office / "back" / "ledger" / month / f"{ident}.yaml"


def load(path):
    return yamlio.loads(path.read_text("utf-8"))


def flat(cli, *args):
    rows = json.loads(cli("ledger", "balance", "--flat", "--format", "json", *args).stdout)
    return {r["account"]: Decimal(r["balance"]) for r in rows}


@pytest.fixture
def books(cli, clock):
    clock.set("2026-11-30T09:00:00+02:00")  # no posting is dated after today
    cli("ledger", "post", "--date", "2026-10-01", "Opening capital", "Assets:Bank", "10000", "Equity:Capital")
    cli("ledger", "post", "--date", "2026-11-05", "Rent", "Expenses:Rent", "800", "Assets:Bank", "-800")
    cli(
        "ledger",
        "post",
        "--date",
        "2026-11-06",
        "--ref",
        "TXN-A-0001",
        "--control",
        "Supplies",
        "Expenses:Other",
        "12.40",
        "Liabilities:VAT",
        "2.98",
        "Assets:Cash",
    )  # VAT: a control account
    cli("ledger", "post", "--date", "2026-11-07", "Petty cash", "Assets:Cash", "100", "Assets:Bank")
    return cli


# -- post ------------------------------------------------------------------------


def test_post_writes_one_balanced_file_per_transaction(cli, office):
    result = cli("ledger", "post", "Opening capital", "Assets:Bank", "10000", "Equity:Capital")
    assert result.stdout.split()[0] == "TXN-A-0001"
    data = load(txn_file(office, "TXN-A-0001"))
    assert data["date"] == "2026-11-02"
    assert data["description"] == "Opening capital"
    assert data["postings"] == [
        {"account": "Assets:Bank", "amount": "10000.00"},
        {"account": "Equity:Capital", "amount": "-10000.00"},
    ]
    assert data["by"] == "tester"


def test_post_fills_in_the_missing_amount_and_takes_negative_amounts(cli, office):
    cli(
        "ledger",
        "post",
        "--date",
        "2026-10-31",
        "--ref",
        "TXN-A-0001",
        "x",
        "Assets:Bank",
        "1",
        "Equity:Capital",
        ok=False,
    )  # ref to a record that does not exist yet
    cli("ledger", "post", "Supplies", "Expenses:Other", "12.40", "Expenses:Shipping", "2.98", "Assets:Cash")
    data = load(txn_file(office, "TXN-A-0001"))
    assert data["postings"][2] == {"account": "Assets:Cash", "amount": "-15.38"}
    cli(
        "ledger",
        "post",
        "--date",
        "2026-10-31",
        "--ref",
        "TXN-A-0001",
        "Refund",
        "Assets:Bank",
        "-20",
        "Income:Other",
        "20",
    )
    data = load(txn_file(office, "TXN-A-0002", "2026/10"))
    assert data["postings"][0]["amount"] == "-20.00" and data["ref"] == "TXN-A-0001"


def test_post_ids_only(cli):
    out = cli("ledger", "post", "--format", "ids", "x", "Assets:Bank", "1", "Equity:Capital").stdout
    assert out == "TXN-A-0001\n"


@pytest.mark.parametrize(
    "args, match",
    [
        (["Unbalanced", "Assets:Bank", "10", "Equity:Capital", "-9.99"], "sum to 0.01"),
        (["Single", "Assets:Bank", "10"], "two postings or more"),
        (["Two missing", "Assets:Bank", "10", "Equity:Capital", "Income:Other"], "only one posting"),
        (["Two amounts", "Assets:Bank", "10", "5", "Equity:Capital"], "already has the amount 10.00"),
        (["No account", "10", "Assets:Bank", "Equity:Capital"], "no account before it"),
        (["Typo", "Assets:Bnak", "10", "Equity:Capital"], "did you mean Assets:Bank"),
        (["Unknown", "Nowhere:At:All", "10", "Equity:Capital"], "'Nowhere:At:All'"),
        (["Cents", "Assets:Bank", "10.001", "Equity:Capital"], "'10.001'"),
        (["NaN", "Assets:Bank", "nan", "Equity:Capital"], "'nan'"),
        (["Inf", "Assets:Bank", "inf", "Equity:Capital"], "'inf'"),
        (["Inf", "Assets:Bank", "-Infinity", "Equity:Capital"], "'-Infinity'"),
        (["Huge", "Assets:Bank", "1e309", "Equity:Capital"], "'1e309'"),
        (["Float", "Assets:Bank", "0.1e1", "Equity:Capital"], "'0.1e1'"),
        (["", "Assets:Bank", "10", "Equity:Capital"], "description"),
        (["   ", "Assets:Bank", "10", "Equity:Capital"], "description"),
        (["--date", "2026-02-30", "Leap", "Assets:Bank", "10", "Equity:Capital"], "2026-02-30"),
        (
            ["--date", "31/11/2026", "Format", "Assets:Bank", "10", "Equity:Capital"],
            "31/11/2026",
        ),  # DD/MM/YYYY is read (docs/DAY.md); November has 30 days
        (["--ref", "ORD-A-0999", "Ref", "Assets:Bank", "10", "Equity:Capital"], "ORD-A-0999"),
        (["--ref", "../x", "Ref", "Assets:Bank", "10", "Equity:Capital"], "--ref"),
        (["Nothing", "Assets:Bank", "0", "Equity:Capital"], "moves nothing"),
    ],
)
def test_post_refusals(refused, args, match):
    refused("ledger", "post", *args, match=match)


def test_post_without_postings_is_a_usage_error(cli):
    cli("ledger", "post", "Nothing", code=2)


def test_the_unknown_account_error_names_the_closest(cli):
    err = cli("ledger", "post", "x", "Expenses:Rnet", "5", "Assets:Bank", code=1).stderr
    assert "Expenses:Rent" in err and "office.yaml" in err


# -- reverse -------------------------------------------------------------------------


def test_reverse_posts_the_opposite_once(books, office):
    out = books("ledger", "reverse", "2", "--date", "2026-11-30").stdout
    assert out.split()[0] == "TXN-A-0005"
    data = load(txn_file(office, "TXN-A-0005"))
    assert data["reverses"] == "TXN-A-0002" and data["date"] == "2026-11-30"
    assert data["postings"] == [
        {"account": "Expenses:Rent", "amount": "-800.00"},
        {"account": "Assets:Bank", "amount": "800.00"},
    ]
    assert load(txn_file(office, "TXN-A-0002"))["postings"][0]["amount"] == "800.00"  # untouched
    assert "Expenses:Rent" not in flat(books)


def test_reverse_refusals(books, refused):
    books("ledger", "reverse", "TXN-A-0002")
    refused("ledger", "reverse", "TXN-A-0002", match="already reversed by TXN-A-0005")
    refused("ledger", "reverse", "TXN-A-0099", match="no such ledger txn")
    refused("ledger", "reverse", "3", "--date", "2026-13-01", match="2026-13-01")


# -- balance ----------------------------------------------------------------------------

TREE = """\
        9,184.62 EUR  Assets
        9,100.00 EUR    Bank
           84.62 EUR    Cash
      -10,000.00 EUR  Equity:Capital
          812.40 EUR  Expenses
           12.40 EUR    Other
          800.00 EUR    Rent
            2.98 EUR  Liabilities:VAT
--------------------
                   0
"""


def test_balance_is_a_tree_with_subtotals(books):
    assert books("ledger", "balance").stdout == TREE


def test_balance_depth_prefix_and_period(books):
    out = books("ledger", "balance", "--depth", "1").stdout.splitlines()
    assert [line.split()[-1] for line in out[:4]] == ["Assets", "Equity", "Expenses", "Liabilities"]
    assert out[0].split()[0] == "9,184.62"
    assert flat(books, "assets") == {"Assets:Bank": Decimal("9100.00"), "Assets:Cash": Decimal("84.62")}
    assert flat(books, "--begin", "2026-11", "--end", "2026-11-06") == {
        "Expenses:Rent": Decimal("800.00"),
        "Assets:Bank": Decimal("-800.00"),
    }
    assert flat(books, "--end", "2026-11") == {
        "Assets:Bank": Decimal("10000.00"),
        "Equity:Capital": Decimal("-10000.00"),
    }
    assert flat(books, "Expenses:Rent", "equity") == {
        "Expenses:Rent": Decimal("800.00"),
        "Equity:Capital": Decimal("-10000.00"),
    }
    assert flat(books, "Assets:Ba") == {}
    assert flat(books, "rent", "CASH") == {
        "Expenses:Rent": Decimal("800.00"),
        "Assets:Cash": Decimal("84.62"),
    }
    total = books("ledger", "balance", "expenses").stdout.splitlines()[-1].strip()
    assert total == "812.40 EUR"


def test_balance_json_rows(books):
    rows = json.loads(books("ledger", "balance", "--format", "json").stdout)
    assert rows[0] == {
        "id": "Assets",
        "state": "asset",
        "account": "Assets",
        "depth": 1,
        "balance": "9184.62",
    }
    assert {"id", "state"} <= set(rows[-1])


def test_balance_refuses_bad_dates(books, refused):
    refused("ledger", "balance", "--begin", "2026-02-30", match="2026-02-30")
    refused("ledger", "balance", "--end", "2026-13", match="2026-13")


def test_empty_books(cli):
    assert cli("ledger", "balance").stdout.splitlines()[-1].strip() == "0"
    assert cli("ledger", "register").stdout.strip() == "(none)"


# -- register and accounts ----------------------------------------------------------------


def test_register_running_balance(books):
    rows = json.loads(books("ledger", "register", "assets:bank", "--format", "json").stdout)
    assert [(r["id"], r["amount"], r["balance"]) for r in rows] == [
        ("TXN-A-0001", "10000.00", "10000.00"),
        ("TXN-A-0002", "-800.00", "9200.00"),
        ("TXN-A-0004", "-100.00", "9100.00"),
    ]
    rows = json.loads(
        books("ledger", "register", "Assets:Bank", "-b", "2026-11", "-H", "--format", "json").stdout
    )
    assert [r["balance"] for r in rows] == ["9200.00", "9100.00"]
    rows = json.loads(books("ledger", "register", "Assets:Bank", "-b", "2026-11", "--format", "json").stdout)
    assert [r["balance"] for r in rows] == ["-800.00", "-900.00"]
    table = books("ledger", "register", "Assets:Cash").stdout
    assert "Supplies" in table and "-15.38" in table and "84.62" in table


def test_accounts_lists_the_chart(books):
    rows = json.loads(books("ledger", "accounts", "--format", "json").stdout)
    by = {r["account"]: r for r in rows}
    assert by["Assets:Bank"]["type"] == "asset" and by["Assets:Bank"]["postings"] == 3
    assert by["Assets:Bank"]["balance"] == "9100.00"
    assert by["Expenses:Salaries"]["postings"] == 0
    ids = books("ledger", "accounts", "--format", "ids").stdout.split()
    assert "Liabilities:VAT" in ids


# -- check ---------------------------------------------------------------------------------


def test_check_passes_on_good_books(books):
    assert books("ledger", "check").stdout == ""  # silent when the books are fine


def test_check_reports_every_problem_one_line_each(books, office):
    path = txn_file(office, "TXN-A-0002")
    path.write_text(path.read_text("utf-8").replace("'-800.00'", "'-799.00'"), "utf-8")
    path = txn_file(office, "TXN-A-0003")
    path.write_text(
        path.read_text("utf-8")
        .replace("Expenses:Other", "Expenses:Otherz")
        .replace("2026-11-06", "2026-02-30"),
        "utf-8",
    )
    bad = office / "back" / "ledger" / "2026" / "11" / "TXN-A-0009.yaml"
    bad.write_text("id: TXN-A-0009\ndate: [\n", "utf-8")
    result = books("ledger", "check", code=1)
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 4, lines
    text = result.stdout
    assert "TXN-A-0002.yaml: postings: do not balance, they sum to 1.00" in text
    assert "'Expenses:Otherz' is not in office.yaml" in text
    assert "2026-02-30" in text
    assert "TXN-A-0009.yaml" in text
    assert "4 problem(s)" in result.stderr


# -- exports ----------------------------------------------------------------------------------


def test_export_hledger_journal(books):
    text = books("ledger", "export", "--to", "hledger").stdout
    assert "account Assets:Bank  ; type: A" in text
    assert "2026-11-05 * (TXN-A-0002) Rent\n    ; txn: TXN-A-0002\n" in text
    assert "    Expenses:Rent" in text and "800.00 EUR" in text


def test_export_beancount_has_opens_and_balance_assertions(books):
    text = books("ledger", "export", "--to", "beancount", "--end", "2026-12").stdout
    assert 'option "operating_currency" "EUR"' in text
    assert "2026-10-01 open Assets:Bank EUR" in text
    assert '2026-11-05 * "Rent"\n  txn: "TXN-A-0002"\n' in text
    assert [line.split()[-2] for line in text.splitlines() if " balance Assets:Bank " in line] == ["9100.00"]


def test_export_csv_and_period(books, tmp_path):
    out = tmp_path / "b.csv"
    books("ledger", "export", "--to", "csv", "--begin", "2026-11", "-o", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert {r["txn"] for r in rows} == {"TXN-A-0002", "TXN-A-0003", "TXN-A-0004"}
    assert sum(Decimal(r["amount"]) for r in rows) == 0
    assert rows[0]["currency"] == "EUR" and rows[0]["kind"] == "manual"


def test_beancount_account_names_are_made_valid():
    from officecli.office.books.export import bean_account

    assert bean_account("Assets:Bank", "asset") == "Assets:Bank"
    assert bean_account("Bank:alpha bank", "asset") == "Assets:Bank:Alpha-bank"
    assert bean_account("Expenses:Ενοίκιο", "expense") == "Expenses:Ενοίκιο"


# -- money is Decimal end to end -------------------------------------------------------------------


def test_ten_thousand_random_amounts_add_up_to_the_cent(cli, office):
    rnd = random.Random(20261126)
    accounts = ["Assets:Bank", "Assets:Cash", "Expenses:Other", "Expenses:Rent", "Income:Other"]
    args, cents = [], {a: 0 for a in accounts}
    for _ in range(10_000):
        acct = rnd.choice(accounts)
        c = rnd.randint(-10_000_000, 10_000_000)
        cents[acct] += c
        args += [acct, f"{Decimal(c) / 100:.2f}"]
    cli("ledger", "post", "Ten thousand amounts", *args, "Equity:Capital")
    want = {a: Decimal(c) / 100 for a, c in cents.items() if c}
    want["Equity:Capital"] = -Decimal(sum(cents.values())) / 100
    assert flat(cli) == want
    assert load(txn_file(office, "TXN-A-0001"))["postings"][-1]["amount"] == str(want["Equity:Capital"])


def test_a_parent_whose_children_cancel_out_still_shows_them(cli):
    cli("ledger", "post", "Move cash", "Assets:Bank", "100", "Assets:Cash")
    cli("ledger", "post", "Rent", "Expenses:Rent", "50", "Equity:Capital")
    assert (
        cli("ledger", "balance").stdout
        == """\
                   0  Assets
          100.00 EUR    Bank
         -100.00 EUR    Cash
          -50.00 EUR  Equity:Capital
           50.00 EUR  Expenses:Rent
--------------------
                   0
"""
    )
    assert "Equity" not in cli("ledger", "balance", "--empty", "assets").stdout
    out = cli("ledger", "balance", "--empty", "assets").stdout
    assert "Receivable" in out and "Inventory" in out


def test_post_and_reverse_want_a_whole_date(books, refused):
    refused(
        "ledger", "post", "--date", "2026-11", "x", "Assets:Bank", "1", "Equity:Capital", match="YYYY-MM-DD"
    )
    refused("ledger", "reverse", "2", "--date", "2026", match="YYYY-MM-DD")


def test_check_finds_a_ref_to_a_record_that_is_gone(books, office):
    path = txn_file(office, "TXN-A-0002")
    path.write_text(path.read_text("utf-8").replace("at:", "ref: ORD-A-0042\nat:", 1), "utf-8")
    out = books("ledger", "check", code=1).stdout
    assert out.strip() == "back/ledger/2026/11/TXN-A-0002.yaml: ref: no record ORD-A-0042"
