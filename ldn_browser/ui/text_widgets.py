"""The text policy applied to Qt widgets: untrusted text is shown as plain text, or escaped.

Qt guesses ("AutoText") whether a label, a message box or a tooltip holds rich text, so a KB title
or a validation message quoting a KB key such as ``<a href="file:///etc/passwd">`` would become a
live link or load a local image (reliability review D4, D5, D18). Every place that shows KB text,
typed text, a path or an error message goes through these helpers; the strings themselves come
from :mod:`ldn_browser.core.text_policy` (clean, escape, tooltip, menu text).
"""

from __future__ import annotations

from PySide6 import QtCore  # not ``Qt`` by name: see ldn_browser.ui.main_window
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from ldn_browser.core.text_policy import clean_text, menu_text, tooltip_html

__all__ = ["clean_text", "make_plain", "menu_text", "message_box", "plain_label", "tooltip_html"]


def make_plain(label: QLabel) -> QLabel:
    """Make *label* show its text literally: no markup, no links, nothing opened."""
    label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    label.setOpenExternalLinks(False)
    return label


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel for untrusted text (cleaned of control and bidi-override characters)."""
    return make_plain(QLabel(parent)) if not text else _with_text(make_plain(QLabel(parent)), text)


def _with_text(label: QLabel, text: str) -> QLabel:
    label.setText(clean_text(text))
    return label


def message_box(
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    details: str = "",
    parent: QWidget | None = None,
) -> QMessageBox:
    """A message box whose text and details are plain text, selectable, and never open a link.

    The informative label Qt creates has ``openExternalLinks`` on and guesses rich text: both are
    switched off here for every label in the box.
    """
    box = QMessageBox(icon, clean_text(title), clean_text(text), QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    if details:
        box.setInformativeText(clean_text(details))
    for label in box.findChildren(QLabel):
        make_plain(label)
        label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
    return box
