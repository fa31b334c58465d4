"""officecli completion: print the shell completion script."""
from __future__ import annotations

import click

SHELLS = ("bash", "zsh", "fish")


def script(shell: str) -> str:
    from click.shell_completion import get_completion_class

    from officecli.cli import cli

    cls = get_completion_class(shell)
    return cls(cli, {}, "officecli", "_OFFICECLI_COMPLETE").source()


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
    click.echo(script(shell), nl=False)
