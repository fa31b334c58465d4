#!/usr/bin/env python3
"""Regenerate records/ (the sample company) from officecli/cli/sample/*.txt.

    python scripts/make_records.py            # rebuilds ./records
    python scripts/make_records.py OUT        # builds into OUT (must not exist)

The sample is made by officecli itself, one command line at a time, so it
is always exactly what the commands make.

Its .gitignore lists back/hr/ (as every office's does: pay stays out of the
company's repository), but this repository ships the sample whole, pay
included, so that the demo can run payroll. Add the private part by force:

    git add records && git add -f records/back/hr
"""

import shutil
import sys
import tempfile
from pathlib import Path

from officecli.cli.sample import build


def main() -> None:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "records")
    with tempfile.TemporaryDirectory() as tmp:
        made = build(Path(tmp) / "records")
        shutil.rmtree(made / ".officecli", ignore_errors=True)
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(made, target)
    print(f"made the sample company in {target}")
    print("to commit it: git add records && git add -f records/back/hr  (its .gitignore lists back/hr/)")


if __name__ == "__main__":
    main()
