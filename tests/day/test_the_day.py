"""Issue 28, "done when": the working day of the issue replayed as a script, through real
processes in a git-backed company of site R, meeting none of the surprises."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_day_replayed(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "PYTHONPATH": str(REPO),
        "OFFICECLI_NOW": "2026-12-08T09:00:00+02:00",
        "NO_COLOR": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.gr",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.gr",
        "COLUMNS": "60",
    }
    shop = tmp_path / "shop"
    subprocess.run(["git", "init", "-q", str(shop)], check=True)

    def oc(*args, code=0, stdin=None, cwd=shop):
        res = subprocess.run(
            [sys.executable, "-m", "officecli", *map(str, args)],
            cwd=cwd,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
        )
        assert res.returncode == code, (
            f"officecli {' '.join(map(str, args))}: {res.returncode}\n{res.stdout}{res.stderr}"
        )
        assert "Traceback" not in res.stderr
        return res

    oc("init", ".", "--site", "R", "--name", "Κεραμικά")
    # 1. init inside the company: refused, the site and the history untouched
    log = subprocess.run(["git", "-C", shop, "log", "--oneline"], capture_output=True, text=True).stdout
    oc("init", "sub", code=1)
    assert (
        subprocess.run(["git", "-C", shop, "log", "--oneline"], capture_output=True, text=True).stdout == log
    )
    assert oc("site").stdout.startswith("R")
    # 8. the customers from a Greek spreadsheet
    (tmp_path / "c.csv").write_text(
        "Επωνυμία;Τηλέφωνο;Διεύθυνση;E-mail\nΞενοδοχείο «Αιγαίο»;2105550101;Ακτή 3;info@aigaio.gr\n"
        "Μαρία Παπαδοπούλου;2105550102;Ερμού 1;maria@example.gr\n",
        "utf-8",
    )
    assert (
        "CUS-R-0001  Ξενοδοχείο «Αιγαίο»" in oc("customer", "import", tmp_path / "c.csv", "--dry-run").stdout
    )
    oc("customer", "import", tmp_path / "c.csv")
    oc(
        "employee",
        "add",
        "Άννα Κωνσταντίνου",
        "--office",
        "front",
        "--department",
        "sales",
        "--title",
        "x",
        "--salary",
        "1000",
    )
    oc(
        "employee",
        "add",
        "Νίκος Αλεξίου",
        "--office",
        "back",
        "--department",
        "warehouse",
        "--title",
        "x",
        "--salary",
        "1000",
    )
    oc("product", "add", "MUG", "--name", "Κούπα", "--price", "19,90", "--cost", "4")
    oc("stock", "receive", "MUG", "50", "--cost", "4")
    # 4. one way to name things; 5. global options after the command
    oc("quote", "add", "--customer", "Ξενοδοχείο", "MUG:10", "--user", "Άννα")
    oc("order", "add", "--customer", "«Ξενοδοχείο Αιγαίο»", "MUG:10", "--user", "άννα")
    oc("order", "add", "--customer", "μαρια", "MUG:2")
    oc("order", "forward", "1")
    listed = json.loads(
        oc(
            "order", "list", "--customer", "Ξενοδοχείο", "--root", shop, "--no-pager", "--format", "json"
        ).stdout
    )
    assert [o["id"] for o in listed] == ["ORD-R-0001"]
    # 10. a repeated filter
    assert (
        len(json.loads(oc("order", "list", "--state", "open", "--state", "inbox", "--format", "json").stdout))
        == 2
    )
    for step in ("ship", "invoice"):
        oc("order", step, "1")
    assert len(json.loads(oc("invoice", "list", "--customer", "Ξενοδοχείο", "--format", "json").stdout)) == 1
    oc("complaint", "add", "--customer", "Ξενοδοχείο", "ραγισμένη κούπα", "--user", "Άννα")
    oc("complaint", "forward", "1", "--user", "Άννα")
    oc("complaint", "take", "1", "--by", "Νίκος")
    history = (shop / "back/complaints/working/CMP-R-0001.yaml").read_text("utf-8")
    assert "by: EMP-R-0001 Άννα Κωνσταντίνου" in history and "by: Άννα\n" not in history
    # 2. fields checked; 7. dates as written; 6. print several
    oc("order", "list", "--fields", "id,total", code=2)
    oc("order", "list", "-b", "yesterday", "-e", "eom")
    oc("ledger", "register", "-b", "2026/12/01", "-e", "01/01/2027")
    oc("invoice", "list", "--format", "ids")
    # 3. a narrow table keeps its IDs whole
    trace = oc("order", "trace", "1").stdout
    assert "EMP-R-0001 Ά" in trace and all(len(line) <= 60 for line in trace.splitlines())
    # 11. finding commands
    assert oc().stdout.startswith("Usage:")
    assert "Did you mean 'order'?" in oc("orders", code=2).stderr
    oc("ledger", "bal")
    assert "Usage: officecli order" in oc("help", "order").stdout
    # 13. edit with a decimal comma, a next step, csv for Excel
    assert "'officecli invoice list'" in oc("invoice", "show", "99", code=1).stderr
    assert oc("customer", "list", "--format", "csv-excel").stdout.startswith("\ufeff")
    assert oc("doctor").returncode == 0
