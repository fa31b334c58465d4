"""Issue 28, point 11: finding commands -- help, suggestions, unique prefixes, bare help."""

from __future__ import annotations

import pytest


def test_bare_officecli_and_a_bare_noun_print_their_help_and_exit_0(cli):
    out = cli()
    assert "Usage: cli [OPTIONS]" in out.stdout and "order" in out.stdout  # (CliRunner's name)
    out = cli("order")
    assert "Usage: cli order" in out.stdout and "forward" in out.stdout


@pytest.mark.parametrize(
    ("words", "usage"),
    [
        (["order"], "Usage: officecli order [OPTIONS] COMMAND"),
        (["order", "list"], "Usage: officecli order list [OPTIONS]"),
        (["ledger", "bal"], "Usage: officecli ledger balance"),
        ([], "Usage: officecli [OPTIONS] COMMAND"),
    ],
)
def test_help_names_a_command(cli, words, usage):
    assert usage.replace("officecli", "cli") in cli("help", *words).stdout  # (CliRunner's name)


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["ordr"], "Did you mean 'order'?"),
        (["orders"], "Did you mean 'order'?"),
        (["customers", "list"], "Did you mean 'customer'?"),
        (["order", "lst"], "Did you mean 'list'?"),
        (["in", "list"], "it could be init, invoice"),
    ],
)
def test_a_slip_gets_a_suggestion(cli, argv, hint):
    err = cli(*argv, code=2).stderr
    assert hint in err


def test_a_unique_prefix_is_the_command(cli):
    cli("customer", "add", "Μαρία")
    assert cli("cust", "list").stdout == cli("customer", "list").stdout
    assert cli("ledger", "bal").stdout == cli("ledger", "balance").stdout
    assert "CUS-A-0001" in cli("cu", "sh", "1").stdout
    cli("o", "list", code=2)  # one letter is not enough: order? (and it is ambiguous anyway)
