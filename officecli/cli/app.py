"""The one application object carried in the click context."""
from __future__ import annotations

from typing import Sequence

import click

from officecli import render


class App:
    """Global options, the open Office (opened on first use) and output."""

    def __init__(self, root: str | None, user: str | None, fmt: str = "table"):
        self.root = root
        self.user = user
        self.fmt = fmt
        self._office = None

    @property
    def office(self):
        if self._office is None:
            from officecli.office.core import Office  # opened only by commands that need it
            self._office = Office.open(self.root, self.user)
            self._office.user_option = self.user      # typed --user: must name an employee (office/acting.py)
            # with git.autocommit, a writer keeps the lock until it has committed (close)
            self._office.store.keep_lock = self._office.config.autocommit
        return self._office

    # -- output ------------------------------------------------------------------
    def rows(self, items: Sequence[dict], columns=None, empty: str = "(none)") -> None:
        text = render.rows(items, self.fmt, columns, empty)
        if text:
            from officecli import terminal   # long tables through the pager, on a terminal only
            terminal.page(text)

    def one(self, item: dict, fields=None) -> None:
        click.echo(render.one(item, self.fmt, fields))

    def created(self, ident: str, what: str = "") -> None:
        """A command that creates a record prints its ID (alone with --format ids)."""
        if self.fmt == "ids" or not what:
            click.echo(ident)
        else:
            click.echo(f"{ident}  {what}")

    def say(self, text: str) -> None:
        """A line for people; silent with --format ids/json/yaml/csv."""
        if self.fmt == "table":
            click.echo(text)

    def warn(self, text: str) -> None:
        click.echo(f"officecli: {text}", err=True)

    # -- end of command ------------------------------------------------------------
    def close(self) -> None:
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
                problem = autocommit.finish(office)       # still under the lock
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


pass_app = click.make_pass_decorator(App)
