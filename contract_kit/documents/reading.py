"""Read one file's bytes, refusing what is not a readable regular file of a sane size.

The file is opened without blocking and checked on the open descriptor, so a FIFO never hangs
the linter and a file swapped for a directory between discovery and reading is still caught.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from contract_kit.documents.limits import MAX_FILE_BYTES

__all__ = ["STDIN", "FileProblemError", "read_file", "read_stdin"]

#: The path that names standard input, as command lines take it.
STDIN = "-"

_CHUNK = 65536
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class FileProblemError(Exception):
    """The path cannot be read as a payload file; the message says why, for the user."""


def _not_a_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "the path is a directory, not a file"
    if stat.S_ISFIFO(mode):
        return "the path is a FIFO (named pipe), not a regular file"
    if stat.S_ISSOCK(mode):
        return "the path is a socket, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "the path is a device, not a regular file"
    return "the path is not a regular file"


def _open_problem(path: str, error: OSError) -> str:
    if error.errno == errno.ENOENT:
        link = Path(path)
        if link.is_symlink():
            target = str(link.readlink())
            return f"the path is a broken symbolic link: its target {target!r} does not exist"
        return "the path does not exist"
    if error.errno == errno.ELOOP:
        return "the path is a symbolic link in a loop of links"
    if error.errno in {errno.EACCES, errno.EPERM}:
        return "the file cannot be read: permission denied"
    if error.errno == errno.EISDIR:
        return "the path is a directory, not a file"
    return f"the file cannot be read: {error.strerror or error}"


def _too_large(size: int) -> str:
    mib, limit = size / (1024 * 1024), MAX_FILE_BYTES // (1024 * 1024)
    return f"the file is {mib:.1f} MiB; files over {limit} MiB are not linted"


def read_file(path: str) -> bytes:
    """The bytes of the regular file at ``path``; :class:`FileProblemError` if it is not one."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        raise FileProblemError(_open_problem(path, error)) from None
    try:
        mode_and_size = os.fstat(descriptor)
        if not stat.S_ISREG(mode_and_size.st_mode):
            raise FileProblemError(_not_a_file(mode_and_size.st_mode))
        if mode_and_size.st_size > MAX_FILE_BYTES:
            raise FileProblemError(_too_large(mode_and_size.st_size))
        # One byte more than the size: a regular file reads short only at its end, so the
        # usual file takes one read, and no second one to find the end. Asking for no more
        # saves allocating (and shrinking) a large buffer for each small file. A file that
        # tells no size (as some virtual file systems do) is read in large chunks.
        wanted = mode_and_size.st_size + 1 if mode_and_size.st_size else _CHUNK
        first = os.read(descriptor, wanted)
        if len(first) < wanted:
            return first
        chunks = [first]
        total = len(first)
        step = max(wanted, _CHUNK)  # the rest is read in steps of this, counted from the start
        while total <= MAX_FILE_BYTES and (chunk := os.read(descriptor, step - total % step)):
            chunks.append(chunk)
            total += len(chunk)
        if total > MAX_FILE_BYTES:  # it grew while being read
            raise FileProblemError(_too_large(total))
    except OSError as error:
        raise FileProblemError(f"the file cannot be read: {error.strerror or error}") from None
    finally:
        os.close(descriptor)
    return b"".join(chunks)


def read_stdin() -> bytes:
    """The bytes of standard input, refused past the size limit a file has."""
    import sys

    chunks: list[bytes] = []
    total = 0
    try:
        while chunk := sys.stdin.buffer.read(65536):
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                limit = MAX_FILE_BYTES // (1024 * 1024)
                message = (
                    f"standard input is over {limit} MiB; input over {limit} MiB is not linted"
                )
                raise FileProblemError(message)
    except (OSError, ValueError) as error:  # closed, or not readable as bytes
        raise FileProblemError(f"standard input cannot be read: {error}") from None
    return b"".join(chunks)
