"""officecli merge-file: git's merge driver for record files (see officecli/store/merge.py).

git runs it as ``officecli merge-file %O %A %B %P`` for every ``*.yaml`` of the
records folder that both sides changed (``merge.officecli.driver`` in the clone's
git config, ``*.yaml merge=officecli`` in the records folder's .gitattributes).
The merged file is written into OURS (%A); exit 0 when clean, 1 when git must
report a conflict. Nothing is printed on stdout; what a person must know goes to
stderr, one line each.
"""

from __future__ import annotations

import subprocess
import sys

import click

# What the office layer knows about records, said here so that the driver does not
# import the office layer (it runs once per conflicting file): the history list is
# ``history``, an entry is one event identified by when, who, at which site and what
# (office/records.py HISTORY_KEYS), or by its ``key`` alone (an automatic step: the
# same step taken at two sites is one entry), and ``at`` is its time with the UTC offset.
HISTORY = "history"
ENTRY_KEY = ("at", "by", "site", "action")
ONCE_KEY = "key"
TIME_KEY = "at"
# The fields that name a record's file (workflows.yaml `key`): a merge never changes one,
# and the folders no merge may write into (HR's pay, officecli's own state).
NAME_KEYS = ("id", "sku", "month")
NEVER = ("back/hr/", ".officecli/")


def _say(text: str) -> None:
    click.echo(f"officecli: {' '.join(str(text).splitlines())}", err=True)


def _read(path: str) -> str:
    with open(path, "rb") as fh:
        return fh.read().decode("utf-8")


def _line_merge(base: str, ours: str, theirs: str, name: str, why: str) -> int:
    """git's own line merge into OURS (markers where lines conflict); the exit code."""
    res = subprocess.run(
        [
            "git",
            "merge-file",
            "-L",
            f"ours:{name}",
            "-L",
            f"base:{name}",
            "-L",
            f"theirs:{name}",
            ours,
            base,
            theirs,
        ],
        capture_output=True,
        text=True,
    )
    if res.returncode < 0 or res.returncode > 127:
        _say(f"{name}: {why}; git merge-file failed: {res.stderr.strip()}")
        return 1
    if res.returncode == 0:
        from officecli.store import yamlio

        try:
            yamlio.loads(_read(ours))
            _say(f"{name}: {why}; merged line by line (no record merge)")
            return 0
        except (yamlio.YAMLError, UnicodeDecodeError):
            pass
    _say(f"{name}: {why}; left git's line merge with conflict markers: edit the file, then 'git add' it")
    return 1


def _names(text: str) -> dict[str, str]:
    from officecli.store import yamlio

    try:
        data = yamlio.loads(text)
    except yamlio.YAMLError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: str(data[k]) for k in NAME_KEYS if k in data}


@click.command("merge-file", hidden=True)
@click.argument("base", type=click.Path(exists=True, dir_okay=False))
@click.argument("ours", type=click.Path(exists=True, dir_okay=False))
@click.argument("theirs", type=click.Path(exists=True, dir_okay=False))
@click.argument("path", required=False, default="")
def merge_file(base, ours, theirs, path):
    """Merge one record file three-way by field (git's merge driver for records).

    BASE is the common ancestor (empty when there is none), OURS this clone's
    version, THEIRS the other side's; PATH names the file in messages. The
    result is written into OURS. History entries of both sides are kept, in
    time order, once each; a field changed on one side takes that change; a
    field both sides changed differently keeps ours' value and both values go
    under a top-level `conflicts:` list (the file stays valid YAML, no
    markers), and the exit code is 1 so that git reports the conflict.
    `officecli doctor` lists unsettled conflicts; settle one by setting the
    field and deleting its entry, then `git add` the file.

    A file under back/hr/ or .officecli/ is never merged, and a merge that
    would change the field naming the record (id, sku, month) is refused: exit
    1, OURS as it was.

    A file that is not a YAML mapping on some side is left to git's own line
    merge (markers where lines conflict; exit 1 unless that merge is clean
    and valid YAML), and a line on stderr says so.

    \b
    Set up (officecli site set does it for you):
      git config merge.officecli.driver "python -m officecli merge-file %O %A %B %P"
      echo '*.yaml merge=officecli' >> records/.gitattributes
    Examples:
      officecli merge-file base.yaml ours.yaml theirs.yaml front/customers/CUS-A-0001.yaml
    """
    from officecli.store import merge

    name = path or ours
    where = "/" + name
    if any(f"/{p}" in where for p in NEVER):
        _say(f"{name}: private or officecli's own: never merged from another site; this side is kept")
        sys.exit(1)
    try:
        texts = [_read(p) for p in (base, ours, theirs)]
    except UnicodeDecodeError:
        sys.exit(_line_merge(base, ours, theirs, name, "not UTF-8 text"))
    if name.rsplit("/", 1)[-1] == ".seal":  # a closed folder's seal: merged file name by file name
        from officecli.store import seal

        merged = seal.merge3(texts[0] or None, texts[1], texts[2])
        if merged is None:
            sys.exit(_line_merge(base, ours, theirs, name, "both sides sealed one file differently"))
        with open(ours, "wb") as fh:
            fh.write(merged.encode("utf-8"))
        sys.exit(0)
    try:
        result = merge.merge(
            *texts, history=HISTORY, entry_key=ENTRY_KEY, time_key=TIME_KEY, once_key=ONCE_KEY
        )
    except merge.NotMergeable as exc:
        sys.exit(_line_merge(base, ours, theirs, name, f"{exc.side} is {exc.why}"))
    before, after = _names(texts[1]), _names(result.text)
    if after != before:
        _say(
            f"{name}: the other side changes the record's name ({after} instead of {before}): refused; this side is kept"
        )
        sys.exit(1)
    if result.text != texts[1]:
        with open(ours, "wb") as fh:
            fh.write(result.text.encode("utf-8"))
    if _begun_twice(texts):
        # two different records made at two sites under one ID: never "set a field"
        _say(
            f"{name}: two different records were made at two sites under this ID (their "
            "histories begin differently): not a field conflict, never set a field or delete "
            "it; `officecli doctor` names which one is renumbered, and where"
        )
        sys.exit(1)
    for line in merge.unsettled({merge.CONFLICTS: result.conflicts}):
        _say(f"{name}: {line}")
    sys.exit(0 if result.clean else 1)


def _begun_twice(texts: list[str]) -> bool:
    """An add/add (no BASE) of two files whose first history entries differ."""
    from officecli.store import yamlio

    if texts[0].strip():
        return False
    firsts = []
    for text in texts[1:]:
        try:
            data = yamlio.loads(text)
        except Exception:
            return False
        history = data.get(HISTORY) if isinstance(data, dict) else None
        firsts.append(history[0] if isinstance(history, list) and history else None)
    return firsts[0] != firsts[1]
