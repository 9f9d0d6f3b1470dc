"""One writer at a time per cassette: a lock beside the file, held from reading it to renaming.

Two recordings of one cassette (``pytest -n 2 --contract-record=new-episodes``) would each
read the file, add their exchanges and write it back, and the second would drop the first's.
Under this lock the read, the merge and the rename are one step.

Where ``fcntl`` exists (Linux, macOS) the lock is ``flock`` on the hidden file ``.NAME.lock``:
the kernel releases it when its holder dies, so a killed recording never blocks the next. The
file is removed on release, and a writer whose file was removed while it waited locks the new
one instead, so two writers never hold locks on different files. Without ``fcntl`` (Windows)
the lock is the file's existence, created exclusively; a killed writer leaves it behind, and
the timeout's message names it.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

__all__ = ["LOCK_TIMEOUT", "LockTimeoutError", "lock_path", "locked"]

#: Seconds a writer waits for another to finish before giving up with a clear error.
LOCK_TIMEOUT = 60.0
_POLL = 0.01
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)

try:
    import fcntl as _fcntl
except ImportError:  # pragma: no cover - Windows: tested by setting _fcntl to None
    _fcntl: Any = None  # type: ignore[no-redef]


class LockTimeoutError(Exception):
    """Another writer held the cassette's lock longer than the timeout."""


def lock_path(path: Path) -> Path:
    """The lock file of the cassette at ``path`` (hidden, beside it)."""
    return path.with_name(f".{path.name}.lock")


def _give_up(path: Path, timeout: float) -> LockTimeoutError:
    stale = "" if _fcntl is not None else ", or delete it if no recording is running"
    return LockTimeoutError(
        f"another process has been writing {path} for over {timeout:g} s (lock file "
        f"{lock_path(path)}); record this cassette from one process at a time{stale}"
    )


def _flock(path: Path, deadline: float, timeout: float) -> int:
    while True:
        descriptor = os.open(lock_path(path), os.O_RDWR | os.O_CREAT | _CLOEXEC, 0o666)
        try:
            _fcntl.flock(descriptor, _fcntl.LOCK_EX | _fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            if time.monotonic() > deadline:
                raise _give_up(path, timeout) from None
            time.sleep(_POLL)
            continue
        try:
            current = lock_path(path).stat()
        except FileNotFoundError:
            current = None
        if current is not None and os.path.samestat(os.fstat(descriptor), current):
            return descriptor
        os.close(descriptor)  # the holder before us removed this file: lock the new one


def _exclusive(path: Path, deadline: float, timeout: float) -> int:
    while True:
        try:
            return os.open(lock_path(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC, 0o666)
        except FileExistsError:
            if time.monotonic() > deadline:
                raise _give_up(path, timeout) from None
            time.sleep(_POLL)


@contextmanager
def locked(path: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the lock of the cassette at ``path``; :class:`LockTimeoutError` after ``timeout``."""
    timeout = LOCK_TIMEOUT if timeout is None else timeout
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout
    take = _flock if _fcntl is not None else _exclusive
    descriptor = take(path, deadline, timeout)
    try:
        yield
    finally:
        lock_path(path).unlink(missing_ok=True)  # still held: no one else can be using it
        os.close(descriptor)
