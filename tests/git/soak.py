"""The seeded several-sites soak: three clones of a bare remote, random work, checked every round.

``World`` (made by ``world(tmp, seed)``) is a bare remote and sites A, B and C set up
with officecli's own commands (tests/git/sites.py: ``git init``, ``officecli init``,
``site set``, ``sync``; HR with ``hr git-init --remote``), products stocked, office.yaml
naming the owner of the books (``books: {site: A}``). A round (``World.round``) is:

1. **work**: a few random operations at random sites (customers, orders forwarded,
   shipped, invoiced, cancelled, payments, complaints and their forward, ``complaint
   escalate`` run by cron at several sites at one instant, ledger posts, month and
   year closes at the owner and attempts elsewhere, employees, stock, and an order
   made by a site that forgot its site code: a collision to renumber). The clock
   moves on (``DAYS`` a round), so deadlines pass and months end.
2. **sync**: sometimes every site at once (subprocesses started together), sometimes
   a sync SIGKILLed at a random moment; one site offline for several rounds (its
   remote unreachable: its sync must fail in one line and change nothing). Then at
   most two passes of ``sync`` at every online site, in a random order. Where sync
   names a record for a person, the person does what the line says (``sync --keep``,
   the command named, with a random choice between the answers it offers, ``git
   commit``, ``sync``); where sync refuses because of a killed sync, ``doctor
   --repair`` then ``sync``.
3. **check** (``World.check``): every invariant below, at every site; each broken one
   is a ``Broken(round, invariant, site, detail)``.

The invariants (``INVARIANTS``) are the promises of the issue: heads equal after at
most two passes, no stranded site, no duplicate ID, folders agree with histories,
equal books, doctor / ledger check / audit numbering clean, no silent money change in
a closed period, one closing entry per year, automatic steps once per key, and the
model: every record an operation made is there exactly once.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from tests.git.sites import Site, company, env, git

START = datetime.fromisoformat("2026-11-02T09:00:00+02:00")
DAYS = 2  # the clock moves on this much a round: 50 rounds go from November into February
SKUS = ("MUG-01", "BOWL-01", "PLATE-01")
CRON_SKEW = {"A": 0, "B": 7, "C": 13}  # seconds after the hour each site's cron starts
ACTIONS_ONCE = ("auto-forward", "overdue-forward", "overdue-first-response", "overdue-resolution")

INVARIANTS = (
    "op-crash",  # a command ended with a traceback or an exit other than 0/1, or left changes uncommitted
    "offline",  # an offline site's sync said more than one line of its records or changed something
    "stranded",  # a site whose sync never succeeds again (advice followed, doctor --repair)
    "heads",  # the online sites do not share one commit after two passes
    "duplicate-id",  # one ID in two files, or one old ID claimed by two renumbered records
    "model",  # a record an operation made is missing or there twice
    "folders",  # a record's folder is not its history's last destination
    "books",  # ledger balance differs between sites in step
    "doctor",
    "ledger-check",
    "audit",
    "closed-money",  # a closed period's balances changed after its close
    "closing-entry",  # not exactly one closing entry for a closed year
    "closed-line",  # books.closed_through differs between sites in step, or moved back
    "once",  # an automatic step twice on one record
    "goods",  # an order's stock moves disagree with its state
    "hr",  # HR heads differ, or an employee without a pay record
    "renumber-again",  # a second site following the same renumber advice changed something
    "advice",  # sync asked a person for something no command settles
)


@dataclass
class Broken:
    round: int
    invariant: str
    site: str
    detail: str

    def __str__(self) -> str:
        return f"round {self.round} [{self.invariant}] site {self.site}: {self.detail}"


@dataclass
class Op:
    site: str
    argv: list[str]
    code: int | None = None
    out: str = ""

    def __str__(self) -> str:
        said = self.out.strip().splitlines()
        tail = f" -> {self.code}" + (f" ({said[-1][:160]})" if said and self.code else "")
        return f"{self.site}: {' '.join(self.argv)}{tail}"


def _stamp(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


@dataclass
class World:
    tmp: Path
    seed: int
    sites: list[Site]
    rng: random.Random
    hr_all: bool = True
    skip: frozenset[str] = frozenset()
    ops_per_round: int = 5
    now: datetime = START
    minute: int = 0
    round_no: int = 0
    offline: dict[str, int] = field(default_factory=dict)  # site -> rounds left
    offline_plan: tuple[int, str, int] = (0, "", 0)  # (round, site, rounds)
    made: Counter = field(default_factory=Counter)  # prefix -> records made by operations
    done: Counter = field(default_factory=Counter)  # "ledger close", "renumber ..." -> times it exit 0
    closed: dict[str, str] = field(default_factory=dict)  # closed-through day -> balance json then
    closed_line: str = ""
    log: list[Op] = field(default_factory=list)  # this round's operations and syncs
    broken: list[Broken] = field(default_factory=list)
    renumbered: list[tuple[str, str, str]] = field(default_factory=list)  # (site, old, file) to redo
    remote: Path = Path()

    # -- running things ---------------------------------------------------------------

    def site(self, code: str) -> Site:
        return next(s for s in self.sites if s.code == code)

    def tick(self) -> str:
        """The next instant of this round (a minute apart: no two steps in one second)."""
        self.minute += 1
        return _stamp(self.now + timedelta(minutes=self.minute))

    def run(self, s: Site, *argv: str, now: str | None = None, **extra: str) -> Op:
        op = Op(s.code, [*argv] + ([f"[{k}={v}]" for k, v in extra.items()]))
        res = s.run(*argv, ok=False, now=now or self.tick(), **extra)
        op.code, op.out = res.returncode, res.stdout + res.stderr
        self.log.append(op)
        if res.returncode == 0:  # what the run really did (the test asserts it did each)
            nouns = ("ledger", "complaint", "order", "customer", "invoice", "employee", "stock", "hr")
            self.done[" ".join(argv[:2]) if argv[0] in nouns else argv[0]] += 1
        if res.returncode not in (0, 1) or "Traceback" in op.out:
            self.fail("op-crash", s.code, f"{op}\n{op.out[-2000:]}")
        elif not (s.root / ".git" / "MERGE_HEAD").exists():
            left = git(s.root, s.home, "status", "--porcelain", check=False).stdout.strip()
            if left:
                self.fail("op-crash", s.code, f"{op}: left changes uncommitted: {left[:300]}")
        return op

    def fail(self, invariant: str, site: str, detail: str) -> None:
        assert invariant in INVARIANTS, invariant
        self.broken.append(Broken(self.round_no, invariant, site, detail))

    def online(self) -> list[Site]:
        return [s for s in self.sites if s.code not in self.offline]

    # -- what a site has ----------------------------------------------------------------

    def ids(self, s: Site, folder: str, prefix: str) -> list[str]:
        where = s.root / folder
        if not where.is_dir():
            return []
        return sorted(p.name[:-5] for p in where.iterdir() if p.name.startswith(prefix + "-"))

    def pick(self, s: Site, folder: str, prefix: str) -> str | None:
        found = self.ids(s, folder, prefix)
        return self.rng.choice(found) if found else None

    # -- the operations -----------------------------------------------------------------

    def op_customer_add(self, s: Site) -> None:
        n = self.made["CUS"] + self.rng.randrange(10**6)
        op = self.run(
            s, "--format", "ids", "customer", "add", f"Πελάτης {n}", "--email", f"c{n}-{s.code}@ex.gr"
        )
        self._made(op, "CUS")

    def op_order_add(self, s: Site, **extra: str) -> None:
        cus = self.pick(s, "front/customers", "CUS")
        if cus is None:
            return
        lines = [f"{sku}:{self.rng.randint(1, 3)}" for sku in self.rng.sample(SKUS, self.rng.randint(1, 2))]
        op = self.run(s, "--format", "ids", "order", "add", "--customer", cus, *lines, **extra)
        self._made(op, "ORD")

    def op_forgot_site(self, s: Site) -> None:
        """A site that forgot its code writes as A: its order takes one of A's IDs."""
        if s.code == "A":
            s = self.site(self.rng.choice("BC"))
        self.op_order_add(s, OFFICECLI_SITE="A")

    def _step(self, s: Site, folder: str, *verb: str) -> None:
        ident = self.pick(s, folder, "ORD")
        if ident:
            self.run(s, "order", *verb[:1], ident, *verb[1:])

    def op_order_forward(self, s: Site) -> None:
        self._step(s, "front/orders/open", "forward")

    def op_order_ship(self, s: Site) -> None:
        self._step(s, "back/orders/inbox", "ship")

    def op_order_invoice(self, s: Site) -> None:
        self._step(s, "back/orders/shipped", "invoice")

    def op_order_cancel(self, s: Site) -> None:
        self._step(s, self.rng.choice(["front/orders/open", "back/orders/inbox"]), "cancel", "--note", "soak")

    def op_invoice_pay(self, s: Site) -> None:
        inv = self.pick(s, "back/invoices/open", "INV")
        if inv:
            self.run(s, "invoice", "pay", inv, "all")

    def op_complaint_add(self, s: Site) -> None:
        cus = self.pick(s, "front/customers", "CUS")
        if cus:
            op = self.run(s, "--format", "ids", "complaint", "add", "--customer", cus, "Ραγισμένο")
            self._made(op, "CMP")

    def op_complaint_forward(self, s: Site) -> None:
        cmp = self.pick(s, "front/complaints/new", "CMP")
        if cmp:
            self.run(s, "complaint", "forward", cmp)

    def op_escalate(self, s: Site) -> None:
        """cron at one, two or three sites, at the same hour (each site's clock a few
        seconds apart, as cron's are)."""
        hour = (self.now + timedelta(minutes=self.minute + 5)).replace(minute=0) + timedelta(hours=1)
        for t in self.rng.sample(self.sites, self.rng.randint(1, 3)):
            at = hour + timedelta(seconds=CRON_SKEW[t.code])
            self.run(t, "-q", "complaint", "escalate", now=_stamp(at))

    def op_ledger_post(self, s: Site) -> None:
        back = self.rng.choice([0, 0, 0, 1, 3, 8, 20])
        day = (self.now - timedelta(days=back)).date().isoformat()
        amount = f"{self.rng.randint(10, 300)}.{self.rng.randint(0, 99):02d}"
        account = self.rng.choice(["Expenses:Rent", "Expenses:Utilities", "Expenses:Marketing"])
        self.run(s, "ledger", "post", "--date", day, "soak expense", account, amount, "Assets:Bank")

    def _close(self, s: Site) -> None:
        today = self.now.date()
        first = today.replace(day=1)
        last_month = (first - timedelta(days=1)).strftime("%Y-%m")
        if today.year > 2026 and not self._year_closed(s, 2026):
            op = self.run(s, "ledger", "close", "--year", "2026")
        else:
            op = self.run(s, "ledger", "close", last_month)
        if op.code == 0:
            self._snapshot_close(s)

    def _year_closed(self, s: Site, year: int) -> bool:
        return bool(self._closing_entries(s, year))

    def op_close(self, s: Site) -> None:
        self._close(self.site("A"))  # the books' owner

    def op_close_elsewhere(self, s: Site) -> None:
        """A person at another site closes too (refused once periods have an owner)."""
        self._close(self.site(self.rng.choice("BC")))

    def op_employee_add(self, s: Site) -> None:
        if not self.hr_all:
            s = self.site("A")
        op = self.run(
            s,
            "--format",
            "ids",
            "employee",
            "add",
            f"Υπάλληλος {self.round_no}-{self.minute}",
            "--office",
            "back",
            "--department",
            "warehouse",
            "--title",
            "Packer",
            "--salary",
            "1100.00",
            "--start",
            self.now.date().isoformat(),
        )
        self._made(op, "EMP")

    def op_stock_receive(self, s: Site) -> None:
        self.run(s, "stock", "receive", self.rng.choice(SKUS), "50", "--cost", "4.10")

    def _made(self, op: Op, prefix: str) -> None:
        if op.code == 0:
            self.made[prefix] += 1

    WEIGHTS = {
        "customer_add": 2,
        "order_add": 4,
        "order_forward": 3,
        "order_ship": 3,
        "order_invoice": 2,
        "order_cancel": 1,
        "invoice_pay": 1.5,
        "complaint_add": 2,
        "complaint_forward": 1,
        "escalate": 1,
        "ledger_post": 2,
        "close": 0.5,
        "close_elsewhere": 0.3,
        "employee_add": 0.4,
        "stock_receive": 0.4,
        "forgot_site": 0.3,
    }

    def work(self) -> None:
        names = [n for n in self.WEIGHTS if n not in self.skip]
        weights = [self.WEIGHTS[n] for n in names]
        for _ in range(self.ops_per_round):
            name = self.rng.choices(names, weights)[0]
            getattr(self, f"op_{name}")(self.rng.choice(self.sites))

    # -- syncing ------------------------------------------------------------------------

    def sync_op(self, s: Site, *args: str) -> Op:
        return self.run(s, "sync", *args, now=self.tick())

    def go_offline(self) -> None:
        at, code, rounds = self.offline_plan
        if self.round_no == at and code:
            self.offline[code] = rounds
            self.site(code).git("remote", "set-url", "origin", str(self.tmp / "unreachable.git"))
        for code in list(self.offline):
            s = self.site(code)
            head = s.head()
            op = self.sync_op(s)
            # one line for the company's records; HR's repository (its remote still
            # reachable) is synced all the same and says so in a line of its own
            err = [line for line in op.out.splitlines() if line.strip() and "back/hr/" not in line]
            if op.code != 1 or len(err) != 1 or "git fetch" not in err[0] or s.head() != head:
                self.fail("offline", code, f"an offline sync: exit {op.code}, said {err}")

    def come_back(self) -> None:
        for code in list(self.offline):
            self.offline[code] -= 1
            if self.offline[code] <= 0:
                del self.offline[code]
                self.site(code).git("remote", "set-url", "origin", str(self.remote))

    def parallel(self) -> None:
        """Every online site syncs at once."""
        procs = [(s, self._start_sync(s)) for s in self.online()]
        for s, p in procs:
            out, err = p.communicate(timeout=300)
            op = Op(s.code, ["sync", "[parallel]"], p.returncode, out + err)
            self.log.append(op)
            if p.returncode not in (0, 1) or "Traceback" in op.out:
                self.fail("op-crash", s.code, f"{op}\n{op.out[-2000:]}")

    def _start_sync(self, s: Site) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "officecli", "sync"],
            cwd=s.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env(s.home, OFFICECLI_USER=s.user, OFFICECLI_NOW=self.tick()),
        )

    def kill_one(self) -> None:
        """A sync SIGKILLed at a random moment (the machine lost power, cron was killed)."""
        s = self.rng.choice(self.online())
        p = self._start_sync(s)
        delay = self.rng.uniform(0.05, 0.9)
        time.sleep(delay)
        if p.poll() is None:
            os.kill(p.pid, signal.SIGKILL)
            self.done["SIGKILL"] += 1
        out, err = p.communicate(timeout=300)
        self.log.append(Op(s.code, ["sync", f"[SIGKILL after {delay:.2f}s]"], p.returncode, out + err))

    def settle(self, s: Site) -> bool:
        """sync until it succeeds, doing what it asks of a person (at most 4 syncs); False:
        the site is stranded."""
        repaired = False
        for _ in range(4):
            op = self.sync_op(s)
            if op.code == 0:
                return True
            text = op.out
            if "git fetch" in text and "failed" in text:
                self.fail("stranded", s.code, f"an online site cannot fetch: {text.strip()[:300]}")
                return False
            commands = _advice(text)
            if commands and "aborted" in text:
                keep = self.sync_op(s, "--keep")
                commands = _advice(keep.out) or commands
            if commands:
                done = all(self.follow(s, argv) for argv in commands)
                if done and (s.root / ".git" / "MERGE_HEAD").exists():
                    self.git_op(s, "commit", "-q", "--no-edit")
                if (s.root / ".git" / "MERGE_HEAD").exists():  # what it asked could not be done
                    self.fail("advice", s.code, f"the merge cannot be finished as sync said: {text[:500]}")
                    self.git_op(s, "merge", "--abort")  # as a person would: back to where it was
                    break
                continue
            if "rejected" in text and not repaired:
                continue  # other sites pushed meanwhile: the next pass
            if not repaired:
                self.run(s, "doctor", "--repair")
                repaired = True
                continue
            break
        self.fail("stranded", s.code, f"sync never succeeded; last said: {op.out.strip()[:600]}")
        return False

    def git_op(self, s: Site, *args: str) -> None:
        res = git(s.root, s.home, *args, check=False)
        self.log.append(Op(s.code, ["git", *args], res.returncode, res.stdout + res.stderr))

    def follow(self, s: Site, argv: list[str]) -> bool:
        """Do what a line of sync said, choosing at random between the answers it offers;
        False when it cannot be done."""
        if argv[0] == "renumber":
            old, files = argv[1], argv[2:]
            chosen = self.rng.choice(files) if files else None
            extra = ["--file", chosen] if chosen else []
            op = self.run(s, "renumber", old, str(900 + self.round_no * 10 + self.minute % 10), *extra)
            if op.code == 0 and chosen and self.rng.random() < 0.5:
                self.renumbered.append((s.code, old, chosen))
            return op.code == 0
        if argv[0] == "?":
            return False  # a hand edit: no command settles it
        return self.run(s, *argv).code == 0

    def renumber_again(self) -> None:
        """Another site's person follows the same renumber line, later (a no-op then)."""
        todo, self.renumbered = self.renumbered, []
        for code, old, chosen in todo:
            others = [t for t in self.online() if t.code != code]
            if not others:
                continue
            t = self.rng.choice(others)
            before = sorted(t.files())
            head = t.head()
            self.run(t, "renumber", old, "999", "--file", chosen)
            if sorted(t.files()) != before or t.head() != head:
                self.fail(
                    "renumber-again",
                    t.code,
                    f"renumber {old} --file {chosen}, already settled at site {code}, changed the records",
                )

    def sync_all(self) -> None:
        if self.rng.random() < 0.3:
            self.parallel()
        if self.rng.random() < 0.25:
            self.kill_one()
        stranded = set()
        for _ in range(2):
            order = self.online()
            self.rng.shuffle(order)
            for s in order:
                if s.code in stranded:
                    continue
                if not self.settle(s):
                    stranded.add(s.code)
            if len({t.head() for t in self.online()}) == 1 and self._at_remote():
                break
        heads = {t.code: t.head()[:8] for t in self.online()}
        if len(set(heads.values())) != 1:
            self.fail("heads", ",".join(heads), f"after two passes: {heads}")

    def _at_remote(self) -> bool:
        remote = git(
            self.tmp, self.sites[0].home, "--git-dir", str(self.remote), "rev-parse", "main"
        ).stdout.strip()
        return all(t.head() == remote for t in self.online())

    # -- one round ----------------------------------------------------------------------

    def round(self) -> list[Broken]:
        self.round_no += 1
        self.minute = 0
        self.log = []
        start = len(self.broken)
        self.now = START + timedelta(days=DAYS * self.round_no)
        self.work()
        self.go_offline()
        self.sync_all()
        self.renumber_again()
        self.check()
        self.come_back()
        return self.broken[start:]

    # -- the invariants -----------------------------------------------------------------

    def read(self, s: Site, *args: str):
        from click.testing import CliRunner

        from officecli.cli import cli

        environ = {"OFFICECLI_USER": s.user, "OFFICECLI_NOW": _stamp(self.now + timedelta(hours=12))}
        old = os.environ.get("HOME")
        os.environ["HOME"] = str(s.home)
        try:
            return CliRunner().invoke(cli, ["--root", str(s.root), *args], env=environ)
        finally:
            if old is not None:
                os.environ["HOME"] = old

    def balance(self, s: Site, *args: str) -> str:
        res = self.read(s, "--format", "json", "ledger", "balance", "--flat", *args)
        return res.stdout if res.exit_code == 0 else f"exit {res.exit_code}: {res.output}"

    def _closing_entries(self, s: Site, year: int) -> list[str]:
        found = []
        folder = s.root / f"back/ledger/{year}/12"
        for p in sorted(folder.glob("TXN-*.yaml")) if folder.is_dir() else []:
            data = s.data(str(p.relative_to(s.root)))
            if isinstance(data, dict) and data.get("kind") == "close":
                found.append(data["id"])
        return found

    def _closed_through(self, s: Site) -> str:
        books = (s.data("office.yaml") or {}).get("books") or {}
        return str(books.get("closed_through") or "")

    def _snapshot_close(self, s: Site) -> None:
        line = self._closed_through(s)
        if line and line not in self.closed:
            end = (date.fromisoformat(line) + timedelta(days=1)).isoformat()
            self.closed[line] = self.balance(s, "-e", end)

    def check(self) -> None:
        online = self.online()  # in step with each other (the offline one is checked alone)
        books: dict[str, str] = {}
        for s in self.sites:
            self.check_site(s)
        for s in online:
            books[s.code] = self.balance(s)
        if len(set(books.values())) > 1:
            self.fail("books", ",".join(books), "ledger balance differs: " + _diff(books))
        lines = {s.code: self._closed_through(s) for s in online}
        if len(set(lines.values())) > 1:
            self.fail("closed-line", ",".join(lines), f"books.closed_through differs: {lines}")
        line = max(lines.values(), default="")
        if line < self.closed_line:
            self.fail(
                "closed-line", "*", f"books.closed_through moved back from {self.closed_line} to {line}"
            )
        self.closed_line = max(line, self.closed_line)
        if self.hr_all:
            heads = {
                s.code: git(s.root / "back/hr", s.home, "rev-parse", "HEAD", check=False).stdout.strip()[:8]
                for s in online
            }
            if len(set(heads.values())) > 1:
                self.fail("hr", ",".join(heads), f"HR heads differ after sync: {heads}")

    def check_site(self, s: Site) -> None:
        code = s.code
        files = s.files()
        stems = Counter(f.rpartition("/")[2][:-5] for f in files)
        twice = sorted(n for n, c in stems.items() if c > 1)
        if twice:
            self.fail(
                "duplicate-id",
                code,
                f"in two files: {[f for f in files if f.rpartition('/')[2][:-5] in twice][:6]}",
            )
        claimed: dict[str, str] = {}
        records: dict[str, tuple[str, dict]] = {}
        from officecli.office.sites import mergecheck
        from officecli.store import yamlio

        for rel in files:
            owner = mergecheck.kind_of(rel)
            if owner is None or owner[0].name not in (
                "order",
                "complaint",
                "customer",
                "invoice",
                "employee",
            ):
                continue
            try:
                data = yamlio.loads((s.root / rel).read_text("utf-8"))
            except Exception as exc:  # a broken file is doctor's; say it once here too
                self.fail("folders", code, f"{rel}: unreadable: {exc}")
                continue
            ident = rel.rpartition("/")[2][:-5]
            records[ident] = (owner[0].name, data)
            want = mergecheck.last_destination(data)
            if want is not None and want != owner[1]:
                self.fail("folders", code, f"{rel}: its history ends 'to: {want}'")
            for old in data.get("renumbered_from") or []:
                if old in claimed:
                    self.fail("duplicate-id", code, f"{old} renumbered into both {claimed[old]} and {ident}")
                claimed[old] = ident
            if owner[0].name == "complaint":
                counts = Counter(e.get("action") for e in data.get("history") or [] if isinstance(e, dict))
                twice_done = {a: n for a, n in counts.items() if a in ACTIONS_ONCE and n > 1}
                if twice_done:
                    self.fail("once", code, f"{ident}: an automatic step more than once: {twice_done}")
        for prefix in ("CUS", "ORD", "CMP", "EMP"):
            have = sum(1 for f in files if f.rpartition("/")[2].startswith(prefix + "-"))
            if (
                not self.offline and have != self.made[prefix]
            ):  # (with a site offline, not all are everywhere)
                self.fail(
                    "model", code, f"{have} {prefix} records, {self.made[prefix]} made by the operations"
                )
        self.check_goods(s, files, records)
        for args, name in (
            (("doctor",), "doctor"),
            (("ledger", "check"), "ledger-check"),
            (("audit", "numbering"), "audit"),
        ):
            res = self.read(s, *args)
            if res.exit_code != 0:
                said = [line for line in res.output.splitlines() if line.strip()][:8]
                self.fail(name, code, " | ".join(said))
        for line, then in self.closed.items():
            end = (date.fromisoformat(line) + timedelta(days=1)).isoformat()
            now = self.balance(s, "-e", end)
            if now != then:
                self.fail(
                    "closed-money",
                    code,
                    f"the period closed through {line} changed: " + _diff({"at close": then, "now": now}),
                )
        for year in {int(k[:4]) for k in self.closed if k.endswith("-12-31")}:
            entries = self._closing_entries(s, year)
            if len(entries) != 1:
                self.fail("closing-entry", code, f"year {year}: closing entries {entries}")
        if self.hr_all or code == "A":
            pay = s.root / "back/hr/pay"
            have = (
                {p.name[:-5].replace("PAY-", "EMP-") for p in pay.glob("PAY-*.yaml")}
                if pay.is_dir()
                else set()
            )
            staff = {f.rpartition("/")[2][:-5] for f in files if f.rpartition("/")[2].startswith("EMP-")}
            if not self.offline and staff - have:
                self.fail("hr", code, f"employees without a pay record here: {sorted(staff - have)[:5]}")

    def check_goods(self, s: Site, files: list[str], records: dict) -> None:
        """An order's net shipped pieces (its stock moves, by its ID or an earlier one) are
        its lines once it has shipped, none before or once cancelled."""
        moved: Counter = Counter()
        from officecli.store import yamlio

        for rel in files:
            if rel.startswith("back/stock/") and rel.rpartition("/")[2].startswith("MOV-"):
                data = yamlio.loads((s.root / rel).read_text("utf-8"))
                if data.get("ref"):
                    moved[(str(data["ref"]), str(data["sku"]))] -= int(data["qty"])
        for ident, (kind, data) in records.items():
            if kind != "order":
                continue
            state = mergecheck_state(s, ident, files)
            names = [ident, *(data.get("renumbered_from") or [])]
            want: Counter = Counter()
            if state in ("shipped", "invoiced", "closed"):
                for line in data.get("lines") or []:
                    want[str(line["sku"])] += int(line["qty"])
            got = Counter({sku: sum(moved[(n, sku)] for n in names) for sku in SKUS})
            got = Counter({k: v for k, v in got.items() if v})
            if got != want:
                self.fail(
                    "goods", s.code, f"{ident} ({state}): shipped {dict(got)}, its lines say {dict(want)}"
                )


def mergecheck_state(s: Site, ident: str, files: list[str]) -> str:
    from officecli.office.sites import mergecheck

    for f in files:
        if f.rpartition("/")[2] == f"{ident}.yaml":
            owner = mergecheck.kind_of(f)
            return owner[1] if owner else "?"
    return "?"


_CMD = re.compile(r"officecli ([a-z][a-z-]*(?: [^;,()]*)?)")
NOT_ADVICE = ("sync", "doctor", "history", "audit", "merge-file")  # named in lines, settle nothing
PLACEHOLDERS = {"NEW", "COST", "STATE", "ORDER", "PATH", "FILE", "ID", "TXN", "DATE", "AMOUNT", "CODE", "…"}


def _advice(text: str) -> list[list[str]]:
    """The commands sync's lines name for a person, as argv lists (one per record; where a
    line offers answers, all are listed: ``follow`` chooses)."""
    out: list[list[str]] = []
    seen = set()
    for line in text.splitlines():
        if "two different" in line and "share this ID" in line:
            ident = line.split("officecli: ", 1)[-1].split(":", 1)[0].strip()
            files = re.findall(r"([a-z]+/[^ ,()]+\.yaml) \(created", line)
            named = re.search(r"officecli renumber \S+ --file (\S+?\.yaml)", line)
            if named:  # the rule names the copy (and the site): a person runs what it says
                files = [named.group(1)]
            if ident not in seen:
                seen.add(ident)
                out.append(["renumber", ident, *files])
            continue
        if (
            "by hand" in line
            or "customer edit" in line
            or ("unmerged in git" in line and "settle it" in line)
        ):
            out.append(["?", line.strip()[:300]])
            continue
        found = []
        for m in _CMD.finditer(line):
            words = m.group(1).split()
            if words[0] in NOT_ADVICE:
                continue
            if words[0] == "resolve":
                keeps = re.findall(r"--keep ([a-z]+)", m.group(1))
                found.append(
                    ["resolve", words[1]]
                    + (["--keep", random.Random(line).choice(keeps)] if keeps and "STATE" not in line else [])
                )
            elif words[:2] == ["stock", "receive"]:
                found.append(["stock", "receive", words[2], words[3], "--cost", "4.10"])
            elif words[:2] == ["stock", "adjust"]:
                found.append(["stock", "adjust", words[2], words[3], "--note", "count after merge"])
            elif not PLACEHOLDERS & set(words):
                found.append(words)
        if " or officecli" in line or "else " in line:
            found = found[:1]  # the line offers answers: the first is taken
        for argv in found:
            key = " ".join(argv)
            if key not in seen:
                seen.add(key)
                out.append(argv)
    return out


def _diff(values: dict[str, str]) -> str:
    parsed = {}
    for k, v in values.items():
        try:
            parsed[k] = {r["account"]: r["balance"] for r in json.loads(v)}
        except (ValueError, TypeError, KeyError):
            parsed[k] = {"?": v[:200]}
    accounts = sorted(set().union(*parsed.values()))
    diffs = [
        f"{a}: " + " vs ".join(f"{k}={parsed[k].get(a, '0')}" for k in parsed)
        for a in accounts
        if len({parsed[k].get(a, "0") for k in parsed}) > 1
    ]
    return "; ".join(diffs[:8]) or "(same accounts, different order or form)"


def world(
    tmp: Path,
    seed: int,
    hr_all: bool = True,
    skip: frozenset[str] = frozenset(),
    ops: int = 6,
    rounds: int = 50,
) -> World:
    """Three sites set up by officecli's commands, products stocked, the books' owner named."""
    sites = company(tmp, "ABC")
    a = sites[0]
    rng = random.Random(seed)
    conf = a.root / "office.yaml"
    conf.write_text(conf.read_text("utf-8") + "books:\n  site: A\n", "utf-8")
    a.git("commit", "-q", "-am", "office.yaml: the books belong to site A")
    for sku, price in zip(SKUS, ("12.50", "20.00", "15.00")):
        a.run("product", "add", sku, "--name", sku.title(), "--price", price, "--cost", "4.10")
        a.run("stock", "receive", sku, "2000", "--cost", "4.10")
    a.run("customer", "add", "Μαρία Παπαδοπούλου", "--email", "maria@example.gr")
    hr = tmp / "hr.git"
    git(tmp, a.home, "init", "-q", "--bare", str(hr))
    w = World(
        tmp=tmp,
        seed=seed,
        sites=sites,
        rng=rng,
        hr_all=hr_all,
        skip=skip,
        ops_per_round=ops,
        remote=tmp / "remote.git",
    )
    w.made["CUS"] = 1
    a.run("hr", "git-init", "--remote", str(hr))
    a.git("-C", "back/hr", "push", "-q", "-u", "origin", "HEAD")
    w.made["EMP"] = 0
    for s in sites:
        res = s.sync(ok=False)
        assert res.returncode == 0, res.stderr
    if hr_all:
        for s in sites[1:]:  # the documented command at a second HR site
            res = s.run("hr", "git-init", "--remote", str(hr), ok=False)
            said = res.stdout + res.stderr
            if res.returncode == 0:
                res = s.run("sync", ok=False)
                said = res.stdout + res.stderr
            if res.returncode != 0:
                w.fail(
                    "hr",
                    s.code,
                    f"hr git-init --remote {hr.name} then sync: exit {res.returncode}: {said.strip()}",
                )
        if w.broken:  # go on with HR at site A only, so the rest can be tried
            w.hr_all = False
            for s in sites[1:]:
                shutil.rmtree(s.root / "back/hr/.git", ignore_errors=True)
    for s in sites[:-1]:
        res = s.sync(ok=False)
        assert res.returncode == 0, res.stderr
    code = rng.choice("ABC")
    at = rng.randint(3, max(4, rounds // 3))
    w.offline_plan = (at, code, rng.randint(3, 8))
    return w


def describe(w: World, found: list[Broken]) -> str:
    ops = "\n    ".join(map(str, w.log))
    broken = "\n  ".join(str(b) for b in found)
    return (
        f"soak seed {w.seed}, round {w.round_no} (clock {w.now.date()}), offline {dict(w.offline)}:\n"
        f"  {broken}\n  the round's operations and syncs:\n    {ops}\n"
        f"  rerun: SOAK_SEED={w.seed} SOAK_ROUNDS={w.round_no} python -m pytest -m soak tests/git/test_soak_sites.py"
    )
