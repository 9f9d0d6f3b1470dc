"""JSON Patch (RFC 6902): the six operations, pointers, errors that name the operation."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract_kit.api.json_patch import PatchError, apply_patch, is_pointer

#: No test may depend on machine speed: no deadline, and the one timed health check off.
SPEED_FREE = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

# RFC 6902 appendix A, the examples that succeed (A.1-A.8, A.10, A.11, A.14, A.16).
RFC_EXAMPLES = [
    ({"foo": "bar"}, [{"op": "add", "path": "/baz", "value": "qux"}], {"baz": "qux", "foo": "bar"}),
    (
        {"foo": ["bar", "baz"]},
        [{"op": "add", "path": "/foo/1", "value": "qux"}],
        {"foo": ["bar", "qux", "baz"]},
    ),
    ({"baz": "qux", "foo": "bar"}, [{"op": "remove", "path": "/baz"}], {"foo": "bar"}),
    ({"foo": ["bar", "qux", "baz"]}, [{"op": "remove", "path": "/foo/1"}], {"foo": ["bar", "baz"]}),
    (
        {"baz": "qux", "foo": "bar"},
        [{"op": "replace", "path": "/baz", "value": "boo"}],
        {"baz": "boo", "foo": "bar"},
    ),
    (
        {"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}},
        [{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}],
        {"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}},
    ),
    (
        {"foo": ["all", "grass", "cows", "eat"]},
        [{"op": "move", "from": "/foo/1", "path": "/foo/3"}],
        {"foo": ["all", "cows", "eat", "grass"]},
    ),
    (
        {"baz": "qux", "foo": ["a", 2, "c"]},
        [
            {"op": "test", "path": "/baz", "value": "qux"},
            {"op": "test", "path": "/foo/1", "value": 2},
        ],
        {"baz": "qux", "foo": ["a", 2, "c"]},
    ),
    (
        {"foo": "bar"},
        [{"op": "add", "path": "/child", "value": {"grandchild": {}}}],
        {"foo": "bar", "child": {"grandchild": {}}},
    ),
    (
        {"foo": "bar"},
        [{"op": "add", "path": "/baz", "value": "qux", "xyz": 123}],
        {"foo": "bar", "baz": "qux"},
    ),
    ({"/": 9, "~1": 10}, [{"op": "test", "path": "/~01", "value": 10}], {"/": 9, "~1": 10}),
    (
        {"foo": ["bar"]},
        [{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}],
        {"foo": ["bar", ["abc", "def"]]},
    ),
]


@pytest.mark.parametrize(("document", "patch", "expected"), RFC_EXAMPLES)
def test_rfc_6902_examples(document: Any, patch: list[Any], expected: Any) -> None:
    """The examples of RFC 6902 appendix A give the results the RFC shows."""
    assert apply_patch(document, patch) == expected


@pytest.mark.parametrize(
    ("document", "patch", "expected"),
    [
        ({"a": 1}, [{"op": "replace", "path": "", "value": [1]}], [1]),
        ({"a": 1}, [{"op": "add", "path": "", "value": "x"}], "x"),
        ({"a": {"b": 1}}, [{"op": "move", "from": "/a", "path": ""}], {"b": 1}),
        ({"a": 1}, [{"op": "test", "path": "", "value": {"a": 1.0}}], {"a": 1}),
        ({"a": [1]}, [{"op": "add", "path": "/a/1", "value": 2}], {"a": [1, 2]}),
        ({"a": [1]}, [{"op": "add", "path": "/a/0", "value": 0}], {"a": [0, 1]}),
        ({"a": {"-": 1}}, [{"op": "replace", "path": "/a/-", "value": 2}], {"a": {"-": 2}}),
        ({"a": {"01": 1}}, [{"op": "remove", "path": "/a/01"}], {"a": {}}),
        ({"": 1}, [{"op": "replace", "path": "/", "value": 2}], {"": 2}),
        ({"a/b": 1}, [{"op": "move", "from": "/a~1b", "path": "/a~0b"}], {"a~b": 1}),
        ({"a": 1}, [{"op": "move", "from": "/a", "path": "/a"}], {"a": 1}),
        ({"a": [1, 2]}, [{"op": "copy", "from": "/a", "path": "/a/-"}], {"a": [1, 2, [1, 2]]}),
        ({"a": 1}, [{"op": "add", "path": "/a", "value": None}], {"a": None}),
        ({"a": 1}, [], {"a": 1}),
    ],
)
def test_edge_cases_of_pointers_and_operations(
    document: Any, patch: list[Any], expected: Any
) -> None:
    """Whole-document paths, "-" and "01" as object names, ~ escapes and no-op moves work."""
    assert apply_patch(document, patch) == expected


def test_an_offer_patch_as_the_docs_send_it() -> None:
    """The Offer Library PATCH of the docs changes the status and appends to an existing array."""
    envelope = {"_instance": {"xdm:status": "draft", "xdm:tags": []}, "_links": {}}
    patch = [
        {"op": "replace", "path": "/_instance/xdm:status", "value": "approved"},
        {"op": "add", "path": "/_instance/xdm:tags/-", "value": "xcore:tag:1"},
    ]
    assert apply_patch(envelope, patch) == {
        "_instance": {"xdm:status": "approved", "xdm:tags": ["xcore:tag:1"]},
        "_links": {},
    }


@pytest.mark.parametrize(
    ("expected", "actual", "passes"),
    [
        (1, 1.0, True),
        (True, 1, False),
        (0, False, False),
        (None, None, True),
        ("1", 1, False),
        ({"a": 1, "b": [1, {"c": None}]}, {"b": [1.0, {"c": None}], "a": 1}, True),
        ({"a": 1}, {"a": 1, "b": 2}, False),
        ([1, 2], [2, 1], False),
        ([1], [1, 1], False),
        ([], {}, False),
    ],
)
def test_test_compares_json_values(expected: Any, actual: Any, passes: bool) -> None:
    """Test compares JSON values: numbers by value, booleans apart from numbers, keys unordered."""
    patch = [{"op": "test", "path": "/v", "value": expected}]
    if passes:
        assert apply_patch({"v": actual}, patch) == {"v": actual}
    else:
        with pytest.raises(PatchError):
            apply_patch({"v": actual}, patch)


DOCUMENT = {"_instance": {"xdm:name": "F1", "xdm:representations": [{"a": 1}]}}
ERRORS = [
    (
        {"op": "add", "path": "/_instance/xdm:tags/-", "value": "t"},
        "/0/path",
        'operation 0 (add /_instance/xdm:tags/-): the array /_instance/xdm:tags does not exist; add it first, e.g. {"op": "add", "path": "/_instance/xdm:tags", "value": []}',
    ),
    (
        {"op": "add", "path": "/a/b", "value": 1},
        "/0/path",
        "operation 0 (add /a/b): /a does not exist; add creates only the last name of its path, so add /a first",
    ),
    (
        {"op": "add", "path": "/_instance/xdm:name/x", "value": 1},
        "/0/path",
        "operation 0 (add /_instance/xdm:name/x): /_instance/xdm:name is a string, so nothing can be added inside it",
    ),
    (
        {"op": "add", "path": "/_instance/xdm:representations/2", "value": 1},
        "/0/path",
        'operation 0 (add /_instance/xdm:representations/2): /_instance/xdm:representations/2 does not exist: the array /_instance/xdm:representations has 1 item (add inserts at 0 to 1, or "-" to append)',
    ),
    (
        {"op": "remove", "path": "/_instance/xdm:representations/1"},
        "/0/path",
        "operation 0 (remove /_instance/xdm:representations/1): /_instance/xdm:representations/1 does not exist: the array /_instance/xdm:representations has 1 item",
    ),
    (
        {"op": "remove", "path": "/_instance/xdm:representations/-"},
        "/0/path",
        'operation 0 (remove /_instance/xdm:representations/-): /_instance/xdm:representations/- does not exist: "-" is the end of the array /_instance/xdm:representations, a place only add, move and copy can write to',
    ),
    (
        {"op": "replace", "path": "/_instance/xdm:representations/00", "value": 1},
        "/0/path",
        'operation 0 (replace /_instance/xdm:representations/00): /_instance/xdm:representations/00 does not exist: "00" is not an array index; write 0, 1, 2 and so on, without leading zeros',
    ),
    (
        {"op": "remove", "path": "/_instance/xdm:status"},
        "/0/path",
        "operation 0 (remove /_instance/xdm:status): /_instance/xdm:status does not exist",
    ),
    (
        {"op": "replace", "path": "/_instance/xdm:name/x", "value": 1},
        "/0/path",
        "operation 0 (replace /_instance/xdm:name/x): /_instance/xdm:name/x does not exist: /_instance/xdm:name is a string",
    ),
    (
        {"op": "remove", "path": ""},
        "/0/path",
        'operation 0 (remove ""): the whole document cannot be removed; replace it (path "") instead',
    ),
    (
        {"op": "test", "path": "/_instance/xdm:name", "value": "F2"},
        "/0/value",
        'operation 0 (test /_instance/xdm:name): /_instance/xdm:name is "F1", not "F2"',
    ),
    (
        {"op": "test", "path": "", "value": 1},
        "/0/value",
        'operation 0 (test ""): the document is {"_instance": {"xdm:name": "F1", "xdm:representations": [{"…, not 1',
    ),
    (
        {"op": "test", "path": "/nothing", "value": 1},
        "/0/path",
        "operation 0 (test /nothing): /nothing does not exist",
    ),
    (
        {"op": "move", "from": "/_instance", "path": "/_instance/x"},
        "/0/path",
        "operation 0 (move /_instance to /_instance/x): /_instance/x is inside /_instance; a value cannot move into itself",
    ),
    (
        {"op": "copy", "from": "/nothing", "path": "/x"},
        "/0/from",
        "operation 0 (copy /nothing to /x): /nothing does not exist",
    ),
    (
        {"op": "move", "from": "/_instance/xdm:name", "path": "/a/b"},
        "/0/path",
        "operation 0 (move /_instance/xdm:name to /a/b): /a does not exist; add creates only the last name of its path, so add /a first",
    ),
    (
        {"path": "/a"},
        "/0/op",
        'operation 0: "op" is missing; use add, remove, replace, move, copy or test',
    ),
    (
        {"op": "delete", "path": "/a"},
        "/0/op",
        'operation 0 (delete /a): "delete" is not an operation; use add, remove, replace, move, copy or test',
    ),
    (
        {"op": ["add"], "path": "/a"},
        "/0/op",
        'operation 0: ["add"] is not an operation; use add, remove, replace, move, copy or test',
    ),
    ({"op": "add", "value": 1}, "/0/path", 'operation 0 (add): "path" is missing'),
    ({"op": "add", "path": "/a"}, "/0/value", 'operation 0 (add /a): "value" is missing'),
    ({"op": "copy", "path": "/a"}, "/0/from", 'operation 0 (copy /a): "from" is missing'),
    (
        {"op": "remove", "path": ["a"]},
        "/0/path",
        'operation 0 (remove): "path" is an array, not a string',
    ),
    (
        {"op": "move", "from": None, "path": "/a"},
        "/0/from",
        'operation 0 (move /a): "from" is null, not a string',
    ),
    (
        {"op": "remove", "path": "a"},
        "/0/path",
        'operation 0 (remove a): "path" "a" is not a JSON pointer; write "" for the whole document or "/" before each name, with ~0 for "~" and ~1 for "/" inside names',
    ),
    (
        {"op": "copy", "from": "/a~2", "path": "/b"},
        "/0/from",
        'operation 0 (copy /a~2 to /b): "from" "/a~2" is not a JSON pointer; write "" for the whole document or "/" before each name, with ~0 for "~" and ~1 for "/" inside names',
    ),
]


@pytest.mark.parametrize(("operation", "pointer", "message"), ERRORS)
def test_errors_name_the_operation_and_the_member(
    operation: dict[str, Any], pointer: str, message: str
) -> None:
    """Each failure names the operation, the member of the patch at fault, and what to do."""
    with pytest.raises(PatchError) as caught:
        apply_patch(DOCUMENT, [operation])
    assert (caught.value.index, caught.value.pointer, str(caught.value)) == (0, pointer, message)


@pytest.mark.parametrize(
    ("patch", "index", "pointer", "message"),
    [
        (
            {"op": "add"},
            None,
            "",
            'the patch is an object; a JSON Patch is an array of operations, e.g. [{"op": "replace", "path": "/_instance/xdm:status", "value": "x"}]',
        ),
        (
            None,
            None,
            "",
            'the patch is null; a JSON Patch is an array of operations, e.g. [{"op": "replace", "path": "/_instance/xdm:status", "value": "x"}]',
        ),
        (
            [{"op": "test", "path": "", "value": {"a": 1}}, "add"],
            1,
            "/1",
            'operation 1 is a string; each operation is an object such as {"op": "remove", "path": "/a"}',
        ),
        (
            [{"op": "remove", "path": "/a"}, {"op": "remove", "path": "/a"}],
            1,
            "/1/path",
            "operation 1 (remove /a): /a does not exist",
        ),
    ],
)
def test_errors_about_the_patch_as_a_whole(
    patch: Any, index: int | None, pointer: str, message: str
) -> None:
    """A patch that is not an array, or holds a non-object, is refused with the place named."""
    with pytest.raises(PatchError) as caught:
        apply_patch({"a": 1}, patch)
    assert (caught.value.index, caught.value.pointer, str(caught.value)) == (
        index,
        pointer,
        message,
    )


def test_a_failure_midway_leaves_the_document_unchanged() -> None:
    """Operations before the failing one change nothing the caller can see."""
    document = {"a": [1], "b": {"c": 1}}
    patch = [
        {"op": "add", "path": "/a/-", "value": 2},
        {"op": "remove", "path": "/b/c"},
        {"op": "test", "path": "/a/0", "value": 9},
    ]
    with pytest.raises(PatchError, match=r"^operation 2 "):
        apply_patch(document, patch)
    assert document == {"a": [1], "b": {"c": 1}}


def test_the_result_shares_nothing_with_the_arguments() -> None:
    """Later changes to the result reach neither the document nor the patch's values."""
    document = {"a": {"b": [1]}}
    patch: list[dict[str, Any]] = [
        {"op": "add", "path": "/x", "value": [1]},
        {"op": "copy", "from": "/a", "path": "/y"},
    ]
    result = apply_patch(document, patch)
    result["a"]["b"].append(2)
    result["x"].append(2)
    result["y"]["b"].append(3)
    assert document == {"a": {"b": [1]}}
    assert patch[0]["value"] == [1]


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("", True),
        ("/", True),
        ("/a/0/-", True),
        ("/a~0b~1c", True),
        ("//", True),
        ("a", False),
        ("/a~", False),
        ("/a~2", False),
        ("#/a", False),
    ],
)
def test_is_pointer(text: str, valid: bool) -> None:
    """A pointer is empty or starts with "/", and "~" is always followed by 0 or 1."""
    assert is_pointer(text) is valid


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b", "0", "-", "~"]), inner, max_size=3)
    ),
    max_leaves=10,
)
_TOKENS = st.sampled_from(["a", "b", "0", "1", "01", "-", "~0", "~1", "~", ""])
_POINTERS = st.lists(_TOKENS, max_size=3).map(lambda tokens: "".join("/" + t for t in tokens))
_OPS = st.sampled_from(["add", "remove", "replace", "move", "copy", "test"])
_OPERATIONS = st.fixed_dictionaries(
    {"op": _OPS, "path": _POINTERS, "from": _POINTERS, "value": _JSON}
) | st.dictionaries(st.sampled_from(["op", "path", "from", "value"]), _OPS | _POINTERS | _JSON)
_DOCUMENTS = st.dictionaries(st.sampled_from(["a", "b", "0", "-", "~"]), _JSON, min_size=1) | _JSON
_PATCHES = st.lists(_OPERATIONS, min_size=1, max_size=4) | st.lists(_OPERATIONS | _JSON) | _JSON


@SPEED_FREE
@given(document=_DOCUMENTS, patch=_PATCHES)
def test_any_patch_either_applies_or_raises_patch_error(document: Any, patch: Any) -> None:
    """Whatever the patch, the answer is a result or a PatchError, and neither input changes."""
    before = copy.deepcopy((document, patch))
    error = _error_of(document, patch)
    assert (document, patch) == before
    if error is not None:
        assert str(error)
        assert error.index is None or error.pointer.startswith(f"/{error.index}")


def _error_of(document: Any, patch: Any) -> PatchError | None:
    try:
        apply_patch(document, patch)
    except PatchError as error:
        return error
    return None


@SPEED_FREE
@given(document=st.dictionaries(st.sampled_from(["a", "b"]), _JSON), value=_JSON)
def test_add_then_remove_gives_the_document_back(document: dict[str, Any], value: Any) -> None:
    """Adding a new member and removing it again leaves an equal document."""
    patch = [{"op": "add", "path": "/new", "value": value}, {"op": "remove", "path": "/new"}]
    assert apply_patch(document, patch) == document
