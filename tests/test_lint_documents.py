"""What a file holds: kinds told from content, the fast verdict, and recordings placed alike."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from draw_budgets import quick_and_long
from hypothesis import given, settings
from hypothesis import strategies as st

import contract_kit
from contract_kit import strategies
from contract_kit.cassettes.recording_check import recording_violations
from contract_kit.cli import main
from contract_kit.lint.documents import (
    _NEEDS,
    _object_detectors,
    _shaped_kinds,
    _shaped_matches,
    document_kind,
    document_kinds,
    identify,
)

CASES = Path(__file__).parent / "cases"
RECORDING = (
    Path(__file__).parent / "lint_cases" / "recording" / "invalid" / "responses-recorder-file.yaml"
)


def _examples(state: str) -> list[Any]:
    found = []
    for path in sorted(CASES.glob(f"*/{state}/*.json")):
        case = json.loads(path.read_text("utf-8"))
        instance = case["instance"] if state == "invalid" else case
        found.append(
            pytest.param(
                path.parent.parent.name, instance, id=f"{path.parent.parent.name}/{path.stem}"
            )
        )
    return found


@pytest.mark.parametrize(("kind", "instance"), _examples("valid"))
def test_every_valid_example_is_recognised(kind: str, instance: Any) -> None:
    """A documented instance of each kind is told apart by its content alone."""
    recognised = identify(instance)
    assert not isinstance(recognised, str), recognised
    assert recognised.name == kind


@pytest.mark.parametrize(("kind", "instance"), _examples("valid") + _examples("invalid"))
def test_a_payload_is_checked_by_the_core(kind: str, instance: Any) -> None:
    """What the linter reports of a payload is exactly what contract_kit.violations says."""
    check = document_kind(kind).check
    assert check(instance) == contract_kit.violations(kind, instance)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            {"title": "Not Found"},
            "cannot tell which kind of payload this is: it looks like none of them; ",
        ),
        (
            {"instanceId": "x", "error_code": "403003"},
            "cannot tell which kind of payload this is: it looks like error and receipt; ",
        ),
        (
            {"x-api-key": "k", "xdm:name": "n", "title": "t", "status": 400},
            "cannot tell which kind of payload this is: it looks like error and tag; ",
        ),
        (
            {"xdm:name": "Kiosk", "xdm:channel": "https://ns.adobe.com/xdm/channel-types/web"},
            (
                "cannot tell which kind of payload this is: it has xdm: members, but no @id and "
                "none of the members that tell the stored kinds apart; "
            ),
        ),
        ("Accept: */*", "cannot tell which kind of payload this is: it looks like none of them; "),
    ],
)
def test_unknown_or_ambiguous(value: object, message: str) -> None:
    """No kind, or more than one, is a message that says how to name the kind."""
    how = (
        "name it with --kind KIND (contract-kit kinds lists them), or map a glob to a kind under "
        "[tool.contract-kit.kinds] in pyproject.toml"
    )
    assert identify(value) == message + how


def test_a_recording_is_recognised_and_checked_as_one() -> None:
    """A cassette (a top-level responses list) is never taken for a payload."""
    recognised = identify({"responses": [{"response": {"status": 201}}]})
    assert not isinstance(recognised, str)
    assert recognised.name == "recording"
    cassette = {"responses": [{"response": {"method": "GET", "url": "/", "status": 200}}]}
    assert recognised.check(cassette) == recording_violations(cassette)
    assert "recording" in document_kinds()


def test_a_recording_is_placed_in_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A recording's violations are placed by pointer in the YAML file, like a payload's."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("", "utf-8")
    shutil.copy(RECORDING, tmp_path / "cassette.yaml")
    assert main(["lint", "--format", "json", "cassette.yaml"]) == 1
    (finding,) = json.loads(capsys.readouterr().out)
    assert (finding["line"], finding["column"], finding["kind"]) == (3, 3, "recording")
    assert finding["pointer"] == "/responses/0/request"


@pytest.mark.parametrize(
    ("extra", "kind"),
    [
        ({}, "personalized-offer"),
        ({"@id": "xcore:fallback-offer:124e0be5699743d4"}, "fallback-offer"),
    ],
)
def test_a_rank_says_personalized_unless_the_id_says_otherwise(
    extra: dict[str, str], kind: str
) -> None:
    """xdm:rank is a personalized offer's member; an @id outranks every member."""
    body = {"xdm:name": "Sale", "xdm:status": "draft", "xdm:rank": {"xdm:priority": 1}, **extra}
    recognised = identify(body)
    assert not isinstance(recognised, str)
    assert recognised.name == kind


def test_a_stored_instance_is_its_schemas_kind_before_its_members() -> None:
    """schemas[0] names the kind of a stored instance, whatever its _instance holds."""
    stored = {
        "instanceId": "053bc610-f8f9-11ea-ad6e-775ad2c9b1a1",
        "schemas": ["https://ns.adobe.com/experience/offer-management/tag;version=0.1"],
        "_instance": {"xdm:name": "Winter", "xdm:rank": {"xdm:priority": 1}},
    }
    recognised = identify(stored)
    assert not isinstance(recognised, str)
    assert recognised.name == "tag-instance"


_MEMBERS = (
    "_embedded",
    "_instance",
    "error_code",
    "title",
    "status",
    "instanceId",
    "outcome",
    "responses",
    "xdm:propositions",
    "xdm:propositionRequests",
    "Accept",
    "x-api-key",
    "xdm:name",
    "op",
    "path",
    "results",
    "https://ns.adobe.com/experience/xcore/container",
)


def _shaped_detectors_all(value: object) -> list[str]:
    return [kind.name for kind in _shaped_kinds() if kind.detect(value)]


def test_every_detector_but_the_headers_names_the_members_it_needs() -> None:
    """Only request-headers, which reads every name, is tried on every object."""
    shaped = sorted(kind.name for kind in _shaped_kinds())
    assert sorted([*_NEEDS, "request-headers"]) == shaped
    assert [kind.name for kind in _object_detectors()[0]] == ["request-headers"]


def _objects_near_every_shape() -> st.SearchStrategy[Any]:
    """Objects and arrays made of the members the detectors look for, nested a little."""
    leaves = st.one_of(st.none(), st.integers(), st.text(max_size=3), st.sampled_from(_MEMBERS))
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(st.sampled_from(_MEMBERS) | st.text(max_size=3), inner, max_size=5),
        ),
        max_leaves=12,
    )


@pytest.mark.parametrize("draws", quick_and_long(100, 1000))
def test_the_shaped_kinds_tried_are_those_all_detectors_find(draws: int) -> None:
    """Trying only the detectors whose members an object has finds what trying all finds."""

    @settings(max_examples=draws, deadline=None)
    @given(
        value=st.one_of(
            _objects_near_every_shape(),
            st.sampled_from(contract_kit.kinds()).flatmap(strategies.valid),
            st.sampled_from(contract_kit.kinds()).flatmap(
                lambda kind: strategies.invalid(kind).map(lambda case: case.instance)
            ),
        )
    )
    def check(value: object) -> None:
        assert [kind.name for kind in _shaped_matches(value)] == _shaped_detectors_all(value)

    check()
