"""What a decision did with each candidate: the record the assertions explain failures from."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["Candidate", "DecisionTrace", "PropositionTrace"]


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


class PropositionTrace(NamedTuple):
    """One proposition: its activity and placement, the collections read, every candidate.

    ``explain`` evaluates any offer as this proposition would have (caps as they stood,
    nothing counted): the answer for an offer the walk stopped before, or one outside the
    collections.
    """

    activity: str
    placement: str
    item_count: int
    collections: tuple[str, ...]
    candidates: tuple[Candidate, ...]
    fallback: str | None
    explain: Callable[[str], Candidate]

    def candidate(self, offer: str) -> Candidate:
        """What this proposition did with ``offer``, evaluated now if the walk did not reach it."""
        for candidate in self.candidates:
            if candidate.offer == offer and candidate.reason != "not-evaluated":
                return candidate
        return self.explain(offer)


class DecisionTrace(NamedTuple):
    """Every proposition of one decision, in request order, by the response's propositionId."""

    proposition_id: str
    propositions: tuple[PropositionTrace, ...]
