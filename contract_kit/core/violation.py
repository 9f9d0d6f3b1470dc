"""One finding of the contract checks, and the JSON pointers that say where it is."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from contract_kit.core.rule_catalogue import WARNINGS, severity_of

if TYPE_CHECKING:
    from collections.abc import Iterable

    from contract_kit.core.rule_catalogue import Severity

__all__ = [
    "Violation",
    "escape_token",
    "join_pointer",
    "order_key",
    "sort_violations",
    "split_pointer",
]


class Violation(NamedTuple):
    """A place in the checked instance, what is wrong there, and the rule that says so.

    ``pointer`` is an RFC 6901 JSON pointer into the instance (``""`` is the whole instance);
    ``message`` is one sentence a person can act on, with secrets masked; ``rule`` is a stable
    rule id (see ``contract_kit.rules()``) that users may select or ignore.

    A named tuple, so ``pointer, message, rule = violation`` works; it is one rather than a
    dataclass because importing :mod:`dataclasses` costs a one-file lint about 9 ms.
    """

    pointer: str
    message: str
    rule: str

    @property
    def severity(self) -> Severity:
        """``error`` (the service refuses it) or ``warning`` (it takes it), from the rule id."""
        return severity_of(self.rule)

    @property
    def is_error(self) -> bool:
        """Whether the service refuses what this violation reports."""
        return self.rule not in WARNINGS

    def __str__(self) -> str:
        return f"{display_pointer(self.pointer)}: {self.message} [{self.rule}]"

    def under(self, prefix: str) -> Violation:
        """Return this violation with its pointer moved under ``prefix`` (e.g. ``/body``)."""
        return Violation(prefix + self.pointer, self.message, self.rule)


def escape_token(token: str | int) -> str:
    """Escape one reference token as RFC 6901 says (``~`` then ``/``)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(tokens: Iterable[str | int]) -> str:
    """Build a JSON pointer from its reference tokens."""
    parts = [token if type(token) is str else str(token) for token in tokens]
    if not parts:
        return ""
    joined = "/".join(parts)
    # Most tokens hold neither "~" nor "/": then the tokens joined need no escaping.
    if "~" in joined or joined.count("/") != len(parts) - 1:
        return "".join("/" + escape_token(token) for token in parts)
    return "/" + joined


def split_pointer(pointer: str) -> list[str]:
    """Split a JSON pointer into its unescaped reference tokens."""
    if not pointer:
        return []
    if "~" not in pointer:  # nothing escaped: most pointers
        return pointer[1:].split("/")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def display_pointer(pointer: str) -> str:
    """Show a pointer to a person: the empty pointer (the whole instance) reads ``(root)``."""
    return pointer or "(root)"


def is_index(token: str) -> bool:
    """Whether a pointer token can be an array index.

    Only ASCII digits can: ``"²"`` is a digit to ``str.isdigit`` but a member name to JSON
    Pointer (and to ``int``, which refuses it).
    """
    return token.isascii() and token.isdigit()


def order_key(pointer: str, rule: str) -> tuple[tuple[tuple[int, int, str], ...], str]:
    """Where a violation at ``pointer`` of ``rule`` sorts, before its message is known."""
    tokens = [
        (0, int(t), "") if t.isascii() and t.isdigit() else (1, 0, t)  # is_index, inlined
        for t in split_pointer(pointer)
    ]
    return tuple(tokens), rule


def _order_key(violation: Violation) -> tuple[tuple[tuple[tuple[int, int, str], ...], str], str]:
    return order_key(violation.pointer, violation.rule), violation.message


def sort_violations(violations: Iterable[Violation]) -> list[Violation]:
    """Drop repeats and order by pointer (array indices numerically), then rule id, then message.

    This is the documented, stable order of ``contract_kit.violations``: it does not depend on
    the order in which the checks ran.
    """
    unique = set(violations)
    if len(unique) < 2:  # nothing to order
        return list(unique)
    return sorted(unique, key=_order_key)
