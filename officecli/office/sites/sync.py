"""sync: the one command cron runs at every site - commit, fetch, merge, check, push.

Step by step, under the writer lock (no command writes, and no other sync runs,
while sync runs):

0. **Recover** (``recover``): a sync killed half way (SIGKILL, power loss) left a
   note in the repository's git dir (``git.Repo.begin``); the next sync (or
   ``doctor --repair``) backs out what it left, in the company's repository and
   in back/hr alike: git's lock files of the killed git (``index.lock``, a
   branch's ``.lock``), a merge (MERGE_HEAD) or other operation stopped half
   way, unmerged paths, a detached HEAD. A merge commit it made is kept (pushed
   now); a command's change left pending is committed in step 3. Writers that
   meet such a state are refused with one line naming the repository and
   ``officecli sync`` / ``officecli doctor --repair``.
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
   two customers with one e-mail or VAT number. A case the rule decides whose
   undo needs another site's series (a credit note) is **handed** to that site:
   the merge is taken (the record whole), one line names it (exit 0), and the
   owner's next sync settles it and pushes (resolve.py ``settle_owned``).
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

7. **Never push an unsettled state** (``_unsettled``): before a push, the
   record files HEAD has and the remote lacks (a diff-tree of that range) are
   looked at; one with git's conflict markers or a ``conflicts:`` entry (a
   ``sync --keep`` merge committed by hand before it was settled) stops the
   push with one line naming it; exit 1.
8. **Push**, and when the remote rejects it because another site pushed first,
   fetch, merge with the same checks and push again (``PUSH_TRIES`` times,
   spread by a short random wait): three sites syncing at once all succeed.

A nested repository below the records folder (back/hr with its own ``.git``)
that has a remote is part of the same sync: synced the same way after the
company's, also when the company's stopped (both outcomes are said), and its
branch compared with its remote's (hr_repo.heads: main vs master, histories
made apart).

Hooks for more checks: a refusal before anything merges goes beside
``incoming.check`` in ``_merge``; a check of what a merge brought goes in
``_across`` (records) or ``_check`` (files); work a sync does for others at the
start goes after ``recover`` in ``sync``.

Speed: only what the merge changed is checked (``git diff`` of the merge range,
never a walk of the tree's records); a fast-forward (every file one side's
text, whole, already merged and checked where it was made) gets the file
checks by a quick look and no across-record checks.

The face prints ``Outcome.lines`` (stderr) and ``Outcome.said`` (with -v) and
exits with ``Outcome.code``.
"""

from __future__ import annotations

import os
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from officecli.office import autocommit, incoming
from officecli.office import site as sites
from officecli.office.people import hr_repo
from officecli.office.sites import gitsetup, inmerge, mergecheck, periodcheck, twice
from officecli.office.workflows import PRIVATE
from officecli.store import fsio, git, seal, yamlio
from officecli.store.errors import UserError
from officecli.store.tree import STATE_DIR

PUSH_TRIES = 6  # a push the remote rejects (another site pushed first): fetch, merge, push again
RECORD_CAP = 8 << 20
_CONFLICTS_KEY = re.compile(r"^conflicts:", re.M)


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
    site = sites.require(office)
    # what a plain git pull brought that sync refuses: before the lock, whose recovery would
    # apply a journal it planted in .officecli/txn
    autocommit.refuse_incoming(office.root, repo)
    out = Outcome()
    with office.store.locked():  # no writer, and no other sync, until this one is done
        out.said += office.store.notes
        office.store.notes.clear()
        out.said += twice.mend(repo)  # a site stranded on one record file both sides added
        nested = _nested(office, repo, out)
        out.said += recover(office.root, [("", repo)] + [(f"{sub}/", r) for sub, r in nested])
        checked = _sync_company(office, repo, remote, site, push, keep, out)
        company = (out.code, len(out.lines))
        for sub, inner in nested:  # HR's repository is part of the same sync, whatever the company's did
            before = len(out.lines)
            _sync_nested(office, inner, f"{sub}/", site, push, keep, out)
            if company[0] and len(out.lines) == before:
                out.lines.append(
                    f"sync {sub}/: in step with its remote (synced although the company's sync stopped)"
                )
            elif not company[0] and len(out.lines) > before:
                out.lines.insert(company[1], f"sync: the company's records are in step; {sub}/ is not:")
        out.said += office.store.tighten_private()  # git made what it brought 755/644
        if checked:  # (never past what a plain git pull brought and sync refused)
            incoming.write_mark(office.root, repo.head())  # all sync committed was checked first
    return out


def recover(root: Path, repos: list[tuple[str, git.Repo]]) -> list[str]:
    """Finish or back out what a sync killed half way left in each repository (the company's
    and back/hr): called under the writer lock by sync and by ``doctor --repair``. A merge
    or any stopped git operation is backed out, git's lock files of a killed git removed, a
    commit made is kept (the next sync pushes it); a change a command left pending is
    committed by the sync that follows."""
    said = []
    for label, r in repos:
        note = r.interrupted(locked=True)
        if note is None:
            continue
        done = r.roll_back(note)
        said.append(
            f"{label or 'the company repository'}: finished what an interrupted "
            f"{note.get('what') or 'sync'} left: {'; '.join(done) or 'nothing was half done'}"
        )
    return said


def interrupted_line(label: str, repo: git.Repo) -> str | None:
    """One line for a repository a killed sync left half way (None: none)."""
    note = repo.interrupted()
    if note is None:
        return None
    op = repo.operation()
    state = f"in the middle of a {op}" if op else "with git's work half done"
    return (
        f"{label or repo.top}: an interrupted {note.get('what') or 'sync'} left it {state}: "
        "'officecli sync' or 'officecli doctor --repair' backs it out"
    )


def _nested(office, repo: git.Repo, out: Outcome) -> list[tuple[str, git.Repo]]:
    """The repositories of their own below the records folder (back/hr) that sync carries."""
    found = []
    for sub in nested_repos(office.root):
        problem = git.git_dir_problem(office.root / sub, sub)
        if problem:
            out.code = 1
            out.lines.append(f"sync {sub}/: {problem}; nothing was changed there")
            continue
        inner = git.Repo.find(office.root / sub)
        if inner is None or not inner.remotes() or inner.top == repo.top:
            continue
        found.append((sub, inner))
    return found


def _sync_company(office, repo: git.Repo, remote, site: str, push: bool, keep: bool, out: Outcome) -> bool:
    """Sync the company's repository; False when it was refused before anything was checked."""
    try:
        problem = autocommit.busy(repo)
        if problem:
            raise UserError(problem)
        branch = repo.branch()
        if branch is None:
            raise UserError(f"{repo.top}: HEAD is detached; check out the branch the sites share first")
        name = pick_remote(repo, branch, remote)
    except UserError as exc:
        out.code = 1
        out.lines.append(str(exc))
        return False
    _guarded(
        repo, "sync", lambda: _sync_repo(office, repo, name, branch, site, push, keep, out, company=True)
    )
    return True


def _sync_nested(
    office, inner: git.Repo, label: str, site: str, push: bool, keep: bool, out: Outcome
) -> None:
    problem = autocommit.busy(inner)
    nb = inner.branch()
    if problem or nb is None:
        out.code = 1
        out.lines.append(f"sync {label}: {problem or 'HEAD is detached; nothing was changed there'}")
        return
    try:
        name = pick_remote(inner, nb, None)
    except UserError as exc:
        out.code = 1
        out.lines.append(f"sync {label}: {exc}")
        return
    _guarded(
        inner,
        "sync",
        lambda: _sync_repo(office, inner, name, nb, site, push, keep, out, company=False, label=label),
    )
    if label.rstrip("/") in PRIVATE:
        for line in hr_repo.heads(office.root):
            out.code = 1
            out.lines.append(f"sync {label}: {line.partition(': ')[2]}")


def _guarded(repo: git.Repo, what: str, step) -> None:
    """Run ``step`` with officecli's note in the git dir: a kill in the middle leaves it, and
    the next sync or ``doctor --repair`` backs out what it left (``recover``)."""
    repo.begin(what)
    try:
        step()
    except BaseException:  # a bug or ^C half way: back out, as the next sync would
        repo.roll_back({"branch": repo.branch()}, wait=0)
        raise
    repo.end()  # done (a merge --keep left is a person's now)


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
    upstream = f"{remote}/{branch}"
    for attempt in range(PUSH_TRIES):
        if attempt:
            time.sleep(random.uniform(0.05, 0.3) * attempt)  # three sites pushing at once: spread them
        problem = repo.fetch(remote)
        if problem:
            out.code = 1
            out.lines.append(f"{tag}: git fetch {remote} failed: {problem}; nothing was changed")
            return
        if attempt == 0:
            if not _prepare(office, repo, site, out, company, tag):
                return
        theirs = repo.rev(f"refs/remotes/{upstream}")
        if theirs is not None and not _merge(office, repo, upstream, theirs, site, keep, out, tag, company):
            return
        autocommit.crash_point("sync-merged")
        if not push:
            return
        head = repo.head()
        if head is None or head == theirs:
            return
        unsettled = _unsettled(repo, theirs, head, office if company else None)
        if unsettled:
            out.code = 1
            out.lines.append(f"{tag}: {unsettled}; nothing pushed")
            return
        problem, moved = repo.push(remote, branch)
        if problem is None:
            out.said.append(f"{tag}: pushed {branch} to {remote}")
            return
        if not moved:
            out.code = 1
            out.lines.append(
                f"{tag}: merged, but git push {remote} failed: {problem}; the next sync pushes it"
            )
            return
        out.said.append(f"{tag}: {remote} moved on meanwhile ({problem}); fetching and merging again")
    out.code = 1
    out.lines.append(
        f"{tag}: git push {remote} was rejected {PUSH_TRIES} times (other sites kept "
        "pushing); what is merged here is committed, the next sync pushes it"
    )


def _unsettled(repo: git.Repo, theirs: str | None, head: str, office=None) -> str | None:
    """Why HEAD must not be pushed: a record committed here (since ``theirs``) with git's
    conflict markers or an unsettled ``conflicts:`` entry (a ``sync --keep`` merge
    committed before it was settled); None when every such record is settled. A
    ``conflicts:`` entry handed to the site that owns the series its settling needs
    (resolve.py ``series_site``) is pushed: that site's next sync settles it."""
    changes = [c for c in repo.tree_changes(theirs, head) if c[0] != "D" and c[3].endswith(".yaml")]
    if not changes:
        return None
    blobs = repo.blobs([c[2] for c in changes], RECORD_CAP)
    bad = []
    for _status, _mode, sha, top in changes:
        blob = blobs.get(sha)
        text = blob.decode("utf-8", "replace") if blob is not None else ""
        if mergecheck.CONFLICT_MARKER.search(text):
            bad.append(f"{top} (conflict markers)")
        elif _CONFLICTS_KEY.search(text):
            bad.append(f"{top} (an unsettled conflicts: entry)")
    if bad and office is not None:
        handed = _handed(office, {b.rpartition("/")[2].split(".yaml")[0] for b in bad if "conflicts:" in b})
        bad = [b for b in bad if b.rpartition("/")[2].split(".yaml")[0] not in handed or "markers" in b]
    if not bad:
        return None
    rid = bad[0].rpartition("/")[2].split(".yaml")[0]
    return (
        f"{len(bad)} record(s) committed here unsettled, never pushed: {bad[0]}"
        f"{f' (+{len(bad) - 1} more)' if len(bad) > 1 else ''}; settle it (officecli resolve "
        f"{rid}, or edit it), git commit, then officecli sync"
    )


def _handed(office, ids: set[str]) -> set[str]:
    """Of ``ids``, the records whose case another site settles (it owns the series)."""
    from officecli.office.sites import resolve

    if not ids:
        return set()
    office.forget()
    try:
        return {
            c.id
            for c in resolve.cases(office, ids)
            if c.settleable and c.undo and resolve.series_site(office, c)
        }
    except UserError:
        return set()


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
    late = periodcheck.merge_lines(repo, before, theirs, base or None) if company else []
    if late:  # a posting into a period closed elsewhere, a second closing entry: nothing lands
        out.code = 1
        out.lines += [f"{tag}: {upstream} refused: {line}; nothing was merged" for line in late]
        return False
    res = repo.merge(upstream, gitsetup.settings())
    out.said += [f"{tag}: {line}" for line in twice.mend(repo)]  # one file added at both sides
    merging = repo.operation() == "merge"
    autocommit.crash_point("sync-merging" if company else "sync-merging-nested")  # (tests: a kill here)
    after = repo.head()
    if not merging and after == before:
        if res.returncode != 0:
            out.code = 1
            why = git.one_line(res)
            if "unrelated histories" in why and not company:
                why += " (this repository was made apart from its remote's: 'officecli hr git-init --remote URL' takes the remote's history and keeps this site's files)"
            out.lines.append(f"{tag}: git merge {upstream} refused: {why}; nothing was changed")
            return False
        return True
    if merging:
        changed = repo.changed("--cached", "HEAD")
    else:
        changed = repo.changed(before or git.EMPTY_TREE, after or "HEAD")
    unmerged = _settle_seals(repo, set(repo.unmerged()))
    changed = list(dict.fromkeys(changed + sorted(unmerged)))
    both: set[str] | None = None if merging else set()  # a fast-forward: every file is theirs, whole
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
    handed: list[str] = []  # cases another site settles (it owns the series they need)
    if company:  # a fast-forward too: a commit made by hand (or a plain pull) was pushed unchecked;
        # what the other sites handed to this one is settled after it, by _settle_owned
        findings, later = _across(office, changed, findings, handed, owned=not merging)
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
    out.lines += [f"{tag}: {line}" for line in handed]
    if company:
        _settle_owned(office, changed, out, tag)
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


def _settle_seals(repo: git.Repo, unmerged: set[str]) -> set[str]:
    """Settle the unmerged seals (``.seal``: what a closed folder's files were) name by
    name (store/seal.py merge3) and stage them; the paths still unmerged."""
    for top in sorted(p for p in unmerged if p.rsplit("/", 1)[-1] == seal.NAME):
        merged = seal.merge3(*(repo.show(f":{stage}", top) for stage in (1, 2, 3)))
        if merged is None:
            continue
        fsio.atomic_replace(repo.top / top, merged.encode("utf-8"))
        if repo.git("add", "--", top).returncode == 0:
            unmerged.discard(top)
    return unmerged


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


def _settle_owned(office, changed: list[str], out: Outcome, tag: str) -> None:
    """At the site that owns a series: settle what other sites handed to it (resolve.py
    settle_owned), committed like any command's change and pushed with the merge."""
    from officecli.office.sites import resolve

    try:
        said = resolve.settle_owned(office, _touched(office, changed))
    except UserError as exc:
        out.code = 1
        out.lines.append(f"{tag}: settling what was handed to this site failed: {exc}")
        return
    out.said += [f"{tag}: handed to this site: {line}" for line in said]


def _touched(office, changed: list[str]) -> set[str]:
    from officecli.office.sites import mergedoctor

    office.forget()
    return mergedoctor.touched(office, {p.rpartition("/")[2][:-5] for p in changed if p.endswith(".yaml")})


def _across(
    office,
    changed: list[str],
    findings: list[mergecheck.Finding],
    handed: list[str] | None = None,
    owned: bool = False,
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
        paths = {
            p.rpartition("/")[2][:-5]: p
            for p in (office.repo.rel(t) for t in changed)
            if p and p.endswith(".yaml")
        }
        only = mergedoctor.touched(office, set(paths), paths)
        cases = resolve.cases(office, only)
        later = [line for _, line in mergedoctor.across(office, only, {c.id for c in cases})]
        later += [line for _, line in twice.lines(office, only)]  # goods or money moved twice
    except UserError as exc:
        return findings + [
            mergecheck.Finding("", f"the records could not be checked across the merge: {exc}")
        ], []
    named = {c.id for c in cases}
    kept = [f for f in findings if f.record not in named]
    owners = {c.id: resolve.series_site(office, c) for c in cases if c.settleable and c.undo}
    if handed is not None:  # the series' owner settles these: the merge is taken
        for c in cases:
            if owners.get(c.id):
                handed.append(resolve.handed_line(c, owners[c.id]))
                inmerge.stage(office, c.paths)  # whole, its conflicts: entry kept for the owner
        cases = [c for c in cases if not owners.get(c.id)]
    if owned:  # a fast-forward brought what another site handed here: settled after it
        cases = [c for c in cases if not resolve.owned_here(office, c)]
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
