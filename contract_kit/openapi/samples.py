"""The examples the document carries: each kind's, unless a tool would misread it.

An OpenAPI example is a literal value, but reference resolvers (Prism's among them) follow
every member named ``$ref`` in the document, examples too, and fail on an address they cannot
fetch. The documented eligibility rule names its profile schema that way
(``xdm:definedOn.profile.xdm:schema.$ref``), so such an example is left out of the document.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["sample"]


def _holds_ref(value: object) -> bool:
    if isinstance(value, Mapping):
        return "$ref" in value or any(_holds_ref(item) for item in value.values())
    if isinstance(value, list):
        return any(_holds_ref(item) for item in value)
    return False


def sample(example: Callable[[str], Any] | None, kind: str) -> Any:
    """The example of ``kind`` to put in the document, or None (none, or one holding ``$ref``)."""
    if example is None:
        return None
    try:
        value = example(kind)
    except KeyError:  # a kind without an example
        return None
    return None if _holds_ref(value) else value
