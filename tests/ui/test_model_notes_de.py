"""The guided flow's ranked models in German write every margin range one way: "65–75 %"
beside "80–90 %" (the outcome-contingent model's note said "80-90%")."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from quote_builder.pricing.playbook import MODEL_PROFILES, PricingModel
from quote_builder.ui import i18n, labels


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    i18n.install(qapp, "de")
    yield
    i18n.install(qapp, "en")


def test_the_outcome_contingent_margin_note_writes_its_range_the_german_way(
    german: None,
) -> None:
    profile = MODEL_PROFILES[PricingModel.OUTCOME_CONTINGENT]
    text = labels.margin_text(profile)
    assert "80–90 %" in text and "80-90%" not in text
    assert "65–75 %" in labels.margin_text(MODEL_PROFILES[PricingModel.SEATS_AI_TIERS])
