"""Assertions for tests: a failure names every violation, its place and its rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from contract_kit.checks import violations
from contract_kit.violation import display_pointer

if TYPE_CHECKING:
    from collections.abc import Sequence

    from contract_kit.violation import Violation

__all__ = ["ContractViolation", "assert_valid"]

#: Bullets shown before the rest are summed up as "and N more".
MAX_SHOWN = 10
_HINT = (
    "Hint: each line is a JSON pointer into the checked value, what is wrong there and, in "
    "brackets, the rule id; contract_kit.violations(kind, value) returns the same list as data."
)


class ContractViolation(AssertionError):  # noqa: N818 - an assertion failure, named as one
    """Raised by the assertion helpers when a value breaks the contract.

    Its text is a headline, one ``- <pointer>: <message> [rule]`` line per violation (at most
    ``MAX_SHOWN``, then "and N more"), a blank line and a hint; it does not depend on pytest's
    assertion rewriting. ``violations`` holds them all.
    """

    def __init__(self, headline: str, violations: Sequence[Violation], hint: str = _HINT) -> None:
        self.headline = headline
        self.violations = list(violations)
        self.hint = hint
        super().__init__(self._text())

    def _text(self) -> str:
        lines = [self.headline]
        shown = self.violations[:MAX_SHOWN]
        lines.extend(f"- {display_pointer(v.pointer)}: {v.message} [{v.rule}]" for v in shown)
        if len(self.violations) > MAX_SHOWN:
            lines.append(f"- and {len(self.violations) - MAX_SHOWN} more")
        return "\n".join([*lines, "", self.hint])


def assert_valid(kind: str, instance: object) -> None:
    """Raise :class:`ContractViolation` listing every violation if ``instance`` breaks ``kind``."""
    __tracebackhide__ = True
    found = violations(kind, instance)
    if found:
        count = f"{len(found)} violation{'s' * (len(found) != 1)}"
        raise ContractViolation(f"{kind} breaks the contract ({count}):", found)
