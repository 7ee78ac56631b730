"""The Settings page's Save of the exchange-rate table (``currencies.save_exchange_rates``,
``settings.save_settings_page``), on SQLite and PostgreSQL: every problem named with its
row and pair, a rate someone else changed, added or removed since the page showed it
refused (never overwritten), and the page's fields and rates saved together or not at all."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from quote_builder.services import currencies
from quote_builder.services import settings as settings_svc
from quote_builder.services.core import ConflictError, InvalidInputError
from quote_builder.services.currencies import RateChange, RateEntry
from quote_builder.store.database import Database

D = Decimal
DAY = dt.date(2026, 11, 2)


def _set(db: Database, base: str, quote: str, rate: str, actor: str = "t") -> int:
    return currencies.set_exchange_rate(
        db, base=base, quote=quote, rate=D(rate), as_of=DAY, source="ECB", actor=actor
    ).value.version_id


def _change(
    base: str, quote: str, rate: str | None, *, version: int | None, row: int = 1
) -> RateChange:
    entry = (
        None
        if rate is None
        else RateEntry(
            base_currency=base, quote_currency=quote, rate=D(rate), as_of=DAY, source="ECB"
        )
    )
    return RateChange(
        base_currency=base, quote_currency=quote, entry=entry, expected_version=version, row=row
    )


def _table(db: Database) -> dict[str, Decimal]:
    return {
        f"{r.base_currency}/{r.quote_currency}": r.rate for r in currencies.list_exchange_rates(db)
    }


def test_changes_are_saved_together(db: Database) -> None:
    eur = _set(db, "USD", "EUR", "0.9213")
    gbp = _set(db, "USD", "GBP", "0.79")
    saved = currencies.save_exchange_rates(
        db,
        [
            _change("USD", "EUR", "0.92", version=eur, row=1),
            _change("USD", "JPY", "152.37", version=None, row=3),
            _change("USD", "GBP", None, version=gbp, row=0),
        ],
        actor="t",
    )
    assert _table(db) == {"USD/EUR": D("0.92"), "USD/JPY": D("152.37")}
    assert [r.base_currency + r.quote_currency for r in saved.value] == ["USDEUR", "USDJPY"]
    assert saved.changes.settings


def test_each_problem_names_its_row_and_pair_and_nothing_is_saved(db: Database) -> None:
    eur = _set(db, "USD", "EUR", "0.9213")
    with pytest.raises(InvalidInputError) as refused:
        currencies.save_exchange_rates(
            db,
            [
                _change("USD", "EUR", "0.95", version=eur, row=1),  # fine, but not alone
                _change("USD", "JPY", "0", version=None, row=2),
                _change("USD", "CHF", "-1", version=None, row=3),
                _change("USD", "XYZ", "1.2", version=None, row=4),
                _change("USD", "JPY", "150", version=None, row=5),
            ],
            actor="t",
        )
    assert refused.value.problems == [
        "Exchange rates, row 2 (USD to JPY): Rate: must be above 0 (units of the second "
        "currency for one of the first).",
        "Exchange rates, row 3 (USD to CHF): Rate: must be above 0 (units of the second "
        "currency for one of the first).",
        "Exchange rates, row 4 (USD to XYZ): To: XYZ is not a currency; use an ISO 4217 code "
        "such as USD, EUR or JPY.",
        "Exchange rates, row 5 (USD to JPY): the table has this pair on row 2 already.",
    ]
    assert str(refused.value).startswith("The exchange rates were not saved:\n")
    assert _table(db) == {"USD/EUR": D("0.9213")}  # row 1 was not saved either


def test_a_rate_changed_by_someone_else_is_not_overwritten(db: Database) -> None:
    shown = _set(db, "USD", "EUR", "0.9213")  # the version the page showed
    _set(db, "USD", "EUR", "0.95", actor="maria")  # then maria saved another
    with pytest.raises(ConflictError) as refused:
        currencies.save_exchange_rates(
            db, [_change("USD", "EUR", "0.92", version=shown)], actor="t"
        )
    assert str(refused.value).startswith(
        "The exchange rate from USD to EUR was changed by maria at "
    )
    assert _table(db) == {"USD/EUR": D("0.95")}


def test_a_rate_removed_or_added_by_someone_else_is_refused_naming_them(db: Database) -> None:
    shown = _set(db, "USD", "EUR", "0.9213")
    rate_id = currencies.list_exchange_rates(db)[0].id
    currencies.delete_exchange_rate(db, rate_id, actor="maria")
    with pytest.raises(ConflictError, match="USD to EUR was changed by maria"):
        currencies.save_exchange_rates(
            db, [_change("USD", "EUR", "0.92", version=shown)], actor="t"
        )
    assert _table(db) == {}
    _set(db, "USD", "JPY", "152.37", actor="li")  # added after the page showed no JPY
    with pytest.raises(ConflictError, match="USD to JPY was changed by li"):
        currencies.save_exchange_rates(db, [_change("USD", "JPY", "150", version=None)], actor="t")
    assert _table(db) == {"USD/JPY": D("152.37")}


def test_the_settings_page_saves_its_fields_and_rates_or_neither(db: Database) -> None:
    settings = settings_svc.get_settings(db)
    shown = _set(db, "USD", "EUR", "0.9213")
    _set(db, "USD", "EUR", "0.95", actor="maria")
    with pytest.raises(ConflictError):
        settings_svc.save_settings_page(
            db,
            settings={"seller_name": "Acme AI GmbH"},
            expected_version=settings.version_id,
            rates=[_change("USD", "EUR", "0.92", version=shown)],
            actor="t",
        )
    assert settings_svc.get_settings(db).seller_name == settings.seller_name  # not half-saved
    with pytest.raises(InvalidInputError):
        settings_svc.save_settings_page(
            db,
            settings={"seller_name": "Acme AI GmbH"},
            expected_version=settings.version_id,
            rates=[_change("USD", "JPY", "0", version=None)],
            actor="t",
        )
    assert settings_svc.get_settings(db).seller_name == settings.seller_name
    current = currencies.list_exchange_rates(db)[0].version_id
    saved = settings_svc.save_settings_page(
        db,
        settings={"seller_name": "Acme AI GmbH"},
        expected_version=settings.version_id,
        rates=[_change("USD", "EUR", "0.92", version=current)],
        actor="t",
    )
    assert saved.value.seller_name == "Acme AI GmbH"
    assert _table(db) == {"USD/EUR": D("0.92")}
    only_rates = settings_svc.save_settings_page(
        db,
        settings=None,
        expected_version=saved.value.version_id,
        rates=[_change("USD", "JPY", "152.37", version=None)],
        actor="t",
    )
    assert only_rates.value.version_id == saved.value.version_id  # the fields were not saved
    assert _table(db) == {"USD/EUR": D("0.92"), "USD/JPY": D("152.37")}


def test_a_csv_is_read_without_saving(db: Database) -> None:
    entries = currencies.read_exchange_rates_csv(
        "From,To,Rate,Date,Source\nUSD,JPY,152.37,2026-11-02,BoJ\n"
    )
    assert [(e.base_currency, e.quote_currency, e.rate, e.source) for e in entries] == [
        ("USD", "JPY", D("152.37"), "BoJ")
    ]
    assert _table(db) == {}


def test_a_rate_too_long_to_keep_is_refused_not_a_traceback(db: Database) -> None:
    """ "1e-70" is above 0 but 70 decimal places: PostgreSQL refused it with a traceback (the
    column holds 64 characters); now it is a sentence on both databases."""
    with pytest.raises(InvalidInputError) as refused:
        currencies.save_exchange_rates(
            db, [_change("USD", "EUR", "1e-70", version=None, row=1)], actor="t"
        )
    assert refused.value.problems == [
        "Exchange rates, row 1 (USD to EUR): Rate: must have at most 10 decimal places."
    ]
    with pytest.raises(InvalidInputError, match="at most 10 decimal places"):
        currencies.set_exchange_rate(
            db, base="USD", quote="EUR", rate=D("1e-70"), as_of=DAY, source="x", actor="t"
        )
    assert _table(db) == {}
