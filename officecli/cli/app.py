"""The one application object carried in the click context.

It holds the global options (root, user, format, fields, quiet), opens the
Office on first use, and is the one way a command prints:

* ``rows``/``one`` -- a listing or a record, in the chosen format, with the
  schema of the command's kind of row (officecli/office/schema.yaml). A listing
  command's ``--all``/``--sort``/``--limit`` (options.listing) are applied here.
* ``created`` -- a record the command created, moved or changed: a line for
  people (nothing with ``-q``), its ID with ``--format ids``, and with json,
  jsonl, yaml or csv the touched records (id, kind, state, path) printed once
  when the command ends, so a command acting on several IDs prints one list.
* ``say`` -- a line for people: only in table format, never with ``-q``.
* ``problems`` -- what a check found: one line each, or one object each
  (``[]`` when clean) in the machine formats.
* A closed pipe (``officecli order list | head -1``) ends output quietly:
  stdout goes to /dev/null and the command finishes with exit 0 (see pipes()).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click

MACHINE = ("json", "jsonl", "yaml", "csv", "csv-excel")


class App:
    """Global options, the open Office (opened on first use) and output."""

    def __init__(self, root: str | None, user: str | None, fmt: str = "table", quiet: bool = False):
        self.root = root
        self.user = user
        self.fmt = fmt
        self.quiet = quiet
        self.fields: list[str] | None = None
        self.listing: dict | None = None  # set by options.listing: kind, all, sort, limit, state
        self.only: dict[str, set] = {}  # a repeated filter (options.accumulate): key -> values kept
        self.touched: list[dict] = []  # records created/moved, for the machine formats
        self.collect = False  # several IDs: machine-format rows printed once, at the end
        self.collected: list[dict] = []
        self.collected_schema: list[str] | None = None
        self._office = None

    @property
    def office(self):
        if self._office is None:
            from officecli.office.core import Office  # opened only by commands that need it

            self._office = Office.open(self.root, self.user)
            self._office.user_option = (
                self.user
            )  # typed --user: must name an employee (office/people/acting.py)
            # with git.autocommit, a writer keeps the lock until it has committed (close)
            self._office.store.keep_lock = self._office.config.autocommit
        return self._office

    # -- output ------------------------------------------------------------------
    def echo(self, text: str = "", nl: bool = True, err: bool = False) -> None:
        """click.echo that survives a closed pipe (the reader has what it wanted). Text made
        here of what a file or a person wrote goes through ``line`` first (created, say,
        problems, warn)."""
        try:
            click.echo(text, nl=nl, err=err)
        except BrokenPipeError:
            pipe_closed()

    def schema(self) -> list[str] | None:
        from officecli import schema

        ctx = click.get_current_context(silent=True)
        flags = [f"--{k.replace('_', '-')}" for k, v in (ctx.params if ctx else {}).items() if v is True]
        return schema.fields_of(command_path(), flags)

    def _listed(self, items: Sequence[dict]) -> list[dict]:
        spec = self.listing
        items = list(items)
        for key, values in self.only.items():  # --state a --state b: in any of them
            items = [i for i in items if i.get(key) in values]
        if not spec:
            return items
        finished = spec.get("finished") or ()
        if finished and not spec.get("all") and not spec.get("state") and "state" not in self.only:
            items = [i for i in items if i.get("state") not in finished]
        if spec.get("sort"):
            key, reverse = spec["sort"].lstrip("-"), spec["sort"].startswith("-")
            self.check_fields(items, [key], "--sort")
            items.sort(key=lambda i: _sort_key(i.get(key)), reverse=reverse)
        if spec.get("limit") is not None:
            items = items[: spec["limit"]]
        return items

    def check_fields(self, items: Sequence[dict], wanted: Sequence[str], option: str) -> None:
        """Refuse (exit 2) a --fields or --sort name that no row of this listing has: the
        fields are the schema's (docs/SCHEMA.md) and any key the rows carry."""
        schema = self.schema()
        if schema is None and not items:
            return  # nothing to say which fields exist
        from officecli import render

        known = render.keys_of(items, schema)
        unknown = [w for w in wanted if w not in known]
        if unknown:
            import difflib

            near = difflib.get_close_matches(unknown[0], known, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            raise click.BadParameter(
                f"no field {unknown[0]!r}{hint} (fields: {', '.join(known)})", param_hint=option
            )

    def rows(self, items: Sequence[dict], columns=None, empty: str = "(none)") -> None:
        if self.fields:
            self.check_fields(items, self.fields, "--fields")
        items = self._listed(items)
        if self.fmt == "table" and self.quiet and not items:
            return
        if self.collect and self.fmt in MACHINE:
            self.collected += items
            self.collected_schema = self.schema()
            return
        from officecli import render  # here: `officecli <noun> --help` needs no renderer

        table = self.fmt == "table" and columns and not self.fields  # (a table's columns: no schema)
        text = render.rows(
            items, self.fmt, columns, empty, schema=None if table else self.schema(), fields=self.fields
        )
        if text:
            from officecli import terminal  # long tables through the pager, on a terminal only

            try:
                terminal.page(text)
            except BrokenPipeError:
                pipe_closed()

    def one(self, item: dict, fields=None) -> None:
        if self.collect and self.fmt in MACHINE:
            self.rows([item])
            return
        from officecli import render

        if self.fields:
            self.check_fields([item], self.fields, "--fields")
        self.echo(render.one(item, self.fmt, fields, schema=self.schema(), only=self.fields))

    def created(self, ident, what: str = "") -> None:
        """A record the command created, moved or changed (an ID or a Record)."""
        rec = None if isinstance(ident, str) else ident
        ident = ident if isinstance(ident, str) else ident.id
        if self.fmt == "ids":
            self.echo(ident)
        elif self.fmt in MACHINE:
            if rec is None and self._office is not None:
                rec = self._office.find_any(ident)
            self.touched.append(
                {
                    "id": ident,
                    "kind": rec.kind.name if rec else None,
                    "state": rec.state if rec else None,
                    "path": rec.path if rec else None,
                }
            )
        elif not self.quiet:
            self.echo(line(f"{ident}  {what}" if what else ident))

    def say(self, text: str) -> None:
        """A line for people; silent with -q and with --format ids/json/jsonl/yaml/csv."""
        if self.fmt == "table" and not self.quiet:
            self.echo(line(text))

    def problems(self, found: Sequence, what: str) -> bool:
        """Print what a check found (nothing when clean in table format, ``[]`` in
        json); one line on stderr counting them. True when there were any."""
        if self.fmt == "table":
            for p in found:
                self.echo(line(str(p)))
        elif self.fmt == "ids":
            pass
        else:
            from officecli import render

            text = render.rows(
                [_problem_row(p) for p in found], self.fmt, schema=["where", "problem"], fields=self.fields
            )
            if text:
                self.echo(text)
        if found:
            self.warn(f"{len(found)} problem(s) {what}")
        return bool(found)

    def warn(self, text: str) -> None:
        self.echo(line(f"officecli: {text}"), err=True)

    def flush(self) -> None:
        """Print the touched records (machine formats) once, at the end."""
        touched, self.touched = self.touched, []
        collected, self.collected = self.collected, []
        if not (collected or touched):
            return
        from officecli import render

        if collected:
            self.echo(render.rows(collected, self.fmt, schema=self.collected_schema, fields=self.fields))
        if touched:
            self.echo(
                render.rows(touched, self.fmt, schema=["id", "kind", "state", "path"], fields=self.fields)
            )

    # -- end of command ------------------------------------------------------------
    def close(self) -> None:
        self.flush()
        office = self._office
        if office is None:
            return
        for note in office.store.notes:
            self.warn(note)
        failed = False
        try:
            office.close()
        except Exception as exc:  # the cache is disposable: say so, never traceback
            self.warn(f"after the change: {exc}")
        try:
            if office.touched and office.config.autocommit:
                from officecli.office import autocommit  # only when there is something to commit

                problem = autocommit.finish(office)  # still under the lock
                if problem:
                    self.warn(problem)
                    failed = True
        except Exception as exc:  # the change is on disk already: say so, never traceback
            self.warn(f"after the change, git: {exc}")
            failed = True
        finally:
            office.store.release_lock()
        if failed:
            raise click.exceptions.Exit(1)


def line(text: str) -> str:
    """A message for people, its control characters escaped (store/printable.py), its line
    breaks kept (a message may be several lines)."""
    from officecli.store.printable import printable

    return printable(text, newlines=True)


def _sort_key(value):
    from decimal import Decimal, InvalidOperation

    if value is None:
        return (0, 0, "")
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return (1, Decimal(value), "")
    text = str(value)
    try:
        return (1, Decimal(text), "")
    except InvalidOperation:
        return (2, 0, text.casefold())


def _problem_row(p) -> dict:
    text = str(p)
    where = getattr(p, "where", None)
    message = getattr(p, "message", None)
    if where is None:
        where, sep, message = text.partition(": ")
        if not sep:
            where, message = None, text
    return {"where": where, "problem": message}


def command_path() -> str:
    """'order list' for the running command (without the program name)."""
    ctx = click.get_current_context(silent=True)
    names = []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name)
        ctx = ctx.parent
    return " ".join(reversed(names))


def pipe_closed() -> None:
    """The reader of stdout went away (``| head -1``): like git, stop writing and say
    nothing; unlike git (which dies of SIGPIPE, status 141) the exit status stays 0,
    so ``set -o pipefail`` scripts do not fail because a reader had enough. Later
    output goes to /dev/null; the command itself finishes (a writer's change is
    already on disk)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (click's test runner)
        pass


pass_app = click.make_pass_decorator(App)
