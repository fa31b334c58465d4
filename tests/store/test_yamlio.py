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


# -- the strict loader: what officecli never writes is refused, naming the line -------------------

import time  # noqa: E402

import pytest  # noqa: E402

REFUSED = {
    "anchor": ("a: &x 1\n", 1, "anchor"),
    "alias": ("a: [1]\nb: *x\n", 2, None),  # an undefined alias is still refused
    "tag": ("a: 1\nb: !!str 2\n", 2, "tag"),
    "local tag": ("a: !custom 2\n", 1, "tag"),
    "tag directive": ("%TAG !e! tag:example.org,2026:\n---\na: !e!x 1\n", None, None),
    "duplicate key": ("id: X\ncustomer: A\ncustomer: B\n", 3, "the same key twice"),
    "duplicate nested key": ("lines:\n- qty: 1\n  qty: 2\n", 3, "the same key twice"),
    "merge key": ("base: {a: 1}\nx:\n  <<: {a: 2}\n", 3, "merge key"),
    "19 digits": ("qty: 1234567890123456789\n", 1, "19 digits"),
    "5000 digits": ("qty: " + "7" * 5000 + "\n", 1, "5000 digits"),
    "octal": ("qty: 010\n", 1, "qty: '010'"),
    "hex": ("qty: 0x1F\n", 1, "plain whole number"),
    "sexagesimal": ("qty: 1:30\n", 1, "plain whole number"),
    "underscore": ("qty: 1_000\n", 1, "plain whole number"),
    ".nan": ("amount: .nan\n", 1, "amount: '.nan'"),
    "NaN": ("amount: NaN\n", 1, "not finite"),
    "-.inf": ("amount: -.inf\n", 1, "not finite"),
    "Infinity": ("amount: Infinity\n", 1, "not finite"),
    "exponent": ("amount: 1e3\n", 1, "exponent"),
    "exponent with a point": ("amount: 1.5E+3\n", 1, "exponent"),
    "conflict": ("a: 1\n<<<<<<< HEAD\nb: 2\n", 2, "git conflict marker"),
    "long conflict": ("a: 1\n>>>>>>>>>>> theirs\n", 2, "git conflict marker"),
    "separator": ("a: 1\n=======\n", 2, "git conflict marker"),
    "diff3 base": ("a: 1\n||||||| base\n", 2, "git conflict marker"),
    "non-text key": ("1: a\n", 1, "not text"),
    "bool key": ("yes: a\n", 1, "not text"),
    "deep": ("a: " + "[" * 50 + "]" * 50 + "\n", 1, "nested"),
    "very deep": ("a: " + "[" * 200000, 1, "nested"),  # libyaml would crash on it
    "compact deep": ("- " * 100 + "a\n", 1, "nested"),
}


@pytest.mark.parametrize("name", REFUSED)
def test_the_loader_refuses_what_officecli_never_writes(name):
    text, line, says = REFUSED[name]
    with pytest.raises(yamlio.Refused) as caught:
        yamlio.loads(text)
    if line is not None:
        assert caught.value.line == line
        assert yamlio.error_line(caught.value) == line
    if says:
        assert says in str(caught.value)
    assert isinstance(caught.value, yamlio.YAMLError)


def test_an_alias_bomb_is_refused_without_expanding():
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 30)]
    started = time.process_time()
    with pytest.raises(yamlio.Refused, match="anchor"):
        yamlio.loads("id: ORD-A-0001\n" + "\n".join(lines) + "\n")
    assert time.process_time() - started < 5  # a generous bound: expanding would never end


def test_what_officecli_writes_is_read_back_as_written():
    data = {
        "name": "Nan",
        "note": "1e3 & more *stars* !bang",
        "code": "010",
        "time": "10:30",
        "x": ".inf",
        "y": "NaN",
        "amount": "-12.50",
        "qty": -12,
        "big": 123456789012345678,
        "text": "<<<<<<< not a marker\n=======\n",
        "empty": [],
        "map": {"'24'": {"net": "1.00"}},
    }
    assert yamlio.loads(yamlio.dumps(data)) == data


def test_text_that_looks_like_numbers_in_quotes_stays_text():
    assert yamlio.loads("a: '1e3'\nb: 'NaN'\nc: '010'\nd: '٣'\ne: ٣\n") == {
        "a": "1e3",
        "b": "NaN",
        "c": "010",
        "d": "٣",
        "e": "٣",
    }


def test_ordinary_text_with_the_special_characters_is_not_refused():
    text = "name: Smith & Sons\nnote: 5* service!\nemail: a@b.gr\ntags: [a, b]\nmap: {a: 1}\n"
    assert yamlio.loads(text)["name"] == "Smith & Sons"


def test_a_bad_file_is_a_one_line_error_naming_file_and_line(tmp_path):
    from officecli.store.errors import UserError
    from officecli.store.tree import Store

    with pytest.raises(UserError) as caught:
        Store(tmp_path).parse("front/customers/CUS-A-0001.yaml", "id: X\nname: a\nname: b\n")
    assert str(caught.value).startswith("front/customers/CUS-A-0001.yaml:3: not an officecli record: name:")
