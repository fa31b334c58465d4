"""Money is Decimal, never float: parsing, rounding (half-up to the cent) and printing."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import cast

from officecli.store.errors import UserError

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
_MONEY_RE = re.compile(r"^[+-]?[0-9]{1,15}(\.[0-9]{1,2})?$")  # ASCII digits only
_RATE_RE = re.compile(r"^[0-9]{1,3}(\.[0-9]{1,2})?$")


def parse(text: object, what: str = "amount", allow_negative: bool = True) -> Decimal:
    """Exact decimal from text: at most 2 decimals; no exponent, nan or inf."""
    raw = str(text).strip().replace(",", ".") if isinstance(text, str) else text
    if isinstance(raw, bool) or isinstance(raw, float):
        raise UserError(f"{what} {text!r}: write money as a decimal string such as '12.50'")
    raw = str(raw)
    if not _MONEY_RE.match(raw):
        raise UserError(
            f"{what} {text!r}: not an amount of money (digits with at most 2 decimals, e.g. 12.50)"
        )
    value = Decimal(raw)
    if value < 0 and not allow_negative:
        raise UserError(f"{what} {text!r}: must not be negative")
    return value.quantize(CENT)


_COST_RE = re.compile(r"^[+-]?[0-9]{1,15}(\.[0-9]{1,4})?$")
COST_PLACES = Decimal("0.0001")


def parse_cost(text: object, what: str = "cost", allow_negative: bool = False) -> Decimal:
    """A unit cost: like money, but to 4 decimals (3.333, 0.0125), as ERPs keep unit costs.
    What it is worth in the books is rounded to the cent where it is multiplied out."""
    raw = str(text).strip().replace(",", ".") if isinstance(text, str) else text
    if isinstance(raw, (bool, float)):
        raise UserError(f"{what} {text!r}: write a cost as a decimal string such as '3.3333'")
    if not _COST_RE.match(str(raw)):
        raise UserError(f"{what} {text!r}: not a unit cost (digits with at most 4 decimals, e.g. 3.3333)")
    value = Decimal(str(raw))
    if value < 0 and not allow_negative:
        raise UserError(f"{what} {text!r}: must not be negative")
    return value.quantize(COST_PLACES)


def cost_text(value: Decimal) -> str:
    """The file form of a unit cost: at least 2 decimals, at most 4 ('4.20', '3.333')."""
    whole, _, frac = str(Decimal(value).quantize(COST_PLACES, rounding=ROUND_HALF_UP)).partition(".")
    return f"{whole}.{frac.rstrip('0').ljust(2, '0')}"


def is_cost(value: object) -> bool:
    return isinstance(value, str) and _COST_RE.match(value) is not None and not value.startswith("+")


def is_money(value: object) -> bool:
    try:
        parse(value)
        return True
    except UserError:
        return False


def q(value: Decimal) -> Decimal:
    """Round half-up to the cent. A value that is not a finite amount is refused, never printed."""
    value = Decimal(value)
    if not value.is_finite():
        raise UserError(f"{value} is not an amount of money: run 'officecli doctor' to find the record")
    try:
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more than 26 digits before the point
        raise UserError(
            f"{value:.0f}: an amount too large to compute with: run 'officecli doctor' to find the record"
        ) from None


def parse_rate(text: object, what: str = "VAT rate") -> Decimal:
    """A percentage such as 24 or 13 or 6.5."""
    s = str(text).strip() if not isinstance(text, (bool, float)) else ""
    try:
        value = Decimal(s) if _RATE_RE.match(s) else Decimal("NaN")
    except InvalidOperation:
        value = Decimal("NaN")
    if (
        not value.is_finite() or value < 0 or value > 100 or cast(int, value.as_tuple().exponent) < -2
    ):  # finite, so the exponent is an int
        raise UserError(f"{what} {text!r}: not a percentage between 0 and 100")
    return value


def text(value: Decimal) -> str:
    """The file form: '12.50'."""
    return str(q(value))


def fmt(value: Decimal, currency: str = "") -> str:
    """The printed form: '1,234.50 EUR'."""
    s = f"{q(value):,.2f}"
    return f"{s} {currency}" if currency else s


def rate_text(rate: object) -> str:
    r = Decimal(str(rate))
    return str(r.normalize()) if r == r.to_integral() else str(r)
