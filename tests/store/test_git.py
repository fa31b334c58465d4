"""git.autocommit: each command commits its own change, with a message that says what happened."""
import shutil
import subprocess

import pytest

from officecli.office.core import Office

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(root, *args):
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def test_autocommit_commits_each_change_alone(office, cli):
    _git(office, "init", "-q")
    _git(office, "add", "-A")
    _git(office, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init")
    text = (office / "office.yaml").read_text().replace("autocommit: false", "autocommit: true")
    (office / "office.yaml").write_text(text)
    _git(office, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "autocommit on")
    (office.parent / "unrelated.txt").write_text("not ours")

    o = Office(office, "maria")
    with o.change():
        rec = o.create("order", {"id": o.new_id("order"), "customer": "CUS-A-0001",
                                  "lines": [{"sku": "MUG-01", "name": "Mug", "qty": 1, "price": "12.50", "vat": "24"}]})
    with o.change():
        o.handoff(rec, "forward")
    # the CLI commits at the end of a command; do what App.close does
    from officecli.store import git
    assert git.commit(office, o.commit_message(), "maria") is None
    log = _git(office, "log", "--format=%s|%an", "-1")
    assert log.startswith("order forward ORD-A-0001: front/orders/open/ -> back/orders/inbox/ by maria (+1 more)")
    assert log.strip().endswith("|maria"), "git has no identity here: the officecli user is the author"
    show = _git(office, "show", "--stat", "--format=", "HEAD")
    assert "ORD-A-0001.yaml" in show and "office.yaml" not in show
    assert _git(office, "status", "--porcelain", "--", ".") == ""


def test_cli_autocommit_one_line_per_command(office, cli):
    _git(office, "init", "-q")
    text = (office / "office.yaml").read_text().replace("autocommit: false", "autocommit: true")
    (office / "office.yaml").write_text(text)
    _git(office, "add", "-A")
    _git(office, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init")
    cli("doctor")                                        # a reader: no commit
    assert _git(office, "rev-list", "--count", "HEAD").strip() == "1"
    cli("customer", "add", "Μαρία Παπαδοπούλου", "--email", "maria@example.gr", user="sofia")
    subject, author = _git(office, "log", "-1", "--format=%s|%an").strip().split("|")
    assert subject.startswith("customer add CUS-A-0001") and author == "sofia"
    cli("customer", "add", "Μαρία Άλλη", "--email", "maria@example.gr", code=1)   # refused: no commit
    assert _git(office, "rev-list", "--count", "HEAD").strip() == "2"
    assert _git(office, "status", "--porcelain").strip() == ""
