"""What the plugin prints when a test fails: the contract report first, every error once."""

from __future__ import annotations

import pytest

CLIENT = """
import requests

BASE = "https://platform.adobe.io/data/core/xcore"
SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
CONTAINER = "e0bd8463-0913-4ca1-bd84-6309134ca1f6"
HEADERS = {
    "Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
    "x-gw-ims-org-id": "0123ABCD@AdobeOrg",
    "Accept": "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1",
    "Content-Type": f'application/schema-instance+json; version=1; schema="{SCHEMA}"',
}


def create(offer):
    '''A client that forgets x-api-key and, like most, raises for an error status.'''
    response = requests.post(f"{BASE}/{CONTAINER}/instances", json=offer, headers=HEADERS, timeout=5)
    response.raise_for_status()
    return response.json()
"""

FORGETFUL = """
from client import create

def test_create(offer_library, fallback_offer):
    create(fallback_offer)
"""

REPORT = [
    "the client broke the Offer Library contract in 1 request:",
    "- POST /data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances",
    '  - /headers/x-api-key: required header "x-api-key" is missing [required]',
    "",
    (
        "Hint: fix the client code that sends these requests. A test that sends them on "
        "purpose opts out with @pytest.mark.offer_library(allow_violations=True) or "
        "offer_library.allow_violations()."
    ),
    "",
    "The test then failed with this error, most likely because of the broken contract above:",
]
HTTP_ERROR = (
    "E *requests.exceptions.HTTPError: 403 Client Error: Forbidden for url: "
    "https://platform.adobe.io/data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances"
)
SUMMARY = "FAILED test_client.py::test_create - the client broke the Offer Library*"


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """A user's project: a client that calls raise_for_status() next to its tests."""
    pytester.makepyfile(client=CLIENT)
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")
    return pytester


def _shown_once(result: pytest.RunResult, line: str) -> None:
    """``line`` is printed exactly once, and no error is chained to another."""
    output = result.stdout.str()
    assert (output.count(line), "During handling" in output) == (1, False)


@pytest.mark.parametrize(
    "options", [(), ("--assert=plain",), ("-n", "2")], ids=["plain-run", "assert-plain", "xdist"]
)
def test_the_report_heads_a_raise_for_status_failure(
    suite: pytest.Pytester, options: tuple[str, ...]
) -> None:
    """The 403's HTTPError fails the test; the report of why the fake refused comes first."""
    suite.makepyfile(test_client=FORGETFUL)
    result = suite.runpytest_subprocess("-rf", *options)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([*REPORT, "", "offer_library = *"], consecutive=True)
    result.stdout.fnmatch_lines([HTTP_ERROR])
    result.stdout.fnmatch_lines([SUMMARY])
    _shown_once(result, REPORT[0])


def test_the_report_heads_a_short_traceback(suite: pytest.Pytester) -> None:
    """With --tb=short the report comes first, then the short traceback down to the error."""
    suite.makepyfile(test_client=FORGETFUL)
    result = suite.runpytest_subprocess("--tb=short")
    result.stdout.fnmatch_lines(
        [*REPORT, "test_client.py:4: in test_create", "    create(fallback_offer)"],
        consecutive=True,
    )
    _shown_once(result, REPORT[0])


@pytest.mark.parametrize("style", ["line", "no"])
def test_a_terse_traceback_names_the_contract_in_one_line(
    suite: pytest.Pytester, style: str
) -> None:
    """--tb=line and --tb=no keep one line per failure: it gives the report's headline."""
    suite.makepyfile(test_client=FORGETFUL)
    result = suite.runpytest_subprocess(f"--tb={style}", "-rf")
    result.assert_outcomes(failed=1)
    if style == "line":
        # Recent pytest puts the exception's own line above it; pytest 8.0 prints this alone.
        result.stdout.fnmatch_lines(["*/requests/models.py:*: " + REPORT[0]])
        _shown_once(result, REPORT[0])
    result.stdout.fnmatch_lines([SUMMARY])
    assert "- POST" not in result.stdout.str()


def test_a_passing_test_that_broke_the_contract_shows_the_report_alone(
    suite: pytest.Pytester,
) -> None:
    """A client that swallowed the 403 passes its test; the report alone fails it, once."""
    suite.makepyfile(
        test_client="""
        import requests
        from client import create

        def test_create(offer_library, fallback_offer):
            try:
                create(fallback_offer)
            except requests.HTTPError:
                pass
        """
    )
    result = suite.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*_ test_create _*", *REPORT[:5], "*short test summary info*"], consecutive=True
    )
    _shown_once(result, REPORT[0])


def test_a_test_that_opted_out_shows_its_own_failure_only(suite: pytest.Pytester) -> None:
    """With allow_violations the violation is expected: the test's own error is the report."""
    suite.makepyfile(
        test_client="""
        from client import create

        def test_create(offer_library, fallback_offer):
            offer_library.allow_violations()
            create(fallback_offer)
        """
    )
    result = suite.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([HTTP_ERROR])
    assert "broke the Offer Library contract" not in result.stdout.str()


def test_a_fault_that_never_fired_fails_the_test(suite: pytest.Pytester) -> None:
    """A fault no request met fails the test, naming how it was set up."""
    suite.makepyfile(
        test_client="""
        def test_create(offer_library):
            offer_library.fail_next(503, method="POST", retry_after=2)
            offer_library.disconnect_next(path="*/instances/*", times=2)
        """
    )
    result = suite.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "2 faults the test set up never fired:",
            "- fail_next(503, method='POST', retry_after=2) never fired: no request matched",
            "- disconnect_next(path='*/instances/*', times=2) never fired: no request matched",
            "",
            (
                "Hint: match the fault's method and path to a request the test sends "
                "(offer_library.calls lists them), or remove the fault."
            ),
        ],
        consecutive=True,
    )


def test_a_misspelt_cassette_option_is_one_error(suite: pytest.Pytester) -> None:
    """A misspelt contract_cassette option is one setup error that suggests the right one."""
    suite.makepyfile(
        test_client="""
        import pytest

        @pytest.mark.contract_cassette("create.yaml", stirct=True)
        def test_create():
            pass
        """
    )
    result = suite.runpytest_subprocess()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR at setup of test_create _*",
            (
                "@pytest.mark.contract_cassette: unknown option 'stirct'; did you mean "
                '"strict"?; the options are allow_violations, fail_on_warnings, recorded_as, served_at, strict'
            ),
            "*short test summary info*",
        ],
        consecutive=True,
    )
    _shown_once(result, "unknown option 'stirct'")


@pytest.mark.parametrize("content", [None, "responses: [\n"], ids=["missing", "malformed"])
def test_an_unreadable_cassette_is_one_error(suite: pytest.Pytester, content: str | None) -> None:
    """A missing or malformed cassette is reported once, without a chained copy."""
    suite.makepyfile(
        test_client="""
        import pytest

        @pytest.mark.contract_cassette("create.yaml")
        def test_create():
            pass
        """
    )
    if content is not None:
        (suite.path / "cassettes").mkdir()
        (suite.path / "cassettes" / "create.yaml").write_text(content, "utf-8")
    result = suite.runpytest_subprocess()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*_ ERROR at setup of test_create _*", "create.yaml *"])
    _shown_once(result, "cassettes/create.yaml")
