"""`complaint escalate` from cron, hour after hour, with the clock moving on.

The sample company's complaints (every state) plus new ones that move while
time passes (forwarded, taken, waiting, resumed, answered, closed, reopened,
one arriving halfway). Every simulated hour escalate runs once (as cron would),
then again in the same hour. Checked at every hour:

* it says one line per thing it did, and changes exactly the complaints it
  names, only by appending to them (not a byte of the old file lost);
  nothing said means the tree is byte-identical;
* the second run in the same hour prints nothing and changes nothing;
* every breach is marked once, when (and only when) the clock shows it overdue;
* the SLA figures of `complaint list/show` move by exactly the hour that passed
  while they count, not at all while paused or met.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import snapshot
from tests.robust.support import assert_healthy, copy_sample, inproc, officecli

T0 = datetime.fromisoformat("2026-12-20T09:00:00+02:00")  # runs across the new year
BACK = "Ελένη Μάρκου"  # a back-office employee

# hour -> what people do at half past that hour (C1..C5 are complaints added here)
SCHEDULE = {
    0: [("add", "C1"), ("add", "C2"), ("add", "C3"), ("add", "C4"), ("forward", "C3")],
    1: [("forward", "C2"), ("forward", "C4")],
    2: [("take", "C3"), ("take", "C4")],
    5: [("resolve", "C4")],
    6: [("close", "C4")],
    10: [("wait", "C3")],
    20: [("reopen", "CMP-A-0002")],  # answered in the sample
    30: [("take", "C2")],  # after its first-response deadline
    50: [("resolve", "C2")],
    60: [("close", "C2")],
    100: [("reopen", "C4")],  # its resolution clock continues
    150: [("resume", "CMP-A-0006")],  # waiting in the sample
    180: [("take", "C4")],
    200: [("wait", "C4"), ("resume", "C3")],  # C4 waits while already overdue
    250: [("resume", "C4")],
    260: [("resolve", "C4")],
    300: [("resolve", "C3"), ("add", "C5")],
    301: [("close", "C3")],
}

ACTION_ARGS = {
    "forward": [],
    "take": ["--by", BACK],
    "resolve": ["--resolution", "Λύθηκε"],
    "close": [],
    "wait": ["--note", "Περιμένουμε φωτογραφίες"],
    "resume": [],
    "reopen": ["--note", "Ο πελάτης δεν έμεινε ικανοποιημένος"],
}
MARKS = ("auto-forward", "overdue-first-response", "overdue-resolution")


def stamp(hour: float, t0: datetime = T0) -> str:
    return (t0 + timedelta(hours=hour)).isoformat()


def act(root: Path, hour: int, names: dict[str, str], t0: datetime) -> set[str]:
    """Do what the schedule says at half past ``hour``; return the complaints touched."""
    touched = set()
    for verb, who in SCHEDULE.get(hour, []):
        now = stamp(hour + 0.5, t0)
        if verb == "add":
            res = inproc(root, "complaint", "add", "--customer", "1", f"Παράπονο {who}", now=now)
            assert res.exit_code == 0, res.output
            names[who] = res.stdout.split()[0]
        else:
            res = inproc(root, "complaint", verb, names.get(who, who), *ACTION_ARGS[verb], now=now)
            assert res.exit_code == 0, f"{verb} {who}: {res.output}"
        touched.add(names.get(who, who))
    return touched


def complaints(root: Path, now: str) -> dict[str, dict]:
    res = inproc(root, "complaint", "list", "--all", "--format", "json", now=now)
    assert res.exit_code == 0, res.output
    return {c["id"]: c for c in json.loads(res.stdout)}


def by_id(snap: dict) -> dict[str, bytes]:
    return {Path(k).stem: v for k, v in snap.items() if v is not None}


def run_cron(root: Path, hours: int, real_processes: bool, t0: datetime = T0) -> dict[str, dict]:
    names: dict[str, str] = {}
    prev: dict[str, dict] = {}
    touched: set[str] = set()
    said_total = 0
    for hour in range(hours + 1):
        now = stamp(hour, t0)
        before = snapshot(root)
        if real_processes:
            res = officecli(root, "complaint", "escalate", OFFICECLI_NOW=now)
            code, out, err = res.returncode, res.stdout, res.stderr
        else:
            res = inproc(root, "complaint", "escalate", now=now)
            code, out, err = res.exit_code, res.stdout, res.stderr
        assert code == 0 and err == "", f"{now}: {err}"
        after = snapshot(root)
        lines = out.splitlines()
        said = [re.match(r"(CMP-A-\d{4}): ([a-z-]+): ", line) for line in lines]
        assert all(said), f"{now}: {out!r}"
        said_ids = {m.group(1) for m in said}
        said_total += len(lines)
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        assert {Path(k).stem for k in changed if k.endswith(".yaml")} == said_ids, (now, changed, out)
        assert all("/complaints/" in k for k in changed), changed
        old, new = by_id(before), by_id(after)
        for ident in said_ids:  # appended to, never rewritten
            assert new[ident].startswith(old[ident]), f"{ident} lost bytes at {now}"
        if not lines:
            assert after == before

        again = inproc(root, "complaint", "escalate", now=now)
        assert again.exit_code == 0 and again.output == "", f"{now}: second run: {again.output!r}"
        assert snapshot(root) == after, f"{now}: the second run in the same hour changed the tree"

        seen = complaints(root, now)
        for ident, c in seen.items():
            actions = [h["action"] for h in c["history"]]
            for mark in MARKS:
                assert actions.count(mark) <= 1, f"{ident}: {mark} twice at {now}"
            for target in ("first_response", "resolution"):
                clock = c["sla"][target]
                breached = clock["left_minutes"] < 0
                marked = f"overdue-{target.replace('_', '-')}" in actions
                if c["state"] in ("new", "inbox", "working", "waiting") and clock["met_at"] is None:
                    assert marked == breached, f"{ident} {target} at {now}: {clock}, marked={marked}"
                if marked:
                    assert breached, f"{ident} {target} marked but not breached at {now}"
            if c["state"] == "new":
                assert c["sla"]["forward"]["left_minutes"] >= 0, f"{ident} left in new at {now}"
            was = prev.get(ident)
            if was is None:
                continue
            for target in ("forward", "first_response", "resolution"):
                a, b = was["sla"][target], c["sla"][target]
                step = b["used_minutes"] - a["used_minutes"]
                assert step >= 0, f"{ident} {target} went back in time at {now}"
                if ident not in touched:  # nobody acted on it during the hour
                    want = 60 if a["status"] in ("running", "overdue") else 0
                    assert step == want, f"{ident} {target} at {now}: {a} -> {b}"
                if a["met_at"] and target != "resolution":
                    assert b["met_at"] == a["met_at"]
        prev = seen
        touched = act(root, hour, names, t0)
    assert said_total > 0
    assert_healthy(root, now=stamp(hours, t0))
    final = complaints(root, stamp(hours, t0))
    return {who: final[ident] for who, ident in {**names, **{i: i for i in final}}.items()}


def marks(c: dict) -> set[str]:
    return {h["action"] for h in c["history"] if h["action"] in MARKS}


def test_escalate_hourly_for_three_days(tmp_path):
    root = copy_sample(tmp_path / "office")
    got = run_cron(root, hours=75, real_processes=False)
    assert marks(got["C1"]) == set(MARKS)  # never touched: all three, once each
    assert marks(got["C2"]) == {"overdue-first-response"}  # taken late, answered in time
    assert marks(got["C3"]) == set()  # waiting: its clock is paused
    assert marks(got["C4"]) == set()  # answered within the hour
    assert got["CMP-A-0009"]["state"] == "inbox"  # the sample's forgotten one
    assert marks(got["CMP-A-0009"]) == set(MARKS)
    assert got["C3"]["sla"]["resolution"]["status"] == "paused"
    assert got["C2"]["state"] == "closed" and got["C2"]["sla"]["first_response"]["status"] == "late"


@pytest.mark.slow
def test_escalate_from_cron_every_hour_for_three_weeks(tmp_path):
    """22 days, every hour a real `officecli complaint escalate` process, across the new year."""
    root = copy_sample(tmp_path / "office")
    got = run_cron(root, hours=22 * 24, real_processes=True)
    assert marks(got["C1"]) == set(MARKS)
    assert marks(got["C2"]) == {"overdue-first-response"}
    assert marks(got["C3"]) == {"overdue-resolution"}  # after it resumed, the clock ran out
    assert got["C3"]["state"] == "closed" and "2027" in got["C3"]["path"]
    assert marks(got["C4"]) == {"overdue-resolution"}  # reopened, ran out, waited, answered
    assert marks(got["C5"]) == set(MARKS)  # arrived halfway, never touched
    assert marks(got["CMP-A-0006"]) == {"overdue-resolution"}


@pytest.mark.slow
@pytest.mark.parametrize("t0", ["2027-03-26T21:00:00+02:00", "2027-10-29T21:00:00+03:00"])
def test_escalate_hourly_across_a_daylight_saving_change(tmp_path, t0):
    """Athens moves its clocks on the last Sundays of March and October: the SLA clock
    counts real hours, so every figure still moves by exactly 60 minutes an hour."""
    root = copy_sample(tmp_path / "office")
    got = run_cron(root, hours=80, real_processes=False, t0=datetime.fromisoformat(t0))
    assert marks(got["C1"]) == set(MARKS)
    assert marks(got["C2"]) == {"overdue-first-response"}
