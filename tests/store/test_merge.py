"""The three-way merge of one record (officecli/store/merge.py), as pure functions."""

from __future__ import annotations

import pytest

from officecli.store import merge, yamlio

KEY = ("at", "by", "action")

BASE = """\
id: CUS-A-0001
# η πελάτισσα από το Instagram
name: Μαρία Παπαδοπούλου   # γραμμένο με το χέρι
email: maria@example.gr
phone: +30 694 555 0101
tags:
- retail
history:
- at: '2026-10-02T10:15:00+03:00'
  by: EMP-A-0005 Νίκος Αλεξίου
  action: add
  to: active
"""


def entry(at: str, by: str = "A", action: str = "edit", note: str | None = None) -> str:
    text = f"- at: '{at}'\n  by: {by}\n  action: {action}\n"
    return text + (f"  note: {note}\n" if note else "")


def run(base: str, ours: str, theirs: str) -> merge.Merged:
    got = merge.merge(base, ours, theirs, history="history", entry_key=KEY, time_key="at")
    assert yamlio.loads(got.text) == got.data  # the text is exactly the data
    return got


def test_fields_changed_on_different_sides_are_both_taken_and_comments_kept():
    ours = BASE.replace("maria@example.gr", "maria@papadopoulou.gr")
    theirs = BASE.replace("+30 694 555 0101", "+30 210 555 0101")
    got = run(BASE, ours, theirs)
    assert got.clean and got.conflicts == []
    assert got.data["email"] == "maria@papadopoulou.gr"
    assert got.data["phone"] == "+30 210 555 0101"
    assert got.text == ours.replace("+30 694 555 0101", "+30 210 555 0101")  # one line changed
    assert "# η πελάτισσα από το Instagram" in got.text
    assert "# γραμμένο με το χέρι" in got.text
    assert got.kept_text_of == "both"


def test_comments_added_on_both_sides_are_both_kept():
    ours = BASE.replace("email:", "# Α: προτιμά email\nemail:").replace("maria@example.gr", "m@p.gr") + entry(
        "2026-10-03T10:00:00+03:00", "A"
    )
    theirs = BASE.replace("tags:", "# Β: πελάτισσα χονδρικής\ntags:").replace(
        "- retail", "- wholesale"
    ) + entry("2026-10-03T08:30:00+02:00", "B")
    got = run(BASE, ours, theirs)
    assert got.clean and got.kept_text_of == "both"
    assert "# Α: προτιμά email\nemail: m@p.gr\n" in got.text
    assert "# Β: πελάτισσα χονδρικής\ntags:\n- wholesale\n" in got.text
    assert [h["by"] for h in got.data["history"]][1:] == ["B", "A"]


def test_lines_merge_like_diff3():
    base = ["a\n", "b\n", "c\n", "d\n"]
    assert merge.merge_lines(base, ["a\n", "B\n", "c\n", "d\n"], ["a\n", "b\n", "c\n", "D\n"]) == [
        "a\n",
        "B\n",
        "c\n",
        "D\n",
    ]
    assert merge.merge_lines(base, ["a\n", "X\n", "c\n", "d\n"], ["a\n", "Y\n", "c\n", "d\n"]) is None
    assert merge.merge_lines(base, base + ["e\n"], base + ["f\n"]) is None  # both appended
    assert merge.merge_lines(base, base + ["e\n"], base + ["e\n"]) == base + ["e\n"]


def test_unchanged_stays_and_one_sided_change_wins_in_either_direction():
    changed = BASE.replace("Μαρία Παπαδοπούλου", "Μαρία Παπαδοπούλου-Νικολάου")
    for ours, theirs in ((BASE, changed), (changed, BASE)):
        got = run(BASE, ours, theirs)
        assert got.clean
        assert got.data["name"] == "Μαρία Παπαδοπούλου-Νικολάου"
        assert got.data["email"] == "maria@example.gr"
    assert run(BASE, BASE, BASE).text == BASE


def test_added_on_one_side_is_added_and_removed_on_one_side_is_removed():
    added = BASE.replace("tags:", "source: έκθεση Θεσσαλονίκης\ntags:")
    removed = BASE.replace("phone: +30 694 555 0101\n", "")
    got = run(BASE, removed, added)
    assert got.clean
    assert got.data["source"] == "έκθεση Θεσσαλονίκης"
    assert "phone" not in got.data
    assert list(got.data) == ["id", "name", "email", "source", "tags", "history"]
    assert "# γραμμένο με το χέρι" in got.text


def test_removed_on_one_side_and_changed_on_the_other_is_a_conflict():
    removed = BASE.replace("phone: +30 694 555 0101\n", "")
    changed = BASE.replace("+30 694 555 0101", "+30 210 555 0101")
    got = run(BASE, removed, changed)
    assert not got.clean
    assert got.conflicts == [{"field": "phone", "theirs": "+30 210 555 0101", "base": "+30 694 555 0101"}]
    assert "phone" not in got.data  # ours' choice (removed) stays


def test_both_sides_changing_a_field_differently_is_recorded_not_marked():
    ours = BASE.replace("maria@example.gr", "maria@papadopoulou.gr")
    theirs = BASE.replace("maria@example.gr", "μαρία@παράδειγμα.ελ")
    got = run(BASE, ours, theirs)
    assert not got.clean
    assert "<<<<<<<" not in got.text and "=======" not in got.text
    assert got.data["email"] == "maria@papadopoulou.gr"  # ours' value in the field
    assert got.data["conflicts"] == [
        {
            "field": "email",
            "ours": "maria@papadopoulou.gr",
            "theirs": "μαρία@παράδειγμα.ελ",
            "base": "maria@example.gr",
        }
    ]
    assert list(got.data)[-2:] == ["conflicts", "history"]  # before the history list
    assert "μαρία@παράδειγμα.ελ" in got.text  # Greek as written, not escaped
    assert "# γραμμένο με το χέρι" in got.text
    problems = merge.unsettled(got.data)
    assert len(problems) == 1 and "email" in problems[0] and "μαρία@παράδειγμα.ελ" in problems[0]


def test_the_same_change_on_both_sides_is_no_conflict():
    ours = BASE.replace("maria@example.gr", "maria@papadopoulou.gr")
    got = run(BASE, ours, ours)
    assert got.clean and got.text == ours


def test_history_is_the_union_in_time_order_across_offsets():
    # 10:00+03:00 is 07:00 UTC; 08:30+02:00 is 06:30 UTC: theirs' entry comes first
    ours = BASE + entry("2026-10-03T10:00:00+03:00", "A", "edit", "Αθήνα")
    theirs = BASE + entry("2026-10-03T08:30:00+02:00", "B", "edit", "Θεσσαλονίκη")
    got = run(BASE, ours, theirs)
    assert got.clean
    assert [(h["by"], h["at"]) for h in got.data["history"]] == [
        ("EMP-A-0005 Νίκος Αλεξίου", "2026-10-02T10:15:00+03:00"),
        ("B", "2026-10-03T08:30:00+02:00"),
        ("A", "2026-10-03T10:00:00+03:00"),
    ]
    assert "# γραμμένο με το χέρι" in got.text


def test_history_appended_later_on_the_other_side_is_appended_as_text():
    ours = BASE.replace("tags:", "# σημείωση του πωλητή\ntags:") + entry("2026-10-03T10:00:00+03:00", "A")
    theirs = BASE + entry("2026-10-04T09:00:00+03:00", "B", "note", "τηλεφώνησε")
    got = run(BASE, ours, theirs)
    assert got.clean
    assert got.text == ours + entry("2026-10-04T09:00:00+03:00", "B", "note", "τηλεφώνησε")


def test_the_other_sides_text_is_kept_when_it_is_the_one_to_append_to():
    ours = BASE + entry("2026-10-04T09:00:00+03:00", "A")
    theirs = BASE.replace("tags:", "# μόνο εδώ\ntags:") + entry("2026-10-03T10:00:00+03:00", "B")
    got = run(BASE, ours, theirs)
    assert got.clean
    assert got.text == theirs + entry("2026-10-04T09:00:00+03:00", "A")
    assert got.kept_text_of == "theirs"


def test_duplicate_history_entries_are_kept_once():
    same = entry("2026-10-03T10:00:00+03:00", "A", "forward")
    ours = BASE + same
    theirs = BASE + same + entry("2026-10-03T11:00:00+03:00", "B")
    got = run(BASE, ours, theirs)
    assert got.clean
    assert [h["action"] for h in got.data["history"]] == ["add", "forward", "edit"]
    doubled = run(BASE, BASE + same + same, BASE)
    assert [h["action"] for h in doubled.data["history"]] == ["add", "forward"]


def test_a_history_entry_removed_on_one_side_stays_removed():
    extra = entry("2026-10-03T10:00:00+03:00", "A", "oops")
    base = BASE + extra
    got = run(base, BASE, base + entry("2026-10-05T10:00:00+03:00", "B"))
    assert [h["action"] for h in got.data["history"]] == ["add", "edit"]


def test_lists_other_than_history_are_one_value():
    lines = "lines:\n- sku: MUG-AEG\n  qty: 2\n  price: '12.50'\n"
    base = BASE.replace("tags:", lines + "tags:")
    ours = base.replace("qty: 2", "qty: 3")
    theirs = base.replace("- retail", "- retail\n- wholesale")
    got = run(base, ours, theirs)
    assert got.clean
    assert got.data["lines"] == [{"sku": "MUG-AEG", "qty": 3, "price": "12.50"}]
    assert got.data["tags"] == ["retail", "wholesale"]
    both = run(base, ours, base.replace("qty: 2", "qty: 5"))
    assert [c["field"] for c in both.conflicts] == ["lines"]
    assert both.conflicts[0]["theirs"] == [{"sku": "MUG-AEG", "qty": 5, "price": "12.50"}]
    assert both.data["lines"][0]["qty"] == 3


def test_mappings_changed_on_both_sides_merge_key_by_key():
    base = "company:\n  name: Κεραμικά\nsites:\n  A:\n    name: Αθήνα\n"
    ours = base + "  B:\n    name: Θεσσαλονίκη\n"
    theirs = base + "  C:\n    name: Έκθεση\n"
    got = run(base, ours, theirs)
    assert got.clean
    assert got.data["sites"] == {
        "A": {"name": "Αθήνα"},
        "B": {"name": "Θεσσαλονίκη"},
        "C": {"name": "Έκθεση"},
    }
    clash = run(base, base.replace("Αθήνα", "Athens"), base.replace("Αθήνα", "Αθήνα, Ερμού"))
    assert [c["field"] for c in clash.conflicts] == ["sites.A.name"]


def test_no_common_ancestor_is_an_empty_base():
    got = run("", "id: X\nname: α\n", "id: X\nemail: e@x\n")
    assert got.clean and got.data == {"id": "X", "name": "α", "email": "e@x"}
    got = run("", "id: X\nname: α\n", "id: X\nname: β\n")
    assert got.conflicts == [{"field": "name", "ours": "α", "theirs": "β"}]  # no base key


def test_conflicts_already_recorded_merge_as_a_set_and_settled_ones_stay_settled():
    ours = BASE.replace("maria@example.gr", "a@x")
    theirs = BASE.replace("maria@example.gr", "b@x")
    first = run(BASE, ours, theirs)
    # ours settles it (field set, entry deleted); theirs meanwhile adds history
    settled = first.text.replace("a@x", "c@x")
    settled = settled[: settled.index("conflicts:")] + settled[settled.index("history:") :]
    later = first.text + entry("2026-10-09T10:00:00+03:00", "B")
    got = run(first.text, settled, later)
    assert got.clean and "conflicts" not in got.data
    assert got.data["email"] == "c@x"
    # both sides keep the open one: it stays, once
    again = run(first.text, first.text + entry("2026-10-09T10:00:00+03:00", "A"), later)
    assert again.clean and len(again.data["conflicts"]) == 1


def test_same_instant_keeps_ours_then_theirs_order():
    ours = BASE + entry("2026-10-03T10:00:00+03:00", "A")
    theirs = BASE + entry("2026-10-03T09:00:00+02:00", "B")  # the same instant
    got = run(BASE, ours, theirs)
    assert [h["by"] for h in got.data["history"]][1:] == ["A", "B"]


@pytest.mark.parametrize("side", ["base", "ours", "theirs"])
@pytest.mark.parametrize("bad", ["id: [unclosed\n", "- a list\n- not a mapping\n", "just text\n"])
def test_a_side_that_is_not_a_mapping_is_not_mergeable(side, bad):
    texts = {"base": BASE, "ours": BASE, "theirs": BASE, side: bad}
    with pytest.raises(merge.NotMergeable) as caught:
        merge.merge(texts["base"], texts["ours"], texts["theirs"])
    assert caught.value.side == side


def test_a_damaged_layout_is_dumped_whole_in_ours_key_order():
    ours = "{id: X, name: α, history: [{at: '2026-10-01T10:00:00+03:00', by: A, action: add}]}\n"
    theirs = ours.replace("name: α", "name: β").replace(
        "}]}", "}, {at: '2026-10-02T10:00:00+03:00', by: B, action: edit}]}"
    )
    got = run(ours, ours, theirs)
    assert got.clean and got.data["name"] == "β" and len(got.data["history"]) == 2
    assert list(got.data) == ["id", "name", "history"]


def test_unsettled_says_nothing_for_a_clean_record():
    assert merge.unsettled(yamlio.loads(BASE)) == []
    assert merge.unsettled({"conflicts": "x"})[0].startswith("conflicts:")


def test_a_key_written_quoted_is_never_doubled():
    base = "'12': a\nname: x\n"
    got = run(base, "'12': b\nname: x\n", "'12': a\nname: y\n")
    assert got.clean and got.data == {"12": "b", "name": "y"}
    assert got.text.count("12") == 1


def test_a_history_only_one_side_changed_is_taken_as_it_is():
    late = entry("2026-10-09T10:00:00+03:00", "A", "late")
    early = entry("2026-10-01T10:00:00+03:00", "A", "written-later")  # out of order, by hand
    ours = BASE + late + early
    theirs = BASE.replace("maria@example.gr", "m@x.gr")
    got = run(BASE, ours, theirs)
    assert [h["action"] for h in got.data["history"]] == ["add", "late", "written-later"]
    assert got.text == ours.replace("maria@example.gr", "m@x.gr")
