"""With networking disabled (socket creation blocked), check, search and sheet all work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

BLOCK_SOCKETS = """
import socket

def _blocked(*args, **kwargs):
    raise OSError("network access attempted while offline")

class _OfflineSocket(socket.socket):  # a class, so modules that subclass socket.socket still import
    def __init__(self, *args, **kwargs):
        _blocked()

socket.socket = _OfflineSocket
socket.create_connection = _blocked
socket.getaddrinfo = _blocked
"""


@pytest.fixture(scope="module")
def offline_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    site = tmp_path_factory.mktemp("offline-site")
    (site / "sitecustomize.py").write_text(BLOCK_SOCKETS, encoding="utf-8")
    cache = tmp_path_factory.mktemp("offline-cache")
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        "QT_QPA_PLATFORM": "offscreen",
        "LDN_BROWSER_CACHE": str(cache),
    }


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ldn_browser", *args], capture_output=True, text=True, env=env, timeout=180
    )


def test_sockets_really_are_blocked(offline_env: dict[str, str]) -> None:
    r = subprocess.run(
        [sys.executable, "-c", "import socket; socket.socket()"],
        capture_output=True,
        text=True,
        env=offline_env,
        timeout=60,
    )
    assert r.returncode != 0 and "network access attempted" in r.stderr


def test_check_runs_offline(offline_env: dict[str, str]) -> None:
    r = _run(offline_env, "check")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "check: all passed" in r.stdout


def test_search_runs_offline(offline_env: dict[str, str]) -> None:
    r = _run(offline_env, "search", "crohns", "--json")
    assert r.returncode == 0, r.stderr
    assert '"condition:crohns-disease"' in r.stdout


def test_sheet_runs_offline(offline_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"
    r = _run(offline_env, "sheet", "condition:crohns-disease", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes().startswith(b"%PDF")
