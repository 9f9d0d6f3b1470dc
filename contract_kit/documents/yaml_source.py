"""YAML files: PyYAML's safe loader only, read as JSON values, positions from node marks.

A payload in YAML must mean one JSON value, so beyond PyYAML's own checks:

- a key given twice in one mapping is refused (PyYAML keeps the last silently);
- keys must be strings, and only the JSON-like tags are read (str, int, float, bool, null,
  map, seq); ``.nan`` and ``.inf`` are refused as NaN and Infinity are in JSON;
- dates stay strings (a timestamp is text in a JSON payload);
- before anything is built, one pass over the parser's events refuses nesting deeper than
  :data:`MAX_DEPTH` (libyaml's composer would crash the interpreter on 100,000 levels), an
  alias to a node that contains it, and documents of more than :data:`MAX_NODES` values, be it
  through aliases (an "alias bomb") or not. Merge keys (``<<``) are read as YAML 1.1 defines them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import yaml

from contract_kit.core.messages import json_type, show
from contract_kit.documents.limits import MAX_DEPTH, Span
from contract_kit.documents.source import Lines, Member, ParseProblemError, Source, undecodable

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["MAX_NODES", "YamlTree", "parse_yaml"]

# YAML 1.1 booleans that YAML 1.2 and JSON read as words; PyYAML's safe loader, which is 1.1,
# reads them (in any of its three casings) as true or false.
_WORD_BOOLEANS = frozenset({"yes", "no", "on", "off"})

#: Values a YAML file may expand to through aliases; a payload has a few hundred.
MAX_NODES = 1_000_000

_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_MERGE = _TAG + "merge"
_DROPPED_RESOLVERS = frozenset({_TAG + "timestamp", _TAG + "value"})


class _Loader(_BASE):  # type: ignore[misc]
    """The safe loader, reading dates as strings."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, Any]]]] = {
        first: [(tag, regex) for tag, regex in resolvers if tag not in _DROPPED_RESOLVERS]
        for first, resolvers in _BASE.yaml_implicit_resolvers.items()
    }


def _at(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def _problem(message: str, mark: Any) -> ParseProblemError:
    return ParseProblemError(message, line_column=_at(mark))


def _deep_flow_offset(text: str) -> int | None:
    """Where flow brackets first open deeper than MAX_DEPTH (quoted scalars skipped), if they do."""
    depth, quote, index = 0, "", 0
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return index
        elif char in "]}":
            depth -= 1
        index += 1
    return None


def _yaml_problem(error: yaml.YAMLError, text: str) -> ParseProblemError:
    # Newer PyYAML refuses flow nesting past 1,000 levels while scanning ahead, before the
    # event pass sees level MAX_DEPTH. The text up to the first bracket past MAX_DEPTH is
    # shallow enough for the scanner, and deep enough for the event pass to refuse it where
    # older PyYAML (or its pure-Python loader) does: the same place, whichever is installed.
    offset = _deep_flow_offset(text) if "nesting depth" in str(error) else None
    if offset is not None:
        try:
            _check_events(text[: offset + 1])
        except ParseProblemError as problem:
            return problem
        except yaml.YAMLError:  # pragma: no cover - the brackets alone pass MAX_DEPTH
            pass
        message = (
            f"nesting deeper than {MAX_DEPTH} levels of sequences and mappings; "
            "a payload nests about ten deep"
        )
        return ParseProblemError(message, line_column=Lines(text).at(offset))
    if isinstance(error, yaml.MarkedYAMLError):
        if error.context and "single document" in error.context:
            message = "the file holds more than one YAML document; a payload file holds one"
            return _problem(message, error.problem_mark)
        parts = [part for part in (error.context, error.problem) if part]
        mark = error.problem_mark or error.context_mark
        message = f"invalid YAML: {', '.join(parts)}"
        return _problem(message, mark) if mark else ParseProblemError(message)
    if isinstance(error, yaml.reader.ReaderError):
        character = f"U+{error.character:04X}" if isinstance(error.character, int) else "a byte"
        message = f"invalid YAML: {character}: {error.reason}"
        return ParseProblemError(message, line_column=Lines(text).at(error.position))
    return ParseProblemError(f"invalid YAML: {error}")  # pragma: no cover - every YAMLError above


@dataclass
class _Frame:
    anchor: str | None
    depth: int
    first_value: int  # the running count of values when this collection started
    deepest: int = 0


@dataclass
class _Budget:
    """What the events of a document expand to: values counted, anchors measured."""

    values: int = 0
    aliased: int = 0  # of the values, those an alias repeats
    frames: list[_Frame] = field(default_factory=list)
    anchors: dict[str, tuple[int, int]] = field(default_factory=dict)  # values, height

    def count(self, values: int, height: int, mark: Any, *, alias: bool = False) -> None:
        self.values += values
        if alias:
            self.aliased += values
        if self.values > MAX_NODES:
            raise _problem(self._too_many(alias=alias), mark)
        depth = len(self.frames) + height
        if depth > MAX_DEPTH:
            message = (
                f"nesting deeper than {MAX_DEPTH} levels of sequences and mappings; "
                "a payload nests about ten deep"
            )
            raise _problem(message, mark)
        if self.frames:
            self.frames[-1].deepest = max(self.frames[-1].deepest, depth)

    def _too_many(self, *, alias: bool) -> str:
        """Word the limit as it was reached: by an alias here, with aliases, or by values alone."""
        if alias:
            return (
                f"YAML aliases here make the document more than {MAX_NODES:,} values "
                "(an alias bomb?); write the values out, or use fewer aliases"
            )
        if self.aliased:
            return (
                f"the document holds more than {MAX_NODES:,} values ({self.aliased:,} of them "
                "repeated by aliases); a payload holds a few hundred"
            )
        return f"the document holds more than {MAX_NODES:,} values; a payload holds a few hundred"

    def alias(self, event: Any) -> None:
        name = event.anchor
        if any(frame.anchor == name for frame in self.frames):
            message = f"alias *{name} refers to a node that contains it; JSON values have no cycles"
            raise _problem(message, event.start_mark)
        values, height = self.anchors.get(name, (1, 0))
        self.count(values, height, event.start_mark, alias=True)

    def open(self, event: Any) -> None:
        self.count(1, 1, event.start_mark)
        self.frames.append(_Frame(event.anchor, len(self.frames) + 1, self.values - 1))
        self.frames[-1].deepest = len(self.frames)

    def close(self) -> None:
        frame = self.frames.pop()
        if self.frames:
            self.frames[-1].deepest = max(self.frames[-1].deepest, frame.deepest)
        if frame.anchor is not None:
            height = frame.deepest - frame.depth + 1
            self.anchors[frame.anchor] = (self.values - frame.first_value, height)


def _check_events(text: str) -> None:
    budget = _Budget()
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                budget.alias(event)
            elif isinstance(event, yaml.ScalarEvent):
                budget.count(1, 0, event.start_mark)
                if event.anchor is not None:
                    budget.anchors[event.anchor] = (1, 0)
            elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                budget.open(event)
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                budget.close()
    finally:
        loader.dispose()


class _Builder:
    """Build the JSON value of a composed document, refusing what JSON cannot hold."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.built: dict[int, Any] = {}

    def value(self, node: yaml.Node) -> Any:
        if id(node) in self.built:  # an alias: the same value again
            return self.built[id(node)]
        if isinstance(node, yaml.ScalarNode):
            built = self.scalar(node)
        elif isinstance(node, yaml.SequenceNode) and node.tag == _TAG + "seq":
            built = []
            self.built[id(node)] = built
            built.extend(self.value(item) for item in node.value)
        elif isinstance(node, yaml.MappingNode) and node.tag == _TAG + "map":
            built = {}
            self.built[id(node)] = built
            for name, _, item in mapping_members(node, self.check_name):
                built[name] = self.value(item)
        else:
            raise self.no_json(node)
        self.built[id(node)] = built
        return built

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag.removeprefix(_TAG)
        if tag == "str":
            return node.value
        if tag not in {"null", "bool", "int", "float"}:
            raise self.no_json(node)
        value = self.loader.construct_object(node)
        if isinstance(value, float) and not math.isfinite(value):
            message = (
                f"{node.value} is not a JSON number (JSON has no NaN or Infinity); "
                "write a number, or null"
            )
            raise _problem(message, node.start_mark)
        return value

    def check_name(self, node: yaml.Node) -> str:
        name = self.value(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(name, str):
            shown = f"{show(name)} ({json_type(name)})" if name is not None else "null"
            if not isinstance(node, yaml.ScalarNode):
                shown = "a sequence or mapping"
            message = f"key {shown} is not a string; JSON member names are strings: quote it"
            raise _problem(message, node.start_mark)
        return name

    @staticmethod
    def no_json(node: yaml.Node) -> ParseProblemError:
        tag = "!!" + node.tag.removeprefix(_TAG) if node.tag.startswith(_TAG) else node.tag
        message = f"the YAML tag {tag} has no JSON value; a payload holds JSON values only"
        return _problem(message, node.start_mark)


def mapping_members(
    node: yaml.MappingNode, name_of: Callable[[yaml.Node], str]
) -> list[tuple[str, yaml.Node, yaml.Node]]:
    """Name, key node and value node of each member, merge keys (``<<``) expanded.

    A key given twice in one mapping is refused; a key of the mapping itself wins over a merged
    one, and an earlier merged mapping over a later one, as YAML 1.1 says.
    """
    own: dict[str, tuple[str, yaml.Node, yaml.Node]] = {}
    merged: dict[str, tuple[str, yaml.Node, yaml.Node]] = {}
    for key, item in node.value:
        if key.tag == _MERGE:
            sources = item.value if isinstance(item, yaml.SequenceNode) else [item]
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    message = "a merge key (<<) takes a mapping or a list of mappings"
                    raise _problem(message, source.start_mark)
                for member in mapping_members(source, name_of):
                    merged.setdefault(member[0], member)
            continue
        name = name_of(key)
        if name in own:
            message = (
                f"key {show(name)} appears twice in this mapping, which parsers read "
                "differently; keep one"
            )
            raise _problem(message, key.start_mark)
        own[name] = (name, key, item)
    return [*own.values(), *(member for name, member in merged.items() if name not in own)]


class YamlTree:
    """Nodes are PyYAML's composed nodes; marks give their places."""

    def __init__(self, node: yaml.Node) -> None:
        self.node = node

    def root(self) -> object:
        """The document's node."""
        return self.node

    def span(self, node: object) -> Span:
        """A scalar's whole text; a sequence or mapping by its first character."""
        if not isinstance(node, yaml.Node):  # pragma: no cover - nodes come from this tree
            raise TypeError(f"a YAML node is a yaml.Node, not {node!r}")
        line, column = _at(node.start_mark)
        if isinstance(node, yaml.ScalarNode) and node.end_mark.line == node.start_mark.line:
            return Span(line, column, line, node.end_mark.column + 1)
        return Span(line, column, line, column + 1)

    def string(self, node: object) -> str | None:
        """The text of a string scalar."""
        if isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "str":
            return str(node.value)
        return None

    def boolean_word(self, node: object) -> str | None:
        """The word of an unquoted ``yes``, ``no``, ``on`` or ``off`` read as a boolean."""
        if (
            isinstance(node, yaml.ScalarNode)
            and node.tag == _TAG + "bool"
            and not node.style  # plain: None from PyYAML, "" from libyaml
            and str(node.value).lower() in _WORD_BOOLEANS
        ):
            return str(node.value)
        return None

    def children(self, node: object) -> Sequence[Member] | None:
        """Members of a mapping (merges expanded), items of a sequence."""
        if isinstance(node, yaml.SequenceNode):
            return [Member(None, None, item) for item in node.value]
        if isinstance(node, yaml.MappingNode):
            return [
                Member(name, key, item)
                for name, key, item in mapping_members(node, lambda key: str(key.value))
            ]
        return None


def parse_yaml(data: bytes) -> Source:
    """Parse one YAML document into a JSON value; :class:`ParseProblemError` if it is not one."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise undecodable(data, error) from None
    try:
        _check_events(text)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                message = "the file holds no YAML document; a payload file holds one"
                raise ParseProblemError(message)
            value = _Builder(loader).value(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        raise _yaml_problem(error, text) from None
    return Source(value, YamlTree(node))
