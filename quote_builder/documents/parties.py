"""The parties of a document and the files a final PDF embeds: small data types that cross
into the app's window (the preview's request) without loading the rendering code (Jinja2,
WeasyPrint), which runs only in the render worker and the command line."""

from __future__ import annotations

from dataclasses import dataclass

from quote_builder.pricing.terms import TermsParty


@dataclass(frozen=True)
class EmbeddedFile:
    """A file a final PDF carries (the signed approval statement, the organisation policy's
    public part): name, description, text."""

    name: str
    description: str
    text: str


@dataclass(frozen=True)
class Party:
    name: str
    legal_name: str = ""
    address: str = ""
    email: str = ""
    country: str = ""
    signatory: str = ""
    signatory_title: str = ""
    billing_address: str = ""

    def terms_party(self) -> TermsParty:
        return TermsParty(
            name=self.name,
            legal_name=self.legal_name,
            address=self.address,
            billing_address=self.billing_address,
            email=self.email,
            country=self.country,
            signatory=self.signatory,
            signatory_title=self.signatory_title,
        )


__all__ = ["EmbeddedFile", "Party"]
