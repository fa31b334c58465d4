"""The records merge driver under real git: a bare remote, two clones, `git pull --no-rebase`.

Each test works at two sites (Athens A, Thessaloniki B) with officecli as real
processes, commits by hand, and pulls. What two sites do to different fields
of one record, or to its history, merges with no conflict and no person; two
sites setting one field differently is a conflict git reports, with the file
still valid YAML, both values under `conflicts:` and doctor naming it; two
receipts of one product merge with no conflict at all and the right cost.
"""

from __future__ import annotations

import json

from tests.git.repos import company, markers, merging, unmerged

CUS = "front/customers/CUS-A-0001.yaml"


def _customer(a, b):
    out = a.run(
        "customer",
        "add",
        "Μαρία Παπαδοπούλου",
        "--email",
        "maria@example.gr",
        "--phone",
        "+30 694 555 0101",
        "--format",
        "ids",
    ).stdout.strip()
    assert out == "CUS-A-0001"
    a.commit("customer add")
    a.push()
    assert b.pull().returncode == 0


def _clean(site) -> None:
    assert not merging(site) and not unmerged(site)
    assert markers(site.root) == []
    res = site.read("doctor")
    assert res.exit_code == 0, res.output


def test_different_fields_of_one_customer_both_kept(tmp_path):
    a, b = company(tmp_path)
    _customer(a, b)
    # a person's comment at A, then A changes the email; B changes the phone and a tag
    text = a.text(CUS).replace("email:", "# ζήτησε τιμολόγιο κάθε φορά\nemail:")
    (a.root / CUS).write_text(text, "utf-8")
    a.run("customer", "edit", "1", "--email", "maria@papadopoulou.gr", now="2026-11-03T10:00:00+02:00")
    a.commit("A: email")
    a.push()
    b.run(
        "customer",
        "edit",
        "1",
        "--phone",
        "+30 2310 555 010",
        "--add-tag",
        "vip",
        now="2026-11-03T09:30:00+02:00",
    )
    b.commit("B: phone")
    res = b.pull()
    assert res.returncode == 0, res.stdout + res.stderr
    assert "CONFLICT" not in res.stdout
    got = b.data(CUS)
    assert (got["email"], got["phone"], got["tags"]) == ("maria@papadopoulou.gr", "+30 2310 555 010", ["vip"])
    assert [(h["action"], h["by"]) for h in got["history"]] == [
        ("add", "user-A"),
        ("edit", "user-B"),
        ("edit", "user-A"),
    ]  # time order
    assert "# ζήτησε τιμολόγιο κάθε φορά" in b.text(CUS)
    assert "conflicts" not in got
    _clean(b)
    b.push()
    assert a.pull().returncode == 0
    assert a.text(CUS) == b.text(CUS)
    _clean(a)


def _order(a, b):
    a.run("product", "add", "MUG-AEG", "--name", "Κούπα Αιγαίο", "--price", "12.50", "--cost", "4.20")
    a.run("product", "add", "BOWL-MIL", "--name", "Μπολ Μήλος", "--price", "9.80", "--cost", "3.10")
    a.run("customer", "add", "Γιώργος Οικονόμου", "--email", "g@example.gr")
    order = a.run("order", "add", "--customer", "1", "MUG-AEG:2", "--format", "ids").stdout.strip()
    assert order == "ORD-A-0001"
    a.commit("order add")
    a.push()
    assert b.pull().returncode == 0
    return "front/orders/open/ORD-A-0001.yaml"


def test_one_open_order_note_at_one_site_lines_at_the_other(tmp_path):
    a, b = company(tmp_path)
    rel = _order(a, b)
    a.run("order", "edit", "1", "--note", "παράδοση μετά τις 15:00", now="2026-11-03T11:00:00+02:00")
    a.commit("A: note")
    a.push()
    b.run("order", "edit", "1", "--add", "BOWL-MIL:4", now="2026-11-03T12:00:00+02:00")
    b.commit("B: lines")
    res = b.pull()
    assert res.returncode == 0, res.stdout + res.stderr
    got = b.data(rel)
    assert got["note"] == "παράδοση μετά τις 15:00"
    assert [(line["sku"], line["qty"]) for line in got["lines"]] == [("MUG-AEG", 2), ("BOWL-MIL", 4)]
    assert [h["by"] for h in got["history"]] == ["user-A", "user-A", "user-B"]
    _clean(b)
    shown = json.loads(b.read("order", "show", "1", "--format", "json").output)
    shown = shown[0] if isinstance(shown, list) else shown
    assert shown["note"] == "παράδοση μετά τις 15:00"


def test_parallel_history_entries_on_one_complaint_are_a_union_in_time_order(tmp_path):
    a, b = company(tmp_path)
    a.run("customer", "add", "Ελένη Μάρκου", "--email", "e@example.gr")
    a.run("complaint", "add", "--customer", "1", "Η κούπα έφτασε ραγισμένη", now="2026-11-02T09:00:00+02:00")
    a.run("complaint", "forward", "1", now="2026-11-02T10:00:00+02:00")
    a.commit("complaint in the back office's inbox")
    a.push()
    assert b.pull().returncode == 0
    rel = "back/complaints/inbox/CMP-A-0001.yaml"
    # B's cron escalates first (first response overdue); A's later (resolution overdue too)
    b.run("complaint", "escalate", now="2026-11-03T12:00:00+02:00")
    b.commit("B: escalate")
    b.push()
    a.run("complaint", "escalate", now="2026-11-05T12:00:00+02:00")
    a.commit("A: escalate")
    res = a.pull()
    assert res.returncode == 0, res.stdout + res.stderr
    history = a.data(rel)["history"]
    assert [(h["action"], h["at"][:10]) for h in history] == [
        ("add", "2026-11-02"),
        ("forward", "2026-11-02"),
        ("overdue-first-response", "2026-11-03"),  # B's, older; A's is the same step (its key): once
        ("overdue-resolution", "2026-11-05"),
    ]
    assert len({(h["at"], h["by"], h["action"]) for h in history}) == len(history)
    _clean(a)
    # merged again the other way round: nothing new, the same file
    a.push()
    assert b.pull().returncode == 0
    assert b.text(rel) == a.text(rel)


def test_the_same_field_set_differently_at_both_sites_is_a_reported_conflict(tmp_path):
    a, b = company(tmp_path)
    _customer(a, b)
    a.run("customer", "edit", "1", "--email", "maria@papadopoulou.gr", now="2026-11-03T10:00:00+02:00")
    a.commit("A: email")
    a.push()
    b.run("customer", "edit", "1", "--email", "m.papadopoulou@example.gr", now="2026-11-03T10:05:00+02:00")
    b.commit("B: email")
    res = b.pull()
    assert res.returncode != 0
    assert f"CONFLICT (content): Merge conflict in {CUS}" in res.stdout
    assert "email was changed on both sides" in res.stderr  # the driver's own line
    assert unmerged(b) == [CUS]
    assert markers(b.root) == []  # valid YAML, no markers
    got = b.data(CUS)
    assert got["email"] == "m.papadopoulou@example.gr"  # ours (B's) value stays
    assert got["conflicts"] == [
        {
            "field": "email",
            "ours": "m.papadopoulou@example.gr",
            "theirs": "maria@papadopoulou.gr",
            "base": "maria@example.gr",
        }
    ]
    assert [h["by"] for h in got["history"]] == ["user-A", "user-A", "user-B"]
    doctor = b.read("doctor")
    assert doctor.exit_code == 1
    said = [line for line in doctor.output.splitlines() if CUS in line]
    assert said and "email" in said[0] and "maria@papadopoulou.gr" in said[0], doctor.output
    # settling it: set the field, delete the entry, add, commit; doctor is clean again
    text = b.text(CUS)
    start = text.index("conflicts:")
    text = text[:start] + text[text.index("history:") :]
    (b.root / CUS).write_text(text.replace("m.papadopoulou@example.gr", "maria@papadopoulou.gr"), "utf-8")
    b.commit("settle the email")
    _clean(b)


def test_parallel_receipts_of_one_product_merge_cleanly_with_the_right_cost(tmp_path):
    a, b = company(tmp_path)
    a.run("product", "add", "MUG-AEG", "--name", "Κούπα Αιγαίο 350ml", "--price", "12.50")
    a.commit("product add")
    a.push()
    assert b.pull().returncode == 0
    a.run("stock", "receive", "MUG-AEG", "10", "--cost", "4.00", now="2026-11-03T10:00:00+02:00")
    a.commit("A: receive")
    a.push()
    b.run("stock", "receive", "MUG-AEG", "20", "--cost", "5.00", now="2026-11-03T11:00:00+02:00")
    b.run("stock", "receive", "MUG-AEG", "3", "--cost", "4.10", now="2026-11-03T11:30:00+02:00")
    b.commit("B: receive")
    res = b.pull()
    assert res.returncode == 0, res.stdout + res.stderr
    assert "CONFLICT" not in res.stdout and "Auto-merging" not in res.stdout  # nothing to merge by hand
    _clean(b)
    ledger = b.read("ledger", "check")
    assert ledger.exit_code == 0, ledger.output
    rows = {r["sku"]: r for r in json.loads(b.read("stock", "list", "--format", "json").output)}
    # (10 x 4.00 + 20 x 5.00 + 3 x 4.10) / 33 = 152.30 / 33 = 4.6151..
    assert (rows["MUG-AEG"]["on_hand"], rows["MUG-AEG"]["cost"], rows["MUG-AEG"]["value"]) == (
        33,
        "4.62",
        "152.30",
    )
    b.push()
    assert a.pull().returncode == 0
    rows = {r["sku"]: r for r in json.loads(a.read("stock", "list", "--format", "json").output)}
    assert (rows["MUG-AEG"]["on_hand"], rows["MUG-AEG"]["cost"], rows["MUG-AEG"]["value"]) == (
        33,
        "4.62",
        "152.30",
    )


def test_a_broken_record_is_left_to_gits_line_merge_with_markers(tmp_path):
    a, b = company(tmp_path)
    _customer(a, b)
    (a.root / CUS).write_text(a.text(CUS).replace("email: maria@example.gr", "email: [broken"), "utf-8")
    a.commit("A: a bad hand edit")
    a.push()
    b.run("customer", "edit", "1", "--email", "maria@papadopoulou.gr")
    b.commit("B: email")
    res = b.pull()
    assert res.returncode != 0
    assert "not valid YAML" in res.stderr and "conflict markers" in res.stderr
    assert markers(b.root) == [CUS]
    assert unmerged(b) == [CUS]


def test_one_sku_added_at_both_sites_merges_with_no_common_ancestor(tmp_path):
    """add/add: git gives the driver an empty BASE; equal fields merge, the price both
    set differently is a conflict, both 'add' entries are kept."""
    a, b = company(tmp_path)
    rel = "back/products/MUG-AEG.yaml"
    a.run(
        "product",
        "add",
        "MUG-AEG",
        "--name",
        "Κούπα Αιγαίο",
        "--price",
        "12.50",
        now="2026-11-03T10:00:00+02:00",
    )
    a.commit("A: product")
    a.push()
    b.run(
        "product",
        "add",
        "MUG-AEG",
        "--name",
        "Κούπα Αιγαίο",
        "--price",
        "13.00",
        now="2026-11-03T10:30:00+02:00",
    )
    b.commit("B: product")
    res = b.pull()
    assert res.returncode != 0 and f"Merge conflict in {rel}" in res.stdout
    got = b.data(rel)
    assert got["name"] == "Κούπα Αιγαίο" and got["price"] == "13.00"
    assert [c["field"] for c in got["conflicts"]] == ["price", "created"]
    assert "base" not in got["conflicts"][0]
    assert [h["at"][11:16] for h in got["history"]] == ["10:00", "10:30"]
    assert markers(b.root) == []


def test_the_driver_prints_nothing_on_stdout(tmp_path):
    """git's contract: the result goes into OURS; stdout carries nothing."""
    import subprocess
    import sys

    from tests.robust.support import environ

    base, ours, theirs = (tmp_path / n for n in ("base", "ours", "theirs"))
    cases = [
        ("id: X\nname: α\n", "id: X\nname: β\n", "id: X\nname: α\nemail: e\n", 0),
        ("id: X\nname: α\n", "id: X\nname: β\n", "id: X\nname: γ\n", 1),
        ("id: X\n", "id: [X\n", "id: Y\n", 1),
        ("", "- a\n", "- a\n- b\n", 1),
    ]
    for b_text, o_text, t_text, code in cases:
        for path, text in ((base, b_text), (ours, o_text), (theirs, t_text)):
            path.write_text(text, "utf-8")
        res = subprocess.run(
            [
                sys.executable,
                "-m",
                "officecli",
                "merge-file",
                str(base),
                str(ours),
                str(theirs),
                "front/customers/X.yaml",
            ],
            capture_output=True,
            text=True,
            env=environ(),
            cwd=tmp_path,
        )
        assert (res.returncode, res.stdout) == (code, ""), (o_text, res.stderr)
        assert all(line.startswith("officecli: front/customers/X.yaml: ") for line in res.stderr.splitlines())
    assert "<<<<<<< ours:" in ours.read_text("utf-8")  # the last: git's own line merge


def test_a_handoff_at_one_site_and_a_history_entry_at_the_other(tmp_path):
    """A takes the complaint (a rename into working/ plus a history entry and the
    assignee); B's cron marks an SLA breach on it in inbox/. git follows the rename
    and the driver unites the histories: one file, in working/, both entries."""
    a, b = company(tmp_path)
    a.run("customer", "add", "Ελένη Μάρκου", "--email", "e@example.gr")
    a.run("complaint", "add", "--customer", "1", "Η κούπα έφτασε ραγισμένη", now="2026-11-02T09:00:00+02:00")
    a.run("complaint", "forward", "1", now="2026-11-02T10:00:00+02:00")
    a.commit("complaint in the back office's inbox")
    a.push()
    assert b.pull().returncode == 0
    b.run("complaint", "escalate", now="2026-11-03T12:00:00+02:00")
    b.commit("B: escalate")
    b.push()
    a.run("complaint", "take", "1", now="2026-11-03T13:00:00+02:00")
    a.commit("A: take")
    res = a.pull()
    assert res.returncode == 0, res.stdout + res.stderr
    assert not (a.root / "back/complaints/inbox/CMP-A-0001.yaml").exists()
    history = a.data("back/complaints/working/CMP-A-0001.yaml")["history"]
    assert [h["action"] for h in history] == ["add", "forward", "overdue-first-response", "take"]
    _clean(a)
