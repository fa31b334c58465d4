"""A handoff appends history lines and keeps every byte a person wrote."""

from officecli.office.core import Office
from officecli.office.records import with_changes, with_history
from officecli.store import yamlio

HAND_EDITED = """\
id: ORD-A-0001
customer: CUS-A-0001   # VIP: call before shipping
lines:
- sku: MUG
  qty: 2
# the customer asked for gift wrapping
created: '2026-11-02T09:00:00+02:00'
history:
- at: '2026-11-02T09:00:00+02:00'
  by: maria
  action: add
  to: open
"""

ENTRY = {"at": "2026-11-02T10:00:00+02:00", "by": "nikos", "action": "forward", "from": "open", "to": "inbox"}


def test_history_is_appended_without_touching_the_rest():
    new = with_history(HAND_EDITED, yamlio.loads(HAND_EDITED), ENTRY)
    assert new.startswith(HAND_EDITED)
    assert new[len(HAND_EDITED) :] == (
        "- at: '2026-11-02T10:00:00+02:00'\n  by: nikos\n  action: forward\n  from: open\n  to: inbox\n"
    )


def test_indented_history_lists_keep_their_indent():
    text = (
        HAND_EDITED.replace("\n- at:", "\n  - at:")
        .replace("\n  by: maria", "\n    by: maria")
        .replace("\n  action: add", "\n    action: add")
        .replace("\n  to: open", "\n    to: open")
    )
    data = yamlio.loads(text)
    new = with_history(text, data, ENTRY)
    assert new is not None and new.startswith(text)
    assert yamlio.loads(new)["history"][-1] == ENTRY


def test_empty_history_and_history_not_last_fall_back_safely():
    text = "id: X\nhistory: []\n"
    new = with_history(text, yamlio.loads(text), ENTRY)
    assert yamlio.loads(new)["history"] == [ENTRY]
    not_last = "history:\n- at: x\n  by: y\n  action: add\nid: X\n"
    assert with_history(not_last, yamlio.loads(not_last), ENTRY) is None


def test_changed_fields_are_line_edits_that_keep_comments():
    new = with_changes(
        HAND_EDITED, yamlio.loads(HAND_EDITED), {"invoice": "INV-A-0001", "customer": "CUS-A-0002"}
    )
    assert "# the customer asked for gift wrapping" in new
    assert "customer: CUS-A-0002\n" in new
    assert yamlio.loads(new)["invoice"] == "INV-A-0001"
    assert new.index("invoice:") < new.index("history:")


def test_handoff_through_the_office_keeps_hand_edits(office):
    o = Office(office, "maria")
    with o.change():
        rec = o.create(
            "order",
            {
                "id": o.new_id("order"),
                "customer": "CUS-A-0001",
                "lines": [{"sku": "MUG-01", "name": "Mug", "qty": 1, "price": "12.50", "vat": "24"}],
            },
        )
    path = office / rec.path
    edited = path.read_text().replace("customer: CUS-A-0001", "customer: CUS-A-0001  # confirm by phone")
    path.write_text(edited)
    with o.change():
        moved = o.handoff(o.get("order", "1"), "forward", note="customer confirmed")
    text = (office / moved.path).read_text()
    assert not path.exists() and moved.path == "back/orders/inbox/ORD-A-0001.yaml"
    assert text.startswith(edited)
    assert text[len(edited) :].splitlines()[2:] == [
        "  action: forward",
        "  from: open",
        "  to: inbox",
        "  note: customer confirmed",
    ]
