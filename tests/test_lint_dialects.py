"""What other JSON dialects allow, and YAML 1.1 booleans, are named where they are."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from contract_kit.cli import main

if TYPE_CHECKING:
    from pathlib import Path

_COMMENT = "invalid JSON: a comment: JSON has no comments (use YAML, or remove it) [unchecked/json]"
_OBJECT_COMMA = (
    "invalid JSON: a trailing comma before }: JSON allows none (remove it) [unchecked/json]"
)
_ARRAY_COMMA = (
    "invalid JSON: a trailing comma before ]: JSON allows none (remove it) [unchecked/json]"
)


def _lint(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, list[str]]:
    code = main(["lint", "--color", "never", *arguments])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out.splitlines()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"xdm:name": "a", // why\n"xdm:status": "draft"}', f"1:19: {_COMMENT}"),
        ('// a fallback offer\n{"xdm:name": "a"}', f"1:1: {_COMMENT}"),
        ('{"xdm:name": /* later */ "a"}', f"1:14: {_COMMENT}"),
        ('{"xdm:name": "a"}\n# the end\n', f"2:1: {_COMMENT}"),
        ('{\n  # a name\n  "xdm:name": "a"\n}', f"2:3: {_COMMENT}"),
        ('{"xdm:name": "a",}', f"1:17: {_OBJECT_COMMA}"),
        ('{\n  "xdm:name": "a",\n}\n', f"2:18: {_OBJECT_COMMA}"),
        ('{"xdm:tags": ["a", "b",\n  ]}', f"1:23: {_ARRAY_COMMA}"),
    ],
)
def test_comments_and_trailing_commas_are_named(
    folder: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    """A comment is reported at its first character, a trailing comma at the comma."""
    (folder / "offer.json").write_text(text, "utf-8")
    code, lines = _lint(capsys, "offer.json")
    assert code == 2
    assert lines[0] == f"offer.json:{expected}"


def test_other_syntax_errors_keep_their_wording(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A comma where a value should be, not before a bracket, is the parser's error as before."""
    (folder / "offer.json").write_text('{"xdm:name": , "a": 1}', "utf-8")
    _, lines = _lint(capsys, "offer.json")
    assert lines[0] == "offer.json:1:14: invalid JSON: expecting a value [unchecked/json]"


def test_an_unquoted_yaml_boolean_word_gets_a_hint(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """on, Off, yes read as booleans; where that breaks a rule, the finding says so."""
    (folder / "offer.yaml").write_text(
        "xdm:name: on\nxdm:status: Off\nxdm:representations: [yes]\n", "utf-8"
    )
    code, lines = _lint(capsys, "--kind", "fallback-offer", "offer.yaml")
    assert code == 1
    assert lines[:3] == [
        (
            "offer.yaml:1:11: error: /xdm:name: expected a string, got a boolean (true); YAML 1.1 reads the "
            'unquoted word on as true: quote it ("on") if the word is meant [type]'
        ),
        (
            "offer.yaml:2:13: error: /xdm:status: false is not one of "
            '"draft", "approved", "archived", "pending", "rejected"; YAML 1.1 reads the unquoted '
            'word Off as false: quote it ("Off") if the word is meant [status]'
        ),
        (
            "offer.yaml:3:23: error: /xdm:representations/0: expected an object, got a boolean (true); "
            'YAML 1.1 reads the unquoted word yes as true: quote it ("yes") if the word is meant '
            "[type]"
        ),
    ]


def test_true_quoted_words_and_json_get_no_boolean_hint(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A boolean written true, a quoted "on", a y (a string in PyYAML) and JSON get no hint."""
    (folder / "offer.yaml").write_text(
        'xdm:name: true\nxdm:status: "on"\nxdm:representations: [y]\n', "utf-8"
    )
    (folder / "offer.json").write_text('{"xdm:name": true}', "utf-8")
    _, lines = _lint(capsys, "--kind", "fallback-offer", "offer.json", "offer.yaml")
    findings = [line for line in lines if line.startswith("offer.")]
    assert findings
    assert not any("YAML 1.1" in line for line in findings)
    assert "offer.yaml:2:13: error: /xdm:status: " in "\n".join(findings)
