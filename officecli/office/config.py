"""office.yaml: the company's settings, with the defaults ``init`` writes."""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from officecli.office.accounts import DEFAULT_CONTROL
from officecli.store import ids
from officecli.store.errors import UserError

ACCOUNT_TYPES = ("asset", "liability", "equity", "income", "expense")

DEFAULT_ACCOUNTS = {
    "Assets:Bank": "asset",
    "Assets:Cash": "asset",
    "Assets:Receivable": "asset",
    "Assets:Inventory": "asset",
    "Assets:VATInput": "asset",
    "Liabilities:Payable": "liability",
    "Liabilities:VAT": "liability",
    "Liabilities:Payroll": "liability",
    "Liabilities:GRNI": "liability",
    "Liabilities:VATDue": "liability",
    "Liabilities:CustomerCredit": "liability",
    "Liabilities:EFKA": "liability",
    "Liabilities:PayrollTax": "liability",
    "Equity:Capital": "equity",
    "Equity:Retained": "equity",
    "Income:Sales": "income",
    "Income:Other": "income",
    "Expenses:COGS": "expense",
    "Expenses:Salaries": "expense",
    "Expenses:SocialInsurance": "expense",
    "Expenses:Rent": "expense",
    "Expenses:Utilities": "expense",
    "Expenses:Marketing": "expense",
    "Expenses:Shipping": "expense",
    "Expenses:StockAdjustments": "expense",
    "Expenses:WriteOffs": "expense",
    "Expenses:PurchaseDifferences": "expense",
    "Expenses:Other": "expense",
}


# Optional company details printed on documents (officecli print): '' or absent = not shown.
COMPANY_DETAILS = (
    "address",
    "vat_number",
    "tax_office",
    "gemi",
    "phone",
    "email",
    "bank",
    "iban",
    "bic",
    "logo",
)
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


def default_office(
    name: str, currency: str, site: str, site_name: str | None = None, autocommit: bool = False
) -> dict[str, Any]:
    """The office.yaml ``init`` writes (Greek defaults: VAT 24/13/6, Europe/Athens).
    The first site is registered in ``sites:``; which site a clone is, is the clone's
    own setting (git config officecli.site), never this versioned file."""
    return {
        "company": {
            "name": name,
            "currency": currency,
            "timezone": "Europe/Athens",
            "country": "GR",
            **{key: "" for key in COMPANY_DETAILS},
        },
        "sites": {site: site_name or f"site {site}"},
        "vat": {"rates": ["24", "13", "6"], "default": "24"},
        "sla_hours": {"forward": 4, "first_response": 24, "resolution": 72},
        "payment_terms_days": 30,
        "invoice_series": "{site}",
        "departments": {
            "front": ["sales", "service", "marketing"],
            "back": ["warehouse", "accounting", "hr", "product"],
        },
        "accounts": dict(DEFAULT_ACCOUNTS),
        "control_accounts": list(DEFAULT_CONTROL),
        "git": {"autocommit": autocommit},
        "lock_timeout_seconds": 10,
    }


@dataclass
class Config:
    raw: dict[str, Any]
    site_override: str | None = None
    site_finder: Callable[[], str] | None = None  # this clone's site (office/site.py)

    def _get(self, *path: str, default: Any = None) -> Any:
        node = self.raw
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return default
            node = node[key]
        return node

    @property
    def name(self) -> str:
        return str(self._get("company", "name", default=""))

    @property
    def currency(self) -> str:
        return str(self._get("company", "currency", default="EUR"))

    @property
    def site(self) -> str:
        """This clone's site code: $OFFICECLI_SITE, else the finder's (git config
        officecli.site, .officecli/site, ...: see office/site.py), else office.yaml."""
        env = os.environ.get("OFFICECLI_SITE") or self.site_override
        if env:
            return ids.check_site(env)
        if self.site_finder is not None:
            return ids.check_site(self.site_finder())
        return ids.check_site(str(self._get("company", "site", default="A")))

    @property
    def company(self) -> dict[str, str]:
        """The company's details for documents: name, country and COMPANY_DETAILS (text, '' when unset)."""
        return {
            key: str(self._get("company", key, default="") or "").strip()
            for key in ("name", "country", *COMPANY_DETAILS)
        }

    @property
    def timezone(self) -> str | None:
        return self._get("company", "timezone")

    @property
    def vat_rates(self) -> list[Decimal]:
        return [Decimal(str(r)) for r in self._get("vat", "rates", default=["24"])]

    @property
    def default_vat(self) -> Decimal:
        return Decimal(str(self._get("vat", "default", default="24")))

    @property
    def sla_hours(self) -> dict[str, Any]:
        return dict(self._get("sla_hours", default={}) or {})

    @property
    def payment_terms_days(self) -> int:
        return int(self._get("payment_terms_days", default=30))

    @property
    def accounts(self) -> dict[str, str]:
        return dict(self._get("accounts", default={}) or {})

    @property
    def control_accounts(self) -> tuple[str, ...]:
        """office.yaml ``control_accounts:`` (else DEFAULT_CONTROL), those in the chart."""
        listed = self._get("control_accounts", default=None)
        names = DEFAULT_CONTROL if listed is None else tuple(str(a) for a in listed or ())
        chart = self.accounts
        return tuple(a for a in names if a in chart)

    @property
    def departments(self) -> dict[str, list[str]]:
        return dict(self._get("departments", default={}) or {})

    @property
    def autocommit(self) -> bool:
        return bool(self._get("git", "autocommit", default=False))

    @property
    def lock_timeout(self) -> float:
        env = os.environ.get("OFFICECLI_LOCK_TIMEOUT")
        if env:
            try:
                value = float(env)
            except ValueError:
                value = -1.0
            if not 0 <= value < float("inf"):
                raise UserError(f"$OFFICECLI_LOCK_TIMEOUT {env!r}: not a number of seconds (0 or more)")
            return value
        return float(self._get("lock_timeout_seconds", default=10))


def problems(raw: Any) -> list[str]:
    """What is wrong with office.yaml, one line each (``field: problem``)."""
    if not isinstance(raw, dict):
        return ["the file must be a mapping of settings"]
    out = []
    company = raw.get("company")
    if not isinstance(company, dict) or not company.get("name"):
        out.append("company.name: missing")
    elif "site" in company and not ids.SITE_RE.match(str(company.get("site", ""))):
        out.append(f"company.site: {company.get('site')!r} is not a site code (1-8 capitals or digits)")
    sites = raw.get("sites")
    if sites is not None and not isinstance(sites, dict):
        out.append("sites: must be a table of site code: name")
    for code in sites if isinstance(sites, dict) else ():
        if not ids.SITE_RE.match(str(code)):
            out.append(f"sites.{code}: {code!r} is not a site code (1-8 capitals or digits)")
    accounts = raw.get("accounts")
    if not isinstance(accounts, dict) or not accounts:
        out.append("accounts: missing (the chart of accounts)")
    else:
        for acct, typ in accounts.items():
            if typ not in ACCOUNT_TYPES:
                out.append(f"accounts.{acct}: type {typ!r} is not one of {', '.join(ACCOUNT_TYPES)}")
    control = raw.get("control_accounts")
    if control is not None:
        if not isinstance(control, list) or not all(isinstance(a, str) for a in control):
            out.append("control_accounts: must be a list of account names")
        elif isinstance(accounts, dict):
            out += [
                f"control_accounts: {a!r} is not in the chart of accounts (accounts:)"
                for a in control
                if a not in accounts
            ]
    from .periods import problem as books_problem  # the closed period (books.closed_through)

    said = books_problem(raw)
    if said:
        out.append(said)
    sla = raw.get("sla_hours") or {}
    if not isinstance(sla, dict):
        out.append("sla_hours: must be a mapping such as forward: 4")
        sla = {}
    departments = raw.get("departments", {}) or {}
    if not isinstance(departments, dict) or not all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(d, str) for d in v)
        for k, v in departments.items()
    ):
        out.append("departments: must map each office (front, back) to a list of departments")
    for key, hours in sla.items():
        if not isinstance(hours, (int, float)) or isinstance(hours, bool) or not 0 < hours <= 100_000:
            out.append(f"sla_hours.{key}: {hours!r} is not a positive number of hours (at most 100000)")
    out += _setting_problems(raw, company if isinstance(company, dict) else {})
    from .numbering import problems as numbering_problems  # invoice_series:, payroll:

    out += numbering_problems(raw)
    out += company_problems(company if isinstance(company, dict) else {})
    return out


def iban_ok(text: str) -> bool:
    """An IBAN's form and its ISO 13616 check digits (mod 97 == 1); spaces ignored."""
    import re

    s = re.sub(r"\s", "", text).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", s):
        return False
    digits = "".join(str(int(c, 36)) for c in s[4:] + s[:4])
    return int(digits) % 97 == 1


def company_problems(company: dict[str, Any]) -> list[str]:
    """The optional details documents print: text when given; an IBAN with valid check
    digits; a logo a relative path inside the records folder to a .png/.jpg/.svg."""
    out = []
    for key in COMPANY_DETAILS:
        value = company.get(key)
        if (
            value is None
            or value == ""
            or (isinstance(value, int) and not isinstance(value, bool) and key in ("vat_number", "phone"))
        ):
            continue
        if not isinstance(value, str):
            out.append(f"company.{key}: {value!r} is not text")
            continue
        if key != "address" and ("\n" in value.strip() or "\r" in value):
            out.append(f"company.{key}: must be one line")
        elif key == "iban" and not iban_ok(value):
            out.append(
                f"company.iban: {value!r} is not an IBAN (country, check digits, account; "
                "the check digits must match)"
            )
        elif key == "logo":
            parts = value.replace("\\", "/").split("/")
            if value.startswith("/") or ".." in parts or not value.lower().endswith(LOGO_SUFFIXES):
                out.append(
                    f"company.logo: {value!r} is not a path inside the records folder to a "
                    f"{'/'.join(s.lstrip('.') for s in LOGO_SUFFIXES)} file (e.g. templates/logo.png)"
                )
    return out


def _setting_problems(raw: dict[str, Any], company: dict[str, Any]) -> list[str]:
    """The settings commands compute with: a bad one is named here, not met as a crash later."""
    import math

    from .money import parse_rate

    out = []
    currency = company.get("currency", "EUR")
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha() and currency.isupper()):
        out.append(f"company.currency: {currency!r} is not an ISO 4217 code such as EUR")
    vat = raw.get("vat", {}) or {}
    rates = vat.get("rates", ["24"]) if isinstance(vat, dict) else None
    if not isinstance(rates, list) or not rates:
        out.append("vat.rates: must be a list of percentages such as '24'")
        rates = []
    good = []
    for rate in rates:
        try:
            good.append(parse_rate(rate))
        except UserError:
            out.append(f"vat.rates: {rate!r} is not a percentage between 0 and 100")
    default = vat.get("default", "24") if isinstance(vat, dict) else "24"
    try:
        if good and parse_rate(default) not in good:
            out.append(f"vat.default: {default!r} is not one of vat.rates")
    except UserError:
        out.append(f"vat.default: {default!r} is not a percentage between 0 and 100")
    terms = raw.get("payment_terms_days", 30)
    if not isinstance(terms, int) or isinstance(terms, bool) or not 0 <= terms <= 3660:
        out.append(f"payment_terms_days: {terms!r} is not a whole number of days (0 to 3660)")
    timeout = raw.get("lock_timeout_seconds", 10)
    try:  # the loader keeps 2.5 as the text '2.5'
        seconds = -1.0 if isinstance(timeout, bool) else float(timeout)
    except (TypeError, ValueError):
        seconds = -1.0
    if not (math.isfinite(seconds) and 0 <= seconds <= 86400):
        out.append(f"lock_timeout_seconds: {timeout!r} is not a number of seconds (0 to 86400)")
    return out


def check(raw: Any) -> dict[str, Any]:
    found = problems(raw)
    if found:
        raise UserError(f"office.yaml: {found[0]}")
    return raw
