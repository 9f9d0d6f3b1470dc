"""What tells the bundled kinds apart, besides their schemas: one entry per kind, read here.

A kind's schema says most of its contract. What it cannot say lives in the kind's entry: the
rules only code checks (each rule id with the check that reports it), and the form the
instance takes, ``"json"`` (a parsed JSON value, checked by its schema then its code rules)
or ``"headers"`` (a mapping or ``(name, value)`` pairs, checked as a whole by
:func:`contract_kit.core.headers.header_violations`, which reads names in any case). The
engine, the schema export, the strategies and the linter ask this module, so a new kind, or
a new difference, is one entry here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, NamedTuple

from contract_kit.core.code_rules import (
    container_types,
    date_order,
    duplicate_placements,
    each_result,
    recommended_members,
)
from contract_kit.core.schema_bundle import check_kind

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from contract_kit.core.violation import Violation

__all__ = ["CodeRule", "Form", "Kind", "code_only_rules", "instance_form", "kind_entry"]

#: How an instance of a kind is given: parsed JSON, or headers.
Form = Literal["json", "headers"]


class CodeRule(NamedTuple):
    """A rule no schema can state, and the check that reports it (one check may report several)."""

    rule: str
    check: Callable[[object], Iterable[Violation]]


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
    def code_only_rules(self) -> tuple[str, ...]:
        """The rule ids only code checks for this kind, in the entry's order."""
        return tuple(dict.fromkeys(rule.rule for rule in self.code_rules))


def _headers(instance: object) -> list[Violation]:
    # Imported here: a payload check never needs the header machinery.
    from contract_kit.core.headers import header_violations

    return header_violations(instance)


_EACH_DATE_ORDER = each_result(date_order)
_EACH_DUPLICATE_PLACEMENTS = each_result(duplicate_placements)
_EACH_RECOMMENDED = each_result(recommended_members)

_KINDS: dict[str, Kind] = {
    entry.name: entry
    for entry in (
        Kind("container-list", code_rules=(CodeRule("recommended", container_types),)),
        Kind("error"),
        Kind(
            "fallback-offer",
            code_rules=(
                CodeRule("duplicate-placement", duplicate_placements),
                CodeRule("recommended", recommended_members),
            ),
        ),
        Kind(
            "fallback-offer-instance",
            code_rules=(
                CodeRule("date-order", date_order),
                CodeRule("duplicate-placement", duplicate_placements),
                CodeRule("recommended", recommended_members),
            ),
        ),
        Kind("fallback-offer-patch"),
        Kind("eligibility-rule"),
        Kind("eligibility-rule-instance", code_rules=(CodeRule("date-order", date_order),)),
        Kind("offer-activity"),
        Kind("offer-activity-instance", code_rules=(CodeRule("date-order", date_order),)),
        Kind("offer-filter"),
        Kind("offer-filter-instance", code_rules=(CodeRule("date-order", date_order),)),
        Kind("offer-placement"),
        Kind("offer-placement-instance", code_rules=(CodeRule("date-order", date_order),)),
        Kind(
            "personalized-offer",
            code_rules=(CodeRule("duplicate-placement", duplicate_placements),),
        ),
        Kind(
            "personalized-offer-instance",
            code_rules=(
                CodeRule("date-order", date_order),
                CodeRule("duplicate-placement", duplicate_placements),
            ),
        ),
        Kind("tag"),
        Kind("tag-instance", code_rules=(CodeRule("date-order", date_order),)),
        Kind("receipt", code_rules=(CodeRule("date-order", date_order),)),
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
        Kind(
            "search-results",
            code_rules=(
                CodeRule("date-order", _EACH_DATE_ORDER),
                CodeRule("duplicate-placement", _EACH_DUPLICATE_PLACEMENTS),
                CodeRule("recommended", _EACH_RECOMMENDED),
            ),
        ),
    )
}


def kind_entry(kind: str) -> Kind:
    """The entry of a bundled kind; an unknown kind raises the error that lists the known ones."""
    return _KINDS[check_kind(kind)]


def instance_form(kind: str) -> Form:
    """``"headers"`` for a kind given as headers (names in any case), else ``"json"``."""
    return kind_entry(kind).form


def code_only_rules(kind: str) -> tuple[str, ...]:
    """The rule ids of ``kind`` that only code checks, which no schema validator reports."""
    return kind_entry(kind).code_only_rules
