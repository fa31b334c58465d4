"""Pay out of the company repository: back/hr ignored, its own repository, and doctor's checks.

What is private to HR (pay records, payroll runs, leave) lives under
``back/hr/``. The company repository, which every site clones, must never
hold it:

* the records folder's ``.gitignore`` lists ``back/hr/`` (``officecli init``
  writes it, ``officecli hr migrate`` and ``hr git-init`` add it to an older
  one: ``ensure_ignored``);
* ``git_init`` (``officecli hr git-init [--remote URL]``) makes ``back/hr``
  a git repository of its own (folder and ``.git`` mode 0700) with its own
  remote, which only HR can reach, and a first commit of what is there. It
  writes ``back/hr/.gitignore`` (officecli's temp files stay out of it too).
  Committing into it afterwards (autocommit) and carrying it (sync) route
  paths under back/hr to this repository; that routing is git's side of
  officecli (store/git.py), not here;
* ``check`` is doctor's part: a ``back/hr`` this user cannot read is said
  once ("back/hr: permission denied: pay is private to HR") instead of as
  many false problems as there are records that look missing; employee
  files still in the old layout name ``officecli hr migrate``; HR files
  tracked by the company repository, or ever committed to it, are reported
  with how to purge them (said, never run: rewriting history is a decision
  for a person); a pay record must belong to an employee.
"""

from __future__ import annotations

import os

from officecli.office import site as sites
from officecli.office.people import hr
from officecli.office.problems import Problem
from officecli.office.workflows import kind
from officecli.store import fsio, git, subrepo
from officecli.store.errors import UserError

PRIVATE = hr.PRIVATE_TOP  # back/hr
IGNORE_LINE = f"{PRIVATE}/"
IGNORE_BLOCK = (
    "# pay, payroll runs and leave are private to HR: never in the company's repository\n"
    "# ('officecli hr git-init' makes back/hr a repository of its own)\n"
    f"{IGNORE_LINE}\n"
)
INNER_IGNORE = "# officecli's temp files of an interrupted write never belong in a commit\n.*.tmp-*\n"


def ensure_ignored(text: str | None) -> str | None:
    """The records folder's .gitignore with back/hr/ in it; None when it is there already."""
    text = text or ""
    for line in text.splitlines():
        if line.strip().rstrip("*").rstrip("/") in (PRIVATE, "/" + PRIVATE):
            return None
    if text and not text.endswith("\n"):
        text += "\n"
    return text + IGNORE_BLOCK


def ignore_in_change(office) -> bool:
    """Add back/hr/ to the records .gitignore inside the open change; True if it did."""
    rel = ".gitignore"
    exists = (office.root / rel).exists()
    new = ensure_ignored(office.store.read_text(rel) if exists else None)
    if new is None:
        return False
    (office.txn.replace if exists else office.txn.create)(rel, new)
    return True


def git_init(office, remote: str | None = None) -> list[str]:
    """Make back/hr a git repository of its own; return what was done, one line each."""
    if remote is not None and (
        not remote.strip() or remote.strip().startswith("-") or any(c in remote for c in "\n\r\0")
    ):
        raise UserError(f"--remote {remote!r}: not a git remote URL or path")
    if not subrepo.available():
        raise UserError("git is not installed: 'officecli hr git-init' needs it")
    hr.require_private(office, "pay", "payroll", "leave")
    problem = git.git_dir_problem(office.root / PRIVATE, PRIVATE)  # a link or gitfile leading out
    if problem:
        raise UserError(f"{problem}; nothing was changed")
    done: list[str] = []
    office.untracks_private = True  # the command that moves pay out of the company repository
    with office.change(f"hr git-init: {PRIVATE}/ is a repository of its own, ignored by this one"):
        office.store.make_dir(PRIVATE)
        inner = office.root / PRIVATE / ".gitignore"
        if not inner.exists():
            fsio.atomic_create(inner, INNER_IGNORE.encode("utf-8"), 0o600)
            done.append(f"{PRIVATE}/.gitignore: written")
        try:
            done += subrepo.make(
                office.root,
                PRIVATE,
                remote.strip() if remote else None,
                office.user_given,
                "officecli hr git-init: HR's private records",
                branch=office.repo.branch() if office.repo is not None else None,
            )
        except UserError:
            raise
        except Exception as exc:
            detail = (getattr(exc, "stderr", "") or str(exc)).strip().splitlines()
            raise UserError(f"{PRIVATE}/: git failed: {detail[-1] if detail else exc}") from None
        if ignore_in_change(office):
            done.append(f".gitignore: {IGNORE_LINE} added (the company repository ignores it)")
    still = subrepo.tracked(office.root, PRIVATE)
    if still:
        done.append(
            f"warning: {len(still)} file(s) under {PRIVATE}/ are still tracked by the company "
            f"repository: 'officecli doctor' says how to purge them"
        )
    return done


# -- doctor ------------------------------------------------------------------------


def check(store, said: list) -> list:
    """doctor's HR checks: ``said`` (doctor's problems so far) with what this module
    knows better replaced, and its own problems added."""

    root = store.root
    out = list(said)
    try:
        with os.scandir(root / PRIVATE):
            pass
        readable = True
    except PermissionError:
        readable = False
    except OSError:
        readable = True  # not there: nothing private here (a clone)
    old = _old_layout(root) if readable else False
    nested = subrepo.is_repo(root / PRIVATE) if readable else False

    def mine(p) -> bool:
        where = p.where.split(":", 1)[0]
        if nested and where.startswith(f"{PRIVATE}/.git/"):
            return True  # the nested repository's own files
        if old and where.startswith(hr.OLD_LAYOUT + "/"):
            return True  # said once below, with the command that fixes it
        if old and "ref: no record EMP-" in p.message:
            return True  # employees not found until they are migrated
        if not readable and where.startswith(PRIVATE):
            return True
        return False

    out = [p for p in out if not mine(p)]
    if not readable:
        out.append(Problem(PRIVATE, hr.DENIED))
        return out + _git_problems(root)
    if old:
        out.append(
            Problem(
                hr.OLD_LAYOUT + "/",
                "employee files in the old layout (the salary "
                "inside the employee's record): run 'officecli hr migrate' to split "
                "them into back/staff/ (public) and back/hr/pay/ (private)",
            )
        )
    out += _pay_problems(store)
    return out + _git_problems(root)


def _site_code(root) -> str | None:
    try:
        return sites.find(root, None).code
    except Exception:  # a bad code is doctor's own line elsewhere
        return None


def _old_layout(root) -> bool:
    for state in hr.OLD_STATES:
        try:
            if any(n.endswith(".yaml") for n in os.listdir(root / hr.OLD_LAYOUT / state)):
                return True
        except OSError:
            continue
    return False


def _pay_problems(store) -> list:
    """A pay record is the pay of an employee that exists (read from the file, not the
    cache); where HR keeps pay here, every current employee has one."""

    out = []
    staff = {
        rel.rpartition("/")[2][:-5]: state
        for state, pattern in kind("employee").states.items()
        for rel in store.glob(pattern)
    }
    paid = set()
    here = _site_code(store.root)
    for rel in store.glob(kind("pay").states["current"]):
        name = rel.rpartition("/")[2][:-5]
        emp = hr.employee_id(name)
        paid.add(emp)
        if emp and emp not in staff:
            out.append(
                Problem(
                    rel,
                    f"pay: no employee {emp} in back/staff/ (a pay record is the pay "
                    "of one employee, PAY-A-0003 of EMP-A-0003)",
                )
            )
            continue
        try:
            data = store.parse(rel, store.read_text(rel))
        except UserError:
            continue  # doctor's record checks say what is wrong with it
        if isinstance(data, dict) and data.get("employee") not in (None, emp):
            out.append(Problem(rel, f"employee: {data.get('employee')!r}, but {name} is the pay of {emp}"))
    if paid:  # HR keeps pay at this site
        for emp, state in sorted(staff.items()):
            if state == "active" and emp not in paid:
                out.append(
                    Problem(
                        f"back/staff/active/{emp}.yaml",
                        f"no pay record (back/hr/pay/"
                        f"{hr.pay_id(emp)}.yaml): payroll runs refuse until it is here; "
                        + hr.missing_pay(emp, here),
                    )
                )
    return out


def heads(root) -> list[str]:
    """Where this site's HR repository and HR's remote part ways (doctor and sync say it)."""
    return [
        f"HR's repository: {why}; pay made at one site never reaches the other: at the "
        "site that differs run 'officecli hr git-init --remote URL' (takes the remote's "
        "history, keeps its files), then 'officecli sync'"
        for why in subrepo.head_problems(root / PRIVATE)
    ]


def _git_problems(root) -> list:

    top = subrepo.prefix(root)
    if top is None:  # no git, or not in a repository
        return []
    tracked = subrepo.tracked(root, PRIVATE, top) or []
    out = []
    if tracked:
        out.append(
            Problem(
                PRIVATE + "/",
                f"{len(tracked)} private HR file(s) tracked by the company's "
                f"git repository (e.g. {tracked[0]}): everyone with a clone can read them; "
                f"untrack them with 'git rm -r --cached {top}{PRIVATE}' and commit (the "
                "files stay on disk), then purge the history",
            )
        )
    out += [Problem(PRIVATE + "/", line) for line in heads(root)]
    commits = subrepo.in_history(root, PRIVATE, top) or []
    if commits:
        out.append(
            Problem(
                PRIVATE + "/",
                f"private HR files are in the company repository's history "
                f"({len(commits)} commit(s), latest {commits[0][:10]}): every clone and remote "
                f"keeps them; rewrite the history with a tool such as 'git filter-repo --path "
                f"{top}{PRIVATE} --invert-paths' (at the repository's top), force-push, and "
                "have every site clone afresh (officecli does not do this for you)",
            )
        )
    return out
