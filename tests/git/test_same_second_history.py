"""Issue 27 (12): history entries added in the same second at two sites, by the same
person with the same action, are both kept by the merge (each names its site).

Real git (a bare remote and two clones), every step through the CLI.
"""

from __future__ import annotations

import shutil

import pytest

from tests.git.sites import round_trip

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

SAME = "2026-11-03T10:00:00+02:00"


def test_two_edits_of_one_second_at_two_sites_are_two_entries(sites):
    a, b = sites
    order = a.ids("order", "add", "--customer", "1", "MUG-01:2")
    round_trip(sites)
    a.run("--user", "maria", "order", "edit", order, "--note", "παράδοση το πρωί", now=SAME)
    b.run("--user", "maria", "order", "edit", order, "--add", "BOWL-01:1", now=SAME)
    round_trip(sites)
    for s in (a, b):
        data = s.data(f"front/orders/open/{order}.yaml")
        edits = [e for e in data["history"] if e["action"] == "edit"]
        assert sorted(e["site"] for e in edits) == ["A", "B"], data["history"]
        assert {e["at"] for e in edits} == {SAME} and {e["by"] for e in edits} == {"maria"}
        assert "conflicts" not in data
        assert data["note"] == "παράδοση το πρωί"
        assert [line["sku"] for line in data["lines"]] == ["MUG-01", "BOWL-01"]
