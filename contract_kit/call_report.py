"""One failure text for calls that broke the contract, whoever saw them (the fake, a replay)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from contract_kit.assertions import ContractViolation
from contract_kit.violation import display_pointer

if TYPE_CHECKING:
    from collections.abc import Sequence

    from contract_kit.violation import Violation

__all__ = ["broken_calls_failure"]

_HINT = (
    "Hint: fix the client code that sends these requests. A test that sends them on purpose "
    "opts out with @pytest.mark.offer_library(allow_violations=True) or "
    "offer_library.allow_violations()."
)


def broken_calls_failure(
    calls: Sequence[tuple[str, Sequence[Violation]]], hint: str = _HINT
) -> ContractViolation | None:
    """The failure for ``(request line, violations)`` pairs, or None if none broke the contract."""
    broken = [(line, found) for line, found in calls if found]
    if not broken:
        return None
    count = f"{len(broken)} request{'s' * (len(broken) != 1)}"
    lines = []
    for line, found in broken:
        lines.append(f"- {line}")
        lines.extend(f"  - {display_pointer(v.pointer)}: {v.message} [{v.rule}]" for v in found)
    headline = f"the client broke the Offer Library contract in {count}:"
    return ContractViolation(headline, [v for _, found in broken for v in found], hint, lines)
