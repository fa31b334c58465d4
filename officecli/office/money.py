"""Money is Decimal, never float: parsing, rounding (half-up to the cent) and printing."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from officecli.store.errors import UserError

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
_MONEY_RE = re.compile(r"^[+-]?\d{1,15}(\.\d{1,2})?$")


def parse(text, what: str = "amount", allow_negative: bool = True) -> Decimal:
    """Exact decimal from text: at most 2 decimals; no exponent, nan or inf."""
    raw = str(text).strip().replace(",", ".") if isinstance(text, str) else text
    if isinstance(raw, bool) or isinstance(raw, float):
        raise UserError(f"{what} {text!r}: write money as a decimal string such as '12.50'")
    raw = str(raw)
    if not _MONEY_RE.match(raw):
        raise UserError(f"{what} {text!r}: not an amount of money (digits with at most 2 decimals, e.g. 12.50)")
    value = Decimal(raw)
    if value < 0 and not allow_negative:
        raise UserError(f"{what} {text!r}: must not be negative")
    return value.quantize(CENT)


def is_money(value) -> bool:
    try:
        parse(value)
        return True
    except UserError:
        return False


def q(value: Decimal) -> Decimal:
    """Round half-up to the cent."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_rate(text, what: str = "VAT rate") -> Decimal:
    """A percentage such as 24 or 13 or 6.5."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0 or value > 100 or value.as_tuple().exponent < -2:
        raise UserError(f"{what} {text!r}: not a percentage between 0 and 100")
    return value


def text(value: Decimal) -> str:
    """The file form: '12.50'."""
    return str(q(value))


def fmt(value: Decimal, currency: str = "") -> str:
    """The printed form: '1,234.50 EUR'."""
    s = f"{q(value):,.2f}"
    return f"{s} {currency}" if currency else s


def rate_text(rate) -> str:
    r = Decimal(str(rate))
    return str(r.normalize()) if r == r.to_integral() else str(r)
