"""The pytest plugin: ``fallback_offer`` and ``offer_library`` fixtures, and their marker.

Loaded through the ``pytest11`` entry point in every suite that installs contract_kit, so it
imports nothing heavy: requests, responses, jsonschema and the schemas load only when a test
asks for a fixture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator

    from contract_kit.cassettes.recording import Recording
    from contract_kit.cassettes.replay import Replay
    from contract_kit.fake.service import OfferLibrary

_FAKE = pytest.StashKey["OfferLibrary"]()
_REPLAY = pytest.StashKey["Replay"]()
_MARKER = (
    "offer_library(**options): configure this test's offer_library fake. Options: "
    "create_status (201 or 200), delete_status (202, 200 or 204), delete_body ('empty' or "
    "'receipt'), check_references (bool), page_size (int), allow_violations (bool: requests "
    "that break the contract do not fail the test), container_id, base_url, call_log_size "
    "(int: how many of the latest calls offer_library.calls keeps, 1000 by default)."
)


def pytest_addoption(parser: pytest.Parser) -> None:
    """Options of the contract-kit group."""
    group = parser.getgroup("contract-kit", "contract_kit: the Offer Library contract")
    group.addoption(
        "--offer-library-allow-violations",
        action="store_true",
        default=None,
        help="let requests that break the Offer Library contract pass tests (they still get "
        "error answers); ini: offer_library_allow_violations",
    )
    parser.addini(
        "offer_library_allow_violations",
        type="bool",
        default=False,
        help="let requests that break the Offer Library contract pass tests",
    )

    group.addoption(
        "--contract-record",
        choices=("none", "new-episodes", "all"),
        default="none",
        help="cassettes of @pytest.mark.contract_cassette tests: none (default) replays them; "
        "new-episodes sends calls the cassette lacks to the real server and records them; all "
        "records every call afresh and replaces the file",
    )


_CASSETTE_MARKER = (
    "contract_cassette(path, *, strict=False, served_at=None, recorded_as=None): replay the "
    "cassette at path (relative to the test file's cassettes/ folder), checking every call "
    "against the contract; strict=True also fails on recorded exchanges the test never used. "
    "With --contract-record, record it instead (served_at/recorded_as rewrite a local "
    "server's base URL into the one the cassette shows)."
)


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers, so --strict-markers accepts them."""
    config.addinivalue_line("markers", _MARKER)
    config.addinivalue_line("markers", _CASSETTE_MARKER)


@pytest.fixture
def fallback_offer() -> dict[str, Any]:
    """A fresh, valid fallback-offer create body (the seed document's), yours to change."""
    from contract_kit.core.examples import fallback_offer_body

    return fallback_offer_body()


@pytest.fixture
def offer_library(request: pytest.FixtureRequest) -> Iterator[OfferLibrary]:
    """A fake Offer Library serving requests to https://platform.adobe.io/data/core/xcore/.

    Requests sent with requests go to it (through responses, joining your own RequestsMock if
    one runs; your stubs keep working, and a stub on the API's URLs answers instead of the
    fake); other hosts raise ConnectionError. ``calls`` keeps the last call_log_size calls.
    A request that breaks the contract gets the error the service would send and fails the
    test, unless the test opts out with
    @pytest.mark.offer_library(allow_violations=True) or offer_library.allow_violations().
    """
    from contract_kit.fake import OfferLibrary, OfferLibraryOptions
    from contract_kit.fake.requests_adapter import serve_with_responses

    keywords: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers("offer_library"))):
        if marker.args:
            pytest.fail("@pytest.mark.offer_library takes keyword options only", pytrace=False)
        keywords.update(marker.kwargs)
    if "allow_violations" not in keywords:
        option = request.config.getoption("offer_library_allow_violations")
        keywords["allow_violations"] = bool(
            option
            if option is not None
            else request.config.getini("offer_library_allow_violations")
        )
    try:
        options = OfferLibraryOptions.from_keywords(**keywords)
    except (TypeError, ValueError) as error:
        refused = str(error)
    else:
        refused = ""
    if refused:  # failed outside the except block, so no "during handling" chain is shown
        pytest.fail(f"@pytest.mark.offer_library: {refused}", pytrace=False)
    fake = OfferLibrary(options)
    request.node.stash[_FAKE] = fake
    with serve_with_responses(fake):
        yield fake


@pytest.fixture
def contract_cassette(request: pytest.FixtureRequest) -> Iterator[Replay | Recording]:
    """The cassette of a @pytest.mark.contract_cassette test, replayed (or recorded).

    Replay checks every request and every recorded answer against the contract, and fails the
    test on a request the cassette does not hold; --contract-record records instead.
    """
    from pathlib import Path

    from contract_kit.cassettes.cassette import CassetteError
    from contract_kit.cassettes.recording import record_cassette
    from contract_kit.cassettes.replay import replay_cassette

    marker = request.node.get_closest_marker("contract_cassette")
    if marker is None or len(marker.args) != 1:
        pytest.fail(
            'contract_cassette needs @pytest.mark.contract_cassette("name.yaml") on the test',
            pytrace=False,
        )
    try:
        options = _cassette_options(**marker.kwargs)
    except TypeError as error:
        pytest.fail(f"@pytest.mark.contract_cassette: {error}", pytrace=False)
    path = Path(request.path).parent / "cassettes" / marker.args[0]
    mode = request.config.getoption("contract_record")
    if mode != "none":
        with record_cassette(
            path, mode=mode, served_at=options["served_at"], recorded_as=options["recorded_as"]
        ) as recording:
            yield recording
        return
    try:
        replaying = replay_cassette(path, strict=options["strict"], raise_at_exit=False)
        with replaying as replay:
            request.node.stash[_REPLAY] = replay  # the runtest hook reports its failure
            yield replay
    except CassetteError as error:
        pytest.fail(str(error), pytrace=False)


def _cassette_options(
    *, strict: bool = False, served_at: str | None = None, recorded_as: str | None = None
) -> dict[str, Any]:
    """The marker's keywords; a misspelt one is a TypeError naming it."""
    return {"strict": strict, "served_at": served_at, "recorded_as": recorded_as}


@pytest.fixture(autouse=True)
def _contract_cassette_marker(request: pytest.FixtureRequest) -> None:
    """Activate the cassette of a test marked with contract_cassette."""
    if request.node.get_closest_marker("contract_cassette") is not None:
        request.getfixturevalue("contract_cassette")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Show a replay's own failure as its message: the HTTP library's frames say nothing."""
    report = yield
    replay = item.stash.get(_REPLAY, None)
    raised = call.excinfo.value if call.excinfo is not None else None
    if replay is not None and any(problem is raised for problem in replay.problems):
        report.longrepr = str(raised)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """Fail a test whose requests broke the contract, once the test itself has passed."""
    result = yield
    replay = item.stash.get(_REPLAY, None)
    if replay is not None:
        failure = replay.failure()
        if failure is not None:
            pytest.fail(str(failure), pytrace=False)
    fake = item.stash.get(_FAKE, None)
    if fake is not None and not fake.violations_allowed:
        from contract_kit.assertions import ContractViolation

        try:
            fake.check_no_violations()
        except ContractViolation as failure:
            # The message is the whole story; a traceback into the plugin would only hide it.
            pytest.fail(str(failure), pytrace=False)
    return result
