"""Several sites through git: site set, init, sync, the merge checks, resolve, renumber,
history and audit, and the git set-up (merge driver, attributes) every clone needs.
Uses the front and back offices, people, books and the kernel; never overview or checks."""
