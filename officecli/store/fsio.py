"""Durable file operations: every write is a temp file, fsync, rename, fsync of the folder.

Temp files are named ``.<name>.tmp-<pid>-<random>`` beside their target, so
they never look like records (records end in ``.yaml`` and never start with a
dot) and ``doctor`` can find any a crash left behind.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

TEMP_MARK = ".tmp-"


def temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}{TEMP_MARK}{os.getpid()}-{secrets.token_hex(4)}")


def is_temp(name: str) -> bool:
    return name.startswith(".") and TEMP_MARK in name


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_dirs(path: Path, mode: int = 0o755) -> None:
    """Create a folder and its parents, fsyncing each parent that gained an entry."""
    missing = []
    p = path
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            os.mkdir(d, mode)
        except FileExistsError:
            continue
        os.chmod(d, mode)  # umask must not loosen or tighten what was asked
        fsync_dir(d.parent)


def write_new(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write a file that must not exist yet, and fsync it (not atomic: for temp files)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_replace(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace (or create) ``path`` so that a reader sees the old or the new bytes, never a mix."""
    tmp = temp_name(path)
    write_new(tmp, data, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    fsync_dir(path.parent)


def atomic_create(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Create ``path`` atomically; raise FileExistsError rather than overwrite it."""
    tmp = temp_name(path)
    write_new(tmp, data, mode)
    try:
        os.link(tmp, path)  # link(2) never replaces an existing name
    finally:
        _unlink_quietly(tmp)
    fsync_dir(path.parent)


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
