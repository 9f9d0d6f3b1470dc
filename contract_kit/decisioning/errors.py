"""The errors a decision raises: a rule beyond the PQL subset, a library that cannot answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contract_kit.core.violation import Violation

__all__ = ["SUBSET", "DecisionContractError", "DecisionError", "UnsupportedPQLError"]

#: What the fake evaluates, said in every refusal so the reader knows what to write instead.
SUBSET = (
    "the fake evaluates comparisons, equals/notEqualTo/contains/doesNotContain/startsWith/"
    "doesNotStartWith/endsWith/doesNotEndWith, isNull/isNotNull, in [...], and/or/not, "
    "numbers, strings, booleans and date(y, m, d)"
)


class UnsupportedPQLError(ValueError):
    """An eligibility rule uses PQL the fake cannot evaluate, so it refuses to guess.

    The real service evaluates all of PQL; the fake evaluates a documented subset. Rewrite the
    rule within the subset for the test, or leave the rule out of the offer.
    """

    def __init__(
        self, construct: str, column: int, rule: str | None = None, *, unreadable: bool = False
    ) -> None:
        self.construct = construct
        self.column = column
        self.rule = rule
        self.unreadable = unreadable
        where = f"eligibility rule {rule}, column {column}" if rule else f"column {column}"
        headline = (
            f"PQL rule cannot be read: {construct}"
            if unreadable
            else f"PQL construct {construct} is not supported"
        )
        super().__init__(f"{headline} ({where}); {SUBSET}")

    def naming(self, rule: str) -> UnsupportedPQLError:
        """The same refusal, naming the rule it was found in."""
        return UnsupportedPQLError(self.construct, self.column, rule, unreadable=self.unreadable)


class DecisionError(ValueError):
    """The stored library cannot answer this decision request (the service's 422).

    An unknown or non-live activity, an unknown placement or one the activity does not use,
    or no offer qualifying while the activity's fallback cannot be served for the placement.
    ``violations`` says which, at the request's pointers; fix the library or the request.
    """

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        lines = [f"- {violation}" for violation in violations]
        super().__init__("\n".join(["the library cannot answer this decision request", *lines]))


class DecisionContractError(RuntimeError):
    """The fake's own decision response breaks the decision-response contract.

    A bug in contract_kit, never in the test: please report it with the violations listed.
    """

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        lines = [f"- {violation}" for violation in violations]
        super().__init__("\n".join(["the fake's decision breaks its own contract", *lines]))
