from decimal import Decimal

from officecli.store import yamlio


def test_greek_stays_greek_and_money_stays_exact():
    text = yamlio.dumps({"name": "Μαρία Παπαδοπούλου", "price": Decimal("12.50"), "qty": 2})
    assert text == "name: Μαρία Παπαδοπούλου\nprice: '12.50'\nqty: 2\n"
    assert yamlio.loads(text) == {"name": "Μαρία Παπαδοπούλου", "price": "12.50", "qty": 2}


def test_loading_never_makes_floats_or_dates():
    data = yamlio.loads("a: 12.50\nb: 2026-11-02\nc: '1e309'\nd: '.nan'\ne: 3\n")
    assert data == {"a": "12.50", "b": "2026-11-02", "c": "1e309", "d": ".nan", "e": 3}


def test_no_anchors_aliases_or_tags_and_keys_in_given_order():
    shared = {"x": 1}
    text = yamlio.dumps({"z": shared, "a": shared})
    assert "&" not in text and "*" not in text and "!!" not in text
    assert text.index("z:") < text.index("a:")


def test_multiline_text_is_a_literal_block():
    text = yamlio.dumps({"text": "line one\nline two\n"})
    assert text == "text: |\n  line one\n  line two\n"


def test_unsafe_tags_are_refused():
    import pytest
    with pytest.raises(yamlio.YAMLError):
        yamlio.loads("a: !!python/object/apply:os.system ['true']\n")
