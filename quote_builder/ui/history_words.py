"""The words of a version comparison and of a quote's history in the interface's language
(the rows ``services.quotes`` writes as ``Sentence`` labels and values)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Values = Mapping[str, Any]

WORDS: dict[str, str | Callable[[Values], str]] = {}
"""Each comparison and history code's words."""

__all__ = ["WORDS"]
