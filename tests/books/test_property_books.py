"""Seeded random workloads through the CLI: the books never drift and refusals change nothing.

Each workload drives a fresh office through a few hundred operations --
receipts at awkward costs (1.01, 0.33, 3.37 ...), shipments, adjustments up
and down, customer returns (some damaged), invoices, partial payments,
partial credits, month closes -- with the clock moving forward. Every few
steps (every step in the slow variant):

* `ledger check` is clean (it proves every subledger against its account);
* Assets:Inventory = the value of the stock (`stock list`) to the cent, and
  a product with nothing on hand has no value;
* Assets:Receivable = what the invoices are owed (`invoice list`);
* every refusal tried (control account, reversing an automatic entry, a
  posting inside the closed period, a future date, a credit note out of
  order) exits 1 with one line on stderr and leaves the tree as it was.

At the end the exports agree with hledger, ledger-cli and beancount.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from officecli.store import yamlio
from tests.books.test_payroll_liabilities import RATES as PAYROLL_RATES
from tests.books.test_real_tools import all_agree
from tests.conftest import snapshot


def load(path):
    return yamlio.loads(path.read_text("utf-8"))


COSTS = ("1.00", "1.01", "0.33", "3.37", "0.07", "12.99", "2.50", "0.99")
SKUS = ("MUG", "BOWL", "VASE")


class Workload:
    def __init__(self, cli, clock, office, seed: int):
        self.cli, self.clock, self.office = cli, clock, office
        self.rng = random.Random(seed)
        self.now = datetime.fromisoformat("2026-01-05T10:00:00+02:00")
        self.have = {s: 0 for s in SKUS}
        self.shipped: list[tuple[str, dict[str, int]]] = []  # (order, pieces not yet returned)
        self.closed = None
        self.refusals = 0
        clock.set(self.now.isoformat())
        cli("ledger", "post", "Opening capital", "Assets:Bank", "100000", "Equity:Capital")
        for sku in SKUS:
            cli(
                "product",
                "add",
                sku,
                "--name",
                sku.title(),
                "--price",
                self.rng.choice(("3.10", "9.99", "14.50")),
            )
        cli("customer", "add", "Ταβέρνα")

    def maybe(self, *args):
        """Run a command that may be refused (exit 0 or 1, never a traceback)."""
        from click.testing import CliRunner

        from officecli.cli import cli as officecli_cli

        result = CliRunner().invoke(
            officecli_cli, ["--root", str(self.office), *map(str, args)], catch_exceptions=False
        )
        assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
        return result

    # -- time ---------------------------------------------------------------------------
    def tick(self) -> None:
        self.now += timedelta(hours=self.rng.choice((1, 5, 20, 30)))
        self.clock.set(self.now.isoformat())

    # -- operations ---------------------------------------------------------------------------
    def receive(self):
        sku = self.rng.choice(SKUS)
        n = self.rng.randint(1, 7)
        self.cli("stock", "receive", sku, n, "--cost", self.rng.choice(COSTS))
        self.have[sku] += n

    def adjust(self):
        sku = self.rng.choice(SKUS)
        if self.have[sku] and self.rng.random() < 0.7:
            n = -self.rng.randint(1, self.have[sku])
        elif self.have[sku] or self.rng.random() < 0.3:
            n = self.rng.randint(1, 3)
        else:
            return
        self.cli("stock", "adjust", sku, f"{n:+d}", "--reason", "count")
        self.have[sku] += n

    def ship(self):
        stocked = [s for s in SKUS if self.have[s]]
        if not stocked:
            return self.receive()
        items = {}
        for sku in self.rng.sample(stocked, self.rng.randint(1, len(stocked))):
            items[sku] = (
                self.have[sku]
                if self.rng.random() < 0.5  # often the last pieces
                else self.rng.randint(1, self.have[sku])
            )
        order = self.cli(
            "order", "add", "--customer", "1", *[f"{s}:{q}" for s, q in items.items()], "--format", "ids"
        ).stdout.strip()
        self.cli("order", "forward", order)
        self.cli("order", "ship", order)
        for sku, q in items.items():
            self.have[sku] -= q
        if self.rng.random() < 0.8:
            self.cli("order", "invoice", order)
        self.shipped.append((order, dict(items)))

    def give_back(self):
        left = [(o, items) for o, items in self.shipped if any(items.values())]
        if not left:
            return
        order, items = self.rng.choice(left)
        sku = self.rng.choice([s for s, q in items.items() if q])
        n = self.rng.randint(1, items[sku])
        rma = self.cli(
            "return", "add", "--order", order, f"{sku}:{n}", "--reason", "wrong", "--format", "ids"
        ).stdout.strip()
        damaged = self.rng.randint(0, n) if self.rng.random() < 0.3 else 0
        self.cli("return", "receive", rma, *(["--damaged", f"{sku}:{damaged}"] if damaged else []))
        items[sku] -= n
        self.have[sku] += n - damaged
        if self.rng.random() < 0.7:
            self.maybe("return", "credit", rma)  # refused when the order is not invoiced

    def open_invoices(self) -> list[dict]:
        rows = json.loads(self.cli("invoice", "list", "--state", "open", "--format", "json").stdout)
        return [r for r in rows if Decimal(r["owed"]) > 0]

    def pay(self):
        open_ = self.open_invoices()
        if not open_:
            return
        inv = self.rng.choice(open_)
        owed = Decimal(inv["owed"])
        part = (
            "all"
            if self.rng.random() < 0.4 or owed < 1
            else str((owed * Decimal(self.rng.randint(10, 90)) / 100).quantize(Decimal("0.01")))
        )
        self.cli("invoice", "pay", inv["id"], part, "--method", self.rng.choice(("bank", "cash")))

    def credit(self):
        open_ = self.open_invoices()
        if not open_:
            return
        inv = self.rng.choice(open_)
        amount = min(Decimal(inv["owed"]), Decimal(self.rng.choice(("0.01", "1.00", "3.33"))))
        self.maybe("invoice", "credit", inv["id"], "--amount", str(amount))  # > not yet credited: refused

    def close(self):
        first = self.now.date().replace(day=1)
        last = first - timedelta(days=1)  # the end of last month
        if self.closed is None or last > self.closed:
            self.cli("ledger", "close", last.strftime("%Y-%m"))
            self.closed = last

    def step(self):
        self.tick()
        op = self.rng.choices(
            (self.receive, self.adjust, self.ship, self.give_back, self.pay, self.credit, self.close),
            weights=(5, 2, 5, 2, 3, 2, 1),
        )[0]
        op()

    # -- refusals ---------------------------------------------------------------------------
    def refused(self, *args, match: str) -> None:
        before = snapshot(self.office)
        result = self.cli(*args, code=1)
        err = result.stderr.strip()
        assert "\n" not in err and match.lower() in err.lower(), (args, err)
        assert snapshot(self.office) == before, f"{args}: a refused command changed the tree"
        self.refusals += 1

    def try_refusals(self):
        today = self.now.date()
        self.refused(
            "ledger",
            "post",
            "--date",
            (today + timedelta(days=1)).isoformat(),
            "Soon",
            "Expenses:Rent",
            "1",
            "Assets:Bank",
            match="after today",
        )
        self.refused(
            "ledger",
            "post",
            "Fix",
            self.rng.choice(
                ("Assets:Inventory", "Assets:Receivable", "Liabilities:VAT", "Liabilities:Payroll")
            ),
            "1",
            "Income:Other",
            match="control account",
        )
        if self.closed is not None:
            self.refused(
                "ledger",
                "post",
                "--date",
                self.closed.isoformat(),
                "Late",
                "Expenses:Rent",
                "1",
                "Assets:Bank",
                match="closed period",
            )
        txns = json.loads(self.cli("ledger", "register", "Inventory", "--format", "json").stdout)
        if txns:
            self.refused("ledger", "reverse", self.rng.choice(txns)["id"], match="not reversed by hand")
        open_ = self.open_invoices()
        if open_:  # a clock gone back: out of order
            inv = max(open_, key=lambda r: r["date"])
            back = self.now - timedelta(days=self.rng.choice((1, 3, 40)))
            crn_dates = [load(p)["date"] for p in self.office.glob("back/invoices/credit-notes/*.yaml")]
            day = back.date().isoformat()
            if (
                day < inv["date"]
                or day < max(crn_dates, default="")
                or (self.closed is not None and day <= self.closed.isoformat())
            ):
                self.clock.set(back.isoformat())
                self.refused(
                    "invoice",
                    "credit",
                    inv["id"],
                    "--amount",
                    "0.01",
                    match="" if self.closed is not None else "date",
                )
                self.clock.set(self.now.isoformat())

    # -- the invariants ----------------------------------------------------------------------
    def holds(self):
        result = self.maybe("ledger", "check")
        assert result.exit_code == 0, result.stdout
        bal = {
            r["account"]: Decimal(r["balance"])
            for r in json.loads(self.cli("ledger", "balance", "--flat", "--format", "json").stdout)
        }
        rows = json.loads(self.cli("stock", "list", "--all", "--format", "json").stdout)
        value = sum((Decimal(r["value"]) for r in rows), Decimal("0"))
        assert bal.get("Assets:Inventory", Decimal("0")) == value
        for r in rows:
            assert r["on_hand"] == self.have[r["sku"]], r
            assert r["on_hand"] > 0 or Decimal(r["value"]) == 0, r
        invoices = json.loads(
            self.cli(
                "invoice",
                "list",
                "--state",
                "open",
                "--state",
                "paid",
                "--state",
                "credited",
                "--format",
                "json",
            ).stdout
        )
        owed = sum((Decimal(r["owed"]) for r in invoices), Decimal("0"))
        assert bal.get("Assets:Receivable", Decimal("0")) == owed


def run(cli, clock, office, seed: int, steps: int, every: int, tmp_path) -> Workload:
    w = Workload(cli, clock, office, seed)
    for i in range(1, steps + 1):
        w.step()
        if i % every == 0:
            w.holds()
        if i % 25 == 0:
            w.try_refusals()
    w.holds()
    all_agree(office, tmp_path)
    return w


@pytest.mark.parametrize("seed", [1])
def test_random_workload_keeps_every_subledger_on_its_account(cli, clock, office, tmp_path, seed):
    w = run(cli, clock, office, seed, steps=60, every=10, tmp_path=tmp_path)
    assert w.refusals >= 6 and w.closed is not None


@pytest.mark.slow
@pytest.mark.parametrize("seed", [11, 12, 13])
def test_random_workload_checked_after_every_step(cli, clock, office, tmp_path, seed):
    w = run(cli, clock, office, seed, steps=250, every=1, tmp_path=tmp_path)
    assert w.refusals >= 20


# -- the accountant's year (issue 23) -----------------------------------------------------------
# The same books over fourteen months with everything an accountant signs: bills without a PO
# (rent, power, stock received without a PO billed later), their payments, money customers
# pay on account and its use, a Greek payroll (ΕΦΚΑ and ΦΜΥ by office.yaml rates, a raise
# back-dated into a run month: a correction), the VAT return settled and paid every month, each
# month closed, and the year closed in either order (its months first, or the year at once).
# At every month end, checked on the export by hledger:
#   * Liabilities:Payable = aged payables (as of the day) = what the open bills owe;
#   * the month's VAT return = the movement of the VAT accounts, settlements left out;
#   * report pnl / report sales = hledger's income and expenses / Income:Sales movement, for
#     the month and the year so far, the closing entry left out.

BILL_LINES = (
    ("Ενοίκιο", ("450.00", "500.00"), "24", "Expenses:Rent"),
    ("Ρεύμα", ("61.37", "80.65", "93.11"), "6", "Expenses:Utilities"),
    ("Διαφήμιση", ("33.33", "120.00"), "24", "Expenses:Marketing"),
    ("Βιβλία", ("10.01", "7.77"), "13", "Expenses:Other"),
)


def hledger(journal, *args) -> dict[str, Decimal]:
    """hledger's own balance of each account for the query ``args`` (flat, no total)."""
    import csv
    import io
    import subprocess

    from tests.books.test_real_tools import _amount, binary

    proc = subprocess.run(
        [binary("hledger"), "-f", str(journal), "balance", "--flat", "--no-total", "-O", "csv", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert proc.returncode == 0, proc.stderr
    out = {acct: _amount(amount) for acct, amount in list(csv.reader(io.StringIO(proc.stdout)))[1:]}
    return {a: v for a, v in out.items() if v != 0}


class AccountantYear(Workload):
    def __init__(self, cli, clock, office, seed: int, year_first: bool):
        path = office / "office.yaml"
        path.write_text(path.read_text("utf-8") + PAYROLL_RATES, "utf-8")
        super().__init__(cli, clock, office, seed)
        self.year_first = year_first
        self.tmp = None
        self.month = self.now.strftime("%Y-%m")
        self.unbilled: list[str] = []
        self.checked = 0
        for name in ("Ιδιοκτήτης", "ΔΕΗ", "Εργαστήριο Σίφνου"):
            cli("supplier", "add", name)
        cli("customer", "add", "Καφενείο")
        for name, salary, start in (("Μαρία", "1850.00", "2025-03-01"), ("Νίκος", "1120.50", "2025-11-17")):
            cli(
                "employee", "add", name, "--office", "back", "--department", "warehouse", "--title", "Staff",
                "--salary", salary, "--start", start,
            )  # fmt: skip
        self.staff = ["EMP-A-0001", "EMP-A-0002"]

    def tick(self) -> None:
        self.now += timedelta(hours=self.rng.choice((12, 24, 36, 48)))
        self.clock.set(self.now.isoformat())

    # -- the new operations -------------------------------------------------------------------
    def receive(self):
        sku = self.rng.choice(SKUS)
        n = self.rng.randint(1, 7)
        cost = self.rng.choice((*COSTS, "3.333", "0.0125"))
        mov = self.cli("stock", "receive", sku, n, "--cost", cost, "--format", "ids").stdout.strip()
        self.have[sku] += n
        self.unbilled.append(mov)

    def bill_receipts(self):
        if not self.unbilled:
            return
        take = self.rng.sample(self.unbilled, self.rng.randint(1, min(3, len(self.unbilled))))
        args = [a for mov in take for a in ("--receipt", f"{mov}:{self.rng.choice(('24', '13'))}")]
        self.cli("bill", "add", "--supplier", "3", "--date", self.now.date().isoformat(), *args)
        self.unbilled = [m for m in self.unbilled if m not in take]

    def bill_add(self):
        chosen = self.rng.sample(BILL_LINES, self.rng.randint(1, 2))
        lines = [(d, self.rng.choice(nets), rate, acct) for d, nets, rate, acct in chosen]
        args = [a for d, net, rate, acct in lines for a in ("--line", f"{d}:{net}:{rate}:{acct}")]
        by_rate: dict[str, Decimal] = {}
        for _, net, rate, _ in lines:
            by_rate[rate] = by_rate.get(rate, Decimal("0")) + Decimal(net)
        ours = sum(
            (
                (n * Decimal(r) / 100).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
                for r, n in by_rate.items()
            ),
            Decimal("0"),
        )
        if self.rng.random() < 0.3:  # the supplier printed a cent more
            args += ["--vat-total", str(ours + Decimal("0.01"))]
        self.cli(
            "bill",
            "add",
            "--supplier",
            self.rng.choice(("1", "2")),
            "--date",
            self.now.date().isoformat(),
            *args,
        )

    def bill_pay(self):
        rows = json.loads(self.cli("bill", "list", "--state", "open", "--format", "json").stdout)
        if not rows:
            return
        bill = self.rng.choice(rows)
        owed = Decimal(bill["owed"])
        part = "all" if self.rng.random() < 0.6 or owed < 1 else str((owed / 2).quantize(Decimal("0.01")))
        self.cli("bill", "pay", bill["id"], part)

    def on_account(self):
        self.cli("customer", "pay", self.rng.choice(("1", "2")), self.rng.choice(("5.00", "12.34", "50.00")))

    def from_credit(self):
        have = {
            c: Decimal(
                json.loads(self.cli("customer", "show", c, "--format", "json").stdout)[0]["on_account"]
            )
            for c in ("1",)
        }
        open_ = [r for r in self.open_invoices() if r["customer"] == "CUS-A-0001"]
        if open_ and have["1"] > 0:
            self.cli("invoice", "pay", self.rng.choice(open_)["id"], "--from-credit")

    def raise_pay(self):
        """A raise back-dated to the first day of last month: a month already run is corrected."""
        first = (self.now.date().replace(day=1) - timedelta(days=1)).replace(day=1)
        if first < date(2026, 1, 1):
            return  # no payroll was run before the workload began
        salary = self.rng.choice(("1900.00", "1950.55", "2010.10"))
        # that month is run and closed: its correction is booked today by the next run (fault 7)
        self.cli(
            "employee", "edit", self.rng.choice(self.staff), "--salary", salary, "--from", first.isoformat()
        )

    def step(self):
        self.tick()
        month = self.now.strftime("%Y-%m")
        if month != self.month:
            self.month_end(self.month)
            self.month = month
        op = self.rng.choices(
            (
                self.receive, self.adjust, self.ship, self.give_back, self.pay, self.credit,
                self.bill_receipts, self.bill_add, self.bill_pay, self.on_account, self.from_credit,
                self.raise_pay,
            ),
            weights=(5, 2, 5, 2, 3, 2, 2, 2, 2, 1, 1, 1),
        )[0]  # fmt: skip
        op()

    # -- the month end ------------------------------------------------------------------------------
    def month_end(self, month: str) -> None:
        """Payroll of the month (and any correction), the checks, the VAT settled, the month closed."""
        for row in json.loads(self.cli("payroll", "list", "--format", "json").stdout):
            if row.get("pending") is True:
                self.cli("payroll", "run", row["id"])
        self.cli("payroll", "run", month)
        for row in json.loads(self.cli("payroll", "list", "--format", "json").stdout):
            if row["state"] != "paid":
                self.cli("payroll", "pay", row["id"])
            self.maybe("payroll", "remit", row["id"])  # refused: nothing left to remit
        self.invariants(month)
        settled = self.maybe("vat", "settle", month)
        if settled.exit_code == 0:
            self.refused("vat", "settle", month, match="already settled")
            if self.rng.random() < 0.8:
                self.maybe("vat", "pay", month)
        for row in json.loads(self.cli("vat", "list", "--format", "json").stdout):
            if row["state"] == "settled" and row["due"] != "0.00":
                self.cli("vat", "pay", row["id"])  # the one left for later
        if month.endswith("-12"):
            if self.year_first:
                self.cli("ledger", "close", "--year", month[:4])
                self.refused("ledger", "close", month, match="already closed")
            else:
                self.cli("ledger", "close", month)
                self.cli("ledger", "close", "--year", month[:4])
            self.refused("ledger", "close", "--year", month[:4], match="already closed")
        else:
            self.cli("ledger", "close", month)
        self.closed = datetime.fromisoformat(month + "-01").date().replace(day=28) + timedelta(days=4)
        self.closed = self.closed.replace(day=1) - timedelta(days=1)

    def invariants(self, month: str) -> None:
        from tests.books.test_real_tools import export

        first = datetime.fromisoformat(month + "-01").date()
        after = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        last = after - timedelta(days=1)
        journal = export(self.office, "hledger", self.tmp)
        j = ("-e", after.isoformat())
        # Payable = aged payables as of the month's last day = what the open bills owe
        payable = -hledger(journal, "Liabilities:Payable", *j).get("Liabilities:Payable", Decimal("0"))
        aged = json.loads(
            self.cli("report", "aged", "payables", "--date", last.isoformat(), "--format", "json").stdout
        )
        check = next(r for r in aged if r["state"] == "check")
        total = next(r for r in aged if r["state"] == "total")
        bills = json.loads(self.cli("bill", "list", "--state", "open", "--format", "json").stdout)
        assert Decimal(check["owed"]) == payable == Decimal(total["owed"]), (month, check, total, payable)
        assert sum((Decimal(b["owed"]) for b in bills), Decimal("0")) == payable, month
        # the VAT return = the VAT accounts' movement, settlements left out
        span = ("-b", first.isoformat(), "-e", after.isoformat())
        moved = hledger(journal, "Liabilities:VAT", "Assets:VATInput", *span, "not:tag:kind=vat-settle")
        vat = {
            r["id"]: r
            for r in json.loads(self.cli("report", "vat", "--period", month, "--format", "json").stdout)
        }
        out_side = Decimal(vat["output"]["vat"]) + Decimal(vat["credited"]["vat"])
        assert out_side == -moved.get("Liabilities:VAT", Decimal("0")), (month, vat, moved)
        assert Decimal(vat["input"]["vat"]) == moved.get("Assets:VATInput", Decimal("0")), (month, vat, moved)
        assert all(r["agrees"] for r in vat.values() if r["state"] == "check"), vat
        # P&L and sales = hledger's income statement and Income:Sales, the closing entry left out
        year = first.replace(month=1)
        for b in (first, year):
            period = ("--begin", b.isoformat(), "--end", after.isoformat())
            books = hledger(
                journal,
                "^Income",
                "^Expenses",
                "-b",
                b.isoformat(),
                "-e",
                after.isoformat(),
                "not:tag:kind=close",
            )
            pnl = json.loads(self.cli("report", "pnl", *period, "--format", "json").stdout)
            ours = {
                r["id"]: -Decimal(r["amount"]) for r in pnl if r["state"] != "total" and Decimal(r["amount"])
            }
            assert ours == books, (month, b, ours, books)
            sales = json.loads(self.cli("report", "sales", *period, "--format", "json").stdout)
            assert sum((Decimal(r["net"]) for r in sales), Decimal("0")) == -books.get(
                "Income:Sales", Decimal("0")
            )
        self.checked += 1

    def coverage(self) -> dict[str, int]:
        """How many of each new thing the workload did (read from the tree)."""
        bills = [load(p) for p in self.office.glob("back/bills/*/*.yaml")]
        txns = [load(p) for p in self.office.glob("back/ledger/*/*/*.yaml")]
        kinds = [t.get("kind") for t in txns]
        return {
            "bills without a PO": sum(1 for b in bills if not b.get("purchase")),
            "receipts billed": sum(1 for b in bills for x in b["lines"] if x.get("receipt")),
            "VAT as printed": sum(1 for b in bills if b.get("vat_difference")),
            "bills paid": sum(1 for b in bills if b["history"][-1]["action"] == "pay"),
            "VAT settled": kinds.count("vat-settle"),
            "VAT paid": kinds.count("vat-payment"),
            "money on account": kinds.count("on-account"),
            "paid from it": sum(1 for t in txns if t.get("kind") == "payment" and t.get("document")),
            "payroll corrections": len(list(self.office.glob("back/hr/payroll/corrections/*.yaml"))),
            "ΕΦΚΑ/ΦΜΥ remitted": sum(1 for t in txns if "ΕΦΚΑ and ΦΜΥ paid" in t["description"]),
        }

    def finish(self) -> None:
        for cmd in (("ledger", "check"), ("doctor",)):
            result = self.maybe(*cmd)
            assert result.exit_code == 0, (cmd, result.stdout, result.stderr)


def accountant_run(cli, clock, office, tmp_path, seed: int, months: int, year_first: bool) -> AccountantYear:
    w = AccountantYear(cli, clock, office, seed, year_first)
    w.tmp = tmp_path
    end = w.now + timedelta(days=30.5 * months)
    i = 0
    while w.now < end:
        i += 1
        w.step()
        if i % 20 == 0:
            w.holds()
        if i % 50 == 0:
            w.try_refusals()
    w.holds()
    w.finish()
    all_agree(office, tmp_path)
    return w


def test_an_accountants_quarter_keeps_payables_vat_and_pnl_on_the_books(cli, clock, office, tmp_path):
    w = accountant_run(cli, clock, office, tmp_path, seed=23, months=3, year_first=False)
    assert w.checked >= 3
    did = w.coverage()
    assert all(
        did[k] for k in ("bills without a PO", "VAT settled", "ΕΦΚΑ/ΦΜΥ remitted", "money on account")
    ), did


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "year_first"), [(231, False), (232, True)])
def test_an_accountants_fourteen_months_close_the_year_either_way(
    cli, clock, office, tmp_path, seed, year_first
):
    w = accountant_run(cli, clock, office, tmp_path, seed=seed, months=14, year_first=year_first)
    assert w.checked >= 14 and w.refusals >= 20
    did = w.coverage()
    assert all(did.values()), did  # every new command was exercised
    print(did)
    periods = json.loads(cli("ledger", "periods", "--format", "json").stdout)
    assert [r["closed_through"] for r in periods if r["state"] == "close"] == ["2026-12-31"]
