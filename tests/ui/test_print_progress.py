"""Long exports report progress and can be cancelled; a cancelled export writes nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from ldn_browser.cli.commands import terminal_progress
from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.sheet import build_sheet
from ldn_browser.ui import printing

OLD = b"%PDF-1.4 the previous export\n%%EOF\n"
PACK = ["condition:crohns-disease", "condition:fibromyalgia"]


def test_progress_counts_two_steps_per_sheet_up_to_the_total(
    qapp: QApplication, mini_kb: KnowledgeBase, tmp_path: Path
) -> None:
    seen: list[tuple[int, int]] = []
    doc = build_sheet(mini_kb, PACK, overview=True)
    printing.export_pdf(doc, tmp_path / "pack.pdf", progress=lambda d, t: seen.append((d, t)) or True)
    assert seen == [(i, 6) for i in range(1, 7)]


@pytest.mark.parametrize("stop_after", [1, 4])
def test_cancelling_leaves_the_old_file_and_no_temporary(
    qapp: QApplication, mini_kb: KnowledgeBase, tmp_path: Path, stop_after: int
) -> None:
    out = tmp_path / "pack.pdf"
    out.write_bytes(OLD)
    doc = build_sheet(mini_kb, PACK, overview=True)
    with pytest.raises(printing.ExportCancelled):
        printing.export_pdf(doc, out, progress=lambda done, _total: done < stop_after)
    assert out.read_bytes() == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["pack.pdf"]


def test_terminal_progress_rewrites_one_line_and_ends_it() -> None:
    stream = io.StringIO()
    show = terminal_progress(stream)
    for done in range(1, 5):
        assert show(done, 4)
    assert (
        stream.getvalue() == "\rsheet 1/2: laying out\rsheet 2/2: laying out\rsheet 1/2: writing\rsheet 2/2: writing\n"
    )
