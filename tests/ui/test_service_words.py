"""The services' refusals in the interface's language (``ui/service_words.py``,
``ui/error_words.py``).

The walk: every refusal a use case raises (``quote_builder/services``) is written from a
``Sentence`` (an English ``str`` with a code and its values), made there or in the layer
it raises again (``sentence_of``); every code made anywhere has its words in the UI; the
UI's English message reads as the service's English; the command line's English is the
``str`` it always was. Then the sentences a rep meets, in German and French, with literal
expected text, and in the app's dialogs and banners.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import pickle
import re
import string
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from quote_builder.csv_input import UNCLOSED_QUOTE
from quote_builder.errors import Sentence, UserFacingError
from quote_builder.pricing.fields import NUL_REFUSED
from quote_builder.ui import error_words, i18n, locale_format, service_words
from tests.ui.sentence_walk import ROOT, dynamic_codes, sentences

SERVICES = ROOT / "quote_builder" / "services"

COMMAND_LINE_ONLY: dict[str, str] = {
    "maintenance.py": "backup and restore: the command line's `db backup` and `db restore`",
    "pricing.py": "reading a quote file: the command line's `price`, `render`, `usage`",
    "selftest.py": "the packaged build's self test",
}
"""Service modules whose refusals the app never shows (``test_the_app_never_calls_them``
proves it), left in English."""

COMMAND_LINE_FUNCTIONS: dict[tuple[str, str], str] = {
    ("transfer.py", "import_plans_json"): "`plans import` on the command line",
    ("plans.py", "find_plan"): "`--plan NAME` on the command line",
}
"""Use cases only the command line calls (checked like the modules above)."""

ENGINE_PROBLEMS: dict[tuple[str, str], str] = {
    ("quotes.py", "_price_for_saving"): "the quote format's validation (QuoteFileError)",
    ("quotes.py", "open_version"): "a stored version's validation (QuoteFileError)",
    ("transfer.py", "import_quote_json"): "a quote file's validation (QuoteFileError)",
    ("plans.py", "parse_components"): "the components' validation (describe_errors)",
    ("tax.py", "tax_for"): "TaxSetupError's problems: Sentences of pricing/tax.py (walked)",
}
"""Where a use case raises the problems a lower layer listed: the pricing models' own
validation reasons stay English (docs/translations.md, "What stays English"); the tax
setup's are Sentences made in ``pricing/tax.py``, which the code walk covers."""


def _user_facing(module: Any, name: str) -> bool:
    target = module
    for part in name.split("."):
        target = getattr(target, part, None)
        if target is None:
            return False
    return isinstance(target, type) and issubclass(target, UserFacingError)


def _returns_sentences(function: ast.FunctionDef) -> bool:
    annotation = ast.unparse(function.returns) if function.returns else ""
    return annotation in ("Sentence", "Sentence | None", "list[Sentence]")


class _Module:
    """A services module's functions, for following a name to what it holds."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text("utf-8"))
        self.functions = {
            node.name: node for node in ast.walk(self.tree) if isinstance(node, ast.FunctionDef)
        }
        core = ast.parse((SERVICES / "core.py").read_text("utf-8"))
        self.helpers = (
            {
                node.name
                for tree in (self.tree, core)
                for node in ast.walk(tree)
                if isinstance(node, ast.FunctionDef) and _returns_sentences(node)
            }
            | set(LIST_HELPERS)
            | set(LOWER_LAYER_SENTENCES)
        )
        """Functions that give a Sentence (or a list of them): their own returns are walked
        by ``test_every_sentence_helper_returns_sentences``."""


LOWER_LAYER_SENTENCES = ("tax_id_problem", "customer_changed_problem")
"""Functions of ``pricing`` that return a Sentence (their annotations say so:
``test_the_lower_layer_helpers_return_sentences``)."""

LIST_HELPERS = (
    "problems_from",
    "tax_id_problems",
    "region_problems",
    "_rate_problems",
    "_row_problems",
)
"""Functions that give a list of Sentences (annotated ``list[str]``: a Sentence is one)."""


def _problems(
    module: _Module, function: ast.FunctionDef, node: ast.expr, seen: set[str]
) -> list[str]:
    """Why ``node`` (a raise's message) is not written from Sentences; empty when it is."""
    where = f"{module.path.name}:{node.lineno} ({function.name})"
    if isinstance(node, ast.Call):
        name = ast.unparse(node.func)
        if name in ("Sentence", "sentence_of"):
            return []
        if name in module.helpers:
            return []
        if name == "sorted" and node.args:
            return _problems(module, function, node.args[0], seen)
        return [f"{where}: {ast.unparse(node)[:90]}"]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _problems(module, function, node.left, seen) + _problems(
            module, function, node.right, seen
        )
    if isinstance(node, ast.IfExp):
        return _problems(module, function, node.body, seen) + _problems(
            module, function, node.orelse, seen
        )
    if isinstance(node, ast.List):
        return [p for element in node.elts for p in _problems(module, function, element, seen)]
    if isinstance(node, ast.ListComp | ast.GeneratorExp):
        return _problems(module, function, node.elt, seen)
    if isinstance(node, ast.Name):
        if node.id in seen:
            return []
        seen = seen | {node.id}
        found: list[str] = []
        for inner in ast.walk(function):
            if (  # name = ..., name: T = ...
                isinstance(inner, ast.Assign | ast.AnnAssign)
                and any(
                    isinstance(t, ast.Name) and t.id == node.id
                    for t in (inner.targets if isinstance(inner, ast.Assign) else [inner.target])
                )
                and inner.value is not None
            ):
                if isinstance(inner.value, ast.List) and not inner.value.elts:
                    continue
                if isinstance(inner.value, ast.Constant) and inner.value.value is None:
                    continue
                found += _problems(module, function, inner.value, seen)
            elif (  # name.append(x), name.insert(i, x), name.extend(xs), name += xs
                isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Attribute)
                and isinstance(inner.func.value, ast.Name)
                and inner.func.value.id == node.id
                and inner.func.attr in ("append", "insert", "extend")
            ):
                found += _problems(module, function, inner.args[-1], seen)
            elif (
                isinstance(inner, ast.AugAssign)
                and isinstance(inner.target, ast.Name)
                and inner.target.id == node.id
            ):
                found += _problems(module, function, inner.value, seen)
            elif isinstance(inner, ast.arg) and inner.arg == node.id:
                found.append(f"{where}: the parameter {node.id!r} (say where it is made)")
        return found
    if isinstance(node, ast.Tuple):  # a refusal kept as (code, sentence)
        return _problems(module, function, node.elts[-1], seen)
    return [f"{where}: {ast.unparse(node)[:90]}"]


def _raises() -> list[tuple[_Module, ast.FunctionDef, ast.Raise, Any]]:
    found = []
    for path in sorted(SERVICES.glob("*.py")):
        if path.name in COMMAND_LINE_ONLY:
            continue
        module = _Module(path)
        imported = importlib.import_module(f"quote_builder.services.{path.stem}")
        for function in module.functions.values():
            if (path.name, function.name) in COMMAND_LINE_FUNCTIONS:
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                    found.append((module, function, node, imported))
    return found


def test_every_refusal_a_use_case_raises_is_written_from_sentences() -> None:
    """The walk: each ``raise`` of a UserFacingError in a use case (and each refusal
    ``_refuse`` records) gets its message from ``Sentence``s, followed through the names it
    is built in; a raise the app shows with an English ``str`` fails here."""
    untranslated: list[str] = []
    checked = 0
    for module, function, node, imported in _raises():
        call = node.exc
        assert isinstance(call, ast.Call)
        name = ast.unparse(call.func)
        if (module.path.name, function.name) in ENGINE_PROBLEMS and any(
            "problems" in ast.unparse(a) or "describe_errors" in ast.unparse(a) for a in call.args
        ):
            continue
        if name == "_refuse":  # lifecycle: audit a refused acceptance, return the error
            starred = [a.value for a in call.args if isinstance(a, ast.Starred)]
            message = starred[0] if starred else call.args[3]
            untranslated += _problems(module, function, message, set())
            checked += 1
            continue
        if name == "error":  # approvals._load_json: the error class is a parameter
            untranslated += _problems(module, function, call.args[0], set())
            checked += 1
            continue
        if not _user_facing(imported, name) or not call.args:
            continue
        checked += 1
        if name in (
            "DuplicateCustomerError",
            "ConflictError",
            "ConcurrentNameError",
            "FinalisedMeanwhileError",
        ):
            continue  # they write their own sentence: test_the_errors_own_sentences
        for argument in (
            call.args[:2] if name in ("InvalidInputError", "ImportFailedError") else call.args[:1]
        ):
            untranslated += _problems(module, function, argument, set())
    assert checked > 200, "the walk found the use cases' refusals"
    assert not untranslated, "refusals without a Sentence:\n" + "\n".join(untranslated)


def test_the_errors_own_sentences() -> None:
    """The errors that write their own message (a conflict, a duplicate customer) make it
    a Sentence."""
    from quote_builder.services.core import ConflictError, quote_named
    from quote_builder.services.customers import ConcurrentNameError, DuplicateCustomerError
    from quote_builder.services.lifecycle import FinalisedMeanwhileError
    from quote_builder.store.models import CustomerPublic, SentDocument

    moment = dt.datetime(2026, 5, 1, 14, 5, tzinfo=dt.UTC)
    existing = CustomerPublic.model_validate(
        {
            "id": 1,
            "name": "Acme GmbH",
            "currency": "EUR",
            "version_id": 1,
            "archived": True,
            "created_at": moment,
            "updated_at": moment,
            "updated_by": "ann",
        }
    )
    for error in (
        ConflictError(quote_named("Q-1"), "ann", moment),
        ConflictError(quote_named("Q-1"), "", moment),
        DuplicateCustomerError(existing),
        ConcurrentNameError("Acme GmbH"),
        FinalisedMeanwhileError(
            "Q-1", SentDocument(version_number=1, sent_by="ann", sent_at=moment)
        ),
    ):
        assert isinstance(error.args[0], Sentence)
        assert error.args[0].code in service_words.table()


def test_every_sentence_helper_returns_sentences() -> None:
    """A helper the walk trusts (its return annotation says Sentence) returns Sentences,
    or None, on every path."""
    wrong: list[str] = []
    for path in sorted(SERVICES.glob("*.py")):
        module = _Module(path)
        for function in module.functions.values():
            if not _returns_sentences(function) and function.name not in LIST_HELPERS:
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Return) and node.value is not None:
                    if isinstance(node.value, ast.Constant) and node.value.value is None:
                        continue
                    wrong += _problems(module, function, node.value, set())
    assert not wrong, "\n".join(wrong)


def test_the_lower_layer_helpers_return_sentences() -> None:
    import inspect

    from quote_builder.pricing import tax

    for name in LOWER_LAYER_SENTENCES:
        assert "Sentence" in str(inspect.signature(getattr(tax, name)).return_annotation)
    sentence = tax.tax_id_problem("DE", "12", field="Tax ID", country_name="Germany")
    assert isinstance(sentence, Sentence) and sentence.code == "tax.id_form"


def test_the_app_never_calls_the_command_line_use_cases() -> None:
    """What is left English above is the command line's alone: no window imports those
    modules or calls those functions."""
    ui = ROOT / "quote_builder" / "ui"
    source = "\n".join(p.read_text("utf-8") for p in ui.rglob("*.py"))
    for module in COMMAND_LINE_ONLY:
        stem = module.removesuffix(".py")
        assert not re.search(rf"services(\.|\s+import\s+){stem}\b", source), module
        assert f"services.{stem} " not in source
    for _module, function in COMMAND_LINE_FUNCTIONS:
        assert re.search(rf"\b{function}\b", source) is None, function


# --- every code has its words --------------------------------------------------------------


def _made_codes() -> set[str]:
    codes = {code for made in sentences() for code in made.codes}
    from quote_builder.services.core import _BOUNDS
    from quote_builder.services.quotes import LIFECYCLE_STATUSES
    from quote_builder.store.database import _FAULTS

    cases = {
        "f'status.only_from.{status}'": {f"status.only_from.{s}" for s in LIFECYCLE_STATUSES},
        "f'input.{kind}'": {f"input.{kind}" for kind in _BOUNDS},
        "code": {code for _words, code, _message in _FAULTS},  # store/database.py's faults
    }
    for where, code in dynamic_codes():
        assert code in cases, f"{where}: a code made from values: {code}"
        codes |= cases[code]
    return codes


def test_every_code_made_has_its_words_and_every_word_a_code() -> None:
    made = _made_codes()
    assert len(made) > 200
    table = set(service_words.table())
    missing = sorted(made - table)
    assert not missing, f"codes without words in ui/error_words.py: {missing}"
    stale = sorted(table - made)
    assert not stale, f"words for codes no service makes: {stale}"


def test_not_found_names_every_kind() -> None:
    """``not_found(kind, id)`` is called with the kinds the UI words."""
    kinds = set()
    for path in SERVICES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "not_found":
                assert isinstance(node.args[0], ast.Constant)
                kinds.add(node.args[0].value)
    assert kinds == set(error_words.NOT_FOUND)


_CONSTANTS = {"NUL_REFUSED": NUL_REFUSED, "UNCLOSED_QUOTE": UNCLOSED_QUOTE}

ENGLISH_OF_ITS_OWN: dict[str, str] = {
    "decision.replayed": "the moment in the user's time zone and format, not 'UTC'",
    "keyfile.damaged": "one message for every damaged part, the part named in parentheses",
}
"""Codes whose English message in the app differs from the command line's on purpose."""


def test_the_english_messages_read_as_the_services() -> None:
    """The UI's English message of a code is the service's English with the values as
    placeholders (so the English interface says what the command line says); and every
    placeholder of a message is a value the service gives."""
    table = service_words.table()
    compared = 0
    wrong = []
    for made in sentences(constants=_CONSTANTS):
        for code in made.codes:
            words = table.get(code)
            if isinstance(words, str):
                names = {f for _t, f, _s, _c in string.Formatter().parse(words) if f}
                extra = names - set(made.params)
                if extra:
                    wrong.append(f"{made.path}:{made.line} {code}: no value for {extra}")
                if made.english is None or made.unmatched or code in ENGLISH_OF_ITS_OWN:
                    continue
                compared += 1
                if words != made.english:
                    wrong.append(f"{made.path}:{made.line} {code}:\n  {made.english}\n  {words}")
    assert compared > 150
    assert not wrong, "\n".join(wrong)


def test_a_sentence_is_its_english_and_travels_with_its_values() -> None:
    from quote_builder.services.core import RefusedError

    sentence = Sentence("Q-1 is sent", "final.status", number="Q-1", status="sent")
    error = RefusedError(sentence)
    assert str(error) == "Q-1 is sent" and type(str(error)) is str
    back = pickle.loads(pickle.dumps(error))
    assert back.args[0] == "Q-1 is sent"
    assert back.args[0].code == "final.status"
    assert back.args[0].params == {"number": "Q-1", "status": "sent"}
    assert "; ".join([sentence, "x"]) == "Q-1 is sent; x"


# --- the sentences a rep meets, in German and French ------------------------------------------


@pytest.fixture
def german() -> Any:
    i18n.use_language("de")
    locale_format.set_locale("de_DE")
    yield
    i18n.use_language("en")
    locale_format.set_locale("en_US")


@pytest.fixture
def french() -> Any:
    i18n.use_language("fr")
    locale_format.set_locale("fr_FR")
    yield
    i18n.use_language("en")
    locale_format.set_locale("en_US")


def _refusals(db: Any) -> dict[str, UserFacingError]:
    """The refusals a rep meets in the app, raised by the use cases themselves over the
    demo data."""
    from quote_builder.services import approvals as approval_service
    from quote_builder.services import customers as customer_service
    from quote_builder.services import lifecycle
    from quote_builder.services import quotes as quote_service
    from quote_builder.services import settings as settings_service
    from quote_builder.services import tax as tax_service

    found: dict[str, UserFacingError] = {}

    def grab(name: str, call: Any) -> None:
        with pytest.raises(UserFacingError) as caught:
            call()
        found[name] = caught.value

    draft = quote_service.list_quotes(db, status="draft").rows[0]
    pending = quote_service.list_quotes(db, status="pending_approval").rows[0]
    customer = customer_service.search_customers(db, "Contoso").rows[0]
    grab(
        "tax",
        lambda: tax_service.tax_for(
            seller_country="",
            seller_tax_id="",
            customer_country="Germany",
            customer_region="",
            customer_tax_id="DE12",
        ),
    )
    grab(
        "conflict",
        lambda: quote_service.save_quote(
            db,
            draft.id,
            quote_service.open_version(db, draft.id).document,
            expected_version=draft.version_id - 1,
            actor="rep",
        ),
    )
    grab(
        "duplicate",
        lambda: customer_service.create_customer(
            db, {"name": customer.name, "currency": "EUR"}, actor="rep"
        ),
    )
    grab("delete", lambda: customer_service.delete_customer(db, customer.id, actor="rep"))
    grab(
        "valid_until",
        lambda: lifecycle.set_valid_until(
            db,
            draft.id,
            valid_until=dt.date(2020, 1, 1),
            expected_version=draft.version_id,
            actor="rep",
        ),
    )
    grab(
        "finalise",
        lambda: lifecycle.finalise_quote(
            db, pending.id, expected_version=pending.version_id, actor="rep", passphrase="x"
        ),
    )
    grab("not_needed", lambda: approval_service.request_approval(db, draft.number, actor="rep"))
    grab(
        "lost",
        lambda: lifecycle.mark_lost(
            db, draft.id, reason="other", details="", expected_version=draft.version_id, actor="rep"
        ),
    )
    grab(
        "seller_country",
        lambda: settings_service.update_settings(
            db,
            expected_version=settings_service.get_settings(db).version_id,
            actor="rep",
            seller_country="Narnia",
        ),
    )
    return found


ENGLISH_REFUSALS = {
    "tax": "Seller country: set the seller's country in Settings, Seller profile, so that the "
    "quote's tax can be decided.\nTax ID: DE12 is not a tax ID of DE: write DE followed by 9 "
    "digits, for example DE123456789.",
    "duplicate": "Customer name: Contoso Legal already exists (use it instead of adding another "
    "customer with the same name).",
    "delete": "Customer 'Contoso Legal' has quotes and cannot be deleted; archive it instead.",
    "valid_until": "Valid until: 2020-01-01 has already passed",
    "finalise": "Q-2026-0003 is pending approval: only an approved quote, or a draft that needs "
    "no approval, can be finalised",
    "not_needed": "Q-2026-0005 version 1 needs no approval under the current policy",
    "lost": "Details: say why the deal was lost",
    "seller_country": "Seller country: Narnia is not a country; pick one from the list.",
}
"""What the command line prints (the services' English, as it always was)."""

GERMAN_REFUSALS = {
    "tax": "Land des Verkäufers: Legen Sie das Land des Verkäufers unter Einstellungen, "
    "Verkäuferprofil fest, damit die Steuer des Angebots bestimmt werden kann.\nSteuernummer: "
    "DE12 ist keine Steuernummer des Landes Deutschland: Schreiben Sie DE und 9 Ziffern, zum "
    "Beispiel DE123456789.",
    "duplicate": "Kundenname: Contoso Legal gibt es bereits (verwenden Sie diesen Kunden, statt "
    "einen weiteren mit demselben Namen anzulegen).",
    "delete": "Kunde „Contoso Legal“ hat Angebote und kann nicht gelöscht werden; archivieren "
    "Sie ihn stattdessen.",
    "valid_until": "Gültig bis: 01.01.2020 ist bereits vorbei",
    "finalise": "Q-2026-0003 hat den Status „Freigabe ausstehend“: Nur ein freigegebenes Angebot "
    "oder ein Entwurf ohne Freigabebedarf kann finalisiert werden",
    "not_needed": "Q-2026-0005 Version 1 braucht nach der aktuellen Richtlinie keine Freigabe",
    "lost": "Details: Sagen Sie, warum der Deal verloren ging",
    "seller_country": "Land des Verkäufers: Narnia ist kein Land; wählen Sie eines aus der Liste.",
}

FRENCH_REFUSALS = {
    "tax": "Pays du vendeur\u00a0: indiquez le pays du vendeur dans Paramètres, Profil du vendeur, "
    "pour que la taxe du devis puisse être déterminée.\nNuméro fiscal\u00a0: DE12 n'est pas un "
    "numéro fiscal de ce pays (Allemagne)\u00a0: écrivez DE suivi de 9 chiffres, par exemple "
    "DE123456789.",
    "duplicate": "Nom du client\u00a0: Contoso Legal existe déjà (utilisez-le plutôt que d'ajouter un "
    "autre client du même nom).",
    "delete": "Le client « Contoso Legal » a des devis et ne peut pas être supprimé\u202f; "
    "archivez-le plutôt.",
    "valid_until": "Valable jusqu'au\u00a0: le 1 janv. 2020 est déjà passé",
    "finalise": "Q-2026-0003 a le statut « en attente d'approbation »\u00a0: seul un devis approuvé, "
    "ou un brouillon qui ne demande pas d'approbation, peut être finalisé",
    "not_needed": "Q-2026-0005 version 1 ne demande pas d'approbation selon la politique actuelle",
    "lost": "Détails\u00a0: dites pourquoi l'affaire a été perdue",
    "seller_country": "Pays du vendeur\u00a0: Narnia n'est pas un pays\u202f; choisissez-en un dans la liste.",
}


@pytest.fixture
def refusals(demo_workspace: Any) -> dict[str, UserFacingError]:
    return _refusals(demo_workspace.db)


def test_the_command_line_keeps_its_english(refusals: dict[str, UserFacingError]) -> None:
    for name, english in ENGLISH_REFUSALS.items():
        assert str(refusals[name]) == english, name


@pytest.mark.parametrize(
    ("language", "locale", "expected"),
    [("de", "de_DE", GERMAN_REFUSALS), ("fr", "fr_FR", FRENCH_REFUSALS)],
)
def test_the_refusals_a_rep_meets_in_german_and_french(
    refusals: dict[str, UserFacingError], language: str, locale: str, expected: dict[str, str]
) -> None:
    i18n.use_language(language)
    locale_format.set_locale(locale)
    for name, text in expected.items():
        assert i18n.error_text(refusals[name]) == text, name


def test_a_conflict_names_the_moment_in_the_user_s_way(
    refusals: dict[str, UserFacingError],
) -> None:
    error = refusals["conflict"]
    changed_at = error.changed_at  # type: ignore[attr-defined]
    assert f"{changed_at.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC" in str(error)
    i18n.use_language("de")
    locale_format.set_locale("de_DE")
    german = i18n.error_text(error)
    assert german.startswith("Angebot Q-2026-0005 wurde von demo am ")
    assert locale_format.moment(changed_at) in german
    assert german.endswith(
        "geändert, nachdem Sie es geöffnet haben; nichts wurde gespeichert. Laden Sie neu, um "
        "die Änderungen zu sehen, und nehmen Sie dann Ihre erneut vor."
    )


SAME_IN_GERMAN = {"acceptance.unreadable", "usage_log.problem"}
"""Codes whose German reads as the English ("{name}: {problem}")."""


def test_every_sentence_written_in_german_leaves_no_placeholder() -> None:
    """Every code's words, from values of the right kinds, in German: no placeholder left
    and not the English words (a code whose words failed would show the English)."""
    same = set()
    for made in sentences():
        for code in made.codes:
            values = _sample_values(code, made.params)
            i18n.use_language("en")
            locale_format.set_locale("en_US")
            english = service_words.write(code, values)
            i18n.use_language("de")
            locale_format.set_locale("de_DE")
            german = service_words.write(code, values)
            assert not re.search(r"\{[a-z_0-9]*\}", german), (code, german)
            if german == english:
                same.add(code)
    assert same <= SAME_IN_GERMAN, sorted(same - SAME_IN_GERMAN)


def _sample_values(code: str, params: dict[str, str]) -> dict[str, Any]:
    """Values of the kinds each name holds."""
    inner = Sentence("line 2: must be at most 5", "input.less_than_equal", field="seats", limit=5)
    samples: dict[str, Any] = {
        "changed_at": dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC),
        "imported_at": dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC),
        "expires_at": dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC),
        "expires": dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC),
        "valid_until": dt.date(2026, 5, 1),
        "valid_from": dt.date(2026, 5, 1),
        "sent_on": dt.date(2026, 5, 1),
        "signed_on": dt.date(2026, 5, 1),
        "start": dt.date(2026, 5, 1),
        "end": dt.date(2027, 4, 30),
        "effective": dt.date(2026, 9, 1),
        "status": "sent",
        "to_status": "draft",
        "role": "manager",
        "required_role": "deal_desk",
        "named_role": "manager",
        "holder_role": "deal_desk",
        "blocking": ["MARGIN_BELOW_FLOOR"],
        "problem": inner,
        "problems": [inner],
        "gaps": ["billing_address"],
        "reasons": ["price", "other"],
        "discount": Decimal("25.00"),
        "limit": 20,
        "size": Decimal("12.5") if code == "logo.too_large" else 52_428_800,
        "what": "decision file",
        "kind": "quote",
        "field": "name",
        "language": "de",
        "own_language": "en",
        "tax_kind": "sales_tax",
        "customer": "Contoso Legal",
        "code": 3,
        "seconds": 30,
        "metrics": ["tickets"],
        "languages": ["de", "fr"],
        "statuses": ["draft", "sent"],
        "ids": ["seats"],
        "fields": ["approver"],
        "changes": ["customer.billing_address", "seller"],
    }
    if code.startswith("input."):
        samples["field"] = "tax_id"
    if code.startswith("settings.legal") and "field" in params:
        samples["field"] = "governing_law"
    if code in ("settings.governed", "settings.governed_frozen", "settings.drift"):
        samples["field"] = "margin_floor_percent"
    if code == "settings.drift":
        samples |= {"stored": "55", "policy": "60"}
    if code == "usage_log.missing_columns":
        samples["count"] = 2  # how many columns are missing: the plural's number
    if code == "usage_log.short_row":
        samples["fields"] = 2  # how many fields the row has: the plural's number
    samples |= (
        {  # a comparison's values
            "count": 12,
            "items": [Sentence("Yes", "value.yes"), "60"],
            "fields": [("price", "60"), ("includes_ai", Sentence("Yes", "value.yes"))],
            "parts": ["tiers", 1, "up_to"],
            "value": "monthly",
            "codes": ["MARGIN_BELOW_FLOOR", "NO_ESCALATOR"],
            "rows": 1200,
            "mapping": [("tickets", "*"), ("seats", "-")],
            "rate": Decimal("0.92") if code == "compare.exchange_rate" else "19%",
            "as_of": dt.date(2026, 5, 1),
            "kind": "vat",
            "rule": "domestic",
            "first": "2026-01",
            "last": "2026-06",
        }
        if code.startswith(("compare.", "value.", "field."))
        else {}
    )
    if code == "compare.field":
        samples["field"] = "payment_terms"
    if code in ("compare.component_field", "compare.discount_field", "compare.forecast"):
        samples["field"] = Sentence("Tier 2, up to", "field.words", parts=["tiers", 1, "up_to"])
    if code == "tax.customer_changed":  # [field, decided, now] for each detail that changed
        samples["changes"] = [["country", "DE", "FR"], ["tax_id", "", "FR12345678901"]]
    if code == "finalise.tax_stale":  # the refusal carries the stale tax's own sentence
        samples["problem"] = Sentence(
            "Contoso Legal now has a tax ID (DE123456789): decide the tax again",
            "tax.customer_changed",
            customer="Contoso Legal",
            number="Q-2026-0007",
            changes=[["tax_id", "", "DE123456789"]],
        )
    if code.startswith("verify."):  # the Verify page's checks (services/verify.py)
        samples |= {
            "pages": 4,
            "index": 2,
            "discount_pct": Decimal("24"),
            "limit_pct": Decimal("30"),
            "signed_at": dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC),
            "certifying": True,
            "changes_after": "form fields filled",
            "decided": dt.date(2026, 5, 1),
            "judged": dt.date(2026, 5, 1),
            "until": dt.date(2026, 5, 31),
            "source": Sentence("the organisation key given", "verify.key_given"),
            "who": "requester",
            "changes": "other changes",
            "problems": [Sentence("the signed bytes were changed", "verify.signed_bytes_changed")],
        }
    if code == "user.name_mixed":
        samples |= {"first": "LATIN", "second": "CYRILLIC", "word": "Danа", "char": "U+0430"}
    if code == "merge.item":  # a conflict on one item of a list: "Components: API calls"
        samples["field"] = Sentence("Components", "compare.field", field="components")
    return (
        {name: samples.get(name, f"<{name}>") for name in params}
        | ({"kind": "quote", "id": 7} if code == "not_found" else {})
        | (
            {
                "field": "Tax ID",
                "value": "DE12",
                "country": "Germany",
                "written": "DE followed by 9 digits",
                "example": "DE123456789",
            }
            if code == "tax.id_form"
            else {}
        )
    )


def test_an_unknown_code_or_a_value_that_does_not_fit_shows_the_english() -> None:
    i18n.use_language("de")
    assert service_words.text(Sentence("something new", "no.such.code")) == "something new"
    odd = Sentence("quote 7 does not exist", "not_found", kind="invoice", id=7)
    assert service_words.text(odd) == "quote 7 does not exist"
    assert service_words.text("plain English") == "plain English"


def test_an_unknown_code_shows_the_english_with_the_user_s_percents(german: Any) -> None:
    """A sentence not known here stays English, its percents written by the one formatter
    in the user's locale (24 %, not the engine's 24.00%); a plain text is left as it is."""
    new = Sentence("a 24.00% discount", "no.such.code", discount=Decimal("24.00"))
    assert service_words.text(new).replace("\xa0", " ") == "a 24 % discount"
    assert service_words.text("a 24.00% discount") == "a 24.00% discount"


@pytest.mark.parametrize(
    ("language", "locale", "france", "canada"),
    [
        ("en", "en_US", "of France", "in Canada"),
        ("de", "de_DE", "des Landes Frankreich", "Im Land Kanada"),
        ("fr", "fr_FR", "de ce pays (France)", "dans ce pays (Canada)"),
    ],
)
def test_a_country_inside_a_sentence_is_in_the_interface_s_language(
    language: str, locale: str, france: str, canada: str
) -> None:
    """The tax ID's sentence names the country as the interface's language does ("des Landes
    Frankreich", not the record's English "von France"), whatever the sentence holds: the
    record's English name, an ISO code; a text that is not a country stays as typed. German
    and French say it so that no article is needed ("des Landes Vereinigte Staaten")."""
    from quote_builder.pricing.tax import TaxSetupError, determine_tax
    from quote_builder.services.tax import tax_id_problems

    i18n.use_language(language)
    locale_format.set_locale(locale)
    try:
        (problem,) = tax_id_problems("France", "FR123", field="Tax ID")
        assert france in service_words.text(problem)
        with pytest.raises(TaxSetupError) as caught:
            determine_tax(seller_country="US", customer_country="CA")
        (region,) = caught.value.problems
        written = service_words.text(region)
        assert canada in written and " CA" not in written, written
        typed = Sentence(
            "Country: Atlantis is not a country; pick one from the list on the Customers page.",
            "tax.customer_country_unknown",
            country="Atlantis",
        )
        assert "Atlantis" in service_words.text(typed)
    finally:
        i18n.use_language("en")
        locale_format.set_locale("en_US")


def test_a_tax_s_place_is_named_in_the_interface_s_language(german: Any) -> None:
    """The comparison's tax row and the editor's tax line say "für Kanada (ON)", not the
    engine's "CA-ON"."""
    from quote_builder.ui.countries import shown_place

    row = Sentence(
        "HST 13% for CA-ON (Domestic, table rate)",
        "compare.tax.table",
        kind="hst",
        rate="13 %",
        where="CA-ON",
        rule="domestic",
    )
    assert "Kanada (ON)" in service_words.text(row)
    assert (shown_place("FR"), shown_place("CA-ON")) == ("Frankreich", "Kanada (ON)")


def test_the_deal_note_of_an_accepted_quote_in_german(german: Any) -> None:
    """The banner's line of an accepted quote was English in a German window; it is
    written in the interface's language, the other signer's clause included."""
    note = Sentence(
        "Sent by dana on 2026-12-02 16:42 UTC: Q-1-v1.pdf, signed by Acme AI, SHA-256 "
        "2e72c4aba2d851b7…; signed by Peter Gibbons on 2026-12-02 (their signed PDF, "
        "signature intact); not Jane Buyer, whom the order form names to sign: recorded "
        "as olga confirmed",
        "deal.note",
        sent_by="dana",
        sent_at="2026-12-02 16:42",
        file_name="Q-1-v1.pdf",
        signer="Acme AI",
        sha="2e72c4aba2d851b7",
        signed_by="Peter Gibbons",
        signed_on="2026-12-02",
        method="signed_pdf",
        signatory="Jane Buyer",
        confirmed_by="olga",
    )
    assert service_words.text(note) == (
        "Gesendet von dana am 2026-12-02 16:42 UTC: Q-1-v1.pdf, signiert von Acme AI, "
        "SHA-256 2e72c4aba2d851b7…; unterschrieben von Peter Gibbons am 2026-12-02 "
        "(ihr signiertes PDF, Signatur unversehrt); nicht von Jane Buyer, dem im Bestellformular "
        "genannten Unterzeichner: erfasst mit Bestätigung durch olga"
    )
