"""The guided flow's review says, before Finish, whether version 1 will need the deal desk's
approval and why: the rep learned it only from the editor's banner after Finish."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths
from pytestqt.qtbot import QtBot

from quote_builder.services import quotes as quote_service
from quote_builder.services.workspace import Workspace
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import QuoteEditorWindow
from quote_builder.ui.wizard import GuidedQuote


@pytest.fixture
def window(qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win
    for editor in list(win.editors.values()):
        editor.close()


def review_with_discount(qtbot: QtBot, window: MainWindow, discount: str) -> GuidedQuote:
    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.customer_page.new.setChecked(True)
    wizard.customer_page.name.setText(f"Review Co {discount or 'none'}")
    wizard.customer_page.currency.setText("USD")
    wizard.customer_page.title_.setText("Review test")
    wizard.next()
    wizard.product.category.setCurrentIndex(wizard.product.category.findData("analytics_copilot"))
    wizard.product.users.setValue(40)
    wizard.product.actions_per_day.setText("5")
    wizard.next()
    wizard.next()  # no usage log
    wizard.next()  # the advisor's top model
    wizard.value.minutes.setText("15")
    wizard.value.rate.setText("75")
    wizard.value.unit_cost.setText("0.10")
    wizard.next()
    wizard.components.discount.setText(discount)
    wizard.next()
    wizard.next()  # economics as proposed
    if wizard.currentPage() is wizard.contract:
        wizard.next()
    assert wizard.currentPage() is wizard.review
    return wizard


def test_review_names_the_approval_a_discount_needs(qtbot: QtBot, window: MainWindow) -> None:
    wizard = review_with_discount(qtbot, window, "25")
    label = wizard.review.approval
    assert label.isVisibleTo(wizard)
    text = label.text()
    # The demo's own settings: a rep may give 10 %; 25 % needs more than a rep.
    assert "version 1 will need" in text and "approval before it is final" in text
    assert "25%" in text and "•" in text
    # The same as the editor's banner says once Finish has saved it.
    wizard.button(wizard.WizardButton.FinishButton).click()
    created = quote_service.list_quotes(window.workspace.db, "Review Co 25").rows[0]
    editor = window.editors[created.id]
    assert isinstance(editor, QuoteEditorWindow)
    banner = editor.banner.text()
    reason = text.split("•", 1)[1].strip()
    assert reason in banner


def test_review_says_when_no_approval_is_needed(qtbot: QtBot, window: MainWindow) -> None:
    wizard = review_with_discount(qtbot, window, "")
    text = wizard.review.approval.text()
    assert wizard.review.approval.isVisibleTo(wizard)
    assert "needs no approval" in text and "•" not in text
