"""``site set``: store this clone's site code and register it in office.yaml.

``set_site`` stores the code (git config ``officecli.site``, or ``.officecli/site``
where the folder is not in git; office/site.py reads it back) and registers it in
office.yaml's versioned ``sites:`` table (code -> name), in the command's own
change, so that every site sees which codes are taken. A code another site
registered is refused, unless it is this clone's own (or ``reuse`` says this
clone replaces that site's lost one).
"""

from __future__ import annotations

import socket

from officecli.office import records
from officecli.office.records import with_changes
from officecli.office.site import FILE, GIT_KEY, find, registered, taken, taken_text
from officecli.office.sites import gitsetup
from officecli.store import fsio, ids, yamlio
from officecli.store.errors import UserError
from officecli.store.tree import STATE_DIR


def set_site(office, code: str, name: str | None = None, reuse: bool = False) -> tuple[str, list[str]]:
    """Store ``code`` as this clone's site and register it in office.yaml, in one change.
    Returns (where it is stored, what else was set up)."""
    code = ids.check_site(code.strip().upper() if code else code)
    current = find(office.root, office.config.raw, lambda: office.repo)
    mine = current.code == code and not current.source.startswith("$")
    table = registered(office.config.raw)
    others = taken(office)
    if code in others and not mine and not reuse and (current.multi or code in table):
        raise UserError(
            f"site {code}: already taken ({others[code]}); another clone would mint the same IDs. "
            f"Pick another code ({taken_text(office)}), or add --reuse if this clone replaces "
            f"site {code}'s lost one"
        )
    if name is not None:
        problem = "must not be empty" if not name.strip() else records.text_problem("str", name)
        if problem:
            raise UserError(f"--name {name!r}: {problem}")
    new_name = name if name is not None else table.get(code) or default_name()
    said: list[str] = []
    office.site_check = False  # this command is how a clone gets its site
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
            stale.unlink()  # git config holds it now
        said += gitsetup.ensure_config(repo)
        where = f"git config {GIT_KEY}"
    else:
        fsio.make_dirs(office.root / STATE_DIR)
        fsio.atomic_replace(office.root / STATE_DIR / FILE, f"{code}\n".encode())
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
    table = registered(raw)
    table[code] = name
    new = with_changes(text, raw, {"sites": table})
    if new is None:  # a layout line edits cannot keep: rewrite it whole
        new = yamlio.dumps({**raw, "sites": table})
    return new
