"""The double-entry ledger: one file per transaction under back/ledger/YYYY/MM/.

Posted transactions are never edited or deleted; a mistake is undone by a
reversing entry. Every amount is Decimal with at most 2 decimals, and every
transaction sums to exactly zero.

``post`` is the one path every entry takes, whoever posts it, and it refuses
a date after today or inside a closed period (office/periods.py). On top of
that, what a person may post by hand (``post_manual``, for `ledger post`):

* a line on a control account (office.yaml ``control_accounts``, default
  accounts.DEFAULT_CONTROL: Receivable, Inventory, VATInput, Payable, VAT,
  Payroll, GRNI) only with ``ref`` naming an existing source record and
  ``control`` set -- those accounts are the totals of subledgers that
  `ledger check` proves (office/checks/reconcile.py);
* ``reverse`` undoes manual entries only; an entry a command posted (its
  ``kind``: stock, cogs, invoice, payment, credit, payroll, receipt, bill,
  close, ...) is corrected by the command named in the refusal
  (``CORRECTED_BY``), which keeps the records and the books together.
"""

from __future__ import annotations

import difflib
from decimal import Decimal

from officecli.office import clock, money, periods
from officecli.office.records import Record
from officecli.store.errors import UserError

MANUAL_KINDS = (None, "manual", "reversal")  # kinds `ledger reverse` may undo

# kind -> (the command that posted it, what corrects it instead of a reversal)
CORRECTED_BY = {
    "stock": (
        "stock receive / stock adjust",
        "'stock adjust SKU -N --note …' corrects the stock and its value",
    ),
    "cogs": ("order ship", "'return add ORDER SKU:QTY --note …' then 'return receive' takes goods back"),
    "invoice": ("order invoice", "'invoice credit INV' credits it (whole, --lines or --amount)"),
    "payment": ("invoice pay", "'invoice refund INV AMOUNT' pays money back"),
    "credit": ("invoice credit", "a credit note is final; invoice the customer again if it was wrong"),
    "refund": ("invoice refund", "a refund is final; record what the customer pays back with 'invoice pay'"),
    "payroll": (
        "payroll run / payroll pay",
        "correct the employee's dates or pay, then 'payroll run MONTH' posts the correction",
    ),
    "receipt": ("purchase receive", "'purchase bill' settles what came; 'stock adjust' corrects stock"),
    "bill": ("purchase bill", "a bill is booked as the supplier wrote it"),
    "bill-payment": ("bill pay", "a payment is final"),
    "bank": ("bank match", "'bank unmatch LINE' reverses it and leaves the bank line for a person"),
    "return": ("return receive", "'stock adjust' corrects the stock that came back"),
    "close": ("ledger close --year", "a closing entry is final, like the closed period it closes"),
    "vat-settle": ("vat settle", "a settled return is final; the next return carries what changes"),
    "vat-payment": ("vat pay", "a payment is final"),
}


def check_account(office, account: str) -> str:
    known = office.config.accounts
    if account in known:
        return account
    close = difflib.get_close_matches(account, known, n=3, cutoff=0.5)
    hint = f" (did you mean {', '.join(close)}?)" if close else " (see 'officecli ledger accounts')"
    raise UserError(f"account {account!r}: not in the chart of accounts in office.yaml{hint}")


def balance_postings(postings: list[tuple[str, Decimal | None]]) -> list[tuple[str, Decimal]]:
    """Fill in the one amount left out; refuse anything that does not sum to zero."""
    if len(postings) < 2:
        raise UserError("a transaction needs two postings or more")
    missing = [i for i, (_, amount) in enumerate(postings) if amount is None]
    if len(missing) > 1:
        raise UserError("only one posting may leave its amount out")
    total = sum((a for _, a in postings if a is not None), Decimal("0"))
    if missing:
        i = missing[0]
        postings = list(postings)
        postings[i] = (postings[i][0], -total)
        total = Decimal("0")
    if total != 0:
        raise UserError(f"the postings do not balance: they sum to {money.text(total)}, not 0")
    return [(acct, money.q(amount) + 0) for acct, amount in postings]  # + 0: never '-0.00'


_NOT_NUMBERS = {"nan", "snan", "inf", "infinity"}


def _looks_like_account(office, token: str) -> bool:
    if ":" in token or token in office.config.accounts:
        return True
    bare = token.strip().lstrip("+-").casefold()
    return not any(ch.isdigit() for ch in token) and bare not in _NOT_NUMBERS


def parse_postings(office, tokens: list[str]) -> list[tuple[str, Decimal | None]]:
    """``ACCOUNT AMOUNT [ACCOUNT AMOUNT]... [ACCOUNT]`` from the command line.

    A token is an account when it has a ':' or is in the chart (or has no
    digit at all), else the amount of the account before it."""
    out: list[tuple[str, Decimal | None]] = []
    for token in tokens:
        if _looks_like_account(office, token):
            out.append((token, None))
            continue
        if not out:
            raise UserError(f"amount {token!r}: no account before it (ACCOUNT AMOUNT ...)")
        acct, amount = out[-1]
        if amount is not None:
            raise UserError(f"amount {token!r}: {acct} already has the amount {money.text(amount)}")
        out[-1] = (acct, money.parse(token, f"amount for {acct}"))
    return out


def post(
    office,
    date,
    description: str,
    postings: list[tuple[str, Decimal | None]],
    ref: str | None = None,
    reverses: str | None = None,
    *,
    kind: str | None = None,
    document: str | None = None,
    closing: bool = False,
    period: str | None = None,
) -> Record:
    """Write one balanced transaction (inside an open ``office.change()``).

    ``ref`` names the source record (an order, invoice, stock move, payroll
    month) so that ``order trace`` finds the entry; ``kind`` says what posted
    it (invoice, payment, credit, stock, cogs, payroll, ...; manual when
    absent); ``document`` names a second record (a credit note)."""
    if not description or not str(description).strip():
        raise UserError("description: must not be empty")
    day = clock.parse_date(date, "date") if not hasattr(date, "isoformat") else date
    what = f"ledger entry {str(description).strip()!r}"
    if day > office.today():
        raise UserError(
            f"{what}: dated {day.isoformat()}, after today ({office.today().isoformat()}); "
            "the books record what has happened"
        )
    if not (closing and kind in ("close", "restore")):  # the year's closing entry may follow its
        periods.guard(office, day, what)  # closed months; a restoring reversal (closing.move_to_open)
    checked = [(check_account(office, acct), amount) for acct, amount in postings]
    lines = balance_postings(checked)
    if all(amount == 0 for _, amount in lines):
        raise UserError("the transaction moves nothing: every amount is 0")
    data = {
        "id": office.new_id("ledger_txn"),
        "date": day.isoformat(),
        "description": str(description).strip(),
        "postings": [{"account": acct, "amount": money.text(amount)} for acct, amount in lines],
        "ref": ref,
        "reverses": reverses,
        "kind": kind,
        "document": document,
        "period": period,
        "at": office.stamp(),
        "by": office.user,
    }
    if closing and kind == "restore":
        data["kind"] = "reversal"
        office.restoring = data["id"]  # periods.guard_record lets this one entry in
    try:
        return office.create("ledger_txn", {k: v for k, v in data.items() if v is not None})
    finally:
        office.restoring = None


def control_lines(office, postings) -> list[str]:
    """The control accounts among ``postings``' accounts."""
    control = set(office.config.control_accounts)
    return sorted({acct for acct, _ in postings if acct in control})


def post_manual(
    office, date, description: str, postings, ref: str | None = None, control: bool = False
) -> Record:
    """`ledger post`: a person's entry. A line on a control account needs ``ref``
    (an existing record: the source of the line) and ``control`` (they mean it)."""
    checked = [(check_account(office, acct), amount) for acct, amount in postings]
    hit = control_lines(office, checked)
    if hit:
        names = ", ".join(hit)
        if ref is None:
            raise UserError(
                f"account {names}: a control account (office.yaml control_accounts); "
                "its commands post to it, or give --ref ID of the source record and --control"
            )
        if not control:
            raise UserError(
                f"account {names}: a control account (office.yaml control_accounts); "
                f"add --control to post to it by hand for {ref}"
            )
    return post(office, date, description, checked, ref=ref)


def postings_of(rec: Record) -> list[tuple[str, Decimal]]:
    """(account, amount) of each posting. A posting without both (a file or a cache entry
    damaged by hand, that still loads) is one line naming the record, never a crash."""
    try:
        return [(str(p["account"]), Decimal(str(p["amount"]))) for p in rec.data.get("postings", [])]
    except (KeyError, TypeError, ArithmeticError, AttributeError):
        raise UserError(
            f"{rec.where}: postings: each needs an account and an amount (run `officecli doctor`)"
        ) from None


# -- periods --------------------------------------------------------------------


def parse_period(text, what: str):
    """A day: YYYY-MM-DD, or YYYY-MM / YYYY meaning its first day."""
    from datetime import date

    s = str(text).strip()
    if len(s) == 4 and s.isascii() and s.isdigit():
        clock.parse_month(s + "-01", what)  # the year range (1900-2999)
    if len(s) == 4 and s.isascii() and s.isdigit():
        return date(int(s), 1, 1)
    if len(s) == 7 and s[4] == "-":
        year, month = clock.parse_month(s, what)
        return date(year, month, 1)
    return clock.parse_date(s, what)


def transactions(office, begin=None, end=None) -> list[Record]:
    """Every transaction dated in [begin, end) (both optional), by date then ID."""
    out = []
    for rec in office.records("ledger_txn"):
        day = str(rec.data.get("date", ""))
        if begin is not None and day < begin.isoformat():
            continue
        if end is not None and day >= end.isoformat():
            continue
        out.append(rec)
    return sorted(out, key=lambda r: (str(r.data.get("date", "")), r.id))


def matches(account: str, prefixes) -> bool:
    """Account matching, case-insensitive, on whole name components, anywhere:
    'assets' matches Assets and Assets:Bank; 'receivable' Assets:Receivable;
    'Expenses:Rent' itself and its sub-accounts; 'Assets:Ba' nothing."""
    if not prefixes:
        return True
    a = f":{account.casefold()}:"
    return any(f":{p.casefold().strip(':')}:" in a for p in prefixes if p.strip(":"))


def sums(txns: list[Record], prefixes=None) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for rec in txns:
        for acct, amount in postings_of(rec):
            if matches(acct, prefixes):
                out[acct] = out.get(acct, Decimal("0")) + amount
    return {a: money.q(v) for a, v in out.items()}


def account_sums(office, prefixes=(), begin=None, end=None) -> dict[str, Decimal]:
    """``sums`` of the transactions dated in [begin, end), from the per-month summaries
    in the cache (office/summaries.py) when they may be used, else from the records."""
    from officecli.office import summaries

    if summaries.usable(office):
        return {
            a: money.q(v)
            for a, v in summaries.account_sums(office, begin, end).items()
            if matches(a, prefixes)
        }
    return sums(transactions(office, begin, end), prefixes)


def account_type(office, account: str) -> str:
    chart = office.config.accounts
    if account in chart:
        return chart[account]
    under = [t for a, t in chart.items() if a.startswith(account + ":")]
    return under[0] if under and all(t == under[0] for t in under) else ""


# -- balance ----------------------------------------------------------------------


def balance_report(
    office,
    prefixes=(),
    depth: int | None = None,
    begin=None,
    end=None,
    empty: bool = False,
    flat: bool = False,
) -> tuple[list[dict], Decimal]:
    """The rows of `ledger balance` and the grand total.

    Each row: account (full name), name (as shown), indent, balance (inclusive
    of sub-accounts), depth. As a tree (the default) a parent with a single
    child and no postings of its own is shown on one line with it
    (``Equity:Capital``), the way hledger and ledger-cli do; zero balances
    are hidden unless ``empty``."""
    own = account_sums(office, prefixes, begin, end)
    if empty:
        for acct in office.config.accounts:
            if matches(acct, prefixes):
                own.setdefault(acct, Decimal("0.00"))
    if depth is not None:
        clipped: dict[str, Decimal] = {}
        for acct, amount in own.items():
            key = ":".join(acct.split(":")[:depth])
            clipped[key] = clipped.get(key, Decimal("0")) + amount
        own = clipped
    total = money.q(sum(own.values(), Decimal("0")))
    if flat:
        rows = [
            {"account": a, "name": a, "indent": 0, "balance": money.q(v), "depth": a.count(":") + 1}
            for a, v in sorted(own.items())
            if empty or v != 0
        ]
        return rows, total
    inclusive: dict[str, Decimal] = {}
    children: dict[str, set[str]] = {}
    for acct, amount in own.items():
        parts = acct.split(":")
        for i in range(1, len(parts) + 1):
            node = ":".join(parts[:i])
            inclusive[node] = inclusive.get(node, Decimal("0")) + amount
            parent = ":".join(parts[: i - 1])
            children.setdefault(parent, set()).add(node)
    shown = set()  # an account with a balance, and every parent of one
    for acct, amount in own.items():
        if empty or amount != 0:
            parts = acct.split(":")
            shown.update(":".join(parts[:i]) for i in range(1, len(parts) + 1))
    rows: list[dict] = []

    def visit(node: str, indent: int, label: str) -> None:
        kids = sorted(k for k in children.get(node, ()) if k in shown)
        if len(kids) == 1 and node not in own:  # a boring parent: one line with its child
            child = kids[0]
            visit(child, indent, label + ":" + child.rpartition(":")[2])
            return
        rows.append(
            {
                "account": node,
                "name": label,
                "indent": indent,
                "balance": money.q(inclusive[node]),
                "depth": node.count(":") + 1,
            }
        )
        for k in kids:
            visit(k, indent + 1, k.rpartition(":")[2])

    for top in sorted(k for k in children.get("", ()) if k in shown):
        visit(top, 0, top)
    return rows, total


# -- register -----------------------------------------------------------------------


def register(office, prefixes=(), begin=None, end=None, historical: bool = False) -> list[dict]:
    """Every posting to the matching accounts with a running balance."""
    running = Decimal("0.00")
    if historical and begin is not None:
        running = sum(account_sums(office, prefixes, None, begin).values(), Decimal("0.00"))
    out = []
    for rec in transactions(office, begin, end):
        for acct, amount in postings_of(rec):
            if not matches(acct, prefixes):
                continue
            running += amount
            out.append(
                {
                    "id": rec.id,
                    "state": rec.state,
                    "date": rec.data.get("date"),
                    "description": rec.data.get("description"),
                    "account": acct,
                    "amount": money.text(amount),
                    "balance": money.text(running),
                    "ref": rec.data.get("ref"),
                }
            )
    return out


def accounts(office) -> list[dict]:
    """The chart of accounts with each account's use: type, whether it is a control account
    (office.yaml control_accounts: only its commands post to it), postings, balance."""
    used: dict[str, list] = {}
    for rec in transactions(office):
        for acct, amount in postings_of(rec):
            u = used.setdefault(acct, [0, Decimal("0")])
            u[0] += 1
            u[1] += amount
    chart = office.config.accounts
    control = set(office.config.control_accounts)
    out = []
    for acct in sorted(set(chart) | set(used)):
        n, bal = used.get(acct, (0, Decimal("0")))
        out.append(
            {
                "id": acct,
                "state": chart.get(acct, "unknown"),
                "account": acct,
                "type": chart.get(acct, "(not in office.yaml)"),
                "control": acct in control,
                "postings": n,
                "balance": money.text(bal),
            }
        )
    return out


# -- reverse --------------------------------------------------------------------------


def _unclaimed_payroll(office, rec: Record) -> bool:
    """A payroll entry that no payroll run names (neither its txn nor its payment): the
    second posting of a month two sites ran, which a merge joined (mergedoctor names it
    with 'ledger reverse'). Reversing it brings the books back to the records, so it is
    not refused like an entry its run stands on."""
    if rec.data.get("kind") != "payroll":
        return False
    try:
        runs = office.records("payroll")
    except UserError:  # pay is private, or a run is damaged: refuse as usual
        return False
    return not any(rec.id in (str(r.get("txn") or ""), str(r.get("payment") or "")) for r in runs)


def reverse(office, ref: str, when=None) -> Record:
    """Post the exact reverse of a transaction (inside an open change)."""
    day = clock.parse_date(when, "--date") if when is not None else office.today()
    rec = office.get("ledger_txn", ref)
    where = f"ledger txn {rec.id} ({rec.path})"
    kind = rec.data.get("kind")
    if kind not in MANUAL_KINDS and not _unclaimed_payroll(office, rec):
        command, instead = CORRECTED_BY.get(kind, (f"a command ({kind})", "correct it with that command"))
        source = f", ref {rec.data['ref']}" if rec.data.get("ref") else ""
        raise UserError(
            f"{where}: was posted by '{command}' (kind {kind}{source}) together with "
            f"its records; it is not reversed by hand: {instead}"
        )
    for other in office.records("ledger_txn"):
        if other.data.get("reverses") == rec.id:
            raise UserError(f"{where}: already reversed by {other.id}")
    return post(
        office,
        day,
        f"Reversal of {rec.id}: {rec.data.get('description', '')}",
        [(acct, -amount) for acct, amount in postings_of(rec)],
        ref=rec.data.get("ref"),
        reverses=rec.id,
        kind="reversal",
    )


# -- check -------------------------------------------------------------------------------


def check_entries(office) -> tuple[list[str], dict[str, Record]]:
    """The ledger's own problems, one line each ('path: problem'): fields, dates, balance,
    reversals, refs; and the readable, balanced transactions by ID, which the subledger
    checks compare (checks/books.py composes them all into ``ledger check``)."""
    from officecli.office import records
    from officecli.store import ids

    kind = office.kind("ledger_txn")
    chart = office.config.accounts
    out: list[str] = []
    good: dict[str, Record] = {}
    for state, rel in office.paths(kind):
        try:
            rec = office.load_path(kind, state, rel)
        except UserError as exc:
            out.append(str(exc))
            continue
        data = rec.data
        if not office.fields_checked:  # (doctor's walk checked every field of it)
            out += [f"{rel}: {p}" for p in records.validate(kind, data)]
        if data.get("id") not in (None, rec.id):
            out.append(f"{rel}: id: {data.get('id')!r} but the file is named {rec.id}.yaml")
        day = data.get("date")
        if clock.is_date(day) and not rel.rpartition("/")[0].endswith(f"{str(day)[:4]}/{str(day)[5:7]}"):
            out.append(f"{rel}: date: {day} but the file is in {rel.rpartition('/')[0]}/")
        postings = data.get("postings")
        if not isinstance(postings, list):
            continue
        if len(postings) < 2:
            out.append(f"{rel}: postings: a transaction needs two postings or more")
        total = Decimal("0")
        ok = True
        for i, p in enumerate(postings, 1):
            if not isinstance(p, dict):
                out.append(f"{rel}: postings: posting {i} is not a mapping of account and amount")
                ok = False
                continue
            acct = p.get("account")
            if not isinstance(acct, str):  # missing, or [a] (said above): nothing to add up under
                ok = False
            elif acct not in chart:
                out.append(f"{rel}: postings: posting {i}: account {acct!r} is not in office.yaml")
            if not (isinstance(p.get("amount"), str) and money.is_money(p.get("amount"))):
                out.append(
                    f"{rel}: postings: posting {i}: amount {p.get('amount')!r} is not money "
                    "written as a decimal string such as '12.50'"
                )
                ok = False
            else:
                total += Decimal(p["amount"])
        if ok and total != 0:
            out.append(f"{rel}: postings: do not balance, they sum to {money.text(total)}")
        if ok:
            good[rec.id] = rec
    reversed_by: dict[str, str] = {}
    for rec in good.values():
        target = rec.data.get("reverses")
        if not target:
            continue
        if target in reversed_by:
            out.append(f"{rec.path}: reverses: {target} is already reversed by {reversed_by[target]}")
        reversed_by[target] = rec.id
        orig = good.get(target)
        if orig is None:
            out.append(f"{rec.path}: reverses: no transaction {target}")
        elif sorted((a, -v) for a, v in postings_of(orig)) != sorted(postings_of(rec)):
            out.append(f"{rec.path}: reverses: {target}, but its postings are not that entry's reverse")
    prefixes = {k.prefix: k.name for k in _kinds() if k.prefix}
    known: dict[str, set[str]] = {}
    for rec in good.values():
        ref = rec.data.get("ref")
        parsed = ids.parse_id(str(ref)) if ref else None
        if not parsed or parsed[0] not in prefixes:
            continue
        name = prefixes[parsed[0]]
        if name not in known:
            from officecli.office.aliases import names  # an earlier name of a renumbered record counts

            known[name] = names(office, name, readable_only=True)  # a bad file is said above
        if ref not in known[name]:
            out.append(f"{rec.path}: ref: no record {ref}")
    return out, good


def _kinds():
    from officecli.office.workflows import kinds

    return kinds().values()
