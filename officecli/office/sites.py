"""This clone's site code: where it comes from, how it is set, which codes are taken.

Every clone of a company's records (a shop, a warehouse, a laptop) has its own
site code; IDs are ``PREFIX-SITE-NUMBER``, so two sites never mint the same ID.

Where the code comes from, first match wins (``find``):

1. ``$OFFICECLI_SITE`` (for one command);
2. the clone's git config ``officecli.site`` (``officecli site set`` writes it:
   per clone, never versioned, not lost with the disposable ``.officecli/``);
3. ``.officecli/site`` (written by ``site set`` only where the folder is not
   in git; still read where an older officecli wrote it);
4. in a git clone with a remote: nothing else. Such a clone has no site until
   one is set, and every writing command is refused (``require``) with one
   line saying how to set it and which codes are taken;
5. otherwise (a folder not in git, or a repository without a remote: one
   site): office.yaml ``company.site`` (older trees), else the one code of the
   ``sites:`` table, else ``A``.

``set_site`` stores the code (2 or 3) and registers it in office.yaml's
versioned ``sites:`` table (code -> name), in the command's own change, so
that every site sees which codes are taken. A code another site registered
is refused, unless it is this clone's own (or ``reuse`` says this clone
replaces that site's lost one). The codes taken are the table's, the legacy
``company.site`` and every site code in a record ID.
"""
from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

from officecli.store import fsio, git, ids
from officecli.store.errors import UserError
from officecli.store.tree import STATE_DIR

ENV = "OFFICECLI_SITE"
GIT_KEY = "officecli.site"
FILE = "site"
# kinds whose IDs carry the site (invoices and credit notes carry a series instead)
SERIES_KINDS = ("invoice", "credit_note")


@dataclass
class Site:
    code: str | None          # None: a clone with a remote whose site was never set
    source: str               # where the code comes from, said to people
    repo: git.Repo | None = None
    multi: bool = False       # a git clone with a remote: the site must be explicit

    def describe(self) -> str:
        return f"{self.code}, from {self.source}" if self.code else f"not set ({self.source})"


def find(root: Path, raw: dict | None = None, repo_of=None) -> Site:
    """This clone's site code and where it comes from (never raises for an unset one).
    ``repo_of()`` gives the repository the folder is in (looked up here if not given)."""
    env = os.environ.get(ENV)
    if env:
        return Site(ids.check_site(env), f"${ENV}")
    repo = repo_of() if repo_of is not None else git.Repo.find(root)
    if repo is not None:
        code = repo.config(GIT_KEY, local=True)
        if code:
            return Site(_checked(code, f"git config {GIT_KEY}"), f"git config {GIT_KEY}", repo,
                        bool(repo.remotes()))
    local = Path(root) / STATE_DIR / FILE
    multi = repo is not None and bool(repo.remotes())
    if local.is_file():
        code = local.read_text("utf-8").strip()
        return Site(_checked(code, f"{STATE_DIR}/{FILE}"), f"{STATE_DIR}/{FILE}", repo, multi)
    if multi:
        return Site(None, "a git clone with a remote, and no officecli.site in its git config",
                    repo, True)
    raw = raw if isinstance(raw, dict) else {}
    company = raw.get("company") if isinstance(raw.get("company"), dict) else {}
    if company.get("site"):
        return Site(_checked(str(company["site"]), "office.yaml company.site"),
                    "office.yaml company.site", repo)
    table = registered(raw)
    if len(table) == 1:
        return Site(next(iter(table)), "office.yaml sites: (the only site)", repo)
    return Site("A", "the default", repo)


def _checked(code: str, where: str) -> str:
    if not ids.SITE_RE.match(code):
        raise UserError(f"{where}: {code!r} is not a site code (1 to 8 capital letters or "
                        "digits); set it with 'officecli site set CODE'")
    return code


def registered(raw: dict) -> dict[str, str]:
    """office.yaml's ``sites:`` table: code -> name."""
    table = raw.get("sites") if isinstance(raw, dict) else None
    if not isinstance(table, dict):
        return {}
    return {str(k): "" if v is None else str(v) for k, v in table.items()}


def taken(office) -> dict[str, str]:
    """Every site code in use: code -> what says so (its name, or where it was seen)."""
    raw = office.config.raw
    out = {code: name or "registered" for code, name in registered(raw).items()}
    company = raw.get("company") if isinstance(raw.get("company"), dict) else {}
    if company.get("site") and str(company["site"]) not in out:
        out[str(company["site"])] = "office.yaml company.site"
    from .workflows import kinds
    for k in kinds().values():
        if not k.prefix or k.name in SERIES_KINDS:
            continue
        for ident in office.all_ids(k.name):
            parsed = ids.parse_id(ident)
            if parsed and parsed[0] == k.prefix and parsed[1] not in out:
                out[parsed[1]] = f"used by {ident}"
    return out


def _taken_text(office) -> str:
    codes = taken(office)
    if not codes:
        return "no code is taken yet"
    return "codes taken: " + ", ".join(f"{c} ({n})" for c, n in sorted(codes.items()))


def unset_message(office) -> str:
    return (f"{office.root}: this clone has no site code (a git clone with a remote needs its own, "
            f"so that its IDs never collide): run 'officecli site set CODE --name NAME'; "
            f"{_taken_text(office)}")


def require(office) -> str:
    """This clone's code; refuses (UserError) a clone with a remote whose site is not set."""
    site = office.site_info()
    if site.code is None:
        raise UserError(unset_message(office))
    return site.code


def set_site(office, code: str, name: str | None = None, reuse: bool = False) -> tuple[str, list[str]]:
    """Store ``code`` as this clone's site and register it in office.yaml, in one change.
    Returns (where it is stored, what else was set up)."""
    from . import gitsetup, records

    code = ids.check_site(code.strip().upper() if code else code)
    current = find(office.root, office.config.raw, lambda: office.repo)
    mine = current.code == code and not current.source.startswith("$")
    table = registered(office.config.raw)
    others = taken(office)
    if code in others and not mine and not reuse and (current.multi or code in table):
        raise UserError(
            f"site {code}: already taken ({others[code]}); another clone would mint the same IDs. "
            f"Pick another code ({_taken_text(office)}), or add --reuse if this clone replaces "
            f"site {code}'s lost one")
    if name is not None:
        problem = "must not be empty" if not name.strip() else records.text_problem("str", name)
        if problem:
            raise UserError(f"--name {name!r}: {problem}")
    new_name = name if name is not None else table.get(code) or default_name()
    said: list[str] = []
    office.site_check = False            # this command is how a clone gets its site
    with office.change(f"site set {code}: {new_name}") as txn:
        if table.get(code) != new_name:
            text = office.store.read_text("office.yaml")
            txn.replace("office.yaml", registered_text(text, office.config.raw, code, new_name))
        if current.repo is not None:
            said += gitsetup.ensure_attributes(office, txn)
    repo = current.repo
    if repo is not None:
        problem = repo.set_config(GIT_KEY, code)
        if problem:
            raise UserError(f"git config {GIT_KEY} {code}: {problem}")
        stale = office.root / STATE_DIR / FILE
        if stale.is_file():
            stale.unlink()                     # git config holds it now
        said += gitsetup.ensure_config(repo)
        where = f"git config {GIT_KEY}"
    else:
        fsio.make_dirs(office.root / STATE_DIR)
        fsio.atomic_replace(office.root / STATE_DIR / FILE, f"{code}\n".encode("utf-8"))
        where = f"{STATE_DIR}/{FILE} (this folder is not in git)"
    office.forget_site()
    return where, said


def default_name() -> str:
    """A site's name when none is given: the machine it was set on."""
    try:
        return socket.gethostname().split(".")[0] or "site"
    except OSError:
        return "site"


def registered_text(text: str, raw: dict, code: str, name: str) -> str:
    """office.yaml's text with ``code: name`` in its ``sites:`` table, other lines kept."""
    from officecli.store import yamlio

    from .records import with_changes

    table = registered(raw)
    table[code] = name
    new = with_changes(text, raw, {"sites": table})
    if new is None:                       # a layout line edits cannot keep: rewrite it whole
        new = yamlio.dumps({**raw, "sites": table})
    return new
