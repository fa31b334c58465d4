"""office/sites/mergecheck.py: what a merge may break, record by record (pure: no git)."""

from officecli.office.sites.mergecheck import check, kind_of, placement
from officecli.office.workflows import kind

COMPLAINT = """\
id: CMP-A-0002
customer: CUS-A-0001
text: Λάθος χρώμα
history:
- at: '2026-11-03T10:00:00+02:00'
  by: anna
  action: add
  to: new
- at: '2026-11-03T10:05:00+02:00'
  by: anna
  action: forward
  from: new
  to: inbox
"""


def test_placement_follows_the_last_destination():
    from officecli.store import yamlio

    data = yamlio.loads(COMPLAINT)
    k = kind("complaint")
    assert placement(k, "back/complaints/inbox/CMP-A-0002.yaml", data) is None
    said = placement(k, "back/complaints/working/CMP-A-0002.yaml", data)
    assert said.startswith("its history ends 'to: inbox' but the file is in back/complaints/working/")
    assert placement(k, "back/complaints/working/CMP-A-0002.yaml", {"id": "x"}) is None  # no history
    assert kind_of("back/complaints/working/CMP-A-0002.yaml")[1] == "working"
    assert kind_of("office.yaml") is None


def test_check_names_each_record_once_with_both_sides():
    ours = {"CMP-A-0002": "working (take by bob at T)"}
    files = {
        "back/complaints/working/CMP-A-0002.yaml": COMPLAINT,  # misfiled
        "back/complaints/inbox/CMP-A-0003.yaml": COMPLAINT.replace("0002", "0003"),  # fine
        "front/customers/CUS-A-0001.yaml": "id: CUS-A-0001\nname: x\nconflicts:\n- field: email\n"
        "  ours: a@x.gr\n  theirs: b@x.gr\n",
        "front/customers/CUS-A-0002.yaml": "id: CUS-A-0002\n<<<<<<< ours\nname: a\n=======\nname: b\n"
        ">>>>>>> theirs\n",
        "back/orders/inbox/ORD-A-0001.yaml": "id: ORD-A-0001\n",
    }
    everywhere = {
        "ORD-A-0001": ["back/orders/inbox/ORD-A-0001.yaml", "archive/orders/cancelled/2026/ORD-A-0001.yaml"]
    }
    found = {f.record: f.line for f in check(files, everywhere, set(), ours, {})}
    assert sorted(found) == ["CMP-A-0002", "CUS-A-0001", "CUS-A-0002", "ORD-A-0001"]
    assert "ours: working (take by bob at T); theirs: unchanged" in found["CMP-A-0002"]
    assert "email: ours 'a@x.gr', theirs 'b@x.gr'" in found["CUS-A-0001"]
    assert "conflict markers" in found["CUS-A-0002"] and ":2 " in found["CUS-A-0002"]
    assert "in 2 folders" in found["ORD-A-0001"] and "officecli resolve ORD-A-0001" in found["ORD-A-0001"]
    # a file only one side changed, where its last 'to:' says: not even parsed
    quick = {"back/complaints/inbox/CMP-A-0003.yaml": COMPLAINT.replace("0002", "0003") + "  : [\n"}
    assert check(quick, {}, set(), {}, {}, both=set()) == []
    assert len(check(quick, {}, set(), {}, {}, both=set(quick))) == 1  # both: parsed
