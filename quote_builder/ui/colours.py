"""Colours that carry meaning (a problem, a margin below the floor, a status), one set per
palette, each chosen to meet WCAG AA contrast (4.5:1 for text) on that palette's window and
base colours: ``tests/ui/test_contrast.py`` computes every ratio.

A red that reads on white (#b42318, 6.5:1) is 2.6:1 on the dark palette's window, so the
dark palette gets its own lighter tones. Colour is never the only mark: an invalid field
also gets a ⚠ in its label and its reason in the tooltip.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from .i18n import _

LIGHT = {
    "error": "#b42318",
    "warning": "#a43f06",
    "ok": "#256b29",
    "muted": "#57606a",
    "invalid_background": "#fdecea",
    "invalid_border": "#b42318",
}
DARK = {
    "error": "#ff8b84",
    "warning": "#f0b35a",
    "ok": "#6fdd8b",
    "muted": "#a7b0ba",
    "invalid_background": "#4a1f1d",
    "invalid_border": "#ff8b84",
}
STATUS_CHIPS = {
    "draft": "#5b6472",
    "pending_approval": "#a14a07",
    "approved": "#15803d",
    "rejected": "#b91c1c",
    "sent": "#1d4ed8",
    "accepted": "#0f766e",
    "expired": "#6b6560",
    "lost": "#6b6560",
    "no_approval": "#b91c1c",
}
"""Status chips: white text on these fills, in both palettes."""


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def colour(name: str, palette: QPalette | None = None) -> str:
    """The colour ``name`` for the palette in use (or ``palette``)."""
    return (DARK if is_dark(palette) else LIGHT)[name]


def text_style(name: str) -> str:
    """A stylesheet for text in colour ``name``."""
    return f"color: {colour(name)};"


def invalid_style() -> str:
    """The stylesheet of an invalid field (with the ⚠ in its label: not by colour alone)."""
    return (
        f"border: 2px solid {colour('invalid_border')}; background: {colour('invalid_background')};"
    )


def qcolor(name: str) -> QColor:
    return QColor(colour(name))


INVALID_MARK = "⚠ "


def invalid_description(problem: str | None) -> str:
    """The accessible description ``flag_label`` gives a field with ``problem`` (or none)."""
    return _("Invalid: {problem}").format(problem=problem) if problem else ""


def flag_label(widget: QWidget, problem: str | None) -> None:
    """Not by colour alone: the label beside an invalid field gets a ⚠ in front, and the
    field's accessible description says what is wrong (screen readers read it)."""
    widget.setAccessibleDescription(invalid_description(problem))
    label = _form_label_of(widget)
    if label is None:
        return
    _reserve(label)
    text = label.text()
    if problem and not text.startswith(INVALID_MARK):
        label.setText(INVALID_MARK + text)
    elif not problem and text.startswith(INVALID_MARK):
        label.setText(text.removeprefix(INVALID_MARK))


def reserve_mark_room(root: QWidget) -> None:
    """Each form label under ``root`` (a single line) is at least as wide as it is with the
    ⚠ before it, so the label column keeps its width when a field is marked invalid and
    the fields do not jump sideways as they are typed into. Labels whose text changes
    later get their room when ``flag_label`` marks them."""
    for layout in root.findChildren(QFormLayout):
        for row in range(layout.rowCount()):
            item = layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if isinstance(label, QLabel):
                _reserve(label)


def _reserve(label: QLabel) -> None:
    if label.wordWrap() or not label.text():
        return
    text = label.text().removeprefix(INVALID_MARK)
    margins = label.contentsMargins()
    width = (
        label.fontMetrics().horizontalAdvance(INVALID_MARK + text)
        + margins.left()
        + margins.right()
        + 2 * label.margin()
        + 1
    )
    if label.minimumWidth() < width:
        label.setMinimumWidth(width)


def _form_label_of(widget: QWidget) -> QLabel | None:
    """The label a form layout of the field's parent shows beside it."""
    parent = widget.parentWidget()
    if parent is None:
        return None
    for layout in [parent.layout(), *parent.findChildren(QFormLayout)]:
        if isinstance(layout, QFormLayout):
            label = layout.labelForField(widget)
            if isinstance(label, QLabel):
                return label
    return None


# --- contrast (WCAG 2.1) -----------------------------------------------------------------


def _linear(channel: float) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour_: QColor | str) -> float:
    c = QColor(colour_)
    return 0.2126 * _linear(c.red()) + 0.7152 * _linear(c.green()) + 0.0722 * _linear(c.blue())


def contrast_ratio(foreground: QColor | str, background: QColor | str) -> float:
    """WCAG contrast ratio, from 1 to 21 (AA text needs 4.5, large text 3)."""
    a, b = luminance(foreground), luminance(background)
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)


__all__ = [
    "DARK",
    "LIGHT",
    "STATUS_CHIPS",
    "colour",
    "contrast_ratio",
    "flag_label",
    "invalid_style",
    "is_dark",
    "qcolor",
    "reserve_mark_room",
    "text_style",
]
