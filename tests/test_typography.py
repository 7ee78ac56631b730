"""French puts a no-break space before ':' (U+00A0) and a narrow one before ';', '!' and
'?' (U+202F): one helper (``quote_builder.typography``) spaces every translated message of
the app and of the documents as it is read, and joins a label and its text where the code
puts them together. The French catalogs were written with plain spaces (a line could
start with the colon) and code glued "label" + ": " in French sentences ("Bloquant: ...")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from quote_builder.documents.i18n import translations
from quote_builder.typography import labelled, spaced
from quote_builder.ui import i18n

NBSP, NNBSP = "\u00a0", "\u202f"
LOCALE = Path(__file__).resolve().parents[1] / "quote_builder" / "locale"

WRONG_SPACE = re.compile(r"(?: |\u202f):|(?: |\u00a0)[;!?]")
"""A plain space (or the other no-break one) before a mark: the line may start with it."""
GLUED_COLON = re.compile(r"[^\W\d_][:;!?](?=\s)")
"""A word with the mark glued to it and a space after ("Total: 12"): French wants a
space before it."""


def test_the_helper_spaces_french_and_leaves_other_languages() -> None:
    assert spaced("Total : 12 ; fin ! Vraiment ?", "fr") == (
        f"Total{NBSP}: 12{NNBSP}; fin{NNBSP}! Vraiment{NNBSP}?"
    )
    assert spaced(f"Total{NNBSP}:  12", "fr") == f"Total{NBSP}:  12"
    # a mark right after a word is data (a time, a URL, a file filter): left as it is
    assert spaced("13:36 https://x.org (*.csv);;Tous", "fr") == "13:36 https://x.org (*.csv);;Tous"
    assert spaced("Total : 12", "de") == "Total : 12"
    assert labelled("Total", "12", "fr") == f"Total{NBSP}: 12"
    assert labelled("Total", "12", "en") == "Total: 12"
    assert labelled("Total", "", "fr") == f"Total{NBSP}:"


def _messages(domain: str) -> list[tuple[object, object]]:
    with (LOCALE / "fr" / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
        catalog = read_po(handle)
    return [(m.id, m.context) for m in catalog if m.id and m.string]


def _outputs(domain: str) -> list[str]:
    if domain == "ui":
        i18n.use_language("fr")
        try:
            return [
                i18n.ngettext(mid[0], mid[1], 2)
                if isinstance(mid, tuple)
                else (i18n.pgettext(ctx, mid) if ctx else i18n._(mid))
                for mid, ctx in _messages(domain)
                if isinstance(mid, (str, tuple))
            ]
        finally:
            i18n.use_language("en")
    catalog = translations("fr")
    return [
        catalog.ngettext(mid[0], mid[1], 2) if isinstance(mid, tuple) else catalog.gettext(mid)
        for mid, _ctx in _messages(domain)
        if isinstance(mid, (str, tuple))
    ]


@pytest.mark.parametrize("domain", ["ui", "documents"])
def test_every_french_message_has_its_no_break_space_before_the_marks(domain: str) -> None:
    outputs = _outputs(domain)
    assert len(outputs) > 100
    wrong = [text for text in outputs if WRONG_SPACE.search(text)]
    assert not wrong, wrong[:5]
    glued = [text for text in outputs if GLUED_COLON.search(re.sub(r"\{[^{}]*\}", "x", text))]
    assert not glued, glued[:5]
    assert any(f"{NBSP}:" in text for text in outputs)


def test_a_label_the_code_joins_to_its_text_is_spaced_in_french() -> None:
    i18n.use_language("fr")
    try:
        assert i18n.label_and("Prix", "doit être positif") == f"Prix{NBSP}: doit être positif"
    finally:
        i18n.use_language("en")
    assert i18n.label_and("Price", "must not be negative") == "Price: must not be negative"


def test_the_parts_of_a_sentence_are_separated_the_language_s_way() -> None:
    """The app joined the parts of a French sentence with "; " by hand ("a; b")."""
    i18n.use_language("fr")
    try:
        assert i18n.joined(["a", "b", "c"]) == f"a{NNBSP}; b{NNBSP}; c"
    finally:
        i18n.use_language("en")
    assert i18n.joined(["a", "b"]) == "a; b"
    assert i18n.joined([]) == ""


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "fr",
            f"Composant 3 (Analyst queries){NBSP}: Prix unitaire de dépassement{NBSP}: ne doit "
            f"pas être négatif (reçu{NBSP}: -1)",
        ),
        (
            "de",
            "Komponente 3 (Analyst queries): Überschreitungspreis pro Einheit: darf nicht "
            "negativ sein (erhalten: -1)",
        ),
        (
            "en",
            "Component 3 (Analyst queries): Overage unit price: must not be negative (got -1)",
        ),
    ],
)
def test_a_component_field_problem_is_named_in_the_interface_s_language(
    code: str, expected: str
) -> None:
    """The editor's warnings list showed "Component 3 (Analyst queries): overage unit price
    ne doit pas être négatif" in French: the quote format's English place, glued to the
    French reason. It now names the component and the field as the Components tab labels
    it, in the interface's language and typography."""
    from quote_builder.ui.quote_editor import _component_field_problem

    data = {"components": [{}, {}, {"name": "Analyst queries"}]}
    i18n.use_language(code)
    try:
        found = _component_field_problem(
            "components[2].overage_unit_price", "must not be negative (got -1)", data
        )
    finally:
        i18n.use_language("en")
    assert found == expected
    assert _component_field_problem("discounts[0].percent", "x", data) is None


def test_a_problem_named_by_the_form_s_label_is_spaced_in_french() -> None:
    """The warnings list read "Remise globale %: ne doit pas être négatif" (the label glued
    to the colon in a French sentence)."""
    from quote_builder.ui.reason_words import problem_text

    labels = {"discounts[0].percent": "Remise globale %"}
    i18n.use_language("fr")
    try:
        found = problem_text("discounts[0].percent: must not be negative (got -1)", {}, labels)
    finally:
        i18n.use_language("en")
    assert found == f"Remise globale %{NBSP}: ne doit pas être négatif (reçu{NBSP}: -1)"
    english = problem_text("discounts[0].percent: must not be negative (got -1)", {}, labels)
    assert english == "Remise globale %: must not be negative (got -1)"
