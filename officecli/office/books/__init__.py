"""The books: the double-entry ledger, invoices and credit notes, closing periods, VAT,
balances, the trial balance and exports to hledger, ledger-cli and beancount.
Uses the kernel only: the ledger posts and sums and knows nothing of who posts."""
