"""doctor from per-folder facts says what doctor from whole records says (issue 26, item 2).

Three ways of checking one tree must give the same lines, in the same order:

* ``old``: the walk before the facts (``facts=False``: every parsed record kept whole,
  no facts cache read or written);
* ``new``: the streaming walk (facts per folder, interned; the facts of each clean
  folder written under its digest);
* ``quick``: ``--quick``, which replays the facts of every folder whose digest is
  unchanged and checks the others from their files.

On the sample company, on a ``bench/gen --size tiny`` company, and on copies of the
sample that hypothesis mutates (corrupt YAML, dangling references, duplicate IDs,
wrong sums, moved, deleted and stray files, edits in place with the mtime put back)
both before the facts are written and after, so that ``--quick`` must see what
changed since. Then the cache itself: damaged, foreign or planted facts are never
trusted, the facts are private, and the facts of a folder gone are swept.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from officecli.office.checks import doctor, doctorfacts, doctorwalk
from officecli.office.workflows import PRIVATE
from officecli.store import prefetch
from officecli.store.tree import Store
from tests.robust.support import NOW, REPO, SAMPLE, copy_sample

RECORDS = sorted(
    str(p.relative_to(SAMPLE))
    for p in SAMPLE.rglob("*.yaml")
    if ".officecli" not in p.parts and p.name != "office.yaml" and "templates" not in p.parts
)
LEDGER = [r for r in RECORDS if r.startswith("back/ledger/")]


@pytest.fixture(autouse=True)
def _now(monkeypatch):
    monkeypatch.setenv("OFFICECLI_NOW", NOW)


def said(root: Path, **how) -> list[str]:
    return [str(p) for p in doctor.check(Store(root, PRIVATE), **how)]


def sample(dest: Path) -> Path:
    """A copy of the sample company, its private folders made private again (git keeps
    no modes): doctor finds nothing wrong in it."""
    root = copy_sample(dest)
    doctor.repair(Store(root, PRIVATE))
    return root


def facts_files(root: Path) -> list[Path]:
    return sorted((root / ".officecli/cache").glob(f"{doctorfacts.PREFIX}*.marshal"))


def same_every_way(root: Path) -> list[str]:
    """old == new == quick (the facts just written) == quick again; returns the lines."""
    old = said(root, facts=False)
    assert said(root) == old
    assert said(root, quick=True) == old
    assert said(root, quick=True) == old
    return old


def test_the_sample_says_the_same_streaming_or_not(tmp_path):
    root = sample(tmp_path / "office")
    assert same_every_way(root) == []
    assert facts_files(root)  # every clean folder's facts


def test_the_sample_split_on_two_cores_says_the_same(tmp_path, monkeypatch):
    root = sample(tmp_path / "office")
    (root / "back/orders/inbox/ORD-A-0042.yaml").write_text("id: ORD-A-0042\ncustomer: [\n")
    one = said(root, facts=False)
    monkeypatch.setattr(prefetch, "cores", lambda: 2)
    monkeypatch.setattr(doctorwalk, "SPLIT", 1)  # the second half in a forked child
    assert said(root) == one
    assert said(root, quick=True) == one
    assert one and all("ORD-A-0042" in line for line in one)


def test_a_tiny_bench_company_says_the_same_and_quick_sees_one_write(tmp_path, monkeypatch):
    root = tmp_path / "company"
    env = {**os.environ, "PYTHONPATH": str(REPO), "OFFICECLI_NOW": "2026-11-26T09:00:00+02:00"}
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "gen"), str(root), "--size", "tiny"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert same_every_way(root) == []
    posted = subprocess.run(
        [sys.executable, "-m", "officecli", "--root", str(root), "ledger", "post", "--date", "2026-11-26"]
        + ["by hand", "Expenses:Rent", "12.00", "Assets:Bank", "-12.00"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert posted.returncode == 0, posted.stderr
    txn = next(p for p in (root / "back/ledger/2026/11").glob("*.yaml") if "by hand" in p.read_text())
    text = txn.read_text()
    st_ = txn.stat()
    txn.write_text(text.replace("'-12.00'", "'-12.50'"))  # now it does not balance ...
    assert txn.stat().st_size == st_.st_size  # (same size)
    os.utime(txn, ns=(st_.st_atime_ns, st_.st_mtime_ns))  # ... and its mtime is put back
    old = said(root, facts=False)
    assert any("do not balance" in line and txn.name in line for line in old)
    assert said(root, quick=True) == old == said(root)


# -- the mutations --------------------------------------------------------------------


def _corrupt(root: Path, rel: str) -> None:
    path = root / rel
    path.write_text(path.read_text().replace(": ", ": [", 1))


def _dangling(root: Path, rel: str) -> None:
    path = root / rel
    text = path.read_text()
    for prefix in ("CUS-A-", "ORD-A-", "INV-A-", "PRD-"):
        if prefix in text.split("\n", 1)[-1]:
            head, _, tail = text.partition("\n")
            path.write_text(head + "\n" + tail.replace(prefix, prefix + "9", 1))
            return
    path.write_text(text + "ref: ORD-A-9999\n")


def _duplicate(root: Path, rel: str) -> None:
    folder, _, name = rel.rpartition("/")
    siblings = sorted({r.rpartition("/")[0] for r in RECORDS if r.split("/")[:2] == rel.split("/")[:2]})
    other = next((f for f in siblings if f != folder), None)
    if other is None:  # one folder only: the copy goes in the archive of its kind
        other = "archive/" + "/".join(folder.split("/")[1:]) + "/2026"
    (root / other).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(root / rel, root / other / name)


def _wrong_sum(root: Path, rel: str) -> None:
    path = root / rel
    text = path.read_text()
    for field in ("amount: '", "gross: '", "net: '", "total: '", "value: '", "unit_cost: '"):
        if field in text:
            path.write_text(text.replace(field, field + "1", 1))
            return
    path.write_text(text.replace("qty: ", "qty: 1", 1))


def _move(root: Path, rel: str) -> None:
    folder, _, name = rel.rpartition("/")
    parts = folder.split("/")
    if parts[-1].isdigit() and len(parts[-1]) == 2:  # a dated record: another month
        parts[-1] = "01" if parts[-1] != "01" else "02"
    else:
        siblings = sorted({r.rpartition("/")[0] for r in RECORDS if r.split("/")[:2] == parts[:2]})
        parts = next((f for f in siblings if f != folder), folder + "/odd").split("/")
    dest = root / "/".join(parts)
    dest.mkdir(parents=True, exist_ok=True)
    os.replace(root / rel, dest / name)


def _delete(root: Path, rel: str) -> None:
    (root / rel).unlink()


def _in_place(root: Path, rel: str) -> None:
    """Same size, the mtime put back: only the ctime (and the bytes) say it changed."""
    path = root / rel
    st_ = path.stat()
    data = bytearray(path.read_bytes())
    for i, byte in enumerate(data):
        if chr(byte).isdigit():
            data[i] = ord("7") if byte != ord("7") else ord("3")
            break
    path.write_bytes(bytes(data))
    os.utime(path, ns=(st_.st_atime_ns, st_.st_mtime_ns))


def _stray(root: Path, rel: str) -> None:
    folder = (root / rel).parent
    (folder / "notes.txt").write_text("not a record\n")
    (folder / f".{Path(rel).name}.tmp-1-abcd").write_text("x")


MUTATIONS = [_corrupt, _dangling, _duplicate, _wrong_sum, _move, _delete, _in_place, _stray]
mutation = st.tuples(st.sampled_from(MUTATIONS), st.sampled_from(RECORDS))
ledger_mutation = st.tuples(st.sampled_from(MUTATIONS), st.sampled_from(LEDGER))


def _apply(root: Path, todo) -> None:
    for how, rel in todo:
        if (root / rel).is_file():
            how(root, rel)


def _mutated(before, after) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["OFFICECLI_NOW"] = NOW
        root = sample(Path(tmp) / "office")
        _apply(root, before)
        old = said(root, facts=False)
        assert said(root) == old  # the facts of the clean folders are written now
        _apply(root, after)  # changed since: --quick must see every change
        old = said(root, facts=False)
        assert said(root, quick=True) == old
        assert said(root) == old


TREES = {
    "before": st.lists(st.one_of(mutation, ledger_mutation), max_size=3),
    "after": st.lists(st.one_of(mutation, ledger_mutation), min_size=1, max_size=3),
}


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(**TREES)
@example(before=[], after=[(_in_place, LEDGER[0]), (_wrong_sum, LEDGER[0])])
@example(before=[(_corrupt, RECORDS[0])], after=[(_duplicate, RECORDS[-1]), (_move, LEDGER[-1])])
def test_mutated_trees_say_the_same_streaming_or_not_and_quick_sees_what_changed(before, after):
    _mutated(before, after)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(**TREES)
def test_many_mutated_trees_say_the_same(before, after):
    _mutated(before, after)


# -- the cache: never trusted blindly -----------------------------------------------------


def _one_facts(root: Path, folder: str) -> Path:
    return root / ".officecli/cache" / f"{doctorfacts.PREFIX}{folder.replace('/', '%2F')}.marshal"


def test_damaged_foreign_or_planted_facts_are_ignored_and_rebuilt(tmp_path):
    root = sample(tmp_path / "office")
    assert said(root) == []
    ledger = sorted({r.rpartition("/")[0] for r in LEDGER})
    mine, theirs = _one_facts(root, ledger[0]), _one_facts(root, ledger[1])
    assert mine.is_file() and theirs.is_file()
    assert oct(mine.stat().st_mode & 0o777) == "0o600"  # private
    # a posting is made not to balance while doctor is not looking (mtime put back) ...
    txn = sorted((root / ledger[0]).glob("*.yaml"))[0]
    text = txn.read_text()
    _in_place(root, str(txn.relative_to(root)))
    _wrong_sum(root, str(txn.relative_to(root)))
    old = said(root, facts=False)
    assert old
    # ... and its folder's facts are damaged, replaced by another folder's, or planted
    good = theirs.read_bytes()
    for bad in (
        good[:-7],  # truncated
        good[:40] + bytes([good[40] ^ 1]) + good[41:],  # one bit flipped
        good,  # another folder's (a foreign file)
        b"\0" * 32 + good[32:],  # a checksum that does not match
    ):
        mine.write_bytes(bad)
        assert said(root, quick=True) == old
    assert not mine.exists()  # a folder with a problem keeps no facts
    txn.write_text(text)  # clean again: its facts are rebuilt from its files, and used
    assert said(root, quick=True) == said(root, facts=False) == []
    assert mine.is_file() and mine.read_bytes() != good


def test_facts_of_a_folder_gone_are_swept_and_never_committed(tmp_path):
    root = sample(tmp_path / "office")
    said(root)
    folder = sorted({r.rpartition("/")[0] for r in LEDGER})[0]
    assert _one_facts(root, folder).is_file()
    shutil.rmtree(root / folder)
    said(root, quick=True)
    assert not _one_facts(root, folder).exists()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    ignored = subprocess.run(
        ["git", "-C", str(root), "check-ignore", str(facts_files(root)[0])], capture_output=True, text=True
    )
    assert ignored.returncode == 0  # .officecli/ is never committed


def test_a_rule_changed_in_office_yaml_checks_every_folder_again(tmp_path):
    root = sample(tmp_path / "office")
    assert said(root) == []
    office = root / "office.yaml"
    office.write_text(office.read_text().replace("Expenses:COGS", "Expenses:CostOfGoods", 1))
    old = said(root, facts=False)
    assert any("Expenses:COGS" in line for line in old)
    assert said(root, quick=True) == old


def test_quick_reads_only_the_folders_changed_since(tmp_path, monkeypatch):
    root = sample(tmp_path / "office")
    said(root)
    read: list[str] = []
    check_text = doctorwalk._check_text

    def counted(store, walk, kind, path, *rest):
        read.append(path)
        return check_text(store, walk, kind, path, *rest)

    monkeypatch.setattr(doctorwalk, "_check_text", counted)
    assert said(root, quick=True) == []
    assert read == []  # nothing changed: not one record read
    folder = sorted({r.rpartition("/")[0] for r in LEDGER})[-1]
    one = sorted((root / folder).glob("*.yaml"))[0]
    _in_place(root, str(one.relative_to(root)))  # same size, mtime put back
    said(root, quick=True)
    assert sorted(read) == sorted(str(p.relative_to(root)) for p in (root / folder).glob("*.yaml"))
