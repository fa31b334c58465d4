"""Seals between sites (docs/SEALS.md): a closed month's seals travel with the records
through `officecli sync`; a file changed after the close and brought by a plain git
pull is named by doctor and `ledger check` at the site that pulled it."""

from __future__ import annotations

from tests.git.sites import assert_in_step
from tests.git.test_period_owner import own_books

MONTH = "back/ledger/2026/10"


def test_seals_travel_with_sync_and_a_pulled_hand_edit_is_named(sites):
    a, b = sites
    own_books(a, b)  # two sites: office.yaml names the one that closes
    a.run("ledger", "post", "--date", "2026-10-20", "Ενοίκιο", "Expenses:Rent", "800", "Assets:Bank")
    a.run("ledger", "close", "2026-10")
    assert (a.root / MONTH / ".seal").is_file()
    assert "ledger close 2026-10" in a.subjects(1)[0]
    assert f"{MONTH}/.seal" in a.git("show", "--stat", "--format=", "HEAD")  # committed with its close
    trailer = [
        t for t in a.git("log", "-1", "--format=%B").splitlines() if t.startswith("Officecli-Records:")
    ]
    assert trailer == ["Officecli-Records: office.yaml"]  # a seal is no record
    a.sync()
    b.sync()
    assert (b.root / MONTH / ".seal").read_bytes() == (a.root / MONTH / ".seal").read_bytes()
    assert_in_step(a, b)  # doctor and ledger check clean at both

    # site B edits a closed month's entry by hand and pushes it with plain git
    txn = next((b.root / MONTH).glob("TXN-*.yaml"))
    rel = f"{MONTH}/{txn.name}"
    txn.write_text(txn.read_text("utf-8").replace("Ενοίκιο", "Ενοίκια"), "utf-8")
    b.git("commit", "-qam", "fix a word")
    b.git("push", "-q", "origin", "main")
    a.git("pull", "-q", "--no-rebase", "origin", "main")
    for args in (("doctor",), ("ledger", "check")):
        res = a.run(*args, ok=False)
        assert res.returncode == 1
        assert f"{rel}: changed after its period was closed" in res.stdout, res.stdout
