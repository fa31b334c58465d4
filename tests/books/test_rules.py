"""The books' pure rules: balancing, account matching, VAT per rate, account names."""

from __future__ import annotations

from decimal import Decimal

import pytest

from officecli.office.books import invoices, ledger
from officecli.office.books.export import bean_account
from officecli.store.errors import UserError

D = Decimal


def test_balance_postings_fills_in_and_refuses():
    assert ledger.balance_postings([("A", D("1.10")), ("B", D("2.20")), ("C", None)]) == [
        ("A", D("1.10")),
        ("B", D("2.20")),
        ("C", D("-3.30")),
    ]
    with pytest.raises(UserError, match="sum to 0.01"):
        ledger.balance_postings([("A", D("0.10")), ("B", D("-0.09"))])
    with pytest.raises(UserError, match="two postings"):
        ledger.balance_postings([("A", None)])
    with pytest.raises(UserError, match="only one posting"):
        ledger.balance_postings([("A", D("1")), ("B", None), ("C", None)])
    assert str(ledger.balance_postings([("A", D("0")), ("B", D("-0.00"))])[1][1]) == "0.00"


def test_float_traps_do_not_happen():
    # 0.1 + 0.2 is 0.30000000000000004 in binary floating point; the books are decimal
    assert ledger.balance_postings([("A", D("0.1")), ("B", D("0.2")), ("C", D("-0.3"))])[2][1] == D("-0.30")


@pytest.mark.parametrize(
    "account, patterns, hit",
    [
        ("Assets:Bank", ["assets"], True),
        ("Assets:Bank", ["bank"], True),
        ("Assets:Bank", ["Assets:Bank"], True),
        ("Assets:Bank:Alpha", ["assets:bank"], True),
        ("Assets:Bank", ["Assets:Ba"], False),
        ("Assets:Bankruptcy", ["bank"], False),
        ("Assets:Bank", ["expenses", "BANK"], True),
        ("Assets:Bank", [], True),
    ],
)
def test_account_matching(account, patterns, hit):
    assert ledger.matches(account, patterns) is hit


def test_vat_is_rounded_once_per_rate():
    lines = [{"vat": "24", "net": "0.05"}, {"vat": "24", "net": "0.05"}, {"vat": "6", "net": "10.00"}]
    net, vat, gross = invoices.totals(lines)
    # per line 0.012 + 0.012 would round to 0.02; per rate 0.10 x 24% = 0.024 -> 0.02
    assert vat == {"24": {"net": "0.10", "vat": "0.02"}, "6": {"net": "10.00", "vat": "0.60"}}
    assert (net, gross) == (D("10.10"), D("10.72"))
    half = invoices.totals([{"vat": "13", "net": "0.50"}])  # 0.065 -> 0.07 (half-up)
    assert half[1]["13"]["vat"] == "0.07"


def test_beancount_names():
    assert bean_account("Assets:Bank", "asset") == "Assets:Bank"
    assert bean_account("Sales", "income") == "Income:Sales"
    assert bean_account("Assets:bank 2", "asset") == "Assets:Bank-2"
    assert bean_account("Expenses:Ενοίκιο", "expense") == "Expenses:Ενοίκιο"
    assert bean_account("Expenses:ρεύμα σπιτιού", "expense") == "Expenses:Ρεύμα-σπιτιού"
    assert bean_account("Assets:_x_", "asset") == "Assets:X"
    from officecli.office.books.export import bean_names

    assert bean_names({"Bank": "asset", "Assets:Bank": "asset"}) == {
        "Assets:Bank": "Assets:Bank",
        "Bank": "Assets:Bank-2",
    }


def test_period_words():
    assert ledger.parse_period("2026", "--begin").isoformat() == "2026-01-01"
    assert ledger.parse_period("2026-11", "--begin").isoformat() == "2026-11-01"
    with pytest.raises(UserError, match="no such day"):
        ledger.parse_period("2026-02-30", "--end")
