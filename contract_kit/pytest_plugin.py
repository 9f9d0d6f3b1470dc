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

    from contract_kit.fake.service import OfferLibrary

_FAKE = pytest.StashKey["OfferLibrary"]()
_MARKER = (
    "offer_library(**options): configure this test's offer_library fake. Options: "
    "create_status (201 or 200), delete_status (202, 200 or 204), delete_body ('empty' or "
    "'receipt'), check_references (bool), page_size (int), allow_violations (bool: requests "
    "that break the contract do not fail the test), container_id, base_url."
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


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker, so --strict-markers accepts it."""
    config.addinivalue_line("markers", _MARKER)


@pytest.fixture
def fallback_offer() -> dict[str, Any]:
    """A fresh, valid fallback-offer create body (the seed document's), yours to change."""
    from contract_kit.examples import fallback_offer_body

    return fallback_offer_body()


@pytest.fixture
def offer_library(request: pytest.FixtureRequest) -> Iterator[OfferLibrary]:
    """A fake Offer Library serving requests to https://platform.adobe.io/data/core/xcore/.

    Requests sent with requests go to it (through responses; your own responses stubs keep
    working); other hosts raise ConnectionError. A request that breaks the contract gets the
    error the service would send and fails the test, unless the test opts out with
    @pytest.mark.offer_library(allow_violations=True) or offer_library.allow_violations().
    """
    from contract_kit.fake.requests_adapter import serve_with_responses
    from contract_kit.fake.service import OfferLibrary, OfferLibraryOptions

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
        pytest.fail(f"@pytest.mark.offer_library: {error}", pytrace=False)
    fake = OfferLibrary(options)
    request.node.stash[_FAKE] = fake
    with serve_with_responses(fake):
        yield fake


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """Fail a test whose requests broke the contract, once the test itself has passed."""
    result = yield
    fake = item.stash.get(_FAKE, None)
    if fake is not None and not fake.violations_allowed:
        from contract_kit.assertions import ContractViolation

        try:
            fake.check_no_violations()
        except ContractViolation as failure:
            # The message is the whole story; a traceback into the plugin would only hide it.
            pytest.fail(str(failure), pytrace=False)
    return result
