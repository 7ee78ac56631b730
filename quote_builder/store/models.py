"""SQLModel tables, one model family per entity (``XBase``, ``X``, ``XCreate``,
``XUpdate``, ``XPublic``).

Decimals are stored as text (``DecimalText``) and amounts as integer minor units next to
their currency; ``version_id`` columns give optimistic locking (a stale save is refused).
Quote versions and audit events are append-only: the ORM refuses updates and deletes, and
migration 0001 adds database triggers that refuse them too.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import field_validator
from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Text,
    UniqueConstraint,
    event,
    select,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapper, declared_attr
from sqlmodel import Field, SQLModel, col

from quote_builder.pricing.currency import is_currency
from quote_builder.pricing.fields import refuse_nul
from quote_builder.pricing.languages import LANGUAGES, UnsupportedLanguageError, check_language
from quote_builder.pricing.legal import LegalFrame, legal_texts_from_json
from quote_builder.pricing.money import to_decimal
from quote_builder.pricing.playbook import PricingModel, ProductCategory

from .columns import DecimalText, UTCDateTime, utcnow

QUOTE_STATUSES = (
    "draft",
    "pending_approval",
    "approved",
    "rejected",
    "sent",
    "accepted",
    "lost",
    "expired",
)
QUOTE_KINDS = ("new", "renewal", "expansion", "amendment")
"""What a quote is to its customer's contracts: a new deal, or a change to an accepted one
(``parent_quote_id``): its renewal, an expansion co-termed to it, an amendment of it."""
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@declared_attr.directive
def _optimistic_locking(cls: Any) -> dict[str, Any]:
    """``version_id`` as SQLAlchemy's version counter: an UPDATE based on a stale copy
    matches no row and raises StaleDataError instead of overwriting."""
    return {"version_id_col": cls.__table__.c.version_id}


def _timestamp(**kwargs: Any) -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, **kwargs)


class _Validated(SQLModel):
    """Shared validators of the Base models (table models skip validation on init, so
    services validate through XCreate / XUpdate)."""

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # The same refusal on SQLite and PostgreSQL (which cannot store NUL at all).
        if isinstance(value, str):
            refuse_nul(value)
        return value

    @field_validator("currency", check_fields=False)
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        if value is not None and not is_currency(value):
            raise ValueError(f"unknown currency {value!r}: use an ISO 4217 code such as USD or EUR")
        return value

    @field_validator("billing_email", "email", check_fields=False)
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value and not _EMAIL.match(value):
            raise ValueError(f"{value!r} is not an email address")
        return value

    @field_validator("product_category", check_fields=False)
    @classmethod
    def _category(cls, value: str | None) -> str | None:
        if value:
            try:
                ProductCategory(value)
            except ValueError:
                known = ", ".join(c.value for c in ProductCategory)
                raise ValueError(f"unknown product category {value!r}; one of {known}") from None
        return value or None

    @field_validator("pricing_model", check_fields=False)
    @classmethod
    def _model(cls, value: str | None) -> str | None:
        if value:
            try:
                PricingModel(value)
            except ValueError:
                known = ", ".join(m.value for m in PricingModel)
                raise ValueError(f"unknown pricing model {value!r}; one of {known}") from None
        return value

    @field_validator(
        "actions_per_user_per_day",
        "outcomes_per_month",
        "minutes_saved_per_task",
        "loaded_hourly_rate",
        "margin_floor_percent",
        "min_escalator_percent",
        mode="before",
        check_fields=False,
    )
    @classmethod
    def _decimal(cls, value: Any) -> Any:
        if value is None or value == "":
            return None
        try:
            number = to_decimal(value, what="value")
        except TypeError as exc:  # pydantic reports ValueErrors, not TypeErrors
            raise ValueError(str(exc).removeprefix("value: ")) from None
        if number < 0:
            raise ValueError("must not be negative")
        problem = stored_decimal_problem(number)
        if problem:
            raise ValueError(problem)
        return number


MAX_DECIMAL_PLACES = 10
MAX_WHOLE_DIGITS = 15


def stored_decimal_problem(number: Decimal) -> str | None:
    """Why a number cannot be kept in a decimal column (``DecimalText``, 64 characters of
    plain digits), in words (None when it can): "1e70" typed or pasted at 11 pm is 71 digits,
    which PostgreSQL refused with a traceback; "1e-70" is 70 decimal places."""
    if not number.is_finite():
        return "must be a number"
    if abs(number) >= Decimal(10) ** MAX_WHOLE_DIGITS:
        return f"must have at most {MAX_WHOLE_DIGITS} digits before the decimal point"
    if number != 0 and number.normalize().as_tuple().exponent < -MAX_DECIMAL_PLACES:  # type: ignore[operator]
        return f"must have at most {MAX_DECIMAL_PLACES} decimal places"
    return None


# --- customers and contacts --------------------------------------------------------------


class CustomerBase(_Validated):
    name: str = Field(min_length=1, max_length=200)
    legal_name: str = Field(default="", max_length=200)
    country: str = Field(default="", max_length=100)
    currency: str = Field(default="USD", min_length=3, max_length=3)
    product_category: str | None = Field(default=None, max_length=40)
    billing_email: str = Field(default="", max_length=254)
    billing_address: str = Field(default="", max_length=1000)
    crm_id: str = Field(default="", max_length=100)
    notes: str = Field(default="", max_length=10000, sa_type=Text)
    seats: int | None = Field(default=None, ge=0, le=10_000_000)
    actions_per_user_per_day: Decimal | None = Field(default=None, sa_type=DecimalText)
    outcomes_per_month: Decimal | None = Field(default=None, sa_type=DecimalText)
    minutes_saved_per_task: Decimal | None = Field(default=None, sa_type=DecimalText)
    loaded_hourly_rate: Decimal | None = Field(default=None, sa_type=DecimalText)
    tax_id: str = Field(default="", max_length=50)
    """The customer's tax ID (VAT ID, ABN, GSTIN ...): its form is checked against the
    country by the service (migration 0010)."""
    region: str = Field(default="", max_length=3)
    """State or province code (ON, NY) where the tax rate depends on it."""
    language: str = Field(default="", max_length=5)
    """The language of the customer's documents (``de``, ``fr``, ``es``, ``ja``, ``en``);
    empty: the default of the customer's country (migration 0011 set ``en`` on the
    customers that existed before, whose documents were English)."""

    @field_validator("name", "legal_name", mode="before")
    @classmethod
    def _trimmed_name(cls, value: Any) -> Any:
        return _trim_name(value)

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: Any) -> Any:
        return _document_language(value)


def _document_language(value: Any) -> Any:
    """A customer's document language as its code, empty for "from the country"; anything
    else refused with the languages documents are written in."""
    if value is None or not isinstance(value, str) or not value.strip():
        return "" if value is None or isinstance(value, str) else value
    try:
        return check_language(value)
    except UnsupportedLanguageError:
        names = ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())
        raise ValueError(
            f"{value!r} is not a language Quote Builder writes documents in; use one of "
            f"{names}, or leave it empty for the country's"
        ) from None


def _trim_name(value: Any) -> Any:
    """A name on one line: white space trimmed and each run of it one space ("  Contoso
    Legal " is "Contoso Legal"; so is a name pasted with a tab, a line break or a no-break
    space in it: a name is printed on one line in lists, proposals and order forms).
    Duplicates are compared by ``customer_name_key``, which also folds case."""
    return " ".join(value.split()) if isinstance(value, str) else value


def customer_name_key(name: str) -> str:
    """How customer names are compared: Unicode NFKC first (the same text typed and pasted
    is the same name: "é" as one character or as "e" and an accent, a no-break space,
    full-width letters), then spaces trimmed and collapsed (any white space) and case
    folded ("contoso  legal " is "Contoso Legal"). Python's casefold, not SQL's lower():
    SQLite folds ASCII only, and PostgreSQL's lower() is not casefold ("ß"). Accents count:
    "Müller" and "Muller" are two names (migration 0013 added the normalisation)."""
    folded = " ".join(unicodedata.normalize("NFKC", name).split()).casefold()
    return unicodedata.normalize("NFKC", folded)


# Letters NFKD does not take apart into a base letter and an accent, as a keyboard without
# them writes them (the Nordic, Polish, Croatian, Icelandic and Turkish ones, the ligatures).
_PLAIN_LETTERS = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ł": "l",
        "ħ": "h",
        "ı": "i",
        "ŀ": "l",
        "ŧ": "t",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ð": "d",
        "ĳ": "ij",
    }
)
# The spellings of letters written without them in German and the Nordic languages
# ("Mueller" for "Müller", "Oersted" for "Ørsted", "Aalborg" for "Ålborg").
_SPELLED_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ø": "oe", "å": "aa"})


def _plain(text: str) -> str:
    parts = unicodedata.normalize("NFKD", text.translate(_PLAIN_LETTERS))
    return "".join(ch for ch in parts if not unicodedata.combining(ch))


def customer_search_variants(text: str) -> tuple[str, ...]:
    """How customer search compares names (the one folding of the app's customer search,
    the command line's ``customers list --search`` and the quote list's search by customer
    name): white space collapsed, case folded (ß is ss), accents dropped ("Café" is "cafe",
    "Ørsted" "orsted") and, as a second spelling when it differs, the umlauts written out
    ("Müller" is "muller" and "mueller"), so "mueller", "muller" and "müller" all find
    "Müller GmbH" and "müller" finds "Mueller Brothers". Unlike ``customer_name_key``
    (duplicates), accents do not count here: search finds more, saving refuses less."""
    folded = " ".join(unicodedata.normalize("NFKC", text).split()).casefold()
    folded = unicodedata.normalize("NFC", folded)
    variants = [_plain(folded), _plain(folded.translate(_SPELLED_LETTERS))]
    return tuple(dict.fromkeys(variants))


SEARCH_KEY_SEPARATOR = "\n"
"""Between the variants in ``Customer.search_key``: a searched text never holds it (its
white space is collapsed), so a match never spans two variants."""


def customer_search_key(name: str) -> str:
    """``Customer.search_key``: the name's search variants (``customer_search_variants``)."""
    return SEARCH_KEY_SEPARATOR.join(customer_search_variants(name))


class Customer(CustomerBase, table=True):
    __tablename__: ClassVar[str] = "customer"
    __table_args__ = (
        Index("ux_customer_name_key", "name_key", unique=True),
        # The list sorted by country reads a page country by country (migration 0016).
        Index("ix_customer_country", "country", "archived"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name_key: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    """``customer_name_key(name)``, set on every insert and update (migration 0009): its
    unique index makes a second customer of the same name impossible, even when two
    writers pass the services' read check at once (PostgreSQL). NULL only in a row written
    outside the app."""
    search_key: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    """``customer_search_key(name)``, set on every insert and update (migration 0017): what
    search compares. NULL only in a row written outside the app (found by its name until
    the app next opens the database and fills it)."""
    archived: bool = Field(default=False)
    version_id: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    created_at: dt.datetime = _timestamp()
    updated_at: dt.datetime = _timestamp()
    updated_by: str = Field(default="", max_length=100)

    __mapper_args__ = _optimistic_locking


class CustomerCreate(CustomerBase):
    pass


class CustomerUpdate(_Validated):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    legal_name: str | None = Field(default=None, max_length=200)
    country: str | None = Field(default=None, max_length=100)
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    product_category: str | None = None
    billing_email: str | None = Field(default=None, max_length=254)
    billing_address: str | None = Field(default=None, max_length=1000)
    crm_id: str | None = Field(default=None, max_length=100)
    notes: str | None = Field(default=None, max_length=10000)
    seats: int | None = Field(default=None, ge=0, le=10_000_000)
    actions_per_user_per_day: Decimal | None = None
    outcomes_per_month: Decimal | None = None
    minutes_saved_per_task: Decimal | None = None
    loaded_hourly_rate: Decimal | None = None
    tax_id: str | None = Field(default=None, max_length=50)
    region: str | None = Field(default=None, max_length=3)
    language: str | None = Field(default=None, max_length=5)

    @field_validator("name", "legal_name", mode="before")
    @classmethod
    def _trimmed_name(cls, value: Any) -> Any:
        return _trim_name(value)

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: Any) -> Any:
        return None if value is None else _document_language(value)


class CustomerPublic(CustomerBase):
    id: int
    archived: bool
    version_id: int
    created_at: dt.datetime
    updated_at: dt.datetime
    updated_by: str


def _set_name_key(_mapper: Mapper[Any], _connection: Any, target: Customer) -> None:
    target.name_key = customer_name_key(target.name)
    target.search_key = customer_search_key(target.name)


def _update_name_key(_mapper: Mapper[Any], connection: Any, target: Customer) -> None:
    """The key follows the name on every update, except for a row written outside the app
    (no key) whose name another customer has, edited without renaming it (archived, notes
    changed): it keeps no key, so the edit is not refused for a name its user did not give;
    ``repositories.fill_missing_name_keys`` renames it when the app next opens the database."""
    target.search_key = customer_search_key(target.name)
    key = customer_name_key(target.name)
    if target.name_key is None and not sa_inspect(target).attrs.name.history.has_changes():
        other = connection.execute(
            select(col(Customer.id)).where(
                col(Customer.name_key) == key, col(Customer.id) != target.id
            )
        ).first()
        if other is not None:
            return
    target.name_key = key


event.listen(Customer, "before_insert", _set_name_key)
event.listen(Customer, "before_update", _update_name_key)


class ContactBase(_Validated):
    name: str = Field(min_length=1, max_length=200)
    title: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=50)


class Contact(ContactBase, table=True):
    __tablename__: ClassVar[str] = "contact"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    created_at: dt.datetime = _timestamp()


class ContactCreate(ContactBase):
    pass


class ContactPublic(ContactBase):
    id: int
    customer_id: int


# --- catalog -----------------------------------------------------------------------------


class PlanBase(_Validated):
    name: str = Field(min_length=1, max_length=200)
    pricing_model: str = Field(max_length=40)
    product_category: str | None = Field(default=None, max_length=40)
    description: str = Field(default="", max_length=5000, sa_type=Text)
    currency: str = Field(default="USD", min_length=3, max_length=3)
    components_json: str = Field(sa_type=Text)
    """The components in the pricing engine's JSON format (a list)."""
    price_books_json: str = Field(default="{}", sa_type=Text)
    """Price books: the same components priced in other currencies, ``{"EUR": [...]}``
    (migration 0010); ``{}`` for none."""


class Plan(PlanBase, table=True):
    __tablename__: ClassVar[str] = "plan"

    id: int | None = Field(default=None, primary_key=True)
    active: bool = Field(default=True)
    version_id: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    created_at: dt.datetime = _timestamp()
    updated_at: dt.datetime = _timestamp()
    updated_by: str = Field(default="", max_length=100)

    __table_args__ = (UniqueConstraint("name", name="uq_plan_name"),)
    __mapper_args__ = _optimistic_locking


class PlanPublic(PlanBase):
    id: int
    active: bool
    version_id: int
    updated_at: dt.datetime
    updated_by: str


# --- quotes ------------------------------------------------------------------------------


class Quote(SQLModel, table=True):
    __tablename__: ClassVar[str] = "quote"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=40)
    customer_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("customer.id", ondelete="RESTRICT"), nullable=False, index=True
        )
    )
    owner: str = Field(default="", max_length=100)
    status: str = Field(default="draft", max_length=20)
    valid_until: dt.date | None = None
    title: str = Field(default="", max_length=200)
    latest_version: int = Field(default=0)
    currency: str = Field(default="USD", max_length=3)
    tcv_minor: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    """TCV of the latest version in integer minor units of ``currency``."""
    kind: str = Field(default="new", max_length=20)
    """``new``, or what it does to the accepted quote ``parent_quote_id`` (migration 0007)."""
    parent_quote_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("quote.id", ondelete="RESTRICT"), nullable=True),
    )
    lost_reason: str = Field(default="", max_length=500)
    """Why the deal was lost (a reason from the list, and the rep's words)."""
    option_count: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    """How many options the latest version offers (0: one offer; migration 0008)."""
    version_id: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    created_at: dt.datetime = _timestamp()
    updated_at: dt.datetime = _timestamp()
    updated_by: str = Field(default="", max_length=100)

    __table_args__ = (UniqueConstraint("number", name="uq_quote_number"),)
    __mapper_args__ = _optimistic_locking


class QuoteVersion(SQLModel, table=True):
    """An immutable snapshot: the canonical JSON of the quote document, its priced summary
    and the SHA-256 of the canonical JSON."""

    __tablename__: ClassVar[str] = "quote_version"

    id: int | None = Field(default=None, primary_key=True)
    quote_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("quote.id", ondelete="RESTRICT"), nullable=False, index=True
        )
    )
    number: int
    document_json: str = Field(sa_type=Text)
    summary_json: str = Field(sa_type=Text)
    content_hash: str = Field(max_length=64, index=True)
    author: str = Field(default="", max_length=100)
    created_at: dt.datetime = _timestamp()

    __table_args__ = (UniqueConstraint("quote_id", "number", name="uq_quote_version_number"),)


class AuditEvent(SQLModel, table=True):
    """Append-only: who did what, when, to which version."""

    __tablename__: ClassVar[str] = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = _timestamp()
    actor: str = Field(default="", max_length=100)
    action: str = Field(max_length=40)
    entity_type: str = Field(max_length=20)
    entity_id: int | None = None
    quote_id: int | None = Field(default=None, index=True)
    quote_version_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("quote_version.id"), nullable=True)
    )
    details_json: str = Field(default="{}", sa_type=Text)


# --- settings ----------------------------------------------------------------------------


class SettingsBase(_Validated):
    seller_name: str = Field(default="", max_length=200)
    seller_legal_name: str = Field(default="", max_length=200)
    seller_address: str = Field(default="", max_length=1000)
    seller_email: str = Field(default="", max_length=254)
    logo_path: str = Field(default="", max_length=1000)
    default_currency: str = Field(default="USD", min_length=3, max_length=3)
    margin_floor_percent: Decimal = Field(default=Decimal(60), sa_type=DecimalText)
    discount_authority_json: str = Field(
        default='{"rep": "10", "manager": "20", "deal_desk": "100"}', sa_type=Text
    )
    """Highest discount percent each role may give without approval from the next."""
    approval_term_months: int = Field(default=36, ge=1, le=120)
    """The longest term without deal-desk approval."""
    min_escalator_percent: Decimal = Field(default=Decimal(3), sa_type=DecimalText)
    """The lowest yearly escalator on a multi-year contract without approval."""
    max_payment_terms_days: int = Field(default=30, ge=0, le=365)
    custom_attribution_needs_approval: bool = Field(default=True)
    outcome_without_minimum_needs_approval: bool = Field(default=True)
    legal_frame_json: str = Field(default="{}", sa_type=Text)
    """The seller's legal frame for order forms (``pricing.legal.LegalFrame`` as JSON; ``{}``:
    every default)."""
    seller_country: str = Field(default="", max_length=100)
    """The seller's country (its English name, as customers keep theirs; migration 0010):
    with the customer's, it decides the quote's tax."""
    seller_tax_id: str = Field(default="", max_length=50)
    """The seller's VAT ID or other tax ID, printed on the order form with the tax line."""
    legal_texts_json: str = Field(default="{}", sa_type=Text)
    """The frame's texts in other languages (``{"de": {"governing_law": ...}}``,
    ``pricing.legal.LegalTexts`` by language; ``{}``: none given)."""
    seller_signatory: str = Field(default="", max_length=200)
    """Who signs order forms for the seller (migration 0014): printed under the seller's
    signature line; a final order form is refused without one."""
    seller_signatory_title: str = Field(default="", max_length=200)
    """Their title ("Chief Revenue Officer"), printed after the name."""

    @field_validator("seller_name", "seller_legal_name", mode="before")
    @classmethod
    def _one_line(cls, value: Any) -> Any:
        return _trim_name(value)  # printed on every proposal's cover and order form

    @field_validator("default_currency")
    @classmethod
    def _default_currency(cls, value: str) -> str:
        if not is_currency(value):
            raise ValueError(f"unknown currency {value!r}")
        return value

    @field_validator("legal_frame_json")
    @classmethod
    def _legal_frame(cls, value: str) -> str:
        try:
            LegalFrame.model_validate_json(value or "{}")
        except ValueError as exc:
            raise ValueError(f"not a valid legal frame: {exc}") from None
        return value or "{}"

    @field_validator("legal_texts_json")
    @classmethod
    def _legal_texts(cls, value: str) -> str:
        try:
            legal_texts_from_json(value or "{}")
        except ValueError as exc:
            raise ValueError(f"not valid clause texts by language: {exc}") from None
        return value or "{}"

    @field_validator("seller_email")
    @classmethod
    def _seller_email(cls, value: str) -> str:
        if value and not _EMAIL.match(value):
            raise ValueError(f"{value!r} is not an email address")
        return value


class Settings(SettingsBase, table=True):
    __tablename__: ClassVar[str] = "settings"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    updated_at: dt.datetime = _timestamp()
    updated_by: str = Field(default="", max_length=100)

    __mapper_args__ = _optimistic_locking


# --- exchange rates ------------------------------------------------------------------------


class ExchangeRateRow(SQLModel, table=True):
    """One rate of the user-maintained exchange-rate table (migration 0010): units of
    ``quote_currency`` per unit of ``base_currency``, its date and where it comes from. A
    quote copies the rate it uses (``QuoteDocument.exchange_rate``), so changing the table
    never changes a saved quote."""

    __tablename__: ClassVar[str] = "exchange_rate"

    id: int | None = Field(default=None, primary_key=True)
    base_currency: str = Field(max_length=3)
    quote_currency: str = Field(max_length=3)
    rate: Decimal = Field(sa_type=DecimalText)
    as_of: dt.date
    source: str = Field(max_length=200)
    version_id: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    updated_at: dt.datetime = _timestamp()
    updated_by: str = Field(default="", max_length=100)

    __table_args__ = (
        UniqueConstraint("base_currency", "quote_currency", name="uq_exchange_rate_pair"),
    )
    __mapper_args__ = _optimistic_locking


# --- approvals ---------------------------------------------------------------------------

APPROVAL_REQUEST_STATUSES = ("pending", "approved", "rejected", "superseded")


class ApprovalRequest(SQLModel, table=True):
    """A request for approval of one quote version (its hash frozen). On the rep's side
    ``quote_id`` is the quote; a request imported by the deal desk from a file has no quote
    in that database and keeps the document and summary it was sent."""

    __tablename__: ClassVar[str] = "approval_request"

    id: int | None = Field(default=None, primary_key=True)
    request_uid: str = Field(max_length=36)
    """The request's id across databases (a UUID)."""
    quote_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("quote.id", ondelete="RESTRICT"), nullable=True, index=True
        ),
    )
    quote_number: str = Field(max_length=40)
    customer_name: str = Field(default="", max_length=200)
    version_number: int
    version_hash: str = Field(max_length=64)
    reasons_json: str = Field(default="[]", sa_type=Text)
    """The reasons as English sentences (what request files and signed decisions quote)."""
    reason_details_json: str | None = Field(default=None, sa_type=Text)
    """The same reasons as codes and values (``approvals.policy.Reason``), for the app to
    write them in the user's language; NULL for requests stored before migration 0012."""
    required_role: str | None = Field(default=None, max_length=20)
    policy_json: str = Field(default="{}", sa_type=Text)
    document_json: str | None = Field(default=None, sa_type=Text)
    summary_json: str | None = Field(default=None, sa_type=Text)
    imported: bool = Field(default=False)
    requested_by: str = Field(default="", max_length=100)
    """The requester (who asked): the approver may never be this person."""
    requester_keys_json: str = Field(default="[]", sa_type=Text)
    """Fingerprints of approver keys found on the requesting machine: none of them may
    approve this request (migration 0005)."""
    policy_fingerprint: str | None = Field(default=None, max_length=64)
    """The organisation policy the reasons were evaluated under (None: settings, unverified)."""
    terms_json: str | None = Field(default=None, sa_type=Text)
    """The customer's terms of the version asked about, as its PDF attaches them
    (``terms.json``): the approver signs their SHA-256."""
    requested_at: dt.datetime = _timestamp()
    status: str = Field(default="pending", max_length=20)

    __table_args__ = (UniqueConstraint("request_uid", name="uq_approval_request_uid"),)


class ApprovalDecision(SQLModel, table=True):
    """A signed decision, append-only. ``decision_uid`` is unique: a decision file cannot
    be imported twice (replayed)."""

    __tablename__: ClassVar[str] = "approval_decision"

    id: int | None = Field(default=None, primary_key=True)
    decision_uid: str = Field(max_length=36)
    request_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("approval_request.id", ondelete="RESTRICT"),
            nullable=False,
            index=True,
        )
    )
    decision: str = Field(max_length=10)
    payload_json: str = Field(sa_type=Text)
    signature: str = Field(max_length=200)
    approver_name: str = Field(default="", max_length=100)
    approver_fingerprint: str = Field(max_length=64)
    statement_signature: str | None = Field(default=None, max_length=200)
    """The approver's signature of the public statement (approvals.statement), which a
    final PDF carries; None for decisions signed before migration 0005."""
    imported_at: dt.datetime = _timestamp()

    __table_args__ = (UniqueConstraint("decision_uid", name="uq_approval_decision_uid"),)


class TrustedKey(SQLModel, table=True):
    """An approver's public key this database accepts decisions from."""

    __tablename__: ClassVar[str] = "trusted_key"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    public_key: str = Field(max_length=100)
    fingerprint: str = Field(max_length=64)
    added_by: str = Field(default="", max_length=100)
    added_at: dt.datetime = _timestamp()

    __table_args__ = (UniqueConstraint("fingerprint", name="uq_trusted_key_fingerprint"),)


class PolicyBundleRow(SQLModel, table=True):
    """An organisation policy bundle installed here (migration 0005), append-only: a newer
    bundle is a new row and the highest serial is the policy. The app never trusts these
    columns as written: the bundle is verified again (signature, rules commitment,
    fingerprint) every time it is read."""

    __tablename__: ClassVar[str] = "policy_bundle"

    id: int | None = Field(default=None, primary_key=True)
    fingerprint: str = Field(max_length=64)
    serial: int
    organisation: str = Field(default="", max_length=200)
    org_fingerprint: str = Field(max_length=64)
    header_json: str = Field(sa_type=Text)
    signature: str = Field(max_length=200)
    rules_json: str = Field(sa_type=Text)
    installed_by: str = Field(default="", max_length=100)
    installed_at: dt.datetime = _timestamp()

    __table_args__ = (UniqueConstraint("fingerprint", name="uq_policy_bundle_fingerprint"),)


class SentDocument(SQLModel, table=True):
    """A final PDF as it was sent (migration 0007), append-only: the exact bytes, so that
    sending again sends the same file, and what they were made from."""

    __tablename__: ClassVar[str] = "sent_document"

    id: int | None = Field(default=None, primary_key=True)
    quote_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("quote.id", ondelete="RESTRICT"), nullable=False, index=True
        )
    )
    version_number: int
    version_hash: str = Field(max_length=64)
    terms_hash: str = Field(max_length=64)
    pdf_sha256: str = Field(max_length=64, index=True)
    pdf: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    file_name: str = Field(max_length=200)
    signer: str = Field(default="", max_length=500)
    """The seller's signing certificate's subject."""
    certificate_sha256: str = Field(default="", max_length=64)
    trial_certificate: bool = Field(default=False)
    sent_by: str = Field(default="", max_length=100)
    sent_at: dt.datetime = _timestamp()


ACCEPTANCE_METHODS = ("signed_pdf", "paper")


class Acceptance(SQLModel, table=True):
    """The customer's acceptance of a sent PDF (migration 0007), append-only: their signed
    PDF (checked on import) or a scan of a printed and signed copy."""

    __tablename__: ClassVar[str] = "acceptance"

    id: int | None = Field(default=None, primary_key=True)
    quote_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("quote.id", ondelete="RESTRICT"), nullable=False, index=True
        )
    )
    sent_document_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("sent_document.id", ondelete="RESTRICT"), nullable=False
        )
    )
    method: str = Field(max_length=20)
    signed_by: str = Field(max_length=200)
    signed_at: dt.datetime = Field(sa_type=UTCDateTime)
    signer_detail: str = Field(default="", max_length=1000)
    """The customer's certificate (subject, issuer, fingerprint) for a signed PDF."""
    file_name: str = Field(default="", max_length=200)
    file_sha256: str = Field(max_length=64)
    file: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    recorded_by: str = Field(default="", max_length=100)
    recorded_at: dt.datetime = _timestamp()


class ImmutableRowError(RuntimeError):
    """An attempt to change an append-only row."""


def _refuse_change(mapper: Mapper[Any], connection: Any, target: Any) -> None:
    raise ImmutableRowError(f"{type(target).__name__} rows are append-only")


for _model in (
    QuoteVersion,
    AuditEvent,
    ApprovalDecision,
    PolicyBundleRow,
    SentDocument,
    Acceptance,
):
    event.listen(_model, "before_update", _refuse_change)
    event.listen(_model, "before_delete", _refuse_change)


class DatabaseIdentity(SQLModel, table=True):
    """One row: the database's UUID, made when it was created (migration 0004). What the app
    keeps outside the database (autosaved drafts) is keyed by it."""

    __tablename__: ClassVar[str] = "database_identity"

    id: int | None = Field(default=None, primary_key=True)
    database_uuid: str = Field(max_length=36, unique=True)
    created_at: dt.datetime = _timestamp()
