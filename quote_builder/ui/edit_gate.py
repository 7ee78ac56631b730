"""Ask before the first edit is applied, not after.

An approved quote (or one waiting for approval) asks "Edit anyway?" before it is changed.
Asking after the first keystroke was applied priced a partial value (typing "22" in Deal
discount % priced 2 %, and the second "2" went to the question, so after Yes the field held
2). The gate holds the keystroke instead: while it is armed, the first key that would edit a
field of its scope is stopped; the keys typed behind it are held too, and the question comes
when the typing pauses (``settle_ms``: a key typed while a modal question comes up reaches
a blocked window, where Qt drops it unseen); what the rep types while it is open is held as well
(typing cannot answer it by accident: Enter, Escape, Alt+Y or a click do). Yes replays every
held key, in order, into the field it was meant for, so nothing typed is lost; No drops them,
so the field stays as it was. A click on a box, a choice list or a check box asks the same
way; after Yes the click goes on.

Not every edit comes from a key or a click the gate can hold: a value picked in a choice
list's popup (opened with Alt+Down or F4), a spin box's arrows or the mouse wheel, a date
picked from the calendar, a check box in a table, Paste from a context menu, Undo and Redo,
a button. The editor hands each such edit to ``hold_edit`` before it changes the quote:
while armed it is held (the quote, its totals and its undo history stay as saved) and the
question comes at once; Yes applies the held edits in order, No drops them and the editor
shows the saved values again (``restore``). So nothing changes the quote before the
answer, whatever the input.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

_EDIT_SHORTCUTS = (
    QKeySequence.StandardKey.Paste,
    QKeySequence.StandardKey.Cut,
    QKeySequence.StandardKey.Delete,
    QKeySequence.StandardKey.DeleteEndOfWord,
    QKeySequence.StandardKey.DeleteStartOfWord,
)
_STEP_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


def _editable(widget: QWidget) -> bool:
    """Whether a key in ``widget`` can change a value (read-only and disabled fields not)."""
    if not widget.isEnabled():
        return False
    if isinstance(widget, QLineEdit | QAbstractSpinBox):
        return not widget.isReadOnly()
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        return not widget.isReadOnly()
    if isinstance(widget, QAbstractItemView):
        return widget.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers
    return isinstance(widget, QComboBox | QAbstractButton)


def _copy(event: QKeyEvent) -> QKeyEvent:
    return QKeyEvent(
        event.type(),
        event.key(),
        event.modifiers(),
        event.text(),
        event.isAutoRepeat(),
        event.count(),
    )


def key_edits(widget: QWidget, event: QKeyEvent) -> bool:
    """Whether ``event`` pressed in ``widget`` would change a value."""
    if not _editable(widget):
        return False
    if any(event.matches(shortcut) for shortcut in _EDIT_SHORTCUTS):
        return not isinstance(widget, QAbstractButton)
    if event.modifiers() & _COMMAND_MODIFIERS:
        return False  # Ctrl+A, Ctrl+C, Alt+letter: shortcuts, not edits
    key = event.key()
    if isinstance(widget, QAbstractButton):
        return key == Qt.Key.Key_Space
    if key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
        return True
    if key in _STEP_KEYS:
        return isinstance(widget, QAbstractSpinBox | QComboBox)
    if key == Qt.Key.Key_F2:
        return isinstance(widget, QAbstractItemView)
    text = event.text()
    return bool(text) and text.isprintable()


class EditGate(QObject):
    """Holds the first edit in ``scope`` until ``ask()`` says yes (see the module text).

    ``armed``: whether to ask (the window arms it while its quote is approved or waiting,
    and disarms it once the rep said Yes). ``ask`` shows the question and returns True for
    Yes."""

    settle_ms = 450
    """The question waits until typing pauses this long: keys typed while a modal question
    comes up reach a window it blocks, where Qt drops them before any filter sees them (on
    X11 the second "2" of "22" was lost so). Tests set 0: the question is asked at once."""

    def __init__(self, scope: QWidget, ask: Callable[[], bool]) -> None:
        super().__init__(scope)
        self.scope = scope
        self.ask = ask
        self._armed = False
        self._asking = False
        self._held: list[tuple[QWidget | None, QKeyEvent]] = []
        self._owners: dict[int, QAbstractItemView] = {}
        """The table each held key's cell editor belongs to (by ``id`` of the editor): the
        question takes the focus, the table closes and deletes its cell editor, and Yes
        sends the keys to the table instead (it opens the cell again)."""
        self._edits: list[Callable[[], None]] = []
        """Edits held by ``hold_edit``, applied in order after Yes."""
        self._restore: Callable[[], None] | None = None
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.timeout.connect(self._ask_held)

    @property
    def armed(self) -> bool:
        return self._armed

    def arm(self, armed: bool) -> None:
        """Watch the application's input (only while armed: nothing is filtered else)."""
        if armed == self._armed:
            return
        self._armed = armed
        app = QApplication.instance()
        if app is None:
            return
        if armed:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)

    def _in_scope(self, watched: QObject) -> bool:
        return isinstance(watched, QWidget) and (
            watched is self.scope or self.scope.isAncestorOf(watched)
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress):
            return False
        if self._asking:
            return self._hold_meanwhile(watched, event)
        if self._settle.isActive():
            return self._hold_while_typing(watched, event)
        if not self._armed or not self._in_scope(watched):
            return False
        assert isinstance(watched, QWidget)
        if isinstance(event, QKeyEvent):
            if not key_edits(watched, event):
                return False
            self._held = [self._hold(watched, event)]
            if self.settle_ms > 0:
                self._settle.start(self.settle_ms)  # asked when the typing pauses
                return True
        elif not isinstance(watched, QComboBox | QAbstractButton) or not _editable(watched):
            return False
        elif isinstance(watched, QAbstractButton) and not watched.isCheckable():
            return False  # a push button (Add line…) asks after its edit, as before
        return self._ask(event)

    def _hold_while_typing(self, watched: QObject, event: QEvent) -> bool:
        """Before the question: keys for the fields are held (each restarts the wait); a
        click anywhere asks at once (nothing typed is applied before the answer)."""
        if isinstance(event, QKeyEvent) and self._in_scope(watched):
            assert isinstance(watched, QWidget)
            self._held.append(self._hold(watched, event))
            self._settle.start(self.settle_ms)
            return True
        if event.type() == QEvent.Type.MouseButtonPress:
            self._settle.stop()
            QTimer.singleShot(0, self._ask_held)
            return True
        return False

    def hold_edit(self, apply: Callable[[], None], restore: Callable[[], None]) -> bool:
        """An edit about to change the quote without a key or click held first (see the
        module text): while armed it is held, not applied, and the question comes as soon
        as the event loop runs (not inside the widget's own signal); Yes calls ``apply``
        (the caller's edit again, let through), No calls ``restore`` (the screen as the
        quote is). Returns whether it was held: when not, the caller applies it now."""
        if not self._armed:
            return False
        self._edits.append(apply)
        self._restore = restore
        if not self._asking:
            self._settle.stop()  # keys typed before it are asked about with it, at once
            QTimer.singleShot(0, self._ask_held)
        return True

    def _ask_held(self) -> None:
        """The typing paused (or an edit is held): ask, then let the held keys and edits in
        (Yes) or drop them (No)."""
        self._settle.stop()
        if (self._held or self._edits) and not self._asking:
            self._ask(None)

    def _hold_meanwhile(self, watched: QObject, event: QEvent) -> bool:
        """While the question is coming or open: keys meant for the fields are held, and
        so is text typed into the question (it was meant for the field too)."""
        if not isinstance(event, QKeyEvent):
            return False
        if self._in_scope(watched):
            assert isinstance(watched, QWidget)
            self._held.append(self._hold(watched, event))
            return True
        text = event.text()
        if text and text.isprintable() and not event.modifiers() & _COMMAND_MODIFIERS:
            self._held.append((None, _copy(event)))
            return True
        return False

    def _ask(self, event: QEvent | None) -> bool:
        self._asking = True
        try:
            # Keys typed already (behind the first) are in the queue: hold them now, before
            # the question blocks the window and they would be dropped.
            QApplication.processEvents()
            yes = self.ask()
        finally:
            self._asking = False
        held, self._held = self._held, []
        owners, self._owners = self._owners, {}
        edits, self._edits = self._edits, []
        restore, self._restore = self._restore, None
        if not yes:
            if edits and restore is not None:
                restore()  # a held edit shows in its widget: put the saved value back
            return True  # nothing applied: the quote is as it was
        self.arm(False)
        for apply in edits:
            apply()
        if event is None or isinstance(event, QKeyEvent):
            self._replay(held, owners)
            return True
        return False  # the click goes on

    def _hold(self, widget: QWidget, event: QKeyEvent) -> tuple[QWidget, QKeyEvent]:
        """A held key, with the table its cell editor belongs to (see ``_owners``)."""
        parent = widget.parentWidget()
        while parent is not None and parent is not self.scope:
            if isinstance(parent, QAbstractItemView):
                self._owners[id(widget)] = parent
                break
            parent = parent.parentWidget()
        return widget, _copy(event)

    def _replay(
        self,
        held: list[tuple[QWidget | None, QKeyEvent]],
        owners: dict[int, QAbstractItemView] | None = None,
    ) -> None:
        """Each held key into the field it was typed in; a key typed into the question
        goes where the key before it went, or, after a replayed Tab, to the next field. A
        cell editor the table closed meanwhile is gone: its keys go to the cell's new
        editor (opened by the first of them), else to the table."""
        owners = owners or {}
        target: QWidget | None = None
        moved = False
        for widget, event in held:
            focus = QApplication.focusWidget()
            if widget is not None and not shiboken6.isValid(widget):
                view = owners.get(id(widget))
                if view is None or not shiboken6.isValid(view):
                    continue
                # The window's focus widget: the cell's new editor, even while the
                # window is not the active one yet.
                cell = view.window().focusWidget()
                widget = cell if cell is not None and view.isAncestorOf(cell) else view
            if moved and focus is not None and self._in_scope(focus):
                target = focus
            elif widget is not None:
                target = widget
            moved = event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            if target is not None:
                QApplication.sendEvent(target, event)
