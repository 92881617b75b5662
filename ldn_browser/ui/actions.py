"""The window's actions as data: one declaration per action, from which menus, toolbar and enabling are built.

Each :class:`ActionSpec` names the window slot it triggers, its shortcuts, its menu and when it is
enabled (a boolean property of the window). Shortcuts marked ``from_text_fields`` also work while a
line edit has focus: :class:`~ldn_browser.ui.search_field.SearchField` lets them through instead of
taking the key for itself (on X11, ``QLineEdit`` binds Ctrl+E to "end of line").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6 import QtCore  # not ``Qt`` by name: see ldn_browser.ui.main_window
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QMenu, QTabWidget, QToolBar, QWidget

Key = QKeySequence.StandardKey | str


@dataclass(frozen=True)
class ActionSpec:
    """One action of the main window.

    Attributes:
        name: Attribute name on the window is ``<name>_action``.
        text: Menu text with its mnemonic.
        slot: The window method the action calls, or ``part.method`` for a method of one of its parts.
        shortcuts: Key sequences (standard keys expand to the platform's bindings).
        menu: Key of the menu it appears in (see :data:`MENUS`), or None.
        tip: Status and tool tip.
        enabled_when: A boolean property of the window (or ``part.property``); None for always enabled.
        separator_before: Start a new group in its menu.
        toolbar: Also on the navigation toolbar.
        checkable: A toggle (e.g. the bookmark of the page shown).
        from_text_fields: The shortcut wins over a line edit's own binding of the same key.
    """

    name: str
    text: str
    slot: str
    shortcuts: tuple[Key, ...] = ()
    menu: str | None = None
    tip: str = ""
    enabled_when: str | None = None
    separator_before: bool = False
    toolbar: bool = False
    checkable: bool = False
    from_text_fields: bool = False


MENUS: tuple[tuple[str, str], ...] = (
    ("file", "&File"),
    ("go", "&Go"),
    ("bookmarks", "&Bookmarks"),
    ("view", "&View"),
    ("tools", "&Tools"),
    ("help", "&Help"),
)
"""Menu keys and titles, in menu-bar order."""

SK = QKeySequence.StandardKey

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "open",
        "&Open knowledge base…",
        "choose_kb_file",
        (SK.Open,),
        "file",
        "Open another knowledge-base JSON file",
        "has_pages",
    ),
    ActionSpec(
        "print",
        "&Print…",
        "printer.print_page",
        ("Ctrl+P",),
        "file",
        "Print the page shown as a sheet",
        "has_pages",
        separator_before=True,
        from_text_fields=True,
    ),
    ActionSpec(
        "preview",
        "Print pre&view…",
        "printer.preview_page",
        ("Ctrl+Shift+P",),
        "file",
        "Preview the sheet of the page shown",
        "has_pages",
        from_text_fields=True,
    ),
    ActionSpec(
        "export",
        "&Export PDF…",
        "printer.export_page",
        ("Ctrl+E",),
        "file",
        "Save the sheet of the page shown as a PDF file",
        "has_pages",
        from_text_fields=True,
    ),
    ActionSpec(
        "patient_leaflet",
        "Patient &leaflet…",
        "patient.leaflet",
        (),
        "file",
        "Leaflet for patients: about the condition shown, or the general one",
        "patient.available",
        separator_before=True,
        toolbar=True,
    ),
    ActionSpec(
        "titration_calendar",
        "&Titration calendar…",
        "patient.titration",
        (),
        "file",
        "A dated dose calendar for a patient: enter the schedule, then print",
        "patient.available",
    ),
    ActionSpec(
        "wallet_card",
        "&Wallet card…",
        "patient.card",
        (),
        "file",
        "Fold-out wallet cards saying the bearer takes an opioid blocker",
        "patient.available",
    ),
    ActionSpec(
        "copy_citation",
        "Copy &citation",
        "reading.copy_citation",
        ("Ctrl+Shift+C",),
        "file",
        "Copy the source shown as a Vancouver reference",
        "reading.can_cite",
        separator_before=True,
    ),
    ActionSpec(
        "export_references",
        "Export &references…",
        "reading.export_references",
        (),
        "file",
        "Save the sources of the page shown as an RIS file",
        "reading.has_references",
    ),
    ActionSpec("quit", "&Quit", "close", ("Ctrl+Q",), "file", separator_before=True, from_text_fields=True),
    ActionSpec(
        "back",
        "&Back",
        "go_back",
        ("Alt+Left", SK.Back),
        "go",
        "Go back (Alt+Left)",
        "history.can_go_back",
        toolbar=True,
    ),
    ActionSpec(
        "forward",
        "&Forward",
        "go_forward",
        ("Alt+Right", SK.Forward),
        "go",
        "Go forward (Alt+Right)",
        "history.can_go_forward",
        toolbar=True,
    ),
    ActionSpec("focus_search", "&Search", "focus_search", ("Ctrl+K", "Ctrl+L"), "go", "Focus the search field"),
    ActionSpec(
        "start_page",
        "S&tart page",
        "reading.show_start",
        ("Alt+Home",),
        "go",
        "Recent items, bookmarks, what's new",
        "has_pages",
    ),
    ActionSpec(
        "sections",
        "Se&ctions of this page…",
        "reading.outline.show_menu",
        ("Ctrl+Shift+O",),
        "go",
        "Jump to a section of the page shown",
        "has_pages",
    ),
    ActionSpec(
        "next_tab",
        "&Next tab",
        "reading.next_tab",
        ("Ctrl+Tab", "Ctrl+PgDown"),
        "go",
        "Show the tab to the right",
        "has_pages",
        separator_before=True,
        from_text_fields=True,
    ),
    ActionSpec(
        "previous_tab",
        "&Previous tab",
        "reading.previous_tab",
        ("Ctrl+Shift+Tab", "Ctrl+PgUp"),
        "go",
        "Show the tab to the left",
        "has_pages",
        from_text_fields=True,
    ),
    ActionSpec(
        "bookmark",
        "Bookmark this &page",
        "toggle_bookmark",
        ("Ctrl+D",),
        "bookmarks",
        "Add or remove a bookmark for the page shown",
        "can_bookmark",
        checkable=True,
        from_text_fields=True,
    ),
    ActionSpec(
        "zoom_in",
        "Zoom &in",
        "zoom.zoom_in",
        ("Ctrl+=", "Ctrl++", SK.ZoomIn),
        "view",
        enabled_when="has_pages",
        from_text_fields=True,
    ),
    ActionSpec(
        "zoom_out",
        "Zoom &out",
        "zoom.zoom_out",
        ("Ctrl+-", SK.ZoomOut),
        "view",
        enabled_when="has_pages",
        from_text_fields=True,
    ),
    ActionSpec(
        "zoom_reset", "&Reset zoom", "zoom.reset", ("Ctrl+0",), "view", enabled_when="has_pages", from_text_fields=True
    ),
    ActionSpec(
        "find",
        "&Find in page…",
        "reading.find.open_bar",
        ("Ctrl+F",),
        "view",
        "Find text in the page shown",
        "has_pages",
        separator_before=True,
    ),
    ActionSpec("find_next", "Find ne&xt", "reading.find_next", ("F3",), "view", enabled_when="has_pages"),
    ActionSpec(
        "find_previous", "Find pre&vious", "reading.find_previous", ("Shift+F3",), "view", enabled_when="has_pages"
    ),
    ActionSpec("next_pane", "&Next pane", "focus_next_pane", ("F6",), "view", separator_before=True),
    ActionSpec("prev_pane", "&Previous pane", "focus_previous_pane", ("Shift+F6",), "view"),
    ActionSpec(
        "check_meds",
        "Check &medications…",
        "meds.show",
        ("Ctrl+Shift+M",),
        "tools",
        "Paste a medication list and see, line by line, what each drug means for LDN",
        "has_pages",
        from_text_fields=True,
    ),
    ActionSpec(
        "legend", "&Evidence grades", "help.show_grade_legend", ("F1",), "help", "What the grades mean", "has_pages"
    ),
    ActionSpec(
        "whats_new",
        "&What's new in the knowledge base",
        "help.show_whats_new",
        (),
        "help",
        "What changed in this knowledge-base release, and why",
        "has_pages",
    ),
    ActionSpec(
        "shortcuts",
        "&Keyboard shortcuts",
        "help.show_shortcuts",
        (),
        "help",
        "Every keyboard shortcut of this window",
        separator_before=True,
    ),
    ActionSpec("about", "&About LDN Browser", "help.show_about", (), "help", enabled_when="has_pages"),
)
"""Every action of the main window, in menu order."""


def key_sequences(keys: Iterable[Key]) -> list[QKeySequence]:
    """The distinct key sequences of *keys* (duplicates make Qt report "ambiguous" and fire nothing)."""
    unique: list[QKeySequence] = []
    for item in keys:
        for seq in (
            QKeySequence.keyBindings(item) if isinstance(item, QKeySequence.StandardKey) else [QKeySequence(item)]
        ):
            if not seq.isEmpty() and seq not in unique:
                unique.append(seq)
    return unique


def text_field_shortcuts(specs: Iterable[ActionSpec] = ACTIONS) -> frozenset[str]:
    """The portable text of every shortcut that must win over a line edit's own key binding."""
    return frozenset(seq.toString() for spec in specs if spec.from_text_fields for seq in key_sequences(spec.shortcuts))


def make_action(window: QMainWindow, text: str, slot: object, keys: Iterable[Key] = (), tip: str = "") -> QAction:
    """A window-wide action (added to the window, so its shortcut works wherever focus is)."""
    action = QAction(text, window)
    action.setShortcuts(key_sequences(keys))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(slot)  # type: ignore[arg-type]
    window.addAction(action)
    return action


def build_actions(window: QMainWindow, specs: Iterable[ActionSpec] = ACTIONS) -> dict[str, QAction]:
    """Create every action, set ``window.<name>_action`` and return them by name."""
    actions: dict[str, QAction] = {}
    for spec in specs:
        action = make_action(window, spec.text, _resolve(window, spec.slot), spec.shortcuts, spec.tip)
        action.setObjectName(f"{spec.name}Action")
        action.setCheckable(spec.checkable)
        setattr(window, f"{spec.name}_action", action)
        actions[spec.name] = action
    return actions


def build_menus(
    window: QMainWindow, actions: dict[str, QAction], specs: Iterable[ActionSpec] = ACTIONS
) -> dict[str, QMenu]:
    """The menu bar, each menu filled from the specs in order; returns the menus by key."""
    menus = {key: window.menuBar().addMenu(title) for key, title in MENUS}
    for key, menu in menus.items():
        menu.setObjectName(f"{key}Menu")
    for spec in specs:
        if spec.menu is None:
            continue
        if spec.separator_before:
            menus[spec.menu].addSeparator()
        menus[spec.menu].addAction(actions[spec.name])
    return menus


def fill_toolbar(toolbar: QToolBar, actions: dict[str, QAction], specs: Iterable[ActionSpec] = ACTIONS) -> None:
    """Put the toolbar actions on *toolbar*, in table order."""
    for spec in specs:
        if spec.toolbar:
            toolbar.addAction(actions[spec.name])


def update_enabled(window: object, actions: dict[str, QAction], specs: Iterable[ActionSpec] = ACTIONS) -> None:
    """Enable each action by its ``enabled_when`` property of *window*."""
    for spec in specs:
        if spec.enabled_when is not None:
            actions[spec.name].setEnabled(bool(_resolve(window, spec.enabled_when)))


def _resolve(obj: object, path: str) -> object:
    """``a.b.c`` looked up from *obj* ("history.can_go_back", "printer.print_page")."""
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def build_toolbar(window: QMainWindow, actions: dict[str, QAction], search_field: QWidget) -> QToolBar:
    """The navigation toolbar: the table's toolbar actions, the search field, then the bookmark toggle."""
    toolbar = QToolBar("Navigation", window)
    toolbar.setObjectName("navigationToolBar")
    toolbar.setMovable(False)
    fill_toolbar(toolbar, actions)
    toolbar.addSeparator()
    toolbar.addWidget(search_field)
    toolbar.addSeparator()
    toolbar.addAction(actions["bookmark"])
    window.addToolBar(toolbar)
    return toolbar


class WindowInput(QObject):
    """The window's one application event filter (it sees every event of the app, so it is one, and cheap):

    * the mouse's back/forward buttons anywhere in *window* go through history;
    * the window's *passes_through* shortcuts win over every line edit in *window*. A list's filter field
      is a plain ``QLineEdit``; on X11 it takes Ctrl+E as "end of line", so Export did nothing and said
      nothing from a list tab (the search field does the same itself).
    """

    def __init__(
        self,
        window: QMainWindow,
        *,
        back: Callable[[], object],
        forward: Callable[[], object],
        passes_through: frozenset[str],
    ) -> None:
        super().__init__(window)
        self._window, self._back, self._forward, self._passes_through = window, back, forward, passes_through
        self._installed = False

    def install_after_first_paint(self, widget: QWidget) -> None:
        """Install this filter on the application once *widget* (the pages) has painted, not sooner.

        It sees every event of every object in the app, each a call into Python that converts the object and
        the event (and, for Qt's private classes, makes PySide create the enums of some hundred classes):
        installed with the frame, it cost ~65 ms before the pages painted (A/B, 11 launches). Nothing it does
        is needed sooner: before the pages there is no history and no list field.
        """
        from ldn_browser.ui.workers import AfterFirstPaint

        def install() -> None:
            if not self._installed and (app := QApplication.instance()) is not None:
                self._installed = True
                app.installEventFilter(self)

        AfterFirstPaint(widget, install)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Handle back/forward button releases and pass the window's shortcuts through line edits."""
        kind = event.type()
        if kind == QEvent.Type.MouseButtonRelease:
            if isinstance(event, QMouseEvent) and isinstance(watched, QWidget) and watched.window() is self._window:
                if event.button() == QtCore.Qt.MouseButton.BackButton:
                    self._back()
                    return True
                if event.button() == QtCore.Qt.MouseButton.ForwardButton:
                    self._forward()
                    return True
        elif (
            kind == QEvent.Type.ShortcutOverride
            and isinstance(watched, QLineEdit)
            and watched.window() is self._window
            and isinstance(event, QKeyEvent)
            and QKeySequence(event.keyCombination()).toString() in self._passes_through
        ):
            event.ignore()  # not overridden: the QAction's shortcut fires
            return True
        return False


def add_tab_actions(window: QMainWindow, tabs: QTabWidget, menu: QMenu) -> None:
    """One action per tab (Alt+1 … Alt+9, then Alt+0 for the tenth), named after it, at the end of *menu* (Go)."""
    menu.addSeparator()
    for i in range(min(tabs.count(), 10)):
        show = lambda _=False, i=i: tabs.setCurrentIndex(i)  # noqa: E731 - one per tab
        label = tabs.tabText(i)
        action = make_action(window, label.replace("&", "&&"), show, [f"Alt+{(i + 1) % 10}"], f"Show the {label} tab")
        action.setObjectName(f"tab{i + 1}Action")
        menu.addAction(action)
