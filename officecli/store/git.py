"""git primitives for a folder of plain files that lives in a git work tree.

This module knows git, not offices: it finds the repository a folder is in,
reads and writes its config, says whether an operation (merge, rebase,
cherry-pick, revert) is stopped half way, commits exactly the paths it is
given, and runs fetch, merge and push. Every call is a real ``git`` process;
nothing here caches across calls except a ``Repo``'s config, read once.

Promises:

* **Found cheaply.** ``Repo.find(folder)`` looks for a ``.git`` entry upward
  on the file system before it starts any process, so a folder that is not
  in git costs a few ``stat`` calls. A folder below the top that has its own
  ``.git`` is a *nested* repository (``nested_owner``): its files belong to it,
  not to the enclosing one.
* **Paths.** Methods take paths relative to the folder the Repo was found
  from (``base``) and pass them to git literally (``--literal-pathspecs``:
  no glob is ever expanded); ``rel()`` turns git's top-relative paths back.
* **Exact commits.** ``commit_paths`` stages only the given paths (a file
  that no longer exists is staged as removed, one git never knew is skipped,
  one the repository ignores is left out), then commits only those paths
  (``git commit --only``): whatever else is staged or changed in the work
  tree stays as it was. It returns git's own one-line message on failure.
* **No prompts.** Every process runs with ``GIT_TERMINAL_PROMPT=0`` and ssh in
  batch mode, so a cron job fails with a message instead of hanging.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
MARK = "officecli-operation.json"  # in the git dir: an officecli operation (sync) under way
MOVED_ON = ("fetch first", "non-fast-forward", "[rejected]", "cannot lock ref", "failed to update ref")
OPERATIONS = (  # file or folder in the git dir -> the operation stopped half way
    ("rebase-merge", "rebase"),
    ("rebase-apply", "rebase"),
    ("MERGE_HEAD", "merge"),
    ("CHERRY_PICK_HEAD", "cherry-pick"),
    ("REVERT_HEAD", "revert"),
    ("sequencer", "cherry-pick"),
)


def environ() -> dict[str, str]:
    env = dict(os.environ)
    env["GIT_TERMINAL_PROMPT"] = "0"
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    return env


def run(
    cwd: Path, *args: str, stdin: str | None = None, literal: bool = True
) -> subprocess.CompletedProcess[str]:
    """``git ARGS`` in ``cwd``; never raises for git's exit code (the caller reads it)."""
    flags = ["--literal-pathspecs"] if literal else []  # (check-ignore refuses the flag)
    try:
        return subprocess.run(
            ["git", *flags, *args], cwd=cwd, input=stdin, capture_output=True, text=True, env=environ()
        )
    except FileNotFoundError:
        return subprocess.CompletedProcess(["git", *args], 127, "", "git: command not found")


def one_line(res: subprocess.CompletedProcess[str]) -> str:
    """git's own message in one line: its first fatal/error line, else its first line."""
    lines = [ln.strip() for ln in (res.stderr + "\n" + res.stdout).splitlines() if ln.strip()]
    for ln in lines:
        if ln.startswith(("fatal:", "error:")):
            return ln
    return lines[0] if lines else f"exit status {res.returncode}"


def has_dot_git(folder: Path) -> bool:
    return os.path.lexists(os.path.join(folder, ".git"))


def in_work_tree(folder: Path) -> bool:
    """Is ``folder`` (or a folder above it) in a git work tree? File system only."""
    if os.environ.get("GIT_DIR"):
        return True
    folder = Path(folder).resolve()
    return any(has_dot_git(f) for f in (folder, *folder.parents))


def git_dir_problem(folder: Path, rel: str = "") -> str | None:
    """Why ``folder/.git`` must not be used (None: a real folder, or a gitfile naming a
    folder inside ``folder``): a link, or a gitfile pointing outside, would let a commit,
    a chmod or a hook reach another repository."""
    where = f"{rel}/.git" if rel else ".git"
    dot = Path(folder) / ".git"
    try:
        st = os.lstat(dot)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"{where}: cannot be read: {exc.strerror}"
    if stat.S_ISDIR(st.st_mode):
        return None
    if stat.S_ISLNK(st.st_mode):
        return f"{where}: a symbolic link; officecli never uses a repository through one (make it a real .git folder)"
    if not stat.S_ISREG(st.st_mode) or st.st_size > 4096:
        return f"{where}: neither a git folder nor a gitfile"
    try:
        with open(dot, "rb") as fh:
            text = fh.read(4096).decode("utf-8", "replace").strip()
    except OSError as exc:
        return f"{where}: cannot be read: {exc.strerror}"
    target = text.partition("gitdir:")[2].strip()
    real = Path(folder).resolve()
    gitdir = (Path(folder) / target).resolve() if target else None
    if gitdir is None or (gitdir != real and real not in gitdir.parents):
        return f"{where}: a gitfile pointing outside {rel or 'the folder'} ({target or '?'}); officecli never commits there"
    return None


def nested_owner(base: Path, rel: str) -> str:
    """The folder below ``base`` (relative, '' for base itself) whose own repository
    holds the file ``rel``: the deepest folder on its path that has a ``.git``."""
    parts = rel.split("/")[:-1]
    for i in range(len(parts), 0, -1):
        sub = "/".join(parts[:i])
        if has_dot_git(base / sub):
            return sub
    return ""


@dataclass
class Repo:
    base: Path  # the folder it was found from (paths are relative to it)
    top: Path  # the work tree's top folder
    git_dir: Path  # this work tree's git dir (absolute)
    prefix: str  # base relative to top, with a trailing '/', or ''
    _config: list[tuple[str, str, str]] | None = field(default=None, repr=False)

    @classmethod
    def find(cls, folder: Path) -> Repo | None:
        folder = Path(folder)
        if not in_work_tree(folder):
            return None
        res = run(folder, "rev-parse", "--absolute-git-dir", "--show-toplevel", "--show-prefix")
        if res.returncode != 0:
            return None
        lines = res.stdout.split("\n")
        if len(lines) < 3 or not lines[1]:
            return None  # a bare repository or a git dir: not a work tree
        return cls(folder, Path(lines[1]), Path(lines[0]), lines[2])

    def git(
        self, *args: str, stdin: str | None = None, literal: bool = True
    ) -> subprocess.CompletedProcess[str]:
        return run(self.top, *args, stdin=stdin, literal=literal)

    def top_path(self, rel: str) -> str:
        return self.prefix + rel

    def rel(self, top_rel: str) -> str | None:
        """A top-relative path as a base-relative one (None when outside base)."""
        if not top_rel.startswith(self.prefix):
            return None
        return top_rel[len(self.prefix) :]

    # -- config ------------------------------------------------------------------
    def config_entries(self) -> list[tuple[str, str, str]]:
        """(scope, key, value) of every config entry git sees, keys as git prints them."""
        if self._config is None:
            res = self.git("config", "--list", "--show-scope", "-z")
            out = []
            items = res.stdout.split("\0")  # scope NUL key LF value NUL ...
            for scope, entry in zip(items[0::2], items[1::2]):
                key, _, value = entry.partition("\n")
                out.append((scope, key, value))
            self._config = out
        return self._config

    def config(self, key: str, local: bool = False) -> str | None:
        """The last value of ``key`` (case-insensitive sections and names)."""
        want = _key_norm(key)
        found = None
        for scope, k, v in self.config_entries():
            if _key_norm(k) == want and (not local or scope in ("local", "worktree")):
                found = v
        return found

    def set_config(self, key: str, value: str) -> str | None:
        self._config = None
        res = self.git("config", "--local", key, value)
        return None if res.returncode == 0 else one_line(res)

    def unset_config(self, key: str) -> None:
        self._config = None
        self.git("config", "--local", "--unset-all", key)

    def remotes(self) -> list[str]:
        names = []
        for _, k, _v in self.config_entries():
            if k.lower().startswith("remote.") and k.lower().endswith(".url"):
                name = k[len("remote.") : -len(".url")]
                if name not in names:
                    names.append(name)
        return names

    # -- state ------------------------------------------------------------------
    def operation(self) -> str | None:
        """The operation stopped half way (merge, rebase, cherry-pick, revert), if any."""
        for name, what in OPERATIONS:
            if os.path.lexists(self.git_dir / name):
                return what
        return None

    def unmerged(self) -> list[str]:
        """Top-relative paths git holds as unmerged (conflicted), each once."""
        res = self.git("ls-files", "-u", "-z")
        out = []
        for item in res.stdout.split("\0"):
            if "\t" in item:
                path = item.split("\t", 1)[1]
                if path not in out:
                    out.append(path)
        return out

    def branch(self) -> str | None:
        res = self.git("symbolic-ref", "-q", "--short", "HEAD")
        return res.stdout.strip() or None

    def head(self) -> str | None:
        res = self.git("rev-parse", "-q", "--verify", "HEAD^{commit}")
        return res.stdout.strip() or None

    def rev(self, ref: str) -> str | None:
        res = self.git("rev-parse", "-q", "--verify", f"{ref}^{{commit}}")
        return res.stdout.strip() or None

    def is_ancestor(self, a: str, b: str) -> bool:
        return self.git("merge-base", "--is-ancestor", a, b).returncode == 0

    def changed(self, *args: str) -> list[str]:
        """Top-relative paths ``git diff --name-only ARGS`` names (no rename pairing)."""
        res = self.git("diff", "--name-only", "--no-renames", "-z", *args)
        return [p for p in res.stdout.split("\0") if p]

    def dirty(self, rel: str = ".") -> list[str]:
        """Tracked files changed (staged or not) below ``rel``, top-relative."""
        res = self.git(
            "status",
            "--porcelain",
            "-z",
            "--untracked-files=no",
            "--",
            self.top_path(rel) if rel != "." else (self.prefix or "."),
        )
        out = []
        items = iter(res.stdout.split("\0"))
        for item in items:
            if len(item) > 3:
                out.append(item[3:])
                if item[0] in "RC":
                    next(items, None)
        return out

    def show(self, rev: str, top_rel: str) -> str | None:
        res = self.git("show", f"{rev}:{top_rel}")
        return res.stdout if res.returncode == 0 else None

    def tree_changes(self, old: str | None, new: str) -> list[tuple[str, str, str, str]]:
        """(status, new mode, new blob, top-relative path) of every file that differs
        between two commits or trees (``old`` None: the empty tree); no rename pairing."""
        res = self.git("diff-tree", "-r", "-z", "--no-renames", "--no-commit-id", old or EMPTY_TREE, new)
        items = res.stdout.split("\0")
        out = []
        for head, path in zip(items[0::2], items[1::2]):
            fields = head.lstrip(":").split(" ")
            if len(fields) == 5 and path:
                out.append((fields[4][:1], fields[1], fields[3], path))
        return out

    def tree_files(self, rev: str) -> list[tuple[str, str, str]]:
        """(mode, blob, top-relative path) of every entry of a commit's tree."""
        res = self.git("ls-tree", "-r", "-z", "--full-tree", rev)
        out = []
        for item in res.stdout.split("\0"):
            head, _, path = item.partition("\t")
            fields = head.split(" ")
            if path and len(fields) == 3:
                out.append((fields[0], fields[2], path))
        return out

    def blobs(self, shas: list[str], cap: int) -> dict[str, bytes | None]:
        """The bytes of each blob (None: bigger than ``cap`` bytes, or not a blob), one
        ``git cat-file --batch`` process for all of them."""
        out: dict[str, bytes | None] = {}
        want = list(dict.fromkeys(shas))
        if not want:
            return out
        try:
            res = subprocess.run(
                ["git", "cat-file", "--batch"],
                cwd=self.top,
                input=("\n".join(want) + "\n").encode("ascii"),
                capture_output=True,
                env=environ(),
            )
        except FileNotFoundError:
            return {s: None for s in want}
        data, pos = res.stdout, 0
        for sha in want:
            end = data.find(b"\n", pos)
            if end < 0:
                out[sha] = None
                continue
            head = data[pos:end].split(b" ")
            pos = end + 1
            if len(head) != 3 or head[1] != b"blob":
                out[sha] = None
                continue
            size = int(head[2])
            out[sha] = data[pos : pos + size] if size <= cap else None
            pos += size + 1
        return out

    def last_commit(self, newer: str, older: str | None, top_rel: str) -> tuple[str, str]:
        """(commit, author) of the newest commit in ``older..newer`` that changed ``top_rel``."""
        span = f"{older}..{newer}" if older else newer
        res = self.git("log", "-1", "--format=%H%x09%an <%ae>", span, "--", top_rel)
        sha, _, who = res.stdout.strip().partition("\t")
        if not sha:
            res = self.git("log", "-1", "--format=%H%x09%an <%ae>", newer)
            sha, _, who = res.stdout.strip().partition("\t")
        return sha, who

    # -- committing ----------------------------------------------------------------
    def ignored(self, top_paths: list[str]) -> set[str]:
        if not top_paths:
            return set()
        res = self.git(
            "check-ignore", "-z", "--stdin", stdin="\0".join(top_paths) + "\0", literal=False
        )  # --stdin paths are taken as written anyway
        return {p for p in res.stdout.split("\0") if p}

    def identity(self, user: str) -> list[str]:
        """``-c`` options naming ``user`` as committer where git has no identity set."""
        if self.config("user.name") and self.config("user.email"):
            return []
        return ["-c", f"user.name={user}", "-c", "user.email=officecli@officecli.invalid"]

    def commit_paths(
        self, paths: list[str], message: str, author: str | None = None, user: str = "officecli"
    ) -> tuple[bool, str | None]:
        """Commit exactly ``paths`` (base-relative); (committed?, git's error line)."""
        tops = [self.top_path(p) for p in paths]
        skip = self.ignored(tops)
        tops = [p for p in dict.fromkeys(tops) if p not in skip]
        if not tops:
            return False, None
        res = self.git("update-index", "--add", "--remove", "-z", "--stdin", stdin="\0".join(tops) + "\0")
        if res.returncode != 0:
            return False, one_line(res)
        head = self.head()
        res = self.git(
            "diff", "--cached", "--name-only", "--no-renames", "-z", head or EMPTY_TREE, "--", *tops
        )
        if res.returncode != 0:
            return False, one_line(res)
        staged = [p for p in res.stdout.split("\0") if p]
        if not staged:
            return False, None
        args = [*self.identity(user), "commit", "-q", "--only", "-F", "-"]
        if author:
            args += ["--author", author]
        res = self.git(*args, "--", *staged, stdin=message)
        if res.returncode != 0:
            return False, one_line(res)
        return True, None

    # -- exchanging ------------------------------------------------------------
    def fetch(self, remote: str) -> str | None:
        res = self.git("fetch", "--quiet", "--no-tags", remote)
        return None if res.returncode == 0 else one_line(res)

    def merge(self, ref: str, settings: dict[str, str]) -> subprocess.CompletedProcess[str]:
        """Merge ``ref`` without committing (a fast-forward is taken as it is)."""
        opts = [x for k, v in settings.items() for x in ("-c", f"{k}={v}")]
        return self.git(*opts, "merge", "--no-commit", "--no-edit", ref)

    def conclude(self, message: str, user: str) -> str | None:
        res = self.git(*self.identity(user), "commit", "-q", "--no-edit", "-F", "-", stdin=message)
        return None if res.returncode == 0 else one_line(res)

    def abort_merge(self) -> None:
        self.git("merge", "--abort")

    def push(self, remote: str, branch: str) -> tuple[str | None, bool]:
        """(git's message or None, whether the remote moved on meanwhile: a push to try
        again after another fetch and merge)."""
        res = self.git("push", "--porcelain", remote, f"HEAD:refs/heads/{branch}")
        if res.returncode == 0:
            return None, False
        text = res.stdout + res.stderr
        moved = any(m in text for m in MOVED_ON)
        for ln in text.splitlines():  # the ref's own line says why: "!<TAB>HEAD:... [rejected] (fetch first)"
            if ln.startswith("!") and "\t" in ln:
                return f"{ln.split(chr(9))[-1].strip()}", moved
        return one_line(res), moved

    # -- an operation of officecli's, in the git dir, until it is finished ------------
    def begin(self, what: str) -> None:
        """Note in the git dir that officecli starts ``what`` here (sync): a SIGKILL in the
        middle leaves the note, and ``interrupted``/``roll_back`` find it."""
        note = {"what": what, "pid": os.getpid(), "head": self.head(), "branch": self.branch()}
        tmp = self.git_dir / f"{MARK}.tmp"
        tmp.write_text(json.dumps(note), "utf-8")
        os.replace(tmp, self.git_dir / MARK)

    def end(self) -> None:
        try:
            os.unlink(self.git_dir / MARK)
        except FileNotFoundError:
            pass

    def interrupted(self, locked: bool = False) -> dict[str, Any] | None:
        """The note of an officecli operation whose process is gone (None: none). ``locked``:
        the caller holds the writer lock every such operation holds, so a note is always a
        dead one's (whatever process has its pid now)."""
        try:
            note = json.loads((self.git_dir / MARK).read_text("utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return {"what": "sync", "pid": 0, "head": None, "branch": None}
        if not isinstance(note, dict):
            return {"what": "sync", "pid": 0, "head": None, "branch": None}
        pid = note.get("pid")
        if isinstance(pid, int) and pid > 0 and not locked and pid != os.getpid() and _alive(pid):
            return None  # still running (the caller holds no lock it shares)
        return note

    def roll_back(self, note: dict[str, Any], wait: float = 3.0) -> list[str]:
        """Back out what an interrupted operation left half done: git's lock files its
        killed processes left (after ``wait`` seconds, for a git that outlived its parent
        to finish), a merge, rebase, cherry-pick or revert stopped half way, unmerged
        paths; the branch checked out again when HEAD was left detached. A commit that
        was made is kept (the next sync pushes it). Returns what was done."""
        done = []
        deadline = time.monotonic() + wait
        locks = self.stale_locks()
        while locks and time.monotonic() < deadline:
            time.sleep(0.1)
            locks = self.stale_locks()
        for lock in locks:
            try:
                os.unlink(lock)
                done.append(f"removed {os.path.relpath(lock, self.git_dir)} (a git killed with it)")
            except FileNotFoundError:
                pass
        op = self.operation()
        brought = self.changed("HEAD", "MERGE_HEAD") if op == "merge" else []
        if op:
            self.git(op, "--abort")
            if self.operation() == op or self.unmerged():
                self.git("reset", "-q", "--merge")
            if self.operation():
                for name, _ in OPERATIONS:
                    path = self.git_dir / name
                    if path.is_dir():
                        shutil.rmtree(path, ignore_errors=True)
                    elif os.path.lexists(path):
                        os.unlink(path)
            done.append(f"backed out the {op} it left half way (git {op} --abort)")
        elif self.unmerged():
            self.git("reset", "-q", "--merge")
            done.append("backed out the unmerged paths it left (git reset --merge)")
        left = set(self.dirty()) & set(brought)  # what the merge wrote that git kept (its stat changed)
        if left:
            known = {p for _m, _b, p in self.tree_files("HEAD")} if self.head() else set()
            self.git("reset", "-q", "HEAD", "--", *left)
            if left & known:
                self.git("checkout", "-q", "HEAD", "--", *sorted(left & known))
            for p in left - known:
                try:
                    os.unlink(self.top / p)
                except FileNotFoundError:
                    pass
        branch = note.get("branch")
        if isinstance(branch, str) and branch and self.branch() is None:
            res = self.git("checkout", "-q", branch)
            if res.returncode == 0:
                done.append(f"checked out {branch} again")
        self.end()
        return done

    def stale_locks(self) -> list[Path]:
        """git's own lock files in this git dir (index, HEAD, the branch refs, config)."""
        found = [self.git_dir / n for n in ("index.lock", "HEAD.lock", "ORIG_HEAD.lock", "config.lock")]
        found += [p for p in self.git_dir.glob("next-index-*.lock")]  # a partial commit's index
        heads = self.git_dir / "refs" / "heads"
        if heads.is_dir():
            found += [Path(f) / n for f, _, names in os.walk(heads) for n in names if n.endswith(".lock")]
        if (self.git_dir / "packed-refs.lock").exists():
            found.append(self.git_dir / "packed-refs.lock")
        return [p for p in found if os.path.lexists(p)]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (killed, not yet reaped by its parent) is gone for our purpose
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except OSError:
        return True


def operation_at(folder: Path) -> str | None:
    """The operation stopped half way in the repository whose top is ``folder`` (its
    ``.git`` a real folder), read from the file system only: no git process."""
    dot = Path(folder) / ".git"
    if not dot.is_dir() or dot.is_symlink():
        return None
    for name, what in OPERATIONS:
        if os.path.lexists(dot / name):
            return what
    return None


def _key_norm(key: str) -> str:
    """git config keys: section and name ignore case, a subsection does not."""
    first, _, rest = key.partition(".")
    sub, _, name = rest.rpartition(".")
    return ".".join(p for p in (first.lower(), sub, name.lower()) if p)
