"""Explain a failing instance from jsonschema-rs's errors, in contract_kit's own words.

jsonschema-rs lists every error of a payload about ten times faster than python-jsonschema
(``benchmarks/bench_lint.py`` has the figures). Each of its errors carries the location of
the keyword that failed; that leads back to the bundled subschema, whose keyword value and
annotations (``x-rule``, ``x-expected``, ``x-message``) the message is written from, the same
way as from a python-jsonschema error, so both engines give the same violations (a property
test holds them to it). The failing value is read from the checked instance at the error's
path, never from the error.

The cost stays linear in the number of errors. jsonschema-rs attaches to each
``propertyNames`` error the whole object whose name failed, so an object with n unknown
members cost n copies of itself (quadratic). :func:`fast_form` therefore hands jsonschema-rs
each ``propertyNames`` of the bundle's form (a name is known, or outside the namespaces the
contract owns) as the equivalent ``patternProperties`` whose one pattern matches exactly the
refused names, with a false schema: each refused name is then one error at its own member,
carrying only that member's value. :func:`explain` reads such an error back as the
``propertyNames`` failure it stands for.

Where jsonschema-rs's report is not exact, :func:`explain` returns None and the caller asks
python-jsonschema instead: an error without a keyword location, a keyword location outside
the schemas given, or an instance with an empty member name anywhere (jsonschema-rs 0.61
drops empty names from instance paths, so the pointer would be wrong), a float that is not
finite (not JSON; jsonschema-rs shows it as null) or an integer longer than Python prints
(jsonschema-rs reads it as null).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from contract_kit.core.limits import digits_bound
from contract_kit.core.messages import describe, rule_for
from contract_kit.core.schema_bundle import LIST_KEYWORDS, MAP_KEYWORDS, SCHEMA_KEYWORDS
from contract_kit.core.violation import Violation, is_index, join_pointer, order_key, split_pointer

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["explain", "fast_form", "misreported"]

# Characters that mean something in a regular expression, in Rust's and in ECMA-262's alike.
_META = frozenset("\\.+*?()|[]{}^$")
# A pattern of literal prefixes, as the bundle names its namespaces: "^(xdm:|dc:|repo:|@)".
# Searching for it anywhere in a name finds what matching it at the start finds, and a regex
# engine tries that far faster than a lookahead that searches.
_PREFIXES = re.compile(r"\^\((?:[A-Za-z0-9_:@/-]+\|)*[A-Za-z0-9_:@/-]+\)")
# Keywords whose meaning a new patternProperties would change.
_NAME_KEYWORDS = frozenset({"patternProperties", "additionalProperties", "unevaluatedProperties"})


def misreported(value: object) -> bool:
    """Whether jsonschema-rs's errors would misplace or misquote something in ``value``.

    That is an object member named ``""``, a float that is not finite, or an integer longer
    than Python prints, at any depth.
    """
    bound = digits_bound()
    pending = [value]
    while pending:
        current = pending.pop()
        kind = type(current)
        if kind is str or kind is bool or current is None:  # most values: nothing to look into
            continue
        # Exact types first: most of a parsed instance, each told by one comparison.
        if kind is dict:
            if "" in current:  # type: ignore[operator]
                return True
            pending.extend(current.values())  # type: ignore[attr-defined]
        elif kind is list:
            pending.extend(current)  # type: ignore[arg-type]
        elif _misread(current, bound, pending):
            return True
    return False


def _misread(value: object, bound: int, pending: list[object]) -> bool:
    """:func:`misreported` of any other value; the children of a container go to ``pending``."""
    if isinstance(value, Mapping):
        if "" in value:
            return True
        pending.extend(value.values())
    elif isinstance(value, list | tuple):
        pending.extend(value)
    elif isinstance(value, float):
        return not math.isfinite(value)
    elif bound and isinstance(value, int):
        return not -bound < value < bound
    return False


def _literal(text: str) -> str:
    return "".join("\\" + char if char in _META else char for char in text)


def _refused_names(names_schema: object) -> str | None:
    """A pattern matching exactly the names ``names_schema`` refuses, if it has the bundle's form.

    The form is ``{"anyOf": [{"enum": known names}, {"not": {"pattern": owned}}]}`` (with
    ``x-`` annotations): a name is refused when it is not known and ``owned`` finds a match.
    """
    if not isinstance(names_schema, Mapping):
        return None
    if {key for key in names_schema if not key.startswith("x-")} != {"anyOf"}:
        return None
    branches = names_schema["anyOf"]
    if not (isinstance(branches, list) and len(branches) == 2):
        return None
    known, owned = branches
    if not (isinstance(known, Mapping) and isinstance(owned, Mapping)):
        return None
    negated = owned.get("not")
    if set(known) != {"enum"} or set(owned) != {"not"} or not isinstance(negated, Mapping):
        return None
    names, pattern = known["enum"], negated.get("pattern")
    if set(negated) != {"pattern"} or not isinstance(pattern, str):
        return None
    if not (isinstance(names, list) and all(isinstance(name, str) for name in names)):
        return None
    unknown = f"(?!(?:{'|'.join(map(_literal, names))})$)" if names else ""
    if not pattern:  # found in every name: each unknown name is refused
        return f"^{unknown}"
    if _PREFIXES.fullmatch(pattern):  # found only at the start: no search needed
        return f"^{unknown}(?:{pattern[2:-1]})"
    # A lookahead searching the whole name: what "pattern" means (ECMA-262 search, not match).
    return f"^{unknown}(?=[\\s\\S]*?(?:{pattern}))"


def fast_form(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` as jsonschema-rs is given it: same verdicts, errors linear in their number.

    Each ``propertyNames`` of the bundle's form, in a subschema without other keywords on
    member names, becomes ``patternProperties`` refusing the same names (see the module's
    docstring); any other ``propertyNames`` is kept. Only the subschemas on the way to a
    change are new: the rest is ``schema``'s own, and neither is changed afterwards.
    """
    form: dict[str, Any] = _fast_subschema(schema)
    return form


def _fast_subschema(schema: Any) -> Any:
    """``schema``'s :func:`fast_form`, or ``schema`` itself where nothing in it changes."""
    if not isinstance(schema, dict):
        return schema
    changed = {}
    for key, value in schema.items():
        new = _fast_keyword(key, value)
        if new is not value:
            changed[key] = new
    pattern = None
    if "propertyNames" in schema and not _NAME_KEYWORDS & schema.keys():
        pattern = _refused_names(schema["propertyNames"])
    if pattern is None and not changed:
        return schema
    form = {**schema, **changed}
    if pattern is not None:
        del form["propertyNames"]
        form["patternProperties"] = {pattern: False}
    return form


def _fast_keyword(key: str, value: Any) -> Any:
    """The fast form of keyword ``key``'s ``value``, or ``value`` itself where none changes."""
    if key in MAP_KEYWORDS and isinstance(value, dict):
        members = {name: _fast_subschema(sub) for name, sub in value.items()}
        if any(members[name] is not sub for name, sub in value.items()):
            return members
    elif key in SCHEMA_KEYWORDS:
        return _fast_subschema(value)
    elif key in LIST_KEYWORDS and isinstance(value, list):
        items = [_fast_subschema(sub) for sub in value]
        if any(new is not old for new, old in zip(items, value, strict=True)):
            return items
    return value


def _node(resources: Mapping[str, Any], uri: str, tokens: tuple[str, ...]) -> Any:
    node = resources.get(uri)
    for token in tokens:
        if isinstance(node, Mapping):
            node = node.get(token)
        elif isinstance(node, list) and is_index(token) and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


@functools.lru_cache(maxsize=4096)
def _location(location: str) -> tuple[str, tuple[str, ...]]:
    """A keyword location's ``$id`` and tokens; a bundle has a few thousand keywords to fail."""
    uri, _, fragment = location.partition("#")
    return uri, tuple(split_pointer(unquote(fragment)))


def _failed(resources: Mapping[str, Any], location: str) -> tuple[Mapping[str, Any], str] | None:
    """The subschema and keyword at ``location`` (``uri#pointer``), in the original schemas.

    A false schema under a ``patternProperties`` that :func:`fast_form` made is that
    subschema's ``propertyNames``. None if the location is not among ``resources``.
    """
    uri, tokens = _location(location)
    if not tokens:
        return None
    if len(tokens) > 1 and tokens[-2] == "patternProperties":
        site = _node(resources, uri, tokens[:-2])
        if (
            isinstance(site, Mapping)
            and "propertyNames" in site
            and "patternProperties" not in site
        ):
            return site, "propertyNames"
    schema = _node(resources, uri, tokens[:-1])
    if not isinstance(schema, Mapping) or tokens[-1] not in schema:
        return None
    return schema, tokens[-1]


class _NotThereError(Exception):
    pass


def _at(instance: object, path: list[str | int]) -> object:
    """The value at ``path`` in the checked instance."""
    for token in path:
        try:
            instance = instance[token]  # type: ignore[index]
        except (KeyError, IndexError, TypeError) as error:
            raise _NotThereError from error
    return instance


#: The message of a violation past the ones to explain: it is only counted, never shown.
UNEXPLAINED = "not explained: past the violations listed"

#: The subschema and keyword a keyword location leads to.
_Place = tuple[Mapping[str, Any], str]
#: One error, as much as a message is written from.
_Failure = tuple[str, Any, object, Mapping[str, Any], list[str | int]]


def explain(  # noqa: PLR0913 - the errors, what they are of, and how to word them
    errors: Iterable[Any],
    resources: Mapping[str, Any],
    instance: object,
    noun: str,
    limit: int | None = None,
    *,
    places: dict[str, _Place | None] | None = None,
) -> list[Violation] | None:
    """The violations behind jsonschema-rs's ``errors`` of ``instance``; None if not exact.

    ``resources`` maps each schema's ``$id`` to the schema as the bundle has it (not its
    :func:`fast_form`); ``noun`` is what a member is called in messages ("member", "header").
    With a ``limit``, only the first ``limit`` violations in the documented order (and any
    tied with the last) are worded; the others carry their place and rule, to be counted,
    and :data:`UNEXPLAINED` as their message. ``places`` keeps, across calls with the same
    ``resources``, the subschema and keyword each keyword location leads to.
    """
    failures = _failures(errors, resources, instance, {} if places is None else places)
    if failures is None:
        return None
    if limit is not None and len(failures) > limit:
        return _first_explained(failures, limit, noun)
    return [describe(*failure, noun=noun) for failure in failures]


def _first_explained(failures: list[_Failure], limit: int, noun: str) -> list[Violation]:
    keyed = sorted(
        ((order_key(join_pointer(f[4]), rule_for(f[0], f[3])), f) for f in failures),
        key=lambda pair: pair[0],
    )
    last = keyed[limit - 1][0]
    return [
        describe(*failure, noun=noun)
        if key <= last
        else Violation(join_pointer(failure[4]), UNEXPLAINED, key[1])
        for key, failure in keyed
    ]


def _failures(
    errors: Iterable[Any],
    resources: Mapping[str, Any],
    instance: object,
    places: dict[str, _Place | None],
) -> list[_Failure] | None:
    """What a message is written from, for each error; None if an error is not exact."""
    if misreported(instance):
        return None
    found: list[_Failure] = []
    try:
        for error in errors:
            location = error.absolute_keyword_location
            if not isinstance(location, str):
                return None
            if location not in places:
                places[location] = _failed(resources, location)
            place = places[location]
            if place is None:
                return None
            schema, keyword = place
            path: list[str | int] = list(error.instance_path)
            if keyword == "propertyNames":
                if not location.endswith("/propertyNames"):
                    value: object = path[-1]  # the refused name, already at its own pointer
                else:
                    value = error.kind.error.instance  # the refused name, at its own pointer
                    path.append(value)  # type: ignore[arg-type]
            else:
                value = _at(instance, path)
                if keyword == "required":
                    path.append(error.kind.property)  # reported at the missing member's pointer
            found.append((keyword, schema[keyword], value, schema, path))
    except _NotThereError:
        return None
    return found
