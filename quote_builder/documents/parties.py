"""The parties of a document and the files a final PDF embeds: small data types that cross
into the app's window (the preview's request) without loading the rendering code (Jinja2,
WeasyPrint), which runs only in the render worker and the command line."""

from __future__ import annotations

import datetime as dt
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
class ApprovalNote:
    """What a final document says about its approval, as facts (the document words them
    in its language): who approved, in which role, when, under which organisation's policy;
    or, without an approver, that no approval was needed under that policy."""

    approver: str = ""
    """Empty: no approval was needed."""
    role: str = ""
    """The approver's role in the policy (``rep``, ``manager``, ``deal_desk``)."""
    decided_on: dt.date | None = None
    organisation: str = ""
    """The organisation whose signed policy judged the quote (empty: none named)."""
    policy: str = ""
    """The policy's short fingerprint (``3f2a:9c1e:…``); empty: no organisation policy."""


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


__all__ = ["ApprovalNote", "EmbeddedFile", "Party"]
