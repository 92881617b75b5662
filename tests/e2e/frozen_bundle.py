"""The PyInstaller bundle under test: built once per session (``bundle`` fixture in conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import bundle_libs  # noqa: E402, F401 - re-exported for the tests: the glibc floor and the system libraries
import release  # noqa: E402, F401 - re-exported: the reproducible release archive


@dataclass(frozen=True)
class Bundle:
    """A built bundle: its folder and executable."""

    folder: Path
    exe: Path

    @property
    def internal(self) -> Path:
        """The ``_internal`` folder (``sys._MEIPASS`` of the frozen app)."""
        return self.folder / "_internal"


def build_bundle(base: Path) -> Bundle:
    """``pyinstaller build.spec`` into *base*/dist (work files in *base*/work), reproducibly as ``dev.py dist``."""
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        "build.spec",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(base / "dist"),
        "--workpath",
        str(base / "work"),
    ]
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(release.source_date_epoch()), "PYTHONHASHSEED": "0"}
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1200, env=env)
    assert r.returncode == 0, f"pyinstaller failed:\n{r.stdout[-4000:]}\n{r.stderr[-8000:]}"
    folder = base / "dist" / "ldn-browser"
    exe = folder / ("ldn-browser.exe" if os.name == "nt" else "ldn-browser")
    assert exe.is_file()
    return Bundle(folder, exe)
