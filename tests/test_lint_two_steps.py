"""A kind checked in two steps (a verdict, then an explanation) answers as its one-step check."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import contract_kit
from contract_kit import strategies as cs
from contract_kit.core.kinds import instance_form
from contract_kit.lint import file_lint
from contract_kit.lint.documents import document_kind
from contract_kit.lint.file_lint import LintOptions, Pending
from contract_kit.lint.findings import FileResult

SPEED_FREE = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: The kinds checked in two steps: all but headers, which code alone checks at once.
KINDS = [kind for kind in contract_kit.kinds() if document_kind(kind).valid is not None]
CASES = Path(__file__).parent / "lint_cases"


def _instances(kind: str) -> st.SearchStrategy[Any]:
    return cs.valid(kind) | cs.invalid(kind).map(lambda case: case.instance)


def _answers_as_check(kind: str, document: object) -> None:
    checked = document_kind(kind)
    assert checked.valid is not None
    assert checked.explain is not None
    if checked.valid(document):
        assert checked.check(document) == []
    else:
        assert checked.explain(document) == checked.check(document)


@pytest.mark.parametrize("kind", KINDS)
@settings(SPEED_FREE, max_examples=15)
@given(data=st.data())
def test_valid_then_explain_is_check(kind: str, data: st.DataObject) -> None:
    """A yes is a document with no violation; after a no, the explanation is the check's."""
    _answers_as_check(kind, data.draw(_instances(kind)))


@pytest.mark.properties
@pytest.mark.parametrize("kind", KINDS)
@settings(SPEED_FREE, max_examples=100)
@given(data=st.data())
def test_valid_then_explain_is_check_at_length(kind: str, data: st.DataObject) -> None:
    """The same on many more drawn documents (a long property test)."""
    _answers_as_check(kind, data.draw(_instances(kind)))


def test_only_headers_are_checked_in_one_step() -> None:
    """Every bundled kind but headers has both steps; headers and recordings have neither."""
    one_step = [kind for kind in contract_kit.kinds() if kind not in KINDS]
    assert one_step == [kind for kind in contract_kit.kinds() if instance_form(kind) == "headers"]
    assert document_kind("recording").valid is None


def test_a_document_jsonschema_rs_cannot_read_is_a_no() -> None:
    """A value Rust does not take as JSON (an integer past 64 bits) is left to explain."""
    checked = document_kind("fallback-offer")
    assert checked.valid is not None
    assert checked.explain is not None
    document = {"xdm:name": "x", "xdm:status": "draft", "xdm:representations": 10**40}
    assert not checked.valid(document)
    assert checked.explain(document) == checked.check(document)


@pytest.mark.parametrize(
    "case", sorted(CASES.glob("*/*/*")), ids=lambda path: "/".join(path.parts[-3:])
)
def test_screen_then_explain_is_lint(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every lint case file: its screened answer, or its explanation, is its one-step lint.

    So is the two steps' answer in one reading, as the process that explains gives it.
    """
    monkeypatch.chdir(tmp_path)
    shutil.copy(case, tmp_path / case.name)
    options = LintOptions(root=str(tmp_path))
    one_step = file_lint.lint_file(case.name, options)
    assert file_lint.screen_and_explain_file(case.name, options) == one_step
    handed = file_lint.screen(case.name, options)
    assert (
        handed if isinstance(handed, FileResult) else file_lint.explain_pending(handed, options)
    ) == (one_step)


def test_a_pending_file_carries_its_bytes_and_kind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file left to explain is handed on as read, with its kind; a large one is read again."""
    monkeypatch.chdir(tmp_path)
    typo = CASES / "fallback-offer" / "invalid" / "typo-status-key.json"
    shutil.copy(typo, tmp_path / "typo.json")
    options = LintOptions(root=str(tmp_path))
    pending = file_lint.screen("typo.json", options)
    assert pending == Pending("typo.json", typo.read_bytes(), "fallback-offer")
    monkeypatch.setattr(file_lint, "_CARRIED", 10)
    large = file_lint.screen("typo.json", options)
    assert large == Pending("typo.json", None, "fallback-offer")
    assert file_lint.explain_pending(large, options) == file_lint.explain_pending(pending, options)
    assert file_lint.explain_pending(large, options) == file_lint.lint_file("typo.json", options)
