"""What a check finds: one problem, said as 'where: message' on one line.

Below every check (checks/doctor.py and its walk, the pay repository's checks in
people/, the merge checks in sites/), so each can say what it finds without
importing the command that gathers them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Problem:
    where: str  # path, or path:line
    message: str
    fixable: bool = False

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"
