"""Greek payroll deductions: social insurance (ΕΦΚΑ) and withheld income tax (ΦΜΥ), by dated rates.

The rates live in office.yaml, each table in force from its ``from`` day, so a
new year's rates never rewrite a month already run (a month uses the table in
force on its first day)::

    payroll:
      rates:
        - from: 2026-01-01
          efka_employee: '13.87'        # % of gross, withheld from the employee
          efka_employer: '21.79'        # % of gross, the employer's own cost
          payments: 14                  # salaries a year (12 + Christmas, Easter, leave bonuses)
          tax_scale:                    # annual taxable income: the rate of each band
            - {upto: '10000', rate: '9'}
            - {upto: '20000', rate: '22'}
            - {upto: '30000', rate: '28'}
            - {upto: '40000', rate: '36'}
            - {rate: '44'}
          tax_reduction: '777'          # the annual tax reduction (no children) ...
          tax_reduction_above: '12000'  # ... less this much per 1,000 of income above:
          tax_reduction_taper: '20'

For one employee's gross pay of a month (prorated as payroll.py says):

* ΕΦΚΑ employee = gross x efka_employee %, employer = gross x efka_employer %
  (each rounded half-up to the cent);
* ΦΜΥ: the taxable pay (gross - ΕΦΚΑ employee) x ``payments`` is the annual
  income; the scale's tax on it less the reduction (never below 0), divided
  by ``payments`` and rounded to the cent, is the month's withholding;
* net = gross - ΕΦΚΑ employee - ΦΜΥ, what `payroll pay` pays the employee.

Without ``payroll.rates`` (or for a month before the first table) nothing is
deducted: the gross is the net, as before this existed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from officecli.office import clock, money
from officecli.store.errors import UserError

ZERO = money.ZERO
WHERE = "office.yaml: payroll.rates"
PARTS = ("efka_employee", "efka_employer", "tax", "net")  # what a line's deductions say


def _num(value: Any, what: str) -> Decimal:
    try:
        out = Decimal(str(value))
    except Exception:
        out = Decimal("NaN")
    if not out.is_finite() or out < 0 or isinstance(value, (bool, float)):
        raise UserError(f"{WHERE}: {what}: {value!r} is not a number written as text such as '13.87'")
    return out


def table_for(office, first: date) -> dict | None:
    """The rates in force on ``first`` (a month's first day), checked; None: no deductions."""
    payroll = office.config.raw.get("payroll")
    rates = payroll.get("rates") if isinstance(payroll, dict) else None
    if rates is None:
        return None
    if not isinstance(rates, list):
        raise UserError(f"{WHERE}: must be a list of tables, each with from: YYYY-MM-DD")
    best = None
    for i, t in enumerate(rates, 1):
        if not isinstance(t, dict) or not clock.is_date(str(t.get("from"))):
            raise UserError(
                f"{WHERE}: table {i}: from: {t.get('from') if isinstance(t, dict) else t!r} is not a date"
            )
        since = clock.parse_date(str(t["from"]))
        if since <= first and (best is None or since >= best[0]):
            best = (since, i, t)
    if best is None:
        return None
    _, i, t = best
    what = f"table {i} (from {t['from']})"
    scale = t.get("tax_scale") or []
    if not isinstance(scale, list):
        raise UserError(f"{WHERE}: {what}: tax_scale: must be a list of {{upto, rate}}")
    bands = []
    for j, band in enumerate(scale, 1):
        if not isinstance(band, dict) or "rate" not in band:
            raise UserError(f"{WHERE}: {what}: tax_scale band {j}: needs rate (and upto, but the last)")
        upto = band.get("upto")
        bands.append(
            (
                _num(upto, f"{what} band {j} upto") if upto is not None else None,
                _num(band["rate"], f"{what} band {j} rate"),
            )
        )
    payments = t.get("payments", 14)
    if not isinstance(payments, int) or isinstance(payments, bool) or payments <= 0:
        raise UserError(f"{WHERE}: {what}: payments: {payments!r} is not a whole number of salaries a year")
    return {
        "efka_employee": _num(t.get("efka_employee", "0"), f"{what} efka_employee"),
        "efka_employer": _num(t.get("efka_employer", "0"), f"{what} efka_employer"),
        "payments": payments,
        "bands": bands,
        "reduction": _num(t.get("tax_reduction", "0"), f"{what} tax_reduction"),
        "above": _num(t.get("tax_reduction_above", "0"), f"{what} tax_reduction_above"),
        "taper": _num(t.get("tax_reduction_taper", "0"), f"{what} tax_reduction_taper"),
    }


def annual_tax(rates: dict, income: Decimal) -> Decimal:
    """The scale's tax on an annual income, less the reduction (never below 0)."""
    tax, low = Decimal("0"), Decimal("0")
    for upto, rate in rates["bands"]:
        top = income if upto is None else min(income, upto)
        if top > low:
            tax += (top - low) * rate / 100
        if upto is None or income <= upto:
            break
        low = upto
    reduction = rates["reduction"]
    if rates["taper"] and income > rates["above"]:
        reduction -= (income - rates["above"]) / 1000 * rates["taper"]
    return max(tax - max(reduction, Decimal("0")), Decimal("0"))


def deductions(rates: dict | None, gross: Decimal) -> dict[str, Decimal]:
    """One employee's month: efka_employee, efka_employer, tax (ΦΜΥ), net."""
    if rates is None or gross <= 0:
        return {"efka_employee": ZERO, "efka_employer": ZERO, "tax": ZERO, "net": money.q(gross)}
    ee = money.q(gross * rates["efka_employee"] / 100)
    er = money.q(gross * rates["efka_employer"] / 100)
    n = rates["payments"]
    tax = money.q(annual_tax(rates, (gross - ee) * n) / n)
    return {"efka_employee": ee, "efka_employer": er, "tax": tax, "net": money.q(gross - ee - tax)}
