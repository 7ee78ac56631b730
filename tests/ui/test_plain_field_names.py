"""Messages the rep reads name the field as the form labels it and say what to do, never
the quote format's path (``economics.fixed_cost_per_month``) or a model's field name
(``price_per_outcome``); a buyer's terms.json imported as a quote says what it is."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from quote_builder.pricing import component_from_dict
from quote_builder.services import quotes as quote_service
from quote_builder.services import transfer
from quote_builder.services.core import InvalidInputError
from quote_builder.ui.component_editor import ComponentEditor
from quote_builder.ui.i18n import error_text
from quote_builder.ui.main_window import MainWindow


def _quote_file(window: MainWindow, tmp_path: Path, change: dict[str, object]) -> Path:
    db = window.workspace.db
    number = quote_service.list_quotes(db).rows[0].number
    data = json.loads(transfer.export_quote_json(db, number))
    data["economics"].update(change)
    path = tmp_path / "quote.json"
    path.write_text(json.dumps(data))
    return path


def test_a_quote_file_import_names_the_field_as_the_form_does(
    window: MainWindow, tmp_path: Path, no_blocking_dialogs: list[str]
) -> None:
    window.import_quote(_quote_file(window, tmp_path, {"fixed_cost_per_month": "-500"}))
    shown = "\n".join(no_blocking_dialogs)
    assert "Fixed cost / month: must not be negative" in shown, shown
    assert "economics." not in shown and "fixed_cost_per_month" not in shown


def test_a_terms_file_imported_as_a_quote_says_what_it_is(
    window: MainWindow, tmp_path: Path, no_blocking_dialogs: list[str]
) -> None:
    path = tmp_path / "terms.json"
    path.write_text(json.dumps({"format": "quote-builder/terms", "format_version": 1}))
    window.import_quote(path)
    shown = "\n".join(no_blocking_dialogs)
    assert "This is a customer's terms file (terms.json from a PDF), not a quote file:" in shown
    assert "expected 'quote-builder/quote'" not in shown


def test_a_problem_line_of_the_quote_format_reads_in_the_forms_words() -> None:
    error = InvalidInputError(
        ["usage_forecast.tickets_resolved.monthly: too large: must be below 1,000,000,000,000"]
    )
    text = error_text(error)
    assert "usage_forecast." not in text and ".monthly" not in text
    assert text.startswith("Usage forecast of ") and "must be below" in text


def test_the_component_form_names_its_fields_by_their_labels(qtbot: QtBot) -> None:
    component = component_from_dict(
        {
            "kind": "per_outcome",
            "id": "resolutions",
            "name": "Resolutions",
            "metric": "tickets_resolved",
            "price_per_outcome": "0.99",
            "terms": {
                "definition": "A ticket closed without a human",
                "success_criteria": "Not reopened within 7 days",
                "verification_evidence": "Helpdesk logs",
                "audit_rights": "Quarterly log export",
                "dispute_window_days": 30,
            },
        }
    )
    editor = ComponentEditor(component)
    qtbot.addWidget(editor)
    widget = editor.field_widget("price_per_outcome")
    widget.setFocus()  # type: ignore[attr-defined]
    widget.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClicks(widget, "-1")
    label = editor.findChild(QLabel, "component_errors")
    assert label is not None
    assert "Price per outcome: must not be negative" in label.text(), label.text()
    assert "price_per_outcome" not in label.text()
    assert editor.errors()  # the model's paths stay for the lists and the tests
