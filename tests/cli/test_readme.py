"""The README's tour runs as written, in a shell, with the installed officecli."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def _tour() -> str:
    text = README.read_text("utf-8")
    section = text.split("## A tour", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return "\n".join(re.sub(r"\s+#.*$", "", line) for line in block.splitlines())


def test_the_two_setup_commands_are_at_the_top():
    head = README.read_text("utf-8")[:600]
    assert "pip install . && officecli demo" in head
    assert "pip install '.[test]' && pytest" in head


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_tour_runs_as_written(tmp_path):
    bindir = str(Path(sys.executable).parent)
    if not shutil.which("officecli", path=bindir + os.pathsep + os.environ["PATH"]):
        pytest.fail("officecli is not installed next to this Python: pip install -e '.[test]'")
    env = {
        **os.environ,
        "PATH": bindir + os.pathsep + os.environ["PATH"],
        "OFFICECLI_NOW": "2026-11-02T09:00:00+02:00",
        "OFFICECLI_USER": "tour",
    }
    res = subprocess.run(
        ["bash", "-e", "-c", _tour()], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0, res.stderr[-2000:]
    assert "problem" not in res.stderr  # doctor, last, is silent when all is well
    assert (tmp_path / "shop/archive/orders/closed/2026/ORD-A-0001.yaml").exists()
    assert (tmp_path / "books.journal").read_text().count("Assets:Receivable") >= 2
