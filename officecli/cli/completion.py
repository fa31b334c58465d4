"""officecli completion: print the shell completion script."""

from __future__ import annotations

import click

SHELLS = ("bash", "zsh", "fish")


def script(shell: str, root: click.Command) -> str:
    """The completion script of ``root`` (the officecli group) for ``shell``."""
    from click.shell_completion import get_completion_class

    cls = get_completion_class(shell)
    return cls(root, {}, "officecli", "_OFFICECLI_COMPLETE").source()


@click.command()
@click.argument("shell", type=click.Choice(SHELLS))
def completion(shell):
    """Print the completion script for a shell (the same as completions/ in the repo).

    \b
    Examples:
      officecli completion bash > ~/.local/share/bash-completion/completions/officecli
      officecli completion zsh > "${fpath[1]}/_officecli"
      officecli completion fish > ~/.config/fish/completions/officecli.fish
    """
    click.echo(script(shell, click.get_current_context().find_root().command), nl=False)


# -- dynamic values: which completer each parameter gets ---------------------------
#
# Attached when a command module is loaded for a completion request (the
# _OFFICECLI_COMPLETE variable is set; LazyGroup calls ``attach``), so normal runs
# pay nothing and the command modules need no decorator for it:
#
# * the first argument of a command named after a handoff verb of its kind
#   (``order forward``, ``complaint take``, ``quote accept``...) offers only the
#   IDs of records in the states that step accepts (workflows.yaml ``from``);
# * parameters by name: SKU:QTY items (the SKU, then a quantity), SKUs,
#   employees (--by, --to, --assignee), customer tags, departments, ledger
#   accounts, payroll months. A parameter that has a completer or a fixed
#   choice of its own keeps it.

_GROUP_KIND = {"return": "return_"}  # a group whose kind name differs (none today but return_)


def _by_name(path: tuple[str, ...], param):
    from . import options as o

    name, meta = param.name, str(param.metavar or "")
    if "SKU:QTY" in meta:
        return o.item_complete
    if name == "removing" or name == "sku":
        return o.sku_complete
    if name in ("by", "to", "assignee") and (meta == "EMPLOYEE" or path[:1] == ("complaint",)):
        return o.employee_complete
    if name in ("tag", "tags", "add_tags", "remove_tags") and path[:1] == ("customer",):
        return o.tag_complete
    if name == "department":
        return o.department_complete
    if path[:1] == ("ledger",) and name in ("prefixes", "postings"):
        return o.account_complete
    if path == ("payroll", "pay") and name == "month":
        return o.month_unpaid_complete  # a month run and not paid yet
    if path[:1] == ("payroll",) and name == "month" and path != ("payroll", "run"):
        return o.month_run_complete  # show, correct...: a month run
    if path[:1] == ("payroll",) and name == "month":
        return o.month_complete
    if path == ("edit",) and name == "ref":
        return o.any_id_complete
    return None


def _handoff(path: tuple[str, ...], cmd):
    from officecli.office.workflows import kinds

    from .options import id_complete

    if len(path) != 2:
        return None
    group, verb = path
    for kind in kinds().values():
        if group in (kind.name, kind.label) and verb in kind.handoffs:
            args = [p for p in cmd.params if isinstance(p, click.Argument)]
            return (args[0], id_complete(kind.name, verb)) if args else None
    return None


def attach(cmd, path: tuple[str, ...]) -> None:
    """Give ``cmd`` (and the commands of a group, recursively) their completers."""
    if isinstance(cmd, click.Group):
        for name, sub in cmd.commands.items():
            attach(sub, path + (name,))
        return
    hit = _handoff(path, cmd)
    if hit is not None:
        hit[0]._custom_shell_complete = hit[1]
    for param in cmd.params:
        if param._custom_shell_complete is not None or isinstance(param.type, click.Choice):
            continue
        found = _by_name(path, param)
        if found is not None:
            param._custom_shell_complete = found
