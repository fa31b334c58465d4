"""Bad encodings are one clear line (issue 22, point 12): invalid UTF-8, invalid or
valid UTF-16 from ``customer import`` and from the editor of ``officecli edit``; never
"internal error", the tree unchanged (tests/hostile/harness.py)."""

from __future__ import annotations

import codecs

import pytest

from tests.hostile.harness import check, make_case

CASES = {
    "latin1": "name,email\nΆννα,a@example.gr\n".encode("iso-8859-7"),
    "utf16_odd": codecs.BOM_UTF16_LE + "name,email\n".encode("utf-16-le") + b"\x00\xd8",
    "stray_bytes": b"name,email\n\xff\xfe\xfd,x@example.gr\n",
    "nul_and_cp1252": b"name,email\n\x93quoted\x94,q@example.gr\n",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_customer_import_names_a_bad_encoding(tmp_path, case):
    root, canary = make_case(tmp_path)
    path = tmp_path / "in.csv"
    path.write_bytes(CASES[case])
    for args in (("customer", "import", str(path), "--dry-run"), ("customer", "import", str(path))):
        res = check(root, canary, args)
        assert res.returncode == 1 and "in.csv" in res.stderr, res.stderr
        assert "UTF-" in res.stderr, res.stderr


def test_customer_import_reads_utf16_with_its_mark(tmp_path):
    root, canary = make_case(tmp_path)
    path = tmp_path / "in.csv"
    path.write_bytes("name,email\nΆννα Ζ,anna@example.gr\n".encode("utf-16"))
    res = check(root, canary, ("--format", "ids", "customer", "import", str(path)))
    assert res.returncode == 0 and res.stdout.split() == ["CUS-A-0007"], res.stderr


@pytest.mark.parametrize("junk", [b"\\377\\376x", b"\\300\\200"])
def test_edit_names_bad_bytes_from_the_editor(tmp_path, junk):
    root, canary = make_case(tmp_path)
    editor = f'sh -c \'printf "{junk.decode()}" >> "$0"\''
    res = check(root, canary, ("edit", "CUS-A-0002"), EDITOR=editor, VISUAL=editor)
    assert res.returncode == 1 and "not UTF-8 text" in res.stderr and "CUS-A-0002" in res.stderr, res.stderr
