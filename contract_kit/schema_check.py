"""Compile the bundled schemas into validators (once per kind per process) and run them.

Three keywords are re-implemented on top of jsonschema's Draft 2020-12 validator:

- ``required`` reports a missing member at its own pointer (``/xdm:name``), not at its parent;
- ``propertyNames`` reports an unknown name at that name's pointer, once;
- ``pattern`` follows ECMA-262, whose ``$`` never matches before a final newline (Python's does).

Every ``format``, ``pattern`` and ``$ref`` is checked when the validator is built: a format
without a checker, a pattern Python cannot compile or a reference outside the bundle is a
:class:`~contract_kit.errors.SchemaBundleError` then, never a silent pass later.

Most instances checked are valid, so each schema is also compiled with jsonschema-rs, given
contract_kit's own format checks: it answers "valid" in about 2 µs where jsonschema takes
about 1 ms. Only an instance it finds invalid (or cannot read) goes through jsonschema, which
says what is wrong and where. A property test holds the two to the same verdicts.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from contract_kit.errors import SchemaBundleError
from contract_kit.formats import FORMATS
from contract_kit.messages import to_violation
from contract_kit.schema_bundle import check_kind, kinds, load_schema, registry, subschemas

if TYPE_CHECKING:
    from collections.abc import Iterator

    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator
    from referencing import Registry

    from contract_kit.violation import Violation

__all__ = ["CompiledSchema", "build_validator", "schema_violations", "validator_for"]


@functools.cache
def _ecma_regex(pattern: str) -> re.Pattern[str]:
    if pattern.endswith("$") and not pattern.endswith(r"\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _pattern(
    validator: Validator, pattern: str, instance: Any, _schema: Any
) -> Iterator[ValidationError]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not _ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _required(
    validator: Validator, required: list[str], instance: Any, _schema: Any
) -> Iterator[ValidationError]:
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "object"):
        return
    for name in required:
        if name not in instance:
            yield ValidationError(
                f"{name!r} is a required property", path=[name], instance=instance
            )


def _property_names(
    validator: Validator, names_schema: Any, instance: Any, _schema: Any
) -> Iterator[ValidationError]:
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "object"):
        return
    for name in instance:
        errors = validator.descend(instance=name, schema=names_schema)  # type: ignore[attr-defined]
        if next(errors, None) is not None:
            yield ValidationError(f"{name!r} is not an allowed name", path=[name], instance=name)


@functools.cache
def _validator_class() -> Any:
    from jsonschema import Draft202012Validator, validators

    return validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator,
        {"pattern": _pattern, "required": _required, "propertyNames": _property_names},
    )


def _verify(label: str, schema: dict[str, Any], schemas: Registry) -> None:
    from referencing.exceptions import Unresolvable

    resolver = schemas.resolver(base_uri=schema.get("$id", ""))
    for pointer, sub in subschemas(schema):
        where = f"{label}#{pointer}"
        fmt = sub.get("format")
        if fmt is not None and fmt not in FORMATS:
            known = ", ".join(sorted(FORMATS))
            raise SchemaBundleError(
                f"{where}: format {fmt!r} has no checker in contract_kit (it checks {known}); "
                "an unchecked format would pass every value silently"
            )
        if "pattern" in sub:
            try:
                _ecma_regex(sub["pattern"])
            except re.error as error:
                raise SchemaBundleError(f"{where}: pattern {sub['pattern']!r}: {error}") from error
        if "$ref" in sub:
            try:
                resolver.lookup(sub["$ref"])
            except Unresolvable as error:
                raise SchemaBundleError(
                    f"{where}: $ref {sub['$ref']!r}: {_reason(error)}"
                ) from error


def _reason(error: BaseException) -> str:
    """Our own refusal, if it is behind the error referencing raised, else what it says."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, SchemaBundleError):
            return str(cause)
        cause = cause.__cause__ or cause.__context__
    return f"cannot be resolved ({error!r})"


class CompiledSchema:
    """A schema compiled twice: jsonschema-rs says whether, jsonschema says what and where."""

    def __init__(self, explaining: Any, fast: Any) -> None:
        self.explaining = explaining
        self.fast = fast

    def is_valid(self, instance: object) -> bool:
        """Whether ``instance`` passes, by the fast validator when it can read the instance."""
        try:
            return bool(self.fast.is_valid(instance))
        except (ValueError, TypeError, OverflowError):
            # Not JSON as Rust reads it (a tuple, a non-string key, a huge integer...).
            return not any(True for _ in self.explaining.iter_errors(instance))

    def iter_errors(self, instance: object) -> Iterator[ValidationError]:
        """Every schema error of ``instance``; none at all when the fast validator passes it."""
        if self.is_valid(instance):
            return iter(())
        return iter(self.explaining.iter_errors(instance))


def _refuse_remote(uri: str) -> Any:
    raise SchemaBundleError(f"the $ref {uri!r} points outside contract_kit's bundled schemas")


@functools.cache
def _fast_registry() -> Any:
    import jsonschema_rs

    resources = [(load_schema(kind)["$id"], load_schema(kind)) for kind in kinds()]
    return jsonschema_rs.Registry(resources, retriever=_refuse_remote)


def build_validator(
    schema: dict[str, Any], label: str, schemas: Registry | None = None
) -> CompiledSchema:
    """Build a validator for ``schema`` with every format checked and every reference verified.

    ``label`` names the schema in errors (e.g. ``fallback-offer.schema.json``); ``schemas`` is
    the registry references resolve in, the bundle by default.
    """
    import jsonschema_rs
    from jsonschema import FormatChecker

    schemas = registry() if schemas is None else schemas
    _verify(label, schema, schemas)
    checker = FormatChecker(formats=())
    for name, check in FORMATS.items():
        checker.checks(name)(check)
    explaining = _validator_class()(schema, registry=schemas, format_checker=checker)
    fast = jsonschema_rs.validator_for(
        schema,
        registry=_fast_registry(),
        retriever=_refuse_remote,
        formats=dict(FORMATS),
        validate_formats=True,
        ignore_unknown_formats=False,
    )
    return CompiledSchema(explaining, fast)


@functools.cache
def validator_for(kind: str) -> CompiledSchema:
    """The validator of a bundled kind, built on first use and kept for the process."""
    return build_validator(load_schema(kind), f"{check_kind(kind)}.schema.json")


def schema_violations(kind: str, instance: object, noun: str = "member") -> list[Violation]:
    """What the bundled schema of ``kind`` finds wrong with ``instance``, unsorted."""
    return [to_violation(error, noun) for error in validator_for(kind).iter_errors(instance)]
