"""The Catalog page sorted by Pricing model or Category in German: by the names the
columns show, in German alphabetical order (they went by the stored codes, so "KI-
Kundensupport" came before "KI-Dokumentenverarbeitung" and "Pro Lizenz" before
"Gestaffelte Lizenzen")."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication

from quote_builder.services.workspace import Workspace
from quote_builder.ui import i18n
from quote_builder.ui.catalog_view import PlansModel
from quote_builder.ui.countries import collation_key


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    i18n.install(qapp, "de")
    QLocale.setDefault(QLocale("de_DE"))
    yield
    i18n.install(qapp, "en")
    QLocale.setDefault(QLocale("en_US"))


@pytest.mark.parametrize("column", [1, 2])
@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_sorted_by_the_names_shown(
    german: None, demo_workspace: Workspace, column: int, order: Qt.SortOrder
) -> None:
    model = PlansModel(demo_workspace)
    model.sort(column, order)
    shown = [str(model.data(model.index(r, column))) for r in range(model.rowCount())]
    assert len(set(shown)) > 2
    key = collation_key()
    assert shown == sorted(shown, key=key, reverse=order == Qt.SortOrder.DescendingOrder)
    if column == 2 and order == Qt.SortOrder.AscendingOrder:
        assert shown.index("KI-Dokumentenverarbeitung") < shown.index(
            "KI-Kundensupport (Ticketlösung)"
        )
