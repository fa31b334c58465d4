"""The strict loader's table: what a plain scalar reads as, and what a mapping may hold.

Both readers of a record use it, so they cannot disagree about it: yamlio.py
(the strict path: PyYAML's C loader with this ``Loader``) and fastyaml.py (the
fast reader, which resolves plain scalars with ``Loader.yaml_implicit_resolvers``).
It sits below both and imports neither of them.

Rule 3 of yamlio.py lives here, in ``Loader``: while constructing, the same key
twice in one mapping, a merge key (``<<``), a key that is not text, a whole
number of more than 18 digits or not written plainly (``0x1F``, ``010``,
``1_000``, ``1:30``), and a plain scalar that reads as a non-finite or exponent
number (``.nan``, ``1e3``) are refused with ``Refused``. Floats and timestamps
are never resolved: ``12.50`` and ``2026-11-02`` stay the text that was written.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any, NoReturn

import yaml

try:  # the C loader when libyaml is present
    from yaml import CSafeLoader as BaseLoader
except ImportError:  # pragma: no cover - pure Python fallback
    from yaml import SafeLoader as BaseLoader  # type: ignore[assignment]

__all__ = [
    "BaseLoader",
    "Loader",
    "Refused",
    "MAX_DEPTH",
    "NUMBERISH",
    "NUMBERISH_RE",
    "NUMBERISH_FIRST",
    "PLAIN_INT",
    "line_of",
]

_KEEP_AS_TEXT = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:float"}
NUMBERISH = "tag:officecli,2026:number-not-written-by-officecli"
NUMBERISH_RE = re.compile(
    r"""^(?:[-+]?\.?(?:nan|inf|infinity)
        |[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)[eE][-+]?[0-9]+)$""",
    re.X | re.I,
)
NUMBERISH_FIRST = list("-+.0123456789nNiI")
PLAIN_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]{0,17})$")

MAX_DEPTH = 20  # records nest 3 or 4 deep (an invoice's vat: rate: net)


class Refused(yaml.YAMLError):
    """YAML that officecli never writes: ``line`` (1-based, or None) and ``problem``."""

    def __init__(self, problem: str, line: int | None = None):
        super().__init__(problem)
        self.problem = problem
        self.line = line

    def __str__(self) -> str:
        return self.problem


def line_of(node_or_event: object) -> int | None:
    """The 1-based line where a node or a parser event starts, where PyYAML knows it."""
    mark: yaml.Mark | None = getattr(node_or_event, "start_mark", None)
    return mark.line + 1 if mark is not None else None


class Loader(BaseLoader):
    """Safe loader that keeps decimals and dates as the text that was written and
    refuses duplicate keys, merge keys, odd numbers (see yamlio.py's rule 3)."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Hashable, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise Refused("expected a mapping", line_of(node))
        mapping: dict[Hashable, Any] = {}
        first: dict[str, int | None] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise Refused("a merge key (<<): officecli writes every field out", line_of(key_node))
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                raise Refused(
                    f"the key {key_node.value!r} is not text"
                    if isinstance(key_node, yaml.ScalarNode)
                    else "a key that is not text",
                    line_of(key_node),
                )
            if key in mapping:
                raise Refused(
                    f"{key}: the same key twice in one mapping (lines {first[key]} and "
                    f"{line_of(key_node)}: a bad merge?); keep one",
                    line_of(key_node),
                )
            first[key] = line_of(key_node)
            try:
                mapping[key] = self.construct_object(value_node, deep=deep)
            except Refused as exc:  # a scalar's problem: name its field
                if isinstance(value_node, yaml.ScalarNode):
                    exc.problem = f"{key}: {exc.problem}"
                raise
        return mapping


Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _KEEP_AS_TEXT]
    for first, resolvers in BaseLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver(NUMBERISH, NUMBERISH_RE, NUMBERISH_FIRST)


def _refuse_numberish(loader: Loader, node: yaml.ScalarNode) -> NoReturn:
    raise Refused(
        f"{node.value!r} reads as a number that is not finite or has an exponent; "
        f"write money as '12.50', and put text in quotes",
        line_of(node),
    )


def _construct_int(loader: Loader, node: yaml.ScalarNode) -> int:
    value: str = node.value
    if PLAIN_INT.match(value):
        return int(value)
    if re.match(r"^[-+]?[1-9][0-9]*$", value):
        raise Refused(f"a whole number of {len(value.lstrip('+-'))} digits (at most 18)", line_of(node))
    raise Refused(
        f"{value[:40]!r} is not written as a plain whole number such as 12 (put text in quotes)",
        line_of(node),
    )


Loader.add_constructor(NUMBERISH, _refuse_numberish)
Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
