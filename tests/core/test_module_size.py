"""No module in the package grows past 600 lines (one responsibility each; see docs/architecture.md)."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).parents[2] / "ldn_browser"
LIMIT = 600


def test_no_module_is_over_600_lines() -> None:
    sizes = {
        p.relative_to(PACKAGE).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
        for p in PACKAGE.rglob("*.py")
    }
    too_long = {name: n for name, n in sizes.items() if n > LIMIT}
    assert not too_long, f"split these modules (limit {LIMIT} lines): {too_long}"
    assert len(sizes) > 30  # the walk found the package


def test_main_window_only_lays_out_and_connects() -> None:
    assert len((PACKAGE / "ui" / "main_window.py").read_text(encoding="utf-8").splitlines()) <= 400
