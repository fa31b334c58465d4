"""A collision only this clone knows (what the soak's seed 2 found): a clone that forgot
its site code makes ORD-A-… while site A made and pushed the same ID. Its sync refuses
the merge; every copy's evidence says "site A", yet site A never sees the collision
(nothing of it was pushed). The copy never pushed is renamed here, by this site, to its
own next ID, whether the person settles in place (`sync --keep`, then `renumber` inside
the merge, `git commit`) or after sync backed the merge out; both orders live on."""

from __future__ import annotations

import shutil

import pytest

from tests.git.sites import assert_in_step

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

LATER = "2026-11-03T10:00:00+02:00"
LATER_B = "2026-11-03T11:30:00+02:00"
FORGOT = {"OFFICECLI_SITE": "A"}


def _collide(a, b) -> str:
    mine = a.ids("order", "add", "--customer", "1", "MUG-01:5", now=LATER)
    a.run("order", "forward", mine, now=LATER)
    a.sync()
    theirs = b.ids("order", "add", "--customer", "1", "BOWL-01:5", now=LATER_B, **FORGOT)
    assert theirs == mine  # B's stays open: two folders once merged
    return mine


def _both_live(a, b, old: str) -> None:
    assert_in_step(a, b)
    for s in (a, b):
        orders = [s.data(rel) for rel in s.files() if "/orders/" in rel and rel.endswith(".yaml")]
        ids = [o["id"] for o in orders]
        assert len(ids) == len(set(ids)) == 2, ids
        moved = [o for o in orders if old in (o.get("renumbered_from") or [])]
        assert len(moved) == 1 and moved[0]["id"].startswith("ORD-B-"), ids
        assert [line["sku"] for line in moved[0]["lines"]] == ["BOWL-01"]
        assert s.run("doctor", ok=False).returncode == 0


def test_settled_in_place_inside_the_kept_merge(sites):
    a, b = sites
    old = _collide(a, b)
    said = b.sync(ok=False)
    assert said.returncode == 1
    line = next(x for x in said.stderr.splitlines() if old in x and "renumber" in x)
    assert "site B" in line and "site A" not in line.split("renumber")[-1], line
    b.sync("--keep", ok=False)
    done = b.run("renumber", old, "--file", f"front/orders/open/{old}.yaml", now=LATER_B)
    assert "staged" in done.stdout
    b.git("commit", "-q", "--no-edit")
    b.sync()
    a.sync()
    _both_live(a, b, old)


def test_settled_after_sync_backed_the_merge_out(sites):
    a, b = sites
    old = _collide(a, b)
    head = b.head()
    assert b.sync(ok=False).returncode == 1
    assert b.head() == head  # backed out: this clone works as it was
    b.run("renumber", old, now=LATER_B)  # its one copy, never pushed: this site's next ID
    b.sync()
    a.sync()
    _both_live(a, b, old)
