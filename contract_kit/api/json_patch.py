"""Apply an RFC 6902 JSON Patch to a copy of a document, with errors that name the operation.

The fake service answers PATCH with this module. A failed patch must leave the stored instance
as it was, so the operations run on a deep copy that is returned only when all of them succeed.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from contract_kit.core.violation import join_pointer, split_pointer

__all__ = ["PatchError", "apply_patch", "is_pointer"]

_OPS = ("add", "remove", "replace", "move", "copy", "test")
_OP_LIST = "add, remove, replace, move, copy or test"
_MEMBERS = {
    "add": ("path", "value"),
    "remove": ("path",),
    "replace": ("path", "value"),
    "move": ("from", "path"),
    "copy": ("from", "path"),
    "test": ("path", "value"),
}
_POINTER = re.compile(r"(?:/(?:[^~/]|~[01])*)*")
_INDEX = re.compile(r"0|[1-9][0-9]*")
_SHOWN_LENGTH = 60


class PatchError(ValueError):
    """A JSON Patch that cannot be applied; the document it was meant for is unchanged.

    ``index`` is the position of the failing operation in the patch, or None when the patch
    is not a list at all. ``pointer`` is the RFC 6901 pointer, in the patch document, of the
    member at fault (e.g. ``/2/path``); for a missing member it names where it belongs.
    """

    def __init__(self, message: str, *, index: int | None, pointer: str) -> None:
        super().__init__(message)
        self.index = index
        self.pointer = pointer


class _OperationError(Exception):
    """A problem found while following a pointer; apply_patch adds the operation to it."""

    def __init__(self, member: str, problem: str) -> None:
        super().__init__(problem)
        self.member = member
        self.problem = problem


def is_pointer(text: str) -> bool:
    """Whether ``text`` is an RFC 6901 pointer: empty, or ``/``-led tokens escaping only ~0, ~1."""
    return isinstance(text, str) and _POINTER.fullmatch(text) is not None


def apply_patch(document: Any, patch: Any) -> Any:
    """Return a copy of ``document`` with ``patch`` applied; raise PatchError if any op fails.

    Neither argument is changed, and the result shares no containers with either: the values
    that ``add``, ``replace`` and ``copy`` put in place are copies.
    """
    if not isinstance(patch, list):
        example = json.dumps([{"op": "replace", "path": "/_instance/xdm:status", "value": "x"}])
        raise PatchError(
            f"the patch is {_kind(patch)}; a JSON Patch is an array of operations, e.g. {example}",
            index=None,
            pointer="",
        )
    result = copy.deepcopy(document)
    for index, operation in enumerate(patch):
        result = _apply_operation(result, operation, index)
    return result


def _apply_operation(document: Any, operation: Any, index: int) -> Any:
    if not isinstance(operation, dict):
        raise PatchError(
            f"operation {index} is {_kind(operation)}; each operation is an object such as "
            f'{{"op": "remove", "path": "/a"}}',
            index=index,
            pointer=f"/{index}",
        )
    header = _header(index, operation)
    try:
        op = _check_op(operation)
        for member in _MEMBERS[op]:
            _check_member(operation, member)
        return _run(document, op, operation)
    except _OperationError as failure:
        raise PatchError(
            f"{header}: {failure.problem}", index=index, pointer=f"/{index}/{failure.member}"
        ) from None


def _check_op(operation: dict[str, Any]) -> str:
    if "op" not in operation:
        raise _OperationError("op", f'"op" is missing; use {_OP_LIST}')
    if operation["op"] not in _OPS:
        raise _OperationError(
            "op", f"{_brief(operation['op'])} is not an operation; use {_OP_LIST}"
        )
    return str(operation["op"])


def _check_member(operation: dict[str, Any], member: str) -> None:
    if member not in operation:
        raise _OperationError(member, f'"{member}" is missing')
    text = operation[member]
    if member == "value":
        return
    if not isinstance(text, str):
        raise _OperationError(member, f'"{member}" is {_kind(text)}, not a string')
    if not is_pointer(text):
        raise _OperationError(
            member,
            f'"{member}" {_brief(text)} is not a JSON pointer; write "" for the whole document '
            'or "/" before each name, with ~0 for "~" and ~1 for "/" inside names',
        )


def _run(document: Any, op: str, operation: dict[str, Any]) -> Any:
    path = split_pointer(operation["path"])
    if op == "add":
        return _add(document, path, copy.deepcopy(operation["value"]), "path")
    if op == "remove":
        _remove(document, path, "path")
        return document
    if op == "replace":
        if not path:
            return copy.deepcopy(operation["value"])
        parent = _get(document, path[:-1], "path")
        key = _slot(parent, path[:-1], path[-1], "path")
        parent[key] = copy.deepcopy(operation["value"])
        return document
    if op == "test":
        actual, expected = _get(document, path, "path"), operation["value"]
        if not _equal(actual, expected):
            raise _OperationError(
                "value", f"{_shown(path)} is {_brief(actual)}, not {_brief(expected)}"
            )
        return document
    source = split_pointer(operation["from"])
    value = _get(document, source, "from")
    if op == "copy":
        return _add(document, path, copy.deepcopy(value), "path")
    if len(path) > len(source) and path[: len(source)] == source:
        raise _OperationError(
            "path", f"{_shown(path)} is inside {_shown(source)}; a value cannot move into itself"
        )
    if path == source:
        return document
    _remove(document, source, "from")
    return _add(document, path, value, "path")


def _get(document: Any, tokens: list[str], member: str) -> Any:
    node = document
    for depth, token in enumerate(tokens):
        node = node[_slot(node, tokens[:depth], token, member)]
    return node


def _add(document: Any, tokens: list[str], value: Any, member: str) -> Any:
    if not tokens:
        return value
    where = tokens[:-1]
    try:
        parent = _get(document, where, member)
    except _OperationError:
        if tokens[-1] == "-":
            example = json.dumps({"op": "add", "path": join_pointer(where), "value": []})
            problem = f"the array {_shown(where)} does not exist; add it first, e.g. {example}"
        else:
            problem = (
                f"{_shown(where)} does not exist; add creates only the last name of its path, "
                f"so add {_shown(where)} first"
            )
        raise _OperationError(member, problem) from None
    key = _slot(parent, where, tokens[-1], member, adding=True)
    if isinstance(parent, list):
        parent.insert(int(key), value)
    else:
        parent[key] = value
    return document


def _remove(document: Any, tokens: list[str], member: str) -> Any:
    if not tokens:
        raise _OperationError(
            member, 'the whole document cannot be removed; replace it (path "") instead'
        )
    parent = _get(document, tokens[:-1], member)
    key = _slot(parent, tokens[:-1], tokens[-1], member)  # before .pop: parent may be a scalar
    return parent.pop(key)


def _slot(node: Any, where: list[str], name: str, member: str, *, adding: bool = False) -> Any:
    """The key or index that ``name`` gives in ``node``; for add it may be a new one."""
    here = join_pointer([*where, name])
    if isinstance(node, dict):
        if adding or name in node:
            return name
        raise _OperationError(member, f"{here} does not exist")
    if not isinstance(node, list):
        if adding:
            problem = f"{_shown(where)} is {_kind(node)}, so nothing can be added inside it"
        else:
            problem = f"{here} does not exist: {_shown(where)} is {_kind(node)}"
        raise _OperationError(member, problem)
    size = len(node)
    if name == "-":
        if adding:
            return size
        raise _OperationError(
            member,
            f'{here} does not exist: "-" is the end of the array {_shown(where)}, '
            "a place only add, move and copy can write to",
        )
    if not _INDEX.fullmatch(name):
        raise _OperationError(
            member,
            f"{here} does not exist: {_brief(name)} is not an array index; "
            "write 0, 1, 2 and so on, without leading zeros",
        )
    position = int(name)
    if position < size or (adding and position == size):
        return position
    hint = f' (add inserts at 0 to {size}, or "-" to append)' if adding else ""
    count = "1 item" if size == 1 else f"{size} items"
    raise _OperationError(
        member, f"{here} does not exist: the array {_shown(where)} has {count}{hint}"
    )


def _equal(left: Any, right: Any) -> bool:
    """JSON equality: 1 == 1.0, but true is not 1 and key order does not matter."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_equal(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_equal, left, right))
    return type(left) is type(right) and bool(left == right)


def _header(index: int, operation: dict[str, Any]) -> str:
    op, path, source = (operation.get(m) for m in ("op", "path", "from"))
    if not isinstance(op, str):
        return f"operation {index}"
    shown = [op]
    if op in {"move", "copy"} and isinstance(source, str) and isinstance(path, str):
        shown += [source or '""', "to"]
    if isinstance(path, str):
        shown.append(path or '""')
    return f"operation {index} ({' '.join(shown)})"


def _shown(tokens: list[str]) -> str:
    return join_pointer(tokens) if tokens else "the document"


def _kind(value: Any) -> str:
    kinds = ((bool, "a boolean"), (int | float, "a number"), (str, "a string"), (list, "an array"))
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    fallback = f"a {type(value).__name__}"
    return next((name for kind, name in kinds if isinstance(value, kind)), fallback)


def _brief(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=repr)
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 1] + "…"
