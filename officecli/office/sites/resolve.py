"""resolve: one record that two sites took different ways, settled by the rule of its kind.

What a merge can leave that only a decision settles, and how each is found
(``cases``, ``case_of``) and settled (``settle``):

* **One record in two folders** (site A cancelled an order while site B
  shipped it: git renames the file two ways and keeps both). The copies are
  one record when they share their beginning (the same ``created`` and first
  history entry); otherwise they are **two different records sharing an ID**
  (a clone that wrote with another site's code) and nothing here settles
  them: ``officecli renumber`` gives one of them a free ID.
* **One step taken twice** (two takes of a complaint, two invoices of one
  order): the records merge driver keeps both history entries and records the
  field both set differently under ``conflicts:``.
* **A taken complaint without an assignee**: the take in its history names who.

The rule is data (workflows.yaml ``conflict_rules``): which state wins over
which (``wins``), which step's earlier entry decides a field (``earliest``),
which edits of the losing copy go into the winner (``edits``) and what undoes
a losing step (``undo``). ``--keep STATE`` (one of the two states) decides where
no rule does, or against the rule.

Settling is one transaction (store/txn.py), step by step:

1. the losing copy is removed and the winner's file gets both copies' history
   entries in time order (each once), the losing copy's carried edits, and
   one ``resolve`` entry: from the losing state to the kept one, naming the
   step overridden, who took it, at which site (the ``Officecli-Site`` trailer
   of the commit that brought it, when git knows) and when;
2. every losing step with a side effect is undone by the code of the normal
   command: ``goods_back`` puts the shipped pieces back in stock at the cost
   they left with and reverses their COGS (as ``return receive``),
   ``credit_invoice`` credits the losing invoice (as ``invoice credit``). A
   reservation needs nothing: it is computed from the folder the order is in.

In the middle of a merge (``officecli sync --keep`` or a plain ``git pull``
that stopped) the change is made in the work tree without a commit of its
own and its paths are staged (``git add``): ``git commit`` then concludes
the merge. Otherwise autocommit commits it like any command's change.

``sync`` calls ``settle_by_rule`` on what a merge brought: every case the rule
decides and whose losing steps have no side effect is settled inside the
merge; the others are left for a person, each named with its command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from officecli.office import records
from officecli.office.records import Record
from officecli.office.sites import inmerge, renumber
from officecli.office.workflows import Kind, conflict_rule, kinds
from officecli.store import yamlio
from officecli.store.errors import UserError

_ASSIGNED = re.compile(r"^assigned to (?:([A-Z]{2,5}-[A-Z0-9]+-[0-9]+) )?(.+)$")


@dataclass
class Copy:
    path: str
    state: str
    text: str
    data: dict


@dataclass
class Case:
    """One record a person or a rule must settle."""

    kind: Kind
    id: str
    copies: list[Copy]
    what: str  # folders | fields | assignee | different
    winner: str | None = None  # the state kept (folders)
    loser: str | None = None
    rule: str = ""  # why the winner wins, in words
    problem: str | None = None  # why no rule decides (a person must)
    values: dict = field(default_factory=dict)  # field -> the value kept (fields, assignee)
    lost: dict | None = None  # the history entry of the overridden step
    undo: list[tuple[str, dict]] = field(default_factory=list)  # (what undoes it, its entry)
    carried: dict = field(default_factory=dict)  # the losing copy's edits, into the winner

    @property
    def paths(self) -> list[str]:
        return [c.path for c in self.copies]

    @property
    def settleable(self) -> bool:
        return self.problem is None and self.what != "different"

    @property
    def quiet(self) -> bool:
        """Settled by rule with nothing to post, move or issue: sync may do it itself."""
        return self.settleable and not self.undo

    def command(self) -> str:
        if self.what == "different":
            return self.rule or f"officecli renumber {self.id} at the site the rule names"
        if self.problem is not None and self.what == "folders":
            pair = self.copies if len(self.copies) == 2 and all(c.data for c in self.copies) else []
            safe = [c.state for c in pair if not unsafe(self.kind, c, pair[1] if c is pair[0] else pair[0])]
            if pair and not safe:
                return "keep one by hand and undo the other's step with its own command"
            states = " or ".join(f"--keep {s}" for s in safe or [c.state for c in self.copies])
            return f"officecli resolve {self.id} {states}"
        if self.problem is not None:
            return f"edit {self.copies[0].path} by hand (set the field, delete its conflicts: entry)"
        return f"officecli resolve {self.id}"

    def line(self) -> str:
        """One line: what happened, the rule that would settle it, the command."""
        if self.what == "different":
            where = ", ".join(f"{c.path} (created {c.data.get('created')})" for c in self.copies)
            return (
                f"{self.id}: two different {self.kind.label}s share this ID ({where}): "
                f"{self.command()}; never delete either file"
            )  # (the rule: renumber.verdict, the same at every site)
        if self.what == "folders":
            where = ", ".join(c.path for c in self.copies)
            said = (
                f"one {self.kind.label} in {len(self.copies)} folders ({where}): "
                f"{' vs '.join(c.state for c in self.copies)}"
            )
        elif self.what == "assignee":
            said = f"complaint taken ({self.copies[0].state}) without an assignee ({self.copies[0].path})"
        else:
            said = f"both sites took the same step ({self.copies[0].path}: {self.rule or 'fields'})"
        if self.problem is not None:
            return f"{self.id}: {said}; {self.problem}: {self.command()}"
        return f"{self.id}: {said}; rule: {self.rule}: {self.command()}"


# -- finding --------------------------------------------------------------------


def _copy(office, kind: Kind, state: str, rel: str) -> Copy:
    text = office.store.read_text(rel)
    try:
        data = yamlio.loads(text)
    except yamlio.YAMLError:
        data = None
    return Copy(rel, state, text, data if isinstance(data, dict) else {})


def _instant(at) -> float:
    try:
        t = datetime.fromisoformat(str(at))
    except ValueError:
        return 0.0
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return t.timestamp()


def _key(entry: dict) -> tuple:
    """One entry's identity: an automatic step's ``key``, else when, who, where, what."""
    if entry.get("key"):
        return ("key", repr(entry.get("key")))
    return tuple(repr(entry.get(k)) for k in ("at", "by", "site", "action", "from", "to"))


def union_history(copies: list[Copy]) -> list[dict]:
    """Every copy's history entries once, in time order (instants; stable)."""
    seen, out = set(), []
    for c in copies:
        for e in c.data.get("history") or []:
            if isinstance(e, dict) and _key(e) not in seen:
                seen.add(_key(e))
                out.append(e)
    return sorted(out, key=lambda e: _instant(e.get("at")))


def _branch(history: list[dict], state: str, stop: set[str] | None = None) -> list[dict]:
    """The entries that brought the record to ``state``, latest first, back to a state
    in ``stop`` (or to its beginning)."""
    chain, cur = [], state
    for e in reversed(history):
        if stop is not None and cur in stop:
            break
        if e.get("to") == cur:
            chain.append(e)
            cur = e.get("from")
            if cur is None:
                break
    return chain


def _states_of(chain: list[dict], state: str) -> set[str]:
    return {state} | {e.get("from") for e in chain if e.get("from")}


def _folders_case(office, kind: Kind, ident: str, paths: list[str], keep: str | None) -> Case:
    copies = [_copy(office, kind, kind.state_of(p.rpartition("/")[0]) or "?", p) for p in sorted(paths)]
    case = Case(kind, ident, copies, "folders")
    if any(yamlio.conflict_line(c.text) for c in copies) or any(not c.data for c in copies):
        case.problem = "a copy has conflict markers or is not a record"
        return case
    if not renumber.same_record([c.data for c in copies]):
        case.what = "different"
        case.rule = renumber.verdict(office, ident, paths).line(ident)
        return case
    if len(copies) > 2:
        case.problem = f"{len(copies)} copies"
        return case
    states = [c.state for c in copies]
    rule = conflict_rule(kind.name)
    winner, case.rule, case.problem = judge(kind, copies, keep)
    if winner is None:
        return case
    case.winner = winner
    loser_copy = copies[1] if copies[0].state == winner and copies[1].state != winner else copies[0]
    if states[0] == states[1]:
        loser_copy = copies[1]
    case.loser = loser_copy.state
    history = union_history(copies)
    won = _states_of(_branch(history, winner), winner)
    lost = _branch(history, case.loser, won) if case.loser != winner else []
    case.lost = lost[0] if lost else None
    case.undo = [(rule.undo[e.get("action")], e) for e in lost if e.get("action") in rule.undo]
    win_copy = next(c for c in copies if c is not loser_copy)
    if rule.edits_from == case.loser and winner in rule.edits_into:
        theirs = {_key(e) for e in win_copy.data.get("history") or [] if isinstance(e, dict)}
        edited = any(
            e.get("action") == "edit" and _key(e) not in theirs
            for e in loser_copy.data.get("history") or []
            if isinstance(e, dict)
        )
        if edited:
            case.carried = {
                f: loser_copy.data.get(f)
                for f in rule.edits_fields
                if loser_copy.data.get(f) != win_copy.data.get(f)
            }
    return case


def lost_steps(keep: Copy, other: Copy) -> list[dict]:
    """The steps of ``other`` that keeping ``keep`` drops: its entries ``keep`` lacks, less
    those ``keep`` took itself (the same action on its own side: one step, taken twice)."""
    mine = [e for e in keep.data.get("history") or [] if isinstance(e, dict)]
    theirs = [e for e in other.data.get("history") or [] if isinstance(e, dict)]
    have = {_key(e) for e in mine}
    own = [e.get("action") for e in mine if _key(e) not in {_key(t) for t in theirs}]
    out = []
    for e in theirs:
        if _key(e) in have:
            continue
        if e.get("action") in own:
            own.remove(e.get("action"))
            continue
        out.append(e)
    return out


def unsafe(kind: Kind, keep: Copy, other: Copy) -> list[str]:
    """The steps keeping ``keep`` would drop although they moved goods or money or issued
    a document, and nothing undoes them (workflows.yaml ``effects`` less ``undo``, less
    what ``stands`` as a fact in the kept state)."""
    rule = conflict_rule(kind.name)
    stands = rule.stands.get(keep.state, ())
    return [
        str(e.get("action"))
        for e in lost_steps(keep, other)
        if e.get("action") in rule.effects
        and e.get("action") not in rule.undo
        and e.get("action") not in stands
    ]


def judge(kind: Kind, copies: list[Copy], keep: str | None = None) -> tuple[str | None, str, str | None]:
    """(the state kept, the rule in words, why a person must decide) for one record in two
    folders. A state the table names wins unless keeping it would drop a step with an
    effect nothing undoes; else the one copy that drops none wins ("every step with an
    effect is kept"); else a person chooses among the safe answers (``--keep``). A
    ``keep`` that would drop such a step is refused."""
    states = [c.state for c in copies]
    rule = conflict_rule(kind.name)
    by = {c.state: c for c in copies}
    other = {copies[0].state: copies[1], copies[1].state: copies[0]}
    bad = {c.state: unsafe(kind, c, other[c.state]) for c in copies}
    safe = [s for s in states if not bad[s]]
    if keep is not None:
        if keep not in states:
            raise UserError(
                f"{kind.label} {copies[0].data.get(kind.key)}: --keep {keep}: it is in "
                f"{' and '.join(states)} ({', '.join(c.path for c in copies)}); keep one of those"
            )
        if bad[keep]:
            raise UserError(
                f"{kind.label} {copies[0].data.get(kind.key)}: --keep {keep} would drop "
                f"'{', '.join(bad[keep])}' of {other[keep].path}, which moved goods or money and "
                "nothing undoes: "
                + (" or ".join(f"--keep {s}" for s in safe) if safe else "settle it by hand")
                + "; nothing was changed"
            )
        return keep, f"--keep {keep}", None
    if states[0] == states[1]:
        return states[0], "the same state twice", None
    winner = rule.winner(*states)
    if winner is not None and not bad[winner]:
        return winner, f"{winner} beats {other[winner].state}", None
    if len(safe) == 1:
        lost = lost_steps(by[safe[0]], other[safe[0]])
        done = sorted({str(e.get("action")) for e in lost_steps(other[safe[0]], by[safe[0]])})
        return (
            safe[0],
            f"{safe[0]} keeps every step that moved goods or money "
            f"({', '.join(done) or 'none'} kept; {', '.join(str(e.get('action')) for e in lost) or 'nothing'} dropped)",
            None,
        )
    if not safe:
        return (
            None,
            "",
            f"each copy has a step that moved goods or money that keeping the other drops "
            f"({states[0]}: {', '.join(bad[states[1]])}; {states[1]}: {', '.join(bad[states[0]])})",
        )
    return None, "", f"no rule of workflows.yaml decides between {states[0]} and {states[1]}"


def _fields_case(kind: Kind, ident: str, copy: Copy) -> Case | None:
    """A record whose ``conflicts:`` entries a rule of ``earliest`` settles."""
    open_ = [c for c in copy.data.get("conflicts") or [] if isinstance(c, dict)]
    if not open_:
        return None
    rule = conflict_rule(kind.name)
    actions = {rule.earliest_for(str(c.get("field"))) for c in open_}
    case = Case(kind, ident, [copy], "fields")
    if None in actions or len(actions) != 1:
        names = ", ".join(str(c.get("field")) for c in open_)
        case.problem = f"both sites changed {names} and no rule decides"
        return case
    action = actions.pop()
    steps = [e for e in union_history([copy]) if isinstance(e, dict) and e.get("action") == action]
    if len(steps) < 2:
        case.problem = f"both sites changed {', '.join(str(c.get('field')) for c in open_)}"
        return case
    first, later = steps[0], steps[-1]
    note = str(first.get("note") or "")
    for c in open_:
        name = str(c.get("field"))
        hit = [side for side in ("ours", "theirs") if c.get(side) is not None and str(c[side]) in note]
        if not hit:  # the earlier step set nothing here (a take by a name, no ID)
            hit = [side for side in ("ours", "theirs") if c.get(side) is None]
        if len(hit) != 1:
            case.problem = (
                f"both sites took '{action}' and set {name}; the earlier entry "
                f"({first.get('at')}) does not say which value is its"
            )
            return case
        case.values[name] = c.get(hit[0])
        loser = c.get("theirs" if hit[0] == "ours" else "ours")
        case.values.setdefault("_lost_" + name, loser)
    case.rule = f"of two '{action}' steps the earlier wins ({first.get('at')} by {first.get('by')})"
    case.lost = later
    undo = rule.undo.get(action)
    if undo:
        case.undo = [(undo, later)]
    return case


def _assignee_case(kind: Kind, ident: str, copy: Copy) -> Case | None:
    if kind.name != "complaint" or copy.state not in ("working", "waiting") or copy.data.get("assignee"):
        return None
    case = Case(kind, ident, [copy], "assignee")
    history = union_history([copy])
    since = max((i for i, e in enumerate(history) if e.get("to") == "inbox"), default=-1)
    take = next((e for e in history[since + 1 :] if e.get("action") == "take"), None)
    m = _ASSIGNED.match(str(take.get("note") or "")) if take else None
    if m is None:
        case.problem = "its history does not say who took it"
        case.values = {}
        return case
    case.values = {"assignee": m.group(2), "assignee_id": m.group(1)}
    case.rule = f"the take of {take.get('at')} by {take.get('by')} names {m.group(2)}"
    return case


def case_of(office, ident: str, keep: str | None = None) -> Case | None:
    """The case of one record (its full ID, or a unique suffix); None when it is fine."""
    from officecli.store import ids

    parsed = ids.parse_id(ident)
    wanted = [k for k in kinds().values() if k.prefix and (parsed is None or k.prefix == parsed[0])]
    found = []
    for k in wanted:
        known, twins = office._index(k.name)
        try:
            full = ids.resolve(ident, known, k.label) if parsed is None else ident
        except UserError:
            continue
        if full in known:
            found.append((k, full, known, twins))
    if not found:
        raise UserError(f"{ident}: no such record")
    if len(found) > 1:
        raise UserError(f"{ident}: ambiguous: {', '.join(f[1] for f in found)}")
    k, full, known, twins = found[0]
    if full in twins:
        return _folders_case(office, k, full, twins[full], keep)
    state, rel = known[full]
    copy = _copy(office, k, state, rel)
    case = _fields_case(k, full, copy) or _assignee_case(k, full, copy)
    if case is not None and keep is not None:
        raise UserError(
            f"{k.label} {full} ({rel}): --keep {keep}: it is in one folder only "
            f"({state}); --keep chooses between the two folders of a record"
        )
    return case


def cases(office, only: set[str] | None = None) -> list[Case]:
    """Every record of the tree a person or a rule must settle (``only``: these IDs)."""
    out = []
    for k in kinds().values():
        if not k.prefix:
            continue
        known, twins = office._index(k.name)
        for ident, paths in sorted(twins.items()):
            if only is None or ident in only:
                out.append(_folders_case(office, k, ident, paths, None))
        rule = conflict_rule(k.name)
        if not rule.earliest and k.name != "complaint":
            continue
        for ident, (state, rel) in sorted(known.items()):
            if ident in twins or (only is not None and ident not in only):
                continue
            try:
                text = office.store.read_text(rel)
            except (UserError, OSError):
                continue
            if "\nconflicts:" not in text and not (k.name == "complaint" and state in ("working", "waiting")):
                continue
            try:
                copy = _copy(office, k, state, rel)
            except (UserError, OSError):
                continue
            case = _fields_case(k, ident, copy) or _assignee_case(k, ident, copy)
            if case is not None and (case.what != "fields" or case.problem is None):
                out.append(case)
    return out


# -- settling -----------------------------------------------------------------------


def site_of(office, case: Case) -> str | None:
    """The site whose commit brought the overridden step (its Officecli-Site trailer)."""
    repo = office.repo
    if repo is None or case.lost is None:
        return None
    revs = ["HEAD"] + (["MERGE_HEAD"] if repo.operation() == "merge" else [])
    at = str(case.lost.get("at") or "")
    if not at:
        return None
    res = repo.git(
        "log",
        "--reverse",
        "--format=%(trailers:key=Officecli-Site,valueonly)",
        "-S",
        at,
        *revs,
        "--",
        *[repo.top_path(p) for p in case.paths],
    )
    for line in res.stdout.splitlines():
        if line.strip():
            return line.strip()
    return None


def settle(office, ident: str, keep: str | None = None) -> tuple[str, list[str]]:
    """Settle one record; (its path now, what was done). A UserError, before anything
    changes, when it is not in conflict or no rule decides."""
    probe = case_of(office, ident, keep)
    if probe is None:
        full = ident
        raise UserError(
            f"{full}: not in conflict (one file, no open conflicts: entry, "
            "nothing a merge left to settle); nothing was changed"
        )
    _refuse(probe)
    owner = series_site(office, probe) if probe.settleable and probe.undo else None
    if owner is not None:
        raise UserError(f"{handed_line(probe, owner)}; nothing was changed")
    if inmerge.merging(office):
        with inmerge.in_work_tree(office):
            path, said, touched = _apply(office, probe.id, keep)
        inmerge.stage(office, touched)
        said.append("settled inside the merge and staged: 'git commit' concludes it")
        return path, said
    with office.change():
        path, said, _ = _apply(office, probe.id, keep)
    return path, said


def _refuse(case: Case) -> None:
    if case.what == "different":
        raise UserError(f"{case.line()}; nothing was changed")
    if case.problem is not None:
        raise UserError(f"{case.id}: {case.problem}: {case.command()}; nothing was changed")


def settle_by_rule(office, only: set[str] | None = None) -> tuple[list[str], list[Case]]:
    """For sync, in the middle of a merge under its lock: settle every case the rule
    decides without side effects; (what was done, the cases left for a person)."""
    said, left = [], []
    for case in cases(office, only):
        if not case.quiet:
            left.append(case)
            continue
        with inmerge.in_work_tree(office, locked=False):
            _, done, touched = _apply(office, case.id, None)
        inmerge.stage(office, touched)
        said += done
    return said, left


def _apply(office, ident: str, keep: str | None) -> tuple[str, list[str], list[str]]:
    """Inside an open transaction: settle the case; (path, what was done, paths touched)."""
    case = case_of(office, ident, keep)
    if case is None:
        raise UserError(f"{ident}: not in conflict any more; nothing was changed")
    _refuse(case)
    txn = office.txn
    kind, said = case.kind, []
    site = site_of(office, case)
    lost = case.lost or {}
    where = f" at site {site}" if site else ""
    if case.what == "folders":
        win = next(c for c in case.copies if c.state == case.winner)
        gone = [c for c in case.copies if c is not win]
        history = union_history(case.copies)
        overrode = (
            f"'{lost.get('action')}' to {case.loser} by {lost.get('by')}{where} at {lost.get('at')}"
            if lost
            else f"the copy in {case.loser}"
        )
        entry = office.history_entry(
            "resolve",
            case.loser,
            case.winner,
            f"kept {case.winner}, overrode {overrode} ({case.rule})",
        )
        changes = dict(case.carried)
        for g in gone:
            txn.remove(g.path)
        if history == [e for e in win.data.get("history") or []]:
            text = records.edit_text(kind, win.text, win.data, changes, entry)
        else:
            body = {k: v for k, v in {**win.data, **changes}.items() if v is not None}
            body["history"] = history + [entry]
            text = records.dump(kind, body)
        txn.replace(win.path, text)
        path = win.path
        said.append(
            f"{kind.label} {case.id}: kept {case.winner} ({win.path}), removed "
            f"{', '.join(g.path for g in gone)}; overrode {overrode}"
        )
        if case.carried:
            said.append(
                f"{kind.label} {case.id}: carried the edit of {', '.join(case.carried)} into {case.winner}"
            )
    else:
        copy = case.copies[0]
        changes = {k: v for k, v in case.values.items() if not k.startswith("_lost_")}
        left = [
            c
            for c in copy.data.get("conflicts") or []
            if not (isinstance(c, dict) and c.get("field") in changes)
        ]
        if case.what == "fields":
            changes["conflicts"] = left or None
            lost_vals = ", ".join(f"{k[6:]} {v}" for k, v in case.values.items() if k.startswith("_lost_"))
            note = (
                f"kept {', '.join(f'{k} {v}' for k, v in changes.items() if k != 'conflicts')}, "
                f"overrode '{lost.get('action')}' ({lost_vals}) by {lost.get('by')}{where} at "
                f"{lost.get('at')} ({case.rule})"
            )
        else:
            note = f"assignee set to {changes['assignee']} ({case.rule})"
        entry = office.history_entry("resolve", None, None, note)
        text = records.edit_text(kind, copy.text, copy.data, changes, entry)
        txn.replace(copy.path, text)
        path = copy.path
        said.append(f"{kind.label} {case.id}: {note}")
    for what, step in case.undo:
        said += UNDO[what](office, case, step)
    office.messages.append(f"resolve {case.id}: {case.rule}")
    touched = []
    for op in txn.ops:
        touched += [p for p in (op.get("src"), op.get("path")) if p]
    return path, said, touched


# -- undoing a losing step, by the normal commands' code ---------------------------------


def _goods_back(office, case: Case, step: dict) -> list[str]:
    """The shipment lost: its pieces come back at the cost they left with; COGS reversed
    (Assets:Inventory / Expenses:COGS), as a customer's return is received."""
    from officecli.office import money
    from officecli.office.back import returns

    value, said = returns.goods_back(
        office,
        case.id,
        returns.returned(office, case.id),
        f"resolve: the ship of {case.id} was overridden",
        f"Resolve {case.id}: shipment overridden, goods back: ",
    )
    return [
        f"order {case.id}: goods back in stock ({', '.join(said) or 'nothing shipped'}), "
        f"COGS reversed {money.text(value)}"
    ]


def _lost_invoice(case: Case, step: dict) -> str | None:
    inv = case.values.get("_lost_invoice") or str(step.get("note") or "").split(" ")[0]
    if not inv:
        loser = next((c for c in case.copies if c.state == case.loser), None)
        inv = loser.data.get("invoice") if loser else None
    return str(inv) if inv else None


def series_site(office, case: Case) -> str | None:
    """The site that must settle ``case`` because undoing its losing step issues a number
    of a series that site owns (a credit note of site B's invoice series); None when
    this site may (or no series is involved)."""
    from officecli.office import numbering
    from officecli.store import ids

    for what, step in case.undo:
        if what != "credit_invoice":
            continue
        inv = _lost_invoice(case, step)
        rec = office.find_any(inv) if inv else None
        if rec is None:
            continue
        series = str(rec.get("series") or (ids.parse_id(rec.id) or ("", "", 0))[1])
        owner = numbering.series_owner(office, series)
        if owner and owner != office.config.site:
            return owner
    return None


def handed_line(case: Case, owner: str) -> str:
    """The one line for a case handed to the site that owns the series it needs."""
    return (
        f"{case.id}: {case.line().split(': ', 1)[1]} - handed to site {owner}, which owns the "
        f"series it needs: its next sync settles it (nothing to do here)"
    )


def owned_here(office, case: Case) -> bool:
    """A case decided by rule whose undo issues a number of this site's series (a credit
    note): what another site handed here."""
    return (
        case.settleable
        and any(what == "credit_invoice" for what, _ in case.undo)
        and series_site(office, case) is None
    )


def settle_owned(office, only: set[str] | None) -> list[str]:
    """For sync at the site that owns a series: settle every case handed to it (decided by
    rule, its undo issuing this site's number); what was done."""
    said: list[str] = []
    office.forget()
    from officecli.office import autocommit

    for case in cases(office, only):
        if not owned_here(office, case):
            continue
        with inmerge.in_work_tree(office, locked=False):  # sync holds the lock
            _, done, touched = _apply(office, case.id, None)
        site = office.config.site
        msg = (
            f"resolve {case.id}: {case.rule} (handed to site {site}, which owns the series)\n\n"
            + "\n".join(done)
            + f"\n\nOfficecli-Site: {site}\nOfficecli-User: {office.user}\nOfficecli-Records: {case.id}\n"
        )
        problem = autocommit.commit(office.root, sorted(set(touched)), msg, office.user, office.repo)
        if problem:
            raise UserError(f"{case.id}: settled, but git commit failed: {problem}")
        said += done
        office.forget()
    return said


def _credit_invoice(office, case: Case, step: dict) -> list[str]:
    """The invoice lost: credited in whole, as 'invoice credit' does."""
    from officecli.office.books import credits

    inv = _lost_invoice(case, step)
    if not inv:
        return [f"order {case.id}: no invoice named by the overridden step; nothing credited"]
    rec = office.find_any(str(inv))
    if rec is None or rec.state not in rec.kind.handoffs["credit"].sources:
        return [f"order {case.id}: invoice {inv} is not open or paid; nothing credited"]
    crn = credits.full(office, rec.id, reason=f"resolve {case.id}: {case.rule}")
    return [f"invoice {rec.id}: credited by {crn.id} ({case.id} {case.rule})"]


UNDO = {"goods_back": _goods_back, "credit_invoice": _credit_invoice}


def describe(office, ident: str) -> Record | None:
    """The record as it is now (after settling), for the face to show."""
    return office.find_any(ident)
