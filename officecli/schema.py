"""One output schema per kind of row: the keys scripts can rely on.

officecli/office/schema.yaml is the data: for each kind of row (a record kind such as
``order``, or a derived row such as ``stock`` or ``ledger.balance``), the
commands that print it and its fields in order, each with a type. The
renderer (officecli/render.py) prints exactly these keys, in this order, in
json, jsonl, yaml and csv, ``null`` (an empty csv cell) when a row has no
value; ``--fields`` picks among them. docs/SCHEMA.md is generated from the
same data (``python -m officecli.schema > docs/SCHEMA.md``; a test fails
when it is stale).

Types: ``id`` (a record ID or another key naming the row), ``str``, ``text``
(may hold line breaks), ``money`` (a decimal string, '12.50'), ``int``,
``bool``, ``date`` (YYYY-MM-DD), ``datetime`` (ISO 8601 with offset),
``month`` (YYYY-MM), ``list`` and ``map`` (a JSON cell in csv), ``rate``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

SCHEMA = Path(__file__).with_name("office") / "schema.yaml"
TOUCHED = "touched"  # what a command that creates, moves or changes records prints
PROBLEM = "problem"  # what a check prints


@cache
def kinds() -> dict[str, dict]:
    import yaml  # the schema is read only when a machine format or a test asks for it

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(SCHEMA.read_text("utf-8"), Loader=loader) or {}


@cache
def commands() -> dict[str, str]:
    """Command path ('order list') -> kind of row."""
    return {cmd: kind for kind, spec in kinds().items() for cmd in spec.get("commands") or ()}


def fields_of(command: str, flags=()) -> list[str] | None:
    """The keys a command's rows carry, in order; None for a command with no schema.
    ``flags`` are the command's flags that are on ("--summary"): an entry
    "employee list --summary" wins over "employee list"."""
    table = commands()
    kind = next((table[f"{command} {f}"] for f in flags if f"{command} {f}" in table), table.get(command))
    fields = kinds()[kind].get("fields") if kind else None
    return list(fields) if fields else None


def markdown() -> str:
    """docs/SCHEMA.md."""
    out = [
        "# Output schema",
        "",
        "Generated from `officecli/office/schema.yaml` by `python -m officecli.schema > docs/SCHEMA.md`;",
        "do not edit by hand.",
        "",
        "Every command that prints records takes `--format table|json|jsonl|yaml|csv|ids` and",
        "`--fields a,b,c`. In json, jsonl, yaml and csv every row carries exactly the keys of its",
        "kind below, in this order, `null` (an empty csv cell) when empty. `json` and `yaml`",
        "print a list (a `show` a list of one), `jsonl` one object a line, `csv` a header row;",
        "lists and maps are one JSON cell in csv and booleans are `true`/`false`, so a csv",
        'reader gets back what json says. Money is a decimal string (`"1234.50"`); the',
        "thousands comma is only for tables.",
        "",
        "A command that creates, moves or changes records prints, in the machine formats,",
        "one `touched` row per record (after every ID it was given); with `--format ids`",
        "their IDs. Checks (`doctor`, `ledger check`, `stock low --check`) print one",
        "`problem` row each, `[]` when all is well.",
        "",
    ]
    for kind, spec in kinds().items():
        out += [f"## {kind}", ""]
        if spec.get("about"):
            out += [spec["about"].strip(), ""]
        cmds = spec.get("commands") or []
        if cmds:
            out += ["Printed by: " + ", ".join(f"`officecli {c}`" for c in cmds), ""]
        out += ["| field | type |", "|---|---|"]
        out += [f"| `{name}` | {ftype} |" for name, ftype in spec["fields"].items()]
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown(), end="")
