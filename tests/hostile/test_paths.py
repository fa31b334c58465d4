"""Nothing outside the root, ever (issue 11, "Writes outside the root").

Each case plants one thing in a copy of the sample company, next to a canary
folder outside it, then runs readers, writers, ``doctor`` and ``doctor
--repair`` as real processes through the hostile-tree property
(tests/hostile/harness.py: finishes, exit 0 or exit 1 with one line, no byte
or mode changed outside the root, a refusal changes nothing inside). On top
of the property each case checks what was said: a refused command names the
planted path, and ``doctor`` names it.

The default suite runs a subset of the commands per case (every writer,
``doctor``, and the readers that go where the case planted); the whole
READS + WRITES matrix for every case runs with ``-m slow``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.hostile.harness import READS, WRITES, check, make_case, run_all

SOME_READS = [("customer", "list"), ("employee", "list"), ("doctor",)]


def _journal(root: Path, ops: list[dict], stage_text: str = "planted\n") -> str:
    """A planted transaction folder with a journal and one staged file; its journal's path."""
    folder = root / ".officecli" / "txn" / "1700000000000000000-4242"
    folder.mkdir(parents=True)
    (folder / "0000").write_text(stage_text)
    (folder / "journal.json").write_text(json.dumps({"created": 1, "pid": 4242, "ops": ops}))
    return ".officecli/txn/1700000000000000000-4242/journal.json"


def plant_journal_path(root, canary):
    return _journal(root, [{"op": "replace", "path": "../canary/victim.txt", "stage": "0000"}])


def plant_journal_move_src(root, canary):
    return _journal(
        root,
        [
            {
                "op": "move",
                "src": "../canary/secret.txt",
                "path": "front/customers/CUS-A-0900.yaml",
                "stage": "0000",
            }
        ],
    )


def plant_lock_link(root, canary):
    (root / ".officecli").mkdir()
    os.symlink(canary / "victim.txt", root / ".officecli" / "lock")
    return ".officecli/lock"


def plant_cache_link(root, canary):
    (root / ".officecli").mkdir()
    os.symlink(canary / "sub", root / ".officecli" / "cache")
    return ".officecli/cache"


def plant_hr_file_link(root, canary):
    os.symlink(canary / "victim.txt", root / "back/hr/pay/PAY-A-0090.yaml")
    return "back/hr/pay/PAY-A-0090.yaml"


def plant_hr_folder_link(root, canary):
    import shutil

    shutil.rmtree(root / "back" / "hr")
    os.symlink(canary / "sub", root / "back" / "hr")
    return "back/hr"


def plant_state_folder_link(root, canary):
    import shutil

    shutil.rmtree(root / "back/orders/shipped")
    os.symlink(canary / "sub", root / "back/orders/shipped")
    return "back/orders/shipped"


def plant_record_link(root, canary):
    """A customer file that is a link to a pay file (the salary) inside the root."""
    os.symlink("../../back/hr/pay/PAY-A-0001.yaml", root / "front/customers/CUS-A-0099.yaml")
    return "front/customers/CUS-A-0099.yaml"


# case -> (plant, the commands that go where it planted, what the writers must do)
CASES = {
    "journal-path-outside": (plant_journal_path, [], "refuse"),
    "journal-move-src-outside": (plant_journal_move_src, [], "refuse"),
    "lock-is-a-link": (plant_lock_link, [], "refuse"),
    "cache-is-a-link": (plant_cache_link, [], "work"),
    "hr-file-is-a-link": (plant_hr_file_link, [("payroll", "run", "2026-12")], "either"),
    "hr-folder-is-a-link": (plant_hr_folder_link, [("payroll", "run", "2026-12")], "either"),
    "state-folder-is-a-link": (plant_state_folder_link, [("order", "ship", "7")], "either"),
    "record-is-a-link": (
        plant_record_link,
        [("customer", "show", "99", "--format", "json"), ("customer", "edit", "99", "--phone", "1")],
        "either",
    ),
}


def _said(res) -> str:
    return res.stdout + res.stderr


def _run_case(tmp_path, name, commands):
    plant, own, writers = CASES[name]
    root, canary = make_case(tmp_path)
    planted = plant(root, canary)
    results = run_all(root, canary, commands + own)
    for args, res in results.items():
        if res.returncode == 1:
            assert planted in _said(res), f"{args}: refused without naming {planted}: {_said(res)}"
    doctor = results[("doctor",)]
    assert doctor.returncode == 1 and planted in doctor.stdout, doctor.stdout
    if writers == "refuse":
        for args in WRITES[:-1]:
            assert results[args].returncode == 1, f"{args} went on despite {planted}"
    if writers == "work":
        for args in WRITES[:-1] + [a for a in commands if a[0] != "doctor"]:
            assert results[args].returncode == 0, f"{args}: {results[args].stderr}"
    repair = results[("doctor", "--repair")]
    assert repair.returncode == 1 and planted in _said(repair), _said(repair)
    return root, canary, results


@pytest.mark.parametrize("name", sorted(CASES))
def test_planted(tmp_path, name):
    _run_case(tmp_path, name, SOME_READS + WRITES)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_planted_whole_matrix(tmp_path, name):
    _run_case(tmp_path, name, READS + WRITES)


def test_a_bad_journal_is_left_for_a_person_and_a_good_one_still_recovers(tmp_path):
    root, canary = make_case(tmp_path)
    bad = plant_journal_path(root, canary)
    res = check(root, canary, ("customer", "add", "X", "--email", "x@example.org"))
    assert res.returncode == 1 and bad in res.stderr and "a person" in res.stderr
    res = check(root, canary, ("doctor", "--repair"))
    assert res.returncode == 1 and "left for a person" in res.stdout
    assert (root / bad).exists(), "doctor --repair must leave a bad journal alone"
    assert (canary / "victim.txt").read_text() == "do not touch\n"
    # the person looks, removes it; writers work again
    import shutil

    shutil.rmtree((root / bad).parent)
    assert check(root, canary, ("customer", "add", "X", "--email", "x@example.org")).returncode == 0


@pytest.mark.parametrize(
    "stage", ["../../../../canary/secret.txt", "/etc/hostname", "journal.json", "0000/../../x"]
)
def test_a_journal_stage_that_is_not_a_staged_file_is_not_applied(tmp_path, stage):
    root, canary = make_case(tmp_path)
    bad = _journal(root, [{"op": "create", "path": "front/customers/CUS-A-0900.yaml", "stage": stage}])
    res = check(root, canary, ("ledger", "post", "Rent", "Expenses:Rent", "10.00", "Assets:Bank"))
    assert res.returncode == 1 and bad in res.stderr
    assert not (root / "front/customers/CUS-A-0900.yaml").exists()


@pytest.mark.parametrize(
    "path",
    [
        ".git/hooks/pre-commit",
        "/tmp/x.yaml",
        "front//x.yaml",
        "front/customers/../../../canary/victim.txt",
        ".officecli/lock",
    ],
)
def test_a_journal_path_that_is_not_a_record_path_is_not_applied(tmp_path, path):
    root, canary = make_case(tmp_path)
    bad = _journal(root, [{"op": "create", "path": path, "stage": "0000"}])
    res = check(root, canary, ("customer", "add", "X", "--email", "x@example.org"))
    assert res.returncode == 1 and bad in res.stderr
    assert not (root / ".git").exists()


def test_a_journal_through_a_linked_folder_is_not_applied(tmp_path):
    root, canary = make_case(tmp_path)
    os.symlink(canary / "sub", root / "front" / "outbox")
    bad = _journal(root, [{"op": "create", "path": "front/outbox/CUS-A-0900.yaml", "stage": "0000"}])
    res = check(root, canary, ("customer", "add", "X", "--email", "x@example.org"))
    assert res.returncode == 1 and bad in res.stderr and "front/outbox" in res.stderr
    assert os.listdir(canary / "sub") == ["inner.txt"]


def test_a_customer_linked_to_an_employee_never_shows_the_salary(tmp_path):
    root, canary = make_case(tmp_path)
    plant_record_link(root, canary)
    salary = (root / "back/hr/pay/PAY-A-0001.yaml").read_text().split("salary: ")[1]
    salary = salary.splitlines()[0].strip("'")
    for args in [
        ("customer", "show", "99", "--format", "json"),
        ("customer", "list", "--format", "json"),
        ("customer", "show", "99", "--format", "yaml"),
    ]:
        res = check(root, canary, args)
        assert salary not in res.stdout and salary not in res.stderr
        assert res.returncode == 1 and "front/customers/CUS-A-0099.yaml" in res.stderr


def test_order_ship_into_a_linked_state_folder_writes_nothing_anywhere(tmp_path):
    root, canary = make_case(tmp_path)
    plant_state_folder_link(root, canary)
    res = check(root, canary, ("order", "ship", "7"))
    assert res.returncode == 1 and "back/orders/shipped" in res.stderr
    assert (root / "back/orders/inbox/ORD-A-0007.yaml").is_file()
    assert os.listdir(canary / "sub") == ["inner.txt"]


def test_a_linked_cache_is_skipped_and_commands_still_work(tmp_path):
    root, canary = make_case(tmp_path)
    plant_cache_link(root, canary)
    for args in [
        ("customer", "list"),
        ("customer", "add", "X", "--email", "x@example.org"),
        ("ledger", "balance"),
    ]:
        assert check(root, canary, args).returncode == 0
    assert sorted(os.listdir(canary / "sub")) == ["inner.txt"]


def test_writers_never_chmod_through_a_link_under_back_hr(tmp_path):
    root, canary = make_case(tmp_path)
    os.chmod(canary / "victim.txt", 0o644)
    os.symlink(canary / "victim.txt", root / "back/hr/notes.txt")
    os.symlink(canary / "sub", root / "back/hr/leave/more")
    os.chmod(root / "back/hr/pay/PAY-A-0001.yaml", 0o644)  # a clone's loose mode
    res = check(root, canary, ("ledger", "post", "Rent", "Expenses:Rent", "10.00", "Assets:Bank"))
    assert res.returncode == 0, res.stderr
    assert oct(os.stat(root / "back/hr/pay/PAY-A-0001.yaml").st_mode & 0o777) == "0o600"
    res = check(root, canary, ("doctor", "--repair"))
    assert "back/hr/notes.txt" in res.stdout and "back/hr/leave/more" in res.stdout
