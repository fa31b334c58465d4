"""Bad input, command by command: a clear error and nothing changed.

The promise: "Bad input gets a clear error and changes nothing: exit 1 with ONE
line on stderr that names the record, file and field; click's exit 2 for usage;
never a traceback; the tree byte-for-byte as before."

Every case runs against a copy of the sample company (records/) with the clock
after its last entry, through click's CliRunner. For each case: the exit code
(1, or 2 for click's usage errors), exactly one stderr line starting with
"officecli: " (no "internal error"), no traceback, and the tree unchanged.

The refusals share one module-wide copy (they change nothing, which each case
checks); a case that did change it gets a fresh copy back, so one failure never
spreads. Cases that must damage the tree first (a broken file, a read-only
folder, a second site) make their own copy.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner

from officecli.cli import cli
from tests.conftest import snapshot

SAMPLE = Path(__file__).resolve().parents[2] / "records"
NOW = "2026-12-01T10:00:00+02:00"  # the sample's last entry is 2026-11-30T18:00


def _copy(dest: Path) -> Path:
    shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns(".officecli"))
    return dest


class Shop:
    """One copy of the sample, its snapshot, and the checks every refusal must pass."""

    def __init__(self, root: Path):
        self.root = root
        self.before = snapshot(root)

    def run(self, *args, env=None):
        return CliRunner().invoke(
            cli, ["--root", str(self.root), *map(str, args)], env=env, catch_exceptions=True
        )

    def refused(self, *args, code: int = 1, match: str | None = None, env=None):
        result = self.run(*args, env=env)
        shown = " ".join(map(repr, args))
        try:
            self._check(result, shown, code, match)
        finally:
            after = snapshot(self.root)
            if after != self.before:
                changed = sorted(
                    k for k in set(after) | set(self.before) if after.get(k, 0) != self.before.get(k, 0)
                )
                self.reset()
                raise AssertionError(f"{shown}: a refused command changed the tree: {changed[:5]}")
        return result

    def refused_each(self, rows):
        """refused() for each (args, match) row; every failing row is reported, not just the first."""
        failures = []
        for args, match in rows:
            try:
                self.refused(*args, match=match)
            except AssertionError as exc:
                failures.append(str(exc).splitlines()[0])
        assert not failures, "\n".join(failures)

    @staticmethod
    def _check(result, shown, code, match):
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"{shown}: raised\n" + "".join(traceback.format_exception(*result.exc_info)))
        err = result.stderr
        assert "Traceback" not in result.output + err, f"{shown}: a traceback\n{err}"
        assert result.exit_code == code, (
            f"{shown}: exit {result.exit_code}, want {code}\nstdout: {result.stdout}\nstderr: {err}"
        )
        lines = err.splitlines()
        if code == 1:
            assert len(lines) == 1, f"{shown}: want one line on stderr, got {lines!r}"
            assert lines[0].startswith("officecli: "), f"{shown}: {lines[0]!r}"
            assert "internal error" not in err, f"{shown}: {err}"
            assert result.stdout == "", f"{shown}: printed {result.stdout!r} and failed"
        else:  # click's usage error: Usage, a hint, one Error line
            assert [ln for ln in lines if ln.startswith("Error: ")], f"{shown}: {err}"
        if match is not None:
            assert match.lower() in err.lower(), f"{shown}: {match!r} not in {err!r}"

    @contextlib.contextmanager
    def spoiled(self, rel: str, spoil):
        """The file at rel spoiled by spoil(bytes) -> bytes for the block, then put back."""
        path = self.root / rel
        original = path.read_bytes()
        path.write_bytes(spoil(original))
        self.before = snapshot(self.root)
        try:
            yield path
        finally:
            path.write_bytes(original)
            self.before = snapshot(self.root)

    def reset(self):
        shutil.rmtree(self.root)
        _copy(self.root)
        self.before = snapshot(self.root)


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setenv("OFFICECLI_NOW", NOW)


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Shop:
    return Shop(_copy(tmp_path_factory.mktemp("bad") / "shop"))


@pytest.fixture
def shop(tmp_path) -> Shop:
    """A copy of its own, for cases that damage the tree before the refusal."""
    return Shop(_copy(tmp_path / "shop"))


def cases(*rows):
    """pytest params from (args..., match) rows; the id is the command line."""
    return [pytest.param(row[:-1], row[-1], id=" ".join(map(str, row[:-1]))[:90]) for row in rows]


# -- unknown IDs and path-like IDs, SKUs and names --------------------------------------------

UNKNOWN = cases(
    ("customer", "show", "999", "no such customer"),
    ("customer", "edit", "CUS-A-0099", "--name", "x", "no such customer"),
    ("product", "show", "NOPE", "no such SKU"),
    ("product", "edit", "NOPE", "--name", "x", "no such SKU"),
    ("stock", "receive", "NOPE", "1", "no such SKU"),
    ("stock", "adjust", "NOPE", "1", "--reason", "count", "no such SKU"),
    ("stock", "moves", "--sku", "NOPE", "no such SKU"),
    ("order", "show", "999", "no such order"),
    ("order", "forward", "ORD-A-0999", "no such order"),
    ("order", "ship", "999", "no such order"),
    ("order", "invoice", "999", "no such order"),
    ("order", "cancel", "999", "--reason", "x", "no such order"),
    ("order", "edit", "999", "--note", "x", "no such order"),
    ("order", "trace", "999", "no such order"),
    ("order", "add", "--customer", "999", "MUG-AEG:1", "no such customer"),
    ("order", "add", "--customer", "1", "NOPE:1", "no such SKU"),
    ("order", "list", "--customer", "999", "no such customer"),
    ("invoice", "show", "999", "no such invoice"),
    ("invoice", "pay", "999", "10", "no such invoice"),
    ("invoice", "credit", "999", "no such invoice"),
    ("invoice", "list", "--customer", "999", "no such customer"),
    ("complaint", "show", "999", "no such complaint"),
    ("complaint", "add", "--customer", "999", "broken", "no such customer"),
    ("complaint", "add", "--customer", "1", "broken", "--order", "999", "no such order"),
    ("complaint", "forward", "999", "no such complaint"),
    ("complaint", "take", "8", "--by", "999", "no such employee"),
    ("complaint", "resolve", "5", "--resolution", "x", "--improvement", "IMP-A-0999", "no such improvement"),
    (
        "complaint",
        "resolve",
        "5",
        "--resolution",
        "x",
        "--improvement",
        "new",
        "--sku",
        "NOPE",
        "no such product",
    ),
    ("complaint", "list", "--customer", "999", "no such customer"),
    ("improvement", "show", "999", "no such improvement"),
    ("improvement", "add", "better box", "--sku", "NOPE", "no such product"),
    ("improvement", "decide", "999", "accept", "no such improvement"),
    ("improvement", "done", "999", "--note", "x", "no such improvement"),
    ("ledger", "reverse", "999", "no such ledger txn"),
    ("ledger", "post", "x", "Assets:Bank", "1", "Income:Other", "--ref", "ORD-A-0999", "no such record"),
    ("ledger", "post", "x", "Assets:Nope", "1", "Income:Other", "Assets:Nope"),
    ("employee", "show", "999", "no such employee"),
    ("employee", "edit", "999", "--title", "x", "no such employee"),
    ("employee", "end", "999", "--date", "2026-11-30", "no such employee"),
    ("employee", "leave-request", "999", "--from", "2026-12-10", "--to", "2026-12-11", "no such employee"),
    ("employee", "leave-approve", "999", "no such leave"),
    ("employee", "leave-reject", "999", "no such leave"),
    ("payroll", "show", "2026-01", "not run yet"),
    ("payroll", "pay", "2026-12", "not run yet"),
)


@pytest.mark.parametrize("args,match", UNKNOWN)
def test_unknown_ids(shared, args, match):
    shared.refused(*args, match=match)


PATHLIKE = ["../x", "a/b", ".hidden", "a b", "x\x00y", "x\ny", "9\n9", "x\u2028y", ""]
ID_COMMANDS = [
    ("customer", "show", "{}"),
    ("customer", "edit", "{}", "--name", "x"),
    ("order", "show", "{}"),
    ("order", "forward", "{}"),
    ("order", "cancel", "{}", "--reason", "x"),
    ("order", "add", "--customer", "{}", "MUG-AEG:1"),
    ("invoice", "pay", "{}", "1"),
    ("invoice", "credit", "{}"),
    ("complaint", "take", "{}"),
    ("complaint", "add", "--customer", "1", "x", "--order", "{}"),
    ("improvement", "decide", "{}", "accept"),
    ("ledger", "reverse", "{}"),
    ("employee", "end", "{}", "--date", "2026-11-30"),
    ("employee", "leave-approve", "{}"),
]
SKU_COMMANDS = [
    ("product", "show", "{}"),
    ("product", "edit", "{}", "--name", "x"),
    ("product", "add", "{}", "--name", "x", "--price", "1"),
    ("stock", "receive", "{}", "1"),
    ("stock", "adjust", "{}", "1", "--reason", "x"),
    ("stock", "moves", "--sku", "{}"),
    ("order", "add", "--customer", "1", "{}:1"),
    ("order", "edit", "9", "--add", "{}:1"),
    ("improvement", "add", "x", "--sku", "{}"),
]


def _fill(template, value):
    return tuple(value if part == "{}" else part.replace("{}", value) for part in template)


@pytest.mark.parametrize("template", ID_COMMANDS + SKU_COMMANDS, ids=lambda t: " ".join(t[:2]))
def test_path_like_ids_and_skus_never_reach_the_file_system(shared, template):
    shared.refused_each((_fill(template, value), None) for value in PATHLIKE)


def test_path_like_skus_leave_no_file_anywhere(shared, tmp_path):
    for sku in ("../escaped", "back/products/../../escaped", "/tmp/escaped"):
        shared.refused("product", "add", sku, "--name", "x", "--price", "1", match="not a valid name")
    assert not (shared.root.parent / "escaped.yaml").exists()


def test_an_ambiguous_suffix_lists_the_candidates(shop):
    res = shop.run("customer", "add", "Βασίλης Β", env={"OFFICECLI_SITE": "B"})
    assert res.exit_code == 0 and "CUS-B-0001" in res.stdout, res.stderr
    shop.before = snapshot(shop.root)
    # at a third site neither is its own: a bare number names both (issue 10: a site's own
    # record comes first, so at A '1' is CUS-A-0001 and at B it is CUS-B-0001)
    for args in (
        ("customer", "show", "1"),
        ("customer", "edit", "0001", "--name", "x"),
        ("order", "add", "--customer", "1", "MUG-AEG:1"),
        ("complaint", "add", "--customer", "1", "broken"),
    ):
        shop.refused(
            *args, env={"OFFICECLI_SITE": "C"}, match="ambiguous, it could be CUS-A-0001, CUS-B-0001"
        )
    assert "CUS-A-0001" in shop.run("customer", "show", "1").stdout  # this site's first
    assert "CUS-B-0001" in shop.run("customer", "show", "1", env={"OFFICECLI_SITE": "B"}).stdout
    assert shop.run("customer", "show", "A-0001").exit_code == 0  # a longer suffix is unique
    shop.refused("customer", "add", "x", env={"OFFICECLI_SITE": "b"}, match="site 'b'")


# -- wrong-state steps: every handoff verb of every workflow -----------------------------------
# The sample: orders open 9 11, inbox 7 10, shipped 12, invoiced 4 8, closed 1 2 6,
# cancelled 3 5; complaints new 9, inbox 8, working 5, waiting 6, answered 2 7,
# closed 1 3 4; improvements open 4, accepted 2, rejected 3, done 1; invoices open 3 5,
# paid 1 2, credited 4; employees former 8; leave requested 2, approved 1 4, rejected 3.

WRONG_STATE = cases(
    *[
        ("order", "forward", n, f"state is {s}")
        for n, s in [(7, "inbox"), (12, "shipped"), (4, "invoiced"), (1, "closed"), (3, "cancelled")]
    ],
    *[
        ("order", "ship", n, f"state is {s}")
        for n, s in [(9, "open"), (12, "shipped"), (4, "invoiced"), (1, "closed"), (3, "cancelled")]
    ],
    *[
        ("order", "invoice", n, f"state is {s}")
        for n, s in [(9, "open"), (7, "inbox"), (4, "invoiced"), (1, "closed"), (3, "cancelled")]
    ],
    *[
        ("order", "cancel", n, "--reason", "x", f"state is {s}")
        for n, s in [(12, "shipped"), (4, "invoiced"), (1, "closed"), (3, "cancelled")]
    ],
    *[
        ("order", "edit", n, "--note", "x", f"state is {s}")
        for n, s in [(7, "inbox"), (12, "shipped"), (1, "closed")]
    ],
    *[
        ("complaint", "forward", n, f"state is {s}")
        for n, s in [(8, "inbox"), (5, "working"), (2, "answered"), (1, "closed")]
    ],
    *[
        ("complaint", "take", n, f"state is {s}")
        for n, s in [(9, "new"), (5, "working"), (6, "waiting"), (1, "closed")]
    ],
    *[
        ("complaint", "wait", n, "--note", "x", f"state is {s}")
        for n, s in [(9, "new"), (8, "inbox"), (6, "waiting"), (2, "answered")]
    ],
    *[
        ("complaint", "resume", n, f"state is {s}")
        for n, s in [(8, "inbox"), (5, "working"), (2, "answered")]
    ],
    *[
        ("complaint", "resolve", n, "--resolution", "x", f"state is {s}")
        for n, s in [(9, "new"), (8, "inbox"), (6, "waiting"), (2, "answered"), (1, "closed")]
    ],
    *[
        ("complaint", "close", n, f"state is {s}")
        for n, s in [(9, "new"), (5, "working"), (6, "waiting"), (1, "closed")]
    ],
    *[
        ("complaint", "reopen", n, "--note", "x", f"state is {s}")
        for n, s in [(9, "new"), (8, "inbox"), (5, "working"), (6, "waiting")]
    ],
    *[
        ("improvement", "decide", n, verb, "--note", "x", f"state is {s}")
        for n, s in [(2, "accepted"), (3, "rejected"), (1, "done")]
        for verb in ("accept", "reject")
    ],
    *[
        ("improvement", "done", n, "--note", "x", f"state is {s}")
        for n, s in [(4, "open"), (3, "rejected"), (1, "done")]
    ],
    ("invoice", "pay", 1, "10", "state is paid"),
    ("invoice", "pay", 4, "10", "state is credited"),
    ("invoice", "pay", 2, "all", "state is paid"),
    ("invoice", "credit", 4, "state is credited"),
    ("employee", "end", 8, "--date", "2026-11-30", "state is former"),
    *[
        ("employee", f"leave-{verb}", n, f"state is {s}")
        for n, s in [(1, "approved"), (3, "rejected")]
        for verb in ("approve", "reject")
    ],
    ("payroll", "pay", "2026-11", "already paid"),
)


@pytest.mark.parametrize("args,match", WRONG_STATE)
def test_wrong_state_steps(shared, args, match):
    res = shared.refused(*args, match=match)
    assert "officecli: " in res.stderr and ".yaml" in res.stderr  # names the file


def test_wrong_state_hints_name_commands_that_exist(shared):
    err = shared.refused("order", "forward", 4, match="state is invoiced").stderr
    assert "from here: invoice pay" in err and "order close" not in err
    err = shared.refused("improvement", "done", 4, "--note", "x", match="state is open").stderr
    assert "improvement decide ID accept" in err and "improvement accept" not in err


def test_a_double_forward_is_refused_and_changes_nothing(shop):
    assert shop.run("order", "forward", "9").exit_code == 0
    shop.before = snapshot(shop.root)
    shop.refused("order", "forward", "9", match="state is inbox")
    assert shop.run("complaint", "forward", "9").exit_code == 0
    shop.before = snapshot(shop.root)
    shop.refused("complaint", "forward", "9", match="state is inbox")


def test_the_second_time_is_refused(shop):
    """Steps that may be taken once: the repeat is a wrong-state (or 'already') refusal."""
    for args, match in [
        (("order", "invoice", "12"), "state is invoiced"),
        (("invoice", "pay", "5", "all"), "state is paid"),
        (("invoice", "credit", "3", "--reason", "wrong prices"), "state is credited"),
        (("ledger", "reverse", "TXN-A-0035"), "already reversed by"),  # one posted by hand
        (("complaint", "resolve", "5", "--resolution", "sent again"), "state is answered"),
        (("improvement", "decide", "4", "accept"), "state is accepted"),
        (("employee", "leave-approve", "2"), "state is approved"),
        (("employee", "end", "7", "--date", "2026-11-30"), "state is former"),
    ]:
        first = shop.run(*args)
        assert first.exit_code == 0, (args, first.stderr)
        shop.before = snapshot(shop.root)
        shop.refused(*args, match=match)


# -- money -------------------------------------------------------------------------------------

BAD_MONEY = [
    "nan",
    "inf",
    "-inf",
    "1e309",
    "1e3",
    "12.345",
    "0x10",
    "",
    " ",
    "1,000.00",
    "NaN",
    "Infinity",
    "1_000",
    "12.5.0",
    "€12",
    "9999999999999999.00",
]
MONEY_COMMANDS = [
    ("product", "add", "NEW-1", "--name", "x", "--price", "{}"),
    ("product", "add", "NEW-1", "--name", "x", "--price", "1", "--cost", "{}"),
    ("product", "edit", "MUG-AEG", "--price", "{}"),
    ("stock", "receive", "MUG-AEG", "1", "--cost", "{}"),
    ("invoice", "pay", "3", "{}"),
    ("ledger", "post", "x", "Assets:Bank", "{}", "Income:Other"),
    ("employee", "add", "Νέος", "--office", "back", "--department", "hr", "--title", "x", "--salary", "{}"),
    ("employee", "edit", "1", "--salary", "{}"),
]


@pytest.mark.parametrize("template", MONEY_COMMANDS, ids=lambda t: " ".join(t[:2] + t[-2:-1]))
def test_bad_amounts(shared, template):
    def match(value):
        if template[:2] == ("ledger", "post") and not value.strip():
            return "account"  # an empty AMOUNT reads as an ACCOUNT
        return repr(value) if value.strip() else ""

    # a unit cost keeps 4 decimals (12.345 is a cost, 12.34567 is not)
    bad = [v if v != "12.345" or "--cost" not in template else "12.34567" for v in BAD_MONEY]
    shared.refused_each((_fill(template, value), match(value)) for value in bad)


NEGATIVE_MONEY = cases(
    ("product", "add", "NEW-1", "--name", "x", "--price", "-1", "must not be negative"),
    ("product", "edit", "MUG-AEG", "--price", "-0.01", "must not be negative"),
    ("stock", "receive", "MUG-AEG", "1", "--cost", "-5", "must not be negative"),
    ("invoice", "pay", "3", "-10", "must not be negative"),
    ("invoice", "pay", "3", "0", "more than 0"),
    ("employee", "edit", "1", "--salary", "-5", "must not be negative"),
    (
        "employee",
        "add",
        "Νέος",
        "--office",
        "back",
        "--department",
        "hr",
        "--title",
        "x",
        "--salary",
        "0",
        "more than 0",
    ),
    ("ledger", "post", "x", "Assets:Bank", "0", "Income:Other", "moves nothing"),
    ("ledger", "post", "x", "Assets:Bank", "10", "Income:Other", "-9", "do not balance"),
    ("ledger", "post", "x", "Assets:Bank", "10", "needs two postings"),
)


@pytest.mark.parametrize("args,match", NEGATIVE_MONEY)
def test_negative_and_zero_amounts_where_not_allowed(shared, args, match):
    shared.refused(*args, match=match)


def test_overpaying_and_paying_closed_invoices(shared):
    shared.refused("invoice", "pay", "3", "318.33", match="more than the 318.32 EUR still owed")
    shared.refused("invoice", "pay", "5", "1000.69", match="still owed")
    shared.refused("invoice", "pay", "1", "0.01", match="state is paid")
    shared.refused("invoice", "pay", "4", "all", match="state is credited")
    shared.refused("invoice", "pay", "3", "10", "--date", "2026-12-02", match="in the future")
    shared.refused("invoice", "pay", "3", "10", "--date", "2026-11-01", match="before the invoice")


# -- dates and months --------------------------------------------------------------------------

BAD_DATES = [
    "2026-02-30",
    "2026-13-01",
    "26-1-1",
    "",
    " ",
    "2026-1-1",
    "2026/13/01",  # (2026/11/01 and tomorrow are dates now: issue 28, docs/DAY.md)
    "tomorow",
    "2026-11-01T10:00",
]
DATE_COMMANDS = [
    ("order", "list", "--since", "{}"),
    ("invoice", "pay", "3", "10", "--date", "{}"),
    ("ledger", "post", "x", "Assets:Bank", "1", "Income:Other", "--date", "{}"),
    ("ledger", "reverse", "1", "--date", "{}"),
    ("ledger", "balance", "--begin", "{}"),
    ("ledger", "register", "--end", "{}"),
    ("ledger", "export", "--to", "csv", "--begin", "{}"),
    (
        "employee",
        "add",
        "Νέος",
        "--office",
        "back",
        "--department",
        "hr",
        "--title",
        "x",
        "--salary",
        "1000",
        "--start",
        "{}",
    ),
    ("employee", "edit", "1", "--start", "{}"),
    ("employee", "end", "1", "--date", "{}"),
    ("employee", "leave-request", "1", "--from", "{}", "--to", "2026-12-11"),
    ("employee", "leave-request", "1", "--from", "2026-12-10", "--to", "{}"),
    ("payroll", "run", "2026-12", "--date", "{}"),
    ("report", "daily", "--date", "{}"),
    ("report", "pnl", "--begin", "{}"),
    ("report", "sales", "--end", "{}"),
]


@pytest.mark.parametrize("template", DATE_COMMANDS, ids=lambda t: " ".join(t[:2] + t[-2:-1]))
def test_impossible_dates(shared, template):
    shared.refused_each(
        (_fill(template, value), repr(value) if value.strip() else "not a date") for value in BAD_DATES
    )


BAD_MONTHS = cases(
    *[
        (cmd, m, "not a month")
        for cmd in ("run", "pay", "show")
        for m in ("2026-13", "2026-1", "", "26-01", "2026-00", "../x", "2026-11-01")
    ],
)


@pytest.mark.parametrize("args,match", BAD_MONTHS)
def test_impossible_months(shared, args, match):
    shared.refused("payroll", *args, match=match)


def test_future_dates_and_months(shared):
    shared.refused("payroll", "run", "2027-05", match="lies in the future")
    shared.refused("payroll", "run", "2026-12", "--date", "2027-01-01", match="lies in the future")
    shared.refused("employee", "end", "1", "--date", "2027-01-01", match="lies in the future")
    shared.refused("employee", "end", "1", "--date", "2020-01-01", match="before the start")
    shared.refused(
        "employee", "leave-request", "1", "--from", "2026-12-10", "--to", "2026-12-01", match="before --from"
    )
    shared.refused("ledger", "balance", "--begin", "2026-13", match="not a month")


# -- empty texts where a text is required ------------------------------------------------------

EMPTY = ["", " ", "\t"]
TEXT_COMMANDS = [
    ("customer", "add", "{}"),
    ("customer", "edit", "1", "--name", "{}"),
    ("product", "add", "NEW-1", "--name", "{}", "--price", "1"),
    ("product", "edit", "MUG-AEG", "--name", "{}"),
    ("stock", "adjust", "MUG-AEG", "1", "--reason", "{}"),
    ("order", "cancel", "9", "--reason", "{}"),
    ("complaint", "add", "--customer", "1", "{}"),
    ("complaint", "take", "8", "--by", "{}"),
    ("complaint", "wait", "5", "--note", "{}"),
    ("complaint", "resolve", "5", "--resolution", "{}"),
    ("complaint", "resolve", "5", "--resolution", "x", "--improvement", "{}"),
    ("complaint", "reopen", "2", "--note", "{}"),
    ("improvement", "add", "{}"),
    ("improvement", "decide", "4", "reject", "--note", "{}"),
    ("improvement", "done", "2", "--note", "{}"),
    ("ledger", "post", "{}", "Assets:Bank", "1", "Income:Other"),
    ("employee", "add", "{}", "--office", "back", "--department", "hr", "--title", "x", "--salary", "1000"),
    (
        "employee",
        "add",
        "Νέος",
        "--office",
        "back",
        "--department",
        "hr",
        "--title",
        "{}",
        "--salary",
        "1000",
    ),
    ("employee", "edit", "1", "--name", "{}"),
    ("customer", "add", "x", "--tag", "{}"),
]


@pytest.mark.parametrize("template", TEXT_COMMANDS, ids=lambda t: " ".join(t[:2] + t[-2:-1]))
def test_empty_texts_where_a_text_is_required(shared, template):
    shared.refused_each((_fill(template, value), "empty") for value in EMPTY)


def test_nothing_to_change_is_refused(shared):
    for args in (
        ("customer", "edit", "1"),
        ("product", "edit", "MUG-AEG"),
        ("order", "edit", "9"),
        ("employee", "edit", "1"),
    ):
        shared.refused(*args, match="nothing to change")


CONTROL = cases(
    ("customer", "add", "a\x00b", "name: contains a control character (U+0000)"),
    ("customer", "add", "a\nb", "name: must be one line"),
    ("customer", "add", "x", "--phone", "69\x07", "phone: contains a control character"),
    ("customer", "edit", "1", "--name", "x\ny", "must be one line"),
    ("product", "add", "NEW-1", "--name", "x\ny", "--price", "1", "name: must be one line"),
    ("product", "add", "NEW-1\n", "--name", "x", "--price", "1", "not a valid name"),
    ("order", "add", "--customer", "1", "MUG-AEG:1", "--note", "x\x00", "note: contains"),
    ("order", "forward", "9", "--note", "x\x1b[31m", "note: contains a control character"),
    ("complaint", "add", "--customer", "1", "broken\x1b[2J", "text: contains a control character"),
    ("ledger", "post", "x\ny", "Assets:Bank", "1", "Income:Other", "description: must be one line"),
    ("stock", "adjust", "MUG-AEG", "-1", "--reason", "broken\nby me", "must be one line"),
    ("--user", "a\nb", "customer", "add", "x", "a user name is one line"),
)


@pytest.mark.parametrize("args,match", CONTROL)
def test_control_characters_never_reach_a_file(shared, args, match):
    shared.refused(*args, match=match)


# -- quantities --------------------------------------------------------------------------------

BAD_QTY = ["0", "-1", "1.5", "abc", "99999999999999999999", "", "1e3", "+"]
QTY_COMMANDS = [
    ("stock", "receive", "MUG-AEG", "{}"),
    ("order", "add", "--customer", "1", "MUG-AEG:{}"),
    ("order", "edit", "9", "--add", "MUG-AEG:{}"),
    ("product", "add", "NEW-1", "--name", "x", "--price", "1", "--reorder-level", "{}"),
    ("product", "edit", "MUG-AEG", "--reorder-level", "{}"),
]


@pytest.mark.parametrize("template", QTY_COMMANDS, ids=lambda t: " ".join(t[:2] + t[-2:-1]))
def test_bad_quantities(shared, template):
    values = [v for v in BAD_QTY if not (v == "0" and template[0] == "product")]  # level 0 is real
    shared.refused_each((_fill(template, value), value or None) for value in values)


def test_bad_adjustments(shared):
    shared.refused_each(
        (("stock", "adjust", "MUG-AEG", value, "--reason", "count"), None)
        for value in ["0", "1.5", "abc", "99999999999999999999", "", "+"]
    )


def test_quantities_beyond_what_there_is(shared):
    shared.refused("stock", "adjust", "MUG-AEG", "-99999", "--reason", "count", match="on hand")
    res = shared.refused("order", "edit", "9", "--remove", "NOPE", match="no line with SKU")
    assert "front/orders/open/ORD-A-0009.yaml" in res.stderr and "lines" in res.stderr


# -- VAT rates, duplicates, other rules --------------------------------------------------------


def test_vat_rates_not_in_office_yaml(shared):
    rates = ["25", "7", "abc", "", "-1", "101", "24%", "nan", "1e1"]
    shared.refused_each(
        (("product", "add", "NEW-1", "--name", "x", "--price", "1", "--vat", rate), "--vat") for rate in rates
    )
    shared.refused_each((("product", "edit", "MUG-AEG", "--vat", rate), "--vat") for rate in rates)


DUPLICATES = cases(
    ("customer", "add", "Dup", "--email", "maria.papadopoulou@example.gr", "already belongs to CUS-A-0001"),
    ("customer", "add", "Dup", "--email", "MARIA.Papadopoulou@EXAMPLE.gr", "already belongs to CUS-A-0001"),
    ("customer", "add", "Dup", "--vat-number", "EL 094.012.345", "already belongs to CUS-A-0002"),
    ("customer", "add", "Dup", "--vat-number", "094012345", "already belongs to CUS-A-0002"),
    ("customer", "edit", "2", "--email", "maria.papadopoulou@example.gr", "already belongs to CUS-A-0001"),
    ("customer", "add", "Dup", "--email", "not-an-email", "not an email"),
    ("product", "add", "mug-aeg", "--name", "x", "--price", "1", "already exists"),
    (
        "employee",
        "add",
        "Μαρία Κωνσταντίνου",
        "--office",
        "back",
        "--department",
        "hr",
        "--title",
        "x",
        "--salary",
        "1000",
        "already has this name",
    ),
    (
        "employee",
        "add",
        "Νέος",
        "--office",
        "back",
        "--department",
        "sales",
        "--title",
        "x",
        "--salary",
        "1000",
        "not a back-office department",
    ),
    ("employee", "edit", "1", "--office", "front", "not a front-office department"),
    (
        "employee",
        "add",
        "Νέος",
        "--office",
        "back",
        "--department",
        "hr",
        "--title",
        "x",
        "--salary",
        "1000",
        "--email",
        "nope",
        "not an e-mail",
    ),
    (
        "employee",
        "leave-request",
        "8",
        "--from",
        "2026-12-10",
        "--to",
        "2026-12-11",
        "only a current employee",
    ),
    ("complaint", "add", "--customer", "1", "x", "--order", "2", "not CUS-A-0001"),
    ("complaint", "take", "8", "--by", "Νίκος Αλεξίου", "front-office employee"),
    ("complaint", "resolve", "5", "--resolution", "x", "--improvement", "IMP-A-0003", "rejected"),
    ("complaint", "resolve", "5", "--resolution", "x", "--sku", "MUG-AEG", "give --improvement"),
    ("improvement", "decide", "4", "reject", "--note is empty"),
    ("order", "invoice", "12", "--series", "../x", "a series is"),
    ("order", "invoice", "12", "--series", "TOOLONGSERIES", "a series is"),
    ("ledger", "post", "x", "Assets:Bank", "1", "Income:Other", "--ref", "../x", "not a record ID"),
    ("stock", "moves", "--ref", "../x", "not a record ID"),
)


@pytest.mark.parametrize("args,match", DUPLICATES)
def test_duplicates_and_rules(shared, args, match):
    shared.refused(*args, match=match)


# -- click's usage errors stay exit 2 ----------------------------------------------------------

USAGE = [
    ("invoice", "pay", "3", "all", "--method", "card"),
    ("invoice", "pay", "3", "10", "extra"),
    ("complaint", "add", "--customer", "1", "x", "--channel", "fax"),
    ("improvement", "decide", "4", "maybe"),
    ("ledger", "balance", "--depth", "0"),
    ("ledger", "export", "--to", "gnucash"),
    ("order", "add", "--customer", "1"),
    ("order", "list", "--state", "lost"),
    ("report", "sales", "--by", "weather"),
    ("customer", "frobnicate"),
    ("product", "add", "NEW-1", "--price", "1"),
    ("employee", "add", "x", "--office", "middle", "--department", "hr", "--title", "x", "--salary", "1"),
    ("init", str(SAMPLE / "office.yaml")),
]


@pytest.mark.parametrize("args", USAGE, ids=lambda a: " ".join(a)[:60])
def test_usage_errors_stay_exit_2(shared, args):
    shared.refused(*args, code=2)


# -- hand-damaged record files -----------------------------------------------------------------

DAMAGE = {
    "yaml": ("front/orders/open/ORD-A-0009.yaml", lambda t: t.replace("customer:", "customer: [", 1)),
    "conflict": ("front/customers/CUS-A-0001.yaml", lambda t: t.replace("email:", "<<<<<<< HEAD\nemail:", 1)),
    "product": ("back/products/MUG-AEG.yaml", lambda t: "<<<<<<< HEAD\n" + t),
    "list": ("back/invoices/open/INV-A-0003.yaml", lambda t: "- just\n- a list\n"),
    "binary": ("back/complaints/working/CMP-A-0005.yaml", lambda t: "\xff\xfe"),
}
READERS = {
    "yaml": [
        ("order", "show", "9"),
        ("order", "forward", "9"),
        ("order", "list"),
        ("customer", "show", "3"),
        ("report", "daily"),
        ("order", "trace", "9"),
    ],
    "conflict": [
        ("customer", "show", "1"),
        ("customer", "list"),
        ("order", "add", "--customer", "1", "MUG-AEG:1"),
        ("complaint", "add", "--customer", "1", "broken"),
    ],
    "product": [
        ("product", "show", "MUG-AEG"),
        ("stock", "list"),
        ("order", "add", "--customer", "2", "MUG-AEG:1"),
        ("stock", "receive", "MUG-AEG", "1"),
    ],
    "list": [
        ("invoice", "show", "3"),
        ("invoice", "pay", "3", "10"),
        ("invoice", "list"),
        ("customer", "show", "2"),
    ],
    "binary": [
        ("complaint", "show", "5"),
        ("complaint", "resolve", "5", "--resolution", "x"),
        ("complaint", "list"),
    ],
}


@pytest.mark.parametrize("damage", READERS)
def test_hand_damaged_files_are_one_line_naming_the_file(shared, damage):
    rel, spoil = DAMAGE[damage]
    text = lambda b: spoil(b.decode("utf-8")).encode("utf-8")  # noqa: E731
    with shared.spoiled(rel, (lambda b: b"\xff\xfe\x00garbage") if damage == "binary" else text):
        for args in READERS[damage]:
            res = shared.refused(*args, match=rel)
            if damage in ("yaml", "conflict", "product"):
                assert f"{rel}:" in res.stderr and (
                    "not valid YAML" in res.stderr or "not an officecli record" in res.stderr
                )  # file:line
        res = shared.run("doctor")
        assert res.exit_code == 1 and rel in res.stdout and "Traceback" not in res.output


FIELD_DAMAGE = [  # (file, line as written -> as spoiled by hand, commands that then read it)
    (
        "front/orders/open/ORD-A-0011.yaml",
        r"^lines:$",
        "lines: 7\nold_lines:",
        [("order", "list"), ("order", "show", "11"), ("order", "forward", "11"), ("customer", "show", "5")],
        "lines",
    ),
    (
        "back/orders/shipped/ORD-A-0012.yaml",
        r"^  qty: .*$",
        "  qty: many",
        [("order", "list"), ("order", "show", "12"), ("order", "invoice", "12")],
        "qty",
    ),
    (
        "back/ledger/2026/11/TXN-A-0041.yaml",
        r"^  amount: .*$",
        "  amount: 1e999",
        [
            ("ledger", "balance"),
            ("ledger", "register"),
            ("report", "pnl"),
            ("ledger", "export", "--to", "hledger"),
        ],
        "amount",
    ),
    (
        "back/ledger/2026/11/TXN-A-0041.yaml",
        r"^postings:$",
        "postings: nope\nold:",
        [("ledger", "balance")],
        "postings",
    ),
    (
        "back/hr/pay/PAY-A-0001.yaml",
        r"^salary: .*$",
        "salary: much",
        [("employee", "list", "--summary"), ("payroll", "run", "2026-12")],
        "salary",
    ),
    (
        "back/staff/active/EMP-A-0001.yaml",
        r"^start: .*$",
        "start: 2026-13-01",
        [("payroll", "run", "2026-12")],
        "start",
    ),
    (
        "back/hr/leave/requested/LVE-A-0002.yaml",
        r"^from: .*$",
        "from: whenever",
        [("employee", "leave-list"), ("employee", "leave-approve", "2")],
        "from",
    ),
    (
        "back/products/MUG-AEG.yaml",
        r"^price: .*$",
        "price: nan",
        [("order", "add", "--customer", "1", "MUG-AEG:1")],
        "price",
    ),
    (
        "back/products/MUG-AEG.yaml",
        r"^cost: .*$",
        "cost: [1]",
        [("stock", "list"), ("stock", "receive", "MUG-AEG", "1", "--cost", "2"), ("order", "ship", "7")],
        "cost",
    ),
]


@pytest.mark.parametrize(
    "rel,pattern,spoiled,commands,field",
    FIELD_DAMAGE,
    ids=[f"{r.rsplit('/', 1)[1]} {f}" for r, _, _, _, f in FIELD_DAMAGE],
)
def test_hand_damaged_fields_name_the_file_and_field(shared, rel, pattern, spoiled, commands, field):
    import re

    def spoil(data: bytes) -> bytes:
        text, n = re.subn(pattern, spoiled, data.decode("utf-8"), count=1, flags=re.M)
        assert n == 1, (rel, pattern)
        return text.encode("utf-8")

    with shared.spoiled(rel, spoil):
        for args in commands:
            res = shared.refused(*args, match=rel)
            assert field in res.stderr, (args, res.stderr)


# -- office.yaml -------------------------------------------------------------------------------

OFFICE_YAML = [
    pytest.param(spoil, match, id=match)
    for spoil, match in (
        (lambda t: t + ": : :\n", "not valid YAML"),
        (lambda t: t.replace("vat:", "<<<<<<< HEAD\nvat:", 1), "office.yaml:"),
        (lambda t: "- a list\n", "mapping of settings"),
        (lambda t: "", "mapping of settings"),
        (lambda t: t.replace("  - '6'", "  - abc"), "vat.rates: 'abc'"),
        (lambda t: t.replace("default: '24'", "default: '25'"), "vat.default: '25'"),
        (lambda t: t.replace("currency: EUR", "currency: 12"), "company.currency"),
        (lambda t: t.replace("payment_terms_days: 30", "payment_terms_days: abc"), "payment_terms_days"),
        (
            lambda t: t.replace("lock_timeout_seconds: 10", "lock_timeout_seconds: .nan"),
            "lock_timeout_seconds",
        ),
        (lambda t: t.replace("timezone: Europe/Athens", "timezone: Mars/Base"), "timezone"),
        (lambda t: t.replace("\n  A: site A", "\n  ../x: site A"), "sites.../x"),
        (lambda t: t.replace("forward: 4", "forward: soon"), "sla_hours.forward"),
        (lambda t: t.replace("Assets:Bank: asset", "Assets:Bank: money"), "accounts.Assets:Bank"),
    )
]
OFFICE_YAML_COMMANDS = [
    ("customer", "list"),
    ("product", "add", "NEW-1", "--name", "x", "--price", "1"),
    ("order", "invoice", "12"),
    ("ledger", "balance"),
    ("complaint", "escalate"),
]


@pytest.mark.parametrize("spoil,match", OFFICE_YAML)
def test_a_corrupted_office_yaml(shared, spoil, match):
    with shared.spoiled("office.yaml", lambda b: spoil(b.decode("utf-8")).encode("utf-8")):
        shared.refused_each((args, match) for args in OFFICE_YAML_COMMANDS)
        res = shared.run("doctor")
        assert res.exit_code == 1 and "Traceback" not in res.output
        assert "internal error" not in res.output and len(res.stderr.splitlines()) == 1


def test_office_yaml_not_utf8(shared):
    with shared.spoiled("office.yaml", lambda b: b"\xff\xfe company"):
        shared.refused("customer", "add", "x", match="office.yaml: not UTF-8")


def test_bad_environment(shared):
    shared.refused("customer", "add", "x", env={"OFFICECLI_NOW": "garbage"}, match="$OFFICECLI_NOW")
    shared.refused("customer", "add", "x", env={"OFFICECLI_NOW": "2026-12-01T10:00:00"}, match="no offset")
    shared.refused(
        "customer", "add", "x", env={"OFFICECLI_LOCK_TIMEOUT": "abc"}, match="$OFFICECLI_LOCK_TIMEOUT"
    )
    shared.refused("customer", "add", "x", env={"OFFICECLI_SITE": "../x"}, match="site")


# -- read-only folders -------------------------------------------------------------------------

READ_ONLY = [
    ("back/orders/inbox", ("order", "forward", "9")),
    ("front/orders/open", ("order", "add", "--customer", "1", "MUG-AEG:1")),
    ("front/customers", ("customer", "add", "Zed")),
    ("back/stock/2026", ("stock", "receive", "MUG-AEG", "1")),
    ("back/invoices/open", ("order", "invoice", "12")),
    ("archive/orders/closed/2026", ("invoice", "pay", "3", "all")),
    ("back/hr/payroll", ("payroll", "run", "2026-12")),
]


def _readonly(folder: Path, on: bool) -> bool:
    """chmod 0555 (0755 back); as root, whom modes do not stop, the immutable flag
    (chattr +i) instead, when the file system and capabilities allow it."""
    if os.geteuid() != 0:
        os.chmod(folder, 0o555 if on else 0o755)
        return True
    if shutil.which("chattr") is None:
        return False
    done = subprocess.run(["chattr", "+i" if on else "-i", str(folder)], capture_output=True)
    return done.returncode == 0


def test_a_read_only_folder_is_one_line_and_changes_nothing(shop):
    # Root ignores chmod modes, so as root this uses chattr +i instead (and skips where
    # that is not allowed); both meet the same check (os.access before the commit point).
    for folder, args in READ_ONLY:
        path = shop.root / folder
        path.mkdir(parents=True, exist_ok=True)
        shop.before = snapshot(shop.root)
        if not _readonly(path, True):
            pytest.skip("running as root without chattr: root ignores folder modes")
        try:
            shop.refused(*args, match=f"{folder}/: cannot write")
            assert not list((shop.root / ".officecli" / "txn").glob("*")), "a journal was left"
        finally:
            _readonly(path, False)
    res = shop.run("customer", "add", "After")  # nothing is rolled forward later
    assert res.exit_code == 0 and "finished interrupted" not in res.stderr
    assert snapshot(shop.root).keys() - shop.before.keys() == {"front/customers/CUS-A-0007.yaml"}


# -- init --------------------------------------------------------------------------------------


def test_init_refusals(shared, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("x")
    for args, match in [
        (("init", str(shared.root)), "already holds an office"),
        (("init", "new", "--site", "../x"), "site '../x'"),
        (("init", "new", "--site", "b"), "site 'b'"),
        (("init", "new", "--currency", "EURO"), "--currency"),
        (("init", "new", "--currency", ""), "--currency"),
        (("init", "new", "--name", ""), "--name"),
        (("init", "new", "--name", "  "), "--name"),
        (("init", "new", "--name", "a\nb"), "must be one line"),
        (("init", ""), "PATH ''"),
        (("init", "afile/sub"), "afile/sub"),
    ]:
        before = sorted(os.listdir(tmp_path))
        shared.refused(*args, match=match)
        assert sorted(os.listdir(tmp_path)) == before, args
