#!/usr/bin/env python3
"""Regenerate man/ from the click command tree (tests/cli/test_man.py fails when it is stale).

One page per command, named as git names its pages: ``officecli.1`` for the
whole tool, ``officecli-order.1`` for a group, ``officecli-order-forward.1``
for a command. Each page holds the command's usage, its help text (with its
Examples block), its options and the pages of its subcommands. The pages
carry no date, so they change only when the commands do.

    python scripts/make_man.py          # write man/*.1
    man -l man/officecli-order-add.1    # read one
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

OUT = Path(__file__).resolve().parent.parent / "man"


def _esc(text: str) -> str:
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join(("\\&" + line) if line[:1] in (".", "'") else line for line in text.split("\n"))


def _paragraphs(help_text: str) -> list[str]:
    """click help text -> roff: '\\b' paragraphs keep their lines (.nf), others flow."""
    import inspect

    out = []
    for para in inspect.cleandoc(help_text or "").split("\n\n"):
        lines = para.split("\n")
        if lines and lines[0].strip() == "\b":
            out.append(".PP\n.nf\n" + _esc("\n".join(lines[1:])) + "\n.fi")
        elif para.strip():
            out.append(".PP\n" + _esc(" ".join(line.strip() for line in lines)))
    return out


def _walk(cmd: click.Command, ctx: click.Context, path: tuple[str, ...]):
    yield path, cmd, ctx
    if isinstance(cmd, click.Group):
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            yield from _walk(sub, click.Context(sub, parent=ctx, info_name=name), path + (name,))


def page(path: tuple[str, ...], cmd: click.Command, ctx: click.Context) -> str:
    from officecli import __version__

    name = "-".join(("officecli",) + path)
    title = name.upper()
    summary = cmd.get_short_help_str(limit=200)
    usage = " ".join(["officecli", *path, *cmd.collect_usage_pieces(ctx)])
    out = [
        f'.TH "{title}" "1" "" "officecli {__version__}" "officecli manual"',
        ".SH NAME",
        f"{_esc(name)} \\- {_esc(summary)}",
        ".SH SYNOPSIS",
        ".B " + _esc(usage),
        ".SH DESCRIPTION",
        *_paragraphs(cmd.help or ""),
    ]
    records = [p.get_help_record(ctx) for p in cmd.get_params(ctx) if isinstance(p, click.Option)]
    records = [r for r in records if r]
    if records:
        out.append(".SH OPTIONS")
        for opts, text in records:
            out += [".TP", f"\\fB{_esc(opts)}\\fR", _esc(" ".join(text.split()))]
    if isinstance(cmd, click.Group):
        subs = [
            n for n in cmd.list_commands(ctx) if (c := cmd.get_command(ctx, n)) is not None and not c.hidden
        ]
        if subs:
            out.append(".SH COMMANDS")
            for sub_name in subs:
                sub = cmd.get_command(ctx, sub_name)
                out += [
                    ".TP",
                    f"\\fB{_esc(sub_name)}\\fR",
                    _esc(sub.get_short_help_str(limit=200))
                    + f" See \\fB{_esc(name + '-' + sub_name)}\\fR(1).",
                ]
    parent = "-".join(("officecli",) + path[:-1]) if path else None
    out += [".SH SEE ALSO", f"\\fB{_esc(parent)}\\fR(1)" if parent else "officecli \\-\\-help"]
    return "\n".join(out) + "\n"


def pages() -> dict[str, str]:
    """file name -> the page's text, for every visible command."""
    from officecli.cli import cli

    root = click.Context(cli, info_name="officecli")
    out = {}
    for path, cmd, ctx in _walk(cli, root, ()):
        out["-".join(("officecli",) + path) + ".1"] = page(path, cmd, ctx)
    return out


def main() -> int:
    OUT.mkdir(exist_ok=True)
    wanted = pages()
    for old in OUT.glob("*.1"):
        if old.name not in wanted:
            old.unlink()
            print(f"removed man/{old.name}")
    for name, text in wanted.items():
        target = OUT / name
        if not target.exists() or target.read_text("utf-8") != text:
            target.write_text(text, "utf-8")
            print(f"wrote man/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
