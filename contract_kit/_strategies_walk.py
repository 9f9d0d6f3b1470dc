"""RFC 6901 pointers, and the subschemas of a schema in keyword positions.

Kept apart from the engine's own helpers so the strategies read the schemas with nothing but
the public API and this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = ["escape_token", "join_pointer", "split_pointer", "subschemas"]


def escape_token(token: str | int) -> str:
    """One RFC 6901 reference token, escaped."""
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(tokens: Iterable[str | int]) -> str:
    """An RFC 6901 pointer from its tokens."""
    return "".join("/" + escape_token(token) for token in tokens)


def split_pointer(pointer: str) -> list[str]:
    """The unescaped tokens of an RFC 6901 pointer."""
    tokens = pointer.split("/")[1:] if pointer else []
    return [t.replace("~1", "/").replace("~0", "~") for t in tokens]


_IN_PLACE = frozenset(
    {"items", "not", "if", "then", "else", "additionalProperties", "propertyNames"}
)
_IN_MAPS = frozenset({"properties", "$defs"})
_IN_LISTS = frozenset({"allOf", "anyOf", "oneOf"})


def subschemas(schema: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every subschema with its pointer, walking keyword positions only (not member names)."""
    if not isinstance(schema, dict):
        return
    yield pointer, schema
    for key, value in schema.items():
        if key in _IN_MAPS and isinstance(value, dict):
            for name, sub in value.items():
                yield from subschemas(sub, f"{pointer}/{key}/{escape_token(name)}")
        elif key in _IN_PLACE:
            yield from subschemas(value, f"{pointer}/{key}")
        elif key in _IN_LISTS and isinstance(value, list):
            for index, sub in enumerate(value):
                yield from subschemas(sub, f"{pointer}/{key}/{index}")
