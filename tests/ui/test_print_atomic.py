"""Exporting over an existing file is atomic: a failure leaves the old file as it was and names the path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.sheet import SheetDocument, build_sheet
from ldn_browser.ui import printing

OLD = b"%PDF-1.4 the previous export, which must survive\n%%EOF\n"


@pytest.fixture
def old_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(OLD)
    path.chmod(0o644)
    return path


def _doc(kb: KnowledgeBase) -> SheetDocument:
    return build_sheet(kb, ["condition:crohns-disease"])


def test_export_replaces_the_old_file_and_leaves_no_temporary(
    qapp: QApplication, mini_kb: KnowledgeBase, old_pdf: Path
) -> None:
    assert printing.export_pdf(_doc(mini_kb), old_pdf) >= 1
    data = old_pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data != OLD
    assert old_pdf.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in old_pdf.parent.iterdir()) == ["sheet.pdf"]


def test_export_failing_while_writing_keeps_the_old_file(
    qapp: QApplication, mini_kb: KnowledgeBase, old_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(doc: object, device: object, **_options: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(printing, "paint_document", fail)
    with pytest.raises(OSError) as caught:
        printing.export_pdf(_doc(mini_kb), old_pdf)
    assert caught.value.filename == str(old_pdf)
    assert str(old_pdf) in str(caught.value) and "No space left on device" in str(caught.value)
    assert old_pdf.read_bytes() == OLD
    assert sorted(p.name for p in old_pdf.parent.iterdir()) == ["sheet.pdf"]


def test_export_producing_a_truncated_pdf_keeps_the_old_file(
    qapp: QApplication, mini_kb: KnowledgeBase, old_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QPdfWriter does not report a short write; a PDF without its trailer is refused."""
    real_check = printing._check_complete_pdf

    def truncate_then_check(path: Path, pages: int | None = None) -> None:
        assert path.parent == old_pdf.parent and path != old_pdf
        path.write_bytes(path.read_bytes()[:200])  # as if the disk filled up
        real_check(path, pages)

    monkeypatch.setattr(printing, "_check_complete_pdf", truncate_then_check)
    with pytest.raises(OSError, match="incomplete") as caught:
        printing.export_pdf(_doc(mini_kb), old_pdf)
    assert caught.value.filename == str(old_pdf)
    assert old_pdf.read_bytes() == OLD
    assert sorted(p.name for p in old_pdf.parent.iterdir()) == ["sheet.pdf"]


def test_export_failing_to_rename_keeps_the_old_file(
    qapp: QApplication, mini_kb: KnowledgeBase, old_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_rename(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", no_rename)
    with pytest.raises(OSError, match="Permission denied") as caught:
        printing.export_pdf(_doc(mini_kb), old_pdf)
    assert caught.value.filename == str(old_pdf)
    assert old_pdf.read_bytes() == OLD
    assert sorted(p.name for p in old_pdf.parent.iterdir()) == ["sheet.pdf"]


def test_export_to_a_missing_folder_names_the_path(qapp: QApplication, mini_kb: KnowledgeBase, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "x.pdf"
    with pytest.raises(OSError) as caught:
        printing.export_pdf(_doc(mini_kb), target)
    assert caught.value.filename == str(target)
