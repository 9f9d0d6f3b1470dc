"""Loading a cassette: the linter's safe reader, and every entry checked for its shape."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import contract_kit
from contract_kit.cassettes.cassette import load_cassette

ROOT = Path(__file__).parent.parent
HINT = (
    "Hint: fix the file where shown, or record the cassette again (pytest --contract-record=all)."
)
READ_HINT = "Hint: give the path of a cassette file, or record one (pytest --contract-record=all)."
GOOD = "{method: GET, url: 'https://platform.adobe.io/data/core/xcore/', status: 200}"
# Under 500 bytes that would expand to 10**9 values through nine levels of aliases.
ALIAS_BOMB = (
    "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(
        f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]\n"
        for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "responses: [*i]\n"
)


def _problem(tmp_path: Path, text: str) -> str:
    path = tmp_path / "bad.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(contract_kit.CassetteError) as caught:
        load_cassette(path)
    return str(caught.value).replace(str(path), "bad.yaml")


def _one(bullet: str) -> str:
    return f"bad.yaml is not a recording contract_kit can replay:\n- {bullet}\n\n{HINT}"


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    """A few hundred bytes that would expand to a billion values are refused, unexpanded."""
    assert len(ALIAS_BOMB) < 500
    assert _problem(tmp_path, ALIAS_BOMB) == _one(
        "bad.yaml:6:36: YAML aliases here make the document more than 1,000,000 values (an alias "
        "bomb?); write the values out, or use fewer aliases"
    )


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    """100,000 nested sequences are a placed problem, not a RecursionError.

    The place is the first sequence past 256 levels (the mapping and the block sequence
    count), whether PyYAML refuses deep flow nesting itself (newer releases) or not.
    """
    assert _problem(tmp_path, "responses:\n- " + "[" * 100_000 + "\n") == _one(
        "bad.yaml:2:257: nesting deeper than 256 levels of sequences and mappings; a payload "
        "nests about ten deep"
    )


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    """A named pipe is no cassette: refused at once, where reading it would hang."""
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    with pytest.raises(contract_kit.CassetteError) as caught, contract_kit.replay_cassette(path):
        pass
    assert str(caught.value) == (
        "pipe.yaml is not a recording contract_kit can replay:\n"
        f"- {path}: the path is a FIFO (named pipe), not a regular file\n\n{READ_HINT}"
    )


def test_a_device_is_refused_without_reading_it() -> None:
    """/dev/zero never ends: it is refused as a device, not read into memory."""
    with pytest.raises(contract_kit.CassetteError) as caught:
        load_cassette(Path("/dev/zero"))
    assert str(caught.value) == (
        "zero is not a recording contract_kit can replay:\n"
        f"- /dev/zero: the path is a device, not a regular file\n\n{READ_HINT}"
    )


def test_a_missing_cassette(tmp_path: Path) -> None:
    """A path that does not exist says so, and how to make the cassette."""
    path = tmp_path / "none.yaml"
    with pytest.raises(contract_kit.CassetteError) as caught:
        load_cassette(path)
    assert str(caught.value) == (
        "none.yaml is not a recording contract_kit can replay:\n"
        f"- {path}: the path does not exist\n\n{READ_HINT}"
    )


@pytest.mark.parametrize(
    ("text", "bullet"),
    [
        pytest.param(
            "responses:\n- response: {method: GET\n",
            "bad.yaml:3:1: invalid YAML: while parsing a flow mapping, did not find expected ',' "
            "or '}'",
            id="malformed-yaml",
        ),
        pytest.param(
            "responses:\n- !!python/object:os.system {}\n",
            "bad.yaml:2:3: the YAML tag !!python/object:os.system has no JSON value; a payload "
            "holds JSON values only",
            id="python-tag",
        ),
        pytest.param(
            "[1, 2]\n",
            "bad.yaml:1:1: (root): expected a mapping with a responses: list, got an array of 2 "
            "items",
            id="not-a-mapping",
        ),
        pytest.param(
            "responses: {}\n",
            "bad.yaml:1:12: /responses: expected a list of exchanges, got an object with 0 members",
            id="responses-not-a-list",
        ),
        pytest.param(
            "responses: []\nrecorded: today\n",
            'bad.yaml:2:1: /recorded: a recording has no key "recorded"; its keys are responses',
            id="unknown-top-level-key",
        ),
        pytest.param(
            "responses:\n- response: {method: GET, url: 'https://platform.adobe.io/', status: true}\n",
            "bad.yaml:2:70: /responses/0/response/status: expected an HTTP status: an integer "
            "from 100 to 599, got true",
            id="status-true",
        ),
        pytest.param(
            "responses:\n- response: {method: GET, url: 'https://platform.adobe.io/', status: 600}\n",
            "bad.yaml:2:70: /responses/0/response/status: expected an HTTP status: an integer "
            "from 100 to 599, got 600",
            id="status-600",
        ),
        pytest.param(
            "responses:\n- response: {method: GET, url: 'https://platform.adobe.io/'}\n",
            "bad.yaml:2:13: /responses/0/response: status is missing: expected an HTTP status: an "
            "integer from 100 to 599",
            id="status-missing",
        ),
        pytest.param(
            "responses:\n- response:\n    method: GET\n    url: https://platform.adobe.io/\n"
            "    status: 200\n    headers: [[Location, x]]\n",
            "bad.yaml:6:14: /responses/0/response/headers: expected a mapping of header names to "
            "strings, got an array of 1 item",
            id="headers-as-a-list",
        ),
        pytest.param(
            f"responses:\n- request: {{headers: {{Content-Length: 362}}}}\n  response: {GOOD}\n",
            "bad.yaml:2:39: /responses/0/request/headers/Content-Length: expected a string "
            "(quote the value), got 362",
            id="header-not-a-string",
        ),
        pytest.param(
            "responses:\n- response: {method: get, url: 'https://platform.adobe.io/', status: 200}\n",
            "bad.yaml:2:22: /responses/0/response/method: expected an HTTP method in capitals "
            '(GET), got "get"',
            id="method-in-lower-case",
        ),
        pytest.param(
            "responses:\n- response: {method: FETCH, url: 'https://platform.adobe.io/', status: 200}\n",
            "bad.yaml:2:22: /responses/0/response/method: expected an HTTP method: GET, HEAD, "
            'POST, PUT, PATCH, DELETE, OPTIONS, got "FETCH"',
            id="method-unknown",
        ),
        pytest.param(
            "responses:\n- response: {method: GET, url: /data/core/xcore/, status: 200}\n",
            "bad.yaml:2:32: /responses/0/response/url: expected an absolute http or https URL, "
            'got "/data/core/xcore/"',
            id="url-relative",
        ),
        pytest.param(
            "responses:\n- response: {method: GET, url: 'https://[platform.adobe.io/', status: 200}\n",
            "bad.yaml:2:32: /responses/0/response/url: expected an absolute http or https URL, "
            'got "https://[platform.adobe.io/"',
            id="url-unbalanced-bracket",
        ),
        pytest.param(
            f"responses:\n- response: {GOOD[:-1]}, heders: {{}}}}\n",
            'bad.yaml:2:91: /responses/0/response/heders: a response has no key "heders"; did '
            'you mean "headers"?',
            id="misspelt-key",
        ),
        pytest.param(
            f"responses:\n- response: {GOOD[:-1]}, body: 42}}\n",
            "bad.yaml:2:97: /responses/0/response/body: expected a string, got 42",
            id="body-not-a-string",
        ),
        pytest.param(
            f"responses:\n- response: {GOOD[:-1]}, body_base64: '%%%'}}\n",
            "bad.yaml:2:104: /responses/0/response/body_base64: expected the body's bytes in "
            'base64, got "%%%"',
            id="base64-invalid",
        ),
        pytest.param(
            f"responses:\n- response: {GOOD[:-1]}, body: x, body_base64: AA==}}\n",
            "bad.yaml:2:113: /responses/0/response/body_base64: a body is text (body) or bytes "
            "(body_base64), not both: make body ''",
            id="both-bodies",
        ),
        pytest.param(
            f"responses:\n- response: {GOOD[:-1]}, content_type: 1}}\n",
            "bad.yaml:2:105: /responses/0/response/content_type: expected a string or null, got 1",
            id="content-type-not-a-string",
        ),
        pytest.param(
            f"responses:\n- response: {GOOD[:-1]}, auto_calculate_content_length: sometimes}}\n",
            "bad.yaml:2:122: /responses/0/response/auto_calculate_content_length: expected true "
            'or false, got "sometimes"',
            id="flag-not-a-boolean",
        ),
        pytest.param(
            "responses:\n- [GET, 'https://platform.adobe.io/']\n",
            "bad.yaml:2:3: /responses/0: expected an exchange: a mapping with response and "
            "request, got an array of 2 items",
            id="exchange-not-a-mapping",
        ),
        pytest.param(
            f"responses:\n- request: [GET]\n  response: {GOOD}\n",
            "bad.yaml:2:12: /responses/0/request: expected a mapping (the request sent), got an "
            "array of 1 item",
            id="request-not-a-mapping",
        ),
        pytest.param(
            "responses:\n- request: {}\n",
            "bad.yaml:2:3: /responses/0: the exchange has no response: it needs method, url and "
            "status",
            id="no-response",
        ),
    ],
)
def test_a_cassette_of_the_wrong_shape(tmp_path: Path, text: str, bullet: str) -> None:
    """Each problem is placed at file:line:column, its pointer, and what was expected there."""
    assert _problem(tmp_path, text) == _one(bullet)


def test_every_bad_entry_is_listed_up_to_ten(tmp_path: Path) -> None:
    """Twelve bad entries: ten bullets, then how many more, each at its own line."""
    text = "responses:\n" + "- response: {method: GET, url: 'https://x.test/', status: 0}\n" * 12
    lines = _problem(tmp_path, text).splitlines()
    assert lines[1] == (
        "- bad.yaml:2:59: /responses/0/response/status: expected an HTTP status: an integer "
        "from 100 to 599, got 0"
    )
    assert lines[10].startswith("- bad.yaml:11:59: /responses/9/response/status:")
    assert lines[11:] == ["- and 2 more", "", HINT]


def test_a_secret_header_value_is_not_shown(tmp_path: Path) -> None:
    """A header's wrong value is named by its type only when the header holds a credential."""
    text = f"responses:\n- request: {{headers: {{x-api-key: 123456789}}}}\n  response: {GOOD}\n"
    assert _problem(tmp_path, text).splitlines()[1] == (
        "- bad.yaml:2:34: /responses/0/request/headers/x-api-key: expected a string (quote the "
        "value), got an integer"
    )


@pytest.mark.parametrize(
    "path",
    [
        ROOT / "examples" / "cassettes" / "lifecycle.yaml",
        ROOT / "tests" / "lint_cases" / "recording" / "invalid" / "responses-recorder-file.yaml",
    ],
    ids=["contract-kit", "responses-recorder"],
)
def test_cassettes_of_both_recorders_load(path: Path) -> None:
    """Our own cassettes and those of responses' recorder (no request side) load."""
    exchanges = load_cassette(path)
    assert exchanges
    assert all(100 <= exchange.status <= 599 for exchange in exchanges)
