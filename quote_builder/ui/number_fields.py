"""Numbers line up on the right: every field that holds a number (a spin box, a line edit
read by the number parser) is aligned by :func:`align_number`, the one place that says how.

A business app's numbers read like a column of figures: right-aligned and vertically
centred, in the editor, the guided flow, the settings, the component editor and the
customer form alike. The helper also marks the field (``numeric`` property) so a test or
a stylesheet can find every number field.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent, QValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QLineEdit,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

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


class WholeNumberBox(QSpinBox):
    """A spin box for a count (users, days, months) that never changes what is typed.

    Qt's QSpinBox drops a keystroke it cannot read: "12k" users became 12, "12.5" became
    125, "-5" became 5 and "1e3" 13, without a word. This box reads its text with the app's
    one number parser (``locale_numbers``: "1,500" is 1,500 in English, "1.500" could mean
    1.5 or 1,500 and is refused), keeps a text it cannot use as typed, marks the field
    (red border, ⚠ before its label, the reason in its tooltip); :meth:`problem` says
    why, naming the field, and the guided flow's Next refuses while one is left. Leaving the field (Tab, a click, Enter)
    never puts the old number back over what was typed."""

    def __init__(
        self, what: str, minimum: int, maximum: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.what = what
        """The field's label, as the form shows it: the refusal names it."""
        self.setRange(minimum, maximum)
        align_number(self)
        self.lineEdit().textEdited.connect(self._mark)

    def _reason(self, text: str) -> str | None:
        """Why ``text`` is not a count this box takes, without the field's name (None: it
        is); the number parser's reason, or the range."""
        from . import locale_numbers
        from .i18n import _

        raw = self._bare(text)
        special = self.specialValueText()
        if special and raw in ("", special):
            return None  # "Not set" (the minimum stands for it), shown or emptied
        lowest = self.minimum() + 1 if special else self.minimum()
        low, high = locale_numbers.shown(lowest), locale_numbers.shown(self.maximum())
        if not raw:
            return _("give a whole number from {minimum} to {maximum}").format(
                minimum=low, maximum=high
            )
        why = locale_numbers.reason(raw)
        if why is not None:
            return why
        value = locale_numbers.parse(raw, what=self.what)
        if value != value.to_integral_value() or not lowest <= value <= self.maximum():
            return _("a whole number from {minimum} to {maximum} (got {value})").format(
                minimum=low, maximum=high, value=raw
            )
        return None

    def _bare(self, text: str) -> str:
        """``text`` without the box's prefix and suffix (" months"), trimmed."""
        raw = text.strip()
        prefix, suffix = self.prefix().strip(), self.suffix().strip()
        if prefix and raw.startswith(prefix):
            raw = raw[len(prefix) :]
        if suffix and raw.endswith(suffix):
            raw = raw[: -len(suffix)]
        return raw.strip()

    def reason(self) -> str | None:
        """Why the text on screen cannot be used, for a form that names the field itself
        (None: the value is what it shows)."""
        return self._reason(self.text())

    def problem(self) -> str | None:
        """:meth:`reason` with the field's name."""
        from .i18n import _

        why = self.reason()
        return None if why is None else _("{field}: {reason}").format(field=self.what, reason=why)

    def _mark(self, text: str) -> None:
        from .component_editor import mark_invalid

        why = self._reason(text)
        mark_invalid(self, why)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        if self._reason(text) is None:
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Intermediate, text, pos  # kept as typed, marked

    def valueFromText(self, text: str) -> int:  # noqa: N802 (Qt's name)
        from . import locale_numbers

        if self._reason(text) is not None:
            return self.value()
        if self.specialValueText() and self._bare(text) in ("", self.specialValueText()):
            return self.minimum()
        return int(locale_numbers.parse(self._bare(text), what=self.what))

    def fixup(self, text: str) -> str:
        return text  # never rewritten: the field is marked instead

    def setValue(self, value: int) -> None:  # noqa: N802 (Qt's name)
        super().setValue(value)
        self._mark(self.text())

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        if self.reason() is not None:
            QWidget.focusOutEvent(self, event)  # Qt's spin box would put the old value back
            return
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.reason() is not None:
            event.ignore()  # the dialog's default button (Next) says why
            return
        super().keyPressEvent(event)


class NumberColumnDelegate(QStyledItemDelegate):
    """A table column of numbers (a forecast's monthly quantity, a unit cost, a ramp's
    year): shown and typed right-aligned, whatever row it is on, a row added later too."""

    def initStyleOption(  # noqa: N802 (Qt's name)
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.displayAlignment = NUMBER_ALIGNMENT

    def createEditor(  # noqa: N802 (Qt's name)
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            align_number(editor)
        return editor


def align_number_columns(table: QAbstractItemView, *columns: int) -> None:
    """Right-align the numbers of ``columns`` of ``table``, cells and their headers."""
    delegate = NumberColumnDelegate(table)
    for column in columns:
        table.setItemDelegateForColumn(column, delegate)
    model = table.model()
    for column in columns:
        model.setHeaderData(
            column, Qt.Orientation.Horizontal, NUMBER_ALIGNMENT, Qt.ItemDataRole.TextAlignmentRole
        )


__all__ = [
    "NUMBER_ALIGNMENT",
    "NumberColumnDelegate",
    "align_number_columns",
    "NUMERIC_PROPERTY",
    "WholeNumberBox",
    "align_number",
    "is_number_field",
]
