"""The versioned JSON quote format: load with clear errors, dump canonically, describe as
JSON Schema (docs/quote-format.md).

Loading parses every JSON number as Decimal (``parse_float=Decimal``), so no amount ever
passes through a float. Problems come back as one line each, ``field.path: reason``.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from .components import COMPONENT_KINDS
from .document import FORMAT_NAME, FORMAT_VERSION, QuoteDocument, ReferenceProblems, show_value
from .factory import UnknownComponentKindError


class QuoteFileError(ValueError):
    """A quote file that cannot be loaded; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str], source: str = "") -> None:
        self.problems = problems
        self.source = source
        prefix = f"{source}: " if source else ""
        super().__init__("\n".join(prefix + p for p in problems))


MAX_NUMBER_DIGITS = 1000
"""No number a quote can hold needs more characters; longer ones are refused while parsing
(Python refuses to convert an integer of more than 4,300 digits, with a message about
``sys.set_int_max_str_digits`` a user cannot act on)."""
MAX_INT_DIGITS = MAX_NUMBER_DIGITS
"""Whole numbers are bounded like every number: far below Python's 4,300-digit limit and
cheap to convert. A whole number too large for its field (a term, a seat count, a
version) is then refused by that field's range check, which names the field."""
MAX_JSON_DEPTH = 64
"""Quote, plan, request and decision files nest about ten levels deep. Deeper nesting is
refused before anything walks it: Python's recursion (the JSON parser's, pydantic's,
ours) would otherwise end in RecursionError, or worse, a crash."""
TOO_MANY_DIGITS = "a number in the file has too many digits"
TOO_DEEP = "(document): nested too deeply"


class JSONInputError(ValueError):
    """A JSON file that cannot be read; the message names the line and column when JSON
    itself is malformed."""


_DUPLICATE = object()
"""The key under which ``_object`` marks an object that named a key twice (never a string,
so no JSON key can collide with it; the mark never leaves ``load_json``)."""


def _object(pairs: list[tuple[str, Any]]) -> dict[Any, Any]:
    """A JSON object, remembering the first key it names twice: Python's JSON keeps the
    last value silently, so '"price_per_seat": "60.00", "price_per_seat": "6.00"' would
    price at 6.00 while a reader of the file sees 60.00 first."""
    result: dict[Any, Any] = {}
    for key, value in pairs:
        if key in result and _DUPLICATE not in result:
            result[_DUPLICATE] = key
        result[key] = value
    return result


def _first_duplicate(data: Any) -> str | None:
    """The sentence for the first object (in document order) that names a key twice."""
    stack: list[tuple[Any, tuple[int | str, ...]]] = [(data, ())]
    while stack:
        value, loc = stack.pop()
        if isinstance(value, dict):
            if _DUPLICATE in value:
                key = value[_DUPLICATE]
                where = _path(loc) if loc else "(document)"
                return f"{where}: the key {key!r} is given twice; keep one of them"
            children = [(k, v) for k, v in value.items() if k is not _DUPLICATE]
        elif isinstance(value, list):
            children = list(enumerate(value))
        else:
            continue
        stack.extend((child, (*loc, k)) for k, child in reversed(children))
    return None


def load_json(text: str | bytes) -> Any:
    """Any JSON file a user gives Quote Builder (quotes, plans, approval requests and
    decisions, policies): numbers as Decimal, whole numbers of at most ``MAX_INT_DIGITS``
    digits, at most ``MAX_JSON_DEPTH`` levels of nesting, no NaN or Infinity, no key given
    twice in one object (the sentence names the object's path and the key). Every refusal
    is a JSONInputError with a sentence."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise JSONInputError(f"byte {exc.start}: not UTF-8 text") from None
    try:
        data = json.loads(
            text,
            parse_float=_parse_decimal,
            parse_int=_parse_int,
            parse_constant=_refuse_constant,
            object_pairs_hook=_object,
        )
    except json.JSONDecodeError as exc:
        raise JSONInputError(
            f"line {exc.lineno}, column {exc.colno}: malformed JSON: {exc.msg}"
        ) from None
    except RecursionError:
        raise JSONInputError(TOO_DEEP) from None
    except ValueError as exc:  # NaN / Infinity, too many digits
        raise JSONInputError(str(exc)) from None
    if _deeper_than(data, MAX_JSON_DEPTH):
        raise JSONInputError(TOO_DEEP)
    duplicate = _first_duplicate(data)
    if duplicate is not None:
        raise JSONInputError(duplicate)
    constant = _first_constant(data)
    if constant is not None:
        raise JSONInputError(constant)
    return data


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether arrays and objects nest more than ``limit`` levels (no recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def parse_json(text: str) -> Any:
    """JSON with numbers as Decimal (ints stay int); errors name the line and column."""
    try:
        return load_json(text)
    except JSONInputError as exc:
        raise QuoteFileError([str(exc)]) from None


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(TOO_MANY_DIGITS)
    return int(text)


def _parse_decimal(text: str) -> Decimal:
    if len(text) > MAX_NUMBER_DIGITS:
        raise ValueError(TOO_MANY_DIGITS)
    return Decimal(text)


class _Constant(str):
    """NaN, Infinity or -Infinity where a number was written: kept while parsing, so that
    the refusal names where it is (``escalator_percent: NaN is not ...``)."""


def _refuse_constant(name: str) -> Any:
    return _Constant(name)


def _first_constant(data: Any) -> str | None:
    """``path: NaN is not a number Quote Builder can hold`` for the first NaN or Infinity
    in ``data`` (None: there is none), without recursion."""
    stack: list[tuple[Any, tuple[int | str, ...]]] = [(data, ())]
    while stack:
        value, loc = stack.pop()
        if isinstance(value, _Constant):
            return f"{_path(loc)}: {value} is not a number Quote Builder can hold"
        if isinstance(value, dict):
            children: list[tuple[Any, tuple[int | str, ...]]] = [
                (child, (*loc, key)) for key, child in value.items()
            ]
        elif isinstance(value, list):
            children = [(child, (*loc, index)) for index, child in enumerate(value)]
        else:
            continue
        stack.extend(reversed(children))  # the first in the file first
    return None


def load_quote(text: str, source: str = "") -> QuoteDocument:
    try:
        return quote_from_data(parse_json(text))
    except QuoteFileError as exc:
        raise QuoteFileError(exc.problems, source) from None


def quote_from_data(data: Any) -> QuoteDocument:
    if not isinstance(data, dict):
        raise QuoteFileError([f"(document): expected a JSON object, got {_json_type(data)}"])
    version = data.get("format_version", FORMAT_VERSION)
    if data.get("format", FORMAT_NAME) != FORMAT_NAME:
        raise QuoteFileError([f"format: expected {FORMAT_NAME!r}, got {data.get('format')!r}"])
    # The number 1 exactly: not "1", not true (Python's True == 1), not 1.0.
    if type(version) is not int or version != FORMAT_VERSION:
        raise QuoteFileError(
            [
                f"format_version: this Quote Builder reads version {FORMAT_VERSION}; "
                f"the file is version {show_value(version)}"
            ]
        )
    try:
        return QuoteDocument.model_validate(data)
    except ValidationError as exc:
        raise QuoteFileError(describe_errors(exc)) from None


def _json_type(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


# Fields of list items that share a name with a component kind: ramps[0].seats.s is a
# ramp's seat count, tiers[1].flat_fee a tier's fee, not a discriminated union's tag.
_FIELDS_NAMED_LIKE_A_KIND = {("ramps", "seats"), ("tiers", "flat_fee")}


def _path(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for i, item in enumerate(loc):
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif (
            i > 0
            and isinstance(loc[i - 1], int)
            and item in COMPONENT_KINDS
            and (loc[i - 2] if i > 1 else None, item) not in _FIELDS_NAMED_LIKE_A_KIND
        ):
            continue  # the discriminated union's tag, not a field
        elif "[" in item or item.startswith("function-"):
            continue
        else:
            parts.append(("." if parts else "") + item)
    return "".join(parts) or "(document)"


_FRIENDLY = {
    "missing": "required",
    "extra_forbidden": "unknown field",
    "greater_than_equal": "must be at least {ge}",
    "greater_than": "must be greater than {gt}",
    "less_than_equal": "must be at most {le}",
    "less_than": "must be less than {lt}",
    "decimal_parsing": "not a number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "date_from_datetime_parsing": "not a date (use YYYY-MM-DD)",
    "date_parsing": "not a date (use YYYY-MM-DD)",
    "too_short": "must not be empty",
    "string_too_short": "must not be empty",
    "string_too_long": "too long (at most {max_length} characters)",
    "too_long": "too many items (at most {max_length})",
    "string_pattern_mismatch": "use letters, digits, '_', '.' or '-', starting with a letter or digit",
}


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "greater_than_equal" and ctx.get("ge") in (0, Decimal(0)):
        text = "must not be negative"
    elif kind == "less_than_equal" and ctx.get("le") in (100, Decimal(100)):
        text = "must be at most 100 (it is a percent)"
    elif kind == "too_short" and ctx.get("min_length", 0) <= 1:
        text = "must not be empty"
    elif kind == "string_too_long" and isinstance(err.get("input"), str):
        # The length too: what was typed is refused whole, never cut, and the user sees
        # how much to take out ("too long (at most 200 characters; it has 230)").
        text = f"too long (at most {ctx.get('max_length')} characters; it has {len(err['input'])})"
    elif kind in _FRIENDLY:
        text = _FRIENDLY[kind].format(**ctx)
    elif kind == "union_tag_invalid":
        text = str(UnknownComponentKindError(ctx.get("tag")))
    elif kind == "union_tag_not_found":
        text = f"required; one of {', '.join(sorted(COMPONENT_KINDS))}"
    elif kind == "value_error":
        text = str(ctx.get("error", err["msg"]))
    elif kind == "literal_error" or kind == "enum":
        text = f"must be one of {ctx.get('expected')}"
    else:
        text = err["msg"]
    shown = err.get("input")
    if kind not in _NO_INPUT_SHOWN and _is_scalar(shown):
        text += f" (got {_show(shown)})"
    return text


_NO_INPUT_SHOWN = ("missing", "extra_forbidden", "value_error", "union_tag_invalid")


def _show(value: Any) -> str:
    """An input as the user typed it: numbers bare, text quoted."""
    if isinstance(value, str):
        try:
            Decimal(value)
        except ArithmeticError:
            return repr(value)
        return value
    return str(value)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | Decimal) and len(str(value)) <= 40


def describe_errors(exc: ValidationError) -> list[str]:
    lines: list[str] = []
    for err in exc.errors():
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, ReferenceProblems):
            lines.extend(f"{path}: {message}" for path, message in cause.problems)
        else:
            path = _path(err["loc"])
            if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
                path += ".kind"
            lines.append(f"{path}: {_message(dict(err))}")
    return lines


def canonical_json(doc: QuoteDocument) -> str:
    """Sorted keys, no insignificant white space, UTF-8 text: identical documents give
    identical text, hence identical hashes."""
    return json.dumps(doc.to_json_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(doc: QuoteDocument) -> str:
    return hashlib.sha256(canonical_json(doc).encode("utf-8")).hexdigest()


def dump_quote(doc: QuoteDocument) -> str:
    """Readable JSON for files in examples/ and exports."""
    return json.dumps(doc.to_json_dict(), indent=2, ensure_ascii=False) + "\n"


def build_models() -> int:
    """Build now the validators and serializers of the quote format's models that are built
    on first use (``defer_build``: every model but QuoteDocument, whose schema validates
    them inside it). The app calls this in a background thread at start, so that no first
    edit pays for it on the window's thread. Returns how many were built."""
    from . import components, document, legal

    built = 0
    for module in (components, legal, document):  # nested models before their users
        for value in list(vars(module).values()):
            if (
                isinstance(value, type)
                and issubclass(value, BaseModel)
                and value.__module__ == module.__name__
                and not value.__pydantic_complete__
            ):
                value.model_rebuild()
                built += 1
    return built


def json_schema() -> dict[str, Any]:
    schema = QuoteDocument.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Quote Builder quote, format version 1"
    return schema
