"""Values that break one keyword of a subschema, each with words for what is wrong with it.

Near misses come first (the docs' placeholders, the older channel form, 17 hex digits, a
February 30th), then generic breaks derived from the schema. Every candidate is checked
against the keyword it must break when the strategy is built, so a miss that no longer misses
is dropped, and a keyword left with none raises SchemaBundleError.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from contract_kit.core.formats import FORMATS, ecma
from contract_kit.core.messages import json_type, rule_for
from contract_kit.errors import SchemaBundleError
from contract_kit.strategies.build import Context, values
from contract_kit.strategies.conditions import failures, has_arms
from contract_kit.strategies.schema import Node, chain, id_form, id_forms, items_of, keywords
from contract_kit.strategies.values import RULE_VALUES, json_values, schema_prefix, texts

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from hypothesis.strategies import SearchStrategy

    from contract_kit.strategies.schema import Chain

__all__ = ["leaf_breaks", "wrong_types"]


#: Keywords broken elsewhere (members, items, branches) or not at all (``then`` goes with ``if``).
_ELSEWHERE = frozenset(
    {
        "properties",
        "required",
        "propertyNames",
        "allOf",
        "items",
        "additionalProperties",
        "anyOf",
        "then",
        "else",
    }
)
_TYPE_SAMPLES: dict[str, tuple[Any, ...]] = {
    "null": (None,),
    "boolean": (True, False),
    "integer": (0, 1, -7, 403010),
    "number": (1.5, -0.25),
    "string": ("", "1", "true"),
    "array": ([], ["x"]),
    "object": ({}, {"value": 1}),
}
_PLACEHOLDER = "the docs' placeholder"
_PATTERN_MISSES: dict[str, tuple[tuple[str, str], ...]] = {
    "authorization": (
        ("Basic ZmFrZTpmYWtl", "the Basic scheme"),
        ("Bearer {ACCESS_TOKEN}", _PLACEHOLDER),
        ("fake-access-token", "a token without its scheme"),
        ("Bearer", "no token"),
        ("Token fake-access-token", "another scheme"),
        ("Bearerfake-access-token", "no space after Bearer"),
        ("Bearer fake access token", "spaces in the token"),
        ("Bearer fäke-token", "a non-ASCII token"),
    ),
    "api-key": (
        ("{API_KEY}", _PLACEHOLDER),
        ("fake api key", "spaces"),
        ("fake/key", "a slash"),
        ("fäke-key", "a non-ASCII letter"),
    ),
    "ims-org": (
        ("{IMS_ORG}", _PLACEHOLDER),
        ("FAKE0123", "no @AdobeOrg"),
        ("FAKE0123@adobeorg", "@adobeorg in lower case"),
        ("@AdobeOrg", "nothing before @AdobeOrg"),
        ("FAKE-0123@AdobeOrg", "a hyphen"),
        ("FAKE0123@AdobeID", "a user id, not an organization id"),
    ),
    "sandbox-name": (
        ("{SANDBOX_NAME}", _PLACEHOLDER),
        ("Prod", "upper case"),
        ("dev_1", "an underscore"),
        ("-dev", "a leading hyphen"),
        ("dev-", "a trailing hyphen"),
        ("dev 1", "a space"),
    ),
    "media-type": (
        ("text/html; charset=utf-8", "a parameter"),
        ("html", "no subtype"),
        ("text/", "an empty subtype"),
        ("/html", "an empty type"),
        ("text/html/x", "two slashes"),
        ("tëxt/html", "a non-ASCII letter"),
    ),
    "language": (
        ("english", "a language name, not a tag"),
        ("en_US", "an underscore"),
        ("e", "one letter"),
        ("en-", "an empty subtag"),
        ("en-abcdefghi", "a subtag of 9 characters"),
        ("1en", "a digit first"),
    ),
    "error-code": (
        ("4030", "four digits"),
        ("4030100", "seven digits"),
        ("603010", "no HTTP status first"),
        ("403-010", "a hyphen"),
        ("٤٠٣٠١٠", "Arabic-Indic digits"),
    ),
    "patch-path": (
        ("/xdm:status", "a path outside /_instance"),
        ("_instance/xdm:status", "no leading slash"),
        ("/_instances/xdm:status", "/_instances"),
        ("#/_instance/xdm:status", "a URI fragment, not a pointer"),
    ),
}
_GENERIC_MISSES = (
    ("", "empty"),
    (" ", "a space"),
    ("{PLACEHOLDER}", "a placeholder"),
    ("é", "a non-ASCII letter"),
)
_ENUM_MISSES: dict[str, tuple[str, ...]] = {
    "status": ("live", "published", "active", "deleted"),
    "channel": ("web", "https://ns.adobe.com/xdm/channel-types/tv"),
    "component-type": (
        "https://ns.adobe.com/experience/decisioning/content-component-html-template",
        "https://ns.adobe.com/experience/decisioning/content-component-imagelink",
        "text/html",
    ),
    "patch-op": ("delete", "update", "set", "merge"),
}
_VARIANTS: tuple[tuple[Callable[[str], str], str], ...] = (
    (lambda v: v.replace("/channel-types/", "/channels/"), "the older /channels/ form"),
    (lambda v: v.replace("https://", "http://"), "http, not https"),
    (str.upper, "upper case"),
    (lambda v: v + " ", "a trailing space"),
    (lambda v: v + "/", "a trailing slash"),
    (lambda v: v[:-1], "its last letter missing"),
)
_FORMAT_MISSES: dict[str, tuple[tuple[str, str], ...]] = {
    "date-time": (
        ("2023-02-30T22:28:11Z", "February 30th"),
        ("2023-10-21T25:28:11Z", "hour 25"),
        ("2023-10-21 22:28:11Z", "a space for T"),
        ("2023-10-21T22:28:11", "no offset"),
        ("2023-10-21", "a date without a time"),
        ("2023-10-21T22:28:11+0000", "an offset without a colon"),
        ("2023-10-21T22:28:11.Z", "an empty fraction"),
        ("1697926091", "epoch seconds"),
        ("2023-13-01T00:00:00Z", "month 13"),
        ("\uff12\uff10\uff12\uff13-10-21T22:28:11Z", "full-width digits"),
        ("", "empty"),
    ),
    "uuid": (
        ("b3966680", "a UUID's first group only"),
        ("b396668013ec11eb9c208323709cfc65", "no hyphens"),
        ("{b3966680-13ec-11eb-9c20-8323709cfc65}", "braces"),
        ("b3966680-13ec-11eb-9c20-8323709cfc6g", "a letter that is not hex"),
        ("urn:uuid:b3966680-13ec-11eb-9c20-8323709cfc65", "the urn: form"),
        ("", "empty"),
    ),
    "uri": (
        ("example.com/offer.png", "no scheme"),
        ("/relative/offer.png", "a relative reference"),
        ("https://exa mple.com/", "a space"),
        ("https://example.com/café", "a non-ASCII letter not percent-encoded"),
        ("https://example.com/<a>", "angle brackets"),
        ("https://example.com/%zz", "a bad percent escape"),
        ("", "empty"),
    ),
    "uri-reference": (
        ("a b", "a space"),
        ("<x>", "angle brackets"),
        ("%zz", "a bad percent escape"),
        ("/offers/é", "a non-ASCII letter not percent-encoded"),
        ("\\offers\\1", "backslashes"),
        ("{TYPE_URI}", "a placeholder"),
    ),
}


def _checked(
    where: str, what: str, candidates: Iterable[tuple[Any, str]], fails: Callable[[Any], bool]
) -> SearchStrategy[tuple[Any, str]]:
    kept = [(value, how) for value, how in candidates if fails(value)]
    if not kept:
        raise SchemaBundleError(f"{where}: contract_kit.strategies has no value that breaks {what}")
    return st.sampled_from(kept)


def wrong_types(allowed: str | list[str], where: str) -> SearchStrategy[tuple[Any, str]]:
    """Values of every JSON type but the allowed ones."""
    names = {allowed} if isinstance(allowed, str) else set(allowed)
    if "number" in names:
        names.add("integer")
    shown = " or ".join(sorted(names))
    candidates = [
        (value, f"{json_type(value)} where {shown} belongs")
        for name, samples in _TYPE_SAMPLES.items()
        if name not in names
        for value in samples
    ]
    return _checked(where, "type", candidates, lambda _: True)


def _id_misses(node: Node) -> list[tuple[str, str]]:
    form = id_form(node.schema, node.where)
    digits = "124e0be5699743d3" * 2
    found = [
        (form.prefix + digits[: form.high + 1], f"{form.high + 1} hex digits, one too many"),
        (form.prefix + digits[: form.high].upper(), "upper-case hex digits"),
        (form.prefix + "xyz", "digits that are not hex"),
        (digits[: form.high], "no prefix"),
        (form.prefix.removeprefix("xcore:") + digits[:4], "no xcore: scheme"),
    ]
    if form.low > 0:
        found.append((form.prefix, "no hex digits"))
    found.extend(
        (other.prefix + digits[:8], f"an id of another kind ({other.prefix.rstrip(':')})")
        for other in id_forms()
        if other.prefix not in form.prefixes
    )
    return found


def _schema_id_misses(node: Node) -> list[tuple[str, str]]:
    # Not another kind's schema id: in a page of results that makes the item of that kind.
    prefix = schema_prefix(node)
    schema_id = prefix.removesuffix(";version=")
    return [
        (schema_id, "no version"),
        (f"{prefix}v1", "a version that is not numbers"),
        (prefix.replace("https://", "http://") + "0.5", "http"),
    ]


def _misses_of(node: Node, rule: str) -> list[tuple[str, str]]:
    """The near misses known for a patterned subschema's rule."""
    if rule == "xcore-id":
        return _id_misses(node)
    if rule == "schema-id":
        return _schema_id_misses(node)
    return list(_PATTERN_MISSES.get(rule, ()))


def pattern_misses(node: Node) -> SearchStrategy[tuple[Any, str]]:
    """Strings a pattern refuses: near misses by rule, generic ones, and drawn valid ones spoilt."""
    source = str(node.schema["pattern"])
    pattern = ecma(source)
    rule = node.schema.get("x-rule", "")
    known = _misses_of(node, rule)

    def fails(value: Any) -> bool:
        return pattern.search(value) is None

    static = _checked(node.where, "pattern", [*known, *_GENERIC_MISSES], fails)
    if rule not in RULE_VALUES or not (source.startswith("^") and source.endswith("$")):
        return static  # a valid value spoilt at an end still holds an unanchored match
    valid = RULE_VALUES[rule](node)
    spoilt = st.one_of(
        valid.map(lambda v: (v + "\n", "a trailing newline")),
        valid.map(lambda v: (" " + v, "a leading space")),
    ).filter(lambda pair: fails(pair[0]))
    return st.one_of(static, spoilt)


def enum_misses(node: Node, *, typed: bool) -> SearchStrategy[tuple[Any, str]]:
    """Values outside an enum: documented confusions, variants of allowed values, other types."""
    allowed = list(node.schema["enum"])
    candidates: list[tuple[Any, str]] = [
        (value, "a value the contract does not allow")
        for value in _ENUM_MISSES.get(node.schema.get("x-rule", ""), ())
    ]
    for value in allowed:
        if isinstance(value, str):
            candidates.extend((change(value), how) for change, how in _VARIANTS)
    if not typed:
        candidates.extend(
            [(None, "null"), (1, "a number"), ([allowed[0]], "an array holding an allowed value")]
        )
    return _checked(node.where, "enum", candidates, lambda value: value not in allowed)


def format_misses(name: str, where: str, minimum: int = 0) -> SearchStrategy[tuple[Any, str]]:
    """Strings that are not of a format, as the engine checks it."""
    check = FORMATS[name]
    candidates = [
        (value, how) for value, how in _FORMAT_MISSES.get(name, ()) if len(value) >= minimum
    ]
    return _checked(where, f"format {name}", candidates, lambda value: not check(value))


def _bound(keyword: str, limit: int, *, integer: bool) -> SearchStrategy[tuple[Any, str]]:
    if keyword == "minimum":
        values = (
            st.integers(max_value=limit - 1)
            if integer
            else st.floats(max_value=limit, exclude_max=True, allow_nan=False, allow_infinity=False)
        )
        return values.map(lambda v: (v, f"below the minimum {limit}"))
    values = (
        st.integers(min_value=limit + 1)
        if integer
        else st.floats(min_value=limit, exclude_min=True, allow_nan=False, allow_infinity=False)
    )
    return values.map(lambda v: (v, f"above the maximum {limit}"))


def _short(value: Any, _node: Node, _types: list[Any]) -> SearchStrategy[tuple[Any, str]]:
    return texts(max_size=int(value) - 1).map(
        lambda v: (v, "shorter than allowed" if v else "empty")
    )


def _empty(_value: Any, _node: Node, _types: list[Any]) -> SearchStrategy[tuple[Any, str]]:
    return st.just(([], "an empty array"))


def _no_member(_value: Any, _node: Node, _types: list[Any]) -> SearchStrategy[tuple[Any, str]]:
    return st.just(({}, "an object without members"))


def _present(_value: Any, _node: Node, _types: list[Any]) -> SearchStrategy[tuple[Any, str]]:
    return json_values().map(lambda v: (v, "present, which is not allowed"))


#: How to break each keyword: (keyword value, its node, the chain's types) -> bad values.
_BREAKERS: dict[str, Callable[[Any, Node, list[Any]], SearchStrategy[tuple[Any, str]]]] = {
    "type": lambda value, node, _: wrong_types(value, node.where),
    "enum": lambda _, node, types: enum_misses(node, typed=bool(types)),
    "pattern": lambda _, node, __: pattern_misses(node),
    "format": lambda value, node, _: format_misses(value, node.where),
    "minLength": _short,
    "minItems": _empty,
    "minProperties": _no_member,
    "minimum": lambda value, _, types: _bound("minimum", value, integer="integer" in types),
    "maximum": lambda value, _, types: _bound("maximum", value, integer="integer" in types),
    "not": _present,
}


def _too_many(value: Any, nodes: Chain, keyword: str) -> SearchStrategy[tuple[Any, str]]:
    """One more item (or entry) than ``maxItems`` (``maxProperties``) allows, each valid."""
    count = int(value) + 1
    if keyword == "maxItems":
        items = items_of(nodes)
        item = values(items, Context()) if items is not None else json_values()
        return item.map(lambda v: ([v] * count, f"{count} items, over the limit of {count - 1}"))
    extra = next((n for n in nodes if isinstance(n.schema.get("additionalProperties"), dict)), None)
    entry = (
        json_values()
        if extra is None
        else values(chain(extra.child("additionalProperties")), Context())
    )
    return entry.map(
        lambda v: (
            {f"key{i}": v for i in range(count)},
            f"{count} entries, over the limit of {count - 1}",
        )
    )


def leaf_breaks(nodes: Chain) -> list[tuple[str, SearchStrategy[tuple[Any, str]]]]:
    """Every way to break one value of a chain of subschemas: (rule id, bad values)."""
    found = list(keywords(nodes))
    types = [
        one
        for keyword, value, _ in found
        if keyword == "type"
        for one in (value if isinstance(value, list) else [value])
    ]
    breaks: list[tuple[str, SearchStrategy[tuple[Any, str]]]] = []
    if has_arms(nodes):
        breaks.extend(arm_breaks(nodes))
    for keyword, value, node in found:
        if keyword in _ELSEWHERE:
            continue
        if keyword == "if":
            # Other conditions are an arm's (above), or an object's (its site, its dispatch).
            if set(value) == {"minLength"}:
                breaks.extend(_then_breaks(node))
        elif keyword in {"maxItems", "maxProperties"}:
            breaks.append((rule_for(keyword, node.schema), _too_many(value, nodes, keyword)))
        elif keyword in _BREAKERS:
            breaks.append((rule_for(keyword, node.schema), _BREAKERS[keyword](value, node, types)))
        else:
            raise SchemaBundleError(
                f"{node.where}: contract_kit.strategies cannot break the keyword {keyword!r}"
            )
    return breaks


def _arm_candidates(nodes: Chain) -> list[tuple[Any, str]]:
    """Near misses of every enum, pattern and format found in a chain or any of its arms."""
    found: list[tuple[Any, str]] = list(_GENERIC_MISSES)
    pending, seen = [nodes], set()
    while pending:
        current = pending.pop()
        for keyword, value, node in keywords(current):
            rule = str(node.schema.get("x-rule", ""))
            if keyword == "enum":
                found.extend(
                    (v, "a value the contract does not allow") for v in _ENUM_MISSES.get(rule, ())
                )
                found.extend(
                    (change(v), how)
                    for v in value
                    if isinstance(v, str)
                    for change, how in _VARIANTS
                )
            elif keyword == "pattern":
                found.extend(_misses_of(node, rule))
            elif keyword == "format":
                found.extend(_FORMAT_MISSES.get(value, ()))
            elif keyword == "if":
                for arm in ("if", "then", "else"):
                    if arm in node.schema and (node.where, arm) not in seen:
                        seen.add((node.where, arm))
                        pending.append(chain(node.child(arm)))
    return list(dict.fromkeys(found))


def arm_breaks(nodes: Chain) -> list[tuple[str, SearchStrategy[tuple[Any, str]]]]:
    """Near misses of a value under a value-level ``if``, each failing one keyword of one arm."""
    by_rule: dict[str, list[tuple[Any, str]]] = {}
    for value, how in _arm_candidates(nodes):
        failed = failures(nodes, value)
        if len(failed) == 1:
            keyword, node = failed[0]
            by_rule.setdefault(rule_for(keyword, node.schema), []).append((value, how))
    return [(rule, st.sampled_from(found)) for rule, found in sorted(by_rule.items())]


def _then_breaks(node: Node) -> list[tuple[str, SearchStrategy[tuple[Any, str]]]]:
    """Break ``then`` with values that meet ``"if": {"minLength": n}`` (else ``then`` is moot)."""
    minimum = int(node.schema["if"].get("minLength", 0))
    then = node.child("then")
    breaks = []
    for keyword, value, _ in keywords((then,)):
        if keyword != "format":
            raise SchemaBundleError(
                f"{then.where}: contract_kit.strategies breaks only format under then"
            )
        breaks.append((rule_for(keyword, then.schema), format_misses(value, then.where, minimum)))
    return breaks
