"""The read side stays never wrong while it gets faster: the stat cache, the
per-command memo of records, and the table renderer's fast width path."""

from __future__ import annotations

import os
import shutil

from officecli import render
from officecli.office.core import Office


def _customer(o: Office, name: str):
    with o.change():
        return o.create("customer", {"id": o.new_id("customer"), "name": name})


def test_a_fresh_clone_without_state_folder_gets_a_cache_on_first_read(office, cli):
    cli("customer", "add", "Μαρία")
    shutil.rmtree(office / ".officecli")  # what a git clone looks like
    cli("customer", "list")
    assert list((office / ".officecli" / "cache").glob("*.marshal"))


def test_reading_a_folder_that_is_not_an_office_leaves_no_state_folder(tmp_path):
    from officecli.store.tree import Store

    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "a.yaml").write_text("a: 1\n")
    s = Store(tmp_path / "x")
    assert s.load("a.yaml") == {"a": 1}
    s.close()
    assert not (tmp_path / "x" / ".officecli").exists()


def test_records_read_before_a_change_are_not_served_inside_or_after_it(office):
    o = Office(office, "tester")
    _customer(o, "Πρώτη")
    before = o.records("customer")
    assert [c.get("name") for c in before] == ["Πρώτη"]
    with o.change():
        rec = o.create("customer", {"id": o.new_id("customer"), "name": "Δεύτερη"})
        assert {c.get("name") for c in o.records("customer")} == {"Πρώτη", "Δεύτερη"}
        o.note(before[0], "edit", changes={"email": "a@example.gr"})
        assert o.get("customer", before[0].id).get("email") == "a@example.gr"
    after = o.records("customer")
    assert {c.get("name") for c in after} == {"Πρώτη", "Δεύτερη"}
    assert o.get("customer", before[0].id).get("email") == "a@example.gr"
    assert o.get("customer", rec.id).get("name") == "Δεύτερη"


def test_a_hand_edit_between_commands_is_seen(office, cli):
    cli("customer", "add", "Μαρία")
    cli("customer", "list")  # warm cache
    path = next((office / "front" / "customers").glob("*.yaml"))
    text = path.read_text("utf-8").replace("Μαρία", "Μαρίνα")
    os.remove(path)
    path.write_text(text, "utf-8")
    assert "Μαρίνα" in cli("customer", "list").output


def test_the_fast_width_path_draws_the_same_table_as_wcwidth():
    import tabulate

    items = [
        {"id": "CUS-A-0001", "name": "Μαρία Παπαδοπούλου — €12.50"},
        {"id": "CUS-A-0002", "name": "Zoë “quoted”"},
    ]
    fast = render.rows(items, "table", [("id", "ID"), ("name", "Name")])
    slow = tabulate.tabulate(
        [[i["id"], i["name"]] for i in items],
        headers=["ID", "NAME"],
        tablefmt="simple",
        disable_numparse=True,
    )
    assert fast == slow
    wide = [{"id": "X", "name": "陶器"}, {"id": "Y", "name": "e\u0301"}]  # wide and combining
    out = render.rows(wide, "table", [("id", "ID"), ("name", "Name")])
    assert out == tabulate.tabulate(
        [["X", "陶器"], ["Y", "e\u0301"]], headers=["ID", "NAME"], tablefmt="simple", disable_numparse=True
    )
    assert tabulate.WIDE_CHARS_MODE  # restored


def test_version_is_the_installed_distributions(cli):
    from importlib.metadata import version

    assert cli("--version").output == f"officecli, version {version('officecli')}\n"


def test_the_simple_drawing_is_tabulates_byte_for_byte():
    import random

    import tabulate

    rnd = random.Random(13)
    alphabet = "ab Z0123456789.-,:€Ωλά—“ \xa0"
    for _ in range(400):
        ncol, nrow = rnd.randint(1, 6), rnd.randint(1, 8)
        headers = ["".join(rnd.choice("ABCD ") for _ in range(rnd.randint(0, 9))) for _ in range(ncol)]
        cells = [
            ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 14))) for _ in range(ncol)]
            for _ in range(nrow)
        ]
        align = [rnd.choice(("left", "right")) for _ in range(ncol)]
        want = tabulate.tabulate(
            cells, headers=headers, tablefmt="simple", disable_numparse=True, colalign=align
        )
        assert render.simple(headers, cells, align) == want, (headers, cells, align)
