"""Options and argument types shared by many commands, defined once.

One vocabulary for every command (a command wears a decorator; its body does
not change):

* ``format_option`` -- ``--format table|json|jsonl|yaml|csv|ids`` and
  ``--fields a,b,c`` (also global options);
* ``-q/--quiet`` -- on every command (added by ``common`` when a command is
  loaded) and global: nothing on stdout on success but data asked for;
* ``listing(kind)`` -- ``--all`` (finished records, those in archive states,
  are hidden by default unless ``--state`` names one), ``--sort FIELD``
  (``-FIELD`` descending) and ``--limit N``;
* ``each_id(kind)`` -- ``ID...`` several IDs, ``-`` reads IDs from stdin (one a
  line, as ``--format ids`` prints them); each is done in its own transaction
  and reported; exit 1 if any failed, the others still done;
* ``note_option`` -- ``--note`` wherever a reason or comment is recorded;
  ``--reason`` is a hidden alias; ``-`` reads the text from stdin;
* ``period_options`` -- ``-b/--begin`` and ``-e/--end`` for every period,
  with ``--since`` (and ``--from``/``--to`` where they were) as hidden aliases;
* ``stdin_text`` -- callback: a text argument ``-`` is read from stdin;
* ``common`` (every loaded command): the global options after the command too
  (``GLOBAL_OPTIONS``), the one resolver on options naming a record (``naming``:
  office/names.py), dates as people write them on every DATE option (``dated``:
  office/clock.py ``human_day``), a value option given twice refused (``once``), and
  for groups unique prefixes, suggestions and a bare group's help (``finding``);
* a repeated ``--state``/``--customer``/``--supplier``/``--order`` filter accumulates
  (``accumulate``: App.rows keeps the rows in any of the values);
* the options several commands declare alike, each once (at the end): ``--date``
  (``date_option``), ``--method`` bank/cash, ``--dry-run``, an edit's ``--add``/``--remove``
  lines, the customer an order or a quote is for, a list's ``--state`` and its
  ``--customer``/``--supplier``/``--order`` filters, a contact's ``--email``/``--phone``/
  ``--address``/``--vat-number``, and the ledger's ``-b/--begin`` ``-e/--end``.
"""

from __future__ import annotations

import functools

import click

from officecli import FORMATS


def _app(ctx):
    from .app import App

    return ctx.find_object(App)


def _set_format(ctx, param, value):
    if value:
        _app(ctx).fmt = value
    return value


def _set_fields(ctx, param, value):
    if value:
        _app(ctx).fields = [f.strip() for f in value.split(",") if f.strip()]
    return value


def _set_quiet(ctx, param, value):
    if value:
        _app(ctx).quiet = True
    return value


_format = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    expose_value=False,
    is_eager=True,
    callback=_set_format,
    help="Output format (also a global option): table, json, jsonl, yaml, csv, csv-excel (a BOM and ';', for a spreadsheet) or ids.",
)
_fields = click.option(
    "--fields",
    metavar="A,B,...",
    default=None,
    expose_value=False,
    is_eager=True,
    callback=_set_fields,
    help="Only these fields, in this order (see docs/SCHEMA.md).",
)


def format_option(f):
    """--format and --fields."""
    return _format(_fields(f))


quiet_option = click.Option(
    ["-q", "--quiet"],
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_set_quiet,
    help="Print nothing on success (errors and data asked for still print).",
)


def common(cmd):
    """Give a loaded command (and a group's subcommands) the options every command has:
    -q, the global options (``--root``, ``--user``, ``--no-pager``... after the command
    too, as ``git``'s ``-C`` is not, but ``gh``'s ``-R`` is), the one resolver on every
    option naming a record, and the refusal of a value option given twice."""
    if cmd is None:
        return cmd
    if isinstance(cmd, click.Group):
        finding(cmd)
        for sub in cmd.commands.values():
            common(sub)
    elif not any(p.name == "quiet" for p in cmd.params):
        cmd.params.append(quiet_option)
    have = {p.name for p in cmd.params}
    cmd.params += [o for o in GLOBAL_OPTIONS if o.name not in have]
    for param in cmd.params:
        naming(param)
        dated(param)
    once(cmd)
    return cmd


def finding(group) -> None:
    """A noun's group finds commands as the top group does (cli/finding.py: unique
    prefixes, suggestions, its help when bare, exit 0); finding.py is imported only
    when a word is not a command's name."""
    if getattr(group, "_finding", False):
        return
    group._finding = True
    parse, resolve = group.parse_args, group.resolve_command

    group.no_args_is_help = False  # (a group that runs bare, as 'site', still does)

    def parse_args(ctx, args):
        rest = parse(ctx, args)
        if not ctx._protected_args and not ctx.resilient_parsing and not group.invoke_without_command:
            click.echo(ctx.get_help())
            ctx.exit(0)
        return rest

    def resolve_command(ctx, args):
        if args and group.get_command(ctx, args[0]) is None:
            from . import finding

            return finding.resolve(group, ctx, args)
        return resolve(ctx, args)

    group.parse_args = parse_args
    group.resolve_command = resolve_command


# -- global options after the command -----------------------------------------------
def _set_app(attr: str):
    def callback(ctx, param, value):
        app = _app(ctx)
        if value is not None and app is not None:
            setattr(app, attr, value)
        return value

    return callback


def _set_terminal(flag: str):
    def callback(ctx, param, value):
        if value:
            from officecli import terminal

            setattr(terminal, flag, True)
        return value

    return callback


# The top group's options, also accepted after the command (hidden there: `officecli
# --help` lists them). Eager, so that --root and --user are known before an option
# naming a record is resolved.
def _hidden(name: str, callback, **kwargs) -> click.Option:
    return click.Option([name], hidden=True, expose_value=False, is_eager=True, callback=callback, **kwargs)


GLOBAL_OPTIONS = [
    _hidden("--root", _set_app("root"), metavar="PATH"),
    _hidden("--user", _set_app("user"), metavar="NAME"),
    _hidden("--no-pager", _set_terminal("NO_PAGER"), is_flag=True),
    _hidden("--no-color", _set_terminal("NO_COLOR"), is_flag=True),
]


def _each_value(param, convert) -> None:
    """Run ``convert(ctx, value)`` on the option's value (each value of a repeatable
    one) before its own callback; not while the shell completes a line."""
    inner = param.callback

    def callback(ctx, p, value):
        if value not in (None, "", ()) and not ctx.resilient_parsing:
            values = value if isinstance(value, tuple) else (value,)
            found = tuple(convert(ctx, v) for v in values)
            value = found if isinstance(value, tuple) else found[0]
        return inner(ctx, p, value) if inner else value

    param.callback = callback


# -- one resolver for every option naming a record -------------------------------------
# An option with one of these names takes what office/names.py accepts (an ID, a suffix,
# a number, a name) and hands the command the full ID; a new command's option of the
# same name gets it too.
NAMING = {
    "--customer": "customer",
    "--supplier": "supplier",
    "--employee": "employee",
    "--by": "employee",
    "--order": "order",
}


def naming(param) -> None:
    """Resolve ``param``'s value(s) with the one resolver when its name says it names a record."""
    if not isinstance(param, click.Option) or param.is_flag or isinstance(param.type, click.Choice):
        return
    kind = next((NAMING[o] for o in param.opts if o in NAMING), None)
    if kind is None or getattr(param, "_names_kind", None):
        return
    param._names_kind = kind  # type: ignore[attr-defined]
    opt = param.opts[0]
    _each_value(param, lambda ctx, v: resolved(ctx, kind, v, opt))


def resolved(ctx, kind: str, value, opt: str) -> str:
    """The full ID ``value`` names ("" passes through: it clears a field)."""
    if value in (None, ""):
        return value
    from officecli.office import names
    from officecli.store.errors import UserError

    office = _app(ctx).office
    try:
        return names.find_id(office, kind, value, opt)
    except UserError:
        if kind == "employee":  # an old tree keeps no employee where one is looked for: say so
            from officecli.office.people.hr import require_split

            require_split(office)
        raise


# -- dates as people write them --------------------------------------------------------
DATE_OPTIONS = {"-b", "--begin", "-e", "--end", "--since", "--date", "--until"}


def dated(param) -> None:
    """A DATE option (its metavar says so, or its name: --begin, --end, --date...) takes
    what office/clock.py ``human_day`` reads (YYYY/MM/DD, DD/MM/YYYY by the office's
    country, today, yesterday, bom, eom, -3d, a month, a quarter) and hands the command
    YYYY-MM-DD, so every command reads dates alike."""
    if not isinstance(param, click.Option) or param.is_flag or isinstance(param.type, click.Choice):
        return
    if getattr(param, "_dated", False):
        return
    if param.metavar not in ("DATE", "YYYY-MM-DD") and not DATE_OPTIONS & set(param.opts):
        return
    param._dated = True  # type: ignore[attr-defined]
    end = "--end" in param.opts or (param.name or "").startswith(("end", "_end_alias"))
    opt = param.opts[-1]
    _each_value(param, lambda ctx, v: day(ctx, v, end, opt))


def day(ctx, value, end: bool, opt: str) -> str:
    from officecli.office import clock

    text = str(value).strip()
    if clock.ISO_PART.match(text):  # as the command always read it: no office opened
        return text
    office = _app(ctx).office
    country = str((office.config.raw.get("company") or {}).get("country") or "").upper()
    return clock.human_day(text, office.today(), country in clock.MONTH_FIRST, end, opt)


# -- a value option given twice ------------------------------------------------------
def once(cmd) -> None:
    """A value option given twice with two values is refused (exit 2) rather than the
    last one silently kept; repeatable options (``--state``, ``--add``...) accumulate."""
    if getattr(cmd, "_once", False) or isinstance(cmd, click.Group):
        return
    cmd._once = True  # type: ignore[attr-defined]
    parse = cmd.parse_args

    def parse_args(ctx, args):
        if not ctx.resilient_parsing:
            _, _, order = cmd.make_parser(ctx).parse_args(args=list(args))
            seen: dict = {}
            for p in order:
                if isinstance(p, click.Option) and not (p.multiple or p.count or p.is_flag):
                    seen[p] = seen.get(p, 0) + 1
            twice = [p for p, n in seen.items() if n > 1]
            if twice:
                given = " ".join(twice[0].opts)
                raise click.UsageError(
                    f"{twice[0].opts[-1]} given {seen[twice[0]]} times ({given} takes one value); give it once",
                    ctx,
                )
        return parse(ctx, args)

    cmd.parse_args = parse_args


# -- text from stdin -------------------------------------------------------------
def stdin_text(ctx, param, value):
    """A text value '-' (or the single word '-') is read from stdin."""
    if value == "-" or value == ("-",):
        text = click.get_text_stream("stdin").read().rstrip("\n")
        return (text,) if isinstance(value, tuple) else text
    return value


# -- several IDs -----------------------------------------------------------------
def read_ids(refs) -> list[str]:
    """The IDs given, '-' replaced by the lines of stdin (blank lines skipped)."""
    out: list[str] = []
    for ref in refs:
        if ref == "-":
            out += [
                line.strip() for line in click.get_text_stream("stdin").read().splitlines() if line.strip()
            ]
        else:
            out.append(ref)
    return out


def each_id(kind: str, name: str = "ref", metavar: str = "ID", complete=None):
    """Decorator: the ``name`` argument takes several IDs (``-`` reads them from stdin)
    and the command runs once per ID, each in its own transaction; a refused ID is
    reported on stderr and the others still run; exit 1 if any was refused."""

    def deco(f):
        @functools.wraps(f)
        def run(*args, **kwargs):
            from officecli.store.errors import UserError

            refs = read_ids(kwargs.pop(name))
            if not refs:
                raise click.UsageError(f"no {metavar} given (stdin was empty)")
            if len(refs) == 1:
                return f(*args, **{name: refs[0]}, **kwargs)
            _app(click.get_current_context()).collect = True  # one list for all of them
            failed = 0
            for ref in refs:
                try:
                    f(*args, **{name: ref}, **kwargs)
                except UserError as exc:
                    failed += 1
                    click.echo(f"officecli: {' '.join(str(exc).splitlines())}", err=True)
            if failed:
                done = f"; the other {len(refs) - failed} done" if failed < len(refs) else ""
                click.echo(f"officecli: {failed} of {len(refs)} refused{done}", err=True)
                raise click.exceptions.Exit(1)

        return click.argument(
            name,
            nargs=-1,
            required=True,
            metavar=f"{metavar}...",
            shell_complete=complete or id_complete(kind),
        )(run)

    return deco


# -- one vocabulary ----------------------------------------------------------------
def _aliased(f, dest: str, alias: str):
    """Wrap f so that the hidden option stored as ``alias`` fills ``dest`` when unset."""

    @functools.wraps(f)
    def run(*args, **kwargs):
        value = kwargs.pop(alias, None)
        if kwargs.get(dest) in (None, ()) and value not in (None, ()):
            kwargs[dest] = value
        return f(*args, **kwargs)

    return run


def note_option(
    f=None,
    *,
    help: str = "A note for the record's history ('-' reads it from stdin).",
    dest: str = "note",
    required: bool = False,
):
    """--note (hidden alias --reason); ``required`` refuses a command without one."""

    def deco(f):
        def check(*args, **kwargs):
            if required and kwargs.get(dest) is None:  # "" is refused by the rules (exit 1)
                raise click.MissingParameter(param_type="option", param_hint="'--note'")
            return f(*args, **kwargs)

        run = _aliased(functools.wraps(f)(check), dest, "_reason_alias")
        run = click.option("--reason", "_reason_alias", hidden=True, callback=stdin_text)(run)
        return click.option("--note", dest, default=None, callback=stdin_text, help=help)(run)

    return deco(f) if f is not None else deco


def period_options(
    begin: str = "begin",
    end: str | None = "end",
    begin_help: str = "First day (YYYY-MM-DD, or YYYY-MM, or YYYY).",
    end_help: str = "Day after the last (exclusive, as in hledger).",
    begin_aliases=("--since",),
    end_aliases=(),
    required: bool = False,
):
    """-b/--begin and -e/--end; the old names (--since, --from, --to) as hidden aliases."""

    def deco(f):
        run = f
        if required:  # checked after the aliases filled begin/end (innermost)

            @functools.wraps(f)
            def run(*args, **kwargs):
                for dest, opt in ((begin, "--begin"), (end, "--end")):
                    if dest and kwargs.get(dest) is None:
                        raise click.MissingParameter(param_type="option", param_hint=f"'{opt}'")
                return f(*args, **kwargs)

        for i, alias in enumerate(begin_aliases):
            run = _aliased(run, begin, f"_begin_alias{i}")
            run = click.option(alias, f"_begin_alias{i}", hidden=True, metavar="DATE")(run)
        if end:
            for i, alias in enumerate(end_aliases):
                run = _aliased(run, end, f"_end_alias{i}")
                run = click.option(alias, f"_end_alias{i}", hidden=True, metavar="DATE")(run)
        if end:
            run = click.option("-e", "--end", end, metavar="DATE", default=None, help=end_help)(run)
        return click.option("-b", "--begin", begin, metavar="DATE", default=None, help=begin_help)(run)

    return deco


def finished_states(kind: str) -> tuple[str, ...]:
    """A kind's finished states: those whose folder is under archive/."""
    from officecli.office.workflows import kinds

    k = kinds().get(kind)
    return tuple(s for s, folder in k.states.items() if folder.startswith("archive/")) if k else ()


def listing(kind: str | None = None, all_flag: bool = True, all_dest: str | None = None):
    """--all, --sort FIELD and --limit N on a list command (applied by App.rows);
    ``all_dest`` also hands --all to the command (that reads the archive only then)."""

    def deco(f):
        @functools.wraps(f)
        def run(*args, **kwargs):
            spec = {
                "kind": kind,
                "sort": kwargs.pop("_sort"),
                "limit": kwargs.pop("_limit"),
                "all": kwargs.pop("_all", False),
                "state": kwargs.get("state") or kwargs.get("states"),
                "finished": finished_states(kind) if kind else (),
            }
            if all_dest:
                kwargs[all_dest] = spec["all"]
            _app(click.get_current_context()).listing = spec
            return f(*args, **kwargs)

        run = click.option(
            "--limit",
            "_limit",
            type=click.IntRange(min=0),
            default=None,
            metavar="N",
            help="At most N rows (after sorting).",
        )(run)
        run = click.option(
            "--sort", "_sort", metavar="FIELD", default=None, help="Sort by this field (-FIELD: descending)."
        )(run)
        if all_flag:
            run = click.option(
                "--all", "_all", is_flag=True, help="Finished records too (closed, cancelled: archived)."
            )(run)
        return run

    return deco


def id_complete(kind_name: str, accepts=None):
    """Shell completion of a kind's IDs from the records folder (quietly nothing on error),
    each with what it is as its description (a name, or the state and the customer's
    name: zsh and fish show it, as gh shows titles); a name typed instead of an ID is
    completed to the ID (bash shows no descriptions, so there the name finds the ID);
    an ID already typed on the line is not offered again.

    ``accepts``: a handoff verb (its ``from`` states in workflows.yaml) or a tuple of
    states: only IDs of records in those states are offered (``order forward``: open)."""

    def complete(ctx, param, incomplete):
        try:
            office = _office(ctx)
            states = accepts
            if isinstance(accepts, str):
                states = office.kind(kind_name).handoffs[accepts].sources
            return described(office, kind_name, incomplete, states, _typed(ctx, param))
        except Exception:
            return []

    return complete


def _typed(ctx, param) -> set[str]:
    """The values of ``param`` already on the command line (before the one completed)."""
    got = ctx.params.get(param.name) if param.name else None
    values = got if isinstance(got, (tuple, list)) else [got] if got else []
    return {str(v).upper() for v in values}


def described(office, kind_name: str, incomplete: str, states=None, typed=frozenset()) -> list:
    """CompletionItems of a kind's records matching ``incomplete`` (its ID, or its name)."""
    from click.shell_completion import CompletionItem

    from officecli.office.names import NAME_FIELD, fold

    want, folded = incomplete.upper(), fold(incomplete)
    known = dict(office.all_ids(kind_name))
    if states is not None:
        known = {i: v for i, v in known.items() if v[0] in states}
    for text in typed:  # already on the line, as an ID, a suffix or a number
        try:
            known.pop(office.resolve(kind_name, text), None)
        except Exception:
            known.pop(text, None)
    records = {r.id: r for r in office.records(kind_name, tuple({v[0] for v in known.values()}) or None)}
    names: dict = {}
    if any(r.data.get("customer") for r in records.values()):
        names = {c.id: c.get("name") for c in office.records("customer")}
    field = NAME_FIELD.get(kind_name, "name")
    out = []
    for ident in sorted(known):
        rec = records.get(ident)
        title = str(rec.data.get(field) or "") if rec else ""
        if rec and not title:
            who = rec.data.get("customer") or rec.data.get("supplier")
            title = " · ".join(str(x) for x in (rec.state, names.get(who, who)) if x)
        by_id = want in ident.upper()
        by_name = bool(folded) and any(w.startswith(folded) for w in fold(title).split(" "))
        if by_id or by_name:  # (fish splits a completion at commas: none in the description)
            out.append(CompletionItem(ident, help=" ".join(title.replace(",", " ").split()) or None))
    return out


def any_id_complete(ctx, param, incomplete):
    """Any record's ID (``officecli edit``): of the kinds whose prefix the word may begin,
    and products' SKUs."""
    from officecli.office.workflows import kinds

    try:
        office = _office(ctx)
    except Exception:
        return []
    want = incomplete.upper()
    out = []
    for kind in kinds().values():
        prefix = kind.prefix
        if (prefix and not (want.startswith(prefix) or prefix.startswith(want[: len(prefix)]))) or (
            not prefix and kind.name != "product"
        ):
            continue
        try:
            out += described(office, kind.name, incomplete)
        except Exception:  # a private kind (back/hr) this user cannot read
            continue
    return out


def _office(ctx):
    from officecli.office.core import Office

    return Office.open(ctx.find_root().params.get("root"), None)


def _quiet(values):
    """A completer from ``values(office, incomplete)``: nothing on any error."""

    def complete(ctx, param, incomplete):
        try:
            return values(_office(ctx), incomplete)
        except Exception:
            return []

    return complete


def _starts(items, incomplete: str) -> list[str]:
    from officecli.office.front.search import fold

    want = fold(incomplete)
    return sorted({str(i) for i in items if fold(i).startswith(want)})


def _skus(office) -> list[str]:
    return list(office.all_ids("product"))


def _items(office, incomplete):
    """SKU:QTY: the SKU part (offered as 'SKU:'), then after 'SKU:' a quantity."""
    sku, sep, qty = incomplete.rpartition(":")
    if sep and sku.upper() in {s.upper() for s in _skus(office)}:
        return [f"{sku}:{qty or 1}"]
    return [f"{s}:" for s in _starts(_skus(office), incomplete)]


def _employees(office, incomplete):
    from click.shell_completion import CompletionItem

    from officecli.office.front.search import fold

    want = fold(incomplete)
    out = []
    for rec in sorted(office.records("employee"), key=lambda r: r.id):
        name = str(rec.get("name") or "")
        if want.upper() in rec.id.casefold().upper():
            out.append(CompletionItem(rec.id, help=name))
        elif want and fold(name).startswith(want):
            out.append(CompletionItem(name, help=rec.id))
    return out


def _tags(office, incomplete):
    return _starts({t for c in office.records("customer") for t in (c.get("tags") or [])}, incomplete)


def _departments(office, incomplete):
    found = office.config.raw.get("departments") or {}
    return _starts({d for ds in found.values() for d in (ds or [])}, incomplete)


def _accounts(office, incomplete):
    return _starts(office.config.raw.get("accounts") or {}, incomplete)


def _months_run(office, incomplete, unpaid: bool):
    """Payroll months run already (``unpaid``: those not paid yet): what ``pay`` and
    ``show`` take."""
    try:
        runs = office.records("payroll")
    except Exception:  # back/hr unreadable: none
        return []
    return [
        r.id
        for r in sorted(runs, key=lambda r: r.id, reverse=True)
        if r.id.startswith(incomplete) and not (unpaid and r.data.get("paid"))
    ]


def _months(office, incomplete):
    """Payroll months: those run already and this month and the last two."""
    today = office.today()
    recent = []
    y, m = today.year, today.month
    for _ in range(3):
        recent.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    try:
        done = list(office.all_ids("payroll"))
    except Exception:  # back/hr unreadable: only the recent months
        done = []
    return [m for m in sorted(set(done) | set(recent), reverse=True) if m.startswith(incomplete)]


sku_complete = _quiet(lambda office, inc: _starts(_skus(office), inc))
item_complete = _quiet(_items)
employee_complete = _quiet(_employees)
tag_complete = _quiet(_tags)
department_complete = _quiet(_departments)
account_complete = _quiet(_accounts)
month_complete = _quiet(_months)
month_run_complete = _quiet(lambda office, inc: _months_run(office, inc, False))
month_unpaid_complete = _quiet(lambda office, inc: _months_run(office, inc, True))


search_option = click.option(
    "--search",
    metavar="TEXT",
    default=None,
    help="Only records holding every word of TEXT in any field (the customer's name "
    "too), accents and case ignored.",
)


# -- options several commands declare alike ------------------------------------------
# Each names its option once; a command wears it where it declared the option itself,
# in the same place (the order of a command's options is the order of its --help).


def date_option(help: str, dest: str = "when", required: bool = False):
    """--date YYYY-MM-DD: the day what the command writes or reads is dated (``help``
    says which, and the default)."""
    return click.option("--date", dest, required=required, metavar="YYYY-MM-DD", help=help)


money_out_date = date_option("The day the money left (default: today).")  # a payment out


def method_option(help: str):
    """--method bank|cash (default bank): where a payment goes through; ``help`` names
    the postings."""
    return click.option(
        "--method", type=click.Choice(["bank", "cash"]), default="bank", show_default=True, help=help
    )


dry_run_option = click.option("--dry-run", is_flag=True, help="Print what it would do; change nothing.")

add_line_option = click.option(
    "--add",
    "adding",
    multiple=True,
    metavar="SKU:QTY",
    help="Add a line, or pieces to an existing line (repeatable).",
)
remove_line_option = click.option(
    "--remove", "removing", multiple=True, metavar="SKU", help="Remove a line (repeatable)."
)

customer_option = click.option(
    "--customer",
    required=True,
    metavar="ID",
    shell_complete=id_complete("customer"),
    help="The customer (ID, suffix or number).",
)  # an order's, a quote's


def accumulate(key: str, values: tuple):
    """A repeated filter option (``--state open --state inbox``): the rows in any of the
    values. One value goes to the command as before; several go to ``App.rows``, which
    keeps the rows whose ``key`` is one of them (the command lists them all)."""
    if len(values) <= 1:
        return values[0] if values else None
    _app(click.get_current_context()).only[key] = set(values)
    return None


def _accumulating(dest: str, key: str):
    def deco(f):
        @functools.wraps(f)
        def run(*args, **kwargs):
            kwargs[dest] = accumulate(key, tuple(kwargs.get(dest) or ()))
            return f(*args, **kwargs)

        return run

    return deco


def state_option(states, what: str, multiple: bool = False):
    """--state of a list: only ``what`` (orders, bills...) in one of ``states``,
    repeatable (in any of them); ``multiple``: the command takes the tuple itself,
    every state by default."""
    if multiple:
        return click.option(
            "--state",
            type=click.Choice(states),
            multiple=True,
            help=f"Only {what} in this state (repeatable; default: all).",
        )

    def deco(f):
        return click.option(
            "--state",
            type=click.Choice(states),
            multiple=True,
            help=f"Only {what} in this state (repeatable: in any of them).",
        )(_accumulating("state", "state")(f))

    return deco


def only_option(kind: str, what: str):
    """--customer, --supplier or --order ID on a list: only ``what`` of that record
    (repeatable: of any of them); an ID, suffix, number or name (office/names.py)."""

    def deco(f):
        return click.option(
            f"--{kind}",
            metavar="ID",
            multiple=True,
            shell_complete=id_complete(kind),
            help=f"Only this {kind}'s {what} (ID, number or name; repeatable).",
        )(_accumulating(kind, kind)(f))

    return deco


def contact_options(f):
    """--email, --phone, --address, --vat-number and --iban of a customer or a supplier."""
    f = click.option("--iban", help="Their bank account's IBAN: `bank match` knows their payments by it.")(f)
    f = click.option("--vat-number", help="VAT number (ΑΦΜ); must be unique.")(f)
    f = click.option("--address", help="Postal address.")(f)
    f = click.option("--phone", help="Phone number.")(f)
    return click.option("--email", help="Email address; must be unique (case-insensitive).")(f)


ledger_end = click.option(
    "--end",
    "-e",
    metavar="DATE",
    help="Up to, not including, this day (as in hledger: --end 2026-12 is the end of November).",
)


def ledger_period(f):
    """--begin/-b and --end/-e of the ledger's reports, as hledger has them (no aliases)."""
    return click.option(
        "--begin",
        "-b",
        metavar="DATE",
        help="From this day on (YYYY-MM-DD; YYYY-MM or YYYY mean their first day).",
    )(ledger_end(f))
