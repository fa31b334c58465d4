"""sync: the one command cron runs at every site - commit, fetch, merge, check, push.

Step by step, under the writer lock (no command writes while sync runs):

1. **Refuse** (nothing changed, exit 1) while git is in the middle of a merge,
   rebase, cherry-pick or revert or has unmerged paths, in a clone without a
   site code, on a detached HEAD, or when tracked record files have changes
   no command committed (commit them first).
2. **Fetch** the remote (``--remote``, else the branch's upstream remote, else
   ``origin``, else the only one). A network or authentication failure is one
   line, and nothing has changed.
3. **Set up** git for records where it is missing (gitsetup.py: no directory
   rename guessing, renames on, the records merge driver, .gitattributes,
   committed if it had to be written) and **commit** a change an earlier
   command left pending (autocommit.py).
4. **Merge** ``REMOTE/BRANCH`` (never a rebase: history that other sites have
   is never rewritten), without committing, with the settings above on the
   command line too; the merge driver settles each record both sides changed.
5. **Settle by rule** (resolve.py) inside the merge what workflows.yaml's
   ``conflict_rules`` decide and whose losing step has no side effect (a
   record cancelled here and shipped there: shipped wins; two takes: the
   earlier wins), staged with the merge. **Check** what the merge brought
   (mergecheck.py): conflict markers, a record in two folders, a history whose
   last destination is not the file's folder, an unsettled ``conflicts:``
   entry, an unmerged path; a record left for a person is named with
   ``officecli resolve ID [--keep STATE]`` (or ``officecli renumber`` for two
   different records sharing an ID). Then across records (mergedoctor.py):
   negative stock, two live invoices for an order, payroll posted twice,
   two customers with one e-mail or VAT number.
6. **Clean**: the merge is committed (subject, the records it brought,
   trailers) and pushed; nothing is printed (``-v`` says what was done).
   **A record needs a person**: the merge is aborted, so the site keeps
   working as it was (or, with ``keep``, left uncommitted to be settled in
   place: ``officecli resolve`` works inside it, then ``git commit``), and
   one line per record names it, what each side did and how to settle it;
   exit 1, nothing pushed. **Something across records needs a person** (every
   record whole): the merge is committed and pushed, so that the normal
   commands can settle it at any site, and one line each names it; exit 1.
   A push the remote rejects because another site pushed meanwhile is
   retried after another fetch and merge.

A nested repository below the records folder (back/hr with its own ``.git``)
that has a remote is synced the same way, after the company's.

The face prints ``Outcome.lines`` (stderr) and ``Outcome.said`` (with -v) and
exits with ``Outcome.code``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from officecli.office import autocommit, incoming
from officecli.office import site as sites
from officecli.office.sites import gitsetup, mergecheck, twice
from officecli.store import git, yamlio
from officecli.store.errors import UserError
from officecli.store.tree import STATE_DIR

PUSH_TRIES = 3


@dataclass
class Outcome:
    code: int = 0
    lines: list[str] = field(default_factory=list)  # what a person must know (stderr)
    said: list[str] = field(default_factory=list)  # what was done (-v)


def pick_remote(repo: git.Repo, branch: str | None, remote: str | None) -> str:
    names = repo.remotes()
    if remote:
        if remote not in names:
            raise UserError(
                f"--remote {remote}: no such remote in {repo.top} (remotes: {', '.join(names) or 'none'})"
            )
        return remote
    upstream = repo.config(f"branch.{branch}.remote") if branch else None
    if upstream in names:
        return upstream
    if "origin" in names:
        return "origin"
    if len(names) == 1:
        return names[0]
    if not names:
        raise UserError(f"{repo.top}: this repository has no remote to sync with (git remote add origin URL)")
    raise UserError(f"{repo.top}: several remotes ({', '.join(names)}): name one with --remote")


def sync(office, remote: str | None = None, push: bool = True, keep: bool = False) -> Outcome:
    repo = office.repo
    if repo is None:
        raise UserError(
            f"{office.root}: not in a git repository; sync needs a clone "
            "(git clone URL, then officecli site set CODE)"
        )
    twice.mend(repo)  # a site stranded on one file both sides added
    problem = autocommit.busy(repo)
    if problem:
        raise UserError(problem)
    site = sites.require(office)
    autocommit.refuse_incoming(office.root, repo)  # a plain git pull brought what sync refuses
    branch = repo.branch()
    if branch is None:
        raise UserError(f"{repo.top}: HEAD is detached; check out the branch the sites share first")
    name = pick_remote(repo, branch, remote)
    out = Outcome()
    with office.store.locked():
        out.said += office.store.notes
        office.store.notes.clear()
        _sync_repo(office, repo, name, branch, site, push, keep, out, company=True)
        if out.code == 0:
            for sub in nested_repos(office.root):
                problem = git.git_dir_problem(office.root / sub, sub)
                if problem:
                    out.code = 1
                    out.lines.append(f"sync {sub}/: {problem}; nothing was changed there")
                    continue
                nested = git.Repo.find(office.root / sub)
                if nested is None or not nested.remotes() or nested.top == repo.top:
                    continue
                problem = autocommit.busy(nested)
                if problem:
                    out.code = 1
                    out.lines.append(f"sync {sub}/: {problem}")
                    continue
                nb = nested.branch()
                if nb is None:
                    out.code = 1
                    out.lines.append(f"sync {sub}/: HEAD is detached; nothing was changed there")
                    continue
                _sync_repo(
                    office,
                    nested,
                    pick_remote(nested, nb, None),
                    nb,
                    site,
                    push,
                    keep,
                    out,
                    company=False,
                    label=f"{sub}/",
                )
        out.said += office.store.tighten_private()  # git made what it brought 755/644
        incoming.write_mark(office.root, repo.head())  # all sync committed was checked first
    return out


def nested_repos(root: Path) -> list[str]:
    """Folders below ``root`` with their own ``.git`` (relative paths)."""
    found = []
    for folder, dirs, files in os.walk(root):
        rel = os.path.relpath(folder, root)
        if rel != "." and (".git" in dirs or ".git" in files):
            found.append(rel.replace(os.sep, "/"))
        dirs[:] = [d for d in dirs if d not in (".git", STATE_DIR)]
    return found


def _sync_repo(
    office,
    repo: git.Repo,
    remote: str,
    branch: str,
    site: str,
    push: bool,
    keep: bool,
    out: Outcome,
    company: bool,
    label: str = "",
) -> None:
    tag = f"sync {label}" if label else "sync"
    for attempt in range(PUSH_TRIES):
        problem = repo.fetch(remote)
        if problem:
            out.code = 1
            out.lines.append(f"{tag}: git fetch {remote} failed: {problem}; nothing was changed")
            return
        if attempt == 0:
            if not _prepare(office, repo, site, out, company, tag):
                return
        upstream = f"{remote}/{branch}"
        theirs = repo.rev(f"refs/remotes/{upstream}")
        if theirs is not None and not _merge(office, repo, upstream, theirs, site, keep, out, tag, company):
            return
        if not push:
            return
        head = repo.head()
        if head is None or head == repo.rev(f"refs/remotes/{upstream}"):
            return
        problem = repo.push(remote, branch)
        if problem is None:
            out.said.append(f"{tag}: pushed {branch} to {remote}")
            return
        if "rejected" not in problem and "fetch first" not in problem and "non-fast-forward" not in problem:
            out.code = 1
            out.lines.append(
                f"{tag}: merged, but git push {remote} failed: {problem}; the next sync pushes it"
            )
            return
        out.said.append(f"{tag}: {remote} moved on meanwhile; fetching again")
    out.code = 1
    out.lines.append(
        f"{tag}: git push {remote} was rejected {PUSH_TRIES} times (other sites keep "
        "pushing); the next sync tries again"
    )


def _prepare(office, repo: git.Repo, site: str, out: Outcome, company: bool, tag: str) -> bool:
    """Set git up, commit what is pending, refuse uncommitted hand changes."""
    base = Path(repo.base)
    out.said += [f"{tag}: set {s}" for s in gitsetup.ensure_config(repo)]
    if company:
        try:
            new = gitsetup.attributes_text(gitsetup.read_attributes(base))
        except UserError as exc:
            out.code = 1
            out.lines.append(f"{tag}: {exc}; nothing was merged")
            return False
        if new is not None:
            from officecli.store import fsio

            fsio.atomic_replace(base / gitsetup.ATTRIBUTES, new.encode("utf-8"))
            msg = (
                f"sync: name the records merge driver in {gitsetup.ATTRIBUTES}\n\n"
                f"changed {gitsetup.ATTRIBUTES}\n\nOfficecli-Site: {site}\n"
                f"Officecli-User: {office.user_given}\nOfficecli-Records: {gitsetup.ATTRIBUTES}\n"
            )
            problem = autocommit.commit(base, [gitsetup.ATTRIBUTES], msg, office.user_given)
            if problem:
                out.code = 1
                out.lines.append(f"{tag}: could not commit {gitsetup.ATTRIBUTES}: {problem}")
                return False
            out.said.append(f"{tag}: committed {gitsetup.ATTRIBUTES} ({gitsetup.ATTR_LINE})")
        subject, problem = autocommit.commit_pending(office.root)
        if problem:
            out.code = 1
            out.lines.append(
                f"{tag}: an earlier command's change ({subject}) could not be "
                f"committed: {problem}; nothing was merged"
            )
            return False
        if subject:
            out.said.append(f"{tag}: committed an earlier command's change: {subject}")
    dirty = repo.dirty()
    if dirty:
        out.code = 1
        out.lines.append(
            f"{tag}: {len(dirty)} file(s) changed but not committed (first: {dirty[0]}); "
            "commit them (git commit) or undo them (git checkout -- FILE) first; "
            "nothing was merged"
        )
        return False
    return True


def _merge(
    office,
    repo: git.Repo,
    upstream: str,
    theirs: str,
    site: str,
    keep: bool,
    out: Outcome,
    tag: str,
    company: bool = True,
) -> bool:
    """Merge ``upstream`` into HEAD and check it; True when it is committed (or nothing to do)."""
    before = repo.head()
    if before is not None and repo.is_ancestor(theirs, before):
        return True  # nothing new there
    base = repo.git("merge-base", before, theirs).stdout.strip() if before else ""
    refused = incoming.check(repo, base or None, theirs, company)
    if refused:  # before git merge: nothing of it lands
        out.code = 1
        out.lines += [r.line(f"{tag}: {upstream} refused: ") + "; nothing was merged" for r in refused]
        return False
    res = repo.merge(upstream, gitsetup.settings())
    out.said += [f"{tag}: {line}" for line in twice.mend(repo)]  # one file added at both sides
    merging = repo.operation() == "merge"
    after = repo.head()
    if not merging and after == before:
        if res.returncode != 0:
            out.code = 1
            out.lines.append(f"{tag}: git merge {upstream} refused: {git.one_line(res)}; nothing was changed")
            return False
        return True
    if merging:
        changed = repo.changed("--cached", "HEAD")
    else:
        changed = repo.changed(before or git.EMPTY_TREE, after or "HEAD")
    unmerged = set(repo.unmerged())
    changed = list(dict.fromkeys(changed + sorted(unmerged)))
    both = None
    if merging and before is not None:  # what both sides changed gets the full check
        base = repo.git("merge-base", before, theirs).stdout.strip()
        if base:
            both = set(repo.changed(base, before)) & set(repo.changed(base, theirs))
    if merging and company:
        settled = _settle(office, repo, changed, out, tag)
        if settled is None:
            return False
        if settled:
            unmerged = set(repo.unmerged())
            changed = list(dict.fromkeys(repo.changed("--cached", "HEAD") + sorted(unmerged)))
    findings = _check(repo, changed, unmerged, before, theirs, both)
    later: list[str] = []
    if company:
        findings, later = _across(office, changed, findings)
    if findings:
        out.code = 1
        if merging and not keep:
            repo.abort_merge()
            out.lines.append(
                f"{tag}: merge of {upstream} aborted, this clone is as it was, so that "
                f"it keeps working: {len(findings)} record(s) need a person (to settle "
                f"them in place: officecli sync --keep); nothing pushed"
            )
        elif merging:
            out.lines.append(
                f"{tag}: merge of {upstream} kept uncommitted for you to settle: "
                f"{len(findings)} record(s) need a person (settle each as said, then "
                f"git commit and officecli sync; or back out: git merge --abort); "
                "no command writes until then; nothing pushed"
            )
        else:
            out.lines.append(
                f"{tag}: fast-forwarded to {upstream}, which brings "
                f"{len(findings)} record(s) that need a person; nothing pushed"
            )
        out.lines += [f.line for f in findings]
        return False
    records = [p.rpartition("/")[2][:-5] for p in changed if p.endswith(".yaml")]
    if merging:
        shown = ", ".join(records[:40]) + (f" (+{len(records) - 40} more)" if len(records) > 40 else "")
        msg = (
            f"sync: merge {upstream} into site {site}\n\n"
            f"{len(changed)} file(s) merged from {upstream}\n\n"
            f"Officecli-Site: {site}\nOfficecli-User: {office.user_given}\n"
            f"Officecli-Records: {shown}\n"
        )
        problem = repo.conclude(msg, office.user_given)
        if problem:
            out.code = 1
            out.lines.append(
                f"{tag}: the merge of {upstream} is clean but git commit failed: "
                f"{problem}; it is left uncommitted (git commit, or git merge --abort)"
            )
            return False
        out.said.append(f"{tag}: merged {upstream}: {len(changed)} file(s)")
    else:
        out.said.append(f"{tag}: fast-forwarded to {upstream}: {len(changed)} file(s)")
    if later:  # every record is whole: merged (and pushed) so the commands can settle them
        out.code = 1
        head = (
            f"{tag}: merged {upstream}; {len(later)} thing(s) across records need a person "
            "(each line names the command that settles it)"
        )
        for line in [head] + later:
            if line not in out.lines:
                out.lines.append(line)
    return True


def _ids(repo: git.Repo, changed: list[str]) -> set[str]:
    return {p.rpartition("/")[2][:-5] for p in changed if p.endswith(".yaml")}


def _settle(office, repo: git.Repo, changed: list[str], out: Outcome, tag: str) -> bool | None:
    """Settle, inside the merge, what the rules of workflows.yaml decide without side
    effects (resolve.py); True when anything was settled, None when settling failed
    (the merge is aborted, nothing changed)."""
    from officecli.office.sites import resolve

    try:
        said, _ = resolve.settle_by_rule(office, _ids(repo, changed))
    except UserError as exc:
        repo.abort_merge()
        out.code = 1
        out.lines.append(f"{tag}: settling by rule failed: {exc}; the merge was aborted, nothing changed")
        return None
    out.said += [f"{tag}: by rule: {line}" for line in said]
    return bool(said)


def _across(
    office, changed: list[str], findings: list[mergecheck.Finding]
) -> tuple[list[mergecheck.Finding], list[str]]:
    """What the merge brought, checked across records (resolve.py, mergedoctor.py): the
    records it changed, and the products, orders and months those name. A record a rule
    or a person must settle is a finding (it replaces the file check's line for that
    record: one record, one line); what is wrong across whole records (negative stock,
    two live invoices, payroll twice, duplicate customers) is said after the merge is
    committed, for the normal commands to settle."""
    from officecli.office.sites import mergedoctor, resolve

    office.forget()
    try:
        only = mergedoctor.touched(
            office, {p.rpartition("/")[2][:-5] for p in changed if p.endswith(".yaml")}
        )
        cases = resolve.cases(office, only)
        later = [line for _, line in mergedoctor.across(office, only, {c.id for c in cases})]
        later += [line for _, line in twice.lines(office, only)]  # goods or money moved twice
    except UserError as exc:
        return findings + [
            mergecheck.Finding("", f"the records could not be checked across the merge: {exc}")
        ], []
    named = {c.id for c in cases}
    kept = [f for f in findings if f.record not in named]
    return kept + [mergecheck.Finding(c.id, c.line()) for c in cases], later


def _check(
    repo: git.Repo,
    changed: list[str],
    unmerged: set[str],
    ours: str | None,
    theirs: str,
    both: set[str] | None = None,
) -> list[mergecheck.Finding]:
    base = Path(repo.base)
    both_rel = None if both is None else {r for r in (repo.rel(p) for p in both) if r is not None}
    files: dict[str, str | None] = {}
    unmerged_rel: set[str] = set()
    for top in changed:
        rel = repo.rel(top)
        if rel is None or rel.startswith(STATE_DIR + "/"):
            continue
        if top in unmerged:
            unmerged_rel.add(rel)
        try:
            files[rel] = (base / rel).read_text("utf-8")
        except FileNotFoundError:
            files[rel] = None
        except (OSError, UnicodeDecodeError):
            files[rel] = "<<<<<<< unreadable\n"
    wanted = {p.rpartition("/")[2][:-5] for p in files if p.endswith(".yaml")}
    everywhere = _where(base, wanted)
    return mergecheck.check(
        files, everywhere, unmerged_rel, _Sides(repo, ours), _Sides(repo, theirs), both_rel
    )


def _where(base: Path, names: set[str]) -> dict[str, list[str]]:
    """Record ID -> every path it has in the tree (only the IDs asked for)."""
    out: dict[str, list[str]] = {}
    if not names:
        return out
    for folder, dirs, files in os.walk(base):
        rel = os.path.relpath(folder, base)
        if rel == ".":
            dirs[:] = [d for d in dirs if d not in (".git", STATE_DIR)]
        for f in files:
            if f.endswith(".yaml") and f[:-5] in names:
                out.setdefault(f[:-5], []).append(f if rel == "." else f"{rel}/{f}".replace(os.sep, "/"))
    return out


class _Sides(dict):
    """Record ID -> what one side (a commit) last did to it, looked up on demand."""

    def __init__(self, repo: git.Repo, rev: str | None):
        super().__init__()
        self.repo, self.rev = repo, rev
        self._paths: dict[str, str] | None = None

    def get(self, rid, default=None):
        if rid not in self:
            self[rid] = self._describe(rid) or default
        return self[rid]

    def _describe(self, rid: str) -> str | None:
        if self.rev is None:
            return None
        if self._paths is None:
            res = self.repo.git("ls-tree", "-r", "--name-only", "-z", self.rev, "--", self.repo.prefix or ".")
            self._paths = {
                p.rpartition("/")[2][:-5]: p for p in res.stdout.split("\0") if p.endswith(".yaml")
            }
        top = self._paths.get(rid)
        if top is None:
            return "no such record"
        rel = self.repo.rel(top) or top
        owner = mergecheck.kind_of(rel)
        state = owner[1] if owner else rel.rpartition("/")[0]
        try:
            data = yamlio.loads(self.repo.show(self.rev, top) or "")
        except yamlio.YAMLError:
            return f"{state} (unreadable)"
        history = data.get("history") if isinstance(data, dict) else None
        last = history[-1] if isinstance(history, list) and history else None
        if isinstance(last, dict):
            return f"{state} ({last.get('action')} by {last.get('by')} at {last.get('at')})"
        return state
