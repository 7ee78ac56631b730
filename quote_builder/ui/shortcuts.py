"""Every keyboard shortcut of the app, in one table.

Each window gives its actions their keys from here (:func:`bind`, :func:`shortcut`,
:func:`matches` for keys a widget handles itself), and Help → Keyboard shortcuts lists this
table, so the list cannot drift from what the keys do: ``tests/ui/test_help.py`` walks the
real windows and checks that every action and shortcut with a key is bound from this
table, and that every entry here is bound somewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLineEdit, QWidget

from .i18n import N_, _
from .pages import PAGE_TITLES

Key = QKeySequence.StandardKey | str
SHORTCUT_ID = "quote_builder_shortcut"
"""The Qt property naming the table entry an action or shortcut was bound from."""


@dataclass(frozen=True)
class Shortcut:
    id: str
    where: str
    """Where the keys work, as the user sees it ("Main window", "Quote editor")."""
    what: str
    """``where`` and ``what`` are in English, marked for translation (:meth:`words`)."""
    keys: tuple[Key, ...]
    page: str = ""
    """The page a ``main.page.*`` entry shows (its title, in English)."""

    def words(self) -> tuple[str, str]:
        """(where, what) in the interface's language."""
        what = _(self.what)
        return _(self.where), what.format(page=_(self.page)) if self.page else what

    def sequences(self) -> list[QKeySequence]:
        """The key sequences on this platform (a standard key may have several)."""
        found: list[QKeySequence] = []
        for key in self.keys:
            options = (
                QKeySequence.keyBindings(key)
                if isinstance(key, QKeySequence.StandardKey)
                else [QKeySequence(key)]
            )
            for sequence in options:
                if not sequence.isEmpty() and sequence not in found:
                    found.append(sequence)
        return found

    def text(self) -> str:
        """The keys as the user reads them: a standard key's main binding on this platform
        (its others, such as a keyboard's dedicated New key, work but are not listed)."""
        shown: list[str] = []
        for key in self.keys:
            if isinstance(key, QKeySequence.StandardKey):
                bindings = QKeySequence.keyBindings(key)
                sequence = bindings[0] if bindings else QKeySequence()
            else:
                sequence = QKeySequence(key)
            text = sequence.toString(QKeySequence.SequenceFormat.NativeText)
            if text and text not in shown:
                shown.append(text)
        return ", ".join(shown)


MAIN = N_("Main window")
EDITOR = N_("Quote editor")
COMPONENTS = N_("Component list (quote editor, guided flow, catalog)")
CUSTOMERS = N_("Customers page")
CATALOG = N_("Catalog page")
SETTINGS = N_("Settings page")
PRICE_TABLE = N_("Price table (quote editor)")
GUIDE = N_("User guide")

_TABLE: list[Shortcut] = [
    Shortcut(
        "main.new_quote",
        MAIN,
        N_("Start a new quote with the guided flow"),
        (QKeySequence.StandardKey.New,),
    ),
    Shortcut(
        "main.open_database", MAIN, N_("Open another database"), (QKeySequence.StandardKey.Open,)
    ),
    Shortcut("main.find", MAIN, N_("Search the current list"), (QKeySequence.StandardKey.Find,)),
    Shortcut("main.clear_search", MAIN, N_("Clear the search box (in it)"), ("Esc",)),
    Shortcut("main.quit", MAIN, N_("Quit Quote Builder"), ("Ctrl+Q",)),
    *(
        Shortcut(f"main.page.{key}", MAIN, N_("Show {page}"), (f"Ctrl+{row + 1}",), title)
        for row, (key, title) in enumerate(PAGE_TITLES)
    ),
    Shortcut(
        "main.user_guide", MAIN, N_("Open the user guide"), (QKeySequence.StandardKey.HelpContents,)
    ),
    Shortcut("main.shortcuts", MAIN, N_("List the keyboard shortcuts"), ("Ctrl+/",)),
    Shortcut(
        "price_table.copy",
        PRICE_TABLE,
        N_("Copy the selected cells (plain numbers, tab-separated)"),
        (QKeySequence.StandardKey.Copy,),
    ),
    Shortcut(
        "price_table.paste",
        PRICE_TABLE,
        N_("Paste a column of quantities from the selected row down"),
        (QKeySequence.StandardKey.Paste,),
    ),
    Shortcut("editor.save", EDITOR, N_("Save a new version"), (QKeySequence.StandardKey.Save,)),
    Shortcut(
        "editor.undo",
        EDITOR,
        N_("Undo the last edit (in any field too)"),
        (QKeySequence.StandardKey.Undo,),
    ),
    Shortcut(
        "editor.redo",
        EDITOR,
        N_("Redo the edit undone last"),
        # Each key once: StandardKey.Redo is Ctrl+Shift+Z itself on GNOME and KDE (issue 17).
        ("Ctrl+Shift+Z", "Ctrl+Y"),
    ),
    Shortcut(
        "editor.export_pdf",
        EDITOR,
        N_("Export the proposal or contract as PDF"),
        (QKeySequence.StandardKey.Print,),
    ),
    Shortcut(
        "editor.finalise",
        EDITOR,
        N_("Finalise: make the final PDF, sign it and mark the quote sent"),
        ("Ctrl+Shift+P",),
    ),
    Shortcut(
        "editor.close",
        EDITOR,
        N_("Close the quote's window (unsaved changes: asks first)"),
        (QKeySequence.StandardKey.Close,),
    ),
    Shortcut("editor.next_tab", EDITOR, N_("Show the next tab"), ("Ctrl+PgDown", "Ctrl+Tab")),
    Shortcut(
        "editor.previous_tab",
        EDITOR,
        N_("Show the previous tab"),
        ("Ctrl+PgUp", "Ctrl+Shift+Tab"),
    ),
    Shortcut("components.add", COMPONENTS, N_("Add a component of the kind chosen"), ("Ins",)),
    Shortcut("components.remove", COMPONENTS, N_("Remove the selected component"), ("Del",)),
    Shortcut("components.up", COMPONENTS, N_("Move the selected component up"), ("Ctrl+Up",)),
    Shortcut("components.down", COMPONENTS, N_("Move the selected component down"), ("Ctrl+Down",)),
    Shortcut(
        "components.duplicate", COMPONENTS, N_("Duplicate the selected component"), ("Ctrl+D",)
    ),
    Shortcut(
        "customers.save",
        CUSTOMERS,
        N_("Save the customer (new or changed)"),
        (QKeySequence.StandardKey.Save,),
    ),
    Shortcut("catalog.save", CATALOG, N_("Save the plan"), (QKeySequence.StandardKey.Save,)),
    Shortcut("catalog.new_plan", CATALOG, N_("Start a new plan"), ("Ctrl+Shift+N",)),
    Shortcut("settings.save", SETTINGS, N_("Save the settings"), (QKeySequence.StandardKey.Save,)),
    Shortcut("guide.find", GUIDE, N_("Search the guide"), (QKeySequence.StandardKey.Find,)),
    Shortcut("guide.next", GUIDE, N_("Next match"), (QKeySequence.StandardKey.FindNext,)),
    Shortcut(
        "guide.previous", GUIDE, N_("Previous match"), (QKeySequence.StandardKey.FindPrevious,)
    ),
]

SHORTCUTS: dict[str, Shortcut] = {entry.id: entry for entry in _TABLE}


def bind(action: QAction, shortcut_id: str) -> QAction:
    """Give ``action`` the keys of the table's entry."""
    action.setShortcuts(SHORTCUTS[shortcut_id].sequences())
    action.setProperty(SHORTCUT_ID, shortcut_id)
    return action


def shortcut(
    parent: QWidget,
    shortcut_id: str,
    slot: Callable[[], object],
    context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
) -> QShortcut:
    """A QShortcut on ``parent`` with the keys of the table's entry."""
    item = QShortcut(parent)
    item.setKeys(SHORTCUTS[shortcut_id].sequences())
    item.setContext(context)
    item.setProperty(SHORTCUT_ID, shortcut_id)
    item.activated.connect(slot)
    return item


class _ClearOnEscape(QObject):
    """Empties the search box it watches on Escape (a key press the box gets itself: a
    window shortcut would also need the window active)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(watched, QLineEdit)
            and isinstance(event, QKeyEvent)
            and matches(event, "main.clear_search")
            and watched.text()
        ):
            watched.clear()
            return True
        return False


def clear_on_escape(search: QLineEdit) -> None:
    """Escape in a list's search box empties it (the list shows everything again)."""
    search.installEventFilter(_ClearOnEscape(search))
    handled_by(search, ["main.clear_search"])


def matches(event: QKeyEvent, shortcut_id: str) -> bool:
    """Whether a key press is the entry's keys (widgets that handle keys themselves; the
    keypad's keys count as the main keyboard's)."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    pressed = QKeySequence(QKeyCombination(modifiers, Qt.Key(event.key())))
    return any(
        pressed.matches(s) == QKeySequence.SequenceMatch.ExactMatch
        for s in SHORTCUTS[shortcut_id].sequences()
    )


def handled_by(widget: QWidget, shortcut_ids: list[str]) -> None:
    """Record that ``widget`` handles these entries' keys itself (with :func:`matches`),
    so the test that every shortcut comes from this table finds them."""
    widget.setProperty(SHORTCUT_ID, ",".join(shortcut_ids))


def rows() -> list[tuple[str, str, str]]:
    """(where, what, keys) for every shortcut with keys on this platform (a standard key
    may have none: Windows has no Quit key), in the table's order."""
    return [(*entry.words(), entry.text()) for entry in _TABLE if entry.sequences()]


__all__ = [
    "SHORTCUTS",
    "SHORTCUT_ID",
    "Shortcut",
    "bind",
    "handled_by",
    "matches",
    "rows",
    "shortcut",
]
