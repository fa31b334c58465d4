import pytest

from officecli.store import ids
from officecli.store.errors import UserError

KNOWN = ["ORD-A-0042", "ORD-A-0007", "ORD-B-0007", "ORD-A-0100"]


def test_numbers_grow_within_a_site():
    assert ids.next_number(KNOWN, "ORD", "A") == 101
    assert ids.next_number(KNOWN, "ORD", "B") == 8
    assert ids.next_number(KNOWN, "ORD", "C") == 1
    assert ids.format_id("ORD", "A", 42) == "ORD-A-0042"
    assert ids.format_id("ORD", "A", 12345) == "ORD-A-12345"


@pytest.mark.parametrize(
    "text,want",
    [
        ("42", "ORD-A-0042"),
        ("0042", "ORD-A-0042"),
        ("ORD-A-0042", "ORD-A-0042"),
        ("ord-a-0042", "ORD-A-0042"),
        ("A-0042", "ORD-A-0042"),
        ("B-0007", "ORD-B-0007"),
        ("100", "ORD-A-0100"),
    ],
)
def test_unique_suffix_or_number_resolves(text, want):
    assert ids.resolve(text, KNOWN, "order") == want


def test_ambiguous_lists_the_candidates():
    with pytest.raises(UserError, match="ambiguous, it could be ORD-A-0007, ORD-B-0007"):
        ids.resolve("7", KNOWN, "order")


def test_unknown_says_so():
    with pytest.raises(UserError, match="order 99: no such order"):
        ids.resolve("99", KNOWN, "order")


@pytest.mark.parametrize("bad", ["../x", "a/b", "/etc/passwd", "..", ".hidden", "a b", "", "x" * 80])
def test_path_like_names_never_pass(bad):
    with pytest.raises(UserError):
        ids.check_name(bad)
    with pytest.raises(UserError):
        ids.resolve(bad, KNOWN)


def test_site_codes_are_checked():
    assert ids.check_site("B2") == "B2"
    for bad in ["", "a", "../", "TOOLONGSITE"]:
        with pytest.raises(UserError):
            ids.check_site(bad)
