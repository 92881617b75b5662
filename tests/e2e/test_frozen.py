"""The PyInstaller bundle: built once per session from build.spec, then run as a user would run it.

Needs PyInstaller (the ``dist`` extra); the build takes 15-60 s. The frozen binary is run from a
folder outside the repository, offscreen, with the repository's source tree out of reach.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from frozen_bundle import Bundle, build_bundle, bundle_libs, release

if TYPE_CHECKING:
    from ldn_browser.core.entities import KnowledgeBase

pytestmark = [pytest.mark.e2e, pytest.mark.frozen]

ROOT = Path(__file__).resolve().parents[2]
MAX_BUNDLE_BYTES = 115 * 1000 * 1000
"""Installed size. 110 MB until the pure modules were bundled as .pyc files (``noarchive``: 80 ms sooner to the
pages, ~11 MB more on disk, of which 5.5 MB was won back by leaving out rich); the release archive shrank (43 MB)."""
SHEET_CONDITION = "condition:crohns-disease"
NO_FONTS_CONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    """An empty working folder outside the repository."""
    d = tmp_path / "cwd"
    d.mkdir()
    return d


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LDN_BROWSER_", "PYTHON"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


def _frozen(bundle: Bundle, cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bundle.exe), *args], cwd=cwd, capture_output=True, text=True, env=_env(**env), timeout=180
    )


def _pdf_fonts_and_text(path: Path) -> tuple[set[str], str, int]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    fonts: set[str] = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).lstrip("/"))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    return fonts, text, len(reader.pages)


# -- the bundle's content ------------------------------------------------------------------------


def test_bundle_size_within_budget(bundle: Bundle) -> None:
    files = [p for p in bundle.folder.rglob("*") if p.is_file() and not p.is_symlink()]
    total = sum(p.stat().st_size for p in files)
    assert total <= MAX_BUNDLE_BYTES, f"bundle is {total / 1e6:.1f} MB (> {MAX_BUNDLE_BYTES / 1e6:.0f} MB)"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc symbol versions are a Linux matter")
def test_bundle_needs_no_glibc_newer_than_the_floor(bundle: Bundle) -> None:
    """Every ELF file's highest GLIBC_ version reference is at most the floor (2.35: Ubuntu 22.04), and its
    GLIBCXX_ one at most GCC 11's (the system's libstdc++ is used)."""
    floor = bundle_libs.GLIBC_FLOOR
    needs = {
        str(p.relative_to(bundle.folder)): bundle_libs.glibc_needed(p)
        for p in sorted(bundle.folder.rglob("*"))
        if p.is_file() and not p.is_symlink() and bundle_libs.is_elf(p)
    }
    too_new = {name: ".".join(map(str, v)) for name, v in needs.items() if v is not None and v > floor}
    assert not too_new, f"need a glibc newer than {'.'.join(map(str, floor))}: {too_new}"
    assert len(needs) > 20 and max(v for v in needs.values() if v) >= (2, 17)  # the scan did read version references
    cxx_floor = bundle_libs.GLIBCXX_FLOOR
    cxx = {name: bundle_libs.glibc_needed(bundle.folder / name, "GLIBCXX") for name in needs}
    too_new_cxx = {name: ".".join(map(str, v)) for name, v in cxx.items() if v is not None and v > cxx_floor}
    assert not too_new_cxx, f"need a libstdc++ newer than GLIBCXX_{'.'.join(map(str, cxx_floor))}: {too_new_cxx}"
    assert any(cxx.values())  # Qt's libraries do need libstdc++ (left to the system)


def test_two_builds_give_the_same_release_archive(
    bundle: Bundle, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    """A second build of the same commit (other work and dist folders) packs to the same archive hash."""
    epoch = release.source_date_epoch()
    second = build_bundle(tmp_path_factory.mktemp("pyinstaller-again"))
    first_hash = release.write_archive(bundle.folder, tmp_path / "first.tar.gz", epoch)
    second_hash = release.write_archive(second.folder, tmp_path / "second.tar.gz", epoch)

    def content(folder: Path) -> dict[str, bytes]:
        return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    a, b = content(bundle.folder), content(second.folder)
    differ = sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))
    assert first_hash == second_hash, f"the builds differ in: {differ}"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux sonames")
def test_bundle_leaves_the_desktop_libraries_to_the_system(bundle: Bundle) -> None:
    names = {p.name for p in bundle.internal.rglob("*.so*")}
    assert not names & bundle_libs.system_sonames()
    # what only the left-out libraries pulled in went with them; what Qt needs and desktops may lack stayed
    assert not names & {"libgcrypt.so.20", "libnettle.so.8", "libbsd.so.0", "libpng16.so.16", "libpcre2-8.so.0"}
    assert {"libxcb-cursor.so.0", "libxkbcommon-x11.so.0", "libicudata.so.73", "libQt6Core.so.6"} <= names


def test_bundle_has_resources_fonts_and_no_dangling_links(bundle: Bundle) -> None:
    res = bundle.internal / "resources"
    assert (res / "kb" / "ldn_kb.json").read_bytes() == (ROOT / "resources" / "kb" / "ldn_kb.json").read_bytes()
    # the KB's JSON Schema for KB authors: `export-schema` copies it (no model source to read docstrings from)
    schema = bundle.folder.parent / "schema.json"
    made = subprocess.run([str(bundle.exe), "export-schema", str(schema)], capture_output=True, text=True, env=_env())
    assert made.returncode == 0, made.stderr
    assert schema.read_text(encoding="utf-8") == (ROOT / "resources" / "kb" / "ldn_kb.schema.json").read_text("utf-8")
    assert {p.name for p in (res / "icons").glob("*.png")} >= {f"ldn-browser-{n}.png" for n in (16, 32, 64, 128, 256)}
    fonts = sorted(p.name for p in (res / "fonts").glob("*.ttf"))
    assert fonts, "no TTF bundled"
    licences = [p for p in (res / "fonts").iterdir() if p.suffix.lower() != ".ttf"]
    assert licences and all(p.stat().st_size > 0 for p in licences), "font licence text missing"
    assert not list(res.glob("kb/part_*.json"))
    lexicon = bundle.internal / "ldn_browser" / "core" / "search" / "lexicon"
    assert {p.name for p in lexicon.iterdir()} == {"common-english.txt.gz", "SCOWL-COPYRIGHT.txt"}
    dangling = [str(p) for p in bundle.folder.rglob("*") if p.is_symlink() and not p.exists()]
    assert not dangling


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="plugin and library names below are Linux ones")
def test_bundle_leaves_out_unused_qt_parts(bundle: Bundle) -> None:
    qt = bundle.internal / "PySide6" / "Qt"
    assert not (qt / "translations").exists() or not any((qt / "translations").iterdir())
    plugins = {str(p.relative_to(qt / "plugins")) for p in (qt / "plugins").rglob("*.so")}
    assert "platforms/libqoffscreen.so" in plugins and "platforms/libqxcb.so" in plugins
    assert "printsupport/libcupsprintersupport.so" in plugins
    assert not {p for p in plugins if p.startswith(("platformthemes/", "imageformats/", "egldeviceintegrations/"))}
    names = {p.name for p in bundle.internal.rglob("*.so*")}
    for unused in (
        "libQt6Network.so.6",
        "libQt6Qml.so.6",
        "libQt6Quick.so.6",
        "libQt6Pdf.so.6",
        "libgtk-3.so.0",
        "libcairo.so.2",
        "libpango-1.0.so.0",
    ):
        assert unused not in names


def _module_files(internal: Path) -> set[str]:
    """The dotted names of the pure modules bundled as ``.pyc`` files (``noarchive=True`` in build.spec)."""
    names = set()
    for pyc in internal.rglob("*.pyc"):
        parts = pyc.relative_to(internal).with_suffix("").parts
        names.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_bundle_starts_without_multiprocessing(bundle: Bundle) -> None:
    """PyInstaller's multiprocessing run-time hook imported it (and ``multiprocessing.spawn``) at the start of the
    window and of the search process; only Whoosh's multi-process writer uses it, which the app never runs."""
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(bundle.exe))
    assert "pyi_rth_pyside6" in archive.toc  # the run-time hooks are where this looks
    assert "pyi_rth_multiprocessing" not in archive.toc
    modules = set(archive.open_embedded_archive("PYZ.pyz").toc) | _module_files(bundle.internal)
    assert "whoosh.index" in modules
    assert not {m for m in modules if m == "multiprocessing" or m.startswith("multiprocessing.")}


# -- the frozen binary -----------------------------------------------------------------------------


def test_frozen_version(bundle: Bundle, run_dir: Path) -> None:
    from ldn_browser import __version__

    r = _frozen(bundle, run_dir, "--version")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"ldn-browser {__version__}"


def test_frozen_check_passes(bundle: Bundle, run_dir: Path) -> None:
    r = _frozen(bundle, run_dir, "check")
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[-1] == "check: all passed"
    assert [ln.split(":")[0] for ln in lines[:-1]] == ["ok   load", "ok   index + search", "ok   sheet"]
    assert str(bundle.internal / "resources" / "kb" / "ldn_kb.json") in lines[0]
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(
    ("query", "topic"),
    [("RA", "rheumatoid"), ("irritable bowl syndrome", "irritable bowel")],  # the second reads the lexicon
)
def test_frozen_search_json_matches_source_run(bundle: Bundle, run_dir: Path, query: str, topic: str) -> None:
    r = _frozen(bundle, run_dir, "search", query, "--json")
    assert r.returncode == 0, r.stderr
    hits = json.loads(r.stdout)
    assert hits and any(topic in h["title"].lower() for h in hits)
    assert all(h["matched"] for h in hits)
    source = subprocess.run(
        [sys.executable, "-m", "ldn_browser", "search", query, "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=180,
    )
    assert source.returncode == 0, source.stderr
    assert hits == json.loads(source.stdout)


def test_frozen_sheet_writes_pdf(bundle: Bundle, run_dir: Path) -> None:
    r = _frozen(bundle, run_dir, "sheet", SHEET_CONDITION, "--out", "x.pdf")
    assert r.returncode == 0, r.stderr
    out = run_dir / "x.pdf"
    _, text, pages = _pdf_fonts_and_text(out)
    assert r.stdout.strip() == f"x.pdf: {pages} page(s)"
    assert "Crohn" in text


def test_frozen_sheet_has_text_on_a_machine_without_fonts(bundle: Bundle, run_dir: Path, tmp_path: Path) -> None:
    """A fontconfig setup that knows no font folder stands in for a bare target: the bundled font carries the PDF."""
    config = tmp_path / "fonts.conf"
    config.write_text(NO_FONTS_CONFIG.format(cache=tmp_path / "fc-cache"), encoding="utf-8")
    r = _frozen(bundle, run_dir, "sheet", SHEET_CONDITION, "--out", "bare.pdf", FONTCONFIG_FILE=str(config))
    assert r.returncode == 0, r.stderr
    fonts, text, _ = _pdf_fonts_and_text(run_dir / "bare.pdf")
    bundled = {p.stem for p in (bundle.internal / "resources" / "fonts").glob("*.ttf")}
    assert fonts and {name.split("+")[-1] for name in fonts} <= bundled
    assert "Crohn's disease" in text
    # Control: the same run with the bundled fonts hidden has no font to draw with, so the setup above is bare.
    no_fonts = tmp_path / "resources"
    shutil.copytree(bundle.internal / "resources", no_fonts, ignore=shutil.ignore_patterns("fonts"))
    r = _frozen(
        bundle,
        run_dir,
        "sheet",
        SHEET_CONDITION,
        "--out",
        "control.pdf",
        FONTCONFIG_FILE=str(config),
        LDN_BROWSER_RESOURCES=str(no_fonts),
    )
    assert r.returncode == 0, r.stderr
    fonts, text, _ = _pdf_fonts_and_text(run_dir / "control.pdf")
    assert not fonts and not text.strip()


def test_frozen_gui_starts_and_paints(bundle: Bundle, run_dir: Path) -> None:
    """The desktop window paints its frame, then its pages, and search becomes ready (``check --gui``), offscreen."""
    r = _frozen(bundle, run_dir, "check", "--gui")
    assert r.returncode == 0, r.stdout + r.stderr
    names = [line.split()[-1] for line in r.stdout.splitlines() if line.startswith("gui check: ")]
    assert names[0] == "first_paint" and sorted(names[:3]) == ["first_paint", "pages_paint", "search_ready"]
    assert names[-1] == "passed"  # "gui check: all passed"
    assert "Traceback" not in r.stderr


def test_frozen_search_process_answers_from_the_prebuilt_index(bundle: Bundle, tmp_path: Path) -> None:
    """The bundle's own executable runs the search process (``--search-service``) that the window searches in."""
    from ldn_browser.core.kb import kb_digest, load_kb
    from ldn_browser.core.search import open_search_index
    from ldn_browser.core.search.service import SERVICE_FLAG, SearchService

    kb_path = bundle.internal / "resources" / "kb" / "ldn_kb.json"
    service = SearchService.start(kb_path, command=[str(bundle.exe), SERVICE_FLAG, str(kb_path)])
    assert service is not None
    remote = service.connect(tmp_path / "cache", lambda: kb_digest(load_kb(kb_path)))
    try:
        assert remote.location == bundle.internal / "ldn_browser" / "core" / "search" / "prebuilt"
        loaded = Path(f"/proc/{service.pid}/maps").read_text()  # packaging/rthook_search_service.py
        assert "libQt6Core" not in loaded and "shiboken6" not in loaded  # ~45 ms of libraries it never uses
        with open_search_index(load_kb(kb_path), tmp_path / "local") as local:
            for query in ("krohns", "Percocet", "vivid dreams", "is ldn safe in pregnancy"):
                assert remote.search(query, 30) == local.search(query, limit=30), query
    finally:
        remote.close()


def test_frozen_window_searches_in_its_search_process(bundle: Bundle, run_dir: Path) -> None:
    """``check --gui`` says where search became ready: in the search process, not by falling back."""
    r = _frozen(bundle, run_dir, "check", "--gui")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "gui check: search runs in the search process" in r.stdout
    assert "search service not used" not in r.stderr


@pytest.mark.parametrize("marker", ["file", "folder"])
def test_frozen_portable_mode_keeps_settings_and_cache_beside_the_executable(
    bundle: Bundle, tmp_path: Path, marker: str
) -> None:
    """A ``portable`` file or folder beside the executable: the window's settings and the index go there."""
    copy = tmp_path / "stick" / "ldn-browser"
    shutil.copytree(bundle.folder, copy, symlinks=True)
    if marker == "file":
        (copy / "portable").write_bytes(b"")
        data = copy / "portable-data"
    else:
        (copy / "portable").mkdir()
        data = copy / "portable"
    home = tmp_path / "home"
    home.mkdir()
    user = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "XDG_CACHE_HOME": str(home / ".cache")}
    gui = subprocess.run(
        [str(copy / "ldn-browser"), "check", "--gui"], cwd=home, capture_output=True, text=True,
        env=_env(**user), timeout=180,
    )
    assert gui.returncode == 0, gui.stdout + gui.stderr
    # A KB other than the bundled one (whose index ships prebuilt, read-only): its index goes to the cache.
    other_kb = Path(__file__).resolve().parents[1] / "data" / "mini_kb.json"
    search = subprocess.run(
        [str(copy / "ldn-browser"), "--kb", str(other_kb), "search", "crohns"], cwd=home, capture_output=True,
        text=True, env=_env(**user), timeout=180,
    )
    assert search.returncode == 0, search.stderr
    assert (data / "ldn-browser.conf").is_file()
    assert list((data / "cache").glob("search-*/READY"))
    assert not list(home.rglob("*")), "portable mode wrote into the home folder"


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run (Debian package xvfb) for an X display")
def test_frozen_check_on_x11(bundle: Bundle, run_dir: Path) -> None:
    """The trimmed bundle still has a working xcb platform plugin (the one a Linux desktop uses)."""
    env = _env(QT_QPA_PLATFORM="xcb")
    r = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", str(bundle.exe), "check"],
        cwd=run_dir,
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines()[-1] == "check: all passed"


@pytest.mark.skipif(os.name == "nt", reason="uses a POSIX shell to close the descriptors")
def test_frozen_runs_with_stdout_and_stderr_closed(bundle: Bundle, run_dir: Path) -> None:
    """Like a windowed build started from a desktop: no usable stdout/stderr must not crash the app."""
    r = subprocess.run(
        [str(bundle.exe), "sheet", SHEET_CONDITION, "--out", "closed.pdf"],
        cwd=run_dir,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(),
        timeout=180,
    )
    assert r.returncode == 0
    assert (run_dir / "closed.pdf").read_bytes().startswith(b"%PDF")
    script = f'{shlex.quote(str(bundle.exe))} check >&- 2>&- <&-; echo "rc=$?" > rc.txt'
    shell = shutil.which("sh") or "/bin/sh"
    subprocess.run([shell, "-c", script], cwd=run_dir, env=_env(), timeout=180, check=True)
    assert (run_dir / "rc.txt").read_text().strip() == "rc=0"
    script = f'{shlex.quote(str(bundle.exe))} sheet {SHEET_CONDITION} --out shell.pdf >&- 2>&-; echo "rc=$?" > rc2.txt'
    subprocess.run([shell, "-c", script], cwd=run_dir, env=_env(), timeout=180, check=True)
    assert (run_dir / "rc2.txt").read_text().strip() == "rc=0"
    assert (run_dir / "shell.pdf").read_bytes().startswith(b"%PDF")
    gui = subprocess.run(  # the real window (check --gui opens it until ready, then closes it), stdio closed
        [str(bundle.exe), "check", "--gui"],
        cwd=run_dir,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(),
        timeout=180,
    )
    assert gui.returncode == 0


# -- ui/fonts.py, which the frozen app relies on (runs from source, no bundle needed) ------------------

SYSTEM_DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def test_register_bundled_fonts_registers_each_ttf_once(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QFontDatabase

    from ldn_browser.ui.fonts import register_bundled_fonts

    if not SYSTEM_DEJAVU.is_file():
        pytest.skip("needs fonts-dejavu-core (tools/sysdeps.py installs it)")
    (tmp_path / "fonts").mkdir()
    shutil.copy(SYSTEM_DEJAVU, tmp_path / "fonts" / "Bundled.ttf")
    (tmp_path / "fonts" / "LICENSE.txt").write_text("licence", encoding="utf-8")
    monkeypatch.setenv("LDN_BROWSER_RESOURCES", str(tmp_path))
    calls: list[str] = []
    real_add = QFontDatabase.addApplicationFont

    def counting_add(path: str) -> int:
        calls.append(path)
        return real_add(path)

    monkeypatch.setattr(QFontDatabase, "addApplicationFont", staticmethod(counting_add))
    assert register_bundled_fonts() == "DejaVu Sans"
    assert register_bundled_fonts() == "DejaVu Sans"
    assert calls == [str(tmp_path / "fonts" / "Bundled.ttf")]


def test_register_bundled_fonts_without_fonts_folder_is_none(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ldn_browser.ui.fonts import register_bundled_fonts

    monkeypatch.setenv("LDN_BROWSER_RESOURCES", str(tmp_path / "a"))
    assert register_bundled_fonts() is None
    fonts = tmp_path / "b" / "fonts"
    fonts.mkdir(parents=True)
    (fonts / "readme.txt").write_text("no fonts here", encoding="utf-8")
    (fonts / "broken.ttf").write_bytes(b"not a font")
    monkeypatch.setenv("LDN_BROWSER_RESOURCES", str(tmp_path / "b"))
    assert register_bundled_fonts() is None


def test_desktop_file_names_the_command_and_icon() -> None:
    import configparser

    path = ROOT / "resources" / "ldn-browser.desktop"
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Exec"] == "ldn-browser"
    assert (ROOT / "resources" / "icons" / f"{entry['Icon']}.svg").is_file()
    if validator := shutil.which("desktop-file-validate"):
        r = subprocess.run([validator, str(path)], capture_output=True, text=True, timeout=60)
        assert r.returncode == 0 and not r.stdout.strip(), r.stdout + r.stderr


def test_frozen_search_process_builds_a_large_kb_in_two_processes(
    bundle: Bundle, tmp_path: Path, generated_kb_of: Callable[[int], KnowledgeBase], capfd: pytest.CaptureFixture[str]
) -> None:
    """A KB of 2,000 entries or more is indexed by the search process and a forked copy of it (``core/search/forked``),
    which the bundle must be able to run: no multiprocessing there, and the copy's answer whole."""
    from ldn_browser.core.kb import kb_digest, load_kb
    from ldn_browser.core.search.service import SERVICE_FLAG, SearchService
    from ldn_browser.core.search.writer import PARALLEL_MIN_ENTRIES

    kb = generated_kb_of(PARALLEL_MIN_ENTRIES)
    assert len(kb.entries()) >= PARALLEL_MIN_ENTRIES
    kb_path = tmp_path / "large.json"
    kb_path.write_text(kb.model_dump_json(by_alias=True), encoding="utf-8")
    service = SearchService.start(kb_path, command=[str(bundle.exe), SERVICE_FLAG, str(kb_path)])
    assert service is not None
    remote = service.connect(tmp_path / "cache", lambda: kb_digest(load_kb(kb_path)))
    try:
        assert remote.built_now
        hits = remote.search("fibromyalgia", 5).hits
        assert hits and {h.entity_id for h in hits} <= {e.id for e in kb.entries()}
    finally:
        remote.close()
    errors = capfd.readouterr().err  # the search process writes to this process's stderr
    assert "second process" not in errors and "Traceback" not in errors  # the copy answered: no part redone here
