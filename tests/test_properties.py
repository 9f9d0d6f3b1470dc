"""Properties over arbitrary input: the checks never raise, and their answer is stable."""

from __future__ import annotations

import json
import string
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import contract_kit
from contract_kit.schema_check import validator_for

CASES = Path(__file__).parent / "cases"

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


def _verdicts(kind: str, instance: Any) -> tuple[bool, bool] | None:
    compiled = validator_for(kind)
    try:
        fast = bool(compiled.fast.is_valid(instance))
    except (ValueError, TypeError, OverflowError):
        return None  # the engine falls back to jsonschema alone for these
    explained = not any(True for _ in compiled.explaining.iter_errors(instance))
    return fast, explained


@given(kind=st.sampled_from(contract_kit.kinds()), instance=JSON)
def test_both_validators_agree_on_arbitrary_json(kind: str, instance: Any) -> None:
    """jsonschema-rs (the fast verdict) and jsonschema (the explanation) never disagree."""
    verdicts = _verdicts(kind, instance)
    assert verdicts is None or verdicts[0] == verdicts[1]


def test_both_validators_agree_on_every_example_file() -> None:
    """On every valid and invalid example, the fast verdict is jsonschema's verdict."""
    for path in sorted(CASES.glob("*/*/*.json")):
        kind, state = path.parent.parent.name, path.parent.name
        if kind == "request-headers":
            continue  # headers are normalized first; test_headers covers them
        data = json.loads(path.read_text("utf-8"))
        instance = data["instance"] if state == "invalid" else data
        verdicts = _verdicts(kind, instance)
        assert verdicts is not None, path
        assert verdicts[0] == verdicts[1], path
