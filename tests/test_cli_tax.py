"""Issue 18 on the command line: price --json's internal and tax blocks, the exchange-rate
table (rates set/import/list/remove), and quotes tax."""

from __future__ import annotations

import io
import json
from pathlib import Path

from quote_builder.cli import main
from quote_builder.services import customers as customer_svc
from quote_builder.services import quotes as quote_svc
from quote_builder.services import settings as settings_svc
from quote_builder.store.database import open_database
from tests.pricing.factories import make_quote

ROOT = Path(__file__).resolve().parents[1]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def test_price_json_keeps_tax_and_the_seller_s_margin_apart() -> None:
    code, out, _ = run(
        "price", str(ROOT / "examples" / "eur_reverse_charge_germany.json"), "--json"
    )
    assert code == 0
    data = json.loads(out)
    # 12 seats x 45.14 EUR x 12 = 6,500.16; year 2 at 46.95 (45.14 x 1.04 = 46.9456): 6,760.80.
    assert data["tcv"] == "13260.96"
    assert data["tax"]["rule"] == "reverse_charge" and data["tax"]["tax"] == "0.00"
    assert data["tax"]["total_including_tax"] == "13260.96"
    internal = data["internal"]
    # 6,500.16 / 0.9213 = 7,055.42 USD; 6,760.80 / 0.9213 = 7,338.33 USD; 14,393.75 in all.
    assert [y["revenue"] for y in internal["years"]] == ["7055.42", "7338.33"]
    assert internal["revenue"] == "14393.75" and internal["margin_currency"] == "USD"
    assert internal["exchange_rate"]["source"] == "ECB euro foreign exchange reference rate"
    code, out, _ = run("price", str(ROOT / "examples" / "usd_sales_tax_new_york.json"), "--json")
    data = json.loads(out)
    # 1,990.00 a month x 8.875 % = 176.6125 -> 176.61 per invoice; 12 invoices: 2,119.32.
    assert data["tcv"] == "23880.00" and data["tax"]["tax"] == "2119.32"
    assert data["tax"]["invoices"][0] == {
        "period": 1,
        "subtotal": "1990.00",
        "tax": "176.61",
        "total_including_tax": "2166.61",
    }


def test_price_text_names_the_tax_and_the_seller_s_margin() -> None:
    code, out, _ = run("price", str(ROOT / "examples" / "jpy_consumption_tax_japan.json"))
    assert code == 0
    out = " ".join(out.split())  # the lines of words wrap to the terminal's width
    assert "Costs and margin in USD: revenue converted at 152.37 JPY per USD" in out
    assert (
        "Consumption tax (domestic, 10%): subtotal 984,156 JPY, tax 98,412 JPY, total "
        "including tax 1,082,568 JPY (tax is not revenue)" in out
    )


def test_rates_and_quotes_tax(tmp_path: Path) -> None:
    path = tmp_path / "tax.db"
    db = open_database(str(path))
    current = settings_svc.get_settings(db)
    settings_svc.update_settings(
        db, expected_version=current.version_id, actor="t", seller_country="United States"
    )
    customer = customer_svc.create_customer(
        db, {"name": "Empire", "country": "United States", "region": "NY"}, actor="t"
    ).value
    number = quote_svc.create_quote(
        db, make_quote(), actor="t", customer_id=customer.id
    ).value.number
    db.close()
    rates = tmp_path / "rates.csv"
    rates.write_text("From,To,Rate,Date,Source\nUSD,EUR,1.085,2026-11-02,x\n")
    code, _out, err = run("--db", str(path), "rates", "import", str(rates))
    assert code == 2
    assert "Line 2, Rate: 1.085 could mean 1.0850 or 1,085; write 1.0850 or 1,085" in err
    rates.write_text("From,To,Rate,Date,Source\nUSD,EUR,0.9213,2026-11-02,ECB\n")
    assert run("--db", str(path), "rates", "import", str(rates))[:2] == (
        0,
        "Imported 1 exchange rates\n",
    )
    code, out, _ = run(
        "--db",
        str(path),
        "rates",
        "set",
        "USD",
        "JPY",
        "152.37",
        "--date",
        "2026-11-02",
        "--source",
        "BoJ",
    )
    assert out == "1 USD = 152.37 JPY (2026-11-02, BoJ)\n"
    code, out, _ = run("--db", str(path), "rates", "list")
    assert out.splitlines()[-1] == "2 exchange rates"
    assert run("--db", str(path), "rates", "remove", "USD", "JPY")[0] == 0
    code, out, _ = run("--db", str(path), "quotes", "tax", number)
    assert code == 0
    assert out.startswith(f"{number} v2: Sales tax 0% (rep entered, your rate)")
    assert "to settle before sending: Sales tax: the rate on this quote is not confirmed." in out
    code, out, _ = run("--db", str(path), "quotes", "tax", number, "--rate", "8.8750", "--confirm")
    assert out == f"{number} v3: Sales tax 8.875% (rep entered, your rate, confirmed)\n"
    code, out, _ = run("--db", str(path), "quotes", "tax", number, "--none")
    assert out == f"{number} v4: no tax line\n"
