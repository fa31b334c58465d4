"""SIGKILL in the middle of `purchase receive` and `return receive`: all or nothing.

The same machinery as test_crash_commands.py (a real process killed by
``$OFFICECLI_CRASH_AT`` between two durable steps of its one transaction, then
recovered by doctor --repair, a retry or another writer), on the sample
company's partly received purchase order PO-A-0004 (stock move + ledger entry
+ the PO's history, or its move to received) and its requested return
RMA-A-0002 (stock move + ledger entry + the return's move to received).
"""

from __future__ import annotations

import pytest

import tests.robust.test_crash_commands as base

COMMANDS = {
    "purchase-receive": ["purchase", "receive", "PO-A-0004"],
    "return-receive": ["return", "receive", "RMA-A-0002"],
}
MUST = {
    "purchase-receive": [
        "+back/purchases/received/PO-A-0004.yaml",
        "-back/purchases/ordered/PO-A-0004.yaml",
        "+back/stock/",
        "+back/ledger/",
    ],
    "return-receive": [
        "+back/returns/received/RMA-A-0002.yaml",
        "-back/returns/requested/RMA-A-0002.yaml",
        "+back/stock/",
        "+back/ledger/",
    ],
}
base.COMMANDS.update(COMMANDS)  # Reference and crash_then_recover look the command up there
base.MUST.update(MUST)


@pytest.fixture(scope="module")
def references(tmp_path_factory):
    made: dict[str, base.Reference] = {}

    def get(name: str) -> base.Reference:
        if name not in made:
            made[name] = base.Reference(name, tmp_path_factory.mktemp(f"ref-{name}"))
        return made[name]

    return get


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_clean_run_touches_every_file_it_should(name, references):
    ref = references(name)
    added = {k for k in ref.after if k not in ref.before}
    removed = {k for k in ref.before if k not in ref.after}
    for want in MUST[name]:
        sign, frag = want[0], want[1:]
        pool = {"+": added, "-": removed}[sign]
        assert any(frag in p for p in pool), f"{name}: nothing {sign}{frag} in {sorted(pool)}"
    assert len(ref.ops) >= 3, f"{name} is not a multi-file command: {ref.ops}"


@pytest.mark.parametrize("name", list(COMMANDS))
def test_sigkill_before_the_commit_point_and_while_applying(name, references, tmp_path):
    ref = references(name)
    middle = next(p for p in ref.points if p.startswith("moved:"))
    for point, how in (("staged", "retry"), (middle, "repair"), (f"applied:{len(ref.ops) - 1}", "writer")):
        base.crash_then_recover(tmp_path, ref, point, how)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(COMMANDS))
def test_sigkill_at_every_point_with_every_recovery(name, references, tmp_path):
    ref = references(name)
    for point in ref.points:
        for how in base.HOWS:
            base.crash_then_recover(tmp_path, ref, point, how)
