"""The bank: statements in, their lines matched to invoices and bills, the account reconciled.

``formats`` reads CAMT.053, MT940 and CSV statements; ``importing`` turns their
lines into bank_line records once each, the balances checked; ``matching``
settles each line by rule (reference, IBAN, bank-rules.yaml) through the
books' own payment code; ``reconciliation`` puts the bank's balance beside the
books'. A room beside front/: it uses back/ (bills) and books/ (invoices, the
ledger), and overview/ and checks/ use it. docs/BANK.md is the user's guide.
"""
