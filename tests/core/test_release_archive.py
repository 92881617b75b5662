"""tools/release.py: the release archive is a function of the folder's content and SOURCE_DATE_EPOCH only."""

from __future__ import annotations

import hashlib
import os
import sys
import tarfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import release  # noqa: E402

EPOCH = 1_700_000_000


def _folder(base: Path, mtime: int) -> Path:
    folder = base / "ldn-browser"
    (folder / "_internal" / "lib").mkdir(parents=True)
    exe = folder / "ldn-browser"
    exe.write_bytes(b"\x7fELF fake")
    exe.chmod(0o700)
    (folder / "_internal" / "lib" / "libfoo.so.1").write_bytes(b"library")
    (folder / "_internal" / "lib" / "data.txt").write_text("data", encoding="utf-8")
    (folder / "_internal" / "libfoo.so.1").symlink_to("lib/libfoo.so.1")
    for p in [folder, *folder.rglob("*")]:
        os.utime(p, (mtime, mtime), follow_symlinks=False)
    return folder


@pytest.mark.skipif(os.name == "nt", reason="symlinks and exec bits")
def test_same_content_gives_the_same_archive_whatever_the_mtimes(tmp_path: Path) -> None:
    a = release.write_archive(_folder(tmp_path / "a", 1_000_000), tmp_path / "a.tar.gz", EPOCH)
    b = release.write_archive(_folder(tmp_path / "b", 2_000_000), tmp_path / "b.tar.gz", EPOCH)
    assert a == b == hashlib.sha256((tmp_path / "a.tar.gz").read_bytes()).hexdigest()
    c = release.write_archive(_folder(tmp_path / "c", 1_000_000), tmp_path / "c.tar.gz", EPOCH + 1)
    assert c != a  # the epoch is what the archive's times come from


@pytest.mark.skipif(os.name == "nt", reason="symlinks and exec bits")
def test_entries_sorted_owned_by_root_stamped_with_the_epoch(tmp_path: Path) -> None:
    release.write_archive(_folder(tmp_path, 1_000_000), tmp_path / "x.tar.gz", EPOCH)
    with tarfile.open(tmp_path / "x.tar.gz") as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    assert names == sorted(names) and names[0] == "ldn-browser"
    assert all((m.uid, m.gid, m.uname, m.gname, m.mtime) == (0, 0, "", "", EPOCH) for m in members)
    modes = {m.name: m.mode for m in members if not m.issym()}
    assert modes["ldn-browser/ldn-browser"] == 0o755 and modes["ldn-browser/_internal/lib/data.txt"] == 0o644
    link = next(m for m in members if m.issym())
    assert (link.name, link.linkname) == ("ldn-browser/_internal/libfoo.so.1", "lib/libfoo.so.1")
    assert (tmp_path / "x.tar.gz").read_bytes()[4:8] == EPOCH.to_bytes(4, "little")  # the gzip header's time


def test_sha256sums_lines_read_by_sha256sum(tmp_path: Path) -> None:
    f = tmp_path / "ldn-browser-1.1.0-linux-x86_64.tar.gz"
    f.write_bytes(b"archive")
    release.write_sha256sums([f], tmp_path / "SHA256SUMS")
    assert (tmp_path / "SHA256SUMS").read_text() == f"{hashlib.sha256(b'archive').hexdigest()}  {f.name}\n"


def test_archive_name_has_version_and_platform() -> None:
    name = release.archive_name("1.1.0")
    assert name.startswith("ldn-browser-1.1.0-") and name.endswith(".tar.gz")
    if sys.platform.startswith("linux"):
        assert name == f"ldn-browser-1.1.0-linux-{os.uname().machine}.tar.gz"
