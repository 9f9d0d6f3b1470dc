"""Seeds from files: JSON and YAML payloads, one object (or a list of them) per file.

Files are read through :mod:`contract_kit.documents` (one set of limits for everything the
project reads) and each object's kind is told from its content. Every problem is placed at
``file:line:column``, so a bad seed folder reads like a lint report.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from contract_kit.core.messages import plural
from contract_kit.fake.errors import SeedError
from contract_kit.fake.seeding import SEEDABLE, Seed, detect_kind

if TYPE_CHECKING:
    from collections.abc import Sequence

    from contract_kit.core.violation import Violation
    from contract_kit.documents.source import Source

__all__ = ["Place", "raise_seed_problems", "read_seeds"]

_SUFFIXES = (".json", ".yaml", ".yml")
_HINT = (
    "Hint: fix each file at the place given (contract-kit lint shows the same); nothing was "
    "seeded, so the fake is as it was."
)


class Place(NamedTuple):
    """Where a seed came from: its file, the parsed file, and its pointer in it."""

    path: str
    source: Source
    pointer: str = ""

    def at(self, violation: Violation) -> str:
        """The report's line for a problem of this seed: ``file:line:column: pointer: ...``."""
        inner = self.pointer + violation.pointer
        span = self.source.span(inner, violation.rule)
        shown = violation.pointer or "(root)"
        where = f"{self.path}:{span.line}:{span.column}"
        return f"{where}: {shown}: {violation.message} [{violation.rule}]"


def _files(path: str) -> list[str]:
    if not Path(path).is_dir():
        return [path]
    found = []
    for folder, folders, names in os.walk(path):
        folders.sort()
        found += [str(Path(folder, n)) for n in sorted(names) if n.lower().endswith(_SUFFIXES)]
    return found


def _parsed(path: str) -> Source:
    from contract_kit.documents.json_source import parse_json
    from contract_kit.documents.reading import read_file

    data = read_file(path)
    if path.lower().endswith((".yaml", ".yml")):
        from contract_kit.documents.yaml_source import parse_yaml

        return parse_yaml(data)
    return parse_json(data)


def _fail(where: str, lines: Sequence[str]) -> SeedError:
    headline = (
        f"offer_library.seed({where!r}): nothing was seeded ({plural(len(lines), 'problem')}):"
    )
    return SeedError("\n".join([headline, *(f"- {line}" for line in lines), "", _HINT]))


def read_seeds(path: str | os.PathLike[str]) -> tuple[list[Seed], list[Place]]:
    """The seeds of a file or folder and where each came from; SeedError listing every problem."""
    from contract_kit.documents.reading import FileProblemError
    from contract_kit.documents.source import ParseProblemError

    where = os.fspath(path)
    seeds: list[Seed] = []
    places: list[Place] = []
    problems: list[str] = []
    for file in _files(where):
        try:
            source = _parsed(file)
        except FileProblemError as error:
            problems.append(f"{file}: {error} [file]")
            continue
        except ParseProblemError as error:
            line, column = error.line_column or (1, 1)
            problems.append(f"{file}:{line}:{column}: {error.message} [json]")
            continue
        values = source.value if isinstance(source.value, list) else [source.value]
        for index, value in enumerate(values):
            pointer = f"/{index}" if isinstance(source.value, list) else ""
            kind = detect_kind(value)
            if kind is None:
                span = source.span(pointer)
                problems.append(
                    f"{file}:{span.line}:{span.column}: {pointer or '(root)'}: no kind of object "
                    f"has these members; the kinds are {', '.join(SEEDABLE)} [kind]"
                )
                continue
            seeds.append(Seed(kind, value))
            places.append(Place(file, source, pointer))
    if not seeds and not problems:
        problems.append(f"{where}: no .json, .yaml or .yml file there [file]")
    if problems:
        raise _fail(where, problems)
    return seeds, places


def raise_seed_problems(
    where: str | os.PathLike[str], places: Sequence[Place], found: Sequence[Sequence[Violation]]
) -> None:
    """Raise SeedError placing each seed's problems in its file; nothing when there are none."""
    lines = [places[index].at(v) for index, problems in enumerate(found) for v in problems]
    if lines:
        raise _fail(os.fspath(where), lines)
