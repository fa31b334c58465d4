"""Writing in the middle of a merge: a settling command (``resolve``, ``renumber``) run
while git merges (``sync --keep``, a person's ``git merge``) writes its one transaction in
the work tree without a commit of its own and stages what it wrote: ``git commit``
concludes the merge with it."""

from __future__ import annotations

import contextlib

from officecli.store.errors import UserError


def merging(office) -> bool:
    repo = office.repo
    return repo is not None and (repo.operation() == "merge" or bool(repo.unmerged()))


@contextlib.contextmanager
def in_work_tree(office, locked: bool = True):
    """One transaction without a commit of its own (in the middle of a merge: git
    commit concludes it); ``locked``: take the writer lock (sync holds it already)."""
    ctx = office.store.locked() if locked else contextlib.nullcontext()
    with ctx:
        office.forget()
        t = office.store.new_transaction()
        office._txn = t
        office._committed = t.pending_paths  # what the numbering hooks ask after the commit
        try:
            yield t
        finally:
            office._txn = None
            office.forget()
        t.commit()
        office.store.committed()  # the hooks a new ID left (office.next_number)


def stage(office, paths: list[str]) -> None:
    """git add what the settling wrote, and the record's other unmerged paths (the
    folder both sides moved it out of)."""
    repo = office.repo
    if repo is None or not paths:
        return
    names = {p.rpartition("/")[2] for p in paths}
    tops = [repo.top_path(p) for p in dict.fromkeys(paths)]
    tops += [t for t in repo.unmerged() if t.rpartition("/")[2] in names and t not in tops]
    res = repo.git("add", "-A", "--", *tops)
    if res.returncode != 0:
        from officecli.store import git

        raise UserError(f"settled, but git add failed: {git.one_line(res)}; git add the files by hand")
