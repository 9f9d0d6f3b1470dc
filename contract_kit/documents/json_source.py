"""JSON files: parsed strictly at C speed; positions found in the text only when asked.

The parser is the standard library's, with a member hook that refuses a name given twice in
one object: orjson is faster at parsing, but silently keeps the last of two members of one
name, and telling that afterwards costs more than the hook (see docs/lint.md, "Speed"). NaN and
Infinity are refused, and so is nesting deeper than :data:`MAX_DEPTH`. Where one of these
hides, a second, slower walk of the text finds its exact place.
"""

from __future__ import annotations

import functools
import json
import json.decoder
import re
from typing import TYPE_CHECKING, Any

from contract_kit.core.limits import digits_limit, too_long
from contract_kit.core.messages import show
from contract_kit.documents.limits import MAX_DEPTH, Span
from contract_kit.documents.source import Lines, Member, ParseProblemError, Source, undecodable

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

__all__ = ["JsonTree", "parse_json"]

_BOM = b"\xef\xbb\xbf"
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER_OR_LITERAL = re.compile(
    r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null"
)
_CONSTANT = re.compile(r"NaN|-?Infinity")
# Every byte but the two that open a container: deleting them leaves the openers, counted
# in one pass of the text where two counts would take two (a third of the time of both).
_NOT_OPENERS = bytes(byte for byte in range(256) if byte not in b"[{")


def _skip(text: str, index: int) -> int:
    """The index of the first character at or after ``index`` that is not JSON whitespace."""
    match = _WHITESPACE.match(text, index)
    return match.end() if match else index


_scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
# The C scanner: ``(value, end)`` of the value at an index, where the text is known to be JSON
# (parsed already, so within the digit and depth limits).
_scan_value: Callable[[str, int], tuple[object, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_COLON = re.compile(r"[ \t\n\r]*:[ \t\n\r]*")
_AFTER_VALUE = re.compile(r"[ \t\n\r]*,?[ \t\n\r]*")


class _RepeatedMemberError(Exception):
    pass


class _ConstantError(Exception):
    pass


def _members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    members = dict(pairs)
    if len(members) != len(pairs):
        raise _RepeatedMemberError
    return members


def _constant(_name: str) -> Any:
    raise _ConstantError


class _LongIntegerError(Exception):
    def __init__(self, digits: int) -> None:
        self.digits = digits


def _integer(text: str) -> int:
    digits = len(text.lstrip("-"))
    limit = digits_limit()
    if limit and digits > limit:  # int() would raise a ValueError that names sys
        raise _LongIntegerError(digits)
    return int(text)


# The standard parser's messages that read oddly without the position it appends.
_SYNTAX_MESSAGES = {
    "Expecting value": "expecting a value",
    "Extra data": "extra data after the value",
    "Unterminated string starting at": "a string is not closed",
    "Invalid control character at": "a control character in a string (escape it)",
    "Invalid \\escape": "an invalid escape in a string",
    "Invalid \\uXXXX escape": "an invalid \\uXXXX escape in a string",
}
_COMMENT = "invalid JSON: a comment: JSON has no comments (use YAML, or remove it)"
_STRICT = json.JSONDecoder(object_pairs_hook=_members, parse_constant=_constant, parse_int=_integer)


def _syntax_problem(text: str, error: json.JSONDecodeError) -> ParseProblemError:
    """Name what other JSON dialects allow (comments, trailing commas) where the parser stops.

    The standard parser stops at a comment's first character, and at the closing bracket
    after a trailing comma (Python 3.13 at the comma itself); both are found from the text.
    """
    at = error.pos
    if text.startswith(("//", "/*", "#"), at):
        return ParseProblemError(_COMMENT, at)
    comma = at if text.startswith(",", at) else len(text[:at].rstrip(" \t\r\n")) - 1
    if comma >= 0 and text.startswith(",", comma):
        closer = _skip(text, comma + 1)
        if text.startswith(("}", "]"), closer):
            message = f"invalid JSON: a trailing comma before {text[closer]}: JSON allows none"
            return ParseProblemError(message + " (remove it)", comma)
    said = _SYNTAX_MESSAGES.get(error.msg, error.msg[:1].lower() + error.msg[1:])
    return ParseProblemError(f"invalid JSON: {said}", at)


def _decode(data: bytes) -> str:
    if data.startswith(_BOM):
        message = "the file starts with a byte order mark; save it as UTF-8 without one"
        raise ParseProblemError(message, line_column=(1, 1))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise undecodable(data, error) from None


def _depth(value: object) -> int:
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack and deepest <= MAX_DEPTH:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        if isinstance(children, list | type({}.values())):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def parse_json(data: bytes) -> Source:
    """Parse one strict JSON document; :class:`ParseProblemError` says what and where if not."""
    text = _decode(data)
    try:
        return _parse(text, data)
    except ParseProblemError as problem:
        if problem.line_column is None:
            problem.line_column = Lines(text).at(problem.offset)
        raise


def _parse(text: str, data: bytes) -> Source:
    try:
        value = _STRICT.decode(text)
    except json.JSONDecodeError as error:
        if not text.strip(" \t\r\n"):  # asked only here: stripping copies the text
            message = "the file is empty; a payload file holds one JSON value"
            raise ParseProblemError(message, 0) from None
        raise _syntax_problem(text, error) from None
    except _LongIntegerError as error:
        found = re.search(rf"-?[0-9]{{{digits_limit() + 1},}}", text)
        raise ParseProblemError(
            f"invalid JSON: {too_long(error.digits)}", found.start() if found else 0
        ) from None
    except (_RepeatedMemberError, _ConstantError, RecursionError):
        _find_problem(text)
        raise ParseProblemError("invalid JSON", 0) from None  # pragma: no cover - found above
    if len(data.translate(None, _NOT_OPENERS)) > MAX_DEPTH and _depth(value) > MAX_DEPTH:
        _find_problem(text)
    return Source(value, JsonTree(text))


def _too_deep(offset: int) -> ParseProblemError:
    return ParseProblemError(
        f"nesting deeper than {MAX_DEPTH} levels of arrays and objects; "
        "a payload nests about ten deep",
        offset,
    )


def _find_problem(text: str) -> None:  # noqa: C901, PLR0912 - one walk, one branch per token
    """Raise at the first NaN, Infinity, repeated member or too deep nesting of ``text``.

    Iterative, so no nesting can exhaust the stack; it trusts the rest of the syntax, which
    the standard parser checked (and reports a plain syntax error where it finds one).
    """
    open_containers: list[set[str] | None] = []  # names seen in an object; None for an array
    index = _skip(text, 0)
    expect_value = True
    while True:
        if expect_value:
            char = text[index : index + 1]
            if char in {"{", "["} and char:
                if len(open_containers) >= MAX_DEPTH:
                    raise _too_deep(index)
                index = _skip(text, index + 1)
                open_containers.append(set() if char == "{" else None)
                closer = "}" if char == "{" else "]"
                if text.startswith(closer, index):
                    open_containers.pop()
                    index += 1
                    expect_value = False
                elif char == "{":
                    index = _member_name(text, index, open_containers[-1])
                continue
            if char == '"':
                index = _scanstring(text, index + 1, True)[1]  # noqa: FBT003 - strict, positional
            elif constant := _CONSTANT.match(text, index):
                message = (
                    f"{constant.group()} is not JSON, which has no NaN or Infinity; "
                    "write a number, or null"
                )
                raise ParseProblemError(message, index)
            elif scalar := _NUMBER_OR_LITERAL.match(text, index):
                index = scalar.end()
            else:
                raise ParseProblemError("invalid JSON: expecting a value", index)
            expect_value = False
        index = _skip(text, index)
        if not open_containers:
            if index < len(text):
                raise ParseProblemError("invalid JSON: extra data after the value", index)
            return
        names = open_containers[-1]
        char = text[index : index + 1]
        if char == ",":
            index = _skip(text, index + 1)
            if names is not None:
                index = _member_name(text, index, names)
            expect_value = True
        elif char == ("}" if names is not None else "]"):
            open_containers.pop()
            index += 1
        else:
            closer = "}" if names is not None else "]"
            raise ParseProblemError(f"invalid JSON: expecting ',' or '{closer}'", index)


def _member_name(text: str, index: int, names: set[str] | None) -> int:
    """Read one member name at ``index`` and its colon; return where the value starts."""
    if not text.startswith('"', index):
        raise ParseProblemError("invalid JSON: expecting a member name in double quotes", index)
    name, after = _scanstring(text, index + 1, True)  # noqa: FBT003 - strict, positional
    if names is not None:
        if name in names:
            message = (
                f"member {show(name)} appears twice in one object, which parsers read "
                "differently; keep one"
            )
            raise ParseProblemError(message, index)
        names.add(name)
    after = _skip(text, after)
    if not text.startswith(":", after):
        raise ParseProblemError("invalid JSON: expecting ':' after a member name", after)
    return _skip(text, after + 1)


def _offset(node: object) -> int:
    if not isinstance(node, int):  # pragma: no cover - nodes come from the tree itself
        raise TypeError(f"a JSON node is an offset, not {node!r}")
    return node


class JsonTree:
    """Nodes of a JSON text are the offsets where values start; members are found on demand."""

    def __init__(self, text: str) -> None:
        self.text = text

    @functools.cached_property
    def _lines(self) -> Lines:
        return Lines(self.text)

    def root(self) -> object:
        """The offset of the document's value."""
        return _skip(self.text, 0)

    def _span(self, start: int, end: int) -> Span:
        line, column = self._lines.at(start)
        end_line, end_column = self._lines.at(end)
        return Span(line, column, end_line, end_column)

    def span(self, node: object) -> Span:
        """A scalar's whole text; an object or array by its opening bracket."""
        start = _offset(node)
        if self.text[start] in "{[":
            return self._span(start, start + 1)
        return self._span(start, _scan_value(self.text, start)[1])

    def string(self, node: object) -> str | None:
        """The text of a string value."""
        start = _offset(node)
        if self.text.startswith('"', start):
            return _scanstring(self.text, start + 1, True)[0]  # noqa: FBT003 - strict, positional
        return None

    def children(self, node: object) -> Iterator[Member] | None:
        """The members of an object or the items of an array, in order, read as taken."""
        text, start = self.text, _offset(node)
        if text[start] not in "{[":
            return None
        return self._members(start + 1, "}" if text[start] == "{" else "]")

    def _members(self, index: int, closer: str) -> Iterator[Member]:
        # One scan of a name or value and one regular expression between each. The text is
        # JSON, so both expressions match (the ignores are for their Optional types): a colon
        # follows a name, a comma or the closer a value.
        text = self.text
        after_value = _AFTER_VALUE.match
        index = _skip(text, index)
        if closer == "]":
            while not text.startswith("]", index):
                yield Member(None, None, index)
                index = after_value(text, _scan_value(text, index)[1]).end()  # type: ignore[union-attr]
            return
        colon = _COLON.match
        while not text.startswith("}", index):
            name, after = _scanstring(text, index + 1, True)  # noqa: FBT003 - strict, positional
            value = colon(text, after).end()  # type: ignore[union-attr]
            yield Member(name, index, value)
            index = after_value(text, _scan_value(text, value)[1]).end()  # type: ignore[union-attr]
