"""The CLI as a whole: help everywhere, python -m, layers, imports, completions, start-up."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from officecli.cli import LazyGroup, cli
from officecli.cli.completion import SHELLS, script

PKG = Path(__file__).resolve().parents[2] / "officecli"
REPO = PKG.parent


def _walk(group: click.Group, ctx: click.Context, path=()):
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        yield (*path, name), cmd
        if isinstance(cmd, click.Group):
            yield from _walk(cmd, click.Context(cmd, parent=ctx, info_name=name), (*path, name))


ALL = list(_walk(cli, click.Context(cli, info_name="officecli")))


def test_the_surface_is_there():
    names = {p[0] for p, _ in ALL}
    assert {"init", "doctor", "completion"} <= names


@pytest.mark.parametrize("path", [p for p, _ in ALL], ids=[" ".join(p) for p, _ in ALL])
def test_every_command_has_help_with_a_summary_and_examples(path):
    res = CliRunner().invoke(cli, [*path, "--help"])
    assert res.exit_code == 0, res.output
    cmd = dict(ALL)[path]
    assert (cmd.help or "").strip(), f"{' '.join(path)} has no help"
    if not isinstance(cmd, click.Group):
        assert "Examples:" in res.output, f"'officecli {' '.join(path)} --help' shows no Examples block"


def test_python_dash_m_works():
    res = subprocess.run([sys.executable, "-m", "officecli", "--help"], capture_output=True, text=True)
    assert res.returncode == 0 and "Usage: officecli" in res.stdout


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(path.relative_to(PKG.parent).with_suffix("").parts[: -node.level])
                out.add(f"{base}.{node.module}" if node.module else base)
            else:
                out.add(node.module)
    return out


def test_layers_only_import_downwards():
    for path in PKG.rglob("*.py"):
        layer = path.relative_to(PKG).parts[0]
        mods = _imports(path)
        if layer in ("office", "store"):
            assert not any(m.split(".")[0] == "click" for m in mods), f"{path} imports click"
            assert not any(m.startswith("officecli.cli") for m in mods), f"{path} imports the cli"
            assert not any(m.startswith("officecli.render") for m in mods), f"{path} renders"
        if layer == "store":
            assert not any(m.startswith("officecli.office") for m in mods), f"{path} imports office/"


def test_every_module_imports_alone():
    """No circular imports: each module imports in a fresh interpreter."""
    mods = sorted(
        ".".join(p.relative_to(REPO).with_suffix("").parts)
        for p in PKG.rglob("*.py")
        if p.name != "__main__.py"
    )
    code = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
    for mod in mods:
        res = subprocess.run([sys.executable, "-c", code, mod], capture_output=True, text=True, cwd=REPO)
        assert res.returncode == 0, f"{mod}: {res.stderr.strip().splitlines()[-1:]}"


@pytest.mark.parametrize("shell", SHELLS)
def test_checked_in_completions_are_current(shell):
    name = {"bash": "officecli.bash", "zsh": "_officecli", "fish": "officecli.fish"}[shell]
    current = script(shell, cli)
    assert (REPO / "completions" / name).read_text() == current, (
        f"completions/{name} is stale: run python scripts/make_completions.py"
    )


def test_start_up_imports_no_heavy_modules():
    code = (
        "import sys\nfrom officecli.cli import main\n"
        "sys.argv=['officecli','--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('tabulate','yaml','officecli.office.core','decimal','zoneinfo') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert res.returncode == 0, res.stderr
    loaded = res.stdout.strip().splitlines()[-1] if res.stdout.strip() else ""
    assert "tabulate" not in loaded and "officecli.office.core" not in loaded, loaded


# What each start-up must not import (beyond what python itself had loaded): the
# command modules, the renderer and its decimal/json/csv, yaml, tabulate, the office.
_NOT_AT_START = (
    "officecli.cli.",
    "officecli.render",
    "officecli.office",
    "officecli.store",
    "decimal",
    "yaml",
    "tabulate",
    "json",
    "csv",
    "subprocess",
)


@pytest.mark.parametrize(
    "argv, allowed",
    [
        (["--help"], ()),
        (["--version"], ()),
        ([], ()),
        (
            ["order", "--help"],
            (
                "officecli.cli.order",
                "officecli.cli.app",
                "officecli.cli.options",
                "officecli.cli.import_",
                "officecli.store",
                "officecli.store.errors",
            ),
        ),
    ],
    ids=["help", "version", "no-args", "order-help"],
)
def test_help_and_version_import_only_what_they_print(argv, allowed):
    """--help lists every command from its summary: no command module, no renderer."""
    code = (
        "import sys\nbefore = set(sys.modules)\nfrom officecli.cli import main\n"
        f"sys.argv = ['officecli', *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
        "print('LOADED', *sorted(set(sys.modules) - before))\nsys.exit(code)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert res.returncode == 0, res.stderr  # a bare `officecli` is its help (issue 28)
    assert "Usage: officecli" in res.stdout + res.stderr or "version" in res.stdout, res.stdout
    loaded = res.stdout.strip().splitlines()[-1].split()[1:]
    heavy = [
        m
        for m in loaded
        if m not in allowed
        and any(
            m.startswith(n) if n.endswith(".") else (m == n or m.startswith(n + ".")) for n in _NOT_AT_START
        )
    ]
    assert not heavy, f"'officecli {' '.join(argv)}' imports {heavy}"


LAZY_GROUPS = [(path, cmd) for path, cmd in [((), cli), *ALL] if isinstance(cmd, LazyGroup)]


@pytest.mark.parametrize(
    "path, group", LAZY_GROUPS, ids=[" ".join(("officecli", *p)) for p, _ in LAZY_GROUPS]
)
def test_the_listing_from_summaries_is_the_commands_own(path, group):
    """Each group lists its lazy commands from ``summaries`` without importing them; the
    listing must be the one the loaded commands give, at every width (SUMMARIES in
    officecli/cli/__init__.py, order's in cli/order.py: the first paragraph of the help)."""
    assert set(group.lazy) <= set(group.summaries), (
        f"no summary for {sorted(set(group.lazy) - set(group.summaries))}: add it to summaries="
    )
    eager = {n: c for n, c in group.commands.items() if n not in group.lazy}
    fresh = LazyGroup(group.name, commands=eager, lazy=group.lazy, summaries=group.summaries)
    ctx = click.Context(group, info_name=group.name)
    for name in group.lazy:
        group.get_command(ctx, name)  # all loaded
    for width in range(20, 121):
        real, stand_in = click.HelpFormatter(width=width), click.HelpFormatter(width=width)
        group.format_commands(ctx, real)
        fresh.format_commands(click.Context(fresh, info_name=group.name), stand_in)
        assert stand_in.getvalue() == real.getvalue(), (
            f"'officecli {' '.join(path)} --help' at width {width}: a summary differs from its "
            "command's help (update summaries= to the first paragraph of the help)"
        )
    assert fresh.commands == eager  # the listing loaded no lazy command


def test_completion_answers_the_shell_with_commands_and_ids(office):
    import os

    from tests.conftest import START

    env = {**os.environ, "_OFFICECLI_COMPLETE": "bash_complete", "OFFICECLI_NOW": START}
    res = subprocess.run(
        [sys.executable, "-m", "officecli"],
        env={**env, "COMP_WORDS": "officecli ord", "COMP_CWORD": "1"},
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert "plain,order" in res.stdout.splitlines()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "officecli",
            "--root",
            str(office),
            "customer",
            "add",
            "Μαρία",
            "--email",
            "m@example.gr",
        ],
        env={**os.environ, "OFFICECLI_NOW": START},
        check=True,
        capture_output=True,
    )
    words = f"officecli --root {office} customer show CUS"
    res = subprocess.run(
        [sys.executable, "-m", "officecli"],
        env={**env, "COMP_WORDS": words, "COMP_CWORD": "5"},
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert "plain,CUS-A-0001" in res.stdout.splitlines(), res.stdout + res.stderr
