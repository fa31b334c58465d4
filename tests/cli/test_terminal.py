"""The terminal: tables fit COLUMNS, colour only on a terminal and never under NO_COLOR,
the pager only on a terminal, the progress bar only on a terminal (officecli/terminal.py)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from officecli import terminal

REPO = Path(__file__).resolve().parents[2]
LONG = (
    "Η κούπα έφτασε σπασμένη σε δύο κομμάτια και η λαβή λείπει εντελώς, "
    "ο πελάτης ζητά αντικατάσταση και επιστροφή των μεταφορικών του " * 2
)


@pytest.fixture
def world(cli):
    cli("product", "add", "MUG-01", "--name", "Κούπα " + "πολύ μεγάλη " * 8, "--price", "12.50")
    cli("stock", "receive", "MUG-01", "10", "--cost", "4.00")
    cli(
        "customer",
        "add",
        "Ξενοδοχείο Αιγαίο Α.Ε. και Υιοί Ναυτιλιακή Εταιρεία",
        "--email",
        "reservations.and.purchasing@xenodocheio-aigaio.example.gr",
        "--phone",
        "+30 22840 555 0101",
        "--vat-number",
        "EL094012345",
        "--tag",
        "horeca",
        "--tag",
        "wholesale",
        "--tag",
        "vip",
        "--source",
        "trade-fair-thessaloniki-2026",
    )
    cli("order", "add", "--customer", "1", "MUG-01:2", "--note", LONG)
    cli("order", "forward", "1", "--note", LONG)
    cli("complaint", "add", "--customer", "1", "--order", "1", LONG)


@pytest.mark.parametrize("columns", [80, 200])
@pytest.mark.parametrize(
    "args", [("customer", "list"), ("order", "trace", "1"), ("complaint", "list"), ("ledger", "register")]
)
def test_no_line_is_wider_than_the_terminal(cli, world, monkeypatch, columns, args):
    monkeypatch.setenv("COLUMNS", str(columns))
    out = cli(*args).stdout
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= columns, "\n".join(lines)
    if columns == 80 and args[0] in ("customer", "complaint"):
        assert "…" in out  # cut, with an ellipsis
    assert "CUS-A-0001" in out or "ORD-A-0001" in out or "TXN-A-0001" in out  # IDs whole


def test_wide_terminal_shows_more_and_machine_formats_are_never_cut(cli, world, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    narrow = cli("complaint", "list").stdout
    monkeypatch.setenv("COLUMNS", "400")
    wide = cli("complaint", "list").stdout
    assert LONG.strip() not in narrow and LONG.strip() in " ".join(wide.split())
    monkeypatch.setenv("COLUMNS", "40")
    assert LONG.strip() in cli("complaint", "list", "--format", "csv").stdout


def test_money_and_ids_are_never_cut():
    headers = ["ID", "Name", "Gross"]
    rows = [["ORD-A-0001", "x" * 100, "123456.78"], ["ORD-A-0002", "y", "-5.00"]]
    heads, cut = terminal.fit(headers, rows, 30)
    assert [r[0] for r in cut] == ["ORD-A-0001", "ORD-A-0002"]
    assert [r[2] for r in cut] == ["123456.78", "-5.00"]
    assert cut[0][1].endswith("…") and len(cut[0][1]) < 100
    assert terminal.fit(headers, rows, None)[1] == rows  # no width: nothing cut


def test_colour_never_off_a_terminal_or_under_no_color(cli, world, monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    assert "\x1b[" not in cli("ledger", "register").stdout  # CliRunner is no terminal
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("OFFICECLI_COLOR", "always")
    assert not terminal.colour_on()
    monkeypatch.delenv("NO_COLOR")
    assert terminal.colour_on()
    assert terminal.attention("-12.50") != "-12.50" and terminal.attention("12.50") == "12.50"


def _on_a_tty(args, env) -> str:
    """Run officecli with stdout, stdin and stderr on a pseudo-terminal; what it printed."""
    main, sub = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "officecli", *args], stdin=sub, stdout=sub, stderr=sub, env=env, close_fds=True
    )
    os.close(sub)
    out = b""
    while True:
        ready, _, _ = select.select([main], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=30)
    os.close(main)
    return out.decode("utf-8", "replace")


def test_colour_when_a_terminal_and_never_with_no_color(world, office, tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(REPO),
        "HOME": str(tmp_path),
        "OFFICECLI_USER": "tester",
        "OFFICECLI_NOW": os.environ["OFFICECLI_NOW"],
        "COLUMNS": "200",
        "LINES": "500",
        "PAGER": "cat",
        "TERM": "xterm",
    }
    args = ["--root", str(office), "order", "show", "ORD-A-0099"]  # refused: red on a tty
    assert "\x1b[31m" in _on_a_tty(args, env)
    assert "\x1b[" not in _on_a_tty(args, {**env, "NO_COLOR": ""})
    assert "\x1b[" not in _on_a_tty(["--no-color", *args], env)
    piped = subprocess.run(
        [sys.executable, "-m", "officecli", *args], env=env, capture_output=True, text=True
    )
    assert "\x1b[" not in piped.stderr and piped.returncode == 1


def test_the_pager_only_on_a_terminal(world, office, tmp_path):
    pager = tmp_path / "pager.sh"
    pager.write_text("#!/bin/sh\necho PAGED; cat\n", "utf-8")
    pager.chmod(0o755)
    env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(REPO),
        "HOME": str(tmp_path),
        "OFFICECLI_USER": "tester",
        "OFFICECLI_NOW": os.environ["OFFICECLI_NOW"],
        "COLUMNS": "200",
        "LINES": "3",
        "PAGER": str(pager),
        "NO_COLOR": "1",
    }
    args = ["--root", str(office), "ledger", "register"]
    assert "PAGED" in _on_a_tty(args, env)
    assert "PAGED" not in _on_a_tty(["--no-pager", *args], env)
    piped = subprocess.run(
        [sys.executable, "-m", "officecli", *args], env=env, capture_output=True, text=True
    )
    assert "PAGED" not in piped.stdout and "TXN-A-0001" in piped.stdout


def test_progress_is_silent_off_a_terminal(capsys):
    with terminal.progress(range(5), 5, "counting") as bar:
        assert list(bar) == [0, 1, 2, 3, 4]
    assert capsys.readouterr().err == ""
