"""doctor finds every kind of damage, one line each with the file; --repair never deletes a record."""

import os

from officecli.office.core import Office
from tests.conftest import snapshot


def _order(office):
    o = Office(office, "maria")
    with o.change():
        return o.create(
            "order",
            {
                "id": o.new_id("order"),
                "customer": "CUS-A-0001",
                "lines": [{"sku": "MUG-01", "name": "Mug", "qty": 1, "price": "12.50", "vat": "24"}],
            },
        )


def test_every_problem_is_one_line_naming_the_file(office, cli):
    rec = _order(office)
    (office / "front/customers/CUS-A-0001.yaml").write_text("id: CUS-A-0001\nname: a: b\n")
    (office / "front/customers/CUS-A-0002.yaml").write_text(
        "id: CUS-A-0002\n<<<<<<< HEAD\nname: a\n=======\nname: b\n>>>>>>> other\n"
    )
    (office / "front/customers/CUS-A-0003.yaml").write_text("id: CUS-A-0003\nname: 42\n")
    (office / "front/customers/CUS-A-0004.yaml").write_text(
        (office / rec.path).read_text().replace("ORD-A-0001", "CUS-A-0009")
    )
    (office / "back/orders/inbox/ORD-A-0001.yaml").write_bytes((office / rec.path).read_bytes())
    (office / "front/stray").mkdir()
    (office / "front/orders/open/notes.txt").write_text("hello")
    (office / "front/orders/open/.ORD-A-0001.yaml.tmp-1-ab").write_text("half")
    res = cli("doctor", code=1)
    lines = res.stdout.splitlines()
    expect = [
        "front/customers/CUS-A-0001.yaml:2: not valid YAML",
        "front/customers/CUS-A-0002.yaml:2: git conflict marker",
        "front/customers/CUS-A-0003.yaml: customer: name: 42 is not text",
        "front/customers/CUS-A-0003.yaml: customer: created: missing",
        "front/customers/CUS-A-0004.yaml: customer: name: missing",
        "front/customers/CUS-A-0004.yaml: id: 'CUS-A-0009' but the file is named CUS-A-0004.yaml",
        "front/orders/open/ORD-A-0001.yaml: the same ID as back/orders/inbox/ORD-A-0001.yaml",
        "front/stray/: a folder no workflow knows",
        "front/orders/open/notes.txt: a file no workflow knows",
        "front/orders/open/.ORD-A-0001.yaml.tmp-1-ab: leftover temp file",
    ]
    for want in expect:
        assert any(line.startswith(want) for line in lines), f"{want!r} not in {lines}"
    assert "problem(s)" in res.stderr


def test_repair_sweeps_temps_and_modes_but_never_deletes_a_record(office, cli):
    rec = _order(office)
    (office / "back/orders/inbox/ORD-A-0001.yaml").write_bytes((office / rec.path).read_bytes())
    (office / "front/orders/open/.ORD-A-0001.yaml.tmp-1-ab").write_text("half")
    cli(
        "employee",
        "add",
        "Άννα Ρήγα",
        "--office",
        "back",
        "--department",
        "accounting",
        "--title",
        "Λογίστρια",
        "--salary",
        "1500.00",
    )
    emp = next((office / "back/hr/pay").glob("*.yaml"))
    os.chmod(emp, 0o644)  # what a git clone gives
    os.chmod(office / "back/hr", 0o755)
    res = cli("doctor", "--repair", code=1)
    assert oct(emp.stat().st_mode & 0o777) == "0o600"
    assert "repaired: front/orders/open/.ORD-A-0001.yaml.tmp-1-ab: removed leftover temp file" in res.stdout
    assert "repaired: back/hr/: private again: 1 folder(s) set to 700, 1 file(s) to 600" in res.stdout
    assert "the same ID as" in res.stdout  # reported, not "fixed" by deleting
    assert (office / rec.path).exists() and (office / "back/orders/inbox/ORD-A-0001.yaml").exists()
    assert not (office / "front/orders/open/.ORD-A-0001.yaml.tmp-1-ab").exists()


def test_doctor_changes_nothing_without_repair(office, cli):
    (office / "front/orders/open/.x.yaml.tmp-1-ab").write_text("half")
    before = snapshot(office)
    cli("doctor", code=1)
    assert snapshot(office) == before


def test_bad_office_yaml_is_reported(office, cli):
    (office / "office.yaml").write_text("company:\n  name: X\n  site: a/b\naccounts:\n  Assets:Bank: asset\n")
    res = cli("doctor", code=1)
    assert "office.yaml: company.site: 'a/b' is not a site code" in res.stdout


def test_doctor_checks_the_books_too(office, cli):
    cli("ledger", "post", "Opening capital", "Assets:Bank", "1000.00", "Equity:Capital")
    txn = next((office / "back/ledger").rglob("TXN-*.yaml"))
    txn.write_text(txn.read_text().replace("'-1000.00'", "'-999.00'"))
    res = cli("doctor", code=1)
    lines = [l for l in res.stdout.splitlines() if "do not balance" in l]
    assert lines == [f"{txn.relative_to(office).as_posix()}: postings: do not balance, they sum to 1.00"]


def test_any_writer_makes_a_fresh_clones_private_files_private_again(office, cli):
    cli(
        "employee",
        "add",
        "Άννα Ρήγα",
        "--office",
        "back",
        "--department",
        "accounting",
        "--title",
        "Λογίστρια",
        "--salary",
        "1500.00",
    )
    emp = next((office / "back/hr/pay").glob("*.yaml"))
    os.chmod(emp, 0o644)
    os.chmod(office / "back/hr", 0o755)
    res = cli("customer", "add", "Μαρία", "--email", "m@example.gr")
    assert res.stderr == ""  # silently: a cron job prints nothing
    assert oct(emp.stat().st_mode & 0o777) == "0o600"
    assert oct((office / "back/hr").stat().st_mode & 0o777) == "0o700"
    cli("doctor")


def test_the_walk_on_two_cores_says_what_one_process_says(tmp_path, monkeypatch):
    """doctor checks the second half of a big tree in a forked child: the same lines, in
    the same order, as one process (forced here on the small sample)."""
    from officecli.office.checks import doctor, doctorwalk
    from officecli.office.workflows import PRIVATE
    from officecli.store import prefetch
    from officecli.store.tree import Store
    from tests.robust.support import copy_sample

    root = copy_sample(tmp_path / "office")
    ledger = sorted((root / "back/ledger").rglob("TXN-*.yaml"))
    orders = sorted((root / "archive/orders").rglob("ORD-*.yaml"))
    (root / "front/customers/CUS-A-0001.yaml").write_text("id: CUS-A-0001\nname: a: b\n")
    (root / "back/orders/inbox" / orders[-1].name).write_bytes(orders[-1].read_bytes())  # a twin
    ledger[-1].write_text(ledger[-1].read_text().replace("amount: '", "amount: 'x", 1))
    (root / "back/stock/odd").mkdir(parents=True)
    orders[0].write_text(orders[0].read_text().replace("customer: CUS-A-", "customer: CUS-A-9"))

    def said(split: int, quick: bool = False) -> list[str]:
        monkeypatch.setattr(doctorwalk, "SPLIT", split)
        return [str(p) for p in doctor.check(Store(root, PRIVATE), quick=quick)]

    monkeypatch.setattr(prefetch, "cores", lambda: 2)
    one = said(10**9)
    assert any("the same ID as" in line for line in one) and len(one) >= 5
    shutil_rm_cache(root)
    two = said(1)
    assert two == one
    assert said(1, quick=True) == said(10**9, quick=True) == one


def shutil_rm_cache(root):
    import shutil

    shutil.rmtree(root / ".officecli" / "cache", ignore_errors=True)
