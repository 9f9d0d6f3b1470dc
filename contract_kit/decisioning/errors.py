"""The error a decision raises when an eligibility rule goes beyond what the fake evaluates."""

from __future__ import annotations

__all__ = ["SUBSET", "UnsupportedPQLError"]

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
