"""NO_ESCALATOR reads "A deal of 18 months ...", never "A 18-month deal" (18, 8, 11 and
80-89 take "an")."""

from __future__ import annotations

from quote_builder.pricing import price

from .factories import make_quote


def test_no_escalator_message_reads_for_every_term() -> None:
    for months, words in ((18, "A deal of 18 months"), (24, "A deal of 24 months")):
        priced = price(make_quote(term_months=months))
        warning = next(w for w in priced.warnings if w.code == "NO_ESCALATOR")
        assert warning.message.startswith(f"{words} with no annual escalator"), warning.message
        assert f"A {months}-month" not in warning.message
