"""The document's examples can be read by tools that resolve every ``$ref`` they meet."""

from __future__ import annotations

from typing import Any

from contract_kit.lint.examples import example
from contract_kit.openapi.document import openapi_document
from contract_kit.openapi.samples import sample


def _refs(value: object) -> list[str]:
    if isinstance(value, dict):
        own = [value["$ref"]] if isinstance(value.get("$ref"), str) else []
        return own + [ref for item in value.values() for ref in _refs(item)]
    if isinstance(value, list):
        return [ref for item in value for ref in _refs(item)]
    return []


def test_every_reference_in_the_document_stays_inside_it() -> None:
    """Prism failed to start on a documented body's ``$ref`` member: none leaves the document."""
    document: dict[str, Any] = openapi_document(example)
    assert [ref for ref in _refs(document) if not ref.startswith("#/")] == []


def test_an_example_holding_a_ref_member_is_left_out() -> None:
    """The documented rule names its profile schema by ``$ref``: it is no example here."""
    rule = example("eligibility-rule")
    assert "$ref" in rule["xdm:definedOn"]["profile"]["xdm:schema"]
    assert sample(example, "eligibility-rule") is None
    assert sample(example, "tag") == example("tag")
    assert sample(None, "tag") is None
