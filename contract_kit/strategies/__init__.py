"""Hypothesis strategies for the contract: instances that keep it, and cases that break it.

Valid strategies draw instances with no violation that reach every member, enum value and
representation the schemas allow; they shrink to a small, seed-like instance. Invalid
strategies draw an :class:`InvalidCase`: an instance carrying one named violation (pointer and
rule id) that ``contract_kit.violations`` reports, so a test knows what its code must reject.
Everything is read from the bundled schemas. Only this module and its private helpers
(the modules of this package) import hypothesis, so ``import contract_kit`` stays light. See
docs/strategies.md.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from contract_kit.core.formats import UUID as _UUID
from contract_kit.core.formats import ecma as _ecma
from contract_kit.core.kinds import instance_form as _instance_form
from contract_kit.core.messages import did_you_mean as _did_you_mean
from contract_kit.core.rule_catalogue import rules as _rules
from contract_kit.core.schema_bundle import check_kind as _check_kind
from contract_kit.core.schema_bundle import load_schema as _load_schema
from contract_kit.core.schema_bundle import subschemas as _subschemas
from contract_kit.strategies.breaks import breaks as _kind_breaks
from contract_kit.strategies.build import Context as _Context
from contract_kit.strategies.build import kind_values as _kind_values
from contract_kit.strategies.calls import CALL_RULES as _CALL_RULES
from contract_kit.strategies.calls import FAKE_CONTAINER as _FAKE_CONTAINER
from contract_kit.strategies.calls import FAKE_PLACEMENT as _FAKE_PLACEMENT
from contract_kit.strategies.calls import CreateCall
from contract_kit.strategies.calls import call_breaks as _call_own_breaks
from contract_kit.strategies.calls import create_calls as _create_calls
from contract_kit.strategies.calls import lifted as _lifted
from contract_kit.strategies.decision_calls import decision_call_breaks as _decision_call_breaks
from contract_kit.strategies.decision_calls import decision_calls
from contract_kit.strategies.headers import FORMS as _FORMS
from contract_kit.strategies.headers import header_breaks as _header_breaks
from contract_kit.strategies.headers import headers as _headers
from contract_kit.strategies.library import (
    Library,
    LibraryObject,
    decision_requests,
    offer_libraries,
)
from contract_kit.strategies.picks import pick as _choose
from contract_kit.strategies.queries import QUERY_RULES as _QUERY_RULES
from contract_kit.strategies.queries import QueryCall
from contract_kit.strategies.queries import query_breaks as _query_breaks
from contract_kit.strategies.queries import query_calls as _query_calls

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from contract_kit.strategies.breaks import Case

__all__ = (
    "CreateCall",
    "InvalidCase",
    "Library",
    "LibraryObject",
    "QueryCall",
    "create_calls",
    "decision_calls",
    "decision_requests",
    "error_bodies",
    "fallback_offers",
    "invalid",
    "invalid_create_calls",
    "invalid_decision_calls",
    "invalid_error_bodies",
    "invalid_fallback_offers",
    "invalid_lookup_calls",
    "invalid_receipts",
    "invalid_request_headers",
    "invalid_rules",
    "invalid_search_calls",
    "lookup_calls",
    "offer_libraries",
    "receipts",
    "request_headers",
    "search_calls",
    "valid",
)

_HEADERS = "request-headers"
_OFFER = "fallback-offer"


@dataclass(frozen=True)
class InvalidCase:
    """An instance that breaks the contract in one known way.

    ``contract_kit.violations(kind, instance)`` reports a violation at ``pointer`` with rule id
    ``rule`` (others may come with it: a misspelt member is also a missing one).
    ``description`` says in words what was broken.
    """

    instance: Any
    pointer: str
    rule: str
    description: str


def _case(found: Case) -> InvalidCase:
    return InvalidCase(*found)


def _enum(rule: str) -> tuple[str, ...]:
    """The values of the fallback-offer enum that reports ``rule`` (e.g. every channel)."""
    for _, sub in _subschemas(_load_schema(_OFFER)):
        if sub.get("x-rule") == rule and "enum" in sub:
            return tuple(sub["enum"])
    return ()


def _short(value: str) -> str:
    return value.rpartition("/")[2].removeprefix("content-component-")


def _pick(
    argument: str, rule: str, chosen: Iterable[str] | None
) -> tuple[str, tuple[str, ...]] | None:
    """Check an argument naming enum values (in full or by their last part) and expand it."""
    if chosen is None:
        return None
    if isinstance(chosen, str) or not isinstance(chosen, Iterable):
        raise InvalidArgument(
            f"{argument} must be a list of values, e.g. {argument}=[{_short(_enum(rule)[0])!r}]"
        )
    known = _enum(rule)
    by_name = {_short(value): value for value in known} | {value: value for value in known}
    picked = []
    for value in chosen:
        if value not in by_name:
            hint = _did_you_mean(str(value), by_name, aside=True)
            listed = ", ".join(_short(v) for v in known)
            raise InvalidArgument(
                f"{argument}: {value!r} is not one the contract allows{hint}; it allows {listed}"
            )
        picked.append(by_name[value])
    if not picked:
        raise InvalidArgument(f"{argument} is empty: name at least one value, or pass None for all")
    return rule, tuple(dict.fromkeys(picked))


def fallback_offers(
    *,
    channels: Iterable[str] | None = None,
    component_types: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    hal: bool | None = None,
) -> SearchStrategy[dict[str, Any]]:
    """Valid fallback-offer create bodies.

    ``channels``, ``component_types`` and ``statuses`` restrict the draws (full URIs or their
    last part: ``"web"``, ``"html"``); ``hal`` True draws only the HAL envelope, False only bare
    instances, None both.
    """
    if hal not in {None, True, False}:
        raise InvalidArgument(f"hal must be True, False or None, not {hal!r}")
    restrict = tuple(
        picked
        for picked in (
            _pick("channels", "channel", channels),
            _pick("component_types", "component-type", component_types),
            _pick("statuses", "status", statuses),
        )
        if picked is not None
    )
    branch = "" if hal is None else ("then" if hal else "else")
    return _kind_values(_OFFER, _Context(restrict=restrict, branch=branch))


def _form(form: str | None) -> str | None:
    if form not in {None, *_FORMS}:
        raise InvalidArgument(
            f"form must be one of {', '.join(map(repr, _FORMS))} or None, not {form!r}"
        )
    return form


def request_headers(*, form: str | None = None) -> SearchStrategy[Any]:
    """Valid headers of a create call: names in any case, any order, every form of the values.

    ``form`` ``"dict"`` draws dicts, ``"pairs"`` lists of ``(name, value)``, None either.
    """
    return _headers(_form(form))


def receipts() -> SearchStrategy[dict[str, Any]]:
    """Valid receipts, as the create call answers."""
    return _kind_values("receipt")


def error_bodies() -> SearchStrategy[dict[str, Any]]:
    """Valid error bodies: gateway errors and problem bodies."""
    return _kind_values("error")


def valid(kind: str) -> SearchStrategy[Any]:
    """Valid instances of any bundled kind (see ``contract_kit.kinds()``)."""
    kind = _check_kind(kind)
    return request_headers() if _instance_form(kind) == "headers" else _kind_values(kind)


@functools.cache
def _breaks(kind: str, form: str | None = None) -> dict[str, list[SearchStrategy[Case]]]:
    return _header_breaks(form) if _instance_form(kind) == "headers" else _kind_breaks(kind)


def _ordered(found: Iterable[str]) -> tuple[str, ...]:
    catalogue = list(_rules())
    return tuple(
        sorted(
            set(found),
            key=lambda rule: (catalogue.index(rule) if rule in catalogue else len(catalogue), rule),
        )
    )


def invalid_rules(kind: str) -> tuple[str, ...]:
    """The rule ids ``invalid(kind)`` draws cases for, in the order of ``contract_kit.rules()``."""
    return _ordered(_breaks(_check_kind(kind)))


def _chosen(rules: Iterable[str] | None, available: tuple[str, ...], what: str) -> tuple[str, ...]:
    if rules is None:
        return available
    if isinstance(rules, str) or not isinstance(rules, Iterable):
        raise InvalidArgument(
            f"rules must be a list of rule ids, e.g. rules=[{available[0]!r}], not {rules!r}"
        )
    chosen = tuple(dict.fromkeys(rules))
    catalogue = _rules()
    for rule in chosen:
        if rule not in catalogue and rule not in available:
            hint = _did_you_mean(str(rule), catalogue, aside=True)
            raise InvalidArgument(
                f"unknown rule id {rule!r}{hint}; contract_kit.rules() lists them"
            )
        if rule not in available:
            raise InvalidArgument(
                f"{what} cannot break rule {rule!r}; it breaks {', '.join(available)}"
            )
    if not chosen:
        raise InvalidArgument("rules is empty: name at least one rule id, or pass None for all")
    return chosen


@st.composite
def _one_rule(draw: st.DrawFn, per_rule: tuple[SearchStrategy[Case], ...]) -> InvalidCase:
    # A rule first, then one of its breaks: a flat one_of would pick among all breaks, and
    # rules with many (type: one per typed member) would crowd out rules with one.
    return _case(draw(_choose(draw, per_rule)))


def _drawn(
    found: dict[str, list[SearchStrategy[Case]]], chosen: tuple[str, ...]
) -> SearchStrategy[InvalidCase]:
    return _one_rule(tuple(st.one_of(found[rule]) for rule in chosen))


def invalid(kind: str, *, rules: Iterable[str] | None = None) -> SearchStrategy[InvalidCase]:
    """Cases breaking one rule of any bundled kind; ``rules`` restricts them to some rule ids."""
    kind = _check_kind(kind)
    chosen = _chosen(rules, invalid_rules(kind), f"invalid({kind!r})")
    return _drawn(_breaks(kind), chosen)


def invalid_fallback_offers(*, rules: Iterable[str] | None = None) -> SearchStrategy[InvalidCase]:
    """Fallback-offer bodies breaking one rule each (see :func:`invalid`)."""
    return invalid(_OFFER, rules=rules)


def invalid_request_headers(
    *, rules: Iterable[str] | None = None, form: str | None = None
) -> SearchStrategy[InvalidCase]:
    """Create-call headers breaking one rule each, written in ``form`` (as request_headers)."""
    chosen = _chosen(rules, invalid_rules(_HEADERS), "invalid_request_headers()")
    return _drawn(_breaks(_HEADERS, _form(form)), chosen)


def invalid_receipts(*, rules: Iterable[str] | None = None) -> SearchStrategy[InvalidCase]:
    """Receipts breaking one rule each (see :func:`invalid`)."""
    return invalid("receipt", rules=rules)


def invalid_error_bodies(*, rules: Iterable[str] | None = None) -> SearchStrategy[InvalidCase]:
    """Error bodies breaking one rule each (see :func:`invalid`)."""
    return invalid("error", rules=rules)


def _container(container_id: str | None) -> str | None:
    if container_id is not None and (
        not isinstance(container_id, str) or _UUID.fullmatch(container_id) is None
    ):
        raise InvalidArgument(
            f"container_id must be a UUID (8-4-4-4-12 hex digits) or None, not {container_id!r}"
        )
    return container_id


def _placements(placements: Iterable[str] | None) -> tuple[str, ...] | None:
    if placements is None:
        return None
    example = f"placements=[{_FAKE_PLACEMENT!r}]"
    if isinstance(placements, str) or not isinstance(placements, Iterable):
        raise InvalidArgument(f"placements must be a list of placement ids, e.g. {example}")
    chosen = tuple(dict.fromkeys(placements))
    pattern = _ecma(_load_schema(_OFFER)["$defs"]["placement-id"]["pattern"])
    for placement in chosen:
        if not isinstance(placement, str) or pattern.search(placement) is None:
            raise InvalidArgument(
                f"placements: {placement!r} is not an offer-placement id "
                f'("xcore:offer-placement:" and 1 to 16 lowercase hex digits)'
            )
    if not chosen:
        raise InvalidArgument(f"placements is empty: name at least one, e.g. {example}")
    return chosen


def create_calls(
    *,
    container_id: str | None = _FAKE_CONTAINER,
    placements: Iterable[str] | None = (_FAKE_PLACEMENT,),
) -> SearchStrategy[CreateCall]:
    """Valid create calls ``(method, url, headers, body)``: ``check_request(*call)`` is empty.

    By default they name the container and the placement a new fake holds, so
    ``fake.handle(FakeRequest.from_call(*call))`` answers 201. ``container_id`` names
    another container (None: any UUID); ``placements`` the placements representations may
    name, each at most once per offer (None: any placement, as ``fallback_offers()``).
    """
    return _create_calls(
        request_headers(),
        fallback_offers(),
        container_id=_container(container_id),
        placements=_placements(placements),
    )


@functools.cache
def _call_breaks() -> dict[str, list[SearchStrategy[Case]]]:
    valid_calls = create_calls(container_id=None, placements=None)
    found: dict[str, list[SearchStrategy[Case]]] = {
        rule: [s] for rule, s in _call_own_breaks(valid_calls).items()
    }
    for part, kind in (("headers", _HEADERS), ("body", _OFFER)):
        for rule, cases in _breaks(kind).items():
            found.setdefault(rule, []).extend(_lifted(case, valid_calls, part) for case in cases)
    return found


def invalid_create_calls(*, rules: Iterable[str] | None = None) -> SearchStrategy[InvalidCase]:
    """Create calls breaking one rule each, as ``check_request`` reports it.

    The rule is the call's own (method, path, body, json), or one of its headers' or its
    body's, with the pointer moved under ``/headers`` or ``/body``.
    """
    available = _ordered([*_CALL_RULES, *_call_breaks()])
    return _drawn(_call_breaks(), _chosen(rules, available, "invalid_create_calls()"))


def invalid_decision_calls(*, rules: Iterable[str] | None = None) -> SearchStrategy[InvalidCase]:
    """Decision calls breaking one rule each, as ``check_request`` reports it.

    ``request-id`` at ``/headers/x-request-id`` (missing, empty, or not visible ASCII), or a
    rule of the decision request body, under ``/body``.
    """
    found = _decision_call_breaks()
    return _drawn(found, _chosen(rules, _ordered(found), "invalid_decision_calls()"))


def lookup_calls(*, container_id: str | None = _FAKE_CONTAINER) -> SearchStrategy[QueryCall]:
    """Valid lookups ``GET …/instances?schema=…`` by ``id``, by ``name`` or neither.

    ``check_request(*call)`` is empty, and the fake answers 200: the container is the fake's,
    or ``container_id`` (None: any UUID). Queries vary as clients write them: any order, any
    percent-encoding, ``limit`` from 1, ``orderby`` or ``orderBy``, ``start``, filters.
    """
    return _query_calls("lookup", _container(container_id))


def search_calls(*, container_id: str | None = _FAKE_CONTAINER) -> SearchStrategy[QueryCall]:
    """Valid searches ``GET …/queries/core/search?schema=…``, in a container as lookup_calls.

    Each carries up to four ``property`` filters (every operator, and bare paths), ``orderby``
    with ``-`` and ``+``, ``start``, ``limit``, and ``q``/``qop``/``field`` the fake accepts.
    """
    return _query_calls("search", _container(container_id))


def _invalid_queries(
    operation: str, rules: Iterable[str] | None, what: str
) -> SearchStrategy[InvalidCase]:
    # Checked before the breaks are built, so a wrong argument costs nothing.
    chosen = _chosen(rules, _ordered(_QUERY_RULES), what)
    return _drawn(_query_breaks(operation), chosen)


def invalid_lookup_calls(*, rules: Iterable[str] | None = None) -> SearchStrategy[InvalidCase]:
    """Lookups breaking one rule of their query, as ``check_request`` reports it.

    ``query`` at ``/query/<name>``: a ``schema`` naming another schema or version, ``id``
    with ``name`` or not a fallback-offer ``@id``, a ``limit`` below 1 or not a number, a
    ``property`` filter or an ``orderby`` that does not parse. ``required`` at
    ``/query/schema``: no ``schema`` parameter. Warnings the service takes: ``schema-version``
    (no ``;version=``), ``unknown-parameter`` (``oderBy`` and other undocumented names),
    ``query-mismatch`` (an ``id`` of another kind).
    """
    return _invalid_queries("lookup", rules, "invalid_lookup_calls()")


def invalid_search_calls(*, rules: Iterable[str] | None = None) -> SearchStrategy[InvalidCase]:
    """Searches breaking one rule of their query, as :func:`invalid_lookup_calls` does."""
    return _invalid_queries("search", rules, "invalid_search_calls()")
