"""The bundled JSON Schemas: found by kind, read once, and resolved only from the bundle.

The files live in the repository's top-level ``schemas/`` folder, installed as the package
``contract_kit.schemas``. Nothing here ever fetches a schema: a ``$ref`` that leaves the bundle
is a :class:`~contract_kit.errors.SchemaBundleError`.
"""

from __future__ import annotations

import copy
import functools
import json
import os
from typing import TYPE_CHECKING, Any

from contract_kit.core.violation import escape_token
from contract_kit.errors import SchemaBundleError, UnknownKindError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from referencing import Registry

__all__ = [
    "LIST_KEYWORDS",
    "MAP_KEYWORDS",
    "SCHEMA_KEYWORDS",
    "bundled_text",
    "kinds",
    "load_schema",
    "registry",
    "schema_uri",
    "subschemas",
]

_SUFFIX = ".schema.json"
#: Keywords whose value maps names to subschemas.
MAP_KEYWORDS = frozenset({"properties", "patternProperties", "$defs", "dependentSchemas"})
#: Keywords whose value is one subschema.
SCHEMA_KEYWORDS = frozenset(
    {
        "items",
        "not",
        "if",
        "then",
        "else",
        "propertyNames",
        "additionalProperties",
        "contains",
        "unevaluatedItems",
        "unevaluatedProperties",
    }
)
#: Keywords whose value is a list of subschemas.
LIST_KEYWORDS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})


@functools.cache
def _folder() -> str | None:
    """The folder of the installed schema files, or None if they are not plain files.

    Read straight from it: :mod:`importlib.resources` (for a zipped install) costs a one-file
    lint several milliseconds of imports.
    """
    import importlib

    package = importlib.import_module("contract_kit.schemas")
    folder = next(iter(getattr(package, "__path__", ())), None)
    return folder if folder is not None and os.path.isdir(folder) else None  # noqa: PTH112


@functools.cache
def kinds() -> tuple[str, ...]:
    """The names of the bundled kinds, sorted: one per ``<kind>.schema.json`` file."""
    folder = _folder()
    if folder is not None:
        names = os.listdir(folder)  # noqa: PTH208 - names only, no pathlib import
    else:
        from importlib import resources

        names = [entry.name for entry in resources.files("contract_kit.schemas").iterdir()]
    return tuple(sorted(name.removesuffix(_SUFFIX) for name in names if name.endswith(_SUFFIX)))


def check_kind(kind: object) -> str:
    """Return ``kind`` if it is bundled, else raise an error that lists the bundled kinds."""
    known = kinds()
    if not isinstance(kind, str) or kind not in known:
        raise UnknownKindError(kind, known)
    return kind


@functools.cache
def _read(kind: str) -> dict[str, Any]:
    folder = _folder()
    if folder is not None:
        with open(os.path.join(folder, kind + _SUFFIX), encoding="utf-8") as file:  # noqa: PTH118, PTH123
            text = file.read()
    else:
        from importlib import resources

        text = resources.files("contract_kit.schemas").joinpath(kind + _SUFFIX).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def bundled_text(name: str) -> str:
    """The text of a data file of the bundle (``object-kinds.json``, ``examples/<kind>.json``)."""
    folder = _folder()
    if folder is not None:
        with open(os.path.join(folder, *name.split("/")), encoding="utf-8") as file:  # noqa: PTH118, PTH123
            return file.read()
    from importlib import resources

    return resources.files("contract_kit.schemas").joinpath(name).read_text("utf-8")


def load_schema(kind: str) -> dict[str, Any]:
    """A fresh copy of the bundled schema of ``kind`` (callers may change it freely)."""
    return copy.deepcopy(_read(check_kind(kind)))


def schema_uri(kind: str) -> str:
    """The ``$id`` of the bundled schema of ``kind``."""
    uri: str = _read(check_kind(kind))["$id"]
    return uri


def _refuse(uri: str) -> Any:
    raise SchemaBundleError(
        f"the $ref {uri!r} points outside contract_kit's bundled schemas; "
        "remote references are never fetched"
    )


@functools.cache
def registry() -> Registry:
    """Every bundled schema, by ``$id``; looking up anything else raises instead of fetching.

    The resources are stored without their ``$schema``: jsonschema picks the validator class
    of a referenced resource from that keyword, which would swap contract_kit's own keywords
    (pointers of missing members, ECMA-262 patterns) for the stock ones behind a ``$ref``.
    Every bundled schema is Draft 2020-12, which the resources declare instead.
    """
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    def resource(kind: str) -> Resource[Any]:
        contents = {k: v for k, v in _read(kind).items() if k != "$schema"}
        return Resource.from_contents(contents, default_specification=DRAFT202012)

    return Registry(retrieve=_refuse).with_resources(  # type: ignore[call-arg]
        (_read(kind)["$id"], resource(kind)) for kind in kinds()
    )


def subschemas(schema: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Walk every subschema (with its JSON pointer in the schema) in keyword positions only.

    Walking by keyword, not by every nested dict, keeps a property *named* ``format`` or
    ``$ref`` from being mistaken for the keyword.
    """
    if not isinstance(schema, dict):
        return
    yield pointer, schema
    for key, value in schema.items():
        if key in MAP_KEYWORDS and isinstance(value, dict):
            for name, sub in value.items():
                yield from subschemas(sub, f"{pointer}/{key}/{escape_token(name)}")
        elif key in SCHEMA_KEYWORDS:
            yield from subschemas(value, f"{pointer}/{key}")
        elif key in LIST_KEYWORDS and isinstance(value, list):
            for index, sub in enumerate(value):
                yield from subschemas(sub, f"{pointer}/{key}/{index}")
