"""The quote list sorted by its Status column follows the labels it shows, in the
interface's language: sorted by the stored codes, the German list read "Angenommen, Keine
Freigabe in Kraft, Entwurf, Abgelaufen, ..." (accepted, approved, draft, expired, ...), a
draft past its valid-until date (shown "Abgelaufen") sat among the drafts and a quote
marked approved without an approval in force among the approved ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from quote_builder.services.workspace import LocalWorkspace
from quote_builder.store.models import Customer, Quote
from quote_builder.ui import i18n
from quote_builder.ui.quotes_view import quote_model

STATUS_COLUMN = 3


@pytest.fixture
def quotes(workspace: LocalWorkspace) -> LocalWorkspace:
    """One quote in each stored status, and a draft past its valid-until date; the quote
    marked approved has no signed approval, so the list shows "No approval in force"."""
    now = dt.datetime.now(dt.UTC)
    today = dt.date.today()
    stamps = {"version_id": 1, "created_at": now, "updated_at": now, "updated_by": "loader"}
    later = today + dt.timedelta(days=30)
    statuses = [
        ("draft", later),
        ("draft", today - dt.timedelta(days=1)),
        ("pending_approval", later),
        ("approved", later),
        ("rejected", later),
        ("sent", later),
        ("accepted", later),
        ("lost", later),
        ("expired", later),
    ]
    with workspace.db.write() as session:
        connection = session.connection()
        customer_id = connection.execute(
            insert(Customer).returning(Customer.id),
            {"name": "Contoso", "currency": "USD", **stamps},
        ).scalar_one()
        connection.execute(
            insert(Quote),
            [
                {
                    "number": f"Q-2026-{i:04d}",
                    "customer_id": customer_id,
                    "status": status,
                    "valid_until": valid_until,
                    **stamps,
                }
                for i, (status, valid_until) in enumerate(statuses, start=1)
            ],
        )
    return workspace


@pytest.fixture
def language() -> Iterator[None]:
    yield
    i18n.use_language("en")


def shown(model) -> list[str]:  # type: ignore[no-untyped-def]
    return [model.data(model.index(row, STATUS_COLUMN)) for row in range(model.rowCount())]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "en",
            [
                "Accepted",
                "Draft",
                "Expired",
                "Expired",
                "Lost",
                "No approval in force",
                "Pending approval",
                "Rejected",
                "Sent",
            ],
        ),
        (
            "de",
            [
                "Abgelaufen",
                "Abgelaufen",
                "Abgelehnt",
                "Angenommen",
                "Entwurf",
                "Freigabe ausstehend",
                "Keine Freigabe in Kraft",
                "Verloren",
                "Versendet",
            ],
        ),
        (
            "fr",
            [
                "Accepté",
                "Aucune approbation en vigueur",
                "Brouillon",
                "En attente d'approbation",
                "Envoyé",
                "Expiré",
                "Expiré",
                "Perdu",
                "Refusé",
            ],
        ),
    ],
)
def test_the_quote_list_sorts_by_the_status_it_shows(
    qtbot: QtBot, quotes: LocalWorkspace, language: None, code: str, expected: list[str]
) -> None:
    i18n.use_language(code)
    model = quote_model(quotes)
    model.sort(STATUS_COLUMN, Qt.SortOrder.AscendingOrder)
    assert shown(model) == expected
    model.sort(STATUS_COLUMN, Qt.SortOrder.DescendingOrder)
    assert shown(model) == expected[::-1]


@pytest.mark.parametrize("code", ["en", "de", "fr"])
def test_the_catalog_sorts_its_model_category_and_active_columns_by_the_labels_shown(
    qtbot: QtBot, demo_workspace: LocalWorkspace, language: None, code: str
) -> None:
    """The catalog's Pricing model, Category and Active columns show labels for stored
    codes (``seats_credits``, ``customer_support``, a flag): sorted, they follow the labels
    in the interface's language and collation (they followed the codes), each label's
    plans by name."""
    from quote_builder.services.plans import list_plans
    from quote_builder.ui.catalog_view import PlansModel
    from quote_builder.ui.countries import collation_key

    i18n.use_language(code)
    plans = demo_workspace.run(list_plans, include_retired=True)
    # A retired plan, so Active has two labels.
    from quote_builder.services.plans import update_plan

    first = plans[0]
    demo_workspace.run(
        update_plan, first.id, active=False, expected_version=first.version_id, actor="t"
    )
    model = PlansModel(demo_workspace)
    model.reload(include_retired=True)
    key = collation_key()
    for column in (1, 2, 3):
        model.sort(column, Qt.SortOrder.AscendingOrder)
        labels = [model.data(model.index(row, column)) for row in range(model.rowCount())]
        assert labels == sorted(labels, key=key), (column, labels)
        names = [model.data(model.index(row, 0)) for row in range(model.rowCount())]
        for label in set(labels):  # each label's plans by name
            own = [n for n, shown_label in zip(names, labels, strict=True) if shown_label == label]
            assert own == sorted(own, key=str.lower), own
        model.sort(column, Qt.SortOrder.DescendingOrder)
        labels = [model.data(model.index(row, column)) for row in range(model.rowCount())]
        assert labels == sorted(labels, key=key, reverse=True), (column, labels)
