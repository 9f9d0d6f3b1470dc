"""The query parameters each operation documents, so a misspelt one is named, not ignored.

The service ignores a parameter it does not know (aepctl's ``oderBy`` sorts nothing and fails
nothing), so an unknown one is the warning ``unknown-parameter``, with the documented name it
most likely misspells. The lists are Adobe's Postman inventory and the repository and Offer
Decisioning pages: ``orderby`` and ``orderBy`` are both documented; search takes ``id`` and
``name`` as lookup does (the lookup pages' search form).
"""

from __future__ import annotations

from typing import Final

from contract_kit.core.messages import closest
from contract_kit.core.violation import Violation, escape_token

__all__ = ["DOCUMENTED", "unknown_parameters"]

_PAGING = ("property", "orderby", "orderBy", "start", "limit")
#: Operation name: the query parameters it documents. An operation not listed documents none.
DOCUMENTED: Final[dict[str, tuple[str, ...]]] = {
    "discover": ("product", "property", "start", "limit"),
    "lookup": ("schema", "id", "name", *_PAGING),
    "search": ("schema", "q", "qop", "field", *_PAGING, "id", "name"),
}


def unknown_parameters(operation: str, label: str, query: list[tuple[str, str]]) -> list[Violation]:
    """An ``unknown-parameter`` warning per parameter ``operation`` does not document.

    ``label`` is how messages name the call; a parameter given twice is reported once.
    """
    documented = DOCUMENTED.get(operation, ())
    found: list[Violation] = []
    for name in dict.fromkeys(name for name, _ in query):
        if name in documented:
            continue
        found.append(
            Violation(
                f"/query/{escape_token(name)}",
                _message(name, label, documented),
                "unknown-parameter",
            )
        )
    return found


def _message(name: str, label: str, documented: tuple[str, ...]) -> str:
    headline = f"query parameter {name} is not one {label} documents, so the service ignores it"
    if not documented:
        return f"{headline}: the call takes no query parameters, leave it out"
    # Compared in lower case, so "oderBy" finds "orderby" whichever spelling it copied.
    lowered = list(dict.fromkeys(choice.lower() for choice in documented))
    close = closest(name.lower(), lowered)
    if close:
        return f'{headline}; did you mean "{close}"?'
    return f"{headline}; it takes {', '.join(lowered)}"
