"""Windows remember their size and place (QSettings), and always come back on screen.

A window saved on a larger monitor, or on a screen that is gone, would open partly off the
laptop's screen with its buttons out of reach. :func:`restore` puts the saved (or default)
size and place back clamped to the available area of the screen it lands on (the screen
without panels and docks); :func:`fit_on_screen` repeats that once the window manager has
added its frame.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QApplication, QLineEdit, QScrollArea, QWidget


def clamp(rect: QRect, available: QRect) -> QRect:
    """``rect`` made to fit inside ``available``: as large as it fits, moved (not
    shrunk) when only its place is off screen."""
    width = min(rect.width(), available.width())
    height = min(rect.height(), available.height())
    x = min(max(rect.x(), available.x()), available.x() + available.width() - width)
    y = min(max(rect.y(), available.y()), available.y() + available.height() - height)
    return QRect(x, y, width, height)


def _screen_for(point: QPoint | None) -> QScreen:
    screen = QGuiApplication.screenAt(point) if point is not None else None
    return screen or QGuiApplication.primaryScreen()


def _frame_extra(widget: QWidget) -> QSize:
    """What the window manager's frame adds to the window (nothing before it is shown)."""
    frame, inner = widget.frameGeometry(), widget.geometry()
    return QSize(max(0, frame.width() - inner.width()), max(0, frame.height() - inner.height()))


def _frame_allowance() -> QSize:
    """What the window manager's frame adds, learnt from a window already shown (the
    main window, when a dialog opens); nothing when no window is shown yet."""
    for window in QApplication.topLevelWidgets():
        if window.isVisible():
            extra = _frame_extra(window)
            if extra.height() > 0:
                return extra
    return QSize(0, 0)


def _rescaled(rect: QRect, saved_scale: object, scale: float) -> QRect:
    """``rect`` saved at ``saved_scale`` (a device pixel ratio: 2.0 at 200 %) in this
    screen's pixels: the same share of the screen. A window saved at 200 % (683x384 of a
    1366x768 screen) opened at 100 % in a quarter of the screen."""
    try:
        saved = float(saved_scale)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return rect  # saved by an earlier version: as it was
    if saved <= 0 or scale <= 0 or abs(saved - scale) < 0.01:
        return rect
    factor = saved / scale
    return QRect(
        QPoint(round(rect.x() * factor), round(rect.y() * factor)),
        QSize(round(rect.width() * factor), round(rect.height() * factor)),
    )


def restore(widget: QWidget, key: str, default: QSize) -> None:
    """Give ``widget`` the size and place saved under ``key`` (else ``default``, centred),
    clamped to the screen, its frame and title bar included when known. Also restores the
    maximised state."""
    settings = QSettings()
    saved = settings.value(f"{key}/rect")
    rect = saved if isinstance(saved, QRect) and saved.isValid() else None
    screen = _screen_for(rect.center() if rect is not None else None)
    available = screen.availableGeometry()
    allowance = _frame_allowance()
    available = QRect(
        available.topLeft(),
        QSize(available.width() - allowance.width(), available.height() - allowance.height()),
    )
    if rect is None:
        rect = QRect(QPoint(0, 0), default)
        rect.moveCenter(available.center())
    else:
        rect = _rescaled(rect, settings.value(f"{key}/scale"), screen.devicePixelRatio())
    fitted = clamp(rect, available)
    widget.resize(fitted.size().expandedTo(QSize(1, 1)))
    widget.move(fitted.topLeft())
    if settings.value(f"{key}/maximized", False) in (True, "true"):
        QTimer.singleShot(0, widget, widget.showMaximized)


FRAME_DELAY_MS = 400
"""The window manager adds its frame a moment after a window is shown: fit once at once
and once after this delay (the frame's size is known by then)."""


def fit_when_shown(widget: QWidget) -> None:
    """Call from ``showEvent``: :func:`fit_on_screen` now and when the frame is known."""
    # the widget as the timers' context: they are dropped if it is deleted meanwhile
    QTimer.singleShot(0, widget, lambda: fit_on_screen(widget))
    QTimer.singleShot(FRAME_DELAY_MS, widget, lambda: fit_on_screen(widget))


def fit_on_screen(widget: QWidget) -> None:
    """After the window is shown: shrink and move it so that its frame, title bar included,
    is inside the available area of its screen."""
    available = _screen_for(widget.frameGeometry().center()).availableGeometry()
    extra = _frame_extra(widget)
    frame = widget.frameGeometry()
    fitted = clamp(frame, available)
    if fitted == frame or widget.isMaximized() or widget.isFullScreen():
        return
    widget.resize(
        max(widget.minimumWidth(), fitted.width() - extra.width()),
        max(widget.minimumHeight(), fitted.height() - extra.height()),
    )
    widget.move(fitted.topLeft())


def keep_on_screen(widget: QWidget, old: QSize) -> None:
    """Call from ``resizeEvent`` (``old``: the event's ``oldSize``): a shown window that
    grew past its screen's available area (its layout's minimum grew) is fitted back at the
    next turn of the event loop. A window only moved or shrunk is left where the user put
    it."""
    size = widget.size()
    grew = old.isValid() and (size.width() > old.width() or size.height() > old.height())
    if not grew or not widget.isVisible() or widget.isMaximized() or widget.isFullScreen():
        return
    frame = widget.frameGeometry()
    available = _screen_for(frame.center()).availableGeometry()
    if not available.contains(frame):
        QTimer.singleShot(0, widget, lambda: fit_on_screen(widget))


def save(widget: QWidget, key: str) -> None:
    settings = QSettings()
    settings.setValue(f"{key}/maximized", widget.isMaximized())
    if not widget.isMaximized() and not widget.isFullScreen():
        settings.setValue(f"{key}/rect", QRect(widget.pos(), widget.size()))
        settings.setValue(f"{key}/scale", widget.devicePixelRatioF())


SETTLE_MS = 500
"""How long a window's size and place must stay put before ``save_when_settled`` saves
them (a drag resizes it many times a second)."""


def save_when_settled(widget: QWidget, key: str) -> None:
    """Call from ``resizeEvent`` and ``moveEvent``: the size and place are saved once the
    window has stayed put for ``SETTLE_MS``, not only when it closes, so a window the app
    never closed (the app killed, a crash, a power cut) comes back as it last was."""
    name = f"geometry-settle-{key}"
    timer = widget.findChild(QTimer, name)
    if timer is None:
        timer = QTimer(widget)
        timer.setObjectName(name)
        timer.setSingleShot(True)
        timer.setInterval(SETTLE_MS)
        timer.timeout.connect(lambda: save(widget, key) if widget.isVisible() else None)
    timer.start()


def focus_in_view(widget: QWidget) -> None:
    """Put the cursor in ``widget`` and scroll the scroll area it sits in (if any) so that
    it shows (a refusal sent the user to the field to fill in)."""
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if isinstance(parent, QScrollArea):
        parent.ensureWidgetVisible(widget)


__all__ = [
    "clamp",
    "fit_on_screen",
    "fit_when_shown",
    "focus_in_view",
    "keep_on_screen",
    "restore",
    "save",
]


def fit_placeholder(edit: QLineEdit) -> QLineEdit:
    """Make ``edit`` at least as wide as its placeholder text needs, in any language (the
    German "Leer: die jährliche Preissteigerung" was cut to "Leer: die jährliche
    Preissteiger…" by a width set for the English)."""
    text = edit.placeholderText()
    if text:
        margins = edit.textMargins()
        # The frame and Qt's own text margin (2 px each side) beside the text.
        spare = margins.left() + margins.right() + 2 * 2 + 2 * 6
        edit.setMinimumWidth(
            max(edit.minimumWidth(), edit.fontMetrics().horizontalAdvance(text) + spare)
        )
    return edit
