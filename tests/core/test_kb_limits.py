"""Bounded reading and validation (reliability review D1, D2, D3, D8, D13, D17, D20).

Every case of the review's section 1 that was a defect: each fails on 1.0 (commit 8311f53) and
passes now. Large inputs are generated in the test; a hang is caught by a subprocess time-out
(a guard against "for ever", not a speed goal: the speed figures live in ``benchmarks/``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ldn_browser.core import kb as kb_module
from ldn_browser.core.kb import MAX_KB_BYTES, MAX_PROBLEMS, KbError, load_kb, parse_kb

ROOT = Path(__file__).resolve().parents[2]


def _mini(mini_kb_path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(mini_kb_path.read_text(encoding="utf-8"))
    return data


def _refused(raw: bytes | str, fragment: str) -> KbError:
    with pytest.raises(KbError) as info:
        parse_kb(raw.encode() if isinstance(raw, str) else raw, "case.json")
    assert fragment in "\n".join(info.value.lines()), info.value.lines()
    return info.value


def _run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "ldn_browser", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


# -- D1: only regular files, at most limit + 1 bytes, never blocking -----------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_d1_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "kb.fifo"
    os.mkfifo(fifo)
    result = _run_cli("validate", str(fifo), timeout=60)  # 1.0 blocked in read_bytes() for ever
    assert result.returncode == 2
    assert "named pipe" in result.stderr and "not a knowledge-base file" in result.stderr


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_d1_devices_are_refused_not_read(device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"{device} does not exist here")
    with pytest.raises(KbError, match="is a device, not a knowledge-base file"):
        load_kb(device)  # 1.0 read until memory ran out (MemoryError traceback)


def test_d1_reads_at_most_limit_plus_one_bytes_whatever_stat_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "grows.json"
    with path.open("wb") as f:
        f.truncate(MAX_KB_BYTES + 5 * 2**20)  # sparse
    real_fstat, real_read = os.fstat, os.read
    read: list[int] = []

    class SmallStat:  # like /proc files: stat() says 0 bytes
        def __init__(self, st: os.stat_result) -> None:
            self.st_mode, self.st_size = st.st_mode, 0

    def fstat(fd: int) -> Any:
        return SmallStat(real_fstat(fd))

    def counting_read(fd: int, n: int) -> bytes:
        chunk = real_read(fd, n)
        read.append(len(chunk))
        return chunk

    monkeypatch.setattr(kb_module.os, "fstat", fstat)
    monkeypatch.setattr(kb_module.os, "read", counting_read)
    with pytest.raises(KbError, match="larger than 20 MB is refused"):
        load_kb(path)
    assert sum(read) == MAX_KB_BYTES + 1


def test_d1_directory_still_named(tmp_path: Path) -> None:
    with pytest.raises(KbError, match="is a directory"):
        load_kb(tmp_path)


# -- D2: every decoding problem is the one KB error --------------------------------------------------


@pytest.mark.parametrize(
    ("replacement", "fragment"),
    [
        ('"n": ' + "9" * 5000, "5000 digits is out of range"),  # 1.0: ValueError traceback, rc 1
        ('"n": NaN', "NaN is not a number"),
        ('"n": Infinity', "Infinity is not a number"),
        ('"n": -Infinity', "-Infinity is not a number"),
        ('"n": 1e400', "1e400 is out of range"),
    ],
)
def test_d2_number_literals_become_kb_errors(mini_kb_path: Path, replacement: str, fragment: str) -> None:
    text = mini_kb_path.read_text(encoding="utf-8")
    assert '"n": 17' in text
    _refused(text.replace('"n": 17', replacement, 1), fragment)


def test_d2_huge_integer_in_an_unknown_key_is_a_kb_error(mini_kb_path: Path) -> None:
    text = mini_kb_path.read_text(encoding="utf-8")
    _refused(text.replace("{", '{"extra": ' + "1" * 5000 + ",", 1), "digits is out of range")


def test_d2_cli_exits_2_with_one_line_for_a_huge_integer(mini_kb_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "bigint.json"
    path.write_text(mini_kb_path.read_text(encoding="utf-8").replace('"n": 17', '"n": ' + "9" * 5000, 1))
    result = _run_cli("validate", str(path))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (lambda t: t.replace('"title": "', '"title": "\\ud800', 1), "lone surrogate"),
        (lambda t: t.replace('"title": "', '"\\udfff": 1, "title": "', 1), "lone surrogate"),
        (lambda t: t.replace('"title": "', '"title": "\\u0000', 1), "U+0000"),
        (lambda t: '{"meta": ' + "[" * 10_000 + "]" * 10_000 + "}", "nested too deeply"),
        (lambda t: '{"meta": ' + '{"a": ' * 50 + "1" + "}" * 50 + "}", "nested too deeply"),
        (lambda t: t.replace('"title": "', '"title": "x", "title": "', 1), "appears twice"),
    ],
    ids=["surrogate-value", "surrogate-key", "nul", "deep-arrays", "deep-objects", "duplicate-key"],
)
def test_d2_decoding_problems_are_one_kb_error(mini_kb_path: Path, edit: Any, fragment: str) -> None:
    _refused(edit(mini_kb_path.read_text(encoding="utf-8")), fragment)


# -- D3: memory during validation is bounded -----------------------------------------------------------


def test_d3_many_empty_entries_are_refused_before_any_model(mini_kb_path: Path) -> None:
    data = _mini(mini_kb_path)
    data["claims"] = [{}] * 200_000  # 0.6 MB; 1.0 built 1.2 million errors (1.18 GB)
    _refused(json.dumps(data), "200,000 entries; at most 10,000")


def test_d3_validation_stops_after_max_problems(mini_kb_path: Path) -> None:
    data = _mini(mini_kb_path)
    data["claims"] = [{}] * 9_000  # under the cap: validated entry by entry, stopping at MAX_PROBLEMS
    error = _refused(json.dumps(data), "required field is missing")
    assert len(error.problems) == MAX_PROBLEMS


def test_d3_long_inner_list_is_refused(mini_kb_path: Path) -> None:
    data = _mini(mini_kb_path)
    data["conditions"][0]["studies"] = [{}] * 100_000
    _refused(json.dumps(data), "$.conditions[0].studies: list of 100,000 items")


@pytest.mark.parametrize("case", ["empty-claims", "invalid-sources"])
def test_d3_peak_memory_of_a_hostile_file_is_a_small_multiple_of_its_size(
    mini_kb_path: Path, tmp_path: Path, case: str
) -> None:
    """A fresh interpreter loads a hostile file; its RSS grows by a small multiple of the file size.

    ``empty-claims`` is the review's case (200,000 ``{}``: 1.18 GB on 1.0); ``invalid-sources`` stays
    under every cap, so it is validated entry by entry and stops after ``MAX_PROBLEMS``.
    """
    data = _mini(mini_kb_path)
    if case == "empty-claims":
        data["claims"] = [{}] * 200_000
    else:
        bad = {"id": "source:x", "title": "t", "design": "nonsense", "summary": "s", "verification": "?", "n": "many"}
        data["sources"] = [dict(bad, id=f"source:x{i}") for i in range(9_000)]
    path = tmp_path / f"{case}.json"
    path.write_text(json.dumps(data))
    code = (
        "import sys\n"
        "from ldn_browser.core.kb import KbError, load_kb\n"
        "def hwm():  # this image's peak RSS (ru_maxrss would start at the parent's, from before exec)\n"
        "    return next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
        "base = hwm()\n"
        "try:\n    load_kb(sys.argv[1])\nexcept KbError as e:\n    print(len(e.problems))\n"
        "print(hwm() - base)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ).stdout.split()  # fmt: skip
    grown_kb = int(out[1])
    size_kb = path.stat().st_size / 1024
    assert grown_kb < 30 * size_kb + 20_000, f"loading grew RSS by {grown_kb} kB for a {size_kb:.0f} kB file"


# -- D8: field limits ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "value", "fragment"),
    [
        (("sources", 0, "doi"), "10.1234/" + "x" * 1_000_000, "at most 300 characters"),
        (("sources", 0, "doi"), '10.1234/"><img/src=x>', "invalid DOI"),
        (("sources", 0, "doi"), "10.1234/abc\u202e", "invalid DOI"),
        (("sources", 0, "id"), "source:" + "x" * 10_000_000, "at most 120 characters"),
        (("sources", 0, "registry_ids"), ["NCT0066<b>3117"], "invalid registry id"),
    ],
    ids=["doi-1mb", "doi-markup", "doi-bidi", "id-10mb", "registry-markup"],
)
def test_d8_identifiers_have_tight_limits(
    mini_kb_path: Path, where: tuple[str, int, str], value: Any, fragment: str
) -> None:
    data = _mini(mini_kb_path)
    data[where[0]][where[1]][where[2]] = value
    error = _refused(json.dumps(data), fragment)
    assert all(len(line) < 600 for line in error.lines()), "a rejected value is quoted in full"


# -- D13 / D17: invisible characters never enter the KB -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Take \u202egm 05\u202c at night", "Fibro\u001b[2K\u001b[1G\u001b[32mHigh\u001b[0m", "a\u2066b\u2069", "x\u009bc"],
    ids=["rlo", "ansi", "isolate", "c1-csi"],
)
def test_d13_d17_bidi_and_control_characters_are_refused_in_kb_text(mini_kb_path: Path, text: str) -> None:
    data = _mini(mini_kb_path)
    data["dosing"][0]["schedule"][0]["dose"] = text
    _refused(json.dumps(data), "control and bidi-override characters")


def test_d17_cli_never_writes_control_characters_from_an_error(mini_kb_path: Path, tmp_path: Path) -> None:
    data = _mini(mini_kb_path)
    data["meta"] = {"\u001b]0;pwned\u0007\u001b[2J": 1, **data["meta"]}  # an unknown key: quoted in the error
    path = tmp_path / "ansi_key.json"
    path.write_text(json.dumps(data))
    result = _run_cli("validate", str(path))
    assert result.returncode == 2
    assert "unknown field" in result.stderr and "\u001b" not in result.stderr and "\u0007" not in result.stderr


# -- D20: strict types -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"), [("n", True), ("n", 17.0), ("n", "17"), ("year", 2007.0), ("year", "2007"), ("pools_rcts", 1)]
)
def test_d20_numbers_and_flags_are_not_coerced(mini_kb_path: Path, field: str, value: Any) -> None:
    data = _mini(mini_kb_path)
    data["sources"][0][field] = value
    _refused(json.dumps(data), f"$.sources[0].{field}")
