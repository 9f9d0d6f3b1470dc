"""The shortcuts the valid path takes to a kind's pattern-formed export change nothing."""

from __future__ import annotations

import copy
import json

import pytest

from contract_kit.core.references import bundled_document
from contract_kit.core.schema_bundle import kinds, schema_uri
from contract_kit.core.schema_check import formats_as_patterns, pattern_form
from contract_kit.core.schema_export import export_schema, shared_export

KINDS = sorted(kinds())


@pytest.mark.parametrize("kind", KINDS)
def test_shared_export_is_the_export(kind: str) -> None:
    """The export made from the bundle's shared copy is the same document as the export."""
    assert shared_export(kind) == export_schema(kind)


@pytest.mark.parametrize("kind", KINDS)
def test_formats_as_patterns_is_the_pattern_form(kind: str) -> None:
    """Changing an export in place gives its pattern form, and tells that no format is left."""
    exported = shared_export(kind)
    expected = pattern_form(exported)
    assert formats_as_patterns(exported) is False
    assert exported == expected


@pytest.mark.parametrize("kind", KINDS)
def test_the_bundle_is_unchanged(kind: str) -> None:
    """Making a pattern form in place leaves the bundle's shared copy of every schema as read."""
    before = {name: copy.deepcopy(bundled_document(schema_uri(name))) for name in KINDS}
    formats_as_patterns(shared_export(kind))
    for name in KINDS:
        assert bundled_document(schema_uri(name)) == before[name], name


def test_an_unknown_format_is_left_and_told() -> None:
    """A format without a pattern stays where it is, and the answer says one is left."""
    schema = {"properties": {"at": {"format": "date-time"}, "mail": {"format": "email"}}}
    assert formats_as_patterns(schema) is True
    assert "format" not in schema["properties"]["at"]
    assert json.dumps(schema["properties"]["mail"]) == '{"format": "email"}'
