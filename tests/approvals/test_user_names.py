"""User names compared for separation of duties: spellings that look the same are the same
person, and a name with an invisible character or mixed alphabets is refused."""

from __future__ import annotations

import pytest

from quote_builder.user import person_key, same_person, user_name_problem

DANA = "Dana Whitfield"


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("DANA   whitfield ", "case and spaces"),
        ("Dana\u00a0Whitfield", "a no-break space is a space"),
        ("Dana Whitfield\u200b", "U+200B ZERO WIDTH SPACE draws nothing"),
        ("Da\u200dna Whitfield", "U+200D ZERO WIDTH JOINER"),
        ("\u202eDana Whitfield", "U+202E RIGHT-TO-LEFT OVERRIDE, a bidi control"),
        ("Dana Whit\u00adfield", "U+00AD SOFT HYPHEN"),
        ("\ufeffDana Whitfield", "U+FEFF BYTE ORDER MARK"),
        ("Dan\u0430 Whitfield", "Cyrillic a (U+0430) looks like Latin a"),
        ("D\u0430n\u0430 Whitfi\u0435ld", "three Cyrillic letters"),
        ("Dana Whitfi\u03b5ld", "Greek epsilon (U+03B5) looks like e"),
        ("Ｄａｎａ Whitfield", "full-width letters (NFKC)"),
    ],
)
def test_look_alike_spellings_are_the_same_person(typed: str, why: str) -> None:
    assert same_person(typed, DANA), why
    assert person_key(typed) == "dana whitfield", why


@pytest.mark.parametrize("other", ["Dan Whitfield", "Dana Whitfeld", "Дана Уитфилд", "", " "])
def test_other_names_are_other_people(other: str) -> None:
    assert not same_person(other, DANA)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Dana Whitfield\u200b", "contains an invisible character, U+200B (ZERO WIDTH SPACE)"),
        ("\u2066Dana", "contains an invisible character, U+2066 (LEFT-TO-RIGHT ISOLATE)"),
        ("Dana\x07", "contains an invisible character, U+0007 (a character without a name)"),
        (
            "Dan\u0430 Whitfield",
            "mixes Latin and Cyrillic letters in 'Danа' (U+0430 (CYRILLIC SMALL LETTER A))",
        ),
        ("Dana Whitfi\u03b5ld", "mixes Latin and Greek letters in 'Whitfiεld'"),
        ("", "is empty"),
    ],
)
def test_a_name_that_would_pass_for_another_is_refused(name: str, problem: str) -> None:
    found = user_name_problem(name)
    assert found is not None and found.startswith(problem), found


@pytest.mark.parametrize(
    "name",
    [
        "Dana Whitfield",
        "dana",
        "Дана Уитфилд",
        "Ζωή Παππά",
        "José Núñez",
        "渡辺 ゆき",
        "O'Brien-Smith",
    ],
)
def test_ordinary_names_in_any_one_alphabet_are_accepted(name: str) -> None:
    assert user_name_problem(name) is None
