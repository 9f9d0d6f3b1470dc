"""contract-kit schema: one self-contained schema per kind, with the bundle's verdicts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

import contract_kit
from contract_kit.cli import main
from contract_kit.core.formats import FORMATS
from contract_kit.core.headers import normalize_headers
from contract_kit.core.kinds import code_only_rules
from contract_kit.core.schema_bundle import subschemas
from contract_kit.core.schema_check import schema_violations, validator_for
from contract_kit.core.schema_export import _portable, export_schema
from contract_kit.errors import SchemaBundleError

CASES = Path(__file__).parent / "cases"


def _exported(capsys: pytest.CaptureFixture[str], kind: str) -> dict[str, Any]:
    assert main(["schema", kind]) == 0
    schema: dict[str, Any] = json.loads(capsys.readouterr().out)
    return schema


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in _keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in _keys(item)}
    return set()


@pytest.mark.parametrize("kind", contract_kit.kinds())
def test_the_schema_is_self_contained(capsys: pytest.CaptureFixture[str], kind: str) -> None:
    """No $ref, no $defs left, no x- keyword strict validators refuse; the header is kept."""
    schema = _exported(capsys, kind)
    keywords = {key for _, sub in subschemas(schema) for key in sub}
    assert keywords & {"$ref", "$defs", "$dynamicRef"} == set()
    assert not any(key.startswith("x-") for key in keywords)
    assert list(schema)[:5] == ["$schema", "$id", "title", "description", "$comment"]
    assert schema["$id"] == contract_kit.load_schema(kind)["$id"]


def _cases(kind: str) -> list[tuple[Any, str]]:
    found = []
    for path in sorted((CASES / kind).glob("*/*.json")):
        case = json.loads(path.read_text("utf-8"))
        instance = case["instance"] if path.parent.name == "invalid" else case
        found.append((instance, path.stem))
    return found


def _refuse(uri: str) -> Any:
    raise ValueError(f"the exported schema fetched {uri}")


@pytest.mark.parametrize(
    "kind", [kind for kind in contract_kit.kinds() if kind != "request-headers"]
)
def test_the_schema_gives_the_bundles_verdicts(kind: str) -> None:
    """On every example file, a validator given only the export agrees with the bundle."""
    alone = jsonschema_rs.validator_for(
        export_schema(kind),
        retriever=_refuse,
        formats=dict(FORMATS),
        validate_formats=True,
        ignore_unknown_formats=False,
    )
    for instance, name in _cases(kind):
        assert alone.is_valid(instance) == validator_for(kind).is_valid(instance), name


def test_request_headers_are_checked_by_lower_cased_name() -> None:
    """The headers schema reads names in lower case, as its description says."""
    schema = export_schema("request-headers")
    assert "lower-cased header names" in schema["description"]
    assert schema["required"] == ["content-type"]
    assert set(schema["allOf"][0]["required"]) == {
        "accept",
        "authorization",
        "x-api-key",
        "x-gw-ims-org-id",
    }


@pytest.mark.parametrize("kind", contract_kit.kinds())
def test_the_comment_names_the_rules_only_code_checks(kind: str) -> None:
    """Every rule an example breaks that the schema does not report is named in $comment."""
    comment = export_schema(kind)["$comment"]
    assert comment.startswith(f"Exported by contract-kit schema {kind}: ")
    for instance, name in _cases(kind):
        # headers meet the schema keyed by lower-cased name
        checked = normalize_headers(instance)[0] if kind == "request-headers" else instance
        schema_rules = {v.rule for v in schema_violations(kind, checked)}
        all_rules = {v.rule for v in contract_kit.violations(kind, instance)}
        assert all_rules - schema_rules <= set(code_only_rules(kind)), name
    for rule in code_only_rules(kind):
        assert f"{rule}: {contract_kit.rules()[rule]}" in comment
    if not code_only_rules(kind):
        assert comment.endswith("This schema states every rule of the kind.")


def test_descriptions_carry_the_rule_ids(capsys: pytest.CaptureFixture[str]) -> None:
    """x-expected becomes a description naming its rule id, which editors show on hover."""
    schema = _exported(capsys, "fallback-offer")
    status = schema["else"]["properties"]["xdm:status"]
    assert status == {
        "enum": ["draft", "approved", "archived", "pending", "rejected"],
    }
    placement = schema["else"]["properties"]["xdm:representations"]["items"]["properties"][
        "xdm:placement"
    ]
    assert placement == {
        "type": "string",
        "pattern": "^xcore:offer-placement:[0-9a-f]{1,16}$",
        "description": 'an offer-placement id: "xcore:offer-placement:" and 1 to 16 lowercase hex digits (rule xcore-id)',
    }


def test_a_ref_with_siblings_becomes_all_of() -> None:
    """The stored instance ($ref to the instance, plus required @id) keeps both parts."""
    stored = export_schema("fallback-offer-instance")["properties"]["_instance"]
    assert stored["required"] == ["@id"]
    assert stored["allOf"][0]["required"] == ["xdm:name", "xdm:status"]


@pytest.mark.parametrize(
    "pattern",
    [
        "^xcore:tag:[0-9a-f]{1,16}$",
        "^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$",
        "^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$",
        "^https://ns\\.adobe\\.com/x;version=[0-9]+(\\.[0-9]+)*$",
        "^(xdm:|dc:|repo:|@)",
        "a{2,}b{3}",
        "^/(_instance|_links)(/[^/]*)*$",
        "^a\\.b[.]$",
    ],
)
def test_portable_patterns(pattern: str) -> None:
    """Classes, plain and non-capturing groups, quantifiers and end anchors read alike everywhere."""
    assert _portable(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        r"^\d+$",
        r"\w",
        r"(?P<n>a)",
        r"(?<=a)b",
        r"a\Z",
        r"a$b",
        r"a^",
        r"[[:alpha:]]",
        r"[]a]",
        r"a{,3}",
        r"[a",
        "a\\",
        r"^/(_instance|_links)(/.*)?$",
    ],
)
def test_unportable_patterns(pattern: str) -> None:
    """Escapes, groups and anchors that engines read differently are refused."""
    assert not _portable(pattern)


def test_an_unportable_pattern_in_a_schema_is_a_bundle_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bundled schema gaining such a pattern fails the export loudly."""
    schema = contract_kit.load_schema("error")
    schema["properties"] = {"error_code": {"type": "string", "pattern": r"^\d{6}$"}}
    monkeypatch.setattr("contract_kit.core.schema_export.load_schema", lambda _kind: schema)
    with pytest.raises(SchemaBundleError, match=r"uses syntax that regex engines read differently"):
        export_schema("error")
