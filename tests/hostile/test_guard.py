"""One guard for every path officecli touches (issue 22, points 5, 7 and 8).

Each case plants one thing in a copy of the sample company beside a canary folder and
runs commands as real processes through the hostile-tree property
(tests/hostile/harness.py): finishes, exit 0 or exit 1 with one line, nothing outside
the root changed, a refusal changes nothing inside.
"""

from __future__ import annotations

import os

import pytest

from tests.hostile.harness import check, make_case


def _export(out) -> tuple:
    return ("ledger", "export", "--to", "hledger", "-o", str(out))


@pytest.mark.parametrize("kind", ["link_out", "link_office", "office_yaml", "dotdot", "fifo", "hardlink"])
def test_every_output_file_goes_through_the_guard(tmp_path, kind):
    root, canary = make_case(tmp_path)
    out = tmp_path / "books.journal"
    if kind == "link_out":
        os.symlink(canary / "victim.txt", out)
    elif kind == "link_office":
        os.symlink(root / "office.yaml", out)
    elif kind == "office_yaml":
        out = root / "office.yaml"
    elif kind == "dotdot":
        out = canary / ".." / "records" / "office.yaml"
    elif kind == "fifo":
        os.mkfifo(out)
    else:
        os.link(canary / "victim.txt", out)
    office = (root / "office.yaml").read_bytes()
    res = check(root, canary, _export(out))
    assert res.returncode == 1 and "-o" in res.stderr, res.stdout
    assert (root / "office.yaml").read_bytes() == office


def test_an_output_file_elsewhere_is_written(tmp_path):
    root, canary = make_case(tmp_path)
    out = tmp_path / "books.journal"
    res = check(root, canary, _export(out))
    assert res.returncode == 0 and out.read_text().strip()


PAY = "back/hr/pay/PAY-A-0001.yaml"
SALARY = "1850.00"


def _invoice_template(root, body: str) -> None:
    (root / "templates" / "invoice.html").write_text(body)


def _print(tmp_path) -> tuple:
    return ("print", "invoice", "2", "-o", str(tmp_path / "out.html"))


@pytest.mark.parametrize("kind", ["folder_link", "logo_link", "logo_hardlink", "self_link", "fifo"])
def test_templates_never_reach_pay(tmp_path, kind):
    root, canary = make_case(tmp_path)
    templates = root / "templates"
    if kind == "folder_link":
        os.symlink("../back/hr", templates / "x")
        _invoice_template(root, '{% include "x/pay/PAY-A-0001.yaml" %}')
    elif kind in ("logo_link", "logo_hardlink"):
        os.unlink(templates / "logo.svg")
        (os.symlink if kind == "logo_link" else os.link)(root / PAY, templates / "logo.svg")
    elif kind == "self_link":
        os.symlink(".", templates / "loop")
        _invoice_template(root, '{% include "loop/loop/loop/invoice.html" %}')
    else:
        os.mkfifo(templates / "part.html")
        _invoice_template(root, '{% include "part.html" %}')
    res = check(root, canary, _print(tmp_path))
    assert res.returncode == 1, res.stdout
    out = tmp_path / "out.html"
    assert not out.exists() or SALARY not in out.read_text()


@pytest.mark.parametrize(
    "body,said",
    [
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
            "too expensive",
        ),
        (
            "{% for i in range(10000) %}{% for j in range(10000) %}{{ i * j }}{% endfor %}{% endfor %}",
            "too expensive",
        ),
        ("{{ 'a' * 4000000000 }}", "too expensive"),
        ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}", "recursive"),
        ('{% include "invoice.html" %}', "recursive"),
    ],
)
def test_templates_have_limits(tmp_path, body, said):
    root, canary = make_case(tmp_path)
    _invoice_template(root, body)
    res = check(root, canary, _print(tmp_path), timeout=60)
    assert res.returncode == 1 and said in res.stderr, res.stderr


def test_a_hard_link_in_pay_is_never_chmodded(tmp_path):
    root, canary = make_case(tmp_path)
    os.link(canary / "victim.txt", root / "back/hr/pay/PAY-A-0090.yaml")  # mode 644, outside
    from tests.hostile.harness import WRITES

    for args in WRITES:
        check(root, canary, args)  # the canary's mode is part of the property
    res = check(root, canary, ("doctor",))
    assert "PAY-A-0090.yaml" in res.stdout + res.stderr and "hard links" in res.stdout + res.stderr


@pytest.mark.parametrize("kind", ["link", "gitfile"])
def test_hr_git_init_never_reaches_another_repository(tmp_path, kind):
    import subprocess

    root, canary = make_case(tmp_path)
    other = canary / "other"
    subprocess.run(["git", "init", "-q", str(other)], check=True)
    if kind == "link":
        os.symlink(other / ".git", root / "back/hr/.git")
    else:
        (root / "back/hr/.git").write_text(f"gitdir: {other / '.git'}\n")
    res = check(root, canary, ("hr", "git-init"))
    assert res.returncode == 1 and "back/hr/.git" in res.stderr, res.stderr


def _numbers(root, tops: dict, folders: dict | None = None) -> None:
    import marshal

    (root / ".officecli").mkdir(exist_ok=True)
    (root / ".officecli/numbers.marshal").write_bytes(marshal.dumps((1, folders or {}, tops)))


@pytest.mark.parametrize(
    "tops,args,want",
    [
        ({"INV-A": 4999, "seeded INV-A": 1}, ("order", "invoice", "ORD-A-0012"), "INV-A-0006"),
        ({"CUS-A": 999_999_999}, ("customer", "add", "Νέα Πελάτισσα"), "CUS-A-0007"),
        ({"CUS-A": "many"}, ("customer", "add", "Νέα Πελάτισσα"), "CUS-A-0007"),
        ({"CUS-A": 10**12}, ("customer", "add", "Νέα Πελάτισσα"), "CUS-A-0007"),
    ],
)
def test_a_crafted_numbers_file_is_rebuilt(tmp_path, tops, args, want):
    root, canary = make_case(tmp_path)
    _numbers(root, tops)
    res = check(root, canary, ("--format", "ids", *args))
    assert res.returncode == 0 and want in res.stdout, res.stdout + res.stderr


def test_a_crafted_numbers_file_of_another_shape_is_rebuilt(tmp_path):
    root, canary = make_case(tmp_path)
    _numbers(root, {"CUS-A": 3}, {"front/customers": ("x", {"CUS-A": 9})})
    res = check(root, canary, ("--format", "ids", "customer", "add", "Νέα Πελάτισσα"))
    assert res.returncode == 0 and "CUS-A-0007" in res.stdout, res.stdout + res.stderr


@pytest.mark.parametrize("kind", ["link", "fifo", "big"])
def test_pending_commit_note_is_never_followed_or_waited_on(tmp_path, kind):
    root, canary = make_case(tmp_path)
    (root / ".officecli").mkdir()
    note = root / ".officecli/pending-commit.json"
    if kind == "link":
        os.symlink(canary / "secret.txt", note)
    elif kind == "fifo":
        os.mkfifo(note)
    else:
        note.write_text('{"message": "' + "x" * (2 << 20) + '"}')
    from tests.hostile.harness import WRITES

    for args in [("doctor",), *WRITES[:2], ("customer", "list")]:
        res = check(root, canary, args)
        if args == ("doctor",):
            assert res.returncode == 1 and "pending-commit.json" in res.stdout + res.stderr


@pytest.mark.parametrize("kind", ["records", "office_yaml", "site"])
def test_a_linked_root_is_refused(tmp_path, kind):
    import subprocess
    import sys

    from tests.robust.support import environ

    root, canary = make_case(tmp_path)
    other = tmp_path / "elsewhere"
    other.mkdir()
    if kind == "records":
        os.symlink(root, other / "records")
        where = other
    elif kind == "office_yaml":
        os.unlink(root / "office.yaml")
        os.symlink(canary / "victim.txt", root / "office.yaml")
        where = root
    else:
        (root / ".officecli").mkdir()
        os.symlink(canary / "secret.txt", root / ".officecli/site")
        where = root
    res = subprocess.run(
        [sys.executable, "-m", "officecli", "customer", "add", "Νέος"],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in environ().items() if k != "OFFICECLI_ROOT"},
    )
    assert res.returncode == 1 and len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert "symbolic link" in res.stderr
    assert not list((root / "front/customers").glob("CUS-A-0007.yaml"))
