"""What tells the bundled kinds apart, besides their schemas: one entry per kind, read here.

A kind's schema says most of its contract. What it cannot say lives in the kind's entry: the
rules only code checks (each rule id with the check that reports it), and the form the
instance takes, ``"json"`` (a parsed JSON value, checked by its schema then its code rules)
or ``"headers"`` (a mapping or ``(name, value)`` pairs, checked as a whole by
:func:`contract_kit.core.headers.header_violations`, which reads names in any case). The
engine, the schema export, the strategies and the linter ask this module. The stored kinds'
entries come from their table (``object-kinds.json``: ``code_rules``, ``guardrails``,
``date_range``), so a new stored kind needs no code here; the other kinds are listed below.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal, NamedTuple

from contract_kit.core.code_rules import (
    container_types,
    date_order,
    date_range,
    duplicate_placements,
    guardrails,
    recommended_members,
)
from contract_kit.core.decision_scope import decision_scopes
from contract_kit.core.object_kinds import kind_of_instance, object_kinds
from contract_kit.core.schema_bundle import check_kind
from contract_kit.core.silences import (
    container_types_silence,
    date_order_silence,
    date_range_silence,
    duplicate_placements_silence,
    guardrails_silence,
    recommended_members_silence,
)
from contract_kit.core.violation import join_pointer

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from contract_kit.core.object_kinds import DateRange, ObjectKind
    from contract_kit.core.silences import Silence
    from contract_kit.core.violation import Violation

__all__ = ["CodeRule", "Form", "Kind", "code_only_rules", "instance_form", "kind_entry"]

#: How an instance of a kind is given: parsed JSON, or headers.
Form = Literal["json", "headers"]


class CodeRule(NamedTuple):
    """A rule no schema can state, and the check that reports it (one check may report several).

    ``silence`` says when the check certainly reports nothing, more cheaply than running it
    (None: only running it tells).
    """

    rule: str
    check: Callable[[object], Iterable[Violation]]
    silence: Silence | None = None


class Kind(NamedTuple):
    """What one bundled kind has beyond its schema (a named tuple: entries grow by defaults).

    Named tuples rather than dataclasses: importing :mod:`dataclasses` would cost a one-file
    lint several milliseconds.
    """

    name: str
    form: Form = "json"
    code_rules: tuple[CodeRule, ...] = ()

    @property
    def checks(self) -> tuple[Callable[[object], Iterable[Violation]], ...]:
        """The code checks to run, once each, in the order of the rules they report."""
        return tuple(dict.fromkeys(rule.check for rule in self.code_rules))

    @property
    def silences(
        self,
    ) -> tuple[tuple[Callable[[object], Iterable[Violation]], Silence | None], ...]:
        """Each check of :attr:`checks` with its silence (None: only running it tells)."""
        found: dict[Callable[[object], Iterable[Violation]], Silence | None] = {}
        for rule in self.code_rules:
            found.setdefault(rule.check, rule.silence)
        return tuple(found.items())

    @property
    def code_only_rules(self) -> tuple[str, ...]:
        """The rule ids only code checks for this kind, in the entry's order."""
        return tuple(dict.fromkeys(rule.rule for rule in self.code_rules))


def _headers(instance: object) -> list[Violation]:
    # Imported here: a payload check never needs the header machinery.
    from contract_kit.core.headers import header_violations

    return header_violations(instance)


def _body_checks(kind: ObjectKind) -> tuple[CodeRule, ...]:
    """The code rules of a stored kind's body, as its table entry names them."""
    factories: dict[str, Callable[[], CodeRule]] = {
        "duplicate-placement": lambda: CodeRule(
            "duplicate-placement", duplicate_placements, duplicate_placements_silence()
        ),
        "recommended": lambda: CodeRule(
            "recommended", recommended_members, recommended_members_silence()
        ),
        "date-range": lambda: CodeRule(
            "date-range", date_range(_dates(kind)), date_range_silence(_dates(kind))
        ),
        "guardrail": lambda: CodeRule(
            "guardrail", guardrails(kind.guardrails), guardrails_silence(kind.guardrails)
        ),
    }
    unknown = [rule for rule in kind.code_rules if rule not in factories]
    if unknown:
        msg = f"object-kinds.json: {kind.name} names code rules no check reports: {unknown}"
        raise ValueError(msg)
    return tuple(factories[rule]() for rule in kind.code_rules)


def _dates(kind: ObjectKind) -> DateRange:
    if kind.date_range is None:
        msg = f"object-kinds.json: {kind.name} names date-range but gives no date_range"
        raise ValueError(msg)
    return kind.date_range


def _stored_kinds() -> Iterator[Kind]:
    """Each stored kind's body and instance; an instance adds date-order to the body's rules."""
    for kind in object_kinds():
        body = _body_checks(kind)
        yield Kind(kind.body_kind, code_rules=body)
        order = CodeRule("date-order", date_order, date_order_silence())
        yield Kind(kind.instance_kind, code_rules=(order, *body))


def _each_result_checks(page: object) -> Iterator[Violation]:
    """Every item of a page gets the code rules of the kind its ``schemas[0]`` names."""
    embedded = page.get("_embedded") if isinstance(page, Mapping) else None
    results = embedded.get("results") if isinstance(embedded, Mapping) else None
    for index, item in enumerate(results if isinstance(results, list) else []):
        kind = kind_of_instance(item)
        if kind is None:
            continue
        prefix = join_pointer(["_embedded", "results", index])
        for check in _KINDS[kind.instance_kind].checks:
            yield from (violation.under(prefix) for violation in check(item))


def _page_rules() -> tuple[CodeRule, ...]:
    rules = [r.rule for k in object_kinds() for r in _KINDS[k.instance_kind].code_rules]
    return tuple(CodeRule(rule, _each_result_checks) for rule in dict.fromkeys(rules))


_KINDS: dict[str, Kind] = {
    entry.name: entry
    for entry in (
        Kind(
            "container-list",
            code_rules=(CodeRule("recommended", container_types, container_types_silence()),),
        ),
        Kind("decision-request"),
        Kind("decision-response", code_rules=(CodeRule("scope", decision_scopes),)),
        Kind(
            "delete-outcome",
            code_rules=(CodeRule("date-order", date_order, date_order_silence()),),
        ),
        Kind("error"),
        Kind("fallback-offer-patch"),
        *_stored_kinds(),
        Kind("receipt", code_rules=(CodeRule("date-order", date_order, date_order_silence()),)),
        Kind(
            "request-headers",
            form="headers",
            code_rules=tuple(
                CodeRule(rule, _headers)
                for rule in (
                    "accept",
                    "accept-missing",
                    "content-type",
                    "version-param",
                    "schema-version",
                    "quoting",
                    "schema-mismatch",
                    "duplicate-header",
                )
            ),
        ),
    )
}
_KINDS["search-results"] = Kind("search-results", code_rules=_page_rules())


def kind_entry(kind: str) -> Kind:
    """The entry of a bundled kind; an unknown kind raises the error that lists the known ones."""
    return _KINDS[check_kind(kind)]


def instance_form(kind: str) -> Form:
    """``"headers"`` for a kind given as headers (names in any case), else ``"json"``."""
    return kind_entry(kind).form


def code_only_rules(kind: str) -> tuple[str, ...]:
    """The rule ids of ``kind`` that only code checks, which no schema validator reports."""
    return kind_entry(kind).code_only_rules
