"""The exported books, checked by the real tools: beancount, hledger, ledger-cli.

Every account's balance must be the same, to the cent, in `officecli ledger
balance`, beancount (bean-check accepts the file; balances from its Python
API), `hledger -f FILE balance` and `ledger -f FILE balance`.

A missing tool makes its test skip with the reason -- except when $CI is set:
CI installs them all (apt: hledger ledger; pip: beancount), so there a
missing tool is a failure.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from officecli.cli import cli as officecli_cli

INSTALL = {
    "hledger": "apt-get install hledger",
    "ledger": "apt-get install ledger",
    "bean-check": "pip install beancount",
}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(what: str) -> None:
    reason = f"{what} is not installed ({INSTALL.get(what, 'pip install beancount')})"
    if in_ci():
        pytest.fail(f"{reason}: CI must install it")
    pytest.skip(reason)


def binary(name: str) -> str:
    path = shutil.which(name)
    if not path:
        missing(name)
    return path


def run_officecli(root: Path, *args: str) -> str:
    result = CliRunner().invoke(officecli_cli, ["--root", str(root), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def officecli_balances(root: Path, *period: str) -> dict[str, Decimal]:
    rows = json.loads(run_officecli(root, "ledger", "balance", "--flat", "--format", "json", *period))
    return {r["account"]: Decimal(r["balance"]) for r in rows if Decimal(r["balance"]) != 0}


def _amount(text: str, currency: str = "EUR") -> Decimal:
    text = text.strip()
    if text in ("0", ""):
        return Decimal("0")
    number, _, cur = text.partition(" ")
    assert cur.strip() == currency, text
    return Decimal(number.replace(",", ""))


def export(root: Path, to: str, tmp_path: Path, *period: str) -> Path:
    out = tmp_path / f"books.{to}"
    run_officecli(root, "ledger", "export", "--to", to, "-o", str(out), *period)
    return out


def hledger_balances(journal: Path) -> dict[str, Decimal]:
    exe = binary("hledger")
    proc = subprocess.run(
        [exe, "-f", str(journal), "balance", "--flat", "--no-total", "-O", "csv"],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(io.StringIO(proc.stdout)))[1:]
    out = {acct: _amount(amount) for acct, amount in rows}
    return {a: v for a, v in out.items() if v != 0}


def ledger_balances(journal: Path) -> dict[str, Decimal]:
    exe = binary("ledger")
    proc = subprocess.run(
        [
            exe,
            "-f",
            str(journal),
            "balance",
            "--flat",
            "--no-total",
            "--balance-format",
            "%(account)\t%(display_amount)\n",
        ],  # own, not with sub-accounts
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert proc.returncode == 0, proc.stderr
    out = {}
    for line in proc.stdout.splitlines():
        acct, _, amount = line.partition("\t")
        out[acct] = _amount(amount)
    return {a: v for a, v in out.items() if v != 0}


def beancount_balances(path: Path, names: dict[str, str] | None = None) -> dict[str, Decimal]:
    """Each account's own balance in beancount (``names``: beancount name -> ours)."""
    try:
        from beancount import loader
        from beancount.core import realization
    except ImportError:
        missing("beancount")
    check = shutil.which("bean-check")
    if check:
        proc = subprocess.run([check, str(path)], capture_output=True, text=True, encoding="utf-8")
        assert proc.returncode == 0, f"bean-check refused the file:\n{proc.stdout}{proc.stderr}"
    elif in_ci():
        pytest.fail("bean-check is not installed: CI must pip install beancount")
    entries, errors, _options = loader.load_file(str(path))
    assert not errors, [str(e) for e in errors][:5]
    real = realization.realize(entries)
    out = {}
    for acct in realization.iter_children(real):
        units = acct.balance.get_currency_units("EUR")
        if acct.account and units.number:
            out[(names or {}).get(acct.account, acct.account)] = Decimal(units.number)
    return out


def all_agree(root: Path, tmp_path: Path, *period: str) -> dict[str, Decimal]:
    ours = officecli_balances(root, *period)
    assert ours, "no postings: nothing would be compared"
    journal = export(root, "hledger", tmp_path, *period)
    bean = export(root, "beancount", tmp_path, *period)
    assert hledger_balances(journal) == ours
    assert ledger_balances(journal) == ours
    from officecli.office.books.export import bean_names
    from officecli.office.config import Config
    from officecli.store import yamlio

    chart = Config(yamlio.loads((root / "office.yaml").read_text("utf-8"))).accounts
    back = {b: a for a, b in bean_names(chart).items()}
    assert beancount_balances(bean, back) == ours
    return ours


def test_a_missing_tool_is_a_skip_here_and_a_failure_in_ci(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must install it"):
        binary("hledger")
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match="apt-get install ledger"):
        binary("ledger")


# -- generated books ----------------------------------------------------------------------


@pytest.fixture
def books(cli, office, clock):
    """Manual entries, stock, an order from add to paid, a partial payment, a
    credit note, a reversal; descriptions with quotes, ';' and Greek."""
    cli(
        "ledger",
        "post",
        "--date",
        "2026-10-01",
        'Μετοχικό "κεφάλαιο"; opening',
        "Assets:Bank",
        "50000",
        "Equity:Capital",
    )
    cli("product", "add", "MUG", "--name", "Κούπα", "--price", "12.50")
    cli("product", "add", "BOOK", "--name", "Βιβλίο", "--price", "22.00", "--vat", "6")
    cli("stock", "receive", "MUG", "100", "--cost", "4.23")
    cli("stock", "receive", "BOOK", "20", "--cost", "11.05")
    cli("stock", "adjust", "MUG", "-3", "--reason", "broken")
    cli("customer", "add", "Ταβέρνα (Πάρος)")
    for items in (["MUG:7", "BOOK:2"], ["MUG:13"], ["BOOK:3", "MUG:1"]):
        order = cli("order", "add", "--customer", "1", *items, "--format", "ids").stdout.strip()
        cli("order", "forward", order)
        cli("order", "ship", order)
        cli("order", "invoice", order)
    clock.set("2026-11-20T10:00:00+02:00")
    cli("invoice", "pay", "1", "all")
    cli("invoice", "pay", "2", "100.01", "--method", "cash")
    cli("invoice", "credit", "3", "--reason", "returned")
    cli("ledger", "post", "Rent \\ November", "Expenses:Rent", "1200", "Assets:Bank")
    wrong = cli(
        "ledger", "post", "Utilities (wrong)", "Expenses:Utilities", "99.99", "Assets:Bank", "--format", "ids"
    ).stdout.strip()
    cli("ledger", "reverse", wrong)
    clock.set("2026-12-02T10:00:00+02:00")  # posting dates are never after today
    cli("ledger", "post", "--date", "2026-12-01", "Utilities", "Expenses:Utilities", "145.20", "Assets:Bank")
    cli("ledger", "check")
    return office


def test_generated_books_agree_in_every_tool(books, tmp_path):
    ours = all_agree(books, tmp_path)
    assert ours["Assets:Receivable"] > 0 and "Expenses:COGS" in ours and "Assets:Cash" in ours


def test_a_period_agrees_in_every_tool(books, tmp_path):
    ours = all_agree(books, tmp_path, "--begin", "2026-11-20", "--end", "2026-12")
    assert "Equity:Capital" not in ours and ours["Expenses:Rent"] == Decimal("1200.00")


def test_the_tools_see_the_same_transactions(books, tmp_path):
    exe = binary("hledger")
    journal = export(books, "hledger", tmp_path)
    proc = subprocess.run(
        [exe, "-f", str(journal), "print", "-O", "csv"], capture_output=True, text=True, encoding="utf-8"
    )
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    ours = list(csv.DictReader(io.StringIO(run_officecli(books, "ledger", "export", "--to", "csv"))))
    assert len(rows) == len(ours)
    assert {r["code"] for r in rows} == {r["txn"] for r in ours}
    assert 'Μετοχικό "κεφάλαιο", opening' in {r["description"] for r in rows}


def test_unusual_account_names_agree_in_every_tool(cli, office, tmp_path):
    conf = office / "office.yaml"
    text = conf.read_text("utf-8").replace(
        "  Expenses:Other: expense\n",
        "  Expenses:Other: expense\n  Bank: asset\n  Assets:Bank:Alpha Bank: asset\n"
        "  Ταμείο:κεντρικό: asset\n  Έξοδα:Ενοίκιο γραφείου: expense\n  Έξοδα:Ενοίκιο-γραφείου: expense\n",
    )
    assert text != conf.read_text("utf-8")
    conf.write_text(text, "utf-8")
    cli(
        "ledger",
        "post",
        "a",
        "Bank",
        "10.01",
        "Assets:Bank",
        "20",
        "Assets:Bank:Alpha Bank",
        "30.03",
        "Ταμείο:κεντρικό",
        "0.99",
        "Equity:Capital",
    )
    cli(
        "ledger",
        "post",
        "b",
        "Έξοδα:Ενοίκιο γραφείου",
        "400",
        "Έξοδα:Ενοίκιο-γραφείου",
        "1.50",
        "Ταμείο:κεντρικό",
    )
    bean = export(office, "beancount", tmp_path).read_text("utf-8")
    assert "open Assets:Bank-2 EUR  ; Bank in office.yaml" in bean
    assert "open Expenses:Έξοδα:Ενοίκιο-γραφείου-2 EUR" in bean
    ours = all_agree(office, tmp_path)
    assert ours["Assets:Bank:Alpha Bank"] == Decimal("30.03") and ours["Bank"] == Decimal("10.01")


# -- the sample company ------------------------------------------------------------------------


@pytest.mark.slow
def test_the_sample_company_agrees_in_every_tool(tmp_path):
    from officecli.cli.sample import build

    root = build(tmp_path / "sample")
    run_officecli(root, "ledger", "check")
    ours = all_agree(root, tmp_path)
    for acct in ("Assets:Bank", "Assets:Receivable", "Income:Sales", "Expenses:Salaries", "Expenses:COGS"):
        assert acct in ours
    all_agree(root, tmp_path, "--begin", "2026-11", "--end", "2026-12")


# -- ten thousand random amounts -------------------------------------------------------------------


@pytest.mark.slow
def test_ten_thousand_random_amounts_agree_to_the_cent(cli, office, tmp_path):
    rnd = random.Random(5)
    accounts = [
        "Assets:Bank",
        "Assets:Cash",
        "Expenses:Other",
        "Expenses:Rent",
        "Income:Other",
        "Expenses:Utilities",
        "Expenses:Marketing",
    ]  # no control account (Payable needs --ref)
    cents = {a: 0 for a in accounts}
    for t in range(100):
        args = []
        for _ in range(99):
            acct = rnd.choice(accounts)
            c = rnd.randint(-99_999_999, 99_999_999)
            cents[acct] += c
            args += [acct, f"{Decimal(c) / 100:.2f}"]
        total = -sum(Decimal(a) for a in args[1::2])
        cents["Equity:Capital"] = cents.get("Equity:Capital", 0) + int(total * 100)
        cli(
            "ledger",
            "post",
            "--date",
            f"2026-{1 + t % 10:02d}-{1 + t % 28:02d}",
            f"batch {t}",
            *args,
            "Equity:Capital",
        )
    want = {a: Decimal(c) / 100 for a, c in cents.items() if c}
    assert officecli_balances(office) == want
    assert all_agree(office, tmp_path) == want
