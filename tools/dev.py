#!/usr/bin/env python3
"""Set up and run LDN Browser with nothing but Python 3.11+ and pip.

    python3 tools/dev.py run     install what is needed, then open the app
    python3 tools/dev.py test    install what is needed, run the guards (ruff, mypy, import-linter), then the suite
    python3 tools/dev.py bench   install, then run benchmarks/run.py
    python3 tools/dev.py dist    install, then build the PyInstaller bundle (dist/ldn-browser) and the release
                                 archive dist/ldn-browser-VERSION-PLATFORM.tar.gz with dist/SHA256SUMS

It creates ``.venv`` next to this repository, installs the package with its test extra, builds the
bundled KB's search index (``tools/build_index.py``, skipped when current), and,
when run as root on Debian/Ubuntu, installs the system libraries Qt needs (only those missing);
when not root it prints the exact ``apt-get install`` line instead. Extra arguments are passed on
(to pytest for ``test``, to the app for ``run``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
PY = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")

sys.path.insert(0, str(ROOT / "tools"))
import release  # noqa: E402
import sysdeps  # noqa: E402

GUARDS: list[tuple[str, list[str]]] = [
    ("ruff", ["ruff", "check", "."]),  # rules in pyproject.toml [tool.ruff.lint]
    ("mypy --strict ldn_browser/core", ["mypy"]),  # settings in pyproject.toml [tool.mypy]
    ("import-linter", ["lint-imports", "--no-cache"]),  # contracts in pyproject.toml [tool.importlinter]
]
"""Checks run by ``test`` before the suite, each configured in pyproject.toml."""


def _tool(name: str) -> str:
    """A console script installed in the venv (ruff, mypy, lint-imports)."""
    return str(PY.parent / (f"{name}.exe" if os.name == "nt" else name))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("LANG") or env.get("LANG") in ("C", "POSIX"):
        env["LANG"] = "C.UTF-8"
    env.setdefault("LC_ALL", env["LANG"])
    return env


def ensure_installed(extras: str = "test", *, test_packages: bool = False) -> None:
    """Create the venv and install the package (+extras) when pyproject.toml changed."""
    if sysdeps.main(["--test"] if test_packages else []) != 0:
        print("dev.py: system packages could not be installed; continuing", file=sys.stderr)
    if not PY.exists():
        print(f"dev.py: creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".installed-{extras}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"dev.py: installing ldn-browser[{extras}] into {VENV}", flush=True)
    subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True, env=_env())
    subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[{extras}]"], check=True, env=_env())
    stamp.write_text(digest)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test", "bench", "dist"):
        print(__doc__)
        return 2
    cmd, rest = argv[0], argv[1:]
    ensure_installed("test,dist" if cmd == "dist" else "test", test_packages=cmd in ("test", "dist"))
    env = _env()
    # The bundled KB's search index is built at install time, not on the app's first start (skipped when current).
    if subprocess.call([str(PY), str(ROOT / "tools" / "build_index.py")], cwd=ROOT, env=env) != 0:
        print("dev.py: the bundled KB's search index was not built (the app builds it on first start)", file=sys.stderr)
    if cmd == "run":
        return subprocess.call([str(PY), "-m", "ldn_browser", *rest], cwd=ROOT, env=env)
    env["QT_QPA_PLATFORM"] = env.get("QT_QPA_PLATFORM") or "offscreen"
    if cmd == "test":
        failed = [name for name, (tool, *args) in GUARDS if subprocess.call([_tool(tool), *args], cwd=ROOT, env=env)]
        if failed:
            print(f"dev.py: guards failed: {', '.join(failed)} (the test suite was not run)", file=sys.stderr)
            return 1
        return subprocess.call([str(PY), "-m", "pytest", *rest], cwd=ROOT, env=env)
    if cmd == "bench":
        return subprocess.call([str(PY), "benchmarks/run.py", *rest], cwd=ROOT, env=env)
    return dist(rest, env)


def dist(pyinstaller_args: list[str], env: dict[str, str]) -> int:
    """Build the bundle reproducibly (SOURCE_DATE_EPOCH = last commit, PYTHONHASHSEED=0), then archive it."""
    epoch = release.source_date_epoch()
    env = {**env, "SOURCE_DATE_EPOCH": str(epoch), "PYTHONHASHSEED": "0"}
    cmd = [str(PY), "-m", "PyInstaller", "build.spec", "--noconfirm", *pyinstaller_args]
    if rc := subprocess.call(cmd, cwd=ROOT, env=env):
        return rc
    out_dir = ROOT / "dist"
    folder = out_dir / ("LDN Browser.app" if sys.platform == "darwin" else "ldn-browser")
    version = subprocess.run(
        [str(PY), "-c", "import ldn_browser; print(ldn_browser.__version__)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    archive = out_dir / release.archive_name(version)
    digest = release.write_archive(folder, archive, epoch)
    release.write_sha256sums([archive], out_dir / "SHA256SUMS")
    print(f"dev.py: wrote {archive.relative_to(ROOT)} ({archive.stat().st_size / 1e6:.1f} MB) and dist/SHA256SUMS")
    print(f"dev.py: sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
