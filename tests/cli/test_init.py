import os
import stat

from click.testing import CliRunner

from officecli.cli import cli
from officecli.office.sites.company import static_folders
from tests.conftest import snapshot


def run(*args, cwd=None):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_init_makes_the_whole_tree_and_doctor_agrees(tmp_path, clock):
    root = tmp_path / "demo-office"
    res = run("init", str(root), "--name", "Κεραμικά Αιγαίου", "--site", "B")
    assert res.exit_code == 0, res.stderr
    for folder in static_folders():
        assert (root / folder).is_dir(), folder
    for folder in (
        "front/customers",
        "front/orders/open",
        "front/complaints/new",
        "back/orders/inbox",
        "back/complaints/waiting",
        "back/improvements/done",
        "back/invoices/paid",
        "back/hr/payroll",
        "archive/orders/closed",
    ):
        assert (root / folder).is_dir(), folder
    text = (root / "office.yaml").read_text("utf-8")
    assert "name: Κεραμικά Αιγαίου" in text and "sites:\n  B: " in text
    assert "- '24'\n  - '13'\n  - '6'" in text
    assert "Assets:Receivable: asset" in text and "Liabilities:VAT: liability" in text
    ignored = (root / ".gitignore").read_text().splitlines()
    assert ".officecli/" in ignored and "back/hr/" in ignored  # pay stays out of git
    assert stat.S_IMODE(os.stat(root / "back/hr").st_mode) == 0o700
    assert stat.S_IMODE(os.stat(root / "back").st_mode) == 0o755
    res = run("--root", str(root), "doctor")
    assert res.exit_code == 0 and res.stdout == ""  # a check is silent when all is well


def test_init_refuses_a_folder_that_holds_an_office(office):
    before = snapshot(office)
    res = run("init", str(office))
    assert res.exit_code == 1
    assert "already holds an office" in res.stderr and "office.yaml" in res.stderr
    assert res.stderr.count("\n") == 1
    assert snapshot(office) == before
    res = run("init", str(office.parent))  # office/records style is found too
    assert res.exit_code == 0  # parent has no office.yaml nor records/


def test_init_refuses_bad_site_and_currency(tmp_path):
    for args, msg in ((["--site", "../x"], "site"), (["--currency", "euro"], "currency")):
        res = run("init", str(tmp_path / "x"), *args)
        assert res.exit_code == 1 and msg in res.stderr
        assert not (tmp_path / "x").exists()


def test_usage_errors_stay_exit_2(tmp_path):
    res = run("init", str(tmp_path / "x"), "--bogus")
    assert res.exit_code == 2
