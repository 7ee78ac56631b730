"""The component editors, the Catalog page and the Settings page, driven with real clicks
and keys offscreen. Modal dialogs are replaced by monkeypatched static methods."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from quote_builder.pricing import COMPONENT_KINDS, Component, component_from_dict
from quote_builder.pricing.legal import LegalFrame
from quote_builder.services.core import InvalidInputError, RefusedError
from quote_builder.services.plans import get_plan, list_plans, update_plan
from quote_builder.services.settings import get_settings, update_settings
from quote_builder.services.workspace import Workspace
from quote_builder.ui.catalog_view import CatalogPage, PlansModel
from quote_builder.ui.component_editor import (
    ComponentEditor,
    ComponentListEditor,
    ModelEditor,
    ModelForm,
    is_marked_invalid,
    new_component,
)
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.settings_view import SettingsPage

# One component of each kind with values away from the defaults, so a field the editor
# dropped or mangled shows in the round trip.
EXAMPLES: dict[str, dict[str, Any]] = {
    "flat_fee": {
        "id": "platform",
        "name": "Platform fee",
        "description": "Access, SSO and support",
        "amount": "12000.00",
        "interval": "year",
    },
    "one_time_fee": {"id": "setup", "name": "Onboarding", "amount": "5000", "month": 2},
    "per_unit": {"id": "tokens", "name": "Tokens", "metric": "tokens", "unit_price": "0.0004"},
    "graduated": {
        "id": "calls",
        "name": "API calls",
        "metric": "api_calls",
        "tiers": [
            {"up_to": "1000", "unit_price": "0", "flat_fee": "50"},
            {"from": "1000", "up_to": "10000", "unit_price": "0.05"},
            {"unit_price": "0.01"},
        ],
    },
    "volume": {
        "id": "docs",
        "name": "Documents",
        "metric": "documents",
        "tiers": [{"up_to": "500", "unit_price": "1.20"}, {"unit_price": "0.90", "flat_fee": "10"}],
    },
    "package": {
        "id": "blocks",
        "name": "Message blocks",
        "metric": "messages",
        "package_size": "1000",
        "package_price": "8.50",
        "free_units": "200",
    },
    "allowance_overage": {
        "id": "queries",
        "name": "Queries",
        "metric": "queries",
        "included": "3000",
        "included_per_seat": "100",
        "seats_component": "seats",
        "overage_unit_price": "0.40",
    },
    "seats": {
        "id": "seats",
        "name": "Team seats",
        "tier": "Team",
        "seats": 25,
        "price_per_seat": "39",
        "interval": "year",
        "features": ["SSO", "Audit log"],
        "includes_ai": True,
    },
    "credits": {
        "id": "credits",
        "name": "AI credits",
        "allocation_per_seat": "1500",
        "allocation_pool": "10000",
        "seats_component": "seats",
        "burn": {"drafts": "10", "images": "5"},
        "pack": {"credits": "5000", "price": "25"},
        "rollover_months": 2,
    },
    "per_outcome": {
        "id": "resolutions",
        "name": "Resolved tickets",
        "metric": "resolved_tickets",
        "price_per_outcome": "0.99",
        "terms": {
            "definition": "A ticket closed without escalation",
            "success_criteria": "Not reopened within 7 days",
            "verification_evidence": "Helpdesk logs",
            "dispute_window_days": 30,
            "audit_rights": "Quarterly log export",
        },
    },
    "transaction_fee": {
        "id": "payments",
        "name": "Payment processing",
        "metric": "payment_volume",
        "count_metric": "payments",
        "percent": "1.5",
        "fixed_fee": "0.10",
        "minimum_fee": "0.50",
        "maximum_fee": "5",
    },
    "percent_of_value": {
        "id": "share",
        "name": "Revenue share",
        "metric": "attributed_revenue",
        "percent": "0.5",
        "baseline": "100000",
        "floor": "1000",
        "cap": "20000",
        "attribution": {
            "method": "holdout_group",
            "description": "10 % holdout",
            "lookback_days": 90,
            "dispute_process": "Joint review within 30 days",
        },
    },
    "minimum_commitment": {
        "id": "minimum",
        "name": "Annual minimum",
        "amount": "50000",
        "period": "year",
        "applies_to": ["tokens", "calls"],
    },
}


def example(kind: str) -> Component:
    return component_from_dict({"kind": kind, **EXAMPLES[kind]})


def test_examples_cover_every_kind() -> None:
    assert set(EXAMPLES) == set(COMPONENT_KINDS)


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Replace a line edit's text with typed keys, as a user would."""
    assert isinstance(widget, QLineEdit)
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClicks(widget, text)


def all_field_widgets(form: ModelForm) -> list[QWidget]:
    widgets = []
    for editor in form.fields.values():
        widgets.append(editor.widget)
        if isinstance(editor, ModelEditor):
            widgets.extend(all_field_widgets(editor.form))
    return widgets


# --- one component -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_round_trip_for_every_kind(qtbot: QtBot, kind: str) -> None:
    editor = ComponentEditor()
    qtbot.addWidget(editor)
    component = example(kind)
    editor.set_component(component)
    assert editor.errors() == []
    assert editor.component() == component
    # Through another kind and back: the form is rebuilt, nothing leaks between kinds.
    other = "seats" if kind != "seats" else "flat_fee"
    editor.set_component(example(other))
    assert editor.component() == example(other)
    editor.set_component(component)
    assert editor.component() == component


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_every_field_has_a_tooltip_and_the_kind_is_explained(qtbot: QtBot, kind: str) -> None:
    editor = ComponentEditor(example(kind))
    qtbot.addWidget(editor)
    for widget in all_field_widgets(editor.form()):
        assert widget.toolTip().strip(), widget.objectName()
    assert editor.findChild(QWidget, "component_kind").text() == COMPONENT_KINDS[kind].label  # type: ignore[union-attr]
    assert editor.findChild(QWidget, "component_about").text()  # type: ignore[union-attr]


def test_widgets_follow_the_field_types(qtbot: QtBot) -> None:
    editor = ComponentEditor(example("credits"))
    qtbot.addWidget(editor)
    assert isinstance(editor.field_widget("allocation_per_seat"), QLineEdit)  # Decimal
    assert editor.field_widget("allocation_per_seat").text() == "1500"  # type: ignore[attr-defined]
    assert isinstance(editor.field_widget("rollover_months"), QSpinBox)  # int
    assert isinstance(editor.field_widget("burn"), QTableWidget)  # dict
    assert isinstance(editor.field_widget("pack"), QGroupBox)  # nested model
    seats = ComponentEditor(example("seats"))
    qtbot.addWidget(seats)
    assert isinstance(seats.field_widget("includes_ai"), QCheckBox)  # bool
    assert isinstance(seats.field_widget("interval"), QComboBox)  # Literal
    assert isinstance(seats.field_widget("features"), QPlainTextEdit)
    graduated = ComponentEditor(example("graduated"))
    qtbot.addWidget(graduated)
    assert isinstance(graduated.field_widget("tiers"), QTableWidget)  # list[Tier]


def test_decimals_stay_decimal_strings(qtbot: QtBot) -> None:
    editor = ComponentEditor(example("per_unit"))
    qtbot.addWidget(editor)
    type_into(qtbot, editor.field_widget("unit_price"), "0.1")
    component = editor.component()
    assert component is not None
    assert component.unit_price == Decimal("0.1")  # type: ignore[attr-defined]
    assert str(component.unit_price) == "0.1"  # type: ignore[attr-defined]  # not 0.1000000000000000055


# (kind, field typed into, text typed, the field errors() names)
INVALID_INPUTS = [
    ("flat_fee", "amount", "-1", "amount"),
    ("one_time_fee", "amount", "ten", "amount"),
    ("per_unit", "unit_price", "-0.5", "unit_price"),
    ("package", "package_size", "0", "package_size"),
    ("allowance_overage", "overage_unit_price", "", "overage_unit_price"),
    ("seats", "price_per_seat", "-3", "price_per_seat"),
    ("credits", "overage_price_per_credit", "-2", "overage_price_per_credit"),
    ("per_outcome", "price_per_outcome", "x", "price_per_outcome"),
    ("percent_of_value", "percent", "150", "percent"),
    ("minimum_commitment", "amount", "0", "amount"),
    ("per_unit", "metric", "bad metric!", "metric"),
    ("flat_fee", "id", "", "id"),
]


@pytest.mark.parametrize(("kind", "field", "text", "named"), INVALID_INPUTS)
def test_invalid_value_marks_the_field(
    qtbot: QtBot, kind: str, field: str, text: str, named: str
) -> None:
    editor = ComponentEditor(new_component(kind))
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.changed):
        type_into(qtbot, editor.field_widget(field), text)
    assert editor.component() is None
    assert any(line.startswith(f"{named}: ") for line in editor.errors()), editor.errors()
    widget = editor.field_widget(field)
    assert is_marked_invalid(widget)
    assert "Problem:" in widget.toolTip()
    # Fixing it clears the mark.
    fixed = "a1" if field in ("id", "metric") else "5"
    type_into(qtbot, widget, fixed)
    assert editor.errors() == []
    assert not is_marked_invalid(widget)
    assert editor.component() is not None


def test_negative_price_reads_must_not_be_negative(qtbot: QtBot) -> None:
    editor = ComponentEditor(new_component("per_unit"))
    qtbot.addWidget(editor)
    type_into(qtbot, editor.field_widget("unit_price"), "-5")
    assert editor.errors() == ["unit_price: must not be negative (got -5)"]


def test_tiers_invalid_cell_and_rules_across_tiers(qtbot: QtBot) -> None:
    for kind in ("graduated", "volume"):
        editor = ComponentEditor(example(kind))
        qtbot.addWidget(editor)
        table = editor.field_widget("tiers")
        assert isinstance(table, QTableWidget)
        table.item(0, 2).setText("-1")  # unit price of tier 1
        assert editor.errors() == ["tiers[0].unit_price: must not be negative (got -1)"]
        assert is_marked_invalid(table)
        table.item(0, 2).setText("1")
        assert editor.errors() == []
        table.item(0, 1).setText("")  # tier 1 unbounded but not last
        assert editor.component() is None
        assert editor.errors()[0].startswith("tiers: tier 1 has no upper bound")


def test_tiers_table_add_and_remove_rows(qtbot: QtBot) -> None:
    editor = ComponentEditor(example("graduated"))
    qtbot.addWidget(editor)
    table = editor.field_widget("tiers")
    assert isinstance(table, QTableWidget) and table.rowCount() == 3
    add = editor.findChild(QWidget, "add_row_tiers")
    remove = editor.findChild(QWidget, "remove_row_tiers")
    table.setCurrentCell(2, 0)
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    assert table.rowCount() == 2
    # Tier 2 now ends at 10,000 and is last: it needs an empty "Up to".
    assert editor.component() is None
    table.item(1, 1).setText("")
    component = editor.component()
    assert component is not None and len(component.tiers) == 2  # type: ignore[attr-defined]
    table.item(1, 1).setText("10000")
    table.setCurrentCell(1, 0)
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    assert table.rowCount() == 3
    table.item(2, 2).setText("0.02")
    component = editor.component()
    assert component is not None
    assert [t.unit_price for t in component.tiers] == [  # type: ignore[attr-defined]
        Decimal("0"),
        Decimal("0.05"),
        Decimal("0.02"),
    ]
    assert component.tiers[2].up_to is None  # type: ignore[attr-defined]


def test_credit_burn_table_and_the_one_of_pack_or_overage_rule(qtbot: QtBot) -> None:
    editor = ComponentEditor(example("credits"))
    qtbot.addWidget(editor)
    burn = editor.field_widget("burn")
    assert isinstance(burn, QTableWidget)
    qtbot.mouseClick(editor.findChild(QWidget, "add_row_burn"), Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    row = burn.rowCount() - 1
    burn.item(row, 0).setText("drafts")
    burn.item(row, 1).setText("3")
    assert editor.errors() == ["burn: drafts listed twice"]
    burn.item(row, 0).setText("summaries")
    component = editor.component()
    assert component is not None
    assert component.burn == {  # type: ignore[attr-defined]
        "drafts": Decimal(10),
        "images": Decimal(5),
        "summaries": Decimal(3),
    }
    # Both a pack and an overage price: the model refuses; both fields are marked.
    type_into(qtbot, editor.field_widget("overage_price_per_credit"), "0.01")
    assert editor.component() is None
    assert any("exactly one of" in line for line in editor.errors())
    assert is_marked_invalid(editor.field_widget("overage_price_per_credit"))
    assert is_marked_invalid(editor.field_widget("pack"))
    pack = editor.field_widget("pack")
    assert isinstance(pack, QGroupBox)
    pack.setChecked(False)
    component = editor.component()
    assert component is not None and component.pack is None  # type: ignore[attr-defined]


def test_model_rule_marks_the_fields_it_names(qtbot: QtBot) -> None:
    editor = ComponentEditor(new_component("allowance_overage"))
    qtbot.addWidget(editor)
    type_into(qtbot, editor.field_widget("included_per_seat"), "100")
    assert editor.errors() == [
        "included_per_seat needs seats_component: the seats it is counted per"
    ]
    assert is_marked_invalid(editor.field_widget("seats_component"))
    type_into(qtbot, editor.field_widget("seats_component"), "seats")
    assert editor.errors() == []


def test_nested_terms_and_optional_numbers(qtbot: QtBot) -> None:
    editor = ComponentEditor(new_component("per_outcome"))
    qtbot.addWidget(editor)
    days = editor.field_widget("terms.dispute_window_days")
    assert isinstance(days, QSpinBox)
    assert days.text() == "Not set"
    days.setFocus()
    qtbot.keyClick(days, Qt.Key.Key_Up)
    component = editor.component()
    assert component is not None and component.terms.dispute_window_days == 1  # type: ignore[attr-defined]
    qtbot.keyClick(days, Qt.Key.Key_Down)
    component = editor.component()
    assert component is not None and component.terms.dispute_window_days is None  # type: ignore[attr-defined]


# --- the list of components --------------------------------------------------------------


def test_list_editor_add_remove_move_duplicate(qtbot: QtBot) -> None:
    editor = ComponentListEditor()
    qtbot.addWidget(editor)
    editor.set_components([example("flat_fee"), example("per_unit")])
    assert [c.id for c in editor.components()] == ["platform", "tokens"]
    # Add a component of a chosen kind with the combo box and the Add button.
    editor.list.setCurrentRow(1)
    editor.kind_box.setCurrentIndex(editor.kind_box.findData("seats"))
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert [c.kind for c in editor.components()] == ["flat_fee", "per_unit", "seats"]
    assert editor.list.currentRow() == 2
    # Keys in the list: Ctrl+Up moves, Ctrl+D duplicates, Delete removes.
    editor.list.setFocus()
    qtbot.keyClick(editor.list, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert [c.kind for c in editor.components()] == ["flat_fee", "seats", "per_unit"]
    qtbot.mouseClick(editor.up_button, Qt.MouseButton.LeftButton)
    assert [c.kind for c in editor.components()] == ["seats", "flat_fee", "per_unit"]
    qtbot.keyClick(editor.list, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    ids = [c.id for c in editor.components()]
    assert ids == ["seats", "seats_copy", "platform", "tokens"]
    assert editor.components()[1].name == "Team seats (copy)" or editor.components()[1].name
    qtbot.keyClick(editor.list, Qt.Key.Key_Delete)
    assert [c.id for c in editor.components()] == ["seats", "platform", "tokens"]
    editor.list.setCurrentRow(0)
    qtbot.keyClick(editor.list, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert [c.id for c in editor.components()] == ["platform", "seats", "tokens"]
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert [c.id for c in editor.components()] == ["platform", "tokens"]
    qtbot.keyClick(editor.list, Qt.Key.Key_Insert)
    assert editor.count() == 3


def test_list_editor_tab_order(qtbot: QtBot) -> None:
    editor = ComponentListEditor()
    qtbot.addWidget(editor)
    editor.set_components([example("per_unit")])
    editor.show()
    qtbot.waitExposed(editor)
    editor.list.setFocus()
    order = [editor.list]
    for _ in range(7):
        focused = editor.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        order.append(editor.focusWidget())  # type: ignore[arg-type]
    assert order[:5] == [
        editor.list,
        editor.kind_box,
        editor.add_button,
        editor.up_button if editor.up_button.isEnabled() else editor.duplicate_button,
        editor.duplicate_button if editor.up_button.isEnabled() else editor.remove_button,
    ]
    # Then into the selected component's form, starting with its id.
    assert editor.editors()[0].field_widget("id") in order


def test_list_editor_errors_name_the_component(qtbot: QtBot) -> None:
    editor = ComponentListEditor()
    qtbot.addWidget(editor)
    editor.set_components([example("flat_fee"), example("per_unit")])
    with qtbot.waitSignal(editor.changed):
        type_into(qtbot, editor.editors()[1].field_widget("unit_price"), "-1")
    assert editor.errors() == ["components[1].unit_price: must not be negative (got -1)"]
    assert editor.components() == []  # only when every component is valid
    item = editor.list.item(1)
    assert item is not None and item.text().startswith("⚠")
    type_into(qtbot, editor.editors()[1].field_widget("unit_price"), "1")
    type_into(qtbot, editor.editors()[1].field_widget("id"), "platform")
    assert editor.errors() == [
        "components[0].id: 'platform' is used by another component; ids must be unique",
        "components[1].id: 'platform' is used by another component; ids must be unique",
    ]
    assert is_marked_invalid(editor.editors()[0].field_widget("id"))


def test_new_components_of_every_kind_are_valid() -> None:
    taken: set[str] = set()
    for kind in COMPONENT_KINDS:
        component = new_component(kind, taken)
        assert component.id not in taken
        taken.add(component.id)
    assert new_component("seats", {"seats"}).id == "seats_2"


# --- the catalog -------------------------------------------------------------------------


def test_plans_model(qtmodeltester: Any, demo_workspace: Workspace) -> None:
    model = PlansModel(demo_workspace)
    model.reload()
    assert model.rowCount() == len(list_plans(demo_workspace.db))
    qtmodeltester.check(model)


def shown(qtbot: QtBot, window: MainWindow) -> None:
    """Shown and active, so window shortcuts (Ctrl+S) reach it."""
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def catalog(qtbot: QtBot, workspace: Workspace) -> tuple[MainWindow, CatalogPage]:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    shown(qtbot, window)
    page = window.show_page("catalog")
    assert isinstance(page, CatalogPage)
    return window, page


def test_create_a_plan(qtbot: QtBot, workspace: Workspace) -> None:
    window, page = catalog(qtbot, workspace)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    editor = page.editor
    assert not editor.save_button.isEnabled()  # no name yet
    assert is_marked_invalid(editor.name)
    qtbot.keyClicks(editor.name, "Support Starter")
    editor.pricing_model.setCurrentIndex(editor.pricing_model.findData("outcome_based"))
    editor.category.setCurrentIndex(editor.category.findData("customer_support"))
    components = editor.components
    components.kind_box.setCurrentIndex(components.kind_box.findData("per_outcome"))
    qtbot.mouseClick(components.add_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, components.editors()[1].field_widget("price_per_outcome"), "0.99")
    assert editor.save_button.isEnabled()
    with qtbot.waitSignal(window.changed) as signal:
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert signal.args is not None and signal.args[0].plans
    [plan] = list_plans(workspace.db)
    assert (plan.name, plan.pricing_model, plan.product_category) == (
        "Support Starter",
        "outcome_based",
        "customer_support",
    )
    assert [c["kind"] for c in __import__("json").loads(plan.components_json)] == [
        "flat_fee",
        "per_outcome",
    ]
    assert page.model.rowCount() == 1
    assert page.selected_plan() is not None and page.selected_plan().id == plan.id  # type: ignore[union-attr]
    assert not editor.is_dirty() and not editor.save_button.isEnabled()


def test_edit_a_plan_and_a_stale_save_is_refused(
    qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, page = catalog(qtbot, demo_workspace)
    page.table.setFocus()
    page.select_plan(list_plans(demo_workspace.db)[0].id)
    editor = page.editor
    plan = editor.plan
    assert plan is not None and editor.name.text() == plan.name
    editor.description.setFocus()
    qtbot.keyClick(editor.description, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor.description, " Now with SSO.")
    assert editor.save_button.isEnabled()
    qtbot.keyClick(editor.description, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = get_plan(demo_workspace.db, plan.id)
    assert saved.description.endswith("Now with SSO.")
    assert saved.version_id == plan.version_id + 1
    # Someone else saves the plan meanwhile: our save is refused, not lost silently.
    update_plan(
        demo_workspace.db,
        plan.id,
        expected_version=saved.version_id,
        actor="someone",
        description="theirs",
    )
    warned: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "warning",
        lambda *args, **kwargs: warned.append(str(args[2])) or QMessageBox.StandardButton.Yes,
    )
    type_into(qtbot, editor.name, "Renamed plan")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert warned and "changed by someone" in warned[0]
    # Reloaded (the answer was Yes): their version is shown.
    assert editor.description.toPlainText() == "theirs"
    assert get_plan(demo_workspace.db, plan.id).name == plan.name


def test_invalid_component_blocks_saving_and_a_duplicate_name_is_refused(
    qtbot: QtBot, demo_workspace: Workspace
) -> None:
    _window, page = catalog(qtbot, demo_workspace)
    plans = list_plans(demo_workspace.db)
    page.select_plan(plans[0].id)
    editor = page.editor
    first = editor.components.editors()[0]
    money_field = next(
        name
        for name, field in first.form().fields.items()
        if type(field).__name__ == "DecimalEditor" and field.info.is_required()
    )
    type_into(qtbot, first.field_widget(money_field), "-1")
    assert not editor.save_button.isEnabled()
    assert any("components[0]" in p for p in editor.problems())
    type_into(qtbot, first.field_widget(money_field), "1")
    assert editor.save_button.isEnabled()
    type_into(qtbot, editor.name, plans[1].name)
    assert is_marked_invalid(editor.name)
    assert "already exists" in editor.name.toolTip()
    assert not editor.save_button.isEnabled()
    assert get_plan(demo_workspace.db, plans[0].id).name == plans[0].name


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (InvalidInputError(["currency: unknown currency 'ABC'"]), "unknown currency 'ABC'"),
        (RefusedError("a plan named 'X' already exists"), "already exists"),
    ],
)
def test_service_errors_are_shown(
    qtbot: QtBot,
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
    shown: str,
) -> None:
    _window, page = catalog(qtbot, workspace)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.editor.name, "Starter")

    def refuse(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr("quote_builder.ui.catalog_view.create_plan", refuse)
    assert not page.editor.save()
    errors = page.editor.findChild(QWidget, "plan_errors")
    assert errors is not None and shown in errors.text()  # type: ignore[attr-defined]
    assert errors.isVisibleTo(page.editor)
    assert page.editor.is_dirty()  # the edits are kept
    assert list_plans(workspace.db) == []


def test_retire_and_reactivate_a_plan(
    qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, page = catalog(qtbot, demo_workspace)
    before = list_plans(demo_workspace.db)
    page.select_plan(before[0].id)
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes
    )
    with qtbot.waitSignal(window.changed):
        qtbot.mouseClick(page.retire_button, Qt.MouseButton.LeftButton)
    assert not get_plan(demo_workspace.db, before[0].id).active
    assert page.model.rowCount() == len(before) - 1
    qtbot.mouseClick(page.show_retired, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == len(before)
    page.select_plan(before[0].id)
    assert page.retire_button.text() == "Reactivate"
    qtbot.mouseClick(page.retire_button, Qt.MouseButton.LeftButton)
    assert get_plan(demo_workspace.db, before[0].id).active


def test_unsaved_plan_asks_before_leaving(
    qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    _window, page = catalog(qtbot, demo_workspace)
    plans = list_plans(demo_workspace.db)
    page.select_plan(plans[0].id)
    type_into(qtbot, page.editor.name, "Edited")
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Cancel
    )
    assert not page.can_close()
    page.select_plan(plans[1].id)
    assert page.editor.plan is not None and page.editor.plan.id == plans[0].id
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Discard
    )
    page.select_plan(plans[1].id)
    assert page.editor.plan is not None and page.editor.plan.id == plans[1].id


def test_search_filters_the_plans(qtbot: QtBot, demo_workspace: Workspace) -> None:
    window, page = catalog(qtbot, demo_workspace)
    window.focus_search()
    qtbot.keyClicks(page.search, "coding")
    names = [page.model.plan(r).name for r in range(page.model.rowCount())]  # type: ignore[union-attr]
    assert names and all("coding" in n.lower() for n in names)


# --- settings ----------------------------------------------------------------------------


def settings_page(qtbot: QtBot, workspace: Workspace) -> tuple[MainWindow, SettingsPage]:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    shown(qtbot, window)
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    return window, page


def test_settings_save(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, page = settings_page(qtbot, workspace)
    assert not page.save_button.isEnabled()  # nothing changed yet
    type_into(qtbot, page.seller_name, "Acme AI")
    type_into(qtbot, page.seller_email, "deals@acme.example")
    page.seller_address.setFocus()
    qtbot.keyClicks(page.seller_address, "1 Market Street")
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(logo), "Images")
    )
    qtbot.mouseClick(page.choose_logo, Qt.MouseButton.LeftButton)
    assert page.logo_path.text() == str(logo)
    page.default_currency.setCurrentText("EUR")
    type_into(qtbot, page.margin_floor, "62.5")
    type_into(qtbot, page.authority["manager"], "25")
    assert page.problems() == []
    with qtbot.waitSignal(window.changed) as signal:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert signal.args is not None and signal.args[0].settings
    saved = get_settings(workspace.db)
    assert saved.seller_name == "Acme AI"
    assert saved.seller_email == "deals@acme.example"
    assert saved.seller_address == "1 Market Street"
    assert saved.logo_path == str(logo)
    assert saved.default_currency == "EUR"
    assert saved.margin_floor_percent == Decimal("62.5")
    assert saved.discount_authority() == {
        "rep": Decimal(10),
        "manager": Decimal(25),
        "deal_desk": Decimal(100),
    }
    assert not page.save_button.isEnabled()


def test_the_seller_profile_names_who_signs(qtbot: QtBot, workspace: Workspace) -> None:
    """Settings > Seller profile: the Signatory and the Signatory's title, printed under
    the seller's signature line of every order form (a final one needs them); they load
    back as saved, and Alt+S reaches the Signatory from its label."""
    window, page = settings_page(qtbot, workspace)
    labels = {label.text(): label.buddy() for label in page.findChildren(QLabel) if label.buddy()}
    assert labels["&Signatory"] is page.seller_signatory
    assert labels["Signatory's t&itle"] is page.seller_signatory_title
    type_into(qtbot, page.seller_signatory, "Priya Raman")
    type_into(qtbot, page.seller_signatory_title, "Chief Revenue Officer")
    assert page.save_button.isEnabled() and page.problems() == []
    with qtbot.waitSignal(window.changed):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    saved = get_settings(workspace.db)
    assert (saved.seller_signatory, saved.seller_signatory_title) == (
        "Priya Raman",
        "Chief Revenue Officer",
    )
    page.load(saved)
    assert page.seller_signatory.text() == "Priya Raman"
    assert page.seller_signatory_title.text() == "Chief Revenue Officer"
    assert not page.save_button.isEnabled()


@pytest.mark.parametrize(
    ("field", "text", "reason"),
    [
        ("seller_email", "not-an-email", "is not an email address"),
        ("margin_floor_percent", "sixty", "not a number"),
        ("margin_floor_percent", "100", "must be below 100"),
        ("authority_rep", "120", "must be from 0 to 100"),
        ("authority_manager", "5", "must be at least the sales rep's 10 %"),
        ("logo_path", "/no/such/logo.png", "no such file"),
        ("legal_late_interest_percent_per_month", "9", "must be at most 5"),
        # the one number parser's sentence (pydantic's "not a finite number" before issue 12)
        (
            "legal_late_interest_percent_per_month",
            "lots",
            "lots is not a number as written in English (United States)",
        ),
        ("margin_floor_percent", "62,5", "write 62.5"),  # a German decimal comma, refused
    ],
)
def test_settings_validation_marks_the_field(
    qtbot: QtBot, workspace: Workspace, field: str, text: str, reason: str
) -> None:
    _window, page = settings_page(qtbot, workspace)
    widget = page.field_widget(field)
    type_into(qtbot, widget, text)
    assert is_marked_invalid(widget)
    assert reason in widget.toolTip()
    assert any(p.startswith(f"{field}: ") and reason in p for p in page.problems())
    assert not page.save_button.isEnabled()
    qtbot.keyClick(widget, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert get_settings(workspace.db).version_id == 0  # nothing saved


def test_legal_frame_is_edited_and_saved(qtbot: QtBot, workspace: Workspace) -> None:
    window, page = settings_page(qtbot, workspace)
    type_into(qtbot, page.legal["governing_law"], "the laws of England and Wales")
    type_into(qtbot, page.legal["independent_auditor"], "Harbor & Pike LLP")
    page.legal["termination_for_convenience"].setChecked(True)  # type: ignore[attr-defined]
    page.legal["precedence"].setCurrentIndex(1)  # type: ignore[attr-defined]
    page.legal["liability_cap_months"].setValue(24)  # type: ignore[attr-defined]
    assert page.problems() == []
    with qtbot.waitSignal(window.changed):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    frame = get_settings(workspace.db).legal_frame()
    assert frame.governing_law == "the laws of England and Wales"
    assert frame.independent_auditor == "Harbor & Pike LLP"
    assert frame.termination_for_convenience and frame.precedence == "agreement"
    assert frame.liability_cap_months == 24
    assert frame.agreement == "Master Subscription Agreement"  # untouched: the default
    type_into(qtbot, page.legal["governing_law"], "")  # blank: back to the default
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert get_settings(workspace.db).legal_frame().governing_law == (
        "the laws of the State of New York"
    )


def test_unknown_currency_is_marked(qtbot: QtBot, workspace: Workspace) -> None:
    _window, page = settings_page(qtbot, workspace)
    page.default_currency.setCurrentText("XYZ")
    assert is_marked_invalid(page.default_currency)
    assert not page.save_button.isEnabled()


def test_settings_stale_save_is_refused(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    _window, page = settings_page(qtbot, workspace)
    first = get_settings(workspace.db)
    update_settings(workspace.db, expected_version=first.version_id, actor="a", seller_name="A")
    second = get_settings(workspace.db)
    update_settings(workspace.db, expected_version=second.version_id, actor="b", seller_name="B")
    # The page still holds version 0 (before both saves); it must not overwrite "B".
    warned: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "warning",
        lambda *args, **kwargs: warned.append(str(args[2])) or QMessageBox.StandardButton.No,
    )
    type_into(qtbot, page.seller_name, "Mine")
    page.settings = second  # read before b's save
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert warned and "changed by" in warned[0]
    assert get_settings(workspace.db).seller_name == "B"
    assert page.seller_name.text() == "Mine"  # the edit is kept when not reloading


def test_plans_sort_by_column_in_sql(qtbot: QtBot, demo_workspace: Workspace) -> None:
    model = PlansModel(demo_workspace)
    model.reload()
    names = [model.plan(r).name for r in range(model.rowCount())]  # type: ignore[union-attr]
    assert names == sorted(names, key=str.lower)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert [model.plan(r).name for r in range(model.rowCount())] == sorted(
        names, key=str.lower, reverse=True
    )  # type: ignore[union-attr]
    model.sort(1, Qt.SortOrder.AscendingOrder)
    # By the names the column shows (not the stored codes): see test_catalog_sort_german.
    models = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
    assert models == sorted(models, key=str.lower)


def test_approval_policy_settings(qtbot: QtBot, workspace: Workspace) -> None:
    page = SettingsPage(workspace)
    qtbot.addWidget(page)
    page.approval_term.setValue(24)
    page.min_escalator.setText("4")
    page.max_payment_days.setValue(45)
    page.custom_attribution.setChecked(False)
    assert page.save()
    saved = get_settings(workspace.db)
    assert (
        saved.approval_term_months,
        saved.min_escalator_percent,
        saved.max_payment_terms_days,
    ) == (24, Decimal("4"), 45)
    assert saved.custom_attribution_needs_approval is False
    page.min_escalator.setText("x")
    assert not page.save_button.isEnabled()
    assert any(p.startswith("min_escalator_percent") for p in page.problems())


def test_seats_component_fields_offer_the_seats_components_ids(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLineEdit

    editor = ComponentListEditor()
    qtbot.addWidget(editor)
    editor.set_components([example("seats"), example("credits")])
    credits = editor.editors()[1]
    line = credits.findChild(QLineEdit, "field_seats_component")
    assert isinstance(line, QLineEdit) and line.completer() is not None
    assert line.completer().model().stringList() == ["seats"]  # type: ignore[attr-defined]
    assert line.placeholderText() == "e.g. seats"
    # A second seats component is offered as soon as it exists.
    editor.list.setCurrentRow(0)
    editor.kind_box.setCurrentIndex(editor.kind_box.findData("seats"))
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    ids = sorted(e.current_id() for e in editor.editors() if e.kind() == "seats")
    assert line.completer().model().stringList() == ids and len(ids) == 2  # type: ignore[attr-defined]


def test_clearing_the_governing_agreement_saves_none(qtbot: QtBot, workspace: Workspace) -> None:
    """A seller without a master agreement (or a DPA) clears the field: the order form then
    says it stands alone (docs/order-form-clauses.md); every other blank is the default."""
    window, page = settings_page(qtbot, workspace)
    assert page.legal["agreement"].text() == "Master Subscription Agreement"  # type: ignore[attr-defined]
    assert "no master agreement" in page.legal["agreement"].placeholderText()  # type: ignore[attr-defined]
    type_into(qtbot, page.legal["agreement"], "")
    type_into(qtbot, page.legal["data_processing"], "")
    assert page.problems() == []
    with qtbot.waitSignal(window.changed):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    frame = get_settings(workspace.db).legal_frame()
    assert frame.agreement == "" and frame.data_processing == ""
    assert frame.service_levels == LegalFrame().service_levels
