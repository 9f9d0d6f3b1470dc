"""Turn a schema error into a Violation: where, what is wrong, and what was expected.

jsonschema's own messages print Python reprs of whole values (secrets included) and name
keywords, not fixes; contract_kit writes its own sentence for every keyword the bundled
schemas use. Schemas may add two annotations to a subschema: ``x-rule`` (the rule id its
failures report) and ``x-expected`` (what a valid value looks like, in words); ``x-message``
on a ``not`` says why a member is refused.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from contract_kit.core.formats import FORMAT_DESCRIPTIONS
from contract_kit.core.similar import Names, most_similar
from contract_kit.core.violation import Violation, join_pointer

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from jsonschema.exceptions import ValidationError

__all__ = [
    "closest",
    "describe",
    "did_you_mean",
    "integer_digits",
    "is_secret_name",
    "json_type",
    "placeholder_sent",
    "plural",
    "rule_for",
    "show",
    "to_violation",
]


@functools.lru_cache(maxsize=4096)  # names come from instances too: bounded
def is_secret_name(name: str) -> bool:
    """Whether the value of header or member ``name`` is hidden from every message.

    The names recordings are redacted by (core.secrets), less the IMS org: an identifier,
    which a message shows so that its rule can say what is wrong with it.
    """
    from contract_kit.core.secrets import SecretPolicy, name_key

    return name_key(name) != name_key("x-gw-ims-org-id") and SecretPolicy().is_secret_name(name)


_TYPE_NAMES = {
    "string": "a string",
    "object": "an object",
    "array": "an array",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
}
_MAX_SHOWN = 80
_LONG = 10**_MAX_SHOWN
# Keywords that keep their own rule id even inside a subschema that names one with x-rule:
# a wrong type or a missing member is a matter of shape, not of the named rule.
_STRUCTURAL = frozenset({"type", "required"})


def json_type(value: object) -> str:
    """Name the JSON type of a Python value the way a message says it ("an integer").

    A mapping that is not a dict is named by its Python type: the validators read only dicts
    as JSON objects, so "expected an object, got an object" would be false.
    """
    if value is None or isinstance(value, bool):
        return "null" if value is None else "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return f"a Python {type(value).__name__}"


def integer_digits(value: int) -> int:
    """How many decimal digits ``value`` has, counted without printing it.

    Python refuses to print an integer of more than 4300 digits (by default), so a message
    about one cannot use ``str``.
    """
    size = abs(value)
    digits = max(1, int(size.bit_length() * 0.30102999566398120) + 1)
    return digits - 1 if digits > 1 and size < 10 ** (digits - 1) else digits


def _long_integer(value: object) -> bool:
    """An integer too long to show in full (more than 80 digits)."""
    return isinstance(value, int) and not -_LONG < value < _LONG


def show(value: object, name: str = "") -> str:
    """Render a value for a message: scalars as JSON, containers by size, secrets hidden.

    ``name`` is the member or header name the value belongs to; values of secret names are
    never shown, but a value that is wholly a docs' placeholder (``{ACCESS_TOKEN}``) is
    named. Containers are not rendered in full, so a deep or huge value cannot make a message
    unreadable (or the renderer recurse without bound).
    """
    if isinstance(value, str) and "{" in value:
        from contract_kit.core.secrets import doc_placeholder

        placeholder = doc_placeholder(value, name)
        if placeholder:
            return f"the docs' placeholder {placeholder}"
    if is_secret_name(name):
        return _masked(value, name)
    if isinstance(value, Mapping):
        return f"an object with {plural(len(value), 'member')}"
    if isinstance(value, list):
        return f"an array of {plural(len(value), 'item')}"
    if isinstance(value, str):
        return _quoted(value)
    if value is None or isinstance(value, bool):
        return "null" if value is None else str(value).lower()
    if _long_integer(value):
        return f"an integer of {integer_digits(value)} digits"  # type: ignore[arg-type]
    if isinstance(value, int | float):
        return repr(value)
    return json_type(value)


def _quoted(value: str) -> str:
    """A string as JSON writes it, cut at 80 characters, control characters escaped."""
    text = value if len(value) <= _MAX_SHOWN else value[: _MAX_SHOWN - 1] + "…"
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    if escaped.isprintable():  # most values are: no need to look at each character
        return f'"{escaped}"'
    return '"' + "".join(c if c.isprintable() else repr(c)[1:-1] for c in escaped) + '"'


def _masked(value: object, name: str) -> str:
    if not isinstance(value, str):
        return json_type(value)
    scheme, _, credentials = value.partition(" ")
    if name.lower() in {"authorization", "proxy-authorization"} and credentials:
        return f'"{scheme} …" (credentials hidden)'
    return f"a value of {len(value)} characters (hidden)"


class _Error(NamedTuple):
    """The parts of a jsonschema error a message is written from."""

    keyword: str
    expected: Any  # the keyword's value in the schema
    instance: Any
    schema: Mapping[str, Any]
    path: list[str | int]
    noun: str

    @property
    def name(self) -> str:
        return str(self.path[-1]) if self.path else ""

    def shown(self) -> str:
        return show(self.instance, self.name)

    def expectation(self, default: str) -> str:
        return str(self.schema.get("x-expected", default))


def to_violation(error: ValidationError, noun: str) -> Violation:
    """Describe one jsonschema error; ``noun`` is what a member is called ("member", "header")."""
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    keyword = error.validator if isinstance(error.validator, str) else ""
    path = list(error.path)
    return describe(keyword, error.validator_value, error.instance, schema, path, noun=noun)


def describe(  # noqa: PLR0913 - the parts of one schema error, whichever engine found it
    keyword: str,
    expected: Any,
    instance: Any,
    schema: Mapping[str, Any],
    path: list[str | int],
    *,
    noun: str,
) -> Violation:
    """Describe the failure of ``keyword`` (whose value is ``expected``) in ``schema``.

    ``instance`` is the value that failed (for ``required``, the object that lacks the member),
    ``path`` its place in the checked instance (for ``required``, the missing member's place).
    """
    found = _Error(keyword, expected, instance, schema, path, noun)
    sentence = _DESCRIBERS.get(keyword, _other) if keyword else _not_allowed
    return Violation(join_pointer(path), sentence(found), rule_for(keyword, schema))


def rule_for(keyword: str, schema: Mapping[str, Any]) -> str:
    """The rule id a failure of ``keyword`` in ``schema`` reports (``""``: a false schema).

    The subschema's ``x-rule`` names it, except for a wrong type or a missing member; else
    it is the keyword in kebab case (``minItems``: ``min-items``).
    """
    if not keyword:
        return "not-allowed"
    if keyword == "propertyNames":
        return str(schema["propertyNames"].get("x-rule", "property-names"))
    # A member every example shows but no source requires: a required the schema marks so.
    if keyword == "required" and schema.get("x-rule") == "recommended":
        return "recommended"
    if keyword not in _STRUCTURAL and "x-rule" in schema:
        return str(schema["x-rule"])
    return _kebab(keyword)


@functools.lru_cache(maxsize=256)
def _kebab(keyword: str) -> str:
    """``minItems``: ``min-items``; a schema has few keywords, each written once."""
    return "".join("-" + c.lower() if c.isupper() else c for c in keyword)


def closest(value: object, choices: Iterable[str] | Names, cutoff: float = 0.6) -> str | None:
    """The choice ``value`` most likely misspells, if one is close enough."""
    if not isinstance(value, str):
        return None
    return most_similar(value, choices if isinstance(choices, Names) else list(choices), cutoff)


@functools.lru_cache(maxsize=1024)
def _names(choices: tuple[str, ...]) -> Names:
    """The choices of one schema location (an enum, a namespace's members), prepared once.

    Keyed on the schema's names, never on a checked value: every instance failing there
    shares the preparation.
    """
    return Names(choices)


@functools.lru_cache(maxsize=1024)
def _namespace_members(members: tuple[str, ...], namespace: str) -> Names:
    """The members of one schema location in ``namespace`` (``""``: all), prepared once."""
    return _names(tuple(name for name in members if name.startswith(namespace)))


def did_you_mean(
    value: object, choices: Iterable[str] | Names, cutoff: float = 0.6, *, aside: bool = False
) -> str:
    """The one wording of a typo: ``'; did you mean "x"?'`` for the closest choice, or nothing.

    ``aside`` words it as a parenthesis inside a sentence that goes on:
    ``' (did you mean "x"?)'``.
    """
    close = closest(value, choices, cutoff)
    if not close:
        return ""
    question = f'did you mean "{close}"?'
    return f" ({question})" if aside else f"; {question}"


def plural(count: int, word: str) -> str:
    """``"1 file"``, ``"2 files"``: the one way messages count things."""
    return f"{count} {word}{'s' * (count != 1)}"


def _type(error: _Error) -> str:
    names = [error.expected] if isinstance(error.expected, str) else list(error.expected)
    default = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
    if _long_integer(error.instance):
        return f"expected {error.expectation(default)}, got {error.shown()}"
    scalar = error.instance is not None and not isinstance(error.instance, Mapping | list)
    secret = is_secret_name(error.name)
    shown = f" ({error.shown()})" if scalar and not secret else ""
    return f"expected {error.expectation(default)}, got {json_type(error.instance)}{shown}"


def _required(error: _Error) -> str:
    present = error.instance if isinstance(error.instance, Mapping) else {}
    defined = error.schema.get("properties", {})
    strays = [k for k in present if isinstance(k, str) and k not in defined]
    close = closest(error.name, strays, cutoff=0.75)
    typo = f' (found "{close}": a misspelling?)' if close else ""
    if error.schema.get("x-rule") == "recommended":
        why = error.schema.get("x-message")
        tail = f": {why}" if why else ""
        return f'{error.noun} "{error.name}" is missing; the service takes that{tail}{typo}'
    return f'required {error.noun} "{error.name}" is missing{typo}'


def _enum(error: _Error) -> str:
    allowed = tuple(a for a in error.expected if isinstance(a, str))
    listed = ", ".join(f'"{a}"' for a in allowed)
    default = (
        f"one of {listed}" if len(allowed) <= 6 else f"one of the {len(allowed)} allowed values"
    )
    hint = did_you_mean(error.instance, _names(allowed)) if isinstance(error.instance, str) else ""
    return f"{error.shown()} is not {error.expectation(default)}{hint}"


_PLACEHOLDER_FIXES = {
    "authorization": "an access token (Authorization: Bearer <token>)",
    "x-api-key": "your integration's API key (its client id)",
    "x-gw-ims-org-id": "your IMS organization id (…@AdobeOrg)",
    "x-sandbox-name": "a sandbox name such as prod (or leave the header out for prod)",
}
_XCORE_KIND = re.compile(r"\^xcore:(?P<kind>[a-z-]+):")


def placeholder_sent(value: object, name: str = "", fix: str = "a real value") -> str | None:
    """The one wording of a docs' placeholder left in a value, or None if ``value`` is none.

    ``fix`` says what goes there instead; the headers' own fixes are known by name.
    """
    from contract_kit.core.secrets import doc_placeholder

    if not doc_placeholder(value, name):
        return None
    fix = _PLACEHOLDER_FIXES.get(name.lower(), fix)
    return f"{show(value, name)} was sent; replace it with {fix}"


def _pattern(error: _Error) -> str:
    kind = _XCORE_KIND.match(str(error.expected))
    if kind:
        article = "an" if kind["kind"][0] in "aeiou" else "a"
        fix = f"the @id of {article} {kind['kind']} you created"
    else:
        fix = "a real value"
    placeholder = placeholder_sent(error.instance, error.name, fix)
    if placeholder:
        return placeholder
    default = f"a match of the pattern {error.expected}"
    return f"{error.shown()} is not {error.expectation(default)}"


def _format(error: _Error) -> str:
    placeholder = placeholder_sent(error.instance, error.name)
    if placeholder:
        return placeholder
    default = FORMAT_DESCRIPTIONS.get(str(error.expected), str(error.expected))
    return f"{error.shown()} is not {error.expectation(default)}"


def _bound(error: _Error) -> str:
    word = "at least" if error.keyword == "minimum" else "at most"
    return f"expected {word} {error.expected}, got {error.shown()}"


def _items(error: _Error) -> str:
    word = "at least" if error.keyword == "minItems" else "at most"
    size = len(error.instance)
    return f"expected {word} {plural(error.expected, 'item')}, got {size or 'none'}"


def _members(error: _Error) -> str:
    word = "at least" if error.keyword == "minProperties" else "at most"
    size = len(error.instance)
    return f"expected {word} {plural(error.expected, 'member')}, got {size or 'none'}"


def _length(error: _Error) -> str:
    if error.keyword == "minLength" and error.expected == 1:
        return "an empty string is not allowed here"
    word = "at least" if error.keyword == "minLength" else "at most"
    got = plural(len(error.instance), "character")
    return f"expected {word} {plural(error.expected, 'character')}, got {got}"


def _not(error: _Error) -> str:
    why = error.schema.get("x-message")
    if why:
        return f'{error.noun} "{error.name}" is not allowed: {why}'
    return f"{error.shown()} is not allowed here"


def _unknown_name(error: _Error) -> str:
    name = str(error.instance)
    if name.startswith("@") or ":" in name:
        namespace = "@" if name.startswith("@") else name.partition(":")[0] + ":"
        where = f'in the "{namespace}" namespace'
    else:  # a bare name has no namespace to name: compare it with every member
        namespace, where = "", "here"
    hint = did_you_mean(
        name, _namespace_members(tuple(error.schema.get("properties", ())), namespace)
    ) or (
        "; members of other kinds or vendor extensions belong in a namespace of their own "
        '(e.g. "acme:")'
    )
    return f'unknown {error.noun} "{name}": the contract defines no such {error.noun} {where}{hint}'


def _not_allowed(error: _Error) -> str:
    return f'{error.noun} "{error.name}" is not allowed here'


def _other(error: _Error) -> str:
    # Never jsonschema's own text: it prints whole values, secrets included.
    return f"{error.shown()} fails the schema keyword {error.keyword} ({error.expected!r})"


_DESCRIBERS: dict[str, Callable[[_Error], str]] = {
    "type": _type,
    "required": _required,
    "enum": _enum,
    "pattern": _pattern,
    "format": _format,
    "minimum": _bound,
    "maximum": _bound,
    "minItems": _items,
    "maxItems": _items,
    "minProperties": _members,
    "maxProperties": _members,
    "minLength": _length,
    "maxLength": _length,
    "not": _not,
    "propertyNames": _unknown_name,
}
