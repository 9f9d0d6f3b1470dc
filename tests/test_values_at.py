"""values_at: the values a table pointer reaches, in document order, with their pointers."""

from __future__ import annotations

from contract_kit.core.object_kinds import values_at


def test_stars_reach_every_item_in_document_order() -> None:
    """Each ``*`` expands a list's items in order, nested stars depth first."""
    instance = {"c": [{"p": ["a", "b"]}, {"q": 1}, {"p": ["c"]}]}
    assert list(values_at(instance, "/c/*/p/*")) == [
        ("/c/0/p/0", "a"),
        ("/c/0/p/1", "b"),
        ("/c/2/p/0", "c"),
    ]


def test_escaped_names_are_read_and_written_back_escaped() -> None:
    """``~1`` and ``~0`` name ``/`` and ``~`` in the table and in the pointers given back."""
    instance = {"a/b": {"m~n": 5}}
    assert list(values_at(instance, "/a~1b/m~0n")) == [("/a~1b/m~0n", 5)]


def test_a_path_that_is_not_there_reaches_nothing() -> None:
    """A missing member, a star on a non-list or a name on a list gives no value."""
    instance = {"a": {"b": 1}, "l": [1, 2]}
    assert list(values_at(instance, "/a/c")) == []
    assert list(values_at(instance, "/a/*")) == []
    assert list(values_at(instance, "/l/b")) == []


def test_the_empty_pointer_is_the_whole_instance() -> None:
    """The pointer ``""`` reaches the instance itself."""
    assert list(values_at([1], "")) == [("", [1])]
