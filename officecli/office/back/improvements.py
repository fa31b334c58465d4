"""Product improvements: what the back office makes better because customers complained.

    open      back/improvements/open      (from `complaint resolve --improvement TEXT`, or `add`)
    accept    open -> accepted            (the back office will do it: it will sell)
    reject    open -> rejected
    done      accepted -> done            (released: every linked complaint gets a history
                                           note, so the front office can tell the customer)

One improvement can come from many complaints (its ``complaints`` list); a
complaint names the improvement it led to (its ``improvement`` field).
"""

from __future__ import annotations

import re

from officecli.office.records import Record
from officecli.store.errors import UserError

_ID_RE = re.compile(r"^IMP-[A-Za-z0-9]+-\d+$", re.I)
LINKABLE = ("open", "accepted", "done")


def looks_like_id(text: str) -> bool:
    """``IMP-A-0003`` names an improvement; anything else is the title of a new one."""
    return bool(_ID_RE.match(text.strip()))


def _text(value, what: str, hint: str = "") -> str:
    text = (value or "").strip()
    if not text:
        raise UserError(f"{what} is empty{hint}")
    return text


def _check_sku(office, sku: str | None) -> str | None:
    if sku is None:
        return None
    if sku not in office.all_ids("product"):
        raise UserError(f"product {sku}: no such product (see 'officecli product list')")
    return sku


def add(
    office, title: str, sku: str | None = None, complaints: list[str] | None = None, note: str | None = None
) -> Record:
    title = _text(title, "improvement add: the TITLE")
    with office.change():
        data = {"id": office.new_id("improvement"), "title": title}
        if _check_sku(office, sku):
            data["sku"] = sku
        if complaints:
            data["complaints"] = list(complaints)
        return office.create("improvement", data, note=note)


def open_for(office, title: str, complaint: str, sku: str | None = None) -> Record:
    """A new improvement opened from a complaint's resolution."""
    return add(office, title, sku=sku, complaints=[complaint], note=f"from complaint {complaint}")


def link(office, ref: str, complaint: str) -> Record:
    """Add a complaint to an existing improvement (many complaints, one improvement)."""
    with office.change():
        imp = office.get("improvement", ref.strip())
        if imp.state not in LINKABLE:
            raise UserError(
                f"{imp.where}: state is {imp.state}; a complaint can be linked to an "
                f"improvement that is {', '.join(LINKABLE)} (open a new one with "
                "--improvement TEXT)"
            )
        listed = list(imp.get("complaints") or [])
        if complaint in listed:
            return imp
        return office.note(
            imp, "link", note=f"complaint {complaint}", changes={"complaints": listed + [complaint]}
        )


def decide(office, ref: str, decision: str, note: str | None = None) -> Record:
    verb = {"accept": "accept", "reject": "reject"}.get(decision)
    if verb is None:
        raise UserError(f"improvement decide: {decision!r} is not accept or reject")
    with office.change():
        imp = office.get("improvement", ref)
        if imp.state not in imp.kind.handoffs[verb].sources:
            raise office.wrong_state(imp, verb)
        if verb == "reject":
            note = _text(note, f"{imp.where}: --note", " (say why it is rejected)")
        return office.handoff(imp, verb, note=note)


def complaints_of(office, imp: Record) -> list[Record]:
    """The complaints an improvement came from: its list, plus any complaint naming it."""
    listed = [c for c in (imp.get("complaints") or []) if isinstance(c, str)]
    known = office.all_ids("complaint")
    out = {}
    for ident in listed:
        if ident in known:
            out[ident] = office.load_path(office.kind("complaint"), *known[ident])
    for rec in office.records("complaint"):
        if rec.get("improvement") == imp.id:
            out.setdefault(rec.id, rec)
    return [out[k] for k in sorted(out)]


def done(office, ref: str, note: str) -> tuple[Record, list[Record]]:
    """Release an improvement; each linked complaint (archived ones too) gets a history note."""
    with office.change():
        imp = office.get("improvement", ref)
        if imp.state not in imp.kind.handoffs["done"].sources:
            raise office.wrong_state(imp, "done")
        note = _text(note, f"{imp.where}: --note", " (say what was released)")
        linked = complaints_of(office, imp)
        imp = office.handoff(imp, "done", note=note)
        told = []
        for rec in linked:
            told.append(
                office.note(
                    rec, "improvement-done", note=f"improvement {imp.id} is done: {note}; tell the customer"
                )
            )
        return imp, told
