"""Views across both offices for the manager: the daily report and the period reports,
aged receivables and payables, and an order's trace from the front office to the back.
Uses the front and back offices, people, books and the kernel; never sites or checks."""
