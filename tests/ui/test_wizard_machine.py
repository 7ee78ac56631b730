"""A model-based test of the guided flow: hypothesis types into the pages' inputs (valid and
invalid text), picks answers, edits components, loads and removes a usage log, and presses
Next and Back in any order; it checks after every step that nothing raised and that every
page shows, when the rep comes back to it, exactly what was entered there, unless what the
page is built from was changed on purpose since:

- the product and value pages prefill from the customer: only for a newly chosen customer;
- the advisor page ranks the models for the product page's category and variation: its
  ranking may change when they change (a model the rep picked stays picked);
- the components page starts from the chosen model's template for the product category:
  again only when the model or the category changed;
- the economics page has a row per billed metric whose usage follows the earlier steps
  (outcomes per month, users x actions a day x days, the usage log) and whose unit cost
  follows the value step, until the rep types over them: again when those change;
- the contract terms page lists the outcome and value-share components: again only when
  they changed;
- loading a usage log sets the users, the variation and (when the log flags seat pricing) the
  headcount answer: what the log says, shown as "Set from the log".

Inputs are found by object name (``product.users``, ``advisor.ai_is_core_value``; see
``wizard.name_inputs``), so the test follows the pages as they gain or lose fields.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QListWidget,
    QRadioButton,
    QSpinBox,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from quote_builder.pricing.components import PercentOfValue, PerOutcome
from quote_builder.pricing.quote_format import canonical_json
from quote_builder.services import quotes as quote_service
from quote_builder.services.usage import UsageAnalysis
from quote_builder.services.workspace import Workspace
from quote_builder.ui import usage_panel
from quote_builder.ui.component_editor import ComponentListEditor
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.wizard import GuidedQuote, start_guided_quote

from .stateful import (
    NUMBER_TEXTS,
    PILOT_LOG,
    FinishedJob,
    InProcessJob,
    finish_jobs,
    guarded,
    key,
    machine_settings,
    retype,
)

TEXTS = ("", "Acme", "USD", "EUR", "Northwind", "xyz", "queries=3000", "seats=0.5, x=1", "20, 40")


@pytest.fixture
def window(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win
    for editor in list(win.editors.values()):
        editor.editor.mark_saved()
        editor.close()


def inputs(page: QWidget) -> list[QWidget]:
    """The page's named inputs (``page.field``), in a stable order."""
    found = [w for w in page.findChildren(QWidget) if "." in w.objectName()]
    return sorted(found, key=lambda w: w.objectName())


def value_of(widget: QWidget) -> Any:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QSpinBox):
        return widget.value()
    if isinstance(widget, QDateEdit):
        return widget.date().toString("yyyy-MM-dd")
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QRadioButton):
        return widget.isChecked()
    if isinstance(widget, QListWidget):
        item = widget.currentItem()
        return None if item is None else item.text().split("\n")[0]
    if isinstance(widget, ComponentListEditor):
        return [(e.kind(), e.form().raw()) for e in widget.editors()]
    return None


def snapshot(page: QWidget) -> dict[str, Any]:
    return {w.objectName(): value_of(w) for w in inputs(page)}


class WizardMachine(RuleBasedStateMachine):
    sequences = 0
    steps = 0
    """How many sequences and steps ran (printed at the end: the closing note reports them)."""

    window: MainWindow
    analysis: UsageAnalysis

    def __init__(self) -> None:
        super().__init__()
        self.guard_cm = guarded()
        self.guard = self.guard_cm.__enter__()
        self.wizard: GuidedQuote | None = None
        self.left: dict[int, tuple[Any, dict[str, Any]]] = {}
        """Per page id: (what the page is built from, its inputs) when the rep left it."""
        self.finished = False

    @initialize(depth=st.integers(0, 8))
    def open_the_guided_flow(self, depth: int) -> None:
        """Open the flow and press Next up to ``depth`` times (as far as the defaults go)."""
        self.wizard = start_guided_quote(self.window)
        # The flow asks for the quote's title first (issue 17), as a rep types it.
        QTest.keyClicks(self.wizard.customer_page.title_, "Machine quote")
        self.wizard.activateWindow()
        QApplication.processEvents()
        self.next_or_back(True, depth)

    @property
    def w(self) -> GuidedQuote:
        assert self.wizard is not None
        return self.wizard

    def on(self, page: str) -> bool:
        return (
            self.wizard is not None
            and not self.finished
            and self.w.currentPage() is getattr(self.w, page)
        )

    def context(self, page: QWidget) -> Any:
        """What ``page`` is built from (see the module text)."""
        w = self.w
        if page is w.product or page is w.value:
            return w.customer_key()
        if page is w.advisor:
            # The ranking is the advisor's for the product page's category and variation
            # (the rep's own pick is kept whatever they are).
            return (w.product.category.currentData(), w.product.variation.currentData())
        if page is w.components:
            # The template is the model's for the product category (the page reloads it
            # when either changes).
            return (w.model, w.product.category.currentData())
        if page is w.economics:
            # Usage figures follow the earlier steps (the customer's outcomes, users x
            # actions a day x days, the log, the value step's unit cost) until typed over.
            return w.economics.built_from()
        if page is w.contract:
            return tuple(
                c.id
                for c in w.components.editor.components()
                if isinstance(c, PerOutcome | PercentOfValue)
            )
        return None

    # --- what the rep does on a page ------------------------------------------------------

    @rule(which=st.integers(0, 30), text=st.sampled_from(NUMBER_TEXTS + TEXTS))
    def type_into_a_field(self, which: int, text: str) -> None:
        if self.finished:
            return
        fields = [
            f
            for f in inputs(self.w.currentPage())
            if isinstance(f, QLineEdit | QSpinBox) and f.isEnabled()
        ]
        if fields:
            retype(fields[which % len(fields)], text)

    @rule(which=st.integers(0, 30), down=st.booleans())
    def step_a_choice(self, which: int, down: bool) -> None:
        """Arrow keys on a combo box, a list or a date: the choice steps."""
        if self.finished:
            return
        boxes = [
            b
            for b in inputs(self.w.currentPage())
            if isinstance(b, QComboBox | QListWidget | QDateEdit) and b.isEnabled()
        ]
        if boxes:
            key(boxes[which % len(boxes)], Qt.Key.Key_Down if down else Qt.Key.Key_Up)

    @rule(new=st.booleans())
    @precondition(lambda self: self.on("customer_page"))
    def choose_new_or_existing_customer(self, new: bool) -> None:
        button = self.w.customer_page.new if new else self.w.customer_page.existing
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    @rule(
        button=st.sampled_from(
            ("add_button", "remove_button", "up_button", "down_button", "duplicate_button")
        ),
        kind=st.integers(0, 11),
    )
    @precondition(lambda self: self.on("components"))
    def click_a_component_button(self, button: str, kind: int) -> None:
        editor = self.w.components.editor
        editor.kind_box.setCurrentIndex(kind % editor.kind_box.count())
        QTest.mouseClick(getattr(editor, button), Qt.MouseButton.LeftButton)

    @rule(which=st.integers(0, 20), text=st.sampled_from(NUMBER_TEXTS + TEXTS))
    @precondition(lambda self: self.on("components"))
    def type_into_a_component_field(self, which: int, text: str) -> None:
        current = self.w.components.editor.current_editor()
        if current is None:
            return
        fields = [w for w in current.findChildren(QLineEdit) if w.objectName().startswith("field_")]
        if fields:
            retype(fields[which % len(fields)], text)

    @rule(remove=st.booleans())
    @precondition(lambda self: self.on("usage_log"))
    def load_or_remove_the_usage_log(self, remove: bool) -> None:
        panel = self.w.usage_log.panel
        if remove:
            QTest.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
        else:
            panel.last_path = PILOT_LOG
            panel.job = FinishedJob(self.analysis)  # type: ignore[assignment]
            panel._check_job()  # the page's handler for a finished analysis
        # What the log sets on other pages is what the rep asked for: those pages now show it.
        for page in (self.w.product, self.w.advisor):
            if self.page_id(page) in self.left:
                self.left[self.page_id(page)] = (self.context(page), snapshot(page))

    def page_id(self, page: QWidget) -> int:
        return next(i for i in self.w.pageIds() if self.w.page(i) is page)

    # --- Next, Back, Finish ------------------------------------------------------------------

    @rule(forward=st.booleans(), times=st.integers(1, 8))
    def next_or_back(self, forward: bool, times: int) -> None:
        """Press Next (or Back) up to ``times`` times, stopping where the page refuses."""
        for _ in range(times):
            if self.finished or not self.press(forward):
                return

    def press(self, forward: bool) -> bool:
        w = self.w
        page = w.currentPage()
        button = w.button(
            QWizard.WizardButton.NextButton if forward else QWizard.WizardButton.BackButton
        )
        if not button.isVisible() or not button.isEnabled():
            return False
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        QApplication.processEvents()
        if w.currentPage() is page:
            assert forward and page.problem.text(), "Next refused without saying why"
            return False
        self.left[self.page_id(page)] = (self.context(page), snapshot(page))
        arrived = w.currentPage()
        remembered = self.left.get(self.page_id(arrived))
        if remembered is not None and remembered[0] == self.context(arrived):
            assert snapshot(arrived) == remembered[1], (
                f"{arrived.objectName()} lost what was entered"
            )
        return True

    @rule()
    @precondition(lambda self: self.on("review"))
    def finish(self) -> None:
        w = self.w
        button = w.button(QWizard.WizardButton.FinishButton)
        if not button.isEnabled():
            return
        document = w.document
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        QApplication.processEvents()
        if document is None:
            assert w.isVisible(), "Finish without a priced quote must not close the flow"
            return
        self.finished = True
        editor = next(iter(self.window.editors.values()))
        saved = quote_service.open_version(self.window.workspace.db, editor.quote_id).document
        numbered = document.model_copy(update={"quote_number": saved.quote_number})
        assert canonical_json(saved) == canonical_json(numbered), "the reviewed quote is saved"
        editor.close()

    @invariant()
    def nothing_raised(self) -> None:
        WizardMachine.steps += 1
        if self.wizard is not None and not self.finished:
            finish_jobs([self.w.usage_log.panel])
        QApplication.processEvents()
        self.guard.check()

    def teardown(self) -> None:
        WizardMachine.sequences += 1
        try:
            if self.wizard is not None and not self.finished:
                self.w.discard()  # teardown: close without the Discard question
            QApplication.processEvents()
            self.guard.check()
        finally:
            self.guard_cm.__exit__(None, None, None)


def test_back_and_next_keep_what_was_entered(
    qtbot: QtBot,
    window: MainWindow,
    pilot_analysis: UsageAnalysis,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from hypothesis.stateful import run_state_machine_as_test

    monkeypatch.setattr(usage_panel, "UsageJob", InProcessJob)
    WizardMachine.window = window
    WizardMachine.analysis = pilot_analysis
    run_state_machine_as_test(WizardMachine, settings=machine_settings())
    print(f"\nWizardMachine: {WizardMachine.sequences} sequences, {WizardMachine.steps} steps")
