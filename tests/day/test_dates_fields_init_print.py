"""Issue 28, points 1, 2, 6 and 7: init never touches an existing office, --fields and
--sort checked against the schema, print of several IDs (and '-'), dates as people write them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from officecli.office.sites.company import init_office
from tests.conftest import snapshot


def run(*args, cwd=None, env=None, input=None):
    return subprocess.run(
        [sys.executable, "-m", "officecli", *args],
        cwd=cwd,
        env=env,
        input=input,
        capture_output=True,
        text=True,
    )


def test_init_inside_an_office_and_its_repository_touches_neither(tmp_path, monkeypatch):
    import os

    root = tmp_path / "company"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "config", "user.email", "t@example.gr"], check=True)
    subprocess.run(["git", "-C", str(root), "config", "user.name", "t"], check=True)
    init_office(root, "Εταιρεία", "EUR", "R")
    head = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout
    before = snapshot(root)
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    env.pop("OFFICECLI_ROOT", None)
    for args in (["init", "sub"], ["init", "sub", "--site", "A"], ["init", str(root / "front" / "x")]):
        done = run(*args, cwd=root, env=env)
        assert done.returncode == 1, done
        assert "officecli init never touches an existing office" in done.stderr
        assert done.stderr.count("\n") == 1
    assert snapshot(root) == before
    site = subprocess.run(
        ["git", "-C", str(root), "config", "officecli.site"], capture_output=True, text=True
    )
    assert site.stdout.strip() == "R"
    assert (
        subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True).stdout
        == head
    )
    # doctor notices a clone whose site code is not in office.yaml's sites: table
    subprocess.run(["git", "-C", str(root), "config", "officecli.site", "A"], check=True)
    doctor = run("--root", str(root), "doctor", env=env)
    assert doctor.returncode == 1 and "does not register" in doctor.stdout + doctor.stderr


@pytest.fixture
def shop(cli):
    cli("customer", "add", "Μαρία Παπαδοπούλου")
    cli("product", "add", "MUG", "--name", "Κούπα", "--price", "10", "--cost", "4")
    cli("stock", "receive", "MUG", "20", "--cost", "4")
    return cli


@pytest.mark.parametrize("fields", ["id,total", "id,nmae", "bogus"])
def test_fields_that_do_not_exist_are_refused_with_the_real_ones(shop, fields):
    shop("order", "add", "--customer", "1", "MUG:1")
    for where in (["order", "list"], ["customer", "list"], ["customer", "show", "1"]):
        bad = shop(*where, "--fields", fields, code=2)
        assert "no field" in bad.stderr and "fields: id, state" in bad.stderr
        bad = shop("--fields", fields, *where, code=2)  # the global form too
        assert "no field" in bad.stderr
    # an empty listing is refused alike: the fields come from the schema
    shop("invoice", "list", "--fields", fields, code=2)
    shop("invoice", "list", "--sort", "bogus", code=2)
    assert shop("order", "list", "--fields", "id,gross", "--format", "csv").stdout.startswith("id,gross\n")


def test_a_near_miss_is_suggested(shop):
    assert "did you mean 'name'" in shop("customer", "list", "--fields", "id,nam", code=2).stderr


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-11-02", "2026-11-02"),
        ("2026/11/02", "2026-11-02"),
        ("02/11/2026", "2026-11-02"),  # a Greek office: day first
        ("2.11.2026", "2026-11-02"),
        ("today", "2026-11-02"),
        ("yesterday", "2026-11-01"),
        ("-3d", "2026-10-30"),
        ("bom", "2026-11-01"),
        ("-1w", "2026-10-26"),
        ("nov", "2026-11-01"),
        ("11/2026", "2026-11-01"),
        ("2026Q4", "2026-10-01"),
    ],
)
def test_a_date_as_people_write_it(shop, office, text, day):
    shop("ledger", "post", "--date", text, "Κεφάλαιο", "Assets:Bank", "10", "Equity:Capital")
    got = json.loads(shop("ledger", "register", "Assets:Bank", "--format", "json").stdout)
    assert [r["date"] for r in got] == [day]


def test_begin_and_end_take_the_same_words(shop, clock):
    shop("order", "add", "--customer", "1", "MUG:1")
    clock.set("2026-11-20T09:00:00+02:00")
    shop("order", "add", "--customer", "1", "MUG:1")
    ids = lambda r: [x["id"] for x in json.loads(r.stdout)]  # noqa: E731
    assert ids(shop("order", "list", "-b", "yesterday", "--format", "json")) == ["ORD-A-0002"]
    assert ids(shop("order", "list", "-b", "bom", "-e", "eom", "--format", "json")) == [
        "ORD-A-0001",
        "ORD-A-0002",
    ]
    assert ids(shop("order", "list", "-e", "-3d", "--format", "json")) == ["ORD-A-0001"]
    assert ids(shop("order", "list", "-b", "2026/11/10", "--format", "json")) == ["ORD-A-0002"]
    bad = shop("order", "list", "-b", "tomorow", code=1)
    assert "not a date" in bad.stderr and "yesterday" in bad.stderr


def test_an_american_office_reads_month_first(shop, office):
    text = (office / "office.yaml").read_text("utf-8").replace("country: GR", "country: US")
    (office / "office.yaml").write_text(text, "utf-8")
    shop("ledger", "post", "--date", "11/02/2026", "x", "Assets:Bank", "10", "Equity:Capital")
    shop("ledger", "post", "--date", "25/10/2026", "y", "Assets:Bank", "10", "Equity:Capital")  # only D/M
    got = json.loads(shop("ledger", "register", "Assets:Bank", "--format", "json").stdout)
    assert [r["date"] for r in got] == ["2026-10-25", "2026-11-02"]


def test_print_takes_several_ids_and_stdin(shop, tmp_path):
    for _ in range(2):
        shop("order", "add", "--customer", "1", "MUG:1")
    for n in ("1", "2"):
        shop("order", "forward", n)
        shop("order", "ship", n)
        shop("order", "invoice", n)
    ids = shop("invoice", "list", "--format", "ids").stdout
    out = tmp_path / "all.pdf"
    shop("print", "invoice", "-", "-o", out, input=ids)
    one = tmp_path / "one.pdf"
    shop("print", "invoice", "1", "-o", one)
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page\n") + data.count(b"/Type/Page\n") >= 0
    import re

    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert pages == 2 * len(re.findall(rb"/Type\s*/Page(?!s)", one.read_bytes()))
    folder = tmp_path / "docs"
    folder.mkdir()
    shop("print", "invoice", "1", "2", "-o", f"{folder}/")
    assert sorted(p.name for p in folder.iterdir()) == ["INV-A-0001.html", "INV-A-0002.html"] or sorted(
        p.name for p in folder.iterdir()
    ) == ["INV-A-0001.pdf", "INV-A-0002.pdf"]
    bad = shop("print", "invoice", "1", "2", "--to", "html", code=1)
    assert "one PDF" in bad.stderr


def test_print_statement_has_b_and_e(shop, tmp_path):
    out = shop("print", "statement", "1", "-b", "bom", "-e", "eom", "--to", "html").stdout
    assert "<html" in out
