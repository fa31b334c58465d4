"""The face: one click module per noun, loaded only when its command runs.

Every command module names its click command in COMMANDS; running one imports
only that module (fast start). ``officecli --help`` (and ``--version``) import
none of them: the listing shows each command's summary from SUMMARIES, the
first paragraph of its help, and this module imports click and nothing heavy
(the renderer, the App, the office are imported by the code that runs them).
User errors (officecli.store.errors.UserError) and OS errors become one line
on stderr and exit 1, here and nowhere else; click's usage errors stay exit 2.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys

import click

from officecli import FORMATS, __version__

COMMANDS = {
    "init": "officecli.cli.init:init",
    "demo": "officecli.cli.demo:demo",
    "customer": "officecli.cli.customer:customer",
    "product": "officecli.cli.product:product",
    "stock": "officecli.cli.stock:stock",
    "quote": "officecli.cli.quote:quote",
    "order": "officecli.cli.order:order",
    "invoice": "officecli.cli.invoice:invoice",
    "einvoice": "officecli.cli.einvoice:einvoice",
    "complaint": "officecli.cli.complaint:complaint",
    "improvement": "officecli.cli.improvement:improvement",
    "ledger": "officecli.cli.ledger:ledger",
    "supplier": "officecli.cli.supplier:supplier",
    "purchase": "officecli.cli.purchase:purchase",
    "bill": "officecli.cli.bill:bill",
    "bank": "officecli.cli.bank:bank",
    "vat": "officecli.cli.vat:vat",
    "return": "officecli.cli.return_:return_",
    "employee": "officecli.cli.employee:employee",
    "payroll": "officecli.cli.payroll:payroll",
    "hr": "officecli.cli.hr:hr",
    "report": "officecli.cli.report:report",
    "print": "officecli.cli.print:print_",
    "doctor": "officecli.cli.doctor:doctor",
    "search": "officecli.cli.search:search",
    "edit": "officecli.cli.edit:edit",
    "completion": "officecli.cli.completion:completion",
    "site": "officecli.cli.site:site",
    "sync": "officecli.cli.sync:sync",
    "resolve": "officecli.cli.resolve:resolve",
    "renumber": "officecli.cli.renumber:renumber",
    "twice": "officecli.cli.twice:twice",
    "history": "officecli.cli.history:history",
    "audit": "officecli.cli.audit:audit",
    "merge-file": "officecli.cli.merge_file:merge_file",  # git's merge driver (hidden)
    "help": "officecli.cli.finding:help_",
}

# What `officecli --help` lists for each command, so that the listing imports no
# command module: the first paragraph of the command's help (click shortens it to
# the width as ever); None for a hidden command. tests/cli/test_meta.py checks each
# against the command itself. A command missing here is imported to be listed.
SUMMARIES = {
    "twice": "Settle a step that moves goods or money two sites both took on one record.",
    "init": "Make a new office: the folder tree, office.yaml and a .gitignore.",
    "demo": "Show the whole flow: front office to back office and back, on a throwaway copy.",
    "customer": "Add, list, show and edit customers (front office).",
    "product": "Add, list, show and edit products (back office).",
    "stock": "Receive and adjust stock; list levels and what is low (back office).",
    "quote": "Offer prices to a customer; an accepted quote becomes an order.",
    "order": "Take orders and move them from the front office to the back office.",
    "invoice": "Pay, credit, list and show invoices (issue them with `officecli order invoice`).",
    "einvoice": "E-invoices: myDATA XML and reporting to AADE, EN 16931 CII/UBL, reading a supplier's.",
    "complaint": "Take complaints at the front office, handle them at the back office, answer them.",
    "improvement": "Decide on and release product improvements that came from complaints.",
    "ledger": "Keep the books: post, reverse, balance, register, check and export.",
    "supplier": "Add, list, show and edit suppliers (back office).",
    "purchase": "Order from suppliers, receive the goods, book the supplier's bill.",
    "bill": "Book, pay, list and show suppliers' bills (a PO's bill: `purchase bill`).",
    "bank": "Read bank statements, match their lines to invoices and bills, reconcile.",
    "vat": "Settle VAT returns and pay them to the tax office (see 'report vat').",
    "return": "Take back what a customer returns: receive it, credit it (back office).",
    "employee": "Keep the employees of the front and back office, and their leave.",
    "payroll": "Run the monthly payroll into the ledger, correct it, pay it.",
    "hr": "Keep pay private: back/hr out of the company repository, or in one of its own.",
    "report": "See both offices at a glance and file the books: the day, sales, quotes, P&L, "
    "VAT, balance sheet, aged.",
    "print": "Print a quote, invoice, credit note, delivery note or statement (HTML or PDF).",
    "doctor": "Check every file of the records tree; exit 1 if anything is wrong.",
    "search": "Find every record holding all these words, accents and case ignored.",
    "edit": "Open a record in $VISUAL / $EDITOR (else vi) and save it when it is valid.",
    "completion": "Print the completion script for a shell (the same as completions/ in the repo).",
    "site": "Show this clone's site code and where it comes from; set it with 'site set'.",
    "sync": "Sync this clone with the other sites: commit, fetch, merge, check, push.",
    "resolve": "Settle one record that two sites took different ways, by rule or by --keep.",
    "renumber": "Give record OLD the free ID NEW of this site, and every record naming it NEW.",
    "history": "Show a record's whole story: every step, when, who, at which site, in which commit.",
    "audit": "Prove from the records' git history what an accountant must show.",
    "merge-file": None,
    "help": "Show the help of a command: 'officecli help order list' is 'officecli order list --help'.",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use ("module:attr" strings)."""

    def __init__(
        self,
        *args,
        lazy: dict[str, str] | None = None,
        summaries: dict[str, str | None] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})
        self.summaries = dict(summaries or {})  # name -> its help's first paragraph; None: hidden
        self._listing = False

    def _present(self, name: str) -> bool:
        return importlib.util.find_spec(self.lazy[name].partition(":")[0]) is not None

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | {n for n in self.lazy if self._present(n)})

    def format_commands(self, ctx, formatter):
        """click's own listing, from the summaries: no command module is imported."""
        self._listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False

    def parse_args(self, ctx, args):
        self.no_args_is_help = False  # a bare `officecli` (options only too): its help, exit 0
        rest = super().parse_args(ctx, args)
        if not ctx._protected_args and not ctx.resilient_parsing:
            click.echo(ctx.get_help())
            ctx.exit(0)
        return rest

    def resolve_command(self, ctx, args):
        if args and self.get_command(ctx, args[0]) is None:  # a prefix, a plural, a slip
            from .finding import resolve

            return resolve(self, ctx, args)
        return super().resolve_command(ctx, args)

    def get_command(self, ctx, name):
        if self._listing and name in self.summaries and name not in self.commands:
            summary = self.summaries[name]  # a stand-in, only for the listing
            return click.Command(name, help=summary, hidden=summary is None)
        if name in self.lazy and name not in self.commands and self._present(name):
            module, _, attr = self.lazy[name].partition(":")
            from .options import common  # -q/--quiet on every command

            self.add_command(common(getattr(importlib.import_module(module), attr)), name)
            if os.environ.get("_OFFICECLI_COMPLETE"):  # a completion request: dynamic values
                from .completion import attach

                attach(self.commands[name], tuple(ctx.command_path.split()[1:]) + (name,))
        return super().get_command(ctx, name)


class OfficeGroup(LazyGroup):
    """The top group: the one place where errors become a line and an exit code."""

    def invoke(self, ctx):
        from officecli.store.errors import UserError

        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # '| head -1' had enough: quietly done (app.pipe_closed)
            from .app import pipe_closed

            pipe_closed()
            ctx.exit(0)
        except UserError as exc:
            _fail(ctx, str(exc))
        except OSError as exc:
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            _fail(ctx, f"{where}{exc.strerror or exc}")
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            _fail(ctx, "interrupted; nothing was changed unless it said so")
        except Exception as exc:  # a bug: still one line, the traceback on request
            if os.environ.get("OFFICECLI_DEBUG"):
                raise
            damaged = _damaged_record(ctx)
            if damaged:  # the likely cause: a record file edited by hand; name it
                _fail(
                    ctx,
                    f"{damaged} (the command stopped on it: {type(exc).__name__}; "
                    "'officecli doctor' lists every problem)",
                )
            _fail(
                ctx,
                f"internal error: {type(exc).__name__}: {exc} "
                "(set OFFICECLI_DEBUG=1 to see the traceback, and please report it)",
            )


def _damaged_record(ctx) -> str | None:
    """After an unexpected error: the first record file doctor finds damaged (a field of
    the wrong type...), as 'path: field: problem'; checked only on this rare path, so
    no read pays for it."""
    app = ctx.obj
    office = getattr(app, "_office", None)
    if office is None:
        return None
    try:
        from officecli.office.checks import doctor

        problems = [
            p
            for p in doctor.check(office.store)
            if not p.fixable
            and p.where.partition(":")[0].endswith(".yaml")  # a record's content,
            and "no workflow knows" not in p.message
        ]  # not a stray file
    except Exception:
        return None
    return str(problems[0]) if problems else None


def _terminal(flag: str, value: bool) -> None:
    if value:
        from officecli import terminal

        setattr(terminal, flag, True)


def _fail(ctx, message: str):
    # ONE line, whatever user text the message quotes (a name with a line break...)
    from officecli.store.printable import printable
    from officecli.terminal import paint  # red on a terminal only

    message = printable(" ".join(message.splitlines()))  # (no ESC sequence from a name)

    click.echo(paint(f"officecli: {message}", stream=sys.stderr), err=True)
    ctx.exit(1)


@click.group(
    cls=OfficeGroup,
    lazy=COMMANDS,
    summaries=SUMMARIES,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--root",
    metavar="PATH",
    help="The records folder (else $OFFICECLI_ROOT, else the "
    "nearest folder upward holding office.yaml or records/office.yaml).",
)
@click.option(
    "--user",
    metavar="NAME",
    help="Who is acting, for history entries (else $OFFICECLI_USER, else the login name).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format of commands that print records (default: table; docs/SCHEMA.md).",
)
@click.option("--fields", metavar="A,B,...", help="Only these fields, in this order.")
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Print nothing on success (for cron): errors and data asked for still print.",
)
@click.option(
    "--no-color",
    is_flag=True,
    expose_value=False,
    callback=lambda c, p, v: _terminal("NO_COLOR", v),
    help="No colour (also $NO_COLOR; there is none off a terminal anyway).",
)
@click.option(
    "--no-pager",
    is_flag=True,
    expose_value=False,
    callback=lambda c, p, v: _terminal("NO_PAGER", v),
    help="Print long output straight, not through $PAGER / less.",
)
@click.version_option(__version__, prog_name="officecli")  # not package_name: no metadata scan
@click.pass_context
def cli(ctx, root, user, fmt, fields, quiet):
    """Run a small company's front office and back office from a folder of YAML files.

    Every record is one YAML file; the folder it sits in is its state and its
    owner; a handoff from the front office to the back office is a file move.

    The options below also work after the command (officecli order list --root
    shop). A unique prefix names a command (officecli ledger bal); 'officecli
    help COMMAND' shows its help. Options naming a customer, supplier, employee
    or product take an ID, its number or a name; dates take 2026-12-01,
    1/12/2026, yesterday, bom, eom, -3d, a month or a quarter (docs/DAY.md).

    \b
    Examples:
      officecli init shop && cd shop
      officecli customer add "Μαρία Παπαδοπούλου" --email maria@example.gr
      officecli order add --customer 1 MUG-AEG:2
      officecli order forward 1
      officecli report daily
    """
    from .app import App

    app = App(root=root, user=user, fmt=fmt or "table", quiet=quiet)
    if fields:
        app.fields = [f.strip() for f in fields.split(",") if f.strip()]
    ctx.obj = app
    ctx.call_on_close(app.close)


def main(*args, **kwargs):
    """Console entry point."""
    kwargs.setdefault("prog_name", "officecli")
    if sys.stdout.encoding and sys.stdout.encoding.lower() not in ("utf-8", "utf8"):
        try:
            sys.stdout.reconfigure(encoding="utf-8")  # Greek names on any terminal
        except AttributeError:  # pragma: no cover
            pass
    try:
        return cli.main(*args, **kwargs)
    except BrokenPipeError:  # a closed pipe met after the command (see App.echo)
        from .app import pipe_closed

        pipe_closed()
        return 0
