"""Forked workers: each chunk comes back once or is said to be lost; the parent explains.

The parent lints chunks too when it has nothing to explain (``share``); the tests of dying
workers turn that off, so that the chunk they kill is a child's.
"""

from __future__ import annotations

import os
import signal
import sys

import pytest

from contract_kit.lint.findings import FileResult, crash
from contract_kit.lint.workers import _MAX_CHUNKS, Lost, Screen, _chunks, lint_forked

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux")

PATHS = [f"offers/{number:04d}.json" for number in range(1000)]


def _found(paths: list[str]) -> list[FileResult]:
    """A finding for every other file, named after the process that linted it."""
    return [
        _result(path)
        for path in paths
        if path.endswith(("0.json", "2.json", "4.json", "6.json", "8.json"))
    ]


def _result(path: str) -> FileResult:
    return FileResult(path, (crash("exception", f"linted by {os.getpid()}"),))


def _screened(paths: list[str]) -> tuple[list[FileResult], list[str]]:
    """Every other file found, and none left to explain."""
    return _found(paths), []


def _lint(
    screen: Screen[str], unexplained: list[str] | None = None
) -> tuple[list[FileResult], Lost]:
    return lint_forked(PATHS, 2, screen, _result, unexplained or [], share=False)


def _linters(results: list[FileResult]) -> set[int]:
    """The processes that linted the files of ``results``."""
    return {int(result.findings[0].message.split()[-1]) for result in results}


@pytest.mark.parametrize("share", [True, False])
@pytest.mark.parametrize("jobs", [1, 2, 3, 40])
def test_every_chunk_is_reported_once(jobs: int, *, share: bool) -> None:
    """What the processes find is what one process finds, whatever their number."""
    results, lost = lint_forked(PATHS, jobs, _screened, _result, [], share=share)
    assert lost == []
    assert sorted(result.path for result in results) == [result.path for result in _found(PATHS)]
    if not share:
        assert os.getpid() not in _linters(results)
    elif jobs == 1:  # no child: this process lints every chunk
        assert _linters(results) == {os.getpid()}


def test_a_chunk_that_fails_here_is_lost_with_its_error() -> None:
    """A chunk the parent lints and fails on is lost with the error, as a child's would be."""

    def failing(paths: list[str]) -> tuple[list[FileResult], list[str]]:
        if "offers/0500.json" in paths:
            raise RuntimeError("boom")
        return _screened(paths)

    _holds_all_but(*lint_forked(PATHS, 1, failing, _result, []), error="RuntimeError: boom")


def test_the_parent_lints_what_dead_children_left() -> None:
    """Children that die lose the chunks they held; the parent lints every other chunk."""
    parent = os.getpid()

    def dying_in_children(paths: list[str]) -> tuple[list[FileResult], list[str]]:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return _screened(paths)

    results, lost = lint_forked(PATHS, 3, dying_in_children, _result, [])
    assert len(lost) <= 2  # at most the first chunk of each of the two children
    assert {error for _, error in lost} <= {None}
    lost_paths = {path for chunk, _ in lost for path in chunk}
    expected = [result.path for result in _found(PATHS) if result.path not in lost_paths]
    assert sorted(result.path for result in results) == expected
    assert _linters(results) <= {parent}


def test_the_files_left_to_explain_are_explained_by_the_parent() -> None:
    """Those a worker leaves and those given at the start: each explained once, here."""

    def leaving(paths: list[str]) -> tuple[list[FileResult], list[str]]:
        return [], [path for path in paths if path.endswith("7.json")]

    results, lost = _lint(leaving, ["elsewhere/first.json"])
    assert lost == []
    expected = ["elsewhere/first.json", *(path for path in PATHS if path.endswith("7.json"))]
    assert sorted(result.path for result in results) == sorted(expected)
    assert {result.findings[0].message for result in results} == {f"linted by {os.getpid()}"}


def test_a_chunk_that_fails_is_lost_with_its_error() -> None:
    """An exception outside any file's lint loses that chunk alone, with the error's text."""

    def failing(paths: list[str]) -> tuple[list[FileResult], list[str]]:
        if "offers/0500.json" in paths:
            raise RuntimeError("boom")
        return _screened(paths)

    _holds_all_but(*_lint(failing), error="RuntimeError: boom")


def test_a_worker_that_dies_loses_only_the_chunk_it_held() -> None:
    """The other worker lints the rest; the dead one's chunk is lost without an error."""

    def dying(paths: list[str]) -> tuple[list[FileResult], list[str]]:
        if "offers/0500.json" in paths:
            os.kill(os.getpid(), signal.SIGKILL)
        return _screened(paths)

    _holds_all_but(*_lint(dying), error=None)


def _holds_all_but(results: list[FileResult], lost: Lost, error: str | None) -> None:
    """One chunk, the one with file 500, is lost with ``error``; every other finding is back."""
    assert [("offers/0500.json" in chunk, why) for chunk, why in lost] == [(True, error)]
    expected = [result.path for result in _found(PATHS)]
    back = [result.path for result in results] + [p for p in lost[0][0] if p in expected]
    assert sorted(back) == expected


def test_every_worker_dying_loses_every_chunk() -> None:
    """Nothing is dropped silently: with no worker left, every chunk not reported is lost."""

    def dying(_paths: list[str]) -> tuple[list[FileResult], list[str]]:
        os.kill(os.getpid(), signal.SIGKILL)
        return [], []

    results, lost = _lint(dying)
    assert results == []
    assert [path for chunk, _ in lost for path in chunk] == PATHS
    assert {error for _, error in lost} == {None}


@pytest.mark.parametrize("count", [1, 31, 33, 1000, 9872, 100_000, 300_001])
@pytest.mark.parametrize("jobs", [1, 2, 7])
def test_chunks_cover_the_paths_in_order(count: int, jobs: int) -> None:
    """The chunks hold every path once, in order, and are few enough for the work pipe."""
    paths = [str(number) for number in range(count)]
    chunks = _chunks(paths, jobs)
    assert [path for chunk in chunks for path in chunk] == paths
    assert len(chunks) <= _MAX_CHUNKS


def test_the_last_files_go_in_smaller_chunks() -> None:
    """The last two chunks' worth of files (two jobs) go in chunks of a quarter of the size."""
    chunks = _chunks([str(number) for number in range(9872)], 2)
    assert {len(chunk) for chunk in chunks[:61]} == {155}
    assert [len(chunk) for chunk in chunks[62:]] == [38] * 8 + [6]


def test_an_interrupted_run_leaves_no_child_behind() -> None:
    """Ctrl-C in the parent kills the children and waits for them (else this would hang)."""
    parent = os.getpid()

    def interrupted(paths: list[str]) -> tuple[list[FileResult], list[str]]:
        if os.getpid() == parent:
            raise KeyboardInterrupt
        signal.pause()  # a child never ends by itself: only the parent's kill ends it
        return _screened(paths)

    with pytest.raises(KeyboardInterrupt):
        lint_forked(PATHS, 3, interrupted, _result, [])


def test_the_parent_does_its_own_with_its_chunks() -> None:
    """The chunks the parent takes go to ``own``, the children's to ``lint``; none is lost."""
    parent = os.getpid()

    def children_only(paths: list[str]) -> tuple[list[FileResult], list[str]]:
        assert os.getpid() != parent
        return _screened(paths)

    def own(paths: list[str]) -> tuple[list[FileResult], list[str]]:
        assert os.getpid() == parent
        return _screened(paths)

    results, lost = lint_forked(PATHS, 1, children_only, _result, [], own=own)
    assert lost == []
    assert sorted(result.path for result in results) == [result.path for result in _found(PATHS)]
    assert _linters(results) == {parent}
