"""Replay a cassette through ``responses``, as strict about every call as the fake.

For each request the client makes, :func:`replay_cassette` first checks it against the
contract of its operation, as the fake does, then finds the recorded exchange it is (method,
URL, body and the headers that change the answer) and checks the recorded answer against the
response schemas before handing it back. A request that breaks the contract fails naming each
rule it breaks, whether or not the cassette holds it (a recording made against the service
does not make a wrong request right); ``allow_violations=True`` lets a test send such requests
on purpose and get their recorded answers. A request the recording does not hold fails with
the closest exchange and what differs; a recording whose answers the contract no longer
accepts fails saying so.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from contract_kit.assertions import ContractViolation, broken_calls_failure
from contract_kit.cassettes.cassette import CassetteError, load_cassette
from contract_kit.cassettes.exchange import Exchange, as_bytes
from contract_kit.cassettes.exchange_matching import describe_difference, find_match
from contract_kit.cassettes.redaction import Redactions, masked, redacted
from contract_kit.core.messages import plural
from contract_kit.core.violation import Violation

if TYPE_CHECKING:
    from collections.abc import Iterator

    import responses

    from contract_kit.cassettes.cassette import CassettePath


__all__ = ["Replay", "ReplayMismatch", "missing_cassette", "replay_cassette"]

_RERECORD = (
    "Hint: record the cassette again against the service (pytest --contract-record=all), "
    "or, if the contract changed on purpose, fix the recording."
)
_BROKEN_HINT = (
    "Hint: fix the client code that sends these requests. A test that sends them on purpose "
    "opts out with @pytest.mark.contract_cassette(..., allow_violations=True) or "
    "replay_cassette(..., allow_violations=True), and gets their recorded answers."
)
_STRICT_HINT = (
    "A (warning) is a call the service takes: it fails because fail_on_warnings is on; turn "
    "it off with @pytest.mark.contract_cassette(..., fail_on_warnings=False), or leave out "
    "--offer-library-strict and offer_library_strict = true."
)
_RECORD_IT = "contract_kit.record_cassette(path) around the same calls, against the service"


class ReplayMismatch(AssertionError):  # noqa: N818 - an assertion failure, named as one
    """A request the cassette does not hold; the message shows the closest recorded one."""


@dataclass
class Replay:
    """A cassette being replayed: its exchanges, which were used, and what went wrong."""

    path: Path
    exchanges: list[Exchange]
    strict: bool = False
    redactions: Redactions = field(default_factory=Redactions)
    allow_violations: bool = False
    used: list[bool] = field(default_factory=list)
    calls: list[tuple[str, list[Violation]]] = field(default_factory=list)
    problems: list[AssertionError] = field(default_factory=list)
    #: Fail on calls with warnings too (what the service takes although the docs differ).
    fail_on_warnings: bool = False

    def answer(self, request: Any) -> Any:
        """The recorded answer to ``request`` (a PreparedRequest), checked both ways.

        Every message about the request masks its secrets: it shows the request redacted, and
        any copy of a secret left in the text is scrubbed.
        """
        from contract_kit.api.request_check import check_call
        from contract_kit.cassettes.recording import live_exchange

        live = live_exchange(request)
        [shown] = redacted([live], self.redactions)
        check = check_call(live.method, live.url, live.request_headers, live.request_body or None)
        parts = urlsplit(shown.url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        found = [
            Violation(v.pointer, masked(v.message, live, self.redactions), v.rule)
            for v in check.violations
        ]
        self.calls.append((f"{live.method} {target}", found))
        index = find_match(self.exchanges, self.used, shown)
        failing = found if self.fail_on_warnings else [v for v in found if v.is_error]
        broken = self.broken_calls() if failing else None
        if index is None and broken is not None:
            # The rule broken is the story; that no recording holds the request is a consequence.
            self.problems.append(broken)
            return broken
        if index is None:
            difference = describe_difference(self.exchanges, self.used, shown)
            message = (
                f"{self.path.name} holds no recording of {live.method} {shown.url}; {difference}"
                "\n\nHint: if the client's request changed on purpose, record the cassette "
                "again (pytest --contract-record=new-episodes)."
            )
            problem = ReplayMismatch(masked(message, live, self.redactions))
            self.problems.append(problem)
            return problem
        self.used[index] = True
        exchange = self.exchanges[index]
        stale = _stale_answer(exchange, check.operation.name if check.operation else None, index)
        if stale is not None:
            self.problems.append(stale)
            return stale
        headers = list(exchange.response_headers.items())
        if exchange.content_type:
            headers.append(("Content-Type", exchange.content_type))
        return exchange.status, headers, as_bytes(exchange.response_body)

    def broken_calls(self) -> ContractViolation | None:
        """The fake's report of the calls so far that broke the contract, or None."""
        if self.allow_violations:
            return None
        return broken_calls_failure(
            self.calls, _BROKEN_HINT, strict=self.fail_on_warnings, strict_hint=_STRICT_HINT
        )

    def failure(self) -> AssertionError | None:
        """What should fail the test: broken calls first, then a problem, then unused ones."""
        broken = self.broken_calls()
        if broken is not None:
            return broken
        if self.problems:
            return self.problems[0]
        unused = [i for i, used in enumerate(self.used) if not used]
        if self.strict and unused:
            lines = [f"- exchange {i + 1}: {_label(self.exchanges[i])}" for i in unused]
            count = plural(len(unused), "recorded exchange")
            hint = (
                "Hint: the client no longer makes these calls; record the cassette again, "
                "or drop strict=True."
            )
            return ContractViolation(
                f"{count} of {self.path.name} were not replayed:", [], hint, lines
            )
        return None


def _stale_answer(
    exchange: Exchange, operation: str | None, index: int
) -> ContractViolation | None:
    from contract_kit.api.request_check import parse_json_body
    from contract_kit.core.checks import violations
    from contract_kit.core.operations import answer_kind, checks_answer

    if not exchange.response_body or not checks_answer(operation, exchange.status):
        return None
    body, problems = parse_json_body(exchange.response_body)
    # A read answers an instance of any stored kind: its body tells which.
    kind = answer_kind(operation, exchange.status, body)
    # A recorded answer is what the service sent: only an error makes it stale.
    if not problems and kind is not None:
        problems = [v for v in violations(kind, body) if v.is_error]
    found = problems
    if not found:
        return None
    label = f"exchange {index + 1} ({_label(exchange)} → {exchange.status})"
    what = kind or "answer"
    headline = f"recorded response no longer matches the contract: {label} is not a valid {what}:"
    return ContractViolation(headline, found, _RERECORD)


def _label(exchange: Exchange) -> str:
    return f"{exchange.method} {urlsplit(exchange.url).path}"


def missing_cassette(path: Path, recorded_by: str | None = None) -> CassetteError:
    """The one error for a cassette that is not there, with how to record it."""
    how = recorded_by or _RECORD_IT
    return CassetteError(
        f"{path.name} does not exist, so there is nothing to replay:\n"
        f"- {path}: no such file\n\n"
        f"Hint: record it with {how}; or give the path of an existing cassette."
    )


@contextmanager
def replay_cassette(  # noqa: PLR0913 - keyword options of one replay
    path: CassettePath,
    *,
    strict: bool = False,
    allow_violations: bool = False,
    fail_on_warnings: bool = False,
    redactions: Redactions | None = None,
    mock: responses.RequestsMock | None = None,
    raise_at_exit: bool = True,
    recorded_by: str | None = None,
) -> Iterator[Replay]:
    """Answer the block's requests and httpx calls from the cassette at ``path``; check them all.

    At the end, raise the first problem: requests that broke the contract (unless
    ``allow_violations``; requests with warnings only when ``fail_on_warnings``), a request
    the cassette does not hold, a recorded answer the contract rejects, or (``strict``)
    recorded exchanges the client never asked for.
    ``raise_at_exit=False`` leaves that to the caller (``Replay.failure()``), as the pytest
    plugin does to fail the test itself. ``recorded_by`` is the command a missing cassette's
    error names to record it (the plugin gives its ``pytest --contract-record=once`` line).
    """
    from contract_kit.interception.httpx_mock import serving_installed_httpx
    from contract_kit.interception.responses_mock import AnyMethod, registered

    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise missing_cassette(path, recorded_by)
    replay = Replay(path, load_cassette(path), strict, redactions or Redactions(), allow_violations)
    replay.fail_on_warnings = fail_on_warnings
    replay.used = [False] * len(replay.exchanges)
    with (
        registered(mock, AnyMethod(re.compile(".*"), replay.answer)),
        serving_installed_httpx(replay.answer),
    ):
        yield replay
    failure = replay.failure() if raise_at_exit else None
    if failure is not None:
        raise failure
