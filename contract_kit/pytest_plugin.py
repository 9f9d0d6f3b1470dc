"""The pytest plugin: ``fallback_offer`` and ``offer_library`` fixtures, and their marker.

Loaded through the ``pytest11`` entry point in every suite that installs contract_kit, so it
imports nothing heavy: requests, responses, jsonschema and the schemas load only when a test
asks for a fixture.
"""

from __future__ import annotations

from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Iterator

    from contract_kit.cassettes.recording import Recording
    from contract_kit.cassettes.replay import Replay
    from contract_kit.fake.service import OfferLibrary
    from contract_kit.interception.httpx_mock import Answer, Intercepted

_FAKE = pytest.StashKey["OfferLibrary"]()
_REPLAY = pytest.StashKey["Replay"]()
#: The title of the report section that lists a test's warnings.
WARNINGS_SECTION = "contract_kit warnings"
_MARKER = (
    "offer_library(**options): configure this test's offer_library fake. Options: "
    "create_status (201 or 200), delete_status (202, 200 or 204), delete_body ('empty' or "
    "'receipt'), check_references (bool), page_size (int), allow_violations (bool: requests "
    "that break the contract do not fail the test), strict (bool: warnings fail the test too; "
    "default: --offer-library-strict), container_id, base_url, call_log_size "
    "(int: how many of the latest calls offer_library.calls keeps, 1000 by default), "
    "sandboxes (dict: sandbox name to its container id; prod is always there), "
    "sandbox_isolation ('warn': a call to another sandbox's container is served with a "
    "sandbox-mismatch warning, or 'strict': it gets 404)."
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
        "--offer-library-strict",
        action="store_true",
        default=None,
        help="fail tests on warnings of the Offer Library contract too (calls the service "
        "takes although the docs show otherwise); ini: offer_library_strict",
    )
    parser.addini(
        "offer_library_strict",
        type="bool",
        default=False,
        help="fail tests on warnings of the Offer Library contract too",
    )

    group.addoption(
        "--contract-record",
        # The literal list, not cassettes.use.RECORD_MODES: importing it loads the schemas.
        choices=("none", "once", "new-episodes", "all"),
        default="none",
        help="cassettes of @pytest.mark.contract_cassette tests: none (default) replays them; "
        "once records a cassette that does not exist yet and replays one that does; "
        "new-episodes sends calls the cassette lacks to the real server and records them; all "
        "records every call afresh and replaces the file",
    )


def _run_allows_violations(config: pytest.Config) -> bool:
    """--offer-library-allow-violations, else its ini: whether the whole run lets them pass."""
    option = config.getoption("offer_library_allow_violations")
    return bool(option if option is not None else config.getini("offer_library_allow_violations"))


def _run_is_strict(config: pytest.Config) -> bool:
    """--offer-library-strict, else its ini: whether warnings fail the run's tests."""
    option = config.getoption("offer_library_strict")
    return bool(option if option is not None else config.getini("offer_library_strict"))


_CASSETTE_MARKER = (
    "contract_cassette(path, *, strict=False, allow_violations=None, fail_on_warnings=None, "
    "served_at=None, recorded_as=None): replay the cassette at path (relative to the test "
    "file's cassettes/ folder), checking every call against the contract; strict=True also "
    "fails on recorded exchanges the test never used; allow_violations=True lets calls that "
    "break the contract pass (default: --offer-library-allow-violations); "
    "fail_on_warnings=True fails on calls with warnings too (default: --offer-library-strict). "
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
    fake); so do those of every httpx client, sync or async, made without a transport. Other
    hosts raise ConnectionError (httpx.ConnectError). ``calls`` keeps the last call_log_size
    calls. A request that breaks the contract gets the error the service would send and fails
    the test, its report first, unless the test opts out with
    @pytest.mark.offer_library(allow_violations=True) or offer_library.allow_violations().
    A request with warnings only (what the service takes although the docs differ) is served
    and listed at the end of the run; it fails the test in strict mode: strict=True on the
    marker, offer_library_strict = true in the ini, or --offer-library-strict.
    A fault set up with fail_next or disconnect_next that no request met fails the test too.
    In a @given test, call offer_library.reset() at the top of each example (docs/strategies.md).
    """
    from contract_kit.fake import OfferLibrary, OfferLibraryOptions
    from contract_kit.fake.requests_adapter import serve_with_responses

    keywords: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers("offer_library"))):
        if marker.args:
            pytest.fail("@pytest.mark.offer_library takes keyword options only", pytrace=False)
        keywords.update(marker.kwargs)
    if "allow_violations" not in keywords:
        keywords["allow_violations"] = _run_allows_violations(request.config)
    if "strict" not in keywords:
        keywords["strict"] = _run_is_strict(request.config)
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
    with serve_with_responses(fake), _httpx_served_by(fake):
        yield fake


@contextmanager
def _httpx_served_by(fake: OfferLibrary) -> Iterator[None]:
    """Serve httpx's own transports from the fake, if httpx is installed (it is optional)."""
    from contract_kit.interception.httpx_mock import serving_installed_httpx

    with serving_installed_httpx(_fake_answer(fake)):
        yield


def _fake_answer(fake: OfferLibrary) -> Callable[[Intercepted], Answer]:
    """The fake's answer to an httpx request; another host is refused before any socket."""
    from urllib.parse import urlsplit

    from contract_kit.fake import FakeConnectionError, FakeRequest
    from contract_kit.fake.exchange import api_urls, refusal

    served = api_urls(fake.base_url)

    def answer(request: Intercepted) -> Answer:
        if not served.fullmatch(request.url):
            parts = urlsplit(request.url)
            return ConnectionRefusedError(
                f"{refusal(request.method, request.url, fake.base_url)}; tests never reach the "
                "network. Answer this host from a transport of your own: httpx.Client(mounts="
                f'{{"{parts.scheme}://{parts.netloc}": httpx.MockTransport(handler)}}).'
            )
        sent = FakeRequest(request.method, request.url, request.header_items, request.body)
        try:
            got = fake.handle(sent)
        except FakeConnectionError as error:
            return ConnectionResetError(str(error))
        return got.status, list(got.headers), got.body

    return answer


@pytest.fixture
def contract_cassette(request: pytest.FixtureRequest) -> Iterator[Replay | Recording]:
    """The cassette of a @pytest.mark.contract_cassette test, replayed (or recorded).

    Replay checks every request and every recorded answer against the contract, and fails the
    test on a request the cassette does not hold; --contract-record records instead.
    """
    from pathlib import Path

    from contract_kit.cassettes.cassette import CassetteError
    from contract_kit.cassettes.replay import Replay
    from contract_kit.cassettes.use import use_cassette

    marker = request.node.get_closest_marker("contract_cassette")
    if marker is None or len(marker.args) != 1:
        pytest.fail(
            'contract_cassette needs @pytest.mark.contract_cassette("name.yaml") on the test',
            pytrace=False,
        )
    unknown = sorted(set(marker.kwargs) - set(_CASSETTE_OPTIONS))
    if unknown:
        from contract_kit.core.messages import did_you_mean

        listed = ", ".join(_CASSETTE_OPTIONS)
        pytest.fail(
            f"@pytest.mark.contract_cassette: unknown option {unknown[0]!r}"
            f"{did_you_mean(unknown[0], _CASSETTE_OPTIONS)}; the options are {listed}",
            pytrace=False,
        )
    options = {**_CASSETTE_OPTIONS, **marker.kwargs}
    if options["allow_violations"] is None:
        options["allow_violations"] = _run_allows_violations(request.config)
    if options["fail_on_warnings"] is None:
        options["fail_on_warnings"] = _run_is_strict(request.config)
    path = Path(request.path).parent / "cassettes" / marker.args[0]
    mode = request.config.getoption("contract_record")
    with ExitStack() as stack:
        # Entered here, failed below: a cassette's own error is the only one shown.
        try:
            cassette: Replay | Recording = stack.enter_context(
                use_cassette(
                    path,
                    record=mode,
                    strict=options["strict"],
                    allow_violations=options["allow_violations"],
                    fail_on_warnings=options["fail_on_warnings"],
                    served_at=options["served_at"],
                    recorded_as=options["recorded_as"],
                    raise_at_exit=False,
                    recorded_by=f"pytest --contract-record=once {request.node.nodeid}",
                )
            )
        except CassetteError as error:
            refused = str(error)
        else:
            refused = ""
        if refused:
            pytest.fail(refused, pytrace=False)
        if isinstance(cassette, Replay):
            request.node.stash[_REPLAY] = cassette  # the runtest hooks report its failure
        yield cassette


#: The contract_cassette marker's keyword options, with their defaults.
_CASSETTE_OPTIONS: dict[str, Any] = {
    "allow_violations": None,
    "fail_on_warnings": None,
    "recorded_as": None,
    "served_at": None,
    "strict": False,
}


@pytest.fixture(autouse=True)
def _contract_cassette_marker(request: pytest.FixtureRequest) -> None:
    """Activate the cassette of a test marked with contract_cassette."""
    if request.node.get_closest_marker("contract_cassette") is not None:
        request.getfixturevalue("contract_cassette")


_THEN = "The test then failed with this error, most likely because of the broken contract above:"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Put the contract report first in a failed test's report, whatever else failed.

    A client that calls raise_for_status() fails on the fake's 403 with requests' HTTPError;
    the report says why the fake refused, so it is the headline and the error follows it.
    """
    report = yield
    if call.when == "teardown":
        _keep_warnings(item, report)
    if call.when != "call" or not report.failed or call.excinfo is None:
        return report
    warned = _warnings_section(item)
    if warned is not None:  # the test failed for another reason: its warnings are context
        report.sections.append((WARNINGS_SECTION, warned))
    raised = call.excinfo.value
    replay = item.stash.get(_REPLAY, None)
    if replay is not None and any(problem is raised for problem in replay.problems):
        # The replay's own failure is the whole story: the HTTP library's frames say nothing.
        report.longrepr = call.excinfo.getrepr(style="value", chain=False)
        return report
    contract = _contract_report(item)
    if contract is not None and contract not in str(raised):
        _put_first(report, contract, terse=item.config.getoption("tbstyle", "auto") == "line")
    return report


def _warnings_section(item: pytest.Item) -> str | None:
    """The warnings the test's fake recorded and let pass, as a report section, if any."""
    fake = item.stash.get(_FAKE, None)
    if fake is None or fake.options.strict:  # strict: they are in the failure already
        return None
    lines = fake.warning_report()
    return "\n".join(lines) if lines else None


def _keep_warnings(item: pytest.Item, report: pytest.TestReport) -> None:
    """Attach the test's warnings to its teardown report: the run's summary lists them.

    A section of the report, not state of this process, so that the summary also sees the
    warnings of tests run in pytest-xdist workers.
    """
    warned = _warnings_section(item)
    if warned is not None:
        report.sections.append((WARNINGS_SECTION, warned))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """List once, at the end, the warnings the fakes recorded and let pass."""
    warned = {
        report.nodeid: content
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "teardown"
        for title, content in getattr(report, "sections", ())
        if title == WARNINGS_SECTION
    }
    if not warned:
        return
    from contract_kit.core.messages import plural

    write = terminalreporter.write_line
    terminalreporter.ensure_newline()  # else the first line written starts with a blank one
    terminalreporter.section(WARNINGS_SECTION, yellow=True)
    count = 0
    for nodeid, content in warned.items():
        write(nodeid)
        for line in content.splitlines():
            write(line)
            count += line.startswith("  - ")
    write("")
    write(
        f"{plural(count, 'warning')} of the Offer Library contract in "
        f"{plural(len(warned), 'test')}: "
        "the service takes these calls, so they pass; strict mode would fail on them "
        "(--offer-library-strict, offer_library_strict = true, or "
        "@pytest.mark.offer_library(strict=True))."
    )


def _put_first(report: pytest.TestReport, contract: str, *, terse: bool) -> None:
    """Make ``contract`` the headline of ``report``, the original failure shown after it.

    ``terse`` (--tb=line) keeps one line per failure: the report's headline replaces the
    error's in the line pytest prints, and the report's body is left out.
    """
    longrepr = report.longrepr
    crash = getattr(longrepr, "reprcrash", None)
    if crash is not None:  # the line --tb=line and the short summary show
        crash.message = contract
    if terse:
        return
    chain = getattr(longrepr, "chain", None)
    first = chain[0][0] if chain else getattr(longrepr, "reprtraceback", None)
    if first is None:  # a plain text report: keep it, after ours
        report.longrepr = f"{contract}\n\n{_THEN}\n{longrepr}"
        return
    first.reprentries.insert(0, _text_entry(f"{contract}\n\n{_THEN}"))


class _Report(Exception):  # noqa: N818 - never raised to the user: it carries text to pytest
    """The contract report, as pytest's own text entry of a traceback shows it."""


def _text_entry(text: str) -> Any:
    """A traceback entry showing ``text`` as it is (pytest's "value" style, as pytest.fail's)."""
    try:
        raise _Report(text)  # noqa: TRY301 - pytest reads an exception's text from its traceback
    except _Report as carried:
        info = pytest.ExceptionInfo.from_exception(carried)
    return info.getrepr(style="value", chain=False).reprtraceback.reprentries[0]


def _contract_report(item: pytest.Item) -> str | None:
    """The report of the requests that broke the contract in this test, if any did."""
    replay = item.stash.get(_REPLAY, None)
    if replay is not None:
        failure = replay.failure()
        if failure is not None:
            return str(failure)
    fake = item.stash.get(_FAKE, None)
    if fake is None or fake.violations_allowed:
        return None
    from contract_kit.assertions import ContractViolation

    try:
        fake.check_no_violations()
    except ContractViolation as failure:
        return str(failure)
    return None


def _unfired_report(item: pytest.Item) -> str | None:
    """The report of the faults the test set up that no request met, if any."""
    fake = item.stash.get(_FAKE, None)
    unfired = fake.unfired_faults() if fake is not None else []
    if not unfired:
        return None
    from contract_kit.core.messages import plural

    return "\n".join(
        [
            f"{plural(len(unfired), 'fault')} the test set up never fired:",
            *(f"- {line}" for line in unfired),
            "",
            (
                "Hint: match the fault's method and path to a request the test sends "
                "(offer_library.calls lists them), or remove the fault."
            ),
        ]
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """Fail a test that passed but broke the contract, or left a fault unfired.

    The message is the whole story: a traceback into the plugin would only hide it.
    """
    result = yield
    reports = [r for r in (_contract_report(item), _unfired_report(item)) if r is not None]
    if reports:
        pytest.fail("\n\n".join(reports), pytrace=False)
    return result
