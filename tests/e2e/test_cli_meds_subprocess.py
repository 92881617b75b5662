"""``ldn-browser meds -`` in a real process: a pipe in, JSON out; unreadable input is one line and exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

CASES = json.loads((Path(__file__).parents[1] / "data" / "meds-cases.json").read_text(encoding="utf-8"))["cases"]


def _meds(stdin: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "ldn_browser", "meds", "-", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
    )


def test_the_case_file_through_a_pipe_gives_one_object_per_line() -> None:
    r = _meds("\n".join(c["pasted"] for c in CASES).encode("utf-8"), "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout.decode("utf-8"))
    assert [(row["input"], row["entry_id"], row["drug"]) for row in rows] == [
        (c["input"], c["entry_id"], c["drug"]) for c in CASES
    ]


def test_binary_input_exits_2_with_one_line_and_no_traceback() -> None:
    r = _meds(bytes(range(256)) * 4)
    assert r.returncode == 2 and r.stdout == b""
    err = r.stderr.decode("utf-8").strip().splitlines()
    assert len(err) == 1 and "standard input looks like a binary file" in err[0]
