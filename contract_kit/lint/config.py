"""The ``[tool.contract-kit]`` table of ``pyproject.toml``, checked as strictly as the options.

The nearest ``pyproject.toml`` from the current folder upwards is read (or the file
``--config`` names). Globs in it are relative to its folder. A misspelt option, an unknown rule
id or kind, or a value of the wrong type is a usage error that says what to write instead.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

from contract_kit.core.messages import show
from contract_kit.core.rule_catalogue import RULES
from contract_kit.documents.reading import FileProblemError, read_file
from contract_kit.lint.findings import CRASHES, FILE_PROBLEMS
from contract_kit.lint.globs import Glob, GlobError

__all__ = [
    "DEFAULT_EXCLUDE",
    "DEFAULT_INCLUDE",
    "Config",
    "ConfigError",
    "check_rule_ids",
    "find_pyproject",
    "load_config",
]

DEFAULT_INCLUDE = ("*.json", "*.yaml", "*.yml")
#: Folders never walked: version control, virtual environments, caches.
DEFAULT_EXCLUDE = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "node_modules",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
)
_OPTIONS = ("exclude", "ignore", "include", "kinds", "select", "strict")


class ConfigError(ValueError):
    """The configuration or the options cannot be used as written; the message says why."""


class Config(NamedTuple):
    """What ``[tool.contract-kit]`` says; ``root`` is the folder globs are relative to."""

    root: str
    path: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    kinds: tuple[tuple[str, str], ...] = ()
    strict: bool = False


def _did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    from contract_kit.core.messages import did_you_mean

    return did_you_mean(word, choices, aside=True)


def _toml_value(value: object) -> str:
    """A TOML value that is not a table, for a message: its type, and its text if a scalar."""
    if isinstance(value, bool):
        return f"the boolean {show(value)}"
    if isinstance(value, int | float):
        return f"the number {show(value)}"
    if isinstance(value, str):
        return f"the string {show(value)}"
    if isinstance(value, list):
        return "an array"
    return "a date or time"  # the only other TOML values


def check_rule_ids(where: str, ids: tuple[str, ...]) -> tuple[str, ...]:
    """Return ``ids`` if each is a rule id that can be selected or ignored."""
    for rule in ids:
        if rule in FILE_PROBLEMS or rule in CRASHES:
            raise ConfigError(
                f"{where}: {rule!r} reports files that cannot be checked at all, "
                "which cannot be selected or ignored"
            )
        if rule not in RULES:
            raise ConfigError(
                f"{where}: unknown rule id {rule!r}{_did_you_mean(rule, list(RULES))}; "
                "contract-kit rules lists them"
            )
    return ids


def find_pyproject(start: str) -> str | None:
    """The nearest ``pyproject.toml`` in ``start`` or a folder above it."""
    folder = Path(start).absolute()
    for candidate in (folder / "pyproject.toml", *(up / "pyproject.toml" for up in folder.parents)):
        if candidate.is_file():
            return str(candidate)
    return None


def _strings(where: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
    return tuple(value)


def _globs(where: str, value: object) -> tuple[str, ...]:
    patterns = _strings(where, value)
    for pattern in patterns:
        try:
            Glob(pattern)
        except GlobError as error:
            raise ConfigError(f"{where}: {error}") from None
    return patterns


def _kinds(where: str, value: object, known: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f'{where}: expected a table of globs and kinds ("offers/*.json" = ...)')
    for pattern, kind in value.items():
        _globs(where, [pattern])
        if kind not in known:
            raise ConfigError(
                f"{where}: {pattern!r} = {kind!r} is not a kind{_did_you_mean(str(kind), known)}; "
                "contract-kit kinds lists them"
            )
    return tuple(value.items())


def load_config(path: str | None, known_kinds: tuple[str, ...]) -> Config:
    """Read ``[tool.contract-kit]`` from ``path`` (or the nearest pyproject.toml if None)."""
    path = path or find_pyproject(os.curdir)
    if path is None:
        return Config(root=str(Path.cwd()))
    import tomllib

    try:
        data = read_file(path)
    except FileProblemError as error:
        raise ConfigError(f"{path}: cannot be read: {error}") from None
    try:
        document: dict[str, Any] = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ConfigError(
            f"{path}: not UTF-8: byte 0x{data[error.start]:02x} on line {line} cannot be "
            "decoded; TOML files are UTF-8: save it as UTF-8"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    root = str(Path(path).absolute().parent)
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(
            f"{path}: tool: expected a table ([tool] or [tool.contract-kit]), "
            f"got {_toml_value(tool)}"
        )
    table = tool.get("contract-kit", {})
    where = f"{path}: [tool.contract-kit]"
    if not isinstance(table, dict):
        raise ConfigError(
            f"{path}: tool.contract-kit: expected a table ([tool.contract-kit]), "
            f"got {_toml_value(table)}"
        )
    for key in table:
        if key not in _OPTIONS:
            raise ConfigError(
                f"{where}: unknown option {key!r}{_did_you_mean(key, _OPTIONS)}; "
                f"the options are {', '.join(_OPTIONS)}"
            )
    select = table.get("select")
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise ConfigError(f"{where} strict: expected true or false, got {_toml_value(strict)}")
    return Config(
        root=root,
        path=path,
        select=None
        if select is None
        else check_rule_ids(f"{where} select", _strings(f"{where} select", select)),
        ignore=check_rule_ids(
            f"{where} ignore", _strings(f"{where} ignore", table.get("ignore", []))
        ),
        include=_globs(f"{where} include", table.get("include", list(DEFAULT_INCLUDE))),
        exclude=_globs(f"{where} exclude", table.get("exclude", [])),
        kinds=_kinds(f"{where} kinds", table.get("kinds", {}), known_kinds),
        strict=strict,
    )
