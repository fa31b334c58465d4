"""YAML as officecli writes and reads it.

* The C loader and dumper are used where PyYAML has them (they are several
  times faster than the pure-Python ones); safe loading only.
* Loading never turns text into floats or dates: ``12.50`` stays the exact
  string ``'12.50'`` (money is Decimal, never float) and ``2026-11-02`` stays
  a string, so a value always round-trips as written.
* Dumping is block style, UTF-8 as written (Greek stays Greek), keys in the
  order given (the schema order), Decimal as a quoted decimal string, text
  with line breaks as a literal block.
"""
from __future__ import annotations

from decimal import Decimal

import yaml

try:  # the C loader/dumper when libyaml is present
    from yaml import CSafeDumper as _BaseDumper
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - pure Python fallback
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_KEEP_AS_TEXT = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:float"}


class Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader that keeps decimals and dates as the text that was written."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _KEEP_AS_TEXT]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


class Dumper(_BaseDumper):  # type: ignore[misc,valid-type]
    """Safe dumper: Decimal as a decimal string, multi-line text as a block."""

    def ignore_aliases(self, data):  # never write anchors or aliases
        return True


def _represent_str(dumper, value: str):
    if "\n" in value.rstrip("\n"):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_str(value)


Dumper.add_representer(Decimal, lambda dumper, value: dumper.represent_str(str(value)))
Dumper.add_representer(str, _represent_str)

YAMLError = yaml.YAMLError


def loads(text: str):
    """Parse one YAML document with the safe, text-keeping loader."""
    return yaml.load(text, Loader=Loader)


def dumps(data) -> str:
    """Dump data block style, keys in the given order, UTF-8 kept as written."""
    return yaml.dump(
        data, Dumper=Dumper, allow_unicode=True, sort_keys=False,
        default_flow_style=False, width=100,
    )


def error_line(exc: Exception) -> int | None:
    """The 1-based line of a YAML error, where PyYAML knows it."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def error_text(exc: Exception) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return str(problem)
