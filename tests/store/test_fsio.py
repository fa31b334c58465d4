import os
import stat

import pytest

from officecli.store import fsio


def test_atomic_create_never_overwrites(tmp_path):
    target = tmp_path / "a.yaml"
    fsio.atomic_create(target, b"one\n")
    with pytest.raises(FileExistsError):
        fsio.atomic_create(target, b"two\n")
    assert target.read_bytes() == b"one\n"
    assert os.listdir(tmp_path) == ["a.yaml"], "a temp file was left behind"


def test_atomic_replace_swaps_whole_content_and_keeps_mode(tmp_path):
    target = tmp_path / "a.yaml"
    fsio.atomic_replace(target, b"old\n", 0o600)
    inode = target.stat().st_ino
    fsio.atomic_replace(target, b"new content\n", 0o600)
    assert target.read_bytes() == b"new content\n"
    assert target.stat().st_ino != inode, "replace must rename a new file over the old one"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert os.listdir(tmp_path) == ["a.yaml"]


def test_temp_names_are_hidden_and_recognised(tmp_path):
    name = fsio.temp_name(tmp_path / "ORD-A-0001.yaml").name
    assert name.startswith(".ORD-A-0001.yaml.tmp-")
    assert fsio.is_temp(name) and not fsio.is_temp("ORD-A-0001.yaml")


def test_make_dirs_sets_the_mode_asked_whatever_the_umask(tmp_path):
    old = os.umask(0o000)
    try:
        fsio.make_dirs(tmp_path / "a" / "b", 0o700)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a" / "b").stat().st_mode) == 0o700
