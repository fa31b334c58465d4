"""Closed periods across sites: what a merge may bring into a period closed elsewhere.

The books' owner site closes periods (office.yaml ``books: {site: A,
closed_through: ...}``, office/periods.py); every other site obeys the line
once it has merged it. Before that, a site may still post into a month the
owner has closed (it had not heard of the close yet), and a site that closed
while it had no owner may post a second closing entry of a year. git merges
both without a conflict, and the closed month's figures silently change.
So:

1. **sync refuses the merge** (``merge_lines``, called before ``git merge``,
   from the two sides and their merge base only: nothing is merged, the clone
   is as it was) when one side brings a ledger entry dated inside the period
   the other side closed without it, or a second closing entry of a year. One
   line per entry names it, the site that posted it and the command that
   moves it to the open period, run at that site: ``officecli ledger move TXN
   --to-open`` (books/closing.py: a reversal on the entry's own day and the
   entry posted again dated today -- never an edit of what was closed).
2. **doctor and ``ledger check`` name the same** when it arrived by a plain
   ``git pull`` (``lines``): from git, each closing commit (the first that moved
   ``books.closed_through`` past a month) against HEAD, so an entry added to a
   closed month after it was closed is named; an entry reversed by another
   such late entry (what ``ledger move`` leaves) cancels out and is fine. Two
   closing entries of one year are named wherever they came from.
3. **Future-dated entries**: doctor and ``ledger check`` name an entry dated
   after today by more than office.yaml ``books.future_days`` (default 1): a
   site whose clock ran ahead wrote it.

Stock moves are not checked here (their money is in the ledger entries that go
with them).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from officecli.office import clock, periods
from officecli.store import git, ids, yamlio

LEDGER = "back/ledger"
MOVE = "officecli ledger move {} --to-open"


@dataclass
class Entry:
    id: str
    rel: str
    date: str
    kind: str | None
    reverses: str | None
    description: str

    @property
    def site(self) -> str:
        parsed = ids.parse_id(self.id)
        return parsed[1] if parsed else "?"

    def named(self) -> str:
        return f"{self.id} (site {self.site}, {self.date}, {self.description!r})"


def _entry(rel: str, text: str | bytes | None) -> Entry | None:
    if text is None:
        return None
    try:
        data = yamlio.loads(text.decode("utf-8") if isinstance(text, bytes) else text)
    except (yamlio.YAMLError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or not clock.is_date(data.get("date")):
        return None
    return Entry(
        str(data.get("id") or rel.rpartition("/")[2][:-5]),
        rel,
        str(data.get("date")),
        data.get("kind"),
        str(data["reverses"]) if data.get("reverses") else None,
        str(data.get("description") or ""),
    )


def _of(rec) -> Entry | None:
    data = rec.data
    if not clock.is_date(data.get("date")):
        return None
    return Entry(
        rec.id,
        rec.path,
        str(data.get("date")),
        data.get("kind"),
        str(data["reverses"]) if data.get("reverses") else None,
        str(data.get("description") or ""),
    )


def _closed_at(repo: git.Repo, rev: str | None) -> date | None:
    if rev is None:
        return None
    text = repo.show(rev, repo.top_path("office.yaml"))
    try:
        raw = yamlio.loads(text or "")
    except yamlio.YAMLError:
        return None
    books = raw.get("books") if isinstance(raw, dict) else None
    value = books.get("closed_through") if isinstance(books, dict) else None
    return clock.parse_date(str(value)) if clock.is_date(str(value)) else None


def _months(upto: date, after: date | None = None) -> list[str]:
    """The ledger month folders (records-relative) from after ``after`` through ``upto``."""
    out = []
    y, m = (after.year, after.month) if after else (upto.year - 30, 1)
    if after is not None and after.day == calendar.monthrange(y, m)[1]:
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    while (y, m) <= (upto.year, upto.month):
        out.append(f"{LEDGER}/{y:04d}/{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _added(repo: git.Repo, old: str | None, new: str, folders: list[str]) -> list[Entry]:
    """The ledger entries ``new`` has in ``folders`` that ``old`` has not."""
    if not folders:
        return []
    res = repo.git(
        "diff-tree",
        "-r",
        "-z",
        "--no-renames",
        "--diff-filter=A",
        "--no-commit-id",
        old or git.EMPTY_TREE,
        new,
        "--",
        *(repo.top_path(f) for f in folders),
    )
    items = res.stdout.split("\0")
    found: list[tuple[str, str]] = []
    for head, path in zip(items[0::2], items[1::2]):
        fields = head.lstrip(":").split(" ")
        if len(fields) == 5 and path.endswith(".yaml"):
            found.append((fields[3], path))
    texts = repo.blobs([b for b, _ in found], 1 << 20)
    out = []
    for blob, top in found:
        e = _entry(repo.rel(top) or top, texts.get(blob))
        if e is not None:
            out.append(e)
    return out


def _cancel(late: list[Entry], spare: set[str] = frozenset()) -> list[Entry]:
    """Drop each late entry whose reversal is late too (they leave the period as closed),
    and the reversal of a ``spare`` entry (a second closing entry taken back)."""
    named = {e.id for e in late} | set(spare)
    undone = {e.reverses for e in late if e.reverses}
    return [e for e in late if e.id not in undone and (e.reverses or "") not in named]


def _late_line(e: Entry, through: date, owner: str | None) -> str:
    by = f" at site {owner}" if owner else ""
    return (
        f"{e.named()}: dated inside the period closed{by} through {through.isoformat()} "
        f"(office.yaml books.closed_through), but not part of it when it was closed; move it "
        f"to the open period at site {e.site}: {MOVE.format(e.id)} (a correcting entry dated today)"
    )


def _second_line(e: Entry, kept: str) -> str:
    return (
        f"{e.named()}: a second closing entry of {e.date[:4]} ({kept} closes it); take it back "
        f"at site {e.site}: {MOVE.format(e.id)}"
    )


def _owner_at(repo: git.Repo, rev: str | None) -> str | None:
    if rev is None:
        return None
    try:
        raw = yamlio.loads(repo.show(rev, repo.top_path("office.yaml")) or "")
    except yamlio.YAMLError:
        return None
    books = raw.get("books") if isinstance(raw, dict) else None
    site = books.get("site") if isinstance(books, dict) else None
    return str(site) if site else None


def _kept(closes: list[Entry], owner: str | None) -> Entry:
    return min(closes, key=lambda e: (owner is not None and e.site != owner, e.id))


# -- sync: before git merge ------------------------------------------------------------------


def merge_lines(repo: git.Repo, ours: str | None, theirs: str, base: str | None) -> list[str]:
    """One line per ledger entry that merging ``theirs`` into ``ours`` would bring into a
    period closed without it, or per second closing entry (empty: the merge may go on)."""
    t_ours, t_theirs = _closed_at(repo, ours), _closed_at(repo, theirs)
    if t_ours is None and t_theirs is None:
        return []
    t_base = _closed_at(repo, base)
    owner = _owner_at(repo, theirs) or _owner_at(repo, ours)
    sides = []
    for mine, t_other in ((ours, t_theirs), (theirs, t_ours)):
        if mine is None or t_other is None:
            sides.append([])
            continue
        sides.append(_added(repo, base, mine, _months(t_other)))
    added_ours, added_theirs = sides
    late = [e for e in added_ours if t_theirs and e.date <= t_theirs.isoformat()]
    late += [e for e in added_theirs if t_ours and e.date <= t_ours.isoformat()]
    late = _cancel(late)
    out = []
    for e in late:
        if e.kind == "close":
            continue  # the year's closing entry, posted after its months were closed: below
        if t_base is not None and e.date <= t_base.isoformat():
            continue  # both sides had the period closed: the side's own doctor names it
        through = t_theirs if e in added_ours else t_ours
        if through is not None:
            out.append(_late_line(e, through, owner))
    closes = [e for e in late if e.kind == "close"]
    for e in closes:
        side_other = theirs if e in added_ours else ours
        if side_other is None:
            continue
        y = int(e.date[:4])
        month = f"{LEDGER}/{y:04d}/12"
        there = _added(repo, None, side_other, [month])
        undone = {o.reverses for o in there if o.reverses}
        others = [
            o for o in there if o.kind == "close" and o.date == e.date and o.id != e.id and o.id not in undone
        ]
        if not others:
            continue
        kept = _kept([e, *others], owner)
        if kept.id != e.id:
            out.append(_second_line(e, kept.id))
        else:
            out += [_second_line(o, e.id) for o in others if o not in closes]
    return list(dict.fromkeys(out))


# -- doctor and ledger check: what is in the tree ------------------------------------------


def _closers(repo: git.Repo) -> list[tuple[str, date]]:
    """(commit, the day it closed through) of each commit that moved books.closed_through
    forward, oldest first (merges left out: the close is the owner's own commit)."""
    res = repo.git(
        "log",
        "--no-merges",
        "--reverse",
        "--format=%H",
        "-G",
        "closed_through",
        "HEAD",
        "--",
        repo.top_path("office.yaml"),
    )
    out: list[tuple[str, date]] = []
    for sha in res.stdout.split():
        day = _closed_at(repo, sha)
        if day is not None and (not out or day > out[-1][1]):
            out.append((sha, day))
    return out


def late_entries(office, txns=None) -> tuple[list[Entry], list[tuple[Entry, str]], date | None]:
    """(entries in a closed period that arrived after it was closed, second closing
    entries with the one that stays, the closed-through day). ``txns``: the ledger
    entries to look at (ledger check's readable ones; by default every one)."""
    last = periods.closed_through(office)
    late: list[Entry] = []
    repo = office.repo
    if last is not None and repo is not None and repo.head() is not None:
        before = None
        for sha, day in _closers(repo):
            late += _added(repo, sha, "HEAD", _months(min(day, last), before))
            before = day
            if day >= last:
                break
    closes: dict[str, list[Entry]] = {}
    reversed_ = set()
    txns = [t for t in _txns(office, txns) if t.data.get("kind") in ("close", "reversal")]
    for t in txns:
        if t.data.get("reverses"):
            reversed_.add(str(t.data["reverses"]))
    for t in txns:
        e = _of(t) if t.data.get("kind") == "close" else None
        if e is not None:
            closes.setdefault(e.date, []).append(e)
    seconds = []
    spare = set()  # closing entries that are not the one that stays (reversing them is fine)
    owner = periods.owner(office)
    for same in closes.values():
        kept = _kept(same, owner)
        spare |= {e.id for e in same if e.id != kept.id}
        seconds += [(e, kept.id) for e in same if e.id != kept.id and e.id not in reversed_]
    late = [e for e in _cancel(late, spare) if e.kind != "close"]
    return late, seconds, last


def movable(office) -> set[str]:
    """The entries ``ledger move --to-open`` may take back inside a closed period: what
    doctor names here, and what this clone's upstream would refuse in sync."""
    late, seconds, _ = late_entries(office)
    out = {e.id for e in late} | {e.id for e, _ in seconds}
    repo = office.repo
    branch = repo.branch() if repo is not None else None
    if repo is None or branch is None:
        return out
    remote = repo.config(f"branch.{branch}.remote") or "origin"
    theirs = repo.rev(f"refs/remotes/{remote}/{branch}")
    head = repo.head()
    if theirs is None or head is None:
        return out
    base = repo.git("merge-base", head, theirs).stdout.strip() or None
    for line in merge_lines(repo, head, theirs, base):
        out.add(line.split(" ", 1)[0])
    return out


def _txns(office, txns=None) -> list:
    if txns is not None:
        return list(txns)
    from officecli.office.books import ledger

    return ledger.transactions(office)


def lines(office, txns=None) -> list[str]:
    """'path: problem' for doctor and ledger check: late entries, second closing entries,
    future-dated entries. ``txns``: the readable ledger entries (ledger check's; by
    default every one: a damaged file is the ledger's own check's line)."""
    txns = _txns(office, txns)
    late, seconds, last = late_entries(office, txns)
    owner = periods.owner(office)
    out = [f"{e.rel}: {_late_line(e, last, owner)}" for e in late if last is not None]
    out += [f"{e.rel}: {_second_line(e, kept)}" for e, kept in seconds]
    limit = periods.future_limit(office)
    today = office.today()
    for t in sorted(txns, key=lambda t: (str(t.data.get("date")), t.id)):
        e = _of(t)
        if e is None or e.date <= limit.isoformat():
            continue
        days = (clock.parse_date(e.date) - today).days
        out.append(
            f"{e.rel}: {e.named()}: dated {days} days after today ({today.isoformat()}; office.yaml "
            f"books.future_days: {(limit - today).days}): written by a clock that ran ahead; set site "
            f"{e.site}'s clock right, then correct it with an entry on its true day"
        )
    return out
