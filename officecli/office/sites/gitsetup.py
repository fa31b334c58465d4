"""git set up for records: what a clone needs so that git's merges keep a true office.

* ``merge.directoryRenames=false``: git must never guess that a folder was
  renamed because one site emptied it (an emptied inbox) and move the other
  site's new files into the folder the old ones went to. This alone fixes
  the misfiled-inbox merge.
* ``merge.renames`` on: a record moved at one site and edited at another
  merges as one file in its new folder.
* The records merge driver, registered in the clone's git config
  (``merge.officecli.name`` / ``merge.officecli.driver``, run with the Python
  that runs this officecli, so a virtual environment works) and named for
  ``*.yaml`` in the records folder's ``.gitattributes`` (versioned, so every
  clone has it).

``ensure_config`` and ``ensure_attributes`` make it so (``site set``, ``init``
inside a git work tree and ``sync`` call them) and say what they changed;
``problems`` lists what a clone lacks, one line each with the command that
fixes it (``doctor``, for a clone with a remote).
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

from officecli.store import git, guard
from officecli.store.errors import UserError

ATTRIBUTES = ".gitattributes"
DRIVER = "officecli"
DRIVER_NAME = "officecli record merge"
ATTR_LINE = f"*.yaml merge={DRIVER}"
ATTR_TEXT = (
    "# officecli: git merges record files field by field (officecli merge-file),\n"
    "# never with conflict markers\n" + ATTR_LINE + "\n"
)
_ATTR_RE = re.compile(r"^\*\.yaml\s(?:.*\s)?merge=" + DRIVER + r"(\s|$)", re.M)
# A closed folder's seal (store/seal.py) is merged by the same driver, name by name.
SEAL_LINE = f".seal merge={DRIVER}"
SEAL_TEXT = "# officecli: a closed folder's seal is merged file name by file name\n" + SEAL_LINE + "\n"
_SEAL_RE = re.compile(r"^\.seal\s(?:.*\s)?merge=" + DRIVER + r"(\s|$)", re.M)
FALSE = ("false", "no", "off", "0")


def driver_command() -> str:
    return f"{shlex.quote(sys.executable)} -m officecli merge-file %O %A %B %P"


def settings() -> dict[str, str]:
    """The git config a records clone needs (also passed to every merge sync runs)."""
    return {
        "merge.directoryRenames": "false",
        "merge.renames": "true",
        f"merge.{DRIVER}.name": DRIVER_NAME,
        f"merge.{DRIVER}.driver": driver_command(),
    }


def _renames_off(repo: git.Repo) -> bool:
    value = repo.config("merge.renames")
    if value is None:
        value = repo.config("diff.renames")
    return value is not None and value.lower() in FALSE


def ensure_config(repo: git.Repo) -> list[str]:
    """Set what is missing or wrong in the clone's git config; say what was set."""
    said = []
    if (repo.config("merge.directoryRenames") or "").lower() not in FALSE:
        repo.set_config("merge.directoryRenames", "false")
        said.append("git config merge.directoryRenames false")
    if _renames_off(repo):
        repo.set_config("merge.renames", "true")
        said.append("git config merge.renames true")
    if repo.config(f"merge.{DRIVER}.name") != DRIVER_NAME:
        repo.set_config(f"merge.{DRIVER}.name", DRIVER_NAME)
    if repo.config(f"merge.{DRIVER}.driver") != driver_command():
        repo.set_config(f"merge.{DRIVER}.driver", driver_command())
        said.append(f"git config merge.{DRIVER}.driver (the records merge driver)")
    return said


def attributes_text(current: str | None) -> str | None:
    """``.gitattributes`` with the driver named for ``*.yaml`` (None: already so)."""
    text = current or ""
    for pattern, lines in ((_ATTR_RE, ATTR_TEXT), (_SEAL_RE, SEAL_TEXT)):
        if not pattern.search(text):
            text += ("" if not text or text.endswith("\n") else "\n") + lines
    return None if text == (current or None) else text


ATTR_CAP = 1 << 20


def read_attributes(root: Path) -> str | None:
    """The records folder's .gitattributes (None: there is none), read through the path guard:
    a link or a special file there is refused (UnsafePath), never followed."""
    try:
        raw = guard.Guard(root).read_bytes(ATTRIBUTES)
    except FileNotFoundError:
        return None
    if len(raw) > ATTR_CAP:
        raise UserError(f"{ATTRIBUTES}: bigger than {ATTR_CAP >> 20} MiB: not one officecli can keep")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{ATTRIBUTES}: not UTF-8 text (byte {exc.start})") from None


def ensure_attributes(office, txn) -> list[str]:
    """Name the driver in the records folder's .gitattributes, inside ``txn``."""
    current = read_attributes(office.root)
    new = attributes_text(current)
    if new is None:
        return []
    if current is None:
        txn.create(ATTRIBUTES, new)
    else:
        txn.replace(ATTRIBUTES, new)
    return [f"{ATTRIBUTES}: {ATTR_LINE}"]


def problems(root: Path, repo: git.Repo | None = None) -> list[tuple[str, str]]:
    """What a clone lacks, as (problem, the command that fixes it)."""
    repo = repo or git.Repo.find(root)
    if repo is None:
        return []
    out = []
    fix = "officecli sync (or officecli site set CODE)"
    if (repo.config("merge.directoryRenames") or "").lower() not in FALSE:
        out.append(
            (
                "git config merge.directoryRenames is not false: a merge may move one site's "
                "new records into the folder the other site emptied",
                fix,
            )
        )
    if _renames_off(repo):
        out.append(
            (
                "git config merge.renames is off: a record moved at one site and edited at "
                "another would conflict",
                fix,
            )
        )
    driver = repo.config(f"merge.{DRIVER}.driver")
    if not driver or "merge-file" not in driver:
        out.append(
            (
                f"git config merge.{DRIVER}.driver is not set: records would merge line by "
                "line, with conflict markers",
                fix,
            )
        )
    else:
        program = shlex.split(driver)[0] if driver.strip() else ""
        if os.sep in program and not os.access(program, os.X_OK):
            out.append((f"git config merge.{DRIVER}.driver runs {program}, which is gone", fix))
    try:
        current = read_attributes(Path(root))
    except UserError as exc:  # a link, a FIFO, not text: sync would refuse it too
        out.append((str(exc), f"replace {ATTRIBUTES} with a plain file"))
        return out
    if not _ATTR_RE.search(current or ""):  # (a missing .seal line: sync settles seals itself)
        out.append((f"{ATTRIBUTES}: does not name the records merge driver ({ATTR_LINE})", fix))
    return out
