"""Issue 28, point 8: CSV import -- Greek headers, a loose --map, duplicates within the
file said as such, a dry run that lists what it would make."""

from __future__ import annotations

from tests.conftest import snapshot

GREEK = (
    "Επωνυμία;Τηλέφωνο;Διεύθυνση;E-mail;ΑΦΜ;Billing  E-mail\n"
    "Ταβέρνα Ο Γιάννης;2105550101;Ερμού 1;giannis@example.gr;;x@y.gr\n"
    "Καφέ Λιμάνι;2105550102;Ακτή 2;limani@example.gr;;\n"
)


def test_greek_headers_are_read(cli, office, tmp_path):
    f = tmp_path / "c.csv"
    f.write_text(GREEK.replace("Επωνυμία", "ΟΝΟΜΑΤΕΠΩΝΥΜΟ"), "utf-8")
    cli("customer", "import", f)
    shown = cli("customer", "show", "Λιμάνι").stdout
    assert "2105550102" in shown and "Ακτή 2" in shown and "limani@example.gr" in shown


def test_map_names_a_column_loosely(cli, office, tmp_path):
    f = tmp_path / "c.csv"
    f.write_text(GREEK.replace("E-mail", "Ηλ. Ταχυδρομείο (E-mail)", 1), "utf-8")
    cli("customer", "import", f, "--map", "ηλ ταχυδρομειο e-mail=email", "--map", "billing=-")
    assert "limani@example.gr" in cli("customer", "show", "Λιμάνι").stdout
    bad = cli("customer", "import", f, "--map", "nothing like it=email", code=1)
    assert "no column 'nothing like it'" in bad.stderr and "Επωνυμία" in bad.stderr


def test_a_duplicate_within_the_file_is_said_so(cli, office, tmp_path):
    f = tmp_path / "c.csv"
    f.write_text(GREEK + "Ταβέρνα Γιάννης (ξανά);2105550103;Ερμού 1;GIANNIS@example.gr;;\n", "utf-8")
    before = snapshot(office)
    err = cli("customer", "import", f, code=1).stderr
    assert "c.csv:4: email:" in err and "the same as line 2 of this file" in err
    assert "CUS-A-0001" not in err  # never the ID of a record that was not written
    assert snapshot(office) == before


def test_dry_run_lists_what_it_would_make(cli, office, tmp_path):
    f = tmp_path / "c.csv"
    f.write_text(GREEK, "utf-8")
    before = snapshot(office)
    out = cli("customer", "import", f, "--dry-run").stdout
    assert "would import 2" in out
    assert "CUS-A-0001  Ταβέρνα Ο Γιάννης" in out and "CUS-A-0002  Καφέ Λιμάνι" in out
    assert snapshot(office) == before
