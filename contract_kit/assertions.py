"""Assertions for tests: a failure names every violation, its place and its rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from contract_kit.core.checks import violations
from contract_kit.core.messages import plural
from contract_kit.core.violation import display_pointer

if TYPE_CHECKING:
    from collections.abc import Sequence

    from contract_kit.core.violation import Violation

__all__ = [
    "ContractViolation",
    "assert_receipt",
    "assert_request_valid",
    "assert_valid",
    "broken_calls_failure",
]

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

    def __init__(
        self,
        headline: str,
        violations: Sequence[Violation],
        hint: str = _HINT,
        lines: Sequence[str] | None = None,
    ) -> None:
        self.headline = headline
        self.violations = list(violations)
        self.hint = hint
        bullets = list(lines) if lines is not None else self._bullets()
        super().__init__("\n".join([headline, *bullets, "", hint]))

    def _bullets(self) -> list[str]:
        shown = self.violations[:MAX_SHOWN]
        bullets = [f"- {display_pointer(v.pointer)}: {v.message} [{v.rule}]" for v in shown]
        if len(self.violations) > MAX_SHOWN:
            bullets.append(f"- and {len(self.violations) - MAX_SHOWN} more")
        return bullets


def assert_valid(kind: str, instance: object) -> None:
    """Raise :class:`ContractViolation` listing every violation if ``instance`` breaks ``kind``."""
    __tracebackhide__ = True
    found = violations(kind, instance)
    if found:
        count = plural(len(found), "violation")
        raise ContractViolation(f"{kind} breaks the contract ({count}):", found)


def _request_parts(request: object) -> tuple[object, object, object, object]:
    return (
        getattr(request, "method", None),
        str(getattr(request, "url", "")),
        getattr(request, "headers", None),
        getattr(request, "body", None)
        if hasattr(request, "body")
        else getattr(request, "content", None),
    )


def assert_request_valid(request: object) -> None:
    """Raise :class:`ContractViolation` if a request breaks the contract of its operation.

    ``request`` is a ``requests.PreparedRequest``, an ``httpx.Request``, or anything with
    ``method``, ``url``, ``headers`` and ``body`` (or ``content``).
    """
    __tracebackhide__ = True
    from urllib.parse import urlsplit

    from contract_kit.api.request_check import check_request

    method, url, headers, body = _request_parts(request)
    found = check_request(method, url, headers, body)  # type: ignore[arg-type]
    if found:
        count = plural(len(found), "violation")
        raise ContractViolation(
            f"{method} {urlsplit(str(url)).path} breaks the contract ({count}):", found
        )


def assert_receipt(response: object) -> None:
    """Raise :class:`ContractViolation` unless ``response`` is a receipt of a successful write.

    ``response`` is a ``requests.Response``, an ``httpx.Response`` (status, Content-Type and
    JSON body are checked) or an already parsed body.
    """
    __tracebackhide__ = True
    from collections.abc import Mapping

    from contract_kit.api.request_check import parse_json_body
    from contract_kit.core.media_types import MediaTypeError, parse_media_type
    from contract_kit.core.operations import RECEIPT_MEDIA_TYPE
    from contract_kit.core.violation import Violation

    if isinstance(response, Mapping):
        found = violations("receipt", response)
    else:
        found = []
        status = getattr(response, "status_code", None)
        if not (isinstance(status, int) and 200 <= status < 300):
            message = f"a receipt comes with a successful status (200 or 201), got {status}"
            found.append(Violation("/status", message, "response-status"))
        content_type = (getattr(response, "headers", None) or {}).get("Content-Type", "")
        try:
            essence = parse_media_type(content_type).essence
        except MediaTypeError:
            essence = content_type
        if essence != RECEIPT_MEDIA_TYPE:
            message = (
                f'Content-Type "{content_type}" is not the receipt media type {RECEIPT_MEDIA_TYPE}'
            )
            found.append(Violation("/headers/content-type", message, "content-type"))
        body, problems = parse_json_body(getattr(response, "content", b""))
        found.extend(problems or (v.under("/body") for v in violations("receipt", body)))
    if found:
        count = plural(len(found), "violation")
        raise ContractViolation(f"the response is not a valid receipt ({count}):", found)


_CALLS_HINT = (
    "Hint: fix the client code that sends these requests. A test that sends them on purpose "
    "opts out with @pytest.mark.offer_library(allow_violations=True) or "
    "offer_library.allow_violations()."
)


def broken_calls_failure(
    calls: Sequence[tuple[str, Sequence[Violation]]], hint: str = _CALLS_HINT
) -> ContractViolation | None:
    """The failure for ``(request line, violations)`` pairs, or None if none broke the contract."""
    broken = [(line, found) for line, found in calls if found]
    if not broken:
        return None
    count = plural(len(broken), "request")
    lines = []
    for line, found in broken:
        lines.append(f"- {line}")
        lines.extend(f"  - {display_pointer(v.pointer)}: {v.message} [{v.rule}]" for v in found)
    headline = f"the client broke the Offer Library contract in {count}:"
    return ContractViolation(headline, [v for _, found in broken for v in found], hint, lines)
