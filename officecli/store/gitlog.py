"""Reading a repository's past in bulk: one ``git log`` pass, one ``cat-file --batch``.

Knows git, not offices. ``changes(repo, pathspecs)`` runs ONE ``git log``
(``--full-history --raw --no-abbrev``, rename detection on unless asked
off, merges diffed against their first parent, oldest first) over the given pathspecs and
returns every commit that touched them, with each file change as
(status, old path, new path, old blob, new blob). Deleted and moved files are
included: a move is ``R`` with both paths, or a ``D`` and an ``A``.

``Blobs(repo)`` reads file contents by blob id through ONE ``git cat-file
--batch`` process (``prefetch`` sends every id at once; ``get`` asks one by
one from a long-lived process), as bytes (sizes are in bytes: text mode
would mis-slice UTF-8), decoded as UTF-8 on the way out.

Nothing here is called once per commit: a repository of a few thousand
commits costs one log process and one cat-file process.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field

from .git import Repo, environ

NULL = "0" * 40
_SEP = "\x1e"  # record separator before each commit's header


@dataclass
class Change:
    status: str  # A M D R (T, C and others as git says)
    old: str | None  # base-relative paths (None when outside the folder)
    new: str | None
    old_blob: str | None
    new_blob: str | None


@dataclass
class Commit:
    sha: str
    parents: list[str]
    author: str
    email: str
    date: str  # author date, ISO 8601 strict
    subject: str
    trailers: dict[str, str]
    changes: list[Change] = field(default_factory=list)

    @property
    def short(self) -> str:
        return self.sha[:10]


_FORMAT = _SEP + "%H%x00%P%x00%an%x00%ae%x00%aI%x00%s%x00%(trailers:only,unfold)%x00"


def changes(repo: Repo, pathspecs: list[str], glob: bool = False, renames: bool = True) -> list[Commit]:
    """Every commit touching ``pathspecs`` (base-relative; ``glob``: git glob magic),
    oldest first (parents before children), with its changes to those paths.
    ``renames=False`` skips rename detection (a move is a D and an A: cheaper)."""
    specs = [f":(glob){repo.prefix}{p}" if glob else repo.top_path(p) for p in pathspecs]
    res = repo.git(
        "-c",
        "core.quotePath=false",
        "log",
        "--full-history",
        "--reverse",
        "--topo-order",
        "--raw",
        "--no-abbrev",
        "-M" if renames else "--no-renames",
        "--diff-merges=first-parent",
        "-z",
        f"--format={_FORMAT}",
        "--",
        *specs,
        literal=not glob,
    )
    if res.returncode != 0:
        return []
    out: list[Commit] = []
    for chunk in res.stdout.split(_SEP)[1:]:
        parts = chunk.split("\0")
        if len(parts) < 7:
            continue
        sha, parents, author, email, date, subject, trailers = parts[:7]
        commit = Commit(sha, parents.split(), author, email, date, subject, _trailers(trailers))
        rest = [p for p in parts[7:]]
        i = 0
        while i < len(rest):
            head = rest[i].strip("\n")
            if not head.startswith(":"):
                i += 1
                continue
            fields = head[1:].split()
            if len(fields) < 5:
                i += 1
                continue
            old_blob, new_blob, status = fields[2], fields[3], fields[4][:1]
            if status in ("R", "C"):
                src, dst = rest[i + 1], rest[i + 2] if i + 2 < len(rest) else ""
                i += 3
            else:
                src = dst = rest[i + 1] if i + 1 < len(rest) else ""
                i += 2
            commit.changes.append(
                Change(
                    status,
                    repo.rel(src) if status != "A" else None,
                    repo.rel(dst) if status != "D" else None,
                    None if old_blob == NULL else old_blob,
                    None if new_blob == NULL else new_blob,
                )
            )
        out.append(commit)
    return out


def _trailers(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            out[key.strip()] = value.strip()
    return out


class Blobs:
    """File contents by blob id, through one ``git cat-file --batch`` process."""

    def __init__(self, repo: Repo):
        self.repo = repo
        self._proc: subprocess.Popen[bytes] | None = None
        self._cache: dict[str, str | None] = {}

    def prefetch(self, blobs: Iterable[str | None]) -> None:
        """Read many blobs in one go: all ids written, all contents read, by one
        ``cat-file --batch`` process (no round trip per blob)."""
        want = sorted({b for b in blobs if b and b not in self._cache})
        if not want:
            return
        res = subprocess.run(
            ["git", "cat-file", "--batch"],
            cwd=self.repo.top,
            env=environ(),
            input=("\n".join(want) + "\n").encode("ascii"),
            capture_output=True,
        )
        data, pos = res.stdout, 0
        for blob in want:
            end = data.find(b"\n", pos)
            if end < 0:
                break
            header = data[pos:end].decode("ascii", "replace").split()
            pos = end + 1
            text = None
            if len(header) == 3 and header[1] == "blob":
                size = int(header[2])
                try:
                    text = data[pos : pos + size].decode("utf-8")
                except UnicodeDecodeError:
                    text = None
                pos += size + 1
            self._cache[blob] = text

    def get(self, blob: str | None) -> str | None:
        """The blob's text (UTF-8), or None when missing or not text."""
        if not blob:
            return None
        if blob in self._cache:
            return self._cache[blob]
        if self._proc is None:
            self._proc = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self.repo.top,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=environ(),
            )
        proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None  # both PIPE
        proc.stdin.write(blob.encode("ascii") + b"\n")
        proc.stdin.flush()
        header = proc.stdout.readline().decode("ascii", "replace").split()
        text = None
        if len(header) == 3 and header[1] == "blob":
            size = int(header[2])
            data = proc.stdout.read(size)
            proc.stdout.read(1)  # the LF after the contents
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = None
        self._cache[blob] = text
        return text

    def close(self) -> None:
        if self._proc is not None:
            try:
                assert self._proc.stdin is not None  # PIPE
                self._proc.stdin.close()
                self._proc.wait(timeout=10)
            except Exception:
                self._proc.kill()
            self._proc = None

    def __enter__(self) -> Blobs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
