"""Shared numbering has one owner: which site may issue an invoice series, credit notes, payroll.

Some numbers must be unique and gapless company-wide, whatever site issues
them: an invoice series (``INV-S-0001``), its credit notes (``CRN-S-0001``) and
a month's payroll. Two sites issuing them at the same time would mint the same
number twice (two different ``INV-S-0001``) or post a month's salaries twice;
git merges both without a conflict. So each of them has exactly one owner
site, named in office.yaml, and every other site is refused *before anything
changes*, with one line naming the owner.

office.yaml::

    invoice_series: '{site}'        # the old form: the default series pattern only
    invoice_series:                 # or a table
      default: '{site}'             #   the series a site issues in without --series
      S: A                          #   series S: only site A issues INV-S-… and CRN-S-…
    payroll:
      site: A                       # only site A runs and pays payroll

Who owns a series, first match wins (``series_owner``):

1. the ``invoice_series`` table names it (``S: A``);
2. it is the default pattern of a known site (``{site}`` -> series ``A`` is
   site A's, ``{site}X`` -> series ``AX`` is site A's);
3. nobody: in a single-site company that one site issues it; with several
   sites it is refused everywhere with a line saying how to name its owner.

A credit note is numbered in its invoice's series, so it follows that
series' owner. Payroll: ``payroll.site`` when set; without it a single-site
company runs payroll wherever it is, and a company with several sites is
refused with a line saying how to set ``payroll.site``.

The known sites are office.yaml's ``sites:`` table, the legacy
``company.site`` and this clone's own code (a clone that never registered
itself still counts as a second site).
"""

from __future__ import annotations

from typing import Any, Callable

from officecli.store import ids
from officecli.store.errors import UserError

DEFAULT_KEY = "default"
PATTERN = "{site}"


def table(raw: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """(the default series pattern, series -> owning site) from office.yaml."""
    value = raw.get("invoice_series") if isinstance(raw, dict) else None
    if isinstance(value, dict):
        pattern = str(value.get(DEFAULT_KEY) or PATTERN)
        owners = {str(k).upper(): str(v) for k, v in value.items() if k != DEFAULT_KEY and v is not None}
        return pattern, owners
    return str(value or PATTERN), {}


def problems(raw: dict[str, Any]) -> list[str]:
    """What is wrong with ``invoice_series`` and ``payroll`` (config.problems uses it)."""
    out = []
    value = raw.get("invoice_series")
    if value is not None and not isinstance(value, (str, dict)):
        out.append("invoice_series: must be a pattern such as '{site}' or a table of series: site")
    pattern, owners = table(raw) if isinstance(value, (str, dict, type(None))) else (PATTERN, {})
    if not ids.SITE_RE.match(pattern.replace(PATTERN, "A")):
        out.append(
            f"invoice_series: default {pattern!r} is not a series pattern "
            "(capitals and digits, '{site}' for the site's code)"
        )
    for series, site in owners.items():
        if not ids.SITE_RE.match(series):
            out.append(f"invoice_series.{series}: {series!r} is not a series (1-8 capitals or digits)")
        elif not ids.SITE_RE.match(site):
            out.append(f"invoice_series.{series}: {site!r} is not a site code (1-8 capitals or digits)")
    payroll = raw.get("payroll")
    if payroll is not None:
        if not isinstance(payroll, dict):
            out.append("payroll: must be a table such as {site: A}")
        elif payroll.get("site") is not None and not ids.SITE_RE.match(str(payroll.get("site"))):
            out.append(f"payroll.site: {payroll.get('site')!r} is not a site code (1-8 capitals or digits)")
    return out


def known_sites(office: Any) -> list[str]:
    """Every site this clone knows of: office.yaml's sites: table, company.site, itself."""
    from officecli.office import site as sites

    raw = office.config.raw
    found = set(sites.registered(raw))
    company = raw.get("company") if isinstance(raw.get("company"), dict) else {}
    if company.get("site"):
        found.add(str(company["site"]))
    found.add(office.config.site)
    return sorted(found)


def default_series(office: Any) -> str:
    """The series this site issues in without --series."""
    return table(office.config.raw)[0].replace(PATTERN, office.config.site)


def series_owner(office: Any, series: str) -> str | None:
    """The site that owns ``series`` (None: office.yaml names no owner)."""
    pattern, owners = table(office.config.raw)
    if series in owners:
        return owners[series]
    if PATTERN in pattern:
        for site in known_sites(office):
            if pattern.replace(PATTERN, site) == series:
                return site
    return None


def require_owner(
    office: Any, owner: str | None, unowned: Callable[[list[str]], str], elsewhere: Callable[[str], str]
) -> None:
    """Refuse unless this site is ``owner``; with no owner, unless the company has one
    site. ``unowned(sites)`` and ``elsewhere(here)`` say why (one line each)."""
    here = office.config.site
    if owner == here:
        return
    if owner is None:
        others = known_sites(office)
        if len(others) > 1:
            raise UserError(unowned(others))
        return
    raise UserError(elsewhere(here))


def require_series(office: Any, series: str, what: str = "invoice") -> None:
    """Refuse (UserError) issuing a number of ``series`` at a site that does not own it."""
    owner = series_owner(office, series)
    prefix = "CRN" if what == "credit note" else "INV"
    require_owner(
        office,
        owner,
        lambda others: (
            f"{what} series {series}: office.yaml names no site that owns it and the company has "
            f"sites {', '.join(others)}: add '{series}: SITE' under invoice_series in office.yaml "
            f"(the one site that numbers {prefix}-{series}-…); nothing was changed"
        ),
        lambda here: (
            f"{what} series {series}: owned by site {owner} (office.yaml invoice_series), this is site "
            f"{here}: only site {owner} issues {prefix}-{series}-… numbers, so none is ever issued twice; "
            f"nothing was changed"
        ),
    )


def payroll_owner(office: Any) -> str | None:
    raw = office.config.raw.get("payroll")
    site = raw.get("site") if isinstance(raw, dict) else None
    return str(site) if site else None


def require_payroll(office: Any, month: str) -> None:
    """Refuse (UserError) running or paying payroll at a site that does not own it."""
    owner = payroll_owner(office)
    require_owner(
        office,
        owner,
        lambda others: (
            f"payroll {month}: the company has sites {', '.join(others)} and office.yaml names none "
            f"for payroll: set 'payroll: {{site: {others[0]}}}' in office.yaml (the one site that runs "
            "payroll, so no month is posted twice); nothing was changed"
        ),
        lambda here: (
            f"payroll {month}: payroll is run at site {owner} (office.yaml payroll.site), this is site "
            f"{here}: run it there, so no month is posted twice; nothing was changed"
        ),
    )
