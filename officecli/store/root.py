"""Where the records are: ``--root``, else ``$OFFICECLI_ROOT``, else upward from here."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import UserError

MARKER = "office.yaml"


def _real(folder: Path) -> Path:
    """``folder`` if neither it nor its office.yaml is a symbolic link: a root reached through
    a link (``records -> ../other``) would write into another office."""
    for path, what in ((folder, "the records folder"), (folder / MARKER, MARKER)):
        if os.path.islink(path):
            raise UserError(
                f"{path}: {what} is a symbolic link (to {os.readlink(path)}); officecli works only "
                "in a real folder: name the real one with --root"
            )
    return folder


def find_root(explicit: str | None = None, cwd: Path | None = None) -> Path:
    """The folder holding ``office.yaml``.

    ``explicit`` (from ``--root``) wins, then ``$OFFICECLI_ROOT``; both may
    name the office folder itself or a folder holding ``records/office.yaml``.
    Otherwise walk up from ``cwd`` to the first folder holding ``office.yaml``
    or ``records/office.yaml``.
    """
    given = explicit or os.environ.get("OFFICECLI_ROOT")
    if given:
        base = Path(given).expanduser()
        for candidate in (base, base / "records"):
            if (candidate / MARKER).is_file():
                return _real(candidate).resolve()
        source = "--root" if explicit else "$OFFICECLI_ROOT"
        raise UserError(f"{base}: no {MARKER} there ({source}); make an office with 'officecli init {base}'")
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for candidate in (folder, folder / "records"):
            if (candidate / MARKER).is_file():
                return _real(candidate)
    raise UserError(
        f"{here}: no {MARKER} here or in any folder above; make an office with "
        "'officecli init PATH', or name one with --root PATH or $OFFICECLI_ROOT"
    )
