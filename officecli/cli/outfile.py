"""``-o FILE`` of every command: one guard for the files officecli writes outside the records.

* Never inside the records folder (every file there is a record; a document or
  an export written over ``office.yaml`` would break the office), however the
  path is spelled: through ``..``, a link to a folder, a link to the root.
* Never through a link at FILE itself (it would write wherever the link points),
  never into a FIFO, socket, device or folder: refused with one line.
* Written whole or not at all: a temp file beside FILE (``O_EXCL | O_NOFOLLOW``),
  renamed over FILE (a rename replaces the name, never a link's target).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from officecli.store import fsio
from officecli.store.errors import UserError


def target(root: Path, output: str) -> Path:
    """``output`` as a path officecli may write, checked before anything is made."""
    path = Path(output)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise UserError(f"-o {output}: cannot be written: {exc.strerror}") from None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise UserError(
                f"-o {output}: a symbolic link; officecli never writes through one (remove it first)"
            )
        if stat.S_ISDIR(st.st_mode):
            raise UserError(f"-o {output}: is a folder")
        if not stat.S_ISREG(st.st_mode):
            raise UserError(f"-o {output}: not a regular file (a FIFO, socket or device)")
        if st.st_nlink > 1:
            raise UserError(f"-o {output}: has {st.st_nlink} hard links; write to a new file instead")
    if not folder.is_dir():
        raise UserError(f"-o {output}: no such folder {folder}")
    if not os.access(folder, os.W_OK | os.X_OK) or (st is not None and not os.access(path, os.W_OK)):
        raise UserError(f"-o {output}: cannot write there (permission denied)")
    real_root, real = Path(root).resolve(), folder.resolve()
    if real == real_root or real_root in real.parents:
        raise UserError(
            f"-o {output}: inside the records folder, where every file is a record; write it elsewhere"
        )
    return path


def write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` whole (see the module)."""
    fsio.atomic_replace(path, data)
