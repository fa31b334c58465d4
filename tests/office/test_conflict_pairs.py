"""Issue 27: every pair of steps has a rule or a safe question.

The table is derived from workflows.yaml, never a hand list: for every kind with
steps, every state a record can be in, and every two different sequences of one or
two steps that two sites may take from there (ending in two different folders), the
settling code (resolve.judge, the one sync and `officecli resolve` use) must either
decide by rule, keeping every step that moved goods or money or issued a document
(or undoing it by the normal command), or ask a person with answers each of which
keeps them; an answer that would drop such a step is refused.
"""

from __future__ import annotations

from itertools import product

import pytest

from officecli.office.sites import resolve
from officecli.office.workflows import conflict_rule, kinds
from officecli.store.errors import UserError


def _paths(kind, start: str, most: int = 2) -> list[list[tuple[str, str]]]:
    """Every sequence of 1..most steps (verb, state reached) from ``start``."""
    out, frontier = [], [[]]
    for _ in range(most):
        nxt = []
        for path in frontier:
            here = path[-1][1] if path else start
            for verb, step in kind.handoffs.items():
                if here in step.sources:
                    nxt.append([*path, (verb, step.target)])
        out += nxt
        frontier = nxt
    return out


def _copy(kind, start: str, path, site: str, hour: int) -> resolve.Copy:
    history = [{"at": "2026-11-02T09:00:00+02:00", "by": "a", "action": "add", "to": start}]
    for i, (verb, to) in enumerate(path):
        prev = path[i - 1][1] if i else start
        at = f"2026-11-03T{hour + i:02d}:00:00+02:00"
        history.append({"at": at, "by": f"user-{site}", "site": site, "action": verb, "from": prev, "to": to})
    state = path[-1][1]
    data = {"id": "X-A-0001", "created": history[0]["at"], "history": history}
    return resolve.Copy(f"{kind.states[state]}/X-A-0001.yaml", state, "", data)


def _pairs():
    for kind in kinds().values():
        if not kind.handoffs:
            continue
        for start in kind.states:
            paths = _paths(kind, start)
            for p, q in product(paths, paths):
                if p[-1][1] < q[-1][1]:  # two different folders, each pair once
                    yield kind, start, p, q


PAIRS = list(_pairs())


def test_the_table_covers_every_kind_with_steps():
    named = {k.name for k, *_ in PAIRS}
    two_ways = {
        k.name for k in kinds().values() if any(len({p[-1][1] for p in _paths(k, s)}) > 1 for s in k.states)
    }  # (an employee only ends: one way out)
    assert named == two_ways and {"order", "complaint", "invoice", "purchase"} <= named, named
    assert len(PAIRS) > 100


@pytest.mark.parametrize(
    "kind,start,p,q",
    PAIRS,
    ids=[f"{k.name}:{s}:{'+'.join(v for v, _ in p)}|{'+'.join(v for v, _ in q)}" for k, s, p, q in PAIRS],
)
def test_every_pair_has_a_rule_or_a_safe_question(kind, start, p, q):
    a, b = _copy(kind, start, p, "A", 10), _copy(kind, start, q, "B", 11)
    rule = conflict_rule(kind.name)
    winner, why, problem = resolve.judge(kind, [a, b])
    by = {a.state: a, b.state: b}
    other = {a.state: b, b.state: a}
    if winner is not None:
        assert problem is None and why
        assert resolve.unsafe(kind, by[winner], other[winner]) == [], (winner, why)
        dropped = resolve.lost_steps(by[winner], other[winner])
        stands = rule.stands.get(winner, ())
        assert all(e["action"] not in rule.effects or e["action"] in (*rule.undo, *stands) for e in dropped)
    else:
        assert problem, "no winner and no question"
        answers = []
        for state in (a.state, b.state):
            try:
                resolve.judge(kind, [a, b], keep=state)
            except UserError as exc:
                assert "would drop" in str(exc) and "nothing was changed" in str(exc)
                continue
            assert resolve.unsafe(kind, by[state], other[state]) == []
            answers.append(state)
        assert answers, f"no safe answer: {problem}"


def test_forward_against_forward_and_ship_keeps_shipped():
    kind = kinds()["order"]
    a = _copy(kind, "open", [("forward", "inbox")], "A", 10)
    b = _copy(kind, "open", [("forward", "inbox"), ("ship", "shipped")], "B", 11)
    winner, why, problem = resolve.judge(kind, [a, b])
    assert (winner, problem) == ("shipped", None) and "beats" in why
    assert resolve.lost_steps(b, a) == []  # the forward is the same step, taken twice


def test_a_keep_that_drops_a_payment_is_refused():
    kind = kinds()["order"]
    a = _copy(kind, "invoiced", [("close", "closed")], "A", 10)
    b = _copy(kind, "invoiced", [("close", "closed"), ("unpay", "invoiced")], "B", 11)
    with pytest.raises(UserError, match="--keep closed would drop 'unpay'"):
        resolve.judge(kind, [a, b], keep="closed")
    assert resolve.judge(kind, [a, b])[0] == "invoiced"
