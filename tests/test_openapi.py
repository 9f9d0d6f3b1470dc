"""contract-kit openapi: a valid OpenAPI 3.1 document of every operation, built from the tables."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import yaml
from hypothesis import assume, given, settings
from openapi_spec_validator import validate
from test_strategies import SPEED_FREE

from contract_kit import strategies as cs
from contract_kit.cli import main
from contract_kit.core.formats import FORMATS
from contract_kit.core.media_types import parse_media_type
from contract_kit.core.object_kinds import object_kinds
from contract_kit.core.operations import OPERATIONS
from contract_kit.core.rule_catalogue import RULES, severity_of
from contract_kit.core.schema_check import schema_violations
from contract_kit.core.violation import split_pointer
from contract_kit.fake import FakeRequest, FakeResponse, OfferLibrary
from contract_kit.fake.store import DEFAULT_CONTAINER
from contract_kit.lint.examples import example
from contract_kit.openapi import openapi_document, render
from contract_kit.openapi.document import body_kinds, in_form
from contract_kit.openapi.reshape import reshape
from contract_kit.openapi.samples import sample as example_of
from contract_kit.openapi.schemas import exported, split

CASES = Path(__file__).parent / "cases"
DOCUMENT = openapi_document(example)
#: Every bundled kind a request body may be, across the operations.
BODY_KINDS = sorted({kind for op in OPERATIONS for kind in body_kinds(op)})
BASE = f"https://platform.adobe.io/data/core/xcore/{DEFAULT_CONTAINER}"
CREDENTIALS = (
    ("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"),
    ("x-api-key", "4a6f3c1d2e8b4f0a"),
    ("x-gw-ims-org-id", "0123ABCD@AdobeOrg"),
)
RECEIPT = ("Accept", "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1")
SCHEMA_ID = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
CREATE_TYPE = ("Content-Type", f'application/schema-instance+json; version=1; schema="{SCHEMA_ID}"')


def _at(pointer: str) -> Any:
    node: Any = DOCUMENT
    for token in split_pointer(pointer.removeprefix("#")):
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def _resolved(node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = _at(node["$ref"])
    return node


def _references(node: Any) -> list[str]:
    """Every $ref of the document's schemas; an example is data (a rule's xdm:schema has one)."""
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        values = [value for key, value in node.items() if key not in {"example", "examples"}]
        return own + [ref for value in values for ref in _references(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _references(value)]
    return []


def _validator(schema: Any) -> jsonschema_rs.Validator:
    """A 2020-12 validator of ``schema`` that resolves its references inside the document."""
    components = DOCUMENT["components"]["schemas"]
    return jsonschema_rs.validator_for(
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": {"schemas": components},
            **schema,
        },
        formats=dict(FORMATS),
        validate_formats=True,
        ignore_unknown_formats=False,
    )


def _media_types() -> list[tuple[str, str, dict[str, Any]]]:
    """Every (where, key, media type object) of the document's requests and answers."""
    found = []
    for path, operations in DOCUMENT["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            content = operation.get("requestBody", {}).get("content", {})
            found += [(f"{where} request", key, media) for key, media in content.items()]
            for status, answer in operation["responses"].items():
                content = _resolved(answer).get("content", {})
                found += [(f"{where} {status}", key, media) for key, media in content.items()]
    return found


def test_the_document_is_valid_openapi_3_1() -> None:
    """openapi-spec-validator finds nothing wrong with the document, as OpenAPI 3.1.0."""
    assert DOCUMENT["openapi"] == "3.1.0"
    validate(DOCUMENT)


def test_the_document_is_valid_without_examples() -> None:
    """Built without examples of the kinds, the document is valid, its bodies without one."""
    bare = openapi_document()
    validate(bare)
    for operations in bare["paths"].values():
        for operation in operations.values():
            for media in operation.get("requestBody", {}).get("content", {}).values():
                assert "example" not in media


def test_every_operation_of_the_table_is_in_it() -> None:
    """Each operation of the table is at its path and method, named by its operationId."""
    listed = {
        (path, method.upper()): operation["operationId"]
        for path, operations in DOCUMENT["paths"].items()
        for method, operation in operations.items()
    }
    assert listed == {(op.template, op.method): op.name for op in OPERATIONS}


def test_every_reference_resolves_inside_the_document() -> None:
    """Every $ref is a pointer into the document itself, and names something there."""
    references = _references(DOCUMENT)
    assert references
    for reference in references:
        assert reference.startswith("#/"), reference
        assert isinstance(_at(reference), dict | bool), reference


def test_the_version_is_contract_kits(capsys: pytest.CaptureFixture[str]) -> None:
    """info.version is the installed contract_kit's version, as --version prints it."""
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out == f"contract-kit {DOCUMENT['info']['version']}\n"


def test_request_bodies_accept_the_documented_examples() -> None:
    """The schema of every request key takes its example, and contract-kit example's body."""
    checked = 0
    for op in OPERATIONS:
        if op.body is None:
            continue
        content = _at(f"#/paths/{op.template.replace('/', '~1')}/{op.method.lower()}")
        for key, media in content["requestBody"]["content"].items():
            validator = _validator(media["schema"])
            kind, form = media["schema"]["$ref"].rsplit("/", 1)[-1].rsplit(".", 1)
            sample = in_form(example(kind), form)
            # An example holding a $ref member is left out (tests/test_openapi_examples.py).
            shown = example_of(example, kind)
            assert media.get("example") == (None if shown is None else sample), key
            assert validator.is_valid(sample), (op.name, key)
            checked += 1
    # One entry per media type and stored kind: the schema parameter names the body's kind.
    # A decision sends one kind, the decision request, in each of its media types.
    assert checked == sum(
        len(op.content_types) * (1 if op.decision else len(object_kinds()))
        for op in OPERATIONS
        if op.body
    )


def test_every_example_validates_against_its_schema() -> None:
    """Each example in the document, answers of every status included, meets its own schema."""
    statuses: set[str] = set()
    left_out: set[str] = set()
    for where, key, media in _media_types():
        if "example" not in media:
            left_out.add(media["schema"]["$ref"].rsplit("/", 1)[-1].split(".")[0])
            continue
        assert _validator(media["schema"]).is_valid(media["example"]), f"{where} {key}"
        statuses.add(where.rsplit(" ", 1)[-1])
    assert {"200", "201", "400", "401", "403", "404", "406", "409", "422", "503"} <= statuses
    # Only the kinds whose example holds a $ref member go without one.
    assert left_out == {kind for kind in left_out if example_of(example, kind) is None}
    assert left_out == {"eligibility-rule"}


@pytest.mark.parametrize("kind", BODY_KINDS)
def test_reshaped_request_schemas_give_the_bundles_verdicts(kind: str) -> None:
    """On every case file of a body kind, the document's forms together agree with the bundle."""
    either = _either_form(kind)
    files = sorted((CASES / kind).glob("*/*.json"))
    assert files
    for path in files:
        case = json.loads(path.read_text("utf-8"))
        instance = case["instance"] if path.parent.name == "invalid" else case
        assert either.is_valid(instance) == _no_error(kind, instance), path.name


def _no_error(kind: str, instance: Any) -> bool:
    """The bundle's verdict as the document gives it: warnings are constraints it leaves out."""
    return not any(v.is_error for v in schema_violations(kind, instance))


def _either_form(kind: str) -> jsonschema_rs.Validator:
    """The request schemas of ``kind``'s body forms, any of them: the whole body rule."""
    forms = [
        {"$ref": f"#/components/schemas/{name}"}
        for name in DOCUMENT["components"]["schemas"]
        if name.startswith(f"{kind}.")
    ]
    return _validator({"anyOf": forms})


def _encodable(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.properties
@pytest.mark.parametrize("kind", BODY_KINDS)
def test_reshaped_request_schemas_agree_on_drawn_bodies(kind: str) -> None:
    """On 1,000 valid and 1,000 invalid draws, the document's forms give the bundle's verdict."""
    either = _either_form(kind)

    @settings(SPEED_FREE, max_examples=1000, database=None)
    @given(cs.valid(kind), cs.invalid(kind))
    def check(good: Any, bad: cs.InvalidCase) -> None:
        # jsonschema-rs reads no lone surrogate, which the draws may hold (JSON cannot).
        assume(_encodable(good) and _encodable(bad.instance))
        assert either.is_valid(good)
        verdict = _no_error(kind, bad.instance)
        assert either.is_valid(bad.instance) == verdict, bad

    check()


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("xdm:name", True),
        ("@id", True),
        ("offerui:color", True),
        ("x", True),
        ("xdm", True),
        ("", True),
        ("xdm:nmae", False),
        ("@type", False),
        ("repo:anything", False),
        ("dc:", False),
        ("xdm:name\n", False),
    ],
)
def test_member_names_follow_the_bundled_rule_as_one_pattern(name: str, allowed: bool) -> None:
    """The single pattern takes known names and names outside the namespaces, nothing else."""
    forms = split(exported("fallback-offer"))  # the bundle's rule, before warnings are left out
    assert forms is not None
    bare = reshape(forms[1])
    assert set(bare["propertyNames"]) == {"pattern", "x-rule"}
    assert jsonschema_rs.validator_for(bare["propertyNames"]).is_valid(name) == allowed


def test_the_document_leaves_out_the_constraints_of_warning_rules() -> None:
    """unknown-key, min-length, channel, not-for-fallback: named, not enforced (the service takes them)."""
    bare = DOCUMENT["components"]["schemas"]["fallback-offer.bare"]
    assert "propertyNames" not in bare
    assert bare["x-contract-kit-warnings"] == ["unknown-key"]
    properties = bare["properties"]
    assert properties["xdm:rank"] == {
        "description": properties["xdm:rank"]["description"],
        "x-rule": "not-for-fallback",
        "x-contract-kit-warnings": ["not-for-fallback"],
    }
    user_token = DOCUMENT["components"]["parameters"]["header.x-user-token"]["schema"]
    assert "minLength" not in user_token
    assert user_token["x-contract-kit-warnings"] == ["min-length"]


def test_each_call_lists_its_code_only_rules_with_their_severity() -> None:
    """x-contract-kit-rules names catalogue ids with their severity; create has its body's rule."""
    for path, operations in DOCUMENT["paths"].items():
        for operation in operations.values():
            for entry in operation["x-contract-kit-rules"]:
                assert entry["summary"] == RULES[entry["id"]], path
                assert entry["severity"] == severity_of(entry["id"]), path
    create = DOCUMENT["paths"]["/data/core/xcore/{CONTAINER_ID}/instances"]["post"]
    ids = {(entry["id"], entry["where"]) for entry in create["x-contract-kit-rules"]}
    assert {("duplicate-placement", "body"), ("content-type", "headers"), ("json", "body")} <= ids
    read = DOCUMENT["paths"]["/data/core/xcore/{CONTAINER_ID}/instances/{INSTANCE_ID}"]["get"]
    assert "content-type" not in {entry["id"] for entry in read["x-contract-kit-rules"]}


def test_create_links_to_the_calls_on_the_new_instance() -> None:
    """The created answer links read, update, patch and delete by the receipt's instanceId."""
    create = DOCUMENT["paths"]["/data/core/xcore/{CONTAINER_ID}/instances"]["post"]
    links = create["responses"]["201"]["links"]
    targets = {link["operationId"] for link in links.values()}
    assert {"read", "update", "patch", "delete", "lookup"} == targets
    assert links["Read"]["parameters"] == {
        "CONTAINER_ID": "$request.path.CONTAINER_ID",
        "INSTANCE_ID": "$response.body#/instanceId",
    }


def _send(method: str, url: str, *headers: tuple[str, str], body: object = None) -> FakeResponse:
    data = b"" if body is None else json.dumps(body).encode()
    return OfferLibrary().handle(FakeRequest(method, url, headers, data))


ANSWERS = {
    "created": ("post", "POST", "/instances", (*CREDENTIALS, RECEIPT, CREATE_TYPE), True),
    "no token": ("post", "POST", "/instances", (*CREDENTIALS[1:], RECEIPT, CREATE_TYPE), True),
    "no org": ("post", "POST", "/instances", (*CREDENTIALS[:2], RECEIPT, CREATE_TYPE), True),
    "bad content type": ("post", "POST", "/instances", (*CREDENTIALS, RECEIPT), True),
    "unknown instance": (
        "get",
        "GET",
        "/instances/00000000-0000-1000-8000-000000000000",
        CREDENTIALS,
        False,
    ),
    "refused accept": (
        "post",
        "POST",
        "/instances",
        (*CREDENTIALS, ("Accept", "text/html"), CREATE_TYPE),
        True,
    ),
}


@pytest.mark.parametrize("case", sorted(ANSWERS))
def test_the_fakes_answers_are_documented(case: str) -> None:
    """What the fake answers is a documented status, media type and body of the operation."""
    method, verb, suffix, headers, with_body = ANSWERS[case]
    body = example("fallback-offer") if with_body else None
    response = _send(verb, BASE + suffix, *headers, body=body)
    template = "/data/core/xcore/{CONTAINER_ID}/instances" + (
        "" if verb == "POST" else "/{INSTANCE_ID}"
    )
    answer = _resolved(DOCUMENT["paths"][template][method]["responses"][str(response.status)])
    essence = parse_media_type(response.header("Content-Type") or "").essence
    [media] = [m for k, m in answer["content"].items() if parse_media_type(k).essence == essence]
    assert _validator(media["schema"]).is_valid(response.json()), response.body
    for name, header in answer.get("headers", {}).items():
        assert response.header(name) is not None or not _resolved(header)["required"], name


def test_the_cli_writes_the_document_of_the_python_function(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--output, stdout and --format yaml all give the document openapi_document() builds."""
    target = tmp_path / "openapi.json"
    assert main(["openapi", "--output", str(target)]) == 0
    assert target.read_text("utf-8") == render(DOCUMENT)
    assert main(["openapi"]) == 0
    assert capsys.readouterr().out == render(DOCUMENT)
    assert main(["openapi", "--format", "yaml"]) == 0
    assert yaml.safe_load(capsys.readouterr().out) == DOCUMENT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["openapi.json"]


def test_two_builds_are_equal_and_sorted_where_order_means_nothing() -> None:
    """Two builds render the same bytes; component maps and statuses are in sorted order."""
    assert render(openapi_document(example)) == render(DOCUMENT)
    for section in DOCUMENT["components"].values():
        assert list(section) == sorted(section)
    for operations in DOCUMENT["paths"].values():
        for operation in operations.values():
            assert list(operation["responses"]) == sorted(operation["responses"])


def test_an_output_that_cannot_be_written_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder that does not exist gets one clear message and exit 2, and no file appears."""
    target = tmp_path / "missing" / "openapi.json"
    assert main(["openapi", "--output", str(target)]) == 2
    assert capsys.readouterr().err == (
        f"contract-kit openapi: error: cannot write {target}: No such file or directory\n"
        "Name a file in a folder that exists and that you may write to.\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the rename fails, the old document stays whole and no temporary file is left."""
    target = tmp_path / "openapi.json"
    target.write_text("old\n", "utf-8")

    def refuse(*_: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    assert main(["openapi", "--output", str(target)]) == 2
    assert target.read_text("utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["openapi.json"]


def test_an_unknown_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """--format takes json or yaml; anything else is argparse's usage error, exit 2."""
    with pytest.raises(SystemExit) as exited:
        main(["openapi", "--format", "xml"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.endswith(
        "contract-kit openapi: error: argument --format: invalid choice: 'xml' "
        "(choose from 'json', 'yaml')\n"
    )
