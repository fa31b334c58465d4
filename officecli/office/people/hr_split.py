"""``officecli hr migrate``: split old-style employee files into a public part and private pay.

Before the split an employee was one private file,
``back/hr/employees/active|former/EMP-….yaml``, salary inside. The migration
turns each into two records, all in ONE transaction (all of them or none,
also across a crash):

1. the public part moves to ``back/staff/<same state>/EMP-….yaml``: the same
   file, its history and any comments kept, the ``salary`` line taken out,
   and one history entry (``split``) saying where it came from;
2. the pay is written to ``back/hr/pay/PAY-….yaml`` (PAY-A-0003 for
   EMP-A-0003): ``employee``, ``salary``, ``created`` as the employee's,
   and a history entry saying it came from the old file;
3. ``back/hr/`` is added to the records folder's ``.gitignore``.

Then the old folders, now empty, are removed. Nothing is lost: every value
of the old file is in one of the two new ones. It refuses, changing
nothing, when an old file cannot be read or has no valid salary, or when its
public part or pay record exists already (naming both files). Run on a tree
with nothing to migrate it says so and changes nothing (exit 0).

What it cannot undo: ledger entries posted before (one per employee, with
names and amounts) stay as they are, since a posted entry is never edited;
and files the company repository already tracked or committed stay in it
until purged (``officecli doctor`` says how). ``migrate`` counts both.
"""

from __future__ import annotations

from officecli.office import money, records
from officecli.office.people import hr, hr_repo
from officecli.store import subrepo, yamlio
from officecli.store.errors import UserError


def migrate(office) -> list[str]:
    """Split every old-style employee file; return what was done, one line each."""
    hr.require_private(office, "pay")
    old = hr.old_files(office)
    if not old:
        return []
    emp_kind, pay_kind = office.kind(hr.KIND), office.kind(hr.PAY)
    done: list[str] = []
    with office.change(f"hr migrate: {len(old)} employee(s) split into back/staff/ and back/hr/pay/"):
        for state, rel in old:
            text = office.store.read_text(rel)
            data = office.store.parse(rel, text)
            name = rel.rpartition("/")[2][: -len(".yaml")]
            if not isinstance(data, dict) or data.get("id") != name:
                raise UserError(
                    f"{rel}: not an employee record named {name} (id: "
                    f"{data.get('id') if isinstance(data, dict) else None!r}); fix it by hand, "
                    "then migrate"
                )
            salary = money.text(hr.check_salary_of(data.get("salary"), f"{name} ({rel}): salary"))
            public = f"{emp_kind.folder(state)}/{name}.yaml"
            if office.txn.exists(public) or name in office.all_ids(hr.KIND):
                raise UserError(
                    f"{name} ({rel}): its public part exists already "
                    f"({office.all_ids(hr.KIND).get(name, (None, public))[1]}); "
                    "keep one of the two by hand, then migrate"
                )
            pay = hr.pay_id(name)
            if pay in office.all_ids(hr.PAY):
                raise UserError(
                    f"{name} ({rel}): its pay record {pay} exists already "
                    f"({office.all_ids(hr.PAY)[pay][1]}); keep one by hand, then migrate"
                )
            entry = records.history_entry(
                office.stamp(),
                office.user,
                "split",
                None,
                None,
                f"public part of {rel}; the salary moved to back/hr/pay/{pay}.yaml (officecli hr migrate)",
            )
            new_text = records.edit_text(emp_kind, text, data, {"salary": None}, entry)
            if "salary" in yamlio.loads(new_text):
                raise UserError(f"{rel}: the salary could not be taken out of the file; fix it by hand")
            office.txn.move(rel, public, new_text)
            office.create(
                hr.PAY,
                {
                    "id": pay,
                    "employee": name,
                    "salary": salary,
                    **({"created": data["created"]} if data.get("created") else {}),
                },
                action="split",
                note=f"salary {salary} {office.config.currency}, from {rel} (officecli hr migrate)",
            )
            office.log.append(
                f"employee split {name}: {rel} -> {public} + {pay_kind.folder('current')}/{pay}.yaml"
            )
            done.append(f"{name}  {rel} -> {public} + back/hr/pay/{pay}.yaml")
        if hr_repo.ignore_in_change(office):
            done.append(f".gitignore: {hr_repo.IGNORE_LINE} added (the company repository ignores it)")
    for gone in subrepo.prune_empty(office.root, hr.OLD_LAYOUT):
        done.append(f"{gone}/: removed (empty)")
    return done


def leftovers(office) -> list[str]:
    """What the migration could not take back, for the user to know (one line each)."""
    out = []
    named = [
        t
        for t in office.records("ledger_txn")
        if t.data.get("kind") == "payroll" and str(t.data.get("ref") or "").startswith("EMP-")
    ]
    if named:
        out.append(
            f"{len(named)} ledger entries posted before name an employee and their pay "
            f"({named[0].id}, ...); posted entries are never edited, they stay"
        )
    tracked = subrepo.tracked(office.root, hr.PRIVATE_TOP)
    if tracked:
        out.append(
            f"{len(tracked)} file(s) under back/hr are still tracked by the company's git "
            "repository: 'officecli doctor' says how to purge them"
        )
    elif subrepo.in_history(office.root, hr.PRIVATE_TOP):
        out.append("back/hr is in the company repository's history: 'officecli doctor' says how to purge it")
    return out
