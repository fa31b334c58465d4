"""The seeded soak of three sites (issue 27): random work, parallel syncs, SIGKILLs, a site
offline, closes, renumbers and cron's automatic steps, every invariant checked after every
round (tests/git/soak.py says which).

    SOAK_SEED=N      the seed (default 1, as CI runs it; 'random': a new one, printed on failure)
    SOAK_ROUNDS=N    rounds (default 50)
    SOAK_OPS=N       operations a round (default 5)
    SOAK_SKIP=a,b    operations left out (names: tests/git/soak.py World.WEIGHTS)
    SOAK_HR=A        HR kept at site A only (default: every site, `hr git-init --remote`)
    SOAK_KEEP_GOING=1  go on after a broken round and report every broken invariant
                       once, with its first round (for the lead; a failure still fails)
    SOAK_LOG=PATH    also append each broken round's report to PATH as it happens
"""

from __future__ import annotations

import os
import random
import shutil

import pytest

from tests.git.soak import describe, world

pytestmark = [
    pytest.mark.soak,  # not in .ci/run yet: seed 2 still strands a site (issue 27's note)
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]


def test_three_sites_soak(tmp_path):
    given = os.environ.get("SOAK_SEED") or "1"  # CI: one seed, the same run every time
    seed = random.SystemRandom().randrange(10**6) if given == "random" else int(given)
    rounds = int(os.environ.get("SOAK_ROUNDS") or 50)
    skip = frozenset(x for x in (os.environ.get("SOAK_SKIP") or "").split(",") if x)
    keep_going = os.environ.get("SOAK_KEEP_GOING") == "1"
    print(f"soak seed {seed}")
    w = world(
        tmp_path,
        seed,
        hr_all=os.environ.get("SOAK_HR", "all") != "A",
        skip=skip,
        ops=int(os.environ.get("SOAK_OPS") or 5),
        rounds=rounds,
    )
    reports: list[str] = [describe(w, w.broken)] if w.broken else []  # the setup (HR at B and C)
    first: dict[tuple[str, str], int] = {(b.invariant, b.site): 0 for b in w.broken}
    if reports and not keep_going:
        rounds = 0
    for _ in range(rounds):
        found = w.round()
        if not found:
            continue
        new = [b for b in found if (b.invariant, b.site) not in first]
        for b in new:
            first[(b.invariant, b.site)] = b.round
        if new:
            reports.append(describe(w, new))
            if os.environ.get("SOAK_LOG"):
                with open(os.environ["SOAK_LOG"], "a", encoding="utf-8") as log:
                    log.write(reports[-1] + "\n")
        if not keep_going:
            break
    assert not reports, f"seed {seed}: {len(reports)} broken round(s)\n" + "\n".join(reports)
    if rounds >= 50 and not skip:  # the run did what the soak must do, not only survive
        did = {
            k: v
            for k, v in w.done.items()
            if k.split(" ")[0] in ("ledger", "complaint", "renumber", "twice", "resolve", "SIGKILL")
        }
        print(f"soak seed {seed}: {dict(sorted(did.items()))}")
        for must in ("ledger close", "complaint escalate", "SIGKILL"):
            assert w.done[must], f"seed {seed}: {rounds} rounds and no {must}: {dict(w.done)}"
