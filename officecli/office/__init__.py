"""The rules of the office, in rooms that show the company, over a kernel they all use.

    front/     the front office: customers, quotes, orders, complaints, documents
    back/      the back office: products, stock, purchasing, bills, returns, improvements
    people/    staff, private pay, leave, payroll
    books/     ledger, invoices, credit notes, closing, VAT, exports
    overview/  report daily and the period reports, aged balances, an order's trace
    sites/     several sites through git: site set, init, sync, resolve, renumber, history, audit
    checks/    doctor, ledger check, reconciliation of the control accounts

The kernel, here: the Office (core.py), records, config, workflows, clock, money,
summaries, index, events, and what several rooms share (accounts, lines, contacts,
aliases, numbering, periods, problems, site, users, autocommit).

A room uses the rooms below it in that list's order of layers (checks; sites and
overview; front; back and people; books) and the kernel, never one above it; the
kernel uses only officecli.store. pyproject.toml's import contracts check it, and
docs/ARCHITECTURE.md draws it. Plain Python: no click, no printing.
"""
