"""Failure 5 of issue 27: forward at one site, forward + ship at the other.

Real git (a bare remote and two clones), every step through the CLI: sync settles it
by rule (shipped: the copy that keeps every step that moved goods), the goods that
left stay gone, COGS is posted once, and both sites' history is kept.
"""

from __future__ import annotations

import json
import shutil

import pytest

from tests.git.sites import round_trip

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

LATER = "2026-11-03T10:00:00+02:00"
LATER_B = "2026-11-03T11:30:00+02:00"


def _on_hand(site, sku="MUG-01") -> int:
    rows = json.loads(site.run("--format", "json", "stock", "list").stdout)
    return int(next(r for r in rows if r["sku"] == sku)["on_hand"])


def test_forward_here_forward_and_ship_there_keeps_shipped(sites):
    a, b = sites
    order = a.ids("order", "add", "--customer", "1", "MUG-01:5")
    round_trip(sites)
    a.run("order", "forward", order, now=LATER)
    b.run("order", "forward", order, now=LATER)
    b.run("order", "ship", order, now=LATER_B)
    b.sync()
    a.sync()  # settled by rule inside the merge: nobody is asked
    round_trip(sites)
    for s in (a, b):
        assert s.find(order) == [f"back/orders/shipped/{order}.yaml"]
        history = s.data(f"back/orders/shipped/{order}.yaml")["history"]
        actions = [e["action"] for e in history]
        assert actions.count("forward") == 2 and actions.count("ship") == 1 and actions[-1] == "resolve"
        assert "shipped beats inbox" in history[-1]["note"]
        assert _on_hand(s) == 35  # the 5 pieces left once and stay gone
        moves = json.loads(s.run("--format", "json", "stock", "moves", "--ref", order).stdout)
        assert [int(m["qty"]) for m in moves] == [-5]  # no goods back
