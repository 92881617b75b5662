"""End to end: ``python -m ldn_browser sheet`` writes a PDF with no display."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader


@pytest.mark.e2e
def test_cli_sheet_writes_pack_pdf(tmp_path: Path, mini_kb_path: Path) -> None:
    out = tmp_path / "pack.pdf"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ldn_browser",
            "--kb",
            str(mini_kb_path),
            "sheet",
            "condition:crohns-disease",
            "condition:fibromyalgia",
            "--out",
            str(out),
            "--page-size",
            "Letter",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{out}: 2 page(s)"
    reader = PdfReader(out)
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    assert len(pages) == 2
    assert "Crohn's disease" in pages[0] and "Fibromyalgia" in pages[1]
    assert "Page 2 of 2 · KB 0.1.0" in pages[1]
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
