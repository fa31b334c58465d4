"""The SLA clock, computed from a complaint's history only (no files, no click)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from officecli.office.front import sla

T0 = "2026-11-02T09:00:00+02:00"
DUE = {
    "forward": "2026-11-02T13:00:00+02:00",
    "first_response": "2026-11-03T09:00:00+02:00",
    "resolution": "2026-11-05T09:00:00+02:00",
}


def at(hours: float) -> str:
    return (datetime.fromisoformat(T0) + timedelta(hours=hours)).isoformat()


def complaint(*moves, due=DUE):
    """moves: (hours after T0, from, to); the intake 'add' is added first."""
    history = [{"at": T0, "by": "t", "action": "add", "to": "new"}]
    for h, frm, to in moves:
        history.append({"at": at(h), "by": "t", "action": "x", "from": frm, "to": to})
    return {"created": T0, "due": due, "history": history}


def clocks(data, hours_now):
    return sla.clocks(data, datetime.fromisoformat(at(hours_now)))


def test_budgets_come_from_the_complaints_own_due_stamps():
    assert sla.budgets(complaint()) == {
        "forward": timedelta(hours=4),
        "first_response": timedelta(hours=24),
        "resolution": timedelta(hours=72),
    }


def test_budgets_fall_back_to_office_hours_only_without_due():
    data = complaint(due=None)
    del data["due"]
    assert sla.budgets(data, {"forward": 2, "resolution": 48}) == {
        "forward": timedelta(hours=2),
        "resolution": timedelta(hours=48),
    }


def test_a_fresh_complaint_runs_every_clock():
    c = clocks(complaint(), 1)
    assert {t: x.status for t, x in c.items()} == {
        "forward": "running",
        "first_response": "running",
        "resolution": "running",
    }
    assert c["forward"].left == timedelta(hours=3)
    assert c["forward"].due == datetime.fromisoformat("2026-11-02T13:00:00+02:00")
    assert sla.summary(c) == "forward 3h left"


def test_forward_is_met_when_it_leaves_new_late_or_not():
    c = clocks(complaint((1, "new", "inbox")), 50)
    assert c["forward"].status == "met" and c["forward"].used == timedelta(hours=1)
    assert c["forward"].done_at == datetime.fromisoformat(at(1))
    c = clocks(complaint((5, "new", "inbox")), 50)
    assert c["forward"].status == "late"
    assert "1h over the 4h target" in c["forward"].text()


def test_first_response_is_the_first_take():
    data = complaint((1, "new", "inbox"), (30, "inbox", "working"))
    c = clocks(data, 40)
    assert c["first_response"].status == "late"
    assert c["first_response"].used == timedelta(hours=30)
    c = clocks(complaint((1, "new", "inbox")), 25)
    assert c["first_response"].overdue and c["first_response"].left == timedelta(hours=-1)


def test_waiting_pauses_the_resolution_clock():
    waiting = [(1, "new", "inbox"), (2, "inbox", "working"), (10, "working", "waiting")]
    c = clocks(complaint(*waiting), 50)  # waiting since 10h: 10h used
    assert c["resolution"].status == "paused"
    assert c["resolution"].used == timedelta(hours=10)
    assert c["resolution"].due is None
    assert "paused (waiting on the customer), 62h of 72h left" == c["resolution"].text()
    assert sla.summary(c) == "paused, 62h left"
    data = complaint(*waiting, (110, "waiting", "working"))
    c = clocks(data, 120)  # 10h + 10h since resuming
    assert c["resolution"].status == "running"
    assert c["resolution"].used == timedelta(hours=20)
    assert c["resolution"].due == datetime.fromisoformat(at(120 + 52))


def test_resolution_overdue_and_met():
    data = complaint((1, "new", "inbox"), (2, "inbox", "working"))
    c = clocks(data, 75)
    assert c["resolution"].overdue and c["resolution"].status == "overdue"
    assert c["resolution"].text().startswith("OVERDUE by 3h (was due ")
    assert sla.summary(c) == "resolution overdue 3h"
    data = complaint(
        (1, "new", "inbox"), (2, "inbox", "working"), (20, "working", "answered"), (30, "answered", "closed")
    )
    c = clocks(data, 500)
    assert c["resolution"].status == "met"
    assert c["resolution"].used == timedelta(hours=20)
    assert c["resolution"].done_at == datetime.fromisoformat(at(20))
    assert sla.summary(c) == "answered in time"


def test_a_reopened_complaint_continues_the_same_clock():
    data = complaint(
        (1, "new", "inbox"), (2, "inbox", "working"), (60, "working", "answered"), (100, "answered", "inbox")
    )
    c = clocks(data, 110)  # 60h before + 10h since the reopen
    assert c["resolution"].used == timedelta(hours=70)
    assert c["resolution"].status == "running"
    assert c["first_response"].status == "met"  # the first take still counts
    c = clocks(data, 115)
    assert c["resolution"].overdue


def test_a_paused_breach_stays_overdue():
    data = complaint((1, "new", "inbox"), (2, "inbox", "working"), (80, "working", "waiting"))
    c = clocks(data, 200)
    assert c["resolution"].status == "paused" and c["resolution"].overdue
    assert c["resolution"].text() == "paused (waiting on the customer), overdue by 8h"


def test_history_out_of_order_never_counts_negative_time():
    data = complaint((2, "new", "inbox"), (1, "inbox", "working"))
    c = clocks(data, 3)
    assert c["resolution"].used == timedelta(hours=2 + 2)


def test_marked_and_breach_action():
    history = [{"at": T0, "by": "x", "action": "overdue-resolution"}]
    assert sla.breach_action("first_response") == "overdue-first-response"
    assert sla.marked(history, "resolution")
    assert not sla.marked(history, "first_response")


@pytest.mark.parametrize(
    "minutes, text",
    [
        (0, "less than a minute"),
        (45, "45m"),
        (60, "1h"),
        (125, "2h 5m"),
        (72 * 60, "72h"),
        (100 * 60, "4d 4h"),
        (120 * 60, "5d"),
        (-90, "1h 30m"),
    ],
)
def test_duration(minutes, text):
    assert sla.duration(timedelta(minutes=minutes)) == text
