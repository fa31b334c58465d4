"""The path guard (store/guard.py) and the store pieces that use it, on real files and links."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from officecli.store import fsio, txn
from officecli.store.errors import UserError
from officecli.store.guard import Guard, UnsafePath, check_record_rel, check_rel, find_links
from officecli.store.lock import Lock
from officecli.store.tree import Store

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def tree(tmp_path):
    """A root with a folder, a record, and an outside folder with a file to protect."""
    root = tmp_path / "root"
    (root / "front" / "customers").mkdir(parents=True)
    (root / "office.yaml").write_text("company: {name: X}\n")
    (root / "front/customers/CUS-A-0001.yaml").write_text("id: CUS-A-0001\nname: A\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "victim.txt").write_text("outside\n")
    os.chmod(out / "victim.txt", 0o644)
    return root, out


# -- names --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "rel",
    ["a", "front/customers/CUS-A-0001.yaml", "back/ledger/2026/11/TXN.yaml", ".officecli/lock", "a b/c"],
)
def test_plain_relative_paths_pass(rel):
    assert check_rel(rel) == rel


@pytest.mark.parametrize(
    "rel",
    [
        "",
        "/etc/passwd",
        "..",
        "../out/victim.txt",
        "front/../../x",
        "front//x",
        "./x",
        "x/.",
        "a\0b",
        "a\\..\\b",
        None,
        42,
    ],
)
def test_paths_that_leave_the_root_or_are_not_plain_are_refused(rel):
    with pytest.raises(UnsafePath):
        check_rel(rel)


@pytest.mark.parametrize(
    "rel",
    [
        ".git/hooks/pre-commit",
        ".officecli/lock",
        "back/hr/.git/config",
        ".GIT/hooks/x",
        ".git./hooks/x",
        "front/.officecli/x",
    ],
)
def test_a_transaction_never_writes_into_git_or_officecli_folders(rel):
    check_rel(rel)
    with pytest.raises(UnsafePath, match="git's or officecli's own"):
        check_record_rel(rel)
    assert check_record_rel(".gitignore") == ".gitignore"


# -- the way ------------------------------------------------------------------------
def test_folder_is_true_for_real_false_for_missing_and_refuses_links(tree):
    root, out = tree
    g = Guard(root)
    assert g.folder("front/customers") is True
    assert g.folder("front/missing") is False
    assert g.folder("nowhere/at/all") is False
    os.symlink(out, root / "front" / "linked")
    with pytest.raises(UnsafePath, match=r"^front/linked: a symbolic link \(to .*out\)"):
        g.folder("front/linked")
    with pytest.raises(UnsafePath, match="^front/linked: a symbolic link"):
        g.folder("front/linked/deeper/still")  # the link is named, not the leaf
    with pytest.raises(UnsafePath, match="a file where officecli expects a folder"):
        g.folder("office.yaml/x")


def test_a_folder_found_good_is_remembered_for_the_process(tree):
    root, _ = tree
    g = Guard(root)
    assert g.folder("front/customers")
    assert {"front", "front/customers"} <= g.good
    g.forget("front")
    assert "front/customers" not in g.good and "" in g.good


def test_read_bytes_reads_regular_files_and_refuses_links_and_fifos(tree):
    root, out = tree
    g = Guard(root)
    assert g.read_bytes("front/customers/CUS-A-0001.yaml").startswith(b"id: CUS-A-0001")
    os.symlink(out / "victim.txt", root / "front/customers/CUS-A-0002.yaml")
    with pytest.raises(UnsafePath, match="^front/customers/CUS-A-0002.yaml: a symbolic link"):
        g.read_bytes("front/customers/CUS-A-0002.yaml")
    os.mkfifo(root / "front/customers/CUS-A-0003.yaml")
    with pytest.raises(UnsafePath, match="not a regular file"):  # and it does not hang
        g.read_bytes("front/customers/CUS-A-0003.yaml")
    with pytest.raises(FileNotFoundError):
        g.read_bytes("front/customers/CUS-A-0009.yaml")


def test_find_links_names_every_link_and_special_file_and_enters_no_linked_folder(tree):
    root, out = tree
    (out / "inside-out.yaml").write_text("x")
    os.symlink(out, root / "front" / "linked-folder")
    os.symlink(out / "victim.txt", root / "front/customers/CUS-A-0002.yaml")
    os.symlink(root / "missing", root / "dangling")
    os.mkfifo(root / "front" / "pipe")
    (root / ".officecli").mkdir()
    os.symlink(out, root / ".officecli" / "cache")
    (root / ".git").mkdir()
    os.symlink(out, root / ".git" / "ignored")  # git's own: not ours to judge
    (root / "front" / ".git").mkdir()  # a nested repository's too
    os.symlink(out, root / "front" / ".git" / "ignored")
    os.symlink(out, root / "front" / "customers" / ".git")  # but a .git that is a link is named
    found = dict(find_links(root))
    assert sorted(found) == [
        ".officecli/cache",
        "dangling",
        "front/customers/.git",
        "front/customers/CUS-A-0002.yaml",
        "front/linked-folder",
        "front/pipe",
    ]
    assert "state must be a real" in found[".officecli/cache"]
    assert "not a regular file" in found["front/pipe"]


# -- the store ----------------------------------------------------------------------
def test_store_load_and_glob_refuse_links_naming_them(tree):
    root, out = tree
    s = Store(root)
    assert s.load("front/customers/CUS-A-0001.yaml")["name"] == "A"
    os.symlink(out / "victim.txt", root / "front/customers/CUS-A-0002.yaml")
    with pytest.raises(UnsafePath, match="CUS-A-0002.yaml: a symbolic link"):
        s.load("front/customers/CUS-A-0002.yaml")
    os.symlink(out, root / "front" / "orders")
    with pytest.raises(UnsafePath, match="^front/orders: a symbolic link"):
        s.glob("front/orders")
    (root / "back" / "ledger").mkdir(parents=True)
    os.symlink(out, root / "back/ledger/2026")
    (out / "11").mkdir()
    (out / "11" / "TXN-A-0001.yaml").write_text("id: TXN-A-0001\n")
    with pytest.raises(UnsafePath, match="^back/ledger/2026: a symbolic link"):
        Store(root).glob("back/ledger/{year}/{month}")


def test_store_walk_leaves_links_out(tree):
    root, out = tree
    os.symlink(out, root / "front" / "linked")
    os.symlink(out / "victim.txt", root / "front/customers/CUS-A-0002.yaml")
    walked = {rel: (dirs, files) for rel, dirs, files in Store(root).walk()}
    assert walked["front"] == (["customers"], [])
    assert walked["front/customers"] == ([], ["CUS-A-0001.yaml"])


def test_make_dir_refuses_to_go_through_a_link(tree):
    root, out = tree
    s = Store(root)
    os.symlink(out, root / "back")
    with pytest.raises(UnsafePath, match="^back: a symbolic link"):
        s.make_dir("back/orders/inbox")
    assert os.listdir(out) == ["victim.txt"]


def test_a_transaction_through_a_linked_folder_changes_nothing(tree):
    root, out = tree
    s = Store(root)
    os.symlink(out, root / "back")
    with pytest.raises(UnsafePath, match="^back: a symbolic link"):
        with s.transaction() as t:
            t.create("back/orders/inbox/ORD-A-0001.yaml", "id: ORD-A-0001\n")
    assert os.listdir(out) == ["victim.txt"]
    assert not (root / ".officecli" / "txn").exists()  # refused before the commit


def test_a_transaction_never_creates_over_a_dangling_link(tree):
    root, out = tree
    os.symlink(out / "new.txt", root / "front/customers/CUS-A-0002.yaml")
    with pytest.raises(UserError, match="already exists"):
        with Store(root).transaction() as t:
            t.create("front/customers/CUS-A-0002.yaml", "id: CUS-A-0002\n")
    assert not (out / "new.txt").exists()


def test_tighten_private_never_follows_a_link(tree):
    root, out = tree
    hr = root / "back" / "hr"
    (hr / "employees").mkdir(parents=True)
    (hr / "employees" / "EMP-A-0001.yaml").write_text("id: EMP-A-0001\n")
    os.chmod(hr / "employees" / "EMP-A-0001.yaml", 0o644)
    os.symlink(out / "victim.txt", hr / "employees" / "EMP-A-0002.yaml")
    os.chmod(out, 0o755)
    os.symlink(out, hr / "linked")
    said = Store(root, private=["back/hr"]).tighten_private()
    assert said and stat.S_IMODE(os.stat(hr / "employees" / "EMP-A-0001.yaml").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(out / "victim.txt").st_mode) == 0o644
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o755
    # the private folder itself a link: left alone
    (root / "back" / "hr").rename(root / "back" / "hr-real")
    os.symlink(out, root / "back" / "hr")
    assert Store(root, private=["back/hr"]).tighten_private() == []
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o755


def test_a_linked_state_folder_is_refused_by_writers(tree):
    root, out = tree
    os.symlink(out, root / ".officecli")
    with pytest.raises(UnsafePath, match=r"^\.officecli: a symbolic link"):
        with Store(root).locked():
            pass
    assert os.listdir(out) == ["victim.txt"]


def test_a_linked_cache_is_neither_read_nor_written(tree):
    root, out = tree
    (root / ".officecli").mkdir()
    os.symlink(out, root / ".officecli" / "cache")
    s = Store(root)
    assert s.load("front/customers/CUS-A-0001.yaml")["name"] == "A"
    s.close()
    assert os.listdir(out) == ["victim.txt"]


def test_a_linked_cache_shard_is_not_read(tree):
    import marshal

    root, out = tree
    s = Store(root)
    st = os.stat(root / "front/customers/CUS-A-0001.yaml")
    fake = marshal.dumps((2, {"front/customers/CUS-A-0001.yaml": (s.cache.key(st), {"name": "FAKE"})}))
    (out / "shard").write_bytes(fake)
    (root / ".officecli" / "cache").mkdir(parents=True)
    os.symlink(out / "shard", s.cache.shard_file("front/customers"))
    assert Store(root).load("front/customers/CUS-A-0001.yaml")["name"] == "A"


# -- the lock -----------------------------------------------------------------------
def test_a_linked_lock_is_refused_and_its_target_untouched(tree):
    root, out = tree
    (root / ".officecli").mkdir()
    os.symlink(out / "victim.txt", root / ".officecli" / "lock")
    with pytest.raises(UserError, match="lock: a symbolic link"):
        Lock(root / ".officecli" / "lock").acquire()
    assert (out / "victim.txt").read_text() == "outside\n"


def test_a_hard_linked_lock_is_refused(tree):
    root, out = tree
    (root / ".officecli").mkdir()
    os.link(out / "victim.txt", root / ".officecli" / "lock")
    with pytest.raises(UserError, match="hard link"):
        Lock(root / ".officecli" / "lock").acquire()
    assert (out / "victim.txt").read_text() == "outside\n"


# -- journals -----------------------------------------------------------------------
def _planted(root: Path, ops) -> Path:
    folder = root / ".officecli" / "txn" / "1-1"
    folder.mkdir(parents=True)
    (folder / "0000").write_text("staged\n")
    (folder / "journal.json").write_text(json.dumps({"ops": ops}))
    return folder


@pytest.mark.parametrize(
    "ops,why",
    [
        ([{"op": "replace", "path": "../out/victim.txt", "stage": "0000"}], "'..' part"),
        ([{"op": "create", "path": "/tmp/x.yaml", "stage": "0000"}], "absolute"),
        (
            [
                {
                    "op": "move",
                    "src": "../out/victim.txt",
                    "path": "front/customers/CUS-A-0009.yaml",
                    "stage": "0000",
                }
            ],
            "src '../out/victim.txt'",
        ),
        ([{"op": "create", "path": "front/customers/CUS-A-0009.yaml", "stage": "../../x"}], "stage"),
        ([{"op": "create", "path": "front/linked/CUS-A-0009.yaml", "stage": "0000"}], "symbolic link"),
        ([{"op": "chmod", "path": "front/customers/CUS-A-0009.yaml", "stage": "0000"}], "unknown operation"),
        ([{"op": "replace", "path": "front/customers/CUS-A-0002.yaml", "stage": "0000"}], "symbolic link"),
        ("nope", "no list of ops"),
    ],
)
def test_a_bad_journal_is_named_refused_and_not_applied(tree, ops, why):
    root, out = tree
    os.symlink(out, root / "front" / "linked")
    os.symlink(out / "victim.txt", root / "front/customers/CUS-A-0002.yaml")
    folder = _planted(root, ops)
    assert why in txn.journal_problem(root, folder)
    with pytest.raises(UnsafePath, match=r"^\.officecli/txn/1-1/journal.json: .*not applied"):
        with Store(root).locked():
            pass
    assert [w for w, _ in txn.bad_journals(root, folder.parent)] == [".officecli/txn/1-1/journal.json"]
    assert txn.pending(folder.parent) == []
    assert Store(root).recover(strict=False) == []  # doctor --repair: left alone
    assert (folder / "journal.json").exists() and (out / "victim.txt").read_text() == "outside\n"
    assert sorted(os.listdir(out)) == ["victim.txt"]


def test_a_good_journal_still_rolls_forward(tree):
    root, _ = tree
    folder = _planted(root, [{"op": "create", "path": "front/customers/CUS-A-0009.yaml", "stage": "0000"}])
    assert txn.journal_problem(root, folder) is None
    with Store(root).locked():
        pass
    assert (root / "front/customers/CUS-A-0009.yaml").read_text() == "staged\n"
    assert not folder.exists()


def test_a_linked_transaction_folder_is_refused(tree):
    root, out = tree
    (root / ".officecli" / "txn").mkdir(parents=True)
    os.symlink(out, root / ".officecli" / "txn" / "1-1")
    with pytest.raises(UnsafePath, match="a symbolic link where a transaction folder should be"):
        with Store(root).locked():
            pass
    assert os.listdir(out) == ["victim.txt"]


# -- file-system edges ---------------------------------------------------------------
FSIZE = r"""
import resource, sys
from pathlib import Path
from officecli.store import fsio
resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))
try:
    fsio.atomic_replace(Path(sys.argv[1]), b"x" * 1000)
except OSError as exc:
    print(exc.filename, exc.strerror)
"""


def test_a_failed_write_names_its_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "big.yaml"
    res = subprocess.run(
        [sys.executable, "-c", FSIZE, str(target)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert res.stdout.strip() == f"{target} File too large", res.stderr
    assert os.listdir(tmp_path) == []


def test_sweep_removes_only_temp_files_of_dead_writers_that_are_old(tmp_path):
    dead = 2**22 + 12345  # above pid_max's default: no such process
    while True:
        try:
            os.kill(dead, 0)
            dead += 1
        except ProcessLookupError:
            break
        except PermissionError:
            dead += 1
    old = time.time() - fsio.STALE_SECONDS - 60
    names = {
        f".a.marshal.tmp-{dead}-aa": old,  # dead writer, old: swept
        f".b.marshal.tmp-{dead}-bb": time.time(),  # dead writer, fresh: kept
        f".c.marshal.tmp-{os.getppid()}-cc": old,  # live writer: kept
        f".d.marshal.tmp-{os.getppid()}-dd": time.time() - fsio.ANCIENT_SECONDS - 60,  # ancient
        "plain.marshal": old,  # not a temp file: kept
    }
    for name, mtime in names.items():
        (tmp_path / name).write_bytes(b"x")
        os.utime(tmp_path / name, (mtime, mtime))
    outside = tmp_path.parent / f"{tmp_path.name}-target"
    outside.write_text("keep")
    os.symlink(outside, tmp_path / f".e.marshal.tmp-{dead}-ee")
    os.utime(tmp_path / f".e.marshal.tmp-{dead}-ee", (old, old), follow_symlinks=False)
    swept = fsio.sweep_stale(tmp_path)
    assert sorted(swept) == sorted(
        [f".a.marshal.tmp-{dead}-aa", f".d.marshal.tmp-{os.getppid()}-dd", f".e.marshal.tmp-{dead}-ee"]
    )
    assert outside.read_text() == "keep"  # a link is removed as a name only
    assert sorted(os.listdir(tmp_path)) == sorted(
        [f".b.marshal.tmp-{dead}-bb", f".c.marshal.tmp-{os.getppid()}-cc", "plain.marshal"]
    )


def test_the_next_writer_sweeps_stale_cache_temp_files(tree):
    root, _ = tree
    cache = root / ".officecli" / "cache"
    cache.mkdir(parents=True)
    stale = cache / ".front%2Fcustomers.marshal.tmp-999999999-ab"
    stale.write_bytes(b"half")
    old = time.time() - fsio.ANCIENT_SECONDS - 1
    os.utime(stale, (old, old))
    with Store(root).locked():
        pass
    assert not stale.exists()
