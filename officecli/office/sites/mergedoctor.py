"""What only a merge of two sites can break across records, one line each with its remedy.

Each site's commands keep these true for the records that site sees; a merge
joins two such truths into one that may not be. Every line names the records
and the one command that settles it:

* **one record in two folders** (same ``created`` and first history entry):
  the rule of its kind that settles it, ``officecli resolve ID`` (or ``--keep``
  where no rule decides); **two different records sharing an ID**:
  ``officecli renumber`` - never "delete one";
* **one step taken twice** that a rule settles (two takes of a complaint, two
  invoices of an order: the earlier wins) and **a taken complaint without an
  assignee**: ``officecli resolve ID``;
* **two different records merged into one file** (git merged two files that
  were each created at their own site under one ID: its history starts twice);
* **negative stock** on hand or available (two sites shipped from one stock);
* **more than one live invoice for an order**, and an order and its invoice
  not naming each other;
* **payroll posted twice** for one month (two ``Payroll YYYY-MM`` entries not
  reversed): ``officecli ledger reverse`` the one the payroll run does not name;
* **two customers with the same e-mail or VAT number** (the duplicate guard of
  ``customer add`` sees only its own site);
* **one earlier ID claimed by two renumbered records** (a collision renumbered at
  two sites before the rule said which site does it): one record under two IDs is
  taken out of work the normal way (an order cancelled), never deleted; two
  different records keep their IDs and the later drops the claim.

``check(store, problems)`` is doctor's hook: it adds these lines and drops
doctor's own per-file lines that the record's one line explains (each copy's
"the same ID as", its history/folder mismatch, its ``conflicts:`` entries),
so one thing wrong is one line. ``lines(office, only)`` is what sync runs on
what a merge brought (``only``: the IDs it touched; None: everything).
The merge state of the repository itself is gitdoctor.py's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import partial

from officecli.office.contacts import email_key, vat_key
from officecli.office.problems import Problem
from officecli.office.sites import mergecheck
from officecli.office.workflows import kind_of_folder, kinds
from officecli.store import ids
from officecli.store.errors import UserError

PAYROLL_RUN = re.compile(r"^Payroll ([0-9]{4}-[0-9]{2})(?: \(|$)")  # (no head count under 3 people)
PAYROLL_PAID = re.compile(r"^Payroll ([0-9]{4}-[0-9]{2}) paid$")
LIVE = ("open", "paid")
_ENTRY = re.compile(r"^\s*- at: ", re.M)
_FROM = re.compile(r"^\s+from: ", re.M)


def lines(office, only: set[str] | None = None) -> list[tuple[str, str]]:
    """(where, one line) for every problem (``only``: those naming these IDs): each
    record to settle (resolve.py), then what is wrong across records."""
    from officecli.office.sites import resolve, twice

    found = resolve.cases(office, only)
    twice_lines = twice.lines(office, only)  # a step that moves goods or money taken twice
    return [(c.paths[0], c.line()) for c in found] + across(office, only, {c.id for c in found}) + twice_lines


def across(office, only: set[str] | None = None, said: set[str] = frozenset()) -> list[tuple[str, str]]:
    """(where, one line) for what is wrong across records; records in ``said`` already
    have their line (an order whose two invoices ``officecli resolve`` settles)."""
    out: list[tuple[str, str]] = []
    for check in (
        partial(_merged_in_one, only=only),
        _stock,
        _invoices,
        _payroll,
        _customers,
        _renumbered_twice,
    ):
        try:
            found = check(office)
        except UserError:  # a damaged file: doctor's own line names it
            found = []
        for where, ids_named, line in found:
            if only is not None and not (set(ids_named) & only):
                continue
            if set(ids_named) & said and check is _invoices and "resolve" in line:
                continue
            out.append((where, line))
    return out


def touched(office, ids: set[str], paths: dict[str, str] | None = None) -> set[str]:
    """The IDs a merge changed, and what the cross-record checks name them by: a stock
    move's and a forwarded order's products, an invoice's order, a payroll entry's
    month, a customer's own ID. ``paths`` (ID -> the file the merge wrote) reads each
    record from its file instead of looking it up (a lookup lists its kind's folders)."""
    out = set(ids)
    for ident in ids:
        try:
            rec = _by_path(office, paths.get(ident)) if paths else None
            rec = rec or office.find_any(ident)
        except UserError:
            continue
        if rec is None:
            continue
        kind = rec.kind.name
        if kind == "stock_move":
            out.add(str(rec.get("sku")))
        elif kind == "order":
            out |= {str(line.get("sku")) for line in rec.get("lines") or [] if isinstance(line, dict)}
            if rec.get("invoice"):
                out.add(str(rec.get("invoice")))
        elif kind in ("invoice", "credit_note"):
            out.add(str(rec.get("order")))
        elif kind == "ledger_txn":
            m = PAYROLL_RUN.match(str(rec.get("description") or "")) or PAYROLL_PAID.match(
                str(rec.get("description") or "")
            )
            if m:
                out.add(m.group(1))
    return out


def _by_path(office, rel: str | None):
    owner = kind_of_folder(rel.rpartition("/")[0]) if rel and rel.endswith(".yaml") else None
    if rel is None or owner is None or not (office.root / rel).is_file():
        return None
    return office.load_path(owner[0], owner[1], rel)  # (cached: the checks after it read it again)


def check(store, problems: list, reader=None) -> list:
    """doctor's hook: the problems with these lines added and the per-file lines they
    explain dropped. ``reader()`` gives the Office to read through (doctor's: what its
    walk parsed); by default one that reads the files."""
    from officecli.office.core import Office

    for p in problems:
        if p.message.startswith("git conflict marker"):
            p.message = (
                "git conflict markers (git left both versions in the file): edit it to the "
                "true version, then git add it and git commit"
            )
    try:
        office = reader() if reader is not None else Office(store.root, "doctor")
    except UserError:  # office.yaml is broken: doctor's own line says so
        return problems
    try:
        if reader is None:
            office.read_files_only(check_fields=False)
        found = lines(office)
    except Exception as exc:  # never stop doctor
        return problems + [
            Problem("back/", f"the records could not be checked across a merge: {type(exc).__name__}: {exc}")
        ]
    explained: set[str] = set()
    added = []
    for where, line in found:
        rid = line.split(":", 1)[0]
        if " on hand is -" in line and "more was shipped than there was" in line:
            # the books' own line for this product (reconcile: 'stock: -N on hand from the
            # moves (less than nothing)') says the same without the command: said once
            explained |= {
                id(p)
                for p in problems
                if p.where == where
                and p.message.startswith("stock: -")
                and "(less than nothing)" in p.message
            }
        if not (
            ("one " in line and " folders (" in line)
            or "share this ID" in line
            or "took the same step" in line
            or "without an assignee" in line
            or "were merged into one file" in line
        ):
            added.append(Problem(where, line))
            continue
        mine = [
            p
            for p in problems
            if p.where.partition(":")[0].rpartition("/")[2] == f"{rid}.yaml" and _per_file(p.message)
        ]
        if "without an assignee" in line and any("its history ends" in p.message for p in mine):
            continue  # not taken at all: git misfiled it, and doctor's own line says where
        explained |= {id(p) for p in mine}
        twin = next((p for p in mine if p.message.startswith("the same ID as")), None)
        if twin is not None:  # doctor's own line for the second copy says it all now
            twin.message = twin.message.split(": ", 1)[0] + ": " + line
            explained.discard(id(twin))
        else:
            added.append(Problem(where, line))
    return [p for p in problems if id(p) not in explained] + added


def _per_file(message: str) -> bool:
    return (
        message.startswith("the same ID as")
        or "its history ends" in message
        or message.startswith("conflicts:")
    )


# -- the checks: each returns (where, [IDs it names], line) ------------------------------------


def _merged_in_one(office, only: set[str] | None = None):
    """A file whose history starts twice: two records created at two sites under one ID,
    merged by git into one file (an add/add of the same path). ``only``: the IDs a merge
    changed (a file no merge touched was looked at by the merge that made it)."""

    out = []
    for k in kinds().values():
        if not k.prefix or "history" not in k.fields or k.name in ("ledger_txn", "stock_move"):
            continue
        for ident, (state, rel) in office.all_ids(k.name).items():
            if only is not None and ident not in only:
                continue
            try:
                text = office.store.read_text(rel)
            except (UserError, OSError):
                continue
            if len(_ENTRY.findall(text)) - len(_FROM.findall(text)) < 2:
                continue  # (a quick look: fewer than two entries without from:)
            rec = _load(office, k, state, rel)
            if rec is None:
                continue
            begun = mergecheck.starts(rec.data)
            if len(begun) > 1:
                out.append(
                    (
                        rel,
                        [ident],
                        mergecheck.merged_line(
                            ident,
                            k.label,
                            rel,
                            begun,
                            "put its version from git back in the file (git log --all -- "
                            f"{rel} names each side's commit; git show COMMIT:PATH), then "
                            f"officecli renumber {ident} at that site, then put the other's "
                            "version back under the old name and git commit",
                        ),
                    )
                )
    return out


def _load(office, kind, state, rel):
    try:
        return office.load_path(kind, state, rel)
    except UserError:
        return None


def _stock(office):
    from officecli.office.back import stock

    have = stock.on_hand_all(office)
    held = stock.reserved_all(office)
    out = []
    for sku in sorted(set(have) | set(held)):
        n, r = have.get(sku, 0), held.get(sku, 0)
        if n < 0:
            out.append(
                (
                    f"back/products/{sku}.yaml",
                    [sku],
                    f"{sku}: on hand is {n} (available {n - r}): more was shipped than there "
                    f"was, at two sites from one stock; when the goods came in: officecli stock "
                    f"receive {sku} {-n} --cost COST, else count them: officecli stock adjust "
                    f"{sku} +{-n} --note 'count after merge'",
                )
            )
        elif n - r < 0 and sku in have:  # (no move at all: never stocked, never forwarded)
            orders = [
                o.id
                for o in office.records("order", ["inbox"])
                if any(str(line.get("sku")) == sku for line in o.get("lines") or [])
            ]
            out.append(
                (
                    f"back/products/{sku}.yaml",
                    [sku, *orders],
                    f"{sku}: available is {n - r} (on hand {n}, reserved {r} by "
                    f"{', '.join(orders)}): two sites forwarded orders from one stock; "
                    f"officecli stock receive {sku} {r - n} --cost COST, or officecli order "
                    f"cancel ORDER --note … for one of them",
                )
            )
    return out


def _invoices(office):
    out = []
    orders = {o.id: o for o in office.records("order")}
    now = {
        old: o.id
        for o in orders.values()
        for old in o.get("renumbered_from") or []
        if isinstance(old, str) and old not in orders
    }  # an issued invoice keeps the old name
    live: dict[str, list] = defaultdict(list)
    invoices = office.records("invoice")
    by_id = {inv.id: inv for inv in invoices}
    for inv in invoices:
        if inv.state in LIVE:
            live[now.get(str(inv.get("order")), str(inv.get("order")))].append(inv)
    for oid, invs in sorted(live.items()):
        order = orders.get(oid)
        invs.sort(key=lambda r: (str(r.get("created") or ""), r.id))
        if len(invs) > 1:
            named = order.get("invoice") if order is not None else None
            extra = [i.id for i in invs if i.id != (named or invs[0].id)]
            out.append(
                (
                    invs[-1].path,
                    [oid, *(i.id for i in invs)],
                    f"{oid}: {len(invs)} live invoices for one order "
                    f"({', '.join(i.id for i in invs)}; the order names {named or 'none'}): "
                    + (
                        f"officecli resolve {oid} (the earlier invoice stays, the other is credited)"
                        if order is not None and order.get("conflicts")
                        else "; ".join(f"officecli invoice credit {i}" for i in extra)
                    ),
                )
            )
            continue
        inv = invs[0]
        if order is not None and order.get("invoice") not in (None, inv.id) and not order.get("conflicts"):
            out.append(
                (
                    order.path,
                    [oid, inv.id],
                    f"{oid}: names invoice {order.get('invoice')}, but {inv.id} is its live "
                    f"invoice ({inv.path} names {oid}): set invoice: {inv.id} in {order.path} "
                    f"(git commit it), or officecli invoice credit {inv.id}",
                )
            )
        elif order is not None and not order.get("invoice") and order.state in ("invoiced", "closed"):
            out.append(
                (
                    order.path,
                    [oid, inv.id],
                    f"{oid}: {order.state} but names no invoice, while {inv.id} ({inv.path}) "
                    f"is for it: set invoice: {inv.id} in {order.path} and git commit it",
                )
            )
    for oid, order in sorted(orders.items()):
        named = order.get("invoice")
        if not named or order.get("conflicts"):
            continue
        inv = by_id.get(str(named))
        if inv is None and ids.parse_id(str(named)):  # renamed, or not an invoice's ID
            inv = office.find_any(str(named))
        if inv is not None and now.get(str(inv.get("order")), str(inv.get("order"))) != oid:
            out.append(
                (
                    order.path,
                    [oid, inv.id],
                    f"{oid}: names invoice {inv.id}, but {inv.id} ({inv.path}) is for "
                    f"{inv.get('order')}: set the invoice: field of {order.path} to its own "
                    "invoice and git commit it",
                )
            )
    return out


def _payroll(office):
    runs: dict[tuple[str, str], list] = defaultdict(list)
    txns = office.records("ledger_txn")
    reversed_ = {str(t.get("reverses")) for t in txns if t.get("reverses")}
    for t in txns:
        if t.get("kind") != "payroll" or t.id in reversed_:
            continue
        desc = str(t.get("description") or "")
        for what, rx in (("run", PAYROLL_RUN), ("paid", PAYROLL_PAID)):
            m = rx.match(desc)
            if m:
                runs[(m.group(1), what)].append(t)
    out = []
    for (month, what), posted in sorted(runs.items()):
        if len(posted) < 2:
            continue
        posted.sort(key=lambda t: (str(t.get("at") or ""), t.id))
        kept = _payroll_txn(office, month, what) or posted[0].id
        extra = [t.id for t in posted if t.id != kept]
        out.append(
            (
                posted[-1].path,
                [month, *(t.id for t in posted)],
                f"payroll {month} {'run' if what == 'run' else 'payment'} posted "
                f"{len(posted)} times ({', '.join(t.id for t in posted)}; two sites ran it): "
                + "; ".join(f"officecli ledger reverse {x}" for x in extra)
                + f" (keep {kept}, the one back/hr/payroll/{month}.yaml names)",
            )
        )
    return out


def _payroll_txn(office, month: str, what: str) -> str | None:
    try:
        rec = office.find_any(month) or None
    except UserError:
        rec = None
    if rec is None:
        try:
            from officecli.office.people import payroll

            rec = payroll.existing(office, month)
        except Exception:  # back/hr is private: not readable here
            return None
    if rec is None:
        return None
    return str(rec.get("txn") if what == "run" else rec.get("payment") or "") or None


def _customers(office):

    out = []
    for label, key, option in (("e-mail", "email", "--email"), ("VAT number", "vat_number", "--vat-number")):
        seen: dict[str, list] = defaultdict(list)
        for c in office.records("customer"):
            value = c.get(key)
            if value:
                seen[(email_key if key == "email" else vat_key)(value)].append(c)
        for _value, same in sorted(seen.items()):
            if len(same) < 2:
                continue
            same.sort(key=lambda r: (str(r.get("created") or ""), r.id))
            first, rest = same[0], same[1:]
            out.append(
                (
                    rest[0].path,
                    [c.id for c in same],
                    f"{', '.join(c.id for c in same)}: two customers with the {label} "
                    f"{same[0].get(key)} (added at two sites): if one person, keep {first.id}: "
                    + "; ".join(
                        f"officecli customer edit {c.id} {option} '' --note 'same as {first.id}'"
                        for c in rest
                    )
                    + f"; if not, give each its own {label} with officecli customer edit",
                )
            )
    return out


def _renumbered_twice(office):
    """Two records of a kind both ``renumbered_from`` one earlier ID."""
    from officecli.office.sites import renumber

    out = []
    for k in kinds().values():
        if not k.prefix or "history" not in k.fields or k.name in renumber.NOT_RENUMBERED:
            continue
        claims: dict[str, list] = defaultdict(list)
        try:
            recs_of = office.records(k.name)
        except UserError:  # a private folder not readable here
            continue
        for rec in recs_of:
            if rec.state == "cancelled":  # a duplicate taken out of work: settled
                continue
            for old in rec.get("renumbered_from") or []:
                if isinstance(old, str):
                    claims[old].append(rec)
        for old, recs in sorted(claims.items()):
            if len(recs) < 2:
                continue
            recs.sort(key=lambda r: r.id)
            keep, rest = recs[0], recs[1:]
            named = ", ".join(r.id for r in recs)
            if renumber.same_record([r.data for r in recs]):
                how = (
                    "; ".join(
                        f"officecli order cancel {r.id} --note 'the same order as {keep.id}'" for r in rest
                    )
                    if k.name == "order"
                    else f"take {', '.join(r.id for r in rest)} out of work with its own command"
                )
                line = (
                    f"{named}: one {k.label} renumbered at two sites (each renumbered_from {old}, "
                    f"the same beginning): keep {keep.id}: {how}; never delete a file"
                )
            else:
                line = (
                    f"{named}: two different {k.label}s both renumbered_from {old}: {keep.id} keeps "
                    f"the claim; edit {', '.join(r.path for r in rest)} (drop {old} from renumbered_from) "
                    "and git commit it"
                )
            out.append((rest[0].path, [old, *(r.id for r in recs)], line))
    return out
