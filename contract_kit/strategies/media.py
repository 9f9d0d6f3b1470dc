"""Accept and Content-Type values of the create call, valid and broken, written as clients do.

The engine parses media types (RFC 9110), so valid draws vary what parsing forgives: case,
parameter order, spacing around ``;`` and quoting. Broken draws each break one thing the
engine checks, and say which.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from hypothesis import strategies as st

from contract_kit.core.object_kinds import ObjectKind, object_kinds
from contract_kit.strategies.picks import pick, shuffled
from contract_kit.strategies.values import OFFER_SCHEMA_PREFIX

if TYPE_CHECKING:
    from collections.abc import Callable

    from hypothesis.strategies import DrawFn, SearchStrategy

__all__ = [
    "SCHEMA_KINDS",
    "accept_misses",
    "accepts",
    "content_type_misses",
    "content_types",
    "hal_accepts",
    "schema_mismatches",
    "single_quoted",
    "version_less",
]

RECEIPT = "application/vnd.adobe.platform.xcore.xdm.receipt+json"
SCHEMA_INSTANCE = "application/schema-instance+json"
HAL = "application/vnd.adobe.platform.xcore.hal+json"
#: The schema versions a create may name (docs/contract.md: 0.1 in requests, 0.5 when stored).
VERSIONS = ("0.1", "0.5")
#: Offer-management names a client may write for a kind, none of them a stored kind's.
SCHEMA_KINDS = ("fallback-offers", "personalized-offers", "placement", "decision", "offer")

_SEPARATORS = ("; ", ";", ";  ", " ; ", ";\t")
_CASES: tuple[Callable[[str], str], ...] = (str, str.upper, str.title)
_WEIGHTS = ("q=1", "q=0.9", "q=0.001", "q=1.000")
_OTHERS = ("application/json", "application/problem+json;q=0.9", "text/plain; q=0.5", f"{HAL};q=0")


def _write(draw: DrawFn, essence: str, params: list[str]) -> str:
    """``essence`` in some case, with ``params`` in some order and spacing.

    A function of the draw, not a strategy: a strategy made for each draw is validated anew.
    """
    text = pick(draw, _CASES)(essence)
    for param in shuffled(draw, params):
        text += pick(draw, _SEPARATORS) + param
    return text


@st.composite
def _written(draw: DrawFn, essence: str, params: list[str]) -> str:
    return _write(draw, essence, params)


def _optional(draw: DrawFn, *choices: str) -> list[str]:
    """One of ``choices`` as a list of one, or none for "" (the first shrinks)."""
    choice = pick(draw, choices)
    return [choice] if choice else []


@st.composite
def _receipt_range(draw: DrawFn, versions: tuple[str, ...], weights: tuple[str, ...]) -> str:
    params = _optional(draw, *versions) + _optional(draw, *weights)
    return _write(draw, RECEIPT, params)


@st.composite
def _wildcard(draw: DrawFn, weights: tuple[str, ...]) -> str:
    return _write(draw, pick(draw, ("*/*", "*", "application/*")), _optional(draw, *weights))


@functools.cache
def _others() -> SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(_OTHERS), max_size=2)


@st.composite
def _accept_list(draw: DrawFn, admitting: SearchStrategy[str]) -> str:
    ranges = [draw(admitting), *draw(_others())]
    return pick(draw, (", ", ",", " , ")).join(shuffled(draw, ranges))


def accepts() -> SearchStrategy[str]:
    """Accept values that admit the receipt, version 1: by name, by wildcard, among others."""
    named = _receipt_range(("version=1", 'version="1"', ""), ("", *_WEIGHTS))
    return _accept_list(st.one_of(named, _wildcard(("", *_WEIGHTS))))


#: The schema parameter the docs' lookups and searches put in Accept (not checked, but sent).
_RESULTS_SCHEMA = 'schema="https://ns.adobe.com/experience/xcore/hal/results"'


@st.composite
def _hal_range(draw: DrawFn) -> str:
    params = _optional(draw, "", _RESULTS_SCHEMA) + _optional(draw, "", *_WEIGHTS)
    return _write(draw, HAL, params)


def hal_accepts() -> SearchStrategy[str]:
    """Accept values that admit the HAL answer of a lookup or search: by name, by wildcard."""
    return _accept_list(st.one_of(_hal_range(), _wildcard(("", *_WEIGHTS))))


def _schema(kind: str, version: str) -> str:
    return f'schema="{OFFER_SCHEMA_PREFIX}{kind};version={version}"'


@functools.cache
def _fallback_schemas() -> SearchStrategy[str]:
    return st.sampled_from(VERSIONS).map(lambda v: _schema("fallback-offer", v))


@st.composite
def _content_type(
    draw: DrawFn,
    essences: tuple[str, ...] = (SCHEMA_INSTANCE, HAL),
    versions: tuple[str, ...] = ("version=1", 'version="1"'),
    schemas: SearchStrategy[str] | None = None,
) -> str:
    schema = draw(schemas if schemas is not None else _fallback_schemas())
    extra = _optional(draw, "", "charset=utf-8", 'charset="UTF-8"')
    params = [p for p in (pick(draw, versions), schema) if p] + extra
    return _write(draw, pick(draw, essences), params)


def content_types() -> SearchStrategy[str]:
    """Content-Type values of the create call: either media type, version 1, a quoted schema."""
    return _content_type()


def accept_misses() -> SearchStrategy[tuple[str, str]]:
    """Accept values that do not admit the receipt, version 1, each with what is wrong."""
    static = st.sampled_from(
        (
            ("application/json", "names only application/json"),
            (HAL, "names the HAL type, not the receipt"),
            ("text/*", "a wildcard that excludes application types"),
            ("", "empty"),
            ("application/", "no subtype"),
            (f"{RECEIPT} version=1", "no ';' before the version"),
        )
    )
    version = _accept_list(_receipt_range(("version=2", "version=1.0", 'version="0"'), ("",))).map(
        lambda v: (v, "another receipt version")
    )
    refused = _accept_list(_receipt_range(("version=1", ""), ("q=0", "q=0.000"))).filter(
        lambda v: "*" not in v
    )
    zero = st.one_of(refused, _wildcard(("q=0", "q=0.0"))).map(lambda v: (v, "q=0 refuses it"))
    weight = _receipt_range(("version=1",), ("q=2", "q=0.5555", "q=-1", "q=high")).map(
        lambda v: (v, "a weight that is not 0 to 1 with 3 decimals at most")
    )
    return st.one_of(static, version, zero, weight)


def content_type_misses() -> SearchStrategy[tuple[str, str]]:
    """Content-Type values the create call refuses (not a mismatch of kind), with what is wrong."""
    unquoted = (
        f"{SCHEMA_INSTANCE}; version=1; schema={OFFER_SCHEMA_PREFIX}fallback-offer;version=0.1"
    )
    static = st.sampled_from(
        (
            ("", "empty"),
            (f"{SCHEMA_INSTANCE} version=1", "no ';' before the parameters"),
            (unquoted, "the schema parameter not quoted"),
            (
                f'{SCHEMA_INSTANCE}; version=1; schema="{OFFER_SCHEMA_PREFIX}fallback-offer',
                "an unterminated quote",
            ),
            (
                f"{SCHEMA_INSTANCE}; version=1; version=1; {_schema('fallback-offer', '0.1')}",
                "version given twice",
            ),
        )
    )
    essence = _content_type(
        essences=(
            "application/json",
            "text/plain",
            "application/vnd.adobe.platform.xcore.patch.hal+json",
        )
    ).map(lambda v: (v, "a media type the create call does not take"))
    version = _content_type(versions=("version=2", "version=0", 'version="1.0"')).map(
        lambda v: (v, "not version=1")
    )
    schema_version = _content_type(
        schemas=st.sampled_from(("0.2", "1.0", "0.10", "1")).map(
            lambda v: _schema("fallback-offer", v)
        )
    ).map(lambda v: (v, "a schema version the API does not document"))
    no_schema = _content_type(
        schemas=st.sampled_from(
            (
                "",
                'schema="https://example.com/fallback-offer;version=0.1"',
                f'schema="{OFFER_SCHEMA_PREFIX}fallback-offers;version=0.1"',
            )
        )
    ).map(lambda v: (v, "no offer-management schema id with its version"))
    return st.one_of(static, essence, version, schema_version, no_schema)


def _two_schemas(kinds: list[ObjectKind]) -> str:
    return f'schema="{kinds[0].request_schema} {kinds[1].request_schema}"'


def schema_mismatches() -> SearchStrategy[tuple[str, str]]:
    """Content-Type values whose schema parameter names two kinds (a body is one)."""
    schemas = st.permutations(object_kinds()).map(_two_schemas)
    return _content_type(schemas=schemas).map(lambda v: (v, "names the schemas of two kinds"))


def version_less() -> dict[str, SearchStrategy[tuple[str, str]]]:
    """Content-Type values the service takes that the docs write otherwise, by rule id.

    ``version-param``: no ``version=1``, as Adobe's Postman collection sends it;
    ``schema-version``: a schema id without ``;version=``, as aepctl and the tutorial send it.
    """
    return {
        "version-param": _content_type(versions=("",)).map(lambda v: (v, "no version=1")),
        "schema-version": _content_type(
            schemas=st.just(f'schema="{OFFER_SCHEMA_PREFIX}fallback-offer"')
        ).map(lambda v: (v, "a schema id without ;version=")),
    }


def single_quoted() -> dict[str, SearchStrategy[tuple[str, str]]]:
    """Accept and Content-Type values with a parameter in single quotes, by header name."""
    schema = st.sampled_from(VERSIONS).map(
        lambda v: f"schema='{OFFER_SCHEMA_PREFIX}fallback-offer;version={v}'"
    )
    receipt = _written(
        RECEIPT, ["version=1", "schema='https://ns.adobe.com/experience/xcore/receipt'"]
    )
    return {
        "accept": _accept_list(receipt).map(lambda v: (v, "a parameter in single quotes")),
        "content-type": _content_type(schemas=schema).map(
            lambda v: (v, "the schema parameter in single quotes")
        ),
    }
