"""Fuzzing what arrives by git (issue 22): the hypothesis fuzzing of tests/hostile/test_fuzz.py
extended to another site's commits.

A real bare repository and two clones (tests/git/sites.py, made once and copied per
example). Hypothesis picks what the hostile site A commits and pushes by plain git: a
record mutated as test_fuzz mutates files (a byte flipped, a line doubled, a value
swapped), a record's ``id:`` changed, a private or state path force-added, an unknown
file, a ``.gitignore`` or ``.gitattributes`` rewritten, any of them as a symbolic link.
Site B takes it both ways; the property:

* ``officecli sync`` finishes with exit 0 or 1, never an internal error; a refusal (1)
  leaves B's HEAD and work tree as they were; whatever it did, B's repository then
  tracks nothing under back/hr/ or .officecli/, no link, and no record whose ``id:``
  differs from its file name;
* after a plain ``git pull`` the next writer and doctor finish with exit 0 or 1 (one
  line on stderr for the writer), never an internal error, and nothing outside the
  root changes (a canary beside it is hashed before and after).
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.git.sites import company, copy_company, stocked
from tests.hostile.harness import tree_state
from tests.hostile.test_fuzz import SWAPS, _mutate_record

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

RECORD = "front/customers/CUS-A-0001.yaml"
TARGETS = [
    RECORD,
    "back/products/MUG-01.yaml",
    "back/hr/pay/PAY-A-0001.yaml",
    ".officecli/numbers.marshal",
    ".officecli/txn/1700000000000000000-1/journal.json",
    "front/customers/notes.txt",
    "front/customers/CUS-A-0099.yaml",
    "front/secret/CUS-A-0098.yaml",
    "templates/invoice.html",
    ".gitignore",
    ".gitattributes",
    "office.yaml",
]
CONTENT = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**5), st.integers(1, 255)),
    st.tuples(st.just("double"), st.integers(0, 60), st.just(0)),
    st.tuples(st.just("swap"), st.integers(0, 60), st.sampled_from(SWAPS)),
    st.tuples(st.just("id"), st.just(0), st.sampled_from(["CUS-A-0002", "CUS-B-0001", "../x", ""])),
    st.tuples(
        st.just("text"), st.just(0), st.sampled_from(["", "back/hr/\n", "!back/hr/\n", "* merge=union\n"])
    ),
    st.tuples(st.just("link"), st.just(0), st.sampled_from(["/etc/passwd", "../back/hr", "CANARY", "."])),
)
PLANT = st.lists(
    st.tuples(st.sampled_from(TARGETS), CONTENT), min_size=1, max_size=3, unique_by=lambda t: t[0]
)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    where = tmp_path_factory.mktemp("fuzz-pull")
    stocked(company(where))
    return where


def _plant(root, canary, rel: str, how) -> None:
    kind, at, arg = how
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or (path.exists() and kind == "link"):
        path.unlink()
    if kind == "link":
        os.symlink(str(canary / "victim.txt") if arg == "CANARY" else arg, path)
    elif kind == "text":
        path.write_text(arg)
    elif kind == "id" and rel.endswith(".yaml"):
        text = path.read_text("utf-8", "replace") if path.exists() else "id: CUS-A-0099\nname: x\n"
        path.write_text(text.replace(text.split("\n", 1)[0], f"id: {arg}", 1))
    elif path.exists() and rel.endswith(".yaml") and kind in ("flip", "double", "swap"):
        _mutate_record(root, rel, (kind, at, arg))
    else:
        path.write_bytes(b"planted\n" * (at % 7 + 1))


def _tracked_problems(site) -> list[str]:
    out = []
    for line in site.git("ls-files", "-s", "-z").split("\0"):
        if not line:
            continue
        meta, _, path = line.partition("\t")
        if meta.startswith(("120000", "160000")):
            out.append(f"{path}: a link tracked")
        if path.startswith(("back/hr/", ".officecli/")):
            out.append(f"{path}: private or state path tracked")
    return out


def _work_tree(root) -> dict:
    return {k: v for k, v in tree_state(root, skip_state=True).items() if not k.startswith(".git/")}


def _case(template, tmp_path, plant) -> None:
    a, b = copy_company(template, tmp_path)
    canary = tmp_path / "canary"
    canary.mkdir()
    (canary / "victim.txt").write_text("do not touch\n")
    for rel, how in plant:
        _plant(a.root, canary, rel, how)
    a.git("add", "-A", "-f", ".")
    if a.git("status", "--porcelain") == "":
        return
    a.git("commit", "-q", "--author", "Mallory <m@example.org>", "-m", "hostile")
    a.git("push", "-q", "-f", "origin", "HEAD:main")
    outside = tree_state(canary)
    head, tree = b.head(), _work_tree(b.root)
    res = b.run("sync", ok=False)
    said = f"{plant}: sync -> {res.returncode}\n{res.stdout}{res.stderr}"
    assert (
        res.returncode in (0, 1) and "internal error" not in res.stderr and "Traceback" not in res.stderr
    ), said
    if res.returncode == 1:
        assert b.head() == head and _work_tree(b.root) == tree, f"refused, but changed: {said}"
    assert not _tracked_problems(b), f"{said}\n{_tracked_problems(b)}"
    b.git("reset", "-q", "--hard", head)
    pulled = subprocess.run(
        ["git", "pull", "-q", "--no-rebase", "origin", "main"], cwd=b.root, capture_output=True, text=True
    )
    for args in (("customer", "add", "Νέος Πελάτης"), ("doctor",)):
        res = b.run(*args, ok=False)
        said = f"{plant} (pull: {pulled.returncode}): {args} -> {res.returncode}\n{res.stdout}{res.stderr}"
        assert (
            res.returncode in (0, 1) and "internal error" not in res.stderr and "Traceback" not in res.stderr
        ), said
        if args[0] != "doctor" and res.returncode == 1:
            assert len(res.stderr.strip().splitlines()) == 1, said
    assert tree_state(canary) == outside, f"{plant}: changed something outside the root"


QUICK = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
LONG = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _fresh_dir(tmp_path):
    n = len(list(tmp_path.iterdir()))
    where = tmp_path / f"case{n}"
    where.mkdir()
    return where


@QUICK
@given(plant=PLANT)
def test_what_a_remote_pushes(template, tmp_path, plant):
    _case(template, _fresh_dir(tmp_path), plant)


@pytest.mark.slow
@LONG
@given(plant=PLANT)
def test_what_a_remote_pushes_long(template, tmp_path, plant):
    _case(template, _fresh_dir(tmp_path), plant)
