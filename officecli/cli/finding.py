"""Finding a command: what happens when a word is not a command's exact name.

Every group (the top one and each noun's: ``order``, ``ledger``...) does the same:

* **A unique prefix** of at least two letters is the command (``officecli ledger bal``
  is ``ledger balance``, ``officecli ord list`` is ``order list``), as taskwarrior
  accepts; a prefix that several commands share is refused, naming them. Scripts should
  still spell commands out: a new command may make a prefix ambiguous.
* **A plural noun** (``officecli orders``) and **a typing slip** (``officecli ordr``)
  are refused with a suggestion (``Did you mean 'order'?``), exit 2 as every usage error.
* **A bare group** (``officecli``, ``officecli order``) prints its help and exits 0, as
  ``gh`` and ``git`` do (LazyGroup.parse_args, options.finding); ``officecli help order
  list`` is ``officecli order list --help``.
"""

from __future__ import annotations

import click

MIN_PREFIX = 2


def visible(group: click.Group, ctx: click.Context) -> list[str]:
    """The names a person may type: the group's commands, hidden ones left out."""
    summaries = getattr(group, "summaries", {})
    out = []
    for name in group.list_commands(ctx):
        if name in summaries:
            if summaries[name] is not None:
                out.append(name)
            continue
        cmd = group.commands.get(name)
        if cmd is None or not cmd.hidden:
            out.append(name)
    return out


def suggest(word: str, names: list[str]) -> list[str]:
    """What ``word`` was probably meant to be: its singular, else the closest names."""
    low = word.lower()
    for singular in (low[:-1], low[:-2], low.replace("ies", "y")):
        if low.endswith("s") and singular in names:
            return [singular]
    import difflib  # only a mistyped command needs it

    return difflib.get_close_matches(low, names, n=3, cutoff=0.6)


def resolve(group: click.Group, ctx: click.Context, args: list[str]):
    """click's resolve_command, with unique prefixes and suggestions (see the module)."""
    name = args[0] if args else ""
    if group.get_command(ctx, name) is None and name and not name.startswith("-"):
        names = visible(group, ctx)
        hits = [n for n in names if n.startswith(name.lower())]
        if len(hits) == 1 and len(name) >= MIN_PREFIX:
            args = [hits[0], *args[1:]]
        elif not ctx.resilient_parsing:
            if hits:
                raise click.UsageError(f"No such command {name!r}: it could be {', '.join(hits)}.", ctx)
            near = suggest(name, names)
            hint = f" Did you mean {' or '.join(repr(n) for n in near)}?" if near else ""
            raise click.UsageError(
                f"No such command {name!r}.{hint} ('{ctx.command_path} --help' lists them)", ctx
            )
    return click.Group.resolve_command(group, ctx, args)


@click.command("help")
@click.argument("words", nargs=-1, metavar="[COMMAND]...")
@click.pass_context
def help_(ctx, words):
    """Show the help of a command: 'officecli help order list' is 'officecli order list --help'.

    \b
    Examples:
      officecli help
      officecli help order
      officecli help ledger bal
    """
    top = ctx.find_root()
    cmd: click.Command = top.command
    sub = top
    path = []
    for word in words:
        if not isinstance(cmd, click.Group):
            raise click.UsageError(f"'{' '.join(['officecli', *path])}' has no subcommands", ctx)
        _, found, _ = cmd.resolve_command(sub, [word])
        if found is None:
            raise click.UsageError(f"No such command {word!r}", ctx)
        path.append(found.name or word)
        sub = click.Context(found, info_name=found.name, parent=sub)
        cmd = found
    click.echo(sub.get_help())
