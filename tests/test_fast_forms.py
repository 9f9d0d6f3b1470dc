"""The linear form jsonschema-rs lists errors by refuses exactly the names the contract refuses."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import contract_kit
from contract_kit.core.fast_explain import fast_form
from contract_kit.core.formats import ecma
from contract_kit.core.references import referenced
from contract_kit.core.schema_bundle import load_schema, subschemas

#: No deadline and no timed health check: no test may depend on machine speed.
SPEED_FREE = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _name_rules() -> list[dict[str, Any]]:
    """Every distinct propertyNames of the bundle, and forms the bundle does not use (yet)."""
    found: dict[str, dict[str, Any]] = {}
    for kind in contract_kit.kinds():
        for schema in referenced(load_schema(kind)).values():
            for _, sub in subschemas(schema):
                if "propertyNames" in sub:
                    found[repr(sub["propertyNames"])] = sub["propertyNames"]
    others = [
        ("^(xdm:|dc:)", []),  # no known names
        ("", []),
        ("^xdm:|acme", ["xdm:name"]),  # not only prefixes: searched
        ("dc:", ["dc:format"]),
        ("^(a.b|c)", ["a.b"]),  # a dot is no literal
    ]
    for pattern, names in others:
        rule = {"anyOf": [{"enum": names}, {"not": {"pattern": pattern}}]}
        found[repr(rule)] = rule
    return list(found.values())


NAME_RULES = _name_rules()
_KNOWN = sorted({name for rule in NAME_RULES for name in rule["anyOf"][0]["enum"]})
NAMES = st.one_of(
    st.sampled_from(_KNOWN),
    st.tuples(
        st.sampled_from(["", "xdm:", "dc:", "repo:", "@", "acme:", "a.b", "axb", "x"]),
        st.sampled_from(["", *_KNOWN]),
        st.text(alphabet="xdm:@\n$ab.|", max_size=4),
    ).map("".join),
    st.text(max_size=10),
)


def _refuses(rule: dict[str, Any], name: str) -> bool:
    """The rule as the contract states it: neither a known name nor outside the namespaces."""
    known, outside = rule["anyOf"]
    return name not in known["enum"] and bool(ecma(outside["not"]["pattern"]).search(name))


def test_the_bundle_has_prefix_namespaces_and_no_namespace_at_all() -> None:
    """Both shortcuts of the linear form are taken by the bundle's own rules."""
    patterns = {rule["anyOf"][1]["not"]["pattern"] for rule in NAME_RULES}
    assert {"^(xdm:|dc:|repo:|@)", ""} <= patterns


@pytest.mark.parametrize("rule", NAME_RULES, ids=repr)
@SPEED_FREE
@example(name="xdm:stauts")
@example(name="xdm:status\n")
@example(name="acme:xdm:name")
@given(name=NAMES)
def test_the_linear_form_refuses_what_property_names_refuses(
    rule: dict[str, Any], name: str
) -> None:
    """A name is refused by the patternProperties jsonschema-rs gets exactly when the rule refuses it."""
    form = fast_form({"propertyNames": rule})
    assert list(form) == ["patternProperties"]
    assert jsonschema_rs.validator_for(form).is_valid({name: 0}) is not _refuses(rule, name)


#: The kinds whose documents have no propertyNames of the bundle's form.
_WITHOUT_NAME_RULES = {"error", "fallback-offer-patch", "request-headers"}


def _rewritten_copy(schema: dict[str, Any]) -> dict[str, Any]:
    """The fast form as a full copy makes it: every rewritable propertyNames rewritten in place."""
    form = copy.deepcopy(schema)
    names = {"patternProperties", "additionalProperties", "unevaluatedProperties"}
    for _, sub in list(subschemas(form)):
        if "propertyNames" in sub and not names & sub.keys():
            pattern = fast_form({"propertyNames": sub["propertyNames"]}).get("patternProperties")
            if pattern is not None:
                del sub["propertyNames"]
                sub["patternProperties"] = pattern
    return form


@pytest.mark.parametrize("kind", contract_kit.kinds())
def test_the_fast_form_is_a_rewritten_copy_sharing_what_it_keeps(kind: str) -> None:
    """Each bundled document's form equals a rewritten deep copy, and the document is untouched."""
    rewritten = False
    for schema in referenced(load_schema(kind)).values():
        before = copy.deepcopy(schema)
        form = fast_form(schema)
        assert json.dumps(form) == json.dumps(_rewritten_copy(before))
        assert schema == before
        assert (form is schema) is (form == schema)  # nothing to rewrite: nothing copied
        rewritten = rewritten or form != schema
    assert rewritten or kind in _WITHOUT_NAME_RULES
