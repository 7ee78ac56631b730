"""The services' refusals in the interface's language: each ``Sentence`` code's whole
sentence as a ``ui`` message (``service_words`` fills it with the values the user's way).

The English messages read as the services' English (``tests/ui/test_service_words.py``
compares them), so the English interface says what the command line says, with numbers
and dates in the user's locale. A code with cases, or whose values need words of their
own (a warning's title, a field's label), has a function instead of a message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from .i18n import N_, _, joined

Values = Mapping[str, Any]


def _w(code: str, values: Values) -> str:
    from .service_words import write

    return write(code, values)


def _shown(name: str, value: Any) -> str:
    from .service_words import shown

    return shown(name, value)


def _fill(message: str, values: Values, **extra: str) -> str:
    """``message`` translated and filled: the values shown the user's way, ``extra``
    as given."""
    shown = {name: _shown(name, value) for name, value in values.items()}
    return _(message).format(**{**shown, **extra})


# --- values with words of their own ----------------------------------------------------------

UNDRAWABLE_FIELDS: dict[str, str] = {
    "the seller's name (Settings, Seller profile)": N_(
        "the seller's name (Settings, Seller profile)"
    ),
    "the seller's legal name (Settings, Seller profile)": N_(
        "the seller's legal name (Settings, Seller profile)"
    ),
    "the seller's address (Settings, Seller profile)": N_(
        "the seller's address (Settings, Seller profile)"
    ),
    "the customer's name": N_("the customer's name"),
    "the customer's legal name": N_("the customer's legal name"),
    "the customer's address": N_("the customer's address"),
    "the customer's billing address": N_("the customer's billing address"),
    "the customer's contact name": N_("the customer's contact name"),
    "the quote's title": N_("the quote's title"),
    "the quote number": N_("the quote number"),
}
"""The fields the documents name when the PDF fonts cannot draw a character of them
(``documents.fonts.FIELD_NAMES``, by their English words)."""


def _undrawable(v: Values) -> str:
    """Text the PDF cannot print, the field named in the interface's language ("the
    quote's title" is "der Titel des Angebots")."""
    field = str(v["field"])
    component = re.fullmatch(r"component (\d+)'s name", field)
    if component:
        where = _("component {number}'s name").format(number=component.group(1))
    elif field in UNDRAWABLE_FIELDS:
        where = _(UNDRAWABLE_FIELDS[field])
    else:
        where = field
    return _fill(
        N_(
            "{field} ('{value}') has a character the PDF fonts cannot draw: {character}. "
            "Write it without that character; Quote Builder never changes a name or a term "
            "silently"
        ),
        v,
        field=where,
    )


NOT_FOUND: dict[str, str] = {
    "quote": N_("quote {id} does not exist"),
    "customer": N_("customer {id} does not exist"),
    "contact": N_("contact {id} does not exist"),
    "plan": N_("plan {id} does not exist"),
    "exchange rate": N_("exchange rate {id} does not exist"),
}


def _not_found(v: Values) -> str:
    return _fill(NOT_FOUND[str(v["kind"])], v)


def _conflict(v: Values) -> str:
    from . import locale_format

    when = locale_format.moment(v["changed_at"])
    if v.get("changed_by"):
        return _fill(
            N_(
                "{what} was changed by {changed_by} at {changed_at} after you opened it; nothing was "
                "saved. Reload to see their changes, then apply yours again."
            ),
            v,
            changed_at=when,
        )
    return _fill(
        N_(
            "{what} was changed by someone at {changed_at} after you opened it; nothing was saved. "
            "Reload to see their changes, then apply yours again."
        ),
        v,
        changed_at=when,
    )


INPUT_FIELDS: dict[str, str] = {
    "name": N_("Name"),
    "email": N_("Email"),
    "phone": N_("Phone"),
    "title": N_("Title"),
    "currency": N_("Currency"),
    "country": N_("Country"),
    "region": N_("Region"),
    "tax_id": N_("Tax ID"),
    "seats": N_("Seats"),
    "crm_id": N_("CRM id"),
    "billing_address": N_("Billing address"),
    "address": N_("Address"),
    "language": N_("Document language"),
    "notes": N_("Notes"),
}
"""The fields a form sends to a use case, as the forms label them (a pydantic problem
names the field by its key)."""


def field_title(key: str) -> str:
    """A field's label from its key (``tax_id`` -> "Tax ID"); a key not known here as it
    is."""
    english = INPUT_FIELDS.get(key)
    return _(english) if english is not None else key


def _input(message: str) -> Callable[[Values], str]:
    def write(v: Values) -> str:
        return _fill(message, v, field=field_title(str(v["field"])))

    return write


DEAL_METHODS = {
    "paper": N_("a printed copy signed on paper and scanned"),
    "signed_pdf": N_("their signed PDF, signature intact"),
    "signed_pdf_self_signed": N_(
        "their signed PDF, signature intact; a self-signed certificate: it does not prove who "
        "signed"
    ),
}
"""How the customer signed, as the banner of an accepted quote says it
(``services.approvals.deal_note``)."""


def _deal_note(v: Values) -> str:
    """The banner's line of a sent or accepted quote (``services.approvals.deal_note``):
    the file sent; who signed it back, when and how; and, when the signer is not the one
    the order form names, whom it names and who confirmed it."""
    text = _fill(
        N_("Sent by {sent_by} on {sent_at} UTC: {file_name}, signed by {signer}, SHA-256 {sha}…"),
        v,
    )
    if v.get("signed_by"):
        text += _fill(
            N_("; signed by {signed_by} on {signed_on} ({method})"),
            v,
            method=_(DEAL_METHODS.get(str(v["method"]), DEAL_METHODS["signed_pdf"])),
        )
    if v.get("confirmed_by"):
        text += _fill(
            N_(
                "; not {signatory}, whom the order form names to sign: recorded as "
                "{confirmed_by} confirmed"
            ),
            v,
        )
    return text


def _legal_title(key: str) -> str:
    from .settings_view import _legal_title as title

    return title(key)


def _settings_legal_field(v: Values) -> str:
    where = _("Legal frame, {field}").format(field=_legal_title(str(v["field"])))
    problem = v["problem"]
    return _w(problem.code, {**problem.params, "field": where})


def _settings_legal_text_field(v: Values) -> str:
    from .countries import in_ui_language

    where = _("Legal frame in {language}, {field}").format(
        language=in_ui_language(str(v["language"])), field=_legal_title(str(v["field"]))
    )
    problem = v["problem"]
    return _w(problem.code, {**problem.params, "field": where})


GOVERNED: dict[str, str] = {
    "margin_floor_percent": N_("Margin floor"),
    "discount_authority_json": N_("Discount authority"),
    "approval_term_months": N_("Longest term without approval"),
    "min_escalator_percent": N_("Lowest escalator"),
    "max_payment_terms_days": N_("Longest payment terms"),
    "custom_attribution_needs_approval": N_("A custom attribution method needs approval"),
    "outcome_without_minimum_needs_approval": N_(
        "Outcome pricing without a minimum needs approval"
    ),
}
"""The settings an organisation policy governs (``services.settings.GOVERNED``)."""


def _governed(v: Values) -> str:
    field = _(GOVERNED[str(v["field"])])
    return _fill(
        N_(
            "{field}: set by the organisation's {policy}; it cannot be changed here (the deal desk "
            "publishes a new policy to change it)"
        ),
        v,
        field=field,
    )


def _governed_frozen(v: Values) -> str:
    return _fill(
        N_(
            "{field}: governed by the organisation's policy, which fails its check; it cannot be "
            "changed here (the deal desk publishes a new policy to change it)"
        ),
        v,
        field=_(GOVERNED[str(v["field"])]),
    )


def _drift_value(field: str, value: Any) -> str:
    """A governed setting's value as the Settings page holds it: a number without its
    sign (the field's label says it is a percent), the discount authority per role."""
    import json

    from .labels import role_title
    from .service_words import number, percent

    if field == "discount_authority_json":
        try:
            values = json.loads(value)
            if not isinstance(values, dict):
                raise TypeError(type(values).__name__)
            for role in values:
                Decimal(str(values[role]))
        except (ValueError, TypeError, ArithmeticError, RecursionError):
            return repr(value)  # edited by hand into something else: shown as it is
        return ", ".join(
            _("{role} {percent}").format(
                role=role_title(role), percent=percent(Decimal(str(values[role])))
            )
            for role in ("rep", "manager", "deal_desk")
            if role in values
        )
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    try:
        return number(Decimal(str(value)))
    except InvalidOperation:
        return str(value)


def _drift(v: Values) -> str:
    field = str(v["field"])
    return _(
        "{field}: the database says {stored}, the policy {policy}; the policy's value counts"
    ).format(
        field=_(GOVERNED[field]),
        stored=_drift_value(field, v["stored"]),
        policy=_drift_value(field, v["policy"]),
    )


FILE_WHATS: dict[str, str] = {
    "The decision file": N_("The decision file"),
    "The request file": N_("The request file"),
    "The PDF": N_("The PDF"),
    "the PDF": N_("the PDF"),
    "the HTML": N_("the HTML"),
    "the key file": N_("the key file"),
    "the public key": N_("the public key"),
    "the signing certificate": N_("the signing certificate"),
    "the certificate": N_("the certificate"),
    "the autosaved draft": N_("the autosaved draft"),
    "the crash report": N_("the crash report"),
    "the backup": N_("the backup"),
    "the list of recent databases": N_("the list of recent databases"),
    "the recent list": N_("the recent list"),
    "CSV file": N_("CSV file"),
    "PDF": N_("PDF"),
    "key file": N_("key file"),
    "policy file": N_("policy file"),
    "signed file": N_("signed file"),
    "signing certificate": N_("signing certificate"),
    "certificate": N_("certificate"),
    "font": N_("font"),
    "file": N_("file"),
}
"""What a file the app writes or reads is, as the services name it (``what=``)."""

OS_REASONS: dict[str, str] = {
    "the disk is full": N_("the disk is full"),
    "your disk quota is used up": N_("your disk quota is used up"),
    "the folder is on a read-only disk": N_("the folder is on a read-only disk"),
    "permission denied": N_("permission denied"),
    "the folder does not exist": N_("the folder does not exist"),
    "a part of the path is not a folder": N_("a part of the path is not a folder"),
    "it is a folder": N_("it is a folder"),
    "the name is too long": N_("the name is too long"),
    "the disk reported an input/output error": N_("the disk reported an input/output error"),
}
"""Why the system refused a file (``safe_files._REASONS``); another reason as the system
said it."""


def _file_what(english: str) -> str:
    found = FILE_WHATS.get(english)
    return _(found) if found is not None else english


def _os_reason(english: str) -> str:
    found = OS_REASONS.get(english)
    return _(found) if found is not None else english


def _file(message: str) -> Callable[[Values], str]:
    """A file's refusal, the file named by what it is and its path ("Die Entscheidungsdatei
    /tmp/d.json")."""

    def write(v: Values) -> str:
        what = str(v.get("what") or "")
        label = (
            _("{what} {path}").format(what=_file_what(what), path=v["path"])
            if what
            else str(v["path"])
        )
        extra = {"label": label}
        if "reason" in v:
            extra["reason"] = _os_reason(str(v["reason"]))
        return _fill(message, v, **extra)

    return write


def _file_read(message: str) -> Callable[[Values], str]:
    def write(v: Values) -> str:
        extra = {}
        if "reason" in v:
            extra["reason"] = _os_reason(str(v["reason"]))
        if "what" in v:
            extra["what"] = _file_what(str(v["what"]))
        return _fill(message, v, **extra)

    return write


def _fault(message: str) -> Callable[[Values], str]:
    """A database fault: its sentence, then the driver's own words in parentheses (for
    whoever supports the app: SQLite's and PostgreSQL's messages are English)."""

    def write(v: Values) -> str:
        return _(message).format(reason=v["reason"])

    return write


def _authority_changed(v: Values) -> str:
    from .labels import role_title

    return _("the {role}'s discount authority does not match what the organisation signed").format(
        role=role_title(str(v["role"]))
    )


def _duplicate(v: Values) -> str:
    return _fill(
        N_(
            "Customer name: {name} already exists (use it instead of adding another customer with "
            "the same name)."
        ),
        v,
    )


def _duplicate_archived(v: Values) -> str:
    return _fill(
        N_(
            "Customer name: {name} already exists (archived; restore it instead of adding another "
            "customer with the same name)."
        ),
        v,
    )


def _price_book(message: str) -> Callable[[Values], str]:
    def write(v: Values) -> str:
        where = _("Price book {currency}").format(currency=v["currency"])
        return _fill(message, v, where=where)

    return write


def _languages(v: Values) -> str:
    from .countries import in_ui_language

    return in_ui_language(str(v))


def _other_language(v: Values) -> str:
    from .countries import in_ui_language

    return _fill(
        N_(
            "the approval of {number} covers its documents in the quote's own language "
            "({own_language}); in {language} the order form's terms differ, so it renders as a "
            "draft (change the quote's language and ask for approval again)"
        ),
        v,
        own_language=in_ui_language(str(v["own_language"])),
        language=in_ui_language(str(v["language"])),
    )


TERMS_CHANGES: dict[str, str] = {
    "customer.name": N_("the customer's name"),
    "customer.legal_name": N_("the customer's legal name"),
    "customer.address": N_("the customer's address"),
    "customer.billing_address": N_("the customer's billing address"),
    "customer.email": N_("the customer's email"),
    "customer.country": N_("the customer's country"),
    "customer.signatory": N_("the customer's signatory"),
    "customer.signatory_title": N_("the customer's signatory's title"),
    "customer.tax_id": N_("the customer's tax ID"),
    "seller": N_("the seller profile"),
    "legal": N_("the legal frame"),
    "language": N_("the documents' language"),
    "validity": N_("the offer's validity"),
    "terms": N_("the quote's terms"),
}
"""What changed in a quote's customer terms since its approval was asked for
(``services.approvals.terms_changes`` codes)."""


def terms_changes_text(changes: Any) -> str:
    return ", ".join(_(TERMS_CHANGES.get(str(c), TERMS_CHANGES["terms"])) for c in changes)


def _terms_changed(message: str) -> Callable[[Values], str]:
    def write(v: Values) -> str:
        return _(message).format(
            number=v["number"], version=v["version"], changes=terms_changes_text(v["changes"])
        )

    return write


def _host_stopped(v: Values) -> str:
    return _(
        "the database process stopped unexpectedly. What you just did may not have been saved: "
        "look before doing it again. The next action starts the database process again."
    )


def _host_stopped_code(v: Values) -> str:
    return _(
        "the database process stopped unexpectedly (exit code {code}). What you just did may "
        "not have been saved: look before doing it again. The next action starts the database "
        "process again."
    ).format(code=v["code"])


def _expired(v: Values) -> str:
    if v["valid_until"] == "?":
        raise ValueError("no date")
    return _fill(
        N_(
            "{number} expired on {valid_until} (its valid-until date has passed): re-issue it as a "
            "new version with a new valid-until date first"
        ),
        v,
    )


def _lost_reason(v: Values) -> str:
    from .labels import lost_reason

    reasons = ", ".join(lost_reason(key, key) for key in v["reasons"])
    return _("Reason: choose one of {reasons}").format(reasons=reasons)


def _no_way_back(v: Values) -> str:
    return _fill(N_("{number} is {status}: it cannot go back to {to_status}"), v)


def _no_way_back_sent(v: Values) -> str:
    return _fill(
        N_(
            "{number} is {status}: it cannot go back to {to_status} (edit it to make a new draft "
            "version)"
        ),
        v,
    )


def _not_priced(v: Values) -> str:
    return _fill(N_("the quote cannot be priced: {problem}"), v)


def _not_priced_option(v: Values) -> str:
    return _fill(N_("option {option}: the quote cannot be priced: {problem}"), v)


def _logo_too_large(v: Values) -> str:
    from .service_words import number

    return _fill(
        N_("the file is {size} MB; a logo may be at most {limit} MB (save a smaller image)"),
        v,
        size=number(v["size"]),
    )


def _metric_not_in_quote(v: Values) -> str:
    return _fill(
        N_("metric map {metric}: the quote has no metric '{metric}' (it has {metrics})"), v
    )


def _metric_quote_has_none(v: Values) -> str:
    return _fill(N_("metric map {metric}: the quote has no metric '{metric}' (it has none)"), v)


def _authority_role(v: Values) -> str:
    return _fill(N_("{name} approves as {role}, but this quote needs the {required_role}"), v)


def _authority_unproven(v: Values) -> str:
    from .service_words import percent

    return _fill(
        N_("nothing in the document shows the {discount} discount within the {role}'s authority"),
        v,
        discount=percent(v["discount"]),
    )


def _authority_discount(v: Values) -> str:
    from .service_words import percent

    return _fill(
        N_("the effective discount is {discount}, above the {role}'s {limit} authority"),
        v,
        discount=percent(v["discount"]),
        limit=percent(v["limit"]),
    )


def _text_missing(v: Values) -> str:
    from .countries import in_ui_language

    language = in_ui_language(str(v["language"]))
    return _(
        "Legal frame, {field}: the seller's text is not given in {language}, so the {language} "
        "order form would carry the English text; give it in Settings, Order form: legal frame, "
        "texts in other languages (or write it on the quote)"
    ).format(field=_legal_title(str(v["field"])), language=language)


def _render_blocking(v: Values) -> str:
    return _fill(N_("a quote with blocking warnings ({blocking}) cannot be rendered as final"), v)


def _not_ready(v: Values) -> str:
    from .service_words import texts

    return _("the order form is not ready to sign: {problems}").format(
        problems=joined(texts(list(v["problems"])))
    )


def _quote_unreadable(v: Values) -> str:
    return "\n".join([_("the request's quote cannot be read:"), *v["problems"]])


TAX_ID_FORMS: dict[str, str] = {
    "ATU followed by 8 digits": N_("ATU followed by 8 digits"),
    "BE followed by 10 digits starting with 0 or 1": N_(
        "BE followed by 10 digits starting with 0 or 1"
    ),
    "BG followed by 9 or 10 digits": N_("BG followed by 9 or 10 digits"),
    "CY followed by 8 digits and a letter": N_("CY followed by 8 digits and a letter"),
    "CZ followed by 8 to 10 digits": N_("CZ followed by 8 to 10 digits"),
    "DE followed by 9 digits": N_("DE followed by 9 digits"),
    "DK followed by 8 digits": N_("DK followed by 8 digits"),
    "EE followed by 9 digits": N_("EE followed by 9 digits"),
    "ES followed by 9 characters": N_("ES followed by 9 characters"),
    "FI followed by 8 digits": N_("FI followed by 8 digits"),
    "FR followed by 2 characters and 9 digits": N_("FR followed by 2 characters and 9 digits"),
    "EL followed by 9 digits": N_("EL followed by 9 digits"),
    "HR followed by 11 digits": N_("HR followed by 11 digits"),
    "HU followed by 8 digits": N_("HU followed by 8 digits"),
    "IE followed by 8 or 9 characters": N_("IE followed by 8 or 9 characters"),
    "IT followed by 11 digits": N_("IT followed by 11 digits"),
    "LT followed by 9 or 12 digits": N_("LT followed by 9 or 12 digits"),
    "LU followed by 8 digits": N_("LU followed by 8 digits"),
    "LV followed by 11 digits": N_("LV followed by 11 digits"),
    "MT followed by 8 digits": N_("MT followed by 8 digits"),
    "NL followed by 9 digits, B and 2 digits": N_("NL followed by 9 digits, B and 2 digits"),
    "PL followed by 10 digits": N_("PL followed by 10 digits"),
    "PT followed by 9 digits": N_("PT followed by 9 digits"),
    "RO followed by 2 to 10 digits": N_("RO followed by 2 to 10 digits"),
    "SE followed by 12 digits ending in 01": N_("SE followed by 12 digits ending in 01"),
    "SI followed by 8 digits": N_("SI followed by 8 digits"),
    "SK followed by 10 digits": N_("SK followed by 10 digits"),
    "GB followed by 9 or 12 digits": N_("GB followed by 9 or 12 digits"),
    "an ABN of 11 digits": N_("an ABN of 11 digits"),
    "a GST number of 8 or 9 digits": N_("a GST number of 8 or 9 digits"),
    "a business number of 9 digits (RT0001 may follow)": N_(
        "a business number of 9 digits (RT0001 may follow)"
    ),
    "a GSTIN of 15 characters": N_("a GSTIN of 15 characters"),
    "T followed by 13 digits": N_("T followed by 13 digits"),
    "a GST registration number": N_("a GST registration number"),
}
"""How each country writes its tax ID (``pricing.tax._FORMATS``), by the English words."""


def tax_id_form(english: str) -> str:
    found = TAX_ID_FORMS.get(english)
    return _(found) if found is not None else english


def _tax_id_form(v: Values) -> str:
    return _fill(
        N_(
            "{field}: {value} is not a tax ID of {country}: write {written}, for example {example}."
        ),
        v,
        field=field_title_of_label(str(v["field"])),
        written=tax_id_form(str(v["written"])),
    )


LABELS_AS_SENT: dict[str, str] = {
    "Tax ID": N_("Tax ID"),
    "Seller tax ID": N_("Seller tax ID"),
    "Region": N_("Region"),
}
"""Field labels a use case names in English (``field="Tax ID"``)."""


def field_title_of_label(label: str) -> str:
    english = LABELS_AS_SENT.get(label)
    return _(english) if english is not None else label


def _tax_field(message: str) -> Callable[[Values], str]:
    def write(v: Values) -> str:
        return _fill(message, v, field=field_title_of_label(str(v["field"])))

    return write


def _tax_unconfirmed(v: Values) -> str:
    from .labels import tax_title

    return _(
        "{tax}: the rate on this quote is not confirmed. Enter the rate that applies to the "
        "customer (0 if the sale is not taxable) and confirm it in the quote editor (Terms, Tax) "
        "before sending the quote as final."
    ).format(tax=tax_title(str(v["tax_kind"])))


def _customer_incomplete(v: Values) -> str:
    from .labels import customer_gaps_text

    return customer_gaps_text(str(v["customer"]), list(v["gaps"]))


def _finalise_incomplete(v: Values) -> str:
    from .labels import customer_gaps_text

    return _("{number} cannot be finalised: {problem}").format(
        number=v["number"], problem=customer_gaps_text(str(v["customer"]), list(v["gaps"]))
    )


def _tax_changed(v: Values) -> str:
    from .labels import tax_changed_text

    return tax_changed_text(str(v["customer"]), list(v["changes"]))


def _finalise_tax_stale(v: Values) -> str:
    problem = v["problem"]
    code = getattr(problem, "code", None)
    text = _w(code, problem.params) if code else str(problem)
    return _("{number} cannot be finalised: {problem}").format(number=v["number"], problem=text)


def _jurisdiction(v: Values) -> str:
    from .labels import jurisdiction_text

    return jurisdiction_text([str(field) for field in v["fields"]])


def _finalise_jurisdiction(v: Values) -> str:
    return _("{number} cannot be finalised: {problem}").format(
        number=v["number"], problem=_jurisdiction(v)
    )


def _request_not_needed(v: Values) -> str:
    return _fill(N_("{number} version {version} needs no approval under the current policy"), v)


def _request_not_needed_policy(v: Values) -> str:
    return _fill(
        N_("{number} version {version} needs no approval under the organisation's {policy}"), v
    )


def _note_rep_policy(v: Values) -> str:
    from .labels import policy_words

    return _(
        "The rep's app judged this quote under policy {rep_policy}; the reasons shown are this "
        "desk's, under {desk_policy}."
    ).format(rep_policy=v["rep_policy"], desk_policy=policy_words(v["desk_policy"]))


def _note_rep_own(v: Values) -> str:
    from .labels import policy_words

    return _(
        "The rep's app judged this quote under its own settings (no organisation policy); the "
        "reasons shown are this desk's, under {desk_policy}."
    ).format(desk_policy=policy_words(v["desk_policy"]))


def _decision_other_policy(v: Values) -> str:
    return _fill(
        N_(
            "the decision was made under policy {made_under}, which is not the organisation policy "
            "installed here ({policy}); install the deal desk's current policy, then import the "
            "decision again"
        ),
        v,
    )


def _decision_no_policy(v: Values) -> str:
    return _fill(
        N_(
            "the decision was made under no organisation policy, which is not the organisation "
            "policy installed here ({policy}); install the deal desk's current policy, then import "
            "the decision again"
        ),
        v,
    )


def _decision_expired(v: Values) -> str:
    return _fill(N_("the decision on {number} expired at {expires_at}; ask the deal desk again"), v)


def _not_the_holder(v: Values) -> str:
    return _fill(
        N_(
            "the decision names '{name}' as {named_role}, but its key belongs to {holder} "
            "({holder_role}) in the organisation's policy"
        ),
        v,
    )


def _string_too_long(v: Values) -> str:
    """The limit, and the length when the sentence carries it (a pasted page)."""
    field = field_title(str(v["field"]))
    if "length" in v:
        return _fill(
            N_("{field}: must be at most {limit} characters (it has {length})"), v, field=field
        )
    return _fill(N_("{field}: must be at most {limit} characters"), v, field=field)


def _input_other(v: Values) -> str:
    """pydantic's reason with no code of its own: in our words ("Field required" is
    "required", ``services.words.reason``), then in the interface's language
    (``reason_words``) where it is one of the common ones."""
    from quote_builder.services import words

    from .reason_words import reason_text

    reason = reason_text(words.reason(str(v["reason"])))
    return _("{field}: {reason}").format(field=field_title(str(v["field"])), reason=reason)


def _rate_currency(field: str) -> Callable[[Values], str]:
    def write(v: Values) -> str:
        return _(
            "{field}: {code} is not a currency; use an ISO 4217 code such as USD, EUR or JPY."
        ).format(field=_(field), code=v["code"])

    return write


def _plan_nul(v: Values) -> str:
    return _("{field}: must not contain a NUL character").format(field=v["field"])


def _plan_unknown_model(v: Values) -> str:
    return _fill(N_("pricing_model: unknown model '{model}'; one of {models}"), v, models=_models())


def _plan_no_model(v: Values) -> str:
    return _("pricing_model: required; one of {models}").format(models=_models())


def _models() -> str:
    from quote_builder.pricing.playbook import PricingModel

    return ", ".join(m.value for m in PricingModel)


def _policy_tampered(v: Values) -> str:
    return _fill(
        N_(
            "the organisation's policy stored in this database fails its check ({reason}): it was "
            "changed outside Quote Builder, so nothing can be approved or sent as final here. "
            "Restore a backup made before the change, or ask the deal desk."
        ),
        v,
    )


def _authority_roles(v: Values) -> str:
    from quote_builder.services.settings import ROLES

    return _("discount_authority: give a percent for each of {roles}").format(
        roles=", ".join(ROLES)
    )


def _legal_language(v: Values) -> str:
    return _fill(
        N_(
            "Legal frame texts: '{language}' is not one of the other document languages ({languages})"
        ),
        v,
    )


def _csv_cell(v: Values) -> str:
    return _fill(N_("line {line}, column '{column}': {problem}"), v)


def _usage_missing_columns(v: Values) -> str:
    from .i18n import ngettext

    return ngettext(
        "line 1: missing column {columns} (the header needs timestamp, user, metric, quantity)",
        "line 1: missing columns {columns} (the header needs timestamp, user, metric, quantity)",
        int(v["count"]),
    ).format(columns=v["columns"])


def _usage_short_row(v: Values) -> str:
    from .i18n import ngettext

    return ngettext(
        "line {line}: {fields} field, the required columns need {width}",
        "line {line}: {fields} fields, the required columns need {width}",
        int(v["fields"]),
    ).format(line=v["line"], fields=v["fields"], width=v["width"])


def _unclosed(v: Values) -> str:
    return _fill(N_("line {line}: a quoted field opened here is never closed"), v)


def _unclosed_long(v: Values) -> str:
    return _fill(
        N_(
            "line {line}: a quoted field opened here is never closed (it runs on for more than "
            "{limit} characters)"
        ),
        v,
    )


def _decision_kind(v: Values) -> str:
    return _fill(N_("a decision is approved or rejected, not '{decision}'"), v)


def _number_used(v: Values) -> str:
    return _fill(N_("quote number {number} is already used"), v)


def _number_allocation(v: Values) -> str:
    return _("quote number allocation is already used")


def _lost(v: Values) -> str:
    return _fill(N_("{number} is lost"), v)


def _name_nul(v: Values) -> str:
    return _("name: must not contain a NUL character")


def _host_timeout(v: Values) -> str:
    return _fill(N_("the database did not open within {seconds} seconds"), v)


def _seller_id_missing(v: Values) -> str:
    return _(
        "Seller tax ID: the reverse-charge note must print both VAT IDs, and the seller's is not "
        "set: add it in Settings, Seller profile, then update the quote's tax."
    )


ERRORS: dict[str, str | Callable[[Values], str]] = {
    # --- one sentence each, as the services write it ---
    "quote.no_such_version": N_("quote {number} has no version {version}"),
    "request.blocking": N_(
        "{number} has blocking warnings ({blocking}): fix them before asking for approval"
    ),
    "import.terms_file": N_(
        "This is a customer's terms file (terms.json from a PDF), not a quote file: it records the terms a PDF offered and cannot become a quote. To check a PDF, use Verify a PDF… on the Approvals page (`verify`); to import a quote, choose the quote file `quotes export` writes"
    ),
    "request.unprintable": N_(
        "{number} cannot be sent for approval while its PDF cannot be made: {problem}"
    ),
    "request.none_pending": N_("{number} has no pending approval request; ask for approval first"),
    "request_file.terms_other_version": N_(
        "the customer terms in the request file are for {quote_number} version {version}, not {number} version {version2}"
    ),
    "request_file.terms_changed": N_(
        "the customer terms in the request file do not match its quote: they were changed after export"
    ),
    "file.too_large_5mb": N_("the {what} is larger than 5 MB"),
    "request_file.not_a_request": N_("not a Quote Builder approval request file"),
    "request_file.hash": N_(
        "the quote in the request file does not match its version hash (file says {claimed}…, content is {actual}…): it was changed after export"
    ),
    "request_file.other_quote": N_(
        "the request is for {number} but its document is quote {quote_number}"
    ),
    "request.not_found": N_("no pending approval request for '{reference}'"),
    "separation.requester": N_(
        "{approver_name} asked for this approval and cannot approve it: another approver must decide"
    ),
    "separation.requester_any_key": N_(
        "{requester} asked for this approval and cannot decide it, whatever key they hold: another approver must decide"
    ),
    "separation.requester_key": N_(
        "the key of {approver_name} was on the machine that asked for this approval (requested by {requester}); a request cannot be approved with a key its requester holds"
    ),
    "decision.beyond_authority": N_("{problem}; the decision is beyond their authority"),
    "decision.not_an_approver": N_(
        "the key of '{name}' (fingerprint {fingerprint}) is not an approver in the organisation's {label}; only the approvers it lists can decide"
    ),
    "decision.policy_invalid": N_(
        "{problem}: no decision counts under it; install the current policy"
    ),
    "request.no_terms": N_(
        "the request for {quote_number} holds no customer terms (made by an older Quote Builder): ask for approval again"
    ),
    "decision.untrusted_key": N_(
        "the decision is signed by '{name}' with a key this database does not trust (fingerprint {fingerprint}); trust the approver's public key first"
    ),
    "decision.bad_signature": N_(
        "the decision's signature does not verify: the file was changed after it was signed, or it was not signed by the key it names"
    ),
    "decision.replayed": N_(
        "decision {decision_id} was already used on {imported_at}; a decision counts once"
    ),
    "decision.unknown_request": N_(
        "the decision answers request {request_id} for {quote_number}, which was not made from this database"
    ),
    "decision.other_quote": N_(
        "the decision is for quote {quote_number}, but request {request_uid} is for {quote_number2}"
    ),
    "decision.other_version": N_(
        "the decision is for another version of {number} than the one requested (version {version}, not {version_number})"
    ),
    "decision.outdated": N_(
        "{number} changed after approval was requested: the decision is for version {version}, the latest is version {number2}; request approval again"
    ),
    "decision.already_decided": N_("request {request_uid} for {number} is already {status}"),
    "approver.no_name": N_("name: give the approver's name"),
    "trust.policy_decides": N_(
        "the organisation's {policy} decides who approves here; a key cannot be trusted by hand. Ask the deal desk to list the approver in a new policy."
    ),
    "trust.already": N_("this key is already trusted as '{name}' (fingerprint {fingerprint})"),
    "request.changed_meanwhile": N_("{number} changed while asking for approval; ask again"),
    "request.already_approved": N_(
        "{number} version {version} is already approved by {approver} until {until}; nothing to request"
    ),
    "request.already_approved.no_expiry": N_(
        "{number} version {version} is already approved by {approver}, with no expiry; nothing to request"
    ),
    "request_file.terms_unreadable": N_("the customer terms in the request file cannot be read"),
    "file.not_json": N_("the {what} is not JSON we can read: {problem}"),
    "request_file.no_terms": N_(
        "the request file holds no customer terms (it was made by an older Quote Builder): ask the rep to request approval again"
    ),
    "request_file.malformed": N_("the approval request file is malformed ({problem})"),
    "request_file.already_here": N_(
        "request {uid} for {number} is already in this database ({status})"
    ),
    "decide.expires_past": N_("expires: {expires} is in the past"),
    "decide.expires_after_policy": N_(
        "expires: {expires} is after the organisation's policy {policy} ends ({valid_until}): an approval cannot outlive the policy it is granted under; give {valid_until} or an earlier date"
    ),
    "decide.no_comment": N_("comment: say why the quote is rejected"),
    "decide.not_pending": N_("request {request_uid} for {quote_number} is {status}, not pending"),
    "decision.not_found": N_(
        "no signed decision '{reference}': give a decision id or the number of a quote with a decision (the quote's approval status lists them)"
    ),
    "decision_file.not_a_decision": N_("not a Quote Builder approval decision file"),
    "decision_file.no_signature": N_("the decision file has no signature"),
    "decision_file.statement_signature": N_("the decision file's statement signature is malformed"),
    "decision.no_statement": N_(
        "the decision was signed before this database had an organisation policy (no approval statement); ask the deal desk to decide again"
    ),
    "decision.replaced_policy": N_(
        "the decision was made under policy {short} (serial {serial}), which the organisation replaced with {short2} (serial {serial2}); ask the deal desk to decide again under the current policy"
    ),
    "decide.untrusted_key": N_(
        "the key '{key_name}' (fingerprint {fingerprint}) is not trusted in this database; trust the approver's public key first"
    ),
    "certificate.not_private": N_(
        "the signing certificate {path} can be read by other users (mode {mode}), so it is not used; make it private with: chmod 600 {path}"
    ),
    "certificate.none": N_(
        "there is no seller signing certificate on this computer: choose one in Settings (a PKCS#12 file), or create a trial certificate there"
    ),
    "certificate.installed_already": N_(
        "a seller signing certificate is already installed ({path}); replace it on purpose"
    ),
    "certificate.unreadable": N_("the signing certificate cannot be read: {problem}"),
    "change.renewal_exists": N_(
        "{number} already has a renewal: {renewal} ({status}); open it, or mark it lost first"
    ),
    "change.not_accepted": N_(
        "{number} is {status}: renewals, expansions and amendments are made from an accepted quote (a signed contract)"
    ),
    "change.kind": N_("kind: one of renewal, expansion, amendment (got '{kind}')"),
    "change.effective": N_("Effective from: {problem}"),
    "change.added_seats": N_("Added seats: {problem}"),
    "change.no_effective_date": N_("Effective from: give the date the change starts"),
    "what.quote": N_("Quote {number}"),
    "what.customer": N_("Customer '{name}'"),
    "what.plan": N_("Plan '{name}'"),
    "csv.on_line": N_("line {line}, {problem}"),
    "rate.same_currency": N_(
        "To: a rate from {code} to itself is always 1; give two different currencies."
    ),
    "rate.range": N_("Rate: must be above 0 (units of the second currency for one of the first)."),
    "rate.no_date": N_("Date: give the date of the rate (YYYY-MM-DD)."),
    "rate.too_many_places": N_("Rate: must have at most 10 decimal places."),
    "rates.row": N_("Exchange rates, row {row} ({base} to {quote})"),
    "rates.on_row": N_("{where}: {problem}"),
    "rates.repeated_row": N_("{where}: the table has this pair on row {first} already."),
    "rates.not_saved": N_("The exchange rates were not saved:"),
    "fx.no_template_rate": N_(
        "The playbook's templates are priced in {base} and the exchange-rate table has no rate from {base} to {currency}: add the rate in Settings, Exchange rates (or import a CSV), or type the prices in {currency} yourself."
    ),
    "rate.no_source": N_("Source: say where the rate comes from (e.g. ECB reference rate)."),
    "import.nothing": N_("Nothing was imported:"),
    "fx.no_template_seller_rate": N_(
        "The playbook's templates and the seller's costs are in {base} and the exchange-rate table has no rate from {base} to {currency}: the prices below are the template's {base} figures, and the margin reads the costs as {currency}. Add the rate in Settings, Exchange rates (or import a CSV), or type the prices and costs in {currency} yourself."
    ),
    "fx.no_seller_rate": N_(
        "The exchange-rate table has no rate from {seller}, the seller's currency, to {currency}: costs are in {seller}, so the margin of a quote in {currency} needs it. Add the rate in Settings, Exchange rates (or import a CSV)."
    ),
    "fx.no_change_rate": N_(
        "The exchange-rate table has no rate from {old} to {new}, so the prices cannot be converted: add the rate in Settings, Exchange rates, or keep the numbers as they are, read as {new}."
    ),
    "fx.no_plan_rate": N_(
        "Plan {plan} has no prices in {currency} and the exchange-rate table has no rate from {base} to {currency}: add the rate in Settings, Exchange rates (or import a CSV), or give the plan a price book in {currency} in the Catalog."
    ),
    "rate.source_too_long": N_("Source: at most 200 characters, without control characters."),
    "rates_csv.columns": N_("line 1: the file needs the columns From, To, Rate, Date and Source."),
    "rate.repeated_pair": N_("the pair {base} to {quote} is on line {first} already."),
    "rate.bad_date": N_("Date: {value} is not a date; write it as YYYY-MM-DD."),
    "customer.concurrent_name": N_(
        "Customer name: another customer named {name} was being saved at the same moment; nothing was saved. Try again."
    ),
    "customer.has_quotes": N_(
        "Customer '{name}' has quotes and cannot be deleted; archive it instead."
    ),
    "customer.no_name": N_("name: must not be empty"),
    "demo.not_empty": N_(
        "the database already has customers or plans; demo data goes into an empty database"
    ),
    "final.blocking": N_(
        "{number} is {status} but has blocking warnings ({blocking}); it cannot be rendered as final"
    ),
    "documents.logo": N_(
        "the logo in the settings cannot be printed ({problem}); choose another in Settings, or No logo"
    ),
    "finalise.not_final": N_("{number} cannot be finalised: {draft_reason}"),
    "final.sent_already": N_(
        "{sent}; a new render of it is a draft: `render {number}` writes the file as sent"
    ),
    "final.not_sent": N_(
        "{number} is approved but not sent, so this copy is a draft: `deal finalise {number}` makes the final PDF, signed by you and recorded as sent (in the app: Finalise)"
    ),
    "final.status": N_("{number} is {status}"),
    "final.not_latest": N_("version {version} is not the latest version"),
    "final.terms_changed": N_(
        "the customer's terms of {number} changed since they were approved (the seller profile, the legal frame, the customer's details, the documents' language or the offer's validity): ask for approval again"
    ),
    "final.not_approved": N_(
        "{number} needs approval and holds no valid signed approval of version {version}"
    ),
    "key.not_private": N_(
        "the key file {path} can be read by other users (mode {mode}), so it is not used; make it private with: chmod 600 {path}"
    ),
    "key.none": N_(
        "there is no key named '{name}' in {folder}; create one first (or check the name)"
    ),
    "key.exists": N_("a key named '{name}' already exists ({path}); choose another name"),
    "key.cannot_open": N_("key '{name}': {problem}"),
    "quote.sent_as": N_(
        "{number} version {version} was sent on {sent_on} as {file_name}, signed by {signer} (SHA-256 {sha256}…)"
    ),
    "quote.accepted_as": N_(
        "{number} version {version} was accepted on {signed_on}, signed by {signed_by}"
    ),
    "finalise.status": N_(
        "{number} is {status}: only an approved quote, or a draft that needs no approval, can be finalised"
    ),
    "finalise.no_signature_block": N_("the order form has no signature block to sign"),
    "lost.no_details": N_("Details: say why the deal was lost"),
    "lost.details_too_long": N_("Details: at most 400 characters"),
    "lost.details_nul": N_("Details: must not contain a NUL character"),
    "acceptance.too_large": N_("{name} is larger than 100 MB"),
    "acceptance.not_an_order_form": N_(
        "{name} is not an order form made by Quote Builder (it carries no terms.json)"
    ),
    "acceptance.not_sent": N_("{number} was never sent: finalise it first"),
    "acceptance.other_version": N_(
        "{name} is version {version} of {number}, but version {sent_version} is the one sent: the customer must sign the order form that was sent"
    ),
    "acceptance.not_the_sent_file": N_(
        "{name} was changed after the seller signed it: its first revision is not the file that was sent ({file_name}, SHA-256 {sha256}…)"
    ),
    "acceptance.seller_signature": N_("{name}: the seller's signature does not verify"),
    "acceptance.changed_after_seller": N_(
        "{name} was changed after the seller signed it ({changes}), beyond filling in the form and signing"
    ),
    "acceptance.unsigned": N_(
        "{name} carries no customer signature in the order form's customer field"
    ),
    "acceptance.customer_signature": N_(
        "{name}: the customer's signature does not verify (the file was changed after they signed, or the signature is damaged)"
    ),
    "acceptance.changed_after_customer": N_(
        "{name} was changed after the customer signed it ({changes})"
    ),
    "deal.note": _deal_note,
    "acceptance.other_signer": N_(
        "{name} is signed by {who}, but the order form names {signatory} to sign for {customer}: nothing was recorded; if {who} may sign for {customer}, record it again confirming the other signer"
    ),
    "paper.no_signer": N_("Signed by: name the person who signed"),
    "paper.signer_nul": N_("Signed by: must not contain a NUL character"),
    "paper.signed_in_future": N_("Signed on: {signed_on} is in the future"),
    "paper.no_scan": N_("Scan: attach the scanned, signed order form"),
    "finalise.changed_meanwhile": N_("{number} changed while it was being finalised; try again"),
    "finalise.finalised_meanwhile": N_(
        "{number} version {version} was finalised and sent by {sent_by} at {sent_at} while this finalise was signing it; nothing more was saved: finalise it again to get the file that was sent"
    ),
    "valid_until.passed": N_("Valid until: {valid_until} has already passed"),
    "valid_until.reissue": N_(
        "{number} is {status}: re-issue it as a new version to give it a new valid-until date"
    ),
    "valid_until.fixed": N_("{number} is {status}: its valid-until date cannot change"),
    "reissue.status": N_(
        "{number} is {status}: only an expired or lost quote is re-issued (change a draft's valid-until date directly)"
    ),
    "acceptance.unreadable": N_("{name}: {problem}"),
    "acceptance.foreign_quote": N_(
        "{name} is the order form of {number}, which is not a quote of this database"
    ),
    "acceptance.other_quote": N_("{name} is the order form of {number}, not of {wanted}"),
    "paper.signer_too_long": N_("Signed by: at most 200 characters"),
    "paper.scan_too_large": N_("Scan: larger than 50 MB"),
    "acceptance.signed_before_sent": N_("Signed on: before the order form was sent ({sent_on})"),
    "lost.accepted": N_("{number} is accepted: a signed contract is changed by an amendment"),
    "acceptance.not_sent_status": N_("{number} is {status}, not sent: nothing was recorded"),
    "paper.scan_kind": N_("Scan: not a PDF, PNG, JPEG or TIFF file"),
    "plan.not_in_catalog": N_("no catalog plan named '{name}' (plans: {names})"),
    "plan.no_name": N_("name: must not be empty"),
    "plan.unknown_category": N_("product_category: unknown category '{category}'"),
    "plan.unknown_currency": N_("currency: unknown currency '{currency}'"),
    "plan.name_taken": N_("a plan named '{name}' already exists"),
    "components.none": N_("{prefix}: must be a non-empty list of components"),
    "components.repeated_ids": N_("{prefix}: component ids must be unique; repeated: {ids}"),
    "plan.unknown_field": N_("{field}: not a field of a plan"),
    "file.too_large_1mb": N_("the {what} is larger than 1 MB"),
    "file.not_json_here": N_("the {what} is not JSON ({problem})"),
    "tampered.fingerprint": N_("its fingerprint or serial does not match the bundle"),
    "tampered.other_key": N_("a bundle signed by another organisation key"),
    "policy.foreign": N_(
        "this policy is signed by another organisation key ({key}, '{organisation}') than the installed policy ({installed_key}, '{installed_organisation}'); it was not installed"
    ),
    "policy.not_pinned": N_(
        "this policy is signed by the organisation key {key} ('{organisation}'), not by the one pinned on this computer ({pinned}, in {path}); it was not installed"
    ),
    "pin.other_key": N_(
        "the organisation's policy in this database is signed by the organisation key {key} ('{organisation}'), not by the one pinned on this computer ({pinned}, in {path}): nothing can be approved or sent as final here. Restore a backup made before it was installed, or ask your administrator."
    ),
    "pin.no_policy": N_(
        "the organisation key {pinned} is pinned on this computer (in {path}) and no policy signed by it is installed in this database: nothing can be approved or sent as final here. Install the organisation's policy (policy install FILE)."
    ),
    "pin.unreadable": N_(
        "the organisation key pinned in {path} cannot be read ({problem}): nothing can be approved or sent as final here. Ask your administrator."
    ),
    "pin.conflict": N_(
        "{path} and {path2} pin different organisation keys ({key}, {key2}): nothing can be approved or sent as final here. Ask your administrator."
    ),
    "pin.too_large": N_("larger than 64 KB"),
    "settings.pinned": N_(
        "The organisation key {key} is pinned on this computer (in {path}): only policies and approvals signed under it count here."
    ),
    "policy.installed_already": N_("this policy ({policy}) is already installed"),
    "policy.older": N_(
        "this policy has serial {serial}, not newer than the installed serial {installed_serial} ({policy}); it was not installed"
    ),
    "quote.no_customer_named": N_("no customer named '{name}': create the customer first"),
    "quote.no_such_number": N_("no quote numbered '{number}'"),
    "status.unknown": N_("status: must be one of {statuses}"),
    "status.cannot_start": N_("status: a new quote cannot start {status}"),
    "quote.accepted_is_signed": N_(
        "{number} was accepted: it is a signed contract and cannot be edited; make an amendment (or a renewal, or an expansion) of it instead"
    ),
    "status.from_approval": N_(
        "status: {status} comes only from the approval steps (ask for approval; the deal desk's signed decision)"
    ),
    "quote.version_unreadable": N_("version {wanted} of {number} cannot be read:"),
    "settings.authority_unreadable": N_(
        "Discount authority: the database holds '{stored}', not a percent per role (it was changed outside Quote Builder); set the discount authority again in Settings"
    ),
    "db.not_a_number": N_(
        "the database holds '{value}' where a number belongs (it was changed outside Quote Builder): keep a copy of the database, then restore a backup or correct the value"
    ),
    "db.not_a_moment": N_(
        "the database holds '{value}' where a date and time belongs (it was changed outside Quote Builder): keep a copy of the database, then restore a backup or correct the value"
    ),
    "decision.export_malformed": N_(
        "decision {decision_id} cannot be written to a file: its stored record is not a decision Quote Builder wrote (it was added or changed outside Quote Builder)"
    ),
    "plan.not_json": N_(
        "the plan '{name}' is not JSON in the database ({where}); it was changed outside Quote Builder: keep a copy of the database, then restore a backup"
    ),
    "request.not_json": N_(
        "the approval request for {quote_number} version {version} is not JSON in the database ({where}); it was changed outside Quote Builder: keep a copy of the database, then restore a backup"
    ),
    "quote.version_not_json": N_(
        "the saved version is not JSON ({where}); it was changed outside Quote Builder: keep a copy of the database, then restore a backup"
    ),
    "audit.details_not_json": N_(
        "the details of this event cannot be read from the database ({where}); they were changed outside Quote Builder: keep a copy of the database, then restore a backup"
    ),
    "quote.number_taken": N_("quote number {number} is already used by another quote"),
    "quote.imported": N_("Imported quote {number} for {customer} (version 1)"),
    "quote.imported_renumbered": N_(
        "{taken} is taken: imported as {number} for {customer} (version 1)"
    ),
    "logo.not_a_file": N_("not a file: {path}"),
    "logo.missing": N_("no such file: {path}"),
    "settings.legal_frame": N_("legal_frame: give the legal frame's fields"),
    "settings.legal_texts": N_("legal_texts: give the texts by language"),
    "settings.seller_country": N_(
        "Seller country: {country} is not a country; pick one from the list."
    ),
    "what.settings": N_("The settings"),
    "settings.authority_range": N_("discount_authority.{role}: must be from 0 to 100"),
    "settings.logo": N_("logo_path: {problem}"),
    "tax.seller_country_unknown": N_(
        "Seller country: {country} is not a country; pick one from the list in Settings, Seller profile."
    ),
    "tax.customer_country_unknown": N_(
        "Country: {country} is not a country; pick one from the list on the Customers page."
    ),
    "plans_json.shape": N_('(file): expected a plan object, a list of plans or {{"plans": [...]}}'),
    "import.too_large": N_("the file is {size} bytes; imports are limited to 50 MB"),
    "customers_csv.repeated_name": N_(
        "line {line}, column '{column}': {name} is on line {first} too (one customer per name)"
    ),
    "customers_csv.unknown_country": N_(
        "line {line}, column '{column}': unknown country '{country}'; write the country's English name or its two-letter ISO code, such as Germany or DE"
    ),
    "customers_csv.unknown_country_near": N_(
        "line {line}, column '{column}': unknown country '{country}' (did you mean {near}?); write the country's English name or its two-letter ISO code, such as Germany or DE"
    ),
    "customers_csv.no_name_column": N_(
        "line 1: no customer name column (expected e.g. 'Name', 'Company name' or 'Account Name')"
    ),
    "contacts_csv.no_customer_column": N_(
        "line 1: no customer column (expected e.g. 'Customer', 'Company Name' or 'Account Name')"
    ),
    "contacts_csv.no_name_column": N_(
        "line 1: no contact name column (expected 'Name' or 'First Name' and 'Last Name')"
    ),
    "import.not_utf8": N_(
        "line {line}: not UTF-8 text (the byte {byte}); save the file as CSV UTF-8"
    ),
    "import.not_utf8_cell": N_(
        "line {line}, column '{column}': not UTF-8 text (the byte {byte}); save the file as CSV UTF-8"
    ),
    "import.not_utf8_json": N_(
        "line {line}: not UTF-8 text (the byte {byte}); save the file as UTF-8"
    ),
    "import.not_quote_json": N_(
        "byte {byte}: the file is not a quote file (JSON text, as `quotes export` writes it); a PDF or a spreadsheet cannot be imported as a quote"
    ),
    "csv.empty": N_("line 1: the file is empty"),
    "csv.bad_header": N_("line 1: not a readable CSV header ({problem})"),
    "csv.malformed": N_("line {line}: malformed CSV ({problem})"),
    "customers_csv.name_exists": N_(
        "line {line}, column '{column}': {name} already exists (give its CRM id to update it, or another name)"
    ),
    "csv.column_problem": N_("line {line}, column {problem}"),
    "contacts_csv.no_customer": N_(
        "line {line}, column '{column}': no customer '{customer}'; import the customers first"
    ),
    "usage_log.folder": N_("{source}: is a folder, not a usage log"),
    "metric_map.not_in_log": N_(
        "metric map {metric}={choice}: the log has no metric '{choice}' (it has {metrics}; * reads them all, - none)"
    ),
    "usage_log.none_kept": N_("{number} keeps no usage evidence: nothing to remove"),
    "usage_log.missing": N_("{source}: no such file"),
    "usage_log.permission": N_("{source}: permission denied"),
    "usage_log.changed": N_(
        "{source}: the file changed while it was read (is it still being written?); load it "
        "again once it is complete"
    ),
    "usage_log.problem": N_("{source}: {problem}"),
    # The usage-log reader's per-line problems (usage/log.py).
    "usage_log.cell": N_("line {line}, column {column} ({name}): {reason}"),
    "usage_log.duplicate_column": N_("line 1, column {column} ({name}): duplicate {key} column"),
    "usage_log.empty": N_("empty"),
    "usage_log.not_decimal": N_("not a decimal number ('{text}')"),
    "usage_log.not_finite": N_("not a finite number ('{text}')"),
    "usage_log.negative": N_("negative ({text})"),
    "usage_log.too_large": N_("1,000,000,000,000 or more"),
    "usage_log.too_many_places": N_("more than {places} decimal places ({text})"),
    "usage_log.metric_too_long": N_("longer than {max_chars} characters"),
    "usage_log.too_many_metrics": N_(
        "'{metric}' is metric {count} of the log; a log has at most {max_metrics}"
    ),
    "usage_log.month_total_too_large": N_(
        "the {month} total of '{metric}' reaches {total}; a month's total of a metric must "
        "stay below {limit}"
    ),
    "usage_log.not_a_time": N_("not an ISO 8601 date or time ('{text}')"),
    "usage_log.outside_years": N_(
        "'{text}' is outside the years a usage log can cover ({first} to {last}, in UTC)"
    ),
    "usage_log.future": N_(
        "'{text}' is in the future (today is {today}, in UTC): a usage log records usage that "
        "has happened"
    ),
    "usage_log.not_a_flag": N_("'{text}' is not true, false, 1 or 0"),
    "usage_log.nul": N_("a NUL character"),
    "usage_log.short_row": _usage_short_row,
    "usage_log.field_too_long": N_(
        "line {line}: user or metric longer than {max_chars} characters"
    ),
    "usage_log.stopped": N_("stopped after {count} problems"),
    "usage_log.empty_file": N_("the file is empty: it needs a header row"),
    "usage_log.no_rows": N_("no usage rows after the header"),
    "usage_log.semicolons": N_(
        "line 1: the columns are separated by semicolons, not commas; save the log as "
        "comma-separated CSV (CSV UTF-8) with decimal points"
    ),
    "usage_log.too_many_months": N_(
        "the log spans {months} months, from {first} (line {first_line}) to {last} (line "
        "{last_line}); at most 120 can be simulated"
    ),
    "usage_log.not_utf8": N_("line {line}: not UTF-8 text"),
    "usage_log.not_utf8_line": N_(
        "line {line}: not UTF-8 text (the byte {byte}); save the file as CSV UTF-8"
    ),
    "usage_log.not_utf8_cell": N_(
        "line {line}, column '{column}': not UTF-8 text (the byte {byte}); save the file as CSV UTF-8"
    ),
    "usage_log.not_csv": N_("line {line}: not valid CSV ({problem})"),
    "usage_log.missing_columns": _usage_missing_columns,
    "usage_log.cannot_simulate": N_("{source}: the log cannot be simulated ({problem})"),
    "usage_log.out_of_memory": N_(
        "{source}: the log is too large to simulate in the memory available"
    ),
    "usage_log.stopped_unexpectedly": N_(
        "{source}: the usage log reader stopped unexpectedly; load the log again."
    ),  # the exit code, when there is one, is left out
    "usage_log.unreadable": N_("{source}: cannot be read ({problem})"),
    "policy.label": N_(
        "policy {policy} (serial {serial}), signed by {organisation} until {valid_until}"
    ),
    "policy.not_yet_valid": N_(
        "the organisation's policy {policy} is valid only from {valid_from}"
    ),
    "policy.expired": N_("the organisation's policy {policy} expired on {valid_until}"),
    "keyfile.damaged": N_("the key file is damaged ({detail})"),
    "keyfile.not_a_key_file": N_("not a Quote Builder key file"),
    "keyfile.format_version": N_(
        "the key file has format version '{version}', which this version of Quote Builder does not know; update Quote Builder"
    ),
    "keyfile.not_ed25519": N_("the key file does not hold an Ed25519 key"),
    "keyfile.wrong_passphrase": N_("wrong passphrase, or the key file is damaged"),
    "key.no_public_key": N_("no Ed25519 public key found (expected 44 base64 characters)"),
    "key.bad_name": N_(
        "'{name}' is not a key name: use up to 64 letters, digits, dots, dashes or underscores"
    ),
    "key.short_passphrase": N_("the passphrase must have at least {count} characters"),
    "decision_payload.not_a_decision": N_("not a Quote Builder approval decision"),
    "decision_payload.malformed": N_("the approval decision is malformed: {fields}"),
    "decision_payload.format_version": N_(
        "the approval decision has format version '{version}', which this version of Quote Builder does not know; update Quote Builder"
    ),
    "certificate.empty": N_("the signing certificate file holds no key and certificate"),
    "certificate.no_name": N_("the certificate needs a name (the seller's)"),
    "certificate.short_passphrase": N_("the passphrase must be at least 8 characters"),
    "certificate.cannot_open": N_(
        "the signing certificate could not be opened: the passphrase is wrong, or the file is not a PKCS#12 (.p12, .pfx) file"
    ),
    "certificate.unreadable_pem": N_("the certificate cannot be read ({problem})"),
    "pdf.not_signed": N_("the PDF could not be signed ({problem})"),
    "pdf.signatures_unreadable": N_("it is not a PDF whose signatures can be read ({problem})"),
    "render.undrawable": lambda v: _undrawable(v),
    "change.outside_term": N_(
        "the change must take effect after the contract starts ({start}) and by its last day ({end})"
    ),
    "change.last_month": N_(
        "less than a whole month of the contract is left after {effective} (it ends on {end}): add it to the renewal instead"
    ),
    "change.no_seats_component": N_("no seats component '{name}' in the contract"),
    "tax.no_seller_country": N_(
        "Seller country: set the seller's country in Settings, Seller profile, so that the quote's tax can be decided."
    ),
    "tax.no_customer_country": N_(
        "Country: set the customer's country on the Customers page, so that the quote's tax can be decided."
    ),
    "tax.no_region": N_(
        "Region: the customer's province or territory is needed in {country}, where the tax rate depends on it (e.g. ON for Ontario)."
    ),
    "tax.no_rate_here": N_(
        "Tax rate: no tax is charged under this quote's rule (the customer accounts for it); the rate stays 0."
    ),
    "quote.bad_number": N_("quote_number: {problem}"),
    "user.bad_name": N_("{source} '{actor}' {problem}"),
    "decision.statement_unsigned": N_(
        "the decision file's approval statement is not signed (its statement_signature is missing): the file was changed after it was signed; ask the deal desk for the file again"
    ),
    "terms.seller_signatory_missing": N_(
        "no one signs for the seller: set the Signatory (and the Signatory's title) in Settings, Seller profile (the name under the seller's signature line)"
    ),
    "terms.seller_unnamed": N_(
        "the seller has no name: set it in Settings, Seller profile (the order form's first party)"
    ),
    "terms.jurisdiction_missing": _jurisdiction,
    "tax.customer_changed": _tax_changed,
    "terms.auditor_missing": N_(
        "{component}: the dispute terms send disputes to an independent auditor, but none is named: name one (Settings, Legal frame, or the quote's Independent auditor) or change the dispute terms"
    ),
    "csv.line_too_long": N_(
        "line {line}: longer than {limit} characters without a line break (is this a CSV file?)"
    ),
    "file.missing": N_("{source}: no such file"),
    "file.not_regular": N_("{source}: not a regular file"),
    "policy_bundle.authority_malformed": N_("the policy's discount authority is malformed"),
    "policy_bundle.bad_signature": N_(
        "the policy's signature does not verify: it was changed after the organisation signed it"
    ),
    "policy_bundle.format_version": N_(
        "the policy has format version '{version}', which this version of Quote Builder does not know; update Quote Builder"
    ),
    "policy_bundle.malformed": N_("the policy is malformed"),
    "policy_bundle.malformed_roles": N_("the policy is malformed (roles)"),
    "policy_bundle.no_header": N_("the policy has no header"),
    "policy_bundle.not_a_bundle": N_("not a Quote Builder policy bundle"),
    "policy_bundle.not_a_policy": N_("not a Quote Builder policy"),
    "policy_bundle.not_signed": N_("the policy is not signed"),
    "policy_bundle.organisation_key": N_("organisation key: {problem}"),
    "policy_bundle.public_only": N_("only the public part of the policy is known here"),
    "policy_bundle.rules_changed": N_(
        "the policy's rules do not match what the organisation signed: the bundle was changed after it was signed"
    ),
    "policy_bundle.rules_lack": N_("the policy's rules lack {fields}"),
    "policy_bundle.source_not_object": N_("the policy source is not a JSON object"),
    # --- codes with cases or words of their own ---
    "db.cannot_open": N_("cannot open the database {path}: {problem}"),
    "db.concurrent_save": N_(
        "someone else saved the same record at the same moment; nothing was saved. Reload to "
        "see their changes, then apply yours again."
    ),
    "db.damaged": N_(
        "the database file is damaged ({reason}). Keep a copy of the file as it is now, then "
        "restore your latest backup with `quote-builder restore`; the copy is what a recovery "
        "would start from."
    ),
    "db.damaged_file": N_("{path} is damaged and cannot be opened ({problem})"),
    "db.empty": N_(
        "{path} is an empty file (0 bytes), not a database: if it held your data, that was lost before Quote Builder opened it (keep the file and restore a backup). To make a new, empty database in it, add --create."
    ),
    "db.not_sqlite": N_("{path} is not a Quote Builder database (it is not a SQLite file)."),
    "db.nul": N_(
        "a text contains a NUL character, which the database cannot store, so nothing was "
        "saved. Remove it (it is invisible: retype the text), then try again."
    ),
    "db.other_program": N_(
        "{path} is a SQLite database of another program, not a Quote Builder database."
    ),
    "db.table_list": N_(
        "{path} is damaged and cannot be opened (its table list is unreadable). Keep a copy of "
        "the file as it is now, then restore your latest backup."
    ),
    "db.unreadable": _file_read(N_("{path}: cannot be read ({reason})")),
    "db.disk_full": _fault(
        N_(
            "the disk holding the database is full, so nothing was saved (the database is as it "
            "was). Free some space on that disk, then try again. ({reason})"
        )
    ),
    "db.read_only": _fault(
        N_(
            "the database is read-only here (a read-only folder, disk or file), so nothing was "
            "saved. Open it from a folder you can write to, or ask for write access. ({reason})"
        )
    ),
    "db.no_write_access": _fault(
        N_(
            "the database file or its folder cannot be opened for writing (permission denied or "
            "the folder is gone), so nothing was saved. Check the folder and its permissions. "
            "({reason})"
        )
    ),
    "db.io_error": _fault(
        N_(
            "reading or writing the database failed (a disk input/output error), so nothing was "
            "saved. Check the disk (a removed drive, a network share that went away, a full "
            "disk), then try again. Do not replace the file: it is most likely intact. ({reason})"
        )
    ),
    "db.login_refused": _fault(
        N_(
            "the database server refused the login (a wrong user name or password in the "
            "database URL, or no access for this user), so nothing was done. Check the URL's "
            "user and password. ({reason})"
        )
    ),
    "db.unreachable": _fault(
        N_(
            "the database server cannot be reached, so nothing was done. Check that the server "
            "is running and the host and port in the database URL, then try again. ({reason})"
        )
    ),
    "db.connection_lost": _fault(
        N_(
            "the connection to the database server was lost, so nothing of this action was "
            "saved (the server rolls back what was not committed). Check that the server is "
            "running, then try again. ({reason})"
        )
    ),
    "not_found": _not_found,
    "conflict": _conflict,
    "conflict.someone": _conflict,
    "input.other": _input_other,
    "input.empty": _input(N_("{field}: must not be empty")),
    "input.not_whole": _input(N_("{field}: not a whole number")),
    "input.not_number": _input(N_("{field}: not a number")),
    "input.less_than_equal": _input(N_("{field}: must be at most {limit}")),
    "input.less_than": _input(N_("{field}: must be below {limit}")),
    "input.greater_than_equal": _input(N_("{field}: must be at least {limit}")),
    "input.greater_than": _input(N_("{field}: must be above {limit}")),
    "input.string_too_long": _string_too_long,
    "request.not_needed": _request_not_needed,
    "decide.terms_changed": _terms_changed(
        N_(
            "{number} version {version}: the quote's customer terms changed since the request "
            "was made ({changes}); it cannot be decided: the rep must ask for approval again"
        )
    ),
    "request_file.quote_changed": _terms_changed(
        N_(
            "the request file for {number} version {version} is intact, but the quote changed "
            "since the request was made ({changes}): the rep must ask for approval again and "
            "send a new request file"
        )
    ),
    "request.not_needed.policy": _request_not_needed_policy,
    "request.note.rep_policy": _note_rep_policy,
    "request.note.rep_own_settings": _note_rep_own,
    "decision.other_policy": _decision_other_policy,
    "decision.no_policy": _decision_no_policy,
    "decision.expired": _decision_expired,
    "approver.name_nul": _name_nul,
    "request_file.quote_unreadable": _quote_unreadable,
    "decision.not_the_holder": _not_the_holder,
    "price_book.unknown_component": _price_book(N_("{where}: component {id} is not in the plan.")),
    "price_book.not_currency": _price_book(
        N_("{where}: {currency} is not a currency; use an ISO 4217 code such as EUR.")
    ),
    "price_book.plan_currency": _price_book(
        N_("{where}: the plan's own prices are in {currency} already.")
    ),
    "price_book.missing_component": _price_book(
        N_("{where}: component {id} is missing; a price book prices every component of the plan.")
    ),
    "price_book.other_kind": _price_book(
        N_("{where}: component {id} is of another kind than the plan's.")
    ),
    "rate.from": _rate_currency(N_("From")),
    "rate.to": _rate_currency(N_("To")),
    "fx.not_currency": _rate_currency(N_("Currency")),
    "customer.duplicate": _duplicate,
    "customer.duplicate.archived": _duplicate_archived,
    "final.other_language": _other_language,
    "host.open_timeout": _host_timeout,
    "host.stopped": _host_stopped,
    "host.stopped.code": _host_stopped_code,
    "quote.expired": _expired,
    "lost.reason": _lost_reason,
    "lost.lost": _lost,
    "plan.nul": _plan_nul,
    "plan.unknown_model": _plan_unknown_model,
    "plan.no_model": _plan_no_model,
    "policy.tampered": _policy_tampered,
    "status.no_way_back": _no_way_back,
    "status.no_way_back.sent": _no_way_back_sent,
    "save.not_priced": _not_priced,
    "save.not_priced.option": _not_priced_option,
    "quote.number_used": _number_used,
    "quote.number_allocation": _number_allocation,
    "logo.too_large": _logo_too_large,
    "settings.governed": _governed,
    "settings.drift": _drift,
    "file.is_folder": _file(N_("{label}: cannot write: it is a folder; give a file name")),
    "file.no_folder": _file(N_("{label}: cannot write: the folder {folder} does not exist")),
    "file.exists": _file(N_("{label} already exists; choose another name")),
    "file.is_database_companion": _file(
        N_(
            "{label} is a database file ({role} of the database {database}); it was not replaced. Choose another file name."
        )
    ),
    "file.is_input": _file(
        N_("{label} is {input} this command reads; it was not replaced. Choose another file name.")
    ),
    "file.is_database": _file(
        N_("{label} is a database; it was not replaced. Choose another file name.")
    ),
    "file.not_written": _file(N_("{label}: cannot write ({reason}); nothing was written")),
    "file.is_block_device": _file(
        N_(
            "{label}: cannot write: it is a disk (a block device), not a file; nothing was written. Give a file name."
        )
    ),
    "file.copy_not_a_file": _file(
        N_(
            "{label}: cannot write: it is a device or a pipe, not a file; a backup is a database file. Give a file or folder name."
        )
    ),
    "file.is_socket": _file(
        N_(
            "{label}: cannot write: it is a socket another program listens on, not a file; nothing was written. Give a file name."
        )
    ),
    "file.folder_not_made": _file_read(N_("{folder}: cannot create the folder ({reason})")),
    "file.not_read": _file_read(N_("{source}: cannot read ({reason})")),
    "file.too_large": _file_read(
        N_("{source}: the {what} is larger than {limit} bytes, the most Quote Builder reads")
    ),
    "policy_bundle.authority_changed": _authority_changed,
    "settings.governed_frozen": _governed_frozen,
    "settings.authority_roles": _authority_roles,
    "settings.legal_language": _legal_language,
    "settings.legal_field": _settings_legal_field,
    "settings.legal_text_field": _settings_legal_text_field,
    "csv.cell": _csv_cell,
    "csv.unclosed_quote": _unclosed,
    "csv.unclosed_quote_long": _unclosed_long,
    "metric_map.not_in_quote": _metric_not_in_quote,
    "metric_map.quote_has_none": _metric_quote_has_none,
    "authority.role": _authority_role,
    "authority.unproven": _authority_unproven,
    "authority.discount": _authority_discount,
    "decision.kind": _decision_kind,
    "terms.text_missing": _text_missing,
    "render.blocking": _render_blocking,
    "render.not_ready": _not_ready,
    "tax.id_form": _tax_id_form,
    "tax.unknown_region": _tax_field(
        N_("{field}: {region} is not a province or territory of {country}; write one of {known}.")
    ),
    "tax.region_form": _tax_field(
        N_(
            "{field}: write the state or province as its code of up to three letters (e.g. NY "
            "or ON)."
        )
    ),
    "terms.tax_unconfirmed": _tax_unconfirmed,
    "terms.customer_incomplete": _customer_incomplete,
    "terms.seller_tax_id_missing": _seller_id_missing,
    "finalise.customer_incomplete": _finalise_incomplete,
    "finalise.jurisdiction_missing": _finalise_jurisdiction,
    "finalise.tax_stale": _finalise_tax_stale,
    "status.only_from.sent": N_(
        "status: sent comes only from Finalise (the final PDF, signed and kept as sent)"
    ),
    "status.only_from.accepted": N_(
        "status: accepted comes only from recording the customer's acceptance (their signed PDF, "
        "or a signed paper copy)"
    ),
    "status.only_from.lost": N_("status: lost comes only from Mark lost (with a reason)"),
    "status.only_from.expired": N_("status: expired follows from the valid-until date"),
}
"""Each refusal's words by its code."""

__all__ = ["ERRORS", "field_title"]


# --- the Verify page's checks (services/verify.py) -------------------------------------------

CHECK_NAMES: dict[str, str] = {
    "file": N_("file"),
    "approval": N_("approval"),
    "quote": N_("quote"),
    "terms": N_("terms"),
    "pages": N_("pages"),
    "policy": N_("policy"),
    "organisation": N_("organisation"),
    "decision": N_("decision"),
    "approver": N_("approver"),
    "signature": N_("signature"),
    "authority": N_("authority"),
    "timing": N_("timing"),
    "separation": N_("separation"),
    "signatures": N_("signatures"),
    "seller signature": N_("seller signature"),
    "customer signature": N_("customer signature"),
}
"""The names of the checks ``quote-builder verify`` prints before each line."""


def check_name(name: str) -> str:
    """A check's name in the interface's language (a ``Sentence`` in its words: "signature
    Sig3"; a name not known here as it is)."""
    english = CHECK_NAMES.get(name)
    if english is not None:
        return _(english)
    from .service_words import text

    return text(name)


SIGNATURE_CHANGES: dict[str, str] = {
    "none": N_("none"),
    "form filling and signing": N_("form filling and signing"),
    "annotations": N_("annotations"),
    "other changes": N_("other changes"),
}
"""What changed after a PDF signature (``documents/pdfsign._CHANGES``), as the Verify page's
lines name it."""


def signature_changes(value: Any) -> str:
    english = SIGNATURE_CHANGES.get(str(value))
    return _(english) if english is not None else str(value)


SCRIPTS: dict[str, str] = {
    "LATIN": N_("Latin"),
    "CYRILLIC": N_("Cyrillic"),
    "GREEK": N_("Greek"),
}
"""The alphabets a user name may mix (``user.user_name_problem``)."""


def _script_name(value: Any) -> str:
    english = SCRIPTS.get(str(value))
    return _(english) if english is not None else str(value).title()


def _pct(value: Any) -> str:
    from .service_words import percent

    return percent(value)


def _verify_pages_ok(v: Values) -> str:
    count = int(v["pages"])
    if count == 1:
        message = N_(
            "page prints {number}, and the terms fingerprint printed is the approved {short}… "
            "(checked in the text, not the drawing: see the signatures)"
        )
    else:
        message = N_(
            "all {pages} pages print {number}, and the terms fingerprint printed is the "
            "approved {short}… (checked in the text, not the drawing: see the signatures)"
        )
    return _fill(message, v)


def _signer(v: Values) -> list[str]:
    """Who signed (the certificate's label) and when, as a signature's line starts."""
    from . import locale_format

    label = _shown("label", v["label"])
    if v.get("signed_at") is not None:
        return [
            _("{label} on {moment}").format(
                label=label, moment=locale_format.moment(v["signed_at"])
            )
        ]
    return [label]


def _verify_signature_ok(v: Values) -> str:
    state = _("intact and valid")
    if v.get("changes_after"):
        state = _("intact and valid; after it: {changes}").format(
            changes=signature_changes(v["changes_after"])
        )
    if v.get("certifying"):
        state = _("certifying, {state}").format(state=state)
    return joined(_signer(v) + [state])


def _verify_pdf_signature_bad(v: Values) -> str:
    problems = v["problems"]
    if not isinstance(problems, list | tuple) or not problems:
        raise ValueError("no problems")
    state = joined(_shown("problem", problem) for problem in problems)
    if v.get("certifying"):
        state = _("certifying, {state}").format(state=state)
    return joined(_signer(v) + [state])


def _verify_changes(message: str) -> Callable[[Values], str]:
    def write(v: Values) -> str:
        return _(message).format(changes=signature_changes(v["changes"]))

    return write


def _verify_not_within(v: Values) -> str:
    limit = v.get("limit_pct")
    if limit is not None:
        message = N_(
            "no approval, yet nothing shows the {discount} discount within the rep's {limit} authority"
        )
    else:
        message = N_(
            "no approval, yet nothing shows the {discount} discount within the rep's authority"
        )
    return _(message).format(
        discount=_pct(v["discount_pct"]), limit=_pct(limit) if limit is not None else ""
    )


def _verify_name_looks_alike(v: Values) -> str:
    if v["who"] == "requester":
        message = N_(
            "the requester's name {name} {problem}: a name that only looks like another cannot "
            "show that the requester is not the approver"
        )
    elif v["who"] == "approver":
        message = N_(
            "the approver's name {name} {problem}: a name that only looks like another cannot "
            "show that the requester is not the approver"
        )
    else:
        raise ValueError("who")
    return _(message).format(name=repr(str(v["name"])), problem=_shown("problem", v["problem"]))


def _user_name_mixed(v: Values) -> str:
    return _(
        "mixes {first} and {second} letters in {word} ({char}); type the name in one alphabet"
    ).format(
        first=_script_name(v["first"]),
        second=_script_name(v["second"]),
        word=repr(str(v["word"])),
        char=v["char"],
    )


def _verify_not_needed(v: Values) -> str:
    limit = v.get("limit_pct")
    if limit is not None:
        message = N_(
            "none needed: judged on {judged} under policy {policy}, the discount {discount} "
            "within the rep's {limit} authority (the statement is not signed; the margin and "
            "term rules need the seller's data)"
        )
    else:
        message = N_(
            "none needed: judged on {judged} under policy {policy}, the discount {discount} "
            "within the rep's authority (the statement is not signed; the margin and term "
            "rules need the seller's data)"
        )
    return _fill(
        message,
        {"judged": v["judged"], "policy": v["policy"]},
        discount=_pct(v["discount_pct"]),
        limit=_pct(limit) if limit is not None else "",
    )


def _verify_authority_ok(v: Values) -> str:
    limit = v.get("limit_pct")
    if limit is not None:
        message = N_(
            "a {discount} discount, needing the {required_role}, within the {role}'s {limit} "
            "authority"
        )
    else:
        message = N_(
            "a {discount} discount, needing the {required_role}, within the {role}'s authority"
        )
    return _fill(
        message,
        {"required_role": v["required_role"], "role": v["role"]},
        discount=_pct(v["discount_pct"]),
        limit=_pct(limit) if limit is not None else "",
    )


def _verify_timing_ok(v: Values) -> str:
    if v.get("until"):
        return _fill(N_("decided on {decided}, valid until {until}"), v)
    return _fill(N_("decided on {decided}, no expiry"), {"decided": v["decided"]})


VERIFY: dict[str, str | Callable[[Values], str]] = {
    "verify.terms_none": N_("the statement carries no terms hash"),
    "verify.terms_missing": N_(
        "the PDF carries no copy of the terms ({attachment}) to check against the signed hash "
        "{short}…: every PDF Quote Builder makes attaches them, so this file was changed after "
        "it was made"
    ),
    "verify.terms_changed": N_(
        "the attached terms hash to {actual}…, not the signed {short}…: the terms were changed "
        "after the decision"
    ),
    "verify.terms_ok": N_("the attached terms hash to the signed {short}…"),
    "verify.pages_unreadable": N_("the pages' text cannot be read"),
    "verify.pages_none": N_("the PDF has no pages"),
    "verify.pages_no_number": N_("the statement names no quote number to find on the pages"),
    "verify.page_no_number": N_(
        "page {index} does not print the quote number {number}: it comes from another "
        "document, or cannot be read as text"
    ),
    "verify.page_version": N_(
        "page {index} prints {number} version {printed}, but version {version} was approved"
    ),
    "verify.page_other_terms": N_(
        "page {index} prints the terms fingerprint {printed}…, but the approved terms are "
        "{short}…: the pages show other terms than the ones approved"
    ),
    "verify.pages_no_terms": N_(
        "no page prints the approved terms fingerprint {short}…: the pages cannot be tied to "
        "the approved terms"
    ),
    "verify.pages_ok": _verify_pages_ok,
    "verify.no_seller_signature": N_(
        "none: the PDF carries no seller signature, so nothing proves it is the file the seller sent (removing the signature leaves exactly this); ask the seller for the signed file"
    ),
    "verify.no_seller_signature_content_only": N_(
        "not checked (content only): the PDF carries no seller signature, so only the approval, the terms and the pages' text above were checked"
    ),
    "verify.signature_ok": _verify_signature_ok,
    "verify.key_given": N_("the organisation key given"),
    "verify.key_pinned": N_("the organisation key pinned on this computer ({key}, in {path})"),
    "verify.key_installed": N_(
        "the organisation key of the policy installed here ({organisation})"
    ),
    "verify.no_statement": N_(
        "the PDF carries no approval statement: it is a draft, or it was not made final by "
        "Quote Builder"
    ),
    "verify.statement_malformed": N_("the approval statement is malformed"),
    "verify.quote": N_("{number} version {version}"),
    "verify.no_policy": N_(
        "the approval was not made under an organisation policy (approver keys trusted by hand "
        "on the seller's machine: unverified)"
    ),
    "verify.policy_unreadable": N_("the PDF carries no readable organisation policy"),
    "verify.policy_other": N_("the statement names policy {named}, but the PDF carries {carried}"),
    "verify.policy_ok": N_(
        "{organisation}'s policy {policy} (serial {serial}, valid {valid_from} to {valid_until}), "
        "signed by the organisation key {key}"
    ),
    "verify.organisation_no_policy": N_("no organisation policy to check"),
    "verify.organisation_nothing": N_(
        "nothing to compare the organisation key {key} with: give the organisation's public key "
        "(--org-key), or verify where its policy is installed"
    ),
    "verify.organisation_other": N_(
        "the policy is signed by key {key}, not by {source} ({expected}): it is not your "
        "organisation's policy"
    ),
    "verify.organisation_ok": N_("the policy is signed by {source}"),
    "verify.not_needed": _verify_not_needed,
    "verify.approved": N_("approved"),
    "verify.not_approved": N_("the quote was {status}, not approved"),
    "verify.approver_ok": N_("{name}, {role}, listed in the policy"),
    "verify.signed": N_("signed with {name}'s key"),
    "verify.signature_bad": N_("the statement's signature does not verify: it was changed"),
    "verify.authority_ok": _verify_authority_ok,
    "verify.expired": N_("the approval held until {until} and has expired"),
    "verify.timing_ok": _verify_timing_ok,
    "verify.same_person": N_("{asked} asked for this approval and approved it"),
    "verify.separated": N_("requested by {asked}, approved by {name}"),
    "verify.no_policy_none_needed": N_("no approval, and no policy that says none was needed"),
    "verify.statement_date": N_("the statement's date is malformed"),
    "verify.no_approver_key": N_("no approver key in the policy to check it with"),
    "verify.authority_unknown": N_("cannot be checked without the approver's role"),
    "verify.decision_date": N_("the decision's date is malformed"),
    "verify.no_requester": N_("the statement does not say who asked"),
    "verify.unlisted": N_("{name}: no organisation policy lists them"),
    "verify.judged_outside": N_("judged on {judged}, outside the policy's validity"),
    "verify.decided_outside": N_(
        "decided on {decided}, outside the policy's validity ({valid_from} to {valid_until})"
    ),
    "verify.unreadable_empty": N_("it cannot be read as a PDF (it is empty)"),
    "verify.unreadable_damaged": N_("it cannot be read as a PDF (it is damaged or not a PDF)"),
    "verify.too_large": N_("the PDF is larger than 100 MB"),
    "verify.out_of_memory": N_("{path}: the PDF is too large to check in the memory available"),
    "verify.checker_exit": N_(
        "the PDF checker stopped unexpectedly (exit code {code}); check the PDF again"
    ),
    "verify.checker_stopped": N_("the PDF checker stopped unexpectedly; check the PDF again"),
    "verify.key_given_problem": N_("the organisation key given: {problem}"),
    "verify.signature_field": N_("signature {field}"),
    "verify.pdf_signature_bad": _verify_pdf_signature_bad,
    "verify.signed_bytes_changed": N_("the signed bytes were changed"),
    "verify.signature_invalid": N_("the signature does not verify with the certificate"),
    "verify.changed_beyond": _verify_changes(
        N_("changed after it beyond what it allows ({changes})")
    ),
    "verify.changed_after": _verify_changes(N_("the file was changed after it ({changes})")),
    "verify.not_within": _verify_not_within,
    "verify.not_an_approver": N_("{name}'s key {key} is not an approver in policy {policy}"),
    "verify.other_person": N_(
        "the statement names {name} ({named_role}), but the key belongs to {holder} ({role}) in "
        "the policy"
    ),
    "verify.name_looks_alike": _verify_name_looks_alike,
    "pdf.signature_unreadable": N_("the signature cannot be read ({problem})"),
    "certificate.label_trial": N_("{who}, self-signed (trial)"),
    "certificate.label_self_signed": N_("{who}, self-signed"),
    "certificate.label_issued": N_("{who}, issued by {issuer}"),
    "user.name_empty": N_("is empty; give your name"),
    "user.name_invisible": N_("contains an invisible character, {char}; type the name without it"),
    "user.name_mixed": _user_name_mixed,
}
"""The Verify page's lines: the checks' sentences (``services/verify.py``) in the interface's
language, dates and percents in the user's locale."""

ERRORS.update(VERIFY)
