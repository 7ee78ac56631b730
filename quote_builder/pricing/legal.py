"""The seller's legal frame: what the order form says beyond the price.

The settings hold the seller's frame (every field has a default a procurement lawyer
recognises); a quote may override any field (``ContractTerms.legal``). The order form
prints the merged frame, and the frame is part of the customer's terms, so it is in the
signed, hashed ``terms.json``.

Text fields are phrases that complete the order form's sentences ("governed by {governing
law}"), so a seller writes "the laws of England and Wales", not a whole clause.

The frame's texts are English. An order form in another language takes the seller's text
for that language (:class:`LegalTexts`, kept beside the frame in the settings); a text the
seller left at the shipped default is printed in the shipped translation of that default;
any other text without its translation is *missing* (:func:`localized_frame` lists it), and
the order form says so instead of printing an English clause inside, say, a German contract
(a draft lists it under "To settle before signature", a final order form is refused).

The shipped governing law and courts (New York's) are a US seller's. They stand for a
seller in the United States, or one whose country is not set; for a seller elsewhere the
law and courts it has not given itself are *not set* (blank, :func:`seller_frame`): the
order form prints a placeholder instead of New York, the rep is told
(:func:`jurisdiction_problem`), and the order form cannot be final until the seller (or the
quote) gives them. "Given" is "present in the settings' JSON": the settings keep only the
fields the seller gave (migration 0015 took out the shipped law and courts that earlier
versions wrote with every save of the Settings page).
"""

# No `from __future__ import annotations` in the modules of the quote format's models:
# with it, pydantic evaluates every field's annotation from its text when a model class is
# made (about 5 % of a cold `quote-builder price`); as Python they are evaluated once, as
# the class body runs. A name defined further down is written in quotes.

import json
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationInfo, field_validator

from .fields import Dec, LongText, Percent, ShortText, refuse_bool_for_whole_number
from .languages import DEFAULT_LANGUAGE, LanguageCode

Precedence = Literal["order_form", "agreement"]


class LegalFrame(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    agreement: ShortText = "Master Subscription Agreement"
    """The governing agreement by name (MSA, terms of service). Blank: the seller has none
    (the settings keep a blank given on purpose, :data:`NONE_WHEN_BLANK`): the order form
    says it stands alone, as the whole agreement for the order."""
    agreement_reference: ShortText = ""
    """Its date, version or URL, e.g. "dated 1 March 2026" or https://example.com/msa."""
    precedence: Precedence = "order_form"
    """Which prevails when the order form and the agreement conflict."""
    governing_law: ShortText = "the laws of the State of New York"
    """Completes "governed by ...". Blank: not set (a seller outside the shipped frame's
    country that gave none, :func:`seller_frame`); the order form cannot be final."""
    venue: ShortText = "the state and federal courts in New York County, New York"
    """The courts for disputes. Blank: not set, as ``governing_law``."""
    liability_cap_months: int = Field(default=12, ge=1, le=120)
    """Each party's liability is capped at the fees paid and payable in this many months
    before the claim (exclusions as in the agreement)."""
    confidentiality_years: int = Field(default=3, ge=0, le=20)
    """Confidential information stays confidential this many years after the term."""
    data_processing: ShortText = "Data Processing Addendum"
    """The data protection terms by name (a DPA). Blank: the seller has none; the order
    form says how personal data is handled without one."""
    customer_data_trains_models: bool = False
    """Whether customer data (prompts, files, outputs) may train or fine-tune models."""
    model_providers: LongText = ""
    """Sub-processors and AI model providers, named (empty: as listed in the DPA)."""
    subprocessor_notice_days: int = Field(default=30, ge=0, le=365)
    retention_days: int = Field(default=30, ge=0, le=3650)
    """Customer data is deleted within this many days after the term ends."""
    service_levels: ShortText = Field(
        default="Service Level Agreement (99.9 % monthly availability, service credits as set out there)",
        min_length=1,
    )
    late_interest_percent_per_month: Dec = Field(default=Decimal(1), ge=0, le=5)
    suspension_after_days: int = Field(default=30, ge=1, le=365)
    """An invoice this many days overdue may lead to suspension, after written notice."""
    cure_days: int = Field(default=30, ge=1, le=365)
    """A material breach not cured within this many days of notice allows termination."""
    termination_for_convenience: bool = False
    convenience_notice_days: int = Field(default=90, ge=1, le=365)
    renewal_increase_percent: Percent | None = None
    """Price increase on renewal; empty: the annual escalator (none without one)."""
    independent_auditor: ShortText = ""
    """Who settles an outcome or attribution dispute the parties cannot (empty: the courts
    above, after escalation)."""
    offer_valid_days: int = Field(default=30, ge=1, le=365)
    """How long an offer is valid when the quote has no valid-until date."""
    seller_notices: LongText = ""
    """Where notices to the seller go; empty: the seller's address and email."""
    customer_notices: LongText = ""
    """Where notices to the customer go; empty: the customer's billing address and email."""


class LegalOverrides(BaseModel):
    """A quote's changes to the seller's legal frame: any field of :class:`LegalFrame`;
    an empty one keeps the settings' value."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_for_int(cls, value: Any, info: ValidationInfo) -> Any:
        return refuse_bool_for_whole_number(cls, value, info.field_name)

    agreement: ShortText | None = None
    agreement_reference: ShortText | None = None
    precedence: Precedence | None = None
    governing_law: ShortText | None = None
    venue: ShortText | None = None
    liability_cap_months: int | None = Field(default=None, ge=1, le=120)
    confidentiality_years: int | None = Field(default=None, ge=0, le=20)
    data_processing: ShortText | None = None
    customer_data_trains_models: bool | None = None
    model_providers: LongText | None = None
    subprocessor_notice_days: int | None = Field(default=None, ge=0, le=365)
    retention_days: int | None = Field(default=None, ge=0, le=3650)
    service_levels: ShortText | None = None
    late_interest_percent_per_month: Dec | None = Field(default=None, ge=0, le=5)
    suspension_after_days: int | None = Field(default=None, ge=1, le=365)
    cure_days: int | None = Field(default=None, ge=1, le=365)
    termination_for_convenience: bool | None = None
    convenience_notice_days: int | None = Field(default=None, ge=1, le=365)
    renewal_increase_percent: Percent | None = None
    independent_auditor: ShortText | None = None
    offer_valid_days: int | None = Field(default=None, ge=1, le=365)
    seller_notices: LongText | None = None
    customer_notices: LongText | None = None


TEXT_FIELDS: Final = (
    "agreement",
    "agreement_reference",
    "governing_law",
    "venue",
    "data_processing",
    "service_levels",
    "model_providers",
)
"""The frame's fields that are words of a language (the order form's phrases). The others
are numbers, choices, names and addresses (the auditor, the notice addresses), printed as
written whatever the document's language."""


class LegalTexts(BaseModel):
    """The seller's clause texts in one language: the phrases of :data:`TEXT_FIELDS`
    (empty: not given in that language)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    agreement: ShortText = ""
    agreement_reference: ShortText = ""
    governing_law: ShortText = ""
    venue: ShortText = ""
    data_processing: ShortText = ""
    service_levels: ShortText = ""
    model_providers: LongText = ""


LEGAL_TEXTS: Final = TypeAdapter(dict[LanguageCode, LegalTexts])
"""The seller's clause texts by document language (``{"de": {...}, "fr": {...}}``), as the
settings keep them (``legal_texts_json``)."""


def legal_texts_from_json(text: str) -> dict[str, LegalTexts]:
    """The settings' ``legal_texts_json`` read back (``{}``: none given)."""
    return LEGAL_TEXTS.validate_json(text or "{}")


def legal_texts_json(texts: Mapping[str, LegalTexts | Mapping[str, str]]) -> str:
    """Clause texts by language as the settings keep them: validated, empty languages left
    out, keys sorted."""
    valid = LEGAL_TEXTS.validate_python(dict(texts))
    kept = {
        language: value.model_dump(exclude_defaults=True)
        for language, value in sorted(valid.items())
        if value.model_dump(exclude_defaults=True)
    }
    return json.dumps(kept, sort_keys=True, ensure_ascii=False)


def _language_neutral(name: str, value: str) -> bool:
    """An agreement reference that is a web address reads the same in every language."""
    text = value.strip()
    return name == "agreement_reference" and (
        text.startswith(("http://", "https://", "www.")) and " " not in text
    )


def localized_frame(
    frame: LegalFrame,
    language: str,
    texts: Mapping[str, LegalTexts],
    shipped_default: Callable[[str, str], str],
    overrides: LegalOverrides | None = None,
) -> tuple[LegalFrame, list[str]]:
    """``frame`` with its texts in ``language``, and the text fields that have no text in
    that language (in :data:`TEXT_FIELDS` order). For each text field: the seller's text for
    the language; else, when the English text is still the shipped default, its shipped
    translation (``shipped_default(field, text)``); else it is missing and the English text
    stays (the documents flag it). A field the quote overrides (``overrides``, written in the
    quote's own language) is never missing. English is the frame itself."""
    if language == DEFAULT_LANGUAGE:
        return frame, []
    given = texts.get(language)
    changes: dict[str, str] = {}
    missing: list[str] = []
    for name in TEXT_FIELDS:
        english = str(getattr(frame, name))
        if not english.strip() or _language_neutral(name, english):
            continue
        own = str(getattr(given, name)) if given is not None else ""
        if own.strip():
            changes[name] = own
            continue
        if english == LegalFrame.model_fields[name].default:
            changes[name] = shipped_default(name, english)
            continue
        override = getattr(overrides, name, None) if overrides is not None else None
        if isinstance(override, str) and override.strip():
            continue
        missing.append(name)
    return frame.model_copy(update=changes), missing


NONE_WHEN_BLANK: Final = ("agreement", "data_processing")
"""The frame's fields whose blank, given in the settings, means "the seller has none" (no
master agreement, no data processing agreement) rather than "not given" (the shipped
default): the order form then says what governs without it."""

JURISDICTION_FIELDS: Final = ("governing_law", "venue")
"""The frame's fields that name a country's law and courts: their shipped defaults are a
seller's in :data:`SHIPPED_JURISDICTION_COUNTRY` only."""

SHIPPED_JURISDICTION_COUNTRY: Final = "US"
"""The country (ISO 3166-1) whose seller the shipped governing law and courts (New York)
were written for."""

JURISDICTION_TITLES: Final = {"governing_law": "Governing law", "venue": "Courts"}
"""The two fields as Settings labels them (the rep's sentences name them)."""


def shipped_jurisdiction_fits(seller_country: str) -> bool:
    """Whether the shipped law and courts may stand for a seller in ``seller_country`` (an
    ISO code; empty: the seller profile has no country, which keeps the shipped frame as
    before there was a country: the profile's country decides the tax too, so a seller
    outside the United States sets it)."""
    return seller_country.strip().upper() in ("", SHIPPED_JURISDICTION_COUNTRY)


def jurisdiction_given(frame: LegalFrame) -> tuple[str, ...]:
    """The law and courts fields the seller gave (present in the settings' JSON, not
    blank), in :data:`JURISDICTION_FIELDS` order."""
    return tuple(
        name
        for name in JURISDICTION_FIELDS
        if name in frame.model_fields_set and str(getattr(frame, name)).strip()
    )


def seller_frame(frame: LegalFrame, seller_country: str) -> LegalFrame:
    """The seller's frame (as the settings keep it) as its order forms use it: for a seller
    outside the shipped frame's country, the law and courts it has not given are blank
    (not set) instead of New York's. A US seller's, or one without a country, is the
    frame itself."""
    if shipped_jurisdiction_fits(seller_country):
        return frame
    given = jurisdiction_given(frame)
    blank = {name: "" for name in JURISDICTION_FIELDS if name not in given}
    return frame.model_copy(update=blank) if blank else frame


def unset_jurisdiction(frame: LegalFrame) -> tuple[str, ...]:
    """The law and courts fields a frame (merged with a quote's overrides) leaves blank:
    what keeps its order form from being signed."""
    return tuple(name for name in JURISDICTION_FIELDS if not str(getattr(frame, name)).strip())


def jurisdiction_problem(missing: Sequence[str]) -> str:
    """The rep's sentence (English) for law and courts not set: the editor's warning, the
    command line's, the draft's reason and the refused Finalise all say it. ``missing``:
    fields of :data:`JURISDICTION_FIELDS`."""
    fields = [name for name in JURISDICTION_FIELDS if name in missing]
    what = (
        "the governing law and the courts are"
        if len(fields) == 2
        else "the governing law is"
        if fields == ["governing_law"]
        else "the courts are"
    )
    settings = " / ".join(JURISDICTION_TITLES[name] for name in fields)
    return (
        f"{what} not set (the shipped ones, New York's, are for a seller in the United "
        f"States, and this seller is elsewhere): fill in Settings → legal frame → {settings}"
    )


def merged_frame(frame: LegalFrame, overrides: LegalOverrides | None) -> LegalFrame:
    """The seller's frame with a quote's overrides applied (a blank text keeps the
    frame's value, except for fields whose default is blank)."""
    if overrides is None:
        return frame
    changes = {}
    for name, value in overrides.model_dump(exclude_none=True).items():
        if isinstance(value, str) and not value.strip() and LegalFrame.model_fields[name].default:
            continue
        changes[name] = value
    return LegalFrame.model_validate({**frame.model_dump(), **changes})


__all__ = [
    "JURISDICTION_FIELDS",
    "JURISDICTION_TITLES",
    "NONE_WHEN_BLANK",
    "SHIPPED_JURISDICTION_COUNTRY",
    "TEXT_FIELDS",
    "LegalFrame",
    "LegalOverrides",
    "LEGAL_TEXTS",
    "LegalTexts",
    "legal_texts_from_json",
    "legal_texts_json",
    "localized_frame",
    "jurisdiction_given",
    "jurisdiction_problem",
    "merged_frame",
    "seller_frame",
    "shipped_jurisdiction_fits",
    "unset_jurisdiction",
]
