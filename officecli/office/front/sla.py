"""The SLA clock of a complaint, computed from its history alone.

Nothing about the clock is stored except the deadlines stamped when the
complaint was received (``due``: what each target would be if the clock never
paused). Everything else is read from the history entries (``at`` and ``to``),
so the status is always explainable and never drifts, whenever it is asked.

The three targets (hours from office.yaml ``sla_hours``, fixed per complaint
at intake by its ``due`` stamps):

* ``forward`` -- the front office forwards the complaint to the back office.
  Counts while it sits in ``new``; met when it first leaves ``new`` (by hand
  or by ``complaint escalate``).
* ``first_response`` -- a back-office employee takes the complaint
  (``complaint take``): the moment someone owns the customer's problem.
  Counts from intake until the first arrival in ``working``.
* ``resolution`` -- the back office answers (``complaint resolve``). Counts
  while the complaint is with the office (``new``, ``inbox``, ``working``),
  pauses while waiting on the customer (``waiting``) and stops while the
  front office holds the answer (``answered``, ``closed``). A reopened
  complaint continues the same clock: the time used before counts.

Time is calendar time (every hour of every day), measured between history
timestamps and ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

TARGETS = ("forward", "first_response", "resolution")

# the states in which each target's clock counts
_COUNTS = {
    "forward": {"new"},
    "first_response": {"new", "inbox"},
    "resolution": {"new", "inbox", "working"},
}

ANSWERED = {"answered", "closed"}

MISSED = {
    "forward": "not forwarded to the back office within {hours}",
    "first_response": "not taken by a back-office employee within {hours}",
    "resolution": "not answered within {hours} (time waiting on the customer excluded)",
}


def breach_action(target: str) -> str:
    """The history action that marks a breach of ``target`` (one per complaint and target)."""
    return "overdue-" + target.replace("_", "-")


@dataclass
class Clock:
    target: str
    budget: timedelta  # the hours allowed
    used: timedelta  # time counted so far (pauses excluded)
    done_at: datetime | None  # when the target was met (None: not yet)
    paused: bool  # not counting right now, and not met
    now: datetime

    @property
    def left(self) -> timedelta:
        return self.budget - self.used

    @property
    def breached(self) -> bool:
        return self.used > self.budget

    @property
    def overdue(self) -> bool:
        """Past its deadline and not met yet (running or paused)."""
        return self.done_at is None and self.breached

    @property
    def status(self) -> str:
        if self.done_at is not None:
            return "late" if self.breached else "met"
        if self.paused:
            return "paused"
        return "overdue" if self.breached else "running"

    @property
    def due(self) -> datetime | None:
        """The deadline as it stands now: only known while the clock runs."""
        if self.done_at is not None or self.paused:
            return None
        return later(self.now, self.left)

    def text(self, tz=None) -> str:
        """One line for people, e.g. '3h 20m left (due 2026-11-03 13:00)'."""
        budget = duration(self.budget)
        if self.done_at is not None:
            when = local(self.done_at, tz)
            if self.breached:
                return (
                    f"met late on {when}: took {duration(self.used)}, "
                    f"{duration(self.used - self.budget)} over the {budget} target"
                )
            return f"met on {when}: took {duration(self.used)} of {budget}"
        if self.paused:
            if self.breached:
                return f"paused (waiting on the customer), overdue by {duration(-self.left)}"
            return f"paused (waiting on the customer), {duration(self.left)} of {budget} left"
        if self.breached:
            return f"OVERDUE by {duration(-self.left)} (was due {local(self.due, tz)})"
        return f"{duration(self.left)} left (due {local(self.due, tz)})"

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "hours": _hours(self.budget),
            "used_minutes": int(self.used.total_seconds() // 60),
            "left_minutes": int(self.left.total_seconds() // 60),
            "due": self.due.isoformat(timespec="seconds") if self.due else None,
            "met_at": self.done_at.isoformat(timespec="seconds") if self.done_at else None,
        }


def later(when: datetime, delta: timedelta) -> datetime:
    """``when`` plus ``delta`` of real time, in when's zone (right across a DST change:
    adding to a zone-aware time in Python adds wall-clock time)."""
    return (when.astimezone(timezone.utc) + delta).astimezone(when.tzinfo)


def _hours(delta: timedelta):
    h = delta.total_seconds() / 3600
    return int(h) if h == int(h) else round(h, 2)


def duration(delta: timedelta) -> str:
    """'5h 20m', '45m', '71h', '5d 3h' (from 100 hours on), 'less than a minute';
    rounded down to the minute, sign dropped."""
    minutes = int(abs(delta.total_seconds()) // 60)
    if minutes == 0:
        return "less than a minute"
    hours, mins = divmod(minutes, 60)
    if hours >= 100:
        days, hours = divmod(hours, 24)
        return f"{days}d {hours}h" if hours else f"{days}d"
    if not hours:
        return f"{mins}m"
    return f"{hours}h {mins}m" if mins else f"{hours}h"


def local(when: datetime | None, tz=None) -> str:
    if when is None:
        return ""
    return (when.astimezone(tz) if tz else when).strftime("%Y-%m-%d %H:%M")


def parse(stamp) -> datetime | None:
    try:
        value = datetime.fromisoformat(str(stamp))
    except ValueError:
        return None
    return value if value.tzinfo else None


def timeline(history: list) -> list[tuple[datetime, str]]:
    """(time, state entered) for each history entry that moved the record."""
    out = []
    for entry in history or []:
        if not isinstance(entry, dict) or not entry.get("to"):
            continue
        at = parse(entry.get("at"))
        if at is not None:
            out.append((at, str(entry["to"])))
    return out


def _measure(tl, now, counts, done) -> tuple[timedelta, datetime | None]:
    used = timedelta(0)
    for i, (start, state) in enumerate(tl):
        nxt = tl[i + 1] if i + 1 < len(tl) else None
        end = nxt[0] if nxt else now
        if state in counts and end > start:
            used += end - start
        if nxt and done(state, nxt[1]):
            return used, nxt[0]
    return used, None


def budgets(data: dict, default_hours: dict | None = None) -> dict[str, timedelta]:
    """Hours allowed per target: the complaint's own ``due`` stamps (minus its
    intake time); office.yaml's hours only for a record that has no ``due``."""
    due = data.get("due")
    start = parse(data.get("created"))
    if start is None:
        tl = timeline(data.get("history"))
        start = tl[0][0] if tl else None
    out = {}
    if isinstance(due, dict) and start is not None:
        for target in TARGETS:
            at = parse(due.get(target))
            if at is not None:
                out[target] = max(at - start, timedelta(0))
        return out
    for target in TARGETS:
        hours = (default_hours or {}).get(target)
        if hours:
            out[target] = timedelta(hours=float(hours))
    return out


def clocks(data: dict, now: datetime, default_hours: dict | None = None) -> dict[str, Clock]:
    """Every target's clock for a complaint's data (its fields and history)."""
    tl = timeline(data.get("history"))
    if not tl:
        return {}
    current = tl[-1][1]
    out = {}
    for target, budget in budgets(data, default_hours).items():
        counts = _COUNTS[target]
        if target == "forward":
            used, done_at = _measure(tl, now, counts, lambda s, n: s == "new" and n != "new")
        elif target == "first_response":
            used, done_at = _measure(tl, now, counts, lambda s, n: n == "working")
        else:
            used, _ = _measure(tl, now, counts, lambda s, n: False)
            done_at = None
            if current in ANSWERED:
                done_at = (
                    max(at for at, st in tl if st == "answered")
                    if any(st == "answered" for _, st in tl)
                    else tl[-1][0]
                )
        paused = done_at is None and current not in counts
        out[target] = Clock(target, budget, used, done_at, paused, now)
    return out


def step_key(action: str, ident: str, data: dict, target: str, default_hours: dict | None = None) -> str:
    """The identity of an automatic step (kind of step, record, deadline): the same at
    every site that takes it, so that two sites' entries are one after a merge. The
    deadline is the target's nominal one (intake time plus its hours), not when the
    step ran."""
    start = parse(data.get("created"))
    if start is None:
        tl = timeline(data.get("history"))
        start = tl[0][0] if tl else None
    budget = budgets(data, default_hours).get(target)
    due = later(start, budget).isoformat(timespec="seconds") if start and budget is not None else "-"
    return f"{action} {ident} {due}"


def marked(history: list, target: str) -> bool:
    """Has this complaint's breach of ``target`` been marked already?"""
    action = breach_action(target)
    return any(isinstance(e, dict) and e.get("action") == action for e in history or [])


def summary(found: dict[str, Clock]) -> str:
    """A few words for listings: the most urgent target."""
    if not found:
        return ""
    late = [c for c in found.values() if c.overdue]
    if late:
        worst = max(late, key=lambda c: -c.left)
        word = "paused, " if worst.paused else ""
        return f"{word}{worst.target} overdue {duration(-worst.left)}"
    running = [c for c in found.values() if c.done_at is None and not c.paused]
    if running:
        first = min(running, key=lambda c: c.left)
        return f"{first.target} {duration(first.left)} left"
    paused = [c for c in found.values() if c.paused]
    if paused:
        return f"paused, {duration(paused[0].left)} left"
    if any(c.breached for c in found.values()):
        return "answered, late"
    return "answered in time"
