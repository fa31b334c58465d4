"""workflows.yaml is kept parsed beside it like byte code: never served stale or damaged."""

import marshal
import sys
from pathlib import Path

from officecli.office import workflows
from officecli.store import yamlio

SRC = Path(workflows.__file__).with_name("workflows.yaml")


def _kept(tmp_path) -> Path:
    return Path(str(tmp_path) + str(SRC.parent)) / f"workflows.yaml.{sys.implementation.cache_tag}.marshal"


def _table(monkeypatch, tmp_path) -> dict:
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    workflows._table.cache_clear()
    try:
        return workflows._table()
    finally:
        workflows._table.cache_clear()


def test_the_kept_table_is_the_yaml_and_a_stale_or_damaged_one_is_not_served(monkeypatch, tmp_path):
    truth = yamlio.loads(SRC.read_text("utf-8"))
    assert _table(monkeypatch, tmp_path) == truth
    kept = _kept(tmp_path)
    key, table = marshal.loads(kept.read_bytes())
    assert table == truth
    kept.write_bytes(marshal.dumps(((key[0] + 1, key[1]), {"order": "stale"})))  # another size
    assert _table(monkeypatch, tmp_path) == truth
    kept.write_bytes(b"\x00garbage")
    assert _table(monkeypatch, tmp_path) == truth
    assert marshal.loads(kept.read_bytes())[1] == truth  # made again
