"""ISO 4217 currencies and their minor units.

The table lists the active codes of ISO 4217 (list one, 2025 edition) that a quote can be
priced in. Funds codes with no minor unit (XAU, XDR, XXX, ...) are left out on purpose: no
deal is invoiced in gold or in the test code. The exponent is the number of digits after the
decimal point of the currency's minor unit: JPY 0, USD 2, BHD 3, CLF 4.

A table and not a guess: ``tests/pricing/test_money.py`` checks it against babel's CLDR data
where ISO and CLDR agree.
"""

from __future__ import annotations

_ZERO = frozenset(
    [
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "ISK",
        "JPY",
        "KMF",
        "KRW",
        "PYG",
        "RWF",
        "UGX",
        "UYI",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    ]
)
_THREE = frozenset(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"])
_FOUR = frozenset(["CLF", "UYW"])
_TWO = frozenset(
    [
        "AED",
        "AFN",
        "ALL",
        "AMD",
        "AOA",
        "ARS",
        "AUD",
        "AWG",
        "AZN",
        "BAM",
        "BBD",
        "BDT",
        "BGN",
        "BMD",
        "BND",
        "BOB",
        "BOV",
        "BRL",
        "BSD",
        "BTN",
        "BWP",
        "BYN",
        "BZD",
        "CAD",
        "CDF",
        "CHE",
        "CHF",
        "CHW",
        "CNY",
        "COP",
        "COU",
        "CRC",
        "CUP",
        "CVE",
        "CZK",
        "DKK",
        "DOP",
        "DZD",
        "EGP",
        "ERN",
        "ETB",
        "EUR",
        "FJD",
        "FKP",
        "GBP",
        "GEL",
        "GHS",
        "GIP",
        "GMD",
        "GTQ",
        "GYD",
        "HKD",
        "HNL",
        "HTG",
        "HUF",
        "IDR",
        "ILS",
        "INR",
        "IRR",
        "JMD",
        "KES",
        "KGS",
        "KHR",
        "KPW",
        "KYD",
        "KZT",
        "LAK",
        "LBP",
        "LKR",
        "LRD",
        "LSL",
        "MAD",
        "MDL",
        "MGA",
        "MKD",
        "MMK",
        "MNT",
        "MOP",
        "MRU",
        "MUR",
        "MVR",
        "MWK",
        "MXN",
        "MXV",
        "MYR",
        "MZN",
        "NAD",
        "NGN",
        "NIO",
        "NOK",
        "NPR",
        "NZD",
        "PAB",
        "PEN",
        "PGK",
        "PHP",
        "PKR",
        "PLN",
        "QAR",
        "RON",
        "RSD",
        "RUB",
        "SAR",
        "SBD",
        "SCR",
        "SDG",
        "SEK",
        "SGD",
        "SHP",
        "SLE",
        "SOS",
        "SRD",
        "SSP",
        "STN",
        "SVC",
        "SYP",
        "SZL",
        "THB",
        "TJS",
        "TMT",
        "TOP",
        "TRY",
        "TTD",
        "TWD",
        "TZS",
        "UAH",
        "USD",
        "USN",
        "UYU",
        "UZS",
        "VED",
        "VES",
        "WST",
        "XCD",
        "XCG",
        "YER",
        "ZAR",
        "ZMW",
        "ZWG",
    ]
)

MINOR_UNITS: dict[str, int] = {
    **{code: 0 for code in _ZERO},
    **{code: 2 for code in _TWO},
    **{code: 3 for code in _THREE},
    **{code: 4 for code in _FOUR},
}


class UnknownCurrencyError(ValueError):
    """A currency code that is not an active ISO 4217 code."""


def minor_units(code: str) -> int:
    """Digits after the decimal point for ``code`` (``USD`` -> 2, ``JPY`` -> 0)."""
    try:
        return MINOR_UNITS[code]
    except KeyError:
        raise UnknownCurrencyError(
            f"unknown currency {code!r}: use an ISO 4217 code such as USD, EUR or JPY"
        ) from None


def is_currency(code: str) -> bool:
    return code in MINOR_UNITS
