"""Man pages (man/, scripts/make_man.py) are current; pip install puts them and the
completions where the README says; help examples name the sample company's records."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import click

REPO = Path(__file__).resolve().parents[2]


def _make_man():
    spec = importlib.util.spec_from_file_location("make_man", REPO / "scripts" / "make_man.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_checked_in_man_pages_are_current():
    # in a fresh interpreter, as scripts/make_man.py runs: commands other tests loaded
    # in this worker (completion hooks, options added on load) must not colour the pages
    code = (
        "import importlib.util, json, sys; spec = importlib.util.spec_from_file_location("
        "'make_man', sys.argv[1]); m = importlib.util.module_from_spec(spec); "
        "spec.loader.exec_module(m); print(json.dumps(m.pages()))"
    )
    import json
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("_OFFICECLI")}
    wanted = json.loads(
        subprocess.run(
            [sys.executable, "-c", code, str(REPO / "scripts" / "make_man.py")],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout
    )
    have = {p.name: p.read_text("utf-8") for p in (REPO / "man").glob("*.1")}
    assert sorted(have) == sorted(wanted), "man/ is stale: run python scripts/make_man.py"
    stale = [name for name in wanted if have[name] != wanted[name]]
    assert not stale, f"man/ is stale ({', '.join(stale[:5])}): run python scripts/make_man.py"


def test_a_page_reads_as_a_man_page():
    text = (REPO / "man" / "officecli-order-forward.1").read_text("utf-8")
    assert text.startswith('.TH "OFFICECLI-ORDER-FORWARD" "1"')
    for section in (".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH OPTIONS", ".SH SEE ALSO"):
        assert section in text
    assert "Examples:" in text and "officecli order forward 3" in text


def _examples():
    from officecli.cli import cli

    def walk(cmd, ctx):
        yield cmd
        if isinstance(cmd, click.Group):
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                yield from walk(sub, click.Context(sub, parent=ctx, info_name=name))

    for cmd in walk(cli, click.Context(cli, info_name="officecli")):
        for line in (cmd.help or "").splitlines():
            line = line.strip()
            if line.startswith("officecli ") or " officecli " in line:
                yield line


def test_help_examples_name_the_sample_companys_records():
    known = {p.stem for p in (REPO / "records").rglob("*.yaml")}
    missing = set()
    for line in _examples():
        if re.search(r"officecli (product|supplier|customer|employee) add ", line):
            continue  # adding a new record names one that does not exist yet
        line = re.sub(r"--supplier-sku \S+", "", line)
        for token in re.findall(r"\b(?:[A-Z]{3}-A-\d{4}|[A-Z]{3,5}-[A-Z]{3})\b", line):
            if token not in known:
                missing.add(f"{token} in: {line}")
    assert not missing, "\n".join(sorted(missing))


def test_install_puts_man_pages_and_completions_where_the_readme_says(tmp_path):
    """setup.py's data_files, installed as pip installs them (relative to the prefix)."""
    prefix = tmp_path / "prefix"
    res = subprocess.run(
        [sys.executable, "setup.py", "-q", "install_data", "--install-dir", str(prefix)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    share = prefix / "share"
    assert sorted(p.name for p in (share / "man/man1").iterdir()) == sorted(
        p.name for p in (REPO / "man").glob("*.1")
    )
    assert (share / "bash-completion/completions/officecli.bash").is_file()
    assert (share / "zsh/site-functions/_officecli").is_file()
    assert (share / "fish/vendor_completions.d/officecli.fish").is_file()
