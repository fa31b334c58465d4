"""One step done at two sites: what a merge joins when both sites took the same step.

Two kinds of it, each found here and called by sync and doctor with one call:

* **One file added at both sides** (``mend``): site A moved a record by hand
  (``complaint forward``, a rename git sees) while cron moved it at site B
  (``complaint escalate`` adds long history entries, so git sees a delete and
  an add): both sides end in the same file, git reports rename/delete and
  add/add and leaves it unmerged with no base. ``mend`` merges the two sides
  with the records merge driver over the common ancestor (the file of that
  name at the merge base) and stages the result, so that the merge goes on;
  a site already stranded in that state is mended by the next ``sync`` or
  ``doctor --repair`` (then ``git commit`` concludes the merge).
* **A step that moves goods or money taken twice** (``lines``): both sites
  shipped one order, or recorded one invoice's full payment. The steps come
  from workflows.yaml: every kind's ``conflict_rules.twice`` names the
  handoffs that move goods or money; a handoff counts twice when its history
  has two entries into the step's state with no return to a source state
  between them. One line names the record, both sides and the question,
  whose every answer is a command that keeps goods, money and history true
  (``officecli twice ID --once`` / ``--both``, office/sites/twiceset.py).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from officecli.office.sites import gitsetup
from officecli.office.workflows import _table, kinds
from officecli.store import fsio, git
from officecli.store.errors import UserError

# -- a file added at both sides ------------------------------------------------------


def mend(repo: git.Repo | None) -> list[str]:
    """Merge and stage every unmerged record file that git holds as added at both sides
    (no base) while the merge base has it under another folder that neither side kept:
    one record both sides moved into the same file. What was done."""
    if repo is None or repo.operation() != "merge":
        return []
    stages: dict[str, set[str]] = {}
    for item in repo.git("ls-files", "-u", "-z").stdout.split("\0"):
        if "\t" in item:
            meta, path = item.split("\t", 1)
            stages.setdefault(path, set()).add(meta.split()[2])
    todo = [p for p, s in stages.items() if s == {"2", "3"} and p.endswith(".yaml")]
    if not todo:
        return []
    base_rev = repo.git("merge-base", "HEAD", "MERGE_HEAD").stdout.strip()
    names = {}
    if base_rev:
        listed = repo.git("ls-tree", "-r", "--name-only", "-z", base_rev).stdout.split("\0")
        names = {p.rpartition("/")[2]: p for p in listed if p.endswith(".yaml")}
    done = []
    for path in todo:
        old = names.get(path.rpartition("/")[2])
        if old is None or (old != path and os.path.lexists(os.path.join(repo.top, old))):
            continue  # new at both sides (two records, one ID), or still in its old folder too
        texts = [
            repo.show(base_rev, old) or "",
            repo.show(":2", path),
            repo.show(":3", path),
        ]
        if texts[1] is None or texts[2] is None:
            continue
        merged = _driver(repo, path, texts)
        if merged is None:
            continue
        fsio.atomic_replace(Path(repo.top) / path, merged.encode("utf-8"))  # (never through a link)
        if repo.git("add", "--", path).returncode == 0:
            done.append(f"{path}: added at both sides; merged by the records merge driver and staged")
    return done


def _driver(repo: git.Repo, path: str, texts: list[str]) -> str | None:
    """The records merge driver's result for (base, ours, theirs); None when it does not merge clean."""
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for name, text in zip(("base", "ours", "theirs"), texts):
            f = os.path.join(tmp, name)
            with open(f, "w", encoding="utf-8") as fh:
                fh.write(text)
            files.append(f)
        cmd = gitsetup.driver_command()  # as git runs it: each name shell-quoted
        for mark, value in zip(("%O", "%A", "%B", "%P"), (*files, path)):
            cmd = cmd.replace(mark, shlex.quote(value))
        res = subprocess.run(cmd, shell=True, capture_output=True, text=True, cwd=repo.top)
        if res.returncode != 0:
            return None
        with open(files[1], encoding="utf-8") as fh:
            return fh.read()


# -- a step taken twice ------------------------------------------------------------------


def _rule(kind) -> dict:
    return ((_table().get("conflict_rules") or {}).get(kind.name) or {}).get("twice") or {}


def steps(kind) -> dict[str, str]:
    """Handoff -> what it moves (goods or money), from workflows.yaml conflict_rules.twice."""
    return {k: str(v) for k, v in _rule(kind).items() if k in kind.handoffs}


def _parts(kind, step: str) -> set[str]:
    """The step and the history action a part of it writes (twice.part: a part payment)."""
    part = (_rule(kind).get("part") or {}).get(step)
    return {step} | ({str(part)} if part else set())


def taken_twice(office, rec) -> tuple[str, dict, dict] | None:
    """(step, first entry, last entry) of the first of ``steps`` taken twice since the record
    last came back to a source state (or a ``twice`` entry answered it): two entries into
    the step's state, or (money) two entries of the step that together paid beyond what is
    due (a part payment here, the whole there)."""
    kind = rec.kind
    for step, moves in steps(kind).items():
        h, actions = kind.handoffs[step], _parts(kind, step)
        window: list[dict] = []
        for entry in rec.get("history") or []:
            if not isinstance(entry, dict):
                continue
            if entry.get("action") == "twice" and str(entry.get("note") or "").startswith(step + " "):
                window = []  # answered
            elif entry.get("action") in actions:
                window.append(entry)
            elif entry.get("to") in h.sources:
                window = []
        if len(window) < 2 or not _two_sites(office, window):
            continue
        if sum(1 for e in window if e.get("to") == h.target) >= 2:
            return step, window[0], window[-1]
        if moves == "money_in" and _beyond_due(office, rec) > 0:
            return step, window[0], window[-1]
    return None


def _two_sites(office, window: list[dict]) -> bool:
    """Entries that can come from two sites: two sites named, or none named at a clone
    with a remote (a site alone, or one site's entries, is one office's own doing: two
    part payments that overpay are money on account, not a step taken twice)."""
    named = {str(e["site"]) for e in window if e.get("site")}
    if named:
        return len(named) >= 2
    repo = office.repo
    return repo is not None and bool(repo.remotes())


def _beyond_due(office, rec):
    """What the record's payments brought beyond what it is owed (its receivable below 0)."""
    from officecli.office.books import invoices

    owed = invoices.amounts_by_ref(office, {rec.id}).get(rec.id, {}).get("owed")
    return -owed if owed is not None else 0


def lines(office, only: set[str] | None = None) -> list[tuple[str, str]]:
    """(where, one line) for every record whose goods or money step was taken twice
    (``only``: among these IDs)."""
    wanted = [k for k in kinds().values() if steps(k)]
    if only is None:
        recs = [r for k in wanted for r in office.records(k.name)]
    else:
        prefixes = {k.prefix for k in wanted if k.prefix}
        found = [office.find_any(i) for i in sorted(only) if i.partition("-")[0] in prefixes]
        recs = [r for r in found if r is not None and r.kind in wanted]
    out = []
    for rec in recs:
        hit = taken_twice(office, rec)
        if hit is not None:
            step, first, last = hit
            out.append((rec.path, _line(office, rec, rec.kind, step, first, last)))
    return out


def _who(entry: dict) -> str:
    return f"{entry.get('by')} at {entry.get('at')}"


def _site(office, rec, entry: dict) -> str:
    """' at site X': the Officecli-Site trailer of the commit that brought the entry."""
    repo, at = office.repo, str(entry.get("at") or "")
    if repo is None or not at:
        return ""
    revs = ["HEAD"] + (["MERGE_HEAD"] if repo.operation() == "merge" else [])
    res = repo.git(
        "log",
        "--reverse",
        "--format=%(trailers:key=Officecli-Site,valueonly)",
        "-S",
        at,
        *revs,
        "--",
        f":(glob){repo.prefix}**/{rec.id}.yaml",  # in whichever folder it was then
        literal=False,
    )
    site = next((x.strip() for x in res.stdout.splitlines() if x.strip()), "")
    return f" at site {site}" if site else ""


def _line(office, rec, kind, step: str, first: dict, second: dict) -> str:
    moves = steps(kind)[step]
    both = " and ".join(f"'{e.get('action')}' by {_who(e)}{_site(office, rec, e)}" for e in (first, second))
    if moves == "goods_out":
        question = (
            f"if the goods left once: officecli twice {rec.id} --once (puts the second "
            f"shipment's pieces back in stock and reverses its COGS); if they left twice: "
            f"officecli twice {rec.id} --both (both shipments stand; invoice the extra or take it back "
            "with officecli return add)"
        )
    else:
        question = (
            f"if the money came once: officecli twice {rec.id} --once (reverses the payment of "
            f"what was paid beyond the amount due); if it came twice: officecli twice {rec.id} --both "
            "(what was paid beyond it becomes the customer's money on account)"
        )
    return f"{rec.id}: {kind.label} {both}: {'goods out' if moves == 'goods_out' else 'paid beyond the amount due'}; {question}"


def settle(office, ident: str, once: bool) -> list[str]:
    """Inside an open change: answer the question for one record; what was done."""
    rec = office.find_any(ident)
    found = None if rec is None else taken_twice(office, rec)
    if rec is None or found is None:
        raise UserError(f"{ident}: no step that moves goods or money taken twice; nothing was changed")
    step, first, second = found
    said = (_goods_once if steps(rec.kind)[step] == "goods_out" else _money)(office, rec, once)
    note = f"{step} taken twice ({_who(first)}; {_who(second)}): " + "; ".join(said)
    office.note(rec, "twice", note)
    return said


def _goods_once(office, rec, once: bool) -> list[str]:
    from officecli.office import money
    from officecli.office.back import returns

    if not once:
        return ["the goods left twice: both shipments stand"]
    ordered: dict[str, int] = {}
    for line in rec.get("lines") or []:
        ordered[str(line.get("sku"))] = ordered.get(str(line.get("sku")), 0) + int(line.get("qty") or 0)
    value, back = returns.goods_back(
        office,
        rec.id,
        ordered,
        f"twice: {rec.id} left once",
        f"Twice {rec.id}: shipped at two sites, the goods left once: ",
    )
    return [
        f"the goods left once: back in stock {', '.join(back) or 'nothing'}, COGS reversed {money.text(value)}"
    ]


def _money(office, rec, once: bool) -> list[str]:
    """--once: the money came once: the later payment of just what was paid beyond the
    amount due is reversed; --both: what was paid beyond it is the customer's on account."""
    from officecli.office import money
    from officecli.office.accounts import CUSTOMER_CREDIT, need_accounts
    from officecli.office.books import advances, ledger
    from officecli.office.books.invoices import RECEIVABLE

    extra = money.q(_beyond_due(office, rec))
    if extra <= 0:
        raise UserError(f"{rec.id}: nothing is paid beyond what is due; nothing was changed")
    if once:
        txns = [t for t in office.records("ledger_txn") if t.get("ref") == rec.id]
        gone = {str(t.get("reverses")) for t in txns if t.get("reverses")}
        fits = [
            t
            for t in txns
            if t.get("kind") == "payment"
            and t.id not in gone
            and -sum((a for acct, a in ledger.postings_of(t) if acct == RECEIVABLE), money.ZERO) == extra
        ]
        if not fits:
            raise UserError(
                f"{rec.id}: no one payment is the {money.text(extra)} paid beyond what is due, so "
                f"none can be undone whole: officecli twice {rec.id} --both holds it on account "
                "(then pay it back with officecli invoice refund if it never came); nothing was changed"
            )
        last = sorted(fits, key=lambda t: (str(t.get("date") or ""), str(t.get("created") or ""), t.id))[-1]
        ledger.post(
            office,
            office.today(),
            f"Reversal of {last.id}: {rec.id} paid at two sites, the money came once",
            [(acct, -a) for acct, a in ledger.postings_of(last)],
            ref=rec.id,
            reverses=last.id,
            kind="reversal",
        )
        return [f"the money came once: {last.id} ({money.text(extra)}) reversed"]
    need_accounts(office, CUSTOMER_CREDIT)
    ledger.post(
        office,
        office.today(),
        f"{rec.id} paid at two sites: {money.text(extra)} beyond what is due held on account",
        [(RECEIVABLE, extra), (CUSTOMER_CREDIT, -extra)],
        ref=rec.id,
        kind=advances.KIND,
        document=rec.get("customer"),
    )
    return [f"the money came twice: {money.text(extra)} held on account for {rec.get('customer')}"]
