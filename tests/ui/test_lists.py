"""The quote and customer lists: models without windows (qtmodeltester, lazy pages, SQL sort
and search), then the pages driven with real clicks and keys."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from quote_builder.services import customers as customer_service
from quote_builder.services import quotes as quote_service
from quote_builder.services.core import Changes
from quote_builder.services.workspace import Workspace
from quote_builder.store.models import QUOTE_STATUSES, Customer
from quote_builder.ui.customers_view import CustomersPage, customer_model
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quotes_view import QuotesPage, format_money, quote_model
from quote_builder.ui.table_model import FIRST_PAGE_SIZE, ID_ROLE, PAGE_SIZE, RAW_ROLE

MANY = 450  # the first page and more than two pages of PAGE_SIZE


def add_customers(workspace: Workspace, count: int = MANY) -> None:
    now = dt.datetime.now(dt.UTC)
    rows = [
        {
            "name": f"Customer {i:04d}",
            "currency": "USD",
            "country": ("Austria", "Belgium", "Chile")[i % 3],
            "crm_id": f"CRM-{i}",
            "version_id": 1,
            "created_at": now,
            "updated_at": now - dt.timedelta(minutes=i),
            "updated_by": "loader",
        }
        for i in range(count)
    ]
    with workspace.db.write() as session:
        session.connection().execute(insert(Customer), rows)


@pytest.fixture(autouse=True)
def no_blocking_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """A question left unanswered (closing a page with unsaved edits at teardown) must not
    block the test run: answer Discard unless a test says otherwise."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)


@pytest.fixture
def many_customers(workspace: Workspace) -> Workspace:
    add_customers(workspace)
    return workspace


# --- models without windows -------------------------------------------------------------


def test_customer_model_passes_the_model_tester(
    qtmodeltester: Any, many_customers: Workspace
) -> None:
    model = customer_model(many_customers)
    qtmodeltester.check(model, force_py=True)


def test_quote_model_passes_the_model_tester(qtmodeltester: Any, demo_workspace: Workspace) -> None:
    model = quote_model(demo_workspace)
    assert model.rowCount() == 5
    qtmodeltester.check(model, force_py=True)


def test_rows_load_lazily_a_page_at_a_time(many_customers: Workspace) -> None:
    model = customer_model(many_customers)
    assert model.total == MANY
    assert model.rowCount() == FIRST_PAGE_SIZE
    assert model.canFetchMore(QModelIndex())
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    model.fetchMore(QModelIndex())
    assert model.rowCount() == FIRST_PAGE_SIZE + PAGE_SIZE
    model.fetchMore(QModelIndex())
    assert model.rowCount() == MANY
    assert not model.canFetchMore(QModelIndex())
    assert inserted == [(60, 259), (260, 449)]
    names = [model.index(r, 0).data() for r in range(MANY)]
    assert names == sorted(names)  # the pages join up in the SQL order, no gaps or repeats
    assert len(set(names)) == MANY


def test_sort_requeries_in_sql(many_customers: Workspace) -> None:
    model = customer_model(many_customers)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert (
        model.index(0, 0).data() == f"Customer {MANY - 1:04d}"
    )  # the last of all, not of the page
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert model.index(0, 1).data() == "Austria"
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 1).data() == "Chile"
    assert len(resets) == 3
    model.sort(4, Qt.SortOrder.AscendingOrder)  # CRM id: not sortable, ignored
    assert len(resets) == 3 and model.sort_column == 1


def test_search_requeries_with_the_sql_filter(many_customers: Workspace) -> None:
    model = customer_model(many_customers)
    model.set_search("Customer 004")
    assert model.total == 10
    assert [model.index(r, 0).data() for r in range(3)] == [
        "Customer 0040",
        "Customer 0041",
        "Customer 0042",
    ]
    model.set_search("crm-123")  # the CRM id matches too, whatever the case
    assert model.index(0, 4).data() == "CRM-123"
    model.set_search("no such customer")
    assert model.rowCount() == 0 and model.total == 0 and not model.canFetchMore(QModelIndex())
    model.set_search("")
    assert model.total == MANY


def test_data_returns_none_for_what_it_does_not_handle(demo_workspace: Workspace) -> None:
    model = quote_model(demo_workspace)
    index = model.index(0, 3)
    assert index.data(RAW_ROLE) in QUOTE_STATUSES
    assert isinstance(index.data(ID_ROLE), int)
    assert index.data(Qt.ItemDataRole.DecorationRole) is None
    assert index.data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.data(QModelIndex()) is None
    assert model.data(model.createIndex(99, 0)) is None
    assert model.headerData(99, Qt.Orientation.Horizontal) is None
    assert model.headerData(0, Qt.Orientation.Vertical) is None


def test_money_is_formatted_from_decimal_with_the_currency_minor_unit() -> None:
    from quote_builder.pricing.money import Money

    assert format_money(Money.of("1234567.5", "USD")) == "$1,234,567.50"
    assert format_money(Money.of("1234567", "JPY")) == "¥1,234,567"
    assert format_money(Money.of("12.345", "BHD")).endswith("12.345")


def test_a_failed_load_is_reported_not_raised(workspace: Workspace) -> None:
    from quote_builder.services.core import ServiceError
    from quote_builder.ui.table_model import ServiceTableModel

    def broken(text: str, **kwargs: Any) -> Any:
        raise ServiceError("the database is locked")

    model = ServiceTableModel([], broken, row_id=lambda r: 0)
    assert model.error == "the database is locked" and model.rowCount() == 0
    assert not model.canFetchMore(QModelIndex())


# --- the Quotes page ------------------------------------------------------------------------


@pytest.fixture
def window(qtbot: QtBot, demo_workspace: Workspace) -> MainWindow:
    main = MainWindow(demo_workspace)
    qtbot.addWidget(main)
    main.show()  # real clicks need laid-out, visible widgets
    qtbot.waitExposed(main)
    return main


def quotes_page(window: MainWindow) -> QuotesPage:
    page = window.show_page("quotes")
    assert isinstance(page, QuotesPage)
    return page


def test_typing_in_the_search_box_filters_the_quotes(qtbot: QtBot, window: MainWindow) -> None:
    page = quotes_page(window)
    assert page.model.total == 5
    qtbot.keyClicks(page.search, "contoso")
    qtbot.waitUntil(lambda: page.model.total == 1)
    assert page.model.index(0, 1).data() == "Contoso Legal"
    assert page.count_label.text() == "1 quote"
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.total == 5)


def test_ctrl_f_focuses_the_search_box(qtbot: QtBot, window: MainWindow) -> None:
    window.show()
    qtbot.waitExposed(window)
    page = quotes_page(window)
    window.activateWindow()
    page.view.setFocus()
    window.find_action.trigger()
    assert page.search.hasFocus() or window.focusWidget() is page.search


def test_the_status_filter_shows_one_status(qtbot: QtBot, window: MainWindow) -> None:
    page = quotes_page(window)
    page.status_filter.setCurrentIndex(page.status_filter.findData("draft"))
    statuses = {page.model.index(r, 3).data(RAW_ROLE) for r in range(page.model.rowCount())}
    # The demo's quotes: four drafts and one pending approval (issue 15: the demo no longer
    # marks quotes sent by hand; only Finalise sends).
    assert statuses == {"draft"} and page.model.total == 4
    page.status_filter.setCurrentIndex(0)
    assert page.model.total == 5


def test_double_click_and_enter_open_the_quote(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[int] = []
    monkeypatch.setattr(window, "open_quote", opened.append)
    window.show()
    qtbot.waitExposed(window)
    page = quotes_page(window)
    first = page.model.index(1, 0)
    rect = page.view.visualRect(first)
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [page.model.id_at(1)]
    page.view.setFocus()
    page.view.setCurrentIndex(page.model.index(2, 0))
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert opened == [page.model.id_at(1), page.model.id_at(2)]


def test_new_quote_button_starts_the_guided_flow(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[bool] = []
    monkeypatch.setattr(window, "new_quote", lambda: started.append(True))
    qtbot.mouseClick(quotes_page(window).new_button, Qt.MouseButton.LeftButton)
    assert started == [True]


def test_duplicate_makes_a_new_draft_and_refreshes(qtbot: QtBot, window: MainWindow) -> None:
    page = quotes_page(window)
    assert not page.duplicate_button.isEnabled()
    page.view.selectRow(0)
    source = page.model.row_at(0)
    assert page.duplicate_button.isEnabled()
    broadcast: list[Changes] = []
    window.changed.connect(broadcast.append)
    qtbot.mouseClick(page.duplicate_button, Qt.MouseButton.LeftButton)
    assert page.model.total == 6
    assert broadcast and broadcast[0].quotes
    new_id = page.selected_id()
    assert new_id is not None and new_id != source.id
    copy = quote_service.get_quote(window.workspace.db, new_id)
    assert copy.status == "draft" and copy.tcv == source.tcv
    assert page.message.text() == f"Created draft {copy.number} from {source.number}."


def test_refresh_requeries_only_for_quote_or_customer_changes(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = quotes_page(window)
    reloads: list[bool] = []
    original = page.model.reload
    monkeypatch.setattr(page.model, "reload", lambda: (reloads.append(True), original()))
    page.refresh(Changes.of(plans=[1]))
    page.refresh(Changes(settings=True))
    assert reloads == []
    page.refresh(Changes.of(customers=[1]))
    page.refresh(Changes.of(quotes=[1]))
    assert len(reloads) == 2


# --- the Customers page ---------------------------------------------------------------------


def customers_page(window: MainWindow) -> CustomersPage:
    page = window.show_page("customers")
    assert isinstance(page, CustomersPage)
    return page


def field(page: CustomersPage, name: str) -> QLineEdit:
    """The line a user types into (the country's is the searchable list's own line)."""
    widget = page.form.inputs[name]
    if isinstance(widget, QComboBox) and widget.lineEdit() is not None:
        widget = widget.lineEdit()
    assert isinstance(widget, QLineEdit)
    return widget


def select_named(page: CustomersPage, name: str) -> int:
    for row in range(page.model.rowCount()):
        if page.model.index(row, 0).data(RAW_ROLE) == name:
            page.view.selectRow(row)
            customer_id = page.model.id_at(row)
            assert customer_id is not None
            return customer_id
    raise AssertionError(f"{name} is not in the list")


def test_create_a_customer(qtbot: QtBot, window: MainWindow) -> None:
    page = customers_page(window)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert page.heading.text() == "New customer" and not page.save_button.isEnabled()
    qtbot.keyClicks(field(page, "name"), "Umbrella Research")
    qtbot.keyClicks(field(page, "country"), "Japan")
    field(page, "currency").clear()
    qtbot.keyClicks(field(page, "currency"), "jpy")
    qtbot.keyClicks(field(page, "seats"), "1,200")
    qtbot.keyClicks(field(page, "loaded_hourly_rate"), "8500.50")
    assert page.save_button.isEnabled()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    found = customer_service.search_customers(window.workspace.db, "Umbrella").rows
    assert len(found) == 1
    created = found[0]
    assert (created.currency, created.seats, created.country) == ("JPY", 1200, "Japan")
    assert str(created.loaded_hourly_rate) == "8500.50"  # Decimal from the text, never a float
    assert created.updated_by == "tester"
    assert page.model.total == 6 and page.heading.text() == "Umbrella Research"
    assert not page.save_button.isEnabled()


def test_invalid_fields_show_the_reason_and_block_saving(qtbot: QtBot, window: MainWindow) -> None:
    page = customers_page(window)
    select_named(page, "Contoso Legal")
    email = field(page, "billing_email")
    email.clear()
    qtbot.keyClicks(email, "not-an-email")
    assert not page.form.errors["billing_email"].isHidden()
    assert "is not an email address" in page.form.errors["billing_email"].text()
    assert not page.save_button.isEnabled()
    currency = field(page, "currency")
    currency.clear()
    qtbot.keyClicks(currency, "ZZZ")
    assert "Unknown currency 'ZZZ'" in page.form.errors["currency"].text()
    seats = field(page, "seats")
    seats.clear()
    qtbot.keyClicks(seats, "many")
    # The one number parser's sentence (issue 12); a number that is not whole is still
    # "Enter a whole number".
    assert page.form.errors["seats"].text() == (
        "Seats: many is not a number as written in English (United States) (e.g. 1,234.5)."
    )
    seats.clear()
    qtbot.keyClicks(seats, "12.5")
    assert page.form.errors["seats"].text() == "Enter a whole number, e.g. 250."
    seats.clear()
    # 1.2 in English, or 1,200 to a German writer: refused as ambiguous (the guided flow's
    # walk-through found 4.000 read silently as 4), not read as 1.2.
    qtbot.keyClicks(seats, "1.200")
    assert page.form.errors["seats"].text() == (
        "Seats: 1.200 could mean 1.2 or 1,200; write 1.2 or 1,200."
    )
    name = field(page, "name")
    name.clear()
    qtbot.keyClick(name, Qt.Key.Key_Space)
    qtbot.keyClick(name, Qt.Key.Key_Backspace)
    assert page.form.errors["name"].text() == "A customer needs a name."
    email.clear()
    qtbot.keyClicks(email, "ap@contoso.example")
    currency.clear()
    qtbot.keyClicks(currency, "EUR")
    seats.clear()
    qtbot.keyClicks(name, "Contoso")
    assert page.form.errors["billing_email"].isHidden()
    assert page.save_button.isEnabled()


def test_edit_a_customer(qtbot: QtBot, window: MainWindow) -> None:
    page = customers_page(window)
    customer_id = select_named(page, "Fabrikam Analytics")
    notes = page.form.inputs["notes"]
    qtbot.keyClicks(notes, "Renewal in March.")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    saved = customer_service.get_customer(window.workspace.db, customer_id)
    assert saved.notes == "Renewal in March." and saved.version_id == 2
    assert page.banner.isHidden()


def test_a_stale_save_shows_who_changed_it_and_offers_to_reload(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = customers_page(window)
    customer_id = select_named(page, "Globex Engineering")
    opened = customer_service.get_customer(window.workspace.db, customer_id)
    customer_service.update_customer(
        window.workspace.db,
        customer_id,
        {"country": "Canada"},
        expected_version=opened.version_id,
        actor="maria",
    )
    qtbot.keyClicks(field(page, "legal_name"), " Inc")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert not page.banner.isHidden()
    assert "maria changed this customer at" in page.banner_text.text()
    assert not page.reload_button.isHidden()
    assert customer_service.get_customer(window.workspace.db, customer_id).country == "Canada"
    qtbot.mouseClick(page.reload_button, Qt.MouseButton.LeftButton)
    assert field(page, "country").text() == "Canada"
    assert page.banner.isHidden() and not page.save_button.isEnabled()


def test_delete_is_refused_for_a_customer_with_quotes(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Refused before the confirm (issue 17): never asked "Delete …?" first.
    asked: list[object] = []
    told: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes
    )
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    page = customers_page(window)
    select_named(page, "Initech Sales")
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert asked == []
    assert told and "cannot be deleted" in told[0] and "Archive it instead" in told[0]
    assert page.model.total == 5


def test_archive_restore_and_delete(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    db = window.workspace.db
    lonely = customer_service.create_customer(db, {"name": "Lonely Co"}, actor="t").value
    page = customers_page(window)
    page.refresh(Changes.of(customers=[lonely.id]))
    select_named(page, "Lonely Co")
    qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)
    assert customer_service.get_customer(db, lonely.id).archived
    assert page.archive_button.text() == "Restore" and page.model.total == 5
    qtbot.mouseClick(page.show_archived, Qt.MouseButton.LeftButton)
    assert page.model.total == 6
    qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)
    assert not customer_service.get_customer(db, lonely.id).archived
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert customer_service.search_customers(db, "Lonely").total == 0
    assert page.heading.text() == "No customer selected"


def test_add_and_delete_contacts(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page = customers_page(window)
    customer_id = select_named(page, "Northwind Support")
    before = page.contacts.rowCount()
    qtbot.keyClicks(page.contact_inputs["name"], "Zoe Quinn")
    qtbot.keyClicks(page.contact_inputs["email"], "zoe@")
    qtbot.mouseClick(page.add_contact_button, Qt.MouseButton.LeftButton)
    assert "is not an email address" in page.banner_text.text()
    page.contact_inputs["email"].clear()
    qtbot.keyClicks(page.contact_inputs["email"], "zoe@northwind.example")
    qtbot.keyClick(page.contact_inputs["email"], Qt.Key.Key_Return)
    assert page.contacts.rowCount() == before + 1
    names = [c.name for c in customer_service.list_contacts(window.workspace.db, customer_id)]
    assert "Zoe Quinn" in names
    row = next(
        r for r in range(page.contacts.rowCount()) if page.contacts.item(r, 0).text() == "Zoe Quinn"
    )
    page.contacts.selectRow(row)
    qtbot.mouseClick(page.delete_contact_button, Qt.MouseButton.LeftButton)
    assert page.contacts.rowCount() == before


def test_switching_customer_with_unsaved_edits_asks(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def cancel(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", cancel)
    page = customers_page(window)
    select_named(page, "Contoso Legal")
    qtbot.keyClicks(field(page, "country"), " (East)")
    select_named(page, "Fabrikam Analytics")
    assert asked and "Contoso Legal" in asked[0]
    assert page.heading.text() == "Contoso Legal"
    assert field(page, "country").text().endswith("(East)")
    assert not page.can_close()


def import_from(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))


def test_csv_import_errors_are_shown_line_by_line(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Company name,Currency,Billing email\nGood Co,USD,a@good.example\nBad Co,XYZ,x@bad.example\n"
        "Worse Co,EUR,nope\n",
        "utf-8",
    )
    import_from(monkeypatch, bad)
    page = customers_page(window)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    dialog = page.import_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.heading.text().startswith("Nothing was imported from bad.csv")
    lines = dialog.details.toPlainText().splitlines()
    assert lines[0].startswith("line 3, column 'Currency': unknown currency 'XYZ'")
    assert lines[1].startswith("line 4, column 'Billing email':")
    assert page.model.total == 5
    dialog.close()


def test_csv_import_reports_what_it_did_and_the_unmapped_columns(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    good = tmp_path / "accounts.csv"
    good.write_text("Account Name,Industry\nHooli,Tech\nPied Piper,Compression\n", "utf-8")
    import_from(monkeypatch, good)
    page = customers_page(window)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    dialog = page.import_dialog
    assert dialog is not None
    assert "2 customers created, 0 updated" in dialog.heading.text()
    assert dialog.details.toPlainText() == "Industry"
    assert page.model.total == 7  # the list refreshed from the change record
    dialog.close()


def test_cancelled_file_dialog_imports_nothing(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    page = customers_page(window)
    qtbot.mouseClick(page.import_contacts_button, Qt.MouseButton.LeftButton)
    assert page.import_dialog is None


def test_customer_search_typing(qtbot: QtBot, many_customers: Workspace) -> None:
    page = CustomersPage(many_customers, None)
    qtbot.addWidget(page)
    assert page.model.rowCount() == FIRST_PAGE_SIZE
    qtbot.keyClicks(page.search, "0420")
    qtbot.waitUntil(lambda: page.model.total == 1)
    assert page.model.index(0, 0).data() == "Customer 0420"
    assert page.count_label.text() == "1 customer"


def test_a_long_customer_name_does_not_widen_the_window(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    # A user's walk: selecting "Mueller & Soehne ..." (a long legal name) pushed the main
    # window past a 1366-pixel screen.
    name = "Mueller & Soehne Industrieautomation und Digitale Fertigungssysteme GmbH " * 2
    demo_workspace.run(customer_service.create_customer, {"name": name.strip()}, actor="t")
    page = customers_page(window)
    page.model.reload()
    qtbot.waitUntil(lambda: page.model.rowCount() >= 6)
    select_named(page, name.strip())
    qtbot.waitUntil(lambda: page.heading.text().startswith("Mueller"))
    assert window.minimumSizeHint().width() < 1366
    assert page.heading.minimumSizeHint().width() < 600
