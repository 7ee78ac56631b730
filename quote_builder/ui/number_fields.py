"""Numbers line up on the right: every field that holds a number (a spin box, a line edit
read by the number parser) is aligned by :func:`align_number`, the one place that says how.

A business app's numbers read like a column of figures: right-aligned and vertically
centred, in the editor, the guided flow, the settings, the component editor and the
customer form alike. The helper also marks the field (``numeric`` property) so a test or
a stylesheet can find every number field.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit

NUMBER_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
NUMERIC_PROPERTY = "numeric"


def align_number[W: QLineEdit | QAbstractSpinBox](widget: W) -> W:
    """Right-align ``widget``'s number (vertically centred) and mark it numeric; returns
    the widget, so that ``align_number(QSpinBox())`` builds and aligns in one step."""
    widget.setAlignment(NUMBER_ALIGNMENT)
    widget.setProperty(NUMERIC_PROPERTY, True)
    return widget


def is_number_field(widget: object) -> bool:
    """True for a field aligned by :func:`align_number`."""
    return isinstance(widget, QLineEdit | QAbstractSpinBox) and bool(
        widget.property(NUMERIC_PROPERTY)
    )


__all__ = ["NUMBER_ALIGNMENT", "NUMERIC_PROPERTY", "align_number", "is_number_field"]
