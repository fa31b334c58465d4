"""officecli edit: open one record's file in your editor, checked before it is saved."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

import click

from officecli.store.errors import UserError

from .app import App, pass_app
from .options import format_option


def _editor() -> str:
    return os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"


def _run_editor(path: str) -> int:
    """Run $VISUAL / $EDITOR / vi on the file the way git does (through the shell, so
    EDITOR may carry options: 'code --wait', 'emacs -nw')."""
    editor = _editor()
    if sys.platform == "win32":  # pragma: no cover
        return subprocess.call(f'{editor} "{path}"', shell=True)
    return subprocess.call(["/bin/sh", "-c", editor + ' "$@"', editor, path])


@click.command()
@click.argument("ref", metavar="ID")
@click.option(
    "--kind",
    "kind_name",
    metavar="KIND",
    help="The kind of record, when ID is only a number or suffix (customer, order...).",
)
@format_option
@pass_app
def edit(app: App, ref, kind_name):
    """Open a record in $VISUAL / $EDITOR (else vi) and save it when it is valid.

    The edited text is checked as 'officecli doctor' checks that kind (YAML
    officecli can read, field types and ranges, VAT rates, accounts, records
    it names). The ID, the history, the date that names a YYYY/MM folder and
    the folder itself (the state) cannot be changed here: the workflow's
    commands move records. A valid change is written atomically with one
    history entry 'edit' naming the fields changed, and committed like any
    command when git.autocommit is on.

    Refused (exit 1, one line, nothing changed) when the text is not valid;
    your edited text is then kept in a temporary file the message names, to
    fix and paste back. Unchanged text writes nothing.

    \b
    Examples:
      officecli edit CUS-A-0001
      EDITOR=nano officecli edit ORD-A-0009
      officecli edit MUG-AEG
      officecli edit 3 --kind complaint
    """
    from officecli.office.front import editing

    office = app.office
    rec = editing.find(office, ref, kind_name)
    before = editing.current_text(office, rec)
    office.forget()
    fd, path = tempfile.mkstemp(prefix=f"officecli-{rec.id}-", suffix=".yaml")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(before)
    keep = True
    try:
        code = _run_editor(path)
        if code != 0:
            raise UserError(
                f"{rec.kind.label} {rec.id} ({rec.path}): the editor ({_editor()}) exited with "
                f"{code}; nothing was changed; your text is kept in {path}"
            )
        from .textin import decode

        with open(path, "rb") as fh:
            raw = fh.read()
        try:
            text = decode(raw, f"{rec.kind.label} {rec.id} ({rec.path}): the edited text", "save it as UTF-8")
            saved = editing.save(office, rec, before, text)
        except UserError as exc:
            raise UserError(f"{exc}; nothing was changed; your text is kept in {path}") from None
        keep = False
    finally:
        if not keep:
            os.unlink(path)
    if saved is None:
        app.say(f"{rec.id}: nothing changed")
        return
    app.created(saved.id, f"{saved.kind.label} edited: {saved.path}")
