"""The JSON report's objects, written directly, are the text the JSON dump would write."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from contract_kit.core.rule_catalogue import rules
from contract_kit.lint.escaping import json_text
from contract_kit.lint.findings import (
    CRASHES,
    FILE_PROBLEMS,
    Category,
    FileResult,
    Finding,
    Span,
)
from contract_kit.lint.output import _as_object, json_report
from contract_kit.lint.runner import LintRun

# Paths are names of files: no lone surrogate but those os.fsdecode makes of stray bytes.
_PATHS = st.text(st.characters(exclude_categories=["Cs"])) | st.sampled_from(
    ["-", "offers/a.json", "\udcff.json", "dir\\name.json"]
)
_RULES = st.sampled_from(sorted(set(rules()) | set(FILE_PROBLEMS) | set(CRASHES)))
_SPANS = st.builds(Span, *(st.integers(1, 10**6) for _ in range(4)))


@st.composite
def _findings(draw: st.DrawFn) -> tuple[str, Finding]:
    rule = draw(_RULES)
    category: Category = (
        "unchecked" if rule in FILE_PROBLEMS else "crash" if rule in CRASHES else "violation"
    )
    finding = Finding(
        draw(_SPANS), draw(st.text()), draw(st.text()), rule, draw(st.none() | st.text()), category
    )
    return draw(_PATHS), finding


@given(found=st.lists(_findings(), max_size=4))
def test_the_json_report_is_the_dump_of_its_objects(found: list[tuple[str, Finding]]) -> None:
    """Any path, message, pointer and kind (controls, bidi marks, surrogates) reads the same."""
    run = LintRun(tuple(FileResult(path, (finding,)) for path, finding in found), len(found))
    objects = [_as_object(path, finding) for path, finding in run.findings()]
    report = json_report(run)
    assert report == json_text(objects) + "\n"
    assert json.loads(report) == objects
