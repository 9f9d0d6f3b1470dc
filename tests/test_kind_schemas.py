"""The schema files of the six further kinds, held to their example files by two engines.

These tests read the schema files directly, with python-jsonschema and jsonschema-rs, and
derive each failure's rule id from the failing subschema (its ``x-rule``, else the keyword),
so the schemas can be checked before the engine is wired for the new kinds. The example files
use the format of ``tests/test_cases.py``, which runs them through ``contract_kit.violations``
once the engine knows the kinds and their code rules.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from documented_warnings import VALID_WITH_WARNINGS as _VALID_WITH_WARNINGS
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from contract_kit.api.json_patch import apply_patch
from contract_kit.core.formats import FORMATS
from contract_kit.core.schema_bundle import subschemas
from contract_kit.core.schema_check import build_validator
from contract_kit.core.violation import Violation, join_pointer, sort_violations, split_pointer

SCHEMAS = Path(__file__).parent.parent / "schemas"
CASES = Path(__file__).parent / "cases"
BASE = "https://contract-kit.invalid/schemas/"
OFFER_MANAGEMENT = "https://ns.adobe.com/experience/offer-management/"
BODY_KINDS = (
    "eligibility-rule",
    "offer-activity",
    "offer-filter",
    "offer-placement",
    "personalized-offer",
    "tag",
)
KINDS = tuple(name for kind in BODY_KINDS for name in (kind, f"{kind}-instance"))

# Rules of a kind that no schema states (code checks them once the engine is wired), so the
# schemas must report everything an example lists except these.
_BODY_CODE_RULES = {
    "personalized-offer": frozenset({"duplicate-placement", "date-range"}),
    "offer-activity": frozenset({"date-range", "guardrail"}),
    "eligibility-rule": frozenset({"guardrail"}),
}
# Warnings per the severity spec (docs/rules.md once it carries them): a valid example may
# break these and no other rule.
_WARNING_RULES = frozenset(
    {"recommended", "legacy-form", "date-range", "guardrail", "unknown-key", "min-length",
     "channel", "media-type-form"}
)  # fmt: skip


def _code_rules(kind: str) -> frozenset[str]:
    rules = _BODY_CODE_RULES.get(kind.removesuffix("-instance"), frozenset())
    return rules | {"date-order"} if kind.endswith("-instance") else rules


def _documents() -> dict[str, dict[str, Any]]:
    found = {}
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        document = json.loads(path.read_text("utf-8"))
        found[document["$id"]] = document
    return found


DOCUMENTS = _documents()
REGISTRY: Registry[Any] = Registry().with_resources(
    (uri, Resource.from_contents(document)) for uri, document in DOCUMENTS.items()
)
CHECKER = FormatChecker(formats=())
for _name, _check in FORMATS.items():
    CHECKER.checks(_name)(_check)


def _schema(kind: str) -> dict[str, Any]:
    return DOCUMENTS[f"{BASE}{kind}.schema.json"]


def _kebab(keyword: str) -> str:
    return "".join("-" + c.lower() if c.isupper() else c for c in keyword)


def _rule(keyword: str, schema: dict[str, Any]) -> str:
    """The rule id a failing keyword reports: the subschema's x-rule, except for shape.

    A wrong type keeps ``type``; a missing member keeps ``required`` unless the subschema
    says ``recommended`` (a member the examples show that no source requires).
    """
    named = schema.get("x-rule")
    if named is None or keyword == "type" or (keyword == "required" and named != "recommended"):
        return _kebab(keyword)
    return str(named)


def _jsonschema_found(kind: str, instance: Any) -> set[tuple[str, str]]:
    validator = Draft202012Validator(_schema(kind), registry=REGISTRY, format_checker=CHECKER)
    found = set()
    for error in validator.iter_errors(instance):
        path: list[str | int] = list(error.absolute_path)
        schema_path = list(error.absolute_schema_path)
        if len(schema_path) >= 2 and schema_path[-2] == "propertyNames":
            found.add((join_pointer([*path, error.instance]), error.schema["x-rule"]))
        elif error.validator == "required":
            missing = [n for n in error.validator_value if n not in error.instance]
            rule = _rule("required", error.schema)
            found.update((join_pointer([*path, name]), rule) for name in missing)
        else:
            found.add((join_pointer(path), _rule(str(error.validator), error.schema)))
    return found


def _subschema(location: str) -> dict[str, Any]:
    uri, _, fragment = location.partition("#")
    node: Any = DOCUMENTS[uri]
    for token in split_pointer(fragment):
        node = node[int(token)] if isinstance(node, list) else node[token]
    assert isinstance(node, dict), location
    return node


def _jsonschema_rs_found(kind: str, instance: Any) -> set[tuple[str, str]]:
    schema = _schema(kind)
    validator = jsonschema_rs.validator_for(
        schema,
        registry=jsonschema_rs.Registry(list(DOCUMENTS.items())),
        formats=dict(FORMATS),
        validate_formats=True,
        ignore_unknown_formats=False,
    )
    found = set()
    errors: list[Any] = list(validator.iter_errors(instance))  # kinds differ by keyword
    for error in errors:
        location = error.absolute_keyword_location
        assert isinstance(location, str), error
        parent, _, token = location.rpartition("/")
        keyword = split_pointer("/" + token)[0]
        schema = _subschema(parent)
        path: list[str | int] = list(error.instance_path)
        if keyword == "propertyNames":
            path.append(error.kind.error.instance)
            found.add((join_pointer(path), schema["propertyNames"]["x-rule"]))
            continue
        if keyword == "required":
            path.append(error.kind.property)
        found.add((join_pointer(path), _rule(keyword, schema)))
    return found


def _case_files(state: str) -> list[Any]:
    return [
        pytest.param(kind, path, id=f"{kind}/{path.stem}")
        for kind in KINDS
        for path in sorted((CASES / kind / state).glob("*.json"))
    ]


def _schema_part(kind: str, violations: list[list[str]]) -> set[tuple[str, str]]:
    code = _code_rules(kind)
    return {(pointer, rule) for pointer, rule in violations if rule not in code}


def _in_documented_order(violations: list[list[str]]) -> bool:
    listed = [Violation(pointer, "", rule) for pointer, rule in violations]
    return sort_violations(listed) == listed


@pytest.mark.parametrize("kind", KINDS)
def test_schema_passes_the_2020_12_metaschema(kind: str) -> None:
    """Each new schema file is valid Draft 2020-12, with the $id its file name gives."""
    schema = _schema(kind)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert (SCHEMAS / f"{kind}.schema.json").is_file()


@pytest.mark.parametrize("kind", KINDS)
def test_the_engine_builds_the_schema(kind: str) -> None:
    """contract_kit compiles it: every format has a checker, every $ref stays in the bundle."""
    build_validator(copy.deepcopy(_schema(kind)), f"{kind}.schema.json")


@pytest.mark.parametrize("kind", KINDS)
def test_stored_instances_name_their_own_schema(kind: str) -> None:
    """A stored instance's schemas pattern and _instance point at its own kind."""
    if not kind.endswith("-instance"):
        return
    body = kind.removesuffix("-instance")
    properties = _schema(kind)["properties"]
    assert properties["_instance"] == {"$ref": f"{body}.schema.json#/$defs/stored-instance"}
    pattern = properties["schemas"]["items"]["pattern"]
    assert pattern.startswith("^" + (OFFER_MANAGEMENT + body).replace(".", "\\.") + ";")


@pytest.mark.parametrize("kind", KINDS)
def test_every_new_kind_has_valid_and_invalid_examples(kind: str) -> None:
    """No new kind goes without example files of both kinds."""
    assert list((CASES / kind / "valid").glob("*.json"))
    assert list((CASES / kind / "invalid").glob("*.json"))


@pytest.mark.parametrize(("kind", "path"), _case_files("valid"))
def test_valid_example_breaks_no_rule_a_schema_states(kind: str, path: Path) -> None:
    """Both engines find nothing in a valid file, or only the warnings pinned for it."""
    instance = json.loads(path.read_text("utf-8"))
    pinned = _VALID_WITH_WARNINGS.get(f"{kind}/{path.stem}", [])
    assert {rule for _, rule in pinned} <= _WARNING_RULES
    assert _in_documented_order(pinned)
    expected = _schema_part(kind, pinned)
    assert _jsonschema_found(kind, instance) == expected
    assert _jsonschema_rs_found(kind, instance) == expected


@pytest.mark.parametrize(("kind", "path"), _case_files("invalid"))
def test_invalid_example_fails_where_it_says(kind: str, path: Path) -> None:
    """Both engines report the pointers and rule ids the file lists, less the code rules."""
    case = json.loads(path.read_text("utf-8"))
    assert set(case) == {"description", "instance", "violations"}
    assert case["violations"], case["description"]
    assert _in_documented_order(case["violations"]), case["description"]
    expected = _schema_part(kind, case["violations"])
    assert _jsonschema_found(kind, case["instance"]) == expected, case["description"]
    assert _jsonschema_rs_found(kind, case["instance"]) == expected, case["description"]


@pytest.mark.parametrize("kind", BODY_KINDS)
def test_every_rule_of_a_kind_is_shown_by_an_invalid_example(kind: str) -> None:
    """Each x-rule of the kind's schema, and each of its code rules, rejects some example."""
    stated = {
        sub["x-rule"]
        for _, sub in subschemas(_schema(kind))
        if "x-rule" in sub and sub["x-rule"] != "unknown-key"
    }
    shown = {
        rule
        for path in (CASES / kind / "invalid").glob("*.json")
        for _, rule in json.loads(path.read_text("utf-8"))["violations"]
    }
    assert (stated | _code_rules(kind) | {"unknown-key"}) - shown == set()


_PERSONALIZED = json.loads((CASES / "personalized-offer/valid/ajo-create-body.json").read_text())
_NO_CHANNEL = ("/_instance/xdm:representations/0/xdm:channel", "recommended")
# Every documented PATCH of the six kinds (SRC AJO <kind>/update and ENT, as the spec cites
# them), the create example it applies to, and what the schema finds in the result.
_PATCHES = [
    (
        "personalized-offer", "ajo-update-add-representation",
        [{"op": "add", "path": "/_instance/xdm:representations/-",
          "value": {"xdm:placement": "xcore:offer-placement:124e0be5699743d3",
                    "xdm:components": [{"@type": f"{OFFER_MANAGEMENT}content-component-text",
                                        "dc:format": "text/plain", "dc:language": ["en"],
                                        "xdm:content": "Here is your first sale offer!"}]}}],
        # and duplicate-placement (code): both representations name one placement
        {_NO_CHANNEL, ("/_instance/xdm:representations/1/xdm:channel", "recommended")},
    ),
    (
        "personalized-offer", "ent-replace-calendar-constraint",
        [{"op": "replace", "path": "/_instance/xdm:selectionConstraint",
          "value": {"xdm:startDate": "2019-06-13T00:00:00.000Z",
                    "xdm:endDate": "2019-07-13T00:00:00.000Z"}}],
        {_NO_CHANNEL},
    ),
    (
        "personalized-offer", "ent-add-capping-constraint",
        [{"op": "add", "path": "/_instance/xdm:cappingConstraint",
          "value": {"xdm:globalCap": 1000000, "xdm:profileCap": 5}}],
        {_NO_CHANNEL},
    ),
    (
        "personalized-offer", "ent-replace-eligibility-rule",
        [{"op": "replace", "path": "/_instance/xdm:selectionConstraint/xdm:eligibilityRule",
          "value": "xcore:eligibility-rule:f84c6b33cc63c65"}],
        {_NO_CHANNEL},
    ),
    (
        "personalized-offer", "ent-replace-priority",
        [{"op": "replace", "path": "/_instance/xdm:rank/xdm:priority", "value": 0}],
        {_NO_CHANNEL},
    ),
    (
        "personalized-offer", "ent-add-tag",
        [{"op": "add", "path": "/_instance/xdm:tags/-", "value": "xcore:tag:f66f677ad3c0ba7"}],
        {_NO_CHANNEL},
    ),
    (
        "offer-placement", "ajo-update",
        [{"op": "replace", "path": "/_instance/xdm:name",
          "value": "Sales and Promotions Placement"},
         {"op": "replace", "path": "/_instance/xdm:description",
          "value": "A test placement to contain offers of sales and discounts"}],
        set(),
    ),
    (
        "offer-filter", "ajo-update",
        [{"op": "add", "path": "/_instance/xdm:filterType", "value": "anyTags"},
         {"op": "add", "path": "/_instance/xdm:ids", "value": ["xcore:tag:124e147572cd7866"]}],
        set(),
    ),
    (
        "eligibility-rule", "ajo-update",
        [{"op": "replace", "path": "/_instance/xdm:name", "value": "Sales and discounts rule"}],
        set(),
    ),
    (
        "tag", "ajo-update",
        [{"op": "replace", "path": "/_instance/xdm:name",
          "value": "Sales and promotions for the holidays"}],
        set(),
    ),
    (
        "offer-activity", "ajo-update",
        [{"op": "replace", "path": "/_instance/xdm:name", "value": "Example Activity Name"}],
        set(),
    ),
]  # fmt: skip


def _documented_create(kind: str) -> Any:
    if kind == "personalized-offer":
        return {"_instance": copy.deepcopy(_PERSONALIZED), "_links": {}}
    name = "ajo-create-hal-envelope" if kind == "offer-activity" else "ajo-create-body"
    body = json.loads((CASES / kind / "valid" / f"{name}.json").read_text("utf-8"))
    return body if "_instance" in body else {"_instance": body, "_links": {}}


@pytest.mark.parametrize(
    ("kind", "patch", "after"),
    [
        pytest.param(kind, patch, after, id=f"{kind}/{name}")
        for kind, name, patch, after in _PATCHES
    ],
)
def test_documented_patch_keeps_the_contract(
    kind: str, patch: list[dict[str, Any]], after: set[tuple[str, str]]
) -> None:
    """The shared patch schema takes it; applied to the documented create, the result is as pinned."""
    assert _jsonschema_found("fallback-offer-patch", patch) == set()
    assert _jsonschema_rs_found("fallback-offer-patch", patch) == set()
    patched = apply_patch(_documented_create(kind), patch)
    assert _jsonschema_found(kind, patched) == after
    assert _jsonschema_rs_found(kind, patched) == after
