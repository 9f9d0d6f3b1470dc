"""One decision call from headers and body to status: the order and statuses the fake answers."""

from __future__ import annotations

import json
from typing import Any

from decisioning_library import FALLBACK, HEADERS, NOW, RULE, library, offer, request

from contract_kit.decisioning.call import answer_decision
from contract_kit.decisioning.roles import roles
from contract_kit.decisioning.selection import Caps


def _answer(lib: dict[str, Any], headers: dict[str, str], body: object, **options: Any) -> Any:
    return answer_decision(lib, headers, body, {}, Caps(), now=NOW, **options)


def test_a_good_call_is_200_with_the_response_and_its_trace() -> None:
    """The body is the decision, the trace its explanation; no findings."""
    answer = _answer(library(offer("01")), HEADERS, json.dumps(request()).encode())
    assert (answer.status, answer.violations) == (200, ())
    assert answer.body is not None
    assert answer.trace is not None
    assert answer.trace.proposition_id == answer.body["xdm:propositionId"]


def test_a_refused_header_or_body_gets_its_status() -> None:
    """415 for Content-Type, 406 for Accept, 400 for the rest; nothing is decided."""
    lib, body = library(offer("01")), request()
    assert _answer(lib, {**HEADERS, "Content-Type": "text/plain"}, body).status == 415
    assert _answer(lib, {**HEADERS, "Accept": "text/html"}, body).status == 406
    refused = _answer(lib, HEADERS, request(item_count=0))
    assert (refused.status, [v.rule for v in refused.violations]) == (400, ["item-count"])


def test_warnings_come_with_a_200() -> None:
    """A reused request id and a fallback that is not approved are served, and reported."""
    lib = library()
    lib[roles().fallback][FALLBACK]["_instance"]["xdm:status"] = "draft"
    answer = _answer(lib, HEADERS, request(), seen_request_ids={HEADERS["x-request-id"]})
    assert answer.status == 200
    assert [(v.pointer, v.rule) for v in answer.violations] == [
        ("/headers/x-request-id", "request-id-reused"),
        ("/xdm:propositionRequests/0/xdm:activityId", "fallback-not-approved"),
    ]


def test_a_library_that_cannot_answer_is_422_and_unsupported_pql_501() -> None:
    """422 names the request member; 501 says the fake cannot evaluate the rule."""
    missing = _answer(
        library(), HEADERS, request(("xcore:offer-activity:ff", "xcore:offer-placement:b1"))
    )
    assert (missing.status, [v.rule for v in missing.violations]) == (422, ["unknown-activity"])
    constraint = {
        "xdm:startDate": "2026-01-01T00:00:00Z",
        "xdm:endDate": "2026-12-31T00:00:00Z",
        "xdm:eligibilityRule": RULE,
    }
    lib = library(offer("01", **{"xdm:selectionConstraint": constraint}), rule="x.getYear() = 1")
    unsupported = _answer(lib, HEADERS, request())
    assert unsupported.status == 501
    assert unsupported.message.startswith(
        f'PQL construct "getYear" is not supported (eligibility rule {RULE}, column 3)'
    )
