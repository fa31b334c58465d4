"""What checks the whole office: doctor and its walk, the clone's git checks, ledger check
(the books against every subledger) and the reconciliation of the control accounts.
Uses every other room and the kernel; nothing uses it but the cli."""
