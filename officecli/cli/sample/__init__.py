"""The sample company: a ceramics shop in Greece, made by officecli itself.

The company is a script of officecli command lines, one section per file
(``NN-name.txt``, run in order), so the one place that makes ``records/``
is data that a person can read:

    # a comment
    @ 2026-10-01T09:00:00+03:00          the clock for the lines below
    customer add "Γιώργος Παπαδόπουλος" --email giorgos@example.gr
    --user maria order forward 1           global options go first, as usual

``build(path)`` makes a fresh office at path and runs every line; a line
that fails stops the build with its file and line number. The company's
details for printed documents (address, VAT number, IBAN) come from
``company.yaml``, written into office.yaml as a person would. ``officecli demo``
and ``scripts/make_records.py`` both use it.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Callable

from officecli.store.errors import UserError

HERE = Path(__file__).parent
NAME = "Κεραμικά Αιγαίου Α.Ε."
START = "2026-09-01T09:00:00+03:00"


def sections() -> list[Path]:
    return sorted(HERE.glob("[0-9][0-9]-*.txt"))


def steps(files: list[Path] | None = None) -> Iterator[tuple[str, int, str | None, list[str]]]:
    """(file, line number, clock, argv) for every command line of the script."""
    now = START
    for f in files if files is not None else sections():
        for n, line in enumerate(f.read_text("utf-8").splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("@"):
                now = line[1:].strip()
                continue
            yield f.name, n, now, shlex.split(line)


def run(root: Path, argv: list[str], now: str | None, user: str = "sample") -> tuple[int, str, str]:
    """Run one officecli command in this process; (exit code, stdout, stderr)."""
    from click.testing import CliRunner  # in-process runs: the sample has hundreds of lines

    from officecli.cli import cli

    env = {"OFFICECLI_NOW": now, "OFFICECLI_USER": user, "OFFICECLI_ROOT": None, "OFFICECLI_SITE": None}
    result = CliRunner().invoke(cli, ["--root", str(root), *argv], env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def _company_details(root: Path) -> None:
    """Fill office.yaml's company: details from company.yaml, as a person edits the file."""
    from officecli.store import yamlio

    details = yamlio.loads((HERE / "company.yaml").read_text("utf-8"))
    text = (root / "office.yaml").read_text("utf-8")
    lines = text.splitlines(True)
    for key, value in details.items():
        mark = f"  {key}: ''\n"
        new = yamlio.dumps({key: value})
        lines = [f"  {new}" if line == mark else line for line in lines]
    (root / "office.yaml").write_text("".join(lines), "utf-8")
    if details.get("logo"):  # the logo lives in the records folder's templates/
        (root / "templates").mkdir(exist_ok=True)
        (root / details["logo"]).write_bytes((HERE / "logo.svg").read_bytes())


def build(path: Path, echo: Callable[[str], None] | None = None, files: list[Path] | None = None) -> Path:
    """Make the sample company at ``path`` (which must not hold an office yet)."""
    from officecli.office.sites.company import init_office

    old = os.environ.get("OFFICECLI_NOW")
    os.environ["OFFICECLI_NOW"] = START
    try:
        init_office(Path(path), NAME, "EUR", "A")
        _company_details(Path(path))
    finally:
        if old is None:
            os.environ.pop("OFFICECLI_NOW", None)
        else:
            os.environ["OFFICECLI_NOW"] = old
    for fname, n, now, argv in steps(files):
        code, out, err = run(path, argv, now)
        if code != 0:
            raise UserError(f"sample {fname}:{n}: officecli {shlex.join(argv)} failed: {err.strip()}")
        if echo:
            echo(f"$ officecli {shlex.join(argv)}\n{out}")
    return Path(path)
