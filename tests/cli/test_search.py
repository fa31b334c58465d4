"""officecli search and --search on lists: accents, case and Greek final sigma ignored."""

from __future__ import annotations

import json

import pytest

from officecli.office.front.search import fold


@pytest.fixture
def world(cli):
    cli("product", "add", "MUG-01", "--name", "Κούπα Αιγαίου", "--price", "12.50")
    cli("stock", "receive", "MUG-01", "10", "--cost", "4.00")
    cli("customer", "add", "Μαρία Παπαδοπούλου", "--address", "Εγνατίας 120, Θεσσαλονίκη")  # 1
    cli("customer", "add", "ΤΑΒΕΡΝΑ ΤΟ ΛΙΜΑΝΙ", "--email", "info@limani.gr")  # 2
    cli("customer", "add", "Café Crème")  # 3
    cli("order", "add", "--customer", "1", "MUG-01:2", "--note", "συσκευασία δώρου")  # ORD 1
    cli("order", "add", "--customer", "2", "MUG-01:1")  # ORD 2
    cli("complaint", "add", "--customer", "2", "Η ΚΟΥΠΑ ΕΦΤΑΣΕ ΡΑΓΙΣΜΕΝΗ")  # CMP 1
    cli("complaint", "add", "--customer", "1", "Λάθος χρώμα")  # CMP 2


def ids(cli, *args):
    return cli(*args, "--format", "ids").stdout.split()


def test_fold_drops_accents_case_and_final_sigma():
    assert fold("ΠΑΠΑΔΌΠΟΥΛΟΣ") == fold("παπαδοπουλος") == fold("Παπαδόπουλος")
    assert fold("Café") == fold("CAFE")
    assert fold("ς") == fold("Σ") == fold("σ")


@pytest.mark.parametrize(
    "query, want",
    [
        ("παπαδοπουλου", ["CMP-A-0002", "CUS-A-0001", "ORD-A-0001"]),  # the customer's name counts
        ("ΡΑΓΙΣΜΈΝΗ", ["CMP-A-0001"]),
        ("ραγισμενη λιμανι", ["CMP-A-0001"]),  # every word, any field
        ("κουπα αιγαιου", ["MUG-01", "ORD-A-0001", "ORD-A-0002"]),  # order lines' product names
        ("cafe creme", ["CUS-A-0003"]),
        ("θεσσαλονικη", ["CUS-A-0001"]),
        ("δωρου", ["ORD-A-0001"]),
        ("nothing-like-this", []),
    ],
)
def test_search_finds_every_kind(cli, world, query, want):
    assert sorted(ids(cli, "search", query)) == want


def test_search_kind_and_table(cli, world):
    assert ids(cli, "search", "λιμανι", "--kind", "order") == ["ORD-A-0002"]
    assert ids(cli, "search", "λιμανι", "--kind", "order", "--kind", "customer") == [
        "CUS-A-0002",
        "ORD-A-0002",
    ]
    out = cli("search", "ραγισμενη").stdout
    assert "complaint" in out and "text: Η ΚΟΥΠΑ ΕΦΤΑΣΕ ΡΑΓΙΣΜΕΝΗ" in out
    rows = json.loads(cli("search", "εγνατιας", "--format", "json").stdout)
    assert rows == [
        {
            "id": "CUS-A-0001",
            "state": "active",
            "kind": "customer",
            "found": "address: Εγνατίας 120, Θεσσαλονίκη",
            "path": "front/customers/CUS-A-0001.yaml",
        }
    ]
    assert "(nothing found)" in cli("search", "zzz").stdout
    assert cli("search", "x", "--kind", "nonsense", code=2)


def test_search_never_reads_pay(cli, world):
    cli(
        "employee",
        "add",
        "Νίκος Βλάχος",
        "--office",
        "back",
        "--department",
        "product",
        "--title",
        "x",
        "--salary",
        "1500",
    )
    assert ids(cli, "search", "1500") == []
    assert ids(cli, "search", "βλαχος") == ["EMP-A-0001"]


def test_list_search(cli, world):
    assert ids(cli, "customer", "list", "--search", "ΘΕΣΣΑΛΟΝΙΚΗ") == ["CUS-A-0001"]  # addresses
    assert ids(cli, "customer", "list", "--search", "limani.gr") == ["CUS-A-0002"]
    assert ids(cli, "order", "list", "--search", "ταβερνα") == ["ORD-A-0002"]
    assert ids(cli, "order", "list", "--search", "mug-01") == ["ORD-A-0001", "ORD-A-0002"]
    assert ids(cli, "complaint", "list", "--search", "χρωμα") == ["CMP-A-0002"]
    cli("order", "forward", "1")
    cli("order", "ship", "1")
    cli("order", "invoice", "1")
    assert ids(cli, "invoice", "list", "--search", "παπαδοπουλου") == ["INV-A-0001"]
    assert ids(cli, "invoice", "list", "--search", "λιμανι") == []


def test_search_goes_through_the_cache(cli, office, world):
    """A second search parses no file: every record comes from the stat cache."""
    from officecli.office.core import Office
    from officecli.office.front import search

    warm = Office.open(str(office))
    search.search(warm, "κουπα")  # warms the cache
    warm.close()
    office_ = Office.open(str(office))
    parsed = []
    real = office_.store.parse
    office_.store.parse = lambda rel, text: parsed.append(rel) or real(rel, text)
    assert search.search(office_, "κουπα")
    assert parsed == []
