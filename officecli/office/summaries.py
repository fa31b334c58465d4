"""Sums over append-only folders, read from the cache's per-folder summaries.

Each ledger month folder (``back/ledger/YYYY/MM``) keeps, in the cache (see
store/index.py for the never-wrong rule: the stat of every file of the
folder), the sum per account per day of its transactions and, per ``ref``,
what its postings to Assets:Receivable (what an invoice is owed, and what
its payments paid) and to Liabilities:Payable (what a bill is owed) add up
to, and per day and customer what its postings to Liabilities:CustomerCredit
add up to (money on account: books/advances.py). Each stock month folder keeps each move's (instant, sku, qty, value): on
hand, the average cost and the stock value add them up. A command that
only sums (``ledger balance``, what an invoice or a customer owes, stock on
hand) adds up these few hundred small values instead of reading 100,000
records; a folder whose files changed is summed again from its records,
which are read through the stat cache and checked like any other read.

Inside an open change (``office.change()``) nothing is read from here: a
writer sees its own pending files through the normal path.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, Callable

from officecli.office.accounts import CUSTOMER_CREDIT, PAYABLE, RECEIVABLE
from officecli.store import prefetch
from officecli.store.errors import UserError

from .records import Record


def usable(office: Any) -> bool:
    return not office.files_only and office._txn is None and office.store.cache.usable()


def per_folder(
    office: Any,
    kind_name: str,
    name: str,
    compute: Callable[[list[Record]], Any],
    states: Iterable[str] | None = None,
) -> list[Any]:
    """The summary ``name`` of every folder of a kind (in ``states``, default all):
    ``compute(records)`` over the folder's records when the stored one is stale or missing.

    When many files must be read for it (a fresh clone, a year of new postings), a
    forked child computes the stale folders holding the second half of them (parsing
    them, writing their cache shards) and sends back just their summaries; a single
    stale folder has its files parsed on two cores instead (store/prefetch.py)."""
    kind = office.kind(kind_name)
    store = office.store
    root = str(store.root)
    folders = [
        (state, folder)
        for state, pattern in kind.states.items()
        if states is None or state in states
        for folder in store.folders(pattern)
    ]
    office._unlocked(lambda: store.summaries.prescan(root, [f for _, f in folders]))

    def one(state: str, folder: str) -> Any:
        def read(entries: list[tuple[str, Any]]) -> Any:
            def records(load: Callable[[str], Any]) -> list[Record]:
                return [
                    Record(kind, rel.rpartition("/")[2][:-5], state, rel, load(rel)) for rel, _ in entries
                ]

            try:
                value = compute(records(store.load))
            except UserError:
                raise
            except Exception:  # a cache entry damaged by hand that still loads: the files say
                value = compute(records(lambda rel: store.parse(rel, store.read_text(rel))))
            if hasattr(store.cache, "release"):
                store.cache.release(folder)  # one folder's records in memory at a time
            return value

        return office._unlocked(lambda: store.summaries.get(name, root, folder, read))

    stale = [
        (state, folder, files)
        for state, folder in folders
        if (files := office._unlocked(lambda f=folder: store.summaries.stale(name, root, f)))
    ]
    total = sum(len(files) for *_, files in stale)
    if len(stale) > 1 and total >= prefetch.FEW and prefetch.cores() >= 2:
        cut, seen = len(stale), 0
        for i, (*_, files) in enumerate(stale):
            seen += len(files)
            if seen >= total // 2:
                cut = i + 1
                break
        theirs = stale[cut:]

        def work() -> dict[str, Any]:
            got = {}
            for state, folder, _ in theirs:
                try:
                    got[folder] = one(state, folder)
                except Exception:  # this process computes it, and says what is wrong
                    continue
            return got

        result = prefetch.in_child(work) if theirs else None
        for state, folder, _ in stale[:cut]:
            one(state, folder)
        for folder, value in ((result() if result else None) or {}).items():
            store.summaries.accept(name, root, folder, value)
    elif stale:
        prefetch.prefetch(store, [rel for *_, files in stale for rel in files])
    return [one(state, folder) for state, folder in folders]


# -- the ledger ---------------------------------------------------------------------


def _ledger_month(recs: list[Record]) -> dict[str, Any]:
    days: dict[str, dict[str, Decimal]] = {}
    refs: dict[str, list[Decimal]] = {}
    credit: dict[str, Decimal] = {}
    for rec in recs:
        data = rec.data
        date_text = str(data.get("date", ""))
        day = days.setdefault(date_text, {})
        ref = data.get("ref")
        for p in data.get("postings") or []:
            acct, amount = p["account"], Decimal(str(p["amount"]))
            day[acct] = day.get(acct, Decimal("0")) + amount
            if acct == CUSTOMER_CREDIT:
                key = f"{date_text}\0{credit_customer(data)}"
                credit[key] = credit.get(key, Decimal("0")) + amount
            if ref and acct in (RECEIVABLE, PAYABLE):
                v = refs.setdefault(f"{acct}\0{ref}", [Decimal("0.00"), Decimal("0.00"), Decimal("0.00")])
                v[0] += amount
                if data.get("kind") == "payment":
                    v[1] -= amount
                elif data.get("kind") == "bill-payment":
                    v[2] += amount
    return {
        "days": {d: {a: str(v) for a, v in s.items()} for d, s in days.items()},
        "refs": {r: [str(x) for x in v] for r, v in refs.items()},
        "credit": {k: str(v) for k, v in credit.items()},
    }


def credit_customer(data: dict[str, Any]) -> str:
    """The customer a posting to Liabilities:CustomerCredit belongs to: its ``ref``, else
    its ``document``, when that is a customer ID ("" when neither is; books/advances.py)."""
    for key in ("ref", "document"):
        value = str(data.get(key) or "")
        if value.startswith("CUS-"):
            return value
    return ""


def customer_credit(office: Any, end: date | None = None) -> dict[str, Decimal]:
    """customer ID ("" for none) -> the sum of its postings to Liabilities:CustomerCredit
    dated before ``end`` (every day without it), from the summaries."""
    hi = end.isoformat() if end is not None else None
    out: dict[str, Decimal] = {}
    for month in ledger_months(office):
        for key, amount in month["credit"].items():
            day, _, who = key.partition("\0")
            if hi is None or day < hi:
                out[who] = out.get(who, Decimal("0")) + Decimal(amount)
    return out


def ledger_months(office: Any) -> list[dict[str, Any]]:
    return per_folder(office, "ledger_txn", "ledger", _ledger_month)


def account_sums(office: Any, begin: date | None = None, end: date | None = None) -> dict[str, Decimal]:
    """Account -> the sum of its postings dated in [begin, end) (both optional)."""
    lo = begin.isoformat() if begin is not None else None
    hi = end.isoformat() if end is not None else None
    out: dict[str, Decimal] = {}
    for month in ledger_months(office):
        for day, sums in month["days"].items():
            if (lo is not None and day < lo) or (hi is not None and day >= hi):
                continue
            for acct, amount in sums.items():
                out[acct] = out.get(acct, Decimal("0")) + Decimal(amount)
    return out


def amounts_by_ref(
    office: Any, account: str = RECEIVABLE, refs: Iterable[str] | None = None
) -> dict[str, dict[str, Decimal]]:
    """ref -> {owed: sum of its postings to ``account``, paid: what its payments
    brought in}: the same as invoices.amounts_by_ref, from the summaries (``refs``:
    only these)."""
    out: dict[str, dict[str, Decimal]] = {}
    prefix = account + "\0"
    wanted = None if refs is None else [prefix + r for r in refs]
    for month in ledger_months(office):
        got = month["refs"]
        pairs = got.items() if wanted is None else ((k, got[k]) for k in wanted if k in got)
        for key, (owed, paid, _) in pairs:
            if key.startswith(prefix):
                v = out.setdefault(key[len(prefix) :], {"owed": Decimal("0.00"), "paid": Decimal("0.00")})
                v["owed"] += Decimal(owed)
                v["paid"] += Decimal(paid)
    return out


def bill_amounts(office: Any) -> dict[str, dict[str, Decimal]]:
    """bill ID -> {owed, paid}: the same as bills.amounts_by_ref, from the summaries."""
    out: dict[str, dict[str, Decimal]] = {}
    prefix = PAYABLE + "\0BIL-"
    for month in ledger_months(office):
        for key, (total, _, paid) in month["refs"].items():
            if key.startswith(prefix):
                v = out.setdefault(
                    key[len(PAYABLE) + 1 :], {"owed": Decimal("0.00"), "paid": Decimal("0.00")}
                )
                v["owed"] -= Decimal(total)
                v["paid"] += Decimal(paid)
    return out
