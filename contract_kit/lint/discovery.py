"""Find the files to lint: named files as they are, folders walked with include/exclude globs.

Folders are walked following symbolic links; a link back to a folder being walked is a
directory loop, reported once and not followed, and a folder reached twice by other routes is
walked once. Excludes apply to named files too (pre-commit names every changed file); includes
only choose what a walk picks up.
"""

# ruff: noqa: PTH100, PTH112, PTH116, PTH118 - paths stay strings, as given and as printed: a
# walk of ten thousand entries makes no Path object for each

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Sequence

    from contract_kit.lint.globs import GlobSet

__all__ = ["Discovery", "discover", "relative_to"]

_Folder = tuple[str, str, tuple[tuple[int, int], ...]]  # path, relative path, ancestors


class Discovery(NamedTuple):
    """The files found, and the paths that could not be walked (with why)."""

    files: list[str]
    problems: list[tuple[str, str]]


def relative_to(root: str, path: str) -> str:
    """``path`` relative to ``root`` with ``/`` separators, or absolute when outside it."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive, on Windows
        relative = absolute
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        relative = absolute
    return relative.replace(os.sep, "/")


def _join(folder: str, name: str) -> str:
    return name if folder == os.curdir else os.path.join(folder, name)


class _Walk:
    def __init__(self, root: str, include: GlobSet, exclude: GlobSet) -> None:
        self.root = root
        self.include = include
        self.exclude = exclude
        self.found = Discovery([], [])
        self.seen_files: set[str] = set()
        self.seen_folders: set[tuple[int, int]] = set()

    def add_file(self, path: str) -> None:
        if path not in self.seen_files:
            self.seen_files.add(path)
            self.found.files.append(path)

    def named(self, path: str) -> None:
        if path == "-":  # standard input: never excluded, read once however often named
            self.add_file(path)
            return
        path = os.path.normpath(path)
        if path == "-":  # a file named "-", given as ./-: kept apart from standard input
            path = os.path.join(os.curdir, path)
        relative = relative_to(self.root, path)
        if relative != "." and self.exclude.matches_path(relative):
            return
        if os.path.isdir(path):
            self.walk(path, relative)
        else:
            self.add_file(path)  # reading says what is wrong with it, if anything

    def walk(self, top: str, top_relative: str) -> None:
        stack: list[_Folder] = [(top, top_relative, ())]
        while stack:
            folder, relative, ancestors = stack.pop()
            try:
                info = os.stat(folder)
            except OSError as error:
                self.found.problems.append((folder, f"the folder cannot be read: {error.strerror}"))
                continue
            key = (info.st_dev, info.st_ino)
            if key in ancestors:
                message = "a directory loop: this symbolic link leads back to a folder above it"
                self.found.problems.append((folder, message))
            elif key not in self.seen_folders:
                self.seen_folders.add(key)
                stack.extend(reversed(self.entries(folder, relative, (*ancestors, key))))

    def entries(
        self, folder: str, relative: str, ancestors: tuple[tuple[int, int], ...]
    ) -> list[_Folder]:
        # Names only, not the listing's entries, are kept to be sorted: a folder of 100,000
        # files would otherwise hold as many entry objects at once, and the memory after.
        files: list[str] = []
        folders: list[str] = []
        try:
            with os.scandir(folder) as listing:
                for entry in listing:
                    try:
                        is_folder = entry.is_dir()
                    except OSError:
                        is_folder = False
                    (folders if is_folder else files).append(entry.name)
        except OSError as error:
            self.found.problems.append((folder, f"the folder cannot be listed: {error.strerror}"))
            return []
        prefix = "" if relative == "." else relative + "/"
        # The folder's path with its separator, joined once: a name from a listing is never
        # absolute, so this and a name join as os.path.join(folder, name) would.
        head = "" if folder == os.curdir else os.path.join(folder, "")
        files.sort()
        chosen = self.include.matching_entries(files, prefix)
        excluded = set(self.exclude.matching_entries(chosen, prefix))
        if excluded:
            chosen = [name for name in chosen if name not in excluded]
        paths = [head + name for name in chosen] if head else chosen
        seen, found = self.seen_files, self.found.files
        # add_file for each, in two set operations where no path was found before (a folder's
        # names are distinct): the usual walk, and it runs for every file of it
        if seen.isdisjoint(paths):
            seen.update(paths)
            found.extend(paths)
            paths = []
        for path in paths:
            if path not in seen:
                seen.add(path)
                found.append(path)
        folders.sort()
        return [
            (_join(folder, name), prefix + name, ancestors)
            for name in folders
            if not self.exclude.matches_entry(name, prefix + name)
        ]


def discover(paths: Sequence[str], include: GlobSet, exclude: GlobSet, root: str) -> Discovery:
    """Every file to lint under ``paths``; globs match paths relative to ``root``."""
    walk = _Walk(root, include, exclude)
    for path in paths:
        walk.named(path)
    return walk.found
