"""Faults are checked when the test sets them up, and the fake says which never fired."""

from __future__ import annotations

import pytest

from contract_kit.fake import FakeRequest, OfferLibrary

HOME = "https://platform.adobe.io/data/core/xcore/"


@pytest.mark.parametrize("status", [200, 302, 600, True, "503"])
def test_fail_next_takes_only_an_error_status(status: object) -> None:
    """A status outside 400-599 is refused, saying what a fault stands for."""
    with pytest.raises(ValueError, match=r"^fail_next\(") as caught:
        OfferLibrary().fail_next(status)  # type: ignore[arg-type]
    assert str(caught.value) == (
        f"fail_next({status!r}): the status must be an error status, 400 to 599 (a fault "
        "stands for the service failing); for a successful answer, let the fake serve the call"
    )


@pytest.mark.parametrize(
    ("keywords", "message"),
    [
        ({"times": 0}, "times must be a whole number of calls, 1 or more, not 0"),
        ({"method": "GET /"}, "method must be an HTTP method such as 'POST', not 'GET /'"),
        ({"retry_after": -1}, "retry_after must be a whole number of seconds, 0 or more, not -1"),
    ],
)
def test_a_fault_scope_no_request_could_meet_is_refused(
    keywords: dict[str, object], message: str
) -> None:
    """times, method and retry_after are checked, each error naming the argument."""
    with pytest.raises(ValueError, match=" must be ") as caught:
        OfferLibrary().fail_next(503, **keywords)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_an_unknown_instance_cannot_be_updated_concurrently() -> None:
    """simulate_concurrent_update names the ids the fake holds and where ids come from."""
    with pytest.raises(ValueError, match="no such instance") as caught:
        OfferLibrary().simulate_concurrent_update("bad-id")
    assert str(caught.value) == (
        "simulate_concurrent_update('bad-id'): the fake holds no such instance (it holds none). "
        "Use the id add_fallback_offer(...) returns, a create's receipt['instanceId'], or a key "
        "of offer_library.instances."
    )


def test_unfired_faults_lists_those_no_request_met() -> None:
    """A fault that fired leaves the list; one that did not stays, as it was set up."""
    fake = OfferLibrary()
    fake.fail_next(503, method="GET")
    fake.fail_next(429, method="POST", times=2, retry_after=1)
    fake.handle(FakeRequest("GET", HOME))
    assert fake.unfired_faults() == [
        "fail_next(429, method='POST', times=2, retry_after=1) never fired: no request matched"
    ]
