"""Issue 28, point 13: the smaller things -- csv for Excel, a decimal comma in `edit`,
a next step after "no such ...", ID examples of this office's site, negative balances
in red on a terminal, docs/CRON.md saying what each line does."""

from __future__ import annotations

import csv
import io
import os
import stat
from pathlib import Path

from officecli.office.sites.company import init_office

REPO = Path(__file__).resolve().parents[2]


def test_csv_excel_has_a_bom_semicolons_and_crlf(cli):
    cli("customer", "add", "Μαρία Παπαδοπούλου", "--address", "Ερμού 12; Αθήνα")
    raw = cli("customer", "list", "--format", "csv-excel").stdout_bytes.decode("utf-8")
    assert raw.startswith("\ufeffid;state;name;")
    assert "\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff")), delimiter=";"))
    assert rows[1][2] == "Μαρία Παπαδοπούλου" and "Ερμού 12; Αθήνα" in rows[1]
    plain = cli("customer", "list", "--format", "csv").stdout
    assert not plain.startswith("\ufeff") and plain.startswith("id,state,name,")


def test_edit_takes_a_decimal_comma_as_the_commands_do(cli, office, tmp_path, monkeypatch):
    cli("product", "add", "MUG", "--name", "Κούπα", "--price", "19,90")
    editor = tmp_path / "ed.sh"
    editor.write_text('#!/bin/sh\nsed -i "s/^price: .*/price: \'15,50\'  # summer price/" "$1"\n')
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    cli("edit", "MUG")
    text = (office / "back/products/MUG.yaml").read_text("utf-8")
    assert "price: '15.50'  # summer price" in text


def test_no_such_record_says_where_to_look(cli):
    err = cli("invoice", "show", "99", code=1).stderr
    assert "no such invoice" in err and "'officecli invoice list'" in err
    err = cli("order", "forward", "7", code=1).stderr
    assert "'officecli order list'" in err


def test_id_examples_carry_this_offices_site(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from officecli.cli import cli as top

    root = tmp_path / "r"
    init_office(root, "Εταιρεία", "EUR", "R")
    res = CliRunner().invoke(
        top, ["--root", str(root), "complaint", "list", "--assignee", "x", "--customer", "Κανείς"]
    )
    assert res.exit_code == 1 and "CUS-R-0001" in res.stderr and "CUS-A-" not in res.stderr
    res = CliRunner().invoke(top, ["--root", str(root), "--user", "Κανείς", "payroll", "run", "2026-10"])
    assert "EMP-R-0001" in res.stderr and "EMP-A-0001" not in res.stderr


def test_negative_balances_in_red_on_a_terminal(cli, office):
    from tests.day.test_tmux_width import pane

    cli("ledger", "post", "Κεφάλαιο", "Assets:Bank", "100", "Equity:Capital")
    env = {
        "OFFICECLI_ROOT": str(office),
        "OFFICECLI_NOW": os.environ["OFFICECLI_NOW"],
        "OFFICECLI_USER": "tester",
        "PYTHONPATH": str(REPO),
        "HOME": os.environ["HOME"],
        "PATH": os.environ["PATH"],
        "TERM": "xterm-256color",
    }
    lines = pane(["ledger", "balance"], 80, env, escapes=True)
    red = [line for line in lines if "\x1b[31m" in line]
    assert red and all("-100.00" in line for line in red), lines
    assert any("100.00 EUR" in line and "\x1b[31m" not in line for line in lines)


def test_cron_doc_says_what_each_line_does():
    text = (REPO / "docs" / "CRON.md").read_text("utf-8")
    assert "## What each line does when there is work" in text
    assert 'officecli payroll run "$(date' in text  # no -q: the booking is mailed
    for cmd in (
        "complaint escalate",
        "quote expire",
        "doctor",
        "ledger check",
        "stock low",
        "payroll run",
        "sync",
    ):
        assert f"| `{cmd}" in text, cmd
