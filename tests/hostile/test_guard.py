"""One guard for every path officecli touches (issue 22, points 5, 7 and 8).

Each case plants one thing in a copy of the sample company beside a canary folder and
runs commands as real processes through the hostile-tree property
(tests/hostile/harness.py): finishes, exit 0 or exit 1 with one line, nothing outside
the root changed, a refusal changes nothing inside.
"""

from __future__ import annotations

import os

import pytest

from tests.hostile.harness import check, make_case


def _export(out) -> tuple:
    return ("ledger", "export", "--to", "hledger", "-o", str(out))


@pytest.mark.parametrize("kind", ["link_out", "link_office", "office_yaml", "dotdot", "fifo", "hardlink"])
def test_every_output_file_goes_through_the_guard(tmp_path, kind):
    root, canary = make_case(tmp_path)
    out = tmp_path / "books.journal"
    if kind == "link_out":
        os.symlink(canary / "victim.txt", out)
    elif kind == "link_office":
        os.symlink(root / "office.yaml", out)
    elif kind == "office_yaml":
        out = root / "office.yaml"
    elif kind == "dotdot":
        out = canary / ".." / "records" / "office.yaml"
    elif kind == "fifo":
        os.mkfifo(out)
    else:
        os.link(canary / "victim.txt", out)
    office = (root / "office.yaml").read_bytes()
    res = check(root, canary, _export(out))
    assert res.returncode == 1 and "-o" in res.stderr, res.stdout
    assert (root / "office.yaml").read_bytes() == office


def test_an_output_file_elsewhere_is_written(tmp_path):
    root, canary = make_case(tmp_path)
    out = tmp_path / "books.journal"
    res = check(root, canary, _export(out))
    assert res.returncode == 0 and out.read_text().strip()
