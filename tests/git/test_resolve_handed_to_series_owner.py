"""Failure 6 of issue 27: two invoices for one order, where settling needs a credit note
of a series another site owns, never strand a site.

Real git (a bare remote and two clones; each site owns its own invoice series): A
invoices first, B later; B syncs first. A's sync finds the two invoices; the rule
keeps the earlier (A's) and credits the later, which only site B may number: A's sync
takes the merge, names the case as handed to B in one line and exits 0; B's next sync
settles it (credit note CRN-B-…); both sites end in step with one live invoice.
"""

from __future__ import annotations

import shutil

import pytest

from tests.git.sites import round_trip

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

LATER = "2026-11-03T10:00:00+02:00"
LATER_B = "2026-11-03T11:30:00+02:00"
SETTLE = "2026-11-04T09:00:00+02:00"


def test_the_credit_note_is_handed_to_the_series_owner_and_done_by_its_next_sync(sites):
    a, b = sites
    order = a.ids("order", "add", "--customer", "1", "MUG-01:1")
    a.run("order", "forward", order)
    a.run("order", "ship", order)
    round_trip(sites)
    a.run("order", "invoice", order, now=LATER)
    b.run("order", "invoice", order, now=LATER_B)
    b.sync()
    res = a.run("sync", ok=False)
    assert res.returncode == 0, res.stderr  # never stranded: the merge is taken and pushed
    lines = [x for x in res.stderr.splitlines() if order in x]
    assert len(lines) == 1 and "handed to site B" in lines[0] and "next sync" in lines[0], res.stderr
    assert a.head() == a.git("rev-parse", "origin/main").strip()
    # at A, resolve says the same and changes nothing
    refused = a.run("resolve", order, ok=False, now=SETTLE)
    assert refused.returncode == 1 and "handed to site B" in refused.stderr
    b.run("sync", now=SETTLE)  # the owner's next sync settles it
    round_trip(sites)
    for s in (a, b):
        data = s.data(f"back/orders/invoiced/{order}.yaml")
        assert data["invoice"] == "INV-A-0001" and "conflicts" not in data
        assert s.find("INV-B-0001") == ["back/invoices/credited/INV-B-0001.yaml"]
        assert s.find("INV-A-0001") == ["back/invoices/open/INV-A-0001.yaml"]
        assert s.find("CRN-B-0001")
        assert [e["action"] for e in data["history"]].count("resolve") == 1
