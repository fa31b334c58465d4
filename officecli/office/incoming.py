"""What another site's commits may bring: checked before it lands, and after a plain pull.

A remote is another site's clone, and another site may be careless or hostile.
Whatever it pushed, ``sync`` (and, after a plain ``git pull``, the next writer
and ``doctor``) checks the files it changes against these rules, one line per
path naming the commit that brought it and its author:

1. **Nothing private.** No path under ``back/hr/`` (pay is HR's only; HR's own
   repository, if any, is synced on its own) and none under ``.officecli/``
   (this clone's lock, journal, cache and number marks: never versioned).
2. **Only plain files.** No symbolic link (git mode 120000) and no submodule
   (160000, or a ``.gitmodules``): a link could lead any reader or writer out
   of the root.
3. **The ignore rules keep what is private private.** A change to any
   ``.gitignore`` (or its removal) after which git no longer ignores
   ``back/hr/`` or ``.officecli/`` *as folders*, where it did before, is
   refused (git cannot take back a file below an ignored folder, so a folder
   ignored whole is the whole promise).
4. **A record is what its name says.** A record file's key field (``id``,
   ``sku``, ``month``) is the file's name: a commit that changes it would
   change the record's identity behind every reference to it.
5. **Nothing a workflow does not know** in a records folder: a file that is not
   ``<ID>.yaml`` in a state folder, a folder no workflow has, a file in the
   records folder's top other than office.yaml, .gitignore, .gitattributes and a
   README. ``templates/`` holds the company's own templates (regular files).

``sync`` runs ``check`` on what the remote's branch changes since the common
ancestor, before ``git merge``: a refusal changes nothing (the merge is not
even started). ``after_pull`` runs the same check on what arrived since the
commit this clone last checked (``.officecli/checked``), for git's own ``pull``:
the files are already there, so the writer refuses to write on top of them and
doctor names them; after a clean check (and after officecli's own commits) the
mark moves to HEAD.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from officecli.office.workflows import PRIVATE, is_private, kind_of_folder, known_folder
from officecli.store import fsio, git, guard, seal, yamlio
from officecli.store.guard import STATE_DIR
from officecli.store.printable import printable

ROOT_FILES = {"office.yaml", ".gitignore", ".gitattributes", "README.md", "README", "bank-rules.yaml"}
MARK = "checked"  # .officecli/checked: the commit whose tree this clone last checked
RECORD_CAP = 8 << 20  # a record bigger than this is not one officecli wrote
MARK_CAP = 256
PLAIN = ("100644", "100755")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")
_PROBES = {
    **{p: [f"{p}/x.yaml", f"{p}/pay/PAY-A-0001.yaml", f"{p}/payroll/2026-01.yaml"] for p in PRIVATE},
    STATE_DIR: [f"{STATE_DIR}/numbers.marshal", f"{STATE_DIR}/txn/1/journal.json"],
}


@dataclass
class Refusal:
    path: str  # top-relative
    why: str
    commit: str = ""
    author: str = ""

    def line(self, tag: str = "") -> str:
        who = f" (commit {self.commit[:12]} by {self.author})" if self.commit else ""
        return printable(f"{tag}{self.path}: {self.why}{who}")


def private(rel: str) -> str | None:
    """Why ``rel`` (records-relative) is never in the company's repository, or None."""
    if is_private(rel):
        return "private to HR (pay): never in the company's repository"
    if rel == STATE_DIR or rel.startswith(STATE_DIR + "/"):
        return "officecli's own state of one clone: never versioned"
    return None


def file_rule(rel: str, mode: str, company: bool = True, severe: bool = False):
    """(why refused, or None; the kind whose key field must be checked, or None);
    ``severe``: only rules 1 and 2 (a whole tree never checked before: doctor names the rest)."""
    name = rel.rpartition("/")[2]
    if mode == "120000":
        return "a symbolic link: officecli never reads or writes through one", None
    if mode == "160000" or name == ".gitmodules":
        return "a submodule (a link to another repository): never part of the records", None
    if mode not in PLAIN:
        return f"not a plain file (git mode {mode})", None
    if not company:
        return None, None
    why = private(rel)
    if why or severe:
        return why, None
    if rel.startswith("templates/"):
        return None, None
    if "/" not in rel:
        return (
            None if name in ROOT_FILES else "a file no workflow knows (in the records folder's top)"
        ), None
    folder = rel.rpartition("/")[0]
    if not known_folder(folder):
        return f"a folder no workflow knows ({folder}/)", None
    if name in (".gitignore", ".gitkeep", seal.NAME):  # seal: a closed period's (docs/SEALS.md)
        return None, None
    owner = kind_of_folder(rel.rpartition("/")[0]) if name.endswith(".yaml") else None
    kind = owner[0] if owner else None
    if kind is None or not _NAME.match(name[:-5]):
        return "a file no workflow knows (records are <ID>.yaml in a state folder)", None
    return None, kind


def key_problem(kind, name: str, blob: bytes | None) -> str | None:
    """Why a record file's text does not name the record its file name says (None: it does)."""
    if blob is None:
        return f"bigger than {RECORD_CAP >> 20} MiB: not a record officecli wrote"
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"not UTF-8 text (byte {exc.start})"
    m = re.search(rf"^{re.escape(kind.key)}:[ \t]*(['\"]?)([^'\"\n#]*?)\1[ \t]*(?:#.*)?$", text, re.M)
    if m and m.group(2) == name:
        return None
    try:
        data = yamlio.loads(text)
    except yamlio.YAMLError as exc:
        return f"not an officecli record ({exc.__class__.__name__})"
    value = data.get(kind.key) if isinstance(data, dict) else None
    if value is None or str(value) != name:
        return f"its {kind.key}: is {str(value)!r} but the file is named {name}.yaml (a record's identity never changes)"
    return None


def check(
    repo: git.Repo, old: str | None, new: str, company: bool = True, severe: bool = False
) -> list[Refusal]:
    """The refusals for what ``new`` changes since ``old`` (a commit; None: since nothing)."""
    changes = repo.tree_changes(old, new)
    bad: list[Refusal] = []
    keyed: list[tuple[str, str, object]] = []  # (top path, blob, kind)
    ignores = False
    for status, mode, blob, top in changes:
        if top.rpartition("/")[2] == ".gitignore":
            ignores = True
        if status == "D":
            continue
        rel = repo.rel(top)
        why, kind = file_rule(rel if rel is not None else top, mode, company and rel is not None, severe)
        if why:
            bad.append(Refusal(top, why))
        elif kind is not None:
            keyed.append((top, blob, kind))
    if keyed:
        texts = repo.blobs([b for _, b, _ in keyed], RECORD_CAP)
        for top, blob, kind in keyed:
            why = key_problem(kind, top.rpartition("/")[2][:-5], texts.get(blob))
            if why:
                bad.append(Refusal(top, why))
    if ignores and company:
        lost = _ignored(repo, old, repo.prefix) - _ignored(repo, new, repo.prefix)
        if lost:
            for status, _, _, top in changes:
                if top.rpartition("/")[2] == ".gitignore":
                    bad.append(
                        Refusal(
                            top,
                            f"{'removed' if status == 'D' else 'changed'} so that git no longer "
                            f"ignores {', '.join(sorted(lost))}: private files would be committed",
                        )
                    )
    bad.sort(key=lambda r: r.path)
    for r in bad:
        r.commit, r.author = repo.last_commit(new, old, r.path)
    return bad


def _ignored(repo: git.Repo, rev: str | None, prefix: str) -> set[str]:
    """The private folders (and the files the probes stand for) ``rev``'s .gitignore files ignore."""
    if rev is None:
        return set()
    rules = [
        (blob, top) for mode, blob, top in repo.tree_files(rev) if top.rpartition("/")[2] == ".gitignore"
    ]
    if not rules:
        return set()
    texts = repo.blobs([b for b, _ in rules], 1 << 20)
    probes = {f"{prefix}{p}": p for p in _PROBES} | {
        f"{prefix}{f}": p for p, files in _PROBES.items() for f in files
    }
    with tempfile.TemporaryDirectory(prefix="officecli-ignore-") as tmp:
        base = Path(tmp)
        for blob, top in rules:
            target = base / top
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(texts.get(blob) or b"")
        for probe in probes:
            (base / probe).parent.mkdir(parents=True, exist_ok=True)
        for p in _PROBES:
            (base / f"{prefix}{p}").mkdir(parents=True, exist_ok=True)
        git.run(base, "init", "-q")
        res = git.run(
            base,
            "-c",
            "core.excludesFile=/dev/null",
            "check-ignore",
            "--no-index",
            "-z",
            "--stdin",
            stdin="\0".join(probes) + "\0",
            literal=False,
        )
    found = {p for p in res.stdout.split("\0") if p}
    # a folder counts only when it is ignored itself, and so is every file below it
    return {
        probes[f"{prefix}{p}"]
        for p, files in _PROBES.items()
        if f"{prefix}{p}" in found and all(f"{prefix}{f}" in found for f in files)
    }


# -- after a plain git pull ------------------------------------------------------------


def read_mark(root: Path) -> str | None:
    raw = guard.read_plain(Path(root) / STATE_DIR / MARK)
    if raw is None or len(raw) > MARK_CAP:
        return None
    text = raw.decode("ascii", "replace").strip()
    return text if re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", text) else None


def write_mark(root: Path, head: str | None) -> None:
    if head is None:
        return
    state = Path(root) / STATE_DIR
    try:
        guard.Guard(root).folder(STATE_DIR)
        fsio.make_dirs(state)
        fsio.atomic_replace(state / MARK, (head + "\n").encode("ascii"))
    except (OSError, guard.UnsafePath):
        pass  # officecli's own state is unusable: the writer that needs it says so


def after_pull(root: Path, repo: git.Repo | None) -> list[Refusal]:
    """What arrived since this clone last checked (a plain ``git pull``, a hand commit),
    checked as sync checks a merge; a clean check moves the mark to HEAD."""
    if repo is None:
        return []
    head = repo.head()
    if head is None:
        return []
    mark = read_mark(root)
    if mark == head:
        return []
    if mark is not None and repo.rev(mark) is None:
        mark = None  # a commit this clone no longer has: check the whole tree
    bad = check(repo, mark, head, severe=mark is None)
    if not bad:
        write_mark(root, head)
    return bad


def advance(root: Path, repo: git.Repo | None, before: str | None) -> None:
    """officecli's own commit (a command's, a sync's merge) moved HEAD on from ``before``:
    when ``before`` was checked, so is the new HEAD (what officecli wrote went through
    the path guard; what sync merged was checked before the merge)."""
    if repo is None:
        return
    if before is None or read_mark(root) in (before, None):
        write_mark(root, repo.head())


def how_to_undo(root: Path) -> str:
    mark = read_mark(root)
    back = f"git reset --keep {mark[:12]}" if mark else "git rm --cached PATH and git commit"
    return f"undo what arrived ({back}), or ask the site that made it to revert it; nothing was changed"
