#!/usr/bin/env python3
"""Regenerate completions/ from the click command tree (a test fails when they are stale)."""

from pathlib import Path

from officecli.cli import cli
from officecli.cli.completion import script

OUT = Path(__file__).resolve().parent.parent / "completions"
NAMES = {"bash": "officecli.bash", "zsh": "_officecli", "fish": "officecli.fish"}

for shell, name in NAMES.items():
    (OUT / name).write_text(script(shell, cli))
    print(f"wrote completions/{name}")
