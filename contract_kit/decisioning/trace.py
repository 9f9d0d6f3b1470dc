"""What a decision did with each candidate: the record the assertions explain failures from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from contract_kit.core.violation import Violation

__all__ = ["Candidate", "DecisionTrace", "PropositionTrace", "ordinal"]


class Candidate(NamedTuple):
    """One offer of the collection and why it was chosen or not.

    ``reason`` is ``chosen``, ``status:<status>``, ``not-started``, ``expired``,
    ``no-representation``, ``rule-false``, ``rule-unknown``, ``capped-global``,
    ``capped-profile``, ``duplicate`` or ``not-evaluated``; ``detail`` says it in words.
    """

    offer: str
    reason: str
    priority: float
    detail: str


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, 21st."""
    teen = 10 <= number % 100 <= 20
    suffix = "th" if teen else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


class PropositionTrace(NamedTuple):
    """One proposition: its activity and placement, the collections read, every candidate.

    ``evaluated`` holds the candidates the walk judged, in rank order; ``ranked`` the
    criteria's ranked lists (``(priority, @id, ...)`` items, shared, never copied), from
    which the rest are listed on demand as ``not-evaluated``, so a decision over 500 offers
    does not build 500 records. ``explain`` evaluates any offer as this proposition would
    have (nothing counted): the answer for an offer the walk stopped before, or one outside
    the collections.
    """

    activity: str
    placement: str
    item_count: int
    collections: tuple[str, ...]
    evaluated: tuple[Candidate, ...]
    ranked: tuple[Sequence[tuple[Any, ...]], ...]
    fallback: str | None
    explain: Callable[[str], Candidate]

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        """Every candidate in rank order: those judged, then those the walk did not reach."""
        found = list(self.evaluated)
        seen = {candidate.offer for candidate in found}
        for ranked in self.ranked:
            for priority, offer, *_ in ranked:
                if offer not in seen:
                    seen.add(offer)
                    rank = f"ranked {ordinal(len(found) + 1)} with priority {priority}"
                    found.append(Candidate(offer, "not-evaluated", priority, rank))
        return tuple(found)

    def candidate(self, offer: str) -> Candidate:
        """What this proposition did with ``offer``, evaluated now if the walk did not reach it."""
        for candidate in self.evaluated:
            if candidate.offer == offer:
                return candidate
        return self.explain(offer)


class DecisionTrace(NamedTuple):
    """Every proposition of one decision, in request order, by the response's propositionId.

    ``warnings`` are what the service serves all the same but a test may want to know (a
    fallback that is not approved), at the request's pointers.
    """

    proposition_id: str
    propositions: tuple[PropositionTrace, ...]
    warnings: tuple[Violation, ...] = ()
