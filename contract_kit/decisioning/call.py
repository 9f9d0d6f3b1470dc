"""One decision call from headers and body to status and answer: what the fake's handler runs.

The order is the service's: the request is checked (415 for a Content-Type the call does
not take, 406 for an Accept that cannot be met, 400 for anything else the contract
refuses), then decided (422 when the library cannot answer, 501 when a rule is PQL the fake
cannot evaluate: "the fake cannot do this", not "your request is wrong"). Credentials are
the gateway's, which the fake answers before calling this.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from contract_kit.api.decision_request import check_decision_request
from contract_kit.api.json_body import parse_json_body
from contract_kit.core.rule_catalogue import severity_of
from contract_kit.decisioning.errors import DecisionError, UnsupportedPQLError
from contract_kit.decisioning.selection import propose

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Container, Mapping

    from contract_kit.core.violation import Violation
    from contract_kit.decisioning.selection import Caps, Rankings
    from contract_kit.decisioning.trace import DecisionTrace

__all__ = ["DecisionAnswer", "answer_decision", "is_warning"]

#: The status a refused header earns, by its pointer and rule; any other refusal is 400.
_HEADER_STATUS = {
    ("/headers/content-type", "content-type"): 415,
    ("/headers/accept", "accept"): 406,
}


class DecisionAnswer(NamedTuple):
    """What to answer: the status, the body of a 200, the trace, and the findings.

    ``violations`` are the errors behind a refusal, or the warnings of a 200 (a reused
    request id, a fallback that is not approved). ``message`` is the sentence for a 422 or a
    501 problem body.
    """

    status: int
    body: dict[str, Any] | None
    trace: DecisionTrace | None
    violations: tuple[Violation, ...]
    message: str = ""


def is_warning(violation: Violation) -> bool:
    """Whether the service takes what ``violation`` reports (its rule's catalogue severity)."""
    return severity_of(violation.rule) == "warning"


def answer_decision(  # noqa: PLR0913 - the library, the call and the decision's state
    library: Mapping[str, Mapping[str, Mapping[str, Any]]],
    headers: object,
    body: object,
    profiles: Mapping[tuple[str, str], Mapping[str, Any]],
    caps: Caps,
    *,
    now: dt.datetime,
    seen_request_ids: Container[str] = (),
    rankings: Rankings | None = None,
    proposition_id: str | None = None,
) -> DecisionAnswer:
    """Check and decide one ``POST .../decisions`` call (either path form)."""
    found = check_decision_request(headers, body, seen_request_ids=seen_request_ids)
    errors = tuple(v for v in found if not is_warning(v))
    if errors:
        statuses = [_HEADER_STATUS.get((v.pointer, v.rule), 400) for v in errors]
        status = next((s for s in statuses if s != 400), 400)
        return DecisionAnswer(status, None, None, errors)
    warnings = tuple(found)
    parsed, _ = parse_json_body(body)
    try:
        response, trace = propose(
            library, parsed, profiles, caps,
            now=now, proposition_id=proposition_id, rankings=rankings,
        )  # fmt: skip
    except DecisionError as error:
        return DecisionAnswer(422, None, None, tuple(error.violations), str(error))
    except UnsupportedPQLError as error:
        return DecisionAnswer(501, None, None, warnings, str(error))
    return DecisionAnswer(200, response, trace, warnings + trace.warnings)
