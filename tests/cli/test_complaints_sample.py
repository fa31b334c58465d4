"""The sample company's complaints and improvements cover every state (30-complaints.txt)."""

from __future__ import annotations

from officecli.cli import sample
from officecli.office.core import Office


def test_sample_has_complaints_and_improvements_in_every_state(tmp_path, monkeypatch):
    files = [sample.HERE / f for f in ("10-staff.txt", "20-sales.txt", "30-complaints.txt")]
    root = sample.build(tmp_path / "office", files=files)
    monkeypatch.setenv("OFFICECLI_NOW", "2026-11-26T10:00:00+02:00")
    office = Office.open(str(root))
    complaints = {r.id: r for r in office.records("complaint")}
    assert {r.state for r in complaints.values()} == set(office.kind("complaint").states)
    improvements = {r.id: r for r in office.records("improvement")}
    assert {r.state for r in improvements.values()} == set(office.kind("improvement").states)

    actions = {i: [h["action"] for h in r.get("history")] for i, r in complaints.items()}
    assert actions["CMP-A-0008"][:3] == ["add", "auto-forward", "overdue-first-response"]
    assert "reopen" in actions["CMP-A-0005"] and complaints["CMP-A-0005"].state == "working"
    assert "wait" in actions["CMP-A-0006"]
    for done in ("CMP-A-0001", "CMP-A-0004"):  # archived, still told
        assert actions[done][-1] == "improvement-done"
    assert improvements["IMP-A-0001"].get("complaints") == ["CMP-A-0001", "CMP-A-0004"]
    assert complaints["CMP-A-0006"].get("assignee_id", "").startswith("EMP-")
