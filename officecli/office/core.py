"""The Office: one company's records, read and changed by the rules of the workflow table.

Every noun module (orders, complaints, ledger, ...) works through this
object: find and list records, allocate IDs, create records, hand them off
from one folder to the next with a history entry, and collect changes in one
transaction that the store applies all at once.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import re
import weakref
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar, cast

from officecli.store import ids, yamlio
from officecli.store.errors import UserError, Vanished
from officecli.store.root import find_root
from officecli.store.tree import Store
from officecli.store.txn import Transaction

from . import clock, config, events, periods, records, seals
from .records import Record
from .workflows import PRIVATE, Kind, kinds
from .workflows import kind as kind_named

if TYPE_CHECKING:
    from typing import Literal

    from officecli.store import git
    from officecli.store.cache import StatCache

    from .site import Site

_T = TypeVar("_T")


_CONFLICT = re.compile(r"^(<<<<<<<|=======|>>>>>>>)( |$)", re.M)


def login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


class FilesOnly:
    """Stands in for the stat cache where the files themselves must be read (doctor,
    ledger check): nothing is served from the cache, and a cache entry that is
    current (its stat key matches) but says something else than the file is noted."""

    def __init__(self, real: StatCache):
        self.real = real
        self.disagree: list[str] = []

    def get(self, rel: str, st: os.stat_result) -> None:
        return None

    def put(self, rel: str, st: os.stat_result, data: Any) -> None:
        try:
            cached = self.real.get(rel, st)
        except Exception:  # a malformed entry: every other reader discards it
            cached = None
        if cached is not None and cached != data and rel not in self.disagree:
            self.disagree.append(rel)

    def save(self) -> None:
        pass

    def usable(self) -> bool:  # no summary or index is served either
        return False


# A kernel module that core imports (directly or through another one) types its ``office``
# parameters Any: the acyclic import contract (pyproject.toml) counts an import made only
# for type checking too, so such a module cannot import Office back.
def _namer(kind: Kind) -> Callable[[str], bool]:
    """Whether a file name (without .yaml) can be a record of ``kind``: an ID with the
    kind's prefix, else (a SKU, a month) a plain name; anything else is never listed
    (doctor names it)."""
    if kind.prefix:
        head = kind.prefix + "-"
        match = ids.ID_RE.match
        return lambda name: name.startswith(head) and match(name) is not None
    plain = ids.NAME_RE.match
    return lambda name: plain(name) is not None


class Office:
    def __init__(self, root: Path, user: str | None = None):
        self.root = Path(root)
        self.store = Store(self.root, PRIVATE)  # one store, so one load of the cache
        self._marking: list[Any] | None = None  # the on_commit list new_id's numbers are marked by
        self._to_mark: dict[tuple[str, str], list[int]] = {}
        raw = self.store.load("office.yaml")
        self.config = config.Config(config.check(raw), site_finder=self._site_override)
        given, what = user, "--user"
        if not given:
            given, what = os.environ.get("OFFICECLI_USER"), "$OFFICECLI_USER"
        if not given:
            given, what = login_name(), "the login name"
        self.user_given = ids.check_user(given, what)  # one check for every command, sync too
        self._user: str | None = None  # resolved on first use (see ``user``)
        self.store.lock_timeout = self.config.lock_timeout
        self.store.who = self.user_given
        # every record file parsed is checked against its kind's field types before
        # it is used or cached (records.validate): no command computes with a bad value
        self.rules = records.rules_of(self.config)
        self._kind_of: dict[str, tuple[Kind, str] | None] = {}
        self.store.checker = self._check_parsed
        self.store.summaries.trusted = seals.trusted(self)  # a closed period's seals (office/seals.py)
        self.store.denied_notes = {p: "pay is private to HR" for p in PRIVATE}
        # Records read while no change is open, by path and by (kind, states): one
        # command reads each file once however many times it asks (a report reads
        # orders for several figures). Emptied when a change opens and when it ends,
        # so nothing read inside a change, or after one, is ever served from here.
        # ``_seen`` holds them weakly: a record nobody keeps (a sum, a filter that dropped
        # it) is freed, so reading a whole tree never keeps the whole tree alive.
        self._seen: weakref.WeakValueDictionary[str, Record] = weakref.WeakValueDictionary()
        self._listed: dict[tuple[str, tuple[str, ...] | None], list[Record]] = {}
        self.keep_reads = True  # False: nothing read is kept (doctor reads a whole tree once)
        self.tz = clock.zone(self.config.timezone)
        self._txn: Transaction | None = None
        self.messages: list[str] = []  # what this command said it did (for git)
        self.restoring: str | None = None  # a ledger entry let into a closed period (books/closing.py)
        self.log: list[str] = []  # every create and handoff of this command
        self.touched: list[dict[str, Any]] = []  # every op of this command's changes (autocommit)
        self.site_check = True  # writers need a site (off for 'site set')
        self._site: Site | None = None
        self._fresh: set[str] = set()  # IDs new_id allocated (no other file has them)
        self.files_only = False  # read_files_only(): no summaries, no cache
        self.fields_checked = False  # doctor: every field checked already (ledger check skips it)
        self._repo: git.Repo | None | Literal[False] = False  # git.Repo | None once looked up

    @property
    def user(self) -> str:
        """Who is acting, for history entries: --user / $OFFICECLI_USER / the login name;
        when that names an employee (ID, number or exact name) it is the employee,
        written as 'EMP-A-0003 Μαρία Κ.'. Resolved on first use, so a command that
        writes nothing reads no employee file."""
        if self._user is None:
            from officecli.office.users import user_label  # only commands that write need it

            self._user = user_label(self, self.user_given)
        return self._user

    @user.setter
    def user(self, value: str) -> None:
        self._user = value

    @classmethod
    def open(cls, root: str | None = None, user: str | None = None) -> Office:
        return cls(find_root(root), user)

    def _site_override(self) -> str:
        """This clone's site code (office/site.py says where it comes from); a clone
        with a remote and no site set is refused here."""
        from officecli.office import site as sites

        return sites.require(self)

    def site_info(self) -> Site:
        """This clone's site: code (None if a clone with a remote never set it) and source."""
        if self._site is None:
            from officecli.office import site as sites

            self._site = sites.find(self.root, self.config.raw, lambda: self.repo)
        return self._site

    def forget_site(self) -> None:
        self._site = None

    @property
    def repo(self) -> git.Repo | None:
        """The git repository the records folder is in (None if not in git); looked up once."""
        if self._repo is False:
            from officecli.store import git

            self._repo = git.Repo.find(self.root)
        return self._repo

    # -- checking what is read -------------------------------------------------
    def _check_parsed(self, rel: str, data: Any) -> None:
        """Refuse a record file whose fields break their declared types (workflows.yaml)."""
        folder = rel.rpartition("/")[0]
        if folder not in self._kind_of:
            self._kind_of[folder] = next(
                ((k, st) for k in kinds().values() if (st := k.state_of(folder)) is not None), None
            )
        owner = self._kind_of[folder]
        if owner is None:
            return
        problems = records.validate(owner[0], data, self.rules)
        if problems:
            name = rel.rpartition("/")[2].rpartition(".")[0]
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise UserError(f"{name} ({rel}): {problems[0]}{more}; run 'officecli doctor'")

    def read_files_only(self, check_fields: bool = True) -> FilesOnly:
        """Read every record from its file from now on, never from the cache (doctor, ledger
        check); the returned object lists the cache entries that disagree with their files.
        ``check_fields=False``: the caller reports field problems itself, every one of them."""
        if not isinstance(self.store.cache, FilesOnly):
            # a stand-in with what readers call of a cache (get, put, save, usable): the store
            # declares a StatCache
            self.store.cache = FilesOnly(self.store.cache)  # type: ignore[assignment]
        self.files_only = True
        if not check_fields:
            self.store.checker = None
        self.forget()
        return cast(FilesOnly, self.store.cache)

    # -- time ----------------------------------------------------------------
    def now(self) -> datetime:
        return clock.now(self.tz)

    def stamp(self) -> str:
        return clock.stamp(self.now())

    def today(self) -> date:
        return self.now().date()

    # -- reading ---------------------------------------------------------------
    def kind(self, name: str) -> Kind:
        return kind_named(name)

    def paths(self, kind: Kind, states: Iterable[str] | None = None) -> list[tuple[str, str]]:
        """(state, path) of every file of a kind, in the given states (all by default)."""
        out = []
        named = _namer(kind)
        for state in states or kind.states:
            for rel in self.store.glob(kind.states[state]):
                if named(rel[rel.rfind("/") + 1 : -5]):  # a file whose name is no ID is no record
                    out.append((state, rel))
        if self._txn is not None:  # see this transaction's own new files
            known = {p for _, p in out}
            for rel in self._txn.pending_paths():
                if rel not in known:
                    st = kind.state_of(rel.rpartition("/")[0])
                    if st is not None and (states is None or st in states):
                        out.append((st, rel))
            out = [(s, p) for s, p in out if not self._txn.moved_away(p)]
        return out

    def load_path(self, kind: Kind, state: str, rel: str, cached: bool = True) -> Record:
        if self._txn is None:
            seen = self._seen.get(rel)
            if seen is not None and seen.kind is kind and seen.state == state:
                return seen
        pending = self._txn.pending_text(rel) if self._txn else None
        data = self.store.parse(rel, pending) if pending is not None else self.store.load(rel, cached)
        name = rel.rpartition("/")[2][: -len(".yaml")]
        if not isinstance(data, dict) and pending is None:  # a malformed cache entry? the file says
            data = self.store.parse(rel, self.store.read_text(rel))
        if not isinstance(data, dict):
            raise UserError(f"{name} ({rel}): the file is not a mapping of fields; run 'officecli doctor'")
        rec = Record(kind, name, state, rel, data)
        if self._txn is None and self.keep_reads:
            self._seen[rel] = rec
        return rec

    def records(self, kind_name: str, states: Iterable[str] | None = None) -> list[Record]:
        kind = self.kind(kind_name)
        if self._txn is not None:
            return [self.load_path(kind, st, rel) for st, rel in self.paths(kind, states)]
        key = (kind_name, None if states is None else tuple(states))
        listed = self._listed.get(key)
        if listed is None:
            listed = self._unlocked(
                lambda: [self.load_path(kind, st, rel) for st, rel in self.paths(kind, key[1])],
                same=lambda got: [r.path for r in got] == [rel for _, rel in self.paths(kind, key[1])],
            )
            if self.keep_reads:
                self._listed[key] = listed
        return list(listed)

    def _unlocked(self, read: Callable[[], _T], same: Callable[[_T], bool] | None = None) -> _T:
        """Run a read that lists files, then parses them. Readers take no lock, so a
        writer may move a listed file meanwhile: then list again (it is in its new
        folder now) rather than fail. ``same(result)`` says whether the files are
        still the ones read: a record moved from a folder not yet listed to one
        already listed would otherwise be missing. Under the lock nothing moves."""
        for attempt in range(20):
            last = self._txn is not None or attempt == 19
            try:
                got = read()
            except Vanished:
                if last:
                    raise
                continue
            if last or same is None or same(got):
                return got
        raise AssertionError("not reached: the last attempt returns or raises")

    def all_ids(self, kind_name: str) -> dict[str, tuple[str, str]]:
        """ID -> (state, path) for every record of a kind (file names only: no parsing)."""
        return self._index(kind_name)[0]

    def _index(self, kind_name: str) -> tuple[dict[str, tuple[str, str]], dict[str, list[str]]]:
        """``all_ids`` and the IDs found in more than one folder (ID -> every path)."""
        known: dict[str, tuple[str, str]] = {}
        twins: dict[str, list[str]] = {}
        for st, rel in self.paths(self.kind(kind_name)):
            ident = rel.rpartition("/")[2][: -len(".yaml")]
            if ident in known:
                twins.setdefault(ident, [known[ident][1]]).append(rel)
            known[ident] = (st, rel)
        return known, twins

    def _twin(self, kind: Kind, ident: str, paths: list[str], chosen: str) -> None:
        """An ID in two folders: a writer refuses it; a reader shows one and says so."""
        both = " and ".join(paths)
        if self._txn is not None:
            raise UserError(
                f"{kind.label} {ident}: one ID in two folders ({both}); nothing was "
                "changed: `officecli doctor` says whether they are one record or two and "
                "the command that settles it"
            )
        note = (
            f"{kind.label} {ident}: one ID in two folders ({both}); showing {chosen}: "
            "`officecli doctor` says whether they are one record or two and the command "
            "that settles it"
        )
        if note not in self.store.notes:
            self.store.notes.append(note)

    def _here(self) -> str | None:
        """This clone's site code, to prefer its records for a short number (None if unset)."""
        try:
            return self.site_info().code
        except UserError:
            return None

    def _renamed(self, kind_name: str, ref: str) -> str | None:
        """The record a full ID named before ``officecli renumber`` gave it a new one."""
        ident = (ref or "").strip().upper()
        if not ids.parse_id(ident):
            return None
        from officecli.office.aliases import follow

        return follow(self, kind_name, ident)

    def resolve(self, kind_name: str, ref: str) -> str:
        try:
            return ids.resolve(ref, self.all_ids(kind_name), self.kind(kind_name).label, self._here)
        except UserError:
            renamed = self._renamed(kind_name, ref)
            if renamed is None:
                raise
            return renamed

    def get(self, kind_name: str, ref: str) -> Record:
        """The record a full ID, a unique suffix or a number names."""
        kind = self.kind(kind_name)

        def read() -> Record:
            full = (ref or "").strip().upper()
            if ids.parse_id(full) and ids.QUERY_RE.match(full):  # a full ID: look only where it can be
                where = self.places(kind, full)
                if where:
                    if len(where) > 1:
                        self._twin(kind, full, where, where[-1])
                    folder = where[-1].rpartition("/")[0]
                    state = cast(str, kind.state_of(folder))  # places: state folders only
                    return self.load_path(kind, state, where[-1], cached=False)
            known, twins = self._index(kind_name)
            try:
                ident = ids.resolve(ref, known, kind.label, self._here)
            except UserError:  # an ID a renumbered record had before: follow it
                renamed = self._renamed(kind_name, ref)
                if renamed is None or renamed not in known:
                    raise
                ident = renamed
            state, rel = known[ident]
            if ident in twins:
                self._twin(kind, ident, twins[ident], rel)
            return self.load_path(kind, state, rel, cached=False)  # one file, not its folder's shard

        try:
            return self._unlocked(read)
        except UserError as exc:  # "no such invoice" says where to look
            from officecli.office.names import next_step

            raise UserError(next_step(kind_name, str(exc))) from None

    def find_any(self, ident: str) -> Record | None:
        """A record by its full ID, whatever its kind (from the ID's prefix)."""
        parsed = ids.parse_id(ident)
        if not parsed:
            return None
        for k in kinds().values():
            if k.prefix == parsed[0]:

                def read(k: Kind = k) -> Record | None:
                    known, twins = self._index(k.name)
                    hit = known.get(ident)
                    if hit is None:  # renamed by 'officecli renumber': follow it
                        hit = known.get(self._renamed(k.name, ident) or "")
                    if hit and ident in twins and self._txn is None:  # (a writer acting on it
                        self._twin(k, ident, twins[ident], hit[1])  # is refused in _write)
                    return self.load_path(k, *hit, cached=False) if hit else None

                return self._unlocked(read)
        return None

    # -- writing ---------------------------------------------------------------
    @contextlib.contextmanager
    def change(self, message: str = "") -> Iterator[Transaction]:
        """One all-or-nothing change under the writer lock; nested calls join the outer one."""
        if self._txn is not None:
            if message:
                self.messages.append(message)
            yield self._txn
            return
        self.forget()
        from . import autocommit  # git: refuse before anything changes, commit what is pending

        autocommit.before_write(self)
        try:
            with self.store.transaction() as txn:
                self._txn = txn
                self._committed = txn.pending_paths
                try:
                    autocommit.under_lock(self)
                    yield txn
                    if message:
                        self.messages.append(message)
                    seals.amend(self, txn)  # a sealed folder's seal follows what officecli writes in it
                    autocommit.prepare(self, txn)
                finally:
                    self._txn = None
                    self.forget()
        except BaseException:
            autocommit.abandon(self)
            raise
        autocommit.applied(self, txn)

    def forget(self) -> None:
        """Drop what this command has read so far (the next read goes to the files)."""
        self._seen.clear()
        self._listed.clear()
        self.store.summaries.forget()

    @property
    def txn(self) -> Transaction:
        if self._txn is None:
            raise RuntimeError("a write outside Office.change()")
        return self._txn

    def new_id(self, kind_name: str) -> str:
        """The next free ID of a kind at this site (under the lock, seeing this change's own).

        From this site's high-water mark (store/ids.HighWater): only folders whose
        stat moved are listed, so a write costs the same on a 100k tree as on an
        empty company."""
        kind = self.kind(kind_name)
        prefix = cast(str, kind.prefix)  # only kinds with a prefix have IDs to allocate
        site = self.config.site
        number = self.next_number([kind_name], prefix, site)
        if self._numbers_fresh and kind_name not in ("ledger_txn", "stock_move"):
            # a high-water mark made anew has not seen the names renumbered records had
            # (one it kept has: their numbers are below its tops): never mint one of those
            from officecli.office.aliases import aliases

            taken = aliases(self, kind_name)
            while ids.format_id(prefix, site, number) in taken:
                number += 1
        ident = ids.format_id(prefix, site, number)
        self._fresh.add(ident)
        return ident

    def next_number(
        self, kind_names: list[str], prefix: str, site: str, seed: Callable[[], int] | None = None
    ) -> int:
        """One more than the highest PREFIX-SITE number of the files of these kinds (and of
        this change's pending files); ``seed()``, when given, is the full search of every
        place such a number can appear, run once per clone and series."""
        hw = ids.HighWater(
            self.store.state / "numbers.marshal", self._txn is not None and self.store.cache.usable()
        )
        if seed is not None and not hw.known(prefix, site):
            hw.seed(prefix, site, seed())
        folders = [
            f
            for name in kind_names
            for pattern in self.kind(name).states.values()
            for f in self.store.folders(pattern)
        ]
        top = hw.top(str(self.root), folders, prefix, site)
        if seed is not None and top > hw.shown:  # a mark above every file: the full search decides
            top = max(hw.shown, seed())
            hw.reset(prefix, site, top)
        elif top > hw.shown + ids.BELIEVED:  # not numbers deleted by hand: a tampered mark
            top = hw.shown
            hw.reset(prefix, site, top)
        if top >= ids.MAX_NUMBER:
            raise UserError(f"{prefix}-{site}: the series is full ({ids.MAX_NUMBER} numbers)")
        if self._txn is not None:  # this change's own new files (each looked at once)
            top = max(top, self._txn.pending_top(prefix, site))
        hw.save()
        self._numbers_fresh = hw.fresh or not hw.usable
        if self._txn is not None and hw.usable:
            if self._marking is not self.store.on_commit:  # one hook per change, whatever its size
                self._marking, self._to_mark = self.store.on_commit, {}
                self.store.on_commit.append(self._used)
            self._to_mark.setdefault((prefix, site), []).append(top + 1)
        return top + 1

    def _used(self) -> None:
        """After the commit (still under the lock): a number handed out is used once its file
        exists, even if a person deletes that file later (never handed out twice). One look at
        the change's paths and one save of the mark for all the numbers the change took (a
        look and a save per number made a bulk import quadratic, one fsync per record)."""
        marks, self._to_mark, self._marking = self._to_mark, {}, None
        committed = {rel.rpartition("/")[2] for rel in self._committed()}
        hw = None
        for (prefix, site), numbers in marks.items():
            for number in sorted(set(numbers), reverse=True):
                if f"{ids.format_id(prefix, site, number)}.yaml" in committed:
                    hw = hw or ids.HighWater(self.store.state / "numbers.marshal", True)
                    hw.seed_top(prefix, site, number)
                    break
        if hw is not None:
            hw.save()

    def places(self, kind: Kind, ident: str) -> list[str]:
        """Every path where a file named ``ident`` of this kind is (seeing this change):
        one ``lexists`` per folder of the kind, no listing."""
        out = []
        for pattern in kind.states.values():
            for folder in self.store.folders(pattern):
                rel = f"{folder}/{ident}.yaml"
                if self._txn is not None:
                    if self._txn.exists(rel):
                        out.append(rel)
                elif os.path.lexists(os.path.join(self.root, rel)):
                    out.append(rel)
        if self._txn is not None:
            for rel in self._txn.pending_paths():
                if (
                    rel not in out
                    and rel.rpartition("/")[2] == f"{ident}.yaml"
                    and kind.state_of(rel.rpartition("/")[0]) is not None
                ):
                    out.append(rel)
        return out

    def folder_for(self, kind: Kind, state: str, data: dict[str, Any]) -> str:
        pattern = kind.states[state]
        if "{" not in pattern:
            return pattern
        when = str(data.get(kind.dated)) if kind.dated and data.get(kind.dated) else self.today().isoformat()
        year, month = when[:4], when[5:7]
        if not (
            len(year) == 4 and len(month) == 2 and (year + month).isascii() and (year + month).isdigit()
        ):  # a field becomes a folder name: digits only
            raise UserError(
                f"{kind.label} {data.get(kind.key)}: {kind.dated}: {when!r} is not a "
                "date (YYYY-MM-DD); it names the record's YYYY/MM folder"
            )
        return kind.folder(state, year, month)

    def create(
        self,
        kind_name: str,
        data: dict[str, Any],
        state: str | None = None,
        note: str | None = None,
        action: str = "add",
    ) -> Record:
        """Write a new record file into its first (or the given) state's folder."""
        kind = self.kind(kind_name)
        state = state or next(iter(kind.states))
        key = str(data[kind.key])
        ids.check_name(key, kind.label)
        body = dict(data)
        if "created" in kind.fields:
            body.setdefault("created", self.stamp())
        if "history" in kind.fields:
            body["history"] = [self.history_entry(action, None, state, note)]
        folder = self.folder_for(kind, state, body)
        rel = f"{folder}/{key}.yaml"
        if self.txn.exists(rel) or (key not in self._fresh and key in self.all_ids(kind_name)):
            raise UserError(f"{kind.label} {key}: already exists ({rel})")
        self._check_text(kind, key, rel, body)
        periods.guard_record(self, kind.label, key, body)  # nothing new inside a closed period
        text = records.dump(kind, body)
        self.txn.create(rel, text)
        self.log.append(f"{kind.label} {action} {key}: {folder}/ by {self.user}")
        return Record(kind, key, state, rel, yamlio.loads(text))

    def _text(self, rec: Record) -> str:
        pending = self.txn.pending_text(rec.path)
        return pending if pending is not None else self.store.read_text(rec.path)

    def note(
        self,
        rec: Record,
        action: str,
        note: str | None = None,
        changes: dict[str, Any] | None = None,
        key: str | None = None,
    ) -> Record:
        """Add a history entry (and change fields) without moving the record; ``key``: an
        automatic step's identity (records.history_entry)."""
        return self._write(rec, rec.state, rec.path, action, note, changes, key)

    def handoff(
        self,
        rec: Record,
        verb: str,
        note: str | None = None,
        changes: dict[str, Any] | None = None,
        action: str | None = None,
        key: str | None = None,
    ) -> Record:
        """Move a record along its workflow: check the state, append history, rename."""
        kind = rec.kind
        if verb not in kind.handoffs:
            raise UserError(f"{kind.label} {rec.id}: no step called {verb!r}")
        step = kind.handoffs[verb]
        if rec.state not in step.sources:
            raise self.wrong_state(rec, verb)
        body = dict(rec.data)
        body.update(changes or {})
        folder = self.folder_for(kind, step.target, body)
        return self._write(rec, step.target, f"{folder}/{rec.id}.yaml", action or verb, note, changes, key)

    def wrong_state(self, rec: Record, verb: str) -> UserError:
        kind = rec.kind
        step = kind.handoffs[verb]
        nxt = kind.verbs_from(rec.state)

        def command(v: str) -> str:  # the command that takes a step (workflows.yaml `command`)
            return kind.handoffs[v].command or f"{kind.label} {v}"

        hint = (
            f"; from here: {', '.join(command(v) for v in nxt)}"
            if nxt
            else "; it has reached the end of its workflow"
        )
        return UserError(
            f"{kind.label} {rec.id} ({rec.path}): state is {rec.state}, but '{command(verb)}' "
            f"needs {' or '.join(step.sources)}{hint}"
        )

    def history_entry(
        self, action: str, frm: str | None, to: str | None, note: str | None = None, key: str | None = None
    ) -> dict[str, str]:
        """A history entry written now by the acting user; at a clone of several sites it
        names this site (the merge tells two sites' entries of one second apart)."""
        return records.history_entry(self.stamp(), self.user, action, frm, to, note, self.entry_site(), key)

    def entry_site(self) -> str | None:
        """This site's code for history entries: only in a clone of several sites (a git
        clone with a remote); None elsewhere."""
        try:
            info = self.site_info()
        except UserError:
            return None
        return info.code if info.multi else None

    def _write(
        self,
        rec: Record,
        state: str,
        rel: str,
        action: str,
        note: str | None,
        changes: dict[str, Any] | None,
        key: str | None = None,
    ) -> Record:
        twins = self.places(rec.kind, rec.id)
        if len(twins) > 1:
            self._twin(rec.kind, rec.id, twins, rec.path)
        entry = self.history_entry(action, rec.state, state if state != rec.state else None, note, key)
        self._check_text(rec.kind, rec.id, rec.path, {**(changes or {}), "history": [entry]})
        text = self._text(rec)
        data = self.store.parse(rec.path, text)
        self._refuse_broken(rec, text, data)
        new_text = records.edit_text(rec.kind, text, data, changes or {}, entry)
        self.txn.move(rec.path, rel, new_text)
        where = rec.folder + "/" if rel == rec.path else f"{rec.folder}/ -> {rel.rpartition('/')[0]}/"
        self.log.append(f"{rec.kind.label} {action} {rec.id}: {where} by {self.user}")
        return Record(rec.kind, rec.id, state, rel, yamlio.loads(new_text))

    @staticmethod
    def _refuse_broken(rec: Record, text: str, data: Any) -> None:
        """A writer does not act on a record doctor would call broken (a git conflict
        marker, a field missing or of the wrong type): the file is named, nothing changes."""
        problems = records.validate(rec.kind, data)
        if _CONFLICT.search(text):
            problems.insert(0, "a git conflict marker: merge the two versions by hand")
        if problems:
            raise UserError(
                f"{rec.kind.label} {rec.id} ({rec.path}): {problems[0]}; nothing was "
                "changed: fix the file first (see `officecli doctor`)"
            )

    @staticmethod
    def _check_text(kind: Kind, key: str, rel: str, data: dict[str, Any]) -> None:
        """Refuse control characters (and line breaks in one-line fields) before anything is written."""
        for name, value in data.items():
            ftype = "history" if name == "history" else kind.fields.get(name, ("text", False))[0]
            problem = records.text_problem(ftype, value)
            if problem:
                raise UserError(f"{kind.label} {key} ({rel}): {name}: {problem}")

    def emit(self, event: str, **payload: Any) -> None:
        """Tell the subscribers of ``event`` (e.g. the ledger) inside this change."""
        events.emit(self, event, **payload)

    def commit_message(self) -> str:
        """One line for git: the first handoff (it says from where to where and by
        whom), else what the command said it did, else the first record it made."""
        moves = [line for line in self.log if " -> " in line]
        said = moves or self.messages or self.log
        if not said:
            return ""
        more = len(self.log) - 1 if said is not self.messages else len(said) - 1
        return said[0] + (f" (+{more} more)" if more > 0 else "")

    def close(self) -> None:
        self.store.close()
