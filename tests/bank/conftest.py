"""A small company with money owed both ways, and the statements its banks send.

``shop``: Assets:Bank opened with 1,000.00 on 2026-10-01; three customers
with IBANs and one invoice each (INV-A-0001 12.40, INV-A-0002 24.80,
INV-A-0003 37.20, issued 2026-11-02); a supplier with an IBAN and its bill
BIL-A-0001 of 248.00 (their number ΤΠ-2026/117); the clock then moves to the
end of November, when the statements come. ``DATA``: statement files written as
the banks write them (tests/bank/data/).
"""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ACCOUNT_IBAN = "GR1601101250000000012300695"
GEORGIOU = "GR7601400400400002320012345"
TAVERNA = "GR1701100400000004012345678"
MARIA = "GR2202601870000640100513042"
SIFNOS = "GR0402600250000990200777888"
END_OF_MONTH = "2026-11-30T23:00:00+02:00"


@pytest.fixture
def shop(cli, clock, office):
    cli("ledger", "post", "--date", "2026-10-01", "Κεφάλαιο", "Assets:Bank", "1000", "Equity:Capital")
    cli("supplier", "add", "Εργαστήριο Σίφνου", "--iban", SIFNOS)
    cli("product", "add", "MUG", "--name", "Κούπα", "--price", "10.00", "--supplier", "1")
    cli("purchase", "add", "--supplier", "1", "MUG:50@4.00")
    cli("purchase", "order", "1")
    cli("purchase", "receive", "1")
    cli("purchase", "bill", "1", "--number", "ΤΠ-2026/117", "--date", "2026-11-02", "--total", "248.00")
    for name, iban in (
        ("Γεωργίου Νικόλαος", GEORGIOU),
        ("Ταβέρνα Το Λιμάνι", TAVERNA),
        ("Παπαδοπούλου Μαρία", MARIA),
    ):
        cli("customer", "add", name, "--iban", iban)
    for n in (1, 2, 3):
        invoice(cli, n, n)
    clock.set(END_OF_MONTH)
    return office


def invoice(cli, customer: int, qty: int) -> str:
    """Order, forward, ship and invoice QTY mugs (12.40 each with VAT) for a customer."""
    order = cli("order", "add", "--customer", customer, f"MUG:{qty}", "--format", "ids").stdout.strip()
    cli("order", "forward", order)
    cli("order", "ship", order)
    return cli("order", "invoice", order, "--format", "ids").stdout.strip()


def state_of(root: Path, ident: str) -> str:
    found = [p for p in root.rglob(f"{ident}.yaml") if ".officecli" not in p.parts]
    assert len(found) == 1, found
    return str(found[0].parent.relative_to(root))
