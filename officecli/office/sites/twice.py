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
import subprocess
import tempfile

from officecli.office.sites import gitsetup
from officecli.office.workflows import _table, kinds
from officecli.store import git
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
        with open(os.path.join(repo.top, path), "w", encoding="utf-8") as fh:
            fh.write(merged)
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
        cmd = gitsetup.driver_command().replace("%O", files[0]).replace("%A", files[1])
        cmd = cmd.replace("%B", files[2]).replace("%P", path)
        res = subprocess.run(cmd, shell=True, capture_output=True, text=True, cwd=repo.top)
        if res.returncode != 0:
            return None
        with open(files[1], encoding="utf-8") as fh:
            return fh.read()


# -- a step taken twice ------------------------------------------------------------------


def steps(kind) -> dict[str, str]:
    """Handoff -> what it moves (goods or money), from workflows.yaml conflict_rules.twice."""
    rule = (_table().get("conflict_rules") or {}).get(kind.name) or {}
    return {k: str(v) for k, v in (rule.get("twice") or {}).items() if k in kind.handoffs}


def taken_twice(kind, history: list) -> tuple[str, dict, dict] | None:
    """(step, first entry, second entry) of the first step of ``steps`` taken twice with no
    return to a source state between them, unless a ``twice`` entry after it settled it."""
    wanted = steps(kind)
    for step in wanted:
        h = kind.handoffs[step]
        first, hit = None, None
        for entry in history:
            if not isinstance(entry, dict):
                continue
            if entry.get("action") == "twice" and str(entry.get("note") or "").startswith(step + " "):
                first = hit = None  # answered
            elif entry.get("action") == step and entry.get("to") == h.target:
                if first is not None:
                    hit = (step, first, entry)
                first = entry
            elif entry.get("to") in h.sources:
                first = None
        if hit is not None:
            return hit
    return None


def lines(office, only: set[str] | None = None) -> list[tuple[str, str]]:
    """(where, one line) for every record whose goods or money step was taken twice."""
    out = []
    for kind in kinds().values():
        if not steps(kind):
            continue
        for rec in office.records(kind.name):
            if only is not None and rec.id not in only:
                continue
            found = taken_twice(kind, rec.get("history") or [])
            if found is None:
                continue
            step, first, second = found
            out.append((rec.path, _line(rec, kind, step, first, second)))
    return out


def _who(entry: dict) -> str:
    return f"{entry.get('by')} at {entry.get('at')}"


def _line(rec, kind, step: str, first: dict, second: dict) -> str:
    moves = steps(kind)[step]
    both = f"'{step}' by {_who(first)} and again by {_who(second)} (two sites)"
    if moves == "goods_out":
        question = (
            f"if the goods left once: officecli twice {rec.id} --once (puts the second "
            f"shipment's pieces back in stock and reverses its COGS); if they left twice: "
            f"officecli twice {rec.id} --both (both shipments stand; invoice the extra or take it back "
            "with officecli return add)"
        )
    else:
        question = (
            f"if the money came once: officecli twice {rec.id} --once (reverses the second "
            f"payment); if it came twice: officecli twice {rec.id} --both (the second payment "
            "becomes the customer's money on account)"
        )
    return f"{rec.id}: {kind.label} {both}: {moves.replace('_', ' ')} twice; {question}"


def settle(office, ident: str, once: bool) -> list[str]:
    """Inside an open change: answer the question for one record; what was done."""
    rec = office.find_any(ident)
    found = None if rec is None else taken_twice(rec.kind, rec.get("history") or [])
    if rec is None or found is None:
        raise UserError(f"{ident}: no step that moves goods or money taken twice; nothing was changed")
    step, first, second = found
    said = (_goods_once if steps(rec.kind)[step] == "goods_out" else _money)(office, rec, once)
    note = f"{step} taken twice ({_who(first)}; {_who(second)}): " + "; ".join(said)
    office.note(rec, "twice", note)
    return said


def _goods_once(office, rec, once: bool) -> list[str]:
    from officecli.office import money
    from officecli.office.back import returns, stock
    from officecli.office.books import ledger

    if not once:
        return ["the goods left twice: both shipments stand"]
    ordered: dict[str, int] = {}
    for line in rec.get("lines") or []:
        ordered[str(line.get("sku"))] = ordered.get(str(line.get("sku")), 0) + int(line.get("qty") or 0)
    value, back = money.ZERO, []
    for sku, (qty, unit) in sorted(returns.shipped(office, rec.id).items()):
        n = qty - ordered.get(sku, 0)
        if n <= 0:
            continue
        stock.write_move(office, sku, n, stock.RETURN, unit, ref=rec.id, note=f"twice: {rec.id} left once")
        value += money.q(unit * n)
        back.append(f"{sku} +{n}")
    if value:
        ledger.post(
            office,
            office.today(),
            f"Twice {rec.id}: shipped at two sites, the goods left once: " + ", ".join(back),
            [(returns.INVENTORY, value), (returns.COGS, -value)],
            ref=rec.id,
            kind="return",
        )
    return [
        f"the goods left once: back in stock {', '.join(back) or 'nothing'}, COGS reversed {money.text(value)}"
    ]


def _money(office, rec, once: bool) -> list[str]:
    from officecli.office.accounts import CUSTOMER_CREDIT
    from officecli.office.books import ledger
    from officecli.office.books.invoices import RECEIVABLE

    txns = [t for t in office.records("ledger_txn") if t.get("ref") == rec.id]
    reversed_ids = {str(t.get("reverses")) for t in txns if t.get("reverses")}
    paid = [t for t in txns if t.get("kind") == "payment" and t.id not in reversed_ids]
    if len(paid) < 2:
        raise UserError(f"{rec.id}: fewer than two payments stand in the ledger; nothing was changed")
    last = sorted(paid, key=lambda t: (str(t.get("created") or ""), t.id))[-1]
    moved = ledger.postings_of(last)
    amount = sum((a for acct, a in moved if acct == RECEIVABLE), ledger.Decimal("0"))
    if once:
        ledger.post(
            office,
            office.today(),
            f"Reversal of {last.id}: {rec.id} paid at two sites, the money came once",
            [(acct, -a) for acct, a in moved],
            ref=rec.id,
            reverses=last.id,
            kind="reversal",
        )
        return [f"the money came once: {last.id} reversed"]
    from officecli.office.accounts import need_accounts
    from officecli.office.books import advances

    need_accounts(office, CUSTOMER_CREDIT)
    ledger.post(
        office,
        office.today(),
        f"{rec.id} paid at two sites, the money came twice: {last.id} held on account",
        [(RECEIVABLE, -amount), (CUSTOMER_CREDIT, amount)],
        ref=rec.id,
        kind=advances.KIND,
        document=rec.get("customer"),
    )
    return [f"the money came twice: {last.id}'s {-amount} held on account for {rec.get('customer')}"]
