"""Exports never lose a file, on real file systems (review D6, D7, D19).

The full-disk and read-only cases mount a tiny tmpfs in a private mount namespace
(``unshare -m``, as root). Where that is not possible, the full-disk cases fall back to a file-size
limit (``RLIMIT_FSIZE``: every write past it fails with EFBIG, like ENOSPC) and the read-only case
to a folder without write permission; the test id says which mechanism ran.
"""

from __future__ import annotations

import os
import resource
import shlex
import signal
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]
PACK = ["condition:crohns-disease", "condition:fibromyalgia", "--overview"]


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), HOME=str(tmp), XDG_CACHE_HOME=str(tmp / "cache"))
    return env


def _sheet_cmd(kb: Path, out: str, *ids: str) -> list[str]:
    return [sys.executable, "-m", "ldn_browser", "--kb", str(kb), "sheet", *ids, "--out", out]


@cache
def _can_mount() -> bool:
    probe = Path("/tmp") / f"ldn-mount-probe-{os.getpid()}"
    probe.mkdir(exist_ok=True)
    try:
        result = subprocess.run(
            ["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs {shlex.quote(str(probe))}"],
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    finally:
        probe.rmdir()
    return result.returncode == 0


def _in_small_fs(
    folder: Path, size: str, setup: str, cmd: list[str], env: dict[str, str]
) -> tuple[subprocess.CompletedProcess[str], list[str], dict[str, str]]:
    """Run *cmd* in a *size* tmpfs mounted on *folder* (after *setup* ran in it).

    Returns the result, the file names left in the folder, and the md5 of sheet.pdf "before" and "after".
    """
    q = shlex.quote(str(folder))
    script = (
        f"mount -t tmpfs -o size={size} tmpfs {q} && cd {q} && {setup} && "
        "{ [ -f sheet.pdf ] && echo BEFORE $(md5sum < sheet.pdf); true; } && "
        + shlex.join(cmd)
        + '; rc=$?; for f in * .[!.]*; do [ -e "$f" ] && echo "FILE $f"; done; '
        "[ -f sheet.pdf ] && echo AFTER $(md5sum < sheet.pdf); exit $rc"
    )
    result = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, env=env, timeout=300)
    lines = result.stdout.splitlines()
    files = [line[5:] for line in lines if line.startswith("FILE ")]
    sums = {line.split()[0]: line.split()[1] for line in lines if line.startswith(("BEFORE ", "AFTER "))}
    return result, files, sums


def _limited(limit: int) -> None:  # preexec: writes past *limit* bytes fail with EFBIG (no SIGXFSZ)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


MECHANISM = "tmpfs" if _can_mount() else "rlimit"


@pytest.mark.e2e
@pytest.mark.parametrize("mechanism", [MECHANISM])
def test_d6_full_disk_new_file_fails_and_leaves_nothing(mechanism: str, tmp_path: Path, mini_kb_path: Path) -> None:
    """1.0: rc 0, "2 page(s)", a 0-byte PDF."""
    folder = tmp_path / "disk"
    folder.mkdir()
    env = _env(tmp_path)
    if mechanism == "tmpfs":
        setup = "(head -c 1M /dev/zero > fill 2>/dev/null; true)"
        cmd = _sheet_cmd(mini_kb_path, "new.pdf", "condition:crohns-disease")
        result, files, _sums = _in_small_fs(folder, "64k", setup, cmd, env)
        assert result.returncode == 2, result.stdout + result.stderr
        assert files == ["fill"]  # no PDF, no temporary file
    else:
        cmd = _sheet_cmd(mini_kb_path, str(folder / "new.pdf"), "condition:crohns-disease")
        result = subprocess.run(
            cmd, capture_output=True, text=True, env=env, timeout=300, preexec_fn=lambda: _limited(4096)
        )
        assert result.returncode == 2, result.stdout + result.stderr
        assert list(folder.iterdir()) == []
    assert "cannot write" in result.stderr and "unchanged" in result.stderr


@pytest.mark.e2e
@pytest.mark.parametrize("mechanism", [MECHANISM])
def test_d7_failed_export_keeps_the_existing_pdf(mechanism: str, tmp_path: Path, mini_kb_path: Path) -> None:
    """1.0: the old sheet was truncated and replaced by a corrupt partial PDF."""
    env = _env(tmp_path)
    old = tmp_path / "old.pdf"
    made = subprocess.run(
        _sheet_cmd(mini_kb_path, str(old), "condition:crohns-disease"), env=env, capture_output=True, timeout=300
    )
    assert made.returncode == 0, made.stderr
    old_bytes = old.read_bytes()
    folder = tmp_path / "disk"
    folder.mkdir()
    if mechanism == "tmpfs":
        pack = tmp_path / "pack.pdf"
        assert subprocess.run(_sheet_cmd(mini_kb_path, str(pack), *PACK), env=env, timeout=300).returncode == 0
        assert pack.stat().st_size > len(old_bytes) + 8192
        room = (len(old_bytes) + pack.stat().st_size) // 2  # the old sheet fits; the pack does not, even alone
        setup = f"cp {shlex.quote(str(old))} sheet.pdf"
        result, files, sums = _in_small_fs(folder, str(room), setup, _sheet_cmd(mini_kb_path, "sheet.pdf", *PACK), env)
        assert result.returncode == 2, result.stdout + result.stderr
        assert sums["BEFORE"] == sums["AFTER"], result.stdout  # the same bytes
        assert files == ["sheet.pdf"]
    else:
        target = folder / "sheet.pdf"
        target.write_bytes(old_bytes)
        cmd = _sheet_cmd(mini_kb_path, str(target), *PACK)
        limit = len(old_bytes) + 1024
        result = subprocess.run(
            cmd, capture_output=True, text=True, env=env, timeout=300, preexec_fn=lambda: _limited(limit)
        )
        assert result.returncode == 2, result.stdout + result.stderr
        assert target.read_bytes() == old_bytes
        assert [p.name for p in folder.iterdir()] == ["sheet.pdf"]
    assert "unchanged" in result.stderr


@pytest.mark.e2e
def test_export_into_a_read_only_folder_fails_and_keeps_the_file(tmp_path: Path, mini_kb_path: Path) -> None:
    env = _env(tmp_path)
    old = tmp_path / "old.pdf"
    made = subprocess.run(_sheet_cmd(mini_kb_path, str(old), "condition:crohns-disease"), env=env, timeout=300)
    assert made.returncode == 0
    folder = tmp_path / "ro"
    folder.mkdir()
    if _can_mount():
        setup = f"cp {shlex.quote(str(old))} sheet.pdf && mount -o remount,ro {shlex.quote(str(folder))}"
        cmd = _sheet_cmd(mini_kb_path, "sheet.pdf", "condition:fibromyalgia")
        result, files, sums = _in_small_fs(folder, "4m", setup, cmd, env)
        assert sums["BEFORE"] == sums["AFTER"] and files == ["sheet.pdf"], result.stdout
        assert "Read-only file system" in result.stderr
    else:  # pragma: no cover - depends on the machine
        if os.geteuid() == 0:
            pytest.skip("root ignores folder permissions and cannot mount here")
        (folder / "sheet.pdf").write_bytes(old.read_bytes())
        folder.chmod(0o555)
        result = subprocess.run(
            _sheet_cmd(mini_kb_path, str(folder / "sheet.pdf"), "condition:fibromyalgia"),
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        folder.chmod(0o755)
        assert (folder / "sheet.pdf").read_bytes() == old.read_bytes()
    assert result.returncode == 2 and "cannot write" in result.stderr


@pytest.mark.e2e
def test_export_over_an_existing_file_replaces_it_whole(tmp_path: Path, mini_kb_path: Path) -> None:
    env = _env(tmp_path)
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"%PDF-1.4 an older export\n%%EOF\n")
    result = subprocess.run(
        _sheet_cmd(mini_kb_path, str(target), *PACK), env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    pages = int(result.stdout.split(": ")[-1].split()[0])
    assert len(PdfReader(target).pages) == pages
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".pdf" or p.name.endswith(".part")) == ["sheet.pdf"]


@pytest.mark.e2e
def test_d19_non_utf8_out_path_writes_exactly_that_file(tmp_path: Path, mini_kb_path: Path) -> None:
    """1.0: the named file was left empty and the PDF went to 'bad\ufffd\ufffd.pdf'."""
    env = _env(tmp_path)
    folder = os.fsencode(tmp_path / "out")
    os.mkdir(folder)
    name = b"bad\xff\xfe.pdf"
    cmd = [os.fsencode(c) for c in _sheet_cmd(mini_kb_path, "x", "condition:crohns-disease")]
    cmd[-1] = folder + b"/" + name
    result = subprocess.run(cmd, capture_output=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert os.listdir(folder) == [name]
    with open(folder + b"/" + name, "rb") as f:
        data = f.read()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-64:]
    assert "\ufffd" in result.stdout.decode("utf-8")  # the path is shown readably, not as raw bytes
