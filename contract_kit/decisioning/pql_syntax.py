"""Read the PQL subset into a tree: tokens, then a recursive descent over the grammar.

The grammar (docs of spec B.7.2): ``or`` of ``and`` of ``not (...)`` or a comparison, a string
function call, ``isNull()``/``isNotNull()``, ``value in [...]``, ``true`` or ``false``. Any
other construct is named in an :class:`~contract_kit.decisioning.errors.UnsupportedPQLError`
at its column, never guessed at.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from contract_kit.decisioning.errors import UnsupportedPQLError

__all__ = [
    "COMPARISONS",
    "STRING_FUNCTIONS",
    "And",
    "Call",
    "Comparison",
    "Constant",
    "Expression",
    "In",
    "Literal",
    "Not",
    "NullCheck",
    "Or",
    "Path",
    "Value",
    "parse",
]

COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
STRING_FUNCTIONS = (
    "equals",
    "notEqualTo",
    "contains",
    "doesNotContain",
    "startsWith",
    "doesNotStartWith",
    "endsWith",
    "doesNotEndWith",
)
_NULL_CHECKS = ("isNull", "isNotNull")
_KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false"})
# Words PQL gives a meaning the subset does not have: read as attribute names they would
# silently compare against a profile member of that name.
_RESERVED = frozenset({"now", "today", "select", "from", "where", "exists", "null"})
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
# Characters that start a construct outside the subset, and what PQL means by them.
_OUTSIDE = {
    "@": "context reference",
    "$": "parameter reference",
    "{": "map",
    "}": "map",
    "+": "arithmetic",
    "-": "arithmetic",
    "*": "arithmetic",
    "/": "arithmetic",
    "%": "arithmetic",
}
_TOKEN = re.compile(
    r"""\s*(?:
      (?P<string>")
    | (?P<number>-?[0-9]+(?:\.[0-9]+)?)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<lambda>=>)
    | (?P<op>!=|<=|>=|=|<|>|!|\(|\)|\[|\]|,|\.)
    | (?P<other>.)
    )""",
    re.VERBOSE | re.DOTALL,
)


class Path(NamedTuple):
    """A profile attribute, as written (``profile.`` at the start is the profile itself)."""

    text: str
    members: tuple[str, ...]


class Literal(NamedTuple):
    """A string, number, boolean or ``date(y, m, d)`` written in the rule."""

    value: str | int | float | bool | dt.date


Value = Path | Literal


class Comparison(NamedTuple):
    """``left op right``."""

    left: Value
    op: str
    right: Value


class Call(NamedTuple):
    """``path.function("text"[, case_sensitive])``."""

    path: Path
    function: str
    argument: str
    case_sensitive: bool


class NullCheck(NamedTuple):
    """``path.isNull()`` (``present=False``) or ``path.isNotNull()``."""

    path: Path
    present: bool


class In(NamedTuple):
    """``value in [literal, ...]``."""

    value: Value
    choices: tuple[Literal, ...]


class Constant(NamedTuple):
    """``true`` or ``false``."""

    value: bool


class Not(NamedTuple):
    """``not (expr)`` or ``!(expr)``."""

    operand: Expression


class And(NamedTuple):
    """Every operand, left to right."""

    operands: tuple[Expression, ...]


class Or(NamedTuple):
    """Any operand, left to right."""

    operands: tuple[Expression, ...]


Expression = Comparison | Call | NullCheck | In | Constant | Not | And | Or


class _Token(NamedTuple):
    kind: str  # string, number, word, op, outside, end
    text: str
    value: object
    column: int


def _string(text: str, start: int) -> tuple[str, int]:
    """The string literal opening at ``start`` and the index after it."""
    out: list[str] = []
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == '"':
            return "".join(out), index + 1
        if char == "\\":
            escaped = text[index + 1 : index + 2]
            if escaped not in _ESCAPES:
                raise UnsupportedPQLError(f'the escape "\\{escaped}"', index + 1, unreadable=True)
            out.append(_ESCAPES[escaped])
            index += 2
            continue
        out.append(char)
        index += 1
    raise UnsupportedPQLError("a string is not closed", start + 1, unreadable=True)


def _ends_value(token: _Token) -> bool:
    return token.kind in {"string", "number", "word"} or token.text in {")", "]"}


def _tokens(text: str) -> list[_Token]:
    """The tokens of ``text``; a character outside the subset becomes an ``outside`` token.

    Refused only when the parser reaches it, so ``select ... @{...}`` is named by its first
    construct, ``select``.
    """
    found: list[_Token] = []
    index = 0
    while True:
        match = _TOKEN.match(text, index)
        if match is None or match.lastgroup is None:  # only blanks are left
            found.append(_Token("end", "", None, len(text) + 1))
            return found
        kind, start = match.lastgroup, match.start(match.lastgroup)
        column = start + 1
        if kind == "string":
            value, index = _string(text, start)
            found.append(_Token("string", text[start:index], value, column))
            continue
        index = match.end()
        piece = match.group(kind)
        if kind == "number" and piece.startswith("-") and found and _ends_value(found[-1]):
            kind, piece, index = "other", "-", start + 1  # a - b: arithmetic, not a number
        if kind == "number":
            number = float(piece) if "." in piece else int(piece)
            found.append(_Token("number", piece, number, column))
        elif kind == "lambda":
            found.append(_Token("outside", piece, 'the lambda "=>"', column))
        elif kind == "other":
            meaning = _OUTSIDE.get(piece, "the character")
            found.append(_Token("outside", piece, f'{meaning} "{piece}"', column))
        else:
            found.append(_Token(kind, piece, piece, column))


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.at = 0
        for token in self.tokens:  # a lambda reshapes the whole rule: name it before anything
            if token.kind == "outside" and token.text == "=>":
                raise UnsupportedPQLError(str(token.value), token.column)

    @property
    def token(self) -> _Token:
        return self.tokens[self.at]

    def ahead(self, offset: int = 1) -> _Token:
        return self.tokens[min(self.at + offset, len(self.tokens) - 1)]

    def take(self) -> _Token:
        token = self.token
        self.at += 1
        return token

    def is_op(self, text: str) -> bool:
        return self.token.kind == "op" and self.token.text == text

    def is_word(self, text: str) -> bool:
        return self.token.kind == "word" and self.token.text == text

    def expect(self, text: str) -> None:
        if not self.is_op(text):
            raise self.unexpected(f'"{text}"', words_are_constructs=False)
        self.take()

    def unexpected(self, wanted: str, *, words_are_constructs: bool = True) -> UnsupportedPQLError:
        """The error for the current token: a construct outside the subset, or unreadable text.

        A word where an operator belongs (``city like``, ``x AND y``) is PQL the subset lacks;
        a word where punctuation is required (``not a``) is a mistake.
        """
        token = self.token
        if token.kind == "outside":
            return UnsupportedPQLError(str(token.value), token.column)
        if words_are_constructs and token.kind == "word" and token.text not in _KEYWORDS:
            return UnsupportedPQLError(f'"{token.text}"', token.column)
        shown = "the end of the rule" if token.kind == "end" else f'"{token.text}"'
        return UnsupportedPQLError(
            f"{wanted} expected, found {shown}", token.column, unreadable=True
        )

    def rule(self) -> Expression:
        expression = self.disjunction()
        if self.token.kind != "end":
            raise self.unexpected('"and", "or" or the end of the rule')
        return expression

    def disjunction(self) -> Expression:
        operands = [self.conjunction()]
        while self.is_word("or"):
            self.take()
            operands.append(self.conjunction())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def conjunction(self) -> Expression:
        operands = [self.unary()]
        while self.is_word("and"):
            self.take()
            operands.append(self.unary())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def unary(self) -> Expression:
        if self.is_word("not") or self.is_op("!"):
            self.take()
            self.expect("(")
            operand = self.disjunction()
            self.expect(")")
            return Not(operand)
        return self.primary()

    def primary(self) -> Expression:
        if self.is_op("("):
            self.take()
            inner = self.disjunction()
            self.expect(")")
            return inner
        if (self.is_word("true") or self.is_word("false")) and not self._starts_comparison(1):
            return Constant(self.take().text == "true")
        left = self.value()
        if isinstance(left, Path) and self.is_op(".") and self.ahead().kind == "word":
            return self.call(left)
        if self.is_word("in"):
            self.take()
            return In(left, self.choices())
        if self.token.kind == "op" and self.token.text in COMPARISONS:
            op = self.take().text
            return Comparison(left, op, self.value())
        raise self.unexpected('a comparison, a function call or "in"')

    def _starts_comparison(self, offset: int) -> bool:
        token = self.ahead(offset)
        return (token.kind == "op" and token.text in COMPARISONS) or token.text == "in"

    def call(self, path: Path) -> Expression:
        self.take()  # the dot
        name = self.take()
        if name.text not in STRING_FUNCTIONS and name.text not in _NULL_CHECKS:
            raise UnsupportedPQLError(f'"{name.text}"', name.column)
        self.expect("(")
        if name.text in _NULL_CHECKS:
            self.expect(")")
            return NullCheck(path, present=name.text == "isNotNull")
        if self.token.kind != "string":
            raise self.unexpected(f"a string argument of {name.text}")
        argument = str(self.take().value)
        case_sensitive = True
        if self.is_op(","):
            self.take()
            if not (self.is_word("true") or self.is_word("false")):
                raise self.unexpected(f"true or false (the case sensitivity of {name.text})")
            case_sensitive = self.take().text == "true"
        self.expect(")")
        return Call(path, name.text, argument, case_sensitive)

    def choices(self) -> tuple[Literal, ...]:
        self.expect("[")
        found = [self.literal()]
        while self.is_op(","):
            self.take()
            found.append(self.literal())
        self.expect("]")
        return tuple(found)

    def literal(self) -> Literal:
        value = self.value()
        if isinstance(value, Path):
            raise UnsupportedPQLError(f'the attribute "{value.text}" in a list', self.token.column)
        return value

    def value(self) -> Value:
        token = self.token
        if token.kind in {"string", "number"}:
            self.take()
            return Literal(token.value)  # type: ignore[arg-type]
        if token.kind == "word" and token.text in {"true", "false"}:
            self.take()
            return Literal(token.text == "true")
        if token.kind == "word" and token.text not in _KEYWORDS:
            if self.ahead().kind == "op" and self.ahead().text == "(":
                return self.date() if token.text == "date" else self._refuse_function(token)
            return self.path()
        raise self.unexpected("an attribute or a value")

    def _refuse_function(self, token: _Token) -> Value:
        raise UnsupportedPQLError(f'"{token.text}"', token.column)

    def date(self) -> Literal:
        start = self.take()
        self.expect("(")
        parts: list[int] = []
        for index in range(3):
            if index:
                self.expect(",")
            if self.token.kind != "number" or not isinstance(self.token.value, int):
                raise self.unexpected("an integer (date takes year, month, day)")
            parts.append(int(self.take().text))
        self.expect(")")
        try:
            return Literal(dt.date(*parts))
        except ValueError:
            y, m, d = parts
            problem = f"date({y}, {m}, {d}) is not a day of the calendar"
            raise UnsupportedPQLError(problem, start.column, unreadable=True) from None

    def path(self) -> Path:
        first = self.take()
        if first.text in _RESERVED:
            raise UnsupportedPQLError(f'"{first.text}"', first.column)
        names = [first.text]
        # A dot followed by a word and "(" is a function call on the path, not a member.
        while self.is_op(".") and self.ahead().kind == "word" and self.ahead(2).text != "(":
            self.take()
            names.append(self.take().text)
        if self.token.kind == "word" and self.token.text not in _KEYWORDS:
            raise UnsupportedPQLError(f'"{self.token.text}"', self.token.column)
        members = tuple(names[1:] if names[0] == "profile" and len(names) > 1 else names)
        return Path(".".join(names), members)


def parse(text: str) -> Expression:
    """The tree of one rule; outside the subset, the error names the construct and column."""
    return _Parser(text).rule()
