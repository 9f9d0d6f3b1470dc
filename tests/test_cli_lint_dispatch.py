"""``contract-kit lint`` goes straight to the linter's parser, with the arguments it would get."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from contract_kit import cli

if TYPE_CHECKING:
    from pathlib import Path

_ARGUMENTS = [
    [],
    ["."],
    ["--format", "json", "."],
    ["--help"],
    ["-h"],
    ["--version"],
    ["--", "-file.json"],
    ["--unknown", "x"],
    ["--jobs", "2", "--", "--version"],
    ["lint"],
]


@pytest.mark.parametrize("after", _ARGUMENTS)
def test_the_top_level_parser_hands_lint_every_argument_unread(after: list[str]) -> None:
    """The top-level parser leaves every argument after "lint" to the linter, as given."""
    parser = cli._parser()  # noqa: SLF001 - the parser the shortcut stands in for
    arguments, rest = parser.parse_known_args(["lint", *after])
    assert (arguments.command, rest) == ("lint", after)


def test_lint_builds_no_top_level_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A lint run never builds the parsers of the other commands."""

    def refused() -> None:
        raise AssertionError("the top-level parser was built")

    monkeypatch.setattr(cli, "_parser", refused)
    (tmp_path / "empty.json").write_text("[]", encoding="utf-8")
    code = cli.main(["lint", "--format", "json", str(tmp_path / "empty.json")])
    findings = json.loads(capsys.readouterr().out)
    assert (code, [finding["rule"] for finding in findings]) == (2, ["unchecked/kind"])
