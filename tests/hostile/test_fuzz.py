"""Fuzzing the records tree (issue 11): mutated record files and cache shards never hurt.

hypothesis mutates one file of a copy of the sample company (a byte flipped, a
line doubled, a value swapped for one of another type, a huge number, an
anchor and alias) or one shard of a warm cache (bytes flipped, an entry made
malformed or replaced), then runs reads and doctor in this process. The
property, for every command: exit 0, or exit 1 with one line on stderr; never
an internal error or an unexpected exception; nothing outside the root changed;
a refusal changed nothing inside it. Default: a few dozen examples (well under
a minute); ``-m slow`` runs many more, and every swap in every kind of record.
"""

from __future__ import annotations

import marshal
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.harness import tree_state
from tests.robust.support import SAMPLE, inproc

RECORDS = sorted(
    str(p.relative_to(SAMPLE))
    for p in SAMPLE.rglob("*.yaml")
    if ".officecli" not in p.parts and p.name != "office.yaml"
)
FOLDERS = sorted({r.rpartition("/")[0] for r in RECORDS})

FUZZ_READS = [
    ("customer", "list"),
    ("order", "list"),
    ("order", "show", "9"),
    ("invoice", "list"),
    ("stock", "list"),
    ("ledger", "balance"),
    ("report", "pnl"),
    ("report", "daily"),
    ("employee", "list"),
    ("complaint", "list"),
    ("payroll", "list"),
    ("ledger", "check"),
]

SWAPS = [
    "[a]",
    "{}",
    "{a: [1, {b: 2}]}",
    "42",
    "-1",
    "0",
    "''",
    "null",
    "true",
    "'NaN'",
    "NaN",
    ".inf",
    "1e3",
    "'1e3'",
    "'-12.50'",
    "'12.505'",
    "9" * 25,
    "7" * 5000,
    "'٣'",
    "０x",
    "010",
    "'evil\u202etxt'",
    '"\\x00"',
    "!!binary aGk=",
    "&a x",
    "*a",
    "'0001-01-01'",
    "'9999-12-31T23:59:59-12:00'",
    "- a\n- b",
    "|\n  two\n  lines",
    "<<<<<<< HEAD",
]


def _flip(data: bytes, at: int, bits: int) -> bytes:
    if not data:
        return bytes([bits])
    at %= len(data)
    return data[:at] + bytes([data[at] ^ (bits or 1)]) + data[at + 1 :]


def _swap(text: str, line: int, new: str) -> str:
    lines = text.splitlines(True)
    keyed = [i for i, ln in enumerate(lines) if ":" in ln and not ln.lstrip().startswith("#")]
    if not keyed:
        return text + f"x: {new}\n"
    i = keyed[line % len(keyed)]
    key = lines[i].split(":", 1)[0]
    lines[i] = f"{key}: {new}\n"
    return "".join(lines)


def _double(text: str, line: int) -> str:
    lines = text.splitlines(True) or ["\n"]
    i = line % len(lines)
    return "".join(lines[: i + 1] + [lines[i]] + lines[i + 1 :])


def _alias(text: str, line: int) -> str:
    return _swap(text, line, "&boom [x, x, x]") + "again: *boom\n"


record_mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**6), st.integers(1, 255)),
    st.tuples(st.just("double"), st.integers(0, 200), st.just(0)),
    st.tuples(st.just("swap"), st.integers(0, 200), st.sampled_from(SWAPS)),
    st.tuples(st.just("alias"), st.integers(0, 200), st.just(0)),
)
cache_mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**6), st.integers(1, 255)),
    st.tuples(st.just("truncate"), st.integers(0, 10**6), st.just(0)),
    st.tuples(
        st.just("entry"),
        st.integers(0, 200),
        st.sampled_from([42, None, ("x",), ((1, 2, 3, 4), "not a record"), ((0,), [1]), "edited"]),
    ),
)


def _mutate_record(root: Path, rel: str, how) -> None:
    kind, at, arg = how
    path = root / rel
    data = path.read_bytes()
    if kind == "flip":
        path.write_bytes(_flip(data, at, arg))
        return
    text = data.decode("utf-8")
    text = {
        "double": lambda: _double(text, at),
        "swap": lambda: _swap(text, at, arg),
        "alias": lambda: _alias(text, at),
    }[kind]()
    path.write_text(text, "utf-8")


def _mutate_shard(root: Path, folder: str, how) -> None:
    shard = root / ".officecli" / "cache" / (folder.replace("/", "%2F") + ".marshal")
    if not shard.exists():
        return
    kind, at, arg = how
    data = shard.read_bytes()
    if kind == "flip":
        shard.write_bytes(_flip(data, at, arg))
    elif kind == "truncate":
        shard.write_bytes(data[: at % max(len(data), 1)])
    else:
        version, entries = marshal.loads(data)
        rel = sorted(entries)[at % len(entries)]
        if arg == "edited":  # current key, other data: served, but doctor says so
            key, record = entries[rel]
            entries[rel] = (key, dict(record, note="edited in the cache"))
        else:
            entries[rel] = arg
        shard.write_bytes(marshal.dumps((version, entries)))


def _assert_property(root: Path, canary: Path, args: tuple) -> None:
    outside = tree_state(canary)
    inside = tree_state(root, skip_state=True)
    res = inproc(root, *args)
    said = f"officecli {' '.join(args)} -> {res.exit_code}\nstdout: {res.stdout[-1500:]}\nstderr: {res.stderr[-1500:]}"
    assert res.exception is None or isinstance(res.exception, SystemExit), said
    assert res.exit_code in (0, 1), said
    assert "internal error" not in res.stderr and "Traceback" not in res.stderr, said
    assert "the command stopped on it" not in res.stderr, said  # computed with a bad value
    if res.exit_code == 1:
        assert len(res.stderr.strip().splitlines()) == 1, said
        assert tree_state(root, skip_state=True) == inside, f"refused, but changed the tree: {said}"
    assert tree_state(canary) == outside, f"changed something outside the root: {said}"


@pytest.fixture(scope="module")
def workdir():
    top = Path(tempfile.mkdtemp(prefix="officecli-fuzz-"))
    template = top / "template"
    shutil.copytree(SAMPLE, template, ignore=shutil.ignore_patterns(".officecli", ".git"))
    yield top, template
    shutil.rmtree(top, ignore_errors=True)


def _fresh(workdir) -> tuple[Path, Path]:
    top, template = workdir
    case = Path(tempfile.mkdtemp(dir=top))
    root = case / "records"
    shutil.copytree(template, root)
    canary = case / "canary"
    canary.mkdir()
    (canary / "victim.txt").write_text("do not touch\n")
    return root, canary


def _check_records(workdir, rel, how, reads) -> None:
    root, canary = _fresh(workdir)
    try:
        _mutate_record(root, rel, how)
        for args in list(reads) + [("doctor",)]:
            _assert_property(root, canary, args)
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)


def _check_cache(workdir, folder, how, reads) -> None:
    root, canary = _fresh(workdir)
    try:
        for args in (("ledger", "balance"), ("order", "list"), ("customer", "list"), ("stock", "list")):
            assert inproc(root, *args).exit_code == 0  # a warm cache
        _mutate_shard(root, folder, how)
        for args in list(reads) + [("doctor",), ("ledger", "check")]:
            _assert_property(root, canary, args)
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)


READS_PICK = st.lists(st.sampled_from(FUZZ_READS), min_size=1, max_size=2, unique=True)
CACHED = [
    "back/ledger/2026/11",
    "front/orders/open",
    "front/customers",
    "back/products",
    "back/stock/2026/10",
]
QUICK = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LONG = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(rel=st.sampled_from(RECORDS), how=record_mutation, reads=READS_PICK)
def test_mutated_record_files(workdir, rel, how, reads):
    _check_records(workdir, rel, how, reads)


@QUICK
@given(folder=st.sampled_from(CACHED), how=cache_mutation, reads=READS_PICK)
def test_mutated_cache_shards(workdir, folder, how, reads):
    _check_cache(workdir, folder, how, reads)


@pytest.mark.slow
@LONG
@given(rel=st.sampled_from(RECORDS), how=record_mutation, reads=READS_PICK)
def test_mutated_record_files_long(workdir, rel, how, reads):
    _check_records(workdir, rel, how, reads)


@pytest.mark.slow
@LONG
@given(folder=st.sampled_from(CACHED), how=cache_mutation, reads=READS_PICK)
def test_mutated_cache_shards_long(workdir, folder, how, reads):
    _check_cache(workdir, folder, how, reads)


@pytest.mark.slow
def test_every_swap_in_every_kind_of_record(workdir):
    """Deterministic sweep: each swapped value on a field line of one record of each kind."""
    by_folder = {}
    for rel in RECORDS:
        by_folder.setdefault(rel.rpartition("/")[0].split("/2026")[0], rel)
    for rel in sorted(by_folder.values()):
        for i, new in enumerate(SWAPS):
            _check_records(workdir, rel, ("swap", 2 + i, new), [("order", "list")])
