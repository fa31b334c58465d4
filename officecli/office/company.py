"""Making a new office: the folder tree of every workflow, office.yaml and .gitignore."""
from __future__ import annotations

from pathlib import Path

from officecli.store import fsio, ids, yamlio
from officecli.store.errors import UserError
from officecli.store.tree import STATE_DIR, Store

from .config import default_office
from .hr_repo import IGNORE_BLOCK
from .workflows import PRIVATE, kinds

GITIGNORE = (f"# officecli's lock, journal and cache: local to this clone\n{STATE_DIR}/\n"
             + IGNORE_BLOCK)       # and back/hr/: pay is private to HR

HEADER = """\
# office.yaml: this company's settings (officecli init wrote it; edit freely).
# company.site is this clone's site code; a clone at another site overrides it
# in .officecli/site (not versioned) or with $OFFICECLI_SITE.
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


def init_office(path: Path, name: str | None = None, currency: str = "EUR",
                site: str = "A") -> Path:
    path = Path(path)
    for candidate in (path, path / "records"):
        if (candidate / "office.yaml").exists():
            raise UserError(f"{candidate / 'office.yaml'}: this folder already holds an office; "
                            "officecli init never touches one")
    if path.exists() and not path.is_dir():
        raise UserError(f"{path}: exists and is not a folder")
    ids.check_site(site)
    if name is not None:
        from .records import text_problem
        problem = "must not be empty" if not name.strip() else text_problem("str", name)
        if problem:
            raise UserError(f"--name {name!r}: {problem} (leave --name out to use the folder's name)")
    if not (currency.isalpha() and currency.isupper() and len(currency) == 3):
        raise UserError(f"--currency {currency!r}: not an ISO 4217 code such as EUR")
    fsio.make_dirs(path.resolve())
    store = Store(path, PRIVATE)
    for folder in static_folders():
        store.make_dir(folder)
    settings = default_office(name or path.resolve().name, currency, site)
    fsio.atomic_create(path / "office.yaml", (HEADER + yamlio.dumps(settings)).encode("utf-8"))
    if not (path / ".gitignore").exists():
        fsio.atomic_create(path / ".gitignore", GITIGNORE.encode("utf-8"))
    return path
