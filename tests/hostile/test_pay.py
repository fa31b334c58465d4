"""Pay never leaves HR (issue 22, point 6).

A clerk (a real process that cannot read back/hr: tests/cli/test_hr_private.py's
``clerk``) runs every command a clerk can run, after HR gave one employee a raise
from a month already run (so that the month's correction is one person's pay
difference). For each command the test states that no figure from which one
person's pay follows is printed: no salary of anyone, no head count on a ledger line
that fewer than 3 people make up (the amount would be their pay), no figure in the
history of a pay record without --show-pay.
"""

from __future__ import annotations

import re

import pytest

from tests.cli.test_hr_private import Clerk, clerk  # noqa: F401  (the fixture)

CLERK_COMMANDS = [
    ("customer", "list"),
    ("order", "list"),
    ("invoice", "list"),
    ("product", "list"),
    ("stock", "list"),
    ("ledger", "register"),
    ("ledger", "balance"),
    ("ledger", "accounts"),
    ("ledger", "check"),
    ("ledger", "export", "--to", "csv"),
    ("ledger", "export", "--to", "hledger"),
    ("ledger", "trial"),
    ("report", "daily"),
    ("report", "pnl"),
    ("report", "sales"),
    ("employee", "list"),
    ("employee", "show", "3"),
    ("employee", "list", "--all"),
    ("history", "EMP-A-0003"),
    ("history", "PAY-A-0003"),
    ("history", "2026-11"),
    ("search", "Μάρκου"),
    ("doctor",),
    ("--format", "json", "ledger", "register"),
    ("--format", "csv", "ledger", "register"),
    ("--format", "json", "employee", "list", "--all"),
]
FEW = re.compile(r"\((?:1 employee|2 employees)\)")
NOW = "2026-12-01T10:00:00+02:00"


def _salaries(c: Clerk) -> set[str]:
    import json

    rows = json.loads(c.hr("--format", "json", "employee", "list", "--all", "--show-pay").stdout)
    out = set()
    for r in rows:
        value = r.get("salary")
        if value:
            whole, _, cents = str(value).partition(".")
            out |= {str(value), f"{int(whole):,}.{cents}"}
    return out


@pytest.fixture
def raised(clerk):  # noqa: F811
    import json

    from tests.robust.support import environ

    staff = json.loads(clerk.hr("--format", "json", "employee", "list").stdout)
    for i, row in enumerate(staff):  # salaries no other figure of the books has by chance
        if row["id"] != "EMP-A-0003":
            assert (
                clerk.hr("employee", "edit", row["id"], "--salary", f"{1100 + 97 * i}.{13 + i}").returncode
                == 0
            )
    assert clerk.hr("employee", "edit", "3", "--salary", "1537.29", "--from", "2026-11-01").returncode == 0
    res = clerk.hr("payroll", "run", "2026-11")
    assert res.returncode == 0 and "1 employee" in res.stdout, res.stdout + res.stderr
    assert environ()["OFFICECLI_NOW"] == NOW
    return clerk


def test_no_clerk_command_prints_a_figure_of_one_persons_pay(raised):
    salaries = _salaries(raised)
    assert "1537.29" in salaries
    wrong = []
    for args in CLERK_COMMANDS:
        res = raised(*args)
        said = res.stdout + res.stderr
        if "Traceback" in said or "internal error" in said:
            wrong.append(f"{args}: {said}")
        if FEW.search(said):
            wrong.append(f"{args}: a head count under 3 beside an amount: {FEW.search(said).group(0)}")
        shown = sorted(s for s in salaries if re.search(rf"(?<![\d,.]){re.escape(s)}(?![\d])", said))
        if shown:
            wrong.append(f"{args}: prints a salary {shown}")
    assert not wrong, "\n".join(wrong)


def test_history_of_a_pay_record_hides_amounts_without_show_pay(raised):
    hidden = raised.hr("history", "PAY-A-0003")
    assert hidden.returncode == 0 and "1537.29" not in hidden.stdout and "hidden" in hidden.stdout
    shown = raised.hr("history", "PAY-A-0003", "--show-pay")
    assert shown.returncode == 0 and "1537.29" in shown.stdout, shown.stdout


@pytest.mark.parametrize("ref", ["", "-", "*", "..", ".git/config", "../back/hr/pay/PAY-A-0001"])
def test_history_refuses_what_is_not_an_id(clerk, ref):  # noqa: F811
    res = clerk.hr("history", ref)
    assert res.returncode in (1, 2) and len(res.stderr.strip().splitlines()) == 1, res.stdout + res.stderr
    assert "not an ID" in res.stderr or res.returncode == 2
