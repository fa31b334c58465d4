"""Hostile values (issue 11): hangs, silent wrong figures, a doctor that stops or crashes, edges.

Each case plants one bad value in a copy of the sample company. For every
case: the hostile-tree property holds for every command of the matrix
(READS + WRITES: finishes, exit 0 or exit 1 with one line, nothing outside the
root changed, a refusal changes nothing), and doctor names the planted file.

The default suite plants every case at once (each in its own file) and runs the
whole matrix on that tree, and checks each case alone with doctor and the
commands that read its file; ``-m slow`` runs the whole matrix on each case alone.
"""

from __future__ import annotations

import marshal
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.harness import READS, WRITES, check, make_case, run_all
from tests.robust.support import NOW, environ, inproc


def _bomb(levels: int = 9) -> list[str]:
    """A billion-laughs alias bomb: about 1 KB that would expand to 9**9 items."""
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    return lines


def _sub(root: Path, rel: str, pattern: str, new: str, count: int = 1) -> None:
    path = root / rel
    text = path.read_text("utf-8")
    changed, n = re.subn(pattern, lambda m: new, text, count=count, flags=re.M)
    assert n, f"{rel}: {pattern!r} not found"
    path.write_text(changed, "utf-8")


def _append(root: Path, rel: str, text: str) -> None:
    with open(root / rel, "a", encoding="utf-8") as f:
        f.write(text)


def _block(root: Path, rel: str, key: str, new: str) -> None:
    """Replace a top-level key and its indented block."""
    _sub(root, rel, rf"^{key}:.*\n(?:[ -].*\n)*", new)


# case -> (planted file, plant(root), what doctor says about it)
CASES = {
    # -- hangs
    "alias bomb after an order": (
        "front/orders/open/ORD-A-0009.yaml",
        lambda r: _append(r, "front/orders/open/ORD-A-0009.yaml", "\n".join(_bomb()) + "\n"),
        "an anchor",
    ),
    "alias bomb in a customer's name": (
        "front/customers/CUS-A-0001.yaml",
        lambda r: _sub(
            r, "front/customers/CUS-A-0001.yaml", r"^name: .*$", "\n".join(_bomb()) + "\nname: *l8"
        ),
        "an anchor",
    ),
    # -- silent wrong figures
    "amount: NaN": (
        "back/ledger/2026/11/TXN-A-0017.yaml",
        lambda r: _sub(r, "back/ledger/2026/11/TXN-A-0017.yaml", r"^  amount: .*$", "  amount: NaN"),
        "amount",
    ),
    "amount: '1e3'": (
        "back/ledger/2026/11/TXN-A-0018.yaml",
        lambda r: _sub(
            r, "back/ledger/2026/11/TXN-A-0018.yaml", r"^  amount: '(\d+)\.00'$", "  amount: '1e3'"
        ),
        "amount",
    ),
    "two customer: lines": (
        "front/orders/open/ORD-A-0011.yaml",
        lambda r: _sub(
            r,
            "front/orders/open/ORD-A-0011.yaml",
            r"^(customer: .*)$",
            "customer: CUS-A-0002\ncustomer: CUS-A-0005",
        ),
        "the same key twice",
    ),
    "two postings:": (
        "back/ledger/2026/11/TXN-A-0021.yaml",
        lambda r: _append(
            r,
            "back/ledger/2026/11/TXN-A-0021.yaml",
            "postings:\n- account: Assets:Bank\n  amount: '5.00'\n- account: Equity:Capital\n  amount: '-5.00'\n",
        ),
        "the same key twice",
    ),
    "qty: -12": (
        "back/orders/inbox/ORD-A-0007.yaml",
        lambda r: _sub(r, "back/orders/inbox/ORD-A-0007.yaml", r"^  qty: .*$", "  qty: -12"),
        "qty",
    ),
    "a 23-digit qty": (
        "back/orders/shipped/ORD-A-0012.yaml",
        lambda r: _sub(r, "back/orders/shipped/ORD-A-0012.yaml", r"^  qty: .*$", "  qty: " + "9" * 23),
        "23 digits",
    ),
    "a negative price": (
        "back/products/MUG-AEG.yaml",
        lambda r: _sub(r, "back/products/MUG-AEG.yaml", r"^price: .*$", "price: '-12.50'"),
        "price",
    ),
    "a negative salary": (
        "back/hr/pay/PAY-A-0001.yaml",
        lambda r: _sub(r, "back/hr/pay/PAY-A-0001.yaml", r"^salary: .*$", "salary: '-1850.00'"),
        "salary",
    ),
    "a VAT rate not in office.yaml": (
        "back/products/BOWL-MIL.yaml",
        lambda r: _sub(r, "back/products/BOWL-MIL.yaml", r"^vat: .*$", "vat: '99'"),
        "VAT rates",
    ),
    "lines: []": (
        "back/orders/inbox/ORD-A-0010.yaml",
        lambda r: _block(r, "back/orders/inbox/ORD-A-0010.yaml", "lines", "lines: []\n"),
        "lines: is empty",
    ),
    "a customer that does not exist": (
        "archive/orders/closed/2026/ORD-A-0001.yaml",
        lambda r: _sub(
            r, "archive/orders/closed/2026/ORD-A-0001.yaml", r"^customer: .*$", "customer: CUS-A-0999"
        ),
        "no customer CUS-A-0999",
    ),
    "office: space": (
        "back/staff/active/EMP-A-0002.yaml",
        lambda r: _sub(r, "back/staff/active/EMP-A-0002.yaml", r"^office: .*$", "office: space"),
        "office",
    ),
    "reorder_level: -5": (
        "back/products/JUG-LIN.yaml",
        lambda r: _sub(r, "back/products/JUG-LIN.yaml", r"^reorder_level: .*$", "reorder_level: -5"),
        "reorder_level",
    ),
    # -- doctor stopped or crashed
    "account: [a]": (
        "back/ledger/2026/11/TXN-A-0022.yaml",
        lambda r: _sub(r, "back/ledger/2026/11/TXN-A-0022.yaml", r"^- account: .*$", "- account: [a]"),
        "account",
    ),
    "a 5,000-digit integer": (
        "back/stock/2026/10/MOV-A-0001.yaml",
        lambda r: _sub(r, "back/stock/2026/10/MOV-A-0001.yaml", r"^qty: .*$", "qty: " + "7" * 5000),
        "5000 digits",
    ),
    "not UTF-8": (
        "front/customers/CUS-A-0004.yaml",
        lambda r: (r / "front/customers/CUS-A-0004.yaml").write_bytes(b"id: CUS-A-0004\nname: \xff\xfe\n"),
        "not UTF-8",
    ),
    "a tag": (
        "back/ledger/2026/11/TXN-A-0023.yaml",
        lambda r: _sub(
            r, "back/ledger/2026/11/TXN-A-0023.yaml", r"^  amount: '(.*)'$", "  amount: !!str '1.00'"
        ),
        "a tag",
    ),
    "a long conflict marker": (
        "front/customers/CUS-A-0003.yaml",
        lambda r: _sub(
            r,
            "front/customers/CUS-A-0003.yaml",
            r"^(email: .*)$",
            "<<<<<<<<<< ours\nemail: a@example.org\n==========\nemail: b@example.org\n>>>>>>>>>> theirs",
        ),
        "git conflict marker",
    ),
    # -- edges
    "a bidi override in a name": (
        "front/customers/CUS-A-0002.yaml",
        lambda r: _sub(r, "front/customers/CUS-A-0002.yaml", r"^name: .*$", 'name: "evil\\u202Etxt.exe"'),
        "U+202E",
    ),
    "a year 9999 time": (
        "back/stock/2026/10/MOV-A-0002.yaml",
        lambda r: _sub(
            r, "back/stock/2026/10/MOV-A-0002.yaml", r"^at: .*$", "at: '9999-12-31T23:59:59-12:00'"
        ),
        "at",
    ),
    "an Arabic-Indic digit as a qty": (
        "back/stock/2026/10/MOV-A-0003.yaml",
        lambda r: _sub(r, "back/stock/2026/10/MOV-A-0003.yaml", r"^qty: .*$", "qty: ٣"),
        "qty",
    ),
}

# the commands that read each case's file, for the quick per-case check
READERS = {
    "front/orders/open/ORD-A-0009.yaml": [("order", "show", "9"), ("order", "list")],
    "front/customers/CUS-A-0001.yaml": [("customer", "list"), ("order", "list")],
    "back/ledger/2026/11/TXN-A-0017.yaml": [("report", "pnl"), ("ledger", "balance")],
    "back/ledger/2026/11/TXN-A-0018.yaml": [("report", "pnl"), ("ledger", "check")],
    "front/orders/open/ORD-A-0011.yaml": [("order", "show", "11")],
    "back/ledger/2026/11/TXN-A-0021.yaml": [("ledger", "balance")],
    "back/orders/inbox/ORD-A-0007.yaml": [("stock", "list"), ("order", "show", "7")],
    "back/orders/shipped/ORD-A-0012.yaml": [("order", "show", "12")],
    "back/products/MUG-AEG.yaml": [("product", "list")],
    "back/hr/pay/PAY-A-0001.yaml": [("employee", "list", "--show-pay"), ("payroll", "run", "2026-12")],
    "back/products/BOWL-MIL.yaml": [("product", "show", "BOWL-MIL")],
    "back/orders/inbox/ORD-A-0010.yaml": [("order", "list")],
    "archive/orders/closed/2026/ORD-A-0001.yaml": [("order", "show", "1")],
    "back/staff/active/EMP-A-0002.yaml": [("employee", "list")],
    "back/products/JUG-LIN.yaml": [("stock", "low")],
    "back/ledger/2026/11/TXN-A-0022.yaml": [("ledger", "balance"), ("report", "pnl")],
    "back/stock/2026/10/MOV-A-0001.yaml": [("stock", "list")],
    "front/customers/CUS-A-0004.yaml": [("customer", "list")],
    "back/ledger/2026/11/TXN-A-0023.yaml": [("ledger", "register")],
    "front/customers/CUS-A-0003.yaml": [("customer", "show", "3")],
    "front/customers/CUS-A-0002.yaml": [("customer", "list")],
    "back/stock/2026/10/MOV-A-0002.yaml": [("stock", "moves")],
    "back/stock/2026/10/MOV-A-0003.yaml": [("stock", "list")],
}


def _doctor_names(res, rel: str, says: str) -> None:
    lines = [line for line in res.stdout.splitlines() if line.startswith(rel)]
    assert lines, f"doctor does not name {rel}:\n{res.stdout}"
    assert any(says in line for line in lines), f"doctor on {rel} does not say {says!r}: {lines}"


@pytest.mark.parametrize("case", CASES)
def test_each_case_alone(tmp_path, case):
    """doctor names the planted file and finishes; the commands that read it keep the property."""
    rel, plant, says = CASES[case]
    root, canary = make_case(tmp_path)
    plant(root)
    for args in READERS[rel]:
        res = check(root, canary, args)
        if res.returncode == 1:
            assert rel in res.stderr + res.stdout, res.stderr
    res = check(root, canary, ("doctor",))
    assert res.returncode == 1
    _doctor_names(res, rel, says)


def test_every_case_at_once_through_the_whole_matrix(tmp_path):
    """All cases planted together: every command keeps the property; doctor names them all."""
    root, canary = make_case(tmp_path)
    for _rel, plant, _ in CASES.values():
        plant(root)
    results = run_all(root, canary)
    doctor = results[("doctor",)]
    assert doctor.returncode == 1
    for rel, _, says in CASES.values():
        _doctor_names(doctor, rel, says)
    assert "NaN" not in results[("report", "pnl")].stdout


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_each_case_through_the_whole_matrix(tmp_path, case):
    rel, plant, says = CASES[case]
    root, canary = make_case(tmp_path)
    plant(root)
    results = run_all(root, canary, READS + WRITES)
    _doctor_names(results[("doctor",)], rel, says)


def test_report_pnl_never_prints_nan(tmp_path):
    root, canary = make_case(tmp_path)
    CASES["amount: NaN"][1](root)
    res = check(root, canary, ("report", "pnl"))
    assert res.returncode == 1 and "TXN-A-0017" in res.stderr and "NaN" not in res.stdout


def test_an_alias_bomb_is_refused_before_it_grows(tmp_path):
    """Refused from the parser's events: the bomb never expands (a bigger one than the issue's)."""
    root, canary = make_case(tmp_path)
    _append(root, "front/orders/open/ORD-A-0009.yaml", "\n".join(_bomb(14)) + "\n")
    res = check(root, canary, ("order", "show", "9"), timeout=20)
    assert res.returncode == 1 and "ORD-A-0009.yaml:" in res.stderr and "anchor" in res.stderr


# -- the cache ---------------------------------------------------------------------------------


def _edit_shard(root: Path, folder: str, rel: str, edit) -> None:
    shard = root / ".officecli" / "cache" / (folder.replace("/", "%2F") + ".marshal")
    version, entries = marshal.loads(shard.read_bytes())
    key, data = entries[rel]
    entries[rel] = (key, edit(data))
    shard.write_bytes(marshal.dumps((version, entries)))


def test_an_edited_cache_shard_is_reported_by_doctor_and_ledger_check(tmp_path):
    root, canary = make_case(tmp_path)
    rel = "back/ledger/2026/11/TXN-A-0017.yaml"
    assert check(root, canary, ("ledger", "balance")).returncode == 0  # warms the cache

    def richer(data):
        data = dict(data)
        data["postings"] = [dict(p, amount=p["amount"].replace("294", "994")) for p in data["postings"]]
        return data

    _edit_shard(root, "back/ledger/2026/11", rel, richer)
    for args in (("doctor",), ("ledger", "check")):
        res = check(root, canary, args)
        assert res.returncode == 1 and f"{rel}: the cache" in res.stdout, res.stdout
    res = check(root, canary, ("doctor", "--repair"))
    assert res.returncode == 0, res.stdout
    assert check(root, canary, ("ledger", "check")).returncode == 0


def test_a_malformed_cache_entry_is_discarded_silently(tmp_path):
    root, canary = make_case(tmp_path)
    assert check(root, canary, ("ledger", "balance")).returncode == 0
    before = check(root, canary, ("report", "pnl")).stdout
    _edit_shard(root, "back/ledger/2026/11", "back/ledger/2026/11/TXN-A-0017.yaml", lambda d: 42)
    shard = root / ".officecli/cache/back%2Fledger%2F2026%2F11.marshal"
    version, entries = marshal.loads(shard.read_bytes())
    entries["back/ledger/2026/11/TXN-A-0018.yaml"] = ("not", "a", "pair")
    shard.write_bytes(marshal.dumps((version, entries)))
    res = check(root, canary, ("report", "pnl"))
    assert res.returncode == 0 and res.stdout == before and res.stderr == ""


# -- edges: options and the environment ----------------------------------------------------------

EDGE_COMMANDS = [
    (("report", "daily", "--date", "0001-01-01"), {}, "1900"),
    (("payroll", "run", "0000-01"), {}, "1900"),
    (("ledger", "post", "--date", "9999-12-31", "Rent", "Expenses:Rent", "10.00", "Assets:Bank"), {}, "1900"),
    (("report", "daily"), {"OFFICECLI_NOW": "0001-01-01T00:00:00+14:00"}, "OFFICECLI_NOW"),
    (("customer", "add", "Late"), {"OFFICECLI_NOW": "9999-12-31T23:59:59-12:00"}, "OFFICECLI_NOW"),
    (("order", "add", "--customer", "1", "MUG-AEG:²"), {}, "MUG-AEG:²"),
    (("order", "add", "--customer", "1", "MUG-AEG:٣"), {}, "MUG-AEG:٣"),
    (("order", "add", "--customer", "1", "MUG-AEG:１２"), {}, "MUG-AEG:１２"),
    (("stock", "receive", "MUG-AEG", "١٢"), {}, "QTY"),
    (("stock", "adjust", "MUG-AEG", "-٣", "--reason", "x"), {}, "-٣"),
    (("customer", "add", "evil\u202etxt.exe"), {}, "U+202E"),
    (("ledger", "post", "Rent\u2066", "Expenses:Rent", "10.00", "Assets:Bank"), {}, "U+2066"),
    (("invoice", "pay", "3", "١٠.٠٠"), {}, "١٠.٠٠"),
]


@pytest.mark.parametrize("args,env,says", EDGE_COMMANDS, ids=[" ".join(a) for a, _, _ in EDGE_COMMANDS])
def test_edges_are_refused_with_one_line(tmp_path, args, env, says):
    root, canary = make_case(tmp_path)
    res = check(root, canary, args, **env)
    assert res.returncode == 1 and says in res.stderr, res.stderr


@pytest.mark.parametrize("content", [b"\xff\xfeA\n", b"../B\n", b"A B\n", b"\n" * 3 + b"x" * 5000])
def test_a_bad_site_file_is_named(tmp_path, content):
    root, canary = make_case(tmp_path)
    (root / ".officecli").mkdir(exist_ok=True)
    (root / ".officecli" / "site").write_bytes(content)
    for args in (("order", "list"), ("doctor",)):
        check(root, canary, args)  # a read needs no site: the property holds
    res = check(root, canary, ("customer", "add", "X"))  # a writer does: refused, naming the file
    assert res.returncode == 1 and ".officecli/site" in res.stderr, res


# -- folders and files that cannot be read (needs a user without CAP_DAC_OVERRIDE) ---------------

_NO_DAC = "-dac_override,-dac_read_search"


def _clerk() -> list[str]:
    """A command prefix that runs as root without the right to read others' files (a clerk)."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or not setpriv:
        pytest.skip("needs root and setpriv (to drop CAP_DAC_OVERRIDE): reads as a user who may not")
    return [setpriv, f"--inh-caps={_NO_DAC}", f"--bounding-set={_NO_DAC}"]


def _hide(path: Path) -> None:
    """Make a file or folder HR's (another user's), mode 0700/0600."""
    for folder, _dirs, files in os.walk(path) if path.is_dir() else [(str(path.parent), [], [path.name])]:
        if path.is_dir():
            os.chown(folder, 65534, 65534)
            os.chmod(folder, 0o700)
        for name in files:
            os.chown(os.path.join(folder, name), 65534, 65534)
            os.chmod(os.path.join(folder, name), 0o600)


def _run_as(prefix, root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "officecli", "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=environ(),
    )


def test_a_clerk_without_back_hr_is_told_so(tmp_path):
    prefix = _clerk()
    root, canary = make_case(tmp_path)
    _hide(root / "back" / "hr")
    res = _run_as(prefix, root, "doctor")
    assert res.returncode == 1
    assert "back/hr: permission denied: pay is private to HR" in res.stdout, res.stdout
    assert not [
        line for line in res.stdout.splitlines() if "no employee" in line or line.startswith("back/hr/")
    ], res.stdout
    for args in (("payroll", "run", "2026-12"), ("payroll", "list"), ("employee", "list", "--show-pay")):
        res = _run_as(prefix, root, *args)  # they need back/hr: told so
        assert res.returncode == 1 and "permission denied" in res.stderr, (args, res)
        assert len(res.stderr.strip().splitlines()) == 1
    for args in (("order", "list"), ("employee", "list"), ("report", "daily")):
        res = _run_as(prefix, root, *args)  # what is public still works
        assert res.returncode == 0, (args, res.stderr)


def test_an_unreadable_file_is_one_line_and_doctor_goes_on(tmp_path):
    prefix = _clerk()
    root, canary = make_case(tmp_path)
    _hide(root / "front/customers/CUS-A-0002.yaml")
    CASES["amount: NaN"][1](root)
    res = _run_as(prefix, root, "doctor")
    assert res.returncode == 1
    assert "front/customers/CUS-A-0002.yaml: permission denied" in res.stdout, res.stdout
    assert "TXN-A-0017.yaml" in res.stdout  # the walk went on
    res = _run_as(prefix, root, "customer", "list")
    assert res.returncode == 1 and "CUS-A-0002.yaml: permission denied" in res.stderr


def test_the_sample_is_valid_under_every_rule(tmp_path):
    root, _ = make_case(tmp_path)
    res = inproc(root, "doctor", now=NOW)
    assert res.exit_code == 0, res.output
