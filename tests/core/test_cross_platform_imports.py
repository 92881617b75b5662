"""The app runs on Windows and macOS too: no POSIX-only (or Windows-only) module on its import path."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "ldn_browser"
POSIX_ONLY = {"resource", "fcntl", "termios", "tty", "pty", "pwd", "grp", "posix", "crypt", "syslog", "readline",
              "curses", "nis", "spwd"}
WINDOWS_ONLY = {"msvcrt", "winreg", "winsound", "_winapi", "nt"}


def _top_level_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_platform_only_module_is_imported() -> None:
    found = {
        str(p.relative_to(PACKAGE)): sorted(_top_level_imports(p) & (POSIX_ONLY | WINDOWS_ONLY))
        for p in sorted(PACKAGE.rglob("*.py"))
    }
    offenders = {name: mods for name, mods in found.items() if mods}
    assert not offenders, f"platform-only imports (guard them or use a portable API): {offenders}"
    assert len(found) > 30
