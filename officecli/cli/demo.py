"""officecli demo: the whole flow, on a temporary copy of the sample company.

The story is data (officecli/cli/sample/demo.txt). After each command the demo
shows the files it created or moved, found by comparing the tree before and
after, so what is shown is what happened on disk.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import click

from officecli.cli import sample
from officecli.store.errors import UserError

STORY = Path(sample.__file__).with_name("demo.txt")
_VAR = re.compile(r"\$([a-z_]+)")


def _records(root: Path) -> dict[str, str]:
    """Record ID -> its path, for every record file of the tree."""
    out = {}
    for path in root.rglob("*.yaml"):
        rel = path.relative_to(root).as_posix()
        if not rel.startswith(".") and rel != "office.yaml":
            out[path.stem] = rel
    return out


def _changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    lines = []
    for ident, rel in sorted(after.items()):
        old = before.get(ident)
        if old is None:
            lines.append(f"  + {rel}")
        elif old != rel:
            lines.append(f"  > {old}  ->  {rel.rpartition('/')[0]}/")
    return lines


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True).stdout


def run(keep: str | None = None, use_git: bool = True) -> Iterator[str]:
    tmp = None
    if keep:
        root = Path(keep)
        if (root / "office.yaml").exists():
            raise UserError(f"{root}: already holds an office; --keep needs a new folder")
    else:
        tmp = tempfile.mkdtemp(prefix="officecli-demo-")
        root = Path(tmp) / "records"
    try:
        yield f"Building the sample company in {root} ..."
        sample.build(root)
        git = use_git and shutil.which("git") is not None
        if git:
            _git(root, "init", "-q")
            text = (root / "office.yaml").read_text("utf-8")
            (root / "office.yaml").write_text(text.replace("autocommit: false", "autocommit: true"), "utf-8")
            _git(root, "add", "-A")
            _git(
                root,
                "-c",
                "user.name=officecli demo",
                "-c",
                "user.email=demo@officecli.invalid",
                "commit",
                "-qm",
                "the sample company",
            )
        env: dict[str, str] = {}
        yield from _story(root, env)
        if git:
            yield ""
            yield "## Every command committed its own change (git log --oneline)"
            yield _git(root, "log", "--oneline", "-12").rstrip()
        yield ""
        yield (
            f"The demo office is kept in {root}"
            if keep
            else "That was a temporary copy; it is gone now. Keep one with --keep PATH."
        )
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def _story(root: Path, env: dict[str, str]) -> Iterator[str]:
    now = None
    for n, raw in enumerate(STORY.read_text("utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("# "):
            continue
        if line.startswith("@"):
            now = line[1:].strip()
            continue
        if line.startswith("##"):
            yield ""
            yield line
            continue
        target = None
        if line.startswith("$") and " = " in line:
            target, _, line = line.partition(" = ")
            target = target[1:]
        line = _VAR.sub(lambda m: env[m.group(1)], line)
        argv = shlex.split(line)
        before = _records(root)
        user = argv[1] if argv[:1] == ["--user"] else "demo"
        code, out, err = sample.run(root, argv, now, user)
        yield f"$ officecli {shlex.join(argv)}"
        if out.strip():
            yield out.rstrip("\n")
        elif code == 0 and argv[-1:] in (["doctor"], ["check"]):
            yield "all good (a check prints nothing when all is well)"
        if code != 0:
            raise UserError(f"demo step {n} failed: {err.strip()}")
        yield from _changes(before, _records(root))
        if target:
            env[target] = out.strip().split()[0]


@click.command()
@click.option(
    "--keep",
    metavar="PATH",
    type=click.Path(file_okay=False),
    help="Build the demo office at PATH and keep it (PATH must not hold an office).",
)
@click.option(
    "--git/--no-git",
    "use_git",
    default=True,
    show_default=True,
    help="Put the demo office in git with autocommit on, and show the log at the end.",
)
def demo(keep, use_git):
    """Show the whole flow: front office to back office and back, on a throwaway copy.

    Builds the sample company (the same script that makes records/ in the
    repository) in a temporary folder, then tells a story: a customer, an
    order forwarded, shipped, invoiced and paid, a complaint forwarded,
    resolved into a product improvement and closed; a purchase order received
    in part, billed and paid; the mug sent back, credited and refunded. After each command it
    shows which files were created and which moved between folders.

    \b
    Examples:
      officecli demo
      officecli demo --keep /tmp/shop && officecli --root /tmp/shop report daily
    """
    for line in run(keep, use_git):
        click.echo(line)
