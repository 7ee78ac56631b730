"""Every widget that takes input has an accessible name (issue 17, §4).

Qt names a field after its form label (a ``QFormLayout`` row's label is its buddy) and a
check box after its text; a field with neither (a search box with a placeholder, a field in
a row of fields, a table) has no name, so a screen reader says "edit text" and nothing
more. :func:`name_inputs` names each input widget of a window that Qt gives no name: from
its placeholder, its tooltip's first clause, the label above it, its group box's title or
its object name, in that order. The windows call it when they are built and when a page,
a tab or a component form appears (an application-wide event filter would do it for free,
but it runs Python for every event of the app and saw widgets half destroyed).
``tests/ui/test_accessibility.py`` walks every input of every window and checks the name
a screen reader gets.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollBar,
    QTextEdit,
    QWidget,
)

INPUTS = (
    QLineEdit,
    QAbstractSpinBox,
    QComboBox,
    QCheckBox,
    QRadioButton,
    QPlainTextEdit,
    QTextEdit,
    QAbstractItemView,
    QAbstractSlider,
)


def is_input(widget: QWidget) -> bool:
    """A widget that takes input (a combo box's own line edit and a spin box's are parts of
    it, not inputs of their own)."""
    if not isinstance(widget, INPUTS) or isinstance(widget, QHeaderView | QScrollBar):
        return False  # a table's header and a scroll bar are parts of it
    parent = widget.parentWidget()
    return not (isinstance(widget, QLineEdit) and isinstance(parent, QComboBox | QAbstractSpinBox))


def accessible_name(widget: QWidget) -> str:
    """The name a screen reader announces."""
    interface = QAccessible.queryAccessibleInterface(widget)
    if interface is None:
        return widget.accessibleName()
    return interface.text(QAccessible.Text.Name).strip()


def _first_clause(text: str) -> str:
    clause = re.split(r"[.:;(\n]", text.strip(), maxsplit=1)[0].strip()
    return clause[:80]


def name_for(widget: QWidget) -> str:
    """A name from what the widget shows or says about itself."""
    placeholder = getattr(widget, "placeholderText", None)
    if callable(placeholder) and placeholder():
        return _first_clause(str(placeholder())).removesuffix("…").strip()
    if widget.toolTip():
        return _first_clause(widget.toolTip())
    label = _label_before(widget)
    if label:
        return label
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent, QGroupBox) and parent.title():
            return parent.title().replace("&", "")
        parent = parent.parentWidget()
    name = widget.objectName().split(".")[-1].replace("_", " ").replace("-", " ").strip()
    return name[:1].upper() + name[1:]


def _label_before(widget: QWidget) -> str:
    """The text of the label just above the widget in its layout ("Why approval is
    needed" above the reasons list).

    Found through ``QLayout.indexOf`` of the parent's own widgets (plain numbers), never
    through ``QLayout.itemAt``: PySide keeps the wrapper of every item ``itemAt`` returns
    alive as a child of the layout's wrapper, and Qt deletes the item (a ``QWidgetItem``)
    when its widget leaves the layout. The stale wrapper stays registered at the freed
    address; when Qt later puts a layout there, PySide hands that wrapper back for it
    (``parent.layout()`` returned a ``QWidgetItem``) and a call on it ran the wrong C++ code:
    the segmentation fault on redo in the quote editor, whose component forms are rebuilt
    on every undo and redo (``tests/ui/test_undo_stress.py``)."""
    parent = widget.parentWidget()
    layout = parent.layout() if parent is not None else None
    if parent is None or layout is None:
        return ""
    own = layout.indexOf(widget)
    if own <= 0:
        return ""
    nearest: QWidget | None = None
    nearest_index = -1
    for child in parent.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
        index = layout.indexOf(child)
        if nearest_index < index < own:
            nearest, nearest_index = child, index
    # Items without a widget (a stretch, a nested layout) between them do not count.
    if isinstance(nearest, QLabel) and nearest.text() and "<" not in nearest.text():
        return _first_clause(nearest.text())
    return ""


def name_input(widget: QWidget) -> None:
    if widget.property("a11y_checked") or not is_input(widget):
        return  # each widget once: the editor calls this after every component edit
    widget.setProperty("a11y_checked", True)
    if not accessible_name(widget):
        name = name_for(widget)
        if name:
            widget.setAccessibleName(name)


def name_inputs(root: QWidget) -> None:
    """Name every input of ``root`` that Qt gives no name (see the module text)."""
    for widget in [root, *root.findChildren(QWidget)]:
        name_input(widget)


__all__ = ["accessible_name", "is_input", "name_input", "name_inputs"]
