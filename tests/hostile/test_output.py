"""Output is safe to read (issue 22, point 10).

A customer's name planted with an OSC 52 sequence (it writes the clipboard of the
terminal that prints it) and a colour sequence; a file name with an ESC in it; a
customer whose name is a spreadsheet formula. Every table and message escapes the
control characters (as git and ls do: ``\\x1b``), a file whose name is not an ID is
never listed as a record, and a CSV cell that would start a formula gets a leading ``'``
(OWASP's rule) while a negative amount stays a number.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.hostile.harness import check, make_case

EVIL = 'name: "Evil \\e]52;c;ZWNobyBwd25lZA==\\a \\e[31mred\\r\\e[2K"'
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def _plant_name(root) -> None:
    path = root / "front/customers/CUS-A-0001.yaml"
    text = re.sub(r"^name: .*$", lambda m: EVIL, path.read_text(), count=1, flags=re.M)
    path.write_text(text)


@pytest.mark.parametrize(
    "args",
    [
        ("customer", "list"),
        ("customer", "show", "1"),
        ("search", "Evil"),
        ("order", "list"),
        ("invoice", "list"),
        ("order", "trace", "1"),
        ("doctor",),
        ("customer", "edit", "1", "--phone", "+30 210 000 0000"),
    ],
    ids=lambda a: " ".join(a),
)
def test_control_characters_are_escaped_everywhere(tmp_path, args):
    root, canary = make_case(tmp_path)
    _plant_name(root)
    res = check(root, canary, args)
    said = res.stdout + res.stderr
    assert not RAW.search(said), f"a raw control character: {said!r}"
    if args[:2] in (("customer", "list"), ("customer", "show"), ("search", "Evil")):
        assert "\\x1b]52;c;" in said


def test_a_file_name_with_an_escape_is_escaped_and_never_listed(tmp_path):
    root, canary = make_case(tmp_path)
    folder = root / "front/customers"
    (folder / "x\x1b[31my.yaml").write_bytes((folder / "CUS-A-0002.yaml").read_bytes())
    (folder / "notes.yaml").write_bytes((folder / "CUS-A-0003.yaml").read_bytes())
    listed = check(root, canary, ("--format", "ids", "customer", "list"))
    assert listed.stdout.split() == [f"CUS-A-000{i}" for i in range(1, 7)]
    doctor = check(root, canary, ("doctor",))
    said = doctor.stdout + doctor.stderr
    assert "x\\x1b[31my.yaml" in said and not RAW.search(said)


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0"]
)
def test_csv_cells_never_start_a_formula(tmp_path, name):
    root, canary = make_case(tmp_path)
    check(root, canary, ("customer", "add", "--email", "f@example.org", "--", name))
    for args in (("customer", "list"), ("customer", "show", "7"), ("order", "list")):
        res = check(root, canary, ("--format", "csv", *args))
        for row in csv.reader(io.StringIO(res.stdout)):
            for cell in row:
                assert not cell.startswith(("=", "@", "\t", "\r")), (args, cell)
                assert not (
                    cell.startswith(("-", "+")) and not re.fullmatch(r"[-+][0-9][0-9 ().-]*", cell)
                ), (
                    args,
                    cell,
                )
    res = check(root, canary, ("--format", "csv", "customer", "show", "7"))
    assert next(csv.DictReader(io.StringIO(res.stdout)))["name"] == "'" + name


def test_a_negative_amount_stays_a_number_in_csv(tmp_path):
    root, canary = make_case(tmp_path)
    res = check(root, canary, ("--format", "csv", "ledger", "register"))
    assert re.search(r",-\d[\d]*\.\d\d(,|$)", res.stdout, re.M)
