"""officecli edit: $EDITOR on one record, checked by doctor's rules, refused text kept."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from tests.conftest import load, snapshot

CUS = "front/customers/CUS-A-0001.yaml"


@pytest.fixture
def world(cli):
    cli("product", "add", "MUG-01", "--name", "Κούπα", "--price", "12.50")
    cli("customer", "add", "Μαρία Παπαδοπούλου", "--email", "maria@example.gr", "--phone", "210 1")
    cli("customer", "add", "Γιώργος Αντωνίου")
    cli("order", "add", "--customer", "1", "MUG-01:2")


def editor(tmp_path: Path, monkeypatch, body: str, name: str = "ed") -> Path:
    """$EDITOR set to a shell script that edits the file it is given ("$1")."""
    script = tmp_path / f"{name}.sh"
    script.write_text("#!/bin/sh\n" + body + "\n", "utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(script))
    return script


def kept_file(err: str) -> Path:
    m = re.search(r"your text is kept in (\S+\.yaml)", err)
    assert m, err
    return Path(m.group(1))


def test_an_edited_field_is_saved_with_one_history_entry(cli, office, world, tmp_path, monkeypatch):
    editor(tmp_path, monkeypatch, "sed -i 's/^phone: .*/phone: +30 210 555 0000/' \"$1\"")
    before = (office / CUS).read_text("utf-8")
    out = cli("edit", "CUS-A-0001").stdout
    assert out.startswith("CUS-A-0001")
    data = load(office, CUS)
    assert data["phone"] == "+30 210 555 0000"
    assert data["history"][-1]["action"] == "edit" and data["history"][-1]["note"] == "phone"
    assert data["history"][-1]["by"] == "tester"
    after = (office / CUS).read_text("utf-8")
    # only the phone line changed, plus the new history lines appended
    assert after.startswith(before.replace("phone: 210 1", "phone: +30 210 555 0000"))


def test_visual_wins_over_editor_and_a_sku_names_a_product(cli, office, world, tmp_path, monkeypatch):
    editor(tmp_path, monkeypatch, "exit 3")
    visual = tmp_path / "visual.sh"
    visual.write_text("#!/bin/sh\nsed -i 's/^name: .*/name: Κούπα μεγάλη/' \"$1\"\n", "utf-8")
    visual.chmod(0o755)
    monkeypatch.setenv("VISUAL", str(visual))
    cli("edit", "mug-01")
    assert load(office, "back/products/MUG-01.yaml")["name"] == "Κούπα μεγάλη"


def test_a_number_with_kind_and_unchanged_text(cli, office, world, tmp_path, monkeypatch):
    editor(tmp_path, monkeypatch, "true")
    before = snapshot(office)
    assert "nothing changed" in cli("edit", "2", "--kind", "customer").stdout
    assert snapshot(office) == before


@pytest.mark.parametrize(
    "body, match",
    [
        ("echo 'phone: [unclosed' >> \"$1\"", "not valid YAML"),
        ("sed -i 's/^id: .*/id: CUS-A-0099/' \"$1\"", "id: cannot be changed"),
        ("echo 'state: closed' >> \"$1\"", "state: not a field"),
        ("sed -i 's/^  action: add/  action: forged/' \"$1\"", "history: cannot be changed"),
        ("sed -i 's/^email: .*/email: [a, b]/' \"$1\"", "email"),
        ("echo 'vat_number: !!python/object x' >> \"$1\"", "not an officecli record"),
        ("exit 1", "the editor"),
    ],
)
def test_invalid_text_is_refused_and_kept(cli, refused, office, world, tmp_path, monkeypatch, body, match):
    editor(tmp_path, monkeypatch, body)
    result = refused("edit", "CUS-A-0001", match=match)
    kept = kept_file(result.stderr)
    assert kept.exists() and "Μαρία" in kept.read_text("utf-8")
    assert "CUS-A-0001" in result.stderr and CUS in result.stderr


def test_an_order_line_checked_by_its_type_and_a_new_reference_must_exist(
    cli, refused, world, tmp_path, monkeypatch
):
    editor(tmp_path, monkeypatch, "sed -i 's/  qty: 2/  qty: -2/' \"$1\"")
    refused("edit", "ORD-A-0001", match="qty")
    editor(tmp_path, monkeypatch, "sed -i 's/^customer: .*/customer: CUS-A-0042/' \"$1\"", "ed2")
    refused("edit", "ORD-A-0001", match="customer: CUS-A-0042: no such record")


def test_a_stock_moves_date_names_its_folder(cli, refused, world, tmp_path, monkeypatch):
    cli("stock", "receive", "MUG-01", "5", "--cost", "4.00")
    editor(tmp_path, monkeypatch, "sed -i 's/^date: .*/date: 2020-01-01/' \"$1\"")
    refused("edit", "MOV-A-0001", match="date: cannot be changed")


def test_unknown_id_is_one_line(refused, world, tmp_path, monkeypatch):
    editor(tmp_path, monkeypatch, "true")
    refused("edit", "ORD-A-0999", match="no record has this ID")


def test_edit_autocommits_like_any_command(tmp_path, monkeypatch, clock):
    import subprocess
    import sys

    from officecli.office.sites.company import init_office

    root = tmp_path / "co"
    env = {
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "OFFICECLI_USER": "tester",
        "OFFICECLI_NOW": clock.now,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@x",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@x",
    }

    def run(*args, **extra):
        return subprocess.run(
            [sys.executable, "-m", "officecli", "--root", str(root), *args],
            env={**env, **extra},
            capture_output=True,
            text=True,
        )

    subprocess.run(["git", "init", "-q", str(root)], check=True)
    init_office(root, "Co", "EUR", "A")  # in a git work tree: autocommit on
    assert run("customer", "add", "Άννα").returncode == 0
    script = tmp_path / "ed.sh"
    script.write_text("#!/bin/sh\necho 'phone: 210 9' >> \"$1\"\n", "utf-8")
    script.chmod(0o755)
    done = run("edit", "CUS-A-0001", EDITOR=str(script))
    assert done.returncode == 0, done.stderr
    log = subprocess.run(
        ["git", "-C", str(root), "log", "--format=%s", "-1"], capture_output=True, text=True
    ).stdout
    assert "edit CUS-A-0001" in log
    assert (
        subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain"], capture_output=True, text=True
        ).stdout.strip()
        == ""
    )
