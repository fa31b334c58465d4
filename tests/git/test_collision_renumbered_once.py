"""Failures 3 and 4 of issue 27, and the contradictory collision lines of 12.

A clone that forgot its site code mints IDs of site A. Real git (a bare remote and
two clones), every step through the CLI:

* two different orders in two folders under one ID: the rule (the same at every site)
  names the copy to renumber and the site that does it; `renumber` elsewhere is
  refused with one line, at the named site it renumbers once, and afterwards a second
  `renumber` anywhere is a no-op with one line: never two renumbered copies, never
  the same pieces reserved twice;
* two different customers in ONE folder (git merged them into one file): never called
  a field conflict, never "set the field"; sync takes no such merge; the site that
  made the later one renumbers its own whole copy and both customers live on.
"""

from __future__ import annotations

import json
import shutil

import pytest

from tests.git.sites import read, round_trip

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

LATER = "2026-11-03T10:00:00+02:00"
LATER_B = "2026-11-03T11:30:00+02:00"
FORGOT = {"OFFICECLI_SITE": "A"}


def _available(site, sku: str) -> int:
    rows = json.loads(site.run("--format", "json", "stock", "list").stdout)
    row = next(r for r in rows if r["sku"] == sku)
    return int(row["on_hand"]) - int(row.get("reserved") or 0)


def _renumbered_from(site, old: str) -> list[str]:
    out = []
    for rel in site.files():
        if "/orders/" in rel:
            data = site.data(rel)
            if old in (data.get("renumbered_from") or []):
                out.append(data["id"])
    return out


def test_one_collision_is_renumbered_once_by_the_site_the_rule_names(sites):
    a, b = sites
    mine = a.ids("order", "add", "--customer", "1", "MUG-01:5", now=LATER)
    a.run("order", "forward", mine, now=LATER)
    a.sync()
    theirs = b.ids("order", "add", "--customer", "1", "BOWL-01:5", now=LATER_B, **FORGOT)
    assert theirs == mine  # B's stays open: two folders
    # a plain git pull and push: the collision is in the shared history, at both sites
    b.git("pull", "--no-rebase", "-q", "origin", "main")
    b.git("push", "-q", "origin", "HEAD:main")
    a.git("pull", "--no-rebase", "-q", "origin", "main")
    for s in (a, b):
        assert len(s.find(mine)) == 2
        res = read(s, "doctor")
        said = [line for line in res.stdout.splitlines() if mine in line and not line.startswith("git:")]
        assert len(said) == 1, said  # one line, one advice
        assert "two different orders share this ID" in said[0] and "by the rule" in said[0]
        assert "keep one of the two" not in res.stdout + res.stderr
    # the rule: both look made at A (the clone forgot its code), so the first made keeps it;
    # the later (B's, BOWL) is renumbered by site A, which minted it as far as git knows
    res = b.run("renumber", mine, ok=False)
    assert res.returncode == 1 and res.stderr.count("\n") == 1, res.stderr
    assert "site A" in res.stderr and "nothing was changed" in res.stderr
    assert len(b.find(mine)) == 2
    out = json.loads(a.run("--format", "json", "renumber", mine, now=LATER).stdout)[0]
    new = out["id"]
    assert new.startswith("ORD-A-") and new != mine
    assert a.data(f"front/orders/open/{new}.yaml")["lines"][0]["sku"] == "BOWL-01"
    assert a.data(f"back/orders/inbox/{mine}.yaml")["lines"][0]["sku"] == "MUG-01"
    # a second renumber at the same site: a no-op with one line
    again = a.run("renumber", mine)
    assert again.stdout.count("\n") == 1 and "renumbered already" in again.stdout and new in again.stdout
    a.sync()
    b.sync()
    again = b.run("renumber", mine)  # the second site, after its sync: nothing to do
    assert "renumbered already" in again.stdout and again.stdout.count("\n") == 1
    round_trip(sites)
    for s in (a, b):
        assert _renumbered_from(s, mine) == [new]
        assert s.find(mine) == [f"back/orders/inbox/{mine}.yaml"]
        assert s.find(new) == [f"front/orders/open/{new}.yaml"]
        assert _available(s, "MUG-01") == 35 and _available(s, "BOWL-01") == 40  # reserved once


def test_refused_against_the_rule_with_file(sites):
    a, b = sites
    mine = a.ids("order", "add", "--customer", "1", "MUG-01:1", now=LATER)
    a.sync()
    b.ids("order", "add", "--customer", "1", "BOWL-01:1", now=LATER_B, **FORGOT)
    b.run("order", "forward", mine, now=LATER_B, **FORGOT)
    b.git("pull", "--no-rebase", "-q", "origin", "main")
    before = sorted(b.files())
    res = b.run("renumber", mine, "--file", f"front/orders/open/{mine}.yaml", ok=False)
    assert res.returncode == 1 and "keeps" in res.stderr and "nothing was changed" in res.stderr
    assert sorted(b.files()) == before


def test_two_customers_made_in_one_folder_are_never_a_field_conflict(sites):
    a, b = sites
    ours = a.ids("customer", "add", "Ελένη Μάρκου", "--email", "eleni@example.gr", now=LATER)
    theirs = b.ids(
        "customer", "add", "Γιώργος Αλεξίου", "--email", "giorgos@example.gr", now=LATER_B, **FORGOT
    )
    assert ours == theirs
    a.sync()
    res = b.sync(ok=False)
    assert res.returncode == 1
    lines = [line for line in res.stderr.splitlines() if ours in line]
    assert len(lines) == 1, res.stderr
    assert "two different customers" in lines[0] and "were merged into one file" in lines[0]
    assert "set the field" not in res.stderr and "delete its conflicts" not in res.stderr
    assert "user-b" in lines[0] and f"officecli renumber {ours}" in lines[0]
    # the merge was not taken: B's customer is whole, as it was
    assert b.data(f"front/customers/{theirs}.yaml")["name"] == "Γιώργος Αλεξίου"
    # B made the later one: it renumbers its own whole copy, then syncs cleanly
    new = json.loads(b.run("--format", "json", "renumber", theirs, now=LATER_B).stdout)[0]["id"]
    assert new.startswith("CUS-B-")
    round_trip(sites)
    for s in (a, b):
        assert s.data(f"front/customers/{ours}.yaml")["name"] == "Ελένη Μάρκου"
        got = s.data(f"front/customers/{new}.yaml")
        assert got["name"] == "Γιώργος Αλεξίου" and got["renumbered_from"] == [ours]
        assert [e["action"] for e in got["history"]] == ["add", "renumber"]


def test_two_customers_merged_by_a_plain_pull_get_one_line_from_doctor(sites):
    a, b = sites
    ours = a.ids("customer", "add", "Ελένη Μάρκου", "--email", "eleni@example.gr", now=LATER)
    b.ids("customer", "add", "Γιώργος Αλεξίου", "--email", "giorgos@example.gr", now=LATER_B, **FORGOT)
    a.sync()
    b.git("pull", "--no-rebase", "origin", "main", check=False)
    res = read(b, "doctor")
    assert res.exit_code == 1
    lines = [line for line in res.stdout.splitlines() if ours in line and not line.startswith("git:")]
    assert len(lines) == 1, res.stdout
    assert "were merged into one file" in lines[0] and "set the field" not in res.stdout
    assert "never set a field of it or delete it" in lines[0]
