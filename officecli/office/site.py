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

``site set`` (sites/codes.py) stores the code (2 or 3) and registers it in
office.yaml's versioned ``sites:`` table. The codes taken are the table's, the
legacy ``company.site`` and every site code in a record ID.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from officecli.store import git, guard, ids
from officecli.store.errors import UserError
from officecli.store.guard import STATE_DIR

ENV = "OFFICECLI_SITE"
GIT_KEY = "officecli.site"
FILE = "site"
# kinds whose IDs carry the site (invoices and credit notes carry a series instead)
SERIES_KINDS = ("invoice", "credit_note")


@dataclass
class Site:
    code: str | None  # None: a clone with a remote whose site was never set
    source: str  # where the code comes from, said to people
    repo: git.Repo | None = None
    multi: bool = False  # a git clone with a remote: the site must be explicit

    def describe(self) -> str:
        return f"{self.code}, from {self.source}" if self.code else f"not set ({self.source})"


def find(
    root: Path, raw: dict[str, Any] | None = None, repo_of: Callable[[], git.Repo | None] | None = None
) -> Site:
    """This clone's site code and where it comes from (never raises for an unset one).
    ``repo_of()`` gives the repository the folder is in (looked up here if not given)."""
    env = os.environ.get(ENV)
    if env:
        return Site(ids.check_site(env), f"${ENV}")
    repo = repo_of() if repo_of is not None else git.Repo.find(root)
    if repo is not None:
        code = repo.config(GIT_KEY, local=True)
        if code:
            return Site(
                _checked(code, f"git config {GIT_KEY}"), f"git config {GIT_KEY}", repo, bool(repo.remotes())
            )
    multi = repo is not None and bool(repo.remotes())
    try:
        raw_code = guard.read_state(root, FILE, 256)  # (a link or a FIFO: refused, one line)
        code = raw_code.decode("utf-8").strip() if raw_code is not None else None
    except (OSError, UnicodeDecodeError) as exc:  # named, never an internal error
        why = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else exc.strerror or str(exc)
        raise UserError(f"{STATE_DIR}/{FILE}: {why}: it must hold this clone's site code") from None
    if code is not None:
        return Site(_checked(code, f"{STATE_DIR}/{FILE}"), f"{STATE_DIR}/{FILE}", repo, multi)
    if multi:
        return Site(None, "a git clone with a remote, and no officecli.site in its git config", repo, True)
    raw = raw if isinstance(raw, dict) else {}
    company = raw.get("company")
    if not isinstance(company, dict):
        company = {}
    if company.get("site"):
        return Site(
            _checked(str(company["site"]), "office.yaml company.site"), "office.yaml company.site", repo
        )
    table = registered(raw)
    if len(table) == 1:
        return Site(next(iter(table)), "office.yaml sites: (the only site)", repo)
    return Site("A", "the default", repo)


def _checked(code: str, where: str) -> str:
    if not ids.SITE_RE.match(code):
        raise UserError(
            f"{where}: {code!r} is not a site code (1 to 8 capital letters or "
            "digits); set it with 'officecli site set CODE'"
        )
    return code


def registered(raw: dict[str, Any]) -> dict[str, str]:
    """office.yaml's ``sites:`` table: code -> name."""
    table = raw.get("sites") if isinstance(raw, dict) else None
    if not isinstance(table, dict):
        return {}
    return {str(k): "" if v is None else str(v) for k, v in table.items()}


def taken(office: Any) -> dict[str, str]:
    """Every site code in use: code -> what says so (its name, or where it was seen)."""
    raw = office.config.raw
    out = {code: name or "registered" for code, name in registered(raw).items()}
    company = raw.get("company") if isinstance(raw.get("company"), dict) else {}
    if company.get("site") and str(company["site"]) not in out:
        out[str(company["site"])] = "office.yaml company.site"
    from officecli.office.workflows import kinds

    for k in kinds().values():
        if not k.prefix or k.name in SERIES_KINDS:
            continue
        for ident in office.all_ids(k.name):
            parsed = ids.parse_id(ident)
            if parsed and parsed[0] == k.prefix and parsed[1] not in out:
                out[parsed[1]] = f"used by {ident}"
    return out


def taken_text(office: Any) -> str:
    codes = taken(office)
    if not codes:
        return "no code is taken yet"
    return "codes taken: " + ", ".join(f"{c} ({n})" for c, n in sorted(codes.items()))


def unset_message(office: Any) -> str:
    return (
        f"{office.root}: this clone has no site code (a git clone with a remote needs its own, "
        f"so that its IDs never collide): run 'officecli site set CODE --name NAME'; "
        f"{taken_text(office)}"
    )


def require(office: Any) -> str:
    """This clone's code; refuses (UserError) a clone with a remote whose site is not set."""
    site = office.site_info()
    if site.code is None:
        raise UserError(unset_message(office))
    return site.code
