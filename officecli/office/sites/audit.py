"""``officecli audit numbering``: prove from git that every invoice series is gapless, in order, never reused.

An accountant must be able to show that invoice and credit-note numbers
(``INV-<SERIES>-NNNN``, ``CRN-<SERIES>-NNNN``) were issued without gaps, in
date order, and never handed out twice -- not only in today's files, but over
the whole history, files deleted or moved included.

How: ONE ``git log --full-history --raw`` pass over ``back/invoices/`` (and
the older ``archive/`` places an invoice may have lived) lists every version
of every ``INV-*.yaml`` and ``CRN-*.yaml`` file that was ever committed,
with the commit that added, changed, moved or deleted it; each version is
read through ONE ``git cat-file --batch`` process. The working tree's files
count too (an invoice not committed yet). Per number, a record's identity
is what no correction of a document changes: its order (or, for a credit
note, its invoice) and its customer; the versions of one record differ in
history (payments), or in a date edited by hand (then the date order is
checked with the new date and the commit that wrote it).

Per series, each of INV and CRN on its own, what is wrong (the first of each
sort is named, with the commits involved):

* **reused**: one number, two different identities over history (an invoice
  deleted and the number issued again to another order);
* **gap**: a number below the series' highest that no file ever had
  (``never issued``), or that was issued and no longer exists in the tree
  (``deleted in <commit>``);
* **disorder**: a higher number dated before a lower one.

Outside git the same checks run on today's files only (a deleted or reused
number cannot be seen there; the summary says so).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from officecli.office.sites.history import parse_version
from officecli.store import ids

PREFIXES = ("INV", "CRN")
FOLDERS = ("back/invoices", "archive")
IDENTITY = ("order", "invoice", "customer")


@dataclass
class Seen:
    ident: str
    identity: tuple
    date: str
    added: str  # the commit that first carried this identity ('' = not committed)
    path: str
    dated_in: str = ""  # the commit that first carried its present date


@dataclass
class Number:
    ident: str
    versions: list[Seen] = field(default_factory=list)
    deleted: str = ""  # the commit that deleted its last file, while none is left


def _identity(data: dict) -> tuple:
    return tuple(str(data.get(k)) if data.get(k) is not None else "" for k in IDENTITY)


def _name(path: str | None) -> str | None:
    if not path or not path.endswith(".yaml"):
        return None
    name = path.rpartition("/")[2][:-5]
    parsed = ids.parse_id(name)
    return name if parsed and parsed[0] in PREFIXES else None


_FIELD = re.compile(r"^(order|invoice|customer|date): *(?:'([^'\n]*)'|\"([^\"\n]*)\"|([^'\"#\n ]+)) *$", re.M)


def _parse(text: str | None) -> dict | None:
    """The identity fields of one version of a file: read from its top-level lines
    (officecli writes them one a line; thousands of versions stay cheap), else YAML."""
    if text is None:
        return None
    found = {
        m.group(1): m.group(2)
        if m.group(2) is not None
        else m.group(3)
        if m.group(3) is not None
        else m.group(4)
        for m in _FIELD.finditer(text)
    }
    if "customer" in found and "date" in found and ("order" in found or "invoice" in found):
        return found
    return parse_version(text)


def collect(office) -> tuple[dict[str, Number], int, bool]:
    """(ID -> what history and the tree say of it, commits read, in git?)."""
    from officecli.store import gitlog

    numbers: dict[str, Number] = {}

    def seen(ident: str, data: dict, commit: str, path: str) -> None:
        num = numbers.setdefault(ident, Number(ident))
        key, date = _identity(data), str(data.get("date") or "")
        for v in num.versions:
            if v.identity == key:
                if v.date != date:  # the same record, its date edited
                    v.date, v.dated_in = date, commit
                return
        num.versions.append(Seen(ident, key, date, commit, path, commit))

    repo = office.repo
    ncommits = 0
    if repo is not None:
        commits = gitlog.changes(
            repo,
            [f"{f}/**/INV-*.yaml" for f in FOLDERS] + [f"{f}/**/CRN-*.yaml" for f in FOLDERS],
            glob=True,
            renames=False,
        )  # a move is a D and an A here: cheaper
        ncommits = len(commits)
        alive: dict[str, set[str]] = {}
        with gitlog.Blobs(repo) as blobs:
            blobs.prefetch(ch.new_blob for c in commits for ch in c.changes if _name(ch.new))
            for commit in commits:
                for ch in commit.changes:
                    old, new = _name(ch.old), _name(ch.new)
                    if old and ch.status in ("D", "R"):
                        alive.setdefault(old, set()).discard(ch.old)
                        if not alive[old]:
                            numbers.setdefault(old, Number(old)).deleted = commit.short
                    if new and ch.status != "D":
                        alive.setdefault(new, set()).add(ch.new)
                        data = _parse(blobs.get(ch.new_blob))
                        if data is not None:
                            seen(new, data, commit.short, ch.new)
                        numbers.setdefault(new, Number(new)).deleted = ""
    tree = set()
    for kind_name in ("invoice", "credit_note"):
        for rec in office.records(kind_name):
            seen(rec.id, rec.data, "", rec.path)
            tree.add(rec.id)
    for ident, num in numbers.items():  # gone today: deleted (in the commit git says)
        num.deleted = "" if ident in tree else (num.deleted or "?")
    return numbers, ncommits, repo is not None


def _commit(seen: Seen) -> str:
    return f"commit {seen.added}" if seen.added else "not committed"


def audit(office, series: str | None = None) -> tuple[list[dict], dict]:
    """(problems, summary). Each problem: {id, state: problem sort, series, problem, commits}."""
    numbers, ncommits, in_git = collect(office)
    by_series: dict[tuple[str, str], dict[int, Number]] = {}
    for ident, num in numbers.items():
        prefix, ser, n = ids.parse_id(ident)
        if series and ser != series:
            continue
        by_series.setdefault((prefix, ser), {})[n] = num
    problems: list[dict] = []

    def say(ident, sort, ser, text, commits):
        problems.append(
            {"id": ident, "state": sort, "series": ser, "problem": text, "commits": [c for c in commits if c]}
        )

    for (prefix, ser), nums in sorted(by_series.items()):
        label = f"{prefix}-{ser}"
        for n in sorted(nums):  # reused: two records, one number
            num = nums[n]
            if len(num.versions) > 1:
                a, b = num.versions[0], num.versions[1]
                say(
                    num.ident,
                    "reused",
                    label,
                    f"{num.ident}: reused: issued for {_what(a)} ({_commit(a)}, {a.path}) and again "
                    f"for {_what(b)} ({_commit(b)}, {b.path})",
                    [a.added, b.added],
                )
                break
        top = max(nums)
        for n in range(1, top + 1):  # gaps
            ident = ids.format_id(prefix, ser, n)
            num = nums.get(n)
            if num is None or not num.versions:
                after = nums[min(m for m in nums if m > n)]
                first = after.versions[0] if after.versions else None
                say(
                    ident,
                    "gap",
                    label,
                    f"{ident}: gap: never issued, but "
                    f"{after.ident} was ({_commit(first) if first else 'deleted'})",
                    [first.added if first else ""],
                )
                break
            if num.deleted:
                where = f"deleted in commit {num.deleted}" if num.deleted != "?" else "no longer in the tree"
                say(
                    ident,
                    "gap",
                    label,
                    f"{ident}: gap: issued ({_commit(num.versions[0])}) and "
                    f"{where}; an issued number is credited, never removed",
                    [num.versions[0].added, num.deleted if num.deleted != "?" else ""],
                )
                break
        last: Seen | None = None  # date order
        for n in sorted(nums):
            if not nums[n].versions:
                continue
            cur = nums[n].versions[-1]
            if last is not None and cur.date and last.date and cur.date < last.date:
                say(
                    cur.ident,
                    "disorder",
                    label,
                    f"{cur.ident}: out of date order: dated {cur.date} ({_dated(cur)}), before "
                    f"{last.ident} dated {last.date} ({_dated(last)})",
                    [cur.dated_in, last.dated_in],
                )
                break
            if cur.date and (last is None or cur.date >= (last.date or "")):
                last = cur
    summary = {
        "series": len(by_series),
        "invoices": sum(len(v) for (p, _), v in by_series.items() if p == "INV"),
        "credit_notes": sum(len(v) for (p, _), v in by_series.items() if p == "CRN"),
        "commits": ncommits,
        "git": in_git,
    }
    return problems, summary


def _dated(seen: Seen) -> str:
    return f"commit {seen.dated_in}" if seen.dated_in else "not committed"


def _what(seen: Seen) -> str:
    order, invoice, customer = seen.identity
    base = f"invoice {invoice}" if invoice else f"order {order}" if order else "?"
    return f"{base}, customer {customer}, dated {seen.date}"
