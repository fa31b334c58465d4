"""Future-dated postings (issue 27, failure 12's fast clock), through real git: a bare remote
and two clones set up with officecli's own commands (tests/git/sites.py).

A writer refuses any date after its own today, in one line. A site whose clock runs
ahead cannot see that it does; every other site can: doctor and ``ledger check`` name each
entry dated beyond today + office.yaml ``books.future_days`` (default 1). Once that site's
clock is set right it invoices and takes payments again: a date beyond the limit never
blocks today's work.
"""

from __future__ import annotations

from tests.git.sites import NOW, read

FAST = "2026-12-02T09:00:00+02:00"  # site B's clock, 30 days ahead of the others' NOW


def sell(site, now: str) -> str:
    """An order taken, forwarded, shipped and invoiced at ``site`` on its clock; the invoice."""
    order = site.ids("order", "add", "--customer", "CUS-A-0001", "MUG-01:1", now=now)
    for step in ("forward", "ship"):
        site.run("order", step, order, now=now)
    site.run("order", "invoice", order, now=now)
    return site.data(next(f for f in site.files() if f.endswith(f"/{order}.yaml")))["invoice"]


def test_the_writer_refuses_a_date_after_its_today_in_one_line(sites):
    a, _ = sites
    head = a.head()
    res = a.run(
        "ledger", "post", "--date", "2026-11-03", "Rent", "Expenses:Rent", "10", "Assets:Bank", ok=False
    )
    assert res.returncode == 1 and res.stderr.count("\n") == 1
    assert "dated 2026-11-03, after today (2026-11-02)" in res.stderr
    assert a.head() == head and a.git("status", "--porcelain") == ""


def test_a_fast_clock_is_named_by_doctor_and_the_site_works_again_once_set_right(sites):
    a, b = sites
    early = sell(b, FAST)  # dated 2026-12-02 by a clock 30 days ahead
    assert b.data(next(f for f in b.files() if f.endswith(f"/{early}.yaml")))["date"] == "2026-12-02"
    b.sync()
    a.sync()
    for args in (("doctor",), ("ledger", "check")):
        res = read(a, *args)
        assert res.exit_code == 1, res.output
        named = [line for line in res.output.splitlines() if "written by a clock that ran ahead" in line]
        assert named and all("dated 30 days after today (2026-11-02" in line for line in named), res.output
        assert any(early in line and "site B" in line for line in named), res.output
    # B's clock is set right: it invoices and takes payments again
    later = sell(b, NOW)
    assert b.data(next(f for f in b.files() if f.endswith(f"/{later}.yaml")))["date"] == "2026-11-02"
    b.run("invoice", "pay", early, "all")
    b.run("invoice", "pay", later, "all")
    # the tolerance is office.yaml's: a company that allows 40 days hears nothing
    path = a.root / "office.yaml"
    path.write_text(path.read_text("utf-8") + "books:\n  future_days: 40\n", "utf-8")
    assert read(a, "doctor").exit_code == 0
