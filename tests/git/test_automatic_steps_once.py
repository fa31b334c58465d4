"""Failure 8 of issue 27: an automatic step (complaint escalate, quote expire) taken by
the cron of two sites is one history entry after the merge.

Real git (a bare remote and two clones, tests/git/sites.py), every step through the
CLI. Each automatic step's entry carries a key (kind of step, record, deadline), the
same at every site; the records merge driver keeps one entry per key (the earlier).
"""

from __future__ import annotations

import shutil

import pytest

from tests.git.sites import round_trip

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

TAKEN = "2026-11-02T09:00:00+02:00"
CRON_B = "2026-11-03T12:00:00+02:00"
CRON_A = "2026-11-03T12:20:00+02:00"


def _actions(site, ident: str) -> list[str]:
    (rel,) = site.find(ident)
    return [e["action"] for e in site.data(rel)["history"]]


def test_escalate_at_two_sites_is_one_auto_forward_and_one_breach_mark(sites):
    a, b = sites
    cmp = a.ids("complaint", "add", "--customer", "1", "Η κούπα έφτασε ραγισμένη", now=TAKEN)
    round_trip(sites)
    # both crons run before either syncs: each forwards it and marks the first response overdue
    b.run("complaint", "escalate", now=CRON_B)
    a.run("complaint", "escalate", now=CRON_A)
    for s in (a, b):
        assert _actions(s, cmp).count("auto-forward") == 1
    round_trip(sites)
    for s in (a, b):
        assert s.find(cmp) == [f"back/complaints/inbox/{cmp}.yaml"]
        history = s.data(f"back/complaints/inbox/{cmp}.yaml")["history"]
        actions = [e["action"] for e in history]
        assert actions == ["add", "auto-forward", "overdue-first-response"], actions
        forward = history[1]
        assert forward["at"] == CRON_B and forward["site"] == "B"  # the earlier, at every site
        assert forward["key"].startswith(f"auto-forward {cmp} ")
        assert "conflicts" not in s.data(f"back/complaints/inbox/{cmp}.yaml")
    # a third run anywhere does nothing: the breach is marked once
    assert a.run("complaint", "escalate", now="2026-11-03T13:00:00+02:00").stdout.strip() in ("",)


def test_quote_expire_at_two_sites_is_one_entry(sites):
    a, b = sites
    quo = a.ids("quote", "add", "--customer", "1", "MUG-01:3", "--valid-days", "5", now=TAKEN)
    a.run("quote", "send", quo, now=TAKEN)
    round_trip(sites)
    b.run("quote", "expire", now="2026-11-09T00:10:00+02:00")
    a.run("quote", "expire", now="2026-11-09T00:05:00+02:00")
    round_trip(sites)
    for s in (a, b):
        assert s.find(quo) == [f"front/quotes/expired/{quo}.yaml"]
        history = s.data(f"front/quotes/expired/{quo}.yaml")["history"]
        expired = [e for e in history if e["action"] == "expire"]
        assert len(expired) == 1, history
        assert expired[0]["site"] == "A" and expired[0]["key"] == f"expire {quo} 2026-11-07"
