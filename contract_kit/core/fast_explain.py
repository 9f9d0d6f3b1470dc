"""Explain a failing instance from jsonschema-rs's errors, in contract_kit's own words.

jsonschema-rs lists every error of a payload about ten times faster than python-jsonschema
(``benchmarks/bench_lint.py`` has the figures). Each of its errors carries the location of
the keyword that failed; that leads back to the bundled subschema, whose keyword value and
annotations (``x-rule``, ``x-expected``, ``x-message``) the message is written from, the same
way as from a python-jsonschema error, so both engines give the same violations (a property
test holds them to it).

Where jsonschema-rs's report is not exact, :func:`explain` returns None and the caller asks
python-jsonschema instead: an error without a keyword location, a keyword location outside
the schemas given, or an instance with an empty member name anywhere (jsonschema-rs 0.61
drops empty names from instance paths, so the pointer would be wrong) or a float that is not
finite (not JSON; jsonschema-rs shows it as null).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from contract_kit.core.messages import describe
from contract_kit.core.violation import split_pointer

if TYPE_CHECKING:
    from collections.abc import Iterable

    from contract_kit.core.violation import Violation

__all__ = ["explain", "misreported"]


def misreported(value: object) -> bool:
    """Whether jsonschema-rs's errors would misplace or misquote something in ``value``.

    That is an object member named ``""`` or a float that is not finite, at any depth.
    """
    pending = [value]
    while pending:
        current = pending.pop()
        if isinstance(current, Mapping):
            if "" in current:
                return True
            pending.extend(current.values())
        elif isinstance(current, list):
            pending.extend(current)
        elif isinstance(current, float) and not math.isfinite(current):
            return True
    return False


def _subschema(resources: Mapping[str, Any], location: str) -> Mapping[str, Any] | None:
    """The subschema at ``location`` (``uri#pointer``), or None if it is not among ``resources``."""
    uri, _, fragment = location.partition("#")
    node = resources.get(uri)
    for token in split_pointer(fragment):
        if isinstance(node, Mapping):
            node = node.get(token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node if isinstance(node, Mapping) else None


def explain(
    errors: Iterable[Any], resources: Mapping[str, Any], instance: object, noun: str
) -> list[Violation] | None:
    """The violations behind jsonschema-rs's ``errors`` of ``instance``; None if not exact.

    ``resources`` maps each schema's ``$id`` to the schema; ``noun`` is what a member is
    called in messages ("member", "header").
    """
    if misreported(instance):
        return None
    found: list[Violation] = []
    for error in errors:
        location = error.absolute_keyword_location
        if not isinstance(location, str):
            return None
        parent, _, token = location.rpartition("/")
        keyword = split_pointer("/" + token)[0]
        schema = _subschema(resources, parent)
        if schema is None or keyword not in schema:
            return None
        path: list[str | int] = list(error.instance_path)
        value = error.instance
        if keyword == "required":
            path.append(error.kind.property)  # reported at the missing member's own pointer
        elif keyword == "propertyNames":
            value = error.kind.error.instance  # the refused name, at its own pointer
            path.append(value)
        found.append(describe(keyword, schema[keyword], value, schema, path, noun=noun))
    return found
