"""Part of an invoice credited, and money paid back to a customer.

``invoice credit INV`` alone credits the whole invoice (invoices.credit: the
exact reverse of its entry). This module adds the partial kinds, each a
credit note (CRN-…, the same gapless series) with its own entry:

* by lines (``--lines SKU:QTY…``): those pieces at the invoice's price and
  VAT rate; never more pieces of a SKU than were invoiced and not yet
  credited. A customer return (office/back/returns.py) credits its lines this way.
  The VAT is rounded on each rate's net credited so far (this note's VAT is
  the VAT of all that is credited with it, less what earlier notes took),
  never per note: two pieces of 0.50 at 13 % credited one by one are 0.57
  and 0.56, as the invoice's 1.13.
* by amount (``--amount X``, gross): a goodwill or price credit, split over
  the invoice's VAT rates in proportion to each rate's gross (the last rate
  takes the rounding), never more than the gross not yet credited. Each
  rate's part is a net and its VAT, net x rate to the cent; an amount that
  cannot be so split (1.00 at 13 %: 0.88 + 0.11 = 0.99, 0.89 + 0.12 = 1.01) is
  refused naming the nearest that can. The credit of all that is left takes
  what is left of each rate's net and VAT.

The entry: Income:Sales (net) + Liabilities:VAT (VAT) / Assets:Receivable
(gross), ref = the invoice, document = the credit note. Afterwards the
invoice moves to ``credited`` when its credits add up to its gross; an open
invoice on which nothing is owed any more moves to ``paid`` (action
``settle``); otherwise it only gains a history line.

Dates: a credit note is dated today, and refused when that would put it
before the last credit note of its series (they are numbered in date order,
as invoices are: the same guard, ``invoices._last_date``) or before its own
invoice's date. A closed period refuses it too (office/periods.py).

A customer who paid more than the invoice now asks is owed the difference:
Assets:Receivable for that invoice is negative. ``refund`` pays it back
(Assets:Receivable / Assets:Bank or Cash, kind ``refund``), never more than
is owed back. What is owed either way is read from the ledger.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from officecli.office import accounts, clock, money
from officecli.office.books import invoices, ledger
from officecli.office.lines import parse_items
from officecli.office.records import Record
from officecli.store import ids
from officecli.store.errors import UserError


def where(inv: Record) -> str:
    return f"invoice {inv.id} ({inv.path})"


def credited(office, inv: Record) -> tuple[Decimal, dict[str, int], list[Record]]:
    """(gross credited so far, pieces credited per SKU, the credit notes)."""
    notes = invoices.credit_notes_of(office, inv.id)
    gross = money.q(sum((Decimal(str(c.get("gross") or "0")) for c in notes), money.ZERO))
    pieces: dict[str, int] = defaultdict(int)
    for c in notes:
        for line in c.get("lines") or []:
            if isinstance(line, dict) and line.get("sku") and isinstance(line.get("qty"), int):
                pieces[str(line["sku"])] += line["qty"]
    return gross, dict(pieces), notes


def check_date(office, inv: Record, series: str) -> None:
    """Refuse a credit note dated today when the series' last one, or the invoice, is later."""
    today = office.today().isoformat()
    last = invoices._last_date(office, "credit_note", series)
    if last and last > today:
        raise UserError(
            f"credit note series {series}: its last credit note is dated {last}, after "
            f"today ({today}); credit notes are numbered in date order"
        )
    if str(inv.get("date") or "") > today:
        raise UserError(
            f"{where(inv)}: dated {inv.get('date')}, after today ({today}); a credit "
            "note is never dated before its invoice"
        )


def full(office, inv_ref: str, reason: str | None = None) -> Record:
    """The whole invoice, as before -- refused once part of it was credited."""
    with office.change():
        inv = office.get("invoice", inv_ref)
        if inv.state in inv.kind.handoffs["credit"].sources:
            check_date(office, inv, str(inv.get("series") or ids.parse_id(inv.id)[1]))
        _, _, notes = credited(office, inv)
        if notes and inv.state in inv.kind.handoffs["credit"].sources:
            raise UserError(
                f"{where(inv)}: already partly credited by {', '.join(c.id for c in notes)}; "
                "credit the rest with --lines SKU:QTY… or --amount X"
            )
        return invoices.credit(office, inv.id, reason)


def _per_rate(inv: Record, notes: list[Record]) -> tuple[dict, dict]:
    """(the invoice's {rate: (net, vat)}, what its credit notes took so far {rate: (net, vat)})."""
    mine = {
        str(r): (Decimal(str(p["net"])), Decimal(str(p["vat"])))
        for r, p in (inv.get("vat") or {}).items()
        if isinstance(p, dict)
    }
    done: dict[str, tuple[Decimal, Decimal]] = {}
    for c in notes:
        for r, p in (c.get("vat") or {}).items():
            if isinstance(p, dict):
                n, v = done.get(str(r), (money.ZERO, money.ZERO))
                done[str(r)] = (n + Decimal(str(p["net"])), v + Decimal(str(p["vat"])))
    return mine, done


def _lines_vat(inv: Record, notes: list[Record], crn_lines: list[dict]) -> tuple[Decimal, dict, Decimal]:
    """(net, {rate: {net, vat}}, gross) of credited lines, VAT rounded on the rate's net
    credited so far, not per note: this note's VAT is the rate's VAT on everything credited
    with it less what earlier notes took, and the note that credits the rest takes the rest,
    so crediting piece by piece adds up to the invoice's VAT to the cent."""
    mine, done = _per_rate(inv, notes)
    by_rate: dict[str, Decimal] = defaultdict(lambda: money.ZERO)
    for line in crn_lines:
        by_rate[str(line["vat"])] += Decimal(line["net"])
    vat_map, net_sum, vat_sum = {}, money.ZERO, money.ZERO
    for rate in sorted(by_rate, key=lambda r: -Decimal(r)):
        net = money.q(by_rate[rate])
        inv_net, inv_vat = mine.get(rate, (net, money.q(net * Decimal(rate) / 100)))
        had_net, had_vat = done.get(rate, (money.ZERO, money.ZERO))
        if had_net + net >= inv_net:
            vat = inv_vat - had_vat  # the last of this rate: what is left of its VAT
        else:
            vat = money.q((had_net + net) * Decimal(rate) / 100) - had_vat
        vat = min(max(vat, money.ZERO), max(inv_vat - had_vat, money.ZERO))
        vat_map[rate] = {"net": money.text(net), "vat": money.text(vat)}
        net_sum += net
        vat_sum += vat
    return money.q(net_sum), vat_map, money.q(net_sum + vat_sum)


def _fits(share: Decimal, rate: Decimal) -> Decimal | None:
    """The net whose VAT (net x rate, to the cent) makes the gross ``share``, if one does."""
    guess = money.q(share * 100 / (100 + rate))
    for net in (guess, guess - money.CENT, guess + money.CENT):
        if net >= 0 and net + money.q(net * rate / 100) == share:
            return net
    return None


def _amount_split(
    inv: Record, notes: list[Record], amount: Decimal, rest: bool
) -> tuple[list[dict], dict, Decimal, Decimal]:
    """Split a gross amount over the invoice's VAT rates in proportion to their gross, each
    rate's part as net + VAT = net x rate (to the cent). ``rest``: the amount is all that is
    left to credit: each rate takes what is left of its net and VAT."""
    mine, done = _per_rate(inv, notes)
    total = Decimal(str(inv.get("gross")))
    rates = sorted(mine, key=lambda r: -Decimal(r))
    parts: dict[str, tuple[Decimal, Decimal]] = {}
    if rest:
        for rate in rates:
            had_net, had_vat = done.get(rate, (money.ZERO, money.ZERO))
            parts[rate] = (mine[rate][0] - had_net, mine[rate][1] - had_vat)
    else:
        parts = _fitted(rates, mine, amount, total)
    lines, out_map, net_sum = [], {}, money.ZERO
    for rate in rates:
        net, vat = parts[rate]
        if net == 0 and vat == 0:
            continue
        out_map[str(rate)] = {"net": money.text(net), "vat": money.text(vat)}
        lines.append({"vat": str(rate), "net": money.text(net)})
        net_sum += net
    return lines, out_map, money.q(net_sum), amount


def _fitted(
    rates: list[str], mine: dict, amount: Decimal, total: Decimal
) -> dict[str, tuple[Decimal, Decimal]]:
    """Each rate's (net, VAT = net x rate) for its share of ``amount`` in proportion to its
    gross: the proportional shares, the first moved by a few cents at most (every other rate
    snapped to the nearest share that fits) until the last rate's rest fits too."""
    shares = [money.q(amount * (mine[r][0] + mine[r][1]) / total) for r in rates[:-1]]
    for k in range(0, 11):
        for delta in (k, -k) if k else (0,):
            out: dict[str, tuple[Decimal, Decimal]] = {}
            left = amount
            for i, rate in enumerate(rates):
                want = left if i == len(rates) - 1 else shares[i] + (delta * money.CENT if i == 0 else 0)
                share = (
                    next(
                        (
                            want + d * money.CENT
                            for d in (0, -1, 1, -2, 2)
                            if _fits(want + d * money.CENT, Decimal(rate)) is not None
                        ),
                        None,
                    )
                    if i < len(rates) - 1
                    else (want if _fits(want, Decimal(rate)) is not None else None)
                )
                if share is None or share < 0:
                    break
                net = _fits(share, Decimal(rate))
                assert net is not None
                out[rate] = (net, share - net)
                left -= share
            else:
                return out
    raise _NoFit(rates[-1], amount)


class _NoFit(Exception):
    def __init__(self, rate: str, share: Decimal):
        self.rate, self.share = rate, share


def _near(inv: Record, notes: list[Record], amount: Decimal, most: Decimal) -> list[str]:
    """The nearest gross amounts, below and above, that split with VAT = net x rate."""
    out = []
    for step in (-money.CENT, money.CENT):
        probe = amount
        for _ in range(50):
            probe += step
            if probe <= 0 or probe > most:
                break
            try:
                _amount_split(inv, notes, probe, False)
            except _NoFit:
                continue
            out.append(money.text(probe))
            break
    return out


def partial(
    office, inv_ref: str, lines=None, amount=None, reason: str | None = None, source: str | None = None
) -> Record:
    """A credit note for some lines (``[(sku, qty)]``) or a gross amount of an invoice."""
    if (lines is None) == (amount is None):
        raise UserError(f"invoice {inv_ref}: give either --lines SKU:QTY… or --amount X")
    with office.change():
        inv = office.get("invoice", inv_ref)
        if inv.state not in inv.kind.handoffs["credit"].sources:
            raise office.wrong_state(inv, "credit")
        done_gross, done_pieces, notes = credited(office, inv)
        gross_total = Decimal(str(inv.get("gross")))
        cur = inv.get("currency") or office.config.currency
        if lines is not None:
            wanted: dict[str, int] = defaultdict(int)
            for sku, qty in lines:
                wanted[sku.upper()] += qty
            invoiced = {str(line["sku"]).upper(): line for line in inv.get("lines") or []}
            crn_lines, over = [], []
            for key, qty in wanted.items():
                line = invoiced.get(key)
                if line is None:
                    raise UserError(
                        f"{where(inv)}: lines: no line with SKU {key} "
                        f"(it has {', '.join(str(x['sku']) for x in inv.get('lines') or [])})"
                    )
                sku = str(line["sku"])
                free = int(line["qty"]) - done_pieces.get(sku, 0)
                if qty > free:
                    over.append(f"{sku} {qty} (invoiced {line['qty']}, credited {done_pieces.get(sku, 0)})")
                    continue
                price = Decimal(str(line["price"]))
                crn_lines.append(
                    {
                        "sku": sku,
                        "name": line.get("name") or sku,
                        "qty": qty,
                        "price": money.text(price),
                        "vat": str(line["vat"]),
                        "net": money.text(money.q(price * qty)),
                    }
                )
            if over:
                raise UserError(
                    f"{where(inv)}: crediting more pieces than were invoiced and not yet "
                    f"credited: {'; '.join(over)}"
                )
            net, vat_map, gross = _lines_vat(inv, notes, crn_lines)
        else:
            gross = money.parse(amount, "--amount", allow_negative=False)
            if gross <= 0:
                raise UserError(f"{where(inv)}: --amount {amount}: must be more than 0")
            try:
                crn_lines, vat_map, net, gross = _amount_split(
                    inv, notes, gross, done_gross + gross == gross_total
                )
            except _NoFit as miss:
                near = _near(inv, notes, gross, gross_total - done_gross)
                raise UserError(
                    f"{where(inv)}: --amount {money.text(gross)}: its part at {miss.rate}% "
                    f"({money.text(miss.share)}) is no net plus VAT of net x {miss.rate}% to the cent"
                    + (f"; credit {' or '.join(near)}" if near else "")
                ) from None
            for line in crn_lines:
                line["name"] = (reason or "").strip() or "credit"
        if done_gross + gross > gross_total:
            raise UserError(
                f"{where(inv)}: crediting {money.fmt(gross, cur)} is more than the "
                f"{money.fmt(gross_total - done_gross, cur)} not yet credited"
            )
        series = str(inv.get("series") or ids.parse_id(inv.id)[1])
        check_date(office, inv, series)
        today = office.today()
        crn_id = invoices.next_id(office, "CRN", series)
        data = {
            "id": crn_id,
            "series": series,
            "invoice": inv.id,
            "order": inv.get("order"),
            "customer": inv.get("customer"),
            "date": today.isoformat(),
            "reason": (reason or "").strip() or None,
            "corrects_mark": (inv.get("mydata") or {}).get("mark")
            if isinstance(inv.get("mydata"), dict)
            else None,
            "currency": cur,
            "lines": crn_lines,
            "net": money.text(net),
            "vat": vat_map,
            "gross": money.text(gross),
        }
        what = f"credits part of invoice {inv.id}" + (f" (return {source})" if source else "")
        crn = office.create(
            "credit_note",
            {k: v for k, v in data.items() if v is not None},
            state="issued",
            note=what,
            action="issue",
        )
        postings = [(accounts.SALES, net)]
        vat = invoices.vat_total(vat_map)
        if vat:
            postings.append((accounts.VAT, vat))
        postings.append((accounts.RECEIVABLE, -gross))
        ledger.post(
            office,
            today,
            f"Credit note {crn_id} for part of invoice {inv.id}",
            postings,
            ref=inv.id,
            kind="credit",
            document=crn_id,
        )
        said = f"{crn_id}: {money.fmt(gross, cur)}" + (
            f": {reason.strip()}" if reason and reason.strip() else ""
        )
        owed = invoices.outstanding(office, inv)
        closes = False
        if done_gross + gross == gross_total:
            inv = office.handoff(inv, "credit", note=said + "; fully credited")
            closes = True
        elif inv.state == "open" and owed <= 0:
            inv = office.handoff(inv, "pay", note=said + "; nothing owed any more", action="settle")
            closes = True
        else:
            inv = office.note(inv, "credit", note=said)
        if closes:
            order = office.find_any(str(inv.get("order"))) if inv.get("order") else None
            if order is not None and order.state == "invoiced":
                office.handoff(order, "close", note=f"invoice {inv.id} settled by {crn_id}")
        office.messages.append(f"credit note {crn_id} for part of {inv.id}")
        return crn


def refund(
    office, inv_ref: str, amount_text: str, method: str = "bank", when: str | None = None
) -> tuple[Record, Decimal, Record]:
    """Pay back what a customer is owed on an invoice; (invoice, still owed back, txn)."""
    if method not in accounts.METHODS:
        raise UserError(f"--method {method!r}: one of {', '.join(accounts.METHODS)}")
    with office.change():
        inv = office.get("invoice", inv_ref)
        cur = inv.get("currency") or office.config.currency
        due = -invoices.outstanding(office, inv)
        if due <= 0:
            raise UserError(
                f"{where(inv)}: nothing is owed back to the customer "
                f"(the customer owes {money.fmt(-due, cur)})"
            )
        amount = (
            due
            if str(amount_text).strip().lower() == "all"
            else money.parse(amount_text, "amount", allow_negative=False)
        )
        if amount <= 0:
            raise UserError(f"{where(inv)}: amount {amount_text!r}: a refund must be more than 0")
        if amount > due:
            raise UserError(
                f"{where(inv)}: refunding {money.fmt(amount, cur)} is more than the "
                f"{money.fmt(due, cur)} owed back to the customer"
            )
        day = clock.parse_date(when, "--date") if when is not None else office.today()
        if day > office.today():
            raise UserError(
                f"{where(inv)}: --date {day.isoformat()} lies in the future (today is "
                f"{office.today().isoformat()})"
            )
        txn = ledger.post(
            office,
            day,
            f"Refund on {inv.id} ({method})",
            [(accounts.RECEIVABLE, amount), (accounts.METHODS[method], -amount)],
            ref=inv.id,
            kind="refund",
        )
        rest = money.q(due - amount)
        inv = office.note(
            inv,
            "refund",
            f"{money.fmt(amount, cur)} by {method} on {day.isoformat()} "
            f"({txn.id})" + (f"; {money.fmt(rest, cur)} still owed back" if rest else ""),
        )
        office.messages.append(f"refund on {inv.id}: {money.text(amount)} {cur}")
        return inv, rest, txn


def parse_lines(items) -> list[tuple[str, int]]:
    return parse_items(items)
