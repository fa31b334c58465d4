"""The back office never meets a customer: products, stock, suppliers, purchase orders and bills,
returns, and the product improvements that complaints turn into.
Uses the books and the kernel; never the front office, people, sites, overview or checks."""
