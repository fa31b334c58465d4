"""Sealed periods (issue 26, item 1): `ledger close` seals the closed period's folders;
a file changed, added or removed there afterwards is named by doctor, `doctor --quick` and
`ledger check`; officecli's own later writes keep the seals true; an open period keeps
the never-wrong rule."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from officecli.store import index as store_index
from officecli.store import seal
from tests.books import test_periods
from tests.conftest import snapshot

MONTH = "back/ledger/2026/10"
books = test_periods.books  # the fixture: the same October of books, closed on 2026-11-03


@pytest.fixture
def closed(books, office):
    books("ledger", "close", "2026-10")
    return books


def balance(cli) -> dict[str, str]:
    rows = json.loads(cli("ledger", "balance", "--format", "json").stdout)
    return {r["id"]: r["balance"] for r in rows}


def _edit_in_place(path: Path, old: str, new: str) -> None:
    """Same size, mtime put back: only the bytes (and the ctime) change."""
    assert len(old) == len(new)
    st = path.stat()
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns


def test_close_seals_each_folder_of_the_period_and_the_checks_are_clean(closed, office):
    for folder in (MONTH, "back/stock/2026/10"):
        sealed = seal.load(str(office / folder))
        names = sorted(p.name for p in (office / folder).glob("*.yaml"))
        assert sealed is not None and sorted(sealed) == names and names
        for name in names:
            data = (office / folder / name).read_bytes()
            assert sealed[name] == (len(data), seal.digest(data))
    assert not (office / "back/ledger/2026/11/.seal").exists()  # an open month: no seal
    assert closed("doctor").stdout == ""
    assert closed("doctor", "--quick").stdout == ""
    assert closed("ledger", "check").stdout == ""


def _tamper(office: Path, how: str) -> str:
    folder = office / MONTH
    first = sorted(folder.glob("*.yaml"))[0]
    rel = f"{MONTH}/{first.name}"
    if how == "changed":
        text = first.read_text("utf-8")
        first.write_text(text.replace("10000.00", "100000.00"), "utf-8")
    elif how == "same size, mtime put back":
        _edit_in_place(first, "10000.00", "90000.00")
    elif how == "added":
        rel = f"{MONTH}/TXN-A-0999.yaml"
        shutil.copy(first, office / rel)
    elif how == "removed":
        first.unlink()
    return rel


@pytest.mark.parametrize("how", ["changed", "same size, mtime put back", "added", "removed"])
def test_a_file_touched_after_its_period_was_closed_is_named(closed, office, how):
    closed("doctor", "--quick")  # remembers every sealed folder as it was
    rel = _tamper(office, how)
    what = {"same size, mtime put back": "changed"}.get(how, how)
    line = f"{rel}: {what} after its period was closed"
    for args in (("doctor",), ("doctor", "--quick"), ("ledger", "check")):
        result = closed(*args, code=1)
        said = [s for s in result.stdout.splitlines() if s.startswith(line)]
        assert len(said) == 1, (args, result.stdout)
        assert "no command reopens a closed period" in said[0] and f"git log -- {rel}" in said[0]


def test_a_damaged_seal_is_named(closed, office):
    path = office / MONTH / seal.NAME
    lines = path.read_text("utf-8").split("\n")
    lines[1] = lines[1].replace(" ", "  ", 1)  # a file's line, cut by hand
    path.write_text("\n".join(lines), "utf-8")
    for args in (("doctor",), ("ledger", "check")):
        out = closed(*args, code=1).stdout
        assert f"{MONTH}/.seal: not a seal officecli wrote (line 2" in out, out


def test_readers_trust_a_sealed_folder_and_doctor_names_what_they_trust(closed, office, monkeypatch):
    """A sealed folder's sums are kept under its seal: a same-size edit with the mtime put
    back (which changes the ctime, so a stat-keyed summary would be computed again) is not
    read by `ledger balance` -- it is the point of a seal -- and doctor names it."""
    monkeypatch.setattr(store_index, "RACY_NS", 0)  # (the files were written a moment ago)
    before = balance(closed)
    assert balance(closed) == before  # now kept, under the seal
    _edit_in_place(sorted((office / MONTH).glob("*.yaml"))[0], "10000.00", "90000.00")
    assert balance(closed) == before
    assert "changed after its period was closed" in closed("doctor", code=1).stdout


def test_a_summary_is_kept_only_of_the_sealed_bytes(closed, office, monkeypatch):
    """A folder whose files differ from their seal when its summary is computed gets no
    stored summary: putting the file back gives the sealed answer again at once."""
    monkeypatch.setattr(store_index, "RACY_NS", 0)
    shutil.rmtree(office / ".officecli" / "cache", ignore_errors=True)
    path = sorted((office / MONTH).glob("*.yaml"))[0]
    good = path.read_bytes()
    sealed = balance(closed)
    shutil.rmtree(office / ".officecli" / "cache")
    _edit_in_place(path, "10000.00", "90000.00")
    edited = balance(closed)
    assert edited != sealed and balance(closed) == edited  # read from the files, not stored
    path.write_bytes(good)
    assert balance(closed) == sealed
    assert closed("doctor").stdout == ""


def test_an_edit_in_place_in_an_open_period_is_seen_by_the_next_command(closed, office, monkeypatch):
    monkeypatch.setattr(store_index, "RACY_NS", 0)
    closed("ledger", "post", "--date", "2026-11-02", "Rent", "Expenses:Rent", "700", "Assets:Bank")
    before = balance(closed)
    assert before["Expenses:Rent"] == "1500.00"
    assert balance(closed) == before  # the November summary is stored now
    txn = next(p for p in (office / "back/ledger/2026/11").glob("*.yaml") if "700.00" in p.read_text("utf-8"))
    text = txn.read_text("utf-8")
    _edit_in_place(txn, "700.00", "900.00")
    assert text.count("700.00") == 2  # both postings: still balanced
    _edit_in_place(txn, "700.00", "900.00")
    assert balance(closed)["Expenses:Rent"] == "1700.00"
    assert closed("doctor").stdout == ""


def test_officecli_own_writes_in_a_sealed_folder_keep_its_seal_true(cli, clock, office):
    """The year's closing entry lands in a sealed December; a complaint closed in a
    sealed year is reopened: each change rewrites its folder's seal with it."""
    clock.set("2026-03-01T10:00:00+02:00")
    cli("ledger", "post", "Κεφάλαιο", "Assets:Bank", "1000", "Equity:Capital")
    cli("customer", "add", "Ταβέρνα")
    clock.set("2026-12-10T10:00:00+02:00")
    cli("ledger", "post", "Ενοίκιο", "Expenses:Rent", "5", "Assets:Bank")
    cli("complaint", "add", "--customer", "1", "Σπασμένη κούπα")
    cli("complaint", "forward", "1")
    cli("complaint", "take", "1")
    cli("complaint", "resolve", "1", "--resolution", "Νέα κούπα")
    cli("complaint", "close", "1")
    closed_year = office / "archive/complaints/closed/2026"
    assert list(closed_year.glob("*.yaml"))
    clock.set("2027-01-15T10:00:00+02:00")
    cli("ledger", "close", "2026-12")
    december = seal.load(str(office / "back/ledger/2026/12"))
    assert seal.load(str(closed_year)) is not None
    cli("ledger", "close", "--year", "2026")  # its entry goes into the sealed December
    assert seal.load(str(office / "back/ledger/2026/12")) != december
    cli("complaint", "reopen", "1", "--note", "Ξανά")
    assert seal.load(str(closed_year)) == {}
    assert cli("doctor").stdout == ""
    assert cli("ledger", "check").stdout == ""


def test_refusals_leave_the_tree_and_the_seals_as_they_were(closed, refused):
    refused("ledger", "close", "2026-10", match="already closed")
    refused("ledger", "close", "2026-13", match="PERIOD")
    refused(
        "ledger", "post", "--date", "2026-10-20", "Late", "Expenses:Rent", "1", "Assets:Bank", match="closed"
    )


def test_two_sites_sealing_the_same_folder_agree_and_git_merges_them(books, office, tmp_path):
    """The seal is the same bytes for the same files (no time, site or user in it), so two
    clones that close the same month add the same .seal and git merges them cleanly."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }

    def git(where: Path, *args: str) -> str:
        done = subprocess.run(["git", *args], cwd=where, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    git(office, "init", "-q", "-b", "main")
    git(office, "add", "-A")
    git(office, "commit", "-qm", "books")
    other = tmp_path / "other"
    shutil.copytree(office, other)  # a second site with the same history
    books("ledger", "close", "2026-10")
    git(office, "add", "-A")
    git(office, "commit", "-qm", "close here")
    books("--root", str(other), "ledger", "close", "2026-10")
    assert (other / MONTH / seal.NAME).read_bytes() == (office / MONTH / seal.NAME).read_bytes()
    git(other, "add", "-A")
    git(other, "commit", "-qm", "close there")
    git(other, "pull", "-q", "--no-rebase", str(office), "main")
    assert "<<<<<<<" not in (other / MONTH / seal.NAME).read_text("utf-8")
    assert snapshot(other / MONTH) == snapshot(office / MONTH)
