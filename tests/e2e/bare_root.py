"""A minimal Debian root standing in for a clinician's Linux desktop, made once and cached.

``debootstrap --variant=minbase`` (Debian's packages, from the mirror apt is configured with), plus only
``bundle_libs.DESKTOP_PACKAGES``; then every font package is purged again. The root is kept under
``$LDN_TEST_CACHE`` (default ``~/.cache/ldn-browser-tests``) in a folder named by a hash of the suite, the
mirror and the package list, so a changed list makes a new root and an unchanged one costs nothing.
Making a root takes about 70 s and 450 MB; it needs root (debootstrap, chroot) and the mirror.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from frozen_bundle import bundle_libs

SUITE = "bookworm"
"""Debian 12: the oldest Debian whose glibc (2.36) runs the Qt wheel (needs 2.34); Debian 11 has 2.31."""
RECIPE_VERSION = 1
"""Bump when the steps below change, so cached roots are remade."""
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".pfb", ".pfa", ".pcf", ".pcf.gz", ".woff", ".woff2")


def debian_mirror() -> str:
    """``$LDN_TEST_DEBIAN_MIRROR``, else the Debian mirror apt uses here, else deb.debian.org."""
    if env := os.environ.get("LDN_TEST_DEBIAN_MIRROR"):
        return env
    sources = [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*"))]
    for path in sources:
        text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
        # deb822 ("URIs: http://…/debian") or one-line ("deb http://…/debian bookworm main")
        for uri in re.findall(r"^(?:URIs:|deb)\s+(\S+/debian)/?(?:\s|$)", text, flags=re.M):
            return uri
    return "http://deb.debian.org/debian"


def _cache_dir() -> Path:
    return Path(os.environ.get("LDN_TEST_CACHE") or Path.home() / ".cache" / "ldn-browser-tests")


def root_key(mirror: str) -> str:
    """Names the cached root: what it is made from."""
    recipe = {"suite": SUITE, "variant": "minbase", "mirror": mirror, "packages": sorted(bundle_libs.DESKTOP_PACKAGES)}
    recipe["version"] = RECIPE_VERSION
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:16]


def font_files(root: Path) -> list[str]:
    """Font files anywhere under the root's /usr/share and /usr/local/share (there must be none)."""
    found = []
    for top in (root / "usr" / "share", root / "usr" / "local" / "share"):
        for dirpath, _, names in os.walk(top):
            found += [os.path.join(dirpath, n) for n in names if n.lower().endswith(FONT_SUFFIXES)]
    return found


def _run(cmd: list[str], what: str, timeout: int) -> str:
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env={**os.environ, "LC_ALL": "C"})
    if r.returncode != 0:
        command = " ".join(cmd)
        raise RuntimeError(f"{what} failed (exit {r.returncode}): {command}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    return r.stdout


def make_root(dest: Path, mirror: str) -> None:
    """debootstrap + the desktop libraries + purge the fonts, into *dest* (must not exist)."""
    _run(["debootstrap", "--variant=minbase", SUITE, str(dest), mirror], f"debootstrap from {mirror}", 1200)
    env = "DEBIAN_FRONTEND=noninteractive"
    packages = " ".join(bundle_libs.DESKTOP_PACKAGES)
    script = (
        f"set -e; apt-get update -qq; {env} apt-get install -y -qq --no-install-recommends {packages}; "
        # libfontconfig1 -> fontconfig-config -> fonts-dejavu-core: a bare target has no fonts, so purge them
        "fonts=$(dpkg-query -W -f '${Package}\\n' 'fonts-*' 2>/dev/null || true); "
        f'[ -z "$fonts" ] || {env} dpkg --purge --force-depends $fonts; '
        "apt-get clean; rm -rf /var/lib/apt/lists/*"
    )
    _run(["chroot", str(dest), "sh", "-c", script], "installing the desktop libraries in the root", 1200)
    if leftover := font_files(dest):
        raise RuntimeError(f"fonts left in the bare root: {leftover[:5]}")
    listing = _run(["chroot", str(dest), "dpkg-query", "-W", "-f", "${Package} ${Version}\\n"], "dpkg-query", 60)
    (dest / "ldn-bare-root.txt").write_text(listing, encoding="utf-8")


def cached_root() -> Path:
    """The cached bare root, made first when missing (a half-made one is never used)."""
    mirror = debian_mirror()
    root = _cache_dir() / f"debian-{SUITE}-minbase-{root_key(mirror)}"
    if (root / "ldn-bare-root.txt").is_file():
        return root
    tmp = root.with_name(f"{root.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.parent.mkdir(parents=True, exist_ok=True)
    try:
        make_root(tmp, mirror)
        if not (root / "ldn-bare-root.txt").is_file():  # another session may have finished first
            shutil.rmtree(root, ignore_errors=True)
            tmp.rename(root)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return root
