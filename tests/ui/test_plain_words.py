"""No user-visible string holds a JSON path, a raw enum value, a warning code or a pydantic
message (issue 17, §3). After typical actions (each demo quote opened and every tab shown,
invalid values typed, edits undone and redone, versions compared, the deal desk's request
with its changes, the guided flow's first pages) every text the windows show is walked:
labels, buttons, group titles, tabs, combo items, list and table cells and headers (item
views through their models), tooltips, window titles and the undo history."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from quote_builder.pricing.document import Discount
from quote_builder.pricing.factory import COMPONENT_KINDS
from quote_builder.pricing.playbook import PricingModel, ProductCategory
from quote_builder.services import approvals as approval_service
from quote_builder.services import quotes as quote_service
from quote_builder.services import words
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import ComparisonDialog, VersionsDialog, open_quote_editor

from .stateful import retype

JSON_PATH = re.compile(
    r"\b(components|discounts|ramps|tiers|usage_forecast|economics|contract|value|"
    r"usage_evidence|advisor|usage_profile|levers|unit_costs|legal|terms|attribution)"
    r"(\[\d+\]|\.[a-z_]+)"
)
PYDANTIC = re.compile(r"Input should|Field required|validation error|Value error,|type=\w+")
CODE = re.compile(r"\b[A-Z]{3,}(_[A-Z]+){1,}\b")  # MARGIN_BELOW_FLOOR
ENUMS = sorted(
    {v.value for v in PricingModel}
    | {v.value for v in ProductCategory}
    | {k for k in COMPONENT_KINDS if "_" in k}
    | {"pending_approval", "deal_desk", "baseline_comparison", "holdout_group", "rule_based"}
    | {"quote_created", "quote_saved", "approval_requested", "approval_decided"},
    key=len,
    reverse=True,
)
RAW_ENUM = re.compile(
    r"\b("
    + "|".join(re.escape(e) for e in ENUMS if "_" in e)
    + r")\b"
    # the old way of showing one: the whole text is its code with spaces ("outcome based",
    # "pending approval"), where a label was due ("Outcome-based", "Pending approval")
    + r"|^("
    + "|".join(re.escape(e.replace("_", " ")) for e in ENUMS)
    + r")$"
)


def shown_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every string ``root`` and its children show."""
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        name = f"{type(w).__name__}:{w.objectName()}"
        if w.isWindow():
            yield name, w.windowTitle()
        yield name + " tooltip", w.toolTip()
        if isinstance(w, QLabel | QAbstractButton):
            yield name, w.text()
        elif isinstance(w, QGroupBox):
            yield name, w.title()
        elif isinstance(w, QTabWidget):
            for i in range(w.count()):
                yield name, w.tabText(i)
                yield name, w.tabToolTip(i)
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                yield name, w.itemText(i)
        elif isinstance(w, QLineEdit):
            yield name, w.placeholderText()
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            root_index = QModelIndex()
            try:
                columns = model.columnCount(root_index)
            except TypeError:  # a list model (its columnCount is private)
                columns = 1
            for column in range(columns):
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = model.headerData(column, Qt.Orientation.Horizontal, role)
                    yield name + " header", str(value or "")
            for row in range(min(model.rowCount(root_index), 300)):
                for column in range(columns):
                    index = model.index(row, column)
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                        value = model.data(index, role)
                        if isinstance(value, str):
                            yield f"{name} [{row},{column}]", value
        for action in w.actions():
            yield name + " action", action.text()
            yield name + " action tip", action.toolTip()


def problems_in(root: QWidget) -> list[str]:
    found = []
    for where, text in shown_texts(root):
        if not text:
            continue
        for kind, pattern in (
            ("JSON path", JSON_PATH),
            ("pydantic", PYDANTIC),
            ("code", CODE),
            ("raw enum", RAW_ENUM),
        ):
            match = pattern.search(text)
            if match:
                found.append(f"{kind} {match.group(0)!r} in {where}: {text[:160]!r}")
    return found


def undo_texts(stack: object) -> list[str]:
    return [stack.text(i) for i in range(stack.count())]  # type: ignore[attr-defined]


@pytest.fixture
def window(window: MainWindow) -> MainWindow:
    """The demo main window (conftest), shown: these tests look at what is visible."""
    window.show()
    return window


def test_the_patterns_catch_what_they_must() -> None:
    """The checks themselves: each finds what it is for, and passes the words we use."""
    for bad in (
        "Edit discounts[0].percent",
        "economics.levers.cache_hit_percent: must be at most 100",
        "Input should be a valid integer",
        "MARGIN_BELOW_FLOOR (warning)",
        "outcome based",
        "pending_approval",
    ):
        assert any(p.search(bad) for p in (JSON_PATH, PYDANTIC, CODE, RAW_ENUM)), bad
    for good in (
        words.sentence("discounts[0].percent: must be at most 100"),
        words.sentence("components[0].price_per_seat: Input should be a valid integer"),
        words.label("outcome_based"),
        words.label("pending_approval"),
        "Edit Deal discount %",
    ):
        assert not any(p.search(good) for p in (JSON_PATH, PYDANTIC, CODE, RAW_ENUM)), good
    assert words.sentence("discounts[0].percent: must be at most 100") == (
        "Discount 1: percent must be at most 100"
    )


def test_the_editor_speaks_a_sellers_words(qtbot: QtBot, window: MainWindow) -> None:
    found: list[str] = []
    for row in quote_service.list_quotes(window.workspace.db).rows:
        editor = open_quote_editor(window, row.id)
        ed = editor.editor
        for index in range(ed.tabs.count()):
            if ed.tabs.widget(index) is not editor._preview_tab:
                ed.tabs.setCurrentIndex(index)
                QApplication.processEvents()
                found += problems_in(editor)
        # Invalid values: a deal discount over 100 %, a component field that is not a number.
        ed.tabs.setCurrentIndex(0)
        deal = next(b.widget for b in ed.bindings if b.path == ("discounts", 0, "percent"))
        retype(deal, "150")
        found += problems_in(editor)
        retype(deal, "")
        ed.tabs.setCurrentWidget(ed.components)
        fields = [
            w for w in ed.components.findChildren(QLineEdit) if w.objectName().startswith("field_")
        ]
        if fields:
            retype(fields[-1], "abc")
            found += problems_in(editor)
            ed.undo()
        term = next(b.widget for b in ed.bindings if b.path == ("term_months",))
        term.setValue(term.value() + 1)  # type: ignore[attr-defined]
        ed.undo()
        ed.redo()
        found += [f"undo text {t!r}" for t in undo_texts(ed.undo_stack) if problems_in_text(t)]
        found += problems_in(editor)
        ed.undo_stack.setClean()
        ed.mark_saved()
        editor.close()
    assert not found, "\n".join(found[:30])


def problems_in_text(text: str) -> bool:
    return any(p.search(text) for p in (JSON_PATH, PYDANTIC, CODE, RAW_ENUM))


def test_versions_and_the_deal_desks_changes_are_readable(qtbot: QtBot, window: MainWindow) -> None:
    db = window.workspace.db
    row = next(
        r for r in quote_service.list_quotes(db).rows if r.customer_name == "Globex Engineering"
    )
    doc = quote_service.open_version(db, row.id).document
    seats = doc.components[0].model_copy(
        update={"price_per_seat": doc.components[0].price_per_seat + 5}
    )  # type: ignore[attr-defined]
    discount = Discount(description="Launch discount", percent=Decimal(40))  # needs approval
    changed = doc.model_copy(
        update={
            "components": [seats, *doc.components[1:]],
            "pricing_model": PricingModel.PLATFORM_USAGE,
            "discounts": [discount],
        }
    )
    current = quote_service.get_quote(db, row.id)
    quote_service.save_quote(db, row.id, changed, expected_version=current.version_id, actor="t")
    editor = open_quote_editor(window, row.id)
    versions = VersionsDialog(editor)
    qtbot.addWidget(versions)
    found = problems_in(versions)
    rows = quote_service.compare_versions(db, row.id, 1, 2)
    compare = ComparisonDialog(editor, "Compare", "", "Version 1", "Version 2", rows)
    qtbot.addWidget(compare)
    shown = {
        compare.table.item(r, 0).text(): compare.table.item(r, 2).text()
        for r in range(compare.table.rowCount())
    }  # type: ignore[union-attr]
    assert shown["Pricing model"] == "Platform fee + usage"
    assert any(label.endswith(": Price per seat") for label in shown)
    found += problems_in(compare)
    compare.show_all.setChecked(True)
    found += problems_in(compare)
    # The deal desk: a request of the new version, with its changes since version 1.
    approval_service.request_approval(db, row.number, actor="rep")
    from quote_builder.ui.approvals_view import ApprovalsPage

    page = window.show_page("approvals")
    assert isinstance(page, ApprovalsPage)
    page.reload()
    assert page.changes.rowCount() >= 2  # the price and the model, as fields
    found += problems_in(page)
    editor.editor.undo_stack.setClean()
    assert not found, "\n".join(found[:30])


def test_the_guided_flow_speaks_a_sellers_words(qtbot: QtBot, window: MainWindow) -> None:
    from quote_builder.ui.wizard import GuidedQuote

    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    wizard.show()
    found = problems_in(wizard)
    wizard.next()  # refused: no title yet, and it says so in words
    assert "title" in wizard.customer_page.problem.text()
    wizard.customer_page.title_.setText("Support automation")
    for _ in range(8):  # every page the defaults reach
        wizard.next()
        found += problems_in(wizard)
    assert not found, "\n".join(found[:30])
