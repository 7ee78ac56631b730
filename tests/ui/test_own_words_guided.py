"""The lead's walk-through: a German rep's guided flow ("Neues Angebot…") for a German
customer, the playbook's outcome template for AI customer support, then the quote's German
order form and proposal. They printed the template's English defaults ("Resolved tickets",
"Monthly minimum", "Prüfungsrechte: The customer may audit ...", "36.000 tickets resolved");
now every default the app wrote reaches the German (and a Japanese) buyer in their language,
while the rep's own outcome definition prints as typed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from quote_builder.documents.own_words import METRIC_UNITS, own_texts
from quote_builder.pricing.playbook import PricingModel
from quote_builder.services import quotes as quote_service
from quote_builder.services.documents import render_saved_quote
from quote_builder.services.workspace import Workspace
from quote_builder.ui import i18n
from quote_builder.ui.component_editor import NEW_COMPONENT_FIELDS, new_component
from quote_builder.ui.main_window import MainWindow
from tests.documents.test_languages import text_nodes
from tests.documents.test_own_words import english_in

from .stateful import retype
from .test_guided_numbers import (
    open_wizard,
    pick_existing,
    pick_model,
    press_next,
    to_page,
    to_review,
)


@pytest.fixture
def window(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    i18n.use_language("de")  # the rep's window speaks German (the conftest switches back)
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win
    for editor in list(win.editors.values()):
        editor.editor.mark_saved()
        editor.close()


def test_a_german_reps_template_quote_reaches_a_german_buyer_in_german(
    qtbot: QtBot, window: MainWindow
) -> None:
    wizard = open_wizard(qtbot, window)
    pick_existing(wizard, "Fabrikam")  # Germany: its documents are German
    press_next(wizard)
    product = wizard.product
    product.category.setCurrentIndex(product.category.findData("customer_support"))
    retype(product.outcomes, "3000")  # resolved tickets a month: 36,000 a year
    to_page(wizard, wizard.advisor)
    pick_model(wizard, PricingModel.OUTCOME_BASED)
    to_page(wizard, wizard.components)
    retype(wizard.components.discount, "5")
    to_review(wizard)
    document = wizard.document
    assert document is not None
    # The quote holds the app's defaults in no language (the German window wrote no
    # "Rabatt" a French buyer would read), the rep's outcome definition as typed.
    assert [c.name for c in document.components] == ["Resolved tickets", "Monthly minimum"]
    assert [d.description for d in document.discounts] == ["Discount"]
    outcome = document.components[0]
    assert outcome.terms.audit_rights in own_texts()  # type: ignore[attr-defined]
    typed = outcome.terms.definition  # type: ignore[attr-defined]
    assert typed and typed not in own_texts()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    db = window.workspace.db
    number = max(row.number for row in quote_service.list_quotes(db, "Fabrikam").rows)

    german = render_saved_quote(db, number, kind="both")
    assert german.request.language == "de"
    text = " ".join(text_nodes(german.result.html["both"]))
    assert english_in(text, "de") == []
    for words in (
        "Gelöste Tickets",
        "Monatlicher Mindestumsatz",
        "Der Kunde kann die Ergebnisaufzeichnungen zu jeder Rechnung einmal pro "
        "Vertragsjahr prüfen.",
        "36.000 gelöste Tickets",
        "Rabatt",
    ):
        assert words in text, words
    assert typed in text  # the rep's words, as typed

    japanese = render_saved_quote(db, number, kind="both", language="ja")
    text = " ".join(text_nodes(japanese.result.html["both"]))
    assert english_in(text, "ja") == []
    assert "解決済みチケット" in text and "月間最低利用額" in text


def test_a_new_component_in_the_editor_starts_with_the_apps_own_words() -> None:
    """The editor's Add: a component named by its kind, counting a metric the app names;
    both print in the document's language (``own_words``)."""
    for kind in NEW_COMPONENT_FIELDS:
        component = new_component(kind)
        assert component.name in own_texts(), kind
        assert set(component.metrics()) <= set(METRIC_UNITS), kind
