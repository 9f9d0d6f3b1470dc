"""Check a decision response: its schema, its scopes, and what its request asked for (B.4).

The schema says options xor fallback; code says the rest. ``xdm:scope``, when sent, must
decode to the proposition's own ids (the Swagger example's second scope is a copy of the
first, which this check reports). With the request at hand, an option carries content only
when ``includeContent`` is true, metadata only as ``includeMetadata`` asks, and at most
``itemCount`` options.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from contract_kit.core.decision_scope import decision_scopes
from contract_kit.core.schema_check import validator_for
from contract_kit.core.violation import Violation, sort_violations

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["check_decision_response"]

_CONTENT = ("@type", "dc:format", "dc:language", "xdm:content", "xdm:deliveryURL")
#: Per detail member of a proposition: the metadata member, and the name include-metadata uses.
_METADATA = {
    "xdm:activity": {"xdm:name": "name"},
    "xdm:placement": {
        "xdm:name": "name",
        "xdm:channel": "channel",
        "xdm:componentType": "componentType",
    },
    "option": {
        "xdm:name": "name",
        "xdm:characteristics": "characteristics",
        "xdm:priority": "priority",
    },
}
_BOTH_OR_NEITHER = "a proposition has either xdm:options or xdm:fallback, never both nor neither"


def check_decision_response(response: object, request: object = None) -> list[Violation]:
    """Everything wrong with a decision response; ``request`` adds the rules that need it."""
    compiled = validator_for("decision-response")
    if not compiled.is_valid(response):
        found = [_worded(v) for v in compiled.violations(response)]
        return sort_violations(found)
    assert isinstance(response, Mapping)  # noqa: S101 - the schema requires an object
    found = list(decision_scopes(response))
    if isinstance(request, Mapping):
        found.extend(_asked(response, request))
    return sort_violations(found)


def _worded(violation: Violation) -> Violation:
    if violation.rule != "options-or-fallback":
        return violation
    return Violation(violation.pointer, _BOTH_OR_NEITHER, violation.rule)


def _asked(response: Mapping[str, Any], request: Mapping[str, Any]) -> Iterator[Violation]:
    form = request.get("xdm:responseFormat", {})
    content = form.get("xdm:includeContent", False) is True
    metadata = form.get("xdm:includeMetadata", {})
    asked = request.get("xdm:propositionRequests", [])
    for index, proposition in enumerate(response["xdm:propositions"]):
        at = f"/xdm:propositions/{index}"
        for part in ("xdm:activity", "xdm:placement"):
            yield from _metadata(f"{at}/{part}", proposition[part], part, metadata.get(part, []))
        options = proposition.get("xdm:options", [])
        wanted = asked[index].get("xdm:itemCount", 1) if index < len(asked) else None
        if wanted is not None and len(options) > wanted:
            message = f"{len(options)} options where the request's xdm:itemCount is {wanted}"
            yield Violation(f"{at}/xdm:options", message, "item-count")
        placed = [(f"{at}/xdm:options/{i}", o) for i, o in enumerate(options)]
        if "xdm:fallback" in proposition:
            placed.append((f"{at}/xdm:fallback", proposition["xdm:fallback"]))
        for where, option in placed:
            if not content:
                for member in _CONTENT:
                    if member in option:
                        message = f"{member} is content, which the request did not ask for"
                        message += " (xdm:includeContent is not true)"
                        yield Violation(f"{where}/{member}", message, "content-not-requested")
            yield from _metadata(where, option, "option", metadata.get("xdm:option", []))


def _metadata(
    where: str, detail: Mapping[str, Any], part: str, asked: list[str]
) -> Iterator[Violation]:
    for member, name in _METADATA[part].items():
        if member in detail and name not in asked:
            listed = "option" if part == "option" else part.removeprefix("xdm:")
            message = f"{member} is metadata the request did not ask for"
            message += f' (add "{name}" to xdm:includeMetadata.xdm:{listed})'
            yield Violation(f"{where}/{member}", message, "metadata-not-requested")
