"""Complete output, proven: every heading, paragraph and table row of every sheet is on paper, in order.

The reference is the sheet's own structure (``core.sheet.sheet_outline``), not a hand-written
list. Each condition sheet alone and all conditions as one pack are exported in A4 and Letter at
the export resolution and at two others, through ``export_pdf`` (QPdfWriter) and through a
QPrinter printing to a PDF file; the text is read back with pypdf.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from ldn_browser.core.entities import Grade, KnowledgeBase
from ldn_browser.core.sheet import SheetDocument, SheetOutline, build_sheet, sheet_outline
from ldn_browser.ui import printing

PRINTED = dt.date(2026, 1, 2)
RESOLUTIONS = (printing.PDF_RESOLUTION, 300, 1200)
SIZES = ("A4", "Letter")


def _page_texts(pdf: Path) -> list[str]:
    """Text of each page: pdftotext (raw content order) when installed, it is ~50x faster; else pypdf."""
    tool = shutil.which("pdftotext")
    if tool:
        out = subprocess.run([tool, "-raw", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True).stdout
        pages = out.decode("utf-8").split("\f")
        return [_norm(p) for p in (pages[:-1] if pages and not pages[-1].strip() else pages)]
    return [_norm(p.extract_text()) for p in PdfReader(pdf).pages]


def _norm(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value).split())


def _export(doc: SheetDocument, path: Path, size: str, resolution: int, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(printing, "PDF_RESOLUTION", resolution)
    return printing.export_pdf(doc, path, page_size=size)


def _print_to_file(doc: SheetDocument, path: Path, size: str, resolution: int, _mp: pytest.MonkeyPatch) -> int:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(resolution)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(printing.page_size_id(size)),
            QPageLayout.Orientation.Portrait,
            printing.PAGE_MARGINS_MM,
            QPageLayout.Unit.Millimeter,
        )
    )
    pages = printing.paint_document(doc, printer)
    del printer  # the file is complete once the printer is gone
    return pages


Render = Callable[[SheetDocument, Path, str, int, pytest.MonkeyPatch], int]


_SYMBOLS = re.compile("[⊕◯]{4}")
_WORD = {g.symbol: g.label.lower() for g in Grade}


def _grades_without_word(text: str) -> list[str]:
    """GRADE symbol runs on paper that are not next to their word ("Low ⊕⊕◯◯" or "⊕⊕◯◯ low")."""
    bad = []
    for m in _SYMBOLS.finditer(text):
        word = _WORD[m[0]]
        if not (text[: m.start()].rstrip().lower().endswith(word) or text[m.end() :].lstrip().lower().startswith(word)):
            bad.append(text[max(0, m.start() - 40) : m.end() + 10])
    return bad


def _footer_re(kb: KnowledgeBase, disclaimer_text: str | None = None) -> re.Pattern[str]:
    disclaimer = _norm(disclaimer_text if disclaimer_text is not None else kb.meta.disclaimer)
    return re.compile(
        r"Page (\d+) of (\d+) · KB "
        + re.escape(kb.meta.kb_version)
        + r" · printed 2026-01-02 ?(.*?) ?"
        + re.escape(disclaimer[:40])
    )


def assert_complete(
    pdf: Path, doc: SheetDocument, kb: KnowledgeBase, pages_drawn: int, *, disclaimer: str | None = None
) -> None:
    """Every sheet's outline appears in order on its own pages, whose footers name it (and *disclaimer*)."""
    outlines = sheet_outline(doc)
    texts = _page_texts(pdf)
    assert len(texts) == pages_drawn == len(PdfReader(pdf).pages)
    footer = _footer_re(kb, disclaimer)
    bodies: list[tuple[str, str]] = []  # (footer title, body text) per page
    for n, text in enumerate(texts, start=1):
        m = footer.search(text)
        assert m, f"page {n}: no footer in {text[-300:]!r}"
        assert (int(m[1]), int(m[2])) == (n, len(texts)), f"page {n}: footer says page {m[1]} of {m[2]}"
        assert footer.search(text, m.end()) is None, f"page {n}: two footers"
        bodies.append((m[3], text[: m.start()]))
        assert _grades_without_word(text) == [], f"page {n}: grade symbols without their word"
    # pages grouped by the sheet their footer names: one run per sheet, in sheet order
    runs: list[tuple[str, list[str]]] = []
    for title, body in bodies:
        if runs and runs[-1][0] == title:
            runs[-1][1].append(body)
        else:
            runs.append((title, [body]))
    assert [t for t, _ in runs] == [o.title for o in outlines], "footers do not name the sheets in order"
    for outline, (_title, pages) in zip(outlines, runs, strict=True):
        _assert_outline_in_order(outline, pages)


def _assert_outline_in_order(outline: SheetOutline, pages: list[str]) -> None:
    text = " ".join(pages)
    assert pages[0].startswith(_norm(outline.items[0])), (
        f"{outline.title}: first page starts {pages[0][:80]!r}, not with its header"
    )
    at = 0
    for item in outline.items:
        wanted = _norm(item)
        found = text.find(wanted, at)
        assert found >= 0, (
            f"{outline.title}: {wanted!r} missing (or out of order) after …{text[max(0, at - 80) : at]!r}"
        )
        at = found + len(wanted)
    for heading in set(outline.headings):
        expected = outline.headings.count(heading)
        actual = len(re.findall(r"(?<!\w)" + re.escape(_norm(heading)) + r"(?!\w)", text))
        assert actual >= expected, f"{outline.title}: heading {heading!r} printed {actual}x, expected {expected}x"
    assert len(re.findall(re.escape(_norm(outline.title)), pages[0])) >= 1


@pytest.fixture(scope="module")
def condition_ids(bundled_kb: KnowledgeBase) -> list[str]:
    return [c.id for c in bundled_kb.conditions]


RENDERERS: dict[str, Render] = {"export": _export, "printer": _print_to_file}


@pytest.mark.parametrize("resolution", RESOLUTIONS)
@pytest.mark.parametrize("size", SIZES)
def test_every_condition_sheet_alone_is_complete(
    qapp: QApplication,
    bundled_kb: KnowledgeBase,
    condition_ids: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: str,
    resolution: int,
) -> None:
    failures = []
    for cid in condition_ids:
        doc = build_sheet(bundled_kb, [cid], printed_on=PRINTED)
        pdf = tmp_path / f"{cid.split(':')[1]}.pdf"
        pages = _export(doc, pdf, size, resolution, monkeypatch)
        try:
            assert_complete(pdf, doc, bundled_kb, pages)
        except AssertionError as e:
            failures.append(f"{cid}: {str(e).splitlines()[0]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("resolution", RESOLUTIONS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("via", RENDERERS)
def test_pack_of_all_conditions_is_complete(
    qapp: QApplication,
    bundled_kb: KnowledgeBase,
    condition_ids: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: str,
    resolution: int,
    via: str,
) -> None:
    doc = build_sheet(bundled_kb, condition_ids, overview=True, printed_on=PRINTED)
    pdf = tmp_path / "pack.pdf"
    pages = RENDERERS[via](doc, pdf, size, resolution, monkeypatch)
    assert_complete(pdf, doc, bundled_kb, pages)


@pytest.mark.parametrize("via", RENDERERS)
def test_issue_pack_crohns_ms_ra_is_complete(
    qapp: QApplication, bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, via: str
) -> None:
    """The pack from the issue, at the export resolution: the RA sheet has its title and sections."""
    ids = ["condition:crohns-disease", "condition:multiple-sclerosis", "condition:rheumatoid-arthritis"]
    doc = build_sheet(bundled_kb, ids, printed_on=PRINTED)
    pdf = tmp_path / "issue.pdf"
    pages = RENDERERS[via](doc, pdf, "A4", printing.PDF_RESOLUTION, monkeypatch)
    assert_complete(pdf, doc, bundled_kb, pages)


def test_big_pack_keeps_only_a_few_sheets_laid_out(
    qapp: QApplication,
    bundled_kb: KnowledgeBase,
    condition_ids: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Memory stays bounded: at most KEEP_LAID_OUT + 1 sheet documents exist at once, output still complete."""
    import gc
    import weakref

    alive: weakref.WeakSet[object] = weakref.WeakSet()
    most = 0
    real_layout = printing._layout

    def counting_layout(*args: object, **kwargs: object) -> object:
        nonlocal most
        gc.collect()
        text_doc = real_layout(*args, **kwargs)  # type: ignore[arg-type]
        alive.add(text_doc)
        most = max(most, len(alive))
        return text_doc

    monkeypatch.setattr(printing, "KEEP_LAID_OUT", 2)
    monkeypatch.setattr(printing, "_layout", counting_layout)
    doc = build_sheet(bundled_kb, condition_ids[:6], overview=True, printed_on=PRINTED)
    pdf = tmp_path / "big.pdf"
    pages = printing.export_pdf(doc, pdf)
    assert most <= 3
    assert_complete(pdf, doc, bundled_kb, pages)
