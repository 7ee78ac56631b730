"""What typing into the price table does to the quote (no Qt here: tested without windows).

A cell of the table (``documents.price_sheet.SheetRow``) is a number the engine computed;
editing it changes the field of the quote that number comes from, or says why it cannot:

- **Quantity** of a seats line: the committed seat count of that contract year. Year 1 is
  the component's seat count; a later year is a ramp from that year (a quantity holds from
  the year it is set until a later year sets its own, as the Terms tab's ramps do).
- **Quantity** of a usage line: the year's estimated units. They become the metric's
  monthly forecast for that year (units / months, to 10 decimals): year 1 is the forecast,
  a later year a ramp, or the year's entry of a forecast given per contract year. A
  forecast that grows every month is changed on the Usage tab only.
- **List unit price**: the component's price (per unit, per seat, the fee, per outcome),
  where the year shows that price as it is written (year 1, or every year without an
  escalator); a later year's escalated price follows year 1.
- **Discount**: the line's whole-year percent. The component gets its own discount for the
  whole term, so that with the deal-wide discounts the line shows what was typed.

Every function returns new data (the input is not changed) and raises
:class:`CellRefused` with a sentence in the table's words when the edit cannot be made.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from quote_builder.documents.price_sheet import PriceSheet, SheetRow

from .i18n import N_, _
from .locale_numbers import field_text, shown

Column = Literal["quantity", "price", "discount"]
MAX_RAMPS = 10
MAX_SEATS = 10_000_000
_PLACES = Decimal(10) ** -10

PRICE_FIELDS = {
    "per_unit": "unit_price",
    "seats": "price_per_seat",
    "flat_fee": "amount",
    "one_time_fee": "amount",
    "per_outcome": "price_per_outcome",
}
"""The field a component's list unit price is, for the kinds whose line has one price."""

COLUMN_WORDS = {
    "quantity": N_("quantity"),
    "price": N_("list unit price"),
    "discount": N_("discount"),
}


class CellRefused(ValueError):
    """An edit of the price table that cannot be made; the message is the sentence to show."""


@dataclass(frozen=True)
class CellEdit:
    data: dict[str, Any]
    label: str
    """The undo step's text: "Team seats, year 2: quantity 60"."""


def _text(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _number(value: Decimal) -> str:
    """A number in a sentence, the locale's way (1,5 in German)."""
    return field_text(Decimal(_text(value)))


def _component(data: dict[str, Any], component_id: str | None) -> tuple[int, dict[str, Any]]:
    for index, raw in enumerate(data.get("components") or []):
        if isinstance(raw, dict) and raw.get("id") == component_id:
            return index, raw
    raise CellRefused(_("this line's component is no longer in the quote"))


def _where(row: SheetRow) -> str:
    return _("{label}, year {year}").format(label=row.label, year=row.year)


def refusal(data: dict[str, Any], sheet: PriceSheet, row: SheetRow, column: Column) -> str | None:
    """Why ``column`` of ``row`` cannot be edited (None: it can). Cheap enough for the
    table's ``flags()``."""
    if row.kind != "component" or row.component_id is None:
        return _("Only a component's own line can be changed here")
    try:
        _index, raw = _component(data, row.component_id)
    except CellRefused as exc:
        return str(exc)
    kind = raw.get("kind")
    if column == "quantity":
        if kind == "seats":
            return None
        metric = raw.get("metric")
        if row.basis != "forecast" or row.quantity is None or row.quantity_style != "number":
            return _(
                "{label}: its quantity follows from its terms; change them in its form on the Components tab"
            ).format(label=row.label)
        forecast = (data.get("usage_forecast") or {}).get(metric)
        if not isinstance(forecast, dict):
            return _("{label}: {metric} has no forecast; add one on the Usage tab").format(
                label=row.label, metric=metric
            )
        growth = forecast.get("growth_percent_per_month")
        if growth not in (None, "", "0", 0) and Decimal(str(growth)) != 0:
            return _(
                "{label}: the forecast of {metric} grows {percent} % a month; change it on the Usage tab"
            ).format(label=row.label, metric=metric, percent=_number(Decimal(str(growth))))
        return None
    if column == "price":
        field = PRICE_FIELDS.get(str(kind))
        if field is None:
            return _(
                "{label}: its prices are in its form on the Components tab (tiers, packages, credits)"
            ).format(label=row.label)
        written = raw.get(field)
        if written is None or row.list_unit_price is None:
            return _("{label}: no single unit price to change").format(label=row.label)
        if Decimal(str(written)) != row.list_unit_price:
            return _(
                "{label}: year {year}'s price is year 1's with the annual escalator (or prorated for a short year); change the year-1 price"
            ).format(label=row.label, year=row.year)
        return None
    if kind == "minimum_commitment":
        return _("{label}: a minimum commitment is not discounted").format(label=row.label)
    if len(_own_discounts(data, str(row.component_id))) > 1:
        return _(
            "{label}: it has more than one discount of its own; change them in the quote file"
        ).format(label=row.label)
    return None


def _own_discounts(data: dict[str, Any], component_id: str) -> list[int]:
    """Indexes of the component's whole-term percent discounts."""
    found = []
    for index, discount in enumerate(data.get("discounts") or []):
        if (
            isinstance(discount, dict)
            and discount.get("component") == component_id
            and discount.get("percent") not in (None, "")
            and str(discount.get("start_month", 1)) == "1"
            and discount.get("months") in (None, "")
        ):
            found.append(index)
    return found


def edit_cell(
    data: dict[str, Any], sheet: PriceSheet, row: SheetRow, column: Column, value: Decimal | None
) -> CellEdit:
    """The quote with ``column`` of ``row`` set to ``value`` (None: cleared, for a discount)."""
    reason = refusal(data, sheet, row, column)
    if reason is not None:
        raise CellRefused(reason)
    new = copy.deepcopy(data)
    if column == "quantity":
        if value is None:
            raise CellRefused(_("{where}: type a quantity").format(where=_where(row)))
        _set_quantity(new, sheet, row, value)
        return CellEdit(
            new,
            _("{where}: quantity {quantity}").format(where=_where(row), quantity=_number(value)),
        )
    if column == "price":
        if value is None or value < 0:
            raise CellRefused(
                _("{where}: the list unit price must be 0 or more").format(where=_where(row))
            )
        index, raw = _component(new, row.component_id)
        raw[PRICE_FIELDS[str(raw.get("kind"))]] = _text(value)
        return CellEdit(
            new, _("{label}: list unit price {price}").format(label=row.label, price=_number(value))
        )
    _set_discount(new, sheet, row, value or Decimal(0))
    return CellEdit(
        new,
        _("{label}: discount {percent} %").format(
            label=row.label, percent=_number(value or Decimal(0))
        ),
    )


def _ramp(data: dict[str, Any], year: int) -> dict[str, Any]:
    """The ramp of ``year``, made (in year order) when there is none."""
    ramps = data.setdefault("ramps", [])
    for ramp in ramps:
        if str(ramp.get("year")) == str(year):
            return ramp  # type: ignore[no-any-return]
    if len(ramps) >= MAX_RAMPS:
        raise CellRefused(
            _(
                "year {year} would need a ramp, and the quote has the most ramps it can hold ({maximum}); change the ramps on the Terms tab"
            ).format(year=year, maximum=MAX_RAMPS)
        )
    ramp = {"year": year, "seats": {}, "usage": {}}
    ramps.append(ramp)
    ramps.sort(key=lambda r: int(r.get("year", 0)) if str(r.get("year", "")).isdigit() else 0)
    return ramp


def _latest_ramp_year(data: dict[str, Any], kind: str, name: str, year: int) -> int | None:
    """The last contract year at or before ``year`` whose ramp sets ``name``."""
    found = None
    for ramp in data.get("ramps") or []:
        ramp_year = ramp.get("year")
        if not str(ramp_year).isdigit() or int(ramp_year) > year:
            continue
        if name in (ramp.get(kind) or {}) and (found is None or int(ramp_year) > found):
            found = int(ramp_year)
    return found


def _set_quantity(data: dict[str, Any], sheet: PriceSheet, row: SheetRow, value: Decimal) -> None:
    index, raw = _component(data, row.component_id)
    if raw.get("kind") == "seats":
        if value != value.to_integral_value() or not 0 <= value <= MAX_SEATS:
            raise CellRefused(
                _("{where}: seats must be a whole number from 0 to {maximum}").format(
                    where=_where(row), maximum=shown(MAX_SEATS)
                )
            )
        count = int(value)
        ramped = _latest_ramp_year(data, "seats", str(raw["id"]), row.year)
        if ramped == row.year:
            _ramp(data, row.year)["seats"][raw["id"]] = count
        elif row.year == 1:
            raw["seats"] = count
        else:
            _ramp(data, row.year).setdefault("seats", {})[raw["id"]] = count
        return
    if value < 0:
        raise CellRefused(_("{where}: the quantity must be 0 or more").format(where=_where(row)))
    metric = str(raw["metric"])
    months = next(y.months for y in sheet.years if y.year == row.year)
    monthly = (value / months).quantize(_PLACES, ROUND_HALF_UP)
    text = _text(monthly)
    forecast = data["usage_forecast"][metric]
    ramped = _latest_ramp_year(data, "usage", metric, row.year)
    if ramped == row.year:
        _ramp(data, row.year)["usage"][metric] = text
    elif forecast.get("per_year") and ramped is None:
        per_year = list(forecast["per_year"])
        while len(per_year) < row.year:
            per_year.append(per_year[-1])
        per_year[row.year - 1] = text
        forecast["per_year"] = per_year
    elif row.year == 1 and ramped is None:
        forecast["monthly"] = text
    else:
        _ramp(data, row.year).setdefault("usage", {})[metric] = text


def _set_discount(data: dict[str, Any], sheet: PriceSheet, row: SheetRow, value: Decimal) -> None:
    if not 0 <= value <= 100:
        raise CellRefused(
            _("{where}: the discount must be from 0 to 100 %").format(where=_where(row))
        )
    component_id = str(row.component_id)
    own = _own_discounts(data, component_id)
    own_percent = Decimal(str(data["discounts"][own[0]]["percent"])) if own else Decimal(0)
    others = (row.discount_percent or Decimal(0)) - own_percent
    wanted = value - others
    if wanted < 0:
        raise CellRefused(
            _(
                "{where}: other discounts already take {percent} %; change the deal discount on the Terms tab to go lower"
            ).format(where=_where(row), percent=_number(others))
        )
    discounts = data.setdefault("discounts", [])
    if own:
        if wanted == 0:
            del discounts[own[0]]
        else:
            discounts[own[0]]["percent"] = _text(wanted)
    elif wanted:
        discounts.append(
            {
                "description": f"{row.label} discount",
                "percent": _text(wanted),
                "component": component_id,
            }
        )
    if not discounts:
        data.pop("discounts", None)


__all__ = ["COLUMN_WORDS", "CellEdit", "CellRefused", "edit_cell", "refusal"]
