"""Every shipped translation catalog is complete and compiled (issue 18, §1).

Generic over every ``.po`` under ``quote_builder/locale`` (all domains: ``documents``, and
``ui`` when the app's own catalogs are there): CI fails when a shipped language has an
untranslated or fuzzy message, a ``.mo`` that is missing or out of date with its ``.po``,
placeholders that differ between a message and its translation, a translation that cannot
be formatted, plural forms that disagree with the catalog's ``Plural-Forms`` header, or a
character the PDF fonts cannot draw (documents only). Each check is also run on a broken
catalog made here, so none of them can pass by checking nothing.
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "quote_builder" / "locale"
CATALOGS = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")
TAG = re.compile(r"</?([a-z]+)\b[^>]*>")


def _id(path: Path) -> str:
    return f"{path.parent.parent.name}/{path.stem}"


def read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def messages(catalog: Catalog) -> Iterator[Message]:
    return (m for m in catalog if m.id)


def _forms(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _sources(message: Message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def untranslated(catalog: Catalog) -> list[str]:
    return [
        str(_sources(m)[0])
        for m in messages(catalog)
        if m.fuzzy or not all(form.strip() for form in _forms(m))
    ]


def placeholder_problems(catalog: Catalog) -> list[str]:
    """A translation must use exactly the message's named placeholders (a plural message:
    those of its plural form, which names everything the singular does and the count), keep
    its HTML tags, and format with them (a stray ``%`` breaks newstyle gettext)."""
    problems = []
    for message in messages(catalog):
        sources = _sources(message)
        wanted = set(PLACEHOLDER.findall(sources[-1]))
        tags = sorted(TAG.findall(sources[-1]))
        python_format = "python-format" in message.flags or bool(wanted)
        for form in _forms(message):
            got = set(PLACEHOLDER.findall(form))
            if got != wanted:
                problems.append(f"{sources[0]!r}: placeholders {sorted(got)} != {sorted(wanted)}")
            if sorted(TAG.findall(form)) != tags:
                problems.append(f"{sources[0]!r}: HTML tags differ in {form!r}")
            if python_format:
                try:
                    form % {name: "x" for name in wanted}
                except (ValueError, TypeError, KeyError) as exc:
                    problems.append(f"{sources[0]!r}: {form!r} does not format ({exc})")
    return problems


def plural_problems(catalog: Catalog) -> list[str]:
    """The catalog's Plural-Forms header is the language's (CLDR, as Babel knows it: two
    forms in German, three in French and Spanish, one in Japanese) and every plural
    message has exactly that many forms."""
    expected = get_plural(str(catalog.locale))
    problems = []
    if catalog.num_plurals != expected.num_plurals:
        problems.append(
            f"Plural-Forms has {catalog.num_plurals} forms, CLDR {expected.num_plurals}"
        )
    if catalog.plural_expr.replace(" ", "") != expected.plural_expr.replace(" ", ""):
        problems.append(f"plural={catalog.plural_expr!r}, CLDR {expected.plural_expr!r}")
    for message in messages(catalog):
        if message.pluralizable and len(_forms(message)) != catalog.num_plurals:
            problems.append(f"{_sources(message)[0]!r}: {len(_forms(message))} forms")
    return problems


def compiled(catalog: Catalog) -> dict[object, str]:
    """What the catalog compiles to: every translated entry, as gettext reads a .mo."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _entries(gettext.GNUTranslations(buffer))


def _entries(translations: gettext.GNUTranslations) -> dict[object, str]:
    return {k: v for k, v in translations._catalog.items() if k != ""}  # type: ignore[attr-defined]


def stale_mo(path: Path) -> str | None:
    mo = path.with_suffix(".mo")
    if not mo.is_file():
        return f"{mo.name} is missing: run scripts/translations compile"
    with mo.open("rb") as handle:
        shipped = _entries(gettext.GNUTranslations(handle))
    if shipped != compiled(read(path)):
        return f"{mo.name} of {path.parent.parent.name} is out of date with its .po: run scripts/translations compile"
    return None


def test_there_are_catalogs_for_every_document_language() -> None:
    from quote_builder.pricing.languages import DEFAULT_LANGUAGE, LANGUAGES

    shipped = {(p.parent.parent.name, p.stem) for p in CATALOGS}
    for language in LANGUAGES:
        if language != DEFAULT_LANGUAGE:
            assert (language, "documents") in shipped, f"no documents catalog for {language}"


@pytest.mark.parametrize("path", CATALOGS, ids=_id)
def test_every_message_is_translated_and_none_is_fuzzy(path: Path) -> None:
    missing = untranslated(read(path))
    assert missing == [], f"{_id(path)}: {len(missing)} untranslated or fuzzy: {missing[:5]}"


@pytest.mark.parametrize("path", CATALOGS, ids=_id)
def test_placeholders_and_tags_are_those_of_the_message(path: Path) -> None:
    assert placeholder_problems(read(path)) == []


@pytest.mark.parametrize("path", CATALOGS, ids=_id)
def test_plural_forms_follow_the_language(path: Path) -> None:
    assert plural_problems(read(path)) == []


@pytest.mark.parametrize("path", CATALOGS, ids=_id)
def test_the_compiled_catalog_is_the_po(path: Path) -> None:
    assert stale_mo(path) is None


@pytest.mark.parametrize("path", [p for p in CATALOGS if p.stem == "documents"], ids=_id)
def test_the_pdf_fonts_draw_every_translation(path: Path) -> None:
    from quote_builder.documents.fonts import covered_codepoints

    covered = covered_codepoints()
    bad = sorted(
        {ch for m in messages(read(path)) for f in _forms(m) for ch in f if ord(ch) not in covered}
    )
    assert bad == [], f"characters no shipped font draws: {bad}"


@pytest.mark.parametrize("path", [p for p in CATALOGS if p.stem == "documents"], ids=_id)
def test_every_message_of_the_template_is_in_the_catalog(path: Path) -> None:
    """The catalogs hold what the code and the templates say now (the .pot is extracted
    and merged: scripts/translations extract, update)."""
    template = read(LOCALE / "documents.pot")
    wanted = {_sources(m)[0] for m in messages(template)}
    have = {_sources(m)[0] for m in messages(read(path))}
    assert wanted - have == set(), "run scripts/translations update"
    assert have - wanted == set(), "obsolete messages: run scripts/translations update"


# --- the checks catch what they are for ------------------------------------------------------


def _broken() -> Catalog:
    catalog = Catalog(locale="de")
    catalog.add("Page %(page)s of %(pages)s", "Seite %(page)s von %(anzahl)s")  # renamed
    catalog.add("Untranslated", "")
    catalog.add("Guessed", "Geraten", flags=["fuzzy"])
    catalog.add("Bold <strong>%(x)s</strong>", "Fett %(x)s")  # lost its tag
    catalog.add("80%% used", "80 % genutzt", flags=["python-format"])  # stray percent
    catalog.add(("%(count)s day", "%(count)s days"), ("%(count)s Tag",))  # one form of two
    return catalog


def test_the_checks_catch_a_broken_catalog(tmp_path: Path) -> None:
    catalog = _broken()
    assert untranslated(catalog) == ["Untranslated", "Guessed"]
    problems = " | ".join(placeholder_problems(catalog))
    assert "['anzahl', 'page'] != ['page', 'pages']" in problems
    assert "HTML tags differ" in problems
    assert "does not format" in problems
    assert plural_problems(catalog) == ["'%(count)s day': 1 forms"]
    japanese_as_english = read_po(
        io.BytesIO(
            b'msgid ""\nmsgstr ""\n"Language: ja\\n"\n'
            b'"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
            b'"Content-Type: text/plain; charset=UTF-8\\n"\n'
        )
    )
    assert len(plural_problems(japanese_as_english)) == 2  # two forms, n != 1: not Japanese
    # A .mo compiled before the last change of its .po is stale.
    po = tmp_path / "de" / "LC_MESSAGES" / "x.po"
    po.parent.mkdir(parents=True)
    good = Catalog(locale="de")
    good.add("Yes", "Ja")
    with (po.with_suffix(".mo")).open("wb") as handle:
        write_mo(handle, good)
    changed = Catalog(locale="de")
    changed.add("Yes", "Jawohl")
    from babel.messages.pofile import write_po

    with po.open("wb") as handle:
        write_po(handle, changed)
    assert stale_mo(po) is not None and "out of date" in str(stale_mo(po))
    with po.open("wb") as handle:
        write_po(handle, good)
    assert stale_mo(po) is None
