"""The pricing engine's line labels in the document's language.

The engine names the parts of a charge in English ("Tier 2 (100-1000)", "Included",
"Credit packs of 500"): the app shows them, and they are part of the customer's terms
(``terms.json``), which stay the same whatever the document's language. A customer document
prints them translated, each label a whole message with its numbers formatted in the
document's locale ("Stufe 2 (100 bis 1.000)"). A label no pattern knows (a component's or
a discount's own name: the rep's words) is printed as written.

Each pattern mirrors one label the engine writes (``pricing/components.py``,
``pricing/engine.py``, ``pricing/contracts.py``); ``tests/documents/test_languages.py``
checks that every label of every example and demo quote is known, so a new engine label
cannot slip into a German document in English.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

from .formatting import Formatter
from .i18n import N_
from .own_words import DEFAULT_DISCOUNT_NAME, own_text

_NUMBER = r"-?\d+(?:\.\d+)?"
_DATE = r"\d{4}-\d{2}-\d{2}"


def _dec(text: str) -> Decimal:
    return Decimal(text)


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _const(message: str) -> Callable[[re.Match[str], Formatter], str]:
    return lambda _m, f: f._(message)


Translate = Callable[[re.Match[str], Formatter], str]

_PATTERNS: list[tuple[re.Pattern[str], Translate]] = [
    (
        re.compile(rf"Tier (?P<n>\d+) \((?P<lower>{_NUMBER})-(?P<upper>{_NUMBER})\)"),
        lambda m, f: f._(
            "Tier %(number)s (%(lower)s to %(upper)s)",
            number=m["n"],
            lower=f.number(_dec(m["lower"])),
            upper=f.number(_dec(m["upper"])),
        ),
    ),
    (
        re.compile(rf"Tier (?P<n>\d+) \(above (?P<lower>{_NUMBER})\)"),
        lambda m, f: f._(
            "Tier %(number)s (above %(lower)s)", number=m["n"], lower=f.number(_dec(m["lower"]))
        ),
    ),
    (
        # A volume tier's line: every unit at the price of the tier the quantity reached.
        re.compile(r"(?P<tier>Tier \d+ \(.+\)), all units"),
        lambda m, f: f._("%(tier)s, all units", tier=engine_label(m["tier"], f)),
    ),
    (
        re.compile(r"(?P<part>.+): flat fee"),
        lambda m, f: f._("%(part)s: flat fee", part=engine_label(m["part"], f)),
    ),
    (re.compile("Rounding"), _const(N_("Rounding"))),
    (re.compile("Free units"), _const(N_("Free units"))),
    (
        re.compile(rf"Blocks of (?P<size>{_NUMBER})"),
        lambda m, f: f._("Blocks of %(size)s", size=f.number(_dec(m["size"]))),
    ),
    (re.compile("Included"), _const(N_("Included"))),
    (re.compile("Overage"), _const(N_("Overage"))),
    (re.compile("Credits used from allocation"), _const(N_("Credits used from allocation"))),
    (re.compile("Rolled-over credits used"), _const(N_("Rolled-over credits used"))),
    (re.compile("Credits used from packs"), _const(N_("Credits used from packs"))),
    (
        re.compile(rf"Credit packs of (?P<size>{_NUMBER})"),
        lambda m, f: f._("Credit packs of %(size)s", size=f.number(_dec(m["size"]))),
    ),
    (re.compile("Overage credits"), _const(N_("Overage credits"))),
    (re.compile("Outcomes"), _const(N_("Outcomes"))),
    (
        re.compile(rf"(?P<p>{_NUMBER})% of attributed value above baseline"),
        lambda m, f: f._(
            "%(percent)s of attributed value above baseline", percent=f.percent(_dec(m["p"]), None)
        ),
    ),
    (re.compile("Raised to the monthly floor"), _const(N_("Raised to the monthly floor"))),
    (re.compile("Limited to the monthly cap"), _const(N_("Limited to the monthly cap"))),
    (
        re.compile("Transactions, each fee as logged"),
        _const(N_("Transactions, each fee as logged")),
    ),
    (
        re.compile(rf"(?P<p>{_NUMBER})% of transaction value"),
        lambda m, f: f._("%(percent)s of transaction value", percent=f.percent(_dec(m["p"]), None)),
    ),
    (re.compile("Fixed fee per transaction"), _const(N_("Fixed fee per transaction"))),
    (
        re.compile("Raised to the minimum per transaction"),
        _const(N_("Raised to the minimum per transaction")),
    ),
    (
        re.compile("Limited to the maximum per transaction"),
        _const(N_("Limited to the maximum per transaction")),
    ),
    (re.compile("True-up to minimum commitment"), _const(N_("True-up to minimum commitment"))),
    (
        re.compile(
            rf"(?P<name>.+), (?P<start>{_DATE}) to (?P<end>{_DATE}) prorated "
            r"\((?P<days>\d+) of (?P<period>\d+) days\)"
        ),
        lambda m, f: f._(
            "%(name)s, %(start)s to %(end)s, prorated (%(days)s of %(period)s days)",
            name=m["name"],
            start=f.short_date(_date(m["start"])),
            end=f.short_date(_date(m["end"])),
            days=f.number(int(m["days"])),
            period=f.number(int(m["period"])),
        ),
    ),
    (
        re.compile(r"Year (?P<year>\d+)"),
        lambda m, f: f._("Year %(year)s", year=m["year"]),
    ),
    (
        re.compile(r"Contract year (?P<year>\d+)"),
        lambda m, f: f._("Contract year %(year)s", year=m["year"]),
    ),
]


def known(label: str) -> bool:
    """Whether ``label`` is one the engine writes (and the documents translate)."""
    return any(pattern.fullmatch(label) for pattern, _ in _PATTERNS)


def discount_name(name: str, f: Formatter) -> str:
    """A discount's name as a document prints it: the app's own names (the default
    "Discount", the editor's "Deal discount", the demo's: ``own_words``) in ``f``'s
    language, so a French proposal says "Remise", not "Discount"; the rep's own words as
    written."""
    return own_text(name, f)


def engine_label(label: str, f: Formatter) -> str:
    """An engine label in ``f``'s language; any other text as written."""
    for pattern, translate in _PATTERNS:
        match = pattern.fullmatch(label)
        if match is not None:
            return translate(match, f)
    return discount_name(label, f)


__all__ = ["DEFAULT_DISCOUNT_NAME", "discount_name", "engine_label", "known"]
