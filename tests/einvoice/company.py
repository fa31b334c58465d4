"""A seeded random company for the e-invoice tests: every VAT rate (0 % too, with its
legal reason), customers at home, in the EU, abroad and private, goods and services,
invoices of one line to several pages, credit notes by lines, by amount and whole."""

from __future__ import annotations

import random
from pathlib import Path

CUSTOMERS = [
    (
        "Ταβέρνα Ο Γιάννης",
        [
            "--vat-number",
            "EL094019245",
            "--tax-office",
            "ΔΟΥ Ρόδου",
            "--address",
            "Ακτή Μιαούλη 3, 851 00 Ρόδος",
        ],
    ),
    (
        "Keramik Haus GmbH",
        ["--vat-number", "DE129273398", "--country", "DE", "--address", "Hauptstraße 5, 10115 Berlin"],
    ),
    (
        "Clay & Co Inc.",
        [
            "--vat-number",
            "US-99-1234567",
            "--country",
            "US",
            "--business",
            "--address",
            "1 Main Street, 10001 New York",
        ],
    ),
    ("Άννα Ιωάννου", ["--address", "Πατησίων 10, 104 34 Αθήνα"]),
]
PRODUCTS = [
    ("MUG", "Κούπα", "12.50", "24", "goods", "pcs"),
    ("OIL", "Ελαιόλαδο 1L", "9.80", "13", "goods", "lt"),
    ("BOOK", "Βιβλίο κεραμικής", "22.00", "6", "goods", "pcs"),
    ("CLAY", "Πηλός σε σάκο", "31.40", "0", "goods", "kg"),
    ("CLASS", "Μάθημα τροχού", "45.00", "24", "services", "other"),
]
SETTINGS = """einvoice:
  report: mydata
  exemptions:
    domestic: {category: 1, reason: "Χωρίς ΦΠΑ, άρθρο 2 ν. 2859/2000"}
    private: {category: 1, reason: "Χωρίς ΦΠΑ, άρθρο 2 ν. 2859/2000"}
"""


def configure(root: Path) -> None:
    """VAT 0 % allowed, the e-invoice checks on (office.yaml, as a person edits it)."""
    text = (root / "office.yaml").read_text("utf-8").replace("  - '6'\n", "  - '6'\n  - '0'\n", 1)
    text = text.replace("  vat_number: ''", "  vat_number: EL801234567", 1)
    text = text.replace("  address: ''", "  address: Λεωφόρος Συγγρού 210, 176 72 Καλλιθέα", 1)
    (root / "office.yaml").write_text(text + SETTINGS, "utf-8")


def make(cli, root: Path, seed: int = 2026, orders: int = 6) -> tuple[list[str], list[str]]:
    """(invoice IDs, credit note IDs) of a random company made through the CLI."""
    rnd = random.Random(seed)
    configure(root)
    customers = [
        cli("customer", "add", name, *args, "--format", "ids").stdout.strip() for name, args in CUSTOMERS
    ]
    for sku, name, price, vat, group, unit in PRODUCTS:
        cli(
            "product",
            "add",
            sku,
            "--name",
            name,
            "--price",
            price,
            "--vat",
            vat,
            "--group",
            group,
            "--unit",
            unit,
        )
        cli("stock", "receive", sku, "100000", "--cost", "1.00")  # (a lesson is stocked as places)
    invoices = []
    for n in range(orders):
        who = customers[n % len(customers)]
        # each customer's first order has every product (every rate), one has several pages
        count = (
            len(PRODUCTS)
            if n < len(customers)
            else 60
            if n == len(customers)
            else rnd.randint(1, len(PRODUCTS))
        )
        skus = (
            [rnd.choice(PRODUCTS)[0] for _ in range(count)]
            if count > len(PRODUCTS)
            else rnd.sample([p[0] for p in PRODUCTS], count)
        )
        items = [f"{sku}:{rnd.randint(1, 40)}" for sku in skus]
        order = cli("order", "add", "--customer", who, *items, "--format", "ids").stdout.strip()
        cli("order", "forward", order)
        cli("order", "ship", order)
        invoices.append(cli("order", "invoice", order, "--format", "ids").stdout.strip())
    return invoices, []


def credit(cli, invoices: list[str], show) -> list[str]:
    """A credit note by lines, one by amount and one whole, on the first invoices."""
    notes = []
    first = show(invoices[0])
    line = first["lines"][0]
    notes.append(
        cli("invoice", "credit", invoices[0], "--lines", f"{line['sku']}:1", "--format", "ids").stdout.strip()
    )
    notes.append(cli("invoice", "credit", invoices[1], "--amount", "10.00", "--format", "ids").stdout.strip())
    notes.append(cli("invoice", "credit", invoices[2], "--format", "ids").stdout.strip())
    return notes
