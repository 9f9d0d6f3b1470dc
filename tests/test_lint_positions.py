"""Positions are right: what is written at a finding's line and column is what its pointer names.

Checked independently of the linter's own walk: the text at the reported place is decoded
again and compared with the value the pointer names in the parsed document.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_kit.core.violation import join_pointer, split_pointer
from contract_kit.documents.json_source import parse_json
from contract_kit.documents.yaml_source import parse_yaml
from contract_kit.lint.file_lint import LintOptions, lint_file

CASES = Path(__file__).parent / "lint_cases"
JSON_WITH_FINDINGS = sorted(CASES.glob("*/invalid/*.json"))


def _offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    return sum(len(before) + 1 for before in lines[: line - 1]) + column - 1


def _at(document: Any, tokens: list[str]) -> tuple[Any, int]:
    """The value at the deepest existing prefix of ``tokens``, and how many tokens it used."""
    for used, token in enumerate(tokens):
        if isinstance(document, list) and token.isdigit() and int(token) < len(document):
            document = document[int(token)]
        elif isinstance(document, dict) and token in document:
            document = document[token]
        else:
            return document, used
    return document, len(tokens)


@pytest.mark.parametrize("path", JSON_WITH_FINDINGS, ids=lambda path: path.name)
def test_the_text_at_each_finding_is_its_value(path: Path) -> None:
    """Decoding the text at each place gives the value the pointer names (its parent if missing)."""
    text = path.read_text("utf-8")
    document = json.loads(text)
    headers = path.parent.parent.name == "request-headers"
    findings = lint_file(str(path), LintOptions()).findings
    assert findings
    for finding in findings:
        offset = _offset(text, finding.span.line, finding.span.column)
        written, _ = json.JSONDecoder().raw_decode(text, offset)
        tokens = split_pointer(finding.pointer)
        if headers:
            continue  # names fold case and pairs stand for members: see test_lint_cases
        expected, used = _at(document, tokens)
        if finding.rule == "unknown-key":
            assert written == tokens[-1]
        else:
            assert written == expected, finding
            assert used in {len(tokens), len(tokens) - 1}


_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
_values = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)


def _pointers(value: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for name, item in value.items():
            found += _pointers(item, (*prefix, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _pointers(item, (*prefix, index))
    return found


@settings(max_examples=150)
@given(
    value=_values,
    indent=st.sampled_from([None, 0, 2, "\t"]),
    ascii_only=st.booleans(),
    crlf=st.booleans(),
)
def test_every_pointer_of_any_json_text_is_placed_at_its_value(
    value: Any, indent: int | str | None, ascii_only: bool, crlf: bool
) -> None:
    """However a JSON text is laid out, each pointer's place decodes to the value it names."""
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    if crlf:
        text = text.replace("\n", "\r\n")
    source = parse_json(text.encode("utf-8"))
    for tokens in _pointers(value):
        span = source.span(join_pointer(tokens))
        offset = _offset(text, span.line, span.column)
        written, _ = json.JSONDecoder().raw_decode(text, offset)
        assert written == _at(value, [str(token) for token in tokens])[0]


_words = st.text("abcdefghij", min_size=1, max_size=6)
_yaml_values = st.recursive(
    _words | st.integers(min_value=0, max_value=999),
    lambda children: (
        st.lists(children, min_size=1, max_size=3)
        | st.dictionaries(_words, children, min_size=1, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=100)
@given(value=_yaml_values, flow=st.booleans())
def test_every_scalar_of_a_yaml_text_is_placed_at_its_text(value: Any, flow: bool) -> None:
    """In block or flow YAML, each scalar's place is where its text is written."""
    text = yaml.safe_dump(value, default_flow_style=flow)
    source = parse_yaml(text.encode("utf-8"))
    assert source.value == value
    for tokens in _pointers(value):
        scalar = _at(value, [str(token) for token in tokens])[0]
        if isinstance(scalar, dict | list):
            continue
        span = source.span(join_pointer(tokens))
        assert text[_offset(text, span.line, span.column) :].startswith(str(scalar))
