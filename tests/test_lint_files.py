"""Paths that are not payload files, and inputs that are hostile, never end in a traceback.

Each case is reported as a file problem with its exact message, and the command exits with 2.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from contract_kit.cli import main
from contract_kit.documents.reading import FileProblemError, read_file

SEED = Path(__file__).parent / "lint_cases" / "fallback-offer" / "valid" / "seed-create-body.json"
INVALID = Path(__file__).parent / "lint_cases" / "fallback-offer" / "invalid" / "missing-name.json"


def _lint(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, list[str]]:
    code = main(["lint", "--color", "never", *arguments])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out.splitlines()


def test_a_fifo_is_not_read(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A named pipe is refused without blocking on it."""
    os.mkfifo(folder / "pipe.json")
    code, lines = _lint(capsys, "pipe.json")
    assert (
        lines[0]
        == "pipe.json:1:1: the path is a FIFO (named pipe), not a regular file [unchecked/file]"
    )
    assert code == 2


def test_a_fifo_found_in_a_folder_is_reported(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A walk that meets a named pipe with a payload's name reports it too."""
    (folder / "offers").mkdir()
    os.mkfifo(folder / "offers" / "pipe.json")
    code, lines = _lint(capsys, "offers")
    assert (
        lines[0]
        == "offers/pipe.json:1:1: the path is a FIFO (named pipe), not a regular file [unchecked/file]"
    )
    assert code == 2


def test_a_directory_named_like_a_file_is_walked(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A directory named x.json is a folder: walked, and with nothing in it, nothing to lint."""
    (folder / "x.json").mkdir()
    code, lines = _lint(capsys, "x.json")
    assert lines == []
    assert code == 2
    assert capsys.readouterr().err == ""


def test_a_directory_named_x_json_has_no_files(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Naming only an empty directory called x.json is a usage error that says why."""
    (folder / "x.json").mkdir()
    code = main(["lint", "x.json"])
    assert capsys.readouterr().err == (
        "contract-kit lint: error: no files to lint: no file under x.json matches the --include "
        "globs (*.json, *.yaml, *.yml) outside the excluded paths\n"
    )
    assert code == 2


def test_reading_a_directory_is_refused(folder: Path) -> None:
    """A directory met where a file was expected (it changed after the walk) is a file problem."""
    (folder / "x.json").mkdir()
    with pytest.raises(FileProblemError, match=r"^the path is a directory, not a file$"):
        read_file("x.json")


def test_a_broken_symlink(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A symbolic link to nothing says where it points."""
    (folder / "gone.json").symlink_to("nowhere.json")
    code, lines = _lint(capsys, "gone.json")
    assert lines[0] == (
        "gone.json:1:1: the path is a broken symbolic link: its target 'nowhere.json' does not "
        "exist [unchecked/file]"
    )
    assert code == 2


def test_a_broken_symlink_in_a_folder(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A walk reports a broken link with a payload's name."""
    (folder / "offers").mkdir()
    (folder / "offers" / "gone.yaml").symlink_to("nowhere.yaml")
    code, lines = _lint(capsys, "offers")
    assert lines[0] == (
        "offers/gone.yaml:1:1: the path is a broken symbolic link: its target 'nowhere.yaml' "
        "does not exist [unchecked/file]"
    )
    assert code == 2


@pytest.mark.usefixtures("folder")
def test_a_missing_path(capsys: pytest.CaptureFixture[str]) -> None:
    """A path that does not exist is a file problem, not a crash."""
    code, lines = _lint(capsys, "missing.json")
    assert lines[0] == "missing.json:1:1: the path does not exist [unchecked/file]"
    assert code == 2


def test_a_symlink_loop_of_files(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two links pointing at each other are refused."""
    (folder / "a.json").symlink_to("b.json")
    (folder / "b.json").symlink_to("a.json")
    code, lines = _lint(capsys, "a.json")
    assert lines[0] == "a.json:1:1: the path is a symbolic link in a loop of links [unchecked/file]"
    assert code == 2


def test_a_directory_loop(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A link back to a folder above is reported once, and the walk still ends."""
    offers = folder / "offers"
    (offers / "nested").mkdir(parents=True)
    shutil.copy(SEED, offers / "nested" / "offer.json")
    (offers / "nested" / "up").symlink_to("..")
    code, lines = _lint(capsys, "offers")
    assert lines[0] == (
        "offers/nested/up:1:1: a directory loop: this symbolic link leads back to a folder "
        "above it [unchecked/file]"
    )
    assert lines[-2] == "1 of 2 files could not be checked."
    assert code == 2


def test_a_folder_reached_twice_is_linted_once(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A link to a sibling folder (not a loop) does not lint its files twice."""
    (folder / "offers").mkdir()
    shutil.copy(INVALID, folder / "offers" / "offer.json")
    (folder / "same").symlink_to("offers")
    code, lines = _lint(capsys, ".")
    assert lines[0].startswith("offers/offer.json:1:1: error: /xdm:name: required member")
    assert lines[2] == "Found 1 violation in 1 of 1 file."
    assert code == 1


def test_a_file_over_the_size_limit(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Files over 10 MiB are not read; the message states the limit."""
    with (folder / "big.json").open("wb") as big:
        big.truncate(10 * 1024 * 1024 + 1)
    code, lines = _lint(capsys, "big.json")
    assert (
        lines[0]
        == "big.json:1:1: the file is 10.0 MiB; files over 10 MiB are not linted [unchecked/file]"
    )
    assert code == 2


def test_a_file_at_the_size_limit_is_read(folder: Path) -> None:
    """A file of exactly 10 MiB is read whole."""
    (folder / "edge.json").write_bytes(b" " * (10 * 1024 * 1024))
    assert len(read_file("edge.json")) == 10 * 1024 * 1024


def _measured_as(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """Make the size a file is measured at ``size``, as if it grew after being measured."""
    measure = os.fstat

    def measured(descriptor: int) -> os.stat_result:
        found = list(measure(descriptor))
        found[6] = size  # st_size
        return os.stat_result(found)

    monkeypatch.setattr(os, "fstat", measured)


@pytest.mark.parametrize(
    ("size", "measured"),
    [(200_000, 10), (150_000, 0)],
    ids=["grew after it was measured", "measured empty, as a virtual file system's"],
)
def test_a_file_is_read_to_its_end_whatever_its_size_read(
    folder: Path, monkeypatch: pytest.MonkeyPatch, size: int, measured: int
) -> None:
    """Bytes past the size taken (smaller, or 0) are read too, however many reads they take."""
    (folder / "sized.json").write_bytes(b"x" * size)
    _measured_as(monkeypatch, measured)
    assert read_file("sized.json") == b"x" * size


def test_a_file_that_grew_past_the_limit_while_read_is_refused(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file measured under 10 MiB that reads longer is refused with its size."""
    (folder / "grown.json").write_bytes(b" " * (10 * 1024 * 1024 + 70_000))
    _measured_as(monkeypatch, 10)
    with pytest.raises(FileProblemError, match=r"^the file is 10\.1 MiB; files over 10 MiB"):
        read_file("grown.json")


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "deep.json",
            "[" * 100_000 + "]" * 100_000,
            (
                "deep.json:1:257: nesting deeper than 256 levels of arrays and objects; a payload "
                "nests about ten deep [unchecked/json]"
            ),
        ),
        (
            "deep-objects.json",
            '{"a":' * 100_000 + "1" + "}" * 100_000,
            (
                "deep-objects.json:1:1281: nesting deeper than 256 levels of arrays and objects; a "
                "payload nests about ten deep [unchecked/json]"
            ),
        ),
        (
            "deep-but-unclosed.json",
            "[" * 100_000,
            (
                "deep-but-unclosed.json:1:257: nesting deeper than 256 levels of arrays and objects; "
                "a payload nests about ten deep [unchecked/json]"
            ),
        ),
        (
            "deep.yaml",
            "[" * 100_000 + "]" * 100_000,
            (
                "deep.yaml:1:257: nesting deeper than 256 levels of sequences and mappings; a payload "
                "nests about ten deep [unchecked/yaml]"
            ),
        ),
        (
            "deep-block.yaml",
            "".join(" " * depth + "a:\n" for depth in range(300)),
            (
                "deep-block.yaml:257:257: nesting deeper than 256 levels of sequences and mappings; a "
                "payload nests about ten deep [unchecked/yaml]"
            ),
        ),
    ],
)
def test_deep_nesting_is_refused(
    folder: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, expected: str
) -> None:
    """100,000 levels neither exhaust the stack nor crash libyaml: nesting is limited to 256."""
    (folder / name).write_text(text, "utf-8")
    code, lines = _lint(capsys, name)
    assert lines[0] == expected
    assert code == 2


def test_nesting_at_the_limit_is_read(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """256 levels are allowed: the file is checked (and is no payload kind)."""
    (folder / "deep.json").write_text("[" * 256 + "]" * 256, "utf-8")
    code, lines = _lint(capsys, "--kind", "fallback-offer", "deep.json")
    assert lines[0] == "deep.json:1:1: error: (root): expected an object, got an array [type]"
    assert code == 1


def test_a_deep_value_inside_a_payload_is_checked(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A vendor member nested 250 deep is allowed, and violations around it are still placed."""
    deep = "[" * 250 + "]" * 250
    (folder / "offer.json").write_text(
        '{"xdm:name": "", "acme:deep": ' + deep + ', "xdm:status": "approved", '
        '"xdm:representations": {}}',
        "utf-8",
    )
    code, lines = _lint(capsys, "offer.json")
    assert lines[:2] == [
        "offer.json:1:14: warning: /xdm:name: an empty string is not allowed here [min-length]",
        # 30 characters before the deep value, 500 of it, 51 after it up to the [
        "offer.json:1:582: error: /xdm:representations: expected an array, got an object [type]",
    ]
    assert code == 1


def test_two_wins_over_one(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A run with violations and a file that cannot be read exits with 2."""
    shutil.copy(INVALID, folder / "invalid.json")
    (folder / "broken.json").write_text("{", "utf-8")
    code, lines = _lint(capsys, ".")
    assert lines[-2] == "Found 1 violation in 1 of 2 files; 1 file could not be checked."
    assert code == 2


def test_exit_codes_for_clean_and_invalid(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """0 when every file passes, 1 when one breaks a rule."""
    shutil.copy(SEED, folder / "valid.json")
    assert _lint(capsys, "valid.json")[0] == 0
    shutil.copy(INVALID, folder / "invalid.json")
    assert _lint(capsys, "valid.json", "invalid.json")[0] == 1


def test_a_path_with_undecodable_bytes(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file name that is not UTF-8 is shown with escapes, not a UnicodeEncodeError."""
    name = os.fsdecode(b"caf\xe9.json")
    (folder / name).write_text("{", "utf-8")
    code, lines = _lint(capsys, name)
    assert (
        lines[0]
        == "caf\\xe9.json:1:2: invalid JSON: expecting property name enclosed in double quotes [unchecked/json]"
    )
    assert code == 2


def test_a_lone_surrogate_escape_is_shown_escaped(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A JSON string holding an unpaired surrogate is read and shown without breaking output."""
    (folder / "offer.json").write_text('{"xdm:name": "\\ud800", "xdm:status": "\\udfff"}', "utf-8")
    code, lines = _lint(capsys, "--select", "status", "offer.json")
    assert lines[0] == (
        'offer.json:1:38: error: /xdm:status: "\\udfff" is not one of "draft", "approved", "archived", '
        '"pending", "rejected" [status]'
    )
    assert code == 1


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "many.yaml",
            "[" + ",".join(["0"] * 1_000_001) + "]\n",
            (
                "many.yaml:1:2000000: the document holds more than 1,000,000 values; a payload "
                "holds a few hundred [unchecked/yaml]"
            ),
        ),
        (
            "mixed.yaml",
            "a: &x [0, 0]\nb: *x\nc: [" + ",".join(["0"] * 1_000_000) + "]\n",
            (
                "mixed.yaml:3:1999983: the document holds more than 1,000,000 values (3 of them "
                "repeated by aliases); a payload holds a few hundred [unchecked/yaml]"
            ),
        ),
    ],
)
def test_too_many_yaml_values_are_worded_as_they_are(
    folder: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, expected: str
) -> None:
    """Over a million values without an alias bomb is not called one (alias-bomb.yaml still is)."""
    (folder / name).write_text(text, "utf-8")
    code, lines = _lint(capsys, name)
    assert lines[0] == expected
    assert code == 2


def test_an_integer_longer_than_python_reads_is_placed_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 5,000-digit integer is a JSON problem at its place (exit 2), not contract-kit failing."""
    payload = tmp_path / "big.json"
    payload.write_text('{"xdm:name": ' + "7" * 5000 + "}", "utf-8")
    code, lines = _lint(capsys, str(payload))
    assert code == 2
    assert lines[0] == (
        f"{payload}:1:14: invalid JSON: an integer of 5000 digits is too large to check: "
        "contract_kit reads integers of up to 4300 digits, as Python's json module does "
        "[unchecked/json]"
    )
