"""The rules of the office: workflows, money, orders, complaints, stock, books, HR.

Plain Python: no click, no printing. Talks to the disk only through
officecli.store.
"""
