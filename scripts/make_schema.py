"""Refresh the field lists of officecli/office/schema.yaml from what the commands print.

Runs every command the schema names on a copy of the sample company with
``--format json`` and records the keys its rows carry (in order) and each key's
type, keeping `about` and `commands` as written; then writes docs/SCHEMA.md.

    python scripts/make_schema.py
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from click.testing import CliRunner  # noqa: E402

from officecli import schema  # noqa: E402
from officecli.cli import cli  # noqa: E402

# what each command needs besides its name, on the sample company
ARGS = {
    "customer show": ["1"],
    "product show": ["MUG-AEG"],
    "order show": ["1"],
    "order trace": ["1"],
    "purchase trace": ["1"],
    "quote show": ["1"],
    "invoice show": ["1"],
    "complaint show": ["1"],
    "improvement show": ["1"],
    "supplier show": ["1"],
    "purchase show": ["1"],
    "bill show": ["1"],
    "return show": ["1"],
    "employee show": ["1"],
    "payroll show": ["2026-10"],
    "complaint escalate": ["--dry-run"],
    "quote expire": ["--dry-run"],
    "report aged": ["receivables"],
    "report aged --summary": ["receivables", "--summary"],
}
EXTRA = {
    "report aged": [["payables"]],
    "report sales": [["--by", "product"]],
    "report quotes": [["--by", "source"]],
    "stock list": [["--all"]],
}
LISTS_ALL = ("list",)


class Flow(list):
    """A list written [a, b] in the YAML file."""


def type_of(values) -> str:
    seen = [v for v in values if v is not None]
    if not seen:
        return "str"
    if all(isinstance(v, bool) for v in seen):
        return "bool"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in seen):
        return "int"
    if all(isinstance(v, list) for v in seen):
        return "list"
    if all(isinstance(v, dict) for v in seen):
        return "map"
    if all(isinstance(v, str) for v in seen):
        for name, pat in (
            ("money", r"-?\d+\.\d\d"),
            ("date", r"\d{4}-\d\d-\d\d"),
            ("datetime", r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?[+-]\d\d:\d\d"),
            ("month", r"\d{4}-\d\d"),
        ):
            if all(re.fullmatch(pat, v) for v in seen):
                return name
    return "str"


def workflow_fields(kind: str) -> dict[str, str]:
    """A record kind's fields (workflows.yaml) with their schema types."""
    from officecli.office.workflows import kinds

    k = kinds().get(kind)
    out = {}
    for name, (ftype, _required) in k.fields.items() if k else ():
        base = re.split(r"[:<>=!]", ftype)[0]
        out[name] = {
            "ref": "str",
            "sku": "str",
            "vat": "str",
            "office": "str",
            "account": "str",
            "rate": "str",
            "history": "list",
            "vat_split": "map",
            "id": "id",
        }.get(base, base)
    return out


def rows_of(root: Path, command: str) -> list[dict]:
    words = command.split()
    flag_at = next((i for i, w in enumerate(words) if w.startswith("-")), len(words))
    base = words[:flag_at]
    runs = [ARGS.get(command, [])] + EXTRA.get(command, [])
    out = []
    for extra in runs:
        argv = ["--root", str(root), "--format", "json", *base, *extra]
        if base[-1] in LISTS_ALL:
            argv.append("--all")
        res = CliRunner().invoke(cli, argv)
        if res.exit_code == 2 and argv[-1] == "--all":  # a list whose --all means more
            res = CliRunner().invoke(cli, argv[:-1])
        if res.exit_code not in (0, 1):
            raise SystemExit(f"{' '.join(argv)}: exit {res.exit_code}: {res.output}")
        out += json.loads(res.stdout or "[]")
    return out


def main() -> None:
    import yaml

    text = (REPO / "officecli/office/schema.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "records"
        shutil.copytree(REPO / "records", root)
        for kind, spec in data.items():
            if kind in ("touched", "problem"):
                continue
            keys: dict[str, list] = {}
            for command in spec["commands"]:
                for row in rows_of(root, command):
                    for k, v in row.items():
                        keys.setdefault(k, []).append(v)
            wf = workflow_fields(kind)
            for k in wf:  # a record kind: every field its file may hold
                keys.setdefault(k, [])
            order = sorted(keys, key=lambda k: (k in ("history", "path"), k == "path"))  # stable sort
            spec["fields"] = {
                k: ("id" if k == "id" else type_of(keys[k]) if keys[k] else wf[k]) for k in order
            }
    for spec in data.values():
        spec["commands"] = Flow(spec.get("commands") or [])
    yaml.SafeDumper.add_representer(
        Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True)
    )
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
    (REPO / "officecli/office/schema.yaml").write_text(header + body, "utf-8")
    schema.kinds.cache_clear()
    schema.commands.cache_clear()
    (REPO / "docs/SCHEMA.md").write_text(schema.markdown(), "utf-8")


if __name__ == "__main__":
    main()
