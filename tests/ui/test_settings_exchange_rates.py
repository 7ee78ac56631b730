"""Settings > Exchange rates follows the page's convention: a rate set, edited, removed or
imported changes the table on the page only; Save settings saves it with the page's fields
in one transaction, Discard changes drops it, leaving the page asks first. A rate that is
not a number, zero or negative is named with its row and pair and keeps Save disabled;
nothing is half-saved. Before, each rate was saved the moment it was set. Also the page's
seller name pasted at 11 pm (500 characters, a tab and a line break)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from quote_builder.services import currencies
from quote_builder.services import settings as settings_service
from quote_builder.services.workspace import Workspace
from quote_builder.ui.locale_numbers import set_ui_locale
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.settings_view import SettingsPage

D = Decimal
DAY = dt.date(2026, 11, 2)
ABOVE_ZERO = (
    "Rate: must be above 0 and below 1,000,000,000 (units of the second currency for one "
    "of the first)."
)


def _page(qtbot: QtBot, workspace: Workspace) -> tuple[MainWindow, SettingsPage]:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    return window, page


def _set(page: SettingsPage, base: str, quote: str, rate: str, source: str = "ECB") -> None:
    box = page.exchange_rates
    box.base.setText(base)
    box.quote.setText(quote)
    box.rate.setText(rate)
    box.source.setText(source)
    box.set_rate()


def _saved(workspace: Workspace) -> dict[str, Decimal]:
    return {
        f"{r.base_currency}/{r.quote_currency}": r.rate
        for r in currencies.list_exchange_rates(workspace.db)  # type: ignore[attr-defined]
    }


def _store(workspace: Workspace, base: str, quote: str, rate: str, actor: str = "t") -> None:
    currencies.set_exchange_rate(
        workspace.db,  # type: ignore[attr-defined]
        base=base,
        quote=quote,
        rate=D(rate),
        as_of=DAY,
        source="ECB",
        actor=actor,
    )


def test_a_rate_set_is_saved_with_save_settings_and_dropped_by_discard(
    qtbot: QtBot, workspace: Workspace
) -> None:
    _window, page = _page(qtbot, workspace)
    box = page.exchange_rates
    assert not page.save_button.isEnabled() and box.pending.isHidden()
    _set(page, "usd", "eur", "0.9213")
    assert box.table.rowCount() == 1 and box.table.item(0, 2).font().italic()
    assert box.pending.text() == (
        "1 change to the exchange rates is not saved yet: Save settings saves it, Discard "
        "changes drops it."
    )
    assert page.is_dirty() and page.save_button.isEnabled() and page.revert_button.isEnabled()
    assert _saved(workspace) == {}  # nothing saved by Set rate
    qtbot.mouseClick(page.revert_button, Qt.MouseButton.LeftButton)  # Discard changes
    assert box.table.rowCount() == 0 and not page.is_dirty() and _saved(workspace) == {}
    _set(page, "USD", "EUR", "0.9213")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert _saved(workspace) == {"USD/EUR": D("0.9213")}
    assert not page.is_dirty() and not page.save_button.isEnabled() and box.pending.isHidden()
    assert not box.table.item(0, 2).font().italic()
    # The page's fields did not change: the settings' own version stays.
    assert settings_service.get_settings(workspace.db).version_id == page.settings.version_id  # type: ignore[attr-defined]


def test_leaving_the_page_with_a_rate_not_saved_asks_first(
    qtbot: QtBot, workspace: Workspace, no_blocking_dialogs: list[str]
) -> None:
    _window, page = _page(qtbot, workspace)
    _set(page, "USD", "EUR", "0.9213")
    assert not page.can_close()  # the question is answered Cancel (No) by the fixture
    assert no_blocking_dialogs == [
        "Unsaved settings | The settings have unsaved changes. Discard them?"
    ]
    assert page.exchange_rates.table.rowCount() == 1 and _saved(workspace) == {}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "USD to EUR: " + ABOVE_ZERO),
        ("-1", "USD to EUR: " + ABOVE_ZERO),
        ("", "USD to EUR: Rate: write a number"),
        (
            "1,5",
            "USD to EUR: Rate: 1,5 is not a number as written in English (United States); write 1.5",
        ),
        ("2000000000", "USD to EUR: " + ABOVE_ZERO),
        ("1e-70", "USD to EUR: Rate: must have at most 10 decimal places."),
    ],
)
def test_set_rate_refuses_a_rate_naming_the_pair(
    qtbot: QtBot, workspace: Workspace, typed: str, message: str
) -> None:
    _window, page = _page(qtbot, workspace)
    _set(page, "USD", "EUR", typed)
    box = page.exchange_rates
    assert box.message.text() == "Not put in the table:\n" + message
    assert box.table.rowCount() == 0 and not page.is_dirty()


def test_set_rate_refuses_what_is_not_a_pair_or_has_no_source(
    qtbot: QtBot, workspace: Workspace
) -> None:
    _window, page = _page(qtbot, workspace)
    _set(page, "USD", "usd", "1", source="ECB")
    assert page.exchange_rates.message.text() == (
        "Not put in the table:\nUSD to USD: To: a rate from USD to itself is always 1; give "
        "two different currencies."
    )
    _set(page, "USD", "EUR", "0.9", source="  ")
    assert page.exchange_rates.message.text() == (
        "Not put in the table:\nUSD to EUR: Source: say where the rate comes from (e.g. ECB "
        "reference rate)."
    )
    assert page.exchange_rates.table.rowCount() == 0


def test_1e3_is_a_thousand_and_shown_as_such(qtbot: QtBot, workspace: Workspace) -> None:
    _window, page = _page(qtbot, workspace)
    _set(page, "USD", "KRW", "1e3")
    assert page.exchange_rates.table.item(0, 2).text() == "1000"  # what it was read as
    assert page.save()
    assert _saved(workspace) == {"USD/KRW": D("1000")}


def test_a_german_reader_types_1_comma_5(qtbot: QtBot, workspace: Workspace) -> None:
    set_ui_locale("de_DE")
    try:
        _window, page = _page(qtbot, workspace)
        _set(page, "EUR", "CHF", "1,5")
        assert page.exchange_rates.table.item(0, 2).text() == "1,5"
        _set(page, "EUR", "GBP", "0.85")  # an English decimal point, refused in German
        assert page.exchange_rates.message.text() == (
            "Not put in the table:\nEUR to GBP: Rate: 0.85 is not a number as written in "
            "German (Germany); write 0,85"
        )
        assert page.save()
    finally:
        set_ui_locale("en_US")
    assert _saved(workspace) == {"EUR/CHF": D("1.5")}


def test_an_invalid_rate_in_the_table_is_named_with_its_row_and_nothing_is_saved(
    qtbot: QtBot, workspace: Workspace
) -> None:
    _store(workspace, "USD", "EUR", "0.9213")
    _store(workspace, "USD", "JPY", "152.37")
    _window, page = _page(qtbot, workspace)
    box = page.exchange_rates
    assert [box.table.item(r, 1).text() for r in range(2)] == ["EUR", "JPY"]
    page.seller_name.setText("Acme AI GmbH")  # a field changed too: saved with it, or not
    box.table.item(1, 2).setData(Qt.ItemDataRole.EditRole, "0")  # as the cell's editor does
    assert page.problems()[-1] == "Exchange rates, row 2 (USD to JPY): " + ABOVE_ZERO
    assert ("Exchange rates, row 2 (USD to JPY): " + ABOVE_ZERO) in page.error_label.text()
    assert box.table.item(1, 2).toolTip() == ABOVE_ZERO
    assert not page.save_button.isEnabled() and not page.save()
    box.table.item(0, 4).setData(Qt.ItemDataRole.EditRole, "")  # no source for row 1
    assert "Exchange rates, row 1 (USD to EUR): Source: say where the rate comes from" in (
        page.error_label.text()
    )
    assert _saved(workspace) == {"USD/EUR": D("0.9213"), "USD/JPY": D("152.37")}
    assert settings_service.get_settings(workspace.db).seller_name != "Acme AI GmbH"  # type: ignore[attr-defined]
    box.table.item(1, 2).setData(Qt.ItemDataRole.EditRole, "150.5")
    box.table.item(0, 4).setData(Qt.ItemDataRole.EditRole, "ECB reference rate")
    box.table.item(0, 3).setData(Qt.ItemDataRole.EditRole, QDate(2026, 11, 30))
    assert page.problems() == [] and page.save_button.isEnabled()
    assert page.save()
    saved = {r.quote_currency: r for r in currencies.list_exchange_rates(workspace.db)}  # type: ignore[attr-defined]
    assert saved["JPY"].rate == D("150.5")
    assert (saved["EUR"].source, saved["EUR"].as_of) == (
        "ECB reference rate",
        dt.date(2026, 11, 30),
    )
    assert settings_service.get_settings(workspace.db).seller_name == "Acme AI GmbH"  # type: ignore[attr-defined]


def test_remove_is_saved_with_the_page(qtbot: QtBot, workspace: Workspace) -> None:
    _store(workspace, "USD", "EUR", "0.9213")
    _window, page = _page(qtbot, workspace)
    box = page.exchange_rates
    box.table.selectRow(0)
    qtbot.mouseClick(box.remove_button, Qt.MouseButton.LeftButton)
    assert box.table.rowCount() == 0 and page.is_dirty()
    assert _saved(workspace) == {"USD/EUR": D("0.9213")}
    _set(page, "USD", "EUR", "0.95")  # set again before saving: the same rate, changed
    assert box.removed == [] and box.rows[0].stored is not None
    assert page.save()
    assert _saved(workspace) == {"USD/EUR": D("0.95")}
    box.table.selectRow(0)
    box.remove()
    assert page.save()
    assert _saved(workspace) == {}


def test_someone_else_s_change_meanwhile_is_not_overwritten(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process changed the rate after the page showed it: Save is refused with who
    and when, the page's field is not saved either, and the user may reload."""
    _store(workspace, "USD", "EUR", "0.9213")
    _window, page = _page(qtbot, workspace)
    page.seller_name.setText("Acme AI GmbH")
    page.exchange_rates.table.item(0, 2).setData(Qt.ItemDataRole.EditRole, "0.92")
    _store(workspace, "USD", "EUR", "0.95", actor="maria")  # the other process
    asked: list[str] = []

    def reload(_parent: object, title: str, text: str, *_args: object) -> object:
        asked.append(f"{title} | {text}")
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "warning", reload)
    assert not page.save()
    assert asked and asked[0].startswith(
        "The settings were changed by someone else | The exchange rate from USD to EUR was "
        "changed by maria at "
    )
    assert _saved(workspace) == {"USD/EUR": D("0.95")}
    assert settings_service.get_settings(workspace.db).seller_name != "Acme AI GmbH"  # type: ignore[attr-defined]
    # Reloaded: maria's rate is shown, the page holds no edits.
    assert page.exchange_rates.table.item(0, 2).text() == "0.95" and not page.is_dirty()


def test_import_csv_fills_the_table_and_save_saves_it(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    _store(workspace, "USD", "EUR", "0.9213")
    _window, page = _page(qtbot, workspace)
    csv = tmp_path / "rates.csv"
    csv.write_text(
        "From,To,Rate,Date,Source\nUSD,EUR,0.93,2026-11-30,ECB\nUSD,JPY,152.37,2026-11-30,BoJ\n"
    )
    page.exchange_rates.import_file(csv)
    assert page.exchange_rates.table.rowCount() == 2 and _saved(workspace) == {
        "USD/EUR": D("0.9213")
    }
    bad = tmp_path / "bad.csv"
    bad.write_text("From,To,Rate,Date,Source\nUSD,GBP,0,2026-11-30,ECB\n")
    page.exchange_rates.import_file(bad)  # all or nothing: the table is left as it was
    assert page.exchange_rates.message.text().startswith("Nothing was imported:\nline 2, Rate:")
    assert page.exchange_rates.table.rowCount() == 2
    assert page.save()
    assert _saved(workspace) == {"USD/EUR": D("0.93"), "USD/JPY": D("152.37")}


def test_a_500_character_seller_name_is_named_not_cut_and_a_pasted_one_is_one_line(
    qtbot: QtBot, workspace: Workspace
) -> None:
    """Before: the field cut a 500-character paste to 200 without a word, and kept a
    pasted tab or line break, which then headed every proposal."""
    _window, page = _page(qtbot, workspace)
    page.seller_name.setText("Acme AI " * 62 + "Ltd.")
    assert len(page.seller_name.text()) == 500
    assert "Name: must be at most 200 characters" in page.error_label.text()
    assert not page.save_button.isEnabled() and not page.save()
    page.seller_name.setText("Acme\tAI\nGmbH")
    assert page.save()
    assert settings_service.get_settings(workspace.db).seller_name == "Acme AI GmbH"  # type: ignore[attr-defined]
