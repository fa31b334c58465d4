"""Real commands killed with SIGKILL at every durable step of their one transaction.

Each multi-file command of the sample company runs as its own process with
``$OFFICECLI_CRASH_AT`` set, so it dies by ``kill -9`` exactly between two steps
of its commit (see officecli/store/txn.py). Then the next process recovers:
``doctor --repair``, the same command run again, or any other writer. The tree
must then be byte-for-byte either the tree before the command (killed before
the commit point) or the tree a clean run makes (killed after it), never a mix;
doctor and ledger check must pass and invoice numbers must stay gapless.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from tests.conftest import snapshot
from tests.robust.support import assert_healthy, copy_sample, inproc, numbers, officecli

COMMANDS = {
    # order move inbox -> shipped + one stock move per SKU + COGS posting
    "ship": ["order", "ship", "ORD-A-0010"],
    # new invoice + order move shipped -> invoiced + receivable/sales/VAT posting
    "invoice": ["order", "invoice", "ORD-A-0012"],
    # invoice open -> paid + order invoiced -> archive/orders/closed/2026 + bank posting
    "pay": ["invoice", "pay", "INV-A-0005", "all"],
    # several complaints due: an auto-forward (a move) and breach marks (rewrites)
    "escalate": ["complaint", "escalate"],
    # one posting per employee + the month's run record
    "payroll": ["payroll", "run", "2026-12"],
}

# What a whole run must have done (added '+' / removed '-'; a fragment of the path).
MUST = {
    "ship": [
        "+back/orders/shipped/ORD-A-0010.yaml",
        "-back/orders/inbox/ORD-A-0010.yaml",
        "+back/stock/",
        "+back/ledger/",
    ],
    "invoice": [
        "+back/invoices/open/INV-A-0006.yaml",
        "+back/orders/invoiced/ORD-A-0012.yaml",
        "-back/orders/shipped/ORD-A-0012.yaml",
        "+back/ledger/",
    ],
    "pay": [
        "+back/invoices/paid/INV-A-0005.yaml",
        "-back/invoices/open/INV-A-0005.yaml",
        "+archive/orders/closed/2026/ORD-A-0008.yaml",
        "-back/orders/invoiced/ORD-A-0008.yaml",
        "+back/ledger/",
    ],
    "escalate": [
        "+back/complaints/inbox/CMP-A-0009.yaml",
        "-front/complaints/new/CMP-A-0009.yaml",
        "~back/complaints/working/CMP-A-0005.yaml",
    ],
    "payroll": ["+back/hr/payroll/2026-12.yaml", "+back/ledger/2026/12/"],
}


class Reference:
    """A clean run of one command: the tree before and after, its output, its crash points."""

    def __init__(self, name: str, base: Path):
        self.name = name
        clean = copy_sample(base / "clean")
        self.before = snapshot(clean)
        res = officecli(clean, *COMMANDS[name])
        assert res.returncode == 0, res.stderr
        self.stdout = res.stdout
        self.after = snapshot(clean)
        # the journal of a run killed at its commit point names every operation
        probe = copy_sample(base / "probe")
        res = officecli(probe, *COMMANDS[name], OFFICECLI_CRASH_AT="journaled")
        assert res.returncode == -signal.SIGKILL
        (txn,) = (probe / ".officecli/txn").iterdir()
        self.ops = json.loads((txn / "journal.json").read_text("utf-8"))["ops"]
        self.points = ["staged", "journaled"]
        for i, op in enumerate(self.ops):
            if op["op"] == "move":
                self.points.append(f"moved:{i}")
            self.points.append(f"applied:{i + 1}")

    def key_points(self) -> list[str]:
        """Just before the commit point (for the order and invoice commands), and the first
        move (or the middle) of applying; every point is in the slow test below."""
        middle = next(
            (p for p in self.points if p.startswith("moved:")), f"applied:{max(1, len(self.ops) // 2)}"
        )
        return ["staged", middle] if self.name in ("ship", "invoice", "pay") else [middle]


@pytest.fixture(scope="module")
def references(tmp_path_factory):
    made: dict[str, Reference] = {}

    def get(name: str) -> Reference:
        if name not in made:
            made[name] = Reference(name, tmp_path_factory.mktemp(f"ref-{name}"))
        return made[name]

    return get


def _without(snap: dict, path: str) -> dict:
    return {k: v for k, v in snap.items() if k != path}


def crash_then_recover(tmp: Path, ref: Reference, point: str, how: str) -> None:
    root = copy_sample(tmp / f"{point.replace(':', '-')}-{how}")
    before = snapshot(root)
    assert before == ref.before
    res = officecli(root, *COMMANDS[ref.name], OFFICECLI_CRASH_AT=point)
    assert res.returncode == -signal.SIGKILL, f"{point}: not killed: {res.returncode} {res.stderr}"
    txns = list((root / ".officecli/txn").iterdir())
    assert len(txns) == 1, "the killed writer left its transaction folder"
    committed = (txns[0] / "journal.json").exists()
    assert committed == (point != "staged")
    if not committed:
        assert snapshot(root) == before, "a change was visible before its commit point"
    res = inproc(root, "doctor")  # a reader meanwhile: told, not misled
    assert res.exit_code == 1 and "interrupted transaction" in res.output, res.output

    wanted = ref.after if committed else before
    if how == "repair":
        res = officecli(root, "doctor", "--repair")
        assert res.returncode == 0, res.stdout + res.stderr
        assert ("finished" if committed else "undid") in res.stdout
        assert snapshot(root) == wanted
    elif how == "retry":  # the user runs the same command again
        res = officecli(root, *COMMANDS[ref.name])
        assert ("finished interrupted" if committed else "undid interrupted") in res.stderr
        if not committed:  # done now, exactly as a clean run does it
            assert res.returncode == 0, res.stderr
            assert res.stdout == ref.stdout  # same numbers (INV-A-0006...): none was used up
        else:  # already done: refused, or nothing to do
            assert res.returncode in (0, 1), res.stderr
            if ref.name in ("escalate",):
                assert res.stdout == ""
        assert snapshot(root) == ref.after
    else:  # any other writer recovers first
        res = officecli(root, "customer", "add", "Πελάτης Μετά Την Κατάρρευση")
        assert res.returncode == 0, res.stderr
        assert ("finished" if committed else "undid") in res.stderr
        ident = res.stdout.split()[0]
        (new,) = [p for p in root.rglob(f"{ident}.yaml")]
        assert _without(snapshot(root), str(new.relative_to(root))) == wanted
    assert_healthy(root)
    for prefix in ("INV", "TXN"):
        got = numbers(root, prefix)
        assert got == list(range(1, len(got) + 1)), f"{prefix} numbers have a gap: {got}"


HOWS = ["repair", "retry", "writer"]


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_clean_run_touches_every_file_it_should(name, references):
    ref = references(name)
    added = {k for k in ref.after if k not in ref.before}
    removed = {k for k in ref.before if k not in ref.after}
    changed = {k for k in ref.before if k in ref.after and ref.before[k] != ref.after[k]}
    for want in MUST[name]:
        sign, frag = want[0], want[1:]
        pool = {"+": added, "-": removed, "~": changed}[sign]
        assert any(frag in p for p in pool), f"{name}: nothing {sign}{frag} in {sorted(pool)}"
    assert len(ref.ops) >= 2, f"{name} is not a multi-file command: {ref.ops}"


@pytest.mark.parametrize("name", list(COMMANDS))
def test_sigkill_at_key_points_is_all_or_nothing(name, references, tmp_path):
    ref = references(name)
    first = list(COMMANDS).index(name)  # so that every way of recovering is used
    for i, point in enumerate(ref.key_points()):
        crash_then_recover(tmp_path, ref, point, HOWS[(first + i) % len(HOWS)])


@pytest.mark.slow
@pytest.mark.parametrize("name", list(COMMANDS))
def test_sigkill_at_every_point_with_every_recovery(name, references, tmp_path):
    ref = references(name)
    for point in ref.points:
        for how in HOWS:
            crash_then_recover(tmp_path, ref, point, how)
