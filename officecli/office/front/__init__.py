"""The front office meets the customers: customers, quotes, orders, complaints and their SLA,
the documents a customer receives, CSV imports and search.
Uses the back office, people, books and the kernel; never sites, overview or checks."""
