"""With the app in German the country is typed, shown and listed in German: "Deutschland",
"Frankreich" (the box only knew the English names, so "Frankreich" was refused as "not
one" and the Customers page listed "Germany"); the record keeps the English name, as it
always has, so the documents and the tax rules read it as before."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QStandardPaths, Qt
from pytestqt.qtbot import QtBot

from quote_builder.services import customers as customer_service
from quote_builder.services.workspace import LocalWorkspace
from quote_builder.ui import i18n
from quote_builder.ui.countries import CountryBox
from quote_builder.ui.main_window import MainWindow


@pytest.fixture
def german() -> Iterator[None]:
    i18n.use_language("de")
    yield
    i18n.use_language("en")


def test_the_country_is_typed_and_shown_in_german(qtbot: QtBot, german: None) -> None:
    box = CountryBox()
    qtbot.addWidget(box)
    assert box.findText("Deutschland") >= 0 and box.findText("Frankreich") >= 0
    assert box.findText("Germany") < 0
    # Typed in German: kept as the record's English name, no problem.
    box.setEditText("Frankreich")
    assert box.country() == "France" and box.problem() is None
    assert box.code() == "FR"
    box.setEditText("deutschland")
    assert box.country() == "Germany" and box.problem() is None
    # An English name or an ISO code typed is taken too.
    box.setEditText("Austria")
    assert box.country() == "Austria" and box.problem() is None
    # A saved record's English name is shown in German.
    box.set_country("United Kingdom")
    assert box.currentText() == "Vereinigtes Königreich"
    assert box.country() == "United Kingdom"
    # "Frank" completes to the one country that contains it.
    box.setEditText("Frankr")
    assert box.complete_typed() and box.currentText() == "Frankreich"
    # Not a country: refused, in German.
    box.setEditText("Atlantis")
    assert box.problem() is not None


def test_the_customers_page_lists_and_saves_countries_in_german(
    qtbot: QtBot, demo_workspace: LocalWorkspace, german: None
) -> None:
    QStandardPaths.setTestModeEnabled(True)
    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    page = window.show_page("customers")
    model = page.model
    countries = {
        model.data(model.index(row, 0)): model.data(model.index(row, 1))
        for row in range(model.rowCount())
    }
    assert countries["Fabrikam Analytics"] == "Deutschland", countries
    assert "Germany" not in countries.values()
    page.new_item()
    page.form.inputs["name"].setText("Hexagon SARL")  # type: ignore[attr-defined]
    page.form.inputs["name"].textEdited.emit("Hexagon SARL")  # type: ignore[attr-defined]
    box = page.form.inputs["country"]
    assert isinstance(box, CountryBox)
    box.setEditText("Frankreich")
    line = box.lineEdit()
    assert line is not None
    line.textEdited.emit("Frankreich")
    assert page.save_button.isEnabled()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    saved = customer_service.search_customers(demo_workspace.db, "Hexagon", limit=1).rows[0]
    assert saved.country == "France"


def test_the_advisor_s_answers_are_shown_whole_in_german(
    qtbot: QtBot, window: MainWindow, german: None
) -> None:
    """The pricing-model page's answer boxes were a fixed 130 px: in German "Nicht
    beantwortet" showed as "Nicht beantworte". Each box is now as wide as its longest answer."""
    from quote_builder.ui.wizard import GuidedQuote

    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    wizard.resize(1100, 700)
    wizard.show()
    wizard.advisor.show()
    qtbot.waitExposed(wizard)
    for key, combo in wizard.advisor.answers.items():
        assert combo.itemText(0) == "Nicht beantwortet"
        widest = max(combo.itemText(i) for i in range(combo.count()))
        needed = combo.fontMetrics().horizontalAdvance(widest)
        # The text area is the box less its frame and arrow: at least the text's width.
        assert combo.width() >= combo.minimumSizeHint().width() >= needed, key


def _listed(box: CountryBox) -> list[str]:
    return [box.itemText(i) for i in range(1, box.count())]


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        # German: umlauts with their base letter, not after Z.
        ("de", [("Ägypten", "Äquatorialguinea"), ("Oman", "Österreich")], ["Zypern"]),
        # French: accented capitals with their letter.
        ("fr", [("Égypte", "Érythrée"), ("Îles Åland", "Inde")], ["Zimbabwe"]),
        ("en", [("Åland Islands", "Albania")], ["Zimbabwe"]),
    ],
)
def test_the_countries_are_listed_in_the_language_s_order(
    qtbot: QtBot, language: str, before: list[tuple[str, str]], after: list[str]
) -> None:
    """Sorted by the names shown, the way the interface's language sorts them (Qt's
    collator): "Österreich" with the O's, not after "Zypern" (a code point sort put every
    Ä, Å, Ö and É after Z)."""
    i18n.use_language(language)
    try:
        box = CountryBox()
        qtbot.addWidget(box)
        listed = _listed(box)
        for first, second in before:
            assert listed.index(first) < listed.index(second), (first, second)
        assert listed[-1] in after, listed[-5:]
    finally:
        i18n.use_language("en")


def test_japanese_names_sort_the_japanese_way() -> None:
    """A language the interface may get: Japanese collation reads the long-vowel mark as
    the vowel it lengthens (オーストリア is オオストリア, before オマーン), where a code
    point sort puts ー after every kana; kanji names come after the kana."""
    from quote_builder.ui.countries import collation_key

    key = collation_key("ja")
    names = ["日本", "オランダ", "オマーン", "オーストリア", "ドイツ"]
    assert sorted(names, key=key) == ["オーストリア", "オマーン", "オランダ", "ドイツ", "日本"]
    assert sorted(names) != sorted(names, key=key)


def test_a_wrong_tax_id_is_one_german_sentence(
    qtbot: QtBot, window: MainWindow, german: None
) -> None:
    """A German rep typed a German VAT ID one digit short in the guided flow's new customer:
    the sentence read "Tax ID: DE12345678 ist keine Steuernummer von Germany: ...
    DE123456789.." (the field's English label, the English country, two full stops)."""
    from quote_builder.ui.wizard import GuidedQuote

    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    page = wizard.customer_page
    page.new.setChecked(True)
    page.name.setText("Mueller Praezision GmbH")
    page.currency.setText("EUR")
    page.country.setEditText("Deutschland")
    page.tax_id.setText("DE12345678")
    assert page.validatePage() is False
    text = page.problem.text()
    assert text.startswith("Steuernummer: DE12345678 "), text
    assert "Deutschland" in text and "Germany" not in text, text
    assert not text.endswith(".."), text


def test_the_customers_page_sorts_by_the_country_names_shown(
    qtbot: QtBot, workspace: LocalWorkspace, german: None
) -> None:
    """Sorted by its Country column, the German list read "Österreich, Zypern, Ägypten,
    Deutschland, Niederlande, Schweiz": the stored English names' order. It now follows
    the names it shows, in German collation, pages fetched in SQL as before; a name that
    is not a known country (written outside the app) sorts as it is shown."""
    import datetime as dt

    from sqlalchemy import insert

    from quote_builder.store.models import Customer
    from quote_builder.ui.customers_view import customer_model

    now = dt.datetime.now(dt.UTC)
    stored = ["Austria", "Cyprus", "Egypt", "Germany", "Netherlands", "Switzerland", "Atlantis"]
    rows = [
        {
            "name": f"Customer {i}",
            "currency": "EUR",
            "country": country,
            "version_id": 1,
            "created_at": now,
            "updated_at": now,
            "updated_by": "loader",
        }
        for i, country in enumerate(stored)
    ]
    with workspace.db.write() as session:
        session.connection().execute(insert(Customer), rows)
    model = customer_model(workspace)
    model.sort(1, Qt.SortOrder.AscendingOrder)
    shown = [model.data(model.index(row, 1)) for row in range(model.rowCount())]
    expected = [
        "Ägypten",
        "Atlantis",
        "Deutschland",
        "Niederlande",
        "Österreich",
        "Schweiz",
        "Zypern",
    ]
    assert shown == expected, shown
    model.sort(1, Qt.SortOrder.DescendingOrder)
    shown = [model.data(model.index(row, 1)) for row in range(model.rowCount())]
    assert shown == expected[::-1], shown


def test_the_sort_by_country_follows_the_shown_names_through_the_database_process(
    qtbot: QtBot, tmp_path, german: None
) -> None:
    """In the app the database is held by a separate process, which does not know the
    interface's language: given a key function, it ordered the countries by their English
    names under a German (or French) interface ("Österreich, Deutschland, Vereinigte
    Staaten" for Austria, Germany, United States), and the categories by their codes. The
    window's process now puts the stored countries (and the categories) in order and hands
    the database process the order."""
    from quote_builder.services.workspace import start_hosted_workspace
    from quote_builder.ui.customers_view import customer_model

    workspace = start_hosted_workspace(str(tmp_path / "hosted.db"), create=True)
    try:
        workspace.host.wait_ready()
        for name, country, category in (
            ("Alpen GmbH", "Austria", "customer_support"),
            ("Rhein AG", "Germany", "document_processing"),
            ("Acme Inc", "United States", None),
            ("Nil Co", "Egypt", "legal_review"),
        ):
            workspace.run(
                customer_service.create_customer,
                {"name": name, "country": country, "currency": "EUR"}
                | ({"product_category": category} if category else {}),
                actor="rep",
            )
        model = customer_model(workspace)
        model.sort(1, Qt.SortOrder.AscendingOrder)
        shown = [model.data(model.index(row, 1)) for row in range(model.rowCount())]
        assert shown == ["Ägypten", "Deutschland", "Österreich", "Vereinigte Staaten"], shown
        # The categories too: by the names shown (the stored codes put "customer_support"
        # before "document_processing", Kundensupport before Dokumentenverarbeitung); a
        # customer without one last.
        model.sort(3, Qt.SortOrder.AscendingOrder)
        shown = [model.data(model.index(row, 3)) for row in range(model.rowCount())]
        assert shown == ["Dokumentenverarbeitung", "Kundensupport", "Rechtsprüfung", ""], shown
    finally:
        workspace.close()
