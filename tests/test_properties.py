"""Properties over arbitrary input: the checks never raise, and their answer is stable."""

from __future__ import annotations

import string
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import contract_kit

_KEYS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["xdm:name", "xdm:status", "xdm:representations", "_instance", "_links",
                     "@id", "@type", "dc:format", "xdm:placement", "xdm:channel", "xdm:components",
                     "repo:etag", "error_code", "status", "accept", "content-type", "x-api-key"]),
    st.text(alphabet=string.ascii_lowercase + ":@-", max_size=16),
)  # fmt: skip
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=5),
    max_leaves=25,
)


@given(kind=st.sampled_from(contract_kit.kinds()), instance=JSON)
def test_violations_never_raise_and_are_ordered(kind: str, instance: Any) -> None:
    """Any JSON value yields a list of violations (sorted, without repeats), never an exception."""
    found = contract_kit.violations(kind, instance)
    assert found == contract_kit.violations(kind, instance)
    assert len(set(found)) == len(found)
    for violation in found:
        assert violation.rule in contract_kit.rules()
        assert violation.message


@given(
    method=st.sampled_from(["POST", "GET", "post"]) | st.text(max_size=5),
    url=st.text(max_size=40),
    headers=st.dictionaries(st.text(max_size=16), st.text(max_size=40), max_size=6)
    | st.lists(st.tuples(st.text(max_size=16), st.text(max_size=40)), max_size=6)
    | JSON,
    body=st.binary(max_size=40) | st.text(max_size=40) | JSON,
)
def test_check_request_never_raises(method: str, url: str, headers: Any, body: Any) -> None:
    """Whatever a client sends, check_request answers with violations."""
    for violation in contract_kit.check_request(method, url, headers, body):
        assert violation.pointer.split("/")[1] in {"method", "path", "headers", "body"}
        assert violation.rule in contract_kit.rules()
