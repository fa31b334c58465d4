"""The seals of the closed period, checked: a file changed after its period was closed.

``check(store, quick)`` is the one call doctor, ``doctor --quick`` and ``ledger check``
make. For every dated folder of the closed period that carries a seal
(office/seals.py), each record file is compared with its line of the seal: its
name, size and the digest of its bytes. One line per file that differs, naming it:

- ``changed after its period was closed`` (its bytes differ: also a same-size edit
  whose mtime was put back);
- ``added after its period was closed`` (a file the seal does not list);
- ``removed after its period was closed`` (a sealed file that is gone);
- a seal that is not one officecli wrote is one line naming the seal.

Every change officecli makes keeps the seals true (office/seals.py ``amend``), so each
line is a change made without officecli: by hand, or by git (a merge, a checkout).
No command reopens a closed period, so each line says how to find and undo it in git.

``quick`` (``doctor --quick``): a folder whose files (names and stat keys) and seal are
as they were when they last matched is not read again; any other folder is read
whole. The full check reads every sealed file. On two cores a forked child checks
the folders holding the second half of the files.
"""

from __future__ import annotations

import os
from typing import Any

from officecli.office import seals
from officecli.office.core import Office
from officecli.office.problems import Problem
from officecli.store import prefetch, seal
from officecli.store.tree import Store

SPLIT = 2000  # sealed files: this many or more are checked on two cores

WHAT = {
    "changed": "changed after its period was closed",
    "added": "added after its period was closed",
    "removed": "removed after its period was closed",
}


def check(store: Store, quick: bool = False) -> list[Problem]:
    """One line per record file of the closed period that is not what its seal says."""
    try:
        office = Office(store.root, "doctor")
        folders = seals.sealed_folders(office)
        last = seals.closed_through(office)
    except Exception:  # office.yaml or a folder doctor names on its own
        return []
    if not folders or last is None:
        return []
    root = str(store.root)
    summaries = store.summaries
    sizes = [_count(root, f) for f in folders]
    cut = len(folders)
    if sum(sizes) >= SPLIT and prefetch.cores() >= 2:
        seen = 0
        for i, n in enumerate(sizes):
            seen += n
            if seen >= sum(sizes) // 2:
                cut = i + 1
                break
    mine, theirs = folders[:cut], folders[cut:]

    def work() -> tuple[list[tuple[str, Any]], dict[str, Any]]:
        said = [(f, _differences(summaries, root, f, quick)) for f in theirs]
        memo = summaries.table("seal-verified")
        return said, {f: memo[f] for f in theirs if f in memo}

    result = prefetch.in_child(work) if theirs else None
    found = [(f, _differences(summaries, root, f, quick)) for f in mine]
    got = result() if result is not None else None
    if got is None:
        found += [(f, _differences(summaries, root, f, quick)) for f in theirs]
    else:
        said, memo = got
        found += [(f, d if isinstance(d, (list, str)) else []) for f, d in said]
        table = summaries.table("seal-verified")
        for f in theirs:
            if table.get(f) != memo.get(f):
                if f in memo:
                    table[f] = tuple(memo[f])
                else:
                    table.pop(f, None)
                summaries.changed("seal-verified")
    summaries.save()
    out = []
    for folder, said in found:
        if isinstance(said, str):
            out.append(Problem(f"{folder}/{seal.NAME}", said))
            continue
        for name, what in said:
            path = f"{folder}/{name}"
            out.append(
                Problem(
                    path,
                    f"{WHAT[what]} (books closed through {last.isoformat()}, sealed in "
                    f"{folder}/{seal.NAME}); no command reopens a closed period: "
                    f"`git log -- {path}` shows who did it",
                )
            )
    return out


def _count(root: str, folder: str) -> int:
    try:
        return len(os.listdir(os.path.join(root, folder)))
    except OSError:
        return 0


def _differences(summaries: Any, root: str, folder: str, quick: bool) -> list[tuple[str, str]] | str:
    """The folder's differences from its seal, or one sentence on a seal that cannot be read."""
    try:
        return [tuple(d) for d in summaries.seal_differences(root, folder, quick)]  # type: ignore[misc]
    except seal.BadSeal as exc:
        return f"not a seal officecli wrote ({exc}): `git log -- {folder}/{seal.NAME}` shows who changed it"
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
