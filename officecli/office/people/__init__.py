"""People: staff (public) and their pay (private to HR, its own repository), leave and payroll.
Who is acting (office/users.py) is the kernel's; this room keeps the employees themselves.
Uses the books and the kernel; never the front or back office, sites, overview or checks."""
