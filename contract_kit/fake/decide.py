"""The fake's Decisioning runtime: ``POST .../decisions`` answered from a container's objects.

Credentials come first, as the gateway's; then the ODE form's container must be the
caller's (404 otherwise, as for the repository paths), while the ODS form, which names no
container, decides in the sandbox's own. The decision itself is
:func:`~contract_kit.decisioning.call.answer_decision`: 415, 406 and 400 for the request,
422 when the library cannot answer it, 501 for PQL the fake cannot evaluate. Its warnings
(a reused ``x-request-id``, a fallback that is not approved) join the call's violations, so
they reach the test without changing the answer.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from contract_kit.api.decision_request import REQUEST_SCHEMA, RESPONSE_SCHEMA
from contract_kit.core.headers import normalize_headers
from contract_kit.core.operations import XDM_MEDIA_TYPE
from contract_kit.core.violation import Violation
from contract_kit.decisioning.call import answer_decision
from contract_kit.decisioning.errors import UnsupportedPQLError
from contract_kit.decisioning.pql import compile_rule
from contract_kit.decisioning.roles import roles
from contract_kit.fake.error_bodies import problem, response_for_violations
from contract_kit.fake.exchange import json_response
from contract_kit.fake.handlers import container_of
from contract_kit.fake.store import DEFAULT_SANDBOX

if TYPE_CHECKING:
    import datetime as dt

    from contract_kit.api.request_check import CallCheck
    from contract_kit.decisioning.call import DecisionAnswer
    from contract_kit.fake.exchange import FakeRequest, FakeResponse
    from contract_kit.fake.options import OfferLibraryOptions
    from contract_kit.fake.store import Container, Store

__all__ = ["RESPONSE_TYPE", "decide", "decide_in", "documented_headers", "rule_findings"]

#: The Content-Type of a decision: the media type the documented Accept names.
RESPONSE_TYPE = f'{XDM_MEDIA_TYPE}; schema="{RESPONSE_SCHEMA}"'
_CREDENTIALS = ("/headers/authorization", "/headers/x-api-key", "/headers/x-gw-ims-org-id")
_TITLES = {
    415: "the Content-Type is not one the decision call takes",
    406: "the Accept header admits no media type the decision call answers with",
}


def documented_headers() -> dict[str, str]:
    """The headers a decision call sends as the docs show them, with a fresh x-request-id."""
    return {
        "Authorization": "Bearer contract-kit.fake.token",
        "x-api-key": "contract-kit",
        "x-gw-ims-org-id": "0123456789ABCDEF01234567@AdobeOrg",
        "Content-Type": f'{XDM_MEDIA_TYPE}; schema="{REQUEST_SCHEMA}"',
        "Accept": RESPONSE_TYPE,
        "x-request-id": str(uuid.uuid4()),
    }


def decide_in(
    container: Container, headers: object, body: object, *, now: dt.datetime
) -> DecisionAnswer:
    """Decide one call in ``container``, counting caps and keeping its request id and trace."""
    state = container.decisions
    answer = answer_decision(
        state.library(container.kinds, container.version),
        headers,
        body,
        state.profiles,
        state.caps,
        now=now,
        seen_request_ids=state.seen_request_ids,
        rankings=state.rankings,
    )
    request_id = _request_id(headers)
    if request_id is not None:
        state.seen_request_ids.add(request_id)
    if answer.trace is not None:
        state.keep(answer.trace)
    return answer


def _request_id(headers: object) -> str | None:
    found, _ = normalize_headers(headers)
    value = found.get("x-request-id") if found is not None else None
    return value if isinstance(value, str) else None


def decide(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> FakeResponse:
    """Answer ``POST .../decisions`` (either path form) as the Decisioning API would."""
    refused = [v for v in check.violations if v.is_error and v.pointer in _CREDENTIALS]
    if refused:
        return response_for_violations(refused)
    container: Container | None
    if "container" in check.path_params:
        container, missing = container_of(store, options, check, request)
        if missing is not None:
            return missing
    else:
        container = store.sandbox(request.header("x-sandbox-name") or DEFAULT_SANDBOX)
        container = container or store.default
    answer = decide_in(container, request.headers, request.body or None, now=store.clock())
    known = {(v.pointer, v.rule) for v in check.violations}
    check.violations.extend(v for v in answer.violations if (v.pointer, v.rule) not in known)
    if answer.status == 200:
        return json_response(200, answer.body, RESPONSE_TYPE)
    return problem(answer.status, _detail(answer), violations=answer.violations)


def _detail(answer: DecisionAnswer) -> str:
    if answer.message:
        return answer.message
    if answer.status in _TITLES:
        return _TITLES[answer.status]
    if not answer.violations:
        return "the decision request breaks its contract"
    first = answer.violations[0]
    return f"the decision request breaks its contract; first: {first.pointer}: {first.message}"


def rule_findings(check: CallCheck) -> list[Violation]:
    """``pql-unsupported`` for a stored rule whose PQL the fake's decisions cannot evaluate.

    The service takes any PQL; the fake evaluates a subset, so the create or PUT succeeds
    and the warning says which construct a decision using the rule will refuse (501).
    """
    if check.kind is None or check.kind.name != roles().rule or not isinstance(check.body, dict):
        return []
    envelope = isinstance(check.body.get("_instance"), dict)
    instance = check.body["_instance"] if envelope else check.body
    for member, value in (("xdm:condition", "xdm:value"), ("condition", "value")):
        condition = instance.get(member)
        if isinstance(condition, dict) and isinstance(condition.get(value), str):
            try:
                compile_rule(condition[value])
            except UnsupportedPQLError as error:
                named = error.naming(instance["@id"]) if "@id" in instance else error
                where = f"/body{'/_instance' if envelope else ''}/{member}/{value}"
                return [Violation(where, str(named), "pql-unsupported")]
            return []
    return []
