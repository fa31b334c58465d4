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
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from officecli.store import yamlio
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
