"""Search results: grouped by kind, with highlighted snippets, badges and how each hit matched."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, Signal, Slot
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from ldn_browser.core.presentation import direction_text, kind_text, verdict_text
from ldn_browser.core.text_policy import clean_text, escape_text, quoted_query, tooltip_html
from ldn_browser.core.vocab import Kind
from ldn_browser.ui.text_widgets import make_plain
from ldn_browser.ui.theme import palette_is_dark

if TYPE_CHECKING:  # Whoosh loads only when the index opens, after the window has painted
    from ldn_browser.core.search import SearchHit, SearchResults

ModelIndex = QModelIndex | QPersistentModelIndex

_KIND_ORDER = {kind: i for i, kind in enumerate(Kind)}


@dataclass(frozen=True)
class _Row:
    kind: Kind
    hit: SearchHit | None  # None: a group header
    count: int = 0
    label: str | None = None  # a header's own text ("Best match") instead of the kind's plural


class SearchResultsModel(QAbstractListModel):
    """The best match first (what Enter opens), then the other hits grouped by kind, best first in each."""

    EntityIdRole = Qt.ItemDataRole.UserRole + 1
    HitRole = Qt.ItemDataRole.UserRole + 5
    IsHeaderRole = Qt.ItemDataRole.UserRole + 6

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[_Row, ...] = ()
        self._hit_count = 0

    @property
    def hit_count(self) -> int:
        """Number of hits (header rows not counted)."""
        return self._hit_count

    def set_hits(self, hits: tuple[SearchHit, ...]) -> None:
        """Show *hits* (best first, as ranked by the engine): the best match, then the rest grouped by kind."""
        groups: dict[Kind, list[SearchHit]] = {}
        for hit in hits[1:]:
            groups.setdefault(hit.kind, []).append(hit)
        rows: list[_Row] = []
        if hits:
            rows += [_Row(hits[0].kind, None, 1, label="Best match"), _Row(hits[0].kind, hits[0])]
        for kind in sorted(groups, key=_KIND_ORDER.__getitem__):
            rows.append(_Row(kind, None, len(groups[kind])))
            rows.extend(_Row(kind, h) for h in groups[kind])
        self.beginResetModel()
        self._rows = tuple(rows)
        self._hit_count = len(hits)
        self.endResetModel()

    def first_hit_row(self) -> int:
        """Row of the first hit in display order (the "top hit"), or -1."""
        for i, row in enumerate(self._rows):
            if row.hit is not None:
                return i
        return -1

    def top_hit_id(self) -> str | None:
        """Id of the best match (the first hit listed, which Enter opens), or None when there are none."""
        row = self.first_hit_row()
        hit = self._rows[row].hit if row >= 0 else None
        return hit.entity_id if hit is not None else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Number of rows, headers included."""
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        """Headers are neither selectable nor enabled, so keyboard navigation skips them."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._rows[index.row()].hit is None:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Display text, id, hit, header flag, tooltip and accessible text."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        hit = row.hit
        if role == self.IsHeaderRole:
            return hit is None
        if hit is None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return row.label or f"{row.kind.plural} ({row.count})"
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return clean_text(hit.title)
        if role == self.EntityIdRole:
            return hit.entity_id
        if role == self.HitRole:
            return hit
        if role == Qt.ItemDataRole.AccessibleTextRole:
            parts = [hit.title, kind_text(hit.kind, hit.verdict)]
            if hit.rating is not None:
                parts.append(hit.rating.accessible_name)
            if hit.direction is not None:
                parts.append(f"direction: {hit.direction.label}")
            if hit.snippet_text:
                parts.append(hit.snippet_text)
            return clean_text(". ".join(parts))
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{hit.title} ({hit.kind.label})"
            if hit.matched:
                tip += "\nMatched: " + "; ".join(hit.matched)
            return tooltip_html(tip)  # escaped: a title is never markup (D5)
        return None


def hit_html(hit: SearchHit, *, dark: bool, muted: str) -> str:
    """Rich text for one hit: title, kind (a claim's verdict), badge, direction, snippet and how it matched."""
    from ldn_browser.core.html import e, grade_badge  # loaded with the results, after the first paint

    out = f"<b>{e(hit.title)}</b> &nbsp;<span style='color:{muted}'>{e(hit.kind.label)}</span>"
    if hit.verdict is not None:  # a lay claim reads like a fact: its verdict goes with it, in words and glyph
        out += f" &middot; <b>{e(verdict_text(hit.verdict))}</b>"
    if hit.rating is not None:
        out += f" &nbsp;{grade_badge(hit.rating, dark=dark)}"
    if hit.direction is not None:
        out += f" &nbsp;{e(direction_text(hit.direction)).replace(' ', '&nbsp;')}"
    if hit.snippet_html:
        out += f"<br>{hit.snippet_html}"
    if hit.matched:
        out += f"<br><span style='color:{muted}; font-size:small'>matched: {e('; '.join(hit.matched))}</span>"
    return out


class SearchHitDelegate(QStyledItemDelegate):
    """Paints hits as rich text and group headers as small bold captions."""

    PAD = 6

    def _document(self, option: QStyleOptionViewItem, index: ModelIndex, selected: bool = False) -> QTextDocument:
        """The hit's rich text; on the selected row the matched words are underlined instead of marked in yellow,
        and the kind and "matched" texts take the selection's text colour (white on yellow, grey on blue before)."""
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(option.font)
        dark = palette_is_dark(option.palette)
        if selected:
            doc.setDefaultStyleSheet("b.match { text-decoration: underline; }")
            muted = option.palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText).name()
        else:
            mark = "#6b5b00" if dark else "#fff0a0"
            doc.setDefaultStyleSheet(f"b.match {{ background-color: {mark}; }}")
            muted = option.palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText).name()
        if index.data(SearchResultsModel.IsHeaderRole):
            doc.setHtml(f"<b>{escape_text(str(index.data(Qt.ItemDataRole.DisplayRole)))}</b>")
        else:
            hit = index.data(SearchResultsModel.HitRole)
            doc.setHtml(hit_html(hit, dark=dark, muted=muted))
        width = option.rect.width()
        view = self.parent()
        if isinstance(view, QAbstractItemView):
            width = view.viewport().width()
        doc.setTextWidth(max(100, width - 2 * self.PAD))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        """Draw the selection background, then the rich text in palette colours."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index, selected=bool(opt.state & QStyle.StateFlag.State_Selected))
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        group = (
            QPalette.ColorGroup.Active if opt.state & QStyle.StateFlag.State_Active else QPalette.ColorGroup.Inactive
        )
        ctx.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(group, role))
        painter.save()
        painter.translate(opt.rect.left() + self.PAD, opt.rect.top() + self.PAD)
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:  # noqa: N802
        """Height of the laid-out rich text plus padding."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index)
        return QSize(int(doc.idealWidth()) + 2 * self.PAD, int(doc.size().height()) + 2 * self.PAD)


class SearchResultsView(QListView):
    """The results list; Escape hands focus back to the search field.

    Signals:
        escape_pressed: Emitted when Escape is pressed in the list.
    """

    escape_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Escape leaves the list; everything else as usual."""
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class SearchPanel(QWidget):
    """Status, "did you mean", notices and the grouped result list.

    Signals:
        entity_activated: Emitted with an entry id when a hit is activated (Enter, double-click).
        suggestion_activated: Emitted with the suggested query when "did you mean" is clicked.
        escape_pressed: Emitted when Escape is pressed in the result list.
        contents_changed: Emitted when what the panel shows changed (the popup fits its height to it).
    """

    entity_activated = Signal(str)
    suggestion_activated = Signal(str)
    escape_pressed = Signal()
    contents_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchPanel")
        self._suggestion: str | None = None
        self.status_label = QLabel(self)
        self.status_label.setObjectName("searchStatus")
        make_plain(self.status_label)  # it repeats the query: never markup (D18)
        self.status_label.setWordWrap(True)
        self.suggestion_label = QLabel(self)  # app-made rich text: the suggestion inside is escaped
        self.suggestion_label.setObjectName("didYouMean")
        self.suggestion_label.setTextFormat(Qt.TextFormat.RichText)
        self.suggestion_label.setOpenExternalLinks(False)
        self.suggestion_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.suggestion_label.linkActivated.connect(self._on_suggestion_label_link_activated)
        self.suggestion_label.hide()
        self.notice_label = make_plain(QLabel(self))  # it may quote the query: never markup
        self.notice_label.setObjectName("searchNotice")
        self.notice_label.setWordWrap(True)
        self.notice_label.hide()

        self.model = SearchResultsModel(self)
        self.view = SearchResultsView(self)
        self.view.setObjectName("resultsView")
        self.view.setAccessibleName("Search results")
        self.view.setModel(self.model)
        self.view.setItemDelegate(SearchHitDelegate(self.view))
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(True)
        self.view.activated.connect(self._on_view_activated)
        self.view.escape_pressed.connect(self.escape_pressed)
        self.view.hide()  # shown with the first hits (the popup is then the page's height)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.status_label)
        layout.addWidget(self.suggestion_label)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.view, 1)

    @property
    def suggestion(self) -> str | None:
        """The "did you mean" query currently offered, or None."""
        return self._suggestion

    def set_status(self, text: str) -> None:
        """Show a status line such as "Preparing search…"."""
        self.status_label.setText(clean_text(text))
        self.contents_changed.emit()

    def set_results(self, results: SearchResults) -> None:
        """Show a result set."""
        self.model.set_hits(results.hits)
        n = len(results.hits)
        if n:
            shown = quoted_query(results.query)
            self.set_status(f"{n} result{'s' if n != 1 else ''} for “{shown}” — Enter opens the top hit")
        else:
            self.set_status(f"No matches for “{quoted_query(results.query)}”.")
        self._suggestion = results.suggestion
        if results.suggestion:
            self.suggestion_label.setText(f"Did you mean <a href='suggest'>{escape_text(results.suggestion)}</a>?")
        self.suggestion_label.setVisible(bool(results.suggestion))
        self.notice_label.setText(clean_text(results.notice or ""))
        self.notice_label.setVisible(bool(results.notice))
        # No hits: only the line that says why (the notice when there is one), no empty list under it.
        self.status_label.setVisible(bool(n) or not results.notice)
        self._show_list(bool(n))

    @property
    def has_list(self) -> bool:
        """True while the result list is part of the panel (there are hits): the popup then takes the page's height."""
        return not self.view.isHidden()

    def _show_list(self, shown: bool) -> None:
        self.view.setHidden(not shown)
        self.contents_changed.emit()

    def set_error(self, query: str, message: str) -> None:
        """Show that the search itself failed (not "no matches"): the hits are cleared, the cause named."""
        self.model.set_hits(())
        self._suggestion = None
        self.suggestion_label.hide()
        self.set_status(f"Search failed for “{quoted_query(query)}”.")
        self.notice_label.setText(clean_text(f"{message}. Other pages still work; the details are in the log."))
        self.notice_label.show()
        self.status_label.show()
        self._show_list(False)

    @property
    def showing_error(self) -> bool:
        """True while the panel shows a search failure."""
        return self.status_label.text().startswith("Search failed")

    def clear(self) -> None:
        """Remove results, suggestion and notice."""
        self.model.set_hits(())
        self._suggestion = None
        self.suggestion_label.hide()
        self.notice_label.hide()
        self.set_status("")
        self.status_label.show()
        self._show_list(False)

    def focus_results(self) -> None:
        """Move keyboard focus to the first hit."""
        row = self.model.first_hit_row()
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row))
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(QModelIndex)
    def _on_view_activated(self, index: QModelIndex) -> None:
        entity_id = index.data(SearchResultsModel.EntityIdRole)
        if entity_id:
            self.entity_activated.emit(str(entity_id))

    @Slot(str)
    def _on_suggestion_label_link_activated(self, _link: str) -> None:
        if self._suggestion:
            self.suggestion_activated.emit(self._suggestion)
