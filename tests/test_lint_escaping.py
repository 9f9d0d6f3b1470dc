"""What a file holds cannot forge report lines or steer a terminal, in any output format."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from contract_kit.cli import main
from contract_kit.lint import escaping
from contract_kit.lint.escaping import json_safe, json_text, printable

SEED = Path(__file__).parent / "lint_cases" / "fallback-offer" / "valid" / "seed-create-body.json"
EVIL = "xdm:x\n/file.json:1:1: error\x1b[2J\u202e"
# Raw in any output, one of these would move the cursor, clear the screen or reorder a line.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def evil(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A valid offer plus one member whose name holds a forged line and a clear-screen code."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("", "utf-8")
    offer = json.loads(SEED.read_text("utf-8"))
    (tmp_path / "evil.json").write_text(json.dumps({**offer, EVIL: 1}), "utf-8")
    return "evil.json"


def _run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str]:
    code = main(["lint", "--color", "never", *arguments])
    return code, capsys.readouterr().out


def test_text_escapes_a_member_name(evil: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The newline, ESC and bidi override print as escapes: one finding stays one line."""
    code, output = _run(capsys, "--strict", "--select", "unknown-key", evil)
    lines = output.splitlines()
    assert lines[0] == (
        "evil.json:1:364: warning: /xdm:x\\n~1file.json:1:1: error\\x1b[2J\\u202e: unknown member "
        '"xdm:x\\n/file.json:1:1: error\\x1b[2J\\u202e": the contract defines no such member '
        'in the "xdm:" namespace; members of other kinds or vendor extensions belong in a '
        'namespace of their own (e.g. "acme:") [unknown-key]'
    )
    assert lines[1:3] == ["", "Found 1 warning in 1 of 1 file."]
    assert not RAW.search(output)
    assert code == 1


def test_text_escapes_a_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file name with a newline and ESC cannot start a forged line either."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("", "utf-8")
    name = "a\nb.json:1:1: \x1b[31mx.json"
    (tmp_path / name).write_text("{", "utf-8")
    output = _run(capsys, name)[1]
    assert output.splitlines()[0] == (
        "a\\nb.json:1:1: \\x1b[31mx.json:1:2: invalid JSON: expecting property name enclosed "
        "in double quotes [unchecked/json]"
    )


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_json_formats_hold_no_raw_control_character(
    evil: str, capsys: pytest.CaptureFixture[str], output_format: str
) -> None:
    """JSON and SARIF escape them in their strings, and still give the pointer back exactly."""
    output = _run(capsys, "--format", output_format, "--select", "unknown-key", evil)[1]
    assert not RAW.search(output)
    parsed = json.loads(output)
    found = parsed if output_format == "json" else parsed["runs"][0]["results"]
    pointer = found[0]["pointer"] if output_format == "json" else found[0]["properties"]["pointer"]
    assert pointer == "/" + EVIL.replace("/", "~1")


def test_github_keeps_one_command_a_line(evil: str, capsys: pytest.CaptureFixture[str]) -> None:
    """GitHub's %0A stands for the newline; ESC and the override are escaped too."""
    output = _run(capsys, "--format", "github", "--select", "unknown-key", evil)[1]
    (line,) = output.splitlines()
    assert line.startswith(
        "::warning file=evil.json,line=1,col=364,endLine=1,endColumn=409,title=contract-kit "
        "unknown-key::/xdm:x%0A~1file.json:1:1: error\\x1b[2J\\u202e: unknown member"
    )
    assert not RAW.search(output)


def test_a_lone_surrogate_in_a_name_is_printed_in_every_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A member named by an unpaired surrogate escape is shown escaped, never an encoding crash."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("", "utf-8")
    shutil.copy(SEED, tmp_path / "seed.json")
    text = (tmp_path / "seed.json").read_text("utf-8")
    (tmp_path / "offer.json").write_text(text.replace("{", '{"xdm:\\ud800": 1, ', 1), "utf-8")
    for output_format in ("text", "json", "github", "sarif"):
        code, output = _run(capsys, "--strict", "--format", output_format, "offer.json")
        assert "\\ud800" in output, output_format
        output.encode("utf-8")  # printable as UTF-8
        assert code == 1


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\tb\rc\nd", "a\\tb\\rc\\nd"),
        ("\x00\x1b\x7f\x9b", "\\x00\\x1b\\x7f\\x9b"),
        ("\u202eabc\u2066\u2069", "\\u202eabc\\u2066\\u2069"),
        ("\u2028\u200b\ufeff", "\\u2028\\u200b\\ufeff"),
        ("\U000e0041", "\\U000e0041"),
        ("café ünïcode “quotes” 日本", "café ünïcode “quotes” 日本"),
    ],
)
def test_printable(raw: str, shown: str) -> None:
    """Controls and invisible or direction-changing characters are escaped; text stays text."""
    assert printable(raw) == shown


def test_json_text_round_trips() -> None:
    """The escaped JSON reads back as the same value, astral characters included."""
    value = {"\u202e\U000e0041": ["\x1b\u2028", "é"]}
    text = json_text(value)
    assert not RAW.search(text)
    assert "\\u202e\\udb40\\udc41" in text  # a character beyond the BMP as a pair
    assert json.loads(text) == value


@pytest.mark.parametrize("code", range(128))
def test_ascii_is_escaped_as_the_patterns_say(code: int) -> None:
    """ASCII text, which skips the patterns, is escaped as they would escape it, character by character."""
    text = f"a{chr(code)}b"
    by_pattern = [
        re.sub(escaping._UNPRINTABLE, escaping._escape, text),  # noqa: SLF001 - the slow path
        re.sub(escaping._UNPRINTABLE_BUT_LINE_BREAKS, escaping._escape, text),  # noqa: SLF001
        re.sub(escaping._JSON_UNSAFE, escaping._json_escape, text),  # noqa: SLF001
    ]
    assert [printable(text), printable(text, line_breaks=True), json_safe(text)] == by_pattern
