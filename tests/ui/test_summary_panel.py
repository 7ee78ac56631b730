"""The summary panel judges margins by the quote's own floor (the one its warnings, the
approval policy and the PDF use) and by the playbook's range for its model; it says so in
words when the Settings floor has moved since the quote was priced."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QStandardPaths, Qt
from pytestqt.qtbot import QtBot

from quote_builder.pricing import price
from quote_builder.services import quotes as quote_service
from quote_builder.services.settings import get_settings, update_settings
from quote_builder.services.workspace import Workspace
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import open_quote_editor
from quote_builder.ui.summary_panel import AMBER, GREEN, RED, SummaryPanel

from ..pricing.factories import make_quote


def years_text(panel: SummaryPanel) -> str:
    """The margins by contract year (the table, in colour) and the notes under them."""
    return panel.years.text() + "\n" + panel.years_notes.text()


def seats_deal(model: str, fixed_cost: str, floor: str) -> Any:
    """10 seats at 100 = 1,000 a month; COGS = the fixed cost."""
    return make_quote(
        pricing_model=model,
        components=[
            {"kind": "seats", "id": "s", "name": "Seats", "seats": 10, "price_per_seat": "100"}
        ],
        economics={"fixed_cost_per_month": fixed_cost, "margin_floor_percent": floor},
    )


@pytest.mark.parametrize(
    ("model", "fixed_cost", "floor", "colour", "warning"),
    [
        # (1,000 - 430) / 1,000 = 57.0 %: inside seats + credits' 55-65 %, above 50 %
        ("seats_credits", "430", "50", GREEN, None),
        # (1,000 - 380) / 1,000 = 62.0 %: above the 60 % floor, below outcome-based 65-75 %
        ("outcome_based", "380", "60", AMBER, "MARGIN_BELOW_MODEL_RANGE"),
        # 57.0 % below a 60 % floor
        ("seats_credits", "430", "60", RED, "MARGIN_BELOW_FLOOR"),
    ],
)
def test_margin_colour_follows_the_warnings(
    qtbot: QtBot, model: str, fixed_cost: str, floor: str, colour: str, warning: str | None
) -> None:
    panel = SummaryPanel()
    qtbot.addWidget(panel)
    priced = price(seats_deal(model, fixed_cost, floor))
    panel.show_priced(priced, Decimal(floor))
    text = years_text(panel)
    assert f"color:{colour}" in text
    assert f"Floor: {floor}%" in text
    assert "Settings now say" not in text  # the same floor
    # The code is the item's data; the tooltip is words (issue 17: no codes or paths shown).
    items = [panel.warnings.item(i) for i in range(panel.warnings.count())]
    codes = [item.data(Qt.ItemDataRole.UserRole) or "" for item in items]
    margin_codes = {c for c in codes if c.startswith("MARGIN_")}
    assert not any("MARGIN_" in item.toolTip() for item in items)
    assert margin_codes == ({warning} if warning else set())


def test_panel_shows_the_quote_floor_and_says_when_settings_differ(qtbot: QtBot) -> None:
    panel = SummaryPanel()
    qtbot.addWidget(panel)
    # Platform 1,000 - fixed 300 = 70.0 % against the quote's 60 % floor; Settings say 85 %.
    priced = price(
        make_quote(economics={"fixed_cost_per_month": "300", "margin_floor_percent": "60"})
    )
    panel.show_priced(priced, Decimal(85))
    text = years_text(panel)
    assert "Floor: 60%" in text and "Floor: 85%" not in text
    assert "Settings now say 85%; this quote was priced with 60%." in text
    assert f"color:{GREEN}" in text  # 70.0 % clears the quote's floor
    assert panel.warnings.item(0).text() == "No warnings."


def test_editor_panel_uses_the_saved_quote_floor(
    qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path
) -> None:
    QStandardPaths.setTestModeEnabled(True)
    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    db = demo_workspace.db
    row = quote_service.list_quotes(db, status="draft").rows[0]
    document = quote_service.open_version(db, row.id).document
    quote_floor = document.economics.margin_floor_percent
    settings = get_settings(db)
    update_settings(
        db, expected_version=settings.version_id, actor="t", margin_floor_percent=Decimal("85")
    )
    editor = open_quote_editor(window, row.id)
    try:
        text = years_text(editor.editor.summary)
        assert f"Floor: {quote_floor}%" in text
        assert f"Settings now say 85%; this quote was priced with {quote_floor}%." in text
    finally:
        editor.close()


def test_panel_names_recurring_fees_and_first_year_spend_apart(qtbot: QtBot) -> None:
    panel = SummaryPanel()
    qtbot.addWidget(panel)
    # 1,000 a month + 2,500 onboarding: ACV 12,000 (recurring), year-1 spend 14,500.
    onboarding = {"kind": "one_time_fee", "id": "o", "name": "Onboarding", "amount": "2500"}
    fee = {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "1000"}
    panel.show_priced(price(make_quote(components=[fee, onboarding])))
    # In the user's locale (issue 17: never "12000.00 USD").
    assert panel.annual.text() == "$12,000.00"
    assert panel.first_year_spend.text() == "$14,500.00"
    assert "without one-time fees" in panel.annual.toolTip()
    assert "one-time fees included" in panel.first_year_spend.toolTip()


def test_amounts_and_percents_follow_the_users_locale(qtbot: QtBot) -> None:
    from quote_builder.ui import locale_format

    panel = SummaryPanel()
    qtbot.addWidget(panel)
    fee = {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "1000.5"}
    locale_format.set_locale("de_DE")
    panel.show_priced(price(make_quote(components=[fee])))
    # 1,000.50 x 12 = 12,006.00, written the German way.
    assert panel.annual.text() == "12.006,00\xa0$"
    locale_format.set_locale("en_US")
    panel.show_priced(price(make_quote(components=[fee])))
    assert panel.annual.text() == "$12,006.00"


def test_the_usage_logs_monthly_bill_has_the_panels_width_in_german(qtbot: QtBot) -> None:
    """Beside its label "Monatsrechnung (Protokoll)" the range had the value column's few
    pixels at 1366x768: "1.085,50 $ – / 1.618,00 $ / ruhigster / bis / intensivster / von 3
    / Monaten / Median- / Monat / 1.330,00 $". Under its label, each of its three lines is
    one line."""
    from dataclasses import replace

    from quote_builder.pricing.evidence import EvidenceBills
    from quote_builder.ui import i18n, locale_format

    bills = EvidenceBills(
        months=(object(), object(), object()),  # type: ignore[arg-type]
        low=Decimal("1085.50"),
        expected=Decimal("1330.00"),
        high=Decimal("1618.00"),
        average=Decimal("1330.00"),
        margin_percent=None,
        feeds=(),
        notes=(),
    )
    i18n.use_language("de")
    locale_format.set_locale("de_DE")
    try:
        panel = SummaryPanel()
        qtbot.addWidget(panel)
        panel.setFixedWidth(320)  # the editor's summary column at 1366x768
        panel.show()
        panel.show_bill_range(replace(bills), "USD")
        qtbot.waitExposed(panel)
        text = panel.bill_range.text()
        lines = text.split("\n")
        assert lines[1] == "ruhigster bis intensivster von 3 Monaten", lines
        label = panel.bill_range
        margins = label.contentsMargins()
        room = label.width() - margins.left() - margins.right()
        widest = max(label.fontMetrics().horizontalAdvance(line) for line in lines)
        assert widest <= room, f"{widest} > {room}"
        assert panel.totals_form.isRowVisible(panel.bill_range_label)
    finally:
        i18n.use_language("en")
        locale_format.set_locale("en_US")
