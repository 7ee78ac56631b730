"""Behaviour a desktop user expects (issue 17, §4): redo by either key wherever focus is,
undo back to the save is clean, totals that never clip, export that says where it saved,
customers with quotes refused before the confirm and their quotes listed, lists that
remember their sort, the catalog's title, and what an empty database says."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from quote_builder.pricing import price
from quote_builder.services import quotes as quote_service
from quote_builder.services.workspace import LocalWorkspace
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.palette import palette_for
from quote_builder.ui.preview import export_pdf
from quote_builder.ui.quote_editor import QuoteEditorWindow, open_quote_editor

from ..pricing.factories import make_quote
from .stateful import retype


@pytest.fixture
def window(window: MainWindow) -> MainWindow:
    """The demo main window (conftest), shown: these tests look at what is visible."""
    window.show()
    return window


def open_first(window: MainWindow, qtbot: QtBot) -> QuoteEditorWindow:
    row = quote_service.list_quotes(window.workspace.db, status="draft").rows[0]
    editor = open_quote_editor(window, row.id)
    editor.activateWindow()
    qtbot.waitExposed(editor)
    return editor


# --- undo and redo --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "redo_key",
    [
        (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
        (Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier),
    ],
    ids=["ctrl-shift-z", "ctrl-y"],
)
def test_redo_works_wherever_focus_is(
    qtbot: QtBot, window: MainWindow, redo_key: tuple[Qt.Key, Qt.KeyboardModifier]
) -> None:
    editor = open_first(window, qtbot)
    ed = editor.editor
    title = next(b.widget for b in ed.bindings if b.path == ("title",))
    assert isinstance(title, QLineEdit)
    places: list[QWidget] = [
        title,  # a text field (its own redo must not swallow the key)
        ed.tabs.tabBar(),  # the tabs
        ed.summary.warnings,  # the summary's list
        ed.price_table.view,  # the price table
    ]
    for place in places:
        if place is ed.price_table.view:
            ed.tabs.setCurrentWidget(ed.price_table)
        retype(title, f"Changed at {type(place).__name__}")
        changed = ed.data["title"]
        ed.undo()
        assert ed.data.get("title") != changed
        place.setFocus()
        QApplication.processEvents()
        QTest.keyClick(place, *redo_key)
        QApplication.processEvents()
        assert ed.data["title"] == changed, f"redo did nothing with focus on {type(place).__name__}"
        ed.tabs.setCurrentIndex(0)
    # Each key is bound once in the window: two equal bindings (the old Ctrl+Shift+Z plus
    # StandardKey.Redo, which is Ctrl+Shift+Z itself on GNOME and KDE) make Qt call the
    # shortcut ambiguous and do nothing, wherever focus is.
    keys = [k.toString() for k in editor.redo_action.shortcuts()]
    assert sorted(keys) == ["Ctrl+Shift+Z", "Ctrl+Y"]
    bound = [k.toString() for action in editor.actions() for k in action.shortcuts()]
    assert len(bound) == len(set(bound)), bound


def test_undoing_back_to_the_save_is_clean(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_first(window, qtbot)
    ed = editor.editor
    title = next(b.widget for b in ed.bindings if b.path == ("title",))
    retype(title, "First change")
    assert editor.save()
    assert not ed.is_modified() and not editor.windowTitle().endswith("•")
    retype(title, "Second change")
    term = next(b.widget for b in ed.bindings if b.path == ("term_months",))
    term.setValue(term.value() + 1)  # type: ignore[attr-defined]
    assert ed.is_modified() and editor.windowTitle().endswith("•")
    assert editor.save_action.isEnabled()
    ed.undo()
    ed.undo()
    # Back at the saved version: clean, whatever the undo stack's own index says.
    assert not ed.is_modified()
    assert not editor.windowTitle().endswith("•")
    assert not editor.save_action.isEnabled()
    ed.redo()
    assert ed.is_modified() and editor.windowTitle().endswith("•")


# --- the totals panel -------------------------------------------------------------------------


def needed_width(label: QLabel) -> float:
    """The width a label's text needs: its longest line, or for rich text (the margins by
    contract year, a table) the width its document takes without wrapping."""
    if label.textFormat() == Qt.TextFormat.RichText:
        document = QTextDocument()
        document.setDefaultFont(label.font())
        document.setDocumentMargin(0)  # as QLabel lays it out
        document.setHtml(label.text())
        return document.idealWidth()
    return max(label.fontMetrics().horizontalAdvance(t) for t in label.text().split("\n"))


def clipped_labels(panel: QWidget) -> list[str]:
    clipped = []
    for label in panel.findChildren(QLabel):
        if not label.isVisible() or label.wordWrap() or not label.text():
            continue
        needed = needed_width(label)
        if label.contentsRect().width() < needed:
            clipped.append(f"{label.text()!r}: {label.contentsRect().width()} < {needed}")
    return clipped


@pytest.mark.parametrize(
    "scheme", [Qt.ColorScheme.Light, Qt.ColorScheme.Dark], ids=["light", "dark"]
)
@pytest.mark.parametrize("scale", [1, 2], ids=["100%", "200%"])
def test_the_totals_never_clip(
    qtbot: QtBot, demo_workspace: LocalWorkspace, scheme: Qt.ColorScheme, scale: int
) -> None:
    """A quote of 12,345,678,901.23 a year, in a window the size of a small laptop screen at
    200 % (logical pixels halve; fonts double as the scale factor would make them)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setPalette(palette_for(scheme))
    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    big = make_quote(
        components=[{"kind": "flat_fee", "id": "p", "name": "Platform", "amount": "1028806575.10"}],
        term_months=36,
    )
    from quote_builder.services.customers import create_customer

    create_customer(demo_workspace.db, {"name": big.customer.name}, actor="t")
    row = quote_service.create_quote(demo_workspace.db, big, actor="t").value
    editor = open_quote_editor(window, row.id)
    if scale == 2:
        font = QFont(editor.font())
        font.setPointSizeF(font.pointSizeF() * 2)
        editor.setFont(font)
    editor.resize(1366 // scale, 768 // scale)
    qtbot.waitExposed(editor)
    QApplication.processEvents()
    panel = editor.editor.summary
    assert price(editor.editor.document).tcv > Decimal("37000000000")  # type: ignore[arg-type]
    assert not clipped_labels(panel), clipped_labels(panel)
    # The scroll area shows the panel's full width (no part cut off at the right).
    viewport = editor.editor.summary_scroll.viewport()
    assert viewport.width() >= panel.minimumSizeHint().width()
    editor.editor.mark_saved()
    editor.close()
    app.setPalette(palette_for(Qt.ColorScheme.Light))


# --- export ------------------------------------------------------------------------------------


def test_export_says_where_it_saved_and_offers_to_open_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    opened: list[Path] = []

    def answer(parent: object, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        asked.append(f"{title}: {text}")
        return QMessageBox.StandardButton.Open

    monkeypatch.setattr(QMessageBox, "question", answer)
    target = tmp_path / "q.pdf"
    path = export_pdf(
        None,
        b"%PDF-1.7",
        "q.pdf",
        ask_path=lambda *_: target,
        open_file=lambda p: opened.append(p) is None,
    )
    assert path == target and opened == [target]
    assert asked == [f"PDF exported: Saved to {target}\n\nOpen it now?"]
    # Nothing could open it: said, with where the file is.
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: warned.append(text))
    export_pdf(None, b"%PDF-1.7", "q.pdf", ask_path=lambda *_: target, open_file=lambda p: False)
    assert warned == [f"No program opened q.pdf; the PDF is saved in {tmp_path}."]


def test_a_failed_export_is_shown(tmp_path: Path, no_blocking_dialogs: list[str]) -> None:
    missing = tmp_path / "no such folder" / "q.pdf"
    assert export_pdf(None, b"%PDF", "q.pdf", ask_path=lambda *_: missing) is None
    assert any(m.startswith("PDF not exported |") for m in no_blocking_dialogs)


# --- customers -----------------------------------------------------------------------------------


def test_a_customer_with_quotes_is_refused_before_the_confirm(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quote_builder.ui.customers_view import CustomersPage

    page = window.show_page("customers")
    assert isinstance(page, CustomersPage)
    row = quote_service.list_quotes(window.workspace.db).rows[0]
    assert page.select_customer(row.customer_id)
    asked: list[str] = []
    told: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: asked.append(str(a[1])) or QMessageBox.StandardButton.Yes,
    )
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text: told.append(text))
    page.delete_customer()
    assert asked == []  # never asked "Delete …?" for something that cannot be deleted
    assert told and "cannot be deleted" in told[0] and "Archive it instead" in told[0]
    # The panel lists the customer's quotes, and a double-click opens one.
    numbers = [page.quotes.item(r, 0).text() for r in range(page.quotes.rowCount())]  # type: ignore[union-attr]
    assert row.number in numbers
    assert "sent or accepted (contracts)" in page.quotes_note.text()
    page._open_quote(numbers.index(row.number), 0)
    assert row.id in window.editors


# --- lists, catalog, first run ---------------------------------------------------------------------


def test_lists_remember_their_sort(qtbot: QtBot, demo_workspace: LocalWorkspace) -> None:
    first = MainWindow(demo_workspace)
    qtbot.addWidget(first)
    view = first.pages["quotes"].view  # type: ignore[attr-defined]
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # by number, ascending
    first_numbers = [view.model().index(r, 0).data() for r in range(view.model().rowCount())]
    assert first_numbers == sorted(first_numbers)
    first.close()
    second = MainWindow(demo_workspace)  # e.g. the next start of the app
    qtbot.addWidget(second)
    view = second.pages["quotes"].view  # type: ignore[attr-defined]
    header = view.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        0,
        Qt.SortOrder.AscendingOrder,
    )
    assert [
        view.model().index(r, 0).data() for r in range(view.model().rowCount())
    ] == first_numbers


def test_the_catalog_has_a_title_and_room_for_its_plans(qtbot: QtBot, window: MainWindow) -> None:
    page = window.show_page("catalog")
    title = page.findChild(QLabel, "catalog-title")
    assert title is not None and title.text() == "Catalog"
    table = page.table  # type: ignore[attr-defined]
    rows = table.model().rowCount()
    assert rows == 9
    # All nine demo plans show without scrolling at the window's default size.
    window.resize(1280, 800)
    QApplication.processEvents()
    assert table.viewport().height() >= table.rowHeight(0) * rows


def test_an_empty_database_says_what_to_do(qtbot: QtBot, workspace: LocalWorkspace) -> None:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("quotes")
    empty = page.empty  # type: ignore[attr-defined]
    assert empty.isVisible() and not page.view.isVisible()  # type: ignore[attr-defined]
    assert "New quote" in empty.text.text()
    # Declined on the first run: the demo data is still one click away.
    QTest.mouseClick(empty.buttons["demo"], Qt.MouseButton.LeftButton)
    assert quote_service.list_quotes(workspace.db).total == 5
    assert not empty.isVisible() and page.view.isVisible()  # type: ignore[attr-defined]
    # The sidebar says what each page is for.
    nav = window.findChild(QWidget, "navigation")
    assert all(nav.item(i).toolTip() for i in range(nav.count()))  # type: ignore[attr-defined]


def test_the_guided_flows_component_form_uses_the_pages_height(
    qtbot: QtBot, window: MainWindow
) -> None:
    from quote_builder.ui.wizard import GuidedQuote

    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    wizard.resize(900, 900)
    wizard.show()
    wizard.customer_page.title_.setText("Tall quote")
    while wizard.currentPage() is not wizard.components:
        wizard.next()
    QApplication.processEvents()
    page, editor = wizard.components, wizard.components.editor
    # No empty band below the form: the terms under it follow at once (a stretch used to
    # take half the spare height).
    # Main's guided flow (issue 12) puts the seats per tier box under the form when shown.
    above = page.seats if page.seats.isVisible() else editor
    gap = page.start.geometry().top() - above.geometry().bottom()
    assert gap < 30, gap
    assert editor.height() > page.height() // 2
