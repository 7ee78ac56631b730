"""The proposal and the order form in German, French, Spanish and Japanese (issue 18, §1).

The proof that no English sentence remains: every example quote, every demo quote, a
renewal, an expansion, an amendment and a quote with options are rendered in English and
in each language, every template is rendered at least once, and the translated HTML is
read text node by text node. Two independent checks find English left in it:

- *same as English*: a text node that reads exactly as the English document's (numbers and
  amounts aside) and still holds words once the quote's own text (component names,
  descriptions, parties, the seller's legal phrases) is taken out: a literal in a template,
  or a message the catalog does not translate;
- *a catalog sentence*: a sentence of any message the catalog translates differently that
  appears in the translated document as it is in English (a message formatted without its
  translation).

Both are shown to fail on a document made to have English in it. The redaction and
consistency checks run in every language too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gettext
import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel import Locale
from babel.messages.pofile import read_po
from babel.numbers import list_currencies
from pypdf import PdfReader

from quote_builder.documents import RenderRequest, render_html, render_pdf
from quote_builder.documents import engine_labels as labels
from quote_builder.documents.formatting import Formatter, LocaleError
from quote_builder.documents.i18n import LOCALE_DIR
from quote_builder.documents.own_words import METRIC_UNITS, rep_words
from quote_builder.documents.viewmodel import LEGAL_DEFAULTS, customer_view
from quote_builder.paths import templates_dir
from quote_builder.pricing import contracts, price
from quote_builder.pricing.languages import DEFAULT_LOCALES
from quote_builder.pricing.legal import TEXT_FIELDS, LegalFrame
from quote_builder.pricing.options import effective_document, option_document

from .conftest import EXAMPLES, example, request_for
from .test_options_documents import with_options

LANGUAGES = ("de", "fr", "es", "ja")
ALLOWED_TOKENS = {"SHA", "PDF", "USD", "EUR", "GBP", "JPY", "CHF", "US"}
"""Words that are the same in every language: the hash's and the file format's names,
currency codes."""


# --- the corpus ----------------------------------------------------------------------------


def _changes() -> Iterator[tuple[str, Any]]:
    contract = example("seats_credits_coding_team.json")
    priced = price(contract)
    yield (
        "renewal",
        contracts.renewal_document(
            contract,
            priced,
            original_order="Q-2026-0001",
            original_version=3,
            uplift_percent=Decimal(5),
        ),
    )
    yield (
        "expansion",
        contracts.expansion_document(
            contract,
            priced,
            original_order="Q-2026-0001",
            original_version=3,
            effective=dt.date(2027, 2, 10),
            added_seats={"seats": 10},
        ),
    )
    yield (
        "amendment",
        contracts.amendment_document(
            contract,
            priced,
            original_order="Q-2026-0001",
            original_version=3,
            effective=dt.date(2027, 3, 1),
        ),
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, RenderRequest]]:
    """Every example and demo quote, a renewal, an expansion, an amendment and a quote with
    options (with its customer's terms and the demo seller's legal frame)."""
    from quote_builder.services.demo import seed_demo
    from quote_builder.services.documents import _customer, _seller_frame
    from quote_builder.services.quotes import list_quotes, open_version
    from quote_builder.store.database import open_database

    found = [(path.stem, request_for(example(path.name))) for path in EXAMPLES]
    found += [(name, request_for(doc, quote_number="Q-2026-0200")) for name, doc in _changes()]
    found.append(("options", request_for(with_options())))
    found.append(("chosen option", request_for(with_options(chosen="c"))))
    db = open_database(str(tmp_path_factory.mktemp("demo") / "demo.db"))
    try:
        seed_demo(db, actor="test", today=dt.date(2026, 11, 2))
        seller, _logo, legal = _seller_frame(db)
        for row in list_quotes(db, limit=100).rows:
            doc = open_version(db, row.id).document
            found.append(
                (
                    row.number,
                    request_for(
                        doc,
                        seller=seller,
                        customer=_customer(db, doc),
                        quote_number=row.number,
                        legal=legal,
                        issued=dt.date(2026, 11, 2),
                    ),
                )
            )
    finally:
        db.close()
    assert len(found) >= 13
    return found


def in_language(req: RenderRequest, language: str) -> RenderRequest:
    return dataclasses.replace(req, language=language, locale=DEFAULT_LOCALES[language])


# --- reading the HTML ----------------------------------------------------------------------


class _Text(HTMLParser):
    """The text nodes a reader sees (chart labels included), without <code> (commands).
    A date or an amount kept on one line (``<span class="nowrap">``) is part of the text
    around it, as a reader sees it: "vom 1. Januar 2027 bis zum ..." is one node."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self._skip = 0
        self._spans: list[bool] = []  # each open span: whether it only keeps text whole
        self._pending = ""

    def _flush(self) -> None:
        # ASCII white space only: no-break spaces are part of an amount ("1 425,00 $US").
        text = re.sub(r"[ \t\r\n]+", " ", self._pending.replace("\u200b", "")).strip()
        self._pending = ""
        if text:
            self.nodes.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "span":
            self._spans.append(dict(attrs).get("class") == "nowrap")
            if self._spans[-1]:
                return
        self._flush()
        if tag in ("code", "style", "script"):
            self._skip += 1
        if tag == "meta":
            values = dict(attrs)
            if values.get("name") in ("description", "keywords") and values.get("content"):
                self.nodes.append(" ".join(str(values["content"]).split()))

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._spans and self._spans.pop():
            return
        self._flush()
        if tag in ("code", "style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._pending += data

    def close(self) -> None:
        super().close()
        self._flush()


def text_nodes(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.nodes


_NUMBERS = re.compile(r"[\d.,\u00a0\u202f'’%$€£¥￥+\-–−]+")


def _shape(node: str) -> str:
    """A node with its numbers and amounts taken out (they differ by locale only)."""
    return " ".join(_NUMBERS.sub(" ", node).split())


_CODES = frozenset(list_currencies()) | frozenset(Locale.parse("en").territories)
"""ISO currency and country codes: printed with amounts and places by the formatter."""


def user_strings(req: RenderRequest) -> list[str]:
    """The quote's own words: printed as the rep wrote them, whatever the language."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            if value in METRIC_UNITS:
                return  # one of the app's metric ids: printed in the document's language
            # The app's own defaults ("Resolved tickets", a demo title's "for") are not the
            # rep's words: a document prints them translated (documents/own_words.py).
            for words in rep_words(value):
                found.add(words)
                found.add(words.replace("_", " ").replace("-", " ").replace(".", " "))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(req.document.to_json_dict())
    walk(sorted(req.document.usage_forecast))  # metric names: the quote's own words too
    for component in req.document.components:
        walk(sorted(component.metrics()))
    for party in (req.seller, req.customer):
        walk(dataclasses.asdict(party))
    walk((req.legal or LegalFrame()).model_dump(mode="json"))
    # Words only: a number of the quote ("15") is printed formatted, and taking it out of
    # the text would cut amounts ("156,000.00").
    # Currency and country codes ("JPY", "JP") are printed by the formatter as part of an
    # amount ("984 156 JPY"): taking them out would cut the amount.
    words = (
        s for s in found if len(s.strip()) > 1 and re.search(r"[^\W\d_]", s) and s not in _CODES
    )
    return sorted(words, key=len, reverse=True)


def _dates_words(language: str) -> set[str]:
    """The month and day names the locale's dates are written with ("November" is German
    too): they come from babel, not from a sentence."""
    locale = Formatter("USD", DEFAULT_LOCALES[language], language).locale
    words: set[str] = set()
    for table in (locale.months, locale.days):
        for context in table.values():
            for width in context.values():
                for name in width.values():
                    words |= set(re.findall(r"[A-Za-z]{2,}", str(name)))
    return words


def without(text: str, strings: list[str]) -> str:
    """``text`` with every one of ``strings`` taken out where it stands as words (never
    inside a word: "contract" stays in "contractuelles")."""
    for piece in strings:
        if piece in text:
            text = re.sub(rf"(?<!\w){re.escape(piece)}(?!\w)", " ", text)
    return text


def _residue(node: str, strings: list[str], language: str) -> set[str]:
    node = without(node, strings)
    return set(re.findall(r"[A-Za-z]{2,}", node)) - ALLOWED_TOKENS - _dates_words(language)


def catalog_entries(language: str) -> dict[str, tuple[str, ...]]:
    """msgid (singular and plural) -> its translations."""
    with (LOCALE_DIR / language / "LC_MESSAGES" / "documents.po").open("rb") as handle:
        catalog = read_po(handle)
    entries: dict[str, tuple[str, ...]] = {}
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            entries[msgid] = tuple(forms)
    return entries


def _vocabulary(entries: dict[str, tuple[str, ...]]) -> set[str]:
    """The words the language's translations use ("Page" and "est." are French words too):
    a node read as in English is left in English only if it has a word the translations
    never use ("of", "the", "per", "invoiced" ...)."""
    words: set[str] = set()
    for forms in entries.values():
        for form in forms:
            words |= set(re.findall(r"[A-Za-z]{2,}", re.sub(r"%\(\w+\)s|<[^>]+>", " ", form)))
    return words


def _fragments(msgid: str) -> list[str]:
    """The sentences of a message between its placeholders and tags (a fragment of two
    words or more: a lone word may be a name or a number's unit)."""
    pieces = re.split(r"%\(\w+\)s|%%|<[^>]+>", msgid)
    return [p.strip(' ,;:.()"') for p in pieces if len(p.split()) >= 3 and len(p.strip()) >= 14]


def english_left(
    html: str, english_html: str, req: RenderRequest, language: str
) -> list[tuple[str, str]]:
    """Every piece of English left in ``html`` (the document in ``language``), as (check,
    text): nodes read as in the English document, and catalog sentences printed untranslated."""
    strings = user_strings(req)
    entries = catalog_entries(language)
    own_words = _vocabulary(entries)
    english = {_shape(node) for node in text_nodes(english_html)}
    found = []
    nodes = text_nodes(html)
    for node in nodes:
        if _shape(node) not in english:
            continue
        if _residue(node, strings, language) - own_words:
            found.append(("same as English", node))
    text = without(" ".join(nodes), strings)
    for msgid, forms in entries.items():
        if msgid in forms:
            continue  # translated as itself ("Total" in French)
        for fragment in _fragments(msgid):
            if fragment in text and all(fragment not in form for form in forms):
                found.append(("catalog sentence", fragment))
    return found


# --- the proof -------------------------------------------------------------------------------


class _Recorder:
    def __init__(self) -> None:
        self.loaded: set[str] = set()


@pytest.fixture
def loaded_templates(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Recorder]:
    import jinja2

    recorder = _Recorder()
    original = jinja2.FileSystemLoader.get_source

    def get_source(self: Any, environment: Any, template: str) -> Any:
        recorder.loaded.add(template)
        return original(self, environment, template)

    monkeypatch.setattr(jinja2.FileSystemLoader, "get_source", get_source)
    from quote_builder.documents import render

    render.environment.cache_clear()
    yield recorder
    render.environment.cache_clear()


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_sentence_remains_in_any_document(
    language: str, corpus: list[tuple[str, RenderRequest]], loaded_templates: _Recorder
) -> None:
    problems = []
    for name, req in corpus:
        for kind in (
            ("both", "proposal", "contract") if name == "platform_usage_analytics" else ("both",)
        ):
            english = render_html(kind, req)  # type: ignore[arg-type]
            html = render_html(kind, in_language(req, language))  # type: ignore[arg-type]
            assert f'<html lang="{DEFAULT_LOCALES[language].replace("_", "-")}">' in html
            problems += [(name, kind, *p) for p in english_left(html, english, req, language)]
    assert problems == [], problems[:10]
    every = {str(p.relative_to(templates_dir())) for p in templates_dir().rglob("*.html")}
    assert every - loaded_templates.loaded == set(), "templates the corpus never rendered"


def test_the_check_finds_a_message_the_catalog_does_not_translate(
    monkeypatch: pytest.MonkeyPatch, corpus: list[tuple[str, RenderRequest]]
) -> None:
    from quote_builder.documents import i18n, render

    req = dict(corpus)["platform_usage_analytics"]
    english = render_html("both", req)
    with (LOCALE_DIR / "de" / "LC_MESSAGES" / "documents.mo").open("rb") as handle:
        german = gettext.GNUTranslations(handle)
    for msgid in (
        "Payment, late payment and suspension",  # a heading of a template
        "%(amount)s per month, invoiced in advance.",  # a sentence of the Python code
    ):
        german._catalog.pop(msgid)  # type: ignore[attr-defined]
    i18n.translations.cache_clear()
    render.environment.cache_clear()
    monkeypatch.setattr(i18n, "translations", lambda language, domain="documents": german)
    monkeypatch.setattr(render, "translations", i18n.translations)
    try:
        html = render_html("both", in_language(req, "de"))
    finally:
        render.environment.cache_clear()
    found = english_left(html, english, req, "de")
    assert ("same as English", "Payment, late payment and suspension") in found
    assert ("same as English", "1.500,00\u00a0$ per month, invoiced in advance.") in found
    assert len(found) == 4  # the heading, its catalog sentence, the fee in two tables
    assert ("catalog sentence", "Payment, late payment and suspension") in found


def test_the_check_finds_english_written_into_a_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, corpus: list[tuple[str, RenderRequest]]
) -> None:
    from quote_builder.documents import render

    copy = tmp_path / "templates"
    shutil.copytree(templates_dir(), copy)
    clause = copy / "partials" / "clauses" / "notices.html"
    clause.write_text(
        clause.read_text("utf-8") + "<p>Notices sent by fax are not valid.</p>\n", "utf-8"
    )
    monkeypatch.setattr(render, "templates_dir", lambda: copy)
    render.environment.cache_clear()
    req = dict(corpus)["platform_usage_analytics"]
    try:
        found = english_left(
            render_html("contract", in_language(req, "fr")),
            render_html("contract", req),
            req,
            "fr",
        )
    finally:
        render.environment.cache_clear()
    assert found == [("same as English", "Notices sent by fax are not valid.")]


def test_every_engine_label_of_the_corpus_is_translated(
    corpus: list[tuple[str, RenderRequest]],
) -> None:
    """The engine's line labels (tiers, included and overage units, credits, true-ups,
    prorated days, a change's years) each have their message: none reaches a German order
    form in English."""
    unknown = set()
    for _name, req in corpus:
        terms = customer_view(req).terms
        for line in terms.price_table:
            engine_made = line.kind == "detail" or (
                line.component_id is None and line.kind != "discount"
            )
            if engine_made and not labels.known(line.label):
                unknown.add(line.label)
        if terms.change is not None:
            unknown |= {r.label for r in terms.change.rows if not labels.known(r.label)}
    assert unknown == set()
    f = Formatter("EUR", "de_DE", "de")
    assert labels.engine_label("Tier 2 (100-1000)", f) == "Stufe 2 (100 bis 1.000)"
    assert labels.engine_label("Credit packs of 500", f) == "Creditpakete zu 500"
    assert labels.engine_label("Premium seats", f) == "Premium seats"  # a name: as written
    # The app's own name (a template's), not the rep's: German (documents/own_words.py).
    assert labels.engine_label("Team seats", f) == "Team-Lizenzen"


def test_sentences_and_dates_share_the_language(corpus: list[tuple[str, RenderRequest]]) -> None:
    req = dict(corpus)["platform_usage_analytics"]
    german = " ".join(text_nodes(render_html("both", in_language(req, "de"))))
    assert "vom 1. Januar 2027 bis zum 31. Dezember 2029" in german
    for month in ("January", "December", "Januar 2027 to"):
        assert month not in german
    japanese = " ".join(text_nodes(render_html("both", in_language(req, "ja"))))
    assert "2027年1月1日から2029年12月31日まで" in japanese
    with pytest.raises(LocaleError, match="locale: en_US writes dates and numbers in English"):
        render_html("both", dataclasses.replace(req, language="de", locale="en_US"))
    with pytest.raises(LocaleError, match="'pt' is not a language"):
        render_html("both", dataclasses.replace(req, language="pt", locale="pt_BR"))


def test_chart_labels_use_the_locales_decimal_mark(corpus: list[tuple[str, RenderRequest]]) -> None:
    req = dict(corpus)["platform_usage_analytics"]
    svg_text = {
        language: re.findall(
            r"<text[^>]*>([^<]+)</text>", render_html("proposal", in_language(req, language))
        )
        for language in ("de", "fr", "ja")
    }
    # The bars of the monthly bill: $1,425.00 in English is 1.425,00 $ in German and
    # 1 425,00 $US in French; the axis of spend and value (24,160 in year 1, steps of
    # 200,000): 24.160 $ and 600.000 $ in German, 24,2 k and 600 k in French (the axis title
    # names the currency), $2.4万 and $60万 in Japanese.
    assert "1.425,00\u00a0$" in svg_text["de"] and "600.000\u00a0$" in svg_text["de"]
    assert "24.160\u00a0$" in svg_text["de"]
    assert "1\u202f425,00\u00a0$US" in svg_text["fr"] and "24,2\u00a0k" in svg_text["fr"]
    assert "$60万" in svg_text["ja"] and "$2.4万" in svg_text["ja"]
    assert "Jahr 1" in svg_text["de"] and "1年目" in svg_text["ja"]
    assert Formatter("EUR", "de_DE", "de").compact(Decimal("2500000")) == "2,5\u00a0Mio.\u00a0€"


def test_the_legal_frames_shipped_texts_are_messages() -> None:
    """The frame's default phrases are translated by the catalog while the seller keeps
    them (pricing.legal.localized_frame); LEGAL_DEFAULTS must be exactly those defaults."""
    defaults = {
        str(LegalFrame.model_fields[name].default)
        for name in TEXT_FIELDS
        if LegalFrame.model_fields[name].default
    }
    assert set(LEGAL_DEFAULTS) == defaults


SHIPPED_FAMILIES = {
    "Inter",
    "Inter Semi Bold",
    "Noto Sans CJK SC",
    "Noto Sans Hebrew",
    "Noto Sans Arabic",
    "Noto Sans Devanagari",
    "Noto Sans Thai",
}
"""The families of the fonts in resources/fonts (their name tables' name ID 1)."""


def embedded_families(reader: PdfReader) -> set[str]:
    """The family (name ID 1) of every font program embedded in the PDF."""
    from fontTools.ttLib import TTFont

    families = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            fonts = font.get("/DescendantFonts") or [font]
            descriptor = fonts[0].get_object()["/FontDescriptor"].get_object()
            for key in ("/FontFile3", "/FontFile2"):
                if key in descriptor:
                    program = TTFont(io.BytesIO(descriptor[key].get_object().get_data()))
                    families.add(str(program["name"].getDebugName(1)))
    return families


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pdf_is_tagged_in_the_language_and_printed_with_the_shipped_fonts(
    language: str, corpus: list[tuple[str, RenderRequest]], tmp_path: Path
) -> None:
    req = in_language(dict(corpus)["outcome_based_support"], language)
    result = render_pdf(req)
    assert result.log == [] and result.refused_urls == []
    reader = PdfReader(io.BytesIO(result.pdf))
    assert reader.trailer["/Root"]["/Lang"] == DEFAULT_LOCALES[language].replace("_", "-")
    title = str((reader.metadata or {}).get("/Title"))
    expected = {
        "de": "Angebot, Bestellformular und",
        "fr": "Proposition, bon de commande et",
        "es": "Propuesta, formulario de pedido y",
        "ja": "ご提案書、注文書",
    }
    assert title.startswith(expected[language]), title
    path = tmp_path / "doc.pdf"
    path.write_bytes(result.pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    if language == "ja":
        # Japanese prints with the shipped CJK font, embedded: never a fallback's boxes. The
        # PDF names a font after its @font-face family ("QB-CJK") or, with another Pango,
        # after the font's own; the embedded program's name table says which file it is.
        families = embedded_families(reader)
        assert "Noto Sans CJK SC" in families, families
        assert families <= SHIPPED_FAMILIES, families  # no system font (Droid, DejaVu ...)
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True
        ).stdout
        assert "成果の定義および測定" in text and "注文書" in text
    for line in fonts.stdout.splitlines()[2:]:
        assert " yes " in line, f"a font is not embedded: {line}"


# --- redaction and consistency in every language --------------------------------------------


def _needles(req: RenderRequest, language: str) -> set[str]:
    from .test_redaction import needles

    found = needles(req.document, numbers=True)
    f = Formatter(req.document.currency, DEFAULT_LOCALES[language], language)
    econ = req.document.economics
    for amount in (econ.fixed_cost_per_month,):
        if amount:
            found |= {f.money(amount), f.amount(amount)}
    for year in price(req.document).years:
        if year.cogs:
            found |= {f.money(year.cogs), f.amount(year.cogs)}
        if year.gross_margin_percent is not None:
            found.add(f.percent(year.gross_margin_percent))
    found |= {
        "de": {"Marge", "Bruttomarge", "Kosten pro Einheit", "Mindestmarge"},
        "fr": {"marge brute", "Marge brute", "coût unitaire", "plancher de marge"},
        "es": {"margen bruto", "Margen bruto", "coste unitario", "margen mínimo"},
        "ja": {"粗利", "利益率", "単位原価", "原価"},
    }[language]
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_nothing_internal_reaches_a_translated_document(
    language: str, corpus: list[tuple[str, RenderRequest]], tmp_path: Path
) -> None:
    from .test_redaction import assert_redacted, marked

    for name, req in corpus:
        doc = marked(req.document)
        marked_req = in_language(
            dataclasses.replace(req, document=doc, priced=price(doc)), language
        )
        secret = _needles(marked_req, language)
        html = render_html("both", marked_req)
        leaked = sorted(n for n in secret if n in html)
        assert not leaked, f"{name} in {language}: {leaked}"
    # The whole PDF (text, streams, attachments, metadata) for one quote per language.
    req = in_language(dict(corpus)["platform_usage_analytics"], language)
    doc = marked(req.document)
    assert_redacted(dataclasses.replace(req, document=doc, priced=price(doc)), tmp_path)


def _amount_pattern(f: Formatter) -> re.Pattern[str]:
    group = re.escape(f.locale.number_symbols["latn"]["group"])
    decimal = re.escape(f.locale.number_symbols["latn"]["decimal"])
    return re.compile(
        rf"(?<![\d{group}{decimal}])-?(?:\d{{1,3}}(?:{group}\d{{3}})+|\d+){decimal}\d{{2,4}}"
        r"(?![\d%]|[\u00a0\u202f ]%)"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_amount_agrees_in_every_language(
    language: str, corpus: list[tuple[str, RenderRequest]]
) -> None:
    """Each amount a translated document prints is one of `price --json` (or a price of the
    quote, or an estimate), read with the locale's marks; the totals are printed."""
    from .test_consistency import known_amounts

    for name, req in corpus:
        translated = in_language(req, language)
        f = Formatter(req.document.currency, translated.locale, language)
        # The quote's own words keep their own numbers ("up to 10,000 tickets").
        text = without(" ".join(text_nodes(render_html("both", translated))), user_strings(req))
        known = known_amounts(req)
        for option in req.document.options or []:  # the options set side by side
            offered = option_document(req.document, option.key)
            known |= known_amounts(
                dataclasses.replace(req, document=offered, priced=price(offered))
            )
        change = customer_view(req).terms.change  # a renewal's or expansion's rows
        for row in change.rows if change is not None else []:
            known |= {abs(v).normalize() for v in (row.before, row.after, row.difference)}
        symbols = f.locale.number_symbols["latn"]
        unknown = []
        for raw in _amount_pattern(f).findall(text):
            value = Decimal(raw.replace(symbols["group"], "").replace(symbols["decimal"], "."))
            if abs(value).normalize() not in known:
                unknown.append(raw)
        assert unknown == [], f"{name} in {language}: {unknown[:6]}"
        priced = price(effective_document(req.document))  # a chosen option's, if any
        assert f.money(priced.tcv) in text, name
        for year in priced.years:
            assert f.amount(year.revenue) in text, (name, year.year)


def test_japanese_sentences_follow_each_other_without_a_space() -> None:
    from quote_builder.documents.i18n import close_sentence_gaps

    html = "<p><strong>料金。</strong> 固定料金です。 次の文。</p>\n<li>x。</li> <li>y</li>"
    assert close_sentence_gaps("ja", html) == (
        "<p><strong>料金。</strong>固定料金です。次の文。</p>\n<li>x。</li> <li>y</li>"
    )
    assert close_sentence_gaps("de", "<p>Satz. Satz.</p>") == "<p>Satz. Satz.</p>"


def test_months_are_written_as_the_locale_writes_them() -> None:
    june = dt.date(2026, 6, 1)
    assert Formatter("USD", "en_US").month(june) == "June 2026"
    assert Formatter("EUR", "es_ES", "es").month(june) == "junio de 2026"
    assert Formatter("JPY", "ja_JP", "ja").month(june) == "2026年6月"


@pytest.mark.parametrize(
    ("language", "pdf_name"),
    [
        ("en", "FILE.pdf"),
        ("de", "DATEI.pdf"),
        ("fr", "FICHIER.pdf"),
        ("es", "ARCHIVO.pdf"),
        ("ja", "ファイル名.pdf"),
    ],
)
def test_the_terms_check_command_names_the_pdf_in_the_document_s_language(
    language: str, pdf_name: str
) -> None:
    """The order form's signature block tells how to check the attached terms with two
    commands: the PDF to detach them from is named in the document's words (the Japanese
    order form kept the English FILE.pdf), the terms file by its actual name."""
    req = in_language(request_for(example(EXAMPLES[0].name)), language)
    html = render_html("contract", req)
    commands = re.findall(r"<code>(pdfdetach -save 1 [^<]*)</code>", html)
    assert commands == [f"pdfdetach -save 1 {pdf_name}"], commands
    assert "<code>sha256sum terms.json</code>" in html


def test_french_documents_space_their_colons_and_marks_without_a_break(
    corpus: list[tuple[str, RenderRequest]],
) -> None:
    """The French proposal and order form: a no-break space before every ':' (U+00A0) and
    a narrow one before ';' '!' '?' (U+202F) of the document's own words, never a plain
    space (the line could start with the mark) nor none ("Total: 12"); the quote's own
    words are printed as the rep wrote them and left out."""
    wrong_space = re.compile(r"(?: |\u202f):|(?: |\u00a0)[;!?]")
    glued = re.compile(r"[^\W\d_][:;!?](?=\s|$)")
    problems: list[str] = []
    for name, req in corpus:
        french = in_language(req, "fr")
        strings = user_strings(french)
        for node in text_nodes(render_html("both", french)):
            own = without(node, strings)
            if wrong_space.search(own) or glued.search(own):
                problems.append(f"{name}: {node!r}")
    assert not problems, problems[:10]
