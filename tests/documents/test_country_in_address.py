"""The customer's country in its address on the order form is named in the document's
language: a German order form for a customer in Germany whose billing address ends in
"Germany" (as the demo's Fabrikam and every address typed in English do) printed
"Friedrichstrasse 10, 10117 Berlin, Germany"; it prints "..., Deutschland" now. The rest
of the address, and an address ending in anything else, is printed as written."""

from __future__ import annotations

from quote_builder.documents import Party
from quote_builder.documents.formatting import Formatter
from quote_builder.documents.viewmodel import address_in_language

from .test_buyer_counsel import contract, example

FABRIKAM = Party(
    "Fabrikam Analytics",
    "Fabrikam Analytics GmbH",
    country="Germany",
    billing_address="Friedrichstrasse 10, 10117 Berlin, Germany",
    signatory="Jane Buyer",
    signatory_title="COO",
)


def test_a_german_order_form_names_the_country_in_german() -> None:
    text = contract(example("eur_reverse_charge_germany.json"), "de", customer=FABRIKAM)
    assert "Friedrichstrasse 10, 10117 Berlin, Deutschland" in text, text
    assert "Berlin, Germany" not in text
    french = contract(example("eur_reverse_charge_germany.json"), "fr", customer=FABRIKAM)
    assert "10117 Berlin, Allemagne" in french
    english = contract(example("eur_reverse_charge_germany.json"), "en", customer=FABRIKAM)
    assert "Friedrichstrasse 10, 10117 Berlin, Germany" in english


def test_only_the_customers_own_country_at_the_end_is_named_again() -> None:
    de = Formatter("EUR", "de_DE")
    assert address_in_language("Rue 1\n75001 Paris\nFrance", "France", de) == (
        "Rue 1\n75001 Paris\nFrankreich"
    )
    assert address_in_language("Mariahilfer Strasse 20, 1070 Wien, Austria", "AT", de) == (
        "Mariahilfer Strasse 20, 1070 Wien, Österreich"
    )
    # Not the customer's country, not a country, or no country at the end: as written.
    assert address_in_language("1 Main St, Atlanta, Georgia", "United States", de) == (
        "1 Main St, Atlanta, Georgia"
    )
    assert address_in_language("Friedrichstrasse 10, Berlin", "Germany", de) == (
        "Friedrichstrasse 10, Berlin"
    )
    assert address_in_language("Friedrichstrasse 10, Berlin, Germany", "", de) == (
        "Friedrichstrasse 10, Berlin, Germany"
    )
