"""Export PDF in the window (review D6/D7): a failed write is an error dialog, never "Saved", and an
existing file survives. The full disk is simulated by ``fsync`` failing with ENOSPC (as on a
filesystem that reports a short write only when flushing); the real full tmpfs is in
``tests/e2e/test_export_no_loss.py``."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

from ldn_browser.ui.main_window import MainWindow

OLD = b"%PDF-1.4 the previous export\n%%EOF\n"


def test_export_on_a_full_disk_shows_an_error_and_keeps_the_old_file(
    window: MainWindow, dialogs: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "sheet.pdf"
    target.write_bytes(OLD)
    window.navigate("condition:crohns-disease")
    dialogs.save_answer = target

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    job = window.printer.export_page()
    assert job is not None and isinstance(job.wait(), OSError)
    assert len(dialogs.errors) == 1
    title, text, details = dialogs.errors[0]
    assert title == "Cannot export PDF" and "sheet.pdf" in text and "No space left on device" in details
    assert not window.statusBar().currentMessage().startswith("Saved")
    assert not window.kb_status.export_notice.isVisible()
    assert target.read_bytes() == OLD
    assert [p.name for p in target.parent.iterdir()] == ["sheet.pdf"]
