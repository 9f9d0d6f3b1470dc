"""The decision response check: options xor fallback, own scopes, only what was asked for."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from decisioning_library import ACTIVITY, NOW, PLACEMENT, library, offer, request

from contract_kit.decisioning.response_check import check_decision_response
from contract_kit.decisioning.selection import Caps, propose

CASES = Path(__file__).parent / "cases" / "decision-response"


def _case(state: str, name: str) -> Any:
    return json.loads((CASES / state / f"{name}.json").read_text("utf-8"))


def _found(response: object, body: object = None) -> list[str]:
    return [str(v) for v in check_decision_response(response, body)]


def test_the_fake_answer_passes_with_its_request() -> None:
    """What propose() answers, content and metadata included, meets every rule."""
    form = {
        "xdm:includeContent": True,
        "xdm:includeMetadata": {"xdm:option": ["name"], "xdm:activity": ["name"]},
    }
    body = request(item_count=2, extra={"xdm:responseFormat": form})
    response, _ = propose(library(offer("01"), offer("02")), body, {}, Caps(), now=NOW)
    assert _found(response, body) == []


def test_both_options_and_fallback_is_worded_for_the_reader() -> None:
    """The schema's anyOf comes back as the sentence of the Swagger's rule."""
    case = _case("invalid", "options-and-fallback")
    message = (
        "/xdm:propositions/0: a proposition has either xdm:options or xdm:fallback, never both "
        "nor neither [options-or-fallback]"
    )
    assert _found(case["instance"]) == [message]


def test_the_swagger_example_copies_its_first_scope() -> None:
    """The published example's second scope names the first proposition's placement."""
    case = _case("invalid", "swagger-example-copied-scope")
    assert [[v.pointer, v.rule] for v in check_decision_response(case["instance"])] == case[
        "violations"
    ]
    message = (
        "/xdm:propositions/1/xdm:scope: xdm:scope names activity xcore:activity:ffed0123 and "
        "placement xcore:placement:ffed0456, not this proposition's xcore:activity:ffed0123 "
        "and xcore:placement:ffed0789 [scope]"
    )
    assert _found(case["instance"]) == [message]


def test_responses_without_scope_pass() -> None:
    """OD's and AJO's examples send no xdm:scope; only a scope that is sent is checked."""
    assert _found(_case("valid", "od-example-without-scope")) == []
    assert _found(_case("valid", "swagger-example-own-scopes")) == []


def test_content_and_metadata_need_the_request_to_ask() -> None:
    """Without includeContent and includeMetadata an option is exactly xdm:id and repo:etag."""
    response = copy.deepcopy(_case("valid", "swagger-example-own-scopes"))
    response["xdm:propositions"][0]["xdm:options"][0]["xdm:name"] = "Offer"
    body = request((ACTIVITY, PLACEMENT), (ACTIVITY, PLACEMENT), item_count=1)
    assert _found(response, body) == [
        "/xdm:propositions/0/xdm:options: 2 options where the request's xdm:itemCount is 1 [item-count]",
        "/xdm:propositions/0/xdm:options/0/@type: @type is content, which the request did not ask for (xdm:includeContent is not true) [content-not-requested]",
        "/xdm:propositions/0/xdm:options/0/xdm:content: xdm:content is content, which the request did not ask for (xdm:includeContent is not true) [content-not-requested]",
        '/xdm:propositions/0/xdm:options/0/xdm:name: xdm:name is metadata the request did not ask for (add "name" to xdm:includeMetadata.xdm:option) [metadata-not-requested]',
        "/xdm:propositions/0/xdm:options/1/@type: @type is content, which the request did not ask for (xdm:includeContent is not true) [content-not-requested]",
        "/xdm:propositions/0/xdm:options/1/xdm:content: xdm:content is content, which the request did not ask for (xdm:includeContent is not true) [content-not-requested]",
        "/xdm:propositions/1/xdm:fallback/@type: @type is content, which the request did not ask for (xdm:includeContent is not true) [content-not-requested]",
        "/xdm:propositions/1/xdm:fallback/dc:format: dc:format is content, which the request did not ask for (xdm:includeContent is not true) [content-not-requested]",
        "/xdm:propositions/1/xdm:fallback/xdm:content: xdm:content is content, which the request did not ask for (xdm:includeContent is not true) [content-not-requested]",
        "/xdm:propositions/1/xdm:fallback/xdm:deliveryURL: xdm:deliveryURL is content, which the request did not ask for (xdm:includeContent is not true) [content-not-requested]",
    ]  # fmt: skip
