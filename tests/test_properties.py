"""Properties over arbitrary input: the checks never raise, and their answer is stable."""

from __future__ import annotations

import json
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import contract_kit
from contract_kit.core.examples import fallback_offer_body
from contract_kit.core.schema_check import validator_for
from contract_kit.core.violation import sort_violations

#: No test may depend on machine speed: no deadline, and the one timed health check off.
SPEED_FREE = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

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


@SPEED_FREE
@given(kind=st.sampled_from(contract_kit.kinds()), instance=JSON)
def test_violations_never_raise_and_are_ordered(kind: str, instance: Any) -> None:
    """Any JSON value yields a list of violations (sorted, without repeats), never an exception."""
    found = contract_kit.violations(kind, instance)
    assert found == contract_kit.violations(kind, instance)
    assert len(set(found)) == len(found)
    for violation in found:
        assert violation.rule in contract_kit.rules()
        assert violation.message


@SPEED_FREE
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


@SPEED_FREE
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


def _explained_alike(kind: str, instance: Any) -> tuple[list[Any], list[Any]]:
    """The violations jsonschema-rs's errors give, and python-jsonschema's, both sorted."""
    compiled = validator_for(kind)
    fast = sort_violations(compiled.violations(instance))
    reference = sort_violations(compiled.jsonschema_violations(instance))
    return fast, reference


_SCHEMA_KINDS = [kind for kind in contract_kit.kinds() if kind != "request-headers"]


@SPEED_FREE
@example(kind="container-list", instance=float("inf"))  # jsonschema-rs shows it as null
@example(kind="fallback-offer", instance={"xdm:characteristics": {"": None}})  # path loses ""
@given(kind=st.sampled_from(_SCHEMA_KINDS), instance=JSON)
def test_both_engines_explain_arbitrary_json_alike(kind: str, instance: Any) -> None:
    """Explained from jsonschema-rs's errors or by python-jsonschema: the same violations."""
    fast, reference = _explained_alike(kind, instance)
    assert fast == reference


def test_both_engines_explain_every_example_file_alike() -> None:
    """On every example file (the core's and the linter's), both engines say the same."""
    lint_cases = CASES.parent / "lint_cases"
    paths = [*CASES.glob("*/*/*.json"), *lint_cases.glob("*/*/*.json")]
    checked = 0
    for path in sorted(paths):
        kind = path.parent.parent.name
        if kind not in _SCHEMA_KINDS:
            continue
        try:
            data = json.loads(path.read_text("utf-8"))
        except ValueError:
            continue  # the linter's unparseable cases
        if path.is_relative_to(CASES) and path.parent.name == "invalid":
            data = data["instance"]
        fast, reference = _explained_alike(kind, data)
        assert fast == reference, path
        checked += 1
    assert checked >= 90


def test_an_empty_member_name_is_placed_exactly() -> None:
    """jsonschema-rs 0.61 drops empty names from its paths; python-jsonschema places it then."""
    body = fallback_offer_body()
    body["xdm:characteristics"] = {"": True}
    assert [v.pointer for v in contract_kit.violations("fallback-offer", body)] == [
        "/xdm:characteristics/"
    ]


def test_explaining_a_payload_does_not_import_python_jsonschema() -> None:
    """Invalid payloads and headers are explained from jsonschema-rs's errors alone."""
    code = (
        "import sys, contract_kit\n"
        "found = contract_kit.violations('fallback-offer', {'xdm:status': 'live'})\n"
        "assert len(found) == 3, found\n"
        "url = '/data/core/xcore/c/instances/b3966680-13ec-11eb-9c20-8323709cfc65'\n"
        "found = contract_kit.check_request('GET', url, {'Accept': 'x/y'}, None)\n"
        "assert any(v.rule == 'required' for v in found), found\n"
        "print(sorted(m for m in ('jsonschema', 'referencing') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout == "[]\n"


@pytest.mark.properties
@settings(SPEED_FREE, max_examples=2000)
@given(data=st.data())
def test_both_engines_explain_every_invalid_draw_alike(data: st.DataObject) -> None:
    """Over the strategies' invalid payloads of every kind, both engines say the same."""
    from contract_kit import strategies

    kind = data.draw(st.sampled_from(_SCHEMA_KINDS))
    case = data.draw(strategies.invalid(kind))
    fast, reference = _explained_alike(kind, case.instance)
    assert fast == reference
