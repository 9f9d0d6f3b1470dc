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
    "warnings_report",
]

#: Bullets shown before the rest are summed up as "and N more".
MAX_SHOWN = 10
_HINT = (
    "Hint: each line is a JSON pointer into the checked value, what is wrong there and, in "
    "brackets, the rule id; contract_kit.violations(kind, value) returns the same list as data."
)
_STRICT_HINT = (
    " A (warning) is what the service takes: it fails here because strict=True was given; "
    "leave strict out to let warnings pass."
)


def bullet(violation: Violation) -> str:
    """One violation as a message's bullet shows it (no dash): a warning is marked as one."""
    mark = "" if violation.is_error else " (warning)"
    return f"{display_pointer(violation.pointer)}: {violation.message} [{violation.rule}]{mark}"


def failing(found: Sequence[Violation], *, strict: bool) -> list[Violation]:
    """The violations that fail a check: the errors, and the warnings too when ``strict``."""
    return list(found) if strict else [v for v in found if v.is_error]


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
        bullets = [f"- {bullet(v)}" for v in shown]
        if len(self.violations) > MAX_SHOWN:
            bullets.append(f"- and {len(self.violations) - MAX_SHOWN} more")
        return bullets


def _counted(found: Sequence[Violation]) -> str:
    """``2 violations`` or, when some are warnings, ``1 error, 1 warning``."""
    warnings = sum(not v.is_error for v in found)
    if not warnings:
        return plural(len(found), "violation")
    errors = len(found) - warnings
    return ", ".join([*([plural(errors, "error")] if errors else []), plural(warnings, "warning")])


def _failure(headline: str, found: Sequence[Violation]) -> ContractViolation:
    hint = _HINT + (_STRICT_HINT if any(not v.is_error for v in found) else "")
    return ContractViolation(f"{headline} ({_counted(found)}):", found, hint)


def assert_valid(kind: str, instance: object, *, strict: bool = False) -> None:
    """Raise :class:`ContractViolation` listing every error if ``instance`` breaks ``kind``.

    Warnings (what the service takes although the docs show otherwise) pass, unless
    ``strict``: then they fail too, each marked ``(warning)``.
    """
    __tracebackhide__ = True
    found = failing(violations(kind, instance), strict=strict)
    if found:
        raise _failure(f"{kind} breaks the contract", found)


def _request_parts(request: object) -> tuple[object, object, object, object]:
    return (
        getattr(request, "method", None),
        str(getattr(request, "url", "")),
        getattr(request, "headers", None),
        getattr(request, "body", None)
        if hasattr(request, "body")
        else getattr(request, "content", None),
    )


def assert_request_valid(request: object, *, strict: bool = False) -> None:
    """Raise :class:`ContractViolation` if a request breaks the contract of its operation.

    ``request`` is a ``requests.PreparedRequest``, an ``httpx.Request``, or anything with
    ``method``, ``url``, ``headers`` and ``body`` (or ``content``). Warnings fail only when
    ``strict``, as in :func:`assert_valid`.
    """
    __tracebackhide__ = True
    from urllib.parse import urlsplit

    from contract_kit.api.request_check import check_request

    method, url, headers, body = _request_parts(request)
    found = check_request(method, url, headers, body)  # type: ignore[arg-type]
    found = failing(found, strict=strict)
    if found:
        try:
            path = urlsplit(str(url)).path
        except ValueError:  # a URL that cannot be split: check_request said so at /path
            path = str(url)
        raise _failure(f"{method} {path} breaks the contract", found)


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
    found = failing(found, strict=False)
    if found:
        count = plural(len(found), "violation")
        raise ContractViolation(f"the response is not a valid receipt ({count}):", found)


_CALLS_HINT = (
    "Hint: fix the client code that sends these requests. A test that sends them on purpose "
    "opts out with @pytest.mark.offer_library(allow_violations=True) or "
    "offer_library.allow_violations()."
)
#: Added to a hint when warnings fail the calls: how to turn strict mode off.
STRICT_CALLS_HINT = (
    "A (warning) is a call the service takes: it fails the test because strict mode is on; "
    "turn it off with @pytest.mark.offer_library(strict=False), or leave out "
    "--offer-library-strict and offer_library_strict = true."
)


def broken_calls_failure(
    calls: Sequence[tuple[str, Sequence[Violation]]],
    hint: str = _CALLS_HINT,
    *,
    strict: bool = False,
    strict_hint: str = STRICT_CALLS_HINT,
) -> ContractViolation | None:
    """The failure for ``(request line, violations)`` pairs, or None if none broke the contract.

    Only errors fail the calls, and warnings too when ``strict``; ``strict_hint`` then follows
    ``hint`` if a warning is shown.
    """
    broken = [(line, shown) for line, found in calls if (shown := failing(found, strict=strict))]
    if not broken:
        return None
    count = plural(len(broken), "request")
    lines = []
    for line, found in broken:
        lines.append(f"- {line}")
        lines.extend(f"  - {bullet(v)}" for v in found)
    shown = [v for _, found in broken for v in found]
    if any(not v.is_error for v in shown):
        hint = f"{hint} {strict_hint}"
    if all(not v.is_error for v in shown):
        headline = f"strict mode: the client drew Offer Library contract warnings in {count}:"
    else:
        headline = f"the client broke the Offer Library contract in {count}:"
    return ContractViolation(headline, shown, hint, lines)


def warnings_report(calls: Sequence[tuple[str, Sequence[Violation]]]) -> list[str]:
    """The bullets of the warnings among ``(request line, violations)``: one call, then its own."""
    lines = []
    for line, found in calls:
        warned = [v for v in found if not v.is_error]
        if warned:
            lines.append(f"- {line}")
            lines.extend(f"  - {bullet(v)}" for v in warned)
    return lines
