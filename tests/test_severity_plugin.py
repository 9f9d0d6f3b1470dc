"""Strict mode in the plugin: the marker, the ini and the command line; warnings in plain sight."""

from __future__ import annotations

import pytest

CLIENT = """
import requests

BASE = "https://platform.adobe.io/data/core/xcore"
SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
CONTAINER = "e0bd8463-0913-4ca1-bd84-6309134ca1f6"
HEADERS = {
    "Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
    "x-api-key": "4a6f3c1d2e8b4f0a",
    "x-gw-ims-org-id": "0123ABCD@AdobeOrg",
    "Accept": "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1",
    "Content-Type": f'application/schema-instance+json; version=1; schema="{SCHEMA}"',
}


def create(offer):
    '''A client that sends a member the contract does not define, and raises for an error.'''
    offer = {**offer, "xdm:extra": 1}
    response = requests.post(f"{BASE}/{CONTAINER}/instances", json=offer, headers=HEADERS, timeout=5)
    response.raise_for_status()
    return response.json()
"""

TESTS = """
import pytest
from client import create

def test_plain(offer_library, fallback_offer):
    assert create(fallback_offer)["repo:etag"] == 1

@pytest.mark.offer_library(strict=True)
def test_strict(offer_library, fallback_offer):
    create(fallback_offer)

@pytest.mark.offer_library(strict=False)
def test_never_strict(offer_library, fallback_offer):
    create(fallback_offer)
"""

WARNING_LINE = (
    '  - /body/xdm:extra: unknown member "xdm:extra": the contract defines no such member in '
    'the "xdm:" namespace; did you mean "xdm:tags"? [[]unknown-key] (warning)'
)
CALL_LINE = "- POST /data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances"


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project whose client sends an unknown member: a warning, which the service takes."""
    pytester.makepyfile(client=CLIENT, test_client=TESTS)
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")
    return pytester


def test_the_marker_fails_on_warnings_and_says_how_to_stop(suite: pytest.Pytester) -> None:
    """strict=True fails the test with the warning shown like an error, and the hint to undo it."""
    result = suite.runpytest_subprocess("-k", "test_strict")
    result.assert_outcomes(failed=1, deselected=2)
    result.stdout.fnmatch_lines(
        [
            "strict mode: the client drew Offer Library contract warnings in 1 request:",
            CALL_LINE,
            WARNING_LINE,
            "",
            (
                "Hint: fix the client code that sends these requests. A test that sends them on "
                "purpose opts out with @pytest.mark.offer_library(allow_violations=True) or "
                "offer_library.allow_violations(). A (warning) is a call the service takes: it "
                "fails the test because strict mode is on; turn it off with "
                "@pytest.mark.offer_library(strict=False), or leave out --offer-library-strict and "
                "offer_library_strict = true."
            ),
        ],
        consecutive=True,
    )


@pytest.mark.parametrize("workers", [[], ["-p", "xdist", "-n", "2"]], ids=["one", "xdist"])
def test_warnings_pass_and_are_listed_once_at_the_end(
    suite: pytest.Pytester, workers: list[str]
) -> None:
    """Not strict: the tests pass, and the run's summary lists each test's warnings once."""
    result = suite.runpytest_subprocess("-k", "not test_strict", *workers)
    assert result.parseoutcomes()["passed"] == 2
    assert result.ret == 0
    result.stdout.fnmatch_lines(
        [
            "*= contract_kit warnings =*",
            "test_client.py::test_*",
            CALL_LINE,
            WARNING_LINE,
            "test_client.py::test_*",
            CALL_LINE,
            WARNING_LINE,
            "",
            (
                "2 warnings of the Offer Library contract in 2 tests: the service takes these "
                "calls, so they pass; strict mode would fail on them (--offer-library-strict, "
                "offer_library_strict = true, or @pytest.mark.offer_library(strict=True))."
            ),
        ],
        consecutive=True,
    )
    assert result.stdout.str().count("contract_kit warnings") == 1


@pytest.mark.parametrize(
    ("option", "ini"), [("--offer-library-strict", ""), ("", "offer_library_strict = true\n")]
)
def test_the_run_can_be_strict_and_the_marker_beats_it(
    suite: pytest.Pytester, option: str, ini: str
) -> None:
    """The command line or the ini makes every test strict, but strict=False on a test wins."""
    suite.makeini(f"[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n{ini}")
    result = suite.runpytest_subprocess(*([option] if option else []), "-rf")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "FAILED test_client.py::test_plain - *strict mode*",
            "FAILED test_client.py::test_strict - *strict mode*",
        ]
    )
    assert "contract_kit warnings =" in result.stdout.str()  # test_never_strict's


def test_a_test_failing_for_another_reason_shows_its_warnings(pytester: pytest.Pytester) -> None:
    """The warnings come as a section of the failed test's report, after its own error."""
    pytester.makepyfile(
        client=CLIENT,
        test_client="""
from client import create

def test_create(offer_library, fallback_offer):
    receipt = create(fallback_offer)
    assert receipt["repo:etag"] == 2, "the etag"
""",
    )
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E       AssertionError: the etag",
            "*",
            "*- contract_kit warnings -*",
            CALL_LINE,
            WARNING_LINE,
        ]
    )
    assert "strict mode:" not in result.stdout.str()
