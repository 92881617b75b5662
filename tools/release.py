"""The release archive of a built bundle: a reproducible ``.tar.gz`` and its ``SHA256SUMS`` line.

Used by ``python3 tools/dev.py dist``. The same folder content gives the same bytes whoever builds it and
whenever: entries sorted by name, owner and group 0 (no names), every mtime ``SOURCE_DATE_EPOCH``, modes
reduced to 0755 (folders and executables) or 0644, and a gzip header without file name or time. The
bundle itself is reproducible when PyInstaller runs with ``SOURCE_DATE_EPOCH`` and ``PYTHONHASHSEED=0``
(without the seed, ``base_library.zip`` lists its modules in a different order each build).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import platform
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def source_date_epoch() -> int:
    """``$SOURCE_DATE_EPOCH``, else the time of the last commit (the build is then a function of the commit)."""
    if env := os.environ.get("SOURCE_DATE_EPOCH"):
        return int(env)
    r = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True, check=False)
    if r.returncode != 0 or not r.stdout.strip():
        raise SystemExit("release: not a git checkout; set SOURCE_DATE_EPOCH (seconds) for a reproducible archive")
    return int(r.stdout.strip())


def platform_tag() -> str:
    """``linux-x86_64``, ``windows-amd64``, ``macos-arm64``, …"""
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform.rstrip("0123456789"))
    return f"{system}-{platform.machine().lower()}"


def archive_name(version: str) -> str:
    """``ldn-browser-VERSION-PLATFORM.tar.gz``."""
    return f"ldn-browser-{version}-{platform_tag()}.tar.gz"


def _normalised(info: tarfile.TarInfo, epoch: int) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mtime = epoch
    if info.isdir() or (info.isfile() and info.mode & 0o111):
        info.mode = 0o755
    elif not info.issym():
        info.mode = 0o644
    return info


def write_archive(folder: Path, out: Path, epoch: int) -> str:
    """Pack *folder* (as its own top-level folder) into *out*; returns the archive's SHA-256."""
    paths = [folder, *sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder).as_posix())]
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in paths:
            arcname = (Path(folder.name) / path.relative_to(folder)).as_posix()
            info = _normalised(tar.gettarinfo(str(path), arcname=arcname), epoch)
            if info.isfile():
                with path.open("rb") as f:
                    tar.addfile(info, f)
            else:
                tar.addfile(info)
    with out.open("wb") as f, gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=epoch, compresslevel=6) as gz:
        gz.write(raw.getvalue())
    return hashlib.sha256(out.read_bytes()).hexdigest()


def write_sha256sums(files: list[Path], out: Path) -> None:
    """``SHA256SUMS`` in the format ``sha256sum -c`` reads (hash, two spaces, name)."""
    lines = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in sorted(files)]
    out.write_text("".join(lines), encoding="utf-8")
