"""The public surface: small, explicit, typed, and light to import."""

from __future__ import annotations

import re
import subprocess
import sys
import types
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import contract_kit
from contract_kit.core.violation import Violation, sort_violations


def test_all_names_exactly_what_is_exported() -> None:
    """__all__ is a sorted tuple of every public name, each of which resolves to ours."""
    assert isinstance(contract_kit.__all__, tuple)
    assert list(contract_kit.__all__) == sorted(contract_kit.__all__)
    for name in contract_kit.__all__:
        assert getattr(contract_kit, name).__module__.startswith("contract_kit."), name
    public = {
        name
        for name in dir(contract_kit)
        if not name.startswith(("_", "@"))  # "@py_builtins": pytest rewrites a plugin's modules
        and not isinstance(getattr(contract_kit, name), types.ModuleType)  # loaded submodules
    }
    assert public - {"annotations", "TYPE_CHECKING", "Any"} == set(contract_kit.__all__)
    with pytest.raises(AttributeError, match="module 'contract_kit' has no attribute 'missing'"):
        contract_kit.missing  # noqa: B018


def test_importing_the_package_loads_none_of_its_parts() -> None:
    """`import contract_kit` imports no submodule of its own and no dependency."""
    code = (
        "import sys, contract_kit\n"
        "heavy = {'jsonschema', 'referencing', 'hypothesis', 'responses', 'requests', 'yaml'}\n"
        "ours = {m for m in sys.modules if m.startswith('contract_kit.')}\n"
        "print(sorted(heavy & set(sys.modules) | ours))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_rules_are_a_fresh_catalogue() -> None:
    """rules() maps every rule id to a summary; changing the copy changes nothing."""
    catalogue = contract_kit.rules()
    assert catalogue["duplicate-placement"] == (
        "Two representations of one offer name the same placement."
    )
    catalogue.clear()
    assert contract_kit.rules()


def test_order_is_by_pointer_with_numeric_indices_then_rule_then_message() -> None:
    """Index 10 sorts after index 2; at one pointer, rule ids then messages decide."""
    unordered = [
        Violation("/a/10", "m", "type"),
        Violation("/a/2/b", "m", "type"),
        Violation("/a/2", "z", "enum"),
        Violation("/a/2", "a", "enum"),
        Violation("", "m", "type"),
        Violation("/a/2", "m", "type"),
        Violation("/a/2", "m", "type"),
    ]
    assert sort_violations(unordered) == [
        Violation("", "m", "type"),
        Violation("/a/2", "a", "enum"),
        Violation("/a/2", "z", "enum"),
        Violation("/a/2", "m", "type"),
        Violation("/a/2/b", "m", "type"),
        Violation("/a/10", "m", "type"),
    ]


def test_member_names_of_non_ascii_digits_sort_as_names() -> None:
    """A member named "²²" (digits to str.isdigit, not to int) sorts as a name, after indices."""
    unordered = [Violation("/a/²²", "m", "unknown-key"), Violation("/a/3", "m", "type")]
    assert sort_violations(unordered) == [
        Violation("/a/3", "m", "type"),
        Violation("/a/²²", "m", "unknown-key"),
    ]


@given(st.lists(st.text(max_size=4), max_size=4))
def test_any_pointer_sorts_without_raising(tokens: list[str]) -> None:
    """Whatever member names a body holds, ordering its violations never raises."""
    pointer = "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens)
    assert sort_violations([Violation(pointer, "m", "type"), Violation("/0", "m", "type")])


def test_a_url_python_cannot_split_is_a_path_violation() -> None:
    """An unbalanced "[" in the host (a mangled recording) is reported at /path, not raised."""
    url = "https://[platform.adobe.io/data/core/xcore/"
    assert contract_kit.check_request("GET", url, {}, None) == [
        Violation(
            "/path",
            f'"{url}" cannot be read as a URL (Invalid IPv6 URL); send https://HOST/PATH?QUERY',
            "path",
        )
    ]


def test_pointers_escape_slashes_and_tildes() -> None:
    """Member names holding / or ~ are escaped as RFC 6901 says."""
    found = contract_kit.violations(
        "fallback-offer",
        {"xdm:name": "n", "xdm:status": "draft", "xdm:representations": [{}],
         "xdm:characteristics": {"a/b~c": 1}},
    )  # fmt: skip
    assert "/xdm:characteristics/a~1b~0c" in [v.pointer for v in found]


def test_docs_describe_every_rule_and_no_other() -> None:
    """docs/rules.md has one row per rule id, in the catalogue's order."""
    docs = (Path(__file__).parent.parent / "docs" / "rules.md").read_text("utf-8")
    documented = re.findall(r"^\| `([a-z-]+)` \|", docs, flags=re.MULTILINE)
    assert documented == list(contract_kit.rules())


def test_every_test_the_contract_decisions_cite_exists() -> None:
    """docs/contract.md cites tests for its decisions; each cited file and test exists."""
    tests = Path(__file__).parent
    docs = (tests.parent / "docs" / "contract.md").read_text("utf-8")
    cases = re.findall(r"(?:cases/[a-z-]+/)?(?:valid|invalid)/[a-z0-9-]+\.json", docs)
    assert len(cases) > 20
    for case in cases:
        assert list(tests.glob(case if case.startswith("cases/") else f"cases/*/{case}")), case
    for module, name in re.findall(r"(test_[a-z_]+\.py)(?:::(test_[a-z_0-9]+))?", docs):
        source = (tests / module).read_text("utf-8")
        assert not name or f"def {name}(" in source, f"{module}::{name}"
