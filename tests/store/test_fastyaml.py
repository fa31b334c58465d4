"""The fast reader never disagrees with the strict loader: it returns the same data
(same types) or declines, over the sample company, a generated company, and
records and hand-edited texts that hypothesis makes up."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from officecli.store import fastyaml, yamlio

REPO = Path(__file__).resolve().parents[2]


def typed(value):
    """The value with every leaf's type kept, so True != 1 and '1' != 1."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    return (type(value).__name__, value)


def strict(text: str):
    try:
        return ("ok", typed(yamlio.strict_loads(text)))
    except yamlio.YAMLError as exc:
        return ("refused", type(exc).__name__)


def agree(text: str) -> bool:
    """Assert the fast reader agrees with the strict loader; True if it did not decline."""
    fast = fastyaml.parse(text)
    if fast is fastyaml.DECLINE:
        return False
    assert strict(text) == ("ok", typed(fast)), text
    assert typed(yamlio.loads(text)) == typed(fast)
    return True


def test_every_record_of_the_sample():
    files = sorted(p for p in (REPO / "records").rglob("*.yaml"))
    files.append(REPO / "officecli" / "office" / "workflows.yaml")
    read = [agree(p.read_text("utf-8")) for p in files]
    assert len(read) > 150
    assert sum(read) >= 0.95 * len(read)  # the fast reader reads what officecli writes


def test_every_file_of_a_generated_company(tmp_path):
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import company
    finally:
        sys.path.remove(str(REPO / "bench"))
    built = company.Company(
        tmp_path / "co", customers=30, orders=300, transactions=1500, moves=500, complaints=40, seed=3
    )
    built.build(jobs=1)
    texts = [p.read_text("utf-8") for p in (tmp_path / "co").rglob("*.yaml")]
    read = [agree(t) for t in texts]
    assert len(read) > 1500
    assert sum(read) >= 0.99 * len(read)


def test_what_it_takes_and_what_it_declines():
    assert fastyaml.parse("a: yes\nb: No\nc: ~\nd: null\ne:\nf: 12\ng: 12.50\nh: 2026-01-01\n") == {
        "a": True,
        "b": False,
        "c": None,
        "d": None,
        "e": None,
        "f": 12,
        "g": "12.50",
        "h": "2026-01-01",
    }
    assert fastyaml.parse("text: |-\n  one\n\n  # two\nx: []\ny: {}\n") == {
        "text": "one\n\n# two",
        "x": [],
        "y": {},
    }
    for text in (
        "a: 1_000\n",
        "a: 12:30\n",
        "a: 010\n",
        "a: 1e3\n",
        "a: .nan\n",
        "a: &x 1\n",
        "a: *x\n",
        "a: !!str 1\n",
        "a: [1]\n",
        "a: 1 # c\n",
        "a: 1\na: 2\n",
        "yes: 1\n",
        "<<: {}\n",
        "a: 1",
        "a:\t1\n",
        "a: 1\r\n",
        "--- \na: 1\n",
        "%YAML 1.1\n---\na: 1\n",
        "a: >\n  x\n",
        "a: |2\n   x\n",
        "- a\n",
        "a\n",
        "",
        "# only a comment\n",
        "a: 'x\n  y'\n",
        'a: "x\\ty"\n',
        "? a\n: 1\n",
        "a:\n- - b\n",
        "a: 1234567890123456789\n",
        "\ufeffa: 1\n",
        "a: b\x85c\n",
        "a: b: c\n",
        "a:  two spaces\n",
        "a: |\n  x\n # c\nb: 1\n",
    ):
        assert fastyaml.parse(text) is fastyaml.DECLINE, text
        strict(text)  # and the strict path says what it says (data or a refusal)


# -- hypothesis: records as officecli writes them, and texts as people edit them -------------

TOKENS = [
    "yes",
    "no",
    "on",
    "off",
    "Yes",
    "NO",
    "true",
    "False",
    "0o12",
    "1_000",
    ".5",
    "2026-01-01",
    "12:30",
    "~",
    "null",
    "Null",
    "",
    " ",
    "'",
    "''",
    '"',
    '"…"',
    "…",
    "#",
    " #",
    "a #b",
    "a#b",
    ": ",
    ":",
    "a:b",
    "- ",
    "-",
    "-1",
    "+1",
    "007",
    "0",
    "0x1F",
    "1e3",
    "NaN",
    ".inf",
    "12.50",
    "-252.00",
    "=",
    "<<",
    "&a",
    "*a",
    "!x",
    "|",
    ">",
    "[]",
    "{}",
    "[a]",
    "{a: 1}",
    "%",
    "@",
    "`",
    "Μαρία Παπαδοπούλου",
    "Βιβλίο: Η τέχνη",
    "Πηλός & Φως",
    "x\ny",
    "x\n",
    "\nx",
    "x\n\n",
    "  lead",
    "trail  ",
    "a\tb",
    "\u2028",
    "\x85",
    "EMP-A-0003 Ελένη Μάρκου",
    "Assets:Bank",
    "2026-11-02T09:30:00+02:00",
    "1" * 19,
    "?",
    "? x",
    "---",
    "...",
    "x" * 120 + " " + "y" * 30,
]
scalars = st.one_of(
    st.sampled_from(TOKENS),
    st.text(st.sampled_from(list("aZ09 -:#'\"\n|>&*!{}[],.?%@`~Σωäé€\\")), max_size=14),
    st.integers(-(10**20), 10**20),
    st.booleans(),
    st.none(),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**6), max_value=10**6),
)
keys = st.one_of(
    st.sampled_from(
        [
            "id",
            "from",
            "to",
            "24",
            "6",
            "yes",
            "on",
            "null",
            "1",
            "<<",
            "a b",
            "Assets:Bank",
            "Μαρία",
            "- x",
            "'q'",
            "#",
            "a: b",
            "",
        ]
    ),
    st.text(st.sampled_from(list("abc:_- '#1")), min_size=1, max_size=6),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=12,
)
records = st.dictionaries(keys, values, min_size=1, max_size=6)


def _dump(data) -> str | None:
    try:
        return yamlio.dumps(data)
    except Exception:  # e.g. a non-text key the dumper writes anyway: not a record
        return None


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(records)
def test_records_as_officecli_writes_them(data):
    text = _dump(data)
    if text is not None:
        agree(text)


EDITS = [
    "# a comment\n",
    "  # indented comment\n",
    "\n",
    "   \n",
    "x: 1 # trailing\n",
    "a: [1, 2]\n",
    "a: {b: 1}\n",
    "- item\n",
    "  - item\n",
    "key: 'it''s'\n",
    'key: "dq"\n',
    "key: |\n  block\n",
    "key: |-\n  b\n\n",
    "key: |+\n  b\n\n",
    "key:\n  nested: 1\n",
    "key:\n- 1\n- 2\n",
    "\tkey: 1\n",
    "key:  two spaces\n",
    "key: a\n  continued\n",
    "&a key: 1\n",
    "key: !!int '1'\n",
    "---\n",
    "...\n",
    "<<<<<<< ours\n",
    "=======\n",
    "key: 'multi\n  line'\n",
    "key: yes\n",
    "on: 1\n",
    "key: 0o12\n",
    "key: 1_000\n",
    "key: .5\n",
    "key: 2026-01-01\n",
    "key: 12:30\n",
    "key: ~\n",
    "'24':\n  net: '1.00'\n",
    "Σ: Ελληνικά\n",
    'key: "…"\n',
    "key: a: b\n",
    "key:\n  - a\n  - b\n",
    "key: |2\n   x\n",
    "key: >\n  folded\n",
    "key:\n-\n  a: 1\n",
    "- - x\n",
]


@settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    records, st.lists(st.tuples(st.integers(0, 40), st.sampled_from(EDITS), st.integers(0, 4)), max_size=4)
)
def test_hand_edited_texts(data, edits):
    text = _dump(data)
    if text is None:
        return
    lines = text.splitlines(True)
    for at, edit, indent in edits:
        at = min(at, len(lines))
        lines[at:at] = [" " * indent + line if line.strip() else line for line in edit.splitlines(True)]
    agree("".join(lines))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.tuples(
            st.integers(0, 6),
            st.sampled_from(["", "- ", "- - "]),
            keys,
            st.sampled_from([": ", ":", ": |", ": |-", ": |+", ": '", ""]),
            st.sampled_from(TOKENS),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_texts_made_of_pieces(pieces):
    text = "".join(
        " " * indent + dash + key + sep + value.replace("\n", "\n" + " " * (indent + 2)) + "\n"
        for indent, dash, key, sep, value in pieces
    )
    agree(text)


def test_decimal_money_is_text_both_ways():
    text = yamlio.dumps({"amount": Decimal("-12.50"), "qty": 3})
    assert fastyaml.parse(text) == {"amount": "-12.50", "qty": 3}
