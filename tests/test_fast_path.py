"""The fast paths answer as the slow ones: the valid path, code rules' silences, "did you mean"."""

from __future__ import annotations

import difflib
import json
import string
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import jsonschema_rs
import pytest
from draw_budgets import quick_and_long
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import contract_kit
from contract_kit import strategies as cs
from contract_kit.core.checks import all_violations
from contract_kit.core.kinds import instance_form, kind_entry
from contract_kit.core.messages import closest
from contract_kit.core.object_kinds import documented_body
from contract_kit.core.schema_check import format_options, schema_violations
from contract_kit.core.similar import Names, most_similar, ratio

if TYPE_CHECKING:
    from contract_kit.core.silences import Silence

#: No deadline and no timed health check: no test may depend on machine speed.
SPEED_FREE = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
CASES = Path(__file__).parent / "cases"
JSON_KINDS = [kind for kind in contract_kit.kinds() if instance_form(kind) == "json"]
#: Each kind, code check and silence, for the kinds whose code rules have one.
SILENCES = [
    (kind, check, silence)
    for kind in JSON_KINDS
    for check, silence in kind_entry(kind).silences
    if silence is not None
]

_KEYS = st.one_of(
    st.text(max_size=8),
    st.sampled_from(["_instance", "xdm:representations", "xdm:placement", "xdm:channel",
                     "xdm:components", "xdm:criteria", "xdm:placements", "xdm:startDate",
                     "xdm:endDate", "repo:createdDate", "repo:lastModifiedDate", "_embedded"]),
)  # fmt: skip
_DATES = st.sampled_from(
    ["2022-01-20T16:00:00Z", "2022-01-20t10:00:00Z", "2022-01-20T16:00:00.5Z", "2022-01-19"]
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12) | _DATES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=5),
    max_leaves=20,
)


def _drawn(kind: str) -> st.SearchStrategy[Any]:
    """Valid and invalid instances of ``kind``, and JSON of any shape."""
    return st.one_of(cs.valid(kind), cs.invalid(kind).map(lambda case: case.instance), JSON)


@pytest.mark.parametrize("draws", quick_and_long(100, 3000))
def test_the_valid_path_changes_no_answer(draws: int) -> None:
    """violations() gives what the full check gives, valid path or not, on every kind."""

    @settings(SPEED_FREE, max_examples=draws)
    @given(data=st.data(), kind=st.sampled_from(JSON_KINDS))
    def check(data: st.DataObject, kind: str) -> None:
        instance = data.draw(_drawn(kind))
        assert contract_kit.violations(kind, instance) == all_violations(kind_entry(kind), instance)

    check()


def _listed_alike(kind: str, instance: Any) -> None:
    """Listing a screened instance's errors straight away gives the schema's answer."""
    screened = schema_violations(kind, instance, limit=1000, screened=True)
    assert screened == schema_violations(kind, instance, limit=1000)


@pytest.mark.parametrize("draws", quick_and_long(100, 3000))
def test_a_screened_instance_is_explained_as_any_other(draws: int) -> None:
    """Skipping the fast verdict for a screened instance changes no violation, on every kind."""

    @settings(SPEED_FREE, max_examples=draws)
    @given(data=st.data(), kind=st.sampled_from(JSON_KINDS))
    def check(data: st.DataObject, kind: str) -> None:
        _listed_alike(kind, data.draw(_drawn(kind)))

    check()


def _example_instances() -> list[tuple[str, object]]:
    """Every valid and invalid example file of a JSON kind, as ``(kind, instance)``."""
    found = []
    for path in sorted(CASES.glob("*/*/*.json")):
        kind, state = path.parent.parent.name, path.parent.name
        if kind in JSON_KINDS:
            data = json.loads(path.read_text("utf-8"))
            found.append((kind, data["instance"] if state == "invalid" else data))
    assert len(found) >= 200
    return found


def test_a_screened_example_file_is_explained_as_any_other() -> None:
    """On every valid and invalid example file, skipping the fast verdict changes nothing."""
    for kind, instance in _example_instances():
        _listed_alike(kind, instance)


def test_the_valid_path_changes_no_answer_on_the_example_files() -> None:
    """On every valid and invalid example file, violations() is the full check's answer."""
    for kind, instance in _example_instances():
        assert contract_kit.violations(kind, instance) == all_violations(
            kind_entry(kind), instance
        ), (kind, instance)


def _silent(silence: Silence, instance: Any) -> bool:
    if silence.schema is not None:
        conditions = {"$schema": "https://json-schema.org/draft/2020-12/schema", **silence.schema}
        if not jsonschema_rs.validator_for(conditions).is_valid(instance):
            return False
    return silence.holds is None or silence.holds(instance)


@pytest.mark.parametrize("draws", quick_and_long(100, 1000))
def test_a_silent_rule_reports_nothing(draws: int) -> None:
    """Where a code rule's silence holds, the rule reports nothing (broken rules included)."""

    @settings(SPEED_FREE, max_examples=draws)
    @given(data=st.data(), entry=st.sampled_from(SILENCES))
    def check(data: st.DataObject, entry: tuple[Any, ...]) -> None:
        kind, rule_check, silence = entry
        rules = {rule.rule for rule in kind_entry(kind).code_rules if rule.check is rule_check}
        breaking = cs.invalid(kind, rules=sorted(rules)).map(lambda case: case.instance)
        instance = data.draw(st.one_of(breaking, _drawn(kind)))
        if _silent(silence, instance):
            assert list(rule_check(instance)) == []

    check()


@pytest.mark.parametrize(
    ("end", "start"),
    [
        ("2022-01-20t10:00:00Z", "2022-01-20T16:00:00Z"),  # lower-case t: text order lies
        ("2022-01-20T10:00:00+00:00", "2022-01-20T16:00:00Z"),
        ("2022-01-20T16:00:00.0Z", "2022-01-20T16:00:01Z"),
    ],
)
def test_dates_out_of_order_are_reported_whatever_their_shape(end: str, start: str) -> None:
    """An end before its start is a date-range violation, however the two are written."""
    bare = _valid("offer-activity", "ajo-create-body-bare.json")
    enveloped = documented_body("offer-activity")
    for instance in bare, enveloped["_instance"]:
        instance.update({"xdm:startDate": start, "xdm:endDate": end})
    for body, pointer in (bare, "/xdm:endDate"), (enveloped, "/_instance/xdm:endDate"):
        found = contract_kit.violations("offer-activity", body)
        assert [(v.pointer, v.rule) for v in found] == [(pointer, "date-range")]


def _valid(kind: str, name: str) -> Any:
    return json.loads((CASES / kind / "valid" / name).read_text("utf-8"))


@pytest.mark.parametrize(
    ("value", "rules"),
    [
        ("a" * 15360, []),  # under the guardrail, though past the silence's quarter of it
        ("\N{GRINNING FACE}" * 3841, ["guardrail"]),  # 4 bytes each: 15,364 bytes
    ],
)
def test_a_condition_near_its_byte_guardrail_is_checked_by_the_rule(
    value: str, rules: list[str]
) -> None:
    """A value past the silence's bound but within the guardrail passes; one over is reported."""
    body = documented_body("eligibility-rule")
    body["xdm:condition"]["xdm:value"] = value
    found = contract_kit.violations("eligibility-rule", body)
    assert [v.rule for v in found] == rules


def test_a_stray_instance_member_is_still_refused() -> None:
    """A member named _instance beside a bare body's members is the schema's to refuse."""
    body = _valid("offer-activity", "ajo-create-body-bare.json")
    assert contract_kit.violations("offer-activity", body) == []
    body["_instance"] = {}
    assert contract_kit.violations("offer-activity", body) == all_violations(
        kind_entry("offer-activity"), body
    )
    assert contract_kit.violations("offer-activity", body) != []


def test_a_validator_without_formats_left_gets_no_format_checks() -> None:
    """Python format checks are given only where a format keyword is left."""
    assert format_options([{"properties": {"format": {"type": "string"}}}]) == {}
    assert set(format_options([{"items": {"format": "uuid"}}])) == {
        "formats",
        "validate_formats",
        "ignore_unknown_formats",
    }


_WORDS = st.text(alphabet="abxdm:st", max_size=14) | st.text(max_size=14)


@pytest.mark.parametrize("draws", quick_and_long(200, 2000))
def test_did_you_mean_is_difflibs_answer(draws: int) -> None:
    """The suggestion is difflib.get_close_matches's, or none when it names none, prepared or not."""

    @settings(SPEED_FREE, max_examples=draws)
    @example(value="", choices=[""], cutoff=0.6)
    @example(value="xdm:stauts", choices=["xdm:status", "xdm:tags", "xdm:rank"], cutoff=0.6)
    @given(
        value=_WORDS,
        choices=st.lists(_WORDS, max_size=8),
        cutoff=st.sampled_from([0.0, 0.6, 0.75, 1.0]) | st.floats(0, 1),
    )
    def check(value: str, choices: list[str], cutoff: float) -> None:
        expected = difflib.get_close_matches(value, choices, n=1, cutoff=cutoff)
        assert most_similar(value, choices, cutoff) == (expected[0] if expected else None)
        prepared = Names(choices)
        assert most_similar(value, prepared, cutoff) == (expected[0] if expected else None)
        assert most_similar(value, prepared, cutoff) == (expected[0] if expected else None)

    check()


@SPEED_FREE
@given(choice=_WORDS, value=_WORDS)
def test_the_ratio_is_difflibs_ratio(choice: str, value: str) -> None:
    """The similarity ratio is SequenceMatcher's, to the bit."""
    assert ratio(choice, value) == difflib.SequenceMatcher(None, choice, value).ratio()


def test_a_long_value_is_left_to_difflib() -> None:
    """From 200 characters on, where difflib ignores frequent characters, its answer is given."""
    value = "ab" * 100 + "c"
    choices = ["ab" * 100, "c" * 201, string.ascii_letters * 4]
    expected = difflib.get_close_matches(value, choices, n=1)
    assert closest(value, choices) == (expected[0] if expected else None)
    assert closest(value, Names(choices)) == (expected[0] if expected else None)


def test_a_mapping_that_is_no_dict_gets_the_full_checks_answer() -> None:
    """A read-only mapping of a body is checked as the body itself is."""
    body = _valid("offer-activity", "ajo-create-body-bare.json")
    body["xdm:endDate"] = "2022-01-20T15:00:00Z"
    for instance in body, MappingProxyType(body):
        found = contract_kit.violations("offer-activity", instance)
        assert found == all_violations(kind_entry("offer-activity"), instance)
        assert ("/xdm:endDate", "date-range") in {(v.pointer, v.rule) for v in found}
