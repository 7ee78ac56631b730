"""The factory that turns a component's data into its class, refusing unknown kinds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .components import COMPONENT_KINDS, Component


class UnknownComponentKindError(ValueError):
    def __init__(self, kind: object) -> None:
        known = ", ".join(sorted(COMPONENT_KINDS))
        super().__init__(f"unknown component kind {kind!r}; known kinds: {known}")
        self.kind = kind


def component_class(kind: object) -> type[Component]:
    if not isinstance(kind, str) or kind not in COMPONENT_KINDS:
        raise UnknownComponentKindError(kind)
    return COMPONENT_KINDS[kind]


def component_from_dict(data: Mapping[str, Any]) -> Component:
    """Build the component described by ``data``; raises UnknownComponentKindError for an
    unknown ``kind`` and pydantic.ValidationError for bad fields."""
    return component_class(data.get("kind")).model_validate(dict(data))
