"""Every field that holds a number is right-aligned, by one helper (``number_fields``):
the editor (Term in months, payment days, the decimals, the tax rate), the guided flow
(users, days, term, the outcome and value figures), the settings, the component editor,
the customer form and the exchange rates."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QDateTimeEdit, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from quote_builder.services import quotes as quote_service
from quote_builder.services.workspace import Workspace
from quote_builder.ui.component_editor import ComponentEditor
from quote_builder.ui.customers_view import CustomerForm
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.number_fields import NUMBER_ALIGNMENT, align_number, is_number_field
from quote_builder.ui.quote_editor import open_quote_editor
from quote_builder.ui.settings_view import SettingsPage

from .test_catalog_settings import EXAMPLES, example
from .test_guided_numbers import open_wizard

RIGHT = Qt.AlignmentFlag.AlignRight


@pytest.fixture
def window(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win
    for editor in list(win.editors.values()):
        editor.editor.mark_saved()
        editor.close()


def _spin_boxes(root: QWidget) -> list[QAbstractSpinBox]:
    """Every number spin box (a date field is a spin box too: not a number)."""
    return [
        box
        for box in root.findChildren(QAbstractSpinBox)
        if not isinstance(box, QDateTimeEdit)
        and box.parent() is not None
        and type(box).__name__ in ("QSpinBox", "QDoubleSpinBox", "WholeNumberBox")
    ]


def _assert_right(widgets: list[QWidget]) -> None:
    assert widgets
    for w in widgets:
        assert isinstance(w, QLineEdit | QAbstractSpinBox)
        assert w.alignment() & RIGHT, f"{w.objectName() or w.accessibleName() or w} is left-aligned"
        assert is_number_field(w)


def test_the_helper_aligns_right_and_marks_the_field(qtbot: QtBot) -> None:
    line = align_number(QLineEdit())
    qtbot.addWidget(line)
    assert line.alignment() == NUMBER_ALIGNMENT
    assert is_number_field(line)
    plain = QLineEdit()
    qtbot.addWidget(plain)
    assert not is_number_field(plain) and not plain.alignment() & RIGHT


def test_every_number_in_the_editor_is_right_aligned(window: MainWindow) -> None:
    row = quote_service.list_quotes(window.workspace.db, "Initech").rows[0]
    editor = open_quote_editor(window, row.id)
    spins = _spin_boxes(editor)
    # Term in months and the payment terms' days at least.
    assert len(spins) >= 2
    _assert_right(list(spins))
    decimals = [b.widget for b in editor.editor.bindings if is_number_field(b.widget)]
    tax_rate = editor.findChild(QLineEdit, "tax_rate")
    assert tax_rate is not None
    _assert_right([*decimals, tax_rate])
    # Text fields stay on the left.
    texts = [
        b.widget
        for b in editor.editor.bindings
        if isinstance(b.widget, QLineEdit) and not is_number_field(b.widget)
    ]
    assert texts and all(not w.alignment() & RIGHT for w in texts)


def test_every_number_in_the_guided_flow_is_right_aligned(qtbot: QtBot, window: MainWindow) -> None:
    wizard = open_wizard(qtbot, window)
    spins = _spin_boxes(wizard)
    assert {wizard.product.users, wizard.product.days, wizard.components.term} <= set(spins)
    _assert_right(list(spins))
    numbers = [w for w in wizard.findChildren(QLineEdit) if is_number_field(w)]
    assert len(numbers) >= 5  # outcomes, value figures, costs ...
    _assert_right(numbers)


def test_every_number_in_the_settings_is_right_aligned(qtbot: QtBot, workspace: Workspace) -> None:
    page = SettingsPage(workspace)
    qtbot.addWidget(page)
    _assert_right(list(_spin_boxes(page)))
    _assert_right([page.margin_floor, page.min_escalator, *page.authority.values()])


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_every_number_in_the_component_editor_is_right_aligned(qtbot: QtBot, kind: str) -> None:
    editor = ComponentEditor(example(kind))
    qtbot.addWidget(editor)
    spins = _spin_boxes(editor)
    numbers = [w for w in editor.findChildren(QLineEdit) if is_number_field(w)]
    if kind not in ("graduated", "volume"):  # those two: only the tier table holds numbers
        assert spins or numbers
        _assert_right([*spins, *numbers])
    assert all(w.alignment() & RIGHT for w in [*spins, *numbers])


def test_the_customer_forms_numbers_are_right_aligned(qtbot: QtBot) -> None:
    form = CustomerForm()
    qtbot.addWidget(form)
    numbers = [w for w in form.findChildren(QLineEdit) if is_number_field(w)]
    assert numbers
    _assert_right(numbers)
