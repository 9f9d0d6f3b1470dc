"""Which kinds each rule id applies to, read from the bundled schemas and the kinds' code rules.

``contract-kit rules`` prints it, with each rule's severity, so that a user with only the wheel
can read what the repository's docs/rules.md tabulates; a test keeps the two in step. A schema
reports a rule where one of its reachable subschemas names it (``x-rule``) or holds the keyword
it comes from (``minItems``: ``min-items``); the kind's entry adds the rules only code checks.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from contract_kit.core.kinds import code_only_rules
from contract_kit.core.messages import rule_for
from contract_kit.core.references import resolve
from contract_kit.core.rule_catalogue import CHECKED_BY_THE_FAKE, RULES, Severity, severity_of
from contract_kit.core.schema_bundle import kinds, load_schema, schema_uri, subschemas

__all__ = ["RuleEntry", "rule_index"]

# Rules no bundled kind reports: what checks them instead.
_CHECKED_BY = {
    "method": ("check_request",),
    "path": ("check_request",),
    "body": ("check_request",),
    "response-status": ("assert_receipt",),
    "query": ("check_request",),
    "recording": ("contract-kit lint, on recordings (cassettes)",),
    "secret": ("contract-kit lint, on recordings (cassettes)",),
    "json": ("check_request", "any kind, past the checks' limits"),
    "accept-missing": ("check_request",),
    "version-param": ("check_request",),
    "schema-version": ("check_request",),
    "quoting": ("check_request",),
    "unknown-parameter": ("check_request",),
    "query-mismatch": ("check_request",),
    "sandbox-mismatch": ("the fake",),
    "request-id": ("check_request, on a decision call",),
    "request-id-missing": ("check_request, on a decision call",),
    "request-id-reused": ("the fake",),
    "content-not-requested": ("check_decision_response, with the request",),
    "metadata-not-requested": ("check_decision_response, with the request",),
}


class RuleEntry(NamedTuple):
    """One rule id: its severity, its summary, the kinds whose checks report it, what else does."""

    rule: str
    severity: Severity
    summary: str
    kinds: tuple[str, ...]
    checked_by: tuple[str, ...]

    def applies_to(self) -> str:
        """The kinds and checks in words: ``all kinds``, ``all kinds but X``, or a list."""
        every = kinds()
        missing = [kind for kind in every if kind not in self.kinds]
        if not self.kinds:
            words = []
        elif not missing:
            words = ["all kinds"]
        elif len(missing) == 1:
            words = [f"all kinds but {missing[0]}"]
        else:
            words = [", ".join(self.kinds)]
        return "; ".join([*words, *self.checked_by])


def _schema_rules(kind: str) -> set[str]:
    """The rule ids the schema of ``kind`` can report, following its references."""
    found: set[str] = set()
    seen: set[str] = set()
    pending: list[tuple[object, str]] = [(load_schema(kind), schema_uri(kind))]
    while pending:
        node, base = pending.pop()
        for _, sub in subschemas(node):
            found.update(rule for key in sub if (rule := rule_for(key, sub)) in RULES)
            if isinstance(sub.get("x-rule"), str):
                found.add(sub["x-rule"])
            reference = sub.get("$ref")
            if isinstance(reference, str):
                target = resolve(reference, base)
                if target.location not in seen:
                    seen.add(target.location)
                    pending.append((target.schema, target.uri))
    return found


@functools.cache
def rule_index() -> tuple[RuleEntry, ...]:
    """Every rule id of the catalogue, in its order, with the kinds it applies to."""
    by_kind = {kind: _schema_rules(kind) | set(code_only_rules(kind)) for kind in kinds()}
    return tuple(
        RuleEntry(
            rule,
            severity_of(rule),
            summary,
            tuple(kind for kind, found in by_kind.items() if rule in found),
            _checked_by(rule, by_kind),
        )
        for rule, summary in RULES.items()
    )


def _checked_by(rule: str, by_kind: dict[str, set[str]]) -> tuple[str, ...]:
    """What checks ``rule`` besides the kinds: its entry, else the fake's store if no kind does."""
    if rule in _CHECKED_BY:
        return _CHECKED_BY[rule]
    reported = any(rule in found for found in by_kind.values())
    return ("the fake",) if rule in CHECKED_BY_THE_FAKE and not reported else ()
