"""The offer_library fixture answers decision calls a client sends with requests, in a user's suite."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pytest

HERE = Path(__file__).parent

TEST = """
import requests
from fake_decisions import HEADERS, offer_body, request_body, seed

from contract_kit import assert_offer_proposed

URL = "https://platform.adobe.io/data/core/ods/decisions"


def _decide(offer_library, request_id):
    headers = {**HEADERS, "x-request-id": request_id}
    return requests.post(URL, json=request_body(), headers=headers, timeout=5)


def test_the_best_offer_is_proposed(offer_library):
    seed(offer_library, offer_body("1", 1), offer_body("2", 7))
    response = _decide(offer_library, "r1")
    assert response.status_code == 200
    assert_offer_proposed(response.json(), "xcore:personalized-offer:2")
    assert [c.operation for c in offer_library.calls] == ["decide-ods"]


def test_a_draft_offer_is_explained(offer_library):
    seed(offer_library, offer_body("1", 1, **{"xdm:status": "draft"}))
    body = _decide(offer_library, "r2").json()
    trace = offer_library.decision_trace(body["xdm:propositionId"])
    assert_offer_proposed(body, "xcore:personalized-offer:1", trace=trace)
"""


def test_the_fixture_decides_and_the_assertion_says_why(pytester: pytest.Pytester) -> None:
    """Over the fixture's interception: one offer proposed, and a draft one explained."""
    shutil.copy(HERE / "fake_decisions.py", pytester.path / "fake_decisions.py")
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")
    pytester.makepyfile(test_decide=TEST)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            (
                "E       contract_kit.decisioning.assertions.DecisionMismatch: "
                "xcore:personalized-offer:1 was not proposed:"
            ),
            "E       - /xdm:propositions/0: served the fallback xcore:fallback-offer:f1",
            "E       - /xdm:propositions/0: xcore:personalized-offer:1: draft, not approved",
            "E       ",
            (
                "E       Hint: change the library or the profile so that the offer qualifies; each "
                "line gives the first reason a candidate was excluded."
            ),
        ],
        consecutive=True,
    )
