"""Making a new office: the folder tree of every workflow, office.yaml and .gitignore."""

from __future__ import annotations

from pathlib import Path

from officecli.office import site as sites
from officecli.office.config import default_office
from officecli.office.people.hr_repo import IGNORE_BLOCK
from officecli.office.sites import gitsetup
from officecli.office.workflows import PRIVATE, kinds
from officecli.store import fsio, git, ids, yamlio
from officecli.store.errors import UserError
from officecli.store.tree import STATE_DIR, Store

GITIGNORE = (
    f"# officecli's lock, journal and cache: local to this clone\n{STATE_DIR}/\n" + IGNORE_BLOCK
)  # and back/hr/: pay is private to HR

HEADER = """\
# office.yaml: this company's settings (officecli init wrote it; edit freely).
# sites: every site's code and name. Which site a clone is, is the clone's own
# setting: 'officecli site' shows it, 'officecli site set CODE' sets it.
"""


def static_folders() -> list[str]:
    """Every state folder, cut before its first {year}/{month} hole."""
    out = []
    for k in kinds().values():
        for pattern in k.states.values():
            static = pattern.split("/{", 1)[0]
            if static not in out:
                out.append(static)
    return out


def _office_above(path: Path) -> Path | None:
    """The office whose tree ``path`` would sit in (a folder above holding office.yaml
    or records/office.yaml), or None."""
    for folder in Path(path).resolve().parents:
        for candidate in (folder, folder / "records"):
            if (candidate / "office.yaml").is_file():
                return candidate
    return None


def init_office(
    path: Path, name: str | None = None, currency: str = "EUR", site: str = "A", site_name: str | None = None
) -> Path:
    """Make a new office at ``path``: the folders, office.yaml (with ``site`` in its
    ``sites:`` table) and .gitignore; this clone's site is ``site`` (office/site.py).

    Inside a git work tree the office is made for git: autocommit on, the clone's
    git set up for records (gitsetup.py), and the new files committed."""
    path = Path(path)
    for candidate in (path, path / "records"):
        if (candidate / "office.yaml").exists():
            raise UserError(
                f"{candidate / 'office.yaml'}: this folder already holds an office; "
                "officecli init never touches one"
            )
    if path.exists() and not path.is_dir():
        raise UserError(f"{path}: exists and is not a folder")
    outer = _office_above(path)
    if outer is not None:  # its tree, its git repository and its site code stay as they are
        raise UserError(
            f"{path}: inside the office at {outer} (office.yaml); officecli init never "
            "touches an existing office: make the new one outside it"
        )
    ids.check_site(site)
    if name is not None:
        from officecli.office.records import text_problem

        problem = "must not be empty" if not name.strip() else text_problem("str", name)
        if problem:
            raise UserError(f"--name {name!r}: {problem} (leave --name out to use the folder's name)")
    if not (currency.isalpha() and currency.isupper() and len(currency) == 3):
        raise UserError(f"--currency {currency!r}: not an ISO 4217 code such as EUR")
    if site_name is not None:
        from officecli.office.records import text_problem

        problem = "must not be empty" if not site_name.strip() else text_problem("str", site_name)
        if problem:
            raise UserError(f"--site-name {site_name!r}: {problem}")
    in_git = git.in_work_tree(path if path.exists() else path.resolve().parent)
    fsio.make_dirs(path.resolve())
    repo = git.Repo.find(path) if in_git else None
    store = Store(path, PRIVATE)
    for folder in static_folders():
        store.make_dir(folder)
    settings = default_office(
        name or path.resolve().name, currency, site, site_name, autocommit=repo is not None
    )
    fsio.atomic_create(path / "office.yaml", (HEADER + yamlio.dumps(settings)).encode("utf-8"))
    made = ["office.yaml"]
    if not (path / ".gitignore").exists():
        fsio.atomic_create(path / ".gitignore", GITIGNORE.encode("utf-8"))
        made.append(".gitignore")
    if repo is None:
        fsio.make_dirs(path / STATE_DIR)
        fsio.atomic_replace(path / STATE_DIR / sites.FILE, f"{site}\n".encode())
        return path
    attrs = path / gitsetup.ATTRIBUTES
    new = gitsetup.attributes_text(attrs.read_text("utf-8") if attrs.is_file() else None)
    if new is not None:
        fsio.atomic_replace(attrs, new.encode("utf-8"))
        made.append(gitsetup.ATTRIBUTES)
    problem = repo.set_config(sites.GIT_KEY, site)
    if problem:
        raise UserError(f"git config {sites.GIT_KEY} {site}: {problem}")
    gitsetup.ensure_config(repo)
    from officecli.office.autocommit import commit

    subject = f"init: {settings['company']['name']} (site {site})"
    body = (
        f"{subject}\n\n"
        + "".join(f"created {p}\n" for p in made)
        + f"\nOfficecli-Site: {site}\nOfficecli-User: {_user()}\nOfficecli-Records: office.yaml\n"
    )
    problem = commit(path, made, body, _user())
    if problem:
        raise UserError(f"{path}: made the office, but git commit failed: {problem}")
    return path


def _user() -> str:
    import os

    from officecli.office.core import login_name

    return os.environ.get("OFFICECLI_USER") or login_name()
